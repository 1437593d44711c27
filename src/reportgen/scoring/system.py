"""Loading a scoring system from ``scoring.yaml``, with every problem reported at once.

``load_scoring_system`` validates the structure (pydantic, one indicator at a time so one bad
indicator does not hide the others) and then the meaning: group sums, total 100, band tiling,
points within 分值, unique names and keys, Jinja syntax, and that every ``inputs.<key>`` read by
an expression is declared. ``required_inputs`` lists what the workbook must collect.
Each problem is a finding at ``scoring.yaml:<line>`` with an S2xx code (docs/templating.md), the
level/group or indicator name as its field, and the path within it in the message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reportgen.cells import Field as CellField
from reportgen.cells import Kind
from reportgen.errors import Finding, ReportgenError
from reportgen.model.report import ACHIEVEMENTS
from reportgen.render.filters import num
from reportgen.scoring import expr
from reportgen.scoring.intervals import tiling_problems
from reportgen.scoring.spec import (
    BandsRule,
    CapSpec,
    ChecklistRule,
    DeductionRule,
    GoalRowsSpec,
    GoalRules,
    Grade,
    IndicatorSpec,
    InputKind,
    ManualRule,
    QualitativeBand,
    RatioRule,
    Spec,
    SystemSpec,
    TiersRule,
    WhenUndefined,
    cap_preset,
)
from reportgen.validation import Problem, duplicates, translated
from reportgen.yamlfile import LineMarks, Loc, load_yaml, not_a_mapping

TOTAL = Decimal(100)
Add = Callable[..., None]  # add(code, message, field="", loc=()) collects a finding
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
    goal_rules: GoalRules = Field(default_factory=GoalRules, description="绩效指标行的计分规则")
    levels: list[Level]
    source: str = Field("", description="声明文件路径（用于提示）")
    per_project: bool = Field(False, description="逐项目评分（format.yaml 的 project_scoring）：goal_rows 取各项目的绩效指标")

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

_INPUT_KINDS: dict[str, Kind] = {"yesno": "yesno", "number": "decimal", "integer": "int", "score": "decimal", "text": "longtext"}


def input_field(spec: InputSpec) -> CellField:
    """The 评分填报 row for one scoring input (``scoring.system.InputSpec``). The reader parses the
    cell with it and the scoring engine re-checks a given value with the same declaration, so
    both accept exactly the same values."""
    help_text = f"【{spec.group}/{spec.indicator}】{spec.help}" if spec.group else spec.help
    if spec.max is not None:
        help_text += f"（最高 {spec.max} 分）"
    return CellField(spec.key, spec.label, _INPUT_KINDS[spec.kind], required=spec.required, help=help_text)


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


def goal_levels(system: ScoringSystem | None) -> tuple[str, ...]:
    """The 一级指标 names the system's ``goal_rows`` match, in declaration order (empty when it
    scores no 绩效指标 rows): the choices of the workbook's 一级指标 column."""
    if system is None:
        return ()
    return tuple(dict.fromkeys(name for level in system.levels if level.goal_rows for name in level.goal_rows.level1))


def required_inputs(system: ScoringSystem) -> list[InputSpec]:
    """Every value the workbook must collect for this scoring system, in table order."""
    return [spec for level, group, ind in system.indicators()
            for spec in indicator_inputs(ind, f"{level.name}/{group.name}")]


# -- loading ------------------------------------------------------------------------------------------

# codes of structural problems by kind (see validation.Kind); the checks below name their own
SCORING_CODES = {"missing": "S201", "unknown": "S202", "type": "S203", "value": "S204", "tag": "S205"}

Located = list[tuple[Loc, IndicatorSpec]]  # an indicator and its place in the file


def load_scoring_system(path: Path | str, per_project: bool = False) -> ScoringSystem:
    """Read and validate a scoring file. Raises ReportgenError listing every problem found, each
    naming ``scoring.yaml:<line>`` and a code. ``per_project``: the format's ``project_scoring``,
    scored once per project (``project`` in the context, goal rows from its own 绩效指标)."""
    doc = load_yaml(Path(path))
    if error := not_a_mapping(doc, "评分体系文件"):
        raise error
    return build_scoring_system(doc.data, str(path), doc.marks, per_project=per_project)


