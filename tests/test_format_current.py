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
from reportgen.render.filters import VMERGE_MARK, score
from reportgen.render.filters import points as points_text
from reportgen.workbook.example import EXAMPLE
from tests.docx_helpers import (
    EXAMPLE_PROJECTS,
    build_format,
    distinct_rows,
    evaluate_format,
    form_rows,
    full_text,
)

FORMAT = "current-2021"

# The example's figures are pinned as literals, checked by hand from workbook/example.py:
#   全年预算 1,540.25 = 年初 1,480.25 + 调整 60.00
#   支出合计 1,527.64 = 基本 1,030.64 (人员 612.38 + 228.40, 公用 148.26 + 41.60) + 项目 497.00 (451.20 + 45.80)
#   预算执行率 99.18% = 1,527.64 / 1,540.25; its points 9.92 = 10 × 99.18%; total 99.92 = 9.92 + 50 + 30 + 10
# 产出/效益/满意度: every indicator reaches its target, so each row scores its full 分值.
INDICATOR_ROWS = [  # 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因
    ["基本医疗保险参保率", "≥95%", "96.3%", "10", "10.00", ""],
    ["检查定点医药机构数量", "≥120家", "132家", "10", "10.00", ""],
    ["医保信息系统运行率", "≥99%", "99.6%", "10", "10.00", ""],
    ["医保待遇支付及时率", "≥98%", "99.2%", "10", "10.00", ""],
    ["资金使用控制在预算额度内", "不超预算", "未超预算", "10", "10.00", ""],
    ["困难群众就医负担", "有效减轻", "有效减轻", "15", "15.00", ""],
    ["追回违规医保基金", "≥200万元", "236.5万元", "15", "15.00", ""],
    ["参保群众满意度", "≥90%", "96.5%", "10", "10.00", ""],
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Evaluation, list[Path]]:
    return build_format(tmp_path_factory.mktemp("current"), FORMAT)


def one(paths: list[Path], suffix: str) -> Path:
    found = [p for p in paths if p.name.endswith(suffix)]
    assert len(found) == 1, suffix
    return found[0]


def execution_group(evaluation: Evaluation) -> Any:
    return next(g for g in evaluation.score.levels if g.name == "预算执行率")


def test_example_checks_clean_and_scores(built: tuple[Evaluation, list[Path]]) -> None:
    evaluation, paths = built
    # no warnings either, only the reviewer's note on 业务培训经费: 70 % spent, 96.37 points (tests/test_lint.py)
    assert [f.code for f in evaluation.findings] == ["L109"]
    result = evaluation.score
    assert [(g.name, g.weight, g.points) for g in result.levels] == [
        ("预算执行率", 10, Decimal("9.92")), ("产出指标", 50, 50), ("效益指标", 30, 30), ("满意度指标", 10, 10)]
    assert result.total_weight == 100
    assert result.total == result.raw_total == sum(g.points for g in result.levels) == Decimal("99.92")
    assert result.grade == "优"
    assert len(evaluation.report.projects.rows) == 8
    assert len(paths) == 3 + 8  # 自评表, 自评报告, 基础数据表 + one 项目支出绩效自评表 per project
    for path in paths:
        text = full_text(path)
        assert "{{" not in text and "{%" not in text and VMERGE_MARK not in text, path.name


@pytest.mark.parametrize("suffix", ["_部门整体支出绩效自评表.docx", "_医疗保障基金监管经费_项目支出绩效自评表.docx"])
def test_indicator_header_repeats_on_every_page(built: tuple[Evaluation, list[Path]], suffix: str) -> None:
    """The 绩效指标 block is a table of its own whose header row repeats (Word and LibreOffice repeat
    only a table's first rows), joined to the form above by a ½ pt paragraph: it prints as one form."""
    from docx.oxml.ns import qn

    doc = Document(str(one(built[1], suffix)))
    upper, indicators = doc.tables
    header = indicators.rows[0]
    assert [c.text for c in header.cells][1:4] == ["一级指标", "二级指标", "三级指标"]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert upper._tbl.getnext().tag == qn("w:p") and upper._tbl.getnext().getnext() is indicators._tbl
    # 总分 and 说明 keep with the signature line under the form: it never stands alone on a page
    assert [row.cells[0].text for row in indicators.rows[-2:]] == ["总分", "说明"]
    assert all(p.paragraph_format.keep_with_next for row in indicators.rows[-2:] for c in row.cells for p in c.paragraphs)
    foot = [p.text for p in doc.paragraphs if "填报日期" in p.text or "盖章" in p.text]
    assert indicators._tbl.getnext().tag == qn("w:p") and any("填报单位（盖章）" in t for t in foot)


