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
from reportgen.formats.sheets import workbook_schema
from reportgen.pipeline import (
    Evaluation,
    blank_questionnaire,
    build_documents,
    evaluate,
    init_workbook,
)
from reportgen.questionnaire.definition import response_columns
from reportgen.render.filters import VMERGE_MARK, VMERGE_SCOPE, points, score
from reportgen.workbook.blank import write_workbook
from tests.docx_helpers import build_format, full_text
from tests.docx_helpers import example_values as format_example_values

FORMAT = "yanling-2020"
SATISFACTION = "社会公众或服务对象满意度"
FIRST_SURVEY_ROW = 2  # row 1 of the 问卷 sheet is the header

# The example's points per (二级指标, 三级指标), pinned; by hand from workbook/example.py and example.yaml:
#   预算调整率 4.05% = 60.00 / 1,480.25, in the 0-10%（含）band: 3; 支出进度 1 例 × 0.5: 3.5;
#   资金结余 12.61 (52.36 + 1,487.89 − 1,527.64) ≤ 上年结转 52.36: 3;
#   固定资产利用率 97.98% = 203.60 / 207.80, 2.02 points short × 0.2 = 0.40: 2.6;
#   重点工作 6/6 × 6 + 92/100 × 4 = 9.68; 满意度 965/1000 × 8 = 7.72. Sum 95.5.
POINTS = {
    ("目标设定", "绩效目标合理性"): "3", ("目标设定", "绩效指标明确性"): "5",
    ("预算配置", "财政供养人员控制率"): "4", ("预算配置", "“三公经费”变动率"): "4", ("预算配置", "重点支出安排率"): "4",
    ("预算执行", "预算调整率"): "3", ("预算执行", "支出进度"): "3.5", ("预算执行", "资金结余"): "3",
    ("预算执行", "“三公经费”控制率"): "4",
    ("预算管理", "管理制度健全性"): "6", ("预算管理", "资金使用合规性"): "5", ("预算管理", "预决算信息公开性和完善性"): "5",
    ("资产管理", "管理制度健全性"): "4", ("资产管理", "资产管理安全性"): "5", ("资产管理", "固定资产利用率"): "2.6",
    ("职责履行", "重点工作实际完成率"): "9.68", ("职责履行", "重点工作质量达标率"): "6",
    ("履职效益", "经济效益"): "4", ("履职效益", "社会效益"): "4", ("履职效益", "生态效益"): "3",
    ("履职效益", SATISFACTION): "7.72",
}
# The calculations that carry derived figures, as printed in 备注 (amounts with two decimals, the
# minus sign a plain "-": 仿宋_GB2312 has no U+2212), pinned.
CALCULATIONS = {
    "财政供养人员控制率": "在职人员控制率93.33%=（在职人员数42/编制数45）×100%",
    "“三公经费”变动率": "“三公经费”变动率-14.53%=[（本年度“三公经费”总额7.47万元-上年度“三公经费”总额8.74万元）"
                    "/上年度“三公经费”总额8.74万元]×100%。",
    "重点支出安排率": "重点支出安排率92.72%=（重点项目支出460.80万元/项目总支出497.00万元）×100%",
    "预算调整率": "预算调整率4.05%=（预算调整数60.00万元/预算数1,480.25万元）×100%。",
    "资金结余": "当年有结余，但不超过上年结转（年末结转和结余12.61万元，上年结转52.36万元）",
    "“三公经费”控制率": "“三公经费”控制率83.00%=（“三公经费”实际支出数7.47万元/“三公经费”预算安排数9.00万元）×100%。",
    "固定资产利用率": "固定资产利用率97.98%=（实际在用固定资产总额203.60万元/所有固定资产总额207.80万元）×100%",
    "重点工作实际完成率": "①（重点工作完成件数6/重点工作计划件数6）×6=6分；\n②（绩效办考核得分92/总分100）×4=3.68分",
    "重点工作质量达标率": "质量达标率100.00%=（质量达标实际工作数6/计划工作数6）×100%",
    SATISFACTION: "调查问卷共计得分965/1000分×8=7.72",
}


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
    survey = evaluation.questionnaire_summary
    assert (survey.issued, survey.valid, survey.invalid) == (20, 20, 0)
    assert survey.score == 965 and survey.full_score == 1000
    assert [(c.name, c.valid, c.score) for c in survey.by_category] == [("服务对象", 10, 485), ("社会公众", 10, 480)]
    assert len(survey.suggestions) == 3
    assert evaluation.score.row(SATISFACTION).points == Decimal("7.72")
    assert not [f for f in evaluation.findings if f.is_error]


