"""Input that cannot silently mislead (issue 9): money to the cent of 万元, and amounts that cannot
all be 万元 (typed in 元) stop ``reportgen check`` with errors naming their cells."""

from __future__ import annotations

import copy
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from reportgen.cells import parse_cell
from reportgen.checks import check_report
from reportgen.cli import main
from reportgen.formats.loader import resolve_format
from reportgen.formats.sheets import workbook_schema
from reportgen.plausibility import LIMITS, describe
from reportgen.workbook.assemble import build_report
from reportgen.workbook.blank import write_workbook
from reportgen.workbook.example import EXAMPLE
from reportgen.workbook.reader import open_workbook, read_sheets
from reportgen.workbook.schema import CORE_SHEETS, INSTRUCTIONS_SHEET, Field, TableSheet
from tests.conftest import CORE, without_breakdowns
from tests.test_seed_tables import yueyang_2020_values
from tests.xlsx_edit import set_cells

ROOT = Path(__file__).parents[1]
RUNNER = CliRunner()
YUAN = "疑似以元填写，应为万元"


def _check(path: Path) -> tuple[int, list[str], list[str]]:
    """``reportgen check``: exit code, error lines and warning lines (without their prefixes)."""
    result = RUNNER.invoke(main, ["check", str(path)], catch_exceptions=False)
    lines = result.output.splitlines()
    return (result.exit_code, [line[4:] for line in lines if line.startswith("错误  ")],
            [line[4:] for line in lines if line.startswith("提示  ")])


@pytest.fixture
def write(tmp_path: Path):
    """A workbook of the emeishan-2020 format (core sheets only: no scoring inputs, no survey)."""
    schema = workbook_schema(resolve_format("emeishan-2020"))

    def write(values: dict[str, Any]) -> Path:
        path = tmp_path / "wb.xlsx"
        write_workbook(schema, path, values)
        return path

    return write


def _findings(values: dict[str, Any], tmp_path: Path) -> list[str]:
    path = tmp_path / "core.xlsx"
    write_workbook(CORE, path, values)
    data = read_sheets(open_workbook(path), CORE, path)
    report, findings = build_report(data)
    return [f"{f.severity} {f}" for f in findings + check_report(report, data.refs)]


def _in_yuan(values: dict[str, Any], sheet: str = "", row: int | None = None) -> dict[str, Any]:
    """Every money value ×10000 (元 typed as 万元), or only those of one sheet / one table row."""
    values = copy.deepcopy(values)
    for spec in CORE_SHEETS:
        if sheet and spec.key != sheet:
            continue
        fields = spec.columns if isinstance(spec, TableSheet) else spec.fields
        money = [f.key for f in fields if f.kind == "money"]
        records = values[spec.key] if isinstance(spec, TableSheet) else [values[spec.key]]
        for i, record in enumerate(records):
            if row is not None and i != row:
                continue
            for key in money:
                if record.get(key) is not None:
                    record[key] = record[key] * 10000
    return values


# -- money to the cent ---------------------------------------------------------------------------

MONEY = Field("carryover", "上年结转", "money")


@pytest.mark.parametrize(("value", "expected"), [
    (283.63, D("283.63")),  # typed in Excel: the float's repr is the typed number
    ("283.600", D("283.600")),  # trailing zeros are still two decimals
    (0.1 + 0.2, D("0.3")),  # =0.1+0.2: binary noise beyond Excel's 15 digits is not the clerk's
    (100, D(100)),
    ("1,234.5", D("1234.5")),
])
def test_money_to_the_cent_is_accepted(value, expected) -> None:
    assert parse_cell(value, MONEY) == (expected, None)


@pytest.mark.parametrize(("value", "expected"), [
    (283.628389, "金额以万元为单位，最多两位小数, 实际为 283.628389（四舍五入到两位小数为 283.63；如由元换算而来，请先四舍五入到分）"),
    ("0.002611", "金额以万元为单位，最多两位小数, 实际为 0.002611（四舍五入到两位小数为 0.00；如由元换算而来，请先四舍五入到分）"),
    (100 / 3, "金额以万元为单位，最多两位小数, 实际为 33.3333333333333（四舍五入到两位小数为 33.33；如由元换算而来，请先四舍五入到分）"),
])
def test_money_beyond_the_cent_is_an_error(value, expected) -> None:
    assert parse_cell(value, MONEY) == (None, expected)