def test_unit_table_prints_the_engines_points(built: tuple[Evaluation, list[Path]]) -> None:
    evaluation, paths = built
    r, result = evaluation.report, evaluation.score
    table = form_rows(one(paths, "_部门整体支出绩效自评表.docx"))
    assert table[0][:2] == ["单位名称", r.unit.name]
    assert table[1][-6:] == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    execution = execution_group(evaluation)
    # 年初预算, 全年预算 (+ 调整 60.00), 全年执行 (基本 + 项目), 分值, 执行率 1,527.64 / 1,540.25, 得分 10 × 99.18%
    assert table[2] == ["年度资金情况（万元）", "年度资金总额", "1,480.25", "1,540.25", "1,527.64", "10", "99.18%",
                        "9.92"]
    assert (execution.weight, execution.points) == (10, Decimal("9.92"))
    # 资金来源 (财预〔2020〕10号 wording): 上年结转资金 52.36 added in the year and spent, 其他资金 8.20 (the
    # 其他收入), 当年财政拨款 the rest: 1,480.25 − 8.20, 1,540.25 − 52.36 − 8.20, 1,527.64 − 52.36 − 8.20; each
    # source's 执行率 printed (1,467.08 / 1,479.69 = 99.148…%), its 分值/得分 — (only the total is scored)
    assert table[3:6] == [
        ["年度资金情况（万元）", "其中：当年财政拨款", "1,472.05", "1,479.69", "1,467.08", "—", "99.15%", "—"],
        ["年度资金情况（万元）", "上年结转资金", "0.00", "52.36", "52.36", "—", "100.00%", "—"],
        ["年度资金情况（万元）", "其他资金", "8.20", "8.20", "8.20", "—", "100.00%", "—"],
    ]
    goals = table[7]
    for goal in r.goals:
        assert goal.name in goals[1] and goal.result in goals[2]

    header = next(i for i, row in enumerate(table) if row[1:3] == ["一级指标", "二级指标"])
    assert table[header][-3:] == ["分值", "得分", "偏差原因分析及改进措施"]
    scored = [row for g in result.levels if g.name != "预算执行率" for sg in g.groups for row in sg.rows]
    printed = table[header + 1:header + 1 + len(scored)]
    assert len(scored) == len(r.indicators) == 8
    assert [[row.name, row.standard, row.value_text, score(row.weight), points_text(row.points), row.deduction_reason]
            for row in scored] == INDICATOR_ROWS
    assert [cells[-6:] for cells in printed] == INDICATOR_ROWS
    total = table[header + 1 + len(scored)]
    assert total == ["总分", "100", "99.92", "等次：优"]
    assert score(result.total) == "99.92"


