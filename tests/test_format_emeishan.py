"""emeishan-2020 (四川省样式): the example builds, and the documents carry the model's figures —
one 项目绩效目标完成情况表 and one 项目支出绩效自评报告 per project."""

from __future__ import annotations

import copy
import re
from decimal import Decimal as D
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from reportgen.formats.loader import resolve_format
from reportgen.pipeline import Evaluation
from reportgen.render.filters import VMERGE_MARK
from reportgen.workbook.example import EXAMPLE
from tests.docx_helpers import EXAMPLE_PROJECTS, build_format, distinct_rows, full_text

FORMAT = "emeishan-2020"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


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
    assert [p.name for p in evaluation.report.projects.rows] == list(EXAMPLE_PROJECTS)
    for project in evaluation.report.projects.rows:
        path = next(p for p in paths if p.name == f"{unit.name}_{unit.year}_{project.name}_项目绩效目标完成情况表.docx")
        doc = Document(str(path))
        assert "项目绩效目标完成情况表" in doc.paragraphs[0].text
        table = distinct_rows(doc.tables[0])
        _, budget, executed, _ = EXAMPLE_PROJECTS[project.name]
        assert table[0] == ["项目名称", project.name]
        assert table[1] == ["预算单位", unit.name]
        assert table[2] == ["预算执行情况（万元）", "预算数", budget, "执行数", executed]
        # no other funds: the whole budget and the whole execution are 财政拨款
        assert table[3] == ["预算执行情况（万元）", "其中：财政拨款", budget, "其中：财政拨款", executed]
        assert table[4] == ["预算执行情况（万元）", "其他资金", "0.00", "其他资金", "0.00"]  # 其他, not the seed's 其它
        assert table[6][1:] == [project.expected, project.achieved]
        assert table[7][1:] == ["一级指标", "二级指标", "三级指标", "预期指标值（包含数字及文字描述）",
                                "实际完成指标值（包含数字及文字描述）"]
        indicator_rows = table[8:-1]  # the last row is the 填报 block
        assert project.indicators and len(indicator_rows) == len(project.indicators)
        for cells, indicator in zip(indicator_rows, project.indicators, strict=True):
            assert cells[-3:] == [indicator.level3, indicator.target_text, indicator.actual_text]
        first_level1 = doc.tables[0].cell(8, 1)._tc
        assert first_level1.tcPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}vMerge") \
            is not None  # repeated 一级指标 are one merged cell


def test_report_figures_match_the_model(built: tuple[Evaluation, list[Path]]) -> None:
    evaluation, paths = built
    r = evaluation.report
    text = full_text(named(paths, "_部门整体支出绩效评价报告.docx")[0])
    assert f"{r.unit.name}\n{r.unit.year}年部门整体支出绩效评价报告" in text
    # 1,540.25 = 结转 52.36 + 财政拨款 1,479.69 (1,163.89 + 315.80) + 其他 8.20
    assert ("总收入为1,540.25万元（其中：上年结转52.36万元，一般公共预算财政拨款收入1,479.69万元，"
            "其他收入8.20万元）") in text
    assert "分机构看，局机关1,224.45万元，青山县医疗保障事务中心315.80万元" in text  # 52.36 + 1,163.89 + 8.20
    # 1,527.64 = 基本 1,030.64 + 项目 497.00; 67.47% = 1,030.64 / 1,527.64
    assert "基本支出1,030.64万元，占67.47%；项目支出497.00万元，占32.53%" in text
    # 人员 840.78 = 612.38 + 228.40, / 1,030.64; 公用 189.86 = 148.26 + 41.60
    assert "人员经费840.78万元，占基本支出的81.58%；公用经费189.86万元，占基本支出的18.42%" in text
    # 1,527.64 / (1,480.25 + 60.00); 年末结转和结余 12.61 = 52.36 + 1,487.89 − 1,527.64
    assert ("年初预算1,480.25万元，年中追加预算60.00万元，全年预算1,540.25万元；全年支出1,527.64万元，"
            "预算执行率99.18%；年末结转和结余12.61万元") in text
    assert "“三公”经费预算9.00万元，支出7.47万元，为预算的83.00%" in text
    assert "核定编制45名，年末实有人员42名，在职人员控制率93.33%" in text
    for department in r.unit.departments:
        assert department in text
    for function in r.functions:
        assert function in text
    # Projects that did not spend their budget are named, with the 偏差说明 where there is one.
    training = next(p for p in r.projects.rows if p.explanation)
    assert training.name == "业务培训经费"
    assert ("业务培训经费项目全年预算12.00万元，执行8.40万元，执行率70.00%，"
            f"主要原因是{training.explanation}") in text
    for under_spent in ("医疗保障基金监管经费项目全年预算120.00万元，执行118.50万元，执行率98.75%",
                        "医保信息化建设运维经费项目全年预算95.00万元，执行92.30万元，执行率97.16%",
                        "档案管理经费项目全年预算8.00万元，执行7.80万元，执行率97.50%"):
        assert under_spent in text
    # 经办服务、医疗救助、政策宣传、维修改造 spent their whole budget
    assert "其余四个项目预算执行率均达到100%" in text
    assert "共安排八个项目，全年预算505.00万元，执行497.00万元，项目预算执行率98.42%" in text  # 497.00 / 505.00
    for section in r.narrative.achievements + r.narrative.problems:
        assert section.title in text


