"""Relations live on the declaration: a new amount joins every total, printed list and check by being
declared; the checks a reviewer runs (收入 vs 资金来源, duplicate project names, merged cells); what a
format does not read is neither asked for nor checked; projects without 绩效指标 do not block the unit.

Figures are worked out by hand from workbook/example.py (or the unit named)."""

from __future__ import annotations

import copy
from decimal import Decimal as D
from pathlib import Path
from typing import Annotated, Any

import openpyxl
import pytest
from click.testing import CliRunner

from reportgen.checks import check_report
from reportgen.cli import main
from reportgen.errors import ReportgenError
from reportgen.model.inputs import Cell
from reportgen.model.relations import money_fields, parts
from reportgen.model.report import EMPTY_IS_ZERO, ZERO, Income, IncomeRow, Report
from reportgen.plausibility import amounts
from reportgen.render.env import render_text
from reportgen.workbook.assemble import build_report
from reportgen.workbook.example import EXAMPLE
from reportgen.workbook.reader import WorkbookData, open_workbook, read_sheets
from reportgen.workbook.schema import sheet_of
from tests.conftest import CORE
from tools.formats.common import whole_and_parts


class IncomeWithDonations(IncomeRow):
    """A new income column, as a developer would add it: one annotated field, nothing else."""

    donations: Annotated[D, Cell("捐赠收入", part_of=("current_year",), fund="其他资金"), EMPTY_IS_ZERO] = ZERO


def test_a_new_income_column_joins_every_total_list_and_check_by_its_declaration() -> None:
    rows = [IncomeWithDonations(**{**r, "donations": D("12.50")}) for r in _example_income()]
    income = Income(rows=rows)
    # totals: 本年收入 1,487.89 + 2 × 12.50 = 1,512.89; 收入合计 1,540.25 + 25.00 = 1,565.25
    assert income.total.current_year == D("1512.89") and income.total.total == D("1565.25")
    # the printed lists: the new part in declared order (after 其他收入), its share of the whole
    assert [s.name for s in income.categories][-1] == "捐赠收入"
    assert [s.key for s in income.sources][-2:] == ["other", "donations"]
    sentence = render_text(whole_and_parts("收入合计", "income.total.total", "income.sources"),
                           {"income": income.model_dump()})
    assert sentence == ("收入合计1,565.25万元，其中：上年结转52.36万元，一般公共预算财政拨款收入1,479.69万元，"
                        "其他收入8.20万元，捐赠收入25.00万元")
    # the workbook column, the 元/万元 scan and the 收入 vs 资金来源 comparison (its fund is 其他资金)
    assert "捐赠收入" in [f.label for f in sheet_of(IncomeWithDonations).columns]
    assert ("donations", "捐赠收入") in [(k, c.label) for k, c in money_fields(IncomeWithDonations)]
    assert "donations" in [k for k, _ in parts(IncomeWithDonations, "total")]
    report = _report(lambda v: None).model_copy(update={"income": income})
    assert any(a.name == "捐赠收入" and a.value == D("12.50") for a in amounts(report, {}))
    warnings = [f for f in check_report(report, {}) if f.code == "C604" and "其他资金" in f.message]
    assert warnings and "捐赠收入" in warnings[0].message and "之和为 33.20" in warnings[0].message  # 8.20 + 25.00


def _example_income() -> list[dict[str, Any]]:
    return [{k: (ZERO if v is None and k not in ("org",) else v) for k, v in row.items()} for row in EXAMPLE["income"]]


def _report(edit) -> Report:
    values = copy.deepcopy(EXAMPLE)
    edit(values)
    report, _ = build_report(WorkbookData(values=values))
    return report


def test_fiscal_income_and_its_fund_source_are_compared() -> None:
    # the example before its fix: 财政拨款 income 1,186.45 + 315.80 = 1,502.25 against 资金来源 1,479.69
    report = _report(lambda v: v["income"][0].update(general_budget=D("1186.45")))
    found = [f for f in check_report(report, {}) if f.code == "C604"]
    assert [(f.severity, f.field) for f in found] == [("warning", "本年财政拨款")]
    assert "之和为 1,502.25，与“资金来源”表本年财政拨款全年预算数 1,479.69 相差 22.56" in found[0].message


def test_other_income_typed_in_yuan_is_named_by_the_source_it_breaks() -> None:
    report = _report(lambda v: v["income"][0].update(other=D("82000")))  # 8.20 万元 typed as 82,000 元
    errors = [f for f in check_report(report, {"income[0].other": "收入!K2"}) if f.is_error]
    assert [(str(f.where), f.code) for f in errors] == [("收入!K2", "P705")]
    assert "疑似以元填写" in errors[0].message


def _workbook(tmp_path: Path, values: dict[str, Any]) -> Path:
    from reportgen.workbook.blank import write_workbook

    path = tmp_path / "wb.xlsx"
    write_workbook(CORE, path, values)
    return path


