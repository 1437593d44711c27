"""Issue 17: what a 财政局 reviewer returned, on the default format's documents — for the example and for
a unit with no projects and no survey (inputs/units/ 社保中心). Each test opens the rendered .docx."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm

from reportgen import docstyle
from reportgen.formats.loader import resolve_format
from reportgen.formats.sheets import workbook_schema
from reportgen.pipeline import build_outputs, evaluate
from reportgen.workbook.blank import write_workbook
from reportgen.workbook.units import UNITS, unit_values
from tests.docx_helpers import form_rows, full_text

ROOT = Path(__file__).resolve().parents[1]
SOCIAL = ROOT / "inputs" / "units" / "青山县社会保险服务中心.xlsx"


def _build(workbook: Path, out: Path) -> dict[str, DocumentObject]:
    written = build_outputs(evaluate(workbook), out)
    return {Path(w.path).stem.split("_", 2)[-1]: Document(str(w.path)) for w in written}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DocumentObject]:
    return _build(ROOT / "inputs" / "example.xlsx", tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def social(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DocumentObject]:
    return _build(SOCIAL, tmp_path_factory.mktemp("social"))


def _attachment_list(report: DocumentObject) -> list[str]:
    lines = [p.text.strip("\u3000") for p in report.paragraphs if p.text.startswith(("附件：", "\u3000\u3000\u3000"))]
    return [line.removeprefix("附件：") for line in lines]


def test_attachments_carry_the_number_the_report_lists(example, social) -> None:
    """label: auto — 附件1, 附件2 … as produced: a unit without survey and projects has two attachments."""
    for docs, expected in ((example, {"部门整体支出绩效自评表": "附件1", "基础数据表": "附件2", "满意度调查问卷汇总": "附件3",
                                      "医疗保障基金监管经费_项目支出绩效自评表": "附件4"}),
                           (social, {"部门整体支出绩效自评表": "附件1", "基础数据表": "附件2"})):
        for name, label in expected.items():
            assert docs[name].paragraphs[0].text == label, name
        listed = _attachment_list(docs["部门整体支出绩效自评报告"])
        assert [line.split(".", 1)[0] for line in listed] == [str(n) for n in range(1, len(expected) + 1)]
    assert _attachment_list(social["部门整体支出绩效自评报告"]) == ["1.部门整体支出绩效自评表", "2.基础数据表"]


def test_forms_end_with_the_stamping_unit_and_its_head(example) -> None:
    """填报单位（盖章） and 单位负责人 under every form; 填报人/联系电话 once on the 自评表 (its header has them)."""
    for name in ("部门整体支出绩效自评表", "基础数据表", "医疗保障基金监管经费_项目支出绩效自评表"):
        foot = "\n".join(p.text for p in example[name].paragraphs[-3:])
        assert "填报单位（盖章）：青山县医疗保障局" in foot and "单位负责人：周明远" in foot, name
    cells = [text for row in form_rows(example["部门整体支出绩效自评表"]) for text in row]
    paragraphs = [p.text for p in example["部门整体支出绩效自评表"].paragraphs]
    assert sum("填报人" in t for t in cells + paragraphs) == 1 and sum("联系电话" in t for t in cells + paragraphs) == 1


def test_fund_sources_use_the_10号_wording_and_print_their_rates(example) -> None:
    rows = form_rows(example["部门整体支出绩效自评表"])
    sources = [row[1:] for row in rows if len(row) > 1 and row[1] in ("其中：当年财政拨款", "上年结转资金", "其他资金")]
    # 执行率 = 全年执行数 / 全年预算数: 1,467.08 / 1,479.69 = 99.148…%, 52.36 / 52.36, 8.20 / 8.20
    assert [(row[0], row[4], row[5], row[6]) for row in sources] == [
        ("其中：当年财政拨款", "—", "99.15%", "—"), ("上年结转资金", "—", "100.00%", "—"), ("其他资金", "—", "100.00%", "—")]
    assert "本年财政拨款" not in full_text(example["部门整体支出绩效自评表"])


def _keeps(row) -> bool:
    return all(p._p.pPr is not None and p._p.pPr.find(qn("w:keepNext")) is not None
               for cell in row.cells for p in cell.paragraphs)


def test_a_first_level_group_is_never_split_over_pages(example) -> None:
    """Rows keep with the next inside a 一级指标 group and the last group with 总分; a page may break only
    between groups (the example: 产出 5 rows, 效益 2, 满意度 1)."""
    indicators = example["部门整体支出绩效自评表"].tables[1]
    rows = indicators.rows[1:9]
    assert [row.cells[1].text for row in rows] == ["产出指标"] * 5 + ["效益指标"] * 2 + ["满意度指标"]
    assert [_keeps(row) for row in rows] == [True] * 4 + [False] + [True, False] + [True]
    assert _keeps(indicators.rows[0])  # the header stays with the first group
    assert indicators.rows[9].cells[0].text == "总分"


def test_scores_print_two_decimals_and_weights_as_written(example) -> None:
    rows = form_rows(example["业务培训经费_项目支出绩效自评表"])
    scored = [row for row in rows if row[0] == "绩效指标" and row[1] != "一级指标"]
    # 7 (= 10 × 70%) prints 7.00 beside 29.37 (= 93 / 95 × 30), 总分 96.37
    assert [(row[-3], row[-2]) for row in scored] == [("25", "25.00"), ("25", "25.00"), ("30", "29.37"), ("10", "10.00")]
    assert next(row for row in rows if row[:2] == ["项目资金（万元）", "年度资金总额"])[-1] == "7.00"
    assert next(row for row in rows if row[0] == "总分")[1:3] == ["100", "96.37"]


def test_project_form_columns_fit_their_words() -> None:
    """三级指标 and 偏差原因分析及改进措施 wide enough not to stack word by word (portrait, 156 mm)."""
    template = Document(str(ROOT / "templates" / "national-2025" / "项目支出绩效自评表.docx"))
    as_mm = [int(c.get(qn("w:w"))) * 635 / Mm(1) for c in template.tables[1]._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert as_mm[3] >= 24 and as_mm[8] >= 31.9 and abs(sum(as_mm) - 156) < 1
    assert as_mm[7] >= 14.9  # 得分: "100.00" in bold on one line


def test_base_data_explains_each_figure_as_a_reviewer_writes_it(example) -> None:
    rows = form_rows(example["基础数据表"])
    basis = {row[1]: row[-1] for row in rows if len(row) == 4}
    assert basis["预算执行率"] == "全年执行数÷全年预算数×100%"
    assert basis["预算调整率"] == "预算调整数的绝对值÷年初预算数×100%"
    assert basis["变动率"] == "（决算数－上年决算数）÷上年决算数×100%"
    assert not any(mark in text for text in basis.values() for mark in ("|", "未填", "/"))
    assert "注：上年数未填写或为零、分母为零时，相应比率不计算，以“—”表示。" in full_text(example["基础数据表"])


@pytest.mark.parametrize("folder", sorted(p for p in (ROOT / "templates").iterdir() if (p / "format.yaml").exists()),
                         ids=lambda p: p.name)
def test_body_text_is_not_justified(folder: Path) -> None:
    """A long number at a line end must not spread the line above it apart: body text is left-aligned."""
    for template in folder.glob("*.docx"):
        styles = Document(str(template)).styles
        if "GwBody" in [s.style_id for s in styles]:
            body = next(s for s in styles if s.style_id == "GwBody")
            assert body.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT, template.name
            assert docstyle.BODY == body.name


def test_a_unit_without_projects_is_not_said_to_have_none_executed(social) -> None:
    text = full_text(social["部门整体支出绩效自评报告"])
    assert "本年度未安排项目支出。" in text and "个项目" not in text and "项目预算执行率—" not in text


def test_a_projects_table_without_projects_says_so_instead_of_a_zero_total(social, example, tmp_path: Path) -> None:
    """The 项目 table of the 基础数据表 (and yueyang's 表4, the same table) has one row saying there were
    none — not a 合计 row of 0.00; with projects, the rows and the 合计 as before."""
    def projects_rows(doc: DocumentObject) -> list[list[str]]:
        rows = form_rows(doc)
        start = next(i for i, row in enumerate(rows) if row[0] == "项目名称")
        return rows[start:]

    assert projects_rows(social["基础数据表"]) == [
        ["项目名称", "年初预算", "预算调整", "全年预算", "执行数", "执行率", "重点项目"], ["本年度未安排项目支出"]]
    with_projects = projects_rows(example["基础数据表"])
    assert len(with_projects) == 1 + 8 + 1 and with_projects[-1][0] == "合计"
    yueyang = _build(_as_format(SOCIAL, "yueyang-2020", tmp_path), tmp_path / "yueyang")
    report = form_rows(next(doc for name, doc in yueyang.items() if name.endswith("自评报告")))
    assert ["本年度未安排项目支出"] in report
    assert not any(row[0] == "合计" and row[1] == "0.00" for row in report)


def _as_format(workbook: Path, format_id: str, folder: Path) -> Path:
    """``workbook``'s unit written for ``format_id`` (the shipped units are national-2025 workbooks)."""
    fmt = resolve_format(format_id)
    path = folder / f"{format_id}.xlsx"
    unit = next(key for key, values in UNITS.items() if values["unit"]["name"] in workbook.stem)
    write_workbook(workbook_schema(fmt, relaxed=True), path, unit_values(unit, fmt))
    return path


def test_the_form_states_the_scoring_rules_in_force(example) -> None:
    """The 自评表's 说明 prints the engine's rules (score.rules), not a fixed sentence: the 定性 bands and
    the 反向/等于 formulas the format uses."""
    note = next(row for row in form_rows(example["部门整体支出绩效自评表"]) if row[0] == "说明")[1]
    assert note.startswith("预算执行率得分 = 预算执行率 × 10分；定量指标达到指标值得满分")
    assert "达成为分值的80%（含）至100%（含）" in note and "反向指标（≤）超出指标值按“指标值/实际完成值×分值”计分" in note
