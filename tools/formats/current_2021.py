"""current-2021 (2021 年起各省预算绩效管理系统通用样式).

部门整体支出绩效自评表（预算执行率 10 分 + 产出 50 / 效益 30 / 满意度 10，行分值和得分取自评分引擎）、
自评报告、基础数据表，以及每个项目一份的项目支出绩效自评表。模板只有结构和变量。
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.shared import Mm, Pt
from docx.table import Table

from reportgen.docstyle import (
    TABLE_TEXT,
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
    join_tables,
    keep_with_next,
    keep_with_next_if,
    merge,
    narrow_margins,
    new_document,
    set_cell,
)
from tools.formats.common import (
    cell_lines,
    ended,
    numbered_sections,
    projects_table,
    row_tag,
    whole_and_parts,
)

# The 预算执行率 level of scoring.yaml: shown in the funds rows, not among the indicator rows.
EXECUTION = "预算执行率"


# Under a form: who filled it in and the unit that answers for it (its stamp goes over its name).
SIGNATURE = ["填报人：{{ unit.preparer }}    联系电话：{{ unit.phone }}    填报日期：{{ unit.fill_date|cn_date }}",
             "填报单位（盖章）：{{ unit.name }}    单位负责人：{{ unit.head }}"]


def signature_line(doc, lines: str | list[str], form: Table, rows: int = 1) -> None:
    """The line(s) under ``form``, in the table's size (body size would wrap them on a portrait
    page), on the page of the form's last ``rows`` rows: never alone on a page of their own."""
    keep_with_next(form, range(len(form.rows) - rows, len(form.rows)))
    for n, text in enumerate([lines] if isinstance(lines, str) else lines):
        paragraph = add_paragraph(doc, text, TABLE_TEXT, align="left")
        paragraph.paragraph_format.space_before = Pt(6 if n == 0 else 3)
        paragraph.paragraph_format.keep_with_next = n < (0 if isinstance(lines, str) else len(lines) - 1)


def min_row_height(table: Table, mm: float) -> None:
    for row in table.rows:
        row.height, row.height_rule = Mm(mm), WD_ROW_HEIGHT_RULE.AT_LEAST


def span(table: Table, row: int, c1: int, c2: int, text: str, *, align: str = "center", bold: bool = False) -> None:
    set_cell(table, row, c1, text, align=align, bold=bold)  # type: ignore[arg-type]
    if c2 > c1:
        merge(table, row, c1, row, c2)


# --- 部门整体支出绩效自评表 ------------------------------------------------------------------------

# label | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 (243 mm)
UNIT_WIDTHS = [24, 22, 28, 44, 28, 28, 15, 20, 34]


def execution_cell(attr: str, result: str = "score") -> str:
    """A figure of the 预算执行率 level of the engine's result (its weight or its points)."""
    shown = "points" if attr == "points" else "score"  # 得分 two decimals, 分值 as written
    return f"{{% for g in {result}.levels if g.name == '{EXECUTION}' %}}{{{{ g.{attr}|{shown} }}}}{{% endfor %}}"


INDICATOR_ROWS = 12  # header, 5 loop rows, the scored row, 3 endfor rows, 总分, 说明


def form_tables(doc, rows: int, widths: list[float], lower_widths: list[float] | None = None) -> tuple[Table, Table]:
    """A 自评表 as two tables that print as one form: the upper part (``rows`` rows) and, joined
    below it, the 绩效指标 block (header, scored rows, 总分) plus 说明, whose header row repeats on
    every page the indicators run onto (a table repeats only its own first rows). The blocks may
    have columns of their own (``lower_widths``), as the printed forms do."""
    upper = _form_part(doc, rows, widths, header_rows=0)
    join_tables(doc, upper)
    return upper, _form_part(doc, INDICATOR_ROWS, lower_widths or widths, header_rows=1)


def _form_part(doc, rows: int, widths: list[float], header_rows: int) -> Table:
    table = add_table(doc, rows, 9, header_rows=header_rows, col_widths_mm=widths)
    narrow_margins(table)
    min_row_height(table, 7)
    return table


