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
    assert evaluation.findings == []
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
    assert "questionnaire_summary.satisfaction_rate" in missing.findings[0].message
