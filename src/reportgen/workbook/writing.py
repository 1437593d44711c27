"""Every value reportgen writes into a worksheet goes through :func:`put` (or :func:`append`).

Contract: text is stored as text, whatever it begins with. openpyxl takes a ``str`` beginning
with ``=`` for a formula and one equal to an error code (``#N/A``) for an error value, and refuses
characters XML 1.0 cannot hold with an exception. What reportgen writes — a 单位名称, a narrative,
a file name, a finding's message — comes from clerks and file systems, so a text such as
``=HYPERLINK("http://x/","点击")`` must reach the 财政局 as those characters, never as a live
formula; a control character becomes U+FFFD (the rest of the text is kept). Numbers, dates,
logicals and ``None`` are written as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

REPLACEMENT = "\ufffd"


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write ``value`` into the cell at ``row``/``column`` (1-based); text always as text."""
    cell = ws.cell(row=row, column=column)
    if value is None and cell.value is None:  # nothing to write (most of a blank workbook's input cells)
        return cell
    cell.value = _clean(value)
    _as_text(cell)
    return cell


def append(ws: Worksheet, values: Iterable[Any]) -> None:
    """``ws.append(values)``, text always as text."""
    ws.append([_clean(value) for value in values])
    for cell in ws[ws.max_row]:
        _as_text(cell)


def _clean(value: Any) -> Any:
    return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT, value) if isinstance(value, str) else value


def _as_text(cell: Cell) -> None:
    if isinstance(cell.value, str) and cell.data_type in ("f", "e"):  # "=1+1", "#N/A": openpyxl's guesses
        cell.data_type = "s"


@dataclass(frozen=True)
class ToRevise:
    """A value carried from last year that the clerk is to revise (``init --from``'s 年度指标值):
    the blank workbook writes ``value`` in an orange cell with ``note`` as the cell's comment."""

    value: Any
    note: str
