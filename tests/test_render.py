"""The render layer: docx rendering (text safety, errors, sandbox, images, atomic writes),
static template checks, and the official-document style helpers."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.shared import Mm

from reportgen import docstyle as style
from reportgen import outputs
from reportgen.errors import ReportgenError
from reportgen.formats.template_check import check_template, suggest
from reportgen.render.docx import PngImage, render_docx, write_atomic

CONTEXT: dict[str, Any] = {
    "unit": {"name": "岳阳市某局", "year": 2020},
    "income": {"rows": [{"org": "本级", "amount": "1,000.00"}, {"org": "二级单位", "amount": "234.56"}]},
}
KNOWN = {
    "unit",
    "unit.name",
    "unit.year",
    "income",
    "income.rows",
    "income.rows[].org",
    "income.rows[].amount",
    "inputs",
}


def make_template(
    path: Path,
    paragraphs: Sequence[str] = (),
    table: Sequence[Sequence[str]] | None = None,
    runs: Sequence[str] | None = None,
    header: str | None = None,
    footer: str | None = None,
) -> Path:
    """A tiny .docx template: paragraphs, then optionally a paragraph made of separate runs
    (how Word splits text), then a table."""
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if runs:
        paragraph = doc.add_paragraph()
        for text in runs:
            paragraph.add_run(text)
    if table:
        t = doc.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
    section = doc.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def png(width: int = 4, height: int = 2) -> bytes:
    """A valid RGB PNG, without importing an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def render(tmp_path: Path, context: dict[str, Any], **template: Any) -> Any:
    tpl = make_template(tmp_path / "自评报告.docx", **template)
    out = tmp_path / "out" / "报告.docx"
    render_docx(tpl, context, out)
    return Document(str(out))


def render_error(tmp_path: Path, context: dict[str, Any], **template: Any) -> ReportgenError:
    tpl = make_template(tmp_path / "自评报告.docx", **template)
    out = tmp_path / "out" / "报告.docx"
    with pytest.raises(ReportgenError) as info:
        render_docx(tpl, context, out)
    assert not out.exists()
    return info.value


# ---- text safety ----------------------------------------------------------------------------

SPECIAL = "A&B <x> \"q\" 'q' </w:t> ]]> &amp;"


def test_special_characters_survive_in_paragraphs_and_cells(tmp_path: Path) -> None:
    doc = render(
        tmp_path,
        {"v": SPECIAL, **CONTEXT},
        paragraphs=["值：{{ v }}", "{{ unit.name }}"],
        table=[["{{ v }}", "{{ unit.name }}"]],
    )
    assert doc.paragraphs[0].text == "值：" + SPECIAL
    assert doc.paragraphs[1].text == "岳阳市某局"
    assert doc.tables[0].cell(0, 0).text == SPECIAL
    assert doc.tables[0].cell(0, 1).text == "岳阳市某局"


def test_long_chinese_text_intact(tmp_path: Path) -> None:
    text = ("部门整体支出绩效自评&<>" * 1000)[:10_000]
    doc = render(tmp_path, {"v": text}, paragraphs=["{{ v }}"])
    assert doc.paragraphs[0].text == text
    assert len(doc.paragraphs[0].text) == 10_000


def test_newline_becomes_line_break(tmp_path: Path) -> None:
    doc = render(tmp_path, {"v": "第一行\n第二行\r\n第三行"}, paragraphs=["{{ v }}"])
    out = tmp_path / "out" / "报告.docx"
    xml = document_xml(out)
    assert xml.count("<w:br/>") == 2
    assert "第一行" in xml and "第二行" in xml and "第三行" in xml
    assert doc.paragraphs[0].text == "第一行\n第二行\n第三行"  # python-docx reads w:br as \n
    assert len(doc.paragraphs) == 1  # a line break, not new paragraphs


def test_control_characters_and_none_do_not_break_the_document(tmp_path: Path) -> None:
    doc = render(tmp_path, {"v": "a\x00b\x07c\x1fd", "n": None}, paragraphs=["{{ v }}|{{ n }}|"])
    assert doc.paragraphs[0].text == "abcd||"


def test_filters_and_loops_render(tmp_path: Path) -> None:
    doc = render(
        tmp_path,
        {**CONTEXT, "rate": "98.335"},
        paragraphs=["执行率 {{ rate|pct }}"],
        table=[
            ["单位", "金额"],
            ["{%tr for r in income.rows %}", ""],
            ["{{ r.org }}", "{{ r.amount|wan }}"],
            ["{%tr endfor %}", ""],
        ],
    )
    assert doc.paragraphs[0].text == "执行率 98.34%"
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows == [["单位", "金额"], ["本级", "1,000.00"], ["二级单位", "234.56"]]


