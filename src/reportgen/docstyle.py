"""Building blocks for .docx templates in the official document look (GB/T 9704-2012).

A4, margins 37/35/28/26 mm, 仿宋_GB2312 三号 body with 28 pt fixed line spacing, 方正小标宋简体
二号 title, 黑体/楷体_GB2312 headings, "— 1 —" page numbers. Every helper writes its text as a
single run, so Jinja tags typed into a paragraph or cell (``{{ unit.name }}``, ``{%tr for %}``,
``{%p if %}``) are never split across runs.

    doc = new_document()
    add_title(doc, "{{ unit.name }}{{ unit.year }}年度部门整体支出绩效自评报告")
    add_heading1(doc, "一、部门概况")
    add_body(doc, "{{ narrative.overview }}")
    add_note(doc, "表1 年度收入情况（万元）")
    table = add_table(doc, 3, 4, header_rows=1, col_widths_mm=[40, 40, 38, 38])
    set_cell(table, 0, 0, "项目", bold=True)
    merge(table, 0, 0, 0, 1)
    doc.save("自评报告.docx")
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from typing import Any, Literal

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

TITLE = "公文标题"
HEADING1 = "公文一级标题"
HEADING2 = "公文二级标题"
HEADING3 = "公文三级标题"
LABEL = "公文附件标识"
SIGNOFF = "公文落款"
SIGNOFF_ID = "GwSignoff"  # its style id, by which rendering finds the 落款 (render.pagination)
BODY = "公文正文"
TABLE_TEXT = "公文表格"
NOTE = "公文表题"

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
LATIN = "Times New Roman"  # digits and Latin letters in body text

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
BODY_PT = 16  # 三号
LINE_PT = 28  # fixed line spacing: 22 lines on a page

Align = Literal["left", "center", "right", "justify"]
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def set_fonts(rpr_parent: Any, east_asia: str, latin: str | None = None) -> None:
    """Set w:rFonts on a style/run: python-docx's ``font.name`` sets only the Latin slots, and
    theme font attributes (``w:asciiTheme`` …) would override explicit names, so drop them."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    latin = latin or east_asia
    for attr, name in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin)):
        fonts.set(qn(attr), name)


def _paragraph_style(
    doc: DocumentObject,
    name: str,
    style_id: str,
    *,
    font: str,
    size_pt: float,
    latin: str | None = None,
    align: Align = "justify",
    indent_chars: int = 0,
    line_pt: float | None = LINE_PT,
    at_least: bool = False,
    outline_level: int | None = None,
    keep_with_next: bool = False,
) -> None:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.element.styleId = style_id  # ASCII ids, as Word itself writes for Chinese names
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(size_pt)
    style.font.bold = False
    set_fonts(style.element, font, latin)
    fmt = style.paragraph_format
    fmt.alignment = _ALIGN[align]
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if line_pt is None:
        fmt.line_spacing = 1.0
    else:
        fmt.line_spacing = Pt(line_pt)
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST if at_least else WD_LINE_SPACING.EXACTLY
    if indent_chars:
        fmt.first_line_indent = Pt(size_pt * indent_chars)
        # Word prefers the character count, which stays right if the font size changes.
        ind = style.element.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), str(indent_chars * 100))
    if keep_with_next or outline_level is not None:  # a heading never ends a page alone
        fmt.keep_with_next = True
    if outline_level is not None:  # shows in the navigation pane / table of contents
        lvl = OxmlElement("w:outlineLvl")
        lvl.set(qn("w:val"), str(outline_level))
        style.element.get_or_add_pPr().append(lvl)


