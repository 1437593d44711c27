"""Loading a scoring system from ``scoring.yaml``, with every problem reported at once.

``load_scoring_system`` validates the structure (pydantic, one indicator at a time so one bad
indicator does not hide the others) and then the meaning: group sums, total 100, band tiling,
points within 分值, unique names and keys, Jinja syntax, and that every ``inputs.<key>`` read by
an expression is declared. ``required_inputs`` lists what the workbook must collect.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reportgen.errors import Finding, ReportgenError
from reportgen.render.filters import num
from reportgen.scoring import expr
from reportgen.scoring.intervals import tiling_problems
from reportgen.scoring.spec import (
    RULE_KINDS,
    BandsRule,
    CapSpec,
    ChecklistRule,
    DeductionRule,
    GoalRowsSpec,
    Grade,
    IndicatorSpec,
    InputKind,
    ManualRule,
    RatioRule,
    Spec,
    SystemSpec,
    TiersRule,
    WhenUndefined,
)

TOTAL = Decimal(100)
Add = Callable[..., None]  # add(message, field="") collects a finding
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def circled(n: int) -> str:
    return CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else f"({n})"


class Group(Spec):
    name: str
    weight: Decimal
    indicators: list[IndicatorSpec]


class Level(Spec):
    name: str
    weight: Decimal
    groups: list[Group] = Field(default_factory=list)
    goal_rows: GoalRowsSpec | None = None


class ScoringSystem(Spec):
    """A loaded, validated scoring system."""

    id: str
    name: str
    description: str = ""
    grades: list[Grade]
    cap: CapSpec | None = None
    levels: list[Level]
    source: str = Field("", description="声明文件路径（用于提示）")

    def indicators(self) -> Iterator[tuple[Level, Group, IndicatorSpec]]:
        for level in self.levels:
            for group in level.groups:
                for indicator in group.indicators:
                    yield level, group, indicator


class InputSpec(BaseModel):
    """One value the 评分填报 sheet collects; arrives in the context as ``inputs.<key>``
    (yesno as bool, number/integer/score as Decimal, text as str, blank as None)."""

    model_config = ConfigDict(frozen=True)

    key: str
    label: str = Field(description="填报项名称（中文）")
    kind: InputKind
    indicator: str = Field(description="所属三级指标")
    group: str = Field("", description="所属一级/二级指标")
    help: str = ""
    max: Decimal | None = Field(None, description="score：最高分（该指标分值）")
    required: bool = Field(True, description="是否必填（扣分原因仅在低于满分时必填）")


# -- inputs -------------------------------------------------------------------------------------------


def manual_keys(indicator: IndicatorSpec) -> tuple[str, str]:
    return f"{indicator.id}_得分", f"{indicator.id}_扣分原因"


def count_key(indicator: IndicatorSpec) -> str:
    return f"{indicator.id}_不符合例数"


def item_key(indicator: IndicatorSpec, n: int) -> str:
    rule = indicator.rule
    assert isinstance(rule, ChecklistRule)
    return rule.items[n - 1].key or f"{indicator.id}_{n}"


def indicator_inputs(indicator: IndicatorSpec, group: str = "") -> list[InputSpec]:
    """Declared inputs plus those a checklist or manual rule implies, in workbook order."""
    specs = [InputSpec(key=d.key, label=d.label, kind=d.kind, indicator=indicator.name, group=group, help=d.help)
             for d in indicator.inputs]
    rule = indicator.rule
    if isinstance(rule, ChecklistRule):
        if rule.count_input:
            specs.append(InputSpec(key=count_key(indicator), kind="integer", indicator=indicator.name, group=group,
                                   label=rule.count_label or f"{indicator.name}：不符合要求的例数",
                                   help=f"每例扣{num(rule.per_failure)}分，没有不符合的填 0"))
        else:
            for n, item in enumerate(rule.items, 1):
                worth = f"（{num(item.points)}分）" if rule.mode == "award" and item.points else ""
                specs.append(InputSpec(key=item_key(indicator, n), kind="yesno", indicator=indicator.name, group=group,
                                       label=item.label or f"{indicator.name}：{circled(n)}{item.text}",
                                       help=f"符合填“是”，不符合填“否”{worth}"))
    elif isinstance(rule, ManualRule):
        score_key, reason_key = manual_keys(indicator)
        specs.append(InputSpec(key=score_key, kind="score", indicator=indicator.name, group=group,
                               label=rule.score_label or f"{indicator.name}得分", max=indicator.weight,
                               help=f"0 至 {num(indicator.weight)} 分，按评分标准自评"))
        specs.append(InputSpec(key=reason_key, kind="text", indicator=indicator.name, group=group, required=False,
                               label=rule.reason_label or f"{indicator.name}扣分原因",
                               help="得分低于满分时必填：扣分原因和其他说明"))
    return specs


def required_inputs(system: ScoringSystem) -> list[InputSpec]:
    """Every value the workbook must collect for this scoring system, in table order."""
    return [spec for level, group, ind in system.indicators()
            for spec in indicator_inputs(ind, f"{level.name}/{group.name}")]


# -- loading ------------------------------------------------------------------------------------------


def load_scoring_system(path: Path | str) -> ScoringSystem:
    """Read and validate a scoring file. Raises ReportgenError listing every problem found."""
    from reportgen.formats.loader import read_yaml

    path = Path(path)
    where = str(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise ReportgenError(Finding("评分体系文件应为键值结构（YAML 映射）", where))
    return build_scoring_system(raw, where)


def build_scoring_system(raw: dict[str, Any], where: str) -> ScoringSystem:
    findings: list[Finding] = []

    def add(message: str, field: str = "") -> None:
        findings.append(Finding(message, where, field))

    indicators, broken_groups = _indicators(raw, add)
    try:
        spec = SystemSpec.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            add(*_translate(error, raw))
        spec = None
    if spec is not None:
        _check_system(spec, indicators, broken_groups, add)
    all_indicators = [ind for group in indicators.values() for ind in group]
    _check_indicators(all_indicators, add)
    if findings:
        raise ReportgenError(findings)
    assert spec is not None
    levels = [Level(name=lv.name, weight=lv.weight, goal_rows=lv.goal_rows,
                    groups=[Group(name=g.name, weight=g.weight, indicators=indicators[(i, j)])
                            for j, g in enumerate(lv.groups or [])])
              for i, lv in enumerate(spec.levels)]
    return ScoringSystem(id=spec.id, name=spec.name, description=spec.description, grades=spec.grades,
                         cap=spec.cap, levels=levels, source=where)


def _indicators(raw: dict[str, Any], add: Add) -> tuple[dict[tuple[int, int], list[IndicatorSpec]],
                                                      set[tuple[int, int]]]:
    """Validate every indicator found in the raw tree on its own; the skeleton is checked later."""
    found: dict[tuple[int, int], list[IndicatorSpec]] = {}
    broken: set[tuple[int, int]] = set()
    levels = raw.get("levels")
    for i, level in enumerate(levels if isinstance(levels, list) else []):
        groups = level.get("groups") if isinstance(level, dict) else None
        for j, group in enumerate(groups if isinstance(groups, list) else []):
            items = group.get("indicators") if isinstance(group, dict) else None
            found[(i, j)] = []
            for n, item in enumerate(items if isinstance(items, list) else []):
                name = item.get("name") if isinstance(item, dict) else None
                label = str(name) if name else f"{_name(level)}/{_name(group)} 第{n + 1}个指标"
                if not isinstance(item, dict):
                    add("三级指标应为键值结构（YAML 映射）", label)
                    broken.add((i, j))
                    continue
                try:
                    found[(i, j)].append(IndicatorSpec.model_validate(item))
                except ValidationError as exc:
                    broken.add((i, j))
                    for error in exc.errors():
                        add(_translate(error, item)[0], label)
    return found, broken


def _name(node: Any) -> str:
    return str(node.get("name", "?")) if isinstance(node, dict) else "?"


_KIND_LIST = "、".join(RULE_KINDS)


def _translate(error: Any, raw: Any) -> tuple[str, str]:
    """A pydantic error as (Chinese message, field naming the level/group when known)."""
    loc = [p for p in error["loc"]]
    # pydantic puts the union tag into the location (rule.bands.points); drop it
    loc = [p for k, p in enumerate(loc) if not (k > 0 and loc[k - 1] == "rule" and p in RULE_KINDS)]
    field = ""
    if len(loc) >= 2 and loc[0] == "levels" and isinstance(loc[1], int):
        levels = raw.get("levels") if isinstance(raw, dict) else None
        level = levels[loc[1]] if isinstance(levels, list) and loc[1] < len(levels) else None
        field = _name(level)
        if len(loc) >= 4 and loc[2] == "groups" and isinstance(loc[3], int) and isinstance(level, dict):
            groups = level.get("groups")
            if isinstance(groups, list) and loc[3] < len(groups):
                field += "/" + _name(groups[loc[3]])
    path = ".".join(str(p + 1) if isinstance(p, int) else str(p) for p in loc)
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "union_tag_invalid":
        message = f"未知的评分规则类型“{ctx.get('tag')}”（可用：{_KIND_LIST}）"
    elif kind == "union_tag_not_found":
        message = f"评分规则缺少 kind（可用：{_KIND_LIST}）"
    elif kind == "extra_forbidden":
        message = f"不认识的键“{loc[-1]}”"
    elif kind == "missing":
        message = "缺少必填项"
    elif kind in ("decimal_parsing", "decimal_type", "float_parsing", "int_parsing", "int_type"):
        message = f"应为数字，实际为“{value}”"
    elif kind in ("string_type",):
        message = "应为文本"
    elif kind == "literal_error":
        message = f"取值应为 {ctx.get('expected')}，实际为“{value}”"
    elif kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge"))
        message = f"应{'大于' if kind == 'greater_than' else '不小于'}{bound}，实际为“{value}”"
    elif kind in ("too_short",):
        message = "不能为空"
    elif kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        message = "格式不对（应为列表或键值结构）"
    elif kind in ("bool_type", "bool_parsing"):
        message = "应为 true 或 false"
    elif kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
    else:
        message = str(error["msg"])
    return (f"{path}：{message}" if path else message), field


def _sum_text(values: list[Decimal]) -> str:
    return num(sum(values, Decimal(0)))


def _check_system(spec: SystemSpec, indicators: dict[tuple[int, int], list[IndicatorSpec]],
                  broken: set[tuple[int, int]], add: Add) -> None:
    total = sum((lv.weight for lv in spec.levels), Decimal(0))
    if total != TOTAL:
        add(f"各一级指标分值合计为{num(total)}分，应为100分", "总分")
    names = [lv.name for lv in spec.levels]
    for name in sorted({n for n in names if names.count(n) > 1}):
        add("一级指标名称重复", name)
    goal_names: list[str] = []
    for i, level in enumerate(spec.levels):
        if (level.groups is None) == (level.goal_rows is None):
            add("一级指标应当且只能有 groups（二级指标）或 goal_rows（按单位绩效指标评分）之一", level.name)
            continue
        if level.goal_rows is not None:
            goal_names += level.goal_rows.level1
            continue
        groups = level.groups or []
        group_sum = sum((g.weight for g in groups), Decimal(0))
        if group_sum != level.weight:
            add(f"二级指标分值合计为{num(group_sum)}分，与一级指标分值{num(level.weight)}分不符", level.name)
        group_names = [g.name for g in groups]
        for name in sorted({n for n in group_names if group_names.count(n) > 1}):
            add("二级指标名称重复", f"{level.name}/{name}")
        for j, group in enumerate(groups):
            if (i, j) in broken:
                continue
            weights = [ind.weight for ind in indicators.get((i, j), [])]
            if sum(weights, Decimal(0)) != group.weight:
                add(f"三级指标分值合计为{_sum_text(weights)}分，与二级指标分值{num(group.weight)}分不符",
                    f"{level.name}/{group.name}")
    for name in sorted({n for n in goal_names if goal_names.count(n) > 1}):
        add(f"绩效指标的一级指标“{name}”被多个 goal_rows 重复匹配", "goal_rows")
    for problem in tiling_problems([g.range for g in spec.grades]):
        add(f"评价等次：{problem}", "grades")
    if spec.cap is not None:
        for problem in tiling_problems([b.range for b in spec.cap.bands], spec.cap.unit):
            add(f"总分封顶：{problem}", "cap")
        if error := expr.syntax_error(spec.cap.value, expression=True):
            add(f"总分封顶的 value 表达式有语法错误：{error}", "cap")


def _check_indicators(indicators: list[IndicatorSpec], add: Add) -> None:
    keys = [ind.id for ind in indicators]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        add(f"指标键“{key}”重复：同名（或去掉标点后同名）的指标请各自写明不同的 key", key)
    declared: dict[str, str] = {}
    for ind in indicators:
        for spec in indicator_inputs(ind):
            if spec.key in declared:
                add(f"填报键“{spec.key}”重复（另见指标 {declared[spec.key]}）", ind.name)
            declared.setdefault(spec.key, ind.name)
    for ind in indicators:
        for message in _indicator_problems(ind, set(declared)):
            add(message, ind.name)


def _expressions(ind: IndicatorSpec) -> list[tuple[str, str, bool]]:
    """(what, source, is_expression) for every Jinja source in the indicator."""
    found: list[tuple[str, str, bool]] = []
    if ind.value:
        found.append(("value", ind.value, True))
    if ind.calc:
        found.append(("calc", ind.calc, False))
    rule = ind.rule
    undefined = getattr(rule, "when_undefined", None)
    if isinstance(undefined, WhenUndefined) and undefined.text:
        found.append(("when_undefined.text", undefined.text, False))
    if isinstance(rule, RatioRule):
        for n, part in enumerate(rule.parts, 1):
            for what in ("achieved", "planned", "rate"):
                if source := getattr(part, what):
                    found.append((f"parts.{n}.{what}", source, True))
    if isinstance(rule, TiersRule):
        for n, tier in enumerate(rule.tiers, 1):
            if tier.when:
                found.append((f"tiers.{n}.when", tier.when, True))
            found.append((f"tiers.{n}.text", tier.text, False))
    return found


def referenced_inputs(ind: IndicatorSpec) -> list[str]:
    keys: list[str] = []
    for _, source, is_expression in _expressions(ind):
        keys += expr.input_keys(source, expression=is_expression)
    return list(dict.fromkeys(keys))


def _indicator_problems(ind: IndicatorSpec, input_keys: set[str]) -> list[str]:
    problems: list[str] = []
    for what, source, is_expression in _expressions(ind):
        if error := expr.syntax_error(source, expression=is_expression):
            problems.append(f"{what} 的 Jinja {'表达式' if is_expression else '模板'}有语法错误：{error}")
    for key in referenced_inputs(ind):
        if key not in input_keys:
            problems.append(f"引用了未声明的填报项 inputs.{key}（请在该指标的 inputs 中声明）")
    rule, weight = ind.rule, ind.weight
    needs_value = isinstance(rule, BandsRule | DeductionRule) or (isinstance(rule, RatioRule) and not rule.parts)
    if needs_value and not ind.value:
        problems.append(f"{rule.kind} 规则需要 value（取值路径或表达式）")
    undefined = getattr(rule, "when_undefined", None)
    if isinstance(undefined, WhenUndefined) and isinstance(undefined.points, Decimal) and not (
            0 <= undefined.points <= weight):
        problems.append(f"when_undefined 的分数{num(undefined.points)}不在 0 至 {num(weight)} 分之间")
    if isinstance(rule, BandsRule):
        for problem in tiling_problems([b.range for b in rule.bands], ind.unit):
            problems.append(f"分档{problem}")
        for band in rule.bands:
            if band.points > weight:
                problems.append(f"分档 {band.range.text} 的分数{num(band.points)}超过分值{num(weight)}")
    elif isinstance(rule, ChecklistRule):
        problems += _checklist_problems(rule, weight)
    elif isinstance(rule, RatioRule) and rule.parts:
        total = sum((p.weight for p in rule.parts), Decimal(0))
        if total != weight:
            problems.append(f"ratio 各部分分值合计{num(total)}，与指标分值{num(weight)}不符")
        for n, part in enumerate(rule.parts, 1):
            if bool(part.rate) == bool(part.achieved and part.planned) or (part.achieved is None) != (
                    part.planned is None):
                problems.append(f"ratio 第{n}部分应给出 achieved 和 planned，或者只给出 rate")
    elif isinstance(rule, TiersRule):
        for n, tier in enumerate(rule.tiers, 1):
            last = n == len(rule.tiers)
            if last and tier.when:
                problems.append("tiers 最后一档表示“其他情况”，不要写 when")
            if not last and not tier.when:
                problems.append(f"tiers 第{n}档缺少 when 条件（只有最后一档可以省略）")
            if tier.points > weight:
                problems.append(f"tiers 第{n}档的分数{num(tier.points)}超过分值{num(weight)}")
    return problems


def _checklist_problems(rule: ChecklistRule, weight: Decimal) -> list[str]:
    problems: list[str] = []
    if rule.mode == "award":
        if not rule.items:
            problems.append("checklist（award）需要 items")
        if any(item.points is None for item in rule.items):
            problems.append("checklist（award）的每一项都要写 points")
        total = sum((item.points or Decimal(0) for item in rule.items), Decimal(0))
        if rule.items and total != weight:
            problems.append(f"checklist 各项分值合计{num(total)}，与指标分值{num(weight)}不符")
        if rule.per_failure is not None or rule.count_input:
            problems.append("per_failure、count_input 只用于 deduct 模式")
    else:
        if rule.per_failure is None:
            problems.append("checklist（deduct）需要 per_failure（每例不符合扣分）")
        if not rule.items and not rule.count_input:
            problems.append("checklist（deduct）需要 items，或者 count_input: true")
        if any(item.points is not None for item in rule.items):
            problems.append("checklist（deduct）的各项不写 points（每例扣 per_failure 分）")
    return problems
