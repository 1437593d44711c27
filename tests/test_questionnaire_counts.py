"""Hand-tallied questionnaires: a clerk with only the per-question counts of each option fills the
问卷计数 sheet instead of one row per questionnaire; the summary, 满意度 and score come out the same
and the 问卷汇总 says where its data came from."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from docx import Document

from reportgen.errors import ReportgenError
from reportgen.pipeline import evaluate
from tests.docx_helpers import build_format, example_values, full_text

FORMAT = "yanling-2020"


def _counts_from_rows(values: dict) -> list[dict]:
    """The example's 20 questionnaires counted by hand: per 对象类别 and question, people per option."""
    from reportgen.formats.loader import resolve_format

    q = resolve_format(FORMAT).questionnaire
    index = {o.label: n for n, o in enumerate(q.options)}
    counts: dict[tuple[str, str], list[int]] = {}
    for row in values["questionnaire"]:
        for question in q.questions:
            key = (row["category"], question.label)
            counts.setdefault(key, [0] * len(q.options))[index[row[question.id]]] += 1
    return [{"category": c, "question": label, **{f"option_{n}": k for n, k in enumerate(per)}}
            for (c, label), per in counts.items()]


def test_counts_give_the_same_summary_and_score(tmp_path: Path) -> None:
    values = copy.deepcopy(example_values(FORMAT))
    values["questionnaire_counts"] = _counts_from_rows(values)
    values["questionnaire"] = []
    evaluation, paths = build_format(tmp_path, FORMAT, values)
    summary = evaluation.questionnaire_summary
    assert summary.source == "counts" and (summary.issued, summary.valid) == (20, 20)
    assert (summary.score, summary.full_score) == (965, 1000)  # the example's 965/1000, as row by row
    assert [(c.name, c.valid, c.score) for c in summary.by_category] == [("服务对象", 10, 485), ("社会公众", 10, 480)]
    assert str(evaluation.score.row("社会公众或服务对象满意度").points) == "7.72"
    text = full_text(Document(str(next(p for p in paths if p.name.endswith("满意度调查问卷汇总.docx")))))
    assert "以下数据按各对象类别各题选项人数（手工汇总）录入，未逐份录入问卷。" in text


def test_counts_and_rows_together_or_inconsistent_are_errors(tmp_path: Path) -> None:
    values = copy.deepcopy(example_values(FORMAT))
    counts = _counts_from_rows(values)
    values["questionnaire_counts"] = counts
    with pytest.raises(ReportgenError) as both:
        build_format(tmp_path / "both", FORMAT, values)
    assert any("“问卷”、“问卷计数”表都填了，只能填一张" in f.message for f in both.value.findings)
    values["questionnaire"] = []
    counts[0]["option_0"] += 1  # one more person for one question only
    with pytest.raises(ReportgenError) as uneven:
        build_format(tmp_path / "uneven", FORMAT, values)
    assert any("各题的人数合计不同" in f.message and str(f.where).startswith("问卷计数!第") for f in uneven.value.findings)


def test_workbooks_without_the_counts_sheet_still_read(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook("inputs/example-yanling-2020.xlsx")
    del wb["问卷计数"]  # a workbook made before the sheet existed
    wb.save(tmp_path / "wb.xlsx")
    assert evaluate(tmp_path / "wb.xlsx").questionnaire_summary.valid == 20
