"""emeishan-2020 (四川省样式): the example builds, and the documents carry the model's figures —
one 项目绩效目标完成情况表 and one 项目支出绩效自评报告 per project."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from docx import Document

from reportgen.formats.loader import resolve_format
from reportgen.pipeline import Evaluation
from reportgen.render.filters import VMERGE_MARK, cn_num, pct, wan
from reportgen.workbook.example import EXAMPLE
from tests.docx_helpers import build_format, distinct_rows, full_text

FORMAT = "emeishan-2020"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Evaluation, list[Path]]:
    return build_format(tmp_path_factory.mktemp("emeishan"), FORMAT)


def named(paths: list[Path], suffix: str) -> list[Path]:
    return [p for p in paths if p.name.endswith(suffix)]


def test_example_checks_clean_and_builds_every_document(built: tuple[Evaluation, list[Path]]) -> None:
    evaluation, paths = built
    assert evaluation.score is None  # this format does not score
    assert not [f for f in evaluation.findings if f.severity == "error"]
    n = len(evaluation.report.projects.rows)
    assert n == 8
    assert len(named(paths, "_部门整体支出绩效评价报告.docx")) == 1
    assert len(named(paths, "_项目绩效目标完成情况表.docx")) == n
    assert len(named(paths, "_项目支出绩效自评报告.docx")) == n
    for path in paths:
        text = full_text(path)
        assert "{{" not in text and "{%" not in text and VMERGE_MARK not in text, path.name


def test_one_goal_table_per_project_with_its_figures_and_indicators(built: tuple[Evaluation, list[Path]]) -> None:
    evaluation, paths = built
    unit = evaluation.report.unit
    for project in evaluation.report.projects.rows:
        path = next(p for p in paths if p.name == f"{unit.name}_{unit.year}_{project.name}_项目绩效目标完成情况表.docx")
        doc = Document(str(path))
        assert "项目绩效目标完成情况表" in doc.paragraphs[0].text
        table = distinct_rows(doc.tables[0])
        assert table[0] == ["项目名称", project.name]
        assert table[1] == ["预算单位", unit.name]
        assert table[2] == ["预算执行情况（万元）", "预算数", wan(project.budget), "执行数", wan(project.executed)]
        assert table[3][2] == wan(project.budget)  # no other funds: the whole budget is 财政拨款
        assert table[3][4] == wan(project.fiscal)
        assert table[4][4] == wan(project.other_funds)
        assert table[6][1:] == [project.expected, project.achieved]
        assert table[7][1:] == ["一级指标", "二级指标", "三级指标", "预期指标值（包含数字及文字描述）",
                                "实际完成指标值（包含数字及文字描述）"]
        indicator_rows = table[8:]
        assert project.indicators and len(indicator_rows) == len(project.indicators)
        for cells, indicator in zip(indicator_rows, project.indicators, strict=True):
            assert cells[-3:] == [indicator.level3, indicator.target, indicator.actual]
        first_level1 = doc.tables[0].cell(8, 1)._tc
        assert first_level1.tcPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}vMerge") \
            is not None  # repeated 一级指标 are one merged cell


def test_report_figures_match_the_model(built: tuple[Evaluation, list[Path]]) -> None:
    evaluation, paths = built
    r = evaluation.report
    text = full_text(named(paths, "_部门整体支出绩效评价报告.docx")[0])
    assert f"{r.unit.name}\n{r.unit.year}年部门整体支出绩效评价报告" in text
    assert f"总收入为{wan(r.income.total.total)}万元（其中：年初结转和结余{wan(r.income.total.carryover)}万元" in text
    assert (f"基本支出{wan(r.expenditure.total.basic)}万元，占{pct(r.expenditure.basic_share)}；"
            f"项目支出{wan(r.expenditure.total.project)}万元，占{pct(r.expenditure.project_share)}") in text
    assert f"人员经费{wan(r.expenditure.total.personnel)}万元，占基本支出的{pct(r.expenditure.personnel_share)}" in text
    assert f"预算执行率{pct(r.budget.execution_rate)}" in text
    assert f"核定编制{r.staff.quota}名，年末实有人员{r.staff.actual}名" in text
    for department in r.unit.departments:
        assert department in text
    for function in r.functions:
        assert function in text
    # Projects that did not spend their budget are named, with the 偏差说明 where there is one.
    training = next(p for p in r.projects.rows if p.explanation)
    assert (f"{training.name}项目全年预算{wan(training.budget)}万元，执行{wan(training.executed)}万元，"
            f"执行率{pct(training.execution_rate)}，主要原因是{training.explanation}") in text
    full = [p for p in r.projects.rows if p.execution_rate is not None and p.execution_rate >= 100]
    assert f"其余{cn_num(len(full))}个项目预算执行率均达到100%" in text
    for section in r.narrative.achievements + r.narrative.problems:
        assert section.title in text


def test_project_reports(built: tuple[Evaluation, list[Path]]) -> None:
    evaluation, paths = built
    unit = evaluation.report.unit
    for project in evaluation.report.projects.rows:
        text = full_text(next(p for p in paths if p.name == f"{unit.name}_{unit.year}_{project.name}_项目支出绩效自评报告.docx"))
        assert f"（{project.name}）" in text
        assert f"全年预算{wan(project.budget)}万元" in text
        assert f"实际支出{wan(project.executed)}万元" in text and f"预算执行率{pct(project.execution_rate)}" in text
        assert project.purpose in text and project.expected in text and project.achieved in text
        for indicator in project.indicators:
            assert f"{indicator.level3}：指标值{indicator.target}，实际完成{indicator.actual}。" in text
        assert ("偏差情况及原因" in text) == bool(project.explanation)
        if project.explanation:
            assert project.explanation in text


def test_project_without_indicators_and_with_other_funds(tmp_path: Path) -> None:
    values = copy.deepcopy({**EXAMPLE, **resolve_format(FORMAT).example_values})
    first = values["projects"][0]["name"]
    values["project_indicators"] = [i for i in values["project_indicators"] if i["project"] != first]
    values["projects"][0]["fiscal_executed"] = values["projects"][0]["executed"] - 10
    evaluation, paths = build_format(tmp_path, FORMAT, values)
    project = evaluation.report.projects.rows[0]
    path = next(p for p in paths if p.name.endswith(f"{project.name}_项目绩效目标完成情况表.docx"))
    table = distinct_rows(Document(str(path)).tables[0])
    assert table[3][2] == "" and table[4][2] == ""  # the budget's split is not known
    assert table[3][4] == wan(project.fiscal) and table[4][4] == "10.00"
    assert table[8][1] == "（未填报项目绩效指标）"
    report = next(p for p in paths if p.name.endswith(f"{project.name}_项目支出绩效自评报告.docx"))
    assert f"其中财政拨款{wan(project.fiscal)}万元，其他资金10.00万元" in full_text(report)