def scored_indicator_rows(table, result: str) -> int:
    """The 绩效指标 block as scored: a header row, one row per scored indicator grouped by the
    scoring's 一级/二级 (预算执行率 has its own row above), then the 总分 row; returns the next row.
    ``result`` is the score in the context: ``score`` (the unit) or ``project_score``.

    A 一级指标's rows stay on one page with the header (a page breaks only between 一级 groups, so
    no page starts with rows whose group label is on the page before), and the last group stays
    with 总分."""
    label = "{{ '绩效指标'|vmerge }}"
    set_cell(table, 0, 0, label, bold=True)
    for col, text in enumerate(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                                "偏差原因分析及改进措施"], start=1):
        set_cell(table, 0, col, text, bold=True)
    keep_with_next(table, [0])
    row_tag(table, 1, f"{{%tr for g in {result}.levels if g.name != '{EXECUTION}' %}}")
    row_tag(table, 2, "{%tr set g_last = loop.last %}")
    row_tag(table, 3, "{%tr for sg in g.groups %}")
    row_tag(table, 4, "{%tr set sg_last = loop.last %}")
    row_tag(table, 5, "{%tr for r in sg.rows %}")
    cells = [label, "{{ g.name|vmerge }}", "{{ sg.name|vmerge(g.name) }}", "{{ r.name }}", "{{ r.standard }}",
             "{{ r.value_text }}", "{{ r.weight|score }}", "{{ r.points|points }}", "{{ r.deduction_reason }}"]
    for col, text in enumerate(cells):
        set_cell(table, 6, col, text, align="left" if col in (3, 8) else "center", bold=(col == 0))
    keep_with_next_if(table, 6, "not (loop.last and sg_last and not g_last)")
    for row in range(7, 10):
        row_tag(table, row, "{%tr endfor %}")
    span(table, 10, 0, 5, "总分", bold=True)
    set_cell(table, 10, 6, f"{{{{ {result}.total_weight|score }}}}", bold=True)
    set_cell(table, 10, 7, f"{{{{ {result}.total|points }}}}", bold=True)
    set_cell(table, 10, 8, f"{{% if {result}.grade %}}等次：{{{{ {result}.grade }}}}{{% endif %}}", bold=True)
    return 11