def test_header_and_footer_are_rendered(tmp_path: Path) -> None:
    doc = render(tmp_path, CONTEXT, paragraphs=["x"], header="{{ unit.name }}", footer="{{ unit.year }}年")
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == "岳阳市某局"
    assert section.footer.paragraphs[0].text == "2020年"


# ---- errors name the template, the place and the problem ------------------------------------


def test_undefined_attribute_names_the_full_path(tmp_path: Path) -> None:
    err = render_error(
        tmp_path, CONTEXT, paragraphs=["标题", "单位：{{ unit.name }}", "名称：{{ unit.nmae }}"]
    )
    (finding,) = err.findings
    assert finding.where == "自评报告.docx"
    assert finding.field == "第 3 段"
    assert "未定义的变量 unit.nmae" in finding.message
    assert "自评报告.docx" in str(err) and "unit.nmae" in str(err)


def test_undefined_top_level_variable(tmp_path: Path) -> None:
    err = render_error(tmp_path, CONTEXT, paragraphs=["{{ budget.final|wan }}"])
    assert "未定义的变量 budget" in err.findings[0].message


def test_undefined_loop_attribute_in_table(tmp_path: Path) -> None:
    err = render_error(
        tmp_path,
        CONTEXT,
        table=[["{%tr for r in income.rows %}"], ["{{ r.orgg }}"], ["{%tr endfor %}"]],
    )
    (finding,) = err.findings
    assert "r.orgg" in finding.message and "income.rows" in finding.message
    assert finding.field == "表 1 第 2 行第 1 列"


def test_error_in_footer_is_located_there(tmp_path: Path) -> None:
    err = render_error(tmp_path, CONTEXT, paragraphs=["x"], footer="{{ unit.nmae }}")
    assert err.findings[0].field.startswith("页脚")
    assert "unit.nmae" in err.findings[0].message


def test_syntax_error_points_at_the_open_block(tmp_path: Path) -> None:
    err = render_error(tmp_path, CONTEXT, paragraphs=["a", "{% for r in income.rows %}", "{{ r.org }}"])
    (finding,) = err.findings
    assert "endfor" in finding.message
    assert finding.field == "第 2 段"
    assert finding.where == "自评报告.docx"


def test_full_width_comma_is_explained(tmp_path: Path) -> None:
    err = render_error(tmp_path, CONTEXT, paragraphs=["{{ unit.year|num(2，) }}"])
    assert "全角" in err.findings[0].message and "，" in err.findings[0].message


def test_unknown_filter_is_a_finding(tmp_path: Path) -> None:
    err = render_error(tmp_path, CONTEXT, paragraphs=["{{ unit.year|pcnt }}"])
    assert "未知的过滤器 |pcnt" in err.findings[0].message


def test_bad_data_for_a_filter_is_a_finding(tmp_path: Path) -> None:
    err = render_error(tmp_path, CONTEXT, paragraphs=["{{ unit.name|wan }}"])
    assert "不是数字" in err.findings[0].message


def test_missing_or_invalid_template_file(tmp_path: Path) -> None:
    with pytest.raises(ReportgenError, match="不存在"):
        render_docx(tmp_path / "无.docx", {}, tmp_path / "o.docx")
    bad = tmp_path / "坏.docx"
    bad.write_text("not a zip")
    with pytest.raises(ReportgenError, match="不是有效的 Word 文档"):
        render_docx(bad, {}, tmp_path / "o.docx")


# ---- sandbox --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "{{ cycler.__init__.__globals__ }}",
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ unit.__class__ }}",
        "{{ lipsum.__globals__['os'].popen('id').read() }}",
        "{{ income.rows.append(1) }}",
    ],
)
def test_sandbox_blocks_internals(tmp_path: Path, tag: str) -> None:
    err = render_error(tmp_path, CONTEXT, paragraphs=[tag])
    assert "不允许" in err.findings[0].message and "已被阻止" in err.findings[0].message