def _setup_styles(doc: DocumentObject, table_pt: float) -> None:
    defaults = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if defaults is not None:
        fonts = defaults.find(qn("w:rFonts"))
        if fonts is not None:
            defaults.remove(fonts)
        lang = defaults.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element, FANGSONG, LATIN)
    normal.paragraph_format.space_after = Pt(0)

    _paragraph_style(doc, TITLE, "GwTitle", font=XIAOBIAOSONG, size_pt=22, align="center", at_least=True,
                     keep_with_next=True)
    doc.styles[TITLE].paragraph_format.space_after = Pt(LINE_PT)  # 标题与正文间空一行
    _paragraph_style(
        doc, HEADING1, "GwHeading1", font=HEITI, size_pt=BODY_PT, indent_chars=2, outline_level=0
    )
    _paragraph_style(
        doc, HEADING2, "GwHeading2", font=KAITI, size_pt=BODY_PT, indent_chars=2, outline_level=1
    )
    _paragraph_style(
        doc, HEADING3, "GwHeading3", font=FANGSONG, latin=LATIN, size_pt=BODY_PT, indent_chars=2, outline_level=2
    )
    # A table caption stays with its table (keep-with-next on the paragraph before a table keeps it
    # with the table's first row).
    _paragraph_style(
        doc, NOTE, "GwNote", font=FANGSONG, latin=LATIN, size_pt=14, align="center", keep_with_next=True
    )
    # 附件标识 (附件2, 附件3-1): 黑体, top left, no indent (GB/T 9704 8.1).
    _paragraph_style(doc, LABEL, "GwLabel", font=HEITI, latin=HEITI, size_pt=BODY_PT, align="left",
                     keep_with_next=True)
    # 落款: unit name and date on a centre tab stop (add_signoff), kept together (and with the line before).
    _paragraph_style(doc, SIGNOFF, SIGNOFF_ID, font=FANGSONG, latin=LATIN, size_pt=BODY_PT, align="left",
                     keep_with_next=True)
    # Body text is left-aligned, not justified: a long number or name that moves to the next line would
    # otherwise spread the line above it apart with wide letter-spacing.
    _paragraph_style(doc, BODY, "GwBody", font=FANGSONG, latin=LATIN, size_pt=BODY_PT, indent_chars=2,
                     align="left")
    _paragraph_style(
        doc, TABLE_TEXT, "GwTable", font=FANGSONG, latin=LATIN, size_pt=table_pt, align="center", line_pt=None
    )


def _add_page_number(section: Any) -> None:
    """Footer "— 1 —", centred, 宋体 四号 (GB/T 9704 7.5)."""
    footer = section.footer
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        r.font.size = Pt(14)
        set_fonts(r._r, "宋体")
        return r

    def field_char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run()._r.append(element)

    run("— ")
    field_char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run()._r.append(instr)
    field_char("separate")
    run("1")  # shown until Word updates the field
    field_char("end")
    run(" —")


@functools.cache
def _blank_docx() -> bytes:
    """python-docx's default document without its unused styles (``render.slim``): quicker to open,
    and what the templates built on it keep anyway."""
    from reportgen.render.slim import slim

    buffer = io.BytesIO()
    Document().save(buffer)
    return slim(buffer.getvalue())


def new_document(landscape: bool = False, table_pt: float = 12) -> DocumentObject:
    """An empty A4 document with the official margins, styles and page numbers.

    ``table_pt``: table text size, 12 (小四) or 10.5 (五号) for dense tables.
    """
    doc = Document(io.BytesIO(_blank_docx()))
    section = doc.sections[0]
    width, height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    # The page number line sits about 7 mm below the text block.
    section.footer_distance = Mm(22)
    _setup_styles(doc, table_pt)
    _add_page_number(section)
    return doc


def text_width_mm(doc: DocumentObject) -> float:
    section = doc.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / Mm(1)


def _one_run(paragraph: Paragraph, text: str, bold: bool) -> None:
    """The text as a single run, so a Jinja tag in it is never split."""
    if text:
        run = paragraph.add_run(text)
        if bold:
            run.bold = True


def add_paragraph(
    doc: DocumentObject, text: str = "", style: str = BODY, *, align: Align | None = None, bold: bool = False
) -> Paragraph:
    """One paragraph, its text in one run (so a Jinja tag in it stays whole)."""
    paragraph = doc.add_paragraph(style=style)
    if align is not None:
        paragraph.alignment = _ALIGN[align]
    _one_run(paragraph, text, bold)
    return paragraph


def add_title(doc: DocumentObject, text: str) -> Paragraph:
    return add_paragraph(doc, text, TITLE)


def add_heading1(doc: DocumentObject, text: str) -> Paragraph:
    return add_paragraph(doc, text, HEADING1)


def add_heading2(doc: DocumentObject, text: str) -> Paragraph:
    return add_paragraph(doc, text, HEADING2)


def add_heading3(doc: DocumentObject, text: str) -> Paragraph:
    """A third-level heading such as ``1.小标题`` (仿宋, kept with the paragraph after it)."""
    return add_paragraph(doc, text, HEADING3)


def add_label(doc: DocumentObject, text: str = "{{ document.label }}") -> Paragraph:
    """The attachment label (附件2, 附件3-1) in 黑体 at the top left, before the title.

    The default text comes from the document's ``label:`` in format.yaml (``document.label``); the
    paragraph disappears when the document has none."""
    condition = "document.label" if text == "{{ document.label }}" else ""
    if condition:
        add_paragraph(doc, f"{{%p if {condition} %}}", LABEL)
    label = add_paragraph(doc, text, LABEL)
    if condition:
        add_paragraph(doc, "{%p endif %}", LABEL)
    return label


SIGNOFF_DATE_CHARS = 6.5  # "2026年3月31日": three characters and seven half-width digits
SIGNOFF_NAME_MAX = 14  # characters a name may have and still centre over the date inside the margin


