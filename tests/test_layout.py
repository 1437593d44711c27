"""Issue 11: endings (落款), attachment labels, headings kept with their text, table rows that may
split, and the sections the seeds have (emeishan 项目财务管理/组织实施/资金到位率, yueyang sign-off)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from reportgen import docstyle
from reportgen.formats.loader import resolve_format
from reportgen.render.filters import cn_date
from tests.docx_helpers import build_format, example_values, full_text

FORMATS = ["yueyang-2020", "yanling-2020", "emeishan-2020", "current-2021"]
# The narrative reports (documents that end as official documents do, with the unit and the date).
REPORTS = {
    "yueyang-2020": ["report"],
    "yanling-2020": ["report", "questionnaire_summary"],
    "emeishan-2020": ["report", "project_report"],
    "current-2021": ["report"],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[object, dict[str, list[DocumentObject]]]]:
    out: dict[str, tuple[object, dict[str, list[DocumentObject]]]] = {}
    for format_id in FORMATS:
        evaluation, paths = build_format(tmp_path_factory.mktemp(format_id), format_id)
        docs: dict[str, list[DocumentObject]] = {}
        names = {d.id: d.name for d in evaluation.format.spec.documents}
        for path in paths:
            doc_id = next((i for i, n in names.items() if Path(path).stem.endswith(n)), None)
            if doc_id is None:  # 评分表 and the like are named by a shorter pattern
                doc_id = next(d.id for d in evaluation.format.spec.documents
                              if Path(path).stem.endswith(Path(d.template).stem))
            docs.setdefault(doc_id, []).append(Document(str(path)))
        out[format_id] = (evaluation, docs)
    return out


def _last_texts(doc: DocumentObject, n: int) -> list:
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    return paragraphs[-n:]


@pytest.mark.parametrize(("format_id", "doc_id"), [(f, d) for f, ds in REPORTS.items() for d in ds])
def test_report_ends_with_unit_centred_over_the_date(built, format_id: str, doc_id: str) -> None:
    """GB/T 9704 7.3.5: the date four characters in from the right margin, the unit's name centred
    over it — both on one centre tab stop at text width − (4 + half the date's 6.5) characters."""
    evaluation, docs = built[format_id]
    unit = evaluation.report.unit
    assert docs[doc_id], doc_id
    for doc in docs[doc_id]:
        *signed, after = _last_texts(doc, 3)
        if after.text.startswith("（联系人："):  # a 附注 follows the 落款 (GB/T 9704 7.3.6)
            assert after.text == f"（联系人：{unit.contact}，联系电话：{unit.phone}）"
            name, date = signed
        else:
            name, date = signed[1], after
        assert (name.text, date.text) == (f"\t{unit.name}", f"\t{cn_date(unit.fill_date)}")
        section = doc.sections[-1]
        centre = section.page_width - section.left_margin - section.right_margin - Pt(16 * (4 + 6.5 / 2))
        for paragraph in (name, date):
            assert paragraph.style.name == docstyle.SIGNOFF
            assert paragraph.style.paragraph_format.keep_with_next  # the name never ends a page alone
            (stop,) = paragraph.paragraph_format.tab_stops
            assert stop.alignment == WD_TAB_ALIGNMENT.CENTER and abs(stop.position - centre) < Pt(1)


def test_a_long_unit_name_ends_at_the_right_margin(tmp_path: Path) -> None:
    """A name too long to centre over the date inside the margin (15+ characters) is right-aligned."""
    values = example_values("current-2021")
    values["unit"]["name"] = "青山县农业农村局农业技术推广服务中心"  # 18 characters
    _, paths = build_format(tmp_path, "current-2021", values)
    report = Document(str(next(p for p in paths if Path(p).stem.endswith("自评报告"))))
    *_, name, date, _note = _last_texts(report, 3 + 1)
    assert name.text == values["unit"]["name"] and name.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.text.startswith("\t")


def test_heading_styles_keep_with_next() -> None:
    doc = docstyle.new_document()
    for style in (docstyle.TITLE, docstyle.HEADING1, docstyle.HEADING2, docstyle.HEADING3, docstyle.NOTE,
                  docstyle.LABEL):
        assert doc.styles[style].paragraph_format.keep_with_next, style


def test_attachment_labels_are_format_data(built) -> None:
    # current-2021 numbers its attachments as produced (label: auto), in the report's 附件 list order
    expected = {("yueyang-2020", "scoring"): "附件3-1", ("yanling-2020", "report"): "附件2",
                ("emeishan-2020", "report"): "附件1", ("emeishan-2020", "project_report"): "附件2",
                ("current-2021", "table"): "附件1", ("current-2021", "base_data"): "附件2",
                ("current-2021", "project_table"): "附件3"}
    for format_id in FORMATS:
        spec = resolve_format(format_id).spec
        for d in spec.documents:
            declared = "auto" if format_id == "current-2021" and (format_id, d.id) in expected else \
                expected.get((format_id, d.id), "")
            assert d.label == declared, (format_id, d.id)
        _, docs = built[format_id]
        for doc_id, found in docs.items():
            label = expected.get((format_id, doc_id))
            first = found[0].paragraphs[0]
            if label:
                assert first.text == label
                assert first.style.name == docstyle.LABEL
                fonts = first.style.element.rPr.find(qn("w:rFonts"))
                assert fonts.get(qn("w:eastAsia")) == docstyle.HEITI
            else:
                assert first.style.name != docstyle.LABEL, (format_id, doc_id)


def test_yueyang_title_breaks_after_unit_name(built) -> None:
    evaluation, docs = built["yueyang-2020"]
    unit = evaluation.report.unit
    assert docs["report"][0].paragraphs[0].text == f"{unit.name}\n{unit.year}年度部门整体支出绩效自评报告"


def test_yueyang_report_has_score_row_and_signoff_blocks(built) -> None:
    evaluation, docs = built["yueyang-2020"]
    text = full_text(docs["report"][0])
    for part in ("绩效自评综合得分", "评价等次", "评价组组长（签字）：", "部门（单位）意见：", "部门（单位）负责人（签章）：",
                 "财政部门归口业务科室意见：", "财政部门归口业务科室负责人（签章）："):
        assert part in text, part
    score_table = next(t for t in docs["report"][0].tables if t.cell(0, 0).text == "绩效自评综合得分")
    assert score_table.cell(0, 3).text == evaluation.score.grade


def test_yueyang_scoring_standards_merged(built) -> None:
    _, docs = built["yueyang-2020"]
    table = docs["scoring"][0].tables[0]
    rows = [r for r in table.rows if r.cells[2].text.strip()]
    duty = [r for r in rows if "职责履行" in r.cells[1].text]
    assert len(duty) >= 2
    # one 评分标准 cell spans the group's rows, as the seed's form
    assert len({r.cells[3]._tc for r in duty}) == 1
    assert "工作实绩指标" in duty[0].cells[3].text


def _cant_split(tr) -> bool:
    return tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None


def _keeps(tr) -> bool:
    """Every paragraph of the row keeps with the next (the row stays on the page of the next row)."""
    return all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in tr.iter(qn("w:p")))


