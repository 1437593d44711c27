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

from pydantic import BeforeValidator, Field, computed_field

from reportgen.model.dependencies import came_from, untraced
from reportgen.model.inputs import Cell, InputModel, KeyValue, Placement, Sum, Table
from reportgen.model.relations import filled, parts, sum_of

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


def _zero_if_empty(value: Any) -> Any:
    return ZERO if value is None else value


# An optional amount whose empty cell means 0 (an income or spending category the unit does not have):
# ``x: Annotated[Decimal, Cell(...), EMPTY_IS_ZERO] = ZERO`` is optional in the workbook and never None.
EMPTY_IS_ZERO = BeforeValidator(_zero_if_empty)

_Model = InputModel
_M = "money"
UNIT_NATURES = ("行政单位", "参照公务员法管理事业单位", "事业单位")
BUDGET_LEVELS = ("一级预算单位", "二级预算单位", "三级预算单位")
THREE_PUBLIC_ITEMS = ("因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
INDICATOR_LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")
INDICATOR_NATURES = ("≥", "≤", "=", "定性")
ACHIEVEMENTS = ("达成", "部分达成", "未达成")
NARRATIVE_PARTS = ("部门概况", "工作成效", "存在的问题", "改进措施", "其他需要说明的情况", "自评结论")
# each 文字说明 部分 -> its list on ``Narrative`` (and back)
NARRATIVE_KEYS = dict(zip(NARRATIVE_PARTS, ("overview", "achievements", "problems", "measures", "other", "conclusion"),
                          strict=True))
NARRATIVE_PART_OF = {key: part for part, key in NARRATIVE_KEYS.items()}
# The fund sources of the 财预〔2020〕10号 自评表's 年度资金情况 (其中：本年财政拨款 / 上年结转 / 其他资金).
FUND_SOURCES = ("本年财政拨款", "上年结转", "其他资金")
STAFF_KINDS = ("行政", "参公", "事业")  # 行政编制, 参照公务员法管理事业编制, 事业编制


def _d(description: str, *, source: tuple[str, ...] = (), **kw: Any) -> Any:
    """A field that is not typed in: its description, and (``source``) where its value is copied from
    (``model.dependencies.came_from``: a report path, or ``@sheet.field`` for workbook columns)."""
    if source:
        kw["json_schema_extra"] = came_from(*source)
    return Field(description=description, **kw)


class Share(_Model):
    """One category of a whole (an income source, a kind of spending) and its share of that whole."""

    key: str = _d("字段名，模板可按它挑选（如 general_budget、basic）")
    name: str = _d("名称（决算口径，如 一般公共预算财政拨款收入、基本支出）")
    label: str = _d("简称（填报表的列名，如 一般公共预算财政拨款；表头用）", default="")
    amount: Decimal = _d("金额（万元）")
    share: Decimal | None = _d("占合计的比例（%）；合计为 0 时为空")


def shares(record: InputModel, name: str, whole: Decimal | None = None) -> list[Share]:
    """Every part of the declared sum ``name`` of ``record`` (in declaration order, zeros included)
    with its share of ``whole`` (by default the sum itself)."""
    members = parts(type(record), name)
    whole = sum_of(record, name) if whole is None else whole
    return [Share(key=key, name=cell.name, label=cell.label, amount=(amount := getattr(record, key) or ZERO),
                  share=percent(amount, whole)) for key, cell in members]


class Unit(_Model):
    sheet: ClassVar[Placement] = KeyValue("基本信息", "unit", help="单位的基本情况。带 * 的为必填项。")
    relations: ClassVar[tuple[Sum, ...]] = (
        Sum("quota_kinds", "staff_quota", "人员编制数", check="equal", when="quota_kinds", what="行政、参公、事业编制数"),
        Sum("actual_kinds", "staff_actual", "年末实有人数", check="equal", when="actual_kinds",
            what="行政、参公、事业实有人数"),
    )

    name: Annotated[str, Cell("单位名称", help="全称，如：某某县农业农村局、某某县第一中学", carry="same", bounds=(1, 200))]
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
    quota_admin: Annotated[int | None, Cell("行政编制数", part_of=("quota_kinds",), help="人员编制数中的行政编制（人）；按类别填写时，三类之和应等于人员编制数", carry="same")] = None
    quota_civil: Annotated[int | None, Cell("参公编制数", part_of=("quota_kinds",), help="参照公务员法管理事业编制（人）", carry="same")] = None
    quota_public: Annotated[int | None, Cell("事业编制数", part_of=("quota_kinds",), help="事业编制（人）", carry="same")] = None
    actual_admin: Annotated[int | None, Cell("行政实有人数", part_of=("actual_kinds",), help="年末实有人数中的行政编制人员；按类别填写时，三类之和应等于年末实有人数")] = None
    actual_civil: Annotated[int | None, Cell("参公实有人数", part_of=("actual_kinds",))] = None
    actual_public: Annotated[int | None, Cell("事业实有人数", part_of=("actual_kinds",))] = None
    temporary: Annotated[int | None, Cell("临聘人员数", help="编制外临时聘用人员（人），不计入年末实有人数")] = None
    dispatched: Annotated[int | None, Cell("劳务派遣人数", help="不计入年末实有人数")] = None
    retired: Annotated[int | None, Cell("退休人数")] = None
    head: Annotated[str, Cell("单位负责人", carry="same")]
    contact: Annotated[str, Cell("联系人", carry="same")]
    phone: Annotated[str, Cell("联系电话", carry="same")]
    preparer: Annotated[str, Cell("填报人", carry="same")]
    fill_date: Annotated[dt.date, Cell("填报日期", help="如 2026-03-31")]


class StaffKind(_Model):
    name: str = _d("编制类别（行政、参公、事业）")
    quota: int = _d("编制数（未填为 0）")
    actual: int = _d("年末实有人数（未填为 0）")

    @computed_field(description="在职人员控制率（%）= 实有人数 / 编制数 × 100")
    @property
    def control_rate(self) -> Decimal | None:
        return percent(self.actual, self.quota)


class Staff(_Model):
    """The 基本信息 sheet's staff figures as one object (``staff.control_rate``)."""

    quota: int = _d(Unit.model_fields["staff_quota"].description, source=("@unit.staff_quota",))
    actual: int = _d(Unit.model_fields["staff_actual"].description, source=("@unit.staff_actual",))
    kinds: list[StaffKind] = _d("按编制类别（行政、参公、事业）的编制数、实有人数和控制率；只列填写了的类别",
                                 default_factory=list, source=tuple(
                                     f"@unit.{key}" for kinds in ("quota_kinds", "actual_kinds")
                                     for key, _ in parts(Unit, kinds)))
    temporary: int | None = _d("临聘人员数（未填为 None）", default=None, source=("@unit.temporary",))
    dispatched: int | None = _d("劳务派遣人数（未填为 None）", default=None, source=("@unit.dispatched",))
    retired: int | None = _d("退休人数（未填为 None）", default=None, source=("@unit.retired",))

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


_CURRENT = ("current_year",)  # 本年收入: every income of the year (上年结转 is not one)
_FISCAL, _CARRIED, _OTHER_FUNDS = FUND_SOURCES


class IncomeRow(_Model):
    sheet: ClassVar[Placement] = Table("收入", "income", min_rows=1, blank_rows=10,
                                       help="金额单位：万元，保留两位小数。合计由程序计算，不需填写。没有的填 0。")
    record_title: ClassVar[str] = "org"
    relations: ClassVar[tuple[Sum, ...]] = (
        Sum("current_year", "current_year", "本年收入"),
        Sum("total", "total", "收入合计", includes=("current_year",)),
    )

    org: Annotated[str, Cell("机构名称", width=24, help="局机关及各二级机构，每行一个", carry="same")]
    carryover: Annotated[Decimal, Cell("上年结转", help="年初结转和结余", part_of=("total",), fund=_CARRIED)]
    general_budget: Annotated[Decimal, Cell("一般公共预算财政拨款", width=20, term="一般公共预算财政拨款收入",
                                            part_of=_CURRENT, fund=_FISCAL)]
    gov_fund: Annotated[Decimal, Cell("政府性基金拨款", width=16, meaning="政府性基金预算财政拨款",
                                      term="政府性基金预算财政拨款收入", part_of=_CURRENT, fund=_FISCAL)]
    state_capital: Annotated[Decimal, Cell("国有资本经营预算财政拨款", width=24, help="没有的可留空（按 0 计）",
                                           term="国有资本经营预算财政拨款收入", part_of=_CURRENT, fund=_FISCAL),
                             EMPTY_IS_ZERO] = ZERO
    upper_grant: Annotated[Decimal, Cell("上级补助收入", help="没有的可留空（按 0 计）", part_of=_CURRENT,
                                         fund=_OTHER_FUNDS), EMPTY_IS_ZERO] = ZERO
    business: Annotated[Decimal, Cell("事业收入", help="没有的可留空（按 0 计）", part_of=_CURRENT, fund=_OTHER_FUNDS),
                        EMPTY_IS_ZERO] = ZERO
    operating: Annotated[Decimal, Cell("经营收入", help="没有的可留空（按 0 计）", part_of=_CURRENT, fund=_OTHER_FUNDS),
                         EMPTY_IS_ZERO] = ZERO
    affiliated: Annotated[Decimal, Cell("附属单位上缴收入", width=16, help="没有的可留空（按 0 计）", part_of=_CURRENT,
                                        fund=_OTHER_FUNDS), EMPTY_IS_ZERO] = ZERO
    special_nontax: Annotated[Decimal, Cell("纳入专户管理的非税收入", width=22, part_of=_CURRENT, fund=_OTHER_FUNDS)]
    other: Annotated[Decimal, Cell("其他收入", part_of=_CURRENT, fund=_OTHER_FUNDS)]

    @computed_field(description="本年收入（不含上年结转）= 各项收入之和")
    @property
    def current_year(self) -> Decimal:
        return sum_of(self, "current_year")

    @computed_field(description="收入合计（含上年结转）= 上年结转 + 本年收入")
    @property
    def total(self) -> Decimal:
        return sum_of(self, "total")

    @computed_field(description=(
        "收入合计的全部组成（上年结转和本年各项收入，按填报表顺序，含为 0 的项）：key、name（决算名称）、amount、"
        "share（占收入合计的比例，%）；打印“其中”时用 if c.amount 只列非零项"))
    @property
    def sources(self) -> list[Share]:
        return shares(self, "total")

    @computed_field(description=(
        "本年收入按来源（决算口径，依次为一般公共预算财政拨款收入、政府性基金预算财政拨款收入、国有资本经营预算财政拨款收入、"
        "上级补助收入、事业收入、经营收入、附属单位上缴收入、纳入专户管理的非税收入、其他收入）：key、name、amount、"
        "share（占本年收入的比例，%）"))
    @property
    def categories(self) -> list[Share]:
        return shares(self, "current_year")


class ExpenditureRow(_Model):
    sheet: ClassVar[Placement] = Table("支出", "expenditure", min_rows=1, blank_rows=10, help=(
        "金额单位：万元。基本支出按决算报表填写；人员经费+公用经费、四项经济分类之和都应等于基本支出，"
        "程序会核对。支出合计、结余和各项占比由程序计算。"))
    record_title: ClassVar[str] = "org"
    relations: ClassVar[tuple[Sum, ...]] = (
        Sum("total", "total", "支出合计"),
        Sum("basic_uses", "basic", "基本支出", check="equal", what="人员经费 + 公用经费"),
        Sum("basic_economy", "basic", "基本支出", check="equal",
            what="工资福利、商品和服务、对个人和家庭的补助、资本性支出"),
        Sum("project_economy", "project", "项目支出", check="equal", when="project_economy",
            what="项目支出中工资福利、商品和服务、对个人和家庭的补助、资本性支出"),
    )

    org: Annotated[str, Cell("机构名称", width=24, help="与“收入”表的机构一致", carry="same")]
    basic: Annotated[Decimal, Cell("基本支出", help="决算报表中的基本支出数", part_of=("total",))]
    personnel: Annotated[Decimal, Cell("人员经费", part_of=("basic_uses",))]
    public: Annotated[Decimal, Cell("公用经费", part_of=("basic_uses",))]
    wages: Annotated[Decimal, Cell("工资福利支出", part_of=("basic_economy",))]
    goods_services: Annotated[Decimal, Cell("商品和服务支出", width=16, part_of=("basic_economy",))]
    household: Annotated[Decimal, Cell("对个人和家庭的补助", width=18, part_of=("basic_economy",))]
    capital: Annotated[Decimal, Cell("资本性支出", part_of=("basic_economy",))]
    project: Annotated[Decimal, Cell("项目支出", part_of=("total",))]
    to_upper: Annotated[Decimal, Cell("上缴上级支出", help="没有的可留空（按 0 计）", part_of=("total",)),
                        EMPTY_IS_ZERO] = ZERO
    operating: Annotated[Decimal, Cell("经营支出", help="没有的可留空（按 0 计）", part_of=("total",)),
                         EMPTY_IS_ZERO] = ZERO
    to_affiliated: Annotated[Decimal, Cell("对附属单位补助支出", width=18, help="没有的可留空（按 0 计）",
                                           part_of=("total",)), EMPTY_IS_ZERO] = ZERO
    project_wages: Annotated[Decimal, Cell("项目支出中工资福利支出", width=20, help=(
        "项目支出按经济分类（四项之和应等于项目支出）；四项都不填表示未分类"), meaning="项目支出中工资福利支出",
        term="工资福利支出", part_of=("project_economy",)), EMPTY_IS_ZERO] = ZERO
    project_goods_services: Annotated[Decimal, Cell("项目支出中商品和服务支出", width=22, term="商品和服务支出",
                                                    part_of=("project_economy",)), EMPTY_IS_ZERO] = ZERO
    project_household: Annotated[Decimal, Cell("项目支出中对个人和家庭的补助", width=24, term="对个人和家庭的补助",
                                               part_of=("project_economy",)), EMPTY_IS_ZERO] = ZERO
    project_capital: Annotated[Decimal, Cell("项目支出中资本性支出", width=20, term="资本性支出",
                                             part_of=("project_economy",)), EMPTY_IS_ZERO] = ZERO

    @computed_field(description="支出合计 = 基本支出 + 项目支出 + 上缴上级支出 + 经营支出 + 对附属单位补助支出")
    @property
    def total(self) -> Decimal:
        return sum_of(self, "total")

    @computed_field(description="项目支出是否按经济分类填写（四项不全为 0）")
    @property
    def project_classified(self) -> bool:
        return filled(self, "project_economy")

    @computed_field(description=(
        "支出合计的全部组成（基本支出、项目支出、上缴上级支出、经营支出、对附属单位补助支出，含为 0 的项）："
        "key、name、amount、share（占支出合计的比例，%）；打印“其中”时用 if k.amount 只列非零项"))
    @property
    def kinds(self) -> list[Share]:
        return shares(self, "total")

    @computed_field(description="基本支出按用途（人员经费、公用经费）：key、name、amount、share（占基本支出的比例，%）")
    @property
    def basic_uses(self) -> list[Share]:
        return shares(self, "basic_uses", self.basic)

    @computed_field(description=(
        "基本支出按经济分类（工资福利支出、商品和服务支出、对个人和家庭的补助、资本性支出）：key、name、amount、"
        "share（占基本支出的比例，%）"))
    @property
    def basic_economy(self) -> list[Share]:
        return shares(self, "basic_economy", self.basic)


def _sum_rows(rows: list[Any], model: type[_Model], label: str) -> Any:
    """The total row: each amount summed over ``rows`` (a figure read from it depends on that column only)."""
    numeric = [name for name, info in model.model_fields.items() if info.annotation is Decimal]
    with untraced():
        return model(org=label, **{name: sum((getattr(r, name) for r in rows), ZERO) for name in numeric})


class Income(_Model):
    rows: list[IncomeRow] = _d("各机构收入（每行一个机构）")

    @computed_field(description="收入汇总行（各机构合计）")
    @property
    def total(self) -> IncomeRow:
        return _sum_rows(self.rows, type(self.rows[0]) if self.rows else IncomeRow, "合计")

    @computed_field(description="本年收入按来源（同 total.categories）：key、name、amount、share（占本年收入的比例，%）")
    @property
    def categories(self) -> list[Share]:
        return self.total.categories

    @computed_field(description="收入合计的全部组成（同 total.sources：上年结转和本年各项收入）")
    @property
    def sources(self) -> list[Share]:
        return self.total.sources


class Expenditure(_Model):
    rows: list[ExpenditureRow] = _d("各机构支出（每行一个机构）")

    @computed_field(description="支出汇总行（各机构合计）")
    @property
    def total(self) -> ExpenditureRow:
        return _sum_rows(self.rows, type(self.rows[0]) if self.rows else ExpenditureRow, "合计")

    @computed_field(description="基本支出占总支出比例（%）")
    @property
    def basic_share(self) -> Decimal | None:
        return percent(self.total.basic, self.total.total)

    @computed_field(description="项目支出占总支出比例（%）")
    @property
    def project_share(self) -> Decimal | None:
        return percent(self.total.project, self.total.total)

    @computed_field(description=(
        "本年支出按性质（同 total.kinds：基本支出、项目支出、上缴上级支出、经营支出、对附属单位补助支出）："
        "key、name、amount、share（占支出合计的比例，%）"))
    @property
    def kinds(self) -> list[Share]:
        return self.total.kinds

    @computed_field(description=(
        "项目支出按经济分类（工资福利支出、商品和服务支出、对个人和家庭的补助、资本性支出）：key、name、amount、"
        "share（占项目支出的比例，%）；没有机构填写项目支出经济分类时为空"))
    @property
    def project_economy(self) -> list[Share] | None:
        if not any(row.project_classified for row in self.rows):
            return None
        return shares(self.total, "project_economy", self.total.project)

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
    record_title: ClassVar[str] = "item"

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


class FundSource(_Model):
    sheet: ClassVar[Placement] = Table("资金来源", "funds", fixed_rows=FUND_SOURCES, blank_rows=len(FUND_SOURCES), help=(
        "金额单位：万元。单位全年资金按来源（部门整体支出绩效自评表“年度资金情况”）：三行已列好，只填数字。"
        "各来源之和应等于“预算”表的年初预算数、全年预算数和“支出”表的支出合计，程序会核对；"
        "不掌握来源构成的可整表留空（自评表中这几行留空）。"))
    record_title: ClassVar[str] = "item"

    item: Annotated[str, Cell("资金来源", choices=FUND_SOURCES, width=16,
                              meaning="资金来源（本年财政拨款、上年结转、其他资金）")]
    initial: Annotated[Decimal | None, Cell("年初预算数")] = None
    final: Annotated[Decimal | None, Cell("全年预算数", help="年初预算数加年中调整")] = None
    executed: Annotated[Decimal | None, Cell("全年执行数")] = None

    @computed_field(description="执行率（%）= 全年执行数 / 全年预算数 × 100；未填或预算为 0 时为空")
    @property
    def execution_rate(self) -> Decimal | None:
        return percent(self.executed, self.final)


class Funds(_Model):
    rows: list[FundSource] = _d("各资金来源（本年财政拨款、上年结转、其他资金），每行 item、initial、final、executed",
                                default_factory=list)

    def _row(self, item: str) -> FundSource:
        return next((r for r in self.rows if r.item == item), FundSource(item=item))

    @computed_field(description="是否填写了资金来源（“资金来源”表每个数字都已填写）")
    @property
    def given(self) -> bool:
        return bool(self.rows) and all(None not in (r.initial, r.final, r.executed) for r in self.rows)

    @computed_field(description="本年财政拨款（initial 年初预算数、final 全年预算数、executed 全年执行数；未填为空）")
    @property
    def fiscal(self) -> FundSource:
        return self._row(FUND_SOURCES[0])

    @computed_field(description="上年结转（initial、final、executed；未填为空）")
    @property
    def carryover(self) -> FundSource:
        return self._row(FUND_SOURCES[1])

    @computed_field(description="其他资金（initial、final、executed；未填为空）")
    @property
    def other(self) -> FundSource:
        return self._row(FUND_SOURCES[2])


class Assets(_Model):
    sheet: ClassVar[Placement] = KeyValue("资产", "assets", help="金额单位：万元。固定资产合计、净资产、固定资产利用率由程序计算。")
    relations: ClassVar[tuple[Sum, ...]] = (
        Sum("fixed", "fixed_total", "固定资产合计"),
        Sum("balance_sheet", "total", "资产总额", check="at_most", when="balance_sheet"),
        Sum("depreciated", "fixed_original", "固定资产原值", check="at_most", when="depreciated"),
    )

    total: Annotated[Decimal, Cell("资产总额", help="年末数，万元")]
    liabilities: Annotated[Decimal, Cell("负债总额")]
    fixed_in_use: Annotated[Decimal, Cell("在用固定资产", part_of=("fixed",))]
    fixed_rented: Annotated[Decimal, Cell("出租固定资产", part_of=("fixed",))]
    fixed_other: Annotated[Decimal, Cell("其他固定资产", part_of=("fixed",), help="闲置、待处置等")]
    current: Annotated[Decimal | None, Cell("流动资产", part_of=("balance_sheet",), help="资产负债简表年末数；没有可留空")] = None
    fixed_original: Annotated[Decimal | None, Cell("固定资产原值", help="资产负债简表年末数；没有可留空")] = None
    fixed_net: Annotated[Decimal | None, Cell("固定资产净值", part_of=("balance_sheet", "depreciated"), help="原值减累计折旧；不大于原值")] = None
    intangible: Annotated[Decimal | None, Cell("无形资产", part_of=("balance_sheet",), help="年末净值；没有可留空")] = None

    @computed_field(description="固定资产合计 = 在用 + 出租 + 其他")
    @property
    def fixed_total(self) -> Decimal:
        return sum_of(self, "fixed")

    @computed_field(description="固定资产合计的组成（在用、出租、其他，含为 0 的项）：key、name、amount、share（占固定资产合计，%）")
    @property
    def fixed_kinds(self) -> list[Share]:
        return shares(self, "fixed")

    @computed_field(description="净资产 = 资产总额 − 负债总额")
    @property
    def net(self) -> Decimal:
        return self.total - self.liabilities

    @computed_field(description="固定资产利用率（%）= 在用固定资产 / 固定资产合计 × 100")
    @property
    def fixed_utilization(self) -> Decimal | None:
        return percent(self.fixed_in_use, self.fixed_total)

    @computed_field(description="流动资产占资产总额比例（%），未填流动资产时为空")
    @property
    def current_share(self) -> Decimal | None:
        return percent(self.current, self.total)

    @computed_field(description="固定资产净值占资产总额比例（%），未填净值时为空")
    @property
    def fixed_net_share(self) -> Decimal | None:
        return percent(self.fixed_net, self.total)

    @computed_field(description="无形资产占资产总额比例（%），未填无形资产时为空")
    @property
    def intangible_share(self) -> Decimal | None:
        return percent(self.intangible, self.total)

    @computed_field(description="固定资产成新率（%）= 固定资产净值 / 固定资产原值 × 100，未填时为空")
    @property
    def fixed_newness_rate(self) -> Decimal | None:
        return percent(self.fixed_net, self.fixed_original)

    @computed_field(description="资产负债简表中各项（流动资产、固定资产净值、无形资产）中已填写部分之和")
    @property
    def parts_total(self) -> Decimal:
        return sum_of(self, "balance_sheet")


class Project(_Model):
    sheet: ClassVar[Placement] = Table("项目", "projects", help="金额单位：万元。全年预算、执行率由程序计算。")
    record_title: ClassVar[str] = "name"
    record_title_quoted: ClassVar[bool] = True
    # each amount's 上年结转 and 其他资金 fit inside it; what remains is 本年财政拨款
    relations: ClassVar[tuple[Sum, ...]] = (
        Sum("budget", "budget", "全年预算"),
        Sum("initial_sources", "initial", "年初预算", check="at_most", rest=_FISCAL, what="年初预算中上年结转和其他资金"),
        Sum("budget_sources", "budget", "全年预算", check="at_most", rest=_FISCAL, what="全年预算中上年结转和其他资金"),
        Sum("executed_sources", "executed", "执行数", check="at_most", rest=_FISCAL, what="执行数中上年结转和其他资金"),
    )

    name: Annotated[str, Cell("项目名称", width=30, carry="same", bounds=(1, 200))]
    initial: Annotated[Decimal, Cell("年初预算", part_of=("budget",))]
    adjustment: Annotated[Decimal, Cell("预算调整", allow_negative=True, part_of=("budget",))]
    executed: Annotated[Decimal, Cell("执行数")]
    initial_carryover: Annotated[Decimal, Cell("年初预算中上年结转", width=18, part_of=("initial_sources",), fund=_CARRIED, help=(
        "资金来源：年初预算、全年预算、执行数中的上年结转资金和其他资金（均可留空，按 0 计）；"
        "其余为本年财政拨款")), EMPTY_IS_ZERO] = ZERO
    initial_other: Annotated[Decimal, Cell("年初预算中其他资金", width=18, part_of=("initial_sources",), fund=_OTHER_FUNDS), EMPTY_IS_ZERO] = ZERO
    budget_carryover: Annotated[Decimal, Cell("全年预算中上年结转", width=18, part_of=("budget_sources",), fund=_CARRIED), EMPTY_IS_ZERO] = ZERO
    budget_other: Annotated[Decimal, Cell("全年预算中其他资金", width=18, part_of=("budget_sources",), fund=_OTHER_FUNDS), EMPTY_IS_ZERO] = ZERO
    executed_carryover: Annotated[Decimal, Cell("执行数中上年结转", width=16, part_of=("executed_sources",), fund=_CARRIED), EMPTY_IS_ZERO] = ZERO
    executed_other: Annotated[Decimal, Cell("执行数中其他资金", width=16, part_of=("executed_sources",), fund=_OTHER_FUNDS, help="执行数中非财政拨款的部分"),
                              EMPTY_IS_ZERO] = ZERO
    is_key: Annotated[bool, Cell("是否重点项目", carry="same")]
    purpose: Annotated[str | None, Cell("资金用途", "longtext", width=40)] = None
    expected: Annotated[str | None, Cell("预期目标", "longtext", width=40)] = None
    achieved: Annotated[str | None, Cell("实际完成", "longtext", width=40)] = None
    explanation: Annotated[str | None, Cell("偏差说明", "longtext", width=30,
                                            help="执行数超预算或明显低于预算时必须说明原因")] = None
    indicators: list[ProjectIndicator] = _d("项目绩效指标", default_factory=list)

    @computed_field(description="全年预算 = 年初预算 + 预算调整")
    @property
    def budget(self) -> Decimal:
        return sum_of(self, "budget")

    @computed_field(description="执行数中财政拨款（含上年结转的财政资金）= 执行数 − 执行数中其他资金")
    @property
    def fiscal(self) -> Decimal:
        return self.executed - self.executed_other

    @computed_field(description="全年预算中财政拨款（含上年结转的财政资金）= 全年预算 − 全年预算中其他资金")
    @property
    def fiscal_budget(self) -> Decimal:
        return self.budget - self.budget_other

    @computed_field(description="执行数中其他资金（未填为 0）")
    @property
    def other_funds(self) -> Decimal:
        return self.executed_other

    @computed_field(description=(
        "资金来源（本年财政拨款、上年结转、其他资金），各有 initial（年初预算）、final（全年预算）、executed（执行数）："
        "本年财政拨款 = 总数 − 上年结转 − 其他资金（未填来源时即为总数）"))
    @property
    def funds(self) -> list[FundSource]:
        columns = {"initial": "initial_sources", "final": "budget_sources", "executed": "executed_sources"}
        by_source: dict[str, dict[str, Decimal]] = {item: {} for item in FUND_SOURCES}
        for column, name in columns.items():
            relation = next(r for r in self.relations if r.name == name)
            members = parts(Project, name)
            for item in FUND_SOURCES:
                by_source[item][column] = sum((getattr(self, key) for key, cell in members if cell.fund == item), ZERO)
            by_source[relation.rest][column] = getattr(self, relation.total) - sum_of(self, name)
        return [FundSource(item=item, **figures) for item, figures in by_source.items()]

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


class BudgetPart(_Model):
    initial: Decimal = _d("年初预算数")
    adjustment: Decimal = _d("预算调整数（未填为 0）")
    executed: Decimal = _d("执行数")

    @computed_field(description="全年预算数 = 年初预算数 + 预算调整数")
    @property
    def final(self) -> Decimal:
        return self.initial + self.adjustment

    @computed_field(description="预算执行率（%）= 执行数 / 全年预算数 × 100")
    @property
    def execution_rate(self) -> Decimal | None:
        return percent(self.executed, self.final)


def _part(initial: Decimal | None, adjustment: Decimal | None, executed: Decimal) -> BudgetPart | None:
    return None if initial is None else BudgetPart(initial=initial, adjustment=adjustment or ZERO, executed=executed)


class Budget(_Model):
    sheet: ClassVar[Placement] = KeyValue("预算", "budget", help=(
        "全年预算数 = 年初预算数 + 预算调整数；预算执行率 = 支出合计 / 全年预算数，均由程序计算。"))
    relations: ClassVar[tuple[Sum, ...]] = (
        Sum("final", "final", "全年预算数"),
        # checked once both 年初预算数 parts are given (one alone is its own finding)
        Sum("initial_parts", "initial", "年初预算数", check="equal", when="initial_parts", when_complete=True,
            what="基本支出年初预算数 + 项目支出年初预算数"),
        Sum("adjustment_parts", "adjustment", "预算调整数", check="equal", when="initial_parts", when_complete=True,
            what="基本支出预算调整数 + 项目支出预算调整数"),
    )

    initial: Annotated[Decimal, Cell("年初预算数", help="万元", part_of=("final",))]
    adjustment: Annotated[Decimal, Cell("预算调整数", allow_negative=True, help="年中追加为正、追减为负（万元）",
                                        meaning="预算调整数（追加为正、追减为负）", part_of=("final",))]
    basic_initial: Annotated[Decimal | None, Cell("基本支出年初预算数", part_of=("initial_parts",), help=(
        "年初预算数中的基本支出（万元）；与项目支出年初预算数之和应等于年初预算数。没有分开的可留空"))] = None
    basic_adjustment: Annotated[Decimal | None, Cell("基本支出预算调整数", part_of=("adjustment_parts",), allow_negative=True, help=(
        "预算调整数中的基本支出，追加为正、追减为负；留空按 0 计"))] = None
    project_initial: Annotated[Decimal | None, Cell("项目支出年初预算数", part_of=("initial_parts",), help="年初预算数中的项目支出（万元）")] = None
    project_adjustment: Annotated[Decimal | None, Cell("项目支出预算调整数", part_of=("adjustment_parts",), allow_negative=True, help=(
        "预算调整数中的项目支出；留空按 0 计"))] = None
    executed: Decimal = _d("全年执行数（= 支出合计）", source=("expenditure.total.total",))
    basic_executed: Decimal = _d("基本支出执行数（= 支出表基本支出合计）", default=ZERO, source=("@expenditure.basic",))
    project_executed: Decimal = _d("项目支出执行数（= 支出表项目支出合计）", default=ZERO, source=("@expenditure.project",))
    last_year_income: Annotated[Decimal | None, Cell("上年收入合计", help="用于计算同比变动（万元）",
                                                     last_year_of="income_total")] = None
    last_year_expenditure: Annotated[Decimal | None, Cell("上年支出合计", help="用于计算同比变动（万元）",
                                                          last_year_of="executed")] = None
    public_budget: Annotated[Decimal | None, Cell("公用经费预算数", help=(
        "全年预算中的公用经费（万元），计算公用经费控制率用；没有可留空"))] = None
    procurement_budget: Annotated[Decimal | None, Cell("政府采购预算数", help=(
        "当年政府采购预算（计划）金额（万元），计算政府采购执行率用；没有可留空"))] = None
    procurement_actual: Annotated[Decimal | None, Cell("政府采购实际数", help="当年实际政府采购金额（万元）；没有可留空")] = None
    explanation: Annotated[str | None, Cell("预算执行偏差说明", "longtext", width=40, help=(
        "预算执行率明显偏低（如低于90%）或支出超过全年预算时，说明原因"),
        meaning="预算执行偏差说明（未填为 None）")] = None
    income_total: Decimal = _d("本年收入合计（含上年结转）", source=("income.total.total",))

    @computed_field(description="全年预算数 = 年初预算数 + 预算调整数")
    @property
    def final(self) -> Decimal:
        return sum_of(self, "final")

    @computed_field(description="预算执行率（%）= 全年执行数 / 全年预算数 × 100")
    @property
    def execution_rate(self) -> Decimal | None:
        return percent(self.executed, self.final)

    @computed_field(description="预算调整率（%）= |预算调整数| / 年初预算数 × 100")
    @property
    def adjustment_rate(self) -> Decimal | None:
        return percent(abs(self.adjustment), self.initial)

    @computed_field(description="基本支出预算（initial 年初、adjustment 调整、final 全年、executed 执行、execution_rate 执行率）；"
                                "未填基本支出年初预算数时为空")
    @property
    def basic(self) -> BudgetPart | None:
        return _part(self.basic_initial, self.basic_adjustment, self.basic_executed)

    @computed_field(description="项目支出预算（initial、adjustment、final、executed、execution_rate）；未填项目支出年初预算数时为空")
    @property
    def project(self) -> BudgetPart | None:
        return _part(self.project_initial, self.project_adjustment, self.project_executed)

    @computed_field(description="收入同比变动率（%），未填上年数时为空")
    @property
    def income_change_rate(self) -> Decimal | None:
        return change_rate(self.income_total, self.last_year_income)

    @computed_field(description="支出同比变动率（%），未填上年数时为空")
    @property
    def expenditure_change_rate(self) -> Decimal | None:
        return change_rate(self.executed, self.last_year_expenditure)


class Balance(_Model):
    carryover: Decimal = _d("上年结转", source=("@income.carryover",))
    current_income: Decimal = _d("本年收入（不含上年结转）", source=("income.total.current_year",))
    expenditure: Decimal = _d("本年支出合计", source=("expenditure.total.total",))

    @computed_field(description="当年结余 = 本年收入 − 本年支出（可为负）")
    @property
    def current_year(self) -> Decimal:
        return self.current_income - self.expenditure

    @computed_field(description="年末结转和结余（累计结余）= 上年结转 + 当年结余")
    @property
    def year_end(self) -> Decimal:
        return self.carryover + self.current_year


class FunctionItem(_Model):
    sheet: ClassVar[Placement] = Table("功能分类", "by_function", help=(
        "金额单位：万元。按支出功能分类科目填写支出决算表（或一般公共预算财政拨款支出决算表），每行一个科目，"
        "通常填到“项”；只掌握“类”合计的可只填“类”，但同一类不要既填合计行又填明细行。类合计、占比、完成预算比例由程序计算。"
        "决算数之和不能大于“支出”表的支出合计。没有可整表留空。"))
    record_title: ClassVar[str] = "name"

    category: Annotated[str, Cell("类", width=24, help="科目“类”名称，如：农林水支出、教育支出", meaning="科目类名称",
                                  carry="same")]
    section: Annotated[str | None, Cell("款", width=24, help="科目“款”名称，如：农业农村、普通教育",
                                        meaning="科目款名称（可为空）", carry="same")] = None
    item: Annotated[str | None, Cell("项", width=28, help="科目“项”名称，如：行政运行", meaning="科目项名称（可为空）",
                                     carry="same")] = None
    budget: Annotated[Decimal | None, Cell("预算数", help="全年预算数；没有可留空")] = None
    actual: Annotated[Decimal, Cell("决算数")]

    @computed_field(description="科目全称，如 农林水支出（类）农业农村（款）行政运行（项）")
    @property
    def name(self) -> str:
        parts = [(self.category, "类"), (self.section, "款"), (self.item, "项")]
        return "".join(f"{text}（{level}）" for text, level in parts if text)

    @computed_field(description="完成预算（%）= 决算数 / 预算数 × 100；未填预算数或为 0 时为空")
    @property
    def completion_rate(self) -> Decimal | None:
        return percent(self.actual, self.budget)


def _budget_sum(rows: list[FunctionItem]) -> Decimal | None:
    budgets = [r.budget for r in rows if r.budget is not None]
    return sum(budgets, ZERO) if budgets else None


class FunctionClass(_Model):
    name: str = _d("科目类名称")
    rows: list[FunctionItem] = _d("该类的科目行")
    actual: Decimal = _d("决算数合计")
    share: Decimal | None = _d("占功能分类决算数合计的比例（%）")

    @computed_field(description="预算数合计（只计填写了预算数的行；都未填时为空）")
    @property
    def budget(self) -> Decimal | None:
        return _budget_sum(self.rows)

    @computed_field(description="完成预算（%）= 决算数合计 / 预算数合计 × 100")
    @property
    def completion_rate(self) -> Decimal | None:
        return percent(self.actual, self.budget)


class ByFunction(_Model):
    rows: list[FunctionItem] = _d("支出功能分类科目行（按填写顺序）", default_factory=list)

    @computed_field(description="决算数合计")
    @property
    def total_actual(self) -> Decimal:
        return sum((r.actual for r in self.rows), ZERO)

    @computed_field(description="预算数合计（只计填写了预算数的行；都未填时为空）")
    @property
    def total_budget(self) -> Decimal | None:
        return _budget_sum(self.rows)

    @computed_field(description="完成预算（%）= 决算数合计 / 预算数合计 × 100")
    @property
    def completion_rate(self) -> Decimal | None:
        return percent(self.total_actual, self.total_budget)

    @computed_field(description="按“类”汇总（按首次出现的顺序）：name、actual、share（占决算数合计的比例，%）、budget、"
                                "completion_rate、rows")
    @property
    def classes(self) -> list[FunctionClass]:
        grouped: dict[str, list[FunctionItem]] = {}
        for row in self.rows:
            grouped.setdefault(row.category, []).append(row)
        total = self.total_actual
        return [FunctionClass(name=name, rows=rows, actual=(actual := sum((r.actual for r in rows), ZERO)),
                              share=percent(actual, total)) for name, rows in grouped.items()]


class SocialFund(_Model):
    sheet: ClassVar[Placement] = KeyValue("社会保险基金", "social_fund", help=(
        "金额单位：万元。单位编制社会保险基金预算的，“是否有社会保险基金预算”填“是”并填写收入、支出和年末结余；"
        "没有的填“否”或整表留空（报告写“无社会保险基金预算支出”）。"))

    managed: Annotated[bool | None, Cell("是否有社会保险基金预算", help="填“是”时须填写收入和支出；留空视为“否”",
                                         meaning="是否有社会保险基金预算（未填为空，视为没有）")] = None
    income: Annotated[Decimal | None, Cell("社会保险基金收入", plausible="fund")] = None
    expenditure: Annotated[Decimal | None, Cell("社会保险基金支出", plausible="fund")] = None
    balance: Annotated[Decimal | None, Cell("社会保险基金年末结余", help="年末滚存结余；没有可留空",
                                            allow_negative=True, plausible="fund")] = None

    @computed_field(description="是否有社会保险基金（“是否有社会保险基金预算”填“是”）；否则报告写“无”")
    @property
    def present(self) -> bool:
        return self.managed is True

    @computed_field(description="当年收支结余 = 收入 − 支出（可为负；未填时为空）")
    @property
    def current_surplus(self) -> Decimal | None:
        if self.income is None or self.expenditure is None:
            return None
        return self.income - self.expenditure


class IndicatorRow(_Model):
    """A 绩效指标 row, the unit's (``Indicator``) or a project's (``ProjectIndicator``): the same
    columns, the same reading of its target (``target_text``) and the same test of it (``met``),
    so the scoring engine scores both with one rule (``goal_rows``). The 一级指标 choices are the
    format's when its scoring declares them (``workbook_schema``), else ``INDICATOR_LEVEL1``."""

    level1: Annotated[str, Cell("一级指标", choices=INDICATOR_LEVEL1, width=12, carry="same")]
    level2: Annotated[str, Cell("二级指标", width=14, help="如：数量指标、质量指标、时效指标、社会效益指标", carry="same")]
    level3: Annotated[str, Cell("三级指标", width=28, carry="same")]
    nature: Annotated[str, Cell("指标性质", choices=INDICATOR_NATURES, width=10, meaning="指标性质（≥、≤、=、定性）",
                                carry="same")]
    target: Annotated[Decimal | str, Cell("年度指标值", "text", width=14, help="定量指标填数字；定性指标填文字",
                                          meaning="年度指标值（定量为数字）", carry="revise")]
    unit: Annotated[str | None, Cell("度量单位", width=10, carry="same")] = None
    adjusted_target: Annotated[str | None, Cell("调整指标值", width=14, help="年中调整过指标值的填写（仅供打印）",
                                                meaning="调整后的指标值（原文，仅供打印）")] = None
    actual: Annotated[Decimal | str, Cell("实际完成值", "text", width=14, meaning="实际完成值（定量为数字）")]
    weight: Annotated[Decimal | None, Cell("分值", "decimal", width=8, help="按自评表打分的格式需要", carry="same")] = None
    achievement: Annotated[str | None, Cell("完成程度", choices=ACHIEVEMENTS, width=10, help="定性指标填写",
                                            meaning="完成程度（定性指标：达成/部分达成/未达成）")] = None
    score: Annotated[Decimal | None, Cell("定性指标得分", "decimal", width=12, help=(
        "定性指标可在完成程度对应的区间内自评打分（分）：如财预〔2020〕10号，达成为分值的80%（含）至100%，"
        "部分达成60%（含）至80%，未达成60%以下（以本格式的评分规则为准）；不填按格式的默认比例计。定量指标由程序计分，不填"),
        meaning="定性指标的自评得分（分；未填为 None）")] = None
    deviation_reason: Annotated[str | None, Cell("偏差原因及改进措施", "longtext", width=36)] = None
    core: Annotated[bool | None, Cell("是否核心指标", width=10, help="打印“是否核心指标”的格式需要",
                                      meaning="是否核心指标（未填为 None）", carry="same")] = None
    ref: str = _d("所在工作表行（用于提示）", default="")
    cells: dict[str, str] = Field(default_factory=dict, exclude=True, description=(
        "各栏所在单元格（字段名 → 工作表!单元格），用于提示；不传给模板"))

    def cell(self, field: str) -> str:
        """Where the row's ``field`` was typed (``绩效指标!K9``), else the row."""
        return self.cells.get(field) or self.ref

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
                                       min_rows=1, print_through="level3")


