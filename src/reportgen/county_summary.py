"""The county's summary workbook ``汇总表.xlsx`` written by ``reportgen batch`` (and ``serve``).

Contract: :func:`write_summary` writes, atomically (``outputs.write_file``), two printable sheets:

* **问题清单** — the first and active sheet: every finding of every workbook (errors before
  notes, in input order): 序号, 单位名称, 级别 (错误/提示/审核提示: the reviewer's lint, L1xx), 位置 (``收入!B2``), 字段, 说明, and
  文件 last. It opens first because it is the 财政局's work list: what to send back to which unit.
* **汇总** — one row per workbook in input order, then a 合计 row and a 平均 row. Its columns are
  declared once, in :data:`SUMMARY_COLUMNS` (header, the unit's value, its 合计/平均 cells, number
  format, width): a new column is one entry there. The 合计 row holds totals only — money summed,
  预算执行率 as Σ支出合计 / Σ全年预算数 of the units built (a rate of the totals, never an average
  of rates), counts summed; the 平均 row holds what only averages (总分, over the units built). The
  technical columns (文件, 格式, 输出文件夹, 文件数, 备注) stand at the right and print on pages of
  their own.

Text is stored as text (``workbook.writing``: a 单位名称 or file name beginning with ``=`` is
never a formula). Numbers are stored as numbers, rounded half-up at presentation like the documents:
money in 万元 with two decimals (``#,##0.00``), 总分 two decimals (``0.00``), 预算执行率 as a
fraction shown ``0.00%`` (98.34 % is stored as 0.9834). Both sheets print on A4 at a readable size
(``workbook.printing``): header row on every page, a wide sheet over several pages with 序号 and
单位名称 repeated at the left (and frozen on screen), the title — year and 财政局 (the county
read from the units' names, :func:`summary_title`) — at the top of every page, page numbers at the foot.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
WHOLE_FILE = "（整个文件）"
TITLE = "部门整体支出绩效自评汇总表"

_HEADER_FILL = "D9E1F2"
_TOTAL_FILL = "F2F2F2"
_RED = "C00000"


@dataclass(frozen=True)
class Column:
    """One column of the 汇总 sheet: its header, the unit's cell, and its cells in the 合计 and 平均
    rows (None: empty there)."""

    header: str
    value: Callable[[Outcome, int, Path], Any]  # (outcome, 序号, input folder) -> the unit's cell
    total: Callable[[Sequence[Outcome]], Any] | None = None
    average: Callable[[Sequence[Outcome]], Any] | None = None
    format: str = ""  # number format
    width: int = 12  # the most the column widens to; longer text wraps
    technical: bool = False  # where files are: right of the rest, printed on pages of their own


def _built(outcomes: Sequence[Outcome]) -> list[Any]:
    return [o.result for o in outcomes if o.built]


def _money(value: Decimal | None) -> Decimal | None:
    return round_half_up(value, 2) if value is not None else None


def _figure(name: str) -> Callable[[Outcome, int, Path], Any]:
    """A unit's amount in 万元 (empty when it was not built)."""
    return lambda o, _n, _f: _money(getattr(o.result, name)) if o.built else None


def _sum(name: str) -> Callable[[Sequence[Outcome]], Any]:
    """The units' amounts added up (each as shown), over the units built that have it."""
    def total(outcomes: Sequence[Outcome]) -> Decimal | None:
        values = [_money(getattr(r, name)) for r in _built(outcomes) if getattr(r, name) is not None]
        return sum(values, Decimal(0)) if values else None
    return total


def _rate(outcome: Outcome, _n: int, _f: Path) -> Decimal | None:
    r = outcome.result
    return round_half_up(r.execution_rate, 2) / 100 if outcome.built and r.execution_rate is not None else None


