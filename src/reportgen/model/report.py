"""The validated report model and every figure derived from it.

Typed values come from the workbook; everything else (totals, shares, rates, balances) is a
computed field, so it is calculated in exactly one place and can never disagree with its parts.
Money is ``Decimal`` in 万元; rates are percent numbers (``Decimal('98.3377')`` = 98.3377 %),
unrounded: rounding happens in the template filters. A rate whose denominator is zero is ``None``.

Each field's ``description`` is its Chinese meaning; ``reportgen format vars`` lists them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

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


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


def _d(description: str, **kw: Any) -> Any:
    return Field(description=description, **kw)


class Unit(_Model):
    name: str = _d("单位名称")
    year: int = _d("评价年度")
    nature: str = _d("单位性质")
    budget_level: str = _d("预算级次")
    rank: str | None = _d("机构规格", default=None)
    founded: str | None = _d("成立时间", default=None)
    supervisor: str | None = _d("主管部门", default=None)
    departments: list[str] = _d("内设机构（列表）", default_factory=list)
    subordinates: list[str] = _d("下属单位（列表）", default_factory=list)
    head: str = _d("单位负责人")
    contact: str = _d("联系人")
    phone: str = _d("联系电话")
    preparer: str = _d("填报人")
    fill_date: dt.date | None = _d("填报日期", default=None)


class Staff(_Model):
    quota: int = _d("人员编制数")
    actual: int = _d("年末实有人数")

    @computed_field(description="在职人员控制率（%）= 实有人数 / 编制数 × 100")
    @property
    def control_rate(self) -> Decimal | None:
        return percent(self.actual, self.quota)


class Goal(_Model):
    name: str = _d("目标名称")
    content: str | None = _d("主要内容", default=None)
    result: str = _d("完成情况")


class IncomeRow(_Model):
    org: str = _d("机构名称")
    carryover: Decimal = _d("上年结转")
    general_budget: Decimal = _d("一般公共预算财政拨款")
    gov_fund: Decimal = _d("政府性基金拨款")
    special_nontax: Decimal = _d("纳入专户管理的非税收入")
    other: Decimal = _d("其他收入")

    @computed_field(description="本年收入（不含上年结转）")
    @property
    def current_year(self) -> Decimal:
        return self.general_budget + self.gov_fund + self.special_nontax + self.other

    @computed_field(description="收入合计（含上年结转）")
    @property
    def total(self) -> Decimal:
        return self.carryover + self.current_year


class ExpenditureRow(_Model):
    org: str = _d("机构名称")
    basic: Decimal = _d("基本支出")
    personnel: Decimal = _d("人员经费")
    public: Decimal = _d("公用经费")
    wages: Decimal = _d("工资福利支出")
    goods_services: Decimal = _d("商品和服务支出")
    household: Decimal = _d("对个人和家庭的补助")
    capital: Decimal = _d("资本性支出")
    project: Decimal = _d("项目支出")

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
    item: str = _d("项目名称（因公出国（境）费 等）")
    budget: Decimal = _d("预算数")
    actual: Decimal = _d("决算数")
    last_year: Decimal = _d("上年决算数")

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
    total: Decimal = _d("资产总额")
    liabilities: Decimal = _d("负债总额")
    fixed_in_use: Decimal = _d("在用固定资产")
    fixed_rented: Decimal = _d("出租固定资产")
    fixed_other: Decimal = _d("其他固定资产")

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


class ProjectIndicator(_Model):
    level1: str = _d("一级指标")
    level2: str = _d("二级指标")
    level3: str = _d("三级指标")
    target: str = _d("预期值")
    actual: str = _d("实际值")


class Project(_Model):
    name: str = _d("项目名称")
    initial: Decimal = _d("年初预算")
    adjustment: Decimal = _d("预算调整")
    executed: Decimal = _d("执行数")
    fiscal_executed: Decimal | None = _d("执行数中财政拨款（未填为 None）", default=None)
    is_key: bool = _d("是否重点项目")
    purpose: str | None = _d("资金用途", default=None)
    expected: str | None = _d("预期目标", default=None)
    achieved: str | None = _d("实际完成", default=None)
    explanation: str | None = _d("偏差说明", default=None)
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
    initial: Decimal = _d("年初预算数")
    adjustment: Decimal = _d("预算调整数（追加为正、追减为负）")
    executed: Decimal = _d("全年执行数（= 支出合计）")
    last_year_income: Decimal | None = _d("上年收入合计", default=None)
    last_year_expenditure: Decimal | None = _d("上年支出合计", default=None)
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


class Indicator(_Model):
    level1: str = _d("一级指标")
    level2: str = _d("二级指标")
    level3: str = _d("三级指标")
    nature: str = _d("指标性质（≥、≤、=、定性）")
    target: Decimal | str = _d("年度指标值（定量为数字）")
    unit: str | None = _d("度量单位", default=None)
    actual: Decimal | str = _d("实际完成值（定量为数字）")
    weight: Decimal | None = _d("分值", default=None)
    achievement: str | None = _d("完成程度（定性指标：达成/部分达成/未达成）", default=None)
    deviation_reason: str | None = _d("偏差原因及改进措施", default=None)
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
    name: str = _d("姓名")
    title: str = _d("职务/职称")
    org: str = _d("单位")


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
    """Everything a template can use. Scoring and survey results are attached by the build."""

    unit: Unit = _d("单位基本信息")
    staff: Staff = _d("人员情况")
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

    @computed_field(description="各机构结余（按机构名称对应收入与支出）")
    @property
    def org_balances(self) -> list[OrgBalance]:
        spent = {r.org: r.total for r in self.expenditure.rows}
        return [OrgBalance(org=r.org, income=r.total, current_income=r.current_year,
                           expenditure=spent.get(r.org, ZERO)) for r in self.income.rows]