class ProjectIndicator(IndicatorRow):
    sheet: ClassVar[Placement] = Table("项目指标", "project_indicators", help=(
        "各项目的绩效指标（项目支出绩效自评表），每行一个三级指标；各列与“绩效指标”表相同。"
        "按自评表打分的格式：每行填分值，同一项目同一一级指标各行分值之和等于该一级指标的分值。"), print_through="level3")
    lead: ClassVar[tuple[str, ...]] = ("project",)

    project: Annotated[str, Cell("项目名称", width=30, help="必须与“项目”表中的名称一致", meaning="所属项目名称",
                                 carry="same")]


Project.model_rebuild()  # its indicators (ProjectIndicator) are declared above, beside the unit's


class NarrativeRow(_Model):
    sheet: ClassVar[Placement] = Table("文字说明", "narrative", min_rows=1, blank_rows=30,
                                       help=("报告中的文字部分，按出现顺序逐行填写；同一部分可有多行（每行一个小标题段落）。"
                                             "部门概况的第一句（单位名称、性质、预算级次、内设机构、编制和实有人数）"
                                             "由程序根据“基本信息”表生成，收支、预算执行、三公经费、资产等数字段落由各数据表生成，"
                                             "这里只写其余内容，不要重复。"))

    part: Annotated[str, Cell("部分", choices=NARRATIVE_PARTS, width=16)]
    title: Annotated[str | None, Cell("小标题", width=30, help="可留空")] = None
    body: Annotated[str, Cell("正文", "longtext", width=90, help=(
        "单元格内按 Alt+Enter 换行即分段；“部门概况”开头介绍单位的一句（如“××局为行政单位，一级预算单位，"
        "内设……个机构。核定编制……人”）由程序根据“基本信息”表生成，不要再写"))]


