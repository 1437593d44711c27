"""emeishan-2020 (四川省样式，以峨眉山市医疗保障局 2020 年度为样本).

部门整体支出绩效评价报告（附件1），以及每个项目一份的项目绩效目标完成情况表和项目支出绩效自评报告
（附件2）。本样式不打分。模板只有结构和变量：单位自己的文字都来自填报表。
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.shared import Mm
from docx.table import Table

from reportgen.docstyle import (
    add_body,
    add_heading1,
    add_heading2,
    add_label,
    add_lead,
    add_signoff,
    add_table,
    add_title,
    keep_with_next,
    merge,
    narrow_margins,
    new_document,
    set_cell,
)
from tools.formats.common import (
    change_words,
    ended,
    line_row,
    numbered_sections,
    or_none,
    parts_list,
    row_tag,
    whole_and_parts,
)

# The seed's 项目绩效目标完成情况表 merges this label down the header and every indicator row;
# the rows come from a loop, so the label is marked for merging rather than merged here.
INDICATOR_LABEL = "{{ '绩效指标完成情况'|vmerge }}"
# 一级指标 names that count as 效益 (the seed's 效益指标 and 满意度指标 rows).
BENEFIT_LEVELS = "['效益指标', '满意度指标', '社会效益指标', '经济效益指标', '生态效益指标', '可持续影响指标']"


def project_named(expr: str, quoted: bool = False) -> str:
    """A project's name followed by 项目 — unless the name already ends in it (``校舍维修改造项目``
    never becomes ``…项目项目``). ``quoted``: in “ ” as the seed names projects, the name's own “ ”
    turned into ‘ ’ (quotes inside quotes are single, never ``“…“…”…”``)."""
    # escapes, not the quote marks themselves: docxtpl turns curly quotes inside a tag into straight ones
    name = (f"{{{{ {expr}|replace('\\u201c', '\\u2018')|replace('\\u201d', '\\u2019') }}}}" if quoted
            else f"{{{{ {expr} }}}}")
    if quoted:
        name = f"“{name}”"
    return name + f"{{% if not {expr}.endswith('项目') %}}项目{{% endif %}}"


def bare(expr: str) -> str:
    """``expr`` without its closing punctuation, for use inside a longer sentence."""
    return f"{{{{ {expr}.rstrip('。；;.， ') }}}}"


def _change(rate: str, what: str, last: str) -> str:
    """``与上年X万元相比，收入增长x%`` / ``下降x%``; nothing when there is no previous-year figure."""
    return f"{{% if {rate} is not none %}}与上年{{{{ {last}|wan }}}}万元相比，{what}{change_words(rate)}。{{% endif %}}"


def _adjustment(value: str, unchanged: str = "") -> str:
    """A budget adjustment in words: 追加 for a positive figure, 调减 for a negative one."""
    return (f"{{% if {value} > 0 %}}，年中追加预算{{{{ {value}|wan }}}}万元"
            f"{{% elif {value} < 0 %}}，年中调减预算{{{{ (0 - {value})|wan }}}}万元"
            f"{{% else %}}{unchanged}{{% endif %}}")


# --- 附件1 部门整体支出绩效评价报告 -------------------------------------------------------------


def composition_sentence() -> str:
    return ("{{ unit.name }}{% if unit.founded %}于{{ unit.founded }}成立，{% endif %}属{{ unit.budget_level }}，"
            "单位性质为{{ unit.nature }}{% if unit.rank %}，机构规格为{{ unit.rank }}{% endif %}"
            "{% if unit.supervisor %}，主管部门为{{ unit.supervisor }}{% endif %}。"
            "{% if unit.subordinates %}下属{{ unit.subordinates|join('、') }}"
            "{{ unit.subordinates|length|cn_count }}个单位。{% endif %}")


def staff_sentence() -> str:
    return ("{% if unit.departments %}{{ unit.name }}设{{ unit.departments|join('、') }}"
            "{{ unit.departments|length|cn_count }}个内设机构。{% endif %}"
            "核定编制{{ staff.quota }}名，年末实有人员{{ staff.actual }}名"
            "{% if staff.control_rate is not none %}，在职人员控制率{{ staff.control_rate|pct }}{% endif %}。")


def income_sentence() -> str:
    # every source the unit has (上年结转 and each 本年收入 category), as the seed lists them
    return ("我单位{{ unit.year }}年度总收入为{{ income.total.total|wan }}万元"
            "{% if income.sources|selectattr('amount')|list %}（其中：" + parts_list("income.sources") + "）{% endif %}。"
            + "{% if income.rows|length > 1 %}分机构看，{% for r in income.rows %}{{ r.org }}{{ r.total|wan }}万元"
              "{% if not loop.last %}，{% endif %}{% endfor %}。{% endif %}"
            + _change("budget.income_change_rate", "总收入", "budget.last_year_income"))


def income_categories_sentence() -> str:
    # the 决算 explanation's income sources (收入决算情况说明): those the unit has, with their shares
    return whole_and_parts("本年收入合计", "income.total.current_year", "income.categories", "占") + "。"


def spending_sentence() -> str:
    # every kind of the 支出决算表 the unit has (基本、项目、上缴上级、经营、对附属单位补助), with shares
    return ("我单位" + whole_and_parts("{{ unit.year }}年度总支出", "expenditure.total.total", "expenditure.kinds", "占")
            + "。" + whole_and_parts("基本支出", "expenditure.total.basic", "expenditure.total.basic_uses", "占基本支出的")
            + "。" + _change("budget.expenditure_change_rate", "总支出", "budget.last_year_expenditure"))


def function_classes_sentence() -> str:
    """The 支出决算结构 sentence: each 功能分类 类 with its share (only when the 功能分类 sheet is filled)."""
    return ("按支出功能分类，{{ unit.year }}年支出{{ by_function.total_actual|wan }}万元主要用于以下方面："
            "{% for c in by_function.classes %}{{ c.name }}{{ c.actual|wan }}万元，占{{ c.share|pct }}"
            "{% if not loop.last %}；{% endif %}{% endfor %}。")


def function_item_line() -> str:
    """One 项 as the seed's 支出决算具体情况 has it: 支出决算数, 完成预算 %."""
    return ("{{ f.name }}：支出决算数{{ f.actual|wan }}万元{% if f.completion_rate is not none %}，"
            "完成预算{{ f.completion_rate|pct }}{% if f.actual == f.budget %}，决算数等于预算数{% endif %}{% endif %}。")