def add_signoff(
    doc: DocumentObject, name: str = "unit.name", date: str = "{{ unit.fill_date|cn_date }}"
) -> list[Paragraph]:
    """落款 (GB/T 9704 7.3.5): after an empty line, the unit's name centred over the date, the date
    four characters in from the right margin. Both sit on one centre tab stop; a name too long to
    centre there (over :data:`SIGNOFF_NAME_MAX` characters) ends at the right margin instead.
    ``name`` is a Jinja expression. Every paragraph keeps with the next: the name never ends a page
    without its date."""
    from docx.enum.text import WD_TAB_ALIGNMENT

    centre = Mm(text_width_mm(doc)) - Pt(BODY_PT * (4 + SIGNOFF_DATE_CHARS / 2))
    paragraphs = [add_paragraph(doc, "", SIGNOFF)]
    paragraphs.append(add_paragraph(doc, f"{{%p if {name}|length > {SIGNOFF_NAME_MAX} %}}", SIGNOFF))
    long_name = add_paragraph(doc, f"{{{{ {name} }}}}", SIGNOFF)
    long_name.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraphs += [long_name, add_paragraph(doc, "{%p else %}", SIGNOFF)]
    for text in (f"\t{{{{ {name} }}}}", "{%p endif %}", f"\t{date}"):
        paragraph = add_paragraph(doc, text, SIGNOFF)
        paragraph.paragraph_format.tab_stops.add_tab_stop(centre, WD_TAB_ALIGNMENT.CENTER)
        paragraphs.append(paragraph)
    return paragraphs


def add_body(doc: DocumentObject, text: str) -> Paragraph:
    return add_paragraph(doc, text, BODY)


def add_lead(doc: DocumentObject, text: str) -> Paragraph:
    """A body line that introduces what follows (``主要工作成效：``): never left alone at a page bottom."""
    paragraph = add_body(doc, text)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def after_table(paragraph: Paragraph, pt: float = LINE_PT / 2) -> Paragraph:
    """Room (half a line by default) above a paragraph that follows a table: a heading flush against
    the table's last rule reads as part of the table."""
    paragraph.paragraph_format.space_before = Pt(pt)
    return paragraph


def add_note(doc: DocumentObject, text: str) -> Paragraph:
    """A short centred line such as a table caption (``表1 年度收入情况（万元）``) or a note."""
    return add_paragraph(doc, text, NOTE)


def _borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    # Schema order matters to Word: tblBorders comes before shd/tblLayout/tblCellMar/tblLook.
    later = [tbl_pr.find(qn(f"w:{tag}")) for tag in ("shd", "tblLayout", "tblCellMar", "tblLook")]
    successor = next((el for el in later if el is not None), None)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")  # eighths of a point: 0.5 pt
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    if successor is not None:
        successor.addprevious(borders)
    else:
        tbl_pr.append(borders)


def add_table(
    doc: DocumentObject,
    rows: int,
    cols: int,
    header_rows: int = 1,
    col_widths_mm: Sequence[float] | None = None,
) -> Table:
    """A bordered, centred table; the first ``header_rows`` rows repeat on every page.

    Column widths default to the text width split evenly. Cells start empty in the table text
    style; fill them with :func:`set_cell`.
    """
    widths = list(col_widths_mm) if col_widths_mm else [text_width_mm(doc) / cols] * cols
    if len(widths) != cols:
        raise ValueError(f"col_widths_mm has {len(widths)} widths for {cols} columns")
    table = doc.add_table(rows=rows, cols=cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table)
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Mm(width)
    for r, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))  # a row never breaks across pages (rows loops copy this)
        if r < header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)  # Word reads the cell widths, LibreOffice the grid
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            for paragraph in cell.paragraphs:
                paragraph.style = doc.styles[TABLE_TEXT]
    return table


def loop_columns(table: Table, row: int, first: int, loop: str, text: str, *, width_mm: float,
                 bold: bool = False) -> None:
    """Cells ``first`` to ``first + 2`` of ``row``: a docxtpl column loop (``{%tc for loop %}``, then one
    printed cell per item with ``text``, then ``{%tc endfor %}``; the tag cells vanish). The table
    will be ``width_mm`` wide: after rendering each row is scaled to it (``render.columns``), so the
    looped cell's width is a nominal one, in proportion to the other columns'; give the tag cells
    almost none."""
    set_cell(table, row, first, f"{{%tc for {loop} %}}")
    set_cell(table, row, first + 1, text, bold=bold)
    set_cell(table, row, first + 2, "{%tc endfor %}")
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(round(width_mm * 56.7)))  # twentieths of a point


