"""The 部门决算 tables reportgen reads, declared as data: how each is recognised and which of its
rows or columns feed which workbook field.

A table is recognised by its title (the longest declared title contained in a title cell or the
sheet name, so 财政拨款收入支出决算总表 is not taken for 收入支出决算总表) or, without a title, by its
tag (财决01, 公开03: numbering differs by year and province, so a title always wins). A rule names
its target by the model's declaration — the sheet's key and the field (``income.general_budget``),
never a label or a cell — and it is checked against ``model.report`` when loaded (:func:`target`).

Rules come in two forms. ``row``: the item is a row label (or a 经济分类 code) and the amount sits in
the column of ``measure`` (决算数, 年末数 …; a block with one amount column needs no header for it).
``column``: the item is a column header (its last part; a 小计 column stands for its parent) and
the amount is on the table's total row (合计, or the one data row of a table without labels).

A target beginning with ``=`` is a check, not a field: a declared sum (``=income.current_year``:
本年收入合计), the income of one 资金来源 (``=income.fund:本年财政拨款``: 财政拨款收入), or several
fixed rows of a column (``=three_public[*].actual``: the “三公”经费 合计). The official figure is
compared with the parts imported, never written. ``derive`` fills the one part of a computed sum
no table gives (预算调整数 = 全年预算数 − 年初预算数).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from reportgen.cells import fold
from reportgen.model.inputs import Cell, InputModel, KeyValue, Table, cell_of
from reportgen.model.relations import declared_sums
from reportgen.model.report import FUND_SOURCES, SHEET_MODELS

# ---- labels -------------------------------------------------------------------------------------

_QUOTES = re.compile("[\"'“”‘’「」『』]")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十百]+[、.．]|[(（][一二三四五六七八九十0-9]{1,3}[)）][、.．]?|[0-9]{1,2}[、.．)）](?![0-9])"
                      r"|其中[:：]?|减[:：]|加[:：]|[■△▲●★☆·])")


def label(text: object) -> str:
    """A row label or header as declarations name it: folded (full-width, spaces), quotes dropped,
    ordinals and 其中：/减：prefixes removed (``一、一般公共预算财政拨款收入`` → ``一般公共预算财政拨款收入``)."""
    if text is None:
        return ""
    key = _QUOTES.sub("", fold(str(text)))
    while (match := _ORDINAL.match(key)) and match.end() < len(key):
        key = key[match.end():]
    return key


# ---- measures: what an amount column holds --------------------------------------------------------

MEASURES: dict[str, tuple[str, ...]] = {
    # in order of preference: a block with several of these columns uses the first found
    "决算": ("决算数", "本年决算数", "决算", "金额", "本年数", "合计"),
    "年初预算": ("年初预算数", "年初预算"),
    "全年预算": ("全年预算数", "调整预算数", "调整后预算数", "全年预算"),
    "预算": ("预算数", "全年预算数", "调整预算数", "年初预算数"),
    "上年决算": ("上年决算数", "上年数", "上年决算"),
    "年末": ("年末数", "期末数", "期末余额", "年末余额", "本年末数", "年末"),
}
SUBTOTALS = ("小计", "合计")  # a column header naming its parent's total
TOTAL_ROWS = ("合计", "总计", "本年收入合计", "本年支出合计", "收入合计", "支出合计")
LABEL_HEADS = ("项目", "科目名称", "名称", "项目名称", "功能分类科目名称", "支出功能分类科目名称", "经济分类科目名称",
               "预算科目名称", "科目", "资产", "负债", "负债和净资产", "资产部类", "负债部类")
CODE_LEVELS = {"类": 3, "款": 5, "项": 7}  # 科目编码 columns: a 功能分类 code has 3, 5 or 7 digits
ROW_NUMBERS = ("行次", "栏次")

Scope = Literal["全部资金", "财政拨款", "一般公共预算财政拨款"]


@dataclass(frozen=True)
class Rule:
    """One figure of a table: ``items`` (labels, or 经济分类 codes, in order of preference) name the
    row (form ``row``) or the column (form ``column``); ``target`` the workbook field or check."""

    items: tuple[str, ...]
    target: str
    measure: str = "决算"
    form: Literal["row", "column"] = "row"
    add: bool = False  # the items add up (资本性支出 = 310 + 309)
    derive: bool = False  # a check of a computed sum whose one missing part is derived from it


@dataclass(frozen=True)
class Subjects:
    """Rows by 支出功能分类 code (类/款/项): the workbook's 功能分类 sheet. ``actual`` and ``budget``
    name the columns (全年预算数: the sheet's 预算数 is the year's whole budget, not 年初预算数)."""

    actual: tuple[str, ...]
    budget: tuple[str, ...] = ()
    fallback: bool = False  # used only for a unit without an all-funds table of subjects


@dataclass(frozen=True)
class TableDecl:
    key: str  # how messages and docs name the table
    titles: tuple[str, ...]
    tags: tuple[str, ...] = ()
    scope: Scope = "全部资金"
    rules: tuple[Rule, ...] = ()
    subjects: Subjects | None = None
    # 经济分类 tables: the sum its class rows (3-digit codes) make up; a class row with an amount and no
    # rule (债务利息, 其他支出) leaves that breakdown to the clerk (imported all or nothing)
    economy: str = ""
    # a table of one fund only: imported where its total equals this all-funds figure (then it is the whole)
    whole: str = ""
    unplaced: tuple[str, ...] = ()  # rows with no place in the workbook: an amount in them is reported
    ignore: tuple[str, ...] = ()  # rows known and not needed (regular expressions over the label)
    evidence: str = ""
    guessed: str = ""

    @property
    def imports(self) -> bool:
        return bool(self.rules or self.subjects)


def _items(*rows: tuple[tuple[str, ...], str], measure: str = "决算", form: Literal["row", "column"] = "row",
           add: bool = False) -> tuple[Rule, ...]:
    return tuple(Rule(items, target, measure, form, add) for items, target in rows)


_INCOME = (
    (("一般公共预算财政拨款收入", "一般公共预算财政拨款", "一般公共预算拨款收入"), "income.general_budget"),
    (("政府性基金预算财政拨款收入", "政府性基金预算财政拨款", "政府性基金预算拨款收入"), "income.gov_fund"),
    (("国有资本经营预算财政拨款收入", "国有资本经营预算财政拨款"), "income.state_capital"),
    (("上级补助收入",), "income.upper_grant"),
    (("事业收入",), "income.business"),
    (("经营收入", "事业单位经营收入"), "income.operating"),
    (("附属单位上缴收入",), "income.affiliated"),
    (("其他收入",), "income.other"),
)
_SPENDING = (
    (("基本支出",), "expenditure.basic"),
    (("项目支出",), "expenditure.project"),
    (("上缴上级支出",), "expenditure.to_upper"),
    (("经营支出",), "expenditure.operating"),
    (("对附属单位补助支出",), "expenditure.to_affiliated"),
)
_CURRENT_INCOME = ("本年收入合计", "本年收入", "收入合计")
_FISCAL_INCOME = ("财政拨款收入", "财政拨款")
_CURRENT_SPENDING = ("本年支出合计", "本年支出", "支出合计")


def _economy(prefix: str) -> tuple[Rule, ...]:
    """经济分类 class rows (by code, else by name) of 基本支出 (``prefix`` "") or 项目支出 ("project_")."""
    return (*_items((("301", "工资福利支出"), f"expenditure.{prefix}wages"),
                    (("302", "商品和服务支出"), f"expenditure.{prefix}goods_services"),
                    (("303", "对个人和家庭的补助"), f"expenditure.{prefix}household")),
            *_items((("310", "资本性支出"), f"expenditure.{prefix}capital"),
                    (("309", "资本性支出(基本建设)"), f"expenditure.{prefix}capital"), add=True))


_THREE_PUBLIC_ITEMS = (
    (("因公出国(境)费", "因公出国(境)费用", "因公出国境费"), "[因公出国（境）费]"),
    (("公务用车购置费",), "[公务用车购置费]"),
    (("公务用车运行维护费", "公务用车运行费"), "[公务用车运行维护费]"),
    (("公务接待费",), "[公务接待费]"),
)
_THREE_PUBLIC_CHECKS = (
    (("公务用车购置及运行维护费", "公务用车购置及运行费"), "[公务用车购置费+公务用车运行维护费]"),
    (("合计", "三公经费支出", "三公经费合计", "三公经费", "三公经费支出合计"), "[*]"),
)


def _three_public() -> tuple[Rule, ...]:
    rules = []
    for measure, column in (("预算", "budget"), ("决算", "actual"), ("上年决算", "last_year")):
        for form in ("row", "column"):
            rules += [Rule(items, f"three_public{rows}.{column}", measure, form)  # type: ignore[arg-type]
                      for items, rows in _THREE_PUBLIC_ITEMS]
            rules += [Rule(items, f"=three_public{rows}.{column}", measure, form)  # type: ignore[arg-type]
                      for items, rows in _THREE_PUBLIC_CHECKS]
    return tuple(rules)


_PUBLIC_NOTE = "公开表：各地公开的决算表（见下）"
_BALANCE_ROWS = (r"使用非财政拨款结余.*", "用事业基金弥补收支差额", "结余分配")

TABLES: tuple[TableDecl, ...] = (
    TableDecl(
        "收入支出决算总表", ("收入支出决算总表", "部门收支决算总表", "收支决算总表", "部门收入支出决算总表"), ("财决01", "公开01"),
        rules=(*_items(*_INCOME, (("年初结转和结余", "上年结转和结余", "年初结转结余", "上年结转结余", "上年结转"),
                                  "income.carryover"), *_SPENDING),
               *_items((_CURRENT_INCOME, "=income.current_year"), (_FISCAL_INCOME, "=income.fund:本年财政拨款"),
                       (_CURRENT_SPENDING, "=expenditure.total")),
               Rule(("财政专户管理资金收入", "纳入专户管理的非税收入", "财政专户管理资金"), "income.special_nontax"),
               Rule(_CURRENT_SPENDING, "budget.initial", "年初预算"),
               Rule(_CURRENT_SPENDING, "=budget.final", "全年预算", derive=True)),
        unplaced=_BALANCE_ROWS,
        ignore=(".*总计", "年末结转和结余", ".*支出", "栏次"),
        evidence="公开01表：南漳县招商服务中心 2019、黔南州中医医院 2018 公开的表（两栏：收入 项目|行次|金额，支出 项目|行次|金额）；"
                 "财决01表：部门决算软件导出的工作表名“Z01 收入支出决算总表(财决01表)”（shared/forms/README.md）",
        guessed="“年初预算数”“全年预算数/调整预算数”两列（导入预算表的年初预算数和预算调整数）、“财政专户管理资金收入”一行：未见实样，按名称猜测"),
    TableDecl(
        "收入决算表", ("收入决算表", "部门收入决算表"), ("财决03", "公开02"),
        rules=(*_items(*_INCOME, form="column"),
               *_items((_CURRENT_INCOME + ("合计",), "=income.current_year"), (_FISCAL_INCOME, "=income.fund:本年财政拨款"),
                       form="column")),
        evidence="公开02表：科目编码(类|款|项)|科目名称|本年收入合计|财政拨款收入|上级补助收入|事业收入|经营收入|附属单位上缴收入|其他收入"
                 "（各地公开表；GovBudgetChecker 等公开代码按此读取）",
        guessed="财决03表把“财政拨款收入”分为一般公共预算、政府性基金、国有资本经营三列：按列名读取，未见实样"),
    TableDecl(
        "支出决算表", ("支出决算表", "部门支出决算表"), ("财决04", "公开03"),
        rules=(*_items(*_SPENDING, form="column"),
               *_items((_CURRENT_SPENDING + ("合计",), "=expenditure.total"), form="column")),
        subjects=Subjects(actual=_CURRENT_SPENDING + ("合计", "决算数"), budget=("全年预算数", "调整预算数", "调整后预算数")),
        evidence="公开03表：科目编码(类|款|项)|科目名称|本年支出合计|基本支出|项目支出|上缴上级支出|经营支出|对附属单位补助支出，"
                 "合计行在前（公开代码 GovBudgetChecker 的测试样例；各地公开表）",
        guessed="“全年预算数/调整预算数”列（功能分类的预算数）：未见实样"),
    TableDecl(
        "财政拨款收入支出决算总表", ("财政拨款收入支出决算总表", "财政拨款收支决算总表"), ("公开04", "财决01-1"),
        scope="财政拨款",
        rules=_items(*_INCOME[:3]),
        ignore=(".*",),
        evidence="公开04表：收入 项目|行次|金额，支出 项目|行次|合计|一般公共预算财政拨款|政府性基金预算财政拨款|国有资本经营预算财政拨款",
        guessed="只用收入栏的三种财政拨款核对（与收入支出决算总表同一数字）"),
    TableDecl(
        "一般公共预算财政拨款支出决算表", ("一般公共预算财政拨款支出决算表", "一般公共预算支出决算表"), ("公开05",),
        scope="一般公共预算财政拨款",
        subjects=Subjects(actual=("本年支出", "本年支出合计", "合计", "决算数"), budget=("全年预算数", "调整预算数"),
                          fallback=True),
        evidence="公开05表：科目编码|科目名称|本年支出(小计|基本支出|项目支出)",
        guessed="只在没有支出决算表时用作功能分类（只含一般公共预算财政拨款支出，check 会提示小于支出合计）"),
    TableDecl(
        "一般公共预算财政拨款基本支出决算表", ("一般公共预算财政拨款基本支出决算表", "一般公共预算基本支出决算表", "基本支出决算表"),
        ("公开06",), scope="一般公共预算财政拨款",
        rules=(*_economy(""), *_items((("人员经费合计", "人员经费"), "expenditure.personnel"),
                                      (("公用经费合计", "公用经费"), "expenditure.public"))),
        economy="basic_economy", whole="expenditure.basic",
        ignore=("合计", "总计"),
        evidence="公开06表：人员经费(科目编码|科目名称|决算数) 与公用经费(两组 科目编码|科目名称|决算数) 并排，末行 人员经费合计|公用经费合计"
                 "（公开代码 GovBudgetChecker 的双栏样例；各地公开表）",
        guessed="只含一般公共预算财政拨款：仅当人员经费合计 + 公用经费合计等于同一单位全部资金的基本支出时导入；"
                "309 资本性支出（基本建设）计入资本性支出"),
    TableDecl(
        "“三公”经费支出决算表", ("一般公共预算财政拨款三公经费支出决算表", "财政拨款三公经费支出决算表", "三公经费支出决算表",
                            "一般公共预算三公经费支出决算表"), ("公开07",),
        scope="一般公共预算财政拨款", rules=_three_public(),
        ignore=(".*(批次|人次|辆|数量|个数).*", "栏次"),
        evidence="公开07表：预算数(合计|因公出国（境）费|公务用车购置及运行费(小计|购置费|运行费)|公务接待费) 与决算数 同样六列，一行数字"
                 "（公开代码 GovBudgetChecker 的 12 列样例）；竖排（每项一行，预算数|决算数两列）也见于各地公开表",
        guessed="工作簿“三公经费”表即决算公开的“三公”经费（一般公共预算财政拨款）；“上年决算数”列：未见实样"),
    TableDecl(
        "基本支出决算明细表", ("基本支出决算明细表",), ("财决05-1",),
        rules=(*_economy(""), *_items((("人员经费合计", "人员经费"), "expenditure.personnel"),
                                      (("公用经费合计", "公用经费"), "expenditure.public")),
               *_items((("人员经费",), "expenditure.personnel"), (("公用经费",), "expenditure.public"), form="column")),
        economy="basic_economy", ignore=("合计", "总计"),
        evidence="shared/forms/README.md：部门决算软件导出“Z05_1 基本支出决算明细表”（元）",
        guessed="版式：经济分类科目编码|科目名称|合计（或决算数）[|人员经费|公用经费]，按列名和科目编码读取，未见实样"),
    TableDecl(
        "一般公共预算财政拨款基本支出决算明细表", ("一般公共预算财政拨款基本支出决算明细表",), ("财决08-1",),
        scope="一般公共预算财政拨款",
        rules=(*_economy(""), *_items((("人员经费合计", "人员经费"), "expenditure.personnel"),
                                      (("公用经费合计", "公用经费"), "expenditure.public")),
               *_items((("人员经费",), "expenditure.personnel"), (("公用经费",), "expenditure.public"), form="column")),
        economy="basic_economy", whole="expenditure.basic", ignore=("合计", "总计"),
        evidence="公开代码（一个 RuoYi 报表程序）按工作表名“Z08_1 一般公共预算财政拨款基本支出决算明细表(财决08-”读取导出的财决表",
        guessed="版式同基本支出决算明细表；只含一般公共预算财政拨款，规则同公开06"),
    TableDecl(
        "项目支出决算明细表", ("项目支出决算明细表",), ("财决05-2",),
        rules=_economy("project_"), economy="project_economy", ignore=("合计", "总计"),
        evidence="shared/forms/README.md：部门决算软件导出“Z05_2 …项目支出…”（元）",
        guessed="版式同基本支出决算明细表，未见实样"),
    TableDecl(
        "资产负债简表", ("资产负债简表", "资产负债情况表", "资产负债表"),
        rules=_items((("资产总计", "资产合计", "资产总额"), "assets.total"),
                     (("负债合计", "负债总计", "负债总额"), "assets.liabilities"),
                     (("流动资产合计", "流动资产"), "assets.current"),
                     (("固定资产原值", "固定资产原价", "固定资产(原值)"), "assets.fixed_original"),
                     (("固定资产净值", "固定资产(净值)"), "assets.fixed_net"),
                     (("无形资产净值", "无形资产(净值)", "无形资产"), "assets.intangible"), measure="年末"),
        ignore=(".*",),
        evidence="shared/forms/README.md：资产负债简表（财决12/CS08）有流动资产、固定资产（原值/净值）、无形资产、负债；"
                 "上海市松江区 2021 年度决算公开的“资产负债情况表”",
        guessed="版式：项目|年初数|年末数（可左右两栏），按行名和“年末数/期末数”列名读取，未见实样"),
    # recognised, and nothing in them the workbook asks for
    TableDecl("政府性基金预算财政拨款收入支出决算表", ("政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款支出决算表"),
              ("公开08",), scope="财政拨款"),
    TableDecl("国有资本经营预算财政拨款支出决算表", ("国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表"),
              ("公开09",), scope="财政拨款"),
    TableDecl("财政拨款支出决算明细表", ("财政拨款支出决算明细表", "一般公共预算财政拨款支出决算明细表"), scope="财政拨款"),
    TableDecl("一般公共预算财政拨款收入支出决算表", ("一般公共预算财政拨款收入支出决算表", "财政拨款收入支出决算表"), ("财决07",),
              scope="财政拨款"),
    TableDecl("收入支出决算表", ("收入支出决算表",), ("财决02",)),
    TableDecl("支出决算明细表", ("支出决算明细表",), ("财决05",)),
    TableDecl("经营支出决算明细表", ("经营支出决算明细表",), ("财决05-3",)),
    TableDecl("机构运行信息表", ("机构运行信息表",), ("财决附03",)),
    # 中央部门的版本载有“三公”经费和机关运行经费（shared/forms/README.md），口径（全口径或财政拨款）未核实：不导入
    TableDecl("预算支出相关信息表", ("预算支出相关信息表",), ("财决附01",)),
    TableDecl("机关运行经费支出决算表", ("机关运行经费支出决算表", "机关运行经费支出表")),
    TableDecl("政府采购情况表", ("政府采购情况表", "政府采购支出表")),
)

# Fields the 决算 tables never give (or give only for one fund), and why: listed as 需手工填写.
MANUAL: dict[str, str] = {
    "assets.fixed_in_use": "资产负债简表不分在用、出租和其他固定资产",
    "assets.fixed_rented": "资产负债简表不分在用、出租和其他固定资产",
    "assets.fixed_other": "资产负债简表不分在用、出租和其他固定资产",
    "income.special_nontax": "决算表一般不单列纳入专户管理的非税收入（多计入事业收入）；没有的填 0",
    "budget.basic_initial": "决算表不分基本支出、项目支出的年初预算",
    "budget.basic_adjustment": "决算表不分基本支出、项目支出的预算调整",
    "budget.project_initial": "决算表不分基本支出、项目支出的年初预算",
    "budget.project_adjustment": "决算表不分基本支出、项目支出的预算调整",
    "budget.last_year_income": "上年数：用 init --from 从上年的填报表转入",
    "budget.last_year_expenditure": "上年数：用 init --from 从上年的填报表转入",
}


# ---- targets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A rule's target read against the model: the sheet's model, the field (or, for a check, the
    sum, ``fund:…`` or the fixed rows' column), the fixed rows (三公经费 items; ``*`` all)."""

    text: str
    model: type[InputModel]
    field: str
    rows: tuple[str, ...] = ()
    check: bool = False
    per_org: bool = False  # a field of each 机构's row (收入, 支出), not of the unit as a whole

    @property
    def sheet(self) -> str:
        return self.model.sheet.key  # type: ignore[attr-defined]

    @property
    def cell(self) -> Cell | None:
        """The field's declaration (label, kind …); None for a check's sum or 资金来源."""
        info = self.model.model_fields.get(self.field)
        return cell_of(info) if info is not None else None

    @property
    def field_label(self) -> str:
        """The clerk's name of the target field (a field target's: sums and 资金来源 have none)."""
        assert self.cell is not None, self.text
        return self.cell.label


