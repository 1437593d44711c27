"""Where each imported figure came from: a note on its cell and the workbook's 来源 sheet.

Contract: :func:`sources_sheet` returns the ``extra`` hook for ``workbook.blank.write_workbook``
that adds the 来源 sheet (序号, 位置, 字段, 导入值, 来源, 说明, 字段路径: one row per imported cell,
the cell as written); :func:`note` is the text of the cell's comment. The reader never reads the 来源
sheet (``schema.SOURCES_SHEET``) nor comments. :func:`read_sources` reads the sheet back (by its
header) and :func:`describe` tells ``check`` which amounts were imported, which changed since, and
which were typed — a cell is matched by its field path (``income[0].general_budget``) and must
still hold the imported value to count as imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from reportgen.cells import label_key, parse_number
from reportgen.model.records import records
from reportgen.model.relations import money_fields
from reportgen.render.filters import wan
from reportgen.workbook.book import Book
from reportgen.workbook.schema import SOURCES_SHEET

if TYPE_CHECKING:
    from reportgen.workbook.xlsx import Writer

HEADERS = ("序号", "位置", "字段", "导入值（万元）", "来源", "说明", "字段路径")
# the first six print one landscape A4 page wide at 84 % (long texts wrap onto two lines);
# 字段路径 is for reading the sheet back, not printed
_WIDTHS = (6, 12, 26, 12, 50, 20, 28)
_PRINTED = 6
_WRAPPED = (3, 5, 6)  # 字段, 来源, 说明 (1-based columns)


@dataclass(frozen=True)
class SourceEntry:
    path: str  # income[0].general_budget
    label: str  # 局机关 一般公共预算财政拨款
    value: Any  # as written (Decimal 万元, or text)
    source: str  # 公开01表 收入支出决算总表“一般公共预算财政拨款收入”金额（a.xlsx 总表!C7）
    note: str = ""  # derived, summed over units, the clerk's value kept …
    place: str = ""  # the cell when read back (收入!C2)


def note(entry: SourceEntry) -> str:
    shown = wan(entry.value) if isinstance(entry.value, Decimal) else str(entry.value)
    text = f"导入（reportgen）：{shown}\n来源：{entry.source}"
    return f"{text}\n{entry.note}" if entry.note else text


def sources_sheet(entries: list[SourceEntry]) -> Callable[[Writer, dict[str, str]], None]:
    """The hook adding the 来源 sheet to a workbook being written (cells from ``places``)."""

    def add(wb: Writer, places: dict[str, str]) -> None:
        from reportgen.workbook import printing
        from reportgen.workbook.blank import HEADER
        from reportgen.workbook.xlsx import Style

        ws = wb.sheet(SOURCES_SHEET)
        ws.append(list(HEADERS), HEADER)
        for n, e in enumerate(entries, start=1):
            value = e.value if isinstance(e.value, Decimal | int) else str(e.value)
            row = [n, places.get(e.path, ""), e.label, value, e.source, e.note, e.path]
            for col, item in enumerate(row, start=1):
                ws.put(n + 1, col, item, Style(wrap=col in _WRAPPED, valign="top",
                                               number_format="#,##0.00" if col == 4 else None))
            ws.fit_row(n + 1, [(row[col - 1], _WIDTHS[col - 1]) for col in _WRAPPED])
        for col, width in enumerate(_WIDTHS, start=1):
            ws.width(col, width)
        ws.freeze(2, 1)
        ws.print_area(len(entries) + 1, _PRINTED)
        # A4, margins, sheet name and page numbers as on every other sheet
        ws.print_plan(printing.plan(_WIDTHS[:_PRINTED]))

    return add


def read_sources(book: Book) -> list[SourceEntry]:
    """The 来源 sheet's rows (none when the workbook has no such sheet or it is not ours)."""
    if SOURCES_SHEET not in book.sheetnames:
        return []
    ws = book[SOURCES_SHEET]
    rows = list(ws.rows(max_row=min(ws.max_row, 20_000)))
    if not rows:
        return []
    columns = {label_key(c.content): c.column - 1 for c in rows[0] if c.content is not None}
    if not all(label_key(h) in columns for h in ("位置", "导入值（万元）", "字段路径")):
        return []

    def get(row: list[Any], header: str) -> Any:
        index = columns.get(label_key(header))
        return row[index].content if index is not None and index < len(row) else None

    found = []
    for row in rows[1:]:
        path = get(row, "字段路径")
        if not isinstance(path, str) or not path:
            continue
        value = get(row, "导入值（万元）")
        number, problem = parse_number(value, "decimal", allow_negative=True) if value is not None else (None, "")
        found.append(SourceEntry(path, str(get(row, "字段") or ""), number if problem is None else value,
                                 str(get(row, "来源") or ""), str(get(row, "说明") or ""), str(get(row, "位置") or "")))
    return found


def describe(report: Any, refs: dict[str, Any], entries: list[SourceEntry], most: int = 8) -> list[str]:
    """``check``'s account of a workbook's amounts: imported (and still so), changed since, typed."""
    recorded = {e.path: e for e in entries}
    imported, changed, typed = [], [], []
    for record in records(report):
        for key, _ in money_fields(record.model):
            value = getattr(record.value, key)
            path = f"{record.path}.{key}"
            if value is None or (path not in recorded and not value):
                continue
            where = str(record.where(refs, key))
            entry = recorded.get(path)
            if entry is None:
                typed.append(where)
            elif isinstance(entry.value, Decimal) and entry.value == value:
                imported.append(where)
            else:
                shown = wan(entry.value) if isinstance(entry.value, Decimal) else entry.value
                changed.append(f"{where}（导入 {shown}，现为 {wan(value)}）")

    def listed(cells: list[str]) -> str:
        head = "、".join(cells[:most])
        return f"{head} 等 {len(cells)} 处" if len(cells) > most else head

    lines = [f"导入的金额：{len(imported)} 处（来源见“{SOURCES_SHEET}”表和单元格批注）"]
    if changed:
        lines.append(f"导入后改动过的金额：{len(changed)} 处：{listed(changed)}")
    lines.append(f"手工填写的金额：{len(typed)} 处" + (f"：{listed(typed)}" if typed else ""))
    return lines


def provenance_extras(entries: list[SourceEntry]) -> dict[str, Any]:
    """``write_workbook``'s ``notes`` (a comment on each imported cell) and ``extra`` (the 来源 sheet)
    for ``entries``."""
    return {"notes": {e.path: note(e) for e in entries}, "extra": sources_sheet(entries)}


def provenance_lines(book: Any, report: Any, refs: dict[str, Any]) -> list[str]:
    """``check``'s account of imported and typed amounts, for an opened workbook (``open_workbook``)
    with a 来源 sheet (else none). Read with calamine only: ``check`` does not load openpyxl."""
    entries = read_sources(book)
    return describe(report, refs, entries) if entries else []
