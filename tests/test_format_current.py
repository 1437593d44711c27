"""current-2021 (2021 年起通用样式): the example scores under goal rows, and the 自评表 prints the
engine's points — 预算执行率 in the funds row, every indicator row with 分值/得分, the total."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from reportgen.formats.loader import resolve_format
from reportgen.pipeline import Evaluation
from reportgen.render.filters import VMERGE_MARK, cn_num, pct, score, wan
from reportgen.workbook.example import EXAMPLE
from tests.docx_helpers import build_format, distinct_rows, full_text

FORMAT = "current-2021"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Evaluation, list[Path]]:
    return build_format(tmp_path_factory.mktemp("current"), FORMAT)


def one(paths: list[Path], suffix: str) -> Path:
    found = [p for p in paths if p.name.endswith(suffix)]
    assert len(found) == 1, suffix
    return found[0]


def execution_group(evaluation: Evaluation) -> Any:
    return next(g for g in evaluation.score.groups if g.name == "预算执行率")


def test_example_checks_clean_and_scores(built: tuple[Evaluation, list[Path]]) -> None:
    evaluation, paths = built
    assert evaluation.findings == []  # no warnings either
    result = evaluation.score
    assert [(g.name, g.weight) for g in result.groups] == [
        ("预算执行率", 10), ("产出指标", 50), ("效益指标", 30), ("满意度指标", 10)]
    assert result.total_weight == 100
    assert result.total == result.raw_total == sum(g.points for g in result.groups)
    assert len(paths) == 3 + len(evaluation.report.projects.rows)
    for path in paths:
        text = full_text(path)
        assert "{{" not in text and "{%" not in text and VMERGE_MARK not in text, path.name


def test_unit_table_prints_the_engines_points(built: tuple[Evaluation, list[Path]]) -> None:
    evaluation, paths = built
    r, result = evaluation.report, evaluation.score
    table = distinct_rows(Document(str(one(paths, "_部门整体支出绩效自评表.docx"))).tables[0])
    assert table[0][:2] == ["单位名称", r.unit.name]
    assert table[1][-6:] == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    execution = execution_group(evaluation)
    assert table[2] == ["年度资金情况（万元）", "年度资金总额", wan(r.budget.initial), wan(r.budget.final),
                        wan(r.budget.executed), score(execution.weight), pct(r.budget.execution_rate),
                        score(execution.points)]
    assert execution.points == Decimal("9.92")
    assert [row[1] for row in table[3:5]] == ["其中：财政拨款", "其他资金"]
    goals = table[6]
    for goal in r.goals:
        assert goal.name in goals[1] and goal.result in goals[2]

    header = next(i for i, row in enumerate(table) if row[1:3] == ["一级指标", "二级指标"])
    assert table[header][-3:] == ["分值", "得分", "偏差原因分析及改进措施"]
    scored = [row for g in result.groups if g.name != "预算执行率" for sg in g.groups for row in sg.rows]
    printed = table[header + 1:header + 1 + len(scored)]
    assert len(scored) == len(r.indicators) == 8
    for cells, row in zip(printed, scored, strict=True):
        assert cells[-6:] == [row.name, row.standard, row.value_text, score(row.weight), score(row.points),
                              row.deduction_reason]
    total = table[header + 1 + len(scored)]
    assert total[0] == "总分"
    assert total[1:] == [score(result.total_weight), score(result.total), f"等次：{result.grade}"]
    assert score(result.total) == "99.92"


def test_one_project_table_per_project(built: tuple[Evaluation, list[Path]]) -> None:
    evaluation, paths = built
    unit = evaluation.report.unit
    tables = [p for p in paths if p.name.endswith("_项目支出绩效自评表.docx")]
    assert len(tables) == len(evaluation.report.projects.rows)
    for project in evaluation.report.projects.rows:
        path = next(p for p in tables if p.name == f"{unit.name}_{unit.year}_{project.name}_项目支出绩效自评表.docx")
        table = distinct_rows(Document(str(path)).tables[0])
        assert table[0] == ["项目名称", project.name]
        assert table[1] == ["主管部门", unit.name, "实施单位", unit.name]  # a first-level unit runs its own projects
        assert table[3] == ["项目资金（万元）", "年度资金总额", wan(project.initial), wan(project.budget),
                            wan(project.executed), pct(project.execution_rate)]
        assert table[4][1:5] == ["其中：财政拨款", wan(project.initial), wan(project.budget), wan(project.fiscal)]
        assert table[7] == ["年度总体目标", project.expected, project.achieved]
        indicator_rows = table[9:]
        assert len(indicator_rows) == len(project.indicators) > 0
        for cells, indicator in zip(indicator_rows, project.indicators, strict=True):
            assert indicator.level3 in cells and indicator.target in cells and indicator.actual in cells
        reasons = {row[-1] for row in indicator_rows}
        assert reasons == {project.explanation or ""}


def test_report_and_base_data(built: tuple[Evaluation, list[Path]]) -> None:
    evaluation, paths = built
    r, result = evaluation.report, evaluation.score
    text = full_text(one(paths, "_部门整体支出绩效自评报告.docx"))
    assert f"综合得分{score(result.total)}分，评价等次为“{result.grade}”" in text
    for g in result.groups:
        assert f"{g.name}得{score(g.points)}分（满分{score(g.weight)}分）" in text
    assert f"基本支出{wan(r.expenditure.total.basic)}万元，占{pct(r.expenditure.basic_share)}" in text
    assert f"预算执行率{pct(r.budget.execution_rate)}" in text
    assert f"设置整体绩效指标{cn_num(len(r.indicators))}个" in text
    for section in r.narrative.problems + r.narrative.measures:
        assert section.title in text

    base = full_text(one(paths, "_基础数据表.docx"))
    for figure in (wan(r.income.total.total), wan(r.expenditure.total.total), pct(r.budget.execution_rate),
                   pct(r.three_public.control_rate), pct(r.staff.control_rate), wan(r.assets.net),
                   pct(r.projects.key_share), pct(r.budget.adjustment_rate)):
        assert figure in base
    for project in r.projects.rows:
        assert project.name in base


def test_missed_indicator_shows_lost_points_and_reason(tmp_path: Path) -> None:
    values = copy.deepcopy({**EXAMPLE, **resolve_format(FORMAT).example_values})
    indicator = values["indicators"][0]  # 基本医疗保险参保率 ≥95%
    indicator["actual"] = "90"
    indicator["deviation_reason"] = "外出务工人员参保转移接续未完成"
    evaluation, paths = build_format(tmp_path, FORMAT, values)
    row = evaluation.score.rows[1]
    assert row.name == indicator["level3"] and row.points < row.weight
    table = distinct_rows(Document(str(one(paths, "_部门整体支出绩效自评表.docx"))).tables[0])
    printed = next(cells for cells in table if row.name in cells)
    assert printed[-3:] == [score(row.weight), score(row.points), row.deduction_reason]
    assert "外出务工人员参保转移接续未完成" in printed[-1]
    total = next(cells for cells in table if cells[0] == "总分")
    assert total[2] == score(evaluation.score.total)
    report = full_text(one(paths, "_部门整体支出绩效自评报告.docx"))
    assert f"{row.name}（分值{score(row.weight)}分，得{score(row.points)}分）" in report
