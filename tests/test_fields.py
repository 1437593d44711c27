"""Issue 10 part A: what the workbook and model hold beyond totals — fund sources, the 决算 income and
spending categories, 基本/项目支出 budgets, 项目支出 by 经济分类, 功能分类 lines, asset parts, staff by
kind, 社会保险基金 — with their derived figures and the checks that name the cells.

Expected figures are literals worked out by hand from workbook/example.py (or the seed's text)."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from reportgen.checks import check_report
from reportgen.errors import ReportgenError
from reportgen.model.report import Report
from reportgen.render.filters import pct, wan
from reportgen.workbook.assemble import build_report
from reportgen.workbook.example import EXAMPLE
from reportgen.workbook.reader import WorkbookData, open_workbook, read_sheets
from tests.conftest import CORE, without_breakdowns
from tests.docx_helpers import build_format, full_text
from tests.xlsx_edit import set_cells


@pytest.fixture(scope="module")
def example_read(tmp_path_factory: pytest.TempPathFactory) -> WorkbookData:
    """The example written and read once: its values and the cell of every value."""
    from reportgen.workbook.blank import write_workbook

    path = tmp_path_factory.mktemp("fields") / "wb.xlsx"
    write_workbook(CORE, path, copy.deepcopy(EXAMPLE))
    return read_sheets(open_workbook(path), CORE, path)


def _shares(items: list[Any]) -> list[tuple[str, str, str]]:
    return [(i.name, wan(i.amount), pct(i.share)) for i in items]


# --- the example's new figures -------------------------------------------------------------------


def test_example_new_figures(example_read: WorkbookData) -> None:
    report, findings = build_report(example_read)
    assert findings == [] and check_report(report, example_read.refs) == []

    # 本年收入 1,487.89 = 1,163.89 + 8.20 + 315.80 (上年结转 52.36 is not 本年收入); 1,479.69 / 1,487.89 = 99.449 %
    assert report.income.total.current_year == D("1487.89")
    assert _shares(report.income.categories) == [
        ("一般公共预算财政拨款收入", "1,479.69", "99.45%"), ("政府性基金预算财政拨款收入", "0.00", "0.00%"),
        ("国有资本经营预算财政拨款收入", "0.00", "0.00%"), ("上级补助收入", "0.00", "0.00%"), ("事业收入", "0.00", "0.00%"),
        ("经营收入", "0.00", "0.00%"), ("附属单位上缴收入", "0.00", "0.00%"), ("纳入专户管理的非税收入", "0.00", "0.00%"),
        ("其他收入", "8.20", "0.55%")]
    # 收入合计 1,540.25 = 52.36 + 1,487.89: its parts are 上年结转 and every category, shares of the 1,540.25
    assert _shares(report.income.sources)[:2] == [("上年结转", "52.36", "3.40%"),
                                                  ("一般公共预算财政拨款收入", "1,479.69", "96.07%")]
    assert [s.key for s in report.income.sources] == ["carryover"] + [c.key for c in report.income.categories]
    assert _shares(report.expenditure.kinds) == [
        ("基本支出", "1,030.64", "67.47%"), ("项目支出", "497.00", "32.53%"), ("上缴上级支出", "0.00", "0.00%"),
        ("经营支出", "0.00", "0.00%"), ("对附属单位补助支出", "0.00", "0.00%")]
    # 项目支出 497.00: 商品和服务 375.40 + 45.80, 对个人和家庭 12.00, 资本性 63.80
    assert _shares(report.expenditure.project_economy) == [
        ("工资福利支出", "0.00", "0.00%"), ("商品和服务支出", "421.20", "84.75%"),
        ("对个人和家庭的补助", "12.00", "2.41%"), ("资本性支出", "63.80", "12.84%")]

    basic, project = report.budget.basic, report.budget.project
    assert (basic.initial, basic.adjustment, basic.final, basic.executed) == (
        D("980.25"), D("55.00"), D("1035.25"), D("1030.64"))
    assert pct(basic.execution_rate) == "99.55%"  # 1,030.64 / 1,035.25
    assert (project.final, project.executed, pct(project.execution_rate)) == (D("505.00"), D("497.00"), "98.42%")

    funds = report.funds
    assert funds.given
    assert [(r.item, wan(r.initial), wan(r.final), wan(r.executed)) for r in funds.rows] == [
        ("本年财政拨款", "1,472.05", "1,479.69", "1,467.08"), ("上年结转", "0.00", "52.36", "52.36"),
        ("其他资金", "8.20", "8.20", "8.20")]
    assert pct(funds.fiscal.execution_rate) == "99.15%"  # 1,467.08 / 1,479.69
    served = report.projects.rows[1]  # 城乡居民医保经办服务经费: 追加 10.00 from 上年结转, spent
    assert [(f.item, f.initial, f.final, f.executed) for f in served.funds] == [
        ("本年财政拨款", D("150.00"), D("150.00"), D("150.00")), ("上年结转", 0, D("10.00"), D("10.00")),
        ("其他资金", 0, 0, 0)]
    assert (served.fiscal, served.fiscal_budget, served.other_funds) == (D("160.00"), D("160.00"), 0)

    by_function = report.by_function
    assert (by_function.total_actual, by_function.total_budget) == (D("1527.64"), D("1540.25"))
    assert pct(by_function.completion_rate) == "99.18%"
    assert [(c.name, wan(c.actual), pct(c.share), pct(c.completion_rate)) for c in by_function.classes] == [
        ("社会保障和就业支出", "129.60", "8.48%", "100.00%"),  # 86.40 + 43.20
        ("卫生健康支出", "1,335.64", "87.43%", "99.06%"),  # 38.50 + 560.34 + 239.80 + 497.00 of 1,348.25
        ("住房保障支出", "62.40", "4.08%", "100.00%")]
    running = by_function.rows[3]
    assert running.name == "卫生健康支出（类）医疗保障管理事务（款）行政运行（项）"
    assert pct(running.completion_rate) == "99.70%"  # 560.34 / 562.00

    assets = report.assets
    assert [pct(x) for x in (assets.current_share, assets.fixed_net_share, assets.intangible_share,
                             assets.fixed_newness_rate)] == ["51.12%", "38.31%", "10.57%", "89.65%"]
    assert assets.parts_total == assets.total == D("486.32")

    staff = report.staff
    assert [(k.name, k.quota, k.actual, pct(k.control_rate)) for k in staff.kinds] == [
        ("行政", 12, 11, "91.67%"), ("事业", 33, 31, "93.94%")]  # 参公 left empty: not listed
    assert (staff.temporary, staff.dispatched, staff.retired) == (3, 2, 9)
    assert not report.social_fund.present and report.social_fund.current_surplus is None


def test_blank_breakdowns_are_unknown_not_zero(example_read: WorkbookData) -> None:
    values = without_breakdowns(copy.deepcopy(example_read.values))
    values["social_fund"] = dict.fromkeys(values["social_fund"])
    values["funds"] = [{"item": r["item"], "initial": None, "final": None, "executed": None} for r in EXAMPLE["funds"]]
    report, _ = build_report(WorkbookData(values=values, refs=example_read.refs))
    assert check_report(report, example_read.refs) == []
    assert not report.funds.given and report.funds.fiscal.initial is None and wan(report.funds.fiscal.initial) == ""
    assert report.budget.basic is None and report.budget.project is None
    assert report.expenditure.project_economy is None
    assert report.by_function.classes == [] and report.by_function.completion_rate is None
    assert report.staff.kinds == [] and report.assets.fixed_newness_rate is None
    assert not report.social_fund.present


# --- bad cells and inconsistent figures: Chinese findings naming the cells -------------------------


def test_bad_new_cells_are_named(write_core) -> None:
    path = write_core()
    edits = {
        ("资金来源", "B2"): ("约50万", '资金来源!B2 W502 年初预算数: 应为数字, 实际为 "约50万"'),
        ("功能分类", "E2"): ("很多", '功能分类!E2 W502 决算数: 应为数字, 实际为 "很多"'),
        ("功能分类", "A3"): (None, "功能分类!A3 W501 类: 必填，不能为空"),
        ("社会保险基金", "B2"): ("有", '社会保险基金!B2 W502 是否有社会保险基金预算: 应为 是/否 之一, 实际为 "有"'),
        ("基本信息", "B13"): (1.5, '基本信息!B13 W502 行政编制数: 应为整数, 实际为 "1.5"'),
        ("收入", "E2"): ("无", '收入!E2 W502 国有资本经营预算财政拨款: 应为数字, 实际为 "无"'),
        ("支出", "J2"): (-3, "支出!J2 W502 上缴上级支出: 不能为负数, 实际为 -3"),
        ("支出", "P3"): ("一万", '支出!P3 W502 项目支出中资本性支出: 应为数字, 实际为 "一万"'),
        ("项目", "E2"): ("十", '项目!E2 W502 年初预算中上年结转: 应为数字, 实际为 "十"'),
        ("资产", "B7"): (-1, "资产!B7 W502 流动资产: 不能为负数, 实际为 -1"),
        ("预算", "B4"): ("abc", '预算!B4 W502 基本支出年初预算数: 应为数字, 实际为 "abc"'),
    }
    cells: dict[str, dict[str, object]] = {}
    for (sheet, cell), (value, _) in edits.items():
        cells.setdefault(sheet, {})[cell] = value
    set_cells(path, path, cells)
    data = read_sheets(open_workbook(path), CORE, path)
    with pytest.raises(ReportgenError) as exc:
        build_report(data)
    messages = [str(f) for f in exc.value.findings]
    assert sorted(messages) == sorted(expected for _, expected in edits.values())


def _findings(data: WorkbookData, edit) -> list[str]:
    """The example with one edit (a function of its values), assembled and checked in process."""
    values = copy.deepcopy(data.values)
    edit(values)
    report, findings = build_report(WorkbookData(values=values, refs=data.refs))
    return [f"{f.severity} {f}" for f in findings + check_report(report, data.refs)]


def _set(path: str, value: Any):
    def edit(values: dict[str, Any]) -> None:
        *keys, last = path.split(".")
        target: Any = values
        for key in keys:
            target = target[int(key)] if key.isdigit() else target[key]
        target[last] = value
    return edit


CHECKS = [
    # the sources must add up to the unit's figures (the cells named: the nonzero ones of each side)
    ("funds.0.initial", D("1470.05"), [
        "error 资金来源!B2、资金来源!B4、预算!B2 C603 年初预算数: 资金来源（本年财政拨款、上年结转、其他资金）的年初预算数"
        "之和为 1,478.25，与“预算”表年初预算数 1,480.25 相差 -2.00"]),
    ("funds.1.executed", None, [
        "error 资金来源!D3 C608 资金来源: 资金来源只填了一部分：请把每一行的年初预算数、全年预算数、全年执行数都填上（没有的填 0），"
        "或整表留空"]),
    # 基本 + 项目 = the unit's budget
    ("budget.basic_initial", D("990.25"), [
        "error 预算!B4、预算!B6、预算!B2 C601 年初预算数: 基本支出年初预算数 + 项目支出年初预算数之和为 1,490.25，"
        "与填写的年初预算数 1,480.25 相差 10.00"]),
    ("budget.project_initial", None, [
        "error 预算!B6 C610 项目支出年初预算数: 填写了项目支出预算调整数，请同时填写项目支出年初预算数",
        "error 预算!B6 C610 项目支出年初预算数: 基本支出和项目支出的年初预算数请都填写（或都不填），缺项目支出年初预算数"]),
    # a project's 上年结转 and 其他资金 cannot exceed its amount (200.00 is no 元 slip: not 1000× the 118.50)
    ("projects.0.executed_other", D("200.00"), [
        "error 项目!J2、项目!D2 C602 执行数: “医疗保障基金监管经费”执行数中上年结转和其他资金之和 200.00 大于执行数 118.50",
        "warning 项目!J2 C612 执行数中其他资金: “医疗保障基金监管经费”执行数中其他资金 200.00 超过全年预算中其他资金 0.00"]),
    # 项目支出 by 经济分类 sums to 项目支出
    ("expenditure.0.project_capital", D("53.80"), [
        "error 支出!N2、支出!O2、支出!P2、支出!I2 C601 项目支出: 局机关 项目支出中工资福利、商品和服务、对个人和家庭的补助、"
        "资本性支出之和为 441.20，与填写的项目支出 451.20 相差 -10.00"]),
    # 功能分类: not more than the unit spent (支出合计 at the 基本支出 and 项目支出 cells it is the sum of)
    ("by_function.5.actual", D("597.00"), [
        "error 功能分类!E2、功能分类!E3、功能分类!E4、功能分类!E5、功能分类!E6、功能分类!E7、功能分类!E8、支出!B2、支出!I2、"
        "支出!B3、支出!I3 C605 决算数: 功能分类决算数之和 1,627.64 大于“支出”表支出合计 1,527.64"]),
    # assets: parts ≤ 资产总额, 净值 ≤ 原值
    ("assets.fixed_net", D("210.00"), [
        "error 资产!B7、资产!B9、资产!B10、资产!B2 C602 资产总额: 流动资产、固定资产净值、无形资产之和 510.02 大于资产总额 486.32",
        "error 资产!B9、资产!B8 C602 固定资产原值: 固定资产净值 210.00 大于固定资产原值 207.80"]),
    # staff by kind adds up to the totals
    ("unit.quota_admin", 10, [
        "error 基本信息!B13、基本信息!B15、基本信息!B11 C601 人员编制数: 行政、参公、事业编制数之和为 43，"
        "与填写的人员编制数 45 相差 -2",
        "warning 基本信息!B16 C616 行政实有人数: 行政实有人数 11 超过行政编制数 10"]),
    # 社会保险基金: amounts only with 是, and 是 needs its amounts
    ("social_fund.income", D("10.00"), [
        "error 社会保险基金!B2、社会保险基金!B3 C617 是否有社会保险基金预算: 填写了社会保险基金金额，但“是否有社会保险基金预算”"
        "不是“是”：有基金预算请填“是”，没有请删除金额"]),
    ("social_fund.managed", True, [
        "error 社会保险基金!B3 C617 社会保险基金收入: “是否有社会保险基金预算”为“是”，请填写社会保险基金收入",
        "error 社会保险基金!B4 C617 社会保险基金支出: “是否有社会保险基金预算”为“是”，请填写社会保险基金支出"]),
]


@pytest.mark.parametrize(("path", "value", "expected"), CHECKS, ids=[c[0] for c in CHECKS])
def test_inconsistent_new_figures_are_named(example_read: WorkbookData, path: str, value: Any,
                                            expected: list[str]) -> None:
    assert _findings(example_read, _set(path, value)) == expected


def test_function_lines_at_one_level(example_read: WorkbookData) -> None:
    def edit(values: dict[str, Any]) -> None:
        values["by_function"][5]["actual"] = D("487.00")  # leaves 10.00 for the 类 total line below
        values["by_function"].append({"category": "卫生健康支出", "section": None, "item": None, "budget": None,
                                      "actual": D("10.00")})
        values["by_function"].append(dict(values["by_function"][0]))

    refs = dict(example_read.refs, **{"by_function[7]": "功能分类!第9行", "by_function[8]": "功能分类!第10行"})
    found = _findings(WorkbookData(values=example_read.values, refs=refs), edit)
    assert ("error 功能分类!第10行 C614 类: “社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）”"
            "填了两行（另见功能分类!第2行），请合并为一行") in found
    assert ("error 功能分类!第4行、功能分类!第5行、功能分类!第6行、功能分类!第7行、功能分类!第9行 C615 类: “卫生健康支出（类）”"
            "既有合计行又有“款”明细行，会重复计算：请删除合计行或明细行") in found


# --- a seed's figures that could not be typed before ----------------------------------------------


def emeishan_2020_values() -> dict[str, Any]:
    """峨眉山市医疗保障局 2020 (seed emeishan-2020.txt, 第二部分 部门决算情况说明), amounts in 万元.

    Its 基本支出 by 经济分类 is not printed: 人员经费 149.73 is typed as 工资福利, 公用经费 38.04 as
    商品和服务. Its 功能分类 lines are the 一般公共预算财政拨款 ones (sum 724.99 of 支出合计 731.23)."""
    values = without_breakdowns(copy.deepcopy(EXAMPLE))
    values["unit"] |= {"name": "峨眉山市医疗保障局", "year": 2020, "staff_quota": 11, "staff_actual": 8,
                       "quota_admin": 11, "actual_admin": 8, "fill_date": dt.date(2021, 3, 31)}
    values["income"] = [{"org": "局机关", "carryover": D("2.31"), "general_budget": D("724.99"), "gov_fund": D("3.93"),
                         "upper_grant": D(0), "business": D(0), "operating": D(0), "affiliated": D(0),
                         "special_nontax": D(0), "other": D(0)}]
    values["expenditure"] = [{"org": "局机关", "basic": D("187.77"), "personnel": D("149.73"), "public": D("38.04"),
                              "wages": D("149.73"), "goods_services": D("38.04"), "household": D(0), "capital": D(0),
                              "project": D("543.46"), "to_upper": D(0), "operating": D(0), "to_affiliated": D(0)}]
    values["budget"] |= {"initial": D("731.23"), "adjustment": D(0), "last_year_income": None,
                         "last_year_expenditure": None}
    lines = [("社会保障和就业支出", "行政事业单位养老支出", "机关事业单位基本养老保险缴费支出", "10.04"),
             ("社会保障和就业支出", "行政事业单位养老支出", "机关事业单位职业年金缴费支出", "5.02"),
             ("社会保障和就业支出", "其他社会保障和就业支出", "其他社会保障和就业支出", "0.50"),
             ("卫生健康支出", "行政事业单位医疗", "行政单位医疗", "3.84"),
             ("卫生健康支出", "医疗保障管理事务", "行政运行", "150.32"),
             ("卫生健康支出", "医疗保障管理事务", "医疗保障经办事务", "33.33"),
             ("卫生健康支出", "医疗保障管理事务", "事业运行", "3.15"),
             ("卫生健康支出", "医疗保障管理事务", "其他医疗保障管理事务支出", "0.14"),
             ("卫生健康支出", "其他卫生健康支出", "其他卫生健康支出", "235.91"),
             ("农林水支出", "扶贫", "社会发展", "267.84"),
             ("住房保障支出", "住房改革支出", "住房公积金", "14.90")]
    values["by_function"] = [{"category": c, "section": s, "item": i, "budget": D(x), "actual": D(x)}
                             for c, s, i, x in lines]  # 完成预算100%，决算数等于预算数
    values["projects"] = [p for p in values["projects"] if p["name"] == "医疗保障基金监管经费"]
    values["project_indicators"] = []
    return values


def test_emeishan_2020_categories_and_function_lines(tmp_path: Path) -> None:
    from tests.docx_helpers import example_values

    values = emeishan_2020_values() | {k: v for k, v in example_values("emeishan-2020").items()
                                       if k not in EXAMPLE}
    evaluation, paths = build_format(tmp_path, "emeishan-2020", values)
    r: Report = evaluation.report
    assert [f for f in evaluation.findings if f.is_error] == []
    # seed: 本年收入合计728.92万元，其中：一般公共预算财政拨款收入724.99万元，占99.46%；政府性基金…3.93万元，占0.54%
    assert r.income.total.current_year == D("728.92")
    assert _shares(r.income.categories)[:4] == [
        ("一般公共预算财政拨款收入", "724.99", "99.46%"), ("政府性基金预算财政拨款收入", "3.93", "0.54%"),
        ("国有资本经营预算财政拨款收入", "0.00", "0.00%"), ("上级补助收入", "0.00", "0.00%")]
    # seed: 本年支出合计731.23万元，其中：基本支出187.77万元，占25.68%；项目支出543.46万元，占74.32%；上缴上级支出0万元…
    assert _shares(r.expenditure.kinds)[:3] == [
        ("基本支出", "187.77", "25.68%"), ("项目支出", "543.46", "74.32%"), ("上缴上级支出", "0.00", "0.00%")]
    # its 11 lines add up to 724.99 (the 一般公共预算财政拨款支出); the seed's own 类 sentence (卫生健康支出428.99万元，
    # 占58.98% of 727.30) does not add up with its lines, so the 类 figures here are the lines' sums
    assert [(c.name, wan(c.actual), pct(c.share)) for c in r.by_function.classes] == [
        ("社会保障和就业支出", "15.56", "2.15%"), ("卫生健康支出", "426.69", "58.85%"),
        ("农林水支出", "267.84", "36.94%"), ("住房保障支出", "14.90", "2.06%")]
    assert [(k.name, k.quota, k.actual) for k in r.staff.kinds] == [("行政", 11, 8)]  # 行政编制11名，在职在编8名
    # a warning, not an error: the lines are the 财政拨款 part only
    assert [f.message for f in evaluation.findings if f.field == "决算数"] == [
        "功能分类决算数之和为 724.99，与“支出”表支出合计 731.23 相差 -6.24（如只列了一般公共预算财政拨款支出，可忽略）"]

    text = full_text(next(p for p in paths if p.name.endswith("部门整体支出绩效评价报告.docx")))
    # the seed's sentences, less its runs of zero items (上级补助收入0.00万元，占0.00%；…): the sources the unit has
    assert ("本年收入合计728.92万元，其中：一般公共预算财政拨款收入724.99万元，占99.46%；政府性基金预算财政拨款收入3.93万元，"
            "占0.54%。") in text
    assert "总支出731.23万元，其中：基本支出187.77万元，占25.68%；项目支出543.46万元，占74.32%。" in text
    assert "上缴上级支出" not in text and "0.00万元，占0.00%" not in text
    assert "卫生健康支出426.69万元，占58.85%；农林水支出267.84万元，占36.94%" in text
    assert ("5.卫生健康支出（类）医疗保障管理事务（款）行政运行（项）：支出决算数150.32万元，完成预算100.00%，"
            "决算数等于预算数。") in text
