"""Building blocks shared by the built-in formats' template generators (tables, loops, sentences)."""

from __future__ import annotations

import copy
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from reportgen.docstyle import (
    TABLE_TEXT,
    add_body,
    add_heading2,
    add_heading3,
    add_label,
    add_table,
    add_title,
    cell_text,
    keep_with_next,
    loop_columns,
    merge,
    narrow_margins,
    new_document,
    set_cell,
    small_text,
)


def header_row(table, row: int, labels: list[str]) -> None:
    for col, label in enumerate(labels):
        set_cell(table, row, col, label, bold=True)


def row_tag(table, row: int, tag: str) -> None:
    """A docxtpl ``{%tr %}`` row: the tag alone in one cell spanning the row."""
    set_cell(table, row, 0, tag, align="left")
    merge(table, row, 0, row, len(table.columns) - 1)


def cell_lines(table, row: int, col: int, lines: list[str], align: str = "left") -> None:
    """Several paragraphs in one cell (``{%p %}`` tags need paragraphs of their own)."""
    cell = set_cell(table, row, col, lines[0], align=align)  # type: ignore[arg-type]
    for text in lines[1:]:
        paragraph = cell.add_paragraph(text, style=cell.part.document.styles[TABLE_TEXT])
        paragraph.alignment = cell.paragraphs[0].alignment


def loop_table(doc, headers: list[str], loop: str, cells: list[str], widths: list[float],
               total: list[str] | None = None, total_first: bool = False, align_first_left: bool = True,
               left_cols: tuple[int, ...] = (), empty: str | None = None):
    """A header row, then one row per item of ``loop`` (docxtpl {%tr %} rows), optional total row.
    ``left_cols``: columns of running text, aligned left (numbers and short labels stay centred).
    ``empty``: with no item, one row of this text across the table instead, and no total row (a table
    of nothing but a 0.00 合计 says nothing)."""
    items = loop.split(" in ", 1)[1]
    rows = 1 + 3 + (2 if empty else 0) + ((3 if empty else 1) if total else 0)
    table = add_table(doc, rows, len(headers), col_widths_mm=widths)
    header_row(table, 0, headers)
    r = 1

    def tag(text: str) -> None:
        nonlocal r
        row_tag(table, r, text)
        r += 1

    def total_row() -> None:
        nonlocal r
        if empty:
            tag(f"{{%tr if {items} %}}")
        for c, text in enumerate(total or []):
            set_cell(table, r, c, text, bold=(c == 0))
        r += 1
        if empty:
            tag("{%tr endif %}")

    if total and total_first:
        total_row()
    tag(f"{{%tr for {loop} %}}")
    for c, text in enumerate(cells):
        left = (c == 0 and align_first_left) or c in left_cols
        set_cell(table, r, c, text, align="left" if left else "center")
    r += 1
    if empty:
        tag("{%tr else %}")
        set_cell(table, r, 0, empty)
        merge(table, r, 0, r, len(headers) - 1)
        r += 1
    tag("{%tr endfor %}")
    if total and not total_first:
        total_row()
    return table


def _tag_row(template_row, text: str):
    """A copy of ``template_row`` (a ``<w:tr>``) holding only ``text`` in one cell across the row: a docxtpl
    ``{%tr %}`` row, which rendering replaces by its tag."""
    tr = copy.deepcopy(template_row)
    cells = tr.findall(qn("w:tc"))
    span = 0
    for tc in cells:
        grid = tc.tcPr.find(qn("w:gridSpan")) if tc.tcPr is not None else None
        span += int(grid.get(qn("w:val"))) if grid is not None else 1
    for tc in cells[1:]:
        tr.remove(tc)
    first = cells[0]
    tc_pr = first.get_or_add_tcPr()
    grid = tc_pr.find(qn("w:gridSpan"))
    if grid is None:
        grid = OxmlElement("w:gridSpan")
        tc_pr.append(grid)
    grid.set(qn("w:val"), str(span))
    paragraphs = first.findall(qn("w:p"))
    for p in paragraphs[1:]:
        first.remove(p)
    runs = paragraphs[0].findall(qn("w:r"))
    for r in runs[1:]:
        paragraphs[0].remove(r)
    texts = runs[0].findall(qn("w:t")) if runs else []
    if not texts:
        raise ValueError("the template row's first cell has no text to turn into a tag")
    for t in texts[1:]:
        runs[0].remove(t)
    texts[0].text = text
    return tr


