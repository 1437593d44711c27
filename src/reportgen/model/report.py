"""The validated report model and every figure derived from it.

Typed values come from the workbook; everything else (totals, shares, rates, balances) is a
computed field, so it is calculated in exactly one place and can never disagree with its parts.
Money is ``Decimal`` in 万元; rates are percent numbers (``Decimal('98.3377')`` = 98.3377 %),
unrounded: rounding happens in the template filters. A rate whose denominator is zero is ``None``.

Each field's ``description`` is its Chinese meaning; ``reportgen format vars`` lists them. A field
the clerk types carries its :class:`~reportgen.model.inputs.Cell` (label, help, kind) and a model
that is a workbook sheet its placement (``sheet``): the workbook is derived from these models.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import Field, computed_field

from reportgen.model.inputs import Cell, InputModel, KeyValue, Placement, Table

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def percent(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """part / whole × 100, or None when the whole is zero or missing."""
    if part is None or whole is None or whole == 0:
        return None
    return Decimal(part) * HUNDRED / Decimal(whole)


def change_rate(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """(current − previous) / previous × 100, or None when there is no previous figure."""
    if current is None or previous is None:
        return None
    return percent(current - previous, previous)


_Model = InputModel
_M = "money"
UNIT_NATURES = ("行政单位", "参照公务员法管理事业单位", "事业单位")
BUDGET_LEVELS = ("一级预算单位", "二级预算单位", "三级预算单位")
THREE_PUBLIC_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
INDICATOR_LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")
INDICATOR_NATURES = ("≥", "≤", "=", "定性")
ACHIEVEMENTS = ("达成", "部分达成", "未达成")
NARRATIVE_PARTS = ("部门概况", "工作成效", "存在的问题", "改进措施", "其他需要说明的情况", "自评结论")


def _d(description: str, **kw: Any) -> Any:
    return Field(description=description, **kw)


class Unit(_Model):
    sheet: ClassVar[Placement] = KeyValue("基本信息", "unit", help="单位的基本情况。带 * 的为必填项。")

    name: Annotated[str, Cell("单位名称", help="全称，如：某某县医疗保障局", carry="same")]
    year: Annotated[int, Cell("年度", help="评价年度，如 2025", bounds=(2000, 2100), meaning="评价年度", carry="next")]
    nature: Annotated[str, Cell("单位性质", choices=UNIT_NATURES, carry="same")]
    budget_level: Annotated[str, Cell("预算级次", choices=BUDGET_LEVELS, carry="same")]
    rank: Annotated[str | None, Cell("机构规格", help="如：正科级、正处级", carry="same")] = None
    founded: Annotated[str | None, Cell("成立时间", help="如：2019年3月", carry="same")] = None
    supervisor: Annotated[str | None, Cell("主管部门", carry="same")] = None
    departments: Annotated[list[str], Cell("内设机构", help="用顿号“、”分隔", meaning="内设机构（列表）", carry="same")] = \
        Field(default_factory=list)
    subordinates: Annotated[list[str], Cell("下属单位", help="用顿号“、”分隔；没有则留空",
                                            meaning="下属单位（列表）", carry="same")] = Field(default_factory=list)
    staff_quota: Annotated[int, Cell("人员编制数", help="核定编制总数（人）", carry="same")]
    staff_actual: Annotated[int, Cell("年末实有人数", help="年末在职实有人数（人）")]
    head: Annotated[str, Cell("单位负责人", carry="same")]
    contact: Annotated[str, Cell("联系人", carry="same")]
    phone: Annotated[str, Cell("联系电话", carry="same")]
    preparer: Annotated[str, Cell("填报人", carry="same")]
    fill_date: Annotated[dt.date, Cell("填报日期", help="如 2026-03-31")]


class Staff(_Model):
    """The 基本信息 sheet's staff figures as one object (``staff.control_rate``)."""

    quota: int = _d(Unit.model_fields["staff_quota"].description)
    actual: int = _d(Unit.model_fields["staff_actual"].description)

    @computed_field(description="在职人员控制率（%）= 实有人数 / 编制数 × 100")
    @property
    def control_rate(self) -> Decimal | None:
        return percent(self.actual, self.quota)


