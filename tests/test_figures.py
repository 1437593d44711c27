"""Derived figures, checked against the figures the seed reports print."""

from decimal import Decimal as D

from reportgen.model.report import (
    Assets,
    Budget,
    Expenditure,
    ExpenditureRow,
    Staff,
    ThreePublic,
    ThreePublicItem,
)
from reportgen.render.filters import pct


def _row(basic: str, personnel: str, public: str, project: str) -> ExpenditureRow:
    return ExpenditureRow(org="局机关", basic=D(basic), personnel=D(personnel), public=D(public), wages=D(0),
                          goods_services=D(0), household=D(0), capital=D(0), project=D(project))


def test_yueyang_2020_shares() -> None:
    # yueyang-2020: 总支出 2241.3, 基本 1502.19 (67.02%), 人员 1140.71 (75.94%), 公用 338.41 (22.53%)
    e = Expenditure(rows=[_row("1502.19", "1140.71", "338.41", "739.11")])
    assert e.total.total == D("2241.30")
    assert pct(e.basic_share) == "67.02%"
    assert pct(e.personnel_share) == "75.94%"
    assert pct(e.public_share) == "22.53%"


def test_emeishan_2020_shares() -> None:
    # emeishan-2020: 基本支出 187.77 占 25.68%, 项目支出 543.46 占 74.32% of 731.23
    e = Expenditure(rows=[_row("187.77", "149.73", "38.04", "543.46")])
    assert pct(e.basic_share) == "25.68%"
    assert pct(e.project_share) == "74.32%"
    # 一般公共预算财政拨款收入 724.99 of 728.92 = 99.46% (same percent helper as every share)
    from reportgen.model.report import percent

    assert pct(percent(D("724.99"), D("728.92"))) == "99.46%"


def test_rates_round_half_up_only_at_presentation() -> None:
    b = Budget(initial=D("126.33"), adjustment=D(0), executed=D("124.23"), income_total=D(0))
    assert b.execution_rate == D("124.23") * 100 / D("126.33")  # exact, unrounded
    assert pct(b.execution_rate) == "98.34%"


def test_yanling_2020_staff_and_three_public() -> None:
    assert pct(Staff(quota=28, actual=23).control_rate) == "82.14%"
    tp = ThreePublic(rows=[
        ThreePublicItem(item="因公出国（境）费", budget=D(0), actual=D(0), last_year=D(0)),
        ThreePublicItem(item="公务用车购置费", budget=D(0), actual=D(0), last_year=D(0)),
        ThreePublicItem(item="公务用车运行维护费", budget=D(0), actual=D(0), last_year=D(0)),
        ThreePublicItem(item="公务接待费", budget=D("1.5"), actual=D("1.5639"), last_year=D(0)),
    ])
    assert pct(tp.control_rate) == "104.26%"
    assert tp.change_rate is None  # 上年为 0: 变动率无法计算
    assert pct(tp.change_rate) == "—"


def test_zero_denominators_are_undefined_not_errors() -> None:
    assert Staff(quota=0, actual=3).control_rate is None
    assets = Assets(total=D(0), liabilities=D(0), fixed_in_use=D(0), fixed_rented=D(0), fixed_other=D(0))
    assert assets.fixed_utilization is None
    assert Budget(initial=D(0), adjustment=D(0), executed=D(0), income_total=D(0)).adjustment_rate is None


def test_example_workbook_figures(write_core) -> None:
    from reportgen.workbook.assemble import build_report
    from reportgen.workbook.reader import open_workbook, read_sheets
    from tests.conftest import CORE

    path = write_core()
    data = read_sheets(open_workbook(path), CORE, path)
    report, findings = build_report(data)
    assert findings == []
    assert report.income.total.total == D("1540.25")
    assert report.expenditure.total.total == D("1527.64")
    assert report.balance.year_end == D("12.61")
    assert pct(report.budget.execution_rate) == "99.18%"
    assert pct(report.three_public.change_rate) == "-14.53%"
    assert pct(report.projects.key_share) == "92.72%"
    assert report.projects.total_spent == report.expenditure.total.project
