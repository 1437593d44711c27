"""The reader's view of a workbook: sheets of cells whose content is already decoded.

Two sources give the same view. ``CalamineBook`` (what ``container.load`` returns) reads the file
with python-calamine, completed by ``container``'s scan of the sheet XML for what calamine does not
say (percent number formats, error values, formulas, the extent openpyxl would report).
``OpenpyxlBook`` wraps an openpyxl workbook, e.g. one a test edits in memory; its cells are decoded
by ``cells.cell_value``. ``as_book`` accepts either.

A ``Cell`` is read-only: ``content`` (what ``cell_value`` gives: ``_xHHHH_`` decoded, line ends as
``\\n``, a percent-formatted number as its text ``95%``), ``row``, ``column`` and ``coordinate``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from reportgen.cells import cell_value

_MAX_INT_FLOAT = 2 ** 53  # calamine gives every number as a float; openpyxl gives whole ones as int


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """``"A"`` -> 1, ``"AB"`` -> 28: the inverse of :func:`column_letter` (the XML pre-scan has a bytes
    twin in ``container``, kept apart because it runs for every cell)."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


_CELL = re.compile(r"([A-Z]+)([0-9]+)")


def cell_position(coordinate: str) -> tuple[int, int] | None:
    """``B12`` -> (row 12, column 2); None for anything else (a range, a 第N行 place)."""
    match = _CELL.fullmatch(coordinate)
    return (int(match.group(2)), column_number(match.group(1))) if match else None


def _bounds(text: str) -> tuple[int, int, int, int]:
    """``A3:B5`` -> (top row, left column, bottom row, right column)."""
    first, _, last = text.partition(":")
    (r1, c1), (r2, c2) = (cell_position(x) for x in (first, last or first))  # type: ignore[misc]
    return r1, c1, r2, c2


class Cell:
    __slots__ = ("content", "row", "column")

    def __init__(self, content: Any, row: int, column: int):
        self.content, self.row, self.column = content, row, column

    @property
    def coordinate(self) -> str:
        return f"{column_letter(self.column)}{self.row}"


class Sheet:
    """A rectangle of cells numbered from 1, as openpyxl numbers them; ``max_row`` as openpyxl
    reports it (the last row with any cell element, formatted blanks included)."""

    def __init__(self, max_row: int, max_column: int, content: Callable[[int, int], Any],
                 formulas: bool = True, merged: Iterable[str] = ()):
        self.max_row, self.max_column = max_row, max_column
        self._content = content
        self.may_hold_formulas = formulas  # False only when the sheet is known to have none
        self._merged = [(_bounds(text), text) for text in merged]

    def merged_range(self, row: int, column: int) -> str | None:
        """The merged range (``A3:A5``) that covers this cell without starting at it: the cell shows
        the range's value but holds nothing itself."""
        for (top, left, bottom, right), text in self._merged:
            if top <= row <= bottom and left <= column <= right and (row, column) != (top, left):
                return text
        return None

    def cell(self, row: int, column: int) -> Cell:
        return Cell(self._content(row, column), row, column)

    def rows(self, min_row: int = 1, max_row: int | None = None, min_col: int = 1,
             max_col: int | None = None) -> Iterator[list[Cell]]:
        last_row = self.max_row if max_row is None else max_row
        last_col = self.max_column if max_col is None else max_col
        content, columns = self._content, range(min_col, last_col + 1)
        for r in range(min_row, last_row + 1):
            yield [Cell(content(r, c), r, c) for c in columns]


class Book:
    sheetnames: list[str]

    def __getitem__(self, name: str) -> Sheet:
        raise NotImplementedError


# --- openpyxl ---------------------------------------------------------------------------------


class OpenpyxlBook(Book):
    """An openpyxl workbook (opened with ``data_only=True``), read live: edits show up."""

    def __init__(self, wb: Any):
        self.wb = wb
        self.sheetnames = list(wb.sheetnames)

    def __getitem__(self, name: str) -> Sheet:
        ws = self.wb[name]
        merged = [str(r) for r in getattr(ws, "merged_cells", None) and ws.merged_cells.ranges or ()]
        return Sheet(ws.max_row, ws.max_column, lambda r, c: cell_value(ws.cell(row=r, column=c)), merged=merged)


def as_book(wb: Any) -> Book:
    return wb if isinstance(wb, Book) else OpenpyxlBook(wb)


# --- calamine ---------------------------------------------------------------------------------

_SURROGATE_ESCAPE = re.compile(r"_x([dD][89a-fA-F][0-9A-Fa-f]{2})_")


def calamine_content(value: Any, percent: bool) -> Any:
    """A calamine value as ``cell_value`` reads the same cell through openpyxl.

    calamine already decodes ``_xHHHH_`` escapes, except UTF-16 surrogate halves (an astral
    character written as two escapes), which are decoded here; empty cells are ``''`` (-> None);
    numbers are floats (whole ones -> int, as openpyxl reads them); dates are ``date`` (-> a
    midnight ``datetime``, as openpyxl)."""
    if isinstance(value, str):
        if not value:
            return None
        if "_x" in value and _SURROGATE_ESCAPE.search(value):
            value = _SURROGATE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
            try:
                value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
            except UnicodeDecodeError:
                pass  # a lone half: text_problem reports it
        return value.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _MAX_INT_FLOAT:
            value = int(value)
        if percent:
            return _percent_text(value)
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return _percent_text(value) if percent else value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def _percent_text(value: int | float) -> str:
    text = f"{Decimal(repr(value)) * 100:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


class CalamineBook(Book):
    """Sheets parsed by calamine on first use; ``scans`` (sheet name -> ``container.SheetScan``)
    hold what the XML says beyond values. ``fallback`` opens a sheet through openpyxl instead, for
    a sheet too sparse to hold as calamine's dense rectangle."""

    def __init__(self, workbook: Any, scans: dict[str, Any], fallback: Callable[[str], Sheet],
                 unreadable: Callable[[Exception], Exception]):
        self._wb = workbook
        self._unreadable = unreadable
        self._scans = scans
        self._fallback = fallback
        self.sheetnames = list(workbook.sheet_names)
        self._sheets: dict[str, Sheet] = {}

    def __getitem__(self, name: str) -> Sheet:
        if name not in self._sheets:
            try:
                self._sheets[name] = self._open(name)
            except Exception as exc:
                if exc.__class__.__module__.startswith("reportgen"):
                    raise
                raise self._unreadable(exc) from exc
        return self._sheets[name]

    def _open(self, name: str) -> Sheet:
        scan = self._scans.get(name)
        if scan is None or not scan.dense_ok:
            return self._fallback(name)
        if scan.max_row > scan.row_limit:  # the reader refuses it by its max_row and reads nothing
            return Sheet(scan.max_row, scan.max_column, lambda r, c: None, scan.formulas)
        # from A1: the empty rows and columns before the first value are in the grid (its ``start`` is not
        # an offset to apply, as ``importer.sources`` reads it too)
        grid = self._wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        percent, errors = scan.percent, scan.errors

        def content(row: int, column: int) -> Any:
            coord = (row, column)
            if coord in errors:
                return errors[coord]
            r, c = row - 1, column - 1
            if r >= len(grid) or c >= len(grid[r]):
                return None
            return calamine_content(grid[r][c], coord in percent)

        height = max(scan.max_row, len(grid))
        width = max(scan.max_column, max((len(r) for r in grid), default=0))
        return Sheet(max(height, 1), max(width, 1), content, scan.formulas, scan.merged)