def total_execution_rate(outcomes: Sequence[Outcome]) -> Decimal | None:
    """预算执行率 of the county: Σ支出合计 / Σ全年预算数 over the units built (as a fraction, four
    decimals, as shown); empty when a built unit lacks either figure or the budgets add up to 0."""
    built = _built(outcomes)
    if not built or any(r.expenditure_total is None or r.budget_final is None for r in built):
        return None
    budget = sum((r.budget_final for r in built), Decimal(0))
    if budget == 0:
        return None
    return round_half_up(sum((r.expenditure_total for r in built), Decimal(0)) * 100 / budget, 2) / 100


def _average_score(outcomes: Sequence[Outcome]) -> Decimal | None:
    values = [r.total for r in _built(outcomes) if r.total is not None]
    return round_half_up(sum(values, Decimal(0)) / len(values), 2) if values else None


def _count(what: Callable[[Outcome], int]) -> Callable[[Sequence[Outcome]], int]:
    return lambda outcomes: sum(what(o) for o in outcomes)


def _note(outcome: Outcome, _n: int, _f: Path) -> str:
    r = outcome.result
    note = outcome.folder.note if outcome.built and outcome.folder else ""
    if r.internal:
        note = "；".join(p for p in (note, "内部错误，见问题清单") if p)
    return note


def _units(outcomes: Sequence[Outcome]) -> str:
    return f"共 {len(outcomes)} 个填报表"


def _state(outcomes: Sequence[Outcome]) -> str:
    built = len(_built(outcomes))
    return f"已生成 {built} 个，未生成 {len(outcomes) - built} 个"


SUMMARY_COLUMNS: tuple[Column, ...] = (
    Column("序号", lambda o, n, f: n, total=lambda _: "合计", average=lambda _: "平均", width=6),
    Column("单位名称", lambda o, n, f: o.result.unit_name, total=_units,
           average=lambda outcomes: f"已生成的 {len(_built(outcomes))} 个单位", width=26),
    Column("年度", lambda o, n, f: o.result.year, width=6),
    Column("总分", lambda o, n, f: _money(o.result.total) if o.built else None, average=_average_score,
           format=SCORE, width=8),
    Column("等次", lambda o, n, f: o.result.grade if o.built else "", width=6),
    Column("预算执行率", _rate, total=total_execution_rate, format=PERCENT, width=10),
    Column("收入合计（万元）", _figure("income_total"), total=_sum("income_total"), format=WAN),
    Column("支出合计（万元）", _figure("expenditure_total"), total=_sum("expenditure_total"), format=WAN),
    Column("年末结转和结余（万元）", _figure("year_end_balance"), total=_sum("year_end_balance"), format=WAN),
    Column("错误数", lambda o, n, f: len(o.errors), total=_count(lambda o: len(o.errors)), width=6),
    Column("提示数", lambda o, n, f: len(_notes(o)), total=_count(lambda o: len(_notes(o))), width=6),
    # the reviewer's lint (L1xx), counted apart: which units a 财政局 looks at first
    Column("审核提示数", lambda o, n, f: len(_lint(o)), total=_count(lambda o: len(_lint(o))), width=8),
    Column("状态", lambda o, n, f: o.status, total=_state, width=12),
    Column("文件", lambda o, n, f: relative_name(o.result.path, f), width=26, technical=True),
    Column("格式", lambda o, n, f: o.result.format_id, width=14, technical=True),
    Column("输出文件夹", lambda o, n, f: o.folder.name if o.built and o.folder else "", width=22, technical=True),
    Column("文件数", lambda o, n, f: len(o.written) if o.built else None,
           total=_count(lambda o: len(o.written)), width=6, technical=True),
    Column("备注", _note, total=lambda _: "金额、预算执行率为已生成单位之合计（执行率 = 支出合计之和 ÷ 全年预算数之和）",
           width=28, technical=True),
)
# the main columns first, the technical ones to their right (a column added above lands in its group)
SUMMARY_COLUMNS = (*(c for c in SUMMARY_COLUMNS if not c.technical), *(c for c in SUMMARY_COLUMNS if c.technical))
SUMMARY_HEADERS = [c.header for c in SUMMARY_COLUMNS]
_REPEATED = 2  # 序号 and 单位名称 on every printed page

