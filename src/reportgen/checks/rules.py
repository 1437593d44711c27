"""The checks that are not sums: what must be filled together, what may not exceed what, and what a
reviewer would query (an overrun without a reason, a year ending in deficit).

Each rule returns findings naming the cells (``refs``: model path -> Location); codes C6xx,
explained with their fix in docs/findings.md. Sums of parts are ``declared``/``cross``'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from reportgen.cells import date_far_from
from reportgen.errors import Finding, Location
from reportgen.model.inputs import label_of
from reportgen.model.relations import parts
from reportgen.model.report import STAFF_KINDS, Report, SocialFund, Unit
from reportgen.plausibility import execution_too_high
from reportgen.render.filters import pct, wan

Refs = dict[str, Location]


def at(refs: Refs, path: str, sheet: str) -> Location:
    """The cell of ``path`` (``funds[0].initial``), else the sheet."""
    return refs.get(path) or Location.sheet(sheet)


def cells(refs: Refs, paths: Iterable[str], sheet: str) -> Location:
    return Location.join(at(refs, path, sheet) for path in paths)


def funds_filled_together(report: Report, refs: Refs) -> Iterator[Finding]:
    """The 资金来源 sheet: all or nothing; no source spent beyond its budget."""
    rows = report.funds.rows
    keys = ("initial", "final", "executed")
    empty = [f"funds[{i}].{key}" for i, row in enumerate(rows) for key in keys if getattr(row, key) is None]
    if len(empty) == len(rows) * len(keys):
        return
    if empty:
        yield Finding("资金来源只填了一部分：请把每一行的年初预算数、全年预算数、全年执行数都填上（没有的填 0），或整表留空",
                      cells(refs, empty, "资金来源"), "资金来源", code="C608")
        return
    for i, row in enumerate(rows):
        if row.executed > row.final:  # type: ignore[operator]
            yield Finding(f"{row.item}全年执行数 {wan(row.executed)} 超过全年预算数 {wan(row.final)}",
                          at(refs, f"funds[{i}].executed", "资金来源"), "全年执行数", "warning", "C609")


def budget_parts_together(report: Report, refs: Refs) -> Iterator[Finding]:
    """基本支出 and 项目支出 budgets: both or neither; an adjustment needs its 年初预算数; each part's
    mild overrun is worth a look (a gross one is plausibility's)."""
    b = report.budget
    names = {"basic": "基本支出", "project": "项目支出"}
    given = {part: getattr(b, f"{part}_initial") is not None for part in names}
    for part, name in names.items():
        if getattr(b, f"{part}_adjustment") is not None and not given[part]:
            yield Finding(f"填写了{name}预算调整数，请同时填写{name}年初预算数", at(refs, f"budget.{part}_initial", "预算"),
                          f"{name}年初预算数", code="C610")
    if given["basic"] != given["project"]:
        missing = "basic" if not given["basic"] else "project"
        yield Finding(f"基本支出和项目支出的年初预算数请都填写（或都不填），缺{names[missing]}年初预算数",
                      at(refs, f"budget.{missing}_initial", "预算"), f"{names[missing]}年初预算数", code="C610")
    for part, name in names.items():
        figures = getattr(b, part)
        if figures is not None and figures.executed > figures.final and not execution_too_high(figures.execution_rate):
            yield Finding(f"{name}执行数 {wan(figures.executed)} 超过{name}全年预算 {wan(figures.final)}"
                          f"（执行率 {pct(figures.execution_rate)}）", at(refs, f"budget.{part}_initial", "预算"),
                          f"{name}年初预算数", "warning", "C611")


def project_sources_spent(report: Report, refs: Refs) -> Iterator[Finding]:
    """A project's 上年结转 and 其他资金 spent beyond what its budget gave them."""
    for i, p in enumerate(report.projects.rows):
        for label, spent, budget, key in (("上年结转", p.executed_carryover, p.budget_carryover, "executed_carryover"),
                                          ("其他资金", p.executed_other, p.budget_other, "executed_other")):
            if spent > budget:
                yield Finding(f"“{p.name}”执行数中{label} {wan(spent)} 超过全年预算中{label} {wan(budget)}",
                              at(refs, f"projects[{i}].{key}", "项目"), f"执行数中{label}", "warning", "C612")


def function_lines(report: Report, refs: Refs) -> Iterator[Finding]:
    """功能分类 lines: a 项 needs its 款; no line twice; one level per 类/款 (a total line and its
    detail lines would count twice)."""
    rows = report.by_function.rows
    seen: dict[tuple[str, str | None, str | None], int] = {}
    for i, row in enumerate(rows):
        where = at(refs, f"by_function[{i}]", "功能分类")
        if row.item and not row.section:
            yield Finding(f"“{row.name}”填了“项”却没有填“款”", refs.get(f"by_function[{i}].section") or where, "款",
                          code="C613")
        key = (row.category, row.section, row.item)
        if key in seen:
            yield Finding(f"“{row.name}”填了两行（另见{at(refs, f'by_function[{seen[key]}]', '功能分类')}），请合并为一行",
                          where, "类", code="C614")
        seen.setdefault(key, i)
    for depth, level, finer in ((1, "类", "款"), (2, "款", "项")):
        groups: dict[tuple[Any, ...], list[int]] = {}
        for i, row in enumerate(rows):
            groups.setdefault((row.category, row.section)[:depth], []).append(i)
        for members in groups.values():
            finer_of = [(rows[i].section, rows[i].item)[depth - 1] for i in members]
            if len(members) > 1 and None in finer_of and any(finer_of):
                total_row = members[finer_of.index(None)]
                yield Finding(f"“{rows[total_row].name}”既有合计行又有“{finer}”明细行，会重复计算：请删除合计行或明细行",
                              cells(refs, (f"by_function[{i}]" for i in members), "功能分类"), level, code="C615")


_ACTUAL_KEYS = dict(zip(STAFF_KINDS, (key for key, _ in parts(Unit, "actual_kinds")), strict=True))


def staff_within_quota(report: Report, refs: Refs) -> Iterator[Finding]:
    staff = report.staff
    if staff.actual > staff.quota:
        yield Finding(f"年末实有人数 {staff.actual} 超过编制数 {staff.quota}（在职人员控制率 {pct(staff.control_rate)}）",
                      at(refs, "unit.staff_actual", "基本信息"), "年末实有人数", "warning", "C616")
    for kind in staff.kinds:
        if kind.actual > kind.quota:
            yield Finding(f"{kind.name}实有人数 {kind.actual} 超过{kind.name}编制数 {kind.quota}",
                          at(refs, f"unit.{_ACTUAL_KEYS[kind.name]}", "基本信息"), f"{kind.name}实有人数",
                          "warning", "C616")


def social_fund_consistent(report: Report, refs: Refs) -> Iterator[Finding]:
    fund = report.social_fund
    amounts = {key: (label_of(SocialFund, key), getattr(fund, key)) for key in ("income", "expenditure", "balance")}
    if not fund.present:
        filled = [key for key, (_, value) in amounts.items() if value is not None]
        if filled:
            yield Finding("填写了社会保险基金金额，但“是否有社会保险基金预算”不是“是”：有基金预算请填“是”，没有请删除金额",
                          cells(refs, ["social_fund.managed"] + [f"social_fund.{k}" for k in filled], "社会保险基金"),
                          "是否有社会保险基金预算", code="C617")
        return
    for key, (label, value) in amounts.items():
        if key != "balance" and value is None:
            yield Finding(f"“是否有社会保险基金预算”为“是”，请填写{label}", at(refs, f"social_fund.{key}", "社会保险基金"),
                          label, code="C617")


def same_institutions(report: Report, refs: Refs) -> Iterator[Finding]:
    income_orgs = [r.org for r in report.income.rows]
    spend_orgs = [r.org for r in report.expenditure.rows]
    if income_orgs != spend_orgs:
        yield Finding(f"“收入”表的机构（{'、'.join(income_orgs)}）与“支出”表（{'、'.join(spend_orgs)}）不一致",
                      Location.join([Location.sheet("收入"), Location.sheet("支出")]), "机构名称", code="C618")


def overruns_explained(report: Report, refs: Refs) -> Iterator[Finding]:
    """A project spending beyond its budget (below plausibility's limit) needs a reason; the unit's own
    overspend without one is the lint's L108 (one note, at the cell where the reason goes)."""
    for i, project in enumerate(report.projects.rows):
        if (project.executed > project.budget and not project.explanation
                and not execution_too_high(project.execution_rate)):
            yield Finding(f"“{project.name}”执行数 {wan(project.executed)} 超过全年预算 {wan(project.budget)}，"
                          "请在“偏差说明”中说明原因", at(refs, f"projects[{i}].executed", "项目"), "执行数", "warning",
                          "C619")
    tp = report.three_public
    if tp.control_rate is not None and tp.actual_total > tp.budget_total:
        yield Finding(f"“三公”经费决算 {wan(tp.actual_total)} 超过预算 {wan(tp.budget_total)}（控制率 {pct(tp.control_rate)}）",
                      cells(refs, (f"three_public[{i}].actual" for i in range(len(tp.rows))), "三公经费"), "决算数",
                      "warning", "C620")
    for i, item in enumerate(tp.rows):
        if item.budget == 0 and item.actual > 0:
            yield Finding(f"{item.item} 无预算却有决算 {wan(item.actual)}", at(refs, f"three_public[{i}].actual", "三公经费"),
                          item.item, "warning", "C620")


def year_end_balance(report: Report, refs: Refs) -> Iterator[Finding]:
    if report.balance.year_end < 0:
        yield Finding(f"收入合计小于支出合计，年末结余为 {wan(report.balance.year_end)}", Location.sheet("收入"), "收入合计",
                      "warning", "C621")


def indicators_explained(report: Report, refs: Refs) -> Iterator[Finding]:
    for indicator in report.indicators:
        if indicator.quantitative and not indicator.met and not indicator.deviation_reason:
            yield Finding(f"“{indicator.level3}”未达到指标值，请填写偏差原因", Location.parse(indicator.ref),
                          "偏差原因及改进措施", "warning", "C622")


def narrative_complete(report: Report, refs: Refs) -> Iterator[Finding]:
    if not report.narrative.achievements:
        yield Finding("“文字说明”中没有“工作成效”部分", Location.sheet("文字说明"), "部分", "warning", "C623")


def fill_date_near_year(report: Report, refs: Refs) -> Iterator[Finding]:
    """A 填报日期 years away from the 年度 (2099, 0001 …) is a slip, named at its cell."""
    far = date_far_from(report.unit.fill_date, report.unit.year)
    if far:
        yield Finding(far, at(refs, "unit.fill_date", "基本信息"), label_of(Unit, "fill_date"), code="C624")


RULES = (funds_filled_together, budget_parts_together, project_sources_spent, function_lines, staff_within_quota,
         social_fund_consistent, same_institutions, overruns_explained, year_end_balance, indicators_explained,
         narrative_complete, fill_date_near_year)