def small_text(table: Table, pt: float = 9) -> None:
    """Every run of ``table`` at ``pt`` points (小五 by default): a dense table of amounts whose
    columns a loop multiplies keeps ``2,521.45`` on one line."""
    for run in table._tbl.iter(qn("w:r")):
        rpr = run.get_or_add_rPr()
        for tag in ("w:sz", "w:szCs"):
            size = rpr.find(qn(tag))
            if size is None:
                size = OxmlElement(tag)
                rpr.append(size)
            size.set(qn("w:val"), str(round(pt * 2)))


def join_tables(doc: DocumentObject, upper: Table) -> Paragraph:
    """Between ``upper`` and the table added next, so that they print as one form: a ½ pt paragraph
    (tables that touch are merged by Word and LibreOffice, and a merged table repeats only its
    first rows) and no bottom border on ``upper`` (the lower table's top border closes it). The
    lower table's header rows then repeat on every page it runs onto."""
    paragraph = doc.add_paragraph(style=doc.styles[TABLE_TEXT])
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(0.5)
    fmt.keep_with_next = True
    mark = OxmlElement("w:rPr")  # the paragraph mark's size sets an empty paragraph's height
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    mark.append(size)
    paragraph._p.get_or_add_pPr().append(mark)
    bottom = upper._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:bottom"))
    bottom.set(qn("w:val"), "nil")
    return paragraph


def narrow_margins(table: Table, mm: float = 1.0) -> None:
    """Cell padding of ``mm`` left and right (Word's default is 1.9 mm), so that amounts and short
    labels in the narrow columns of a dense form stay on one line."""
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(round(mm * 56.7)))  # twentieths of a point
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    look = tbl_pr.find(qn("w:tblLook"))  # schema order: tblCellMar comes before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)


def cell_text(cell: _Cell, text: str, *, align: Align = "center", bold: bool = False) -> Paragraph:
    """Replace a cell's content by one paragraph holding ``text`` in one run."""
    paragraphs = cell.paragraphs
    for extra in paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    paragraph = paragraphs[0]
    for child in list(paragraph._p):
        if child.tag != qn("w:pPr"):
            paragraph._p.remove(child)
    paragraph.style = cell.part.document.styles[TABLE_TEXT]
    paragraph.alignment = _ALIGN[align]
    _one_run(paragraph, text, bold)
    return paragraph


def cell_at(table: Table, row: int, col: int) -> _Cell:
    """``table.cell(row, col)`` from that row alone (python-docx's works out every cell of the table
    on each call: building a 100-row form took seconds)."""
    return table.rows[row].cells[col]


def set_cell(
    table: Table, row: int, col: int, text: str, *, align: Align = "center", bold: bool = False
) -> _Cell:
    """Write ``text`` into cell (row, col) (0-based) as one run; returns the cell."""
    cell = cell_at(table, row, col)
    cell_text(cell, text, align=align, bold=bold)
    return cell


def keep_with_next(table: Table, rows: Sequence[int] | None = None) -> None:
    """Keep these rows (default: all) on the page of the row after them, as Word does for a
    table whose paragraphs all keep with next: a short form block never splits across pages."""
    for r in range(len(table.rows)) if rows is None else rows:
        for cell in table.rows[r].cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


KEEP_IF_PREFIX = "jinja-if:"  # w:keepNext w:val="jinja-if:COND" -> {% if COND %}<w:keepNext/>{% endif %}


def keep_with_next_if(table: Table, row: int, condition: str) -> None:
    """Keep this (loop) row with the next one only where the Jinja ``condition`` holds when rendered
    (``not loop.last``: a group's rows stay together, a page may break between groups). The generator
    writes a marker that :func:`conditional_keeps` turns into the Jinja tag once the file is saved."""
    for cell in table.rows[row].cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
            paragraph._p.pPr.find(qn("w:keepNext")).set(qn("w:val"), KEEP_IF_PREFIX + condition)


def conditional_keeps(document_xml: str) -> str:
    """The saved ``word/document.xml`` with :func:`keep_with_next_if` markers made Jinja tags."""
    import html
    import re

    return re.sub(r'<w:keepNext w:val="' + re.escape(KEEP_IF_PREFIX) + r'([^"]*)"/>',
                  lambda m: "{% if " + html.unescape(m.group(1)) + " %}<w:keepNext/>{% endif %}", document_xml)


def merge(table: Table, r1: int, c1: int, r2: int, c2: int) -> _Cell:
    """Merge the rectangle (r1, c1)–(r2, c2) (inclusive, 0-based) into one cell and return it.

    The merged cell keeps the first cell's content (python-docx would append the others' text).
    """
    first = cell_at(table, r1, c1)
    keep = len(first.paragraphs)
    merged = first.merge(cell_at(table, r2, c2))
    for extra in merged.paragraphs[keep:]:  # text moved in from the other cells
        extra._p.getparent().remove(extra._p)
    return merged