@pytest.mark.parametrize(
    "tag",
    [
        "{{ open('/etc/passwd').read() }}",
        "{% import 'os' as os %}{{ os.system('id') }}",
        "{% include '/etc/passwd' %}",
        "{{ __import__('os') }}",
        "{{ range(10**9)|list }}",
    ],
)
def test_sandbox_blocks_files_and_imports(tmp_path: Path, tag: str) -> None:
    err = render_error(tmp_path, CONTEXT, paragraphs=[tag])
    assert err.findings and err.findings[0].where == "自评报告.docx"


# ---- images ---------------------------------------------------------------------------------


def test_png_marker_becomes_a_picture(tmp_path: Path) -> None:
    doc = render(tmp_path, {"chart": PngImage(png(), 100)}, paragraphs=["图：", "{{ chart }}"])
    assert len(doc.inline_shapes) == 1
    assert abs(doc.inline_shapes[0].width - Mm(100)) < Mm(0.1)


def test_png_markers_nested_in_lists(tmp_path: Path) -> None:
    charts = {"charts": [PngImage(png(), 50), PngImage(png(8, 8), 30)]}
    doc = render(tmp_path, charts, paragraphs=["{% for c in charts %}{{ c }}{% endfor %}"])
    assert len(doc.inline_shapes) == 2


# ---- atomic writes --------------------------------------------------------------------------


def test_failed_render_keeps_existing_file(tmp_path: Path) -> None:
    tpl = make_template(tmp_path / "t.docx", ["{{ nope }}"])
    out = tmp_path / "out.docx"
    out.write_bytes(b"good report")
    with pytest.raises(ReportgenError):
        render_docx(tpl, {}, out)
    assert out.read_bytes() == b"good report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.docx", "t.docx"]


def test_write_atomic_cleans_up_after_a_failing_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.docx"
    out.write_bytes(b"old")

    def half_write(path: Path, data: bytes) -> None:
        path.write_bytes(data[:2])
        raise OSError("disk full")

    monkeypatch.setattr(outputs, "write_new_file", half_write)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(out, b"half")
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]


def test_write_atomic_creates_parent_and_replaces(tmp_path: Path) -> None:
    out = tmp_path / "新目录" / "子目录" / "out.docx"
    write_atomic(out, b"one")
    write_atomic(out, b"two")
    assert out.read_bytes() == b"two"
    assert [p.name for p in out.parent.iterdir()] == ["out.docx"]


# ---- static checks --------------------------------------------------------------------------


def check(tmp_path: Path, known: Any = KNOWN, suggestions: Sequence[str] = (), **template: Any) -> list:
    return check_template(make_template(tmp_path / "模板.docx", **template), known, suggestions)


def test_check_clean_template(tmp_path: Path) -> None:
    findings = check(
        tmp_path,
        paragraphs=["{{ unit.name }}{{ unit.year }}年度", "{% set n = unit.name %}{{ n }}{{ inputs }}"],
        table=[
            ["{%tr for r in income.rows %}"],
            ["{{ r.org }}{{ loop.index }}{{ r.amount|wan }}"],
            ["{%tr endfor %}"],
        ],
        header="{{ unit.name }}",
    )
    assert findings == []


def test_check_unknown_variable_with_suggestion(tmp_path: Path) -> None:
    findings = check(tmp_path, paragraphs=["标题", "单位：{{ unit.nmae }}", "{{ unit.nmae }}"])
    (finding,) = findings
    assert finding.is_error
    assert finding.where == "模板.docx"
    assert finding.field == "第 2 段"
    assert "未知的变量 unit.nmae" in finding.message
    assert "是否想用 unit.name？" in finding.message
    assert "共 2 处" in finding.message


def test_check_unknown_root_and_callable_known(tmp_path: Path) -> None:
    findings = check(
        tmp_path,
        known=lambda path: path in KNOWN,
        suggestions=sorted(KNOWN),
        paragraphs=["{{ unti.year }}"],
    )
    assert "是否想用 unit.year？" in findings[0].message


def test_check_loop_variable_against_item_fields(tmp_path: Path) -> None:
    findings = check(
        tmp_path,
        table=[["{%tr for r in income.rows %}"], ["{{ r.orgg }}"], ["{%tr endfor %}"]],
    )
    (finding,) = findings
    assert "r.orgg" in finding.message and "是否想用 r.org？" in finding.message
    assert finding.field == "表 1 第 2 行第 1 列"


def test_check_skips_loop_variables_without_item_names(tmp_path: Path) -> None:
    known = {"unit", "unit.name", "income", "income.rows"}
    findings = check(
        tmp_path, known=known, paragraphs=["{% for r in income.rows %}{{ r.whatever }}{% endfor %}"]
    )
    assert findings == []


