"""Plausibility: figures that cannot all be 万元, caught as errors before a report says nonsense.

The typical slip is an amount typed in 元 (copied from a 决算 table that prints 元): it is 10⁴
times too large, and a report built from it says "全年支出10,279,873.89万元，预算执行率999997.46%".
Four rules catch it, each an error naming the cells involved:

* **scale** — one amount about 10⁴ times the unit's typical amount (a row or a figure typed in 元
  while the rest is in 万元);
* **execution** — 支出 far beyond the budget it was spent from (the unit's 支出合计 against its
  全年预算数; each project's 执行数 against its 全年预算): the spending typed in 元, the budget in 万元;
* **part of the whole** — “三公”经费 larger than the 支出合计 (or 全年预算数) it is part of, one
  project's 执行数 larger than the unit's 支出合计: small amounts typed in 元 (公务接待费 2.35 ->
  23,500; a whole small project row) that the scale rule cannot see;
* **per head** — 人员经费 per 年末实有人数 outside what a salary can be: catches a workbook typed
  entirely in 元, which no ratio between its own amounts can reveal.

Every threshold lives in ``LIMITS``; ``describe`` words them for the workbook's 填写说明 sheet and
checks.py reads them to keep its milder warnings below them, so no number is written twice.
A cell already named by the scale rule is not named again by the others: one slip, one message.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from reportgen.errors import Finding
from reportgen.model.report import Report
from reportgen.render.filters import pct, wan

TYPED_IN_YUAN = "疑似以元填写，应为万元"


@dataclass(frozen=True)
class Limits:
    # A 元/万元 slip multiplies by exactly 10⁴. In the three seed reports (and the example) the largest
    # amount is under 30× the median of the unit's nonzero amounts (岳阳 2241.30 / ~300, 峨眉山
    # 1366.22 / ~100), so 5000× sits two orders of magnitude above any real spread and still catches
    # an amount typed in 元 that is at least half the median. The median of all nonzero amounts
    # (not the mean, not the total) is not moved by the few figures a slip inflates.
    scale_factor: Decimal = Decimal(5000)
    scale_min_amounts: int = 6  # fewer nonzero amounts say nothing reliable about the unit's scale
    # 预算执行率 in %: above 100 is already a warning (checks.py); above this no budget explains it.
    # Real units sit at 90–100 % (岳阳 100.00, 炎陵 100.00); a 元 slip gives ~10⁶ %.
    max_execution_rate: Decimal = Decimal(150)
    # 人员经费 / 年末实有人数, 万元 per person per year. Seeds: 岳阳 1140.71/94 = 12.1, 峨眉山
    # 149.73/10 = 15.0, 炎陵 (工资福利+对个人和家庭的补助) 234.34/23 = 10.2, example 840.78/42 = 20.0.
    # The bounds leave 5–10× room either side; in 元 the seeds would be 100,000 and more.
    min_personnel_per_head: Decimal = Decimal("0.5")
    max_personnel_per_head: Decimal = Decimal(100)


LIMITS = Limits()


def describe(limits: Limits = LIMITS) -> str:
    """The rules in a clerk's words, for the 填写说明 sheet (numbers from ``limits``, never retyped)."""
    return (
        "程序会检查金额是否合理，以下情况视为错误（多为把“元”当“万元”填写），须改正后才能生成报告："
        f"①某一金额达到本单位各项非零金额中位数的 {limits.scale_factor:,} 倍以上；"
        f"②支出合计超过全年预算数的 {limits.max_execution_rate}%，或某项目执行数超过其全年预算的 "
        f"{limits.max_execution_rate}%（超过 100% 但不到 {limits.max_execution_rate}% 只作提示）；"
        "③“三公”经费预算数、决算数或上年决算数合计大于单位全年预算数、支出合计或上年支出合计，"
        "或某项目执行数大于单位支出合计；"
        f"④人员经费合计除以年末实有人数不在 {limits.min_personnel_per_head}–{limits.max_personnel_per_head} "
        "万元/人之间。"
    )


