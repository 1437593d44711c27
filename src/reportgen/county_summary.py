"""The county's summary workbook ``汇总表.xlsx`` written by ``reportgen batch``.

Contract: :func:`write_summary` writes, atomically (``outputs.write_file``), two printable sheets:

* **问题清单** — the first and active sheet: every finding of every workbook (errors before
  notes, in input order): 序号, 文件, 单位名称, 级别 (错误/提示/审核提示: the reviewer's lint, L1xx),
  位置 (``收入!B2``), 字段, 说明.
  It opens first because it is the 财政局's work list: what to send back to which unit.
* **汇总** — one row per workbook in input order (:data:`SUMMARY_HEADERS`), then a 合计 row:
  money summed and 总分, 预算执行率 averaged over the units built; 错误数, 提示数, 审核提示数 (lint, counted
  apart so a 财政局 sees which units to look at first), 文件数 summed.

Text is stored as text (``workbook.writing``: a 单位名称 or file name beginning with ``=`` is
never a formula). Numbers are stored as numbers, rounded half-up at presentation like the documents: money in
万元 with two decimals (``#,##0.00``), 总分 two decimals (``0.00``), 预算执行率 as a fraction
shown ``0.00%`` (98.34 % is stored as 0.9834). Both sheets: styled, frozen and filterable
header, column widths fitted to the text, landscape A4 fitted to the page width with the header
row repeated on every page and page numbers in the footer.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportgen.batch import Outcome
from reportgen.errors import Finding
from reportgen.render.filters import round_half_up

SUMMARY_SHEET = "汇总"
FINDINGS_SHEET = "问题清单"
WAN = "#,##0.00"
SCORE = "0.00"
PERCENT = "0.00%"

SUMMARY_HEADERS = ["序号", "文件", "单位名称", "格式", "年度", "总分", "等次", "预算执行率",
                   "收入合计（万元）", "支出合计（万元）", "年末结转和结余（万元）", "错误数", "提示数",
                   "审核提示数", "输出文件夹", "文件数", "状态", "备注"]
_SUMMARY_FORMATS = {"总分": SCORE, "预算执行率": PERCENT, "收入合计（万元）": WAN,
                    "支出合计（万元）": WAN, "年末结转和结余（万元）": WAN}
FINDINGS_HEADERS = ["序号", "文件", "单位名称", "级别", "位置", "字段", "说明"]
WHOLE_FILE = "（整个文件）"

_MAX_WIDTH = {"文件": 36, "单位名称": 30, "说明": 70, "备注": 40, "位置": 24, "字段": 24, "输出文件夹": 30}
_HEADER_FILL = "D9E1F2"
_TOTAL_FILL = "F2F2F2"
_RED = "C00000"


def write_summary(path: Path, outcomes: Sequence[Outcome], folder: Path, title: str = "") -> None:
    """Write ``path`` (``汇总表.xlsx``) for ``outcomes`` of workbooks found under ``folder``."""
    from openpyxl import Workbook

    from reportgen.outputs import write_file

    wb = Workbook()
    findings_ws = wb.active
    findings_ws.title = FINDINGS_SHEET
    summary_ws = wb.create_sheet(SUMMARY_SHEET)
    title = title or "部门整体支出绩效自评汇总表"
    _fill_findings(findings_ws, outcomes, folder)
    _fill_summary(summary_ws, outcomes, folder)
    _print_setup(findings_ws, f"{title}——问题清单")
    _print_setup(summary_ws, title)
    wb.active = 0
    write_file(path, lambda tmp: wb.save(tmp))


def relative_name(path: Path, folder: Path) -> str:
    """The workbook as the summary names it: its path inside the input folder, with ``/``."""
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.name


def summary_row(number: int, outcome: Outcome, folder: Path) -> list[Any]:
    r = outcome.result
    built = outcome.built
    rate = round_half_up(r.execution_rate, 2) / 100 if built and r.execution_rate is not None else None
    note = outcome.folder.note if built and outcome.folder else ""
    if r.internal:
        note = "；".join(p for p in (note, "内部错误，见问题清单") if p)
    return [number, relative_name(r.path, folder), r.unit_name, r.format_id, r.year,
            _money(r.total) if built else None, r.grade if built else "", rate,
            *(_money(x) if built else None for x in (r.income_total, r.expenditure_total, r.year_end_balance)),
            len(outcome.errors), len(_notes(outcome)), len(_lint(outcome)),
            outcome.folder.name if built and outcome.folder else "", len(outcome.written) if built else None,
            outcome.status, note]


def totals_row(outcomes: Sequence[Outcome]) -> list[Any]:
    """Sums of money and averages of 总分 and 执行率 over the units built (rounded as shown)."""
    built = [o.result for o in outcomes if o.built]

    def total(name: str) -> Decimal | None:
        values = [_money(getattr(r, name)) for r in built if getattr(r, name) is not None]
        return sum(values, Decimal(0)) if values else None

    def average(name: str) -> Decimal | None:
        values = [getattr(r, name) for r in built if getattr(r, name) is not None]
        return round_half_up(sum(values, Decimal(0)) / len(values), 2) if values else None

    rate = average("execution_rate")
    failed = len(outcomes) - len(built)
    return ["合计", f"共 {len(outcomes)} 个填报表", "", "", None,
            average("total"), "", rate / 100 if rate is not None else None,
            total("income_total"), total("expenditure_total"), total("year_end_balance"),
            sum(len(o.errors) for o in outcomes), sum(len(_notes(o)) for o in outcomes),
            sum(len(_lint(o)) for o in outcomes), "", sum(len(o.written) for o in outcomes), f"已生成 {len(built)} 个，未生成 {failed} 个",
            "金额为已生成单位之和；总分、预算执行率为其平均值"]


def _notes(outcome: Outcome) -> list[Finding]:
    return [f for f in outcome.warnings if not f.is_lint]


def _lint(outcome: Outcome) -> list[Finding]:
    return [f for f in outcome.warnings if f.is_lint]


def finding_rows(outcomes: Sequence[Outcome], folder: Path) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for outcome in outcomes:
        r = outcome.result
        for f in [*outcome.errors, *_notes(outcome), *_lint(outcome)]:
            level = "错误" if f.is_error else "审核提示" if f.is_lint else "提示"
            rows.append([len(rows) + 1, relative_name(r.path, folder), r.unit_name, level, _where(f, r.path), f.field,
                         f.message])
    return rows


def _where(finding: Finding, path: Path) -> str:
    where = finding.where
    if where.file and not where.line and not where.part and Path(where.file) == path:
        return WHOLE_FILE
    return str(where)


def _money(value: Decimal | None) -> Decimal | None:
    return round_half_up(value, 2) if value is not None else None


# ---- sheets -----------------------------------------------------------------------------------


def _fill_summary(ws: Any, outcomes: Sequence[Outcome], folder: Path) -> None:
    from openpyxl.styles import Font, PatternFill

    rows = [summary_row(i, o, folder) for i, o in enumerate(outcomes, start=1)]
    _table(ws, SUMMARY_HEADERS, [*rows, totals_row(outcomes)], _SUMMARY_FORMATS, filter_rows=len(rows))
    status = SUMMARY_HEADERS.index("状态") + 1
    for i, outcome in enumerate(outcomes, start=2):
        if not outcome.built:
            ws.cell(i, status).font = Font(color=_RED, bold=True)
    last = len(rows) + 2
    for cell in ws[last]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_TOTAL_FILL)
    ws.freeze_panes = "D2"  # header row, and 序号/文件/单位名称 while scrolling right


def _fill_findings(ws: Any, outcomes: Sequence[Outcome], folder: Path) -> None:
    from openpyxl.styles import Font

    rows = finding_rows(outcomes, folder)
    if not rows:
        rows = [[None, "", "", "", "", "", f"无：全部 {len(outcomes)} 个填报表均无错误和提示"]]
    _table(ws, FINDINGS_HEADERS, rows, {}, filter_rows=len(rows))
    level = FINDINGS_HEADERS.index("级别") + 1
    for i, row in enumerate(rows, start=2):
        if row[level - 1] == "错误":
            ws.cell(i, level).font = Font(color=_RED, bold=True)
    ws.freeze_panes = "A2"


def _table(ws: Any, headers: list[str], rows: list[list[Any]], formats: dict[str, str], filter_rows: int) -> None:
    """Header and rows with borders, number formats, wrapped long text, fitted column widths."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from reportgen.workbook.writing import append

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    append(ws, headers)
    for row in rows:
        append(ws, row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for col, header in enumerate(headers, start=1):
        number_format = formats.get(header)
        cap = _MAX_WIDTH.get(header, 20)
        width = max([_width(header) + 2, *(_width(row[col - 1]) + 2 for row in rows)])
        ws.column_dimensions[get_column_letter(col)].width = min(max(width, 6), cap)
        for r in range(2, len(rows) + 2):
            cell = ws.cell(r, col)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=width > cap)
            if number_format:
                cell.number_format = number_format
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{filter_rows + 1}"


def _width(value: Any) -> int:
    """Display width in Excel's units: a CJK character counts two."""
    if value is None:
        return 0
    text = f"{value:,.2f}" if isinstance(value, Decimal) else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _print_setup(ws: Any, title: str) -> None:
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddHeader.center.text = title
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