def test_two_projects_of_one_name_are_named_as_such(tmp_path: Path) -> None:
    values = copy.deepcopy(EXAMPLE)
    renamed, name = values["projects"][1]["name"], values["projects"][0]["name"]
    values["projects"][1]["name"] = name
    for row in values["project_indicators"]:
        row["project"] = name if row["project"] == renamed else row["project"]
    path = _workbook(tmp_path, values)
    with pytest.raises(ReportgenError) as caught:
        build_report(read_sheets(open_workbook(path), CORE, path))
    messages = [str(f) for f in caught.value.findings]
    assert messages[0] == ("项目!A2、项目!A3 W523 项目名称: 项目名称“医疗保障基金监管经费”重复（2 行）：项目指标按名称对应项目，"
                           "请把名称改为各不相同")
    assert not any("没有名为" in m for m in messages)


def test_a_merged_cell_is_named_as_merged(tmp_path: Path) -> None:
    path = _workbook(tmp_path, copy.deepcopy(EXAMPLE))
    wb = openpyxl.load_workbook(path)
    wb["收入"]["B3"] = None
    wb["收入"].merge_cells("B2:B3")  # 上年结转 of both rows under one merged cell: B3 holds nothing
    wb.save(path)
    data = read_sheets(open_workbook(path), CORE, path)
    assert [str(f) for f in data.findings] == ["收入!B2:B3 W513 上年结转: B2:B3 是合并单元格，请取消合并后在每个单元格分别填写"]


def test_what_a_format_does_not_read_is_not_asked_for_nor_checked(tmp_path: Path) -> None:
    """national-2025 prints no 功能分类, 评价人员, 经济分类 of 基本支出 or staff by kind: its blank workbook
    says so, and a workbook without them passes (their empty sums are not compared)."""
    blank = tmp_path / "blank.xlsx"
    assert CliRunner().invoke(main, ["init", str(blank)]).exit_code == 0
    wb = openpyxl.load_workbook(blank)
    header = {c.value: c.column_letter for c in wb["支出"][1]}
    assert "工资福利支出" in header and "基本支出 *" in header  # required columns carry a *
    prompt = {str(dv.sqref).split(":")[0]: dv.prompt for dv in wb["支出"].data_validations.dataValidation}
    assert prompt[f"{header['工资福利支出']}2"].startswith("本格式不使用，可不填")
    assert wb["评价人员"]["A1"].value == "姓名"  # not required: no *
    notes = {wb["填写说明"].cell(r, 1).value: wb["填写说明"].cell(r, 2).value for r in range(1, 40)}
    assert notes["功能分类"].startswith("本格式不使用本表，可不填。") and notes["评价人员"].startswith("本格式不使用本表")

    workbook = Path(__file__).parents[1] / "inputs" / "example.xlsx"
    wb = openpyxl.load_workbook(workbook)
    for sheet in ("功能分类", "评价人员"):
        wb[sheet].delete_rows(2, wb[sheet].max_row)
    header = {c.value: c.column for c in wb["支出"][1]}
    for label in ("工资福利支出", "商品和服务支出", "对个人和家庭的补助", "资本性支出"):
        for row in (2, 3):
            wb["支出"].cell(row, header[label]).value = None
    path = tmp_path / "lean.xlsx"
    wb.save(path)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "C601" not in result.stderr and "W501" not in result.stderr


def test_format_check_says_what_a_format_does_not_read() -> None:
    folder = Path(__file__).parents[1] / "templates" / "emeishan-2020"
    result = CliRunner().invoke(main, ["format", "check", str(folder)])
    assert result.exit_code == 0
    assert "F120 资产: 必填的“资产”表，本格式的文档不打印、评分也不用" in result.output
    assert "本格式不使用（填报表中可不填）：" in result.output and "“社会保险基金”表" in result.output


def test_projects_without_indicators_leave_the_unit_documents_built(tmp_path: Path) -> None:
    from tests.docx_helpers import build_format, example_values, full_text

    values = example_values("national-2025")
    values["project_indicators"] = []  # as the 2021 and 2024 city reports list their projects: amounts only
    evaluation, paths = build_format(tmp_path, "national-2025", values)
    assert [f.code for f in evaluation.findings if f.code == "G812"] == ["G812"] * 8
    assert not any("项目支出绩效自评表" in p.name for p in paths)
    assert sorted(p.name.split("_")[-1] for p in paths) == sorted(
        ["部门整体支出绩效自评表.docx", "部门整体支出绩效自评报告.docx", "基础数据表.docx", "满意度调查问卷汇总.docx"])
    report = full_text(next(p for p in paths if p.name.endswith("自评报告.docx")))
    assert "项目支出绩效自评表" not in report  # the 附件 list names only what was built
    assert evaluation.report.projects.rows and all(s is None for s in evaluation.project_scores)


def test_check_names_the_documents_it_will_build() -> None:
    workbook = Path(__file__).parents[1] / "inputs" / "example.xlsx"
    result = CliRunner().invoke(main, ["check", str(workbook)])
    assert ("将生成：部门整体支出绩效自评表、部门整体支出绩效自评报告、基础数据表、满意度调查问卷汇总、"
            "项目支出绩效自评表（8 份）") in result.output
