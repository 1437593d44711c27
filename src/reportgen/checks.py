"""Consistency checks: the arithmetic slips real reports contain, caught before anything is written.

Each check compares figures the clerk typed (or a typed figure with one derived from others) and
reports a Finding naming the cells. Errors block the build; warnings are printed and the build
goes on. Figures that cannot all be 万元 (an amount typed in 元) are plausibility.py's errors; the
overrun warnings here cover only the mild cases below its limit, so one overrun gets one message.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from reportgen.errors import Finding
from reportgen.model.report import Report
from reportgen.plausibility import check_plausibility, execution_too_high
from reportgen.render.filters import pct, wan

CENT = Decimal("0.01")


def _rounding_slack(parts: int) -> Decimal:
    """Each part was rounded to 0.01 万元, so their sum may drift by half a cent per part."""
    return (Decimal("0.005") * parts).quantize(CENT, rounding="ROUND_UP")


def _sum_check(total: Decimal, parts: Iterable[Decimal], where: str, what: str, field: str) -> Finding | None:
    parts = list(parts)
    diff = sum(parts, Decimal(0)) - total
    if diff == 0:
        return None
    severity = "warning" if abs(diff) <= _rounding_slack(len(parts)) else "error"
    tail = "（四舍五入尾差，请核对）" if severity == "warning" else ""
    return Finding(f"{what}之和为 {wan(total + diff)}，与填写的 {wan(total)} 相差 {wan(diff)}{tail}",
                   where, field, severity)


def check_report(report: Report, refs: dict[str, str]) -> list[Finding]:
    found: list[Finding | None] = []
    for i, row in enumerate(report.expenditure.rows):
        basic_ref = refs.get(f"expenditure[{i}].basic", "支出")
        found.append(_sum_check(row.basic, (row.personnel, row.public), basic_ref,
                                f"{row.org} 人员经费 + 公用经费", "基本支出"))
        found.append(_sum_check(row.basic, (row.wages, row.goods_services, row.household, row.capital),
                                basic_ref, f"{row.org} 工资福利、商品和服务、对个人和家庭的补助、资本性支出",
                                "基本支出"))

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

    assets = report.assets
    if assets.fixed_total > assets.total:
        found.append(Finding(f"固定资产合计 {wan(assets.fixed_total)} 大于资产总额 {wan(assets.total)}",
                             refs.get("assets.total", "资产"), "资产总额"))
    if assets.liabilities > assets.total:
        found.append(Finding(f"负债总额 {wan(assets.liabilities)} 大于资产总额 {wan(assets.total)}",
                             refs.get("assets.liabilities", "资产"), "负债总额", "warning"))

    staff = report.staff
    if staff.actual > staff.quota:
        found.append(Finding(f"年末实有人数 {staff.actual} 超过编制数 {staff.quota}（在职人员控制率 {pct(staff.control_rate)}）",
                             refs.get("unit.staff_actual", "基本信息"), "年末实有人数", "warning"))

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
    found.extend(check_plausibility(report, refs))
    return [f for f in found if f is not None]
