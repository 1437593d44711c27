"""The one way reportgen writes an .xlsx file — the blank and filled 填报表 with its 来源 sheet, the
county's 汇总表: XlsxWriter behind a small sheet API, the workbook built in memory.

Contract:

* ``Writer()`` is a workbook being written. ``Writer.sheet(name)`` adds a sheet after the others;
  ``Writer.data()`` finishes the file in memory and returns its bytes (commands hand them to
  ``outputs.write_file``, atomic: a full disk is an ``OSError`` of that one write).
* ``Sheet.put(row, column, value, style)`` writes one cell (1-based). Text is stored as text, whatever
  it begins with: a 单位名称, a narrative, a file name or a finding's message comes from clerks and file
  systems, so ``=HYPERLINK("http://x/","点击")`` reaches the 财政局 as those characters, never as a
  live formula, and ``#N/A`` as text, never as an error value; a character XML 1.0 cannot hold becomes
  U+FFFD (the rest of the text is kept). Numbers (a ``Decimal`` too), dates and logicals are written as
  what they are; ``None`` and ``""`` leave the cell empty, with ``style`` when one is given.
* ``Style`` is a cell's look (font, fill, border, alignment, number format); each distinct one becomes
  one format of the workbook, made when first used.
* The rest is a sheet's setup: column widths, row heights, frozen panes, a data validation over a
  range, a comment, an autofilter, hidden, a print area, and :meth:`Sheet.print_plan`, which writes a
  ``printing.PrintPlan`` as the page setup every sheet reportgen writes has (A4, margins, orientation,
  fit or scale with column breaks and repeated columns, the header row on every page, sheet name at
  the top and page number at the bottom).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.utility import xl_rowcol_to_cell

from reportgen.workbook import printing

REPLACEMENT = "\ufffd"
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")  # control characters XML 1.0 cannot hold (tab, LF, CR can)
DATE_FORMAT = "yyyy-mm-dd"
FONT = "Calibri"  # every cell's font, named: a bold font without a name prints in a serif stand-in


@dataclass(frozen=True)
class Style:
    """A cell's look. Colours are RGB hex (``"DDEBF7"``); ``border`` is ``"thin"`` or ``"dotted"``
    in ``border_color``; ``halign``/``valign`` as Excel names them (``center``, ``top``)."""

    bold: bool = False
    size: int | None = None
    color: str | None = None
    fill: str | None = None
    border: str | None = None
    border_color: str | None = None
    wrap: bool = False
    halign: str | None = None
    valign: str | None = None
    number_format: str | None = None

    def but(self, **changes: Any) -> Style:
        """This style with ``changes``."""
        return replace(self, **changes)


_BORDERS = {"thin": 1, "dotted": 4}
_VALIGN = {"center": "vcenter", "top": "top", "bottom": "bottom"}


def _format_options(style: Style) -> dict[str, Any]:
    options: dict[str, Any] = {"font_name": FONT}
    if style.bold:
        options["bold"] = True
    if style.size:
        options["font_size"] = style.size
    if style.color:
        options["font_color"] = f"#{style.color}"
    if style.fill:
        options["pattern"], options["bg_color"] = 1, f"#{style.fill}"
    if style.border:
        options["border"] = _BORDERS[style.border]
        if style.border_color:
            options["border_color"] = f"#{style.border_color}"
    if style.wrap:
        options["text_wrap"] = True
    if style.halign:
        options["align"] = style.halign
    if style.valign:
        options["valign"] = _VALIGN[style.valign]
    if style.number_format:
        options["num_format"] = style.number_format
    return options


def clean_text(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold replaced by U+FFFD."""
    return _ILLEGAL.sub(REPLACEMENT, text)


def cell_name(row: int, column: int) -> str:
    """``B5`` for row 5, column 2 (1-based)."""
    return xl_rowcol_to_cell(row - 1, column - 1)