def budget_sentence() -> str:
    return ("{{ unit.year }}年年初预算{{ budget.initial|wan }}万元" + _adjustment("budget.adjustment")
            + "，全年预算{{ budget.final|wan }}万元；全年支出{{ budget.executed|wan }}万元，"
            "预算执行率{{ budget.execution_rate|pct }}；年末结转和结余{{ balance.year_end|wan }}万元。"
            "“三公”经费预算{{ three_public.budget_total|wan }}万元，支出{{ three_public.actual_total|wan }}万元"
            "{% if three_public.control_rate is not none %}，为预算的{{ three_public.control_rate|pct }}{% endif %}。")


def projects_sentence() -> str:
    # a unit without projects says so, rather than "共安排0个项目，全年预算0.00万元…"
    return ("{% if projects.rows %}{{ unit.year }}年我单位共安排{{ projects.rows|length|cn_count }}个项目，"
            "全年预算{{ projects.total_budget|wan }}万元，执行{{ projects.total_spent|wan }}万元，"
            "项目预算执行率{{ projects.execution_rate|pct }}。{% else %}{{ unit.year }}年我单位未安排项目支出。{% endif %}")


def low_execution_sentence() -> str:
    """Projects that did not spend their whole budget, each with its 偏差说明 (the seed names them)."""
    return ("其中，{% for p in low %}" + project_named("p.name") + "全年预算{{ p.budget|wan }}万元，执行{{ p.executed|wan }}万元，"
            "执行率{{ p.execution_rate|pct }}{% if p.explanation %}，主要原因是" + bare("p.explanation")
            + "{% endif %}{% if not loop.last %}；{% endif %}{% endfor %}。"
            "{% if low|length < projects.rows|length %}其余{{ (projects.rows|length - low|length)|cn_count }}个项目"
            "预算执行率{% if projects.rows|length - low|length > 1 %}均{% endif %}达到100%。{% endif %}")


