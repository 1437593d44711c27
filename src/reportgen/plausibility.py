"""Plausibility: figures that cannot all be 万元, caught as errors before a report says nonsense.

The typical slip is an amount typed in 元 (copied from a 决算 table that prints 元): it is 10⁴
times too large, and a report built from it says "全年支出10,279,873.89万元，预算执行率999997.46%".
These rules catch it, each an error naming the cells involved (codes P7xx, docs/findings.md):

* **scale** (P701) — one amount about 10⁴ times the unit's typical amount (a row or a figure typed in
  元 while the rest is in 万元). Every amount the clerk types is judged — the declaration says which
  (``model.relations.money_fields``) and how (``Cell(plausible=…)``): "amount" against the median of
  the unit's amounts, "fund" (a 社会保险基金, which may be far larger than the unit's own budget)
  with a wider margin, "none" not at all;
* **part of the whole** (P702) — “三公”经费 larger than the 支出合计 (or 全年预算数) it is part of, one
  project's 执行数 larger than the unit's 支出合计: small amounts typed in 元 (公务接待费 2.35 ->
  23,500; a whole small project row) that the scale rule cannot see;
* **execution** (P703) — 支出 far beyond the budget it was spent from (the unit's 支出合计 against its
  全年预算数; each project's 执行数 against its 全年预算): the spending typed in 元, the budget in 万元;
* **per head** (P704) — 人员经费 per 年末实有人数 outside what a salary can be: catches a workbook typed
  entirely in 元, which no ratio between its own amounts can reveal;
* **fund** (P706) — 社会保险基金收入 and 支出 of wholly different sizes: one of them typed in 元.

Any other small amount typed in 元 breaks a sum it belongs to; ``checks.sums`` says so there (P705).
Every threshold lives in ``LIMITS``; ``describe`` words them for the workbook's 填写说明 sheet and
checks read them to keep their milder warnings below them, so no number is written twice. A cell
already named by one rule is not named again by the next: one slip, one message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

from reportgen.errors import Finding, Location
from reportgen.model.inputs import KeyValue, label_of
from reportgen.model.records import Record, records
from reportgen.model.relations import money_fields, parts
from reportgen.model.report import Budget, ExpenditureRow, Project, Report, SocialFund, ThreePublicItem, Unit
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
    # A 社会保险基金 is not the unit's own money: a county 医保局 with a median amount of ~50 万元
    # manages ~30,000 万元 (600×), a province's fund can reach 10⁴× its bureau's median. In 元 the
    # county's would be ~6·10⁶×. 10⁵× lies between.
    fund_scale_factor: Decimal = Decimal(100_000)
    # 社会保险基金收入 and 支出 of one year are of one size (a fund runs a surplus or deficit of a few
    # percent, rarely more than half); one of them 1000× the other is one typed in 元.
    fund_pair_factor: Decimal = Decimal(1000)
    # 预算执行率 in %: above 100 is already a warning (checks); above this no budget explains it.
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
        f"①某一金额达到本单位各项非零金额中位数的 {limits.scale_factor:,} 倍以上"
        f"（社会保险基金为 {limits.fund_scale_factor:,} 倍以上）；"
        f"②支出合计超过全年预算数的 {limits.max_execution_rate}%，或某项目执行数超过其全年预算的 "
        f"{limits.max_execution_rate}%（超过 100% 但不到 {limits.max_execution_rate}% 只作提示）；"
        "③“三公”经费预算数、决算数或上年决算数合计大于单位全年预算数、支出合计或上年支出合计，"
        "或某项目执行数大于单位支出合计；"
        f"④人员经费合计除以年末实有人数不在 {limits.min_personnel_per_head}–{limits.max_personnel_per_head} "
        "万元/人之间；"
        "⑤某一金额使合计、资金来源等对不上，而除以 10000 后正好相符。"
    )


@dataclass(frozen=True)
class Amount:
    """One typed amount, judged by its size: its cell, its name in messages, its size (absolute
    value: an adjustment may be negative), how it is judged, and the record it belongs to."""

    where: Location
    label: str  # with the record's title: 局机关 其他收入
    name: str  # the field's label: 其他收入
    value: Decimal
    judged: str  # Cell.plausible: "amount" or "fund"
    record: str  # one finding per table row (or key–value sheet)


def amounts(report: Report, refs: dict[str, Location]) -> list[Amount]:
    """Every money amount the clerk typed, from the declaration (kind money, ``plausible`` not "none")."""
    found: list[Amount] = []
    for record in records(report):
        group = record.model.sheet.key if isinstance(record.model.sheet, KeyValue) else record.path  # type: ignore[attr-defined]
        for key, cell in money_fields(record.model):
            value = getattr(record.value, key)
            if value is None or cell.plausible == "none":
                continue
            found.append(Amount(record.where(refs, key), record.named(cell.label), cell.label, abs(value),
                                cell.plausible, group))
    return found


def _cells(amounts: Iterable[Amount]) -> Location:
    return Location.join(a.where for a in amounts)


def _scale(found: list[Amount], limits: Limits) -> list[Finding]:
    """Amounts ≥ ``scale_factor`` × the median, one finding per table row (or key–value sheet).

    A row typed in 元 has small figures too (资本性支出 2.50 -> 25,000.00) that stay under the
    threshold, so the finding names every nonzero amount of that row: the clerk checks them together."""
    nonzero = [a.value for a in found if a.value and a.judged == "amount"]
    if len(nonzero) < limits.scale_min_amounts:
        return []
    typical = Decimal(median(nonzero))
    limit = {"amount": typical * limits.scale_factor, "fund": typical * limits.fund_scale_factor}
    groups: dict[str, list[Amount]] = {}
    for amount in found:
        if amount.value:
            groups.setdefault(amount.record, []).append(amount)
    findings = []
    for group in groups.values():
        big = [a for a in group if a.value >= limit[a.judged]]
        if not big:
            continue
        what = "、".join(f"{a.label} {wan(a.value)}" for a in big)
        factor = limits.fund_scale_factor if all(a.judged == "fund" for a in big) else limits.scale_factor
        also = "，并核对同一行（表）的其他金额" if len(big) < len(group) else ""
        findings.append(Finding(
            f"{what} 达到本单位各项金额中位数 {wan(typical)} 的 {factor:,} 倍以上，{TYPED_IN_YUAN}"
            f"（如确以元填写，请除以 10000{also}）",
            _cells(group), "、".join(a.name for a in big), code="P701"))
    return findings


def _one(report: Report, model: type) -> Record:
    return next(iter(records(report, (model,))))


def _part_of_whole(report: Report, refs: dict[str, Location], named: set[Location]) -> list[Finding]:
    """“三公”经费 and each project are spent out of the unit's own money: more than the whole is a
    unit slip. (Only a project's 执行数 is compared: a 项目 table may list budgets the unit passes on,
    炎陵 2020's three project budgets add up to more than its 全年预算数.)"""
    tp = report.three_public
    findings = []
    spent = report.budget.executed
    for record in records(report, (Project,)):
        project = record.value
        where = Location.join(record.where(refs, key) for key in ("executed", "initial", "adjustment"))
        if project.executed > spent and not _touches(where, named):  # type: ignore[attr-defined]
            findings.append(Finding(
                f"{record.title}执行数 {wan(project.executed)} 万元大于单位支出合计 {wan(spent)} 万元，{TYPED_IN_YUAN}"  # type: ignore[attr-defined]
                "（同一行的年初预算、预算调整请一并核对）", where, "执行数", code="P702"))
    items = list(records(report, (ThreePublicItem,)))
    for key, label, part, whole_label, whole in (
            ("actual", "决算数", tp.actual_total, "支出合计", report.budget.executed),
            ("budget", "预算数", tp.budget_total, "全年预算数", report.budget.final),
            ("last_year", "上年决算数", tp.last_year_total, "上年支出合计", report.budget.last_year_expenditure)):
        where = Location.join(r.where(refs, key) for r in items if getattr(r.value, key))
        if whole is not None and part > whole and not _touches(where, named):
            findings.append(Finding(
                f"“三公”经费{label}合计 {wan(part)} 万元大于单位{whole_label} {wan(whole)} 万元，{TYPED_IN_YUAN}",
                where, label, code="P702"))
    return findings


def execution_too_high(rate: Decimal | None, limits: Limits = LIMITS) -> bool:
    """Spending so far beyond its budget that the figures cannot both be 万元 (checks keep their
    warning for the milder overruns below this)."""
    return rate is not None and rate > limits.max_execution_rate


def _execution(report: Report, refs: dict[str, Location], named: set[Location], limits: Limits) -> list[Finding]:
    findings = []
    budget = report.budget
    if execution_too_high(budget.execution_rate, limits):
        spent = [r.where(refs, key) for r in records(report, (ExpenditureRow,)) for key, _ in parts(r.model, "total")]
        planned = [_one(report, Budget).where(refs, key) for key, _ in parts(Budget, "final")]
        where = Location.join([*spent, *planned])
        if not _touches(where, named):
            findings.append(Finding(
                f"支出合计 {wan(budget.executed)} 万元是全年预算数 {wan(budget.final)} 万元的 "
                f"{pct(budget.execution_rate)}（超过 {limits.max_execution_rate}%），{TYPED_IN_YUAN}"
                "；如确有上年结转资金安排的支出，请计入“预算调整数”", where, "支出合计/全年预算数", code="P703"))
    for record in records(report, (Project,)):
        project = record.value
        if not execution_too_high(project.execution_rate, limits):  # type: ignore[attr-defined]
            continue
        where = Location.join(record.where(refs, key) for key in ("executed", "initial", "adjustment"))
        if _touches(where, named):
            continue
        findings.append(Finding(
            f"{record.title}执行数 {wan(project.executed)} 万元是全年预算 {wan(project.budget)} 万元的 "  # type: ignore[attr-defined]
            f"{pct(project.execution_rate)}（超过 {limits.max_execution_rate}%），{TYPED_IN_YUAN}",  # type: ignore[attr-defined]
            where, "执行数", code="P703"))
    return findings


def _per_head(report: Report, refs: dict[str, Location], named: set[Location], limits: Limits) -> list[Finding]:
    personnel = report.expenditure.total.personnel
    staff = report.staff.actual
    if personnel == 0 or staff <= 0:  # staff paid by another unit, or no one: nothing to compare
        return []
    where = Location.join([*(r.where(refs, "personnel") for r in records(report, (ExpenditureRow,))),
                           _one(report, Unit).where(refs, "staff_actual")])
    if _touches(Location(where.refs[:-1]), named):
        return []
    per_head = personnel / staff
    head = f"人员经费合计 {wan(personnel)} 万元 ÷ 年末实有人数 {staff} 人 = 人均 {wan(per_head)} 万元"
    if per_head > limits.max_personnel_per_head:
        return [Finding(f"{head}，超过 {limits.max_personnel_per_head} 万元/人，{TYPED_IN_YUAN}"
                        "（如整张表都以元填写，请把所有金额除以 10000）", where, "人员经费", code="P704")]
    if per_head < limits.min_personnel_per_head:
        return [Finding(f"{head}，低于 {limits.min_personnel_per_head} 万元/人，请核对人员经费（万元）和年末实有人数",
                        where, "人员经费", code="P704")]
    return []


def _fund_pair(report: Report, refs: dict[str, Location], named: set[Location], limits: Limits) -> list[Finding]:
    """社会保险基金收入 and 支出 of wholly different sizes: the larger one was typed in 元."""
    fund = report.social_fund
    if not fund.present or not fund.income or not fund.expenditure:
        return []
    record = _one(report, SocialFund)
    big, small = sorted((("income", fund.income), ("expenditure", fund.expenditure)), key=lambda kv: kv[1])[::-1]
    if big[1] < small[1] * limits.fund_pair_factor:
        return []
    where = record.where(refs, big[0])
    if _touches(where, named):
        return []
    label = {key: label_of(SocialFund, key) for key in ("income", "expenditure")}
    return [Finding(f"{label[big[0]]} {wan(big[1])} 是{label[small[0]]} {wan(small[1])} 的 {limits.fund_pair_factor:,} "
                    f"倍以上，{TYPED_IN_YUAN}", where, label[big[0]], code="P706")]


def _touches(where: Location, named: set[Location]) -> bool:
    return any(Location((ref,)) in named for ref in where.refs)


def check_plausibility(report: Report, refs: dict[str, Location], limits: Limits = LIMITS) -> list[Finding]:
    """Errors for figures that cannot all be 万元; each slip is named once, at its cells."""
    findings: list[Finding] = []
    named: set[Location] = set()
    for rule in (lambda: _scale(amounts(report, refs), limits), lambda: _part_of_whole(report, refs, named),
                 lambda: _execution(report, refs, named, limits), lambda: _per_head(report, refs, named, limits),
                 lambda: _fund_pair(report, refs, named, limits)):
        found = rule()
        findings += found
        named.update(Location((ref,)) for f in found for ref in f.where.refs)
    return findings