def keep_with_next_while(table, row: int, condition: str) -> None:
    """Print the loop's data row ``row`` of ``table`` in two variants: while the Jinja ``condition`` holds
    (``not loop.last``: within a group) every paragraph of the row keeps with the next row, so the rows
    of a group stay on one page; where it fails the page may break after the row. A group's merged
    label then never continues, blank, on the next page. ``row``'s first cell must hold text."""
    tr = table.rows[row]._tr
    kept = copy.deepcopy(tr)
    for p in kept.iter(qn("w:p")):
        p_pr = p.get_or_add_pPr()
        if p_pr.find(qn("w:keepNext")) is None:
            p_pr.insert(1 if p_pr.find(qn("w:pStyle")) is not None else 0, OxmlElement("w:keepNext"))
    tr.addprevious(_tag_row(tr, f"{{%tr if {condition} %}}"))
    tr.addprevious(kept)
    tr.addprevious(_tag_row(tr, "{%tr else %}"))
    tr.addnext(_tag_row(tr, "{%tr endif %}"))


def line_row(table, row: int, text: str) -> None:
    """Row ``row`` of ``table`` as a line of text under it (评价人、填报日期): one cell across, without
    rules at its sides and bottom. Inside the table it never parts from the row above: LibreOffice does
    not keep a table's last row with the paragraph after a table that runs over pages."""
    cell = merge(table, row, 0, row, len(table.columns) - 1)
    cell_text(cell, text, align="left")
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side in ("left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    # schema order: tcBorders before shd … vAlign
    successor = next((el for el in tc_pr if el.tag in {qn("w:shd"), qn("w:noWrap"), qn("w:tcMar"), qn("w:vAlign")}), None)
    if successor is not None:
        successor.addprevious(borders)
    else:
        tc_pr.append(borders)


def paragraphs_loop(doc, items: str, text: str) -> None:
    add_body(doc, f"{{%p for item in {items} %}}")
    add_body(doc, text)
    add_body(doc, "{%p endfor %}")


def or_none(doc, items: str, write=None, **options) -> None:
    """``write(doc, items, **options)`` (default :func:`sections`), or ``无。`` when the workbook has none:
    a heading never stands empty."""
    add_body(doc, f"{{%p if {items} %}}")
    (write or sections)(doc, items, **options)
    add_body(doc, "{%p else %}")
    add_body(doc, "无。")
    add_body(doc, "{%p endif %}")


def sections(doc, items: str, numbered: bool = True) -> None:
    """Narrative sections: optional numbered small title, then the paragraphs."""
    add_body(doc, f"{{%p for s in {items} %}}")
    prefix = "{{ loop.index|cn_paren }}" if numbered else ""
    add_body(doc, "{%p if s.title %}")
    add_heading2(doc, f"{prefix}{{{{ s.title }}}}")
    add_body(doc, "{%p endif %}")
    add_body(doc, "{%p for para in s.paragraphs %}")
    add_body(doc, "{{ para }}")
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p endfor %}")


def ended(expr: str) -> str:
    """``expr`` (text from the workbook) as a sentence: a full stop is added unless it has one."""
    return f"{{{{ {expr} }}}}{{% if {expr}[-1:] not in '。！？；.!?' %}}。{{% endif %}}"


def numbered_sections(doc, items: str) -> None:
    """Narrative sections as ``1.小标题`` lines (only when titled) followed by their paragraphs."""
    add_body(doc, f"{{%p for s in {items} %}}")
    add_body(doc, "{%p if s.title %}")
    add_heading3(doc, "{{ loop.index }}.{{ s.title }}")
    add_body(doc, "{%p endif %}")
    add_body(doc, "{%p for para in s.paragraphs %}")
    add_body(doc, "{{ para }}")
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p endfor %}")


# --- lists of parts: every non-zero part of a declared whole, in declared order --------------------------------
#
# The model declares which amounts make up a whole (model.inputs.Sum) and gives each whole's parts as a list
# of shares (key, name, amount, share): income.sources (收入合计), income.categories (本年收入),
# expenditure.kinds (支出合计), its rows' basic_uses and basic_economy (基本支出), expenditure.project_economy.
# Templates print them with these helpers, never a fixed choice of parts, so a unit's 事业收入 or 经营支出
# appears wherever its whole does and every printed list adds up to its printed total.


