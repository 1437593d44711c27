"""部门决算 tables written from a unit's figures, in the published layouts, for the import tests.

Each writer lays one table out on a new sheet as the 决算 software or a 公开 set prints it: a title
row merged across the table, a tag row (公开03表 / 财决04表), a 编制单位 | 单位 row, a two- to
four-row merged header, a 栏次 row where the form has one, then the data; amounts in 万元 (two
decimals) or in 元 (× 10⁴, exact). Layouts follow docs/import.md (the evidence for each is there).

:func:`split_units` turns a workbook's values (``workbook.example.EXAMPLE``, ``units.UNITS``) into
one :class:`Unit` per 机构 (编制单位), dividing the 功能分类 lines between them so that each unit's
lines add up to its own 支出合计 and each line's parts to the line (north-west corner rule).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal as D
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

ZERO = D(0)
YUAN = D(10000)
CLASS_CODES = {"一般公共服务支出": "201", "教育支出": "205", "社会保障和就业支出": "208", "卫生健康支出": "210",
               "农林水支出": "213", "住房保障支出": "221"}
INCOME_ROWS = (("一、一般公共预算财政拨款收入", "general_budget"), ("二、政府性基金预算财政拨款收入", "gov_fund"),
               ("三、国有资本经营预算财政拨款收入", "state_capital"), ("四、上级补助收入", "upper_grant"),
               ("五、事业收入", "business"), ("六、经营收入", "operating"), ("七、附属单位上缴收入", "affiliated"),
               ("八、其他收入", "other"))
SPENDING_COLUMNS = (("基本支出", "basic"), ("项目支出", "project"), ("上缴上级支出", "to_upper"), ("经营支出", "operating"),
                    ("对附属单位补助支出", "to_affiliated"))
THREE_PUBLIC = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")


def amount(value: Any) -> D:
    return ZERO if value is None else D(value)


@dataclass
class Subject:
    code: str
    category: str
    section: str
    item: str
    actual: D
    budget: D


@dataclass
class Unit:
    name: str
    income: dict[str, Any]
    spending: dict[str, Any]
    subjects: list[Subject] = field(default_factory=list)
    three_public: list[dict[str, Any]] | None = None
    assets: dict[str, Any] | None = None
    budget: tuple[D, D] | None = None  # 年初预算数, 全年预算数 of 本年支出合计

    @property
    def current_income(self) -> D:
        return sum((amount(self.income.get(k)) for _, k in INCOME_ROWS), ZERO)

    @property
    def total_spending(self) -> D:
        return sum((amount(self.spending.get(k)) for _, k in SPENDING_COLUMNS), ZERO)


def _codes(lines: list[dict[str, Any]]) -> list[str]:
    sections: dict[tuple[str, str], str] = {}
    items: dict[tuple[str, str, str], str] = {}
    codes = []
    for line in lines:
        cls = CLASS_CODES[line["category"]]
        sec = sections.setdefault((line["category"], line["section"]),
                                  f"{sum(1 for c, _ in sections if c == line['category']) + 1:02d}")
        key = (line["category"], line["section"], line["item"])
        itm = items.setdefault(key, f"{sum(1 for c, s, _ in items if (c, s) == key[:2]) + 1:02d}")
        codes.append(cls + sec + itm)
    return codes


def split_units(values: dict[str, Any], whole_unit: str) -> list[Unit]:
    """One Unit per 机构 row (the first named ``whole_unit``: the department's own tables); the
    unit-level sheets (三公经费, 资产, 预算) go with the first."""
    units = []
    for n, (income, spending) in enumerate(zip(values["income"], values["expenditure"], strict=True)):
        units.append(Unit(whole_unit if n == 0 else income["org"], income, spending))
    first = units[0]
    first.three_public = values["three_public"]
    first.assets = values["assets"]
    budget = values["budget"]
    first.budget = (budget["initial"], budget["initial"] + budget["adjustment"])
    lines = values["by_function"]
    codes = _codes(lines)
    left = [u.total_spending for u in units]
    k = 0
    for line, code in zip(lines, codes, strict=True):
        rest, budget_left = D(line["actual"]), amount(line["budget"])
        while rest > 0:
            while left[k] == 0:
                k += 1
            part = min(rest, left[k])
            units[k].subjects.append(Subject(code, line["category"], line["section"], line["item"], part, budget_left))
            budget_left = ZERO
            rest -= part
            left[k] -= part
    return units


# ---- writing ------------------------------------------------------------------------------------


def _money(value: D, yuan: bool) -> D | float:
    return value * YUAN if yuan else value


def _unit_text(yuan: bool, prefix: str = "金额单位") -> str:
    return f"{prefix}：{'元' if yuan else '万元'}"


def _head(ws: Worksheet, title: str, tag: str, unit: str, width: int, yuan: bool, one_cell: bool = False) -> int:
    """Title (merged), tag, 编制单位 | 单位; returns the next row."""
    ws.cell(1, 1, title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(2, width, tag)
    if one_cell:
        ws.cell(3, 1, f"编制单位：{unit}          {_unit_text(yuan, '单位')}")
    else:
        ws.cell(3, 1, f"编制单位：{unit}")
        ws.cell(3, width, _unit_text(yuan))
    return 4


def total_table(ws: Worksheet, unit: Unit, yuan: bool = False, budget_columns: bool = False) -> None:
    """收入支出决算总表: 收入 (项目|行次|金额) beside 支出 (项目|行次|金额); with ``budget_columns`` each
    side has 年初预算数|全年预算数|决算数."""
    measures = ["年初预算数", "全年预算数", "决算数"] if budget_columns else ["金额"]
    side = 2 + len(measures)
    width = 2 * side
    tag = "财决01表" if yuan else "公开01表"
    row = _head(ws, "收入支出决算总表", tag, unit.name, width, yuan, one_cell=yuan)
    ws.cell(row, 1, "收入")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=side)
    ws.cell(row, side + 1, "支出")
    ws.merge_cells(start_row=row, start_column=side + 1, end_row=row, end_column=width)
    for base in (0, side):
        for i, text in enumerate(["项目", "行次", *measures]):
            ws.cell(row + 1, base + 1 + i, text)
    ws.cell(row + 2, 1, "栏次")
    ws.cell(row + 2, side + 1, "栏次")
    for i in range(len(measures)):
        ws.cell(row + 2, 3 + i, i + 1)
        ws.cell(row + 2, side + 3 + i, len(measures) + i + 1)
    r = row + 3
    income = [(text, amount(unit.income.get(key))) for text, key in INCOME_ROWS]
    classes: dict[str, D] = {}
    for s in unit.subjects:
        classes[s.category] = classes.get(s.category, ZERO) + s.actual
    spending = [(f"{'一二三四五六七八九'[i]}、{name}", value) for i, (name, value) in enumerate(classes.items())]
    income += [("", None)] * (len(spending) - len(income))
    spending += [("", None)] * (len(income) - len(spending))
    initial, final = unit.budget or (ZERO, ZERO)
    carry = amount(unit.income["carryover"])
    year_end = carry + unit.current_income - unit.total_spending
    tail_in = [("本年收入合计", unit.current_income), ("使用非财政拨款结余", ZERO), ("年初结转和结余", carry),
               ("总计", carry + unit.current_income)]
    tail_out = [("本年支出合计", unit.total_spending), ("结余分配", ZERO), ("年末结转和结余", year_end),
                ("总计", carry + unit.current_income)]
    for n, ((li, lv), (ri, rv)) in enumerate(zip(income + tail_in, spending + tail_out, strict=True)):
        for base, text, value in ((0, li, lv), (side, ri, rv)):
            if not text:
                continue
            ws.cell(r, base + 1, text)
            ws.cell(r, base + 2, n + 1 + (0 if base == 0 else 40))
            budgets = (initial, final) if text == "本年支出合计" else (None, None)
            cells = [*budgets, value] if budget_columns else [value]
            for i, v in enumerate(cells):
                if v is not None:
                    ws.cell(r, base + 3 + i, _money(v, yuan))
        r += 1


def _subject_rows(subjects: list[Subject]) -> list[tuple[str, str, D, D]]:
    """Class, 款 and 项 rows in code order, each with its total (决算数, 全年预算数)."""
    totals: dict[str, list[Any]] = {}
    for s in subjects:
        for code, name in ((s.code[:3], s.category), (s.code[:5], s.section), (s.code, s.item)):
            entry = totals.setdefault(code, [name, ZERO, ZERO])
            entry[1] += s.actual
            entry[2] += s.budget
    return [(code, name, actual, budget) for code, (name, actual, budget) in sorted(totals.items())]


def _coded_header(ws: Worksheet, row: int, columns: list[str], split: bool, header_above: str = "") -> int:
    """项目 (科目编码: 类|款|项, or one column | 科目名称) then ``columns``, each merged down; returns
    the first column of the amounts."""
    keys = 4 if split else 2
    depth = 3 if split else 2
    ws.cell(row, 1, "项目")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=keys)
    ws.cell(row + 1, 1, "科目编码")
    if split:
        ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=3)
        for i, level in enumerate("类款项"):
            ws.cell(row + 2, 1 + i, level)
    ws.cell(row + 1, keys, "科目名称")
    if split:
        ws.merge_cells(start_row=row + 1, start_column=keys, end_row=row + 2, end_column=keys)
    for i, text in enumerate(columns):
        ws.cell(row, keys + 1 + i, text)
        ws.merge_cells(start_row=row, start_column=keys + 1 + i, end_row=row + depth - 1, end_column=keys + 1 + i)
    ws.cell(row + depth, 1, "栏次")
    for i in range(len(columns)):
        ws.cell(row + depth, keys + 1 + i, i + 1)
    return keys + 1


def _coded_rows(ws: Worksheet, row: int, split: bool, rows: list[tuple[str, str, list[D | None]]],
                yuan: bool, first: int, repeat: bool = True) -> int:
    """``repeat``: 类 and 款 written on every row below them (else only the level that is new)."""
    for code, name, values in rows:
        if code == "合计":
            ws.cell(row, 1, "合计")
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=first - 1)
        elif split:
            ws.cell(row, 1, code[:3] if repeat or len(code) == 3 else None)
            ws.cell(row, 2, code[3:5] if len(code) >= 5 and (repeat or len(code) == 5) else None)
            ws.cell(row, 3, code[5:7] if len(code) == 7 else None)
            ws.cell(row, 4, name)
        else:
            ws.cell(row, 1, code)
            ws.cell(row, 2, name)
        for i, value in enumerate(values):
            if value is not None:
                ws.cell(row, first + i, _money(value, yuan))
        row += 1
    return row


def spending_table(ws: Worksheet, unit: Unit, yuan: bool = False, split: bool = True, budget: bool = False,
                   rows: slice | None = None, title: str = "支出决算表", repeat: bool = True) -> None:
    """支出决算表 (公开03 / 财决04): the 合计 row, then 功能分类 class, 款 and 项 rows; ``rows`` writes a part
    (a table continued on another sheet: the 合计 row only in the first part)."""
    columns = ["本年支出合计", *(t for t, _ in SPENDING_COLUMNS)] + (["全年预算数"] if budget else [])
    width = (4 if split else 2) + len(columns)
    start = _head(ws, title, "财决04表" if yuan else "公开03表", unit.name, width, yuan)
    first = _coded_header(ws, start, columns, split)
    data = [("合计", "", [unit.total_spending, *(amount(unit.spending.get(k)) for _, k in SPENDING_COLUMNS)]
             + ([sum((s.budget for s in unit.subjects), ZERO)] if budget else []))]
    data += [(code, name, [actual, None, None, None, None, None] + ([b] if budget else []))
             for code, name, actual, b in _subject_rows(unit.subjects)]
    chosen = data if rows is None else data[rows]
    _coded_rows(ws, start + (4 if split else 3), split, chosen, yuan, first, repeat)


def income_table(ws: Worksheet, unit: Unit, yuan: bool = False, split_fiscal: bool = False) -> None:
    """收入决算表 (公开02 / 财决03): 本年收入合计 | 财政拨款收入 (or its three kinds) | 上级补助收入 … ."""
    fiscal = [amount(unit.income.get(k)) for k in ("general_budget", "gov_fund", "state_capital")]
    others = [(text.split("、")[1], amount(unit.income.get(k))) for text, k in INCOME_ROWS[3:]]
    split = True
    keys = 4
    start = _head(ws, "收入决算表", "财决03表" if yuan else "公开02表", unit.name, keys + 9, yuan)
    ws.cell(start, 1, "项目")
    ws.merge_cells(start_row=start, start_column=1, end_row=start, end_column=keys)
    ws.cell(start + 1, 1, "科目编码")
    ws.merge_cells(start_row=start + 1, start_column=1, end_row=start + 1, end_column=3)
    for i, level in enumerate("类款项"):
        ws.cell(start + 2, 1 + i, level)
    ws.cell(start + 1, keys, "科目名称")
    ws.merge_cells(start_row=start + 1, start_column=keys, end_row=start + 2, end_column=keys)
    col = keys + 1
    values: list[D] = [unit.current_income]
    ws.cell(start, col, "本年收入合计")
    ws.merge_cells(start_row=start, start_column=col, end_row=start + 2, end_column=col)
    col += 1
    if split_fiscal:
        ws.cell(start, col, "财政拨款收入")
        ws.merge_cells(start_row=start, start_column=col, end_row=start, end_column=col + 3)
        for i, text in enumerate(("小计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")):
            ws.cell(start + 1, col + i, text)
            ws.merge_cells(start_row=start + 1, start_column=col + i, end_row=start + 2, end_column=col + i)
        values += [sum(fiscal, ZERO), *fiscal]
        col += 4
    else:
        ws.cell(start, col, "财政拨款收入")
        ws.merge_cells(start_row=start, start_column=col, end_row=start + 2, end_column=col)
        values.append(sum(fiscal, ZERO))
        col += 1
    for text, value in others:
        ws.cell(start, col, text)
        ws.merge_cells(start_row=start, start_column=col, end_row=start + 2, end_column=col)
        values.append(value)
        col += 1
    ws.cell(start + 3, 1, "合计")
    ws.merge_cells(start_row=start + 3, start_column=1, end_row=start + 3, end_column=keys)
    for i, value in enumerate(values):
        ws.cell(start + 3, keys + 1 + i, _money(value, yuan))
    assert split


def three_public_table(ws: Worksheet, items: list[dict[str, Any]], unit: str, yuan: bool = False,
                       wide: bool = True) -> None:
    """“三公”经费支出决算表: wide (预算数 | 决算数, each 合计 | 出国 | 用车 (小计 | 购置 | 运行) | 接待; one
    row of numbers) or tall (one row per item: 预算数 | 决算数 | 上年决算数)."""
    by = {i["item"]: i for i in items}

    def v(item: str, key: str) -> D:
        return amount(by[item][key])

    if wide:
        start = _head(ws, "一般公共预算财政拨款“三公”经费支出决算表", "公开07表", unit, 12, yuan)
        for g, group in enumerate(("预算数", "决算数")):
            base = 1 + 6 * g
            ws.cell(start, base, group)
            ws.merge_cells(start_row=start, start_column=base, end_row=start, end_column=base + 5)
            for offset, text in ((0, "合计"), (1, "因公出国（境）费"), (5, "公务接待费")):
                ws.cell(start + 1, base + offset, text)
                ws.merge_cells(start_row=start + 1, start_column=base + offset, end_row=start + 2,
                               end_column=base + offset)
            ws.cell(start + 1, base + 2, "公务用车购置及运行费")
            ws.merge_cells(start_row=start + 1, start_column=base + 2, end_row=start + 1, end_column=base + 4)
            for offset, text in ((2, "小计"), (3, "公务用车购置费"), (4, "公务用车运行费")):
                ws.cell(start + 2, base + offset, text)
            key = ("budget", "actual")[g]
            numbers = [sum((v(i, key) for i in THREE_PUBLIC), ZERO), v(THREE_PUBLIC[0], key),
                       v(THREE_PUBLIC[1], key) + v(THREE_PUBLIC[2], key), v(THREE_PUBLIC[1], key), v(THREE_PUBLIC[2], key),
                       v(THREE_PUBLIC[3], key)]
            for i, number in enumerate(numbers):
                ws.cell(start + 3, base + i, _money(number, yuan))
        return
    start = _head(ws, "“三公”经费支出决算表", "公开07表", unit, 4, yuan)
    for i, text in enumerate(("项目", "预算数", "决算数", "上年决算数")):
        ws.cell(start, 1 + i, text)
    rows = [("合计", *(sum((v(i, k) for i in THREE_PUBLIC), ZERO) for k in ("budget", "actual", "last_year"))),
            ("1.因公出国（境）费", *(v(THREE_PUBLIC[0], k) for k in ("budget", "actual", "last_year"))),
            ("2.公务用车购置及运行维护费", *(v(THREE_PUBLIC[1], k) + v(THREE_PUBLIC[2], k)
                                       for k in ("budget", "actual", "last_year"))),
            ("其中：（1）公务用车购置费", *(v(THREE_PUBLIC[1], k) for k in ("budget", "actual", "last_year"))),
            ("（2）公务用车运行维护费", *(v(THREE_PUBLIC[2], k) for k in ("budget", "actual", "last_year"))),
            ("3.公务接待费", *(v(THREE_PUBLIC[3], k) for k in ("budget", "actual", "last_year"))),
            ("公务用车保有量（辆）", 3, 3, None)]
    for n, (text, *numbers) in enumerate(rows):
        ws.cell(start + 1 + n, 1, text)
        for i, number in enumerate(numbers):
            if number is not None:
                ws.cell(start + 1 + n, 2 + i, _money(number, yuan) if isinstance(number, D) else number)


def economy_table(ws: Worksheet, unit: Unit, project: bool = False, yuan: bool = True) -> None:
    """基本支出决算明细表 (财决05-1: 合计 | 人员经费 | 公用经费) or 项目支出决算明细表 (财决05-2: 合计), by 经济分类
    class and 款 rows."""
    p = "project_" if project else ""
    s = unit.spending
    classes = [("301", "工资福利支出", amount(s.get(f"{p}wages"))), ("302", "商品和服务支出", amount(s.get(f"{p}goods_services"))),
               ("303", "对个人和家庭的补助", amount(s.get(f"{p}household"))), ("310", "资本性支出", amount(s.get(f"{p}capital")))]
    columns = ["合计"] if project else ["合计", "人员经费", "公用经费"]
    title, tag = ("项目支出决算明细表", "财决05-2表") if project else ("基本支出决算明细表", "财决05-1表")
    start = _head(ws, title, tag, unit.name, 2 + len(columns), yuan, one_cell=True)
    ws.cell(start, 1, "科目编码")
    ws.cell(start, 2, "科目名称")
    for i, text in enumerate(columns):
        ws.cell(start, 3 + i, text)
    total = sum((a for _, _, a in classes), ZERO)
    rows: list[tuple[str, str, list[D]]] = [("", "合计", [total] + ([amount(s["personnel"]), amount(s["public"])]
                                                                  if not project else []))]
    for code, name, value in classes:
        personnel = code in ("301", "303")
        rows.append((code, name, [value] + ([value if personnel else ZERO, ZERO if personnel else value]
                                            if not project else [])))
        rows.append((code + "99", f"其他{name}", [value] + ([value if personnel else ZERO, ZERO if personnel else value]
                                                           if not project else [])))
    for n, (code, name, values) in enumerate(rows):
        ws.cell(start + 1 + n, 1, code or None)
        ws.cell(start + 1 + n, 2, name)
        for i, value in enumerate(values):
            ws.cell(start + 1 + n, 3 + i, _money(value, yuan))


def balance_table(ws: Worksheet, assets: dict[str, Any], unit: str, yuan: bool = True) -> None:
    """资产负债简表: 资产 (项目|行次|年初数|年末数) beside 负债 (项目|行次|年初数|年末数)."""
    start = _head(ws, "资产负债简表", "", unit, 8, yuan, one_cell=True)
    for base in (0, 4):
        for i, text in enumerate(("项目", "行次", "年初数", "年末数")):
            ws.cell(start, base + 1 + i, text)
    a = {k: amount(v) for k, v in assets.items()}
    left = [("一、流动资产合计", a["current"]), ("二、固定资产原值", a["fixed_original"]),
            ("减：累计折旧", a["fixed_original"] - a["fixed_net"]), ("三、固定资产净值", a["fixed_net"]),
            ("四、无形资产净值", a["intangible"]), ("资产总计", a["total"])]
    right = [("一、流动负债合计", a["liabilities"]), ("负债合计", a["liabilities"]), ("二、净资产合计", a["total"] - a["liabilities"]),
             ("", None), ("", None), ("负债和净资产总计", a["total"])]
    for n, ((lt, lv), (rt, rv)) in enumerate(zip(left, right, strict=True)):
        for base, text, value in ((0, lt, lv), (4, rt, rv)):
            if not text:
                continue
            ws.cell(start + 1 + n, base + 1, text)
            ws.cell(start + 1 + n, base + 2, n + 1 + base * 10)
            ws.cell(start + 1 + n, base + 3, _money(value * D("0.9"), yuan).quantize(D("0.01")))
            ws.cell(start + 1 + n, base + 4, _money(value, yuan))


def basic_fiscal_table(ws: Worksheet, unit: Unit, yuan: bool = False) -> None:
    """一般公共预算财政拨款基本支出决算表 (公开06): 人员经费 (编码|名称|决算数) beside 公用经费 (two groups),
    last row 人员经费合计 | 公用经费合计 (merged across the middle group)."""
    s = unit.spending
    start = _head(ws, "一般公共预算财政拨款基本支出决算表", "公开06表", unit.name, 9, yuan)
    ws.cell(start, 1, "人员经费")
    ws.merge_cells(start_row=start, start_column=1, end_row=start, end_column=3)
    ws.cell(start, 4, "公用经费")
    ws.merge_cells(start_row=start, start_column=4, end_row=start, end_column=9)
    for base in (0, 3, 6):
        for i, text in enumerate(("科目编码", "科目名称", "决算数")):
            ws.cell(start + 1, base + 1 + i, text)
    left = [("301", "工资福利支出", amount(s["wages"])), ("30101", "基本工资", amount(s["wages"])),
            ("303", "对个人和家庭的补助", amount(s["household"])), ("30305", "生活补助", amount(s["household"]))]
    middle = [("302", "商品和服务支出", amount(s["goods_services"])), ("30201", "办公费", amount(s["goods_services"]))]
    right = [("310", "资本性支出", amount(s["capital"])), ("31002", "办公设备购置", amount(s["capital"]))]
    r = start + 2
    for n in range(max(len(left), len(middle), len(right))):
        for base, column in ((0, left), (3, middle), (6, right)):
            if n < len(column):
                code, name, value = column[n]
                ws.cell(r + n, base + 1, code)
                ws.cell(r + n, base + 2, name)
                ws.cell(r + n, base + 3, _money(value, yuan))
    last = r + max(len(left), len(middle), len(right))
    ws.cell(last, 1, "人员经费合计")
    ws.merge_cells(start_row=last, start_column=1, end_row=last, end_column=2)
    ws.cell(last, 3, _money(amount(s["personnel"]), yuan))
    ws.cell(last, 4, "公用经费合计")
    ws.merge_cells(start_row=last, start_column=4, end_row=last, end_column=8)
    ws.cell(last, 9, _money(amount(s["public"]), yuan))


# ---- whole sets -----------------------------------------------------------------------------------

XLS_THREE_PUBLIC = "公开07-青山县医疗保障局.xls"  # tests/data/import: the example's 公开07 saved by LibreOffice as .xls


def _book(path: Any, *sheets: tuple[str, Any]) -> Any:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, write in sheets:
        write(wb.create_sheet(name))
    wb.save(path)
    return path


def export_medical(values: dict[str, Any], folder: Any, data: Any) -> list[Any]:
    """The example (青山县医疗保障局, two 机构) as three files and an .xls: the department's own 财决 tables
    (元: 01 with budget columns, 04 with one code column, 05-1, 05-2, 资产负债简表), its 公开 tables (万元: 01,
    02, 03 continued on a second sheet; 07 as .xls) and the 事务中心's (万元 01, 03; 元 05-1, 05-2)."""
    own, centre = split_units(values, "青山县医疗保障局")
    return [
        _book(folder / "青山县医疗保障局-财决.xlsx",
              ("Z01 收入支出决算总表(财决01表)", lambda ws: total_table(ws, own, yuan=True, budget_columns=True)),
              ("Z04 支出决算表(财决04表)", lambda ws: spending_table(ws, own, yuan=True, split=False, budget=True)),
              ("Z05_1 基本支出决算明细表(财决05-1表)", lambda ws: economy_table(ws, own)),
              ("Z05_2 项目支出决算明细表(财决05-2表)", lambda ws: economy_table(ws, own, project=True)),
              ("CS08 资产负债简表", lambda ws: balance_table(ws, own.assets or {}, own.name))),
        _book(folder / "青山县医疗保障局-公开.xlsx",
              ("表1", lambda ws: total_table(ws, own)),
              ("表2", lambda ws: income_table(ws, own)),
              ("表3", lambda ws: spending_table(ws, own, budget=True, rows=slice(0, 4))),
              ("表3(续)", lambda ws: spending_table(ws, own, budget=True, rows=slice(4, None), title="支出决算表（续）"))),
        data / XLS_THREE_PUBLIC,
        _book(folder / "青山县医疗保障事务中心.xlsx",
              ("公开01", lambda ws: total_table(ws, centre)),
              ("公开03", lambda ws: spending_table(ws, centre, budget=True, repeat=False)),
              ("基本支出", lambda ws: economy_table(ws, centre)),
              ("项目支出", lambda ws: economy_table(ws, centre, project=True))),
    ]


def export_agriculture(values: dict[str, Any], folder: Any) -> list[Any]:
    """青山县农业农村局 (four 机构): one file per 编制单位. The department's: 财决01 (元, budget columns), 财决03
    (元, 财政拨款收入 in its three kinds), 公开03, 公开06 (万元), the “三公”经费 table standing (with 上年决算数),
    资产负债简表 and 财决05-2 (元); each other 机构's: 公开01, 公开03, 公开06 (万元) and 财决05-2 (元)."""
    units = split_units(values, "青山县农业农村局")
    own = units[0]
    files = [_book(folder / f"{own.name}.xlsx",
                   ("Z01", lambda ws: total_table(ws, own, yuan=True, budget_columns=True)),
                   ("Z03", lambda ws: income_table(ws, own, yuan=True, split_fiscal=True)),
                   ("公开03", lambda ws: spending_table(ws, own, budget=True)),
                   ("公开06", lambda ws: basic_fiscal_table(ws, own)),
                   ("公开07", lambda ws: three_public_table(ws, own.three_public or [], own.name, wide=False)),
                   ("资产", lambda ws: balance_table(ws, own.assets or {}, own.name)),
                   ("Z05_2", lambda ws: economy_table(ws, own, project=True)))]
    for unit in units[1:]:
        files.append(_book(folder / f"{unit.name}.xlsx",
                           ("公开01", lambda ws, u=unit: total_table(ws, u)),
                           ("公开03", lambda ws, u=unit: spending_table(ws, u, budget=True, split=False)),
                           ("公开06", lambda ws, u=unit: basic_fiscal_table(ws, u)),
                           ("Z05_2", lambda ws, u=unit: economy_table(ws, u, project=True))))
    return files