# Each project's 项目支出绩效自评表 as printed: 项目资金 得分, the indicator rows' 得分 (in table order), 总分.
# 项目资金 is 10 × 执行率 (EXAMPLE_PROJECTS), capped at 10: 9.88 = 10 × 98.75 % (118.50 / 120, half-up),
# 9.72 = 10 × 97.157…%, 9.75 = 10 × 97.50 %. Indicators are 25 + 25 (产出) + 30 (效益) + 10 (满意度) = 90.
# By hand, 业务培训经费: 执行率 8.40 / 12.00 = 70 % -> 10 × 70 % = 7; 经办人员业务考核合格率 ≥95 % reached
# only 93 % -> 93 / 95 × 30 = 29.368… = 29.37; the rest full: 总分 7 + 25 + 25 + 29.37 + 10 = 96.37, 优 (≥ 90).
PROJECT_SCORES: dict[str, tuple[str, list[str], str]] = {
    "医疗保障基金监管经费": ("9.88", ["25.00", "25.00", "30.00", "10.00"], "99.88"),
    "城乡居民医保经办服务经费": ("10.00", ["25.00", "25.00", "30.00", "10.00"], "100.00"),
    "医保信息化建设运维经费": ("9.72", ["25.00", "25.00", "30.00", "10.00"], "99.72"),
    "医疗救助经办经费": ("10.00", ["25.00", "25.00", "30.00", "10.00"], "100.00"),
    "医保政策宣传经费": ("10.00", ["25.00", "25.00", "30.00", "10.00"], "100.00"),
    "业务培训经费": ("7.00", ["25.00", "25.00", "29.37", "10.00"], "96.37"),
    "档案管理经费": ("9.75", ["25.00", "25.00", "30.00", "10.00"], "99.75"),
    "办公用房维修改造经费": ("10.00", ["25.00", "25.00", "30.00", "10.00"], "100.00"),
}


FUND_SPLITS = {"城乡居民医保经办服务经费": (("150.00", "150.00", "150.00"), ("0.00", "10.00", "10.00"))}


def test_one_project_table_per_project(built: tuple[Evaluation, list[Path]]) -> None:
    evaluation, paths = built
    unit = evaluation.report.unit
    tables = [p for p in paths if p.name.endswith("_项目支出绩效自评表.docx")]
    assert len(tables) == len(evaluation.report.projects.rows) == len(evaluation.project_scores)
    assert [p.name for p in evaluation.report.projects.rows] == list(EXAMPLE_PROJECTS) == list(PROJECT_SCORES)
    for project, result in zip(evaluation.report.projects.rows, evaluation.project_scores, strict=True):
        path = next(p for p in tables if p.name == f"{unit.name}_{unit.year}_{project.name}_项目支出绩效自评表.docx")
        table = form_rows(path)
        initial, budget, executed, rate = EXAMPLE_PROJECTS[project.name]
        funds, points, total = PROJECT_SCORES[project.name]
        assert table[0] == ["项目名称", project.name]
        assert table[1] == ["主管部门", unit.name, "实施单位", unit.name]  # a first-level unit runs its own projects
        assert table[2][-6:] == ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
        assert table[3] == ["项目资金（万元）", "年度资金总额", initial, budget, executed, "10", rate, funds]
        # no 其他资金 in the example: the whole budget and the whole execution are 财政拨款; 分值/得分 only on the total
        # 10号's three sources; only 城乡居民医保经办服务经费 spent 上年结转 in the example (10.00 of its 160.00)
        fiscal, carryover = FUND_SPLITS.get(project.name, ((initial, budget, executed), ("0.00", "0.00", "0.00")))
        # each source's 执行率 (— without a budget), its 分值/得分 —
        assert table[4] == ["项目资金（万元）", "其中：当年财政拨款", *fiscal, "—", rate if project.name not in FUND_SPLITS
                            else "100.00%", "—"]
        assert table[5] == ["项目资金（万元）", "上年结转资金", *carryover, "—",
                            "100.00%" if project.name in FUND_SPLITS else "—", "—"]
        assert table[6] == ["项目资金（万元）", "其他资金", "0.00", "0.00", "0.00", "—", "—", "—"]
        assert table[8] == ["年度总体目标", project.expected, project.achieved]
        assert table[9][-3:] == ["分值", "得分", "偏差原因分析及改进措施"]
        indicator_rows = table[10:10 + len(project.indicators)]
        assert [cells[-3] for cells in indicator_rows] == ["25", "25", "30", "10"]  # 分值
        assert [cells[-2] for cells in indicator_rows] == points  # 得分
        for cells, indicator in zip(indicator_rows, project.indicators, strict=True):
            assert cells[3:6] == [indicator.level3, indicator.target_text, indicator.actual_text]
        assert table[10 + len(project.indicators)] == ["总分", "100", total, "等次：优"]
        assert (points_text(result.total), result.grade) == (total, "优")
        # one rule for points: the 说明's 得分 as the cells', two decimals
        assert table[-1][0] == "说明" and f"得分{points_text(Decimal(funds))}分" in table[-1][1]
    training = form_rows(next(p for p in tables if "业务培训经费" in p.name))
    assert training[12][-1] == ("实际完成93%，未达到指标值≥95%；新入职经办人员占比较高，首次考核合格率偏低；"
                                "下年度增加岗前培训和补考辅导")
    assert "部分培训改为线上开展，节约场地费用" in training[-1][1]  # the project's 偏差说明, under 项目资金
    assert [training[row][-1] for row in (10, 11, 13)] == ["", "", ""]  # full points: no reason