class FunctionRow(_Model):
    sheet: ClassVar[Placement] = Table("主要职能", "functions", help="每行填写一条主要职能。", min_rows=1)

    text: Annotated[str, Cell("职能内容", "longtext", width=90, help="每行一条职能，按“三定”方案填写", carry="same")]


class Goal(_Model):
    sheet: ClassVar[Placement] = Table("年度目标", "goals", help="年度主要工作任务和整体绩效目标，每行一项。",
                                       min_rows=1)

    name: Annotated[str, Cell("目标名称", width=30, help="年度主要工作任务/整体绩效目标")]
    content: Annotated[str | None, Cell("主要内容", "longtext", width=50)] = None
    result: Annotated[str, Cell("完成情况", "longtext", width=50)]


class IncomeRow(_Model):
    sheet: ClassVar[Placement] = Table("收入", "income", min_rows=1, blank_rows=10,
                                       help="金额单位：万元，保留两位小数。合计由程序计算，不需填写。没有的填 0。")

    org: Annotated[str, Cell("机构名称", width=24, help="局机关及各二级机构，每行一个")]
    carryover: Annotated[Decimal, Cell("上年结转")]
    general_budget: Annotated[Decimal, Cell("一般公共预算财政拨款", width=20)]
    gov_fund: Annotated[Decimal, Cell("政府性基金拨款", width=16)]
    special_nontax: Annotated[Decimal, Cell("纳入专户管理的非税收入", width=22)]
    other: Annotated[Decimal, Cell("其他收入")]

    @computed_field(description="本年收入（不含上年结转）")
    @property
    def current_year(self) -> Decimal:
        return self.general_budget + self.gov_fund + self.special_nontax + self.other

    @computed_field(description="收入合计（含上年结转）")
    @property
    def total(self) -> Decimal:
        return self.carryover + self.current_year


class ExpenditureRow(_Model):
    sheet: ClassVar[Placement] = Table("支出", "expenditure", min_rows=1, blank_rows=10, help=(
        "金额单位：万元。基本支出按决算报表填写；人员经费+公用经费、四项经济分类之和都应等于基本支出，"
        "程序会核对。支出合计、结余和各项占比由程序计算。"))

    org: Annotated[str, Cell("机构名称", width=24, help="与“收入”表的机构一致")]
    basic: Annotated[Decimal, Cell("基本支出", help="决算报表中的基本支出数")]
    personnel: Annotated[Decimal, Cell("人员经费")]
    public: Annotated[Decimal, Cell("公用经费")]
    wages: Annotated[Decimal, Cell("工资福利支出")]
    goods_services: Annotated[Decimal, Cell("商品和服务支出", width=16)]
    household: Annotated[Decimal, Cell("对个人和家庭的补助", width=18)]
    capital: Annotated[Decimal, Cell("资本性支出")]
    project: Annotated[Decimal, Cell("项目支出")]

    @computed_field(description="支出合计 = 基本支出 + 项目支出")
    @property
    def total(self) -> Decimal:
        return self.basic + self.project


def _sum_rows(rows: list[Any], model: type[_Model], label: str) -> Any:
    numeric = [name for name, info in model.model_fields.items() if info.annotation is Decimal]
    return model(org=label, **{name: sum((getattr(r, name) for r in rows), ZERO) for name in numeric})


class Income(_Model):
    rows: list[IncomeRow] = _d("各机构收入（每行一个机构）")

    @computed_field(description="收入汇总行（各机构合计）")
    @property
    def total(self) -> IncomeRow:
        return _sum_rows(self.rows, IncomeRow, "合计")


