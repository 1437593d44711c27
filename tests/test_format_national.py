"""national-2025 (全国通用·2025 年起, the default): the 满意度指标 row's 实际完成值 is the questionnaire
summary's 满意率 (scoring.yaml ``actual_from``), not the 绩效指标 sheet's 96.5.

The example (inputs/example.xlsx): 20 questionnaires, 200 answers, 197 of them 非常满意/满意 -> 满意率
98.50 % ≥ 90 %: 10 of 10; total 9.92 (预算执行率) + 50 + 30 + 10 = 99.92, 优."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.pipeline import Evaluation, evaluate
from reportgen.scoring.engine import score

EXAMPLE = Path(__file__).resolve().parents[1] / "inputs" / "example.xlsx"
NOTE = "满意率取自满意度调查问卷汇总"


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return evaluate(EXAMPLE)


def satisfaction(result) -> object:
    return next(lv for lv in result.levels if lv.name == "满意度指标").groups[0].rows[0]


def test_example_is_national_and_its_satisfaction_row_is_the_questionnaires(evaluation: Evaluation) -> None:
    assert evaluation.format.id == "national-2025"
    # the typed 96.5 (the survey's 得分率) is replaced by the 满意率 the format scores: said, once, at its row
    assert [str(f) for f in evaluation.findings if not f.is_lint] == [
        "绩效指标!第9行 G813 实际完成值: “参保群众满意度”实际完成值 96.5% 已按问卷满意率 98.50% 计"
        "（满意率取自满意度调查问卷汇总）；如需一致，请在表中填写 98.50%"]
    assert [s.model_dump() for s in evaluation.score.substitutions] == [
        {"indicator": "参保群众满意度", "typed": "96.5%", "value": Decimal("98.50"), "measure": "问卷满意率",
         "ref": "绩效指标!第9行"}]
    assert evaluation.questionnaire_summary.satisfaction_rate == Decimal("98.50")
    row = satisfaction(evaluation.score)
    assert (row.name, row.value_text, row.value, row.weight, row.points) == (
        "参保群众满意度", "98.5%", Decimal("98.50"), 10, 10)
    assert row.calculation == f"{NOTE}，指标值≥90%，实际完成98.5%，已达成"
    assert (evaluation.score.total, evaluation.score.grade) == (Decimal("99.92"), "优")


def test_a_lower_rate_scores_in_proportion_and_no_questionnaire_keeps_the_typed_value(
        evaluation: Evaluation) -> None:
    variables = evaluation.variables()
    summary = evaluation.questionnaire_summary
    lower = score(evaluation.format.scoring, {
        **variables, "questionnaire_summary": summary.model_copy(update={"satisfaction_rate": Decimal("81")})})
    row = satisfaction(lower)
    assert (row.value_text, row.points) == ("81%", Decimal("9"))  # 81 / 90 × 10
    assert row.calculation == f"{NOTE}，指标值≥90%，实际完成81%，未达成，得分 = 81/90×10 = 9分"

    missing = score(evaluation.format.scoring, {**variables, "questionnaire_summary": None})
    row = satisfaction(missing)
    assert (row.value_text, row.points, row.calculation) == ("96.5%", 10, "指标值≥90%，实际完成96.5%，已达成")
    assert [f.severity for f in missing.findings] == ["warning"]
    assert missing.findings[0].message == ("“参保群众满意度”：满意率取自满意度调查问卷汇总，但取不到（如没有有效的满意度问卷），"
                                           "按表中填写的实际完成值计分")


def test_no_questionnaire_means_no_summary_document_and_a_plain_warning(tmp_path: Path) -> None:
    """A unit that ran no survey gets no empty 问卷汇总 (nor an 附件 naming it), one warning saying so,
    and the 满意度 row scored on the typed value, with the reason in words (not a variable path)."""
    from reportgen.pipeline import document_jobs
    from tests.docx_helpers import evaluate_format, example_values

    values = example_values("national-2025")
    values["questionnaire"] = []
    evaluation = evaluate_format(tmp_path, "national-2025", values)
    assert [f.message for f in evaluation.findings if not f.is_lint] == [
        "没有填写满意度问卷（“问卷”、“问卷计数”、“问卷总分”表都是空的）：不生成满意度调查问卷汇总，满意度指标的计分见评分表",
        "“参保群众满意度”：满意率取自满意度调查问卷汇总，但取不到（如没有有效的满意度问卷），按表中填写的实际完成值计分"]
    assert all(f.severity == "warning" for f in evaluation.findings)
    jobs = document_jobs(evaluation)
    assert [job.doc.id for job in jobs][:4] == ["table", "report", "base_data", "project_table"]
    assert "questionnaire_summary" not in {d["id"] for d in jobs[0].context["format"]["documents"]}
    assert satisfaction(evaluation.score).value_text == "96.5%"  # the 绩效指标 sheet's own value
