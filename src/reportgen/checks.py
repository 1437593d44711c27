"""Consistency checks: the arithmetic slips real reports contain, caught before anything is written.

Each check compares figures the clerk typed (or a typed figure with one derived from others) and
reports a Finding naming the cells. Errors block the build; warnings are printed and the build
goes on. Figures that cannot all be 万元 (an amount typed in 元) are plausibility.py's errors; the
overrun warnings here cover only the mild cases below its limit, so one overrun gets one message.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from reportgen.cells import date_far_from
from reportgen.errors import Finding
from reportgen.model.report import PROJECT_ECONOMY, STAFF_KINDS, Report
from reportgen.plausibility import check_plausibility, execution_too_high
from reportgen.render.filters import pct, wan

CENT = Decimal("0.01")


def _rounding_slack(parts: int) -> Decimal:
    """Each part was rounded to 0.01 万元, so their sum may drift by half a cent per part."""
    return (Decimal("0.005") * parts).quantize(CENT, rounding="ROUND_UP")


def _sum_check(total: Decimal, parts: Iterable[Decimal], where: str, what: str, field: str,
               whole: str = "填写的") -> Finding | None:
    parts = list(parts)
    diff = sum(parts, Decimal(0)) - total
    if diff == 0:
        return None
    severity = "warning" if abs(diff) <= _rounding_slack(len(parts)) else "error"
    tail = "（四舍五入尾差，请核对）" if severity == "warning" else ""
    return Finding(f"{what}之和为 {wan(total + diff)}，与{whole} {wan(total)} 相差 {wan(diff)}{tail}",
                   where, field, severity)


def _cells(refs: dict[str, str], paths: Iterable[str], fallback: str) -> str:
    """The cells behind ``paths`` (``funds[0].initial`` -> ``资金来源!B2``), joined for a Finding."""
    return "、".join(dict.fromkeys(refs.get(path, fallback) for path in paths))


def _funds(report: Report, refs: dict[str, str], across: bool) -> list[Finding | None]:
    """The unit's 资金来源 sheet: all or nothing; each column sums to the unit's figure."""
    rows = report.funds.rows
    columns = (("initial", "年初预算数", report.budget.initial, "“预算”表年初预算数"),
               ("final", "全年预算数", report.budget.final, "全年预算数（年初预算数 + 预算调整数）"),
               ("executed", "全年执行数", report.budget.executed, "支出合计"))
    empty = [f"funds[{i}].{key}" for i, row in enumerate(rows) for key, *_ in columns if getattr(row, key) is None]
    if len(empty) == len(rows) * len(columns):
        return []
    if empty:
        return [Finding("资金来源只填了一部分：请把每一行的年初预算数、全年预算数、全年执行数都填上（没有的填 0），"
                        "或整表留空", _cells(refs, empty, "资金来源"), "资金来源")]
    found: list[Finding | None] = []
    for key, label, whole, whole_label in columns if across else ():
        where = _cells(refs, (f"funds[{i}].{key}" for i in range(len(rows))), "资金来源")
        found.append(_sum_check(whole, (getattr(r, key) for r in rows), where,
                                f"资金来源（{'、'.join(r.item for r in rows)}）的{label}", label, whole_label))
    for i, row in enumerate(rows):
        if row.executed > row.final:  # type: ignore[operator]
            found.append(Finding(f"{row.item}全年执行数 {wan(row.executed)} 超过全年预算数 {wan(row.final)}",
                                 refs.get(f"funds[{i}].executed", "资金来源"), "全年执行数", "warning"))
    return found


def _budget_parts(report: Report, refs: dict[str, str], across: bool) -> list[Finding | None]:
    """基本支出 and 项目支出 budgets: both or neither, adding up to the unit's budget."""
    b = report.budget
    given = {"basic": b.basic_initial is not None, "project": b.project_initial is not None}
    names = {"basic": "基本支出", "project": "项目支出"}
    found: list[Finding | None] = []
    for part, adjustment in (("basic", b.basic_adjustment), ("project", b.project_adjustment)):
        if adjustment is not None and not given[part]:
            found.append(Finding(f"填写了{names[part]}预算调整数，请同时填写{names[part]}年初预算数",
                                 refs.get(f"budget.{part}_initial", "预算"), f"{names[part]}年初预算数"))
    if given["basic"] != given["project"]:
        missing = "basic" if not given["basic"] else "project"
        found.append(Finding(f"基本支出和项目支出的年初预算数请都填写（或都不填），缺{names[missing]}年初预算数",
                             refs.get(f"budget.{missing}_initial", "预算"), f"{names[missing]}年初预算数"))
    if not (given["basic"] and given["project"]) or b.basic is None or b.project is None:
        return found
    if across:
        found.append(_sum_check(b.initial, (b.basic.initial, b.project.initial),
                                _cells(refs, ("budget.basic_initial", "budget.project_initial", "budget.initial"), "预算"),
                                "基本支出年初预算数 + 项目支出年初预算数", "年初预算数", "年初预算数"))
        found.append(_sum_check(b.adjustment, (b.basic.adjustment, b.project.adjustment),
                                _cells(refs, ("budget.basic_adjustment", "budget.project_adjustment",
                                              "budget.adjustment"), "预算"),
                                "基本支出预算调整数 + 项目支出预算调整数", "预算调整数", "预算调整数"))
    for part, figures in (("basic", b.basic), ("project", b.project)):
        if figures.executed > figures.final and not execution_too_high(figures.execution_rate):
            found.append(Finding(f"{names[part]}执行数 {wan(figures.executed)} 超过{names[part]}全年预算 "
                                 f"{wan(figures.final)}（执行率 {pct(figures.execution_rate)}）",
                                 refs.get(f"budget.{part}_initial", "预算"), f"{names[part]}年初预算数", "warning"))
    projects = report.projects
    if projects.rows and projects.total_initial != b.project.initial:
        found.append(Finding(f"“项目”表年初预算合计 {wan(projects.total_initial)} 与项目支出年初预算数 "
                             f"{wan(b.project.initial)} 不一致（如只列了部分项目，可忽略）",
                             refs.get("budget.project_initial", "预算"), "项目支出年初预算数", "warning"))
    return found