def build_scoring_system(raw: dict[str, Any], where: str, marks: LineMarks | None = None,
                         per_project: bool = False) -> ScoringSystem:
    """Validate plain data (``where`` names it; ``marks`` adds the line of each problem)."""
    findings: list[Finding] = []
    lines = marks or LineMarks()

    def add(code: str, message: str, field: str = "", loc: Loc = ()) -> None:
        findings.append(Finding(message, lines.where(where, loc), field, code=code))

    indicators, broken_groups = _indicators(raw, add)
    try:
        spec = SystemSpec.model_validate(raw)
    except ValidationError as exc:
        for problem in translated(exc, raw):
            add(SCORING_CODES[problem.kind], _with_path(problem), _level_group(raw, problem.loc), problem.loc)
        spec = None
    if spec is not None:
        _check_system(spec, indicators, broken_groups, add)
    _check_indicators([located for group in indicators.values() for located in group], add)
    if per_project:
        for at, ind in (located for group in indicators.values() for located in group):
            if indicator_inputs(ind):
                add("S234", "逐项目评分（project_scoring）的指标不能使用填报项（inputs、checklist、manual）："
                            "每个项目都要各自的值，评分填报表只有一份", ind.name, at)
    if findings:
        raise ReportgenError(findings)
    assert spec is not None
    levels = [Level(name=lv.name, weight=lv.weight, goal_rows=lv.goal_rows,
                    groups=[Group(name=g.name, weight=g.weight, indicators=[ind for _, ind in indicators[(i, j)]])
                            for j, g in enumerate(lv.groups or [])])
              for i, lv in enumerate(spec.levels)]
    cap = cap_preset(spec.cap, per_project) if isinstance(spec.cap, str) else spec.cap
    return ScoringSystem(id=spec.id, name=spec.name, description=spec.description, grades=spec.grades,
                         cap=cap, goal_rules=spec.goal_rules, levels=levels, source=where, per_project=per_project)


def _with_path(problem: Problem) -> str:
    return f"{problem.path}：{problem.message}" if problem.path else problem.message


def _indicators(raw: dict[str, Any], add: Add) -> tuple[dict[tuple[int, int], Located], set[tuple[int, int]]]:
    """Validate every indicator found in the raw tree on its own; the skeleton is checked later."""
    found: dict[tuple[int, int], Located] = {}
    broken: set[tuple[int, int]] = set()
    levels = raw.get("levels")
    for i, level in enumerate(levels if isinstance(levels, list) else []):
        groups = level.get("groups") if isinstance(level, dict) else None
        for j, group in enumerate(groups if isinstance(groups, list) else []):
            items = group.get("indicators") if isinstance(group, dict) else None
            found[(i, j)] = []
            for n, item in enumerate(items if isinstance(items, list) else []):
                at: Loc = ("levels", i, "groups", j, "indicators", n)
                name = item.get("name") if isinstance(item, dict) else None
                label = str(name) if name else f"{_name(level)}/{_name(group)} 第{n + 1}个指标"
                if not isinstance(item, dict):
                    add(SCORING_CODES["type"], "三级指标应为键值结构（YAML 映射）", label, at)
                    broken.add((i, j))
                    continue
                try:
                    found[(i, j)].append((at, IndicatorSpec.model_validate(item)))
                except ValidationError as exc:
                    broken.add((i, j))
                    for problem in translated(exc, item):
                        add(SCORING_CODES[problem.kind], _with_path(problem), label, at + problem.loc)
    return found, broken


def _name(node: Any) -> str:
    return str(node.get("name", "?")) if isinstance(node, dict) else "?"