class Expenditure(_Model):
    rows: list[ExpenditureRow] = _d("各机构支出（每行一个机构）")

    @computed_field(description="支出汇总行（各机构合计）")
    @property
    def total(self) -> ExpenditureRow:
        return _sum_rows(self.rows, ExpenditureRow, "合计")

    @computed_field(description="基本支出占总支出比例（%）")
    @property
    def basic_share(self) -> Decimal | None:
        return percent(self.total.basic, self.total.total)

    @computed_field(description="项目支出占总支出比例（%）")
    @property
    def project_share(self) -> Decimal | None:
        return percent(self.total.project, self.total.total)

    @computed_field(description="人员经费占基本支出比例（%）")
    @property
    def personnel_share(self) -> Decimal | None:
        return percent(self.total.personnel, self.total.basic)

    @computed_field(description="公用经费占基本支出比例（%）")
    @property
    def public_share(self) -> Decimal | None:
        return percent(self.total.public, self.total.basic)

    @computed_field(description="工资福利支出占基本支出比例（%）")
    @property
    def wages_share(self) -> Decimal | None:
        return percent(self.total.wages, self.total.basic)

    @computed_field(description="商品和服务支出占基本支出比例（%）")
    @property
    def goods_services_share(self) -> Decimal | None:
        return percent(self.total.goods_services, self.total.basic)

    @computed_field(description="对个人和家庭的补助占基本支出比例（%）")
    @property
    def household_share(self) -> Decimal | None:
        return percent(self.total.household, self.total.basic)

    @computed_field(description="资本性支出占基本支出比例（%）")
    @property
    def capital_share(self) -> Decimal | None:
        return percent(self.total.capital, self.total.basic)


class ThreePublicItem(_Model):
    sheet: ClassVar[Placement] = Table("三公经费", "three_public", help="金额单位：万元。四行项目已列好，只填数字；没有的填 0。",
                                       fixed_rows=THREE_PUBLIC_ITEMS, blank_rows=4)

    item: Annotated[str, Cell("项目", choices=THREE_PUBLIC_ITEMS, width=22, meaning="项目名称（因公出国（境）费 等）", carry="same")]
    budget: Annotated[Decimal, Cell("预算数")]
    actual: Annotated[Decimal, Cell("决算数")]
    last_year: Annotated[Decimal, Cell("上年决算数", last_year_of="actual")]

    @computed_field(description="变动率（%）=（决算数 − 上年决算数）/ 上年决算数 × 100；上年为 0 时无法计算")
    @property
    def change_rate(self) -> Decimal | None:
        return change_rate(self.actual, self.last_year)

    @computed_field(description="控制率（%）= 决算数 / 预算数 × 100；预算为 0 时无法计算")
    @property
    def control_rate(self) -> Decimal | None:
        return percent(self.actual, self.budget)


class ThreePublic(_Model):
    rows: list[ThreePublicItem] = _d("四项“三公”经费（因公出国（境）费、公务用车购置费、公务用车运行维护费、公务接待费）")

    def _item(self, name: str) -> ThreePublicItem:
        return next(i for i in self.rows if i.item == name)

    @computed_field(description="因公出国（境）费")
    @property
    def abroad(self) -> ThreePublicItem:
        return self._item("因公出国（境）费")

    @computed_field(description="公务用车购置费")
    @property
    def car_purchase(self) -> ThreePublicItem:
        return self._item("公务用车购置费")

    @computed_field(description="公务用车运行维护费")
    @property
    def car_running(self) -> ThreePublicItem:
        return self._item("公务用车运行维护费")

    @computed_field(description="公务接待费")
    @property
    def reception(self) -> ThreePublicItem:
        return self._item("公务接待费")

    @computed_field(description="“三公”经费预算合计")
    @property
    def budget_total(self) -> Decimal:
        return sum((i.budget for i in self.rows), ZERO)

    @computed_field(description="“三公”经费决算合计")
    @property
    def actual_total(self) -> Decimal:
        return sum((i.actual for i in self.rows), ZERO)

    @computed_field(description="“三公”经费上年决算合计")
    @property
    def last_year_total(self) -> Decimal:
        return sum((i.last_year for i in self.rows), ZERO)

    @computed_field(description="“三公”经费变动率（%）；上年为 0 时无法计算（空）")
    @property
    def change_rate(self) -> Decimal | None:
        return change_rate(self.actual_total, self.last_year_total)

    @computed_field(description="“三公”经费控制率（%）= 决算合计 / 预算合计 × 100")
    @property
    def control_rate(self) -> Decimal | None:
        return percent(self.actual_total, self.budget_total)