def _project_funds(report: Report, refs: dict[str, str]) -> list[Finding | None]:
    """Each project's 上年结转 and 其他资金 fit inside its amounts (the rest is 本年财政拨款)."""
    found: list[Finding | None] = []
    for i, p in enumerate(report.projects.rows):
        for whole_key, whole_label, whole, prefix, carry_key, other_key in (
                ("initial", "年初预算", p.initial, "年初预算中", "initial_carryover", "initial_other"),
                ("adjustment", "全年预算", p.budget, "全年预算中", "budget_carryover", "budget_other"),
                ("executed", "执行数", p.executed, "执行数中", "executed_carryover", "executed_other")):
            parts = getattr(p, carry_key) + getattr(p, other_key)
            if parts > whole:
                found.append(Finding(
                    f"“{p.name}”{prefix}上年结转和其他资金之和 {wan(parts)} 大于{whole_label} {wan(whole)}",
                    _cells(refs, (f"projects[{i}].{carry_key}", f"projects[{i}].{other_key}",
                                  f"projects[{i}].{whole_key}"), "项目"), f"{prefix}上年结转"))
        for label, spent, budget, key in (("上年结转", p.executed_carryover, p.budget_carryover, "executed_carryover"),
                                          ("其他资金", p.executed_other, p.budget_other, "executed_other")):
            if spent > budget:
                found.append(Finding(f"“{p.name}”执行数中{label} {wan(spent)} 超过全年预算中{label} {wan(budget)}",
                                     refs.get(f"projects[{i}].{key}", "项目"), f"执行数中{label}", "warning"))
    return found


def _by_function(report: Report, refs: dict[str, str], across: bool) -> list[Finding | None]:
    """功能分类 lines: one level per 类/款 (a total line and its detail lines would count twice),
    no line twice, and not more than the unit spent."""
    rows = report.by_function.rows
    if not rows:
        return []
    found: list[Finding | None] = []
    seen: dict[tuple[str, str | None, str | None], int] = {}
    for i, row in enumerate(rows):
        ref = refs.get(f"by_function[{i}]", "功能分类")
        if row.item and not row.section:
            found.append(Finding(f"“{row.name}”填了“项”却没有填“款”", refs.get(f"by_function[{i}].section", ref), "款"))
        key = (row.category, row.section, row.item)
        if key in seen:
            found.append(Finding(f"“{row.name}”填了两行（另见{refs.get(f'by_function[{seen[key]}]', '')}），请合并为一行",
                                 ref, "类"))
        seen.setdefault(key, i)
    for depth, level, finer in ((1, "类", "款"), (2, "款", "项")):
        groups: dict[tuple[Any, ...], list[int]] = {}
        for i, row in enumerate(rows):
            groups.setdefault((row.category, row.section)[:depth], []).append(i)
        for members in groups.values():
            finer_of = [(rows[i].section, rows[i].item)[depth - 1] for i in members]
            if len(members) > 1 and None in finer_of and any(finer_of):
                total_row = members[finer_of.index(None)]
                found.append(Finding(
                    f"“{rows[total_row].name}”既有合计行又有“{finer}”明细行，会重复计算：请删除合计行或明细行",
                    _cells(refs, (f"by_function[{i}]" for i in members), "功能分类"), level))
    spent, listed = report.budget.executed, report.by_function.total_actual
    if not across:
        return found
    where = _cells(refs, (f"by_function[{i}].actual" for i in range(len(rows))), "功能分类")
    if listed - spent > _rounding_slack(len(rows)):
        found.append(Finding(f"功能分类决算数合计 {wan(listed)} 大于“支出”表支出合计 {wan(spent)}", where, "决算数"))
    elif listed != spent:
        found.append(Finding(f"功能分类决算数合计 {wan(listed)} 与“支出”表支出合计 {wan(spent)} 不一致"
                             "（如只列了一般公共预算财政拨款支出，可忽略）", where, "决算数", "warning"))
    return found