class Section(_Model):
    title: str | None = _d("小标题（可为空）", default=None)
    paragraphs: list[str] = _d("段落（正文按换行分段）")
    ref: str = Field("", exclude=True, description="正文所在单元格（用于提示）；不传给模板")


class Narrative(_Model):
    overview: list[Section] = _d("部门概况", default_factory=list, source=("@narrative.*",))
    achievements: list[Section] = _d("工作成效", default_factory=list, source=("@narrative.*",))
    problems: list[Section] = _d("存在的问题", default_factory=list, source=("@narrative.*",))
    measures: list[Section] = _d("改进措施", default_factory=list, source=("@narrative.*",))
    other: list[Section] = _d("其他需要说明的情况", default_factory=list, source=("@narrative.*",))
    conclusion: list[Section] = _d("自评结论", default_factory=list, source=("@narrative.*",))


class Evaluator(_Model):
    sheet: ClassVar[Placement] = Table("评价人员", "evaluators", help="参与自评的人员。")

    name: Annotated[str, Cell("姓名", width=12, carry="same")]
    title: Annotated[str, Cell("职务/职称", width=24, carry="same")]
    org: Annotated[str, Cell("单位", width=30, carry="same")]


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


class Common(_Model):
    """The common indicators of 部门整体 evaluations (共性指标: 重庆 2021, 湖南 and others) as named figures
    a scoring file uses (``common.carryover_rate``). Each is computed once, from the sheets the report
    already holds, and is None when its denominator is zero or its figures are not filled; a figure
    another part of the report defines (在职人员控制率 is ``staff.control_rate``) is that figure."""

    staff_control_rate: Decimal | None = _d("在职人员控制率（%）= 年末实有人数 / 编制数 × 100（同 staff.control_rate）",
                                            source=("staff.control_rate",))
    three_public_control_rate: Decimal | None = _d(
        "“三公”经费控制率（%）= “三公”经费决算合计 / 预算合计 × 100（同 three_public.control_rate）",
        source=("three_public.control_rate",))
    three_public_change_rate: Decimal | None = _d(
        "“三公”经费变动率（%）=（本年决算合计 − 上年决算合计）/ 上年决算合计 × 100（同 three_public.change_rate）",
        source=("three_public.change_rate",))
    execution_rate: Decimal | None = _d("预算执行率（预算完成率，%）= 全年执行数 / 全年预算数 × 100（同 budget.execution_rate）",
                                        source=("budget.execution_rate",))
    adjustment_rate: Decimal | None = _d("预算调整率（%）= |预算调整数| / 年初预算数 × 100（同 budget.adjustment_rate）",
                                         source=("budget.adjustment_rate",))
    carryover_rate: Decimal | None = _d("结转结余率（%）= 年末结转和结余 / 全年预算数 × 100",
                                        source=("balance.year_end", "budget.final"))
    public_control_rate: Decimal | None = _d(
        "公用经费控制率（%）= 公用经费支出 / 公用经费预算数 × 100；未填公用经费预算数时为空",
        source=("expenditure.total.public", "budget.public_budget"))
    fixed_utilization: Decimal | None = _d("固定资产利用率（%）= 在用固定资产 / 固定资产合计 × 100（同 assets.fixed_utilization）",
                                           source=("assets.fixed_utilization",))
    procurement_rate: Decimal | None = _d(
        "政府采购执行率（%）= 政府采购实际数 / 政府采购预算数 × 100；未填时为空",
        source=("budget.procurement_actual", "budget.procurement_budget"))


