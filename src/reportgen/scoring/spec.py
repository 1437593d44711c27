"""The declaration of a scoring system (``scoring.yaml``), as pydantic models.

Structure: ``levels`` (一级指标) -> ``groups`` (二级指标) -> ``indicators`` (三级指标), each with a
``weight`` (分值); a level may instead take its indicators from the unit's own 绩效指标 rows
(``goal_rows``). Each indicator has exactly one ``rule``; see ``templates/*/scoring.yaml`` and
``tests/test_scoring.py`` for complete examples. Semantic checks (sums, band tiling, Jinja syntax)
live in ``system.py`` so that one load reports every problem at once.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from reportgen.model.inputs import InputDecl as InputDecl  # declared with the model's inputs
from reportgen.model.inputs import InputKind as InputKind
from reportgen.scoring.intervals import Interval

RULE_KINDS = ("bands", "deduction", "checklist", "ratio", "tiers", "manual")


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _interval(value: Any) -> Any:
    return Interval.parse(value) if isinstance(value, str) else value


IntervalField = Annotated[Interval, BeforeValidator(_interval)]


class WhenUndefined(Spec):
    """What a rule awards when its value cannot be calculated (zero denominator)."""

    points: Literal["full", "zero"] | Decimal = Field(description="full 满分 / zero 0分 / 具体分数")
    text: str = Field("", description="说明（Jinja 文本），写进计算说明和扣分原因")

    @classmethod
    def coerce(cls, value: Any) -> Any:
        if isinstance(value, str | int | float | Decimal) and not isinstance(value, bool):
            return {"points": value}
        return value


UndefinedField = Annotated[WhenUndefined | None, BeforeValidator(WhenUndefined.coerce)]


class Band(Spec):
    range: IntervalField = Field(description="区间，如 [80, 90)")
    points: Decimal = Field(ge=0)


class BandsRule(Spec):
    """value -> points by intervals."""

    kind: Literal["bands"]
    bands: list[Band] = Field(min_length=1)
    when_undefined: UndefinedField = None


class DeductionRule(Spec):
    """Points off per percentage point above (``over``) or below (``under``) a target, floored at 0."""

    kind: Literal["deduction"]
    target: Decimal = Field(description="标准值（百分数），如 100")
    direction: Literal["over", "under"] = Field(description="over 超过标准扣分 / under 低于标准扣分")
    per_point: Decimal = Field(gt=0, description="每个百分点扣分")
    partial: Literal["proportional", "floor", "ceil"] = Field(
        "proportional", description="不足一个百分点的部分：proportional 按比例扣 / floor 不扣 / ceil 按一个百分点扣")
    when_undefined: UndefinedField = None


class ChecklistItem(Spec):
    text: str
    points: Decimal | None = Field(None, gt=0, description="award 模式：该项分值")
    key: str | None = Field(None, description="填报键（默认 指标键_序号）")
    label: str | None = Field(None, description="填报时显示的问题（默认为 text）")


class ChecklistRule(Spec):
    """Yes/no items: ``award`` each satisfied item's points, or ``deduct`` per failure."""

    kind: Literal["checklist"]
    mode: Literal["award", "deduct"] = "award"
    items: list[ChecklistItem] = Field(default_factory=list)
    per_failure: Decimal | None = Field(None, gt=0, description="deduct 模式：每例不符合扣分")
    count_input: bool = Field(False, description="deduct 模式：填报不符合例数（整数）而非逐项是/否")
    count_label: str | None = Field(None, description="例数填报项的名称")


class RatioPart(Spec):
    weight: Decimal = Field(gt=0)
    achieved: str | None = Field(None, description="完成数（路径或表达式）")
    planned: str | None = Field(None, description="计划数（路径或表达式）")
    rate: str | None = Field(None, description="或者直接给出完成率（百分数）")
    label: str = ""


class RatioRule(Spec):
    """分值 × achieved / planned (capped at 1), possibly several parts with their own weights.
    Without parts the indicator's ``value`` is the rate (percent)."""

    kind: Literal["ratio"]
    parts: list[RatioPart] = Field(default_factory=list)
    when_undefined: UndefinedField = None


class Tier(Spec):
    when: str | None = Field(None, description="条件（Jinja 表达式）；最后一档不写，表示“其他情况”")
    points: Decimal = Field(ge=0)
    text: str = Field(description="该档的说明，如“当年无结余”")


class TiersRule(Spec):
    """Ordered cases: the first whose condition holds decides the points."""

    kind: Literal["tiers"]
    tiers: list[Tier] = Field(min_length=1)