def test_all_documents_built(built: tuple[Evaluation, dict[str, DocumentObject]]) -> None:
    _, docs = built
    assert list(docs) == ["report", "form", "scoring", "questionnaire_summary"]
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
    # as the seed: the calculation in 备注, a bare number in 评价得分
    assert satisfaction[6].startswith(row.calculation) and satisfaction[7] == "7.72"
    assert satisfaction[0] == "效果" and satisfaction[1] == "履职效益" and satisfaction[2] == "20"
    total = next(r for r in rows if r[0] == "合计")
    assert total[-1] == points(evaluation.score.total) == "95.50"  # 得分 two decimals
    assert total[2] == "100"
    grade = next(r for r in rows if r[0] == "评价等次")
    assert evaluation.score.grade == "优" and grade[2] == "优（综合得分95.50分）"
    # every indicator row: its points (bare) in 评价得分, its calculation first in 备注
    assert {(r.group, r.name): score(r.points) for r in evaluation.score.rows} == POINTS
    for r in evaluation.score.rows:
        shown = next(x for x in rows if x[3] == r.name and x[1] == r.group)
        assert shown[7] == points(Decimal(POINTS[r.group, r.name]))  # 评价得分 with two decimals
        assert shown[6].startswith(r.calculation) and "\u2212" not in shown[6]
        if r.name in CALCULATIONS:
            assert shown[6].split("\n扣分原因")[0].startswith(CALCULATIONS[r.name]), r.name
    # 经济/社会/生态效益 share one 评价标准 cell, as in the 原表
    economic = next(i for i, r in enumerate(table.rows) if r.cells[3].text == "经济效益")
    assert table.rows[economic].cells[5]._tc is table.rows[economic + 2].cells[5]._tc


def test_report(built: tuple[Evaluation, dict[str, DocumentObject]]) -> None:
    evaluation, docs = built
    text = full_text(docs["report"])
    name = evaluation.report.unit.name
    # the attachment label (format.yaml label:), in 黑体 top left, then the title
    assert docs["report"].paragraphs[0].text == "附件2"
    assert docs["report"].paragraphs[1].text == f"{name}\n{evaluation.report.unit.year}年度部门整体支出评价报告"
    assert "部门整体支出绩效综合得分95.50分，评价等次为“优”" in text
    # 投入 3+5+4+4+4, 过程 3+3.5+3+4+6+5+5+4+5+2.6, 产出 9.68+6, 效果 4+4+3+7.72
    assert "其中投入20.00分（满分20分）、过程41.10分（满分44分）、产出15.68分（满分16分）、效果18.72分（满分20分）" in text
    # 人员 612.38 + 228.40, 公用 148.26 + 41.60; 工资福利 575.12 + 215.50 …
    assert ("基本支出合计1,030.64万元，其中：人员经费840.78万元，公用经费189.86万元。按经济科目分类，工资福利支出"
            "790.62万元，商品和服务支出178.96万元，对个人和家庭的补助50.16万元，资本性支出10.90万元。") in text
    # 重点项目 460.80 = 118.50 + 160.00 + 92.30 + 60.00 + 30.00; 92.72% = 460.80 / 497.00
    assert ("项目支出497.00万元，共安排项目8个，全年预算505.00万元，项目预算执行率98.42%；"
            "其中重点项目支出460.80万元，重点支出安排率92.72%") in text
    assert "全年支出1,527.64万元，预算执行率99.18%" in text
    assert "“三公”经费控制率83.00%。较上年8.74万元减少1.27万元，下降14.53%。" in text
    assert "无政府性基金预算拨款收入和支出" in text  # the example unit has no fund appropriation
    # the seed's sections and numbering (炎陵 2020 评价报告)
    headings = ["一、部门、单位基本情况", "二、一般公共预算支出情况", "三、政府性基金预算支出情况",
                "四、社会保险基金预算支出情况", "五、部门整体支出绩效情况", "六、存在的问题及原因分析",
                "七、下一步改进措施", "八、其他需要说明的情况", "九、自评结论"]
    lines = text.splitlines()
    assert [h for h in lines if h in headings] == headings
    assert lines[lines.index("四、社会保险基金预算支出情况") + 1] == "2025年无社会保险基金预算支出。"  # as the seed
    for section in evaluation.report.narrative.problems:
        assert section.title in text
    assert "生态效益扣1分" in text


