"""yueyang-2020 (湖南省市级样式): 自评报告 with its 自评表 tables, and the 评分表 (附件3-1)."""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from reportgen.docstyle import (
    add_body,
    add_heading1,
    add_heading2,
    add_label,
    add_note,
    add_signoff,
    add_table,
    add_title,
    after_table,
    keep_with_next,
    merge,
    new_document,
    set_cell,
)
from tools.formats.common import (
    assets_table,
    change_words,
    evaluators_table,
    expenditure_table,
    goals_table,
    income_table,
    indicators_table,
    numbered_sections,
    or_none,
    parts_list,
    projects_table,
    scoring_table,
    sections,
    three_public_table,
    whole_and_parts,
)


def overview_sentence() -> str:
    return ("{{ unit.name }}为{{ unit.nature }}，{{ unit.budget_level }}"
            "{% if unit.rank %}，机构规格为{{ unit.rank }}{% endif %}"
            "{% if unit.founded %}，成立于{{ unit.founded }}{% endif %}。"
            "{% if unit.departments %}内设{{ unit.departments|join('、') }}{{ unit.departments|length|cn_count }}个机构"
            "{% endif %}{% if unit.subordinates %}，下属{{ unit.subordinates|join('、') }}"
            "{{ unit.subordinates|length|cn_count }}个单位{% endif %}{% if unit.departments or unit.subordinates %}。{% endif %}"
            "核定编制{{ staff.quota }}人，年末实有{{ staff.actual }}人。")


def spending_sentence() -> str:
    return (whole_and_parts("{{ unit.year }}年决算总支出", "expenditure.total.total", "expenditure.kinds", "占总支出的")
            + "。" + whole_and_parts("基本支出", "expenditure.total.basic", "expenditure.total.basic_uses", "占基本支出的")
            + "。")


def economic_sentence() -> str:
    return "按经济分类，基本支出中" + parts_list("expenditure.total.basic_economy", "占基本支出的") + "。"


def income_sentence() -> str:
    return (whole_and_parts("{{ unit.year }}年度收入合计", "income.total.total", "income.sources") + "。"
            "{% if budget.income_change_rate is not none %}收入合计较上年{{ budget.last_year_income|wan }}万元"
            + change_words("budget.income_change_rate")
            + "。{% endif %}")


def budget_sentence() -> str:
    return ("年初预算{{ budget.initial|wan }}万元，年中预算调整{{ budget.adjustment|wan }}万元，全年预算{{ budget.final|wan }}万元；"
            "全年支出{{ budget.executed|wan }}万元，预算执行率{{ budget.execution_rate|pct }}，预算调整率"
            "{{ budget.adjustment_rate|pct }}。年末结转和结余{{ balance.year_end|wan }}万元。")


def three_public_sentence() -> str:
    tp = "three_public"
    return ("{{ unit.year }}年“三公”经费预算{{ %s.budget_total|wan }}万元，决算{{ %s.actual_total|wan }}万元，"
            "其中：因公出国（境）费{{ %s.abroad.actual|wan }}万元，公务用车购置费{{ %s.car_purchase.actual|wan }}万元，"
            "公务用车运行维护费{{ %s.car_running.actual|wan }}万元，公务接待费{{ %s.reception.actual|wan }}万元。"
            "“三公”经费控制率{{ %s.control_rate|pct }}；"
            "{%% if %s.change_rate is none %%}上年无“三公”经费支出，变动率无法计算。"
            "{%% else %%}较上年决算{{ %s.last_year_total|wan }}万元"
            ) % ((tp,) * 9) + change_words(f"{tp}.change_rate") + "。{% endif %}"


def projects_sentence() -> str:
    # a unit without projects says so, rather than "共安排项目0个，全年预算0.00万元…执行率—"
    return ("{% if projects.rows %}全年共安排项目{{ projects.rows|length }}个，全年预算{{ projects.total_budget|wan }}万元，"
            "执行{{ projects.total_spent|wan }}万元，项目预算执行率{{ projects.execution_rate|pct }}；其中重点项目支出"
            "{{ projects.key_spent|wan }}万元，重点支出安排率{{ projects.key_share|pct }}。"
            "{% else %}{{ unit.year }}年未安排项目支出。{% endif %}")


def assets_sentence() -> str:
    return ("年末资产总额{{ assets.total|wan }}万元，负债总额{{ assets.liabilities|wan }}万元，净资产{{ assets.net|wan }}万元。"
            "固定资产{{ assets.fixed_total|wan }}万元，其中在用{{ assets.fixed_in_use|wan }}万元、出租{{ assets.fixed_rented|wan }}万元、"
            "其他{{ assets.fixed_other|wan }}万元，固定资产利用率{{ assets.fixed_utilization|pct }}。")


