"""A clerk with only each 对象类别's totals (the yanling seed's "调查问卷共计得分965/1000分") fills the
问卷总分 sheet: score and 满意度 come out as from single questionnaires, the 问卷汇总 says where its
data came from and prints no per-question table or chart, and bad totals are errors naming the cell."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from reportgen.errors import ReportgenError
from reportgen.pipeline import Evaluation, document_jobs, evaluate
from reportgen.render.docx import render_docx
from reportgen.summary import key_figures
from tests.docx_helpers import build_format, evaluate_format, example_values, full_text

# the example's 20 questionnaires as a clerk would have totalled them (10 + 10, 485 + 480 = 965 of 1000)
TOTALS = [{"category": "服务对象", "issued": 10, "valid": 10, "score": 485},
          {"category": "社会公众", "issued": 10, "valid": 10, "score": 480}]


def _values(format_id: str, totals: list[dict]) -> dict:
    values = example_values(format_id)
    values["questionnaire"] = []
    values["questionnaire_totals"] = totals
    return values


def _evaluate(folder: Path, format_id: str, totals: list[dict]) -> Evaluation:
    return evaluate_format(folder, format_id, _values(format_id, totals))


def _summary_doc(evaluation: Evaluation) -> Document:
    """The 问卷汇总 alone, with the context a build gives it (no chart to draw: totals have none)."""
    job = next(job for job in document_jobs(evaluation) if job.doc.id == "questionnaire_summary")
    context = {**job.context, "questionnaire_chart": ""}
    return Document(io.BytesIO(render_docx(evaluation.format.path(job.doc.template), context)))


def test_seed_totals_score_as_the_seed_and_the_summary_says_so(tmp_path: Path) -> None:
    evaluation, paths = build_format(tmp_path, "yanling-2020", _values("yanling-2020", TOTALS))  # the whole build
    summary = evaluation.questionnaire_summary
    assert summary.source == "totals" and (summary.issued, summary.valid) == (20, 20)
    assert (summary.score, summary.full_score, summary.questions) == (965, 1000, [])
    assert summary.satisfaction_rate is None  # no total can tell the share of satisfied answers
    assert "满意度问卷 有效 20/20 份，得分 965/1000，满意率 —（据“问卷总分”表）" in key_figures(evaluation)  # `check`
    row = evaluation.score.row("社会公众或服务对象满意度")
    assert (str(row.points), row.calculation) == ("7.72", "调查问卷共计得分965/1000分×8=7.72")  # the seed's

    doc = Document(str(next(p for p in paths if p.name.endswith("满意度调查问卷汇总.docx"))))
    text = full_text(doc)
    assert "以下数据按各对象类别的问卷份数和得分合计（手工汇总）录入，未逐份录入问卷，没有各题的统计。" in text
    assert "有效问卷共计得分965分（满分1000分），得分率96.50%。" in text
    assert "表1 按调查对象类别统计" in text and "表2" not in text and "图1" not in text
    assert len(doc.tables) == 1 and not doc.inline_shapes  # no per-question table, no chart
    cells = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert cells[1][:4] == ["服务对象", "10", "10", "485"] and cells[-1][:4] == ["合计", "20", "20", "965"]


def test_totals_with_rates_feed_the_national_satisfaction_row(tmp_path: Path) -> None:
    totals = [{**TOTALS[0], "satisfaction_rate": "99%"}, {**TOTALS[1], "satisfaction_rate": "98"}]
    evaluation = _evaluate(tmp_path, "national-2025", totals)
    assert str(evaluation.questionnaire_summary.satisfaction_rate) == "98.5"  # (99 × 10 + 98 × 10) / 20
    row = evaluation.score.row("参保群众满意度")
    assert (row.value_text, str(row.points)) == ("98.5%", "10.00")
    assert "总体满意率98.50%" in full_text(_summary_doc(evaluation))


@pytest.mark.parametrize(("change", "where", "message"), [
    ({"issued": 9}, "问卷总分!B2", "发放份数 9 少于有效份数 10"),
    ({"score": 501}, "问卷总分!D2", "得分合计 501 超过满分 10 份 × 50 分 = 500 分"),
    ({"satisfaction_rate": "0.985"}, "问卷总分!E2", "满意率按百分数填写（如 96.5 或 96.5%）, 实际为 0.985：是否应为 98.5%？"),
    ({"satisfaction_rate": "120%"}, "问卷总分!E2", "应在 0 到 100 之间"),
    ({"satisfaction_rate": "98"}, "问卷总分", "“社会公众”没有填满意率"),
    ({"category": "社会公众"}, "问卷总分!A3", "“社会公众”填了两行（另见 问卷总分!第2行）"),
])
def test_bad_totals_are_errors_naming_the_cell(tmp_path: Path, change: dict, where: str, message: str) -> None:
    with pytest.raises(ReportgenError) as caught:
        build_format(tmp_path, "yanling-2020", _values("yanling-2020", [{**TOTALS[0], **change}, TOTALS[1]]))
    assert any(message in f.message and str(f.where).startswith(where) for f in caught.value.findings), \
        [(f.where, f.message) for f in caught.value.findings]


def test_totals_and_single_questionnaires_together_are_an_error(tmp_path: Path) -> None:
    values = _values("yanling-2020", TOTALS)
    values["questionnaire"] = example_values("yanling-2020")["questionnaire"]
    with pytest.raises(ReportgenError) as caught:
        build_format(tmp_path, "yanling-2020", values)
    assert any("“问卷”、“问卷总分”表都填了，只能填一张" in f.message for f in caught.value.findings)


def test_a_percent_formatted_rate_cell_reads_as_typed(tmp_path: Path) -> None:
    """Excel stores 98.5% in a percent-formatted cell as 0.985: it must read as 98.5, not be refused."""
    _evaluate(tmp_path, "national-2025", TOTALS)
    book = openpyxl.load_workbook(tmp_path / "wb.xlsx")
    sheet = book["问卷总分"]
    header = {c.value: c.column_letter for c in sheet[1] if c.value}
    for row, rate in ((2, 0.99), (3, 0.98)):
        cell = sheet[f"{header['满意率（%）']}{row}"]
        cell.value, cell.number_format = rate, "0.0%"
    book.save(tmp_path / "percent.xlsx")
    assert str(evaluate(tmp_path / "percent.xlsx").questionnaire_summary.satisfaction_rate) == "98.5"