def test_project_row_short_of_target_without_reason_warns_naming_the_cell(tmp_path: Path) -> None:
    values = copy.deepcopy({**EXAMPLE, **resolve_format(FORMAT).example_values})
    row = next(i for i in values["project_indicators"] if i["level3"] == "经办人员业务考核合格率")
    row["deviation_reason"] = None
    evaluation = evaluate_format(tmp_path, FORMAT, values)
    # the 23rd indicator row, under the header: sheet row 24
    assert values["project_indicators"].index(row) == 22
    assert [str(f) for f in evaluation.findings if not f.is_lint] == [
        "项目指标!第24行 G804 偏差原因及改进措施: 项目“业务培训经费”：“经办人员业务考核合格率”得29.37分，低于分值30分，"
        "请填写偏差原因及改进措施"]
    assert evaluation.findings[0].severity == "warning"
    assert evaluation.project_scores[5].total == Decimal("96.37")  # scored all the same


def test_report_and_base_data(built: tuple[Evaluation, list[Path]]) -> None:
    evaluation, paths = built
    r = evaluation.report
    text = full_text(one(paths, "_部门整体支出绩效自评报告.docx"))
    assert "综合得分99.92分，评价等次为“优”" in text
    for group in ("预算执行率得9.92分（满分10分）", "产出指标得50.00分（满分50分）", "效益指标得30.00分（满分30分）",
                  "满意度指标得10.00分（满分10分）"):
        assert group in text
    # 收入 1,540.25 = 结转 52.36 + 本年 1,487.89 (1,163.89 + 8.20 + 315.80); 67.47% = 1,030.64 / 1,527.64
    assert "收入合计1,540.25万元，其中上年结转52.36万元，本年收入1,487.89万元" in text
    assert "基本支出1,030.64万元，占67.47%；项目支出497.00万元，占32.53%" in text
    assert "预算执行率99.18%" in text
    # 8 projects: 全年预算 505.00 = 年初 500.00 + 追加 10 − 调减 5, 执行 497.00; 98.42% = 497.00 / 505.00
    assert "全年安排八个项目，项目预算505.00万元，执行497.00万元，项目预算执行率98.42%" in text
    assert "“三公”经费支出7.47万元，控制率83.00%" in text  # 7.47 / 9.00
    assert "设置整体绩效指标八个" in text
    for section in r.narrative.problems + r.narrative.measures:
        assert section.title in text

    base = Document(str(one(paths, "_基础数据表.docx")))
    # explanations use the plain "-" (仿宋_GB2312 has no U+2212)
    assert "\u2212" not in full_text(base) and "资产总额－负债总额" in full_text(base)  # GB2312 has －
    main_figures = {row[1]: row[2] for row in distinct_rows(base.tables[0])[1:]}
    for item, figure in {
        "在职人员控制率": "93.33%",  # 42 / 45
        "收入合计（万元）": "1,540.25",
        "一般公共预算财政拨款（万元）": "1,479.69",  # 1,163.89 + 315.80
        "收入同比变动率": "2.78%",  # (1,540.25 − 1,498.60) / 1,498.60
        "支出合计（万元）": "1,527.64",
        "公用经费（万元）": "189.86",  # 148.26 + 41.60
        "支出同比变动率": "5.18%",  # (1,527.64 − 1,452.37) / 1,452.37
        "全年预算数（万元）": "1,540.25",
        "预算执行率": "99.18%",
        "预算调整率": "4.05%",  # 60.00 / 1,480.25
        "年末结转和结余（万元）": "12.61",  # 52.36 + 1,487.89 − 1,527.64
        "项目预算执行率": "98.42%",
        "重点支出安排率": "92.72%",  # 重点项目执行 460.80 / 项目支出 497.00
        "上年决算数（万元）": "8.74",  # 5.86 + 2.88
        "控制率": "83.00%",
        "变动率": "-14.53%",  # (7.47 − 8.74) / 8.74
        "净资产（万元）": "464.82",  # 486.32 − 21.50
        "固定资产合计（万元）": "207.80",  # 203.60 + 0.00 + 4.20
        "固定资产利用率": "97.98%",  # 203.60 / 207.80
    }.items():
        assert main_figures[item] == figure, item
    projects = distinct_rows(base.tables[1])
    assert [row[0] for row in projects[1:-1]] == list(EXAMPLE_PROJECTS)
    for row in projects[1:-1]:
        initial, budget, executed, rate = EXAMPLE_PROJECTS[row[0]]
        assert [row[1], *row[3:6]] == [initial, budget, executed, rate]
    # 合计 row fills 预算调整: 追加 10 − 调减 5 = 5.00
    assert projects[-1] == ["合计", "500.00", "5.00", "505.00", "497.00", "98.42%", ""]