def test_other_numbers_keep_their_decimals() -> None:
    assert parse_cell(0.125, Field("weight", "分值", "decimal")) == (D("0.125"), None)
    assert parse_cell(3.0000000000000004, Field("n", "人数", "int")) == (3, None)
    # a negative amount is refused as negative, not as too precise
    assert parse_cell(-0.001, MONEY) == (None, "不能为负数, 实际为 -0.001")


def test_full_precision_amount_stops_check_naming_only_its_cell(write) -> None:
    path = write(copy.deepcopy(EXAMPLE))
    set_cells(path, path, {"收入": {"B2": 283.628389}})
    code, errors, warnings = _check(path)
    assert code == 2
    assert errors == ["收入!B2 W502 上年结转: 金额以万元为单位，最多两位小数, 实际为 283.628389"
                      "（四舍五入到两位小数为 283.63；如由元换算而来，请先四舍五入到分）"]
    assert warnings == []


# -- amounts typed in 元 ---------------------------------------------------------------------------

def test_whole_workbook_in_yuan_stops_check(write) -> None:
    code, errors, _ = _check(write(_in_yuan(EXAMPLE)))
    assert code == 2
    assert errors == [
        "支出!C2、支出!C3、基本信息!B12 P704 人员经费: 人员经费合计 8,407,800.00 万元 ÷ 年末实有人数 42 人 = 人均 200,185.71 万元，"
        "超过 100 万元/人，疑似以元填写，应为万元（如整张表都以元填写，请把所有金额除以 10000）"]


def test_one_row_in_yuan_is_named_with_all_its_cells(write) -> None:
    code, errors, _ = _check(write(_in_yuan(EXAMPLE, "expenditure", row=1)))
    assert code == 2
    # the row's cells, all of them; the execution rate and per-head cost it distorts are not repeated.
    # Every amount typed is judged (the declaration's money fields): the median of the example's 88 nonzero
    # amounts with this row ×10⁴ is 86.40 (the 44th and 45th), so 5,000× is 432,000.00: 公用经费 416,000.00
    # and 商品和服务支出 391,000.00 stay below it but are named with their row.
    assert errors == [
        "支出!B3、支出!C3、支出!D3、支出!E3、支出!F3、支出!G3、支出!H3、支出!I3、支出!N3 P701 基本支出、人员经费、"
        "工资福利支出、项目支出、项目支出中商品和服务支出: 青山县医疗保障事务中心 基本支出 2,700,000.00、"
        "青山县医疗保障事务中心 人员经费 2,284,000.00、青山县医疗保障事务中心 工资福利支出 2,155,000.00、"
        "青山县医疗保障事务中心 项目支出 458,000.00、青山县医疗保障事务中心 项目支出中商品和服务支出 458,000.00 "
        "达到本单位各项金额中位数 86.40 的 5,000 倍以上，疑似以元填写，应为万元（如确以元填写，请除以 10000，"
        "并核对同一行（表）的其他金额）"]


def test_income_row_and_assets_in_yuan(tmp_path: Path) -> None:
    values = _in_yuan(_in_yuan(EXAMPLE, "income", row=0), "assets")
    errors = [m for m in _findings(values, tmp_path) if m.startswith("error")]
    assert len(errors) == 2
    assert errors[0].startswith("error 收入!B2、收入!C2、收入!K2 P701 上年结转、一般公共预算财政拨款: "
                                "局机关 上年结转 523,600.00、局机关 一般公共预算财政拨款 11,638,900.00 达到本单位各项金额中位数 ")
    assert errors[1].startswith("error 资产!B2、资产!B3、资产!B4、资产!B6、资产!B7、资产!B8、资产!B9、资产!B10 P701 ")
    assert all(YUAN in m for m in errors)


def test_three_public_in_yuan_is_more_than_the_whole(tmp_path: Path) -> None:
    values = copy.deepcopy(EXAMPLE)
    values["three_public"][3]["actual"] = D("23500")  # 公务接待费 2.35 万元 typed as 23,500 元
    errors = [m for m in _findings(values, tmp_path) if m.startswith("error")]
    assert errors == ["error 三公经费!C4、三公经费!C5 P702 决算数: “三公”经费决算数合计 23,505.12 万元大于单位支出合计 "
                      "1,527.64 万元，疑似以元填写，应为万元"]


def test_project_spent_far_beyond_its_budget_is_an_error_not_a_hint(tmp_path: Path) -> None:
    values = copy.deepcopy(EXAMPLE)
    values["projects"][5]["executed"] = D("30.00")  # 业务培训经费: budget 12.00
    values["projects"][5]["explanation"] = None
    messages = _findings(values, tmp_path)
    assert [m for m in messages if "业务培训经费" in m] == [
        "error 项目!D7、项目!B7、项目!C7 P703 执行数: “业务培训经费”执行数 30.00 万元是全年预算 12.00 万元的 250.00%"
        "（超过 150%），疑似以元填写，应为万元"]