class Assets(_Model):
    sheet: ClassVar[Placement] = KeyValue("资产", "assets", help="金额单位：万元。固定资产合计、净资产、固定资产利用率由程序计算。")

    total: Annotated[Decimal, Cell("资产总额", help="年末数，万元")]
    liabilities: Annotated[Decimal, Cell("负债总额")]
    fixed_in_use: Annotated[Decimal, Cell("在用固定资产")]
    fixed_rented: Annotated[Decimal, Cell("出租固定资产")]
    fixed_other: Annotated[Decimal, Cell("其他固定资产", help="闲置、待处置等")]

    @computed_field(description="固定资产合计 = 在用 + 出租 + 其他")
    @property
    def fixed_total(self) -> Decimal:
        return self.fixed_in_use + self.fixed_rented + self.fixed_other

    @computed_field(description="净资产 = 资产总额 − 负债总额")
    @property
    def net(self) -> Decimal:
        return self.total - self.liabilities

    @computed_field(description="固定资产利用率（%）= 在用固定资产 / 固定资产合计 × 100")
    @property
    def fixed_utilization(self) -> Decimal | None:
        return percent(self.fixed_in_use, self.fixed_total)


class Project(_Model):
    sheet: ClassVar[Placement] = Table("项目", "projects", help="金额单位：万元。全年预算、执行率由程序计算。")

    name: Annotated[str, Cell("项目名称", width=30, carry="same")]
    initial: Annotated[Decimal, Cell("年初预算")]
    adjustment: Annotated[Decimal, Cell("预算调整", allow_negative=True)]
    executed: Annotated[Decimal, Cell("执行数")]
    fiscal_executed: Annotated[Decimal | None, Cell("其中财政拨款", help="执行数中财政拨款部分，不填视为全部",
                                                    meaning="执行数中财政拨款（未填为 None）")] = None
    is_key: Annotated[bool, Cell("是否重点项目")]
    purpose: Annotated[str | None, Cell("资金用途", "longtext", width=40)] = None
    expected: Annotated[str | None, Cell("预期目标", "longtext", width=40)] = None
    achieved: Annotated[str | None, Cell("实际完成", "longtext", width=40)] = None
    explanation: Annotated[str | None, Cell("偏差说明", "longtext", width=30,
                                            help="执行数超预算或明显低于预算时必须说明原因")] = None
    indicators: list[ProjectIndicator] = _d("项目绩效指标", default_factory=list)

    @computed_field(description="全年预算 = 年初预算 + 预算调整")
    @property
    def budget(self) -> Decimal:
        return self.initial + self.adjustment

    @computed_field(description="执行数中财政拨款（未单独填写时等于执行数）")
    @property
    def fiscal(self) -> Decimal:
        return self.executed if self.fiscal_executed is None else self.fiscal_executed

    @computed_field(description="执行数中其他资金 = 执行数 − 财政拨款")
    @property
    def other_funds(self) -> Decimal:
        return self.executed - self.fiscal

    @computed_field(description="预算执行率（%）= 执行数 / 全年预算 × 100")
    @property
    def execution_rate(self) -> Decimal | None:
        return percent(self.executed, self.budget)