def test_missed_indicator_without_reason_is_one_warning(tmp_path: Path) -> None:
    """The scoring's warning (points lost) stands for the check's (target missed): one per cell."""
    values = copy.deepcopy({**EXAMPLE, **resolve_format(FORMAT).example_values})
    values["indicators"][0]["actual"] = "90"  # 基本医疗保险参保率 ≥95%, no 偏差原因
    findings = evaluate_format(tmp_path, FORMAT, values).findings
    assert [(f.where, f.message) for f in findings if not f.is_lint] == [
        ("绩效指标!第2行", "“基本医疗保险参保率”得9.47分，低于分值10分，请填写偏差原因及改进措施")]


def test_missed_indicator_shows_lost_points_and_reason(tmp_path: Path) -> None:
    values = copy.deepcopy({**EXAMPLE, **resolve_format(FORMAT).example_values})
    indicator = values["indicators"][0]  # 基本医疗保险参保率 ≥95%
    indicator["actual"] = "90"
    indicator["deviation_reason"] = "外出务工人员参保转移接续未完成"
    evaluation, paths = build_format(tmp_path, FORMAT, values)
    row = evaluation.score.rows[1]
    assert row.name == indicator["level3"] == "基本医疗保险参保率"
    # ≥ not reached: 实际值 / 指标值 × 分值 = 90 / 95 × 10 = 9.47; the total loses 0.53: 99.92 → 99.39
    reason = "实际完成90%，未达到指标值≥95%；外出务工人员参保转移接续未完成"
    assert (row.weight, row.points, row.deduction_reason) == (10, Decimal("9.47"), reason)
    assert evaluation.score.total == Decimal("99.39")
    table = form_rows(one(paths, "_部门整体支出绩效自评表.docx"))
    printed = next(cells for cells in table if row.name in cells)
    assert printed[-6:] == ["基本医疗保险参保率", "≥95%", "90%", "10", "9.47", reason]
    total = next(cells for cells in table if cells[0] == "总分")
    assert total == ["总分", "100", "99.39", "等次：优"]
    report = full_text(one(paths, "_部门整体支出绩效自评报告.docx"))
    assert f"基本医疗保险参保率（分值10分，得9.47分）：{reason}" in report
    assert "产出指标得49.47分（满分50分）" in report and "综合得分99.39分" in report
