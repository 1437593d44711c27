"""Hypothesis strategies: valid workbooks of units of any shape, drawn from the declaration.

The texts (names, indicators, narrative) come from one of the example units; every amount is drawn anew:
each money field of each record (``model.relations.money_fields``) is zero or not, and every declared
``equal`` sum (基本支出 = 人员经费 + 公用经费 = its 经济分类 …) is made to hold by drawing its parts and
setting its whole. The rest keeps the workbook plausible and consistent as a careful clerk's would be:
a budget the spending fits, 资金来源 that add up, assets that hold their parts.
"""

from __future__ import annotations

import copy
from decimal import Decimal as D
from typing import Any

from hypothesis import strategies as st

from reportgen.model.relations import money_fields, parts
from reportgen.model.report import ExpenditureRow, IncomeRow
from reportgen.workbook.units import UNITS

CENT = D("0.01")


def amounts(low: str = "1", high: str = "2000") -> st.SearchStrategy[D]:
    return st.decimals(min_value=D(low), max_value=D(high), places=2)


@st.composite
def split(draw: st.DrawFn, whole: D, n: int) -> list[D]:
    """``whole`` in ``n`` parts of whole cents (some may be 0), adding up exactly."""
    cents = int(whole * 100)
    cuts = sorted(draw(st.lists(st.integers(0, cents), min_size=n - 1, max_size=n - 1)))
    bounds = [0, *cuts, cents]
    return [D(bounds[i + 1] - bounds[i]) / 100 for i in range(n)]


@st.composite
def unit_values(draw: st.DrawFn) -> dict[str, Any]:
    base_name = draw(st.sampled_from(sorted(UNITS)))
    values = copy.deepcopy(UNITS[base_name])
    orgs = [row["org"] for row in values["income"]]
    staff = values["unit"]["staff_actual"]

    # 收入: each field of the row zero or not, 一般公共预算 always there
    income_fields = [key for key, _ in money_fields(IncomeRow)]
    values["income"] = [{"org": org, **{key: draw(st.one_of(st.just(D(0)), amounts("1", "300")))
                                        for key in income_fields}, "general_budget": draw(amounts("50", "2000"))}
                        for org in orgs]

    # 支出: 人员经费 a salary's worth per head; each declared equal sum made to hold by its parts
    personnel = draw(amounts("3", "30")) * staff
    shares = draw(split(personnel.quantize(CENT), len(orgs)))
    rows = []
    for org, paid in zip(orgs, shares, strict=True):
        row: dict[str, Any] = {"org": org, "personnel": paid + D(1), "public": draw(amounts("1", "300"))}
        row["basic"] = row["personnel"] + row["public"]
        for name in ("basic_economy",):
            for (key, _), value in zip(parts(ExpenditureRow, name), draw(split(row["basic"], 4)), strict=True):
                row[key] = value
        row["project"] = draw(st.one_of(st.just(D(0)), amounts("1", "800")))
        classified = draw(st.booleans()) and row["project"] > 0
        economy = draw(split(row["project"], 4)) if classified else [None] * 4
        for (key, _), value in zip(parts(ExpenditureRow, "project_economy"), economy, strict=True):
            row[key] = value
        for key in ("to_upper", "operating", "to_affiliated"):
            row[key] = draw(st.one_of(st.just(None), amounts("1", "100")))
        rows.append(row)
    values["expenditure"] = rows
    spent = sum((r["basic"] + r["project"] + sum((r[k] or D(0)) for k in ("to_upper", "operating", "to_affiliated"))
                 for r in rows), D(0))
    project_spent = sum((r["project"] for r in rows), D(0))

    # 预算: spending 85–100 % of the full-year budget
    final = (spent / draw(st.decimals(min_value=D("0.85"), max_value=D(1), places=2))).quantize(CENT)
    adjustment = draw(st.decimals(min_value=-final / 10, max_value=final / 5, places=2))
    budget = values["budget"]
    budget.update(initial=final - adjustment, adjustment=adjustment, basic_initial=None, basic_adjustment=None,
                  project_initial=None, project_adjustment=None,
                  last_year_income=draw(st.one_of(st.just(None), amounts("50", "5000"))),
                  last_year_expenditure=draw(st.one_of(st.just(None), amounts("50", "5000"))))
    values["funds"] = []  # 资金来源 would have to match 收入 to the source: left out
    values["by_function"] = []
    if draw(st.booleans()):  # 功能分类 lines that add up to the spending and the budget
        n = draw(st.integers(1, 4))
        actual, planned = draw(split(spent, n)), draw(split(final, n))
        values["by_function"] = [{"category": "一般公共服务支出", "section": f"款{i + 1}", "item": "行政运行",
                                  "budget": planned[i], "actual": actual[i]} for i in range(n)]

    # 项目: their 执行数 the unit's 项目支出, each spent 80–100 % of its budget, sources within it
    projects = values["projects"]
    if projects and project_spent:
        for project, executed in zip(projects, draw(split(project_spent, len(projects))), strict=True):
            budget_ = (executed / draw(st.decimals(min_value=D("0.8"), max_value=D(1), places=2))).quantize(CENT)
            carry = draw(st.sampled_from([D(0), (executed / 4).quantize(CENT)]))
            project.update(initial=budget_, adjustment=D(0), executed=executed, initial_carryover=None,
                           initial_other=None, budget_carryover=carry, budget_other=None, executed_carryover=carry,
                           executed_other=None, explanation=None)
    elif projects:
        values["projects"], values["project_indicators"] = [], []

    # 三公经费 small; assets holding their parts
    for item in values["three_public"]:
        item.update(budget=draw(amounts("0", "10")), last_year=draw(amounts("0", "10")))
        item["actual"] = min(item["budget"], draw(amounts("0", "10")))
    fixed = [draw(amounts("1", "500")), draw(st.one_of(st.just(D(0)), amounts("1", "50"))), draw(amounts("0", "50"))]
    current, intangible = draw(amounts("1", "800")), draw(st.one_of(st.just(None), amounts("1", "100")))
    total = sum(fixed, D(0)) + current + (intangible or D(0)) + draw(amounts("0", "100"))
    values["assets"] = {"total": total, "liabilities": draw(amounts("0", "100")), "fixed_in_use": fixed[0],
                        "fixed_rented": fixed[1], "fixed_other": fixed[2], "current": current,
                        "fixed_original": sum(fixed, D(0)), "fixed_net": (sum(fixed, D(0)) * D("0.8")).quantize(CENT),
                        "intangible": intangible}
    return values
