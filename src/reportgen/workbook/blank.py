"""Schema -> workbook: the blank one for ``reportgen init`` and, given values, the filled example.

Plain features only (no macros, no external links, no formulas: every value goes through
``writing.put``, so a text beginning with ``=`` stays text) so it opens cleanly in WPS and
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
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

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
from reportgen.workbook.writing import ToRevise, append, put

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
# Input cells: a clear yellow that also shows on a printout for required ones (their label or
# header carries a *), a paler yellow with a dotted border for optional ones. Labels, headers and
# explanations are white or blue: nothing to type there.
REQUIRED_RGB = "FFFF99"
OPTIONAL_RGB = "FFFFCC"
_REQUIRED_FILL = PatternFill("solid", fgColor=REQUIRED_RGB)
_OPTIONAL_FILL = PatternFill("solid", fgColor=OPTIONAL_RGB)
REVISE_RGB = "F8CBAD"  # orange: carried from last year, to be revised
_REVISE_FILL = PatternFill("solid", fgColor=REVISE_RGB)
REVISE_NOTE = "橙色单元格是从上年填报表转入的值（如绩效指标的年度指标值），请按本年度的绩效目标修改或确认。"
COLOUR_NOTE = ("黄色单元格为必填项（项目名或表头带 *）；浅黄色、虚线边框的单元格为选填项，没有可留空；"
               "白色和蓝色单元格是项目名、表头和说明，不要填写。")
_BOLD = Font(name="Calibri", bold=True)  # named: a bold font without a name prints in a serif stand-in
_THIN = Side(style="thin", color="A6A6A6")
_DOTTED = Side(style="dotted", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_DOTTED_BORDER = Border(left=_DOTTED, right=_DOTTED, top=_DOTTED, bottom=_DOTTED)
_WRAP = Alignment(wrap_text=True, vertical="top")

_NUMBER_FORMATS = {"money": "#,##0.00", "decimal": "0.00##", "int": "0", "date": "yyyy-mm-dd"}


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


def _validation(ws, spec: Field, cells: str) -> None:
    if spec.choices:
        dv = DataValidation(type="list", formula1='"' + ",".join(spec.choices) + '"', allow_blank=True)
        dv.error = f"请从下拉列表中选择：{'/'.join(spec.choices)}"
        dv.errorTitle = "输入无效"
        dv.showErrorMessage = True
        if spec.other_values_ok:
            dv.errorStyle = "information"  # Excel/WPS only remind; the reader judges the value
    elif spec.kind in ("money", "decimal") and not spec.allow_negative:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "请输入不小于 0 的数字"
        dv.showErrorMessage = True
    elif spec.kind == "int" and spec.bounds:
        low, high = spec.bounds
        dv = DataValidation(type="whole", operator="between", formula1=str(low), formula2=str(high),
                            allow_blank=True)
        dv.error = f"请输入 {low} 到 {high} 之间的整数"
        dv.showErrorMessage = True
    elif spec.kind == "int":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        dv.error = "请输入整数"
        dv.showErrorMessage = True
    else:
        dv = DataValidation(allow_blank=True)
    dv.promptTitle = spec.label[:32]
    dv.prompt = _hint(spec)[:255]
    dv.showInputMessage = True
    ws.add_data_validation(dv)
    dv.add(cells)


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


def _revise(cell, value: Any) -> None:
    """Mark a cell holding last year's value to revise: orange, with a comment saying so."""
    if isinstance(value, ToRevise):
        cell.fill = _REVISE_FILL
        comment = Comment(value.note, "reportgen")
        comment.width, comment.height = 220, 60
        cell.comment = comment


def _style_input(cell, spec: Field) -> None:
    cell.fill = _REQUIRED_FILL if spec.required else _OPTIONAL_FILL
    cell.border = _BORDER if spec.required else _DOTTED_BORDER
    cell.alignment = _WRAP
    if spec.kind in _NUMBER_FORMATS:
        cell.number_format = _NUMBER_FORMATS[spec.kind]


def header_style(cell) -> None:
    """The look of every header cell reportgen writes: bold (a named font), blue, bordered."""
    cell.font, cell.fill, cell.border = _BOLD, _HEADER_FILL, _BORDER


