"""yanling-2020 (湖南省县级样式，以炎陵县 2020 年度为样本): 部门整体支出评价报告、综合评价报告表、
评分表（列出计算过程）、满意度调查问卷汇总，以及打印用的空白问卷（附件5）。

Every sentence here is structure around variables; the unit's own prose comes from the workbook's
文字说明 sheet, the figures from its tables, the scores from ``score`` and the questionnaire summary from ``questionnaire_summary``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from reportgen.docstyle import (
    FANGSONG,
    LATIN,
    TABLE_TEXT,
    XIAOBIAOSONG,
    add_body,
    add_heading1,
    add_heading2,
    add_label,
    add_lead,
    add_note,
    add_paragraph,
    add_signoff,
    add_table,
    add_title,
    after_table,
    keep_with_next,
    merge,
    narrow_margins,
    new_document,
    set_cell,
    set_fonts,
)
from tools.formats.common import (
    SAME_LEVEL1,
    change_words,
    header_row,
    keep_with_next_while,
    line_row,
    loop_table,
    or_none,
    parts_list,
    row_tag,
    sections,
    whole_and_parts,
)

BR = "{{ '\\n' }}"  # a line break inside one paragraph (docx_text turns "\n" into <w:br/>)


def _row_height(table: Any, row: int, mm: float, exact: bool = False) -> None:
    table.rows[row].height = Mm(mm)
    table.rows[row].height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST


def _restyle(table: Any, style: Any) -> None:
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.style = style


# --- sentences built from the figures (shared by the report and the 报告表) ---------------------------

def overview_sentence() -> str:
    return ("{{ unit.name }}为{{ unit.nature }}，属{{ unit.budget_level }}"
            "{% if unit.departments %}，内设{{ unit.departments|join('、') }}{{ unit.departments|length }}个机构{% endif %}"
            "{% if unit.subordinates %}，下属{{ unit.subordinates|join('、') }}{{ unit.subordinates|length }}个单位{% endif %}。"
            "核定编制{{ staff.quota }}名，{{ unit.year }}年末实有人数{{ staff.actual }}人。")


def basic_sentence() -> str:
    return (whole_and_parts("{{ unit.year }}年{{ unit.name }}基本支出合计", "expenditure.total.basic",
                            "expenditure.total.basic_uses")
            + "。按经济科目分类，" + parts_list("expenditure.total.basic_economy") + "。")


def project_sentence() -> str:
    return ("{{ unit.year }}年{{ unit.name }}项目支出{{ expenditure.total.project|wan }}万元，共安排项目"
            "{{ projects.rows|length }}个，全年预算{{ projects.total_budget|wan }}万元，项目预算执行率"
            "{{ projects.execution_rate|pct }}；其中重点项目支出{{ projects.key_spent|wan }}万元，重点支出安排率"
            "{{ projects.key_share|pct }}。具体如下：")


def project_item() -> str:
    return ("{{ loop.index }}.{{ p.name }}：年初预算{{ p.initial|wan }}万元"
            "{% if p.adjustment > 0 %}，年中追加{{ p.adjustment|wan }}万元"
            "{% elif p.adjustment < 0 %}，年中调减{{ (-p.adjustment)|wan }}万元{% endif %}"
            "，全年预算{{ p.budget|wan }}万元，实际支出{{ p.executed|wan }}万元，执行率{{ p.execution_rate|pct }}"
            "{% if p.purpose %}，主要用于{{ p.purpose }}{% endif %}。"
            "{% if p.explanation %}{{ p.explanation }}{% if p.explanation[-1] not in '。；！？.' %}。{% endif %}{% endif %}")


def gov_fund_sentence() -> str:
    # Only the workbook's figures: a fund appropriation is reported when there is one.
    return ("{% if income.total.gov_fund %}{{ unit.year }}年政府性基金预算拨款{{ income.total.gov_fund|wan }}万元"
            "{% if income.rows|length > 1 %}（{% for r in income.rows if r.gov_fund %}{{ r.org }}{{ r.gov_fund|wan }}万元"
            "{% if not loop.last %}，{% endif %}{% endfor %}）{% endif %}。"
            "{% else %}{{ unit.year }}年无政府性基金预算拨款收入和支出。{% endif %}")


def social_fund_sentence() -> str:
    # The seed's wording for a unit without one: "2020年无社会保险基金预算支出。"
    f = "social_fund"
    return (f"{{% if {f}.present %}}{{{{ unit.year }}}}年社会保险基金收入{{{{ {f}.income|wan }}}}万元，"
            f"支出{{{{ {f}.expenditure|wan }}}}万元，当年收支结余{{{{ {f}.current_surplus|wan }}}}万元"
            f"{{% if {f}.balance is not none %}}，年末滚存结余{{{{ {f}.balance|wan }}}}万元{{% endif %}}。"
            "{% else %}{{ unit.year }}年无社会保险基金预算支出。{% endif %}")


def funds_sentence() -> str:
    i, b = "income.total", "budget"
    return (whole_and_parts("{{ unit.year }}年度收入合计", f"{i}.total", "income.sources") + "。"
            f"年初预算{{{{ {b}.initial|wan }}}}万元"
            f"{{% if {b}.adjustment %}}，年中预算调整{{{{ {b}.adjustment|wan }}}}万元{{% endif %}}，"
            f"全年预算{{{{ {b}.final|wan }}}}万元；全年支出{{{{ {b}.executed|wan }}}}万元，预算执行率"
            f"{{{{ {b}.execution_rate|pct }}}}。其中" + parts_list("expenditure.kinds", "占") +
            "。年末结转和结余{{ balance.year_end|wan }}万元。")


def assets_sentence() -> str:
    a = "assets"
    return (f"{{{{ unit.year }}}}年年末单位资产总额{{{{ {a}.total|wan }}}}万元，负债总额{{{{ {a}.liabilities|wan }}}}万元，"
            f"净资产总额{{{{ {a}.net|wan }}}}万元。" + whole_and_parts("固定资产", f"{a}.fixed_total", f"{a}.fixed_kinds")
            + f"，固定资产利用率{{{{ {a}.fixed_utilization|pct }}}}。")


def three_public_sentence() -> str:
    tp = "three_public"
    return (f"{{{{ unit.year }}}}年“三公”经费预算{{{{ {tp}.budget_total|wan }}}}万元，实际支出{{{{ {tp}.actual_total|wan }}}}万元，"
            f"其中：公务接待费{{{{ {tp}.reception.actual|wan }}}}万元，公务用车运行维护费{{{{ {tp}.car_running.actual|wan }}}}万元，"
            f"公务用车购置费{{{{ {tp}.car_purchase.actual|wan }}}}万元，因公出国（境）费{{{{ {tp}.abroad.actual|wan }}}}万元；"
            f"“三公”经费控制率{{{{ {tp}.control_rate|pct }}}}。"
            f"{{% if {tp}.change_rate is none %}}上年无“三公”经费支出，变动率无法计算。"
            f"{{% elif {tp}.actual_total < {tp}.last_year_total %}}较上年{{{{ {tp}.last_year_total|wan }}}}万元减少"
            f"{{{{ ({tp}.last_year_total - {tp}.actual_total)|wan }}}}万元，{change_words(f'{tp}.change_rate')}。"
            f"{{% else %}}较上年{{{{ {tp}.last_year_total|wan }}}}万元增加{{{{ ({tp}.actual_total - {tp}.last_year_total)|wan }}}}"
            f"万元，{change_words(f'{tp}.change_rate')}。{{% endif %}}")


def indicators_summary() -> str:
    return ("共设置整体绩效指标{{ indicators|length }}项，已完成{{ indicators|selectattr('met')|list|length }}项"
            "{% set unmet = indicators|rejectattr('met')|list %}"
            "{% if unmet %}，未完全完成{{ unmet|length }}项（{% for i in unmet %}{{ i.level3 }}：指标值{{ i.target_text }}，"
            "实际完成{{ i.actual_text }}{% if not loop.last %}；{% endif %}{% endfor %}）{% endif %}。")


def score_sentence() -> str:
    return ("经自评，{{ unit.name }}{{ unit.year }}年度部门整体支出绩效综合得分{{ score.total|points }}分，"
            "评价等次为“{{ score.grade }}”。其中{% for g in score.levels %}{{ g.name }}{{ g.points|points }}分"
            "（满分{{ g.weight|score }}分）{{ '、' if not loop.last else '。' }}{% endfor %}"
            "{% if score.capped %}{{ score.cap_reason }}。{% endif %}")


def deductions_sentence() -> str:
    return ("{% set lost = score.rows|selectattr('deduction_reason')|list %}{% if lost %}扣分情况："
            "{% for r in lost %}{{ r.name }}扣{{ (r.weight - r.points)|score }}分（{{ r.deduction_reason }}）"
            "{{ '；' if not loop.last else '。' }}{% endfor %}{% else %}各项指标均未扣分。{% endif %}")


# --- 部门整体支出评价报告 -----------------------------------------------------------------------------

def evaluation_report(path: Path) -> None:
    doc = new_document(table_pt=10.5)
    add_label(doc)
    add_title(doc, "{{ unit.name|title_break }}" + BR + "{{ unit.year }}年度部门整体支出评价报告")

    add_heading1(doc, "一、部门、单位基本情况")
    add_body(doc, overview_sentence())
    sections(doc, "narrative.overview", numbered=False)
    add_body(doc, "{%p if functions %}")
    add_lead(doc, "主要职责：")
    add_body(doc, "{%p for f in functions %}")
    add_body(doc, "{{ loop.index }}.{{ f }}")
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p endif %}")
    add_body(doc, "{%p if goals %}")
    add_lead(doc, "{{ unit.year }}年主要工作任务：")
    add_body(doc, "{%p for g in goals %}")
    add_body(doc, "{{ loop.index }}.{{ g.name }}{% if g.content %}：{{ g.content }}{% else %}。{% endif %}")
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p endif %}")

    add_heading1(doc, "二、一般公共预算支出情况")
    add_heading2(doc, "（一）基本支出情况")
    add_body(doc, basic_sentence())
    add_heading2(doc, "（二）项目支出情况")
    add_body(doc, "{%p if projects.rows %}")
    add_body(doc, project_sentence())
    add_body(doc, "{%p for p in projects.rows %}")
    add_body(doc, project_item())
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p else %}")
    add_body(doc, "{{ unit.year }}年无项目支出。")
    add_body(doc, "{%p endif %}")

    # The seed's order and numbering: 政府性基金 (from 收入情况), then 社会保险基金 (its own sheet).
    add_heading1(doc, "三、政府性基金预算支出情况")
    add_body(doc, gov_fund_sentence())
    add_heading1(doc, "四、社会保险基金预算支出情况")
    add_body(doc, social_fund_sentence())

    add_heading1(doc, "五、部门整体支出绩效情况")
    add_heading2(doc, "（一）资金使用、部门决算总体情况")
    add_body(doc, funds_sentence())
    add_body(doc, assets_sentence())
    add_body(doc, three_public_sentence())
    add_heading2(doc, "（二）绩效目标完成情况")
    add_body(doc, "{%p for g in goals %}")
    add_body(doc, "{{ loop.index }}.{{ g.name }}：{{ g.result }}")
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p if indicators %}")
    add_body(doc, indicators_summary())
    add_note(doc, "表1 整体支出绩效指标完成情况")
    indicators = loop_table(doc, ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "完成情况"], "i in indicators",
               ["{{ i.level1|vmerge }}", "{{ i.level2|vmerge(i.level1) }}", "{{ i.level3 }}", "{{ i.target_text }}",
                "{{ i.actual_text }}", "{% if i.met %}已完成{% else %}未完成{% endif %}"],
               [20, 27, 39, 25, 25, 20], align_first_left=False, left_cols=(2,))
    keep_with_next_while(indicators, 2, SAME_LEVEL1)  # a 一级指标 group never continues, unlabelled, overleaf
    add_body(doc, "{%p endif %}")
    after_table(add_heading2(doc, "（三）整体支出绩效"))  # room under 表1 (when there are indicators)
    add_body(doc, "{%p for s in narrative.achievements %}")
    add_body(doc, "{%p if s.title %}")
    # a numbered sub-head keeps with its first paragraph (never the last line of a page)
    add_paragraph(doc, "{{ loop.index }}.{{ s.title }}", bold=True).paragraph_format.keep_with_next = True
    add_body(doc, "{%p endif %}")
    add_body(doc, "{%p for para in s.paragraphs %}")
    add_body(doc, "{{ para }}")
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p endfor %}")

    add_heading1(doc, "六、存在的问题及原因分析")
    or_none(doc, "narrative.problems")
    add_heading1(doc, "七、下一步改进措施")
    or_none(doc, "narrative.measures")
    add_heading1(doc, "八、其他需要说明的情况")
    or_none(doc, "narrative.other", numbered=False)

    add_heading1(doc, "九、自评结论")
    sections(doc, "narrative.conclusion", numbered=False)
    add_body(doc, "{%p if score %}")
    add_body(doc, score_sentence())
    add_body(doc, deductions_sentence())
    add_body(doc, "{%p endif %}")

    add_signoff(doc)
    doc.save(path)


# --- 部门整体支出绩效综合评价报告表 ---------------------------------------------------------------------

# 166 mm in six columns: 大项 | 小项 | … the rows merge them into label/value pairs as the 原表 does.
_FORM_WIDTHS = [28, 23, 28, 26, 33, 28]

Span = tuple[int, int, str, str, bool]  # (first col, last col, text, align, bold) of one cell of a row
# Block items: a text (one row), or ("for", loop, items), ("if", condition, items[, else items]), ("set", x = y).
Item = str | tuple[Any, ...]


def _cells(table: Any, row: int, cells: list[Span]) -> None:
    """(first col, last col, text, align, bold) for each cell of a row, merging each span."""
    for c1, c2, text, align, bold in cells:
        set_cell(table, row, c1, text, align=align, bold=bold)  # type: ignore[arg-type]
        if c2 > c1:
            merge(table, row, c1, row, c2)


class _Form:
    """The 报告表's rows, collected in order, then made into one table: plain rows, docxtpl tag rows,
    and blocks of running text printed one paragraph per row."""

    def __init__(self) -> None:
        self.rows: list[tuple[list[Span], str]] = []  # (cells, kind)

    def row(self, cells: list[Span], kind: str = "") -> int:
        self.rows.append((cells, kind))
        return len(self.rows) - 1

    def tag(self, text: str) -> None:
        self.row([(0, 5, text, "left", False)], "tag")

    def block(self, labels: list[tuple[int, int, str]], items: list[Item], keep_first: bool = True) -> None:
        """Running text beside merged labels, one paragraph per row: a row is whole on its page, so the
        text breaks between paragraphs only, and never inside a label. ``keep_first``: the block's first
        row keeps with its second, so that a label of two lines never ends a page beside a one-line row
        (not needed where the first row is always a long paragraph)."""
        marks = [(c1, c2, f"{{{{ '{text}'|vmerge }}}}", "center", True) for c1, c2, text in labels]
        text_col = labels[-1][1] + 1
        self.tag("{%tr set blk.first = true %}")

        def emit(items: list[Item]) -> None:
            for item in items:
                if isinstance(item, str):
                    self.tag("{%tr if blk.first %}")
                    self.row([*marks, (text_col, 5, "{% set blk.first = false %}" + item, "left", False)],
                             "first" if keep_first else "more")
                    self.tag("{%tr else %}")
                    self.row([*marks, (text_col, 5, item, "left", False)], "more")
                    self.tag("{%tr endif %}")
                elif item[0] == "set":
                    self.tag(f"{{%tr set {item[1]} %}}")
                elif item[0] == "for":
                    self.tag(f"{{%tr for {item[1]} %}}")
                    emit(item[2])
                    self.tag("{%tr endfor %}")
                else:  # ("if", condition, items[, otherwise])
                    self.tag(f"{{%tr if {item[1]} %}}")
                    emit(item[2])
                    if len(item) > 3:
                        self.tag("{%tr else %}")
                        emit(item[3])
                    self.tag("{%tr endif %}")

        emit(items)

    def table(self, doc: Any) -> Any:
        table = add_table(doc, len(self.rows), 6, header_rows=0, col_widths_mm=_FORM_WIDTHS)
        for r, (cells, kind) in enumerate(self.rows):
            _cells(table, r, cells)
            if kind == "first":
                keep_with_next(table, [r])
        return table


def _sections_rows(items: str, numbered: bool = True, none: str | None = None) -> Item:
    """Narrative sections as block rows, one per paragraph, a section's ``（一）小标题`` on the first
    line of its first paragraph's row (a title never ends a page without its text); ``none``: the row
    when there are no sections."""
    title = "{{ n|cn_paren }}{{ s.title }}" if numbered else "{{ s.title }}"
    rows: Item = ("for", f"s in {items}", [
        ("set", "n = loop.index"),
        ("for", "para in s.paragraphs", [f"{{% if loop.first and s.title %}}{title}{BR}{{% endif %}}{{{{ para }}}}"])])
    return ("if", items, [rows], [none]) if none else rows


def report_form(path: Path) -> None:
    doc = new_document(table_pt=10.5)
    section = doc.sections[0]
    # an attached form, not a 公文 page: shallower margins keep it to two pages
    section.top_margin, section.bottom_margin, section.footer_distance = Mm(22), Mm(20), Mm(10)
    section.left_margin = section.right_margin = Mm(22)
    add_label(doc)
    title = add_title(doc, "部门整体支出绩效综合评价报告表")
    title.paragraph_format.space_after = Pt(0)
    add_note(doc, "（{{ unit.year }}年度）")
    add_paragraph(doc, "填报单位（盖章）：{{ unit.name }}", TABLE_TEXT, align="left")
    form = _Form()
    form.tag("{%tr set blk = namespace(first=true) %}")
    for l1, v1, l2, v2 in (
            ("部门（单位）名称", "{{ unit.name }}", "单位负责人", "{{ unit.head }}"),
            ("年末职工人数", "{{ staff.actual }}人", "人员编制", "{{ staff.quota }}人"),
            ("年末资产总额", "{{ assets.total|wan }}万元", "负债总额", "{{ assets.liabilities|wan }}万元")):
        form.row([(0, 0, l1, "center", True), (1, 3, v1, "left", False),
                  (4, 4, l2, "center", True), (5, 5, v2, "left", False)])

    # 年度预算收支情况（万元）: income on the left, spending on the right; under each total every part the
    # unit has (income.sources, expenditure.kinds), side by side, as many rows as the longer list needs
    sides = ("{% set ins = income.sources|selectattr('amount')|list %}"
             "{% set outs = expenditure.kinds|selectattr('amount')|list %}")
    part = ("{{% if n < {0}|length %}}{{{{ '其中：' if n == 0 else '\u3000\u3000\u3000' }}}}{{{{ {0}[n].label }}}}"
            "{{% endif %}}")
    amount = "{{% if n < {0}|length %}}{{{{ {0}[n].amount|wan }}}}{{% endif %}}"
    label = "{{ '年度预算收支情况（万元）'|vmerge }}"  # one merged cell, the loop's rows included
    for cells in [
        (sides + "年初预算资金", "{{ budget.initial|wan }}", "全年预算数", "{{ budget.final|wan }}"),
        ("年度收入总额", "{{ income.total.total|wan }}", "年度支出总额", "{{ expenditure.total.total|wan }}"),
        ("{%tr for n in range([ins|length, outs|length]|max) %}",),
        (part.format("ins"), amount.format("ins"), part.format("outs"), amount.format("outs")),
        ("{%tr endfor %}",),
        ("", "", "年末结转和结余", "{{ balance.year_end|wan }}"),
    ]:
        if len(cells) == 1:
            form.tag(cells[0])
            continue
        l1, v1, l2, v2 = cells
        form.row([(0, 0, label, "center", True), (1, 2, l1, "left", False), (3, 3, v1, "right", False),
                  (4, 4, l2, "left", False), (5, 5, v2, "right", False)])

    form.block([(0, 0, "部门职能职责概述")], [("for", "f in functions", ["{{ loop.index }}.{{ f }}"])])
    form.block([(0, 0, "整体绩效目标")], [("for", "g in goals", ["{{ loop.index }}.{{ g.name }}"
                                                                 "{% if g.content %}：{{ g.content }}{% endif %}"])])

    # 年度绩效指标: one row per indicator, grouped by 一级指标 in workbook order (|unique keeps it);
    # the block label is one merged cell (vmerge), the 一级指标 cells merge per group. The header and
    # the rows keep together, not with what follows (a short block: split, its continuation would have
    # neither its label nor its header).
    label = "{{ '部门整体支出年度绩效指标'|vmerge }}"
    header = form.row([(0, 0, label, "center", True), (1, 1, "一级指标", "center", True),
                       (2, 4, "绩效指标", "center", True), (5, 5, "年度指标值", "center", True)])
    form.tag("{%tr for l1 in indicators|map(attribute='level1')|unique %}")
    form.tag("{%tr set last_group = loop.last %}")
    form.tag("{%tr for i in indicators if i.level1 == l1 %}")
    indicator = form.row([(0, 0, label, "center", True), (1, 1, "{{ l1|vmerge }}", "center", False),
                          (2, 4, "指标{{ loop.index }}（{{ i.level2 }}）：{{ i.level3 }}", "left", False),
                          (5, 5, "{{ i.target_text }}", "center", False)])
    form.tag("{%tr endfor %}")
    form.tag("{%tr endfor %}")

    whole = "单位自评情况分析及结论"
    form.block([(0, 0, whole), (1, 1, "支出情况分析")], [funds_sentence(), three_public_sentence(), assets_sentence()],
               keep_first=False)  # its first row is always several lines
    form.block([(0, 0, whole), (1, 1, "绩效目标完成情况分析")], [
        ("for", "g in goals", ["{{ loop.index }}.{{ g.name }}：{{ g.result }}"]),
        ("if", "indicators", [indicators_summary()]),
        _sections_rows("narrative.achievements")])
    form.block([(0, 0, whole), (1, 1, "自我评价结论")], [
        _sections_rows("narrative.conclusion", numbered=False), ("if", "score", [score_sentence()])])
    form.block([(0, 0, "存在的问题")], [_sections_rows("narrative.problems", none="无")])
    form.block([(0, 0, "改进措施与建议")], [_sections_rows("narrative.measures", none="无")])
    review = form.row([(0, 0, "归口管理业务股室审核意见", "center", True),
                       (1, 5, BR + BR + "（盖章）\u3000\u3000\u3000\u3000" + BR
                        + "年\u3000\u3000月\u3000\u3000日\u3000\u3000", "right", False)])
    # the 填报人 lines under the form, as its last row: never alone on a page of their own
    signed = form.row([(0, 5, "填报人：{{ unit.preparer }}\u3000\u3000\u3000\u3000联系电话：{{ unit.phone }}" + BR
                        + "单位负责人签字：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000"
                        "填报日期：{{ unit.fill_date|cn_date }}", "left", False)])
    table = form.table(doc)
    _row_height(table, review, 28)
    line_row(table, signed, table.cell(signed, 0).text)
    keep_with_next(table, [header, review])
    keep_with_next_while(table, indicator, "not (loop.last and last_group)")  # indexes change from here
    doc.save(path)


# --- 评分表（要求列出计算过程和评分依据） -------------------------------------------------------------

def scoring_form(path: Path) -> None:
    doc = new_document(landscape=True, table_pt=10.5)
    add_label(doc)
    section = doc.sections[0]
    # an attached form: shallower top/bottom margins fit more indicator rows on a landscape page
    section.top_margin, section.bottom_margin, section.footer_distance = Mm(25), Mm(22), Mm(10)
    # and 20 mm at the sides: the wider 评价标准 and 备注 columns make the rows shorter, so that each
    # 二级指标 group (kept on one page, below) fits on a page
    section.left_margin = section.right_margin = Mm(20)
    add_title(doc, "部门整体支出绩效评价指标评分表")
    add_paragraph(doc, "单位名称（盖章）：{{ unit.name }}\u3000\u3000评价年度：{{ unit.year }}年", TABLE_TEXT, align="left")
    # 原表“经济/社会/生态效益”三行共用一格评价标准：空标准沿用上一行的文字，再由 vmerge 合并
    add_body(doc, "{%p set ns = namespace(standard='') %}")
    headers = ["一级指标", "二级指标", "值", "三级指标", "分值", "评价标准", "备注", "评价得分\n（要求列出计算过程\n和评分依据）"]
    widths = [13, 19, 12.5, 24, 12, 72, 74.5, 30]  # 257 mm; 备注 holds the calculation, 评价得分 a number
    table = add_table(doc, 11, len(headers), col_widths_mm=widths)
    header_row(table, 0, headers)  # python-docx turns "\n" into a line break
    for row, loop in enumerate(["g in score.levels", "sg in g.groups", "r in sg.rows"], start=1):
        row_tag(table, row, f"{{%tr for {loop} %}}")
    # no vmerge scope here: a scope suffix after a multi-line value stays visible (render/merge.py
    # strips it only from the first text run); resetting at each 二级指标 keeps groups apart.
    standard = ("{% if loop.first or r.standard %}{% set ns.standard = r.standard %}{% endif %}"
                "{{ ns.standard|vmerge }}")
    # 一级指标 merged per 二级指标 group: the groups stay whole on a page (below), so every page shows
    # the 一级 and 二级 labels of its rows
    cells = ["{{ g.name|vmerge(g.name ~ '/' ~ sg.name) }}", "{{ sg.name|vmerge(g.name) }}", "{{ sg.weight|score|vmerge(g.name ~ '/' ~ sg.name) }}",
             "{{ r.name }}", "{{ r.weight|score }}", standard,
             # 备注: the calculation, as the seed has it; a ratio's reason only restates its calculation
             "{{ r.calculation }}{% if r.note %}" + BR + "{{ r.note }}{% endif %}"
             "{% if r.deduction_reason and r.kind != 'ratio' and r.deduction_reason not in r.calculation %}"
             + BR + "扣分原因：{{ r.deduction_reason }}{% endif %}",
             "{{ r.points|points }}"]
    for col, text in enumerate(cells):
        set_cell(table, 4, col, text, align="left" if col in (5, 6) else "center")
    for row in range(5, 8):
        row_tag(table, row, "{%tr endfor %}")
    set_cell(table, 8, 0, "合计", bold=True)
    merge(table, 8, 0, 8, 1)
    set_cell(table, 8, 2, "{{ score.total_weight|score }}", bold=True)
    set_cell(table, 8, 4, "{{ score.total_weight|score }}", bold=True)
    set_cell(table, 8, 7, "{{ score.total|points }}", bold=True)
    set_cell(table, 9, 0, "评价等次", bold=True)
    merge(table, 9, 0, 9, 1)
    set_cell(table, 9, 2, "{{ score.grade }}（综合得分{{ score.total|points }}分）"
                          "{% if score.capped %}：{{ score.cap_reason }}{% endif %}", bold=True, align="left")
    merge(table, 9, 2, 9, 7)
    keep_with_next(table, [9])  # 评价等次 and the 评价人 line stay together
    line_row(table, 10, "评价人：{% for e in evaluators %}{{ e.name }}{% if not loop.last %}、{% endif %}{% endfor %}"
                        "\u3000\u3000填报日期：{{ unit.fill_date|cn_date }}")
    # rows stay whole (a row never breaks inside a label or a word) and a 二级 group's rows on one page
    keep_with_next_while(table, 4, "not loop.last")
    doc.save(path)


# --- 满意度调查问卷汇总 ---------------------------------------------------------------------------------

def questionnaire_intro() -> str:
    s = "questionnaire_summary"
    return ("为了解社会公众和服务对象对{{ unit.name }}工作的满意程度，"
            f"{{% if {s}.date_from %}}{{{{ {s}.date_from|cn_date }}}}{{% if {s}.date_to != {s}.date_from %}}至"
            f"{{{{ {s}.date_to|cn_date }}}}{{% endif %}}，{{% endif %}}"
            f"{{% if {s}.places %}}在{{{{ {s}.places|join('、') }}}}{{% endif %}}开展了满意度问卷调查，调查对象为"
            f"{{{{ {s}.by_category|map(attribute='name')|join('、') }}}}。共发放并收回问卷{{{{ {s}.issued }}}}份，"
            f"其中有效问卷{{{{ {s}.valid }}}}份"
            f"{{% if {s}.invalid %}}，无效问卷{{{{ {s}.invalid }}}}份（有题目未作答，不计分）{{% endif %}}"
            f"{{% for c in {s}.by_category %}}{{{{ '；' if loop.first else '，' }}}}{{{{ c.name }}}}有效问卷{{{{ c.valid }}}}份"
            "{% endfor %}。")


def questionnaire_result() -> str:
    s = "questionnaire_summary"
    return (f"问卷共{{{{ {s}.questions|length }}}}题，每份满分{{{{ {s}.full_score_each|num }}}}分。有效问卷共计得分"
            f"{{{{ {s}.score|num }}}}分（满分{{{{ {s}.full_score|num }}}}分），得分率{{{{ {s}.score_rate|pct }}}}；"
            f"总体满意率{{{{ {s}.satisfaction_rate|pct }}}}（选择满意类选项的答案占全部答案的比例）。全部答案中，"
            f"{{% for o in {s}.options %}}“{{{{ o }}}}”"
            f"{{{{ {s}.questions|map(attribute='counts.' ~ loop.index0)|sum(attribute='count') }}}}个"
            "{{ '，' if not loop.last else '。' }}{% endfor %}")


def questionnaire_totals_result() -> str:
    s = "questionnaire_summary"
    return (f"问卷每份满分{{{{ {s}.full_score_each|num }}}}分。有效问卷共计得分{{{{ {s}.score|num }}}}分"
            f"（满分{{{{ {s}.full_score|num }}}}分），得分率{{{{ {s}.score_rate|pct }}}}"
            f"{{% if {s}.satisfaction_rate is not none %}}；总体满意率{{{{ {s}.satisfaction_rate|pct }}}}"
            "（选择满意类选项的答案占全部答案的比例）{% endif %}。")


def questionnaire_extremes() -> str:
    # Ties are named together; when every question averages the same there is no highest or lowest.
    return ("{% set answered = questionnaire_summary.questions|selectattr('average', 'ne', none)|list %}"
            "{% if answered %}{% set ranked = answered|sort(attribute='average') %}"
            "{% set top = answered|selectattr('average', 'equalto', (ranked|last).average)|list %}"
            "{% set bottom = answered|selectattr('average', 'equalto', (ranked|first).average)|list %}"
            "{% if (ranked|last).average == (ranked|first).average %}各题平均得分均为{{ (ranked|first).average|num(2) }}分。"
            "{% else %}从各题平均得分看，{{ top|map(attribute='title')|join('、') }}得分最高"
            "（{{ (ranked|last).average|num(2) }}分），{{ bottom|map(attribute='title')|join('、') }}得分最低"
            "（{{ (ranked|first).average|num(2) }}分，满意率{{ (bottom|first).satisfaction_rate|pct }}）。{% endif %}{% endif %}")


def questionnaire_summary(path: Path) -> None:
    doc = new_document(table_pt=10.5)
    add_label(doc)
    add_title(doc, "{{ unit.name|title_break(4) }}{{ unit.year }}年度" + BR + "满意度调查问卷汇总")

    add_heading1(doc, "一、调查基本情况")
    add_body(doc, "{%p if questionnaire_summary.issued %}")
    add_body(doc, questionnaire_intro())
    add_body(doc, "{%p if questionnaire_summary.source == 'counts' %}")
    add_body(doc, "以下数据按各对象类别各题选项人数（手工汇总）录入，未逐份录入问卷。")
    add_body(doc, "{%p elif questionnaire_summary.source == 'totals' %}")
    add_body(doc, "以下数据按各对象类别的问卷份数和得分合计（手工汇总）录入，未逐份录入问卷，没有各题的统计。")
    add_body(doc, "{%p endif %}")
    add_body(doc, "{%p else %}")
    add_body(doc, "问卷表中没有填写问卷。")
    add_body(doc, "{%p endif %}")

    add_heading1(doc, "二、调查结果")
    # without a valid questionnaire there is nothing to count: no empty tables, no empty chart
    add_body(doc, "{%p if questionnaire_summary.valid %}")
    add_body(doc, "{%p if questionnaire_summary.questions %}")
    add_body(doc, questionnaire_result())
    add_body(doc, questionnaire_extremes())
    add_note(doc, "表1 各题作答情况（有效问卷）")
    # 4 options, as the format's questionnaire.yaml declares; headers come from questionnaire_summary.options.
    # 11 columns on a portrait page: 小五 text and narrow cell margins keep "100.00%" on one line.
    small = doc.styles.add_style("公文表格小", WD_STYLE_TYPE.PARAGRAPH)
    small.element.styleId = "GwTableSmall"
    small.base_style = doc.styles[TABLE_TEXT]
    small.font.size = Pt(9)
    widths = [28] + [8.5, 16.5] * 4 + [11.5, 16.5]  # "100.00%" and "人数" fit their cells
    table = add_table(doc, 6, 11, header_rows=2, col_widths_mm=widths)
    narrow_margins(table, 1)
    set_cell(table, 0, 0, "题目", bold=True)
    merge(table, 0, 0, 1, 0)
    for n in range(4):
        set_cell(table, 0, 1 + 2 * n, f"{{{{ questionnaire_summary.options[{n}] }}}}", bold=True)
        merge(table, 0, 1 + 2 * n, 0, 2 + 2 * n)
        set_cell(table, 1, 1 + 2 * n, "人数", bold=True)
        set_cell(table, 1, 2 + 2 * n, "占比", bold=True)
    set_cell(table, 0, 9, "平均分", bold=True)
    merge(table, 0, 9, 1, 9)
    set_cell(table, 0, 10, "满意率", bold=True)
    merge(table, 0, 10, 1, 10)
    row_tag(table, 2, "{%tr for q in questionnaire_summary.questions %}")
    set_cell(table, 3, 0, "{{ q.label }}", align="left")
    for n in range(4):
        set_cell(table, 3, 1 + 2 * n, f"{{{{ q.counts[{n}].count }}}}")
        set_cell(table, 3, 2 + 2 * n, f"{{{{ q.counts[{n}].share|pct }}}}")
    set_cell(table, 3, 9, "{{ q.average|num(2) }}")
    set_cell(table, 3, 10, "{{ q.satisfaction_rate|pct }}")
    row_tag(table, 4, "{%tr endfor %}")
    set_cell(table, 5, 0, "总体", bold=True)
    set_cell(table, 5, 1, "有效问卷{{ questionnaire_summary.valid }}份，共计得分{{ questionnaire_summary.score|num }}/{{ questionnaire_summary.full_score|num }}分，"
                          "得分率{{ questionnaire_summary.score_rate|pct }}", align="left")
    merge(table, 5, 1, 5, 8)
    set_cell(table, 5, 9, "{% if questionnaire_summary.valid %}{{ (questionnaire_summary.score / questionnaire_summary.valid / questionnaire_summary.questions|length)|num(2) }}"
                          "{% endif %}")
    set_cell(table, 5, 10, "{{ questionnaire_summary.satisfaction_rate|pct }}")
    _restyle(table, small)
    add_note(doc, "")
    add_body(doc, "{%p else %}")
    add_body(doc, questionnaire_totals_result())
    add_body(doc, "{%p endif %}")

    # which of the survey's figures is the unit's 满意度 (format.yaml satisfaction_measure), and where it was used
    add_body(doc, "{%p if format.satisfaction_measure and format.satisfaction_measure.value is not none %}")
    add_body(doc, "本次调查的满意度以{{ format.satisfaction_measure.name }}计，为{{ format.satisfaction_measure.value|pct }}"
                  "{% if score %}{% for t in score.substitutions %}{{ '，即' if loop.first else '、' }}自评表中"
                  "“{{ t.indicator }}”{% if loop.last %}的实际完成值{% endif %}{% endfor %}{% endif %}。")
    add_body(doc, "{%p endif %}")
    add_note(doc, "{{ '表2' if questionnaire_summary.questions else '表1' }} 按调查对象类别统计")
    loop_table(doc, ["对象类别", "收回份数", "有效份数", "得分合计", "满分", "得分率", "满意率"], "c in questionnaire_summary.by_category",
               ["{{ c.name }}", "{{ c.issued }}", "{{ c.valid }}", "{{ c.score|num }}", "{{ c.full_score|num }}",
                "{{ c.score_rate|pct }}", "{{ c.satisfaction_rate|pct }}"],
               [28, 20, 20, 22, 22, 22, 22], align_first_left=False,
               total=["合计", "{{ questionnaire_summary.issued }}", "{{ questionnaire_summary.valid }}", "{{ questionnaire_summary.score|num }}",
                      "{{ questionnaire_summary.full_score|num }}", "{{ questionnaire_summary.score_rate|pct }}", "{{ questionnaire_summary.satisfaction_rate|pct }}"])

    add_body(doc, "{%p if questionnaire_summary.questions %}")
    add_note(doc, "")
    # single line spacing: a picture in a fixed-height line would be cut off
    chart = add_paragraph(doc, "{{ questionnaire_chart }}", TABLE_TEXT, align="center")
    chart.paragraph_format.keep_with_next = True  # the figure never leaves its caption behind
    caption = add_note(doc, "图1 各题答案分布（有效问卷）")
    caption.paragraph_format.keep_with_next = False  # a figure's caption ends it (captions above tables keep)
    add_body(doc, "{%p endif %}")
    add_body(doc, "{%p else %}")
    add_body(doc, "没有有效问卷，无法统计调查结果。")
    add_body(doc, "{%p endif %}")

    add_heading1(doc, "三、意见和建议")
    add_body(doc, "{%p if questionnaire_summary.suggestions %}")
    add_lead(doc, "调查对象共提出意见和建议{{ questionnaire_summary.suggestions|length }}条：")
    add_body(doc, "{%p for s in questionnaire_summary.suggestions %}")
    add_body(doc, "{{ loop.index }}.{{ s.text }}（{{ s.category }}，问卷编号{{ s.number }}）")
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p else %}")
    add_body(doc, "无。")
    add_body(doc, "{%p endif %}")
    add_signoff(doc)
    doc.save(path)


# --- 空白问卷（附件5） -----------------------------------------------------------------------------------

Q_BODY, Q_TITLE = "问卷正文", "问卷标题"
Q_PT, Q_LINE_PT = 12, 17  # 小四; tight fixed spacing keeps the 10 questions on one sheet
Q_WIDTH_MM = 170  # A4 less 20 mm margins each side


def _q_style(doc: Any, name: str, style_id: str, font: str, size_pt: float, line_pt: float,
             align: Any = WD_ALIGN_PARAGRAPH.JUSTIFY) -> Any:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.element.styleId = style_id
    style.base_style = doc.styles["Normal"]
    style.font.size = Pt(size_pt)
    set_fonts(style.element, font, LATIN)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(line_pt)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    return style


def _plain_table(doc: Any, rows: int, widths: list[float]) -> Any:
    """A table without borders (layout only), fixed column widths."""
    table = doc.add_table(rows=rows, cols=len(widths))
    table.autofit = False
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
            cell.paragraphs[0].style = doc.styles[Q_BODY]
    return table


def _cell_border(cell: Any, *sides: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side in sides:
        line = OxmlElement(f"w:{side}")
        for attr, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            line.set(qn(attr), value)
        borders.append(line)
    tc_pr.append(borders)


def blank_questionnaire(path: Path) -> None:
    doc = new_document(table_pt=Q_PT)
    section = doc.sections[0]
    # a one-sheet form, not a 公文: narrow margins and no page number
    # 12 mm on top (not 18) leaves room for the 附件5 label line on the one sheet
    section.top_margin, section.bottom_margin = Mm(12), Mm(15)
    section.left_margin = section.right_margin = Mm(20)
    for paragraph in section.footer.paragraphs:
        for child in list(paragraph._p):
            if child.tag != qn("w:pPr"):
                paragraph._p.remove(child)
    _q_style(doc, Q_BODY, "QBody", FANGSONG, Q_PT, Q_LINE_PT)
    title_style = _q_style(doc, Q_TITLE, "QTitle", XIAOBIAOSONG, 18, 28, WD_ALIGN_PARAGRAPH.CENTER)
    title_style.paragraph_format.space_after = Pt(8)

    label = add_label(doc)  # 附件5: format.yaml questionnaire_label
    label.paragraph_format.line_spacing = Pt(Q_LINE_PT)
    add_paragraph(doc, "{{ questionnaire.title }}", Q_TITLE)
    # 问卷编号 … 性别: label, then a ruled blank to write on
    label_w, value_w = 25, Q_WIDTH_MM / 3 - 25
    info = _plain_table(doc, 2, [label_w, value_w] * 3)
    for row, labels in enumerate((("问卷编号：", "调查时间：", "调查地点："),
                                  ("调查人员：", "调查对象：", "性\u3000\u3000别："))):
        for n, text in enumerate(labels):
            info.cell(row, 2 * n).paragraphs[0].add_run(text)
            info.cell(row, 2 * n).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            value = info.cell(row, 2 * n + 1)
            if n == 0 and row == 0:
                value.paragraphs[0].add_run("No.")
            _cell_border(value, "bottom")
    _row_height(info, 0, 8)
    _row_height(info, 1, 8)
    authority = add_paragraph(doc, "授权单位：{{ questionnaire.authorising_unit }}", Q_BODY)
    authority.paragraph_format.space_before = Pt(6)
    intro = add_paragraph(doc, "{{ questionnaire.intro }}", Q_BODY)
    intro.paragraph_format.first_line_indent = Pt(Q_PT * 2)

    add_paragraph(doc, "{%p for q in questionnaire.questions %}", Q_BODY)
    question = add_paragraph(doc, "{{ loop.index }}.{{ q.text }}", Q_BODY)  # as the summary numbers them
    question.paragraph_format.space_before = Pt(4)
    question.paragraph_format.keep_with_next = True
    options = add_paragraph(doc, "{% for o in questionnaire.options %}□{{ o.label }}{% if not loop.last %}"
                                 "\u3000\u3000\u3000{% endif %}{% endfor %}", Q_BODY)
    options.paragraph_format.left_indent = Pt(Q_PT * 2)
    add_paragraph(doc, "{%p endfor %}", Q_BODY)

    prompt = add_paragraph(doc, "{{ questionnaire.suggestion_prompt }}", Q_BODY)
    prompt.paragraph_format.space_before = Pt(6)
    lines = _plain_table(doc, 3, [Q_WIDTH_MM])  # ruled lines to write the suggestion on
    for row in range(3):
        _cell_border(lines.cell(row, 0), "bottom")
        _row_height(lines, row, 8.5, exact=True)
    note = add_paragraph(doc, "{{ questionnaire.note }}", Q_BODY)
    note.paragraph_format.space_before = Pt(6)
    doc.save(path)


DOCUMENTS = {
    "评价报告.docx": evaluation_report,
    "综合评价报告表.docx": report_form,
    "评分表.docx": scoring_form,
    "问卷汇总.docx": questionnaire_summary,
    "空白问卷.docx": blank_questionnaire,
}
