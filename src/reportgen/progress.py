"""A one-line progress display on stderr for long runs (``reportgen batch``).

Contract: :class:`StatusLine` draws ``[done/total] 失败 n  正在处理：…`` on one line that it
rewrites in place, only when its stream is a terminal; elsewhere (a pipe, a log file, tests) it
writes nothing. :meth:`StatusLine.echo` prints a normal line above it (clearing and redrawing the
status), so messages and the status never mix. Only ``\\r`` and spaces are used (no ANSI codes),
which every console understands; the line is cut to the terminal's width, a CJK character
counting two columns.
"""

from __future__ import annotations

import shutil
import sys
import unicodedata
from typing import IO, Any

import click


class StatusLine:
    def __init__(self, total: int, stream: IO[str] | None = None, enabled: bool | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _isatty(self.stream) if enabled is None else enabled
        self.total = total
        self.done = 0
        self.failed = 0
        self.current = ""
        self._shown = 0  # columns drawn by the last status

    def start(self, current: str) -> None:
        self.current = current
        self.show()

    def advance(self, failed: bool) -> None:
        self.done += 1
        self.failed += int(failed)
        self.current = ""
        self.show()

    def text(self) -> str:
        text = f"[{self.done}/{self.total}] 失败 {self.failed}"
        return f"{text}  正在处理：{self.current}" if self.current else text

    def show(self) -> None:
        if not self.enabled:
            return
        width = max(shutil.get_terminal_size((80, 24)).columns - 1, 10)
        text = cut(self.text(), width)
        self.clear()
        self.stream.write(text)
        self.stream.flush()
        self._shown = columns(text)

    def clear(self) -> None:
        if self.enabled and self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0

    def echo(self, message: str, err: bool = False, **style: Any) -> None:
        """A normal line of output, printed above the status line."""
        self.clear()
        click.secho(message, err=err, **style)
        self.show()


def columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cut(text: str, width: int) -> str:
    """``text`` within ``width`` terminal columns, ending in ``…`` when cut."""
    if columns(text) <= width:
        return text
    out, used = [], 0
    for c in text:
        w = columns(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