def unit_table(path: Path) -> None:
    doc = new_document(landscape=True, table_pt=10.5)
    add_label(doc)
    add_title(doc, "部门整体支出绩效自评表\n（{{ unit.year }}年度）")
    table, indicators = form_tables(doc, 8, UNIT_WIDTHS)

    set_cell(table, 0, 0, "单位名称", bold=True)
    span(table, 0, 1, 3, "{{ unit.name }}", align="left")
    set_cell(table, 0, 4, "填报人", bold=True)
    set_cell(table, 0, 5, "{{ unit.preparer }}")
    span(table, 0, 6, 7, "联系电话", bold=True)
    set_cell(table, 0, 8, "{{ unit.phone }}")

    # 年度资金情况: the row label takes columns 1–2 so the six figures line up with the columns below.
    set_cell(table, 1, 0, "年度资金情况（万元）", bold=True)
    merge(table, 1, 0, 5, 0)
    span(table, 1, 1, 2, "")
    for col, label in enumerate(["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], start=3):
        set_cell(table, 1, col, label, bold=True)
    span(table, 2, 1, 2, "年度资金总额", align="left")
    for col, text in enumerate(["{{ budget.initial|wan }}", "{{ budget.final|wan }}", "{{ budget.executed|wan }}",
                                execution_cell("weight"), "{{ budget.execution_rate|pct }}",
                                execution_cell("points")], start=3):
        set_cell(table, 2, col, text)
    # 财预〔2020〕10号: the sources' amounts only (分值/得分 —). From the 资金来源 sheet; blank when the
    # unit left it empty (its amounts are then None, which |wan prints as nothing).
    # Each source's 执行率 is printed (— without a budget), its 分值/得分 are —: only the total is scored.
    for row, (label, source) in enumerate([("其中：当年财政拨款", "fiscal"), ("上年结转资金", "carryover"),
                                           ("其他资金", "other")], start=3):
        span(table, row, 1, 2, label, align="left")
        for col, attr in enumerate(["initial", "final", "executed"], start=3):
            set_cell(table, row, col, f"{{{{ funds.{source}.{attr}|wan }}}}")
        set_cell(table, row, 6, "—")
        set_cell(table, row, 7, f"{{{{ funds.{source}.execution_rate|pct }}}}")
        set_cell(table, row, 8, "—")

    set_cell(table, 6, 0, "年度总体目标", bold=True)
    merge(table, 6, 0, 7, 0)
    span(table, 6, 1, 4, "预期目标", bold=True)
    span(table, 6, 5, 8, "实际完成情况", bold=True)
    cell_lines(table, 7, 1, ["{%p for g in goals %}", "{{ loop.index }}.{{ g.name }}：{{ g.content or '' }}",
                             "{%p endfor %}"])
    merge(table, 7, 1, 7, 4)
    cell_lines(table, 7, 5, ["{%p for g in goals %}", "{{ loop.index }}.{{ g.result }}", "{%p endfor %}"])
    merge(table, 7, 5, 7, 8)

    note = scored_indicator_rows(indicators, "score")
    set_cell(indicators, note, 0, "说明", bold=True)
    # the scoring rules in force, as the engine states them (score.rules): 定性 bands, 反向/等于 formulas …
    span(indicators, note, 1, 8, "{% if score.capped %}{{ score.cap_reason }}；{% endif %}"
                          "预算执行率得分 = 预算执行率 × 10分；{% if score.rules %}{{ score.rules|join('；') }}"
                          "{% else %}绩效指标达到年度指标值得满分，未达到按完成比例计分{% endif %}。", align="left")
    # 填报人 and 联系电话 head the form; its foot names the unit that stamps it and its head
    signature_line(doc, "填报单位（盖章）：{{ unit.name }}    单位负责人：{{ unit.head }}    "
                        "填报日期：{{ unit.fill_date|cn_date }}", indicators, rows=2)
    doc.save(path)


# --- 自评报告 --------------------------------------------------------------------------------------


def overview_sentence() -> str:
    return ("{{ unit.name }}为{{ unit.nature }}，属{{ unit.budget_level }}"
            "{% if unit.rank %}，机构规格为{{ unit.rank }}{% endif %}"
            "{% if unit.founded %}，成立于{{ unit.founded }}{% endif %}。"
            "{% if unit.departments %}内设{{ unit.departments|join('、') }}{{ unit.departments|length|cn_count }}个机构"
            "{% if unit.subordinates %}，{% else %}。{% endif %}{% endif %}"
            "{% if unit.subordinates %}下属{{ unit.subordinates|join('、') }}"
            "{{ unit.subordinates|length|cn_count }}个单位。{% endif %}"
            "核定编制{{ staff.quota }}人，年末实有{{ staff.actual }}人。")


def budget_paragraphs() -> list[str]:
    return [
        "{{ unit.year }}年度收入合计{{ income.total.total|wan }}万元，其中上年结转{{ income.total.carryover|wan }}万元，"
        "本年收入{{ income.total.current_year|wan }}万元。"
        + whole_and_parts("支出合计", "expenditure.total.total", "expenditure.kinds", "占") + "。",
        "年初预算{{ budget.initial|wan }}万元，全年预算{{ budget.final|wan }}万元，全年执行{{ budget.executed|wan }}万元，"
        "预算执行率{{ budget.execution_rate|pct }}。{% if budget.explanation %}" + ended("budget.explanation")
        + "{% endif %}{% if projects.rows %}全年安排{{ projects.rows|length|cn_count }}"
        "个项目，项目预算{{ projects.total_budget|wan }}万元，执行{{ projects.total_spent|wan }}万元，项目预算执行率"
        "{{ projects.execution_rate|pct }}。{% else %}本年度未安排项目支出。{% endif %}“三公”经费支出{{ three_public.actual_total|wan }}万元，控制率"
        "{{ three_public.control_rate|pct }}。",
    ]


def score_sentence() -> str:
    return ("经自评，{% for g in score.levels if g.weight %}{{ g.name }}得{{ g.points|points }}分（满分{{ g.weight|score }}分）"
            "{% if not loop.last %}，{% endif %}{% endfor %}，综合得分{{ score.total|points }}分"
            "{% if score.grade %}，评价等次为“{{ score.grade }}”{% endif %}。"
            "{% if score.capped %}{{ score.cap_reason }}。{% endif %}")


def report(path: Path) -> None:
    doc = new_document()
    add_label(doc)
    add_title(doc, "{{ unit.name|title_break }}\n{{ unit.year }}年度部门整体支出绩效自评报告")

    add_heading1(doc, "一、部门基本情况")
    add_body(doc, overview_sentence())
    # 部门职能 belongs to the 部门基本情况 of the self-evaluation report (财预〔2020〕10号 outline)
    add_body(doc, "{%p if functions %}")
    add_lead(doc, "主要职能：")
    add_body(doc, "{%p endif %}")
    add_body(doc, "{%p for f in functions %}")
    add_body(doc, "{{ loop.index }}." + ended("f"))
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p for s in narrative.overview %}")
    add_body(doc, "{%p for para in s.paragraphs %}")
    add_body(doc, "{{ para }}")
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p endfor %}")

    add_heading1(doc, "二、绩效目标及完成情况")
    add_body(doc, "{%p for g in goals %}")
    add_body(doc, "{{ loop.index }}.{{ g.name }}。{% if g.content %}年度目标：" + ended("g.content")
             + "{% endif %}完成情况：" + ended("g.result"))
    add_body(doc, "{%p endfor %}")

    add_heading1(doc, "三、预算执行情况")
    for text in budget_paragraphs():
        add_body(doc, text)

    add_heading1(doc, "四、绩效指标完成情况")
    add_body(doc, "本单位设置整体绩效指标{{ indicators|length|cn_count }}个，按自评表逐项计分。" + score_sentence())
    # Only rows that lost points need a sentence; the 自评表 lists every row.
    add_body(doc, "{%p set short = score.rows|selectattr('deduction_reason')|list %}")
    add_body(doc, "{%p if short %}")
    add_lead(doc, "未得满分的指标：")
    add_body(doc, "{%p endif %}")
    add_body(doc, "{%p for r in short %}")
    add_body(doc, "{{ loop.index }}.{{ r.name }}（分值{{ r.weight|score }}分，得{{ r.points|points }}分）："
                  + ended("r.deduction_reason"))
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p if narrative.achievements %}")
    add_lead(doc, "主要工作成效：")
    add_body(doc, "{%p endif %}")
    numbered_sections(doc, "narrative.achievements")
    add_body(doc, "{%p for s in narrative.conclusion %}")
    add_body(doc, "{%p for para in s.paragraphs %}")
    add_body(doc, "{{ para }}")
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p endfor %}")

    add_heading1(doc, "五、存在的问题及改进措施")
    add_heading2(doc, "（一）存在的问题")
    numbered_sections(doc, "narrative.problems")
    add_heading2(doc, "（二）改进措施")
    numbered_sections(doc, "narrative.measures")
    add_heading1(doc, "六、其他需要说明的情况")  # the 10号 outline's last part: "无。" when there is nothing
    add_body(doc, "{%p for s in narrative.other %}")
    add_body(doc, "{%p for para in s.paragraphs %}")
    add_body(doc, "{{ para }}")
    add_body(doc, "{%p endfor %}")
    add_body(doc, "{%p else %}")
    add_body(doc, "无。")
    add_body(doc, "{%p endfor %}")
    # 附件: the other documents of this build, one per line aligned after "附件：", a blank line above
    # (GB/T 9704 7.3.3)
    add_body(doc, "")
    add_body(doc, "{%p for d in format.documents|rejectattr('id', 'equalto', document.id) %}")
    attachment = add_body(doc, "{{ '附件：' if loop.first else '　　　' }}{{ loop.index }}.{{ d.name }}"
                               "{% if d.count > 1 %}（{{ d.count }}份，每个项目一份）{% endif %}")
    attachment.paragraph_format.keep_with_next = True  # the list stays whole, and with the 落款 under it
    add_body(doc, "{%p endfor %}")
    add_signoff(doc)
    add_body(doc, "（联系人：{{ unit.contact }}，联系电话：{{ unit.phone }}）")  # 附注 (GB/T 9704): who to ask
    doc.save(path)