class Projects(_Model):
    rows: list[Project] = _d("项目列表")

    @computed_field(description="项目年初预算合计")
    @property
    def total_initial(self) -> Decimal:
        return sum((p.initial for p in self.rows), ZERO)

    @computed_field(description="项目预算调整合计")
    @property
    def total_adjustment(self) -> Decimal:
        return sum((p.adjustment for p in self.rows), ZERO)

    @computed_field(description="项目全年预算合计")
    @property
    def total_budget(self) -> Decimal:
        return sum((p.budget for p in self.rows), ZERO)

    @computed_field(description="项目执行数合计")
    @property
    def total_spent(self) -> Decimal:
        return sum((p.executed for p in self.rows), ZERO)

    @computed_field(description="重点项目执行数合计")
    @property
    def key_spent(self) -> Decimal:
        return sum((p.executed for p in self.rows if p.is_key), ZERO)

    @computed_field(description="重点支出安排率（%）= 重点项目支出 / 项目总支出 × 100")
    @property
    def key_share(self) -> Decimal | None:
        return percent(self.key_spent, self.total_spent)

    @computed_field(description="项目预算执行率（%）= 项目执行数合计 / 项目全年预算合计 × 100")
    @property
    def execution_rate(self) -> Decimal | None:
        return percent(self.total_spent, self.total_budget)


class Budget(_Model):
    sheet: ClassVar[Placement] = KeyValue("预算", "budget", help=(
        "全年预算数 = 年初预算数 + 预算调整数；预算执行率 = 支出合计 / 全年预算数，均由程序计算。"))

    initial: Annotated[Decimal, Cell("年初预算数", help="万元")]
    adjustment: Annotated[Decimal, Cell("预算调整数", allow_negative=True, help="年中追加为正、追减为负（万元）",
                                        meaning="预算调整数（追加为正、追减为负）")]
    executed: Decimal = _d("全年执行数（= 支出合计）")
    last_year_income: Annotated[Decimal | None, Cell("上年收入合计", help="用于计算同比变动（万元）", last_year_of="income_total")] = None
    last_year_expenditure: Annotated[Decimal | None, Cell("上年支出合计", help="用于计算同比变动（万元）", last_year_of="executed")] = None
    income_total: Decimal = _d("本年收入合计（含上年结转）")

    @computed_field(description="全年预算数 = 年初预算数 + 预算调整数")
    @property
    def final(self) -> Decimal:
        return self.initial + self.adjustment

    @computed_field(description="预算执行率（%）= 全年执行数 / 全年预算数 × 100")
    @property
    def execution_rate(self) -> Decimal | None:
        return percent(self.executed, self.final)

    @computed_field(description="预算调整率（%）= |预算调整数| / 年初预算数 × 100")
    @property
    def adjustment_rate(self) -> Decimal | None:
        return percent(abs(self.adjustment), self.initial)

    @computed_field(description="收入同比变动率（%），未填上年数时为空")
    @property
    def income_change_rate(self) -> Decimal | None:
        return change_rate(self.income_total, self.last_year_income)

    @computed_field(description="支出同比变动率（%），未填上年数时为空")
    @property
    def expenditure_change_rate(self) -> Decimal | None:
        return change_rate(self.executed, self.last_year_expenditure)


class Balance(_Model):
    carryover: Decimal = _d("上年结转")
    current_income: Decimal = _d("本年收入（不含上年结转）")
    expenditure: Decimal = _d("本年支出合计")

    @computed_field(description="当年结余 = 本年收入 − 本年支出（可为负）")
    @property
    def current_year(self) -> Decimal:
        return self.current_income - self.expenditure

    @computed_field(description="年末结转和结余（累计结余）= 上年结转 + 当年结余")
    @property
    def year_end(self) -> Decimal:
        return self.carryover + self.current_year


