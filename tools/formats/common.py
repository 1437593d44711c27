"""Building blocks shared by the built-in formats' template generators (tables, loops, sentences)."""

from __future__ import annotations

from pathlib import Path

from reportgen.docstyle import (
    add_body,
    add_heading2,
    add_heading3,
    add_label,
    add_table,
    add_title,
    keep_with_next,
    merge,
    narrow_margins,
    new_document,
    set_cell,
)


def header_row(table, row: int, labels: list[str]) -> None:
    for col, label in enumerate(labels):
        set_cell(table, row, col, label, bold=True)


def loop_table(doc, headers: list[str], loop: str, cells: list[str], widths: list[float],
               total: list[str] | None = None, total_first: bool = False, align_first_left: bool = True,
               left_cols: tuple[int, ...] = ()):
    """A header row, then one row per item of ``loop`` (docxtpl {%tr %} rows), optional total row.
    ``left_cols``: columns of running text, aligned left (numbers and short labels stay centred)."""
    rows = 1 + 3 + (1 if total else 0)
    table = add_table(doc, rows, len(headers), col_widths_mm=widths)
    header_row(table, 0, headers)
    r = 1
    if total and total_first:
        for c, text in enumerate(total):
            set_cell(table, r, c, text, bold=(c == 0))
        r += 1
    set_cell(table, r, 0, f"{{%tr for {loop} %}}", align="left")
    merge(table, r, 0, r, len(headers) - 1)
    for c, text in enumerate(cells):
        left = (c == 0 and align_first_left) or c in left_cols
        set_cell(table, r + 1, c, text, align="left" if left else "center")
    set_cell(table, r + 2, 0, "{%tr endfor %}", align="left")
    merge(table, r + 2, 0, r + 2, len(headers) - 1)
    if total and not total_first:
        for c, text in enumerate(total):
            set_cell(table, r + 3, c, text, bold=(c == 0))
    return table


def paragraphs_loop(doc, items: str, text: str) -> None:
    add_body(doc, f"{{%p for item in {items} %}}")
    add_body(doc, text)
    add_body(doc, "{%p endfor %}")


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


def income_table(doc) -> None:
    labels = ["上年结转", "一般公共预算财政拨款", "政府性基金拨款", "纳入专户管理的非税收入", "其他收入"]
    keys = ["carryover", "general_budget", "gov_fund", "special_nontax", "other"]
    table = add_table(doc, 6, 7, header_rows=2, col_widths_mm=[30, 24, 20, 24, 20, 22, 16])
    set_cell(table, 0, 0, "机构名称", bold=True)
    set_cell(table, 0, 1, "收入合计", bold=True)
    set_cell(table, 0, 2, "其中：", bold=True)
    merge(table, 0, 2, 0, 6)
    merge(table, 0, 0, 1, 0)
    merge(table, 0, 1, 1, 1)
    header_row_cells = dict(enumerate(labels, start=2))
    for col, label in header_row_cells.items():
        set_cell(table, 1, col, label, bold=True)
    set_cell(table, 2, 0, "汇总", bold=True)
    set_cell(table, 2, 1, "{{ income.total.total|wan }}")
    for col, key in enumerate(keys, start=2):
        set_cell(table, 2, col, f"{{{{ income.total.{key}|wan }}}}")
    set_cell(table, 3, 0, "{%tr for r in income.rows %}", align="left")
    merge(table, 3, 0, 3, 6)
    set_cell(table, 4, 0, "{{ loop.index }}、{{ r.org }}", align="left")
    set_cell(table, 4, 1, "{{ r.total|wan }}")
    for col, key in enumerate(keys, start=2):
        set_cell(table, 4, col, f"{{{{ r.{key}|wan }}}}")
    set_cell(table, 5, 0, "{%tr endfor %}", align="left")
    merge(table, 5, 0, 5, 6)


def expenditure_table(doc) -> None:
    table = add_table(doc, 7, 8, header_rows=3, col_widths_mm=[24, 20, 20, 18, 18, 18, 19, 19])
    for col, label in ((0, "机构名称"), (1, "支出合计"), (5, "项目支出")):
        set_cell(table, 0, col, label, bold=True)
        merge(table, 0, col, 2, col)
    set_cell(table, 0, 2, "基本支出", bold=True)
    merge(table, 0, 2, 0, 4)
    set_cell(table, 1, 2, "合计", bold=True)
    merge(table, 1, 2, 2, 2)
    set_cell(table, 1, 3, "其中：", bold=True)
    merge(table, 1, 3, 1, 4)
    set_cell(table, 2, 3, "人员经费", bold=True)
    set_cell(table, 2, 4, "公用经费", bold=True)
    set_cell(table, 0, 6, "结余", bold=True)
    merge(table, 0, 6, 0, 7)
    set_cell(table, 1, 6, "当年结余", bold=True)
    merge(table, 1, 6, 2, 6)
    set_cell(table, 1, 7, "累计结余", bold=True)
    merge(table, 1, 7, 2, 7)
    set_cell(table, 3, 0, "汇总", bold=True)
    for col, expr in enumerate(["expenditure.total.total", "expenditure.total.basic", "expenditure.total.personnel",
                                "expenditure.total.public", "expenditure.total.project",
                                # 当年结余 as the yueyang seed has it: 收入合计（含上年结转）− 支出合计
                                "balance.year_end", "balance.year_end"], start=1):
        set_cell(table, 3, col, f"{{{{ {expr}|wan }}}}")
    set_cell(table, 4, 0, "{%tr for r in expenditure.rows %}", align="left")
    merge(table, 4, 0, 4, 7)
    set_cell(table, 5, 0, "{{ loop.index }}、{{ r.org }}", align="left")
    for col, expr in enumerate(["r.total", "r.basic", "r.personnel", "r.public", "r.project",
                                "org_balances[loop.index0].year_end", "org_balances[loop.index0].year_end"],
                               start=1):
        set_cell(table, 5, col, f"{{{{ {expr}|wan }}}}")
    set_cell(table, 6, 0, "{%tr endfor %}", align="left")
    merge(table, 6, 0, 6, 7)


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
    headers = ["资产总额", "负债总额", "净资产", "固定资产合计", "在用", "出租", "其他", "利用率"]
    table = add_table(doc, 2, len(headers), col_widths_mm=[20, 19, 20, 22, 20, 18, 18, 19])
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
        [47, 18, 18, 18, 17, 19, 19],
        total=["合计", "{{ projects.total_initial|wan }}", "{{ projects.total_adjustment|wan }}", "{{ projects.total_budget|wan }}",
               "{{ projects.total_spent|wan }}", "{{ projects.execution_rate|pct }}", ""])
    narrow_margins(table)
    return table