# --- 基础数据表 ------------------------------------------------------------------------------------

# The figures the self-evaluation rests on, by category, each with how it is derived (in a reviewer's
# words). A row is (item, value, basis); a LOOP row prints one row per non-zero part of a declared whole
# (the model's income.sources, expenditure.kinds …), so every part of a total is listed and they add up.
LOOP = "loop"
BaseRow = tuple[str, str, str] | tuple[str, str, str, str, str]

BASE_ROWS: list[tuple[str, list[BaseRow]]] = [
    ("人员", [
        ("编制数（人）", "{{ staff.quota }}", ""),
        ("年末实有人数（人）", "{{ staff.actual }}", ""),
        ("在职人员控制率", "{{ staff.control_rate|pct }}", "年末实有人数÷编制数×100%"),
    ]),
    ("收入", [
        ("收入合计（万元）", "{{ income.total.total|wan }}", "上年结转＋本年各项收入"),
        (LOOP, "c in income.sources if c.amount", "{{ c.label }}（万元）", "{{ c.amount|wan }}",
         "占收入合计{{ c.share|pct }}"),
        ("上年收入合计（万元）", "{{ budget.last_year_income|wan }}", ""),
        ("收入同比变动率", "{{ budget.income_change_rate|pct }}", "（收入合计－上年收入合计）÷上年收入合计×100%"),
    ]),
    ("支出", [
        ("支出合计（万元）", "{{ expenditure.total.total|wan }}", "以下各项支出之和"),
        (LOOP, "c in expenditure.kinds if c.amount", "{{ c.label }}（万元）", "{{ c.amount|wan }}",
         "占支出合计{{ c.share|pct }}"),
        (LOOP, "c in expenditure.total.basic_uses if c.amount", "{{ '基本支出中：' if loop.first else '' }}{{ c.label }}（万元）",
         "{{ c.amount|wan }}", "占基本支出{{ c.share|pct }}"),
        ("上年支出合计（万元）", "{{ budget.last_year_expenditure|wan }}", ""),
        ("支出同比变动率", "{{ budget.expenditure_change_rate|pct }}", "（支出合计－上年支出合计）÷上年支出合计×100%"),
    ]),
    ("预算执行", [
        ("年初预算数（万元）", "{{ budget.initial|wan }}", ""),
        ("预算调整数（万元）", "{{ budget.adjustment|wan }}", "年中追加为正、调减为负"),
        ("全年预算数（万元）", "{{ budget.final|wan }}", "年初预算数＋预算调整数"),
        ("全年执行数（万元）", "{{ budget.executed|wan }}", "等于支出合计"),
        ("预算执行率", "{{ budget.execution_rate|pct }}", "全年执行数÷全年预算数×100%"),
        ("预算调整率", "{{ budget.adjustment_rate|pct }}", "预算调整数的绝对值÷年初预算数×100%"),
        ("年末结转和结余（万元）", "{{ balance.year_end|wan }}", "收入合计－支出合计"),
    ]),
    ("项目", [
        ("项目个数（个）", "{{ projects.rows|length }}", ""),
        ("项目全年预算（万元）", "{{ projects.total_budget|wan }}", ""),
        ("项目执行数（万元）", "{{ projects.total_spent|wan }}", ""),
        ("项目预算执行率", "{{ projects.execution_rate|pct }}", "项目执行数÷项目全年预算×100%"),
        ("重点支出安排率", "{{ projects.key_share|pct }}", "重点项目执行数（{{ projects.key_spent|wan }}万元）÷项目执行数×100%"),
    ]),
    ("“三公”经费", [
        ("预算数（万元）", "{{ three_public.budget_total|wan }}", ""),
        ("决算数（万元）", "{{ three_public.actual_total|wan }}", ""),
        ("上年决算数（万元）", "{{ three_public.last_year_total|wan }}", ""),
        ("控制率", "{{ three_public.control_rate|pct }}", "决算数÷预算数×100%"),
        ("变动率", "{{ three_public.change_rate|pct }}", "（决算数－上年决算数）÷上年决算数×100%"),
    ]),
    ("资产", [
        ("资产总额（万元）", "{{ assets.total|wan }}", ""),
        ("负债总额（万元）", "{{ assets.liabilities|wan }}", ""),
        ("净资产（万元）", "{{ assets.net|wan }}", "资产总额－负债总额"),
        ("固定资产合计（万元）", "{{ assets.fixed_total|wan }}", "在用＋出租＋其他固定资产"),
        (LOOP, "c in assets.fixed_kinds if c.amount", "{{ '其中：' if loop.first else '' }}{{ c.label }}（万元）",
         "{{ c.amount|wan }}", "占固定资产合计{{ c.share|pct }}"),
        ("固定资产利用率", "{{ assets.fixed_utilization|pct }}", "在用固定资产÷固定资产合计×100%"),
    ]),
]