def test_yanling_form_rows_never_split_and_long_text_is_one_paragraph_per_row(built) -> None:
    """Issue 17: rows broke inside labels ("支出情况/分析", "一/般公共预算"). Every row is whole on its
    page; running text is printed one paragraph per row, so it breaks between paragraphs only."""
    evaluation, docs = built["yanling-2020"]
    table = docs["form"][0].tables[0]
    trs = table._tbl.findall(qn("w:tr"))
    assert all(_cant_split(tr) for tr in trs)
    rows = [[c.text for c in row.cells] for row in table.rows]
    blocks = {"部门职能职责概述": len(evaluation.report.functions), "整体绩效目标": len(evaluation.report.goals),
              "支出情况分析": 3}  # 收支, 三公, 资产: one paragraph each
    for label, count in blocks.items():
        text = [r[-1] for r in rows if label in r[:2]]
        assert len(text) == count, label
        assert all("\n" not in t for t in text), label
    # a section's title shares the row of its first paragraph (never ends a page alone)
    problems = [r[-1] for r in rows if r[0] == "存在的问题"]
    first = evaluation.report.narrative.problems[0]
    assert problems[0] == f"（一）{first.title}\n{first.paragraphs[0]}"
    # a block's first row keeps with its second (a two-line label never ends a page beside one line)
    goals = [tr for tr, r in zip(trs, rows, strict=True) if r[0] == "整体绩效目标"]
    assert _keeps(goals[0]) and not _keeps(goals[1])
    # the 填报人 lines are the form's last row, kept with the 审核意见 row (never alone overleaf)
    assert "填报人：" in "".join(trs[-1].itertext()) and _keeps(trs[-2])