class Writer:
    """A workbook being written (see the module doc)."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._book = Workbook(self._buffer, {"in_memory": True, "strings_to_numbers": False,
                                             "strings_to_formulas": False, "strings_to_urls": False})
        self._formats: dict[Style, Any] = {}
        self.sheets: dict[str, Sheet] = {}

    def sheet(self, name: str) -> Sheet:
        sheet = Sheet(self, self._book.add_worksheet(name), name)
        self.sheets[name] = sheet
        return sheet

    def format(self, style: Style | None) -> Any:
        if style is None:
            return None
        if (made := self._formats.get(style)) is None:
            made = self._formats[style] = self._book.add_format(_format_options(style))
        return made

    def data(self) -> bytes:
        self._book.close()
        return self._buffer.getvalue()


class Sheet:
    """One sheet of a :class:`Writer` (rows and columns 1-based)."""

    def __init__(self, writer: Writer, ws: Any, name: str) -> None:
        self._writer, self._ws, self.name = writer, ws, name
        self.max_row = 0

    def put(self, row: int, column: int, value: Any, style: Style | None = None) -> None:
        """Write ``value`` (see the module doc)."""
        ws, fmt, r, c = self._ws, self._writer.format(style), row - 1, column - 1
        self.max_row = max(self.max_row, row)
        if value is None or value == "":  # an empty text is an empty cell, as a spreadsheet stores it
            if fmt is not None:
                ws.write_blank(r, c, None, fmt)
        elif isinstance(value, str):
            ws.write_string(r, c, clean_text(value), fmt)
        elif isinstance(value, bool):
            ws.write_boolean(r, c, value, fmt)
        elif isinstance(value, int | float | Decimal):
            ws.write_number(r, c, float(value) if isinstance(value, Decimal) else value, fmt)
        elif isinstance(value, dt.date):
            date_style = style if style is not None and style.number_format else (style or Style()).but(
                number_format=DATE_FORMAT)
            ws.write_datetime(r, c, value, self._writer.format(date_style))
        else:
            ws.write_string(r, c, clean_text(str(value)), fmt)

    def blanks(self, first_row: int, last_row: int, column: int, style: Style) -> None:
        """Empty cells in ``style``, rows ``first_row`` to ``last_row`` of ``column`` (the rows a clerk fills in)."""
        fmt, write_blank, c = self._writer.format(style), self._ws.write_blank, column - 1
        for r in range(first_row - 1, last_row):
            write_blank(r, c, None, fmt)
        self.max_row = max(self.max_row, last_row)

    def append(self, values: list[Any], style: Style | None = None) -> int:
        """``values`` in the row after the last one written; returns that row."""
        row = self.max_row + 1
        for column, value in enumerate(values, start=1):
            self.put(row, column, value, style)
        self.max_row = row
        return row

    def width(self, column: int, width: float) -> None:
        """``width`` as stored in the file, in Excel's character units (what ``printing`` plans with): to the
        nearest pixel of Calibri 11's 7-pixel digit. XlsxWriter's ``set_column`` would add Excel's 5-pixel
        padding on top, making every column 0.71 wider than planned."""
        self._ws.set_column_pixels(column - 1, column - 1, round(width * 7))

    def height(self, row: int, height: float) -> None:
        self._ws.set_row(row - 1, height)

    def fit_row(self, row: int, cells: list[tuple[Any, float]]) -> None:
        """The height ``row``'s wrapped text needs (``printing.row_height``): neither Excel nor
        LibreOffice works it out when opening."""
        if (height := printing.row_height(cells)) is not None:
            self.height(row, height)

    def freeze(self, row: int, column: int) -> None:
        """Rows above ``row`` and columns left of ``column`` stay on screen (``freeze(2, 1)``: the header row)."""
        self._ws.freeze_panes(row - 1, column - 1)

    def validation(self, first_row: int, column: int, last_row: int, options: dict[str, Any]) -> None:
        """XlsxWriter's ``data_validation`` options over one column's rows."""
        self._ws.data_validation(first_row - 1, column - 1, last_row - 1, column - 1, options)

    def comment(self, row: int, column: int, text: str, width: int, height: int) -> None:
        """A hidden comment by reportgen, ``width`` × ``height`` pixels."""
        self._ws.write_comment(row - 1, column - 1, clean_text(text),
                               {"author": "reportgen", "width": width, "height": height})

    def autofilter(self, last_row: int, last_column: int) -> None:
        self._ws.autofilter(0, 0, last_row - 1, last_column - 1)

    def hide(self) -> None:
        self._ws.hide()

    def print_area(self, last_row: int, last_column: int) -> None:
        self._ws.print_area(0, 0, last_row - 1, last_column - 1)

    def print_plan(self, plan: printing.PrintPlan, title_row: bool = True, header: str = "&A",
                   footer: str = "第 &P 页，共 &N 页", header_size: int | None = None) -> None:
        """Write ``plan`` as the sheet's page setup: A4, margins, orientation, fit or scale, column breaks
        and repeated columns, the first row on every page (``title_row``), ``header``/``footer`` texts
        centred (the header bold at ``header_size`` pt when given: a title)."""
        ws = self._ws
        ws.set_paper(9)  # A4
        if plan.landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.set_margins(left=printing.SIDE_MARGIN, right=printing.SIDE_MARGIN, top=printing.TOP_MARGIN,
                       bottom=printing.BOTTOM_MARGIN)
        if plan.scale is None:
            ws.fit_to_pages(1, 0)
            ws.center_horizontally()
        else:
            ws.set_print_scale(plan.scale)
            if plan.breaks:
                ws.set_v_pagebreaks(list(plan.breaks))
            if plan.repeat:
                ws.repeat_columns(0, plan.repeat - 1)
        if title_row:
            ws.repeat_rows(0)
        font = f'&"-,Bold"&{header_size}' if header_size else ""
        ws.set_header(f"&C{font}{header}", {"margin": printing.HEADER_MARGIN})
        ws.set_footer(f"&C{footer}", {"margin": printing.HEADER_MARGIN})