def _base_table_rows() -> int:
    return 1 + sum(3 if row[0] == LOOP else 1 for _, rows in BASE_ROWS for row in rows)


def base_data(path: Path) -> None:
    doc = new_document(table_pt=10.5)
    add_label(doc)
    add_title(doc, "{{ unit.name|title_break(4) }}{{ unit.year }}年度\n部门整体支出绩效自评基础数据表")
    add_note(doc, "表1 主要数据")
    table = add_table(doc, _base_table_rows(), 4, col_widths_mm=[18, 56, 22, 60])  # 计算口径 on one line
    min_row_height(table, 6.5)
    for col, text in enumerate(["类别", "项目", "数值", "计算口径"]):
        set_cell(table, 0, col, text, bold=True)
    r = 1
    for category, rows in BASE_ROWS:
        first = r
        for row in rows:
            if row[0] == LOOP:
                _, loop, item, value, basis = row  # type: ignore[misc]
                row_tag(table, r, f"{{%tr for {loop} %}}")
                r += 1
            else:
                item, value, basis = row  # type: ignore[misc]
            # the category in every row, merged after rendering (|vmerge): a loop's rows join it too
            label = category.replace("“", "\\u201c").replace("”", "\\u201d")  # curly quotes would be read as Word's
            set_cell(table, r, 0, f"{{{{ '{label}'|vmerge }}}}", bold=True)
            set_cell(table, r, 1, item, align="left")
            set_cell(table, r, 2, value, align="right")
            set_cell(table, r, 3, basis, align="left")
            r += 1
            if row[0] == LOOP:
                row_tag(table, r, "{%tr endfor %}")
                r += 1
        keep_with_next(table, range(first, r - 1))  # a category stays on one page: no label-less rows
    # a rate whose base is zero or not given cannot be computed: the table shows —, and says why once
    add_paragraph(doc, "注：上年数未填写或为零、分母为零时，相应比率不计算，以“—”表示。", TABLE_TEXT, align="left")
    add_body(doc, "")
    add_note(doc, "表2 项目预算执行情况（万元）")
    projects = projects_table(doc)
    min_row_height(projects, 6.5)
    keep_with_next(projects)  # a short table stays whole with its 合计 and the signature under it
    signature_line(doc, SIGNATURE, projects)
    doc.save(path)