def test_scoring_forms_keep_each_group_on_a_page_with_its_labels(built) -> None:
    """Issue 17: continuation pages of the 评分表 lost their 一级/二级 labels. Rows are whole, the rows
    of a 二级 group keep together, and the 一级 label is merged over one 二级 group only, so every page
    shows the labels of its rows; the 评价人 line is the table's last row (never alone overleaf)."""
    for format_id in ("yanling-2020", "yueyang-2020"):
        evaluation, docs = built[format_id]
        table = docs["scoring"][0].tables[0]
        trs = table._tbl.findall(qn("w:tr"))
        assert all(_cant_split(tr) for tr in trs)
        groups = [(g.name, sg.name, len(sg.rows)) for g in evaluation.score.levels for sg in g.groups]
        data = trs[1:1 + sum(n for *_, n in groups)]
        starts = [i for i, tr in enumerate(data)
                  if (v := tr.find(f"{qn('w:tc')}/{qn('w:tcPr')}/{qn('w:vMerge')}")) is None
                  or v.get(qn("w:val")) == "restart"]
        assert len(starts) == len(groups), format_id  # a 一级 cell starts at every 二级 group
        first = 0
        for level1, level2, n in groups:
            cells = data[first].findall(qn("w:tc"))
            assert "".join(cells[0].itertext()).startswith(level1) and "".join(cells[1].itertext()).startswith(level2)
            assert [_keeps(tr) for tr in data[first:first + n]] == [True] * (n - 1) + [False], (format_id, level2)
            first += n
        assert "评价人：" in "".join(trs[-1].itertext()) and _keeps(trs[-2])


def test_yanling_numbered_subheads_keep_with_their_text(built) -> None:
    """Issue 17: 评价报告 ended a page with the sub-head "2.基金监管保持高压", its text overleaf."""
    evaluation, docs = built["yanling-2020"]
    paragraphs = docs["report"][0].paragraphs
    titles = [f"{n}.{s.title}" for n, s in enumerate(evaluation.report.narrative.achievements, start=1)]
    heads = [p for p in paragraphs if p.text in titles]
    assert len(heads) == len(titles) == 3
    assert all(p.paragraph_format.keep_with_next for p in heads)
    # and the heading under 表1 is not flush against it
    assert next(p for p in paragraphs if p.text == "（三）整体支出绩效").paragraph_format.space_before.pt == 14


def test_yueyang_report_has_no_mini_table_and_room_above_what_follows_a_table(built) -> None:
    """Issue 17: an uncaptioned 8 pt table (联系人/电话/编制/实有) sat between paragraphs; headings were
    flush against the table above them."""
    evaluation, docs = built["yueyang-2020"]
    unit = evaluation.report.unit
    doc = docs["report"][0]
    assert not any(row.cells[0].text == "联系人" for t in doc.tables for row in t.rows)
    text = full_text(doc)
    assert f"核定编制{evaluation.report.staff.quota}人，年末实有{evaluation.report.staff.actual}人" in text
    assert unit.contact == unit.preparer  # the example's: 联系人 is printed once, as the 填报人
    assert f"填报人（签名）：{unit.preparer}\u3000\u3000联系电话：{unit.phone}" in text
    followers = [t._tbl.getnext() for t in doc.tables]
    headings = [p for p in followers if p is not None and p.tag == qn("w:p") and "".join(p.itertext()).strip()
                and p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) in ("GwHeading1", "GwHeading2")]
    assert len(headings) == 7  # after 表1–表7
    for p in headings:
        assert Paragraph(p, None).paragraph_format.space_before.pt == 14, "".join(p.itertext())


def test_yueyang_indicators_table_keeps_each_group_together(built) -> None:
    """Issue 17: 表7 left one orphan row under a repeated header: a 一级指标 group's rows keep together."""
    evaluation, docs = built["yueyang-2020"]
    doc = docs["report"][0]
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:3] == ["一级指标", "二级指标", "三级指标"])
    indicators = evaluation.report.indicators
    trs = table._tbl.findall(qn("w:tr"))[1:]
    assert len(trs) == len(indicators)
    expected = [nxt.level1 == i.level1 for i, nxt in zip(indicators, [*indicators[1:], None], strict=True) if nxt] + [False]
    assert [_keeps(tr) for tr in trs] == expected
    assert expected.count(False) == len({i.level1 for i in indicators})