def parts_list(parts: str, share: str = "") -> str:
    """Jinja for every non-zero part of ``parts`` as ``名称X万元`` joined by ，, or, with ``share`` (such
    as ``占基本支出的``), as ``名称X万元，占基本支出的Y%`` joined by ；."""
    if share:
        item, sep = f"{{{{ c.name }}}}{{{{ c.amount|wan }}}}万元，{share}{{{{ c.share|pct }}}}", "；"
    else:
        item, sep = "{{ c.name }}{{ c.amount|wan }}万元", "，"
    return f"{{% for c in {parts} if c.amount %}}{item}{{{{ '{sep}' if not loop.last else '' }}}}{{% endfor %}}"


def whole_and_parts(words: str, total: str, parts: str, share: str = "") -> str:
    """``收入合计X万元，其中：A…`` — the whole, then its non-zero parts (no "其中" when there are none)."""
    return (f"{words}{{{{ {total}|wan }}}}万元{{% if {parts}|selectattr('amount')|list %}}，其中："
            + parts_list(parts, share) + "{% endif %}")


def income_table(doc) -> None:
    """机构名称 | 收入合计 | one column per income source the unit has (上年结转 and each 本年收入 category
    with a non-zero total), from ``income.sources``: the 汇总 row and one row per 机构."""
    used = "income.total.sources|selectattr('amount')|map(attribute='key')|list"
    table = add_table(doc, 5, 5, col_widths_mm=[22, 18, 1, 17, 1])  # scaled to 156 mm with the printed columns
    set_cell(table, 0, 0, "{% set used = " + used + " %}机构名称", bold=True)
    set_cell(table, 0, 1, "收入合计", bold=True)
    loop_columns(table, 0, 2, "c in income.total.sources if c.key in used", "{{ c.label }}", width_mm=156, bold=True)
    set_cell(table, 1, 0, "汇总", bold=True)
    set_cell(table, 1, 1, "{{ income.total.total|wan }}")
    loop_columns(table, 1, 2, "c in income.total.sources if c.key in used", "{{ c.amount|wan }}", width_mm=156)
    row_tag(table, 2, "{%tr for r in income.rows %}")
    set_cell(table, 3, 0, "{{ loop.index }}、{{ r.org }}", align="left")
    set_cell(table, 3, 1, "{{ r.total|wan }}")
    loop_columns(table, 3, 2, "c in r.sources if c.key in used", "{{ c.amount|wan }}", width_mm=156)
    row_tag(table, 4, "{%tr endfor %}")
    small_text(table)
    narrow_margins(table)  # up to eight amount columns: "3,120.50" stays on one line


def expenditure_table(doc) -> None:
    """机构名称 | 支出合计 | 基本支出 | 其中：人员经费 | 公用经费 | 项目支出 | any other kind of spending the
    unit has (上缴上级、经营、对附属单位补助) | 结余: the 汇总 row and one row per 机构."""
    other = "expenditure.total.kinds|rejectattr('key', 'in', ['basic', 'project'])|selectattr('amount')|map(attribute='key')|list"
    table = add_table(doc, 5, 11, col_widths_mm=[19, 17, 17, 16, 16, 17, 1, 16, 1, 16, 16])
    headers = ["{% set other = " + other + " %}机构名称", "支出合计", "基本支出", "其中：人员经费", "公用经费", "项目支出"]
    for col, label in enumerate(headers):
        set_cell(table, 0, col, label, bold=True)
    loop_columns(table, 0, 6, "k in expenditure.total.kinds if k.key in other", "{{ k.label }}", width_mm=156, bold=True)
    # 当年结余 as the yueyang seed has it: 收入合计（含上年结转）− 支出合计
    set_cell(table, 0, 9, "当年结余", bold=True)
    set_cell(table, 0, 10, "累计结余", bold=True)
    set_cell(table, 1, 0, "汇总", bold=True)
    for col, expr in enumerate(["expenditure.total.total", "expenditure.total.basic", "expenditure.total.personnel",
                                "expenditure.total.public", "expenditure.total.project"], start=1):
        set_cell(table, 1, col, f"{{{{ {expr}|wan }}}}")
    loop_columns(table, 1, 6, "k in expenditure.total.kinds if k.key in other", "{{ k.amount|wan }}", width_mm=156)
    set_cell(table, 1, 9, "{{ balance.year_end|wan }}")
    set_cell(table, 1, 10, "{{ balance.year_end|wan }}")
    row_tag(table, 2, "{%tr for r in expenditure.rows %}")
    set_cell(table, 3, 0, "{{ loop.index }}、{{ r.org }}", align="left")
    for col, expr in enumerate(["r.total", "r.basic", "r.personnel", "r.public", "r.project"], start=1):
        set_cell(table, 3, col, f"{{{{ {expr}|wan }}}}")
    loop_columns(table, 3, 6, "k in r.kinds if k.key in other", "{{ k.amount|wan }}", width_mm=156)
    set_cell(table, 3, 9, "{{ org_balances[loop.index0].year_end|wan }}")
    set_cell(table, 3, 10, "{{ org_balances[loop.index0].year_end|wan }}")
    row_tag(table, 4, "{%tr endfor %}")
    small_text(table)
    narrow_margins(table)  # eleven columns: amounts stay on one line