def _level_group(raw: Any, loc: Loc) -> str:
    """``投入/预算配置`` for a place under ``levels[i].groups[j]`` (what the author calls it)."""
    if len(loc) < 2 or loc[0] != "levels" or not isinstance(loc[1], int):
        return ""
    levels = raw.get("levels") if isinstance(raw, dict) else None
    level = levels[loc[1]] if isinstance(levels, list) and loc[1] < len(levels) else None
    field = _name(level)
    if len(loc) >= 4 and loc[2] == "groups" and isinstance(loc[3], int) and isinstance(level, dict):
        groups = level.get("groups")
        if isinstance(groups, list) and loc[3] < len(groups):
            field += "/" + _name(groups[loc[3]])
    return field


def _sum_text(values: list[Decimal]) -> str:
    return num(sum(values, Decimal(0)))


def _check_system(spec: SystemSpec, indicators: dict[tuple[int, int], Located],
                  broken: set[tuple[int, int]], add: Add) -> None:
    total = sum((lv.weight for lv in spec.levels), Decimal(0))
    if total != TOTAL:
        add("S211", f"各一级指标分值合计为{num(total)}分，应为100分", "总分", ("levels",))
    names = [lv.name for lv in spec.levels]
    for name in sorted(duplicates(names)):
        add("S214", "一级指标名称重复", name, ("levels", len(names) - 1 - names[::-1].index(name)))
    goal_names: list[tuple[str, int]] = []
    for i, level in enumerate(spec.levels):
        at: Loc = ("levels", i)
        if (level.groups is None) == (level.goal_rows is None):
            add("S215", "一级指标应当且只能有 groups（二级指标）或 goal_rows（按单位绩效指标评分）之一", level.name, at)
            continue
        if level.goal_rows is not None:
            goal_names += [(name, i) for name in level.goal_rows.level1]
            continue
        groups = level.groups or []
        group_sum = sum((g.weight for g in groups), Decimal(0))
        if group_sum != level.weight:
            add("S212", f"二级指标分值合计为{num(group_sum)}分，与一级指标分值{num(level.weight)}分不符", level.name,
                at + ("weight",))
        group_names = [g.name for g in groups]
        for name in sorted(duplicates(group_names)):
            last = len(group_names) - 1 - group_names[::-1].index(name)
            add("S214", "二级指标名称重复", f"{level.name}/{name}", at + ("groups", last))
        for j, group in enumerate(groups):
            if (i, j) in broken:
                continue
            weights = [ind.weight for _, ind in indicators.get((i, j), [])]
            if sum(weights, Decimal(0)) != group.weight:
                add("S213", f"三级指标分值合计为{_sum_text(weights)}分，与二级指标分值{num(group.weight)}分不符",
                    f"{level.name}/{group.name}", at + ("groups", j, "weight"))
    plain = [name for name, _ in goal_names]
    for name, i in goal_names:
        if plain.count(name) > 1 and plain.index(name) != goal_names.index((name, i)):
            add("S216", f"绩效指标的一级指标“{name}”被多个 goal_rows 重复匹配", "goal_rows",
                ("levels", i, "goal_rows", "level1"))
    for problem in tiling_problems([g.range for g in spec.grades]):
        add("S217", f"评价等次：{problem}", "grades", ("grades",))
    _check_goal_rules(spec, add)
    if isinstance(spec.cap, CapSpec):
        for problem in tiling_problems([b.range for b in spec.cap.bands], spec.cap.unit):
            add("S217", f"总分封顶：{problem}", "cap", ("cap", "bands"))
        if error := expr.syntax_error(spec.cap.value, expression=True):
            add("S223", f"总分封顶的 value 表达式有语法错误：{error}", "cap", ("cap", "value"))