# --- 项目支出绩效自评表（每个项目一份） ------------------------------------------------------------

# The 财预〔2020〕10号 layout (portrait, like the official form), columns as the 部门整体 table: the
# 项目资金 block's 分值/得分 and each indicator row's 分值/得分 come from the project's own result
# (project_score, project_scoring.yaml).
# The funds block: label | row name (2 columns) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分;
# the indicators: label | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
# (156 mm each): the headers on one line, 三级指标 and the reasons wide enough not to stack word by word.
PROJECT_WIDTHS = [17, 17, 17, 18.5, 18.5, 18.5, 9, 18, 22.5]
PROJECT_INDICATOR_WIDTHS = [10, 15, 15, 24.5, 17.75, 17.75, 9, 15, 32]  # 绩效/指标 two characters a line


def project_table(path: Path) -> None:
    doc = new_document(table_pt=9)  # 小五: nine columns on a portrait page, as the printed forms
    add_label(doc)
    add_title(doc, "项目支出绩效自评表\n（{{ unit.year }}年度）")
    table, indicators = form_tables(doc, 9, PROJECT_WIDTHS, PROJECT_INDICATOR_WIDTHS)

    set_cell(table, 0, 0, "项目名称", bold=True)
    span(table, 0, 1, 8, "{{ project.name }}", align="left")
    set_cell(table, 1, 0, "主管部门", bold=True)
    # A first-level unit is itself the 主管部门 of its projects (its own supervisor is the government);
    # a second-level unit names the department above it.
    span(table, 1, 1, 3, "{{ unit.name if '一级' in unit.budget_level or not unit.supervisor else unit.supervisor }}",
         align="left")
    set_cell(table, 1, 4, "实施单位", bold=True)
    span(table, 1, 5, 8, "{{ unit.name }}", align="left")

    set_cell(table, 2, 0, "项目资金（万元）", bold=True)
    merge(table, 2, 0, 6, 0)
    span(table, 2, 1, 2, "")
    for col, label in enumerate(["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"], start=3):
        set_cell(table, 2, col, label, bold=True)
    span(table, 3, 1, 2, "年度资金总额", align="left")
    for col, text in enumerate(["{{ project.initial|wan }}", "{{ project.budget|wan }}", "{{ project.executed|wan }}",
                                execution_cell("weight", "project_score"), "{{ project.execution_rate|pct }}",
                                execution_cell("points", "project_score")], start=3):
        set_cell(table, 3, col, text)
    # 财预〔2020〕10号: the sources' amounts only (分值/得分 —), from the project's split (本年财政拨款 is
    # what remains after 上年结转 and 其他资金, so a project without a split is all 本年财政拨款).
    for row, label in enumerate(["其中：当年财政拨款", "上年结转资金", "其他资金"], start=4):
        span(table, row, 1, 2, label, align="left")
        for col, attr in enumerate(["initial", "final", "executed"], start=3):
            set_cell(table, row, col, f"{{{{ project.funds[{row - 4}].{attr}|wan }}}}")
        set_cell(table, row, 6, "—")
        set_cell(table, row, 7, f"{{{{ project.funds[{row - 4}].execution_rate|pct }}}}")
        set_cell(table, row, 8, "—")

    set_cell(table, 7, 0, "年度总体目标", bold=True)
    merge(table, 7, 0, 8, 0)
    span(table, 7, 1, 4, "预期目标", bold=True)
    span(table, 7, 5, 8, "实际完成情况", bold=True)
    span(table, 8, 1, 4, "{{ project.expected or '' }}", align="left")
    span(table, 8, 5, 8, "{{ project.achieved or '' }}", align="left")
    table.rows[8].height = Mm(16)

    # The indicator rows as scored: grouped by the scoring's 一级指标 (成本 within 产出), each with its
    # 分值, 得分 and the reason for points lost (the engine's, then the clerk's 偏差原因).
    note = scored_indicator_rows(indicators, "project_score")
    set_cell(indicators, note, 0, "说明", bold=True)
    funds = f"{{% for g in project_score.levels if g.name == '{EXECUTION}' %}}{{{{ g.groups[0].rows[0].calculation }}}}{{% endfor %}}"
    span(indicators, note, 1, 8, f"项目资金：{funds}{{% if project.explanation %}}；{{{{ project.explanation }}}}{{% endif %}}。"
                          "绩效指标达到年度指标值得满分，未达到按完成比例计分。", align="left")
    signature_line(doc, SIGNATURE, indicators, rows=2)  # 总分 and 说明 with it
    doc.save(path)


DOCUMENTS = {
    "部门整体支出绩效自评表.docx": unit_table,
    "自评报告.docx": report,
    "基础数据表.docx": base_data,
    "项目支出绩效自评表.docx": project_table,
}