_TARGET = re.compile(r"(=?)(\w+)(?:\[([^\]]+)\])?\.([\w:\u4e00-\u9fff]+)")
PER_ORG = ("income", "expenditure")  # the sheets with one row per 机构 (编制单位)


@cache
def target(text: str) -> Target:
    """``text`` (``income.general_budget``, ``=three_public[*].actual``) against the declaration;
    ValueError for a sheet, field, sum or fixed row the model does not declare."""
    match = _TARGET.fullmatch(text)
    if match is None:
        raise ValueError(f"target {text!r}: not sheet.field")
    check, sheet, rows, name = match.groups()
    model = SHEET_MODELS.get(sheet)
    if model is None:
        raise ValueError(f"target {text!r}: no sheet {sheet!r}")
    fields = {n: cell for n, _, cell in model.input_fields()}
    placement = model.sheet  # type: ignore[attr-defined]
    row_items: tuple[str, ...] = ()
    if rows:
        if not isinstance(placement, Table) or not placement.fixed_rows:
            raise ValueError(f"target {text!r}: {sheet} has no fixed rows")
        row_items = tuple(placement.fixed_rows) if rows == "*" else tuple(rows.split("+"))
        if not set(row_items) <= set(placement.fixed_rows):
            raise ValueError(f"target {text!r}: rows not among {placement.fixed_rows}")
    if check:
        known = name in fields and len(row_items) != 1 or name in declared_sums(model) \
            or name.removeprefix("fund:") in FUND_SOURCES and name.startswith("fund:")
        if not known:
            raise ValueError(f"target {text!r}: no sum, fund or column {name!r}")
    elif name not in fields or (isinstance(placement, Table) and placement.fixed_rows and len(row_items) != 1):
        raise ValueError(f"target {text!r}: no field {name!r}, or not one fixed row")
    elif isinstance(placement, KeyValue) and row_items:
        raise ValueError(f"target {text!r}: a key-value sheet has no rows")
    return Target(text, model, name, row_items, bool(check), sheet in PER_ORG)