FINDINGS_HEADERS = ["序号", "单位名称", "级别", "位置", "字段", "说明", "文件"]
_FINDINGS_WIDTHS = {"序号": 6, "单位名称": 20, "级别": 8, "位置": 16, "字段": 14, "说明": 44, "文件": 20}


def write_summary(path: Path, outcomes: Sequence[Outcome], folder: Path, title: str = "") -> None:
    """Write ``path`` (``汇总表.xlsx``) for ``outcomes`` of workbooks found under ``folder``."""
    from reportgen.outputs import write_file
    from reportgen.workbook.xlsx import Writer

    wb = Writer()
    title = summary_title(outcomes, title)
    _fill_findings(wb, outcomes, folder, f"{title}——问题清单")
    _fill_summary(wb, outcomes, folder, title)
    write_file(path, wb.data())


def summary_title(outcomes: Sequence[Outcome], title: str = "") -> str:
    """The printed title: ``青山县财政局2025年度部门整体支出绩效自评汇总表``. The year is the units'
    (a range when they differ) unless ``title`` names one; the 财政局 is the county all units' names
    begin with (their common beginning, up to its last 县/市/区/旗), left out when there is none."""
    title = title or TITLE
    years = sorted({o.result.year for o in outcomes if o.result.year is not None})
    if years and "年" not in title:
        title = f"{years[0]}年度{title}" if len(years) == 1 else f"{years[0]}—{years[-1]}年度{title}"
    names = [o.result.unit_name for o in outcomes if o.result.unit_name]
    county = _county(names)
    return f"{county}财政局{title}" if county else title


def _county(names: list[str]) -> str:
    """The place all ``names`` begin with: through the first 县/区/旗 of their common beginning, else
    through its first 市 (青山县, 某某市某某区, 岳阳市); "" when they share none or a name is only that."""
    if not names:
        return ""
    common = os.path.commonprefix(names)
    ends = [i for i, c in enumerate(common) if c in "县区旗" and i >= 1] or \
        [i for i, c in enumerate(common) if c == "市" and i >= 1]
    county = common[:ends[0] + 1] if ends else ""
    return county if all(len(name) > len(county) for name in names) else ""


def relative_name(path: Path, folder: Path) -> str:
    """The workbook as the summary names it: its path inside the input folder, with ``/``."""
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.name


def summary_row(number: int, outcome: Outcome, folder: Path) -> list[Any]:
    return [c.value(outcome, number, folder) for c in SUMMARY_COLUMNS]


def totals_row(outcomes: Sequence[Outcome]) -> list[Any]:
    """The 合计 row: totals only (money and counts summed, 预算执行率 of the totals)."""
    return [c.total(outcomes) if c.total else None for c in SUMMARY_COLUMNS]


def averages_row(outcomes: Sequence[Outcome]) -> list[Any]:
    """The 平均 row: 总分 averaged over the units built."""
    return [c.average(outcomes) if c.average else None for c in SUMMARY_COLUMNS]


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
            rows.append([len(rows) + 1, r.unit_name, level, _where(f, r.path), f.field, f.message,
                         relative_name(r.path, folder)])
    return rows


def _where(finding: Finding, path: Path) -> str:
    where = finding.where
    if where.file and not where.line and not where.part and Path(where.file) == path:
        return WHOLE_FILE
    return str(where)


# ---- sheets -----------------------------------------------------------------------------------