def test_small_project_row_in_yuan_is_more_than_the_unit_spent(tmp_path: Path) -> None:
    # 业务培训经费 12.00 / 8.40 万元 typed in 元: under the scale limit, its execution rate unchanged
    values = _in_yuan(EXAMPLE, "projects", row=5)
    messages = _findings(values, tmp_path)
    assert [m for m in messages if m.startswith("error")] == [
        "error 项目!D7、项目!B7、项目!C7 P702 执行数: “业务培训经费”执行数 84,000.00 万元大于单位支出合计 1,527.64 万元，"
        "疑似以元填写，应为万元（同一行的年初预算、预算调整请一并核对）"]


def test_mild_overruns_stay_hints(tmp_path: Path) -> None:
    values = without_breakdowns(copy.deepcopy(EXAMPLE))
    values["projects"][0]["executed"] = D("179.00")  # 149.17 % of 120.00
    values["budget"]["adjustment"] = D("-400.00")  # 1,527.64 of 1,080.25: 141.42 %
    messages = _findings(values, tmp_path)
    assert not [m for m in messages if m.startswith("error")]
    assert "warning 项目!D2 C619 执行数: “医疗保障基金监管经费”执行数 179.00 超过全年预算 120.00，请在“偏差说明”中说明原因" in messages
    assert not [m for m in messages if "超过全年预算数" in m]  # the unit's overspend: lint's L108 (test_lint)


def test_unit_spending_far_beyond_budget_is_one_error(tmp_path: Path) -> None:
    values = copy.deepcopy(EXAMPLE)
    values["budget"]["adjustment"] = D("-500.00")  # 1,527.64 of 980.25: 155.84 %
    messages = _findings(values, tmp_path)
    assert [m for m in messages if "全年预算数" in m] == [
        "error 支出!B2、支出!I2、支出!J2、支出!K2、支出!L2、支出!B3、支出!I3、支出!J3、支出!K3、支出!L3、预算!B2、预算!B3 P703 "
        "支出合计/全年预算数: 支出合计 1,527.64 万元是全年预算数 "
        "980.25 万元的 155.84%（超过 150%），疑似以元填写，应为万元；如确有上年结转资金安排的支出，请计入“预算调整数”"]


@pytest.mark.parametrize(("staff", "expected"), [
    (8, "人员经费合计 840.78 万元 ÷ 年末实有人数 8 人 = 人均 105.10 万元，超过 100 万元/人，" + YUAN),
    (1700, "人员经费合计 840.78 万元 ÷ 年末实有人数 1700 人 = 人均 0.49 万元，低于 0.5 万元/人，"
           "请核对人员经费（万元）和年末实有人数"),
], ids=["too-much", "too-little"])
def test_per_head_cost_outside_a_salary(tmp_path: Path, staff: int, expected: str) -> None:
    values = without_breakdowns(copy.deepcopy(EXAMPLE))
    values["unit"] |= {"staff_actual": staff, "staff_quota": 2000}
    errors = [m for m in _findings(values, tmp_path) if m.startswith("error")]
    assert len(errors) == 1
    assert errors[0].startswith(f"error 支出!C2、支出!C3、基本信息!B12 P704 人员经费: {expected}")


@pytest.mark.parametrize("values", [EXAMPLE, yueyang_2020_values()], ids=["example", "yueyang-2020"])
def test_example_and_seed_are_plausible(tmp_path: Path, values) -> None:
    messages = _findings(copy.deepcopy(values), tmp_path)
    assert not [m for m in messages if m.startswith("error")]
    assert not [m for m in messages if YUAN in m or "万元/人" in m]


def test_shipped_examples_check_clean() -> None:
    for path in sorted((ROOT / "inputs").glob("example*.xlsx")):
        code, errors, _ = _check(path)
        assert (path.name, code, errors) == (path.name, 0, [])


def test_instructions_list_the_limits(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    write_workbook(CORE, path)
    ws = openpyxl.load_workbook(path)[INSTRUCTIONS_SHEET]
    rows = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert rows["金额检查"] == describe()
    assert "最多两位小数" in rows["金额单位"]
    for shown in ("5,000 倍", "150%", "0.5–100 万元/人"):
        assert shown in rows["金额检查"]
    assert LIMITS.max_execution_rate == D(150) and LIMITS.scale_factor == D(5000)