def _header_style(cell) -> None:
    header_style(cell)
    cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")


def _label_style(cell) -> None:
    cell.alignment, cell.border = _WRAP, _BORDER


class _Styles:
    """Each named style set on one cell of the workbook and copied to the others: openpyxl hashes
    every style object on every set (a national blank workbook sets thousands)."""

    def __init__(self) -> None:
        self._arrays: dict[Any, Any] = {}

    def apply(self, cell, key: Any, setter: Callable[[Any], None]) -> None:
        if (array := self._arrays.get(key)) is None:
            setter(cell)
            self._arrays[key] = copy(cell._style)
        else:
            cell._style = copy(array)  # a copy: marking one cell (_revise) must not mark the others

    def input(self, cell, spec: Field) -> None:
        self.inputs([cell], spec)

    def inputs(self, cells: list[Any], spec: Field) -> None:
        """The input style of ``spec`` on each of ``cells`` (a column: its key and setter made once)."""
        key = ("input", spec.required, spec.kind)
        setter = functools.partial(_style_input, spec=spec)
        for cell in cells:
            self.apply(cell, key, setter)


_KV_COLUMNS = (("项目", 22), ("填写值", 22), ("填写说明", 28))  # side by side within portrait A4 at full size
_MAX_TABLE_WIDTH = 30  # long-text columns wrap rather than stretch the printed page
_NUMBER_WIDTH = 12  # 9,999,999.99 (万元: a thousand 亿元), commas and point narrower than digits


def _print_setup(ws, widths: list[float], title_rows: str | None = "1:1", repeat: int = 1,
                 keys: list[str] | None = None) -> None:
    """A4 with margins, readable (``printing.plan``): portrait or landscape one page wide, or a wide
    table over several pages with its first ``repeat`` columns on each; the header row on every page,
    sheet name at the top and page number at the bottom."""
    printing.apply(ws, printing.plan(widths, repeat=repeat, keys=keys), title_rows=title_rows)


