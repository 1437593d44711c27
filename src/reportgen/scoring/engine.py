"""Scoring a context with a loaded system: rows, groups, total, grade, cap and findings.

Each indicator's points are clamped to [0, 分值] and rounded half-up to 2 decimals (the official
figure); group points and the total are sums of those rounded points, so a printed table always
adds up. Only a total cap (when the system declares one) can make the total differ from the sum;
``raw_total`` keeps the sum and ``cap_reason`` says why.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, computed_field

from reportgen.cells import is_empty, parse_cell
from reportgen.errors import Finding, Location
from reportgen.model.inputs import label_of
from reportgen.model.report import Indicator, IndicatorRow, ProjectIndicator, change_rate, percent
from reportgen.render.filters import num, pct, round_half_up
from reportgen.render.filters import points as points_text
from reportgen.render.filters import score as fmt_score
from reportgen.render.limits import bounded, budgeted, describe_fault
from reportgen.scoring import expr, rules
from reportgen.scoring.intervals import Interval
from reportgen.scoring.rules import INPUTS_SHEET, ZERO, Outcome, Scope, value_text
from reportgen.scoring.spec import (
    ChecklistRule,
    GoalRowsSpec,
    GoalRules,
    IndicatorSpec,
    ManualRule,
    Overshoot,
    QualitativeBand,
)
from reportgen.scoring.system import (
    InputSpec,
    Level,
    ScoringSystem,
    count_key,
    goal_levels,
    input_field,
    item_key,
    manual_keys,
    referenced_inputs,
    required_inputs,
)

HUNDRED = Decimal(100)
_SCORE_LABEL = label_of(IndicatorRow, "score")  # 定性指标得分
_REASON_LABEL = label_of(IndicatorRow, "deviation_reason")  # 偏差原因及改进措施


class ScoreRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    level: str = Field(description="一级指标")
    group: str = Field(description="二级指标")
    name: str = Field(description="三级指标")
    key: str = Field(description="指标键（评分体系内唯一）")
    kind: str = Field(description="评分方式（bands/deduction/checklist/ratio/tiers/manual/goal_row）")
    standard: str = Field(description="评分标准")
    note: str = Field(description="备注")
    weight: Decimal = Field(description="分值")
    points: Decimal = Field(description="得分（四舍五入到两位小数）")
    value: Decimal | None = Field(description="指标值（如控制率，百分数；无法计算或不适用时为空）")
    value_text: str = Field(description="指标值的显示文字（如 82.14%）")
    calculation: str = Field(description="计算过程和评分依据")
    deduction_reason: str = Field(description="扣分原因（得分低于分值时必有）")
    ref: str = Field("", description="绩效指标所在行（按绩效指标评分的行）")


class ScoreGroup(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str = Field(description="二级指标")
    weight: Decimal = Field(description="分值")
    points: Decimal = Field(description="得分")
    rows: list[ScoreRow] = Field(description="三级指标")

    @computed_field(description="行数（合并单元格用）")
    @property
    def row_count(self) -> int:
        return len(self.rows)


class ScoreLevel(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str = Field(description="一级指标")
    weight: Decimal = Field(description="分值")
    points: Decimal = Field(description="得分")
    groups: list[ScoreGroup] = Field(description="二级指标")

    @computed_field(description="行数（合并单元格用）")
    @property
    def row_count(self) -> int:
        return sum(g.row_count for g in self.groups)


class Substitution(BaseModel):
    """A 绩效指标 row scored with a value taken from elsewhere (``goal_rows.actual_from``)."""

    model_config = ConfigDict(frozen=True)

    indicator: str = Field(description="三级指标")
    typed: str = Field(description="表中填写的实际完成值（文字）")
    value: Decimal = Field(description="计分所用的值")
    measure: str = Field(description="计分所用的值叫什么（如 问卷满意率）")
    ref: str = Field("", description="绩效指标所在行")


class ScoreResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    system_id: str = Field(description="评分体系编号")
    system_name: str = Field(description="评分体系名称")
    levels: list[ScoreLevel] = Field(description="一级指标（含二级指标和三级指标行）")
    rows: list[ScoreRow] = Field(description="全部三级指标行（按表中顺序）")
    total: Decimal = Field(description="综合得分（封顶后）")
    raw_total: Decimal = Field(description="各指标得分之和（封顶前）")
    total_weight: Decimal = Field(description="满分")
    grade: str = Field(description="评价等次")
    capped: bool = Field(False, description="是否因封顶规则降低了总分")
    cap_reason: str = Field("", description="封顶说明")
    findings: list[Finding] = Field(default_factory=list, description="评分中发现的问题")
    substitutions: list[Substitution] = Field(default_factory=list, description=(
        "实际完成值取自别处（如满意度调查问卷汇总的满意率）的绩效指标行：indicator、typed、value、measure"))
    rules: list[str] = Field(default_factory=list, description=(
        "本评分体系的计分规则说明（按绩效指标计分的定性区间、超额完成、反向和等于型公式、缺少一部分时的处理、总分封顶），"
        "每条一句"))

    def row(self, key_or_name: str) -> ScoreRow:
        """A row by key, or by name when the name is unique."""
        for row in self.rows:
            if row.key == key_or_name:
                return row
        matches = [row for row in self.rows if row.name == key_or_name]
        if len(matches) != 1:
            raise KeyError(key_or_name)
        return matches[0]


def _points(x: Decimal, weight: Decimal) -> Decimal:
    return round_half_up(min(max(x, ZERO), weight), 2)


# -- inputs -------------------------------------------------------------------------------------------

def _normalize(spec: InputSpec, raw: Any) -> tuple[Any, str]:
    """(value, problem) for one input; blank is None. A value from the 评分填报 sheet was parsed
    by the reader with ``input_field(spec)``; it is checked again here with that same declaration
    (so a context built elsewhere, e.g. in tests, is held to the workbook's rules) and only
    converted to the model's types: integer as Decimal."""
    if is_empty(raw):
        return None, ""
    value, problem = parse_cell(raw, input_field(spec))
    if problem:
        return None, problem
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    return value, ""


def _inputs(system: ScoringSystem, given: Any, findings: list[Finding]) -> tuple[dict[str, Any], dict[str, InputSpec], set[str]]:
    """Inputs typed by their declared kind; every declared key present (None when blank or invalid)."""
    given = expr.top_level(given) if given is not None else {}
    specs = {spec.key: spec for spec in required_inputs(system)}
    invalid: set[str] = set()
    values = dict(given)  # undeclared extras pass through untouched
    for key, spec in specs.items():
        value, problem = _normalize(spec, given.get(key))
        if problem:
            findings.append(Finding(problem, Location.sheet(INPUTS_SHEET), spec.label, code="W502"))
            invalid.add(key)
        values[key] = value
    return values, specs, invalid


def _needed(ind: IndicatorSpec) -> list[str]:
    """Input keys that must be filled before the indicator can be scored."""
    keys = referenced_inputs(ind)
    rule = ind.rule
    if isinstance(rule, ChecklistRule):
        keys += [count_key(ind)] if rule.count_input else [item_key(ind, n) for n in range(1, len(rule.items) + 1)]
    elif isinstance(rule, ManualRule):
        keys.append(manual_keys(ind)[0])
    keys += [d.key for d in ind.inputs]
    return list(dict.fromkeys(keys))


# -- indicators ---------------------------------------------------------------------------------------


def _undefined(ind: IndicatorSpec, scope: Scope, findings: list[Finding]) -> tuple[Decimal, str]:
    """Points and explanation when the value cannot be calculated."""
    rule = getattr(ind.rule, "when_undefined", None)
    if rule is None:
        findings.append(Finding(f"{ind.value_label}无法计算（分母为0或缺少数据），评分体系未规定 when_undefined，按0分计",
                                scope.source, ind.name, "warning", "G801"))
        return ZERO, f"{ind.value_label}无法计算，按0分计"
    points = ind.weight if rule.points == "full" else ZERO if rule.points == "zero" else Decimal(rule.points)
    how = "满分" if points == ind.weight else f"{fmt_score(points)}分"
    text = f"{ind.value_label}无法计算，按{how}计"
    if rule.text:
        try:
            text = expr.render_text(rule.text, {**scope.variables, "value": None, "weight": ind.weight})
        except expr.RENDER_ERRORS as exc:
            findings.append(Finding(f"when_undefined.text 出错：{describe_fault(exc)}", scope.source, ind.name,
                                    code="S240"))
    return points, text


def _join(first: str, second: str) -> str:
    if not first:
        return second
    if not second:
        return first
    return first + ("" if first[-1] in "。；;." else "；") + second


def _score_untrusted(level: str, group: str, ind: IndicatorSpec, variables: dict[str, Any],
                     specs: dict[str, InputSpec], invalid: set[str], source: str,
                     findings: list[Finding]) -> ScoreRow:
    """One indicator, its rule's expressions and texts bounded in time and memory; whatever they
    raise (a refused operation, an overflow, a loop without end) is the format's finding, named by
    indicator, and the row scores 0 — never an internal error."""
    try:
        with bounded():
            return _score_indicator(level, group, ind, variables, specs, invalid, source, findings)
    except Exception as exc:
        message = f"评分规则无法计算：{describe_fault(exc)}"
        findings.append(Finding(message, source, ind.name, code="S240"))
        return ScoreRow(level=level, group=group, name=ind.name, key=ind.id, kind=ind.rule.kind,
                        standard=ind.standard.strip(), note=ind.note.strip(), weight=ind.weight, points=ZERO,
                        value=None, value_text="", calculation=message, deduction_reason=message)


def _score_indicator(level: str, group: str, ind: IndicatorSpec, variables: dict[str, Any],
                     specs: dict[str, InputSpec], invalid: set[str], source: str,
                     findings: list[Finding]) -> ScoreRow:
    labels = {key: spec.label for key, spec in specs.items()}
    row = {"level": level, "group": group, "name": ind.name, "key": ind.id, "kind": ind.rule.kind,
           "standard": ind.standard.strip(), "note": ind.note.strip(), "weight": ind.weight, "value": None,
           "value_text": ""}

    def failed(calc: str) -> ScoreRow:
        return ScoreRow(**row, points=ZERO, calculation=calc, deduction_reason=calc)

    missing = [key for key in _needed(ind) if variables[expr.INPUTS].get(key) is None]
    if missing:
        for key in (k for k in missing if k not in invalid):  # invalid ones are reported already
            findings.append(Finding(f"未填写（评分指标“{ind.name}”需要）", Location.sheet(INPUTS_SHEET), labels.get(key, key),
                                    code="G810"))
        return failed("缺少评分填报数据：" + "、".join(labels.get(k, k) for k in missing))

    value = None
    if ind.value:
        try:
            value = expr.number(ind.value, variables)
        except expr.DataMissing as exc:
            findings.append(Finding(str(exc), source, ind.name, code="S241"))
            return failed(f"缺少数据：{exc.path}")
        except TypeError as exc:
            findings.append(Finding(f"value 不是数字：{exc}", source, ind.name, code="S242"))
            return failed("取值不是数字")
        row["value"], row["value_text"] = value, value_text(value, ind.unit)

    scope = Scope(variables, labels, source, value)
    outcome: Outcome = rules.RULES[ind.rule.kind](ind, ind.rule, scope)  # type: ignore[operator]
    findings += outcome.findings
    reason, calc = outcome.reason, outcome.calc
    if outcome.undefined:
        raw, reason = _undefined(ind, scope, findings)
        calc = reason
        points = _points(raw, ind.weight)
    else:
        points = _points(outcome.points, ind.weight)
    if ind.calc:
        extra = {"value": value, "points": points, "weight": ind.weight, "undefined": outcome.undefined,
                 "detail": outcome.detail, **outcome.detail}
        try:
            rendered = expr.render_text(ind.calc, {**variables, **extra})
            calc = _join(rendered, reason) if outcome.undefined else rendered
        except expr.RENDER_ERRORS as exc:
            findings.append(Finding(f"计算说明（calc）模板出错：{describe_fault(exc)}", source, ind.name, code="S240"))
    if points < ind.weight and not reason:
        reason = f"得{fmt_score(points)}分，低于分值{fmt_score(ind.weight)}分"
    return ScoreRow(**row, points=points, calculation=calc, deduction_reason=reason if points < ind.weight else "")


# -- goal rows ----------------------------------------------------------------------------------------


def _get(obj: Any, name: str, default: Any = None) -> Any:
    try:
        return expr.member(obj, name)
    except KeyError:
        return default


@dataclass(frozen=True)
class _Rows:
    """Where a system's goal rows come from: the unit's 绩效指标, or one project's (per_project)."""

    items: list[Any]
    sheet: str  # the sheet they were typed on, named when a row has no place of its own
    subject: str = ""  # 项目“…”：, before messages about one project's rows


def _goal_rows(system: ScoringSystem, variables: dict[str, Any]) -> _Rows:
    if not system.per_project:
        return _Rows(items=list(variables.get("indicators") or []), sheet=Indicator.sheet.name)
    project = variables.get("project")
    return _Rows(items=list(_get(project, "indicators") or []), sheet=ProjectIndicator.sheet.name,
                 subject=f"项目“{_get(project, 'name') or ''}”：")


def _actual_from(spec: GoalRowsSpec, indicator: IndicatorRow, variables: dict[str, Any], subject: str,
                 where: str, findings: list[Finding], taken: list[Substitution]) -> tuple[IndicatorRow, str]:
    """The row with its 实际完成值 taken from ``spec.actual_from`` (e.g. the questionnaire's 满意率),
    and the note for its calculation; the row as typed when the value cannot be had (a warning). A
    taken value is recorded in ``taken``, and said (a warning) when it differs from what was typed."""
    if not spec.actual_from or not indicator.quantitative:
        return indicator, ""
    note = spec.actual_note or f"实际完成值取自{spec.actual_from}"
    try:
        value = expr.number(spec.actual_from, variables)
    except (expr.DataMissing, TypeError, ValueError):
        value = None
    if value is None:
        findings.append(Finding(f"{subject}“{indicator.level3}”：{note}，但取不到（如没有有效的满意度问卷），"
                                "按表中填写的实际完成值计分", where, "实际完成值", "warning", "G809"))
        return indicator, ""
    used = round_half_up(value, 2)
    measure = spec.actual_measure or "取来的值"
    taken.append(Substitution(indicator=indicator.level3, typed=indicator.actual_text, value=used, measure=measure,
                              ref=indicator.ref))
    if not (isinstance(indicator.actual, Decimal) and indicator.actual == used):
        findings.append(Finding(f"{subject}“{indicator.level3}”实际完成值 {indicator.actual_text} 已按{measure} {pct(used)} 计"
                                f"（{note}）；如需一致，请在表中填写 {pct(used)}", where, "实际完成值", "warning", "G813"))
    return indicator.model_copy(update={"actual": used}), note


def _goal_row(level: Level, spec: GoalRowsSpec, item: Any, rows: _Rows, findings: list[Finding],
              variables: dict[str, Any], taken: list[Substitution], rules: GoalRules) -> ScoreRow:
    """One 绩效指标 row (the unit's or a project's) scored against its own target by the file's
    ``goal_rules`` (the 财预〔2020〕10号 defaults without them). Whether it is met and how target and
    value read (``≥95%``) are the model's (``IndicatorRow.met``, ``target_text``): one rule, one display."""
    try:
        indicator = item if isinstance(item, IndicatorRow) else IndicatorRow.model_validate(expr.top_level(item))
    except ValidationError as exc:  # a context that did not come from the reader (tests, tools)
        where = str(_get(item, "ref") or rows.sheet)
        findings.append(Finding(f"{rows.subject}绩效指标行无法评分：{exc.errors()[0]['msg']}", where, code="G802"))
        indicator = None
    ref = indicator.ref if indicator is not None else ""
    where = ref or rows.sheet
    source = ""
    if indicator is not None:
        indicator, source = _actual_from(spec, indicator, variables or {}, rows.subject, where, findings,
                                         taken if taken is not None else [])
    weight = indicator.weight if indicator is not None else None
    if weight is None:
        findings.append(Finding(f"{rows.subject}分值未填写（本格式按绩效指标打分，每行都要有分值）", where, "分值",
                                code="G803"))
        weight = ZERO
    row = {"level": level.name, "group": indicator.level2 if indicator else "",
           "name": indicator.level3 if indicator else "", "key": ref or (indicator.level3 if indicator else ""),
           "kind": "goal_row", "standard": indicator.target_text if indicator else "", "note": spec.standard,
           "weight": weight, "ref": ref}
    deviation = ((indicator.deviation_reason if indicator else None) or "").strip()

    def done(raw: Decimal, calc: str, reason: str, value: Decimal | None, shown: str) -> ScoreRow:
        points = _points(raw, weight)
        if points < weight:
            if not deviation:
                name = f"“{indicator.level3}”" if indicator else "该指标"
                findings.append(Finding(f"{rows.subject}{name}得{fmt_score(points)}分，低于分值{fmt_score(weight)}分，"
                                        "请填写偏差原因及改进措施", where, "偏差原因及改进措施", "warning", "G804"))
            reason = _join(reason, deviation)
        return ScoreRow(**row, points=points, value=value, value_text=shown, calculation=_join_note(source, calc),
                        deduction_reason=reason if points < weight else "")

    if indicator is None:
        return done(ZERO, "绩效指标行无法评分", "绩效指标行无法评分", None, "")
    if not indicator.quantitative:
        raw, calc, reason = _qualitative(indicator, spec.qualitative or rules.qualitative, weight, rows.subject,
                                         findings)
        return done(raw, calc, reason, None, indicator.actual_text)
    if indicator.score is not None:
        findings.append(Finding(f"{rows.subject}“{indicator.level3}”是定量指标，得分由程序按完成值计算，填写的{_SCORE_LABEL} "
                                f"{num(indicator.score)} 未使用（请清空）", indicator.cell("score"), _SCORE_LABEL,
                                "warning", "G841"))
    t, a, nature = indicator.target, indicator.actual, indicator.nature
    if not isinstance(t, Decimal) or not isinstance(a, Decimal) or nature not in ("≥", "≤", "="):
        findings.append(Finding(f"{rows.subject}定量指标（{nature}）的指标值和实际完成值都应为数字", where, "实际完成值",
                                code="G806"))
        return done(ZERO, "指标值或实际完成值不是数字，无法计分", "指标值或实际完成值不是数字", None,
                    indicator.actual_text)
    shown, goal = indicator.actual_text, indicator.target_text
    positive = nature == "≥" or (nature == "=" and rules.equal == "as_positive")
    if indicator.met or (positive and a >= t):
        how = "（等于型指标按正向指标计分）" if nature == "=" and not indicator.met else ""
        calc = f"指标值{goal}，实际完成{shown}，已达成{how}"
        over = change_rate(a, t) if positive and t > 0 else None
        if rules.overshoot is not None and over is not None and over >= rules.overshoot.above:
            return _overshoot(rules.overshoot, indicator, over, calc, done, rows.subject, findings, deviation, a)
        return done(weight, calc, "", a, shown)
    if positive:
        raw = weight * a / t if t > 0 and a > 0 else ZERO
        formula = f"{num(a)}/{num(t)}×{fmt_score(weight)}"
        rule = "等于型指标按正向指标“实际完成值/指标值×分值”计分：" if nature == "=" else ""
    elif nature == "≤" and rules.reverse == "linear":
        raw = weight * (1 - (a - t) / t) if t > 0 else ZERO
        formula = f"(1 - ({num(a)} - {num(t)})/{num(t)})×{fmt_score(weight)}"
        rule = "反向指标按“(1 -（实际完成值 - 指标值）/指标值)×分值”计分（实际完成值达到指标值两倍时为0分）："
    elif nature == "≤":
        raw = weight * t / a if t > 0 else ZERO
        formula = f"{num(t)}/{num(a)}×{fmt_score(weight)}"
        rule = "反向指标按“指标值/实际完成值×分值”计分："
    else:  # "=": in proportion to closeness: (1 − |a − t| / |t|) × weight
        raw = weight * (1 - abs(a - t) / abs(t)) if t != 0 else ZERO
        formula = f"(1 - |{num(a)} - {num(t)}|/{num(abs(t))})×{fmt_score(weight)}"
        rule = "等于型指标按“(1 - |实际完成值 - 指标值|/|指标值|)×分值”计分："
    points = _points(raw, weight)
    calc = f"指标值{goal}，实际完成{shown}，未达成，{rule}得分 = {formula} = {fmt_score(points)}分"
    return done(raw, calc, f"实际完成{shown}，未达到指标值{goal}", a, shown)


def _qualitative(indicator: IndicatorRow, bands: dict[str, QualitativeBand], weight: Decimal, subject: str,
                 findings: list[Finding]) -> tuple[Decimal, str, str]:
    """A 定性 row: the unit's own 得分 within the band of its 完成程度, else the band's default share.
    An edge belongs to the band whose interval includes it (10号: 80% is 达成's, not 部分达成's)."""
    level_name = indicator.achievement or "达成"
    band = bands.get(level_name)
    if band is None:
        findings.append(Finding(f"{subject}完成程度“{level_name}”无法识别（可选：{'、'.join(bands)}）",
                                indicator.cell("achievement"), "完成程度", code="G805"))
        return ZERO, f"完成程度：{level_name}，无法识别，按0分计", f"完成程度“{level_name}”无法识别"
    fixed = band.range.low == band.range.high
    span = f"得分区间为分值的{band.range.describe('%')}"
    given = indicator.score
    if given is not None and not fixed:
        share = percent(given, weight)
        if share is not None and band.range.contains(share):
            return (given, f"完成程度：{level_name}（{span}），自评得分{fmt_score(given)}分",
                    f"完成程度为“{level_name}”，自评得分{fmt_score(given)}分")
        r = band.range
        scaled = Interval(low=r.low * weight / HUNDRED if r.low is not None else None, low_closed=r.low_closed,
                          high=r.high * weight / HUNDRED if r.high is not None else None, high_closed=r.high_closed,
                          text="")
        findings.append(Finding(f"{subject}“{indicator.level3}”完成程度为“{level_name}”，得分应在分值{fmt_score(weight)}分的"
                                f"{r.describe('%')}之间（即{scaled.describe('分')}），填写的是{num(given)}分",
                                indicator.cell("score"), _SCORE_LABEL, code="G840"))
    elif given is not None:
        findings.append(Finding(f"{subject}“{indicator.level3}”：本格式定性指标按完成程度固定计分（{level_name}为分值的"
                                f"{num(band.default)}%），填写的{_SCORE_LABEL} {num(given)} 未使用（请清空）",
                                indicator.cell("score"), _SCORE_LABEL, "warning", "G841"))
    raw = weight * band.default / HUNDRED
    if fixed:
        calc = f"完成程度：{level_name}，按分值的{num(band.default)}%计，得{fmt_score(_points(raw, weight))}分"
    else:
        calc = (f"完成程度：{level_name}（{span}），未自评打分，按{num(band.default)}%计，"
                f"得{fmt_score(_points(raw, weight))}分")
    return raw, calc, f"完成程度为“{level_name}”，按{num(band.default)}%计分"


def _overshoot(rule: Overshoot, indicator: IndicatorRow, over: Decimal, calc: str, done: Callable[..., ScoreRow],
               subject: str, findings: list[Finding], deviation: str, actual: Decimal) -> ScoreRow:
    """A 正向 target exceeded by ``rule.above`` % or more (an edge counts): a reason is asked for, and
    ``rule.deduct`` points may be taken off (指标偏离: the target was set too low)."""
    weight = indicator.weight or ZERO
    note = f"完成值高于指标值{pct(over)}（{num(rule.above)}%及以上）"
    shown = indicator.actual_text
    if rule.deduct:
        raw = weight - rule.deduct
        text = f"{calc}；{note}，按指标偏离扣{fmt_score(rule.deduct)}分，得{fmt_score(_points(raw, weight))}分"
        return done(raw, text, f"实际完成{shown}，{note}，扣{fmt_score(rule.deduct)}分", actual, shown)
    if not deviation:
        findings.append(Finding(f"{subject}“{indicator.level3}”{note}，请在“{_REASON_LABEL}”中说明原因（如年初指标值设定偏低）",
                                indicator.cell("deviation_reason"), _REASON_LABEL, "warning", "G842"))
    return done(weight, f"{calc}；{note}，须说明原因", "", actual, shown)


def _join_note(note: str, calc: str) -> str:
    return f"{note}，{calc}" if note else calc


def _goal_level(level: Level, spec: GoalRowsSpec, items: list[Any], rows: _Rows, findings: list[Finding],
                variables: dict[str, Any], taken: list[Substitution], rules: GoalRules,
                receiving: bool = False) -> ScoreLevel:
    """A level scored from its goal rows ``items`` (at least one). ``receiving``: another level's points
    were moved in (``when_absent: move``), so the level's points are its rows' own sum, checked by the
    caller over all receiving levels."""
    scored = [_goal_row(level, spec, item, rows, findings, variables, taken, rules) for item in items]
    weights = sum((r.weight for r in scored), ZERO)
    names = "、".join(spec.level1)
    if not receiving and weights != level.weight:
        refs = "、".join(r.ref for r in scored if r.ref) or rows.sheet
        findings.append(Finding(f"{rows.subject}一级指标“{names}”各行分值合计{num(weights)}分，应为{num(level.weight)}分",
                                refs, "分值", code="G811"))
    subgroups: dict[str, list[ScoreRow]] = {}
    for r in scored:
        subgroups.setdefault(r.group, []).append(r)
    groups = [ScoreGroup(name=name, weight=sum((r.weight for r in rs), ZERO), points=sum((r.points for r in rs), ZERO),
                            rows=rs) for name, rs in subgroups.items()]
    return ScoreLevel(name=level.name, weight=weights if receiving else level.weight,
                      points=sum((g.points for g in groups), ZERO), groups=groups)


def _level_items(spec: GoalRowsSpec, rows: _Rows) -> list[Any]:
    return [i for i in rows.items if str(_get(i, "level1") or "") in spec.level1]


def _absent_level(level: Level, spec: GoalRowsSpec, rows: _Rows, findings: list[Finding],
                  receivers: str = "") -> ScoreLevel:
    """A level the unit has no rows for, as the format says (``when_absent``): an error (it cannot be
    scored), 0 points, or its points moved to ``receivers``; the table gets one row saying which."""
    names = "、".join(spec.level1)
    if spec.when_absent == "error" or (spec.when_absent == "move" and not receivers):
        findings.append(Finding(f"{rows.subject}没有一级指标为“{names}”的绩效指标，“{level.name}”无法计分",
                                Location.sheet(rows.sheet), "一级指标", code="G808"))
        return ScoreLevel(name=level.name, weight=level.weight, points=ZERO, groups=[])
    if spec.when_absent == "zero":
        text = f"未设置{names}，“{level.name}”{fmt_score(level.weight)}分计0分（本格式规定）"
        findings.append(Finding(f"{rows.subject}{text}", Location.sheet(rows.sheet), "一级指标", "warning", "G843"))
        weight, name = level.weight, f"未设置{names}"
    else:  # the table's 三级指标 column says where the points went (no points lost: no 扣分原因)
        text = f"未设置{names}，“{level.name}”{fmt_score(level.weight)}分并入{receivers}（本格式规定）"
        weight, name = ZERO, f"未设置{names}（{fmt_score(level.weight)}分并入{receivers}）"
    row = ScoreRow(level=level.name, group="", name=name, key=f"{level.name}（未设置）", kind="goal_row",
                   standard="", note=spec.standard, weight=weight, points=ZERO, value=None, value_text="",
                   calculation=text, deduction_reason=text if weight else "")
    return ScoreLevel(name=level.name, weight=weight, points=ZERO,
                      groups=[ScoreGroup(name="", weight=weight, points=ZERO, rows=[row])])


def _goal_levels(system: ScoringSystem, rows: _Rows, findings: list[Finding], variables: dict[str, Any],
                 taken: list[Substitution]) -> dict[str, ScoreLevel]:
    """Every goal_rows level by name. A level without rows whose format says ``when_absent: move``
    gives its points to the levels that have rows: their rows must then add up to all those points."""
    goal = [lv for lv in system.levels if lv.goal_rows is not None]
    items = {lv.name: _level_items(lv.goal_rows, rows) for lv in goal}  # type: ignore[arg-type]
    present = [lv for lv in goal if items[lv.name]]
    moving = [lv for lv in goal if lv not in present and lv.goal_rows.when_absent == "move"]  # type: ignore[union-attr]
    receivers = "、".join(lv.name for lv in present)
    result: dict[str, ScoreLevel] = {}
    for lv in goal:
        spec = lv.goal_rows
        assert spec is not None
        if lv not in present:
            result[lv.name] = _absent_level(lv, spec, rows, findings, receivers)
            continue
        result[lv.name] = _goal_level(lv, spec, items[lv.name], rows, findings, variables, taken,
                                      system.goal_rules, receiving=bool(moving))
    if moving and present:
        expected = sum((lv.weight for lv in [*present, *moving]), ZERO)
        got = sum((result[lv.name].weight for lv in present), ZERO)
        if got != expected:
            names = "、".join(name for lv in present for name in lv.goal_rows.level1)  # type: ignore[union-attr]
            refs = "、".join(r.ref for lv in present for g in result[lv.name].groups for r in g.rows if r.ref)
            absent = "、".join(f"{lv.name}（{fmt_score(lv.weight)}分）" for lv in moving)
            findings.append(Finding(f"{rows.subject}未设置{absent}，按本格式并入{receivers}：一级指标“{names}”各行分值合计"
                                    f"{num(got)}分，应为{num(expected)}分", refs or rows.sheet, "分值", code="G811"))
    return result


# -- the whole table ----------------------------------------------------------------------------------


@budgeted("scoring")  # every indicator has its limit, and the whole file one more
def score(system: ScoringSystem, context: Any) -> ScoreResult:
    """Score a context (mappings, pydantic models or objects; see the package docs for names)."""
    findings: list[Finding] = []
    variables = expr.top_level(context)
    inputs, specs, invalid = _inputs(system, variables.get(expr.INPUTS), findings)
    variables[expr.INPUTS] = inputs
    matched = goal_levels(system)
    goal_rows = _goal_rows(system, variables)
    if matched:
        for item in goal_rows.items:
            name = str(_get(item, "level1") or "")
            if name not in matched:
                findings.append(Finding(f"{goal_rows.subject}一级指标“{name}”不在评分体系中（可用：{'、'.join(matched)}）",
                                        str(_get(item, "ref") or goal_rows.sheet), "一级指标", code="G807"))
    levels: list[ScoreLevel] = []
    taken: list[Substitution] = []
    scored_goals = _goal_levels(system, goal_rows, findings, variables, taken) if matched else {}
    for level in system.levels:
        if level.goal_rows is not None:
            levels.append(scored_goals[level.name])
            continue
        groups = []
        for group in level.groups:
            rows = [_score_untrusted(level.name, group.name, ind, variables, specs, invalid, system.source,
                                     findings)
                    for ind in group.indicators]
            groups.append(ScoreGroup(name=group.name, weight=group.weight,
                                     points=sum((r.points for r in rows), ZERO), rows=rows))
        levels.append(ScoreLevel(name=level.name, weight=level.weight,
                                 points=sum((g.points for g in groups), ZERO), groups=groups))
    rows = [r for lv in levels for g in lv.groups for r in g.rows]
    raw_total = sum((lv.points for lv in levels), ZERO)
    try:
        with bounded():
            total, cap_reason = _cap(system, variables, raw_total, findings)
    except Exception as exc:  # the cap's value is an untrusted expression too
        findings.append(Finding(f"总分封顶规则无法计算：{describe_fault(exc)}", system.source, "cap", code="S240"))
        total, cap_reason = raw_total, ""
    grade = next((g.name for g in system.grades if g.range.contains(total)), "")
    return ScoreResult(system_id=system.id, system_name=system.name, levels=levels, rows=rows, total=total,
                       raw_total=raw_total, total_weight=sum((lv.weight for lv in system.levels), ZERO), grade=grade,
                       capped=total < raw_total, cap_reason=cap_reason, findings=findings, substitutions=taken,
                       rules=rule_notes(system))


def rule_notes(system: ScoringSystem) -> list[str]:
    """The system's rules for 绩效指标 rows and its total, one sentence each (``ScoreResult.rules``)."""
    notes: list[str] = []
    goal = [lv for lv in system.levels if lv.goal_rows is not None]
    if goal:
        rules = system.goal_rules
        notes.append("定量指标达到指标值得满分；正向指标未达到按“实际完成值/指标值×分值”计分")
        notes.append({"ratio": "反向指标（≤）超出指标值按“指标值/实际完成值×分值”计分",
                      "linear": "反向指标（≤）超出指标值按“(1 -（实际完成值 - 指标值）/指标值)×分值”计分，达到指标值两倍时为0分",
                      }[rules.reverse])
        notes.append({"closeness": "等于型指标（=）不相等按“(1 - |实际完成值 - 指标值|/|指标值|)×分值”计分",
                      "as_positive": "等于型指标（=）按正向指标计分"}[rules.equal])
        notes.append(f"定性指标{_bands_note(rules.qualitative)}")
        if rules.overshoot is not None:
            extra = f"并扣{fmt_score(rules.overshoot.deduct)}分" if rules.overshoot.deduct else "不扣分"
            notes.append(f"正向指标完成值高于指标值{num(rules.overshoot.above)}%及以上的，须在偏差原因中说明，{extra}")
        for lv in goal:
            assert lv.goal_rows is not None
            names = "、".join(lv.goal_rows.level1)
            if lv.goal_rows.qualitative:  # the level's own bands, which its rows are scored by
                notes.append(f"{names}中的定性指标{_bands_note(lv.goal_rows.qualitative)}")
            if lv.goal_rows.when_absent == "zero":
                notes.append(f"未设置{names}的，“{lv.name}”{fmt_score(lv.weight)}分计0分")
            elif lv.goal_rows.when_absent == "move":
                others = "、".join(o.name for o in goal if o is not lv)
                notes.append(f"未设置{names}的，“{lv.name}”{fmt_score(lv.weight)}分并入{others}（由单位调整各行分值）")
    if system.cap is not None:
        caps = "，".join(f"{b.range.describe(system.cap.unit)}最高{fmt_score(b.cap)}分" for b in system.cap.bands)
        notes.append(f"总分按{system.cap.label}封顶：{caps}")
    return notes


def _bands_note(bands: dict[str, Any]) -> str:
    """How 定性 rows are scored by ``bands`` (after "定性指标"), as the rules print it."""
    ranges = "；".join(f"{name}为分值的{band.range.describe('%')}" for name, band in bands.items())
    defaults = "、".join(f"{num(band.default)}%" for band in bands.values())
    return f"按完成程度在区间内自评打分：{ranges}（区间端点属于写明“含”的一档）；未自评打分的依次按{defaults}计"


def _cap(system: ScoringSystem, variables: dict[str, Any], raw_total: Decimal,
         findings: list[Finding]) -> tuple[Decimal, str]:
    cap = system.cap
    if cap is None:
        return raw_total, ""
    try:
        value = expr.number(cap.value, variables)
    except (expr.DataMissing, TypeError) as exc:
        findings.append(Finding(f"总分封顶取值失败：{exc}", system.source, "cap", code="S243"))
        return raw_total, ""
    if value is None:
        findings.append(Finding(f"{cap.label}无法计算，未按其封顶", system.source, "cap", "warning", "G814"))
        return raw_total, ""
    band = next((b for b in cap.bands if b.range.contains(value)), None)
    if band is None or raw_total <= band.cap:
        return raw_total, ""
    shown = value_text(value, cap.unit)
    reason = (f"{cap.label}{shown}，属于“{band.range.describe(cap.unit)}”档，总分最高{fmt_score(band.cap)}分"
              f"（各项得分合计{fmt_score(raw_total)}分）")
    return band.cap, reason


# -- terminal table -----------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_score_table(result: ScoreResult) -> str:
    """The score table as plain text for ``reportgen check``."""
    head = ("一级指标", "二级指标", "三级指标", "分值", "得分", "扣分原因")
    lines_data: list[tuple[str, ...]] = []
    for g in result.levels:
        for sg in g.groups:
            for n, r in enumerate(sg.rows):
                first_of_level = sg is g.groups[0] and n == 0
                lines_data.append((f"{g.name}（{fmt_score(g.weight)}）" if first_of_level else "",
                                   f"{sg.name}（{fmt_score(sg.weight)}）" if n == 0 else "", r.name,
                                   fmt_score(r.weight), points_text(r.points), r.deduction_reason))
    widths = [max([_width(head[i])] + [_width(row[i]) for row in lines_data]) for i in range(5)]
    widths = [min(w, 36) for w in widths]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(_pad(c, widths[i]) if i < 5 else c for i, c in enumerate(cells)).rstrip()

    out = [f"评分表：{result.system_name}", line(head)]
    out += [line(cells) for cells in lines_data]
    out.append(line(("合计", "", "", fmt_score(result.total_weight), points_text(result.raw_total), "")))
    summary = f"综合得分 {points_text(result.total)} 分（满分 {fmt_score(result.total_weight)}），评价等次：{result.grade or '—'}"
    out.append(summary)
    if result.cap_reason:
        out.append(f"封顶：{result.cap_reason}")
    if result.rules:
        out.append("计分规则：" + "；".join(result.rules) + "。")
    return "\n".join(out)