def test_report_form(built: tuple[Evaluation, dict[str, DocumentObject]]) -> None:
    evaluation, docs = built
    report = evaluation.report
    rows = rows_text(docs["form"].tables[0])
    assert rows[0][1] == report.unit.name and rows[0][-1] == report.unit.head
    assert rows[1][1] == f"{report.staff.actual}人" and rows[1][-1] == f"{report.staff.quota}人"
    assert (rows[1][1], rows[1][-1]) == ("42人", "45人")
    budget = next(r for r in rows if r[1] == "年初预算资金")
    assert budget[0] == "年度预算收支情况（万元）" and budget[3] == "1,480.25"
    assert budget[4:] == ["全年预算数", "1,540.25"]  # 1,480.25 + 60.00
    income = next(r for r in rows if r[1] == "年度收入总额")
    assert income[3:] == ["1,540.25", "年度支出总额", "1,527.64"]
    # under the totals, side by side, every part the unit has: 上年结转 52.36 + 一般公共预算 1,479.69 + 其他 8.20
    # = 1,540.25; 基本支出 1,030.64 + 项目支出 497.00 = 1,527.64
    parts = [r[1:] for r in rows[rows.index(income) + 1:] if r[0] == "年度预算收支情况（万元）"]
    assert parts == [["其中：上年结转", "其中：上年结转", "52.36", "其中：基本支出", "1,030.64"],
                     ["\u3000\u3000\u3000一般公共预算财政拨款", "\u3000\u3000\u3000一般公共预算财政拨款", "1,479.69",
                      "\u3000\u3000\u3000项目支出", "497.00"],
                     ["\u3000\u3000\u3000其他收入", "\u3000\u3000\u3000其他收入", "8.20", "", ""],
                     ["", "", "", "年末结转和结余", "12.61"]]  # 52.36 + 1,487.89 − 1,527.64
    indicator_rows = [r for r in rows if r[0] == "部门整体支出年度绩效指标" and r[1] != "一级指标"]
    assert len(indicator_rows) == len(report.indicators) == 8
    targets = ["≥95%", "≥120家", "≥99%", "≥98%", "不超预算", "有效减轻", "≥200万元", "≥90%"]
    assert [i.target_text for i in report.indicators] == targets
    assert [r[5] for r in indicator_rows] == targets
    assert indicator_rows[0][2] == "指标1（数量指标）：基本医疗保险参保率"
    conclusion = "\n".join(r[2] for r in rows if r[1] == "自我评价结论")  # one row per paragraph
    assert "综合得分95.50分，评价等次为“优”" in conclusion
    assert any(r[0] == "归口管理业务股室审核意见" for r in rows)
    assert "填报人：" in full_text(docs["form"])


def test_survey_summary(built: tuple[Evaluation, dict[str, DocumentObject]]) -> None:
    evaluation, docs = built
    survey, doc = evaluation.questionnaire_summary, docs["questionnaire_summary"]
    rows = rows_text(doc.tables[0])
    assert rows[0][1:9:2] == survey.options == ["非常满意", "满意", "一般", "不满意"]
    # counted by hand from example.yaml's 20 responses; 平均分 = (5·非常满意 + 4·满意 + 3·一般 + 0·不满意) / 20
    answers = {
        "1.总体评价": ([18, 2, 0, 0], "4.90"), "2.调查研究": ([17, 3, 0, 0], "4.85"),
        "3.解决热点难点": ([16, 3, 1, 0], "4.75"), "4.促进发展": ([18, 2, 0, 0], "4.90"),
        "5.服务质量": ([18, 2, 0, 0], "4.90"), "6.依法行政": ([17, 3, 0, 0], "4.85"),
        "7.政策宣传": ([20, 0, 0, 0], "5.00"), "8.办事效率": ([11, 7, 1, 1], "4.30"),
        "9.信息公开": ([18, 2, 0, 0], "4.90"), "10.厉行节约": ([18, 2, 0, 0], "4.90"),
    }
    assert {q.label: ([c.count for c in q.counts], f"{q.average:.2f}") for q in survey.questions} == answers
    for label, (counts, average) in answers.items():
        row = next(r for r in rows if r[0] == label)
        assert [int(row[c]) for c in (1, 3, 5, 7)] == counts
        assert row[9] == average
    q1 = next(r for r in rows if r[0].startswith("1."))
    assert [int(q1[c]) for c in (1, 3, 5, 7)] == [18, 2, 0, 0] and q1[2] == "90.00%"
    q8 = next(r for r in rows if r[0].startswith("8."))
    assert q8[1:] == ["11", "55.00%", "7", "35.00%", "1", "5.00%", "1", "5.00%", "4.30", "90.00%"]
    assert len(doc.inline_shapes) == 1
    text = full_text(doc)
    assert "共发放并收回问卷20份，其中有效问卷20份" in text
    assert "有效问卷共计得分965分（满分1000分），得分率96.50%" in text
    # 满意类 171 + 26 of 200 answers = 98.50%
    assert "总体满意率98.50%" in text and "“非常满意”171个，“满意”26个，“一般”2个，“不满意”1个" in text
    assert "第7题（政策宣传）得分最高（5.00分），第8题（办事效率）得分最低（4.30分" in text
    assert "Q1" not in text and "Q7" not in text  # the workbook's column ids stay out of the document
    for suggestion in survey.suggestions:
        assert suggestion.text in text
    categories = rows_text(doc.tables[1])
    assert categories[1:] == [["服务对象", "10", "10", "485", "500", "97.00%", "99.00%"],
                              ["社会公众", "10", "10", "480", "500", "96.00%", "98.00%"],
                              ["合计", "20", "20", "965", "1000", "96.50%", "98.50%"]]