def score_and_signatures(doc) -> None:
    """The 自评表's closing rows, as the seed prints them: 绩效自评综合得分 and 评价等次, the evaluators,
    then the three sign-off blocks (评价组组长签字, 部门意见 with 负责人签章, 财政部门归口业务科室意见)."""
    table = add_table(doc, 2, 4, header_rows=0, col_widths_mm=[40, 38, 40, 38])
    set_cell(table, 0, 0, "绩效自评综合得分", bold=True)
    set_cell(table, 0, 1, "{% if score %}{{ score.total|points }}{% endif %}")
    set_cell(table, 0, 2, "评价等次", bold=True)
    set_cell(table, 0, 3, "{% if score %}{{ score.grade }}{% endif %}")
    set_cell(table, 1, 0, "评价人员", bold=True)
    merge(table, 1, 0, 1, 3)
    keep_with_next(table)  # score, evaluators and sign-off blocks stay on one page, as one form
    keep_with_next(evaluators_table(doc))
    blank_line = "\n\n\n"
    date_line = "年\u3000\u3000月\u3000\u3000日\u3000\u3000"
    blocks = [
        ("评价组组长（签字）：", blank_line + date_line),
        ("部门（单位）意见：", blank_line + "部门（单位）负责人（签章）：\u3000\u3000\u3000\u3000\u3000\u3000\n" + date_line),
        ("财政部门归口业务科室意见：", blank_line + "财政部门归口业务科室负责人（签章）：\u3000\u3000\u3000\u3000\u3000\u3000\n"
         + date_line),
    ]
    signatures = add_table(doc, len(blocks), 1, header_rows=0, col_widths_mm=[156])
    for row, (head, rest) in enumerate(blocks):
        cell = set_cell(signatures, row, 0, head, align="left")
        paragraph = cell.add_paragraph(rest, style=cell.part.document.styles["公文表格"])
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    keep_with_next(signatures)  # and the 填报人 line after it
    add_body(doc, "填报人（签名）：{{ unit.preparer }}{% if unit.contact != unit.preparer %}\u3000\u3000联系人："
                  "{{ unit.contact }}{% endif %}\u3000\u3000联系电话：{{ unit.phone }}")


def yueyang_report(path: Path) -> None:
    doc = new_document(table_pt=10.5)
    add_label(doc)
    add_title(doc, "{{ unit.name|title_break }}\n{{ unit.year }}年度部门整体支出绩效自评报告")

    add_heading1(doc, "一、部门（单位）概况")
    add_heading2(doc, "（一）基本情况")
    add_body(doc, overview_sentence())
    sections(doc, "narrative.overview", numbered=False)
    # the seed's 基本概况 lines: 编制 and 实有人数 are in the sentence above, 联系人 and 电话 in the
    # 填报人 line that closes the report (no uncaptioned mini-table between paragraphs)
    add_heading2(doc, "（二）主要职能")
    add_body(doc, "{%p for f in functions %}")
    add_body(doc, "{{ loop.index }}.{{ f }}")
    add_body(doc, "{%p endfor %}")
    add_heading2(doc, "（三）年度主要工作任务")
    add_body(doc, "{%p for g in goals %}")
    add_body(doc, "任务{{ loop.index|cn_num }}：{{ g.name }}。{{ g.content or '' }}")
    add_body(doc, "{%p endfor %}")

    add_heading1(doc, "二、部门（单位）收支情况")
    add_heading2(doc, "（一）收入情况")
    add_body(doc, income_sentence())
    add_note(doc, "表1 年度收入情况（万元）")
    income_table(doc)
    after_table(add_heading2(doc, "（二）支出和结余情况"))
    add_body(doc, spending_sentence())
    add_body(doc, budget_sentence())
    add_note(doc, "表2 年度支出和结余情况（万元）")
    expenditure_table(doc)

    after_table(add_heading1(doc, "三、部门（单位）整体支出管理及使用情况"))
    add_heading2(doc, "（一）基本支出")
    add_body(doc, economic_sentence())
    add_heading2(doc, "（二）“三公”经费")
    add_body(doc, three_public_sentence())
    add_note(doc, "表3 “三公”经费情况（万元）")
    three_public_table(doc)
    after_table(add_heading2(doc, "（三）项目支出"))
    add_body(doc, projects_sentence())
    add_note(doc, "表4 项目支出情况（万元）")
    projects_table(doc)
    after_table(add_heading2(doc, "（四）资产管理"))
    add_body(doc, assets_sentence())
    add_note(doc, "表5 资产情况（万元）")
    assets_table(doc)

    after_table(add_heading1(doc, "四、部门（单位）整体支出绩效情况"))
    add_heading2(doc, "（一）年度目标完成情况")
    add_note(doc, "表6 整体支出绩效目标完成情况")
    goals_table(doc)
    after_table(add_heading2(doc, "（二）绩效指标完成情况"))
    add_note(doc, "表7 整体支出绩效指标完成情况")
    indicators_table(doc)  # 表7: no orphan row under a repeated header
    after_table(add_heading2(doc, "（三）主要工作成效"))
    numbered_sections(doc, "narrative.achievements")
    add_heading2(doc, "（四）自评结论")
    sections(doc, "narrative.conclusion", numbered=False)
    add_body(doc, "{%p if score %}")
    add_body(doc, "经自评，本单位{{ unit.year }}年度部门整体支出绩效综合得分{{ score.total|points }}分，评价等次为“{{ score.grade }}”。")
    add_body(doc, "{%p endif %}")

    add_heading1(doc, "五、存在的主要问题")
    or_none(doc, "narrative.problems")
    add_heading1(doc, "六、改进措施和有关建议")
    or_none(doc, "narrative.measures")
    add_heading1(doc, "七、其他需要说明的情况")
    or_none(doc, "narrative.other", numbered=False)

    add_heading1(doc, "八、综合得分与评价人员")
    score_and_signatures(doc)
    add_signoff(doc)
    doc.save(path)


DOCUMENTS = {
    "自评报告.docx": yueyang_report,
    "评分表.docx": lambda path: scoring_table(path, "部门整体支出绩效评价评分表"),
}