class IndicatorRow(_Model):
    """A 绩效指标 row, the unit's (``Indicator``) or a project's (``ProjectIndicator``): the same
    columns, the same reading of its target (``target_text``) and the same test of it (``met``),
    so the scoring engine scores both with one rule (``goal_rows``). The 一级指标 choices are the
    format's when its scoring declares them (``workbook_schema``), else ``INDICATOR_LEVEL1``."""

    level1: Annotated[str, Cell("一级指标", choices=INDICATOR_LEVEL1, width=12)]
    level2: Annotated[str, Cell("二级指标", width=14, help="如：数量指标、质量指标、时效指标、社会效益指标")]
    level3: Annotated[str, Cell("三级指标", width=28)]
    nature: Annotated[str, Cell("指标性质", choices=INDICATOR_NATURES, width=10, meaning="指标性质（≥、≤、=、定性）")]
    target: Annotated[Decimal | str, Cell("年度指标值", "text", width=14, help="定量指标填数字；定性指标填文字",
                                          meaning="年度指标值（定量为数字）")]
    adjusted_target: Annotated[str | None, Cell("调整指标值", width=14, help="年中调整过指标值的填写（仅供打印）",
                                                meaning="调整后的指标值（原文，仅供打印）")] = None
    unit: Annotated[str | None, Cell("度量单位", width=10)] = None
    actual: Annotated[Decimal | str, Cell("实际完成值", "text", width=14, meaning="实际完成值（定量为数字）")]
    weight: Annotated[Decimal | None, Cell("分值", "decimal", width=8, help="按自评表打分的格式需要")] = None
    achievement: Annotated[str | None, Cell("完成程度", choices=ACHIEVEMENTS, width=10, help="定性指标填写",
                                            meaning="完成程度（定性指标：达成/部分达成/未达成）")] = None
    deviation_reason: Annotated[str | None, Cell("偏差原因及改进措施", "longtext", width=36)] = None
    core: Annotated[bool | None, Cell("是否核心指标", width=10, help="打印“是否核心指标”的格式需要",
                                      meaning="是否核心指标（未填为 None）")] = None
    ref: str = _d("所在工作表行（用于提示）", default="")

    @computed_field(description="指标值文字，如 ≥95%（定性指标为原文）")
    @property
    def target_text(self) -> str:
        return self._text(self.target, with_nature=True)

    @computed_field(description="完成值文字，如 96.3%（定性指标为原文）")
    @property
    def actual_text(self) -> str:
        return self._text(self.actual, with_nature=False)

    def _text(self, value: Decimal | str, with_nature: bool) -> str:
        if not self.quantitative or not isinstance(value, Decimal):
            return str(value)
        number = f"{value:f}"
        number = number.rstrip("0").rstrip(".") if "." in number else number
        prefix = self.nature if with_nature and self.nature != "=" else ""
        return f"{prefix}{number}{self.unit or ''}"

    @computed_field(description="是否定量指标")
    @property
    def quantitative(self) -> bool:
        return self.nature != "定性"

    @computed_field(description="是否达到指标值（定量按性质比较；定性按完成程度）")
    @property
    def met(self) -> bool:
        if not self.quantitative or not isinstance(self.target, Decimal) or not isinstance(self.actual, Decimal):
            return self.achievement in (None, "达成")
        if self.nature == "≥":
            return self.actual >= self.target
        if self.nature == "≤":
            return self.actual <= self.target
        return self.actual == self.target


class Indicator(IndicatorRow):
    sheet: ClassVar[Placement] = Table("绩效指标", "indicators", help="部门整体绩效目标的指标，每行一个三级指标。",
                                       min_rows=1)


class ProjectIndicator(IndicatorRow):
    sheet: ClassVar[Placement] = Table("项目指标", "project_indicators", help=(
        "各项目的绩效指标（项目支出绩效自评表），每行一个三级指标；各列与“绩效指标”表相同。"
        "按自评表打分的格式：每行填分值，同一项目同一一级指标各行分值之和等于该一级指标的分值。"))
    lead: ClassVar[tuple[str, ...]] = ("project",)

    project: Annotated[str, Cell("项目名称", width=30, help="必须与“项目”表中的名称一致", meaning="所属项目名称")]