def project_line() -> str:
    return ("（{{ loop.index }}）" + project_named("p.name", quoted=True) + "全年预算数{{ p.budget|wan }}万元，执行数为{{ p.executed|wan }}万元，"
            "完成预算的{{ p.execution_rate|pct }}。{% if p.achieved %}通过项目实施，" + ended("p.achieved")
            + "{% endif %}")


FUND_PARTS = ("{% if project.budget_carryover or project.budget_other %}（其中：本年财政拨款"
              "{{ project.funds[0].final|wan }}万元{% if project.budget_carryover %}，上年结转"
              "{{ project.budget_carryover|wan }}万元{% endif %}{% if project.budget_other %}，其他资金"
              "{{ project.budget_other|wan }}万元{% endif %}）{% endif %}")


def unit_report(path: Path) -> None:
    doc = new_document()
    add_label(doc)
    add_title(doc, "{{ unit.name|title_break }}\n{{ unit.year }}年部门整体支出绩效评价报告")

    add_heading1(doc, "一、部门（单位）概况")
    add_heading2(doc, "（一）机构组成")
    add_body(doc, composition_sentence())
    numbered_sections(doc, "narrative.overview")
    add_heading2(doc, "（二）机构职能")
    add_body(doc, "{%p for f in functions %}")
    add_body(doc, "{{ loop.index }}." + ended("f"))
    add_body(doc, "{%p endfor %}")
    add_heading2(doc, "（三）人员概况")
    add_body(doc, staff_sentence())

    add_heading1(doc, "二、部门财政资金收支情况")
    add_heading2(doc, "（一）部门财政资金收入情况")
    add_body(doc, income_sentence())
    add_body(doc, income_categories_sentence())
    add_heading2(doc, "（二）部门财政资金支出情况")
    add_body(doc, spending_sentence())
    add_body(doc, budget_sentence())
    add_body(doc, "{%p if by_function.rows %}")
    add_body(doc, function_classes_sentence())
    add_body(doc, "{%p for f in by_function.rows %}")
    add_body(doc, "{{ loop.index }}." + function_item_line())
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p endif %}")

    add_heading1(doc, "三、部门整体预算绩效管理情况")
    add_heading2(doc, "（一）部门预算管理")
    add_body(doc, projects_sentence())
    # Rates are None when a project's budget is 0; those are not "low", they have no rate.
    add_body(doc, "{%p set low = projects.rows|rejectattr('execution_rate', 'none')"
                  "|selectattr('execution_rate', 'lt', 100)|list %}")
    add_body(doc, "{%p if low %}")
    add_body(doc, low_execution_sentence())
    add_body(doc, "{%p elif projects.rows %}")
    add_body(doc, "各项目预算均已全部执行。")
    add_body(doc, "{%p endif %}")
    add_body(doc, "{%p if projects.rows %}")
    add_lead(doc, "我单位{{ unit.year }}年度对{{ projects.rows|length|cn_count }}个项目开展了绩效目标完成情况自评，情况如下：")
    add_body(doc, "{%p endif %}")
    add_body(doc, "{%p for p in projects.rows %}")
    add_body(doc, project_line())
    add_body(doc, "{%p endfor %}")
    add_heading2(doc, "（二）结果应用情况")
    or_none(doc, "narrative.achievements", numbered_sections)

    add_heading1(doc, "四、评价结论及建议")
    add_heading2(doc, "（一）评价结论")
    add_body(doc, "{%p if goals %}")
    add_body(doc, "{{ unit.year }}年度，我单位围绕{{ goals|map(attribute='name')|join('、') }}"
                  "{{ goals|length|cn_count }}项年度目标开展工作，完成情况如下：")
    add_body(doc, "{%p endif %}")
    add_body(doc, "{%p for g in goals %}")
    add_body(doc, "{{ loop.index }}.{{ g.name }}：" + ended("g.result"))
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p for s in narrative.conclusion %}")
    add_body(doc, "{%p for para in s.paragraphs %}")
    add_body(doc, "{{ para }}")
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p endfor %}")
    add_heading2(doc, "（二）有关建议")
    or_none(doc, "narrative.measures", numbered_sections)

    add_heading1(doc, "五、存在问题")
    or_none(doc, "narrative.problems", numbered_sections)
    add_heading1(doc, "六、其他需要说明的情况")
    or_none(doc, "narrative.other", numbered_sections)
    add_signoff(doc)
    doc.save(path)