def test_check_opaque_dict_is_only_a_warning(tmp_path: Path) -> None:
    (finding,) = check(tmp_path, paragraphs=["{{ inputs.重点支出 }}"])
    assert finding.severity == "warning"


def test_check_smart_quotes(tmp_path: Path) -> None:
    (finding,) = check(tmp_path, paragraphs=["{% if unit.name == “岳阳” %}是{% endif %}"])
    assert "弯引号" in finding.message
    assert finding.field == "第 1 段"


def test_check_tag_split_across_paragraphs(tmp_path: Path) -> None:
    findings = check(tmp_path, paragraphs=["单位 {{ unit.name", "}} 年度"])
    assert [f.field for f in findings] == ["第 1 段", "第 2 段"]
    assert "没有结束" in findings[0].message
    assert all(f.is_error for f in findings)


def test_check_lone_opening_braces(tmp_path: Path) -> None:
    (finding,) = check(tmp_path, paragraphs=["ok", "金额 {{ unit.year 万元"])
    assert finding.field == "第 2 段" and "{{" in finding.message


def test_check_spaced_and_full_width_braces(tmp_path: Path) -> None:
    findings = check(
        tmp_path, paragraphs=["{ { unit.name }}", "｛｛ unit.name ｝｝", "{{ unit.year|num(2，) }}"]
    )
    assert [f.field for f in findings] == ["第 1 段", "第 2 段", "第 3 段"]
    assert "空格" in findings[0].message
    assert "全角" in findings[1].message and "全角" in findings[2].message


def test_check_run_split_tag_is_repaired_by_docxtpl(tmp_path: Path) -> None:
    # Word often stores "{{ unit.name }}" as several runs; docxtpl joins them: not a problem.
    assert check(tmp_path, runs=["{", "{ unit.", "name }", "}"]) == []


def test_check_syntax_error(tmp_path: Path) -> None:
    (finding,) = check(tmp_path, paragraphs=["a", "{% if unit.name %}", "b"])
    assert "endif" in finding.message and finding.field == "第 2 段"


def test_check_unsafe_attribute_and_include(tmp_path: Path) -> None:
    findings = check(tmp_path, paragraphs=["{{ unit.__class__ }}", "{% include 'x.docx' %}"])
    assert [f.field for f in findings] == ["第 1 段", "第 2 段"]
    assert "不允许" in findings[0].message


def test_check_unknown_filter(tmp_path: Path) -> None:
    (finding,) = check(tmp_path, table=[["{{ unit.year|pcnt }}"]])
    assert "未知的过滤器 |pcnt" in finding.message and "是否想用 pct？" in finding.message
    assert finding.field == "表 1 第 1 行第 1 列"


def test_check_paragraph_tag_with_other_text(tmp_path: Path) -> None:
    (finding,) = check(tmp_path, paragraphs=["正文{%p if unit.name %}", "{%p endif %}"])
    assert finding.severity == "warning" and "删除" in finding.message


def test_check_header_location(tmp_path: Path) -> None:
    (finding,) = check(tmp_path, paragraphs=["x"], header="{{ unit.nmae }}")
    assert finding.field == "页眉 第 1 段"


def test_suggest_prefers_siblings() -> None:
    names = ["unit.name", "unit.year", "budget.name", "income.rows[].org"]
    assert suggest("unit.nmae", names) == "unit.name"
    assert suggest("budget.nme", names) == "budget.name"
    assert suggest("zzz", names) is None


# ---- style helpers --------------------------------------------------------------------------


def test_new_document_page_setup(tmp_path: Path) -> None:
    doc = style.new_document()
    section = doc.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m / Mm(1)) for m in margins] == [37, 35, 28, 26]
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml and "— " in footer_xml

    land = style.new_document(landscape=True).sections[0]
    assert (round(land.page_width / Mm(1)), round(land.page_height / Mm(1))) == (297, 210)


def test_styles_set_east_asian_fonts() -> None:
    doc = style.new_document()
    expected = {
        style.TITLE: ("方正小标宋简体", 22),
        style.BODY: ("仿宋_GB2312", 16),
        style.HEADING1: ("黑体", 16),
        style.HEADING2: ("楷体_GB2312", 16),
        style.TABLE_TEXT: ("仿宋_GB2312", 12),
        style.NOTE: ("仿宋_GB2312", 14),
    }
    for name, (font, size) in expected.items():
        s = doc.styles[name]
        fonts = s.element.rPr.rFonts
        assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == font
        assert s.font.size.pt == size
    body = doc.styles[style.BODY].paragraph_format
    assert body.line_spacing.pt == 28 and body.first_line_indent.pt == 32


