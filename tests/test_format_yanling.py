"""The yanling-2020 county format end to end: example workbook -> scores, survey -> five Word documents."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.table import Table
from openpyxl.utils import get_column_letter

from reportgen.errors import ReportgenError
from reportgen.formats.loader import resolve_format
from reportgen.pipeline import (
    Evaluation,
    blank_questionnaire,
    build_documents,
    evaluate,
    init_workbook,
    workbook_schema,
)
from reportgen.render.filters import VMERGE_MARK, VMERGE_SCOPE, score, wan
from reportgen.survey.definition import response_columns
from reportgen.workbook.blank import write_workbook
from tests.docx_helpers import example_values as format_example_values
from tests.docx_helpers import full_text

FORMAT = "yanling-2020"
SATISFACTION = "社会公众或服务对象满意度"
FIRST_SURVEY_ROW = 2  # row 1 of the 问卷 sheet is the header


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Evaluation, dict[str, DocumentObject]]:
    folder = tmp_path_factory.mktemp("yanling")
    workbook = folder / "example.xlsx"
    init_workbook(workbook, FORMAT, example=True)
    evaluation = evaluate(workbook)
    paths = build_documents(evaluation, folder / "out")
    # one file per declared document, in declaration order
    ids = [d.id for d in evaluation.format.spec.documents]
    return evaluation, {doc_id: Document(str(path)) for doc_id, path in zip(ids, paths, strict=True)}


def rows_text(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def example_values() -> dict[str, Any]:
    return format_example_values(FORMAT)


def write(path: Path, values: dict[str, Any]) -> Path:
    write_workbook(workbook_schema(resolve_format(FORMAT)), path, values)
    return path


# --- the example -----------------------------------------------------------------------------------


def test_example_survey_totals(built: tuple[Evaluation, dict[str, DocumentObject]]) -> None:
    evaluation, _ = built
    survey = evaluation.survey
    assert (survey.issued, survey.valid, survey.invalid) == (20, 20, 0)
    assert survey.score == 965 and survey.full_score == 1000
    assert [(c.name, c.valid, c.score) for c in survey.by_category] == [("服务对象", 10, 485), ("社会公众", 10, 480)]
    assert len(survey.suggestions) == 3
    assert evaluation.score.row(SATISFACTION).points == Decimal("7.72")
    assert not [f for f in evaluation.findings if f.is_error]


def test_all_documents_built(built: tuple[Evaluation, dict[str, DocumentObject]]) -> None:
    _, docs = built
    assert list(docs) == ["report", "form", "scoring", "survey"]
    for doc in docs.values():
        text = full_text(doc)
        assert "{{" not in text and "{%" not in text
        assert VMERGE_MARK not in text and VMERGE_SCOPE not in text


def test_scoring_table(built: tuple[Evaluation, dict[str, DocumentObject]]) -> None:
    evaluation, docs = built
    table = docs["scoring"].tables[0]
    rows = rows_text(table)
    assert rows[0][:6] == ["一级指标", "二级指标", "值", "三级指标", "分值", "评价标准"]
    satisfaction = next(r for r in rows if r[3] == SATISFACTION)
    row = evaluation.score.row(SATISFACTION)
    assert satisfaction[4] == "8"
    assert row.calculation == "调查问卷共计得分965/1000分×8=7.72"
    assert row.calculation in satisfaction[7] and "得分：7.72" in satisfaction[7]
    assert satisfaction[0] == "效果" and satisfaction[1] == "履职效益" and satisfaction[2] == "20"
    total = next(r for r in rows if r[0] == "合计")
    assert total[-1] == score(evaluation.score.total) == "95.5"
    assert total[2] == "100"
    grade = next(r for r in rows if r[0] == "评价等次")
    assert grade[2].startswith(evaluation.score.grade)
    # every indicator row: its points, and its calculation with the minus sign kept whole
    for r in evaluation.score.rows:
        shown = next(x for x in rows if x[3] == r.name and x[1] == r.level2)
        assert shown[7].endswith(f"得分：{score(r.points)}")
        assert r.calculation.replace("-", "\u2212") in shown[7]
    # 经济/社会/生态效益 share one 评价标准 cell, as in the 原表
    economic = next(i for i, r in enumerate(table.rows) if r.cells[3].text == "经济效益")
    assert table.rows[economic].cells[5]._tc is table.rows[economic + 2].cells[5]._tc


def test_report(built: tuple[Evaluation, dict[str, DocumentObject]]) -> None:
    evaluation, docs = built
    text = full_text(docs["report"])
    name = evaluation.report.unit.name
    assert docs["report"].paragraphs[0].text == f"{name}\n{evaluation.report.unit.year}年度部门整体支出评价报告"
    assert f"部门整体支出绩效综合得分{score(evaluation.score.total)}分，评价等次为“{evaluation.score.grade}”" in text
    assert f"基本支出合计{wan(evaluation.report.expenditure.total.basic)}万元" in text
    assert "无政府性基金预算拨款收入和支出" in text  # the example unit has no fund appropriation
    for heading in ("一、部门、单位基本情况", "二、一般公共预算支出情况", "五、存在的问题及原因分析",
                    "六、下一步改进措施", "七、其他需要说明的情况"):
        assert heading in text
    for section in evaluation.report.narrative.problems:
        assert section.title in text
    assert "生态效益扣1分" in text


def test_report_form(built: tuple[Evaluation, dict[str, DocumentObject]]) -> None:
    evaluation, docs = built
    report = evaluation.report
    rows = rows_text(docs["form"].tables[0])
    assert rows[0][1] == report.unit.name and rows[0][-1] == report.unit.head
    assert rows[1][1] == f"{report.staff.actual}人" and rows[1][-1] == f"{report.staff.quota}人"
    budget = next(r for r in rows if r[1] == "年初预算资金")
    assert budget[0] == "年度预算收支情况（万元）" and budget[3] == wan(report.budget.initial)
    income = next(r for r in rows if r[1] == "年度收入总额")
    assert income[3] == wan(report.income.total.total) and income[5] == wan(report.expenditure.total.total)
    indicator_rows = [r for r in rows if r[0] == "部门整体支出年度绩效指标" and r[1] != "一级指标"]
    assert len(indicator_rows) == len(report.indicators)
    assert [r[5] for r in indicator_rows] == [i.target_text for i in report.indicators]
    assert indicator_rows[0][2] == "指标1（数量指标）：基本医疗保险参保率"
    conclusion = next(r for r in rows if r[1] == "自我评价结论")
    assert f"综合得分{score(evaluation.score.total)}分" in conclusion[2]
    assert any(r[0] == "归口管理业务股室审核意见" for r in rows)
    assert "填报人：" in full_text(docs["form"])


def test_survey_summary(built: tuple[Evaluation, dict[str, DocumentObject]]) -> None:
    evaluation, docs = built
    survey, doc = evaluation.survey, docs["survey"]
    rows = rows_text(doc.tables[0])
    assert rows[0][1:9:2] == survey.options
    for question in survey.questions:
        row = next(r for r in rows if r[0] == question.label)
        assert [int(row[c]) for c in (1, 3, 5, 7)] == [c.count for c in question.counts]
        assert row[9] == f"{question.average:.2f}"
    q1 = next(r for r in rows if r[0].startswith("Q1 "))
    assert [int(q1[c]) for c in (1, 3, 5, 7)] == [18, 2, 0, 0] and q1[2] == "90.0%"
    assert len(doc.inline_shapes) == 1
    text = full_text(doc)
    assert "共发放并收回问卷20份，其中有效问卷20份" in text
    assert "有效问卷共计得分965分（满分1000分），得分率96.50%" in text
    assert "Q7 政策宣传得分最高（5.00分），Q8 办事效率得分最低（4.30分" in text
    for suggestion in survey.suggestions:
        assert suggestion.text in text
    categories = rows_text(doc.tables[1])
    assert categories[-1][:4] == ["合计", "20", "20", "965"]


def test_blank_questionnaire(tmp_path: Path) -> None:
    out = tmp_path / "问卷.docx"
    fmt = blank_questionnaire(out, FORMAT, None)
    q = fmt.questionnaire
    text = full_text(Document(str(out)))
    for question in q.questions:
        assert f"{question.id}.{question.text}" in text
    assert text.count("□非常满意") == len(q.questions) == 10
    assert q.note in text and q.note.startswith("备注：本问卷计分50分，10个问题")
    assert q.suggestion_prompt in text


def test_blank_questionnaire_names_the_unit(tmp_path: Path) -> None:
    workbook = tmp_path / "wb.xlsx"
    init_workbook(workbook, FORMAT, example=True)
    out = tmp_path / "问卷.docx"
    blank_questionnaire(out, None, workbook)
    text = full_text(Document(str(out)))
    assert "授权单位：青山县医疗保障局" in text
    assert "我们是青山县医疗保障局安排的调查员" in text


# --- the 问卷 sheet's problems ---------------------------------------------------------------------


def survey_cell(key: str, index: int) -> str:
    """问卷!<ref> of column ``key`` in the ``index``-th questionnaire row (0-based)."""
    columns = [c.key for c in response_columns(resolve_format(FORMAT).questionnaire)]
    return f"问卷!{get_column_letter(columns.index(key) + 1)}{FIRST_SURVEY_ROW + index}"


def test_bad_answer_names_the_cell(tmp_path: Path) -> None:
    values = example_values()
    values["survey"][4]["Q3"] = "很好"
    workbook = write(tmp_path / "bad.xlsx", values)
    with pytest.raises(ReportgenError) as caught:
        evaluate(workbook)
    where = survey_cell("Q3", 4)
    bad = [f for f in caught.value.findings if f.where == where]
    assert bad and bad[0].is_error
    assert "很好" in bad[0].message and "非常满意" in bad[0].message
    assert where in str(caught.value)


def test_incomplete_questionnaire_is_invalid(tmp_path: Path) -> None:
    values = example_values()
    row = values["survey"][1]
    lost = sum({"非常满意": 5, "满意": 4, "一般": 3, "不满意": 0}[row[f"Q{n}"]] for n in range(1, 11))
    row["Q5"] = None
    evaluation = evaluate(write(tmp_path / "incomplete.xlsx", values))
    survey = evaluation.survey
    assert (survey.issued, survey.valid, survey.invalid) == (20, 19, 1)
    assert survey.score == 965 - lost and survey.full_score == 950
    warning = next(f for f in evaluation.findings if f.where == f"问卷!第{FIRST_SURVEY_ROW + 1}行")
    assert not warning.is_error and "Q5" in warning.message and "无效问卷" in warning.message
    expected = (Decimal(965 - lost) * 8 / 950).quantize(Decimal("0.01"))
    assert evaluation.score.row(SATISFACTION).points == expected