class Report(_Model):
    """Everything a template can use. Scoring and questionnaire results are attached by the build."""

    unit: Unit = _d("单位基本信息")
    functions: list[str] = _d("主要职能（列表）", source=("@functions.text",))
    goals: list[Goal] = _d("年度目标/主要工作（列表）")
    income: Income = _d("收入情况")
    expenditure: Expenditure = _d("支出情况")
    budget: Budget = _d("预算及执行")
    funds: Funds = _d("资金来源（本年财政拨款、上年结转、其他资金）", default_factory=Funds)
    by_function: ByFunction = _d("支出功能分类（科目行及按类汇总）", default_factory=ByFunction)
    social_fund: SocialFund = _d("社会保险基金", default_factory=SocialFund)
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
        with untraced():  # Staff's fields say which 基本信息 cells they are
            return self._staff()

    def _staff(self) -> Staff:
        u = self.unit
        figures = zip(STAFF_KINDS, (getattr(u, key) for key, _ in parts(Unit, "quota_kinds")),
                      (getattr(u, key) for key, _ in parts(Unit, "actual_kinds")), strict=True)
        kinds = [StaffKind(name=name, quota=quota or 0, actual=actual or 0)
                 for name, quota, actual in figures if quota is not None or actual is not None]
        return Staff(quota=u.staff_quota, actual=u.staff_actual, kinds=kinds, temporary=u.temporary,
                     dispatched=u.dispatched, retired=u.retired)

    @computed_field(description=(
        "共性指标（在职人员控制率、“三公”经费控制率和变动率、预算执行率、预算调整率、结转结余率、公用经费控制率、"
        "固定资产利用率、政府采购执行率），评分体系可直接使用，如 common.carryover_rate"))
    @property
    def common(self) -> Common:
        with untraced():  # Common's fields say which figures they are
            return self._common()

    def _common(self) -> Common:
        b, tp = self.budget, self.three_public
        return Common(staff_control_rate=self.staff.control_rate, three_public_control_rate=tp.control_rate,
                      three_public_change_rate=tp.change_rate, execution_rate=b.execution_rate,
                      adjustment_rate=b.adjustment_rate, carryover_rate=percent(self.balance.year_end, b.final),
                      public_control_rate=percent(self.expenditure.total.public, b.public_budget),
                      fixed_utilization=self.assets.fixed_utilization,
                      procurement_rate=percent(b.procurement_actual, b.procurement_budget))

    @computed_field(description="各机构结余（按机构名称对应收入与支出）")
    @property
    def org_balances(self) -> list[OrgBalance]:
        spent = {r.org: r.total for r in self.expenditure.rows}
        return [OrgBalance(org=r.org, income=r.total, current_income=r.current_year,
                           expenditure=spent.get(r.org, ZERO)) for r in self.income.rows]


# The workbook's core sheets, in order: each model's ``sheet`` says where, its Cells say what.
INPUT_SHEETS: tuple[type[InputModel], ...] = (
    Unit, FunctionRow, Goal, IncomeRow, ExpenditureRow, Budget, FundSource, FunctionItem, ThreePublicItem, Assets,
    SocialFund, Project, ProjectIndicator, Indicator, NarrativeRow, Evaluator,
)
# each input sheet's key (``income``) -> its model
SHEET_MODELS: dict[str, type[InputModel]] = {model.sheet.key: model for model in INPUT_SHEETS}  # type: ignore[attr-defined]
