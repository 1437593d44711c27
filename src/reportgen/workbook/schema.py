"""The workbook's shape, declared once.

``reportgen init`` writes the blank workbook from these declarations and the reader parses a filled
one with the same declarations, so the two can never drift. Sheets are found by name, fields by
their Chinese label and columns by their header text, never by fixed cell address: a clerk who
inserts a row or reorders columns does not break anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SCHEMA_VERSION = "1"

Kind = Literal["text", "longtext", "int", "money", "decimal", "date", "yesno", "choice", "list"]

YES_NO = ("是", "否")


@dataclass(frozen=True)
class Field:
    """One value the clerk types: a row of a key–value sheet or a column of a table sheet."""

    key: str
    label: str
    kind: Kind = "text"
    required: bool = True
    help: str = ""
    choices: tuple[str, ...] = ()
    allow_negative: bool = False
    width: int = 14  # column width in characters, for table sheets
    other_values_ok: bool = False  # dropdown only suggests (e.g. a questionnaire answer typed as points)
    bounds: tuple[int, int] | None = None  # plausible numbers, inclusive: anything outside is an error

    def __post_init__(self) -> None:
        if self.kind == "yesno" and not self.choices:
            object.__setattr__(self, "choices", YES_NO)


@dataclass(frozen=True)
class KeyValueSheet:
    """项目 | 填写值 | 填写说明 — one field per row."""

    name: str
    key: str
    fields: tuple[Field, ...]
    help: str = ""


@dataclass(frozen=True)
class TableSheet:
    """One header row, one record per row. ``fixed_rows`` pre-fills the first column's labels
    (e.g. the four 三公经费 items) and each must appear exactly once."""

    name: str
    key: str
    columns: tuple[Field, ...]
    help: str = ""
    min_rows: int = 0
    fixed_rows: tuple[str, ...] = ()
    blank_rows: int = 20  # rows formatted with validation in the blank workbook


Sheet = KeyValueSheet | TableSheet


@dataclass(frozen=True)
class WorkbookSchema:
    sheets: tuple[Sheet, ...]
    format_id: str = ""
    version: str = SCHEMA_VERSION

    def sheet(self, key: str) -> Sheet:
        return next(s for s in self.sheets if s.key == key)


META_SHEET = "系统信息"  # hidden sheet: format id and schema version
INSTRUCTIONS_SHEET = "填写说明"

_M = "money"

UNIT = KeyValueSheet(
    "基本信息",
    "unit",
    (
        Field("name", "单位名称", help="全称，如：某某县医疗保障局"),
        Field("year", "年度", "int", help="评价年度，如 2025", bounds=(2000, 2100)),
        Field("nature", "单位性质", "choice", choices=("行政单位", "参照公务员法管理事业单位", "事业单位")),
        Field("budget_level", "预算级次", "choice", choices=("一级预算单位", "二级预算单位", "三级预算单位")),
        Field("rank", "机构规格", required=False, help="如：正科级、正处级"),
        Field("founded", "成立时间", required=False, help="如：2019年3月"),
        Field("supervisor", "主管部门", required=False),
        Field("departments", "内设机构", "list", required=False, help="用顿号“、”分隔"),
        Field("subordinates", "下属单位", "list", required=False, help="用顿号“、”分隔；没有则留空"),
        Field("staff_quota", "人员编制数", "int", help="核定编制总数（人）"),
        Field("staff_actual", "年末实有人数", "int", help="年末在职实有人数（人）"),
        Field("head", "单位负责人"),
        Field("contact", "联系人"),
        Field("phone", "联系电话"),
        Field("preparer", "填报人"),
        Field("fill_date", "填报日期", "date", help="如 2026-03-31"),
    ),
    help="单位的基本情况。带 * 的为必填项。",
)

FUNCTIONS = TableSheet(
    "主要职能",
    "functions",
    (Field("text", "职能内容", "longtext", width=90, help="每行一条职能，按“三定”方案填写"),),
    help="每行填写一条主要职能。",
    min_rows=1,
)

GOALS = TableSheet(
    "年度目标",
    "goals",
    (
        Field("name", "目标名称", width=30, help="年度主要工作任务/整体绩效目标"),
        Field("content", "主要内容", "longtext", required=False, width=50),
        Field("result", "完成情况", "longtext", width=50),
    ),
    help="年度主要工作任务和整体绩效目标，每行一项。",
    min_rows=1,
)

INCOME = TableSheet(
    "收入",
    "income",
    (
        Field("org", "机构名称", width=24, help="局机关及各二级机构，每行一个"),
        Field("carryover", "上年结转", _M),
        Field("general_budget", "一般公共预算财政拨款", _M, width=20),
        Field("gov_fund", "政府性基金拨款", _M, width=16),
        Field("special_nontax", "纳入专户管理的非税收入", _M, width=22),
        Field("other", "其他收入", _M),
    ),
    help="金额单位：万元，保留两位小数。合计由程序计算，不需填写。没有的填 0。",
    min_rows=1,
    blank_rows=10,
)

EXPENDITURE = TableSheet(
    "支出",
    "expenditure",
    (
        Field("org", "机构名称", width=24, help="与“收入”表的机构一致"),
        Field("basic", "基本支出", _M, help="决算报表中的基本支出数"),
        Field("personnel", "人员经费", _M),
        Field("public", "公用经费", _M),
        Field("wages", "工资福利支出", _M),
        Field("goods_services", "商品和服务支出", _M, width=16),
        Field("household", "对个人和家庭的补助", _M, width=18),
        Field("capital", "资本性支出", _M),
        Field("project", "项目支出", _M),
    ),
    help=(
        "金额单位：万元。基本支出按决算报表填写；人员经费+公用经费、四项经济分类之和都应等于基本支出，"
        "程序会核对。支出合计、结余和各项占比由程序计算。"
    ),
    min_rows=1,
    blank_rows=10,
)

BUDGET = KeyValueSheet(
    "预算",
    "budget",
    (
        Field("initial", "年初预算数", _M, help="万元"),
        Field("adjustment", "预算调整数", _M, allow_negative=True, help="年中追加为正、追减为负（万元）"),
        Field("last_year_income", "上年收入合计", _M, required=False, help="用于计算同比变动（万元）"),
        Field("last_year_expenditure", "上年支出合计", _M, required=False, help="用于计算同比变动（万元）"),
    ),
    help="全年预算数 = 年初预算数 + 预算调整数；预算执行率 = 支出合计 / 全年预算数，均由程序计算。",
)

THREE_PUBLIC_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")

THREE_PUBLIC = TableSheet(
    "三公经费",
    "three_public",
    (
        Field("item", "项目", "choice", choices=THREE_PUBLIC_ITEMS, width=22),
        Field("budget", "预算数", _M),
        Field("actual", "决算数", _M),
        Field("last_year", "上年决算数", _M),
    ),
    help="金额单位：万元。四行项目已列好，只填数字；没有的填 0。",
    fixed_rows=THREE_PUBLIC_ITEMS,
    blank_rows=4,
)

ASSETS = KeyValueSheet(
    "资产",
    "assets",
    (
        Field("total", "资产总额", _M, help="年末数，万元"),
        Field("liabilities", "负债总额", _M),
        Field("fixed_in_use", "在用固定资产", _M),
        Field("fixed_rented", "出租固定资产", _M),
        Field("fixed_other", "其他固定资产", _M, help="闲置、待处置等"),
    ),
    help="金额单位：万元。固定资产合计、净资产、固定资产利用率由程序计算。",
)

PROJECTS = TableSheet(
    "项目",
    "projects",
    (
        Field("name", "项目名称", width=30),
        Field("initial", "年初预算", _M),
        Field("adjustment", "预算调整", _M, allow_negative=True),
        Field("executed", "执行数", _M),
        Field("fiscal", "其中财政拨款", _M, required=False, help="执行数中财政拨款部分，不填视为全部"),
        Field("is_key", "是否重点项目", "yesno"),
        Field("purpose", "资金用途", "longtext", required=False, width=40),
        Field("expected", "预期目标", "longtext", required=False, width=40),
        Field("achieved", "实际完成", "longtext", required=False, width=40),
        Field("explanation", "偏差说明", "longtext", required=False, width=30,
              help="执行数超预算或明显低于预算时必须说明原因"),
    ),
    help="金额单位：万元。全年预算、执行率由程序计算。",
)

PROJECT_INDICATORS = TableSheet(
    "项目指标",
    "project_indicators",
    (
        Field("project", "项目名称", width=30, help="必须与“项目”表中的名称一致"),
        Field("level1", "一级指标", width=14),
        Field("level2", "二级指标", width=14),
        Field("level3", "三级指标", width=24),
        Field("target", "预期值", width=20),
        Field("actual", "实际值", width=20),
    ),
    help="各项目的绩效指标（项目绩效目标完成情况表），每行一个指标。",
)

INDICATOR_NATURES = ("≥", "≤", "=", "定性")
ACHIEVEMENTS = ("达成", "部分达成", "未达成")

INDICATORS = TableSheet(
    "绩效指标",
    "indicators",
    (
        Field("level1", "一级指标", "choice", choices=("产出指标", "效益指标", "满意度指标", "成本指标"), width=12),
        Field("level2", "二级指标", width=14, help="如：数量指标、质量指标、时效指标、社会效益指标"),
        Field("level3", "三级指标", width=28),
        Field("nature", "指标性质", "choice", choices=INDICATOR_NATURES, width=10),
        Field("target", "年度指标值", width=14, help="定量指标填数字；定性指标填文字"),
        Field("unit", "度量单位", required=False, width=10),
        Field("actual", "实际完成值", width=14),
        Field("weight", "分值", "decimal", required=False, width=8, help="按自评表打分的格式需要"),
        Field("achievement", "完成程度", "choice", required=False, choices=ACHIEVEMENTS, width=10,
              help="定性指标填写"),
        Field("deviation_reason", "偏差原因及改进措施", "longtext", required=False, width=36),
    ),
    help="部门整体绩效目标的指标，每行一个三级指标。",
    min_rows=1,
)

NARRATIVE_PARTS = ("部门概况", "工作成效", "存在的问题", "改进措施", "其他需要说明的情况", "自评结论")

NARRATIVE = TableSheet(
    "文字说明",
    "narrative",
    (
        Field("part", "部分", "choice", choices=NARRATIVE_PARTS, width=16),
        Field("title", "小标题", required=False, width=30, help="可留空"),
        Field("body", "正文", "longtext", width=90, help="单元格内按 Alt+Enter 换行即分段"),
    ),
    help="报告中的文字部分，按出现顺序逐行填写；同一部分可有多行（每行一个小标题段落）。",
    min_rows=1,
    blank_rows=30,
)

EVALUATORS = TableSheet(
    "评价人员",
    "evaluators",
    (
        Field("name", "姓名", width=12),
        Field("title", "职务/职称", width=24),
        Field("org", "单位", width=30),
    ),
    help="参与自评的人员。",
)

CORE_SHEETS: tuple[Sheet, ...] = (
    UNIT, FUNCTIONS, GOALS, INCOME, EXPENDITURE, BUDGET, THREE_PUBLIC, ASSETS, PROJECTS,
    PROJECT_INDICATORS, INDICATORS, NARRATIVE, EVALUATORS,
)