def test_blank_questionnaire(tmp_path: Path) -> None:
    out = tmp_path / "问卷.docx"
    fmt = blank_questionnaire(out, FORMAT, None)
    q = fmt.questionnaire
    text = full_text(Document(str(out)))
    for number, question in enumerate(q.questions, start=1):  # numbered as the summary's 第N题
        assert f"{number}.{question.text}" in text
    assert "Q1" not in text
    assert text.count("□非常满意") == len(q.questions) == 10
    assert q.note in text and q.note.startswith("备注：本问卷计分50分，10个问题")
    assert q.suggestion_prompt in text
    props = Document(str(out)).core_properties
    assert props.title == "公众或服务对象满意度调查问卷" and props.author == ""


def test_blank_questionnaire_names_the_unit(tmp_path: Path) -> None:
    workbook = tmp_path / "wb.xlsx"
    init_workbook(workbook, FORMAT, example=True)
    out = tmp_path / "问卷.docx"
    blank_questionnaire(out, None, workbook)
    text = full_text(Document(str(out)))
    assert "授权单位：青山县医疗保障局" in text
    assert "我们是青山县医疗保障局安排的调查员" in text
    props = Document(str(out)).core_properties
    assert props.title == "青山县医疗保障局公众或服务对象满意度调查问卷" and props.author == "青山县医疗保障局"


# --- the 问卷 sheet's problems ---------------------------------------------------------------------


def survey_cell(key: str, index: int) -> str:
    """问卷!<ref> of column ``key`` in the ``index``-th questionnaire row (0-based)."""
    columns = [c.key for c in response_columns(resolve_format(FORMAT).questionnaire)]
    return f"问卷!{get_column_letter(columns.index(key) + 1)}{FIRST_SURVEY_ROW + index}"


def test_bad_answer_names_the_cell(tmp_path: Path) -> None:
    values = example_values()
    values["questionnaire"][4]["Q3"] = "很好"
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
    row = values["questionnaire"][1]
    lost = sum({"非常满意": 5, "满意": 4, "一般": 3, "不满意": 0}[row[f"Q{n}"]] for n in range(1, 11))
    assert lost == 49  # questionnaire 2: nine 非常满意 and one 满意
    row["Q5"] = None
    evaluation = evaluate(write(tmp_path / "incomplete.xlsx", values))
    survey = evaluation.questionnaire_summary
    assert (survey.issued, survey.valid, survey.invalid) == (20, 19, 1)
    assert survey.score == 916 and survey.full_score == 950  # 965 − 49, 19 × 50
    warning = next(f for f in evaluation.findings if f.where == f"问卷!第{FIRST_SURVEY_ROW + 1}行")
    assert not warning.is_error and "Q5" in warning.message and "无效问卷" in warning.message
    assert evaluation.score.row(SATISFACTION).points == Decimal("7.71")  # 916 / 950 × 8 = 7.7136…


def test_social_fund_section_when_the_unit_manages_one(tmp_path: Path) -> None:
    values = format_example_values(FORMAT)
    values["social_fund"] = {"managed": True, "income": Decimal("1200.50"), "expenditure": Decimal("1100.25"),
                             "balance": Decimal("320.00")}
    evaluation, paths = build_format(tmp_path, FORMAT, values)
    report = next(p for p in paths if p.name.endswith("部门整体支出评价报告.docx"))
    lines = full_text(report).splitlines()
    assert lines[lines.index("四、社会保险基金预算支出情况") + 1] == (
        "2025年社会保险基金收入1,200.50万元，支出1,100.25万元，当年收支结余100.25万元，年末滚存结余320.00万元。")