class ManualRule(Spec):
    """The clerk enters the score and (below full marks) the reason."""

    kind: Literal["manual"]
    score_label: str | None = None
    reason_label: str | None = None


Rule = Annotated[BandsRule | DeductionRule | ChecklistRule | RatioRule | TiersRule | ManualRule,
                 Field(discriminator="kind")]


class IndicatorSpec(Spec):
    name: str = Field(description="三级指标名称")
    key: str | None = Field(None, description="指标键（默认由名称去掉标点得到；同名指标须各自指定）")
    weight: Decimal = Field(gt=0, description="分值")
    standard: str = Field("", description="评分标准（原文，打印在表中）")
    note: str = Field("", description="备注")
    label: str | None = Field(None, description="计算说明/扣分原因中值的名称（默认为指标名称）")
    unit: str = Field("%", description="值的单位：% 表示百分数")
    value: str | None = Field(None, description="值：路径（staff.control_rate）或 Jinja 表达式")
    calc: str | None = Field(None, description="计算说明（Jinja 文本）")
    inputs: list[InputDecl] = Field(default_factory=list)
    rule: Rule

    @property
    def id(self) -> str:
        return self.key or default_key(self.name)

    @property
    def value_label(self) -> str:
        return self.label or self.name


def default_key(name: str) -> str:
    key = re.sub(r"\W", "", name)
    return key if key.isidentifier() else f"k{key}"


class QualitativeBand(Spec):
    """A 完成程度's share of a 定性 row's points (percent): the band a unit's own 得分 must lie in, and
    the share given when it enters none. A bare number is a fixed share (no choice)."""

    range: IntervalField = Field(description="得分区间（占分值的%），如 [80, 100]")
    default: Decimal = Field(ge=0, le=100, description="未填得分时的比例（%），须在区间内")

    @classmethod
    def coerce(cls, value: Any) -> Any:
        if isinstance(value, int | float | Decimal | str) and not isinstance(value, bool):
            try:
                share = Decimal(str(value))
            except ArithmeticError:
                return value  # not a number: validated as a mapping, which fails with the usual message
            return {"range": Interval(low=share, low_closed=True, high=share, high_closed=True,
                                      text=f"[{value}, {value}]"), "default": share}
        return value


QualitativeField = Annotated[QualitativeBand, BeforeValidator(QualitativeBand.coerce)]


def ten_bands() -> dict[str, QualitativeBand]:
    """财预〔2020〕10号: 达成年度指标 100%–80%（含80%）, 部分达成并具有一定效果 80%（不含）–60%（含）,
    未达成并效果较差 60%（不含）–0; one vendor system enforces [80,100], [60,80), [0,60) likewise."""
    return {"达成": QualitativeBand(range=Interval.parse("[80, 100]"), default=Decimal(100)),
            "部分达成": QualitativeBand(range=Interval.parse("[60, 80)"), default=Decimal(60)),
            "未达成": QualitativeBand(range=Interval.parse("[0, 60)"), default=Decimal(0))}


OVERSHOOT_PRESETS: dict[str, dict[str, int] | None] = {
    "explain": {"above": 30},  # 高于指标值30%（含）以上须说明原因
    "deduct": {"above": 30, "deduct": 2},  # 并扣2分（某省一体化系统的“指标偏离”）
    "off": None,
}


class Overshoot(Spec):
    """A 正向 (≥) target far exceeded (完成值高于指标值较多): a reason is asked for, and points may be taken off."""

    above: Decimal = Field(Decimal(30), gt=0, description="完成值高于指标值的幅度（%，含）：(实际 − 指标)/指标 × 100")
    deduct: Decimal = Field(Decimal(0), ge=0, description="扣分（0：只要求说明原因，不扣分）")

    @classmethod
    def coerce(cls, value: Any) -> Any:
        if value is False:  # YAML reads a bare ``off`` as false
            return None
        if isinstance(value, str) and value in OVERSHOOT_PRESETS:
            return OVERSHOOT_PRESETS[value]
        return value