def _check_goal_rules(spec: SystemSpec, add: Add) -> None:
    """The 定性 bands (system-wide and per level) and what a level without rows does."""
    tables: list[tuple[dict[str, QualitativeBand], Loc]] = [(spec.goal_rules.qualitative, ("goal_rules", "qualitative"))]
    tables += [(lv.goal_rows.qualitative, ("levels", i, "goal_rows", "qualitative"))
               for i, lv in enumerate(spec.levels) if lv.goal_rows is not None and lv.goal_rows.qualitative is not None]
    for bands, at in tables:
        for name, band in bands.items():
            where = at + (name,)
            if name not in ACHIEVEMENTS:
                add("S247", f"定性指标的完成程度只能是 {'、'.join(ACHIEVEMENTS)}（填报表的下拉选项），不认识“{name}”",
                    "qualitative", where)
                continue
            r = band.range
            if (r.low is None or r.low < 0) or (r.high is None or r.high > 100):
                add("S246", f"“{name}”的得分区间 {r.text} 应在分值的 0 至 100（%）之内", "qualitative", where)
            elif not r.contains(band.default):
                add("S245", f"“{name}”的默认比例 {num(band.default)}% 不在其得分区间 {r.text} 内", "qualitative",
                    where + ("default",))
    goal_levels = [(i, lv) for i, lv in enumerate(spec.levels) if lv.goal_rows is not None]
    for i, lv in goal_levels:
        assert lv.goal_rows is not None
        if lv.goal_rows.when_absent == "move" and len(goal_levels) < 2:
            add("S248", "when_absent: move 要把分值并入其他按绩效指标计分（goal_rows）的一级指标，但没有其他这样的一级指标",
                lv.name, ("levels", i, "goal_rows", "when_absent"))


def _check_indicators(indicators: Located, add: Add) -> None:
    keys = [ind.id for _, ind in indicators]
    reported: set[str] = set()
    for n, (at, ind) in enumerate(indicators):
        if keys.count(ind.id) > 1 and ind.id in keys[:n] and ind.id not in reported:
            reported.add(ind.id)
            add("S221", f"指标键“{ind.id}”重复：同名（或去掉标点后同名）的指标请各自写明不同的 key", ind.id, at)
    declared: dict[str, str] = {}
    for at, ind in indicators:
        for spec in indicator_inputs(ind):
            if spec.key in declared:
                add("S222", f"填报键“{spec.key}”重复（另见指标 {declared[spec.key]}）", ind.name, at)
            declared.setdefault(spec.key, ind.name)
    for at, ind in indicators:
        for code, message, loc in _indicator_problems(ind, set(declared)):
            add(code, message, ind.name, at + loc)


def _expressions(ind: IndicatorSpec) -> list[tuple[str, str, bool, Loc]]:
    """(what, source, is_expression, place in the indicator) for every Jinja source in it."""
    found: list[tuple[str, str, bool, Loc]] = []
    if ind.value:
        found.append(("value", ind.value, True, ("value",)))
    if ind.calc:
        found.append(("calc", ind.calc, False, ("calc",)))
    rule = ind.rule
    undefined = getattr(rule, "when_undefined", None)
    if isinstance(undefined, WhenUndefined) and undefined.text:
        found.append(("when_undefined.text", undefined.text, False, ("rule", "when_undefined", "text")))
    if isinstance(rule, RatioRule):
        for n, part in enumerate(rule.parts, 1):
            for what in ("achieved", "planned", "rate"):
                if source := getattr(part, what):
                    found.append((f"parts.{n}.{what}", source, True, ("rule", "parts", n - 1, what)))
    if isinstance(rule, TiersRule):
        for n, tier in enumerate(rule.tiers, 1):
            if tier.when:
                found.append((f"tiers.{n}.when", tier.when, True, ("rule", "tiers", n - 1, "when")))
            found.append((f"tiers.{n}.text", tier.text, False, ("rule", "tiers", n - 1, "text")))
    return found


def referenced_inputs(ind: IndicatorSpec) -> list[str]:
    keys: list[str] = []
    for _, source, is_expression, _ in _expressions(ind):
        keys += expr.input_keys(source, expression=is_expression)
    return list(dict.fromkeys(keys))


Problems = list[tuple[str, str, Loc]]  # (code, message, place in the indicator)