def _amounts(report: Report, refs: dict[str, str]) -> list[tuple[str, str, Decimal]]:
    """Every typed money figure with its cell and label (adjustments by absolute value)."""
    found: list[tuple[str, str, Decimal]] = []

    def add(path: str, label: str, value: Decimal | None) -> None:
        if value is not None:
            found.append((refs.get(path, path), label, abs(value)))

    income_labels = (("carryover", "上年结转"), ("general_budget", "一般公共预算财政拨款"),
                     ("gov_fund", "政府性基金拨款"), ("state_capital", "国有资本经营预算财政拨款"),
                     ("upper_grant", "上级补助收入"), ("business", "事业收入"), ("operating", "经营收入"),
                     ("affiliated", "附属单位上缴收入"), ("special_nontax", "纳入专户管理的非税收入"),
                     ("other", "其他收入"))
    for i, row in enumerate(report.income.rows):
        for key, label in income_labels:
            add(f"income[{i}].{key}", label, getattr(row, key))
    spend_labels = (("basic", "基本支出"), ("personnel", "人员经费"), ("public", "公用经费"),
                    ("wages", "工资福利支出"), ("goods_services", "商品和服务支出"),
                    ("household", "对个人和家庭的补助"), ("capital", "资本性支出"), ("project", "项目支出"),
                    ("to_upper", "上缴上级支出"), ("operating", "经营支出"), ("to_affiliated", "对附属单位补助支出"),
                    ("project_wages", "项目支出中工资福利支出"), ("project_goods_services", "项目支出中商品和服务支出"),
                    ("project_household", "项目支出中对个人和家庭的补助"), ("project_capital", "项目支出中资本性支出"))
    for i, row in enumerate(report.expenditure.rows):
        for key, label in spend_labels:
            add(f"expenditure[{i}].{key}", label, getattr(row, key))
    budget = report.budget
    add("budget.initial", "年初预算数", budget.initial)
    add("budget.adjustment", "预算调整数", budget.adjustment)
    add("budget.last_year_income", "上年收入合计", budget.last_year_income)
    add("budget.last_year_expenditure", "上年支出合计", budget.last_year_expenditure)
    for i, item in enumerate(report.three_public.rows):
        for key, label in (("budget", "预算数"), ("actual", "决算数"), ("last_year", "上年决算数")):
            add(f"three_public[{i}].{key}", f"{item.item}{label}", getattr(item, key))
    assets = report.assets
    for key, label in (("total", "资产总额"), ("liabilities", "负债总额"), ("fixed_in_use", "在用固定资产"),
                       ("fixed_rented", "出租固定资产"), ("fixed_other", "其他固定资产")):
        add(f"assets.{key}", label, getattr(assets, key))
    for i, project in enumerate(report.projects.rows):
        for key, label in (("initial", "年初预算"), ("adjustment", "预算调整"), ("executed", "执行数"),
                           ("initial_carryover", "年初预算中上年结转"), ("initial_other", "年初预算中其他资金"),
                           ("budget_carryover", "全年预算中上年结转"), ("budget_other", "全年预算中其他资金"),
                           ("executed_carryover", "执行数中上年结转"), ("executed_other", "执行数中其他资金")):
            add(f"projects[{i}].{key}", f"“{project.name}”{label}", getattr(project, key))
    return found


def _sheet_row(ref: str) -> str:
    """``收入!C7`` -> ``收入!7``: cells of one table row (or one key–value sheet) share a finding."""
    sheet, _, cell = ref.partition("!")
    row = cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return f"{sheet}!{row}" if sheet in ("收入", "支出", "三公经费", "项目") else sheet


def _scale(report: Report, refs: dict[str, str], limits: Limits) -> list[Finding]:
    """Amounts ≥ ``scale_factor`` × the median, one finding per table row (or key–value sheet).

    A row typed in 元 has small figures too (资本性支出 2.50 -> 25,000.00) that stay under the
    threshold, so the finding names every nonzero amount of that row: the clerk checks them together."""
    amounts = _amounts(report, refs)
    nonzero = [value for _, _, value in amounts if value]
    if len(nonzero) < limits.scale_min_amounts:
        return []
    typical = Decimal(median(nonzero))
    limit = typical * limits.scale_factor
    groups: dict[str, list[tuple[str, str, Decimal]]] = {}
    for amount in amounts:
        if amount[2]:
            groups.setdefault(_sheet_row(amount[0]), []).append(amount)
    findings = []
    for group, cells in groups.items():
        big = [(ref, label, value) for ref, label, value in cells if value >= limit]
        if not big:
            continue
        what = "、".join(f"{label} {wan(value)}" for _, label, value in big)
        also = ("，并核对同一" + ("行" if "!" in group else "表") + "的其他金额") if len(big) < len(cells) else ""
        findings.append(Finding(
            f"{what} 达到本单位各项金额中位数 {wan(typical)} 的 {limits.scale_factor:,} 倍以上，{TYPED_IN_YUAN}"
            f"（如确以元填写，请除以 10000{also}）",
            "、".join(ref for ref, _, _ in cells), "、".join(label for _, label, _ in big)))
    return findings


