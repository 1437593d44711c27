"""Ctrl-C held back while a few steps that must not be cut in half run (files being swapped in).

Contract: ``with deferred() as held:`` runs the block with SIGINT remembered instead of raised.
Blocks nest; only the outermost one restores the previous handler, and its ``held.interrupted``
tells it whether Ctrl-C came meanwhile (a nested block's never does) — the caller then raises
(:class:`Interrupted` says what was already written). Only the main thread can hold signals back;
elsewhere the block runs as is.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class Interrupted(KeyboardInterrupt):
    """Ctrl-C that came while files were being put in place: they all were (``written``)."""

    def __init__(self, written: list[Path]):
        super().__init__()
        self.written = written


@dataclass
class Held:
    """Whether Ctrl-C came during the block: only ever set on the outermost block (the one to act)."""

    interrupted: bool = False


_current: Held | None = None


@contextmanager
def deferred() -> Iterator[Held]:
    global _current
    if _current is not None or threading.current_thread() is not threading.main_thread():
        yield Held()  # nested (the outermost block decides), or a thread that cannot hold signals back
        return
    held = Held()

    def remember(signum: int, frame: Any) -> None:
        held.interrupted = True

    previous = signal.signal(signal.SIGINT, remember)
    _current = held
    try:
        yield held
    finally:
        _current = None
        signal.signal(signal.SIGINT, previous)