def _assets(report: Report, refs: dict[str, str]) -> list[Finding | None]:
    a = report.assets
    found: list[Finding | None] = []
    fixed, fixed_label, fixed_key = ((a.fixed_net, "固定资产净值", "fixed_net") if a.fixed_net is not None
                                     else (a.fixed_total, "固定资产合计", "total"))
    if fixed > a.total:
        found.append(Finding(f"{fixed_label} {wan(fixed)} 大于资产总额 {wan(a.total)}",
                             _cells(refs, (f"assets.{fixed_key}", "assets.total"), "资产"), "资产总额"))
    if a.fixed_net is not None and a.fixed_original is not None and a.fixed_net > a.fixed_original:
        found.append(Finding(f"固定资产净值 {wan(a.fixed_net)} 大于固定资产原值 {wan(a.fixed_original)}",
                             _cells(refs, ("assets.fixed_net", "assets.fixed_original"), "资产"), "固定资产净值"))
    given = [(key, label) for key, label in (("current", "流动资产"), ("fixed_net", "固定资产净值"),
                                             ("intangible", "无形资产")) if getattr(a, key) is not None]
    if len(given) > 1 and a.parts_total > a.total:
        found.append(Finding(f"{'、'.join(label for _, label in given)}之和 {wan(a.parts_total)} 大于资产总额 {wan(a.total)}",
                             _cells(refs, [f"assets.{key}" for key, _ in given] + ["assets.total"], "资产"), "资产总额"))
    if a.liabilities > a.total:
        found.append(Finding(f"负债总额 {wan(a.liabilities)} 大于资产总额 {wan(a.total)}",
                             refs.get("assets.liabilities", "资产"), "负债总额", "warning"))
    return found


def _staff(report: Report, refs: dict[str, str]) -> list[Finding | None]:
    staff, unit = report.staff, report.unit
    found: list[Finding | None] = []
    if staff.actual > staff.quota:
        found.append(Finding(f"年末实有人数 {staff.actual} 超过编制数 {staff.quota}（在职人员控制率 {pct(staff.control_rate)}）",
                             refs.get("unit.staff_actual", "基本信息"), "年末实有人数", "warning"))
    for what, total_key, total, keys in (
            ("编制数", "staff_quota", staff.quota, ("quota_admin", "quota_civil", "quota_public")),
            ("实有人数", "staff_actual", staff.actual, ("actual_admin", "actual_civil", "actual_public"))):
        values = [getattr(unit, key) for key in keys]
        if all(v is None for v in values):
            continue
        listed = sum(v or 0 for v in values)
        if listed != total:
            found.append(Finding(
                f"行政、参公、事业{what}之和为 {listed}，与{'人员编制数' if total_key == 'staff_quota' else '年末实有人数'} "
                f"{total} 不一致", _cells(refs, [f"unit.{k}" for k, v in zip(keys, values, strict=True) if v is not None]
                                            + [f"unit.{total_key}"], "基本信息"), what))
    for kind in staff.kinds:
        if kind.actual > kind.quota:
            found.append(Finding(f"{kind.name}实有人数 {kind.actual} 超过{kind.name}编制数 {kind.quota}",
                                 refs.get(f"unit.actual_{_KIND_KEYS[kind.name]}", "基本信息"), f"{kind.name}实有人数",
                                 "warning"))
    return found


_KIND_KEYS = dict(zip(STAFF_KINDS, ("admin", "civil", "public"), strict=True))


def _social_fund(report: Report, refs: dict[str, str]) -> list[Finding | None]:
    fund = report.social_fund
    amounts = {"income": ("社会保险基金收入", fund.income), "expenditure": ("社会保险基金支出", fund.expenditure),
               "balance": ("社会保险基金年末结余", fund.balance)}
    if not fund.present:
        filled = [key for key, (_, value) in amounts.items() if value is not None]
        if filled:
            return [Finding("填写了社会保险基金金额，但“是否有社会保险基金预算”不是“是”：有基金预算请填“是”，"
                            "没有请删除金额", _cells(refs, ["social_fund.managed"] + [f"social_fund.{k}" for k in filled],
                                                   "社会保险基金"), "是否有社会保险基金预算")]
        return []
    return [Finding(f"“是否有社会保险基金预算”为“是”，请填写{label}", refs.get(f"social_fund.{key}", "社会保险基金"), label)
            for key, (label, value) in amounts.items() if key != "balance" and value is None]