def three_public_table(doc) -> None:
    loop_table(
        doc, ["项目", "预算数", "决算数", "上年决算数", "变动率", "控制率"], "t in three_public.rows",
        ["{{ t.item }}", "{{ t.budget|wan }}", "{{ t.actual|wan }}", "{{ t.last_year|wan }}",
         "{{ t.change_rate|pct }}", "{{ t.control_rate|pct }}"],
        [44, 22, 22, 24, 22, 22],
        total=["合计", "{{ three_public.budget_total|wan }}", "{{ three_public.actual_total|wan }}",
               "{{ three_public.last_year_total|wan }}", "{{ three_public.change_rate|pct }}",
               "{{ three_public.control_rate|pct }}"], total_first=True)


def assets_table(doc) -> None:
    """One row of amounts; narrow cell margins keep "123,456.78" (a 10-亿元 unit) on one line."""
    headers = ["资产总额", "负债总额", "净资产", "固定资产合计", "在用", "出租", "其他", "利用率"]
    table = add_table(doc, 2, len(headers), col_widths_mm=[20, 20, 20, 25, 20, 17, 16, 18])
    narrow_margins(table)
    header_row(table, 0, headers)
    for col, expr in enumerate(["assets.total|wan", "assets.liabilities|wan", "assets.net|wan",
                                "assets.fixed_total|wan", "assets.fixed_in_use|wan", "assets.fixed_rented|wan",
                                "assets.fixed_other|wan", "assets.fixed_utilization|pct"]):
        set_cell(table, 1, col, f"{{{{ {expr} }}}}")


def change_words(rate: str) -> str:
    """The Jinja for a change rate in words, ``增长4.28%`` / ``下降14.53%``: prose carries no minus sign
    (tables keep the signed figure). ``rate`` must not be none; test that around it."""
    return (f"{{% if {rate} >= 0 %}}增长{{{{ {rate}|pct }}}}{{% else %}}下降{{{{ (0 - {rate})|pct }}}}{{% endif %}}")


def projects_table(doc):  # -> docx Table
    """项目名称 … 重点项目 for every project and the 合计 row; narrow cell margins keep the longest
    names, "100.00%" and the 重点项目 header on one line at 10.5 pt."""
    table = loop_table(
        doc, ["项目名称", "年初预算", "预算调整", "全年预算", "执行数", "执行率", "重点项目"], "p in projects.rows",
        ["{{ p.name }}", "{{ p.initial|wan }}", "{{ p.adjustment|wan }}", "{{ p.budget|wan }}",
         "{{ p.executed|wan }}", "{{ p.execution_rate|pct }}", "{% if p.is_key %}是{% else %}否{% endif %}"],
        [33, 21, 21, 21, 21, 21, 18],  # amounts up to 99,999.99 in bold and "100.00%" on one line
        empty="本年度未安排项目支出",
        total=["合计", "{{ projects.total_initial|wan }}", "{{ projects.total_adjustment|wan }}", "{{ projects.total_budget|wan }}",
               "{{ projects.total_spent|wan }}", "{{ projects.execution_rate|pct }}", ""])
    narrow_margins(table)
    return table


# in a loop over indicators (``i``): the next one belongs to the same 一级指标
SAME_LEVEL1 = "loop.nextitem is defined and loop.nextitem.level1 == i.level1"


def indicators_table(doc) -> None:
    """Each 一级指标 group's rows on one page, so that a page never holds rows under a repeated header
    without their 一级 label (nor one orphan row)."""
    table = loop_table(
        doc, ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"], "i in indicators",
        ["{{ i.level1|vmerge }}", "{{ i.level2|vmerge }}", "{{ i.level3 }}", "{{ i.target_text }}",
         "{{ i.actual_text }}"],
        [22, 26, 48, 30, 30], align_first_left=False)
    keep_with_next_while(table, 2, SAME_LEVEL1)