class _Notes:
    """Comments to attach (path -> text) and the cells written (path -> ``sheet!cell``)."""

    def __init__(self, notes: dict[str, str] | None):
        self.notes = notes or {}
        self.places: dict[str, str] = {}

    def written(self, cell, sheet: str, path: str) -> None:
        self.places[path] = f"{sheet}!{cell.coordinate}"
        if (text := self.notes.get(path)) is not None:
            comment = Comment(text, "reportgen")
            comment.width, comment.height = 320, 40 + 18 * (1 + len(text) // 24)
            cell.comment = comment


def _key_value_sheet(wb: Workbook, sheet: KeyValueSheet, values: dict[str, Any] | None,
                     styles: _Styles, notes: _Notes | None = None) -> None:
    ws = wb.create_sheet(sheet.name)
    for col, (title, width) in enumerate(_KV_COLUMNS, start=1):
        cell = put(ws, 1, col, title)
        styles.apply(cell, "kv header", header_style)
        ws.column_dimensions[get_column_letter(col)].width = width
    widths = [width for _, width in _KV_COLUMNS]
    for row, spec in enumerate(sheet.fields, start=2):
        label = put(ws, row, 1, _label(spec))
        styles.apply(label, "label", _label_style)
        value = (values or {}).get(spec.key)
        value_cell = put(ws, row, 2, _cell_value(spec, value))
        if notes is not None:
            notes.written(value_cell, sheet.name, f"{sheet.key}.{spec.key}")
        styles.input(value_cell, spec)
        _revise(value_cell, value)
        _validation(ws, spec, value_cell.coordinate)
        hint = put(ws, row, 3, _hint(spec))
        styles.apply(hint, "label", _label_style)
        printing.fit_row(ws, row, list(zip((label.value, value_cell.value, hint.value), widths, strict=True)))
    ws.freeze_panes = "A2"
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


def _table_sheet(wb: Workbook, sheet: TableSheet, rows: list[dict[str, Any]] | None,
                 styles: _Styles, notes: _Notes | None = None) -> None:
    ws = wb.create_sheet(sheet.name)
    rows = list(rows or [])
    if not rows and sheet.fixed_rows:
        rows = [{sheet.columns[0].key: label} for label in sheet.fixed_rows]
    last_row = 1 + max(sheet.blank_rows, len(rows))
    headers = [_label(spec) for spec in sheet.columns]
    widths = printing.fit_longtext([_column_width(sheet, spec, h) for spec, h in zip(sheet.columns, headers, strict=True)],
                                   [spec.kind == "longtext" for spec in sheet.columns])
    header_lines = 1
    for col, (spec, width) in enumerate(zip(sheet.columns, widths, strict=True), start=1):
        letter = get_column_letter(col)
        header = put(ws, 1, col, headers[col - 1])
        styles.apply(header, "header", _header_style)
        header_lines = max(header_lines, printing.lines(header.value, width))
        ws.column_dimensions[letter].width = width
        cells = []
        for row in range(2, last_row + 1):
            value = rows[row - 2].get(spec.key) if row - 2 < len(rows) else None
            cell = put(ws, row, col, _cell_value(spec, value))
            if notes is not None and row - 2 < len(rows):
                notes.written(cell, sheet.name, f"{sheet.key}[{row - 2}].{spec.key}")
            cells.append(cell)
        styles.inputs(cells, spec)
        for row, record in enumerate(rows):  # after styling: a value to revise turns its cell orange
            _revise(cells[row], record.get(spec.key))
        _validation(ws, spec, f"{letter}2:{letter}{last_row}")
    ws.row_dimensions[1].height = max(2, header_lines) * printing.LINE_PT + 2
    for row in range(2, len(rows) + 2):
        printing.fit_row(ws, row, [(ws.cell(row=row, column=col).value, width)
                            for col, width in enumerate(widths, start=1)])
    repeat = _repeated(sheet)
    ws.freeze_panes = f"{get_column_letter(repeat + 1)}2"
    _print_setup(ws, widths, repeat=repeat, keys=[spec.group for spec in sheet.columns])


def _instructions(wb: Workbook, schema: WorkbookSchema, title: str, revising: bool = False) -> None:
    ws = wb.active
    ws.title = INSTRUCTIONS_SHEET
    widths = (14, 58)  # portrait A4 at full size
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = widths
    put(ws, 1, 1, title)
    ws["A1"].font = Font(name="Calibri", bold=True, size=14)
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
        label = put(ws, row, 1, name)
        label.font, label.alignment = _BOLD, _WRAP
        put(ws, row, 2, text).alignment = _WRAP
        printing.fit_row(ws, row, [(name, widths[0]), (text, widths[1])])
    _print_setup(ws, list(widths), title_rows=None)


def _revising(values: Any) -> bool:
    """Whether ``values`` hold a value to revise anywhere."""
    if isinstance(values, ToRevise):
        return True
    if isinstance(values, dict):
        return any(_revising(v) for v in values.values())
    if isinstance(values, list):
        return any(_revising(v) for v in values)
    return False


def write_workbook(schema: WorkbookSchema, path: Path, values: dict[str, Any] | None = None,
                   title: str = "部门整体支出绩效自评 数据填报表", notes: dict[str, str] | None = None,
                   extra: Callable[[Workbook, dict[str, str]], None] | None = None) -> None:
    """Write the workbook for ``schema``; with ``values`` (same shape the reader returns) filled in,
    ``notes`` as comments and ``extra`` run before saving (see the module doc)."""
    wb = Workbook()
    _instructions(wb, schema, title, revising=_revising(values))
    noted = _Notes(notes) if notes is not None or extra is not None else None
    styles = _Styles()
    for sheet in schema.sheets:
        data = (values or {}).get(sheet.key)
        if isinstance(sheet, KeyValueSheet):
            _key_value_sheet(wb, sheet, data, styles, noted)
        else:
            _table_sheet(wb, sheet, data, styles, noted)
    meta = wb.create_sheet(META_SHEET)
    append(meta, ["format", schema.format_id])
    if schema.format_folder:  # a local folder: remembered to name it in messages, never loaded from here
        append(meta, ["format_folder", schema.format_folder])
    append(meta, ["schema_version", schema.version])
    meta.sheet_state = "hidden"
    if extra is not None and noted is not None:
        extra(wb, noted.places)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