def test_template_built_with_style_renders_and_checks_clean(tmp_path: Path) -> None:
    doc = style.new_document()
    style.add_title(doc, "{{ unit.name }}{{ unit.year }}年度部门整体支出绩效自评报告")
    style.add_heading1(doc, "{{ 1|cn_ordinal }}收入情况")
    style.add_heading2(doc, "{{ 1|cn_paren }}收入明细")
    style.add_body(doc, "{{ unit.name }}收入合计如下表。")
    style.add_note(doc, "表1 收入情况（万元）")
    table = style.add_table(doc, 4, 2, header_rows=1, col_widths_mm=[78, 78])
    style.set_cell(table, 0, 0, "单位", bold=True)
    style.set_cell(table, 0, 1, "金额（万元）", bold=True)
    style.set_cell(table, 1, 0, "{%tr for r in income.rows %}", align="left")
    style.merge(table, 1, 0, 1, 1)
    style.set_cell(table, 2, 0, "{{ r.org }}", align="left")
    style.set_cell(table, 2, 1, "{{ r.amount|wan }}", align="right")
    style.set_cell(table, 3, 0, "{%tr endfor %}")
    style.add_paragraph(doc, "{%p if unit.year > 2019 %}")
    style.add_body(doc, "新年度说明")
    style.add_paragraph(doc, "{%p endif %}")
    merged = style.merge(table, 0, 0, 0, 1)
    assert merged.text == "单位"
    style.cell_text(merged, "收入明细", bold=True)

    for paragraph in doc.paragraphs:  # one run per paragraph: tags never split
        assert len(paragraph.runs) <= 1
    template = tmp_path / "自评报告.docx"
    doc.save(str(template))
    assert check_template(template, KNOWN) == []

    out = tmp_path / "报告.docx"
    render_docx(template, CONTEXT, out)
    result = Document(str(out))
    texts = [p.text for p in result.paragraphs]
    assert texts == [
        "岳阳市某局2020年度部门整体支出绩效自评报告",
        "一、收入情况",
        "（一）收入明细",
        "岳阳市某局收入合计如下表。",
        "表1 收入情况（万元）",
        "新年度说明",
    ]
    rows = [[c.text for c in row.cells] for row in result.tables[0].rows]
    assert rows == [["收入明细", "收入明细"], ["本级", "1,000.00"], ["二级单位", "234.56"]]


def test_vmerge_scope_is_hidden_in_multiline_cells(tmp_path) -> None:
    from docx import Document

    from reportgen.docstyle import add_table, new_document, set_cell
    from reportgen.render.docx import render_docx

    doc = new_document()
    table = add_table(doc, 3, 2, col_widths_mm=[60, 60])
    set_cell(table, 0, 0, "{%tr for r in rows %}")
    set_cell(table, 1, 0, "{{ r.group|vmerge(r.parent) }}")
    set_cell(table, 1, 1, "{{ r.name }}")
    set_cell(table, 2, 0, "{%tr endfor %}")
    doc.save(tmp_path / "t.docx")
    rows = [{"group": "投入\n（15分）", "parent": "A", "name": n} for n in ("x", "y")]
    render_docx(tmp_path / "t.docx", {"rows": rows}, tmp_path / "out.docx")
    out = Document(tmp_path / "out.docx").tables[0]
    assert out.cell(0, 0).text == "投入\n（15分）"
    assert out.cell(0, 0)._tc is out.cell(1, 0)._tc  # merged
    assert out.cell(1, 1).text == "y"


def test_file_properties_longer_than_a_docx_holds_are_cut(tmp_path: Path) -> None:
    """python-docx refuses a title or author over 255 characters; it used to surface as a T440 "exceeded
    255 char limit" blamed on the template. Long names are the cells' to refuse (内容过长); whatever
    reaches the properties is cut to fit."""
    from io import BytesIO

    from reportgen.render.docx import DocProperties, render_docx

    tpl = make_template(tmp_path / "t.docx", paragraphs=["{{ unit.name }}"])
    data = render_docx(tpl, CONTEXT, properties=DocProperties("题" * 1000, "局" * 300))
    props = Document(BytesIO(data)).core_properties
    assert props.title == "题" * 255 and props.author == "局" * 255
