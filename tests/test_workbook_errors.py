"""Bad workbooks a clerk could produce: each gives its Chinese message naming sheet!cell and field."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from reportgen.checks import check_report
from reportgen.errors import ReportgenError
from reportgen.workbook.assemble import build_report
from reportgen.workbook.reader import open_workbook, read_sheets
from tests.conftest import CORE
from tests.xlsx_edit import Formula, set_cell


def _messages(path: Path) -> list[str]:
    """All findings (errors and warnings) for a workbook, as printed to the clerk."""
    data = read_sheets(open_workbook(path), CORE, path)
    try:
        report, findings = build_report(data)
    except ReportgenError as exc:
        return [str(f) for f in exc.findings]
    return [str(f) for f in findings + check_report(report, data.refs)]


def _edit(path: Path, sheet: str, cell: str, value) -> Path:
    """``sheet!cell`` set to ``value`` in place; as with openpyxl's ``ws[cell] = value``, a text
    beginning with "=" is a formula (without a cached value)."""
    if isinstance(value, str) and value.startswith("="):
        value = Formula(value)
    return set_cell(path, sheet, cell, value)


CASES = [
    # (sheet, cell, value, expected message)
    ("收入", "B2", "约50万", '收入!B2 W502 上年结转: 应为数字, 实际为 "约50万"'),
    ("基本信息", "B2", None, "基本信息!B2 W501 单位名称: 必填，不能为空"),
    ("基本信息", "B3", "2025年", '基本信息!B3 W502 年度: 应为数字, 实际为 "2025年"'),
    ("基本信息", "B11", 45.5, '基本信息!B11 W502 人员编制数: 应为整数, 实际为 "45.5"'),
    ("基本信息", "B4", "机关", '基本信息!B4 W502 单位性质: 应为 行政单位/参照公务员法管理事业单位/事业单位 之一, 实际为 "机关"'),
    ("基本信息", "B26", "明年三月", '基本信息!B26 W502 填报日期: 应为日期（如 2026-03-31）, 实际为 "明年三月"'),
    ("项目", "K2", "对", '项目!K2 W502 是否重点项目: 应为 是/否 之一, 实际为 "对"'),
    ("资产", "B2", -5, "资产!B2 W502 资产总额: 不能为负数, 实际为 -5"),
    ("支出", "C2", "=B2-D2", "支出!C2 W512 人员经费: 公式 =B2-D2 没有计算结果"),
    # thousands separators only between groups of three (a slip, or a decimal comma)
    ("收入", "B2", "1,5", '收入!B2 W502 上年结转: 千位分隔符位置不对, 实际为 "1,5"（应从个位起每三位一组'),
    # numbers the report cannot show are errors at their cell, not a later decimal failure
    ("收入", "B2", 10 ** 12, '收入!B2 W502 上年结转: 数值过大, 实际为 "1000000000000"（绝对值应小于 1,000,000,000,000；金额单位为万元）'),
    ("收入", "B2", 1e300, '收入!B2 W502 上年结转: 数值过大, 实际为 "1e+300"'),
    ("基本信息", "B11", 10 ** 13, '基本信息!B11 W502 人员编制数: 数值过大, 实际为 "10000000000000"（绝对值应小于 1,000,000,000,000）'),
    # a plausible year only
    ("基本信息", "B3", 1900, "基本信息!B3 W502 年度: 应在 2000 到 2100 之间, 实际为 1900"),
]


@pytest.mark.parametrize(("sheet", "cell", "value", "expected"), CASES)
def test_bad_cell_is_named(write_core, sheet, cell, value, expected) -> None:
    path = _edit(write_core(), sheet, cell, value)
    messages = _messages(path)
    assert any(m.startswith(expected) for m in messages), messages


def test_all_problems_in_one_pass(write_core) -> None:
    path = write_core()
    _edit(path, "收入", "B2", "约50万")
    _edit(path, "资产", "B2", "很多")
    _edit(path, "基本信息", "B2", None)
    with pytest.raises(ReportgenError) as exc:
        build_report(read_sheets(open_workbook(path), CORE, path))
    wheres = {f.where for f in exc.value.findings}
    assert {"收入!B2", "资产!B2", "基本信息!B2"} <= wheres


def test_missing_sheet_and_column(write_core) -> None:
    path = write_core()
    wb = openpyxl.load_workbook(path)
    del wb["三公经费"]
    wb["项目"]["D1"] = "执行金额"  # renamed header
    wb.save(path)
    messages = _messages(path)
    assert any("缺少工作表“三公经费”" in m for m in messages)
    assert any(m.startswith("项目 W506 执行数: 找不到“执行数”列") for m in messages)


def test_rows_and_columns_may_move(write_core) -> None:
    """Read by label and header text: inserting rows and reordering columns changes nothing."""
    path = write_core()
    wb = openpyxl.load_workbook(path)
    wb["基本信息"].insert_rows(3, amount=2)
    wb["收入"].move_range("B1:B3", cols=10)  # 上年结转 column moved to the far right
    wb.save(path)
    data = read_sheets(open_workbook(path), CORE, path)
    report, _ = build_report(data)
    assert report.unit.name == "青山县医疗保障局"
    assert report.income.total.carryover == D("52.36")


@pytest.mark.parametrize(("content", "expected"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 .xls/.et 格式"),
    ("单位名称,年度\n".encode(), "不是有效的 .xlsx 工作簿"),
    (b"PK\x03\x04broken", "不是有效的 .xlsx"),
])
def test_unreadable_files(tmp_path, content, expected) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(ReportgenError) as exc:
        open_workbook(path)
    assert expected in str(exc.value)


def test_missing_file(tmp_path) -> None:
    with pytest.raises(ReportgenError, match="找不到文件"):
        open_workbook(tmp_path / "nope.xlsx")


# --- consistency checks: the slips the seed reports contain -----------------------------------

def test_parts_not_adding_up_to_basic_is_an_error(write_core, example_values) -> None:
    # yueyang-2020: 基本支出 1502.19 but 人员 1140.71 + 公用 338.41 = 1479.12
    example_values["expenditure"][0].update(basic=D("1502.19"), personnel=D("1140.71"), public=D("338.41"),
                                            wages=D("1093.69"), goods_services=D("338.41"),
                                            household=D("47.02"), capital=D("23.08"))
    messages = _messages(write_core(example_values))
    assert ("支出!C2、支出!D2、支出!B2 C601 基本支出: 局机关 人员经费 + 公用经费之和为 1,479.12，"
            "与填写的基本支出 1,502.19 相差 -23.07") in messages, messages
    # the four economic classes sum to 1502.20: a one-cent rounding difference is only a warning
    assert any("资本性支出之和为 1,502.20" in m and "尾差" in m for m in messages), messages


def test_fixed_assets_larger_than_total_assets(write_core, example_values) -> None:
    # yanling-2020: 资产总额 20.4 万元, 固定资产 24.44 万元
    example_values["assets"].update(total=D("20.40"), liabilities=D(0), fixed_in_use=D("24.44"),
                                    fixed_rented=D(0), fixed_other=D(0), current=None, fixed_original=None,
                                    fixed_net=None, intangible=None)
    messages = _messages(write_core(example_values))
    assert "资产!B4、资产!B2 C602 资产总额: 固定资产合计（在用、出租、其他）之和 24.44 大于资产总额 20.40" in messages


def test_overspent_project_needs_explanation(write_core, example_values) -> None:
    example_values["projects"][1]["explanation"] = None  # 160.00 spent of 150 + 10 = 160: fine
    example_values["projects"][0]["executed"] = D("130.00")  # over its 120.00 budget
    messages = _messages(write_core(example_values))
    assert any(m.startswith("项目!D2 C619 执行数: “医疗保障基金监管经费”执行数 130.00 超过全年预算 120.00") for m in messages)


def test_staff_over_quota_warns(write_core, example_values) -> None:
    example_values["unit"]["staff_actual"] = 48
    messages = _messages(write_core(example_values))
    assert any("年末实有人数 48 超过编制数 45" in m for m in messages)


def test_project_indicator_for_unknown_project(write_core, example_values) -> None:
    example_values["project_indicators"][0]["project"] = "不存在的项目"
    messages = _messages(write_core(example_values))
    assert "项目指标!A2 W522 项目名称: “项目”表中没有名为“不存在的项目”的项目" in messages


def test_example_is_consistent(write_core) -> None:
    assert _messages(write_core()) == []