class GoalRules(Spec):
    """How 绩效指标 rows (``goal_rows``) are scored, for every such level of the file. Without it the
    财预〔2020〕10号 defaults: 定性 bands 100–80 / 80–60 / 60–0 %, a reason asked for a 正向 target
    exceeded by 30 % or more, 反向 t/a × 分值, 等于 (1 − |a − t|/|t|) × 分值."""

    qualitative: dict[str, QualitativeField] = Field(default_factory=ten_bands, description=(
        "定性指标各完成程度的得分区间和默认比例（%）：{达成: {range: \"[80, 100]\", default: 100}, …}；"
        "写一个数表示固定比例"))
    overshoot: Annotated[Overshoot | None, BeforeValidator(Overshoot.coerce)] = Field(
        default_factory=Overshoot, description="正向指标完成值高于指标值较多：explain（须说明原因）、deduct（并扣2分）、off，"
                                               "或 {above: 30, deduct: 2}")
    reverse: Literal["ratio", "linear"] = Field("ratio", description=(
        "反向（≤）指标未达成：ratio 指标值/实际值×分值；linear (1 − (实际值 − 指标值)/指标值)×分值，两倍指标值时为0"))
    equal: Literal["closeness", "as_positive"] = Field("closeness", description=(
        "等于（=）指标不相等：closeness (1 − |实际值 − 指标值|/|指标值|)×分值；as_positive 按正向指标"
        "（达到或超过指标值满分，否则 实际值/指标值×分值）"))


class GoalRowsSpec(Spec):
    """The level's indicators are the unit's own 绩效指标 rows whose 一级指标 is in ``level1``."""

    level1: list[str] = Field(min_length=1, description="匹配的一级指标名称")
    qualitative: dict[str, QualitativeField] | None = Field(None, description=(
        "本一级指标的定性指标得分区间（同 goal_rules.qualitative；不写用 goal_rules 的）"))
    when_absent: Literal["error", "zero", "move"] = Field("error", description=(
        "单位没有这一部分的绩效指标时：error 无法计分（错误）；zero 该部分计0分；"
        "move 分值并入其他按绩效指标计分的一级指标（单位各行分值相应调整）"))
    standard: str = Field("", description="评分标准说明（打印用）")
    actual_from: str | None = Field(None, description=(
        "实际完成值的来源（数据路径，如 questionnaire_summary.satisfaction_rate）：定量行的实际完成值取此值，"
        "不取绩效指标表填写的值；取不到（如没有问卷）时仍用表中的值并提示"))
    actual_note: str = Field("", description="实际完成值来源的说明，写在计算过程前（如“满意率取自满意度调查问卷汇总”）")
    actual_measure: str = Field("", description=(
        "取来的值叫什么（如“问卷满意率”）：check 在它替换了表中填写的值时说“实际完成值 96.5 已按问卷满意率 98.50% 计”，"
        "问卷汇总据此说明自评表用的是哪个数"))


class GroupSpec(Spec):
    name: str
    weight: Decimal = Field(gt=0)
    indicators: list[Any] = Field(min_length=1)  # validated one by one (IndicatorSpec) to report all errors


class LevelSpec(Spec):
    name: str
    weight: Decimal = Field(gt=0)
    groups: list[GroupSpec] | None = None
    goal_rows: GoalRowsSpec | None = None


class Grade(Spec):
    name: str
    range: IntervalField


class CapBand(Spec):
    range: IntervalField
    cap: Decimal = Field(ge=0, description="总分上限")


class CapSpec(Spec):
    """Total capped by a value's bands (e.g. 预算执行率 [70, 80) -> at most 89)."""

    value: str
    label: str
    unit: str = "%"
    bands: list[CapBand] = Field(min_length=1)


# cap presets: ``cap: execution_rate`` (one provincial 一体化 manual: 预算执行率 70–80% → at most 89,
# 60–70% → 79, 50–60% → 69, below 50% → 59); the rate is the project's in a project_scoring file
CAP_PRESETS = {"execution_rate": [("[70, 80)", 89), ("[60, 70)", 79), ("[50, 60)", 69), ("(-∞, 50)", 59)]}


def cap_preset(name: str, per_project: bool) -> CapSpec:
    value, label = ("project.execution_rate", "执行率") if per_project else ("budget.execution_rate", "预算执行率")
    return CapSpec(value=value, label=label,
                   bands=[CapBand(range=Interval.parse(r), cap=Decimal(c)) for r, c in CAP_PRESETS[name]])


DEFAULT_GRADES = [
    Grade(name="优", range=Interval.parse("[90, +∞)")),
    Grade(name="良", range=Interval.parse("[80, 90)")),
    Grade(name="中", range=Interval.parse("[60, 80)")),
    Grade(name="差", range=Interval.parse("(-∞, 60)")),
]


class SystemSpec(Spec):
    id: str
    name: str
    description: str = ""
    grades: list[Grade] = Field(default_factory=lambda: list(DEFAULT_GRADES), min_length=1)
    cap: CapSpec | Literal["execution_rate"] | None = None
    goal_rules: GoalRules = Field(default_factory=GoalRules)
    levels: list[LevelSpec] = Field(min_length=1)