def _fill_summary(wb: Any, outcomes: Sequence[Outcome], folder: Path, title: str) -> None:
    from reportgen.workbook import printing

    rows = [summary_row(i, o, folder) for i, o in enumerate(outcomes, start=1)]
    footer = [totals_row(outcomes), averages_row(outcomes)]
    status = SUMMARY_HEADERS.index("状态")
    last_units = len(rows) + 1  # the units' rows are 2 … last_units; the 合计 and 平均 rows follow

    def emphasis(row: int, column: int) -> dict[str, Any]:
        if row > last_units:
            return {"bold": True, "fill": _TOTAL_FILL}
        if column == status and not outcomes[row - 2].built:
            return {"bold": True, "color": _RED}
        return {}

    ws = wb.sheet(SUMMARY_SHEET)
    widths = _table(ws, SUMMARY_HEADERS, [*rows, *footer], {c.header: c.format for c in SUMMARY_COLUMNS},
                    {c.header: c.width for c in SUMMARY_COLUMNS}, filter_rows=len(rows), emphasis=emphasis)
    ws.freeze(2, _REPEATED + 1)  # header row, and 序号/单位名称 while scrolling right
    main = sum(not c.technical for c in SUMMARY_COLUMNS)
    plan = printing.plan(widths, repeat=_REPEATED, breaks=[main] if main < len(SUMMARY_COLUMNS) else [])
    ws.print_plan(plan, header=_page_title(title), header_size=14)


def _fill_findings(wb: Any, outcomes: Sequence[Outcome], folder: Path, title: str) -> None:
    from reportgen.workbook import printing

    rows = finding_rows(outcomes, folder)
    if not rows:
        rows = [[None, "", "", "", "", f"无：全部 {len(outcomes)} 个填报表均无错误和提示", ""]]
    level = FINDINGS_HEADERS.index("级别")

    def emphasis(row: int, column: int) -> dict[str, Any]:
        return {"bold": True, "color": _RED} if column == level and rows[row - 2][level] == "错误" else {}

    ws = wb.sheet(FINDINGS_SHEET)
    widths = _table(ws, FINDINGS_HEADERS, rows, {}, _FINDINGS_WIDTHS, filter_rows=len(rows), emphasis=emphasis)
    ws.freeze(2, 1)
    ws.print_plan(printing.plan(widths, repeat=_REPEATED), header=_page_title(title), header_size=14)


def _page_title(title: str) -> str:
    """The title as a page header's text: an ``&`` doubled (a single one starts a header code)."""
    return title.replace("&", "&&")


def _table(ws: Any, headers: list[str], rows: list[list[Any]], formats: dict[str, str], caps: dict[str, int],
           filter_rows: int, emphasis: Callable[[int, int], dict[str, Any]]) -> list[float]:
    """Header and rows with borders, number formats, wrapped text, fitted widths and row heights, a
    cell's ``emphasis(row, column index)`` (bold, colour, fill) added to its look; the widths."""
    from reportgen.workbook import printing
    from reportgen.workbook.xlsx import Style

    cell = Style(border="thin", border_color="808080", valign="top", wrap=True)
    header_style = cell.but(bold=True, fill=_HEADER_FILL, halign="center", valign="center")
    widths: list[float] = []
    for col, header in enumerate(headers, start=1):
        cap = caps.get(header, 20)
        # the header may wrap onto two lines; values are as wide as they need, up to the cap
        width = max([_width(header) / 2 + 2, *(_width(row[col - 1], formats.get(header)) + 2 for row in rows), 6])
        widths.append(min(width, cap))
        ws.width(col, widths[-1])
        ws.put(1, col, header, header_style)
    header_lines = max(printing.lines(header, width) for header, width in zip(headers, widths, strict=True))
    ws.height(1, header_lines * printing.LINE_PT + 4)
    for r, row in enumerate(rows, start=2):
        for col, (value, header) in enumerate(zip(row, headers, strict=True)):
            ws.put(r, col + 1, value, cell.but(number_format=formats.get(header), **emphasis(r, col)))
        ws.fit_row(r, [(_shown(v, formats.get(h)), w) for v, h, w in zip(row, headers, widths, strict=True)])
    ws.autofilter(filter_rows + 1, len(headers))
    return widths


def _shown(value: Any, number_format: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2%}" if number_format == PERCENT else f"{value:,.2f}"
    return str(value)


def _width(value: Any, number_format: str | None = None) -> int:
    """Display width in Excel's units: a CJK character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in _shown(value, number_format))
