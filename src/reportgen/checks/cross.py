"""Sums that span sheets: 资金来源 against 预算 and 支出, 收入 by source against 资金来源, 功能分类 and
项目 against the unit's totals, assets against 资产总额.

Each is a :class:`~reportgen.checks.sums.Relation` between typed cells, so that an amount typed in
元 on either side is named as such, and a plain mismatch is named at every cell involved. Which
amounts enter a side comes from the declarations (``Cell(part_of=…, fund=…)``, the models' sums):
a new income column with ``fund="其他资金"`` joins the comparison by being declared.
"""

from __future__ import annotations

from collections.abc import Iterator

from reportgen.checks.sums import Relation, Term, sum_terms, term
from reportgen.model.inputs import InputModel
from reportgen.model.records import Record, records
from reportgen.model.relations import fund_fields
from reportgen.model.report import (
    FUND_SOURCES,
    Assets,
    Budget,
    ExpenditureRow,
    FunctionItem,
    FundSource,
    IncomeRow,
    Project,
    Report,
)

Refs = dict


def _records(report: Report, model: type[InputModel]) -> list[Record]:
    return list(records(report, (model,)))


def spent_terms(report: Report, refs: Refs) -> list[Term]:
    """支出合计 as the cells it is computed from (each row's 基本支出, 项目支出, …)."""
    return sum_terms(_records(report, ExpenditureRow), refs, "total")


def _budget(report: Report) -> Record:
    return _records(report, Budget)[0]


def funds_against_budget(report: Report, refs: Refs) -> Iterator[Relation]:
    """The 资金来源 sheet's columns each add up to the unit's 年初预算数, 全年预算数 and 支出合计."""
    if not report.funds.given:
        return
    rows = _records(report, FundSource)
    budget = _budget(report)
    wholes = {"initial": ([term(budget, refs, "initial")], "“预算”表年初预算数"),
              "final": (sum_terms([budget], refs, "final"), "全年预算数（年初预算数 + 预算调整数）"),
              "executed": (spent_terms(report, refs), "支出合计")}
    items = "、".join(r.value.item for r in rows)
    for key, (right, whole) in wholes.items():
        label = FundSource.model_fields[key].description or key
        yield Relation([term(r, refs, key) for r in rows], right, what=f"资金来源（{items}）的{label}", whole=whole,
                       field=label, code="C603")


def income_against_funds(report: Report, refs: Refs) -> Iterator[Relation]:
    """Each 资金来源's 全年预算数 against the 收入 sheet's amounts of that source (declared with
    ``Cell(fund=…)``): a warning beyond 尾差, since income received and budget may differ. Only for
    the default sources (本年财政拨款, 上年结转, 其他资金), which the income columns are declared in."""
    funds = {r.value.item: r for r in _records(report, FundSource) if r.value.final is not None}
    if set(funds) != set(FUND_SOURCES):  # a province's own sources (财政专户管理资金…) or none given
        return
    income = _records(report, IncomeRow)
    for item in FUND_SOURCES:  # every one is in funds (above)
        members = {r.path: fund_fields(r.model, item) for r in income}
        left = [term(r, refs, key) for r in income for key, _ in members[r.path]]
        if not any(t.value for t in left) and not funds[item].value.final:
            continue
        names = "、".join(dict.fromkeys(cell.label for fields in members.values() for _, cell in fields))
        yield Relation([t for t in left if t.value] or left[:1], [term(funds[item], refs, "final")],
                       what=f"“收入”表的{item}（{names}）", whole=f"“资金来源”表{item}全年预算数", field=item,
                       severity="warning", code="C604", note="，请核对收入和资金来源（如有差异请在报告中说明）")


def by_function_against_totals(report: Report, refs: Refs) -> Iterator[Relation]:
    """功能分类 决算数 add up to no more than 支出合计 (less: perhaps only 财政拨款 lines — a warning);
    预算数, where given, to no more than 全年预算数."""
    rows = _records(report, FunctionItem)
    if not rows:
        return
    actual = [term(r, refs, "actual") for r in rows]
    spent = spent_terms(report, refs)
    listed, total = sum(t.value for t in actual), sum(t.value for t in spent)
    if listed > total:
        yield Relation(actual, spent, what="功能分类决算数", whole="“支出”表支出合计", field="决算数", kind="at_most",
                       code="C605")
    else:
        yield Relation(actual, spent, what="功能分类决算数", whole="“支出”表支出合计", field="决算数",
                       severity="warning", code="C605", note="（如只列了一般公共预算财政拨款支出，可忽略）")
    budgets = [term(r, refs, "budget") for r in rows if r.value.budget is not None]
    if budgets:
        final = sum_terms([_budget(report)], refs, "final")
        yield Relation(budgets, final, what="功能分类预算数", whole="全年预算数", field="预算数", kind="at_most",
                       severity=None)


def projects_against_budget(report: Report, refs: Refs) -> Iterator[Relation]:
    """The 项目 sheet against the unit's 项目支出 (it may list only some projects: a warning)."""
    projects = _records(report, Project)
    if not projects:
        return
    note = "（如只列了部分项目，可忽略）"
    spent = [term(r, refs, "project") for r in _records(report, ExpenditureRow)]
    yield Relation([term(p, refs, "executed") for p in projects], spent, what="“项目”表执行数",
                   whole="“支出”表项目支出", field="执行数", severity="warning", code="C606", note=note)
    budget = _budget(report)
    if budget.value.project_initial is not None:
        yield Relation([term(p, refs, "initial") for p in projects], [term(budget, refs, "project_initial")],
                       what="“项目”表年初预算", whole="项目支出年初预算数", field="项目支出年初预算数",
                       severity="warning", code="C606", note=note)
        if budget.value.project_adjustment is not None:
            yield Relation([term(p, refs, "adjustment") for p in projects], [term(budget, refs, "project_adjustment")],
                           what="“项目”表预算调整", whole="项目支出预算调整数", field="项目支出预算调整数",
                           severity=None)
    else:
        yield Relation([term(p, refs, "initial") for p in projects], [term(budget, refs, "initial")],
                       what="“项目”表年初预算", whole="年初预算数", field="年初预算", severity=None)


def assets_against_total(report: Report, refs: Refs) -> Iterator[Relation]:
    """固定资产合计 within 资产总额 (its net value is compared when given, as a declared sum), 负债总额
    within 资产总额 (a warning: net assets may be negative), 固定资产合计 against its 原值 (only to
    catch 元)."""
    assets = _records(report, Assets)[0]
    total = [term(assets, refs, "total")]
    fixed = sum_terms([assets], refs, "fixed")
    if assets.value.fixed_net is None:
        yield Relation(fixed, total, what="固定资产合计（在用、出租、其他）", whole="资产总额", field="资产总额",
                       kind="at_most", code="C602")
    yield Relation([term(assets, refs, "liabilities")], total, what="负债总额", whole="资产总额", field="负债总额",
                   kind="at_most", severity="warning", code="C607")
    if assets.value.fixed_original is not None:
        yield Relation(fixed, [term(assets, refs, "fixed_original")], what="固定资产合计（在用、出租、其他）",
                       whole="固定资产原值", field="固定资产原值", severity=None)


def cross_relations(report: Report, refs: Refs) -> Iterator[Relation]:
    for source in (funds_against_budget, income_against_funds, by_function_against_totals, projects_against_budget,
                   assets_against_total):
        yield from source(report, refs)