def _fill_date(report: Report, refs: dict[str, str]) -> list[Finding | None]:
    """A 填报日期 years away from the 年度 (2099, 0001 …) is a slip, named at its cell."""
    far = date_far_from(report.unit.fill_date, report.unit.year)
    return [Finding(far, refs.get("unit.fill_date", "基本信息"), "填报日期")] if far else []


def check_report(report: Report, refs: dict[str, str]) -> list[Finding]:
    found: list[Finding | None] = []
    for i, row in enumerate(report.expenditure.rows):
        basic_ref = refs.get(f"expenditure[{i}].basic", "支出")
        found.append(_sum_check(row.basic, (row.personnel, row.public), basic_ref,
                                f"{row.org} 人员经费 + 公用经费", "基本支出"))
        found.append(_sum_check(row.basic, (row.wages, row.goods_services, row.household, row.capital),
                                basic_ref, f"{row.org} 工资福利、商品和服务、对个人和家庭的补助、资本性支出",
                                "基本支出"))
        if row.project_classified:
            found.append(_sum_check(row.project, (getattr(row, key) for key, _ in PROJECT_ECONOMY),
                                    _cells(refs, [f"expenditure[{i}].{key}" for key, _ in PROJECT_ECONOMY]
                                           + [f"expenditure[{i}].project"], "支出"),
                                    f"{row.org} 项目支出中工资福利、商品和服务、对个人和家庭的补助、资本性支出", "项目支出"))

    income_orgs = [r.org for r in report.income.rows]
    spend_orgs = [r.org for r in report.expenditure.rows]
    if income_orgs != spend_orgs:
        found.append(Finding(f"“收入”表的机构（{'、'.join(income_orgs)}）与“支出”表（{'、'.join(spend_orgs)}）不一致",
                             "支出", "机构名称"))

    project_total = report.expenditure.total.project
    if report.projects.rows and report.projects.total_spent != project_total:
        found.append(Finding(
            f"“项目”表执行数合计 {wan(report.projects.total_spent)} 与“支出”表项目支出 {wan(project_total)} 不一致"
            "（如只列了部分项目，可忽略）", "项目", "执行数", "warning"))

    for i, project in enumerate(report.projects.rows):
        if (project.executed > project.budget and not project.explanation
                and not execution_too_high(project.execution_rate)):
            found.append(Finding(
                f"“{project.name}”执行数 {wan(project.executed)} 超过全年预算 {wan(project.budget)}，请在“偏差说明”中说明原因",
                refs.get(f"projects[{i}].executed", "项目"), "执行数", "warning"))

    # A figure typed in 元 (plausibility's error) makes every total it enters disagree with its parts:
    # sums across sheets are compared only when the scale is right, so one slip gets one message.
    plausible = check_plausibility(report, refs)
    across = not any(f.is_error for f in plausible)
    for part in (_project_funds, _assets, _staff, _social_fund, _fill_date):
        found.extend(part(report, refs))
    for cross_part in (_funds, _budget_parts, _by_function):
        found.extend(cross_part(report, refs, across))

    tp = report.three_public
    if tp.control_rate is not None and tp.actual_total > tp.budget_total:
        found.append(Finding(f"“三公”经费决算 {wan(tp.actual_total)} 超过预算 {wan(tp.budget_total)}（控制率 {pct(tp.control_rate)}）",
                             "三公经费", "决算数", "warning"))
    for item in tp.rows:
        if item.budget == 0 and item.actual > 0:
            found.append(Finding(f"{item.item} 无预算却有决算 {wan(item.actual)}", "三公经费", item.item, "warning"))

    budget = report.budget
    if (budget.execution_rate is not None and budget.executed > budget.final
            and not execution_too_high(budget.execution_rate)):
        found.append(Finding(f"支出合计 {wan(budget.executed)} 超过全年预算数 {wan(budget.final)}（执行率 {pct(budget.execution_rate)}）",
                             refs.get("budget.initial", "预算"), "全年预算数", "warning"))
    if report.balance.year_end < 0:
        found.append(Finding(f"收入合计小于支出合计，年末结余为 {wan(report.balance.year_end)}", "收入", "收入合计", "warning"))

    for indicator in report.indicators:
        if indicator.quantitative and not indicator.met and not indicator.deviation_reason:
            found.append(Finding(f"“{indicator.level3}”未达到指标值，请填写偏差原因", indicator.ref,
                                 "偏差原因及改进措施", "warning"))

    if not report.narrative.achievements:
        found.append(Finding("“文字说明”中没有“工作成效”部分", "文字说明", "部分", "warning"))
    found.extend(plausible)
    return [f for f in found if f is not None]