# --- 项目绩效目标完成情况表（每个项目一份） -------------------------------------------------------


def _budget_cells(table: Table, row: int, label: str, planned: str, spent: str) -> None:
    set_cell(table, row, 1, label)
    set_cell(table, row, 2, planned)
    set_cell(table, row, 3, label)
    set_cell(table, row, 4, spent)
    merge(table, row, 4, row, 5)


def goal_table(path: Path) -> None:
    doc = new_document(table_pt=10.5)
    add_label(doc)
    add_title(doc, "项目绩效目标完成情况表\n（{{ unit.year }}年度）")
    widths = [20, 28, 28, 28, 26, 26]
    table = add_table(doc, 15, 6, header_rows=0, col_widths_mm=widths)
    narrow_margins(table)
    for row in table.rows:  # a form's rows leave room to write in, as the printed original does
        row.height, row.height_rule = Mm(7.5), WD_ROW_HEIGHT_RULE.AT_LEAST
    table.rows[6].height = Mm(16)
    for row, (label, value) in enumerate((("项目名称", "{{ project.name }}"), ("预算单位", "{{ unit.name }}"))):
        set_cell(table, row, 0, label, bold=True)
        set_cell(table, row, 1, value, align="left")
        merge(table, row, 1, row, 5)

    set_cell(table, 2, 0, "预算执行情况（万元）", bold=True)
    merge(table, 2, 0, 4, 0)
    # Sichuan's two-way split: 财政拨款 (本年 and 上年结转) and 其他资金, of the budget and of the spending
    # (the seed's form prints 其它资金; 其他 is the standard wording, as in every other form here).
    _budget_cells(table, 2, "预算数", "{{ project.budget|wan }}", "{{ project.executed|wan }}")
    set_cell(table, 2, 3, "执行数")
    _budget_cells(table, 3, "其中：财政拨款", "{{ project.fiscal_budget|wan }}", "{{ project.fiscal|wan }}")
    _budget_cells(table, 4, "其他资金", "{{ project.budget_other|wan }}", "{{ project.other_funds|wan }}")

    set_cell(table, 5, 0, "年度目标完成情况", bold=True)
    merge(table, 5, 0, 6, 0)
    set_cell(table, 5, 1, "预期目标", bold=True)
    merge(table, 5, 1, 5, 2)
    set_cell(table, 5, 3, "实际完成目标", bold=True)
    merge(table, 5, 3, 5, 5)
    set_cell(table, 6, 1, "{{ project.expected or '' }}", align="left")
    merge(table, 6, 1, 6, 2)
    set_cell(table, 6, 3, "{{ project.achieved or '' }}", align="left")
    merge(table, 6, 3, 6, 5)

    set_cell(table, 7, 0, INDICATOR_LABEL, bold=True)
    for col, label in enumerate(["一级指标", "二级指标", "三级指标", "预期指标值（包含数字及文字描述）",
                                 "实际完成指标值（包含数字及文字描述）"], start=1):
        set_cell(table, 7, col, label, bold=True)
    row_tag(table, 8, "{%tr for i in project.indicators %}")
    set_cell(table, 9, 0, INDICATOR_LABEL, bold=True)
    for col, text in enumerate(["{{ i.level1|vmerge }}", "{{ i.level2|vmerge(i.level1) }}", "{{ i.level3 }}",
                                "{{ i.target_text }}", "{{ i.actual_text }}"], start=1):
        set_cell(table, 9, col, text)
    row_tag(table, 10, "{%tr endfor %}")
    row_tag(table, 11, "{%tr if not project.indicators %}")
    set_cell(table, 12, 0, INDICATOR_LABEL, bold=True)
    set_cell(table, 12, 1, "（未填报项目绩效指标）")
    merge(table, 12, 1, 12, 5)
    row_tag(table, 13, "{%tr endif %}")
    # the 填报 block under the form, as its last row: the form is signed on the page where it ends
    line_row(table, 14, "填报单位（盖章）：{{ unit.name }}\u3000\u3000单位负责人：{{ unit.head }}{{ '\\n' }}"
                        "填报人：{{ unit.preparer }}\u3000\u3000联系电话：{{ unit.phone }}"
                        "\u3000\u3000填报日期：{{ unit.fill_date|cn_date }}")
    keep_with_next(table, [9, 12])
    doc.save(path)