def test_project_reports(built: tuple[Evaluation, list[Path]]) -> None:
    evaluation, paths = built
    unit = evaluation.report.unit
    assert [p.name for p in evaluation.report.projects.rows] == list(EXAMPLE_PROJECTS)
    for project in evaluation.report.projects.rows:
        text = full_text(next(p for p in paths if p.name == f"{unit.name}_{unit.year}_{project.name}_项目支出绩效自评报告.docx"))
        initial, budget, executed, rate = EXAMPLE_PROJECTS[project.name]
        assert f"（{project.name}）" in text
        assert f"{project.name}年初预算{initial}万元，" in text and f"全年预算{budget}万元。" in text
        assert f"{unit.year}年实际支出{executed}万元，预算执行率{rate}。" in text
        assert project.purpose in text and project.expected in text and project.achieved in text
        for indicator in project.indicators:
            assert f"{indicator.level3}：指标值{indicator.target_text}，实际完成{indicator.actual_text}。" in text
        if project.explanation:
            assert project.explanation in text


def test_project_without_indicators_and_with_other_funds(tmp_path: Path) -> None:
    values = copy.deepcopy({**EXAMPLE, **resolve_format(FORMAT).example_values})
    second = values["projects"][1]["name"]
    values["project_indicators"] = [i for i in values["project_indicators"] if i["project"] != second]
    values["projects"][0] |= {"budget_other": D(10), "executed_other": D(10)}
    evaluation, paths = build_format(tmp_path, FORMAT, values)
    project = evaluation.report.projects.rows[0]
    assert project.name == "医疗保障基金监管经费"
    path = next(p for p in paths if p.name.endswith(f"{project.name}_项目绩效目标完成情况表.docx"))
    table = distinct_rows(Document(str(path)).tables[0])
    assert table[2] == ["预算执行情况（万元）", "预算数", "120.00", "执行数", "118.50"]
    assert table[3][2] == "110.00" and table[4][2] == "10.00"  # 全年预算 120.00 of which 其他资金 10.00
    assert table[3][4] == "108.50" and table[4][4] == "10.00"  # 财政拨款 118.50 − 10 = 108.50, 其他资金 10.00
    # a project without 绩效指标 gets no 完成情况表 (it would list nothing), one warning, and its 自评报告
    assert not any(p.name.endswith(f"{second}_项目绩效目标完成情况表.docx") for p in paths)
    assert any(p.name.endswith(f"{second}_项目支出绩效自评报告.docx") for p in paths)
    assert [(str(f.where), f.code) for f in evaluation.findings if second in f.message] == [("项目!第3行", "G812")]
    report = next(p for p in paths if p.name.endswith(f"{project.name}_项目支出绩效自评报告.docx"))
    assert "实际支出118.50万元（其中财政拨款108.50万元，其他资金10.00万元），预算执行率98.75%" in full_text(report)


def _project_report(paths: list[Path], name: str) -> str:
    return full_text(next(p for p in paths if p.name.endswith(f"_{name}_项目支出绩效自评报告.docx")))


def test_project_report_closes_with_problems_and_conclusion(built: tuple[Evaluation, list[Path]]) -> None:
    """Issue 17: the report no longer stops at 项目效益情况; the seed's 问题/措施 and 结论 parts follow,
    every sentence from the workbook (偏差说明, each missed indicator's 偏差原因及改进措施)."""
    _, paths = built
    text = _project_report(paths, "业务培训经费")
    order = [text.index(h) for h in ("三、项目绩效情况", "四、存在的问题及改进措施", "五、评价结论")]
    assert order == sorted(order)
    # 12.00 − 8.40 = 3.60 left unspent, with the workbook's 偏差说明
    assert ("1.预算执行：全年预算12.00万元，实际支出8.40万元，年末未支出3.60万元，"
            "主要原因是部分培训改为线上开展，节约场地费用。") in text
    # the one indicator short of its target (93% against ≥95%), with its 偏差原因及改进措施
    assert "2.经办人员业务考核合格率：年度指标值≥95%，实际完成93%，未达到年度指标值。新入职经办人员" in text
    assert ("2025年“业务培训经费”项目全年预算12.00万元，实际支出8.40万元，预算执行率70.00%；"
            "设置绩效指标四个，三个达到年度指标值，一个未达到。") in text
    assert "全部实现" not in text
    # spent in full (60.00 of 60.00), every indicator met
    text = _project_report(paths, "医疗救助经办经费")
    assert "项目预算全部执行，各项绩效指标均达到年度指标值，未发现需要整改的问题。" in text
    assert "预算执行率100.00%；设置绩效指标" in text and "全部达到年度指标值。项目年度绩效目标全部实现。" in text