def goals_table(doc) -> None:
    loop_table(doc, ["序号", "年度目标", "预期目标", "实际完成"], "g in goals",
               ["{{ loop.index }}", "{{ g.name }}", "{{ g.content or '' }}", "{{ g.result }}"],
               [12, 34, 55, 55], align_first_left=False, left_cols=(2, 3))


def evaluators_table(doc):  # -> docx Table
    return loop_table(doc, ["姓名", "职务/职称", "单位", "签字"], "e in evaluators",
               ["{{ e.name }}", "{{ e.title }}", "{{ e.org }}", ""], [24, 40, 62, 30], align_first_left=False)


# --- scoring tables (评分表): shared by formats with a scoring system -----------------------------

def scoring_table(path: Path, title: str) -> None:
    """Each 二级指标 group's rows on one page, its 一级指标 label merged over the group only (not the
    一级's whole run), so that no page shows rows without their 一级 and 二级 labels; the form takes an
    attached form's margins (25/22 mm, 20 mm at the sides) and the wide 评分标准 and reason columns keep
    the rows short enough for a group to fit on a page."""
    doc = new_document(landscape=True, table_pt=10.5)
    section = doc.sections[0]
    section.top_margin, section.bottom_margin, section.footer_distance = Mm(25), Mm(22), Mm(10)
    section.left_margin = section.right_margin = Mm(20)
    widths = [20, 24, 30, 87, 12, 16, 68]  # 257 mm; 自评得分 holds 87.46
    add_label(doc)
    add_title(doc, title)
    add_body(doc, "单位名称：{{ unit.name }}    评价年度：{{ unit.year }}年")
    # 原表（如岳阳“职责履行”六行）共用一格评分标准：空标准沿用上一行的文字，再由 vmerge 合并；
    # 每个二级指标的第一行重新开始，各组互不合并。
    add_body(doc, "{%p set ns = namespace(standard='') %}")
    headers = ["一级指标", "二级指标", "三级指标", "评分标准", "分值", "自评得分", "扣分原因和其他说明"]
    table = add_table(doc, 10, len(headers), col_widths_mm=widths)
    header_row(table, 0, headers)
    loops = ["g in score.levels", "sg in g.groups", "r in sg.rows"]
    for row, loop in enumerate(loops, start=1):
        row_tag(table, row, f"{{%tr for {loop} %}}")
    cells = ["{{ (g.name ~ '\n（' ~ g.weight|score ~ '分）')|vmerge(g.name ~ '/' ~ sg.name) }}",
             "{{ (sg.name ~ '\n（' ~ sg.weight|score ~ '分）')|vmerge(g.name) }}",
             "{{ r.name }}",
             "{% if loop.first or r.standard %}{% set ns.standard = r.standard %}{% endif %}{{ ns.standard|vmerge }}",
             "{{ r.weight|score }}", "{{ r.points|points }}", "{{ r.deduction_reason }}"]
    for col, text in enumerate(cells):
        set_cell(table, 4, col, text, align="left" if col in (3, 6) else "center")
    # rows stay whole: a row is a few lines (a long shared 评分标准 is spread over its merged rows), and a
    # split one leaves a sliver of it on the next page
    for row in range(5, 8):
        row_tag(table, row, "{%tr endfor %}")
    set_cell(table, 8, 0, "总分", bold=True)
    merge(table, 8, 0, 8, 3)
    set_cell(table, 8, 4, "{{ score.total_weight|score }}", bold=True)
    set_cell(table, 8, 5, "{{ score.total|points }}", bold=True)
    set_cell(table, 8, 6, "等次：{{ score.grade }}{% if score.capped %}（{{ score.cap_reason }}）{% endif %}", bold=True)
    keep_with_next(table, [8])  # 总分 and the 评价人 line stay together
    signed = ("评价人：{% for e in evaluators %}{{ e.name }}{% if not loop.last %}、{% endif %}{% endfor %}"
              "    填报日期：{{ unit.fill_date|cn_date }}")
    line_row(table, 9, signed.replace("    ", "\u3000\u3000"))
    keep_with_next_while(table, 4, "not loop.last")
    doc.save(path)