def test_emeishan_project_report_sections(built) -> None:
    evaluation, docs = built["emeishan-2020"]
    project = evaluation.report.projects.rows[0]
    text = full_text(docs["project_report"][0])
    for heading in ("（一）资金计划及使用情况", "（二）项目财务管理情况", "（三）项目组织实施情况"):
        assert heading in text, heading
    # the workbook has no 到位数: no 到位率 (spending is not arrival), and no word about the workbook
    assert "到位" not in text and "填报表" not in text
    assert f"全年预算{project.budget:,.2f}万元" in text
    assert "项目由" in text and "组织实施" in text


def test_blank_questionnaire_label(tmp_path: Path) -> None:
    from reportgen.pipeline import blank_questionnaire

    out = tmp_path / "blank.docx"
    blank_questionnaire(out, "yanling-2020", None)
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "附件5"  # format.yaml questionnaire_label
    assert doc.paragraphs[0].style.name == docstyle.LABEL


def test_report_lists_the_other_documents_as_attachments(built) -> None:
    """附件 are the build's other documents (format.documents), one per line aligned after 附件：."""
    _, docs = built["current-2021"]
    texts = [p.text for p in docs["report"][0].paragraphs]
    start = next(i for i, t in enumerate(texts) if t.startswith("附件："))
    assert texts[start:start + 3] == ["附件：1.部门整体支出绩效自评表", "\u3000\u3000\u30002.基础数据表",
                                      "\u3000\u3000\u30003.项目支出绩效自评表（8份，每个项目一份）"]


@pytest.mark.parametrize(("format_id", "lead"), [
    ("current-2021", "未得满分的指标："), ("current-2021", "主要工作成效："), ("yanling-2020", "主要职责：")])
def test_lead_lines_keep_with_what_they_introduce(built, format_id: str, lead: str) -> None:
    _, docs = built[format_id]
    paragraph = next(p for p in docs["report"][0].paragraphs if p.text == lead)
    assert paragraph.paragraph_format.keep_with_next


def test_questionnaire_chart_keeps_its_caption_and_the_caption_lets_go(built) -> None:
    """The figure stays with its caption below it; the caption, unlike a table's, does not pull the
    next heading along (which once pushed the chart to a page of its own)."""
    _, docs = built["yanling-2020"]
    paragraphs = docs["questionnaire_summary"][0].paragraphs
    picture = next(i for i, p in enumerate(paragraphs) if p._p.findall(".//" + qn("w:drawing")))
    caption = paragraphs[picture + 1]
    assert caption.text == "图1 各题答案分布（有效问卷）"
    assert paragraphs[picture].paragraph_format.keep_with_next is True
    assert caption.paragraph_format.keep_with_next is False


@pytest.mark.parametrize(("format_id", "doc_id"), [(f, d) for f, ds in REPORTS.items() for d in ds])
def test_signoff_never_starts_a_page(built, format_id: str, doc_id: str) -> None:
    """Whatever precedes the 落款 in the rendered document (the last paragraph, or a form's last row)
    keeps with it: the template cannot say so, its last paragraph is often a removed loop tag."""
    from reportgen.docstyle import SIGNOFF_ID

    _, docs = built[format_id]
    for doc in docs[doc_id]:
        body = doc.element.body
        signoff = next(p for p in body.iterchildren(qn("w:p"))
                       if (s := p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")) is not None and s.get(qn("w:val")) == SIGNOFF_ID)
        before = signoff.getprevious()
        last = before if before.tag == qn("w:p") else before.findall(qn("w:tr"))[-1].findall(f".//{qn('w:p')}")[0]
        assert last.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None, "".join(before.itertext())[-40:]


def test_yueyang_unit_without_projects_or_other_matters_says_so(built) -> None:
    """No "共安排项目0个，全年预算0.00万元…执行率—" for a unit without projects (the 社保中心)."""
    from io import BytesIO

    from reportgen.pipeline import document_jobs
    from reportgen.render.docx import render_docx

    evaluation, _ = built["yueyang-2020"]
    job = next(j for j in document_jobs(evaluation) if j.doc.id == "report")
    context = {**job.context, "projects": {**job.context["projects"], "rows": []}}
    text = full_text(Document(BytesIO(render_docx(evaluation.format.path(job.doc.template), context))))
    assert "2025年未安排项目支出。" in text and "项目0个" not in text
    context["narrative"] = {**job.context["narrative"], "other": []}
    text = full_text(Document(BytesIO(render_docx(evaluation.format.path(job.doc.template), context))))
    assert "七、其他需要说明的情况\n无。\n八、" in text  # a heading never stands empty