# --- 附件2 项目支出绩效自评报告（每个项目一份） ----------------------------------------------------


def project_report(path: Path) -> None:
    doc = new_document()
    add_label(doc)
    add_title(doc, "{{ unit.name|title_break }}\n项目支出绩效自评报告\n（{{ project.name }}）")

    add_heading1(doc, "一、项目概况")
    add_heading2(doc, "（一）项目基本情况")
    add_body(doc, project_named("project.name", quoted=True) + "为{{ unit.name }}{{ unit.year }}年度"
                  "{% if project.is_key %}重点{% endif %}项目，"
                  "全年预算{{ project.budget|wan }}万元。{% if project.purpose %}项目资金主要用于"
                  + ended("project.purpose") + "{% endif %}")
    add_heading2(doc, "（二）项目绩效目标")
    add_body(doc, "{%p if project.expected %}")
    add_body(doc, "项目年度绩效目标：" + ended("project.expected"))
    add_body(doc, "{%p endif %}")
    add_body(doc, "{%p if project.indicators %}")
    add_body(doc, "设置绩效指标{{ project.indicators|length|cn_count }}个：{% for i in project.indicators %}"
                  "{{ i.level3 }}（{{ i.target_text }}）{% if not loop.last %}；{% endif %}{% endfor %}。")
    add_body(doc, "{%p endif %}")

    add_heading1(doc, "二、项目资金申报及使用情况")
    # The seed's 资金计划、到位及使用情况. The workbook records the budget and the spending, not the funds
    # that arrived: the report states the plan and the use, and claims no 到位 figure (spending is not
    # arrival, and a 财政局 reads a 到位率 as one).
    add_heading2(doc, "（一）资金计划及使用情况")
    add_lead(doc, "1.资金计划。")
    add_body(doc, "{{ project.name }}年初预算{{ project.initial|wan }}万元"
             + _adjustment("project.adjustment", "，年中未作调整")
             + "，全年预算{{ project.budget|wan }}万元" + FUND_PARTS + "。")
    add_lead(doc, "2.资金使用。")
    add_body(doc, "{{ unit.year }}年实际支出{{ project.executed|wan }}万元"
                  "{% if project.other_funds != 0 %}（其中财政拨款{{ project.fiscal|wan }}万元，"
                  "其他资金{{ project.other_funds|wan }}万元）{% endif %}"
                  "{% if project.execution_rate is not none %}，预算执行率{{ project.execution_rate|pct }}{% endif %}。")
    add_heading2(doc, "（二）项目财务管理情况")
    add_body(doc, "项目资金纳入{{ unit.name }}部门预算统一管理、统一核算，按全年预算{{ project.budget|wan }}万元控制支出，"
                  "{% if project.executed > project.budget %}实际支出超出预算{{ (project.executed - project.budget)|wan }}万元。"
                  "{% else %}实际支出未超出预算{% if project.budget > project.executed %}，年末未支出"
                  "{{ (project.budget - project.executed)|wan }}万元{% endif %}。{% endif %}"
                  "{% for f in project.funds if f.final or f.executed %}{% if loop.first %}按资金来源，{% endif %}"
                  "{{ f.item }}预算{{ f.final|wan }}万元、支出{{ f.executed|wan }}万元"
                  "{% if loop.last %}。{% else %}；{% endif %}{% endfor %}")
    add_heading2(doc, "（三）项目组织实施情况")
    add_body(doc, "项目由{{ unit.name }}组织实施{% if project.purpose %}，资金用于" + ended("project.purpose")
                  + "{% else %}。{% endif %}"
                  "{% if project.indicators %}项目按年度绩效目标设置绩效指标{{ project.indicators|length|cn_num }}个"
                  "（{% for level, items in project.indicators|groupby('level1') %}{{ level }}{{ items|length|cn_num }}个"
                  "{% if not loop.last %}、{% endif %}{% endfor %}），逐项跟踪完成情况。{% endif %}")

    add_heading1(doc, "三、项目绩效情况")
    # 效益 and 满意度 indicators make the seed's 项目效益情况; the others (产出) its 项目完成情况.
    add_body(doc, f"{{%p set benefit = project.indicators|selectattr('level1', 'in', {BENEFIT_LEVELS})|list %}}")
    add_body(doc, f"{{%p set output = project.indicators|rejectattr('level1', 'in', {BENEFIT_LEVELS})|list %}}")
    add_heading2(doc, "（一）项目完成情况")
    add_body(doc, "{%p if project.achieved %}")
    add_body(doc, "{{ unit.year }}年度项目实际完成情况：" + ended("project.achieved"))
    add_body(doc, "{%p endif %}")
    add_body(doc, "{%p for i in output %}")
    add_body(doc, "{{ loop.index }}.{{ i.level3 }}：指标值{{ i.target_text }}，实际完成{{ i.actual_text }}。")
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p if benefit %}")
    add_heading2(doc, "（二）项目效益情况")
    add_body(doc, "{%p endif %}")
    add_body(doc, "{%p for i in benefit %}")
    add_body(doc, "{{ loop.index }}.{{ i.level3 }}：指标值{{ i.target_text }}，实际完成{{ i.actual_text }}。")
    add_body(doc, "{%p endfor %}")

    # The seed's closing parts (存在问题, 改进措施, 评价结论), each sentence from the workbook: the budget
    # left unspent or overspent with its 偏差说明, every indicator short of its target with its 偏差原因及改进措施.
    add_body(doc, "{%p set unmet = project.indicators|rejectattr('met')|list %}")
    add_body(doc, "{%p set short = project.budget > project.executed %}")
    add_body(doc, "{%p set over = project.executed > project.budget %}")
    add_heading1(doc, "四、存在的问题及改进措施")
    add_body(doc, "{%p if short or over or project.explanation or unmet %}")
    add_body(doc, "{%p if short or over %}")
    add_body(doc, "1.预算执行：全年预算{{ project.budget|wan }}万元，实际支出{{ project.executed|wan }}万元，"
                  "{% if short %}年末未支出{{ (project.budget - project.executed)|wan }}万元"
                  "{% else %}超出预算{{ (project.executed - project.budget)|wan }}万元{% endif %}"
                  "{% if project.explanation %}，主要原因是" + bare("project.explanation") + "{% endif %}。")
    add_body(doc, "{%p elif project.explanation %}")
    add_body(doc, "1.偏差说明：" + ended("project.explanation"))
    add_body(doc, "{%p endif %}")
    add_body(doc, "{%p for i in project.indicators if not i.met %}")  # i.met: format uses sees 完成程度 read
    add_body(doc, "{{ loop.index + (1 if short or over or project.explanation else 0) }}.{{ i.level3 }}："
                  "年度指标值{{ i.target_text }}，实际完成{{ i.actual_text }}，未达到年度指标值。"
                  "{% if i.deviation_reason %}" + ended("i.deviation_reason") + "{% endif %}")
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p else %}")
    add_body(doc, "{% if project.budget %}项目预算全部执行{% else %}项目全年预算为0{% endif %}"
                  "{% if project.indicators %}，各项绩效指标均达到年度指标值{% endif %}，未发现需要整改的问题。")
    add_body(doc, "{%p endif %}")

    add_heading1(doc, "五、评价结论")
    add_body(doc, "{{ unit.year }}年" + project_named("project.name", quoted=True)
                  + "全年预算{{ project.budget|wan }}万元，实际支出{{ project.executed|wan }}万元"
                  "{% if project.execution_rate is not none %}，预算执行率{{ project.execution_rate|pct }}{% endif %}"
                  "{% if project.indicators %}；设置绩效指标{{ project.indicators|length|cn_count }}个，"
                  "{% if unmet %}{{ (project.indicators|length - unmet|length)|cn_count }}个达到年度指标值，"
                  "{{ unmet|length|cn_count }}个未达到{% else %}全部达到年度指标值{% endif %}{% endif %}。"
                  "{% if project.indicators and not unmet and not short and not over %}项目年度绩效目标全部实现。{% endif %}")
    add_signoff(doc)
    doc.save(path)


DOCUMENTS = {
    "部门整体支出绩效评价报告.docx": unit_report,
    "项目绩效目标完成情况表.docx": goal_table,
    "项目支出绩效自评报告.docx": project_report,
}