def _part_of_whole(report: Report, refs: dict[str, str], named: set[str]) -> list[Finding]:
    """“三公”经费 and each project are spent out of the unit's own money: more than the whole is a
    unit slip. (Only a project's 执行数 is compared: a 项目 table may list budgets the unit passes on,
    炎陵 2020's three project budgets add up to more than its 全年预算数.)"""
    tp = report.three_public
    findings = []
    spent = report.budget.executed
    for i, project in enumerate(report.projects.rows):
        cells = [refs.get(f"projects[{i}].{key}", "项目") for key in ("executed", "initial", "adjustment")]
        if project.executed > spent and not named.intersection(cells):
            findings.append(Finding(
                f"“{project.name}”执行数 {wan(project.executed)} 万元大于单位支出合计 {wan(spent)} 万元，{TYPED_IN_YUAN}"
                "（同一行的年初预算、预算调整请一并核对）", "、".join(cells), "执行数"))
    for key, label, part, whole_label, whole in (
            ("actual", "决算数", tp.actual_total, "支出合计", report.budget.executed),
            ("budget", "预算数", tp.budget_total, "全年预算数", report.budget.final),
            ("last_year", "上年决算数", tp.last_year_total, "上年支出合计", report.budget.last_year_expenditure)):
        cells = [refs.get(f"three_public[{i}].{key}", "三公经费") for i, item in enumerate(tp.rows)
                 if getattr(item, key)]
        if whole is not None and part > whole and not named.intersection(cells):
            findings.append(Finding(
                f"“三公”经费{label}合计 {wan(part)} 万元大于单位{whole_label} {wan(whole)} 万元，{TYPED_IN_YUAN}",
                "、".join(cells), label))
    return findings


def execution_too_high(rate: Decimal | None, limits: Limits = LIMITS) -> bool:
    """Spending so far beyond its budget that the figures cannot both be 万元 (checks.py keeps its
    warning for the milder overruns below this)."""
    return rate is not None and rate > limits.max_execution_rate


def _execution(report: Report, refs: dict[str, str], named: set[str], limits: Limits) -> list[Finding]:
    findings = []
    budget = report.budget
    if execution_too_high(budget.execution_rate, limits):
        cells = [refs.get(f"expenditure[{i}].{key}", "支出") for i in range(len(report.expenditure.rows))
                 for key in ("basic", "project")] + [refs.get("budget.initial", "预算"),
                                                     refs.get("budget.adjustment", "预算")]
        if not named.intersection(cells):
            findings.append(Finding(
                f"支出合计 {wan(budget.executed)} 万元是全年预算数 {wan(budget.final)} 万元的 "
                f"{pct(budget.execution_rate)}（超过 {limits.max_execution_rate}%），{TYPED_IN_YUAN}"
                "；如确有上年结转资金安排的支出，请计入“预算调整数”",
                "、".join(cells), "支出合计/全年预算数"))
    for i, project in enumerate(report.projects.rows):
        if not execution_too_high(project.execution_rate, limits):
            continue
        cells = [refs.get(f"projects[{i}].{key}", "项目") for key in ("executed", "initial", "adjustment")]
        if named.intersection(cells):
            continue
        findings.append(Finding(
            f"“{project.name}”执行数 {wan(project.executed)} 万元是全年预算 {wan(project.budget)} 万元的 "
            f"{pct(project.execution_rate)}（超过 {limits.max_execution_rate}%），{TYPED_IN_YUAN}",
            "、".join(cells), "执行数"))
    return findings


def _per_head(report: Report, refs: dict[str, str], named: set[str], limits: Limits) -> list[Finding]:
    personnel = report.expenditure.total.personnel
    staff = report.staff.actual
    if personnel == 0 or staff <= 0:  # staff paid by another unit, or no one: nothing to compare
        return []
    cells = [refs.get(f"expenditure[{i}].personnel", "支出") for i in range(len(report.expenditure.rows))]
    if named.intersection(cells):
        return []
    per_head = personnel / staff
    where = "、".join([*cells, refs.get("unit.staff_actual", "基本信息")])
    head = f"人员经费合计 {wan(personnel)} 万元 ÷ 年末实有人数 {staff} 人 = 人均 {wan(per_head)} 万元"
    if per_head > limits.max_personnel_per_head:
        return [Finding(f"{head}，超过 {limits.max_personnel_per_head} 万元/人，{TYPED_IN_YUAN}"
                        "（如整张表都以元填写，请把所有金额除以 10000）", where, "人员经费")]
    if per_head < limits.min_personnel_per_head:
        return [Finding(f"{head}，低于 {limits.min_personnel_per_head} 万元/人，请核对人员经费（万元）和年末实有人数",
                        where, "人员经费")]
    return []


def check_plausibility(report: Report, refs: dict[str, str], limits: Limits = LIMITS) -> list[Finding]:
    """Errors for figures that cannot all be 万元; each slip is named once, at its cells."""
    findings: list[Finding] = []
    named: set[str] = set()
    for rule in (lambda: _scale(report, refs, limits), lambda: _part_of_whole(report, refs, named),
                 lambda: _execution(report, refs, named, limits), lambda: _per_head(report, refs, named, limits)):
        found = rule()
        findings += found
        named.update(ref for f in found for ref in str(f.where).split("、"))
    return findings