Project.model_rebuild()  # its indicators (ProjectIndicator) are declared above, beside the unit's


class NarrativeRow(_Model):
    sheet: ClassVar[Placement] = Table("文字说明", "narrative", min_rows=1, blank_rows=30,
                                       help="报告中的文字部分，按出现顺序逐行填写；同一部分可有多行（每行一个小标题段落）。")

    part: Annotated[str, Cell("部分", choices=NARRATIVE_PARTS, width=16)]
    title: Annotated[str | None, Cell("小标题", width=30, help="可留空")] = None
    body: Annotated[str, Cell("正文", "longtext", width=90, help="单元格内按 Alt+Enter 换行即分段")]


class Section(_Model):
    title: str | None = _d("小标题（可为空）", default=None)
    paragraphs: list[str] = _d("段落（正文按换行分段）")


class Narrative(_Model):
    overview: list[Section] = _d("部门概况", default_factory=list)
    achievements: list[Section] = _d("工作成效", default_factory=list)
    problems: list[Section] = _d("存在的问题", default_factory=list)
    measures: list[Section] = _d("改进措施", default_factory=list)
    other: list[Section] = _d("其他需要说明的情况", default_factory=list)
    conclusion: list[Section] = _d("自评结论", default_factory=list)


class Evaluator(_Model):
    sheet: ClassVar[Placement] = Table("评价人员", "evaluators", help="参与自评的人员。")

    name: Annotated[str, Cell("姓名", width=12)]
    title: Annotated[str, Cell("职务/职称", width=24)]
    org: Annotated[str, Cell("单位", width=30)]


class OrgBalance(_Model):
    org: str = _d("机构名称")
    income: Decimal = _d("收入合计")
    expenditure: Decimal = _d("支出合计")
    current_income: Decimal = _d("本年收入（不含上年结转）")

    @computed_field(description="当年结余 = 本年收入 − 支出合计")
    @property
    def current_year(self) -> Decimal:
        return self.current_income - self.expenditure

    @computed_field(description="累计结余 = 收入合计 − 支出合计")
    @property
    def year_end(self) -> Decimal:
        return self.income - self.expenditure


class Report(_Model):
    """Everything a template can use. Scoring and questionnaire results are attached by the build."""

    unit: Unit = _d("单位基本信息")
    functions: list[str] = _d("主要职能（列表）")
    goals: list[Goal] = _d("年度目标/主要工作（列表）")
    income: Income = _d("收入情况")
    expenditure: Expenditure = _d("支出情况")
    budget: Budget = _d("预算及执行")
    balance: Balance = _d("结转结余")
    three_public: ThreePublic = _d("“三公”经费")
    assets: Assets = _d("资产情况")
    projects: Projects = _d("项目支出")
    indicators: list[Indicator] = _d("整体绩效指标（列表）")
    narrative: Narrative = _d("文字说明")
    evaluators: list[Evaluator] = _d("评价人员（列表）")
    inputs: dict[str, Any] = _d("评分填报的数据（按评分体系声明的名称）", default_factory=dict)

    @computed_field(description="人员情况")
    @property
    def staff(self) -> Staff:
        return Staff(quota=self.unit.staff_quota, actual=self.unit.staff_actual)

    @computed_field(description="各机构结余（按机构名称对应收入与支出）")
    @property
    def org_balances(self) -> list[OrgBalance]:
        spent = {r.org: r.total for r in self.expenditure.rows}
        return [OrgBalance(org=r.org, income=r.total, current_income=r.current_year,
                           expenditure=spent.get(r.org, ZERO)) for r in self.income.rows]


# The workbook's core sheets, in order: each model's ``sheet`` says where, its Cells say what.
INPUT_SHEETS: tuple[type[InputModel], ...] = (
    Unit, FunctionRow, Goal, IncomeRow, ExpenditureRow, Budget, ThreePublicItem, Assets, Project,
    ProjectIndicator, Indicator, NarrativeRow, Evaluator,
)