def _indicator_problems(ind: IndicatorSpec, input_keys: set[str]) -> Problems:
    problems: Problems = []
    for what, source, is_expression, loc in _expressions(ind):
        if error := expr.syntax_error(source, expression=is_expression):
            problems.append(("S223", f"{what} 的 Jinja {'表达式' if is_expression else '模板'}有语法错误：{error}", loc))
    undeclared: set[str] = set()
    for _, source, is_expression, loc in _expressions(ind):
        for key in expr.input_keys(source, expression=is_expression):
            if key not in input_keys and key not in undeclared:
                undeclared.add(key)
                problems.append(("S224", f"引用了未声明的填报项 inputs.{key}（请在该指标的 inputs 中声明）", loc))
    rule, weight = ind.rule, ind.weight
    needs_value = isinstance(rule, BandsRule | DeductionRule) or (isinstance(rule, RatioRule) and not rule.parts)
    if needs_value and not ind.value:
        problems.append(("S225", f"{rule.kind} 规则需要 value（取值路径或表达式）", ()))
    undefined = getattr(rule, "when_undefined", None)
    if isinstance(undefined, WhenUndefined) and isinstance(undefined.points, Decimal) and not (
            0 <= undefined.points <= weight):
        problems.append(("S226", f"when_undefined 的分数{num(undefined.points)}不在 0 至 {num(weight)} 分之间",
                         ("rule", "when_undefined")))
    if isinstance(rule, BandsRule):
        for problem in tiling_problems([b.range for b in rule.bands], ind.unit):
            problems.append(("S227", f"分档{problem}", ("rule", "bands")))
        for n, band in enumerate(rule.bands):
            if band.points > weight:
                problems.append(("S228", f"分档 {band.range.text} 的分数{num(band.points)}超过分值{num(weight)}",
                                 ("rule", "bands", n)))
    elif isinstance(rule, ChecklistRule):
        problems += _checklist_problems(rule, weight)
    elif isinstance(rule, RatioRule) and rule.parts:
        total = sum((p.weight for p in rule.parts), Decimal(0))
        if total != weight:
            problems.append(("S229", f"ratio 各部分分值合计{num(total)}，与指标分值{num(weight)}不符", ("rule", "parts")))
        for n, part in enumerate(rule.parts, 1):
            if bool(part.rate) == bool(part.achieved and part.planned) or (part.achieved is None) != (
                    part.planned is None):
                problems.append(("S230", f"ratio 第{n}部分应给出 achieved 和 planned，或者只给出 rate",
                                 ("rule", "parts", n - 1)))
    elif isinstance(rule, TiersRule):
        for n, tier in enumerate(rule.tiers, 1):
            at: Loc = ("rule", "tiers", n - 1)
            last = n == len(rule.tiers)
            if last and tier.when:
                problems.append(("S231", "tiers 最后一档表示“其他情况”，不要写 when", at))
            if not last and not tier.when:
                problems.append(("S231", f"tiers 第{n}档缺少 when 条件（只有最后一档可以省略）", at))
            if tier.points > weight:
                problems.append(("S228", f"tiers 第{n}档的分数{num(tier.points)}超过分值{num(weight)}", at))
    return problems


def _checklist_problems(rule: ChecklistRule, weight: Decimal) -> Problems:
    at: Loc = ("rule",)
    problems: Problems = []
    if rule.mode == "award":
        if not rule.items:
            problems.append(("S232", "checklist（award）需要 items", at))
        if any(item.points is None for item in rule.items):
            problems.append(("S232", "checklist（award）的每一项都要写 points", ("rule", "items")))
        total = sum((item.points or Decimal(0) for item in rule.items), Decimal(0))
        if rule.items and total != weight:
            problems.append(("S233", f"checklist 各项分值合计{num(total)}，与指标分值{num(weight)}不符",
                             ("rule", "items")))
        if rule.per_failure is not None or rule.count_input:
            problems.append(("S232", "per_failure、count_input 只用于 deduct 模式", at))
    else:
        if rule.per_failure is None:
            problems.append(("S232", "checklist（deduct）需要 per_failure（每例不符合扣分）", at))
        if not rule.items and not rule.count_input:
            problems.append(("S232", "checklist（deduct）需要 items，或者 count_input: true", at))
        if any(item.points is not None for item in rule.items):
            problems.append(("S232", "checklist（deduct）的各项不写 points（每例扣 per_failure 分）", ("rule", "items")))
    return problems