def indicators_table(doc) -> None:
    loop_table(
        doc, ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"], "i in indicators",
        ["{{ i.level1|vmerge }}", "{{ i.level2|vmerge }}", "{{ i.level3 }}", "{{ i.target_text }}",
         "{{ i.actual_text }}"],
        [22, 26, 48, 30, 30], align_first_left=False)


def goals_table(doc) -> None:
    loop_table(doc, ["序号", "年度目标", "预期目标", "实际完成"], "g in goals",
               ["{{ loop.index }}", "{{ g.name }}", "{{ g.content or '' }}", "{{ g.result }}"],
               [12, 34, 55, 55], align_first_left=False, left_cols=(2, 3))


def evaluators_table(doc):  # -> docx Table
    return loop_table(doc, ["姓名", "职务/职称", "单位", "签字"], "e in evaluators",
               ["{{ e.name }}", "{{ e.title }}", "{{ e.org }}", ""], [24, 40, 62, 30], align_first_left=False)


# --- scoring tables (评分表): shared by formats with a scoring system -----------------------------

def scoring_table(path: Path, title: str, reason_header: str = "扣分原因和其他说明",
                  show_calculation: bool = False) -> None:
    doc = new_document(landscape=True, table_pt=10.5)
    add_label(doc)
    add_title(doc, title)
    add_body(doc, "单位名称：{{ unit.name }}    评价年度：{{ unit.year }}年")
    # 原表（如岳阳“职责履行”六行）共用一格评分标准：空标准沿用上一行的文字，再由 vmerge 合并；
    # 每个二级指标的第一行重新开始，各组互不合并。
    add_body(doc, "{%p set ns = namespace(standard='') %}")
    headers = ["一级指标", "二级指标", "三级指标", "评分标准", "分值", "自评得分",
               "计算过程和评分依据" if show_calculation else reason_header]
    widths = [20, 24, 30, 80, 12, 14, 63]
    table = add_table(doc, 9, len(headers), col_widths_mm=widths)
    header_row(table, 0, headers)
    loops = ["g in score.levels", "sg in g.groups", "r in sg.rows"]
    for row, loop in enumerate(loops, start=1):
        set_cell(table, row, 0, f"{{%tr for {loop} %}}", align="left")
        merge(table, row, 0, row, len(headers) - 1)
    last = ("{{ r.calculation }}{% if r.deduction_reason %}\n扣分原因：{{ r.deduction_reason }}{% endif %}"
            if show_calculation else "{{ r.deduction_reason }}")
    cells = ["{{ (g.name ~ '\n（' ~ g.weight|score ~ '分）')|vmerge }}",
             "{{ (sg.name ~ '\n（' ~ sg.weight|score ~ '分）')|vmerge(g.name) }}",
             "{{ r.name }}",
             "{% if loop.first or r.standard %}{% set ns.standard = r.standard %}{% endif %}{{ ns.standard|vmerge }}",
             "{{ r.weight|score }}", "{{ r.points|score }}", last]
    for col, text in enumerate(cells):
        set_cell(table, 4, col, text, align="left" if col in (3, 6) else "center")
    # rows stay whole: a row is a few lines (a long shared 评分标准 is spread over its merged rows), and a
    # split one leaves a sliver of it on the next page
    for row in range(5, 8):
        set_cell(table, row, 0, "{%tr endfor %}", align="left")
        merge(table, row, 0, row, len(headers) - 1)
    set_cell(table, 8, 0, "总分", bold=True)
    merge(table, 8, 0, 8, 3)
    set_cell(table, 8, 4, "{{ score.total_weight|score }}", bold=True)
    set_cell(table, 8, 5, "{{ score.total|score }}", bold=True)
    set_cell(table, 8, 6, "等次：{{ score.grade }}{% if score.capped %}（{{ score.cap_reason }}）{% endif %}", bold=True)
    keep_with_next(table, [8])  # 总分 and the 评价人 line stay together
    add_body(doc, "评价人：{% for e in evaluators %}{{ e.name }}{% if not loop.last %}、{% endif %}{% endfor %}"
                  "    填报日期：{{ unit.fill_date|cn_date }}")
    doc.save(path)