def test_goal_table_ends_with_the_filing_block(built: tuple[Evaluation, list[Path]]) -> None:
    evaluation, paths = built
    unit = evaluation.report.unit
    doc = Document(str(named(paths, "_项目绩效目标完成情况表.docx")[0]))
    rows = doc.tables[0]._tbl.findall(f"{W}tr")
    # the block is the form's last row (a line under it, no rules at its sides), kept with the row above:
    # the form is signed on the page where it ends
    assert doc.tables[0].rows[-1].cells[0].text == (
        f"填报单位（盖章）：{unit.name}\u3000\u3000单位负责人：{unit.head}\n"
        f"填报人：{unit.preparer}\u3000\u3000联系电话：{unit.phone}\u3000\u3000填报日期：2026年3月31日")
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in rows[-2].iter(f"{W}p"))
    assert "其它" not in full_text(doc)


def _render(evaluation: Evaluation, doc_id: str, **changes: object) -> str:
    """One document of the example rendered from its context with ``changes`` (cheaper than a build)."""
    from reportgen.pipeline import document_jobs
    from reportgen.render.docx import render_docx

    job = next(j for j in document_jobs(evaluation, projects=1) if j.doc.id == doc_id)
    context = {**job.context, **changes}
    return full_text(Document(BytesIO(render_docx(evaluation.format.path(job.doc.template), context))))


def test_project_names_ending_in_xiangmu_or_holding_quotes(built: tuple[Evaluation, list[Path]]) -> None:
    """A name ending in 项目 gets no second 项目; a name's own quotes turn single inside the report's “ ”."""
    evaluation, _ = built
    context = evaluation.context()
    rows = copy.deepcopy(context["projects"]["rows"])
    rows[0]["name"] = "“互联网+医保”宣传经费"
    rows[5]["name"] = "业务培训项目"  # 业务培训经费 (70.00%, with a 偏差说明), renamed
    unit_text = _render(evaluation, "report", projects={**context["projects"], "rows": rows})
    assert "项目项目" not in unit_text and "项目”项目" not in unit_text
    assert "（1）“‘互联网+医保’宣传经费”项目全年预算数120.00万元" in unit_text
    assert "（6）“业务培训项目”全年预算数12.00万元" in unit_text
    assert "业务培训项目全年预算12.00万元，执行8.40万元，执行率70.00%" in unit_text
    for project in rows[0], rows[5]:
        text = _render(evaluation, "project_report", project=project)
        assert "项目项目" not in text and "项目”项目" not in text
        assert "“‘" in text or "“业务培训项目”为" in text
        assert not re.search("“[^”]*“", text), "quotes nested in quotes"


def test_unit_without_projects_prints_no_zero_run(built: tuple[Evaluation, list[Path]]) -> None:
    evaluation, _ = built
    context = evaluation.context()
    text = _render(evaluation, "report", projects={**context["projects"], "rows": []},
                   narrative={**context["narrative"], "problems": []})
    assert "2025年我单位未安排项目支出。" in text
    assert not re.search(r"(?<![\d.,])0(个项目|\.00万元|\.00%)", text)
    assert "五、存在问题\n无。" in text  # a heading never stands empty


def test_the_fields_the_closing_parts_read_are_asked_for(built: tuple[Evaluation, list[Path]]) -> None:
    """完成程度 decides whether a 定性 indicator is met, 偏差原因及改进措施 is printed: the workbook asks for both."""
    from reportgen.formats.uses import format_uses

    uses = format_uses(built[0].format)
    assert uses.reads("project_indicators", "achievement") and uses.reads("project_indicators", "deviation_reason")


def test_numbered_sub_labels_keep_with_their_text(built: tuple[Evaluation, list[Path]]) -> None:
    """"2.资金使用。" once ended a page, its sentence overleaf."""
    _, paths = built
    doc = Document(str(named(paths, "_项目支出绩效自评报告.docx")[0]))
    leads = [p for p in doc.paragraphs if p.text in ("1.资金计划。", "2.资金使用。")]
    assert len(leads) == 2 and all(p.paragraph_format.keep_with_next for p in leads)
