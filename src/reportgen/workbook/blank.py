"""Schema -> workbook: the blank one for ``reportgen init`` and, given values, the filled example.

Plain features only (no macros, no external links, no formulas: every value goes through
``xlsx.Sheet.put``, so a text beginning with ``=`` stays text) so it opens cleanly in WPS and
Excel: dropdowns via data validation, input hints, number formats, frozen headers, widths, and a
print setup on every sheet (``printing``: A4 with margins at a readable size — a wide table over
several pages with its row names repeated —, header row on every page, sheet name and page number
in the header and footer) so that the printed workbook is as usable as the one on screen.

``notes`` (keyed like the reader's paths, ``income[0].general_budget``) become cell comments, e.g.
where an imported figure came from; ``extra`` is called with the open workbook and the cell of
every written path (``收入!C2``) before saving, to add a sheet the reader does not read (来源).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportgen.plausibility import describe
from reportgen.workbook import printing
from reportgen.workbook.schema import (
    INSTRUCTIONS_SHEET,
    META_SHEET,
    Field,
    KeyValueSheet,
    TableSheet,
    WorkbookSchema,
)
from reportgen.workbook.writing import ToRevise
from reportgen.workbook.xlsx import DATE_FORMAT, Sheet, Style, Writer, cell_name

# Input cells: a clear yellow that also shows on a printout for required ones (their label or
# header carries a *), a paler yellow with a dotted border for optional ones. Labels, headers and
# explanations are white or blue: nothing to type there.
REQUIRED_RGB = "FFFF99"
OPTIONAL_RGB = "FFFFCC"
REVISE_RGB = "F8CBAD"  # orange: carried from last year, to be revised
REVISE_NOTE = "橙色单元格是从上年填报表转入的值（如绩效指标的年度指标值），请按本年度的绩效目标修改或确认。"
COLOUR_NOTE = ("黄色单元格为必填项（项目名或表头带 *）；浅黄色、虚线边框的单元格为选填项，没有可留空；"
               "白色和蓝色单元格是项目名、表头和说明，不要填写。")
_LINE, _DOTS = "A6A6A6", "808080"  # the grey of a thin border, of a dotted one
# the look of every header cell reportgen writes: bold, blue, bordered
HEADER = Style(bold=True, fill="DDEBF7", border="thin", border_color=_LINE)
_TABLE_HEADER = HEADER.but(wrap=True, halign="center", valign="center")
_LABEL = Style(wrap=True, valign="top", border="thin", border_color=_LINE)
_WRAP = Style(wrap=True, valign="top")

_NUMBER_FORMATS = {"money": "#,##0.00", "decimal": "0.00##", "int": "0", "date": DATE_FORMAT}


def _label(spec: Field) -> str:
    return f"{spec.label} *" if spec.required else spec.label


def _hint(spec: Field) -> str:
    parts = [spec.help] if spec.help else []
    if spec.kind == "money":
        parts.append("金额，万元，两位小数")
    elif spec.kind == "int":
        parts.append("整数")
    elif spec.kind == "date":
        parts.append("日期")
    if spec.choices:
        parts.append("从下拉列表选择")
    parts.append("必填" if spec.required else "选填")
    return "；".join(parts)


def _validation(spec: Field) -> dict[str, Any]:
    """The data validation of ``spec``'s input cells: a dropdown, a number's range, and the hint shown
    when a cell is selected (XlsxWriter's options)."""
    if spec.choices:
        options: dict[str, Any] = {"validate": "list", "source": list(spec.choices),
                                   "error_message": f"请从下拉列表中选择：{'/'.join(spec.choices)}"[:255],
                                   "error_title": "输入无效"}
        if spec.other_values_ok:
            options["error_type"] = "information"  # Excel/WPS only remind; the reader judges the value
    elif spec.kind in ("money", "decimal") and not spec.allow_negative:
        options = {"validate": "decimal", "criteria": ">=", "value": 0, "error_message": "请输入不小于 0 的数字"}
    elif spec.kind == "int" and spec.bounds:
        low, high = spec.bounds
        options = {"validate": "integer", "criteria": "between", "minimum": low, "maximum": high,
                   "error_message": f"请输入 {low} 到 {high} 之间的整数"}
    elif spec.kind == "int":
        options = {"validate": "integer", "criteria": ">=", "value": 0, "error_message": "请输入整数"}
    else:
        options = {"validate": "any"}
    return {**options, "ignore_blank": True, "input_title": spec.label[:32], "input_message": _hint(spec)[:255]}


def _cell_value(spec: Field, value: Any) -> Any:
    if isinstance(value, ToRevise):
        value = value.value
    if value is None:
        return None
    if spec.kind == "list":
        return "、".join(value)
    if spec.kind == "yesno" and isinstance(value, bool):
        return "是" if value else "否"
    return value


def _input_style(spec: Field, value: Any) -> Style:
    """An input cell's look: yellow (required) or pale yellow and dotted (optional), orange when it holds
    last year's value to revise (:class:`ToRevise`), with the number format of its kind."""
    return _input_look(spec.required, spec.kind, isinstance(value, ToRevise))


@functools.cache
def _input_look(required: bool, kind: str, revise: bool) -> Style:
    fill = REVISE_RGB if revise else REQUIRED_RGB if required else OPTIONAL_RGB
    return Style(fill=fill, border="thin" if required else "dotted", border_color=_LINE if required else _DOTS,
                 wrap=True, valign="top", number_format=_NUMBER_FORMATS.get(kind))


def _put_input(ws: Sheet, row: int, column: int, spec: Field, value: Any, notes: _Notes | None, path: str | None) -> Any:
    """Write one input cell: its value, look, the comment of a value to revise, and its note; returns the
    value as written."""
    written = _cell_value(spec, value)
    ws.put(row, column, written, _input_style(spec, value))
    if notes is not None and path is not None:
        notes.written(ws, row, column, path)
    if isinstance(value, ToRevise):  # its comment in place of a note's
        ws.comment(row, column, value.note, 220, 60)
    return written


_KV_COLUMNS = (("项目", 22), ("填写值", 22), ("填写说明", 28))  # side by side within portrait A4 at full size
_MAX_TABLE_WIDTH = 30  # long-text columns wrap rather than stretch the printed page
_NUMBER_WIDTH = 12  # 9,999,999.99 (万元: a thousand 亿元), commas and point narrower than digits


def _print_setup(ws: Sheet, widths: list[float], title_row: bool = True, repeat: int = 1,
                 keys: list[str] | None = None) -> None:
    """A4 with margins, readable (``printing.plan``): portrait or landscape one page wide, or a wide
    table over several pages with its first ``repeat`` columns on each; the header row on every page,
    sheet name at the top and page number at the bottom."""
    ws.print_plan(printing.plan(widths, repeat=repeat, keys=keys), title_row=title_row)


class _Notes:
    """Comments to attach (path -> text) and the cells written (path -> ``sheet!cell``)."""

    def __init__(self, notes: dict[str, str] | None):
        self.notes = notes or {}
        self.places: dict[str, str] = {}

    def written(self, ws: Sheet, row: int, column: int, path: str) -> None:
        self.places[path] = f"{ws.name}!{cell_name(row, column)}"
        if (text := self.notes.get(path)) is not None:
            ws.comment(row, column, text, 320, 40 + 18 * (1 + len(text) // 24))


def _key_value_sheet(wb: Writer, sheet: KeyValueSheet, values: dict[str, Any] | None,
                     notes: _Notes | None = None) -> None:
    ws = wb.sheet(sheet.name)
    for col, (title, width) in enumerate(_KV_COLUMNS, start=1):
        ws.put(1, col, title, HEADER)
        ws.width(col, width)
    widths = [width for _, width in _KV_COLUMNS]
    for row, spec in enumerate(sheet.fields, start=2):
        label, hint = _label(spec), _hint(spec)
        ws.put(row, 1, label, _LABEL)
        written = _put_input(ws, row, 2, spec, (values or {}).get(spec.key), notes, f"{sheet.key}.{spec.key}")
        ws.validation(row, 2, row, _validation(spec))
        ws.put(row, 3, hint, _LABEL)
        ws.fit_row(row, list(zip((label, written, hint), widths, strict=True)))
    ws.freeze(2, 1)
    _print_setup(ws, list(widths))


def _column_width(sheet: TableSheet, spec: Field, header: str) -> float:
    """The header may wrap onto up to three lines; the column is as wide as its values need (a number
    fits in 14), long text wraps within 30 unless the sheet has only a few columns."""
    cap = _NUMBER_WIDTH if spec.kind in ("money", "decimal", "int") else _MAX_TABLE_WIDTH
    return max(min(spec.width, cap) if len(sheet.columns) > 3 else spec.width,
               math.ceil(printing.text_width(header) / 3) + 2, 8)


def _repeated(sheet: TableSheet) -> int:
    """How many leading columns a page of the printed sheet repeats: through the row's name."""
    keys = [c.key for c in sheet.columns]
    return keys.index(sheet.print_through) + 1 if sheet.print_through in keys else 1


def _table_sheet(wb: Writer, sheet: TableSheet, rows: list[dict[str, Any]] | None,
                 notes: _Notes | None = None) -> None:
    ws = wb.sheet(sheet.name)
    rows = list(rows or [])
    if not rows and sheet.fixed_rows:
        rows = [{sheet.columns[0].key: label} for label in sheet.fixed_rows]
    last_row = 1 + max(sheet.blank_rows, len(rows))
    headers = [_label(spec) for spec in sheet.columns]
    widths = printing.fit_longtext([_column_width(sheet, spec, h) for spec, h in zip(sheet.columns, headers, strict=True)],
                                   [spec.kind == "longtext" for spec in sheet.columns])
    header_lines = 1
    written: list[list[Any]] = [[] for _ in rows]
    for col, (spec, width) in enumerate(zip(sheet.columns, widths, strict=True), start=1):
        ws.put(1, col, headers[col - 1], _TABLE_HEADER)
        header_lines = max(header_lines, printing.lines(headers[col - 1], width))
        ws.width(col, width)
        for i, record in enumerate(rows):
            written[i].append(_put_input(ws, i + 2, col, spec, record.get(spec.key), notes, f"{sheet.key}[{i}].{spec.key}"))
        ws.blanks(len(rows) + 2, last_row, col, _input_style(spec, None))  # the rows left to fill in
        ws.validation(2, col, last_row, _validation(spec))
    ws.height(1, max(2, header_lines) * printing.LINE_PT + 2)
    for i, values in enumerate(written):
        ws.fit_row(i + 2, list(zip(values, widths, strict=True)))
    repeat = _repeated(sheet)
    ws.freeze(2, repeat + 1)
    _print_setup(ws, widths, repeat=repeat, keys=[spec.group for spec in sheet.columns])


def _instructions(wb: Writer, schema: WorkbookSchema, title: str, revising: bool = False) -> None:
    ws = wb.sheet(INSTRUCTIONS_SHEET)
    widths = (14, 58)  # portrait A4 at full size
    ws.width(1, widths[0])
    ws.width(2, widths[1])
    ws.put(1, 1, title, Style(bold=True, size=14))
    lines = [
        ("使用方法", "按工作表顺序填写黄色单元格，保存后交财政局（或上传到财政局给本单位的网页）。程序会检查各表的数字"
                     "是否前后一致，指出有问题的单元格，全部无误后生成自评报告、评分表等文档。"),
        ("自己检查和生成", "电脑上装有本程序的，可在命令行中运行下面第一行检查本表，第二行生成文档：\n"
                           "reportgen check 填报表.xlsx\nreportgen build 填报表.xlsx -o 输出文件夹"),
        ("颜色", COLOUR_NOTE + (REVISE_NOTE if revising else "")),
        ("金额单位", "所有金额均以“万元”为单位，最多两位小数（由元换算时请先四舍五入到分，如 2836283.89 元填 283.63）；"
                     "多于两位小数的金额视为错误。"),
        ("金额检查", describe()),
        ("计算项", "合计、占比、执行率、控制率、得分等均由程序根据填写的数字计算，表中不需要、也不应填写。"),
        ("注意", "请勿修改工作表名称和表头文字；可以插入行、调整列的顺序。带 * 的为必填项。"),
    ]
    lines += [(s.name, s.help) for s in schema.sheets]
    for row, (name, text) in enumerate(lines, start=3):
        ws.put(row, 1, name, _WRAP.but(bold=True))
        ws.put(row, 2, text, _WRAP)
        ws.fit_row(row, [(name, widths[0]), (text, widths[1])])
    _print_setup(ws, list(widths), title_row=False)


def _revising(values: Any) -> bool:
    """Whether ``values`` hold a value to revise anywhere."""
    if isinstance(values, ToRevise):
        return True
    if isinstance(values, dict):
        return any(_revising(v) for v in values.values())
    if isinstance(values, list):
        return any(_revising(v) for v in values)
    return False


def write_workbook(schema: WorkbookSchema, path: Path, values: dict[str, Any] | None = None, **options: Any) -> None:
    """Write :func:`workbook_data` to ``path`` (not atomically: for tools and tests; commands use
    ``outputs.write_file``)."""
    data = workbook_data(schema, values, **options)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def workbook_data(schema: WorkbookSchema, values: dict[str, Any] | None = None,
                  title: str = "部门整体支出绩效自评 数据填报表", notes: dict[str, str] | None = None,
                  extra: Callable[[Writer, dict[str, str]], None] | None = None) -> bytes:
    """The workbook for ``schema`` as the bytes of an .xlsx file; with ``values`` (same shape the reader
    returns) filled in, ``notes`` as comments and ``extra`` run before it is finished (see the module doc)."""
    wb = Writer()
    _instructions(wb, schema, title, revising=_revising(values))
    noted = _Notes(notes) if notes is not None or extra is not None else None
    for sheet in schema.sheets:
        data = (values or {}).get(sheet.key)
        if isinstance(sheet, KeyValueSheet):
            _key_value_sheet(wb, sheet, data, noted)
        else:
            _table_sheet(wb, sheet, data, noted)
    meta = wb.sheet(META_SHEET)
    meta.append(["format", schema.format_id])
    if schema.format_folder:  # a local folder: remembered to name it in messages, never loaded from here
        meta.append(["format_folder", schema.format_folder])
    meta.append(["schema_version", schema.version])
    meta.hide()
    if extra is not None and noted is not None:
        extra(wb, noted.places)
    return wb.data()