def all_targets() -> list[Target]:
    """Every rule's target, resolved (a test: each names the model's declaration)."""
    return [target(rule.target) for decl in TABLES for rule in decl.rules] + \
        [target(t) for decl in TABLES for t in ((decl.whole,) if decl.whole else ())] + \
        [target(t) for t in MANUAL]


# ---- recognising a title or tag -----------------------------------------------------------------

_TAG = re.compile(r"(财决|公开)(附)?\s*0*([0-9]{1,2})(?:\s*[-—－_]\s*0*([0-9]{1,2}))?\s*表?")


def tags_in(text: str) -> list[str]:
    """The tags in a cell or sheet name: ``(财决05-1表)`` → ``财决05-1``, ``公开1表`` → ``公开01``."""
    found = []
    for kind, extra, number, sub in _TAG.findall(fold(str(text))):
        found.append(f"{kind}{extra}{int(number):02d}" + (f"-{int(sub)}" if sub else ""))
    return found


@dataclass(frozen=True)
class _Titles:
    by_title: list[tuple[str, TableDecl]] = field(default_factory=list)  # longest first
    by_tag: dict[str, TableDecl] = field(default_factory=dict)


@cache
def _titles() -> _Titles:
    titles = sorted(((label(t), d) for d in TABLES for t in d.titles), key=lambda td: -len(td[0]))
    return _Titles(titles, {tag: d for d in TABLES for tag in d.tags})


MAX_TITLE_EXTRA = 40  # a title cell may carry a year, a unit's name and a tag around the title; not a paragraph


def title_in(text: object) -> TableDecl | None:
    """The table a title cell or sheet name names (the longest declared title it contains), or None."""
    key = label(text)
    if not key or key.startswith(("注", "说明", "备注")):
        return None
    for title, decl in _titles().by_title:
        if title in key and len(key) <= len(title) + MAX_TITLE_EXTRA:
            return decl
    return None


def tag_in(text: object) -> TableDecl | None:
    return next((d for t in tags_in(str(text or "")) if (d := _titles().by_tag.get(t)) is not None), None)
