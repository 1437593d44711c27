"""One function per rule kind: the indicator's raw points, why they fall short, a default
calculation text, and details for the author's ``calc`` template.

Points here are exact; the engine clamps them to [0, 分值] and rounds half-up to 2 decimals.
A rule whose value cannot be calculated returns ``undefined=True`` and the engine applies the
rule's ``when_undefined``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from reportgen.errors import Finding, Location
from reportgen.render.filters import num, pct
from reportgen.render.filters import score as fmt_score
from reportgen.render.limits import describe_fault
from reportgen.scoring import expr
from reportgen.scoring.spec import (
    BandsRule,
    ChecklistRule,
    DeductionRule,
    IndicatorSpec,
    ManualRule,
    RatioRule,
    TiersRule,
)
from reportgen.scoring.system import circled, count_key, item_key, manual_keys

ZERO = Decimal(0)
HUNDRED = Decimal(100)
INPUTS_SHEET = "评分填报"  # where the workbook collects scoring inputs (named in findings)


@dataclass
class Scope:
    """What a rule may read: the evaluation variables (context with normalized inputs), labels of
    the inputs (for messages), the scoring file (for format errors) and the indicator's value."""

    variables: dict[str, Any]
    labels: dict[str, str]
    source: str
    value: Decimal | None = None

    @property
    def inputs(self) -> dict[str, Any]:
        return self.variables[expr.INPUTS]


@dataclass
class Outcome:
    points: Decimal = ZERO
    reason: str = ""
    calc: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    undefined: bool = False
    findings: list[Finding] = field(default_factory=list)


def value_text(value: Decimal | None, unit: str) -> str:
    if unit == "%":
        return pct(value)
    return "—" if value is None else f"{num(value)}{unit}"


def threshold_text(value: Decimal, unit: str) -> str:
    """A threshold as the standards write it: ``100%``, not ``100.00%``."""
    return f"{num(value)}{unit}"


def _s(x: Decimal) -> str:
    """A score or a point count in text: at most 2 decimals, no trailing zeros."""
    return fmt_score(x)


def bands(ind: IndicatorSpec, rule: BandsRule, scope: Scope) -> Outcome:
    value = scope.value
    if value is None:
        return Outcome(undefined=True)
    shown = value_text(value, ind.unit)
    for band in rule.bands:
        if band.range.contains(value):
            where = band.range.describe(ind.unit)
            return Outcome(points=band.points, calc=f"{ind.value_label}{shown}",
                           reason=f"{ind.value_label}{shown}，属于“{where}”档，计{_s(band.points)}分",
                           detail={"band": where})
    message = f"{ind.value_label}{shown} 不在任何分档内，按0分计；请检查评分体系的分档"
    return Outcome(calc=f"{ind.value_label}{shown}", reason=message,
                   findings=[Finding(message, scope.source, ind.name, code="S244")])


def deduction(ind: IndicatorSpec, rule: DeductionRule, scope: Scope) -> Outcome:
    value = scope.value
    if value is None:
        return Outcome(undefined=True)
    shown, target = value_text(value, ind.unit), threshold_text(rule.target, ind.unit)
    over = rule.direction == "over"
    gap = value - rule.target if over else rule.target - value
    calc = f"{ind.value_label}{shown}"
    if gap <= 0:
        return Outcome(points=ind.weight, calc=calc, detail={"gap": ZERO, "deducted": ZERO})
    counted = {"proportional": gap, "floor": Decimal(math.floor(gap)), "ceil": Decimal(math.ceil(gap))}[rule.partial]
    deducted = counted * rule.per_point
    points = max(ZERO, ind.weight - deducted)
    verb = "超出" if over else "低于"
    each = "每超1个百分点" if over else "每低1个百分点"
    reason = f"{ind.value_label}{shown}，{verb}{target}共{_s(gap)}个百分点"
    if counted != gap:
        reason += f"（按{_s(counted)}个百分点计）"
    reason += f"，{each}扣{_s(rule.per_point)}分，" + ("扣完为止" if points == 0 else f"扣{_s(deducted)}分")
    return Outcome(points=points, calc=calc, reason=reason, detail={"gap": gap, "deducted": min(deducted, ind.weight)})


def checklist(ind: IndicatorSpec, rule: ChecklistRule, scope: Scope) -> Outcome:
    inputs = scope.inputs
    items = [{"no": circled(n), "text": item.text, "points": item.points,
              "ok": None if rule.count_input else bool(inputs.get(item_key(ind, n)))}
             for n, item in enumerate(rule.items, 1)]
    failed = [i for i in items if i["ok"] is False]
    failed_text = "；".join(f"{i['no']}{i['text']}" for i in failed)
    if rule.mode == "award":
        points = sum((i["points"] for i in items if i["ok"]), ZERO)
        reason = "不符合：" + "；".join(f"{i['no']}{i['text']}（{_s(i['points'])}分）" for i in failed)
        calc = "各项均符合要求" if not failed else f"不符合：{failed_text}"
        return Outcome(points=points, calc=calc, reason=reason, detail={"items": items, "failures": len(failed)})
    assert rule.per_failure is not None
    failures = int(inputs.get(count_key(ind)) or 0) if rule.count_input else len(failed)
    deducted = rule.per_failure * failures
    points = max(ZERO, ind.weight - deducted)
    reason = f"不符合要求{failures}例" + (f"（{failed_text}）" if failed_text else "")
    reason += f"，每例扣{_s(rule.per_failure)}分，" + ("扣完为止" if points == 0 else f"扣{_s(deducted)}分")
    calc = "未发现不符合要求的情况" if failures == 0 else reason
    return Outcome(points=points, calc=calc, reason=reason, detail={"items": items, "failures": failures})


def ratio(ind: IndicatorSpec, rule: RatioRule, scope: Scope) -> Outcome:
    if not rule.parts:
        rate = scope.value
        if rate is None:
            return Outcome(undefined=True)
        points = ind.weight * min(max(rate, ZERO), HUNDRED) / HUNDRED
        shown = value_text(rate, "%")
        text = f"{ind.value_label}{shown}，得分 = {_s(ind.weight)} × {shown} = {_s(points)}分"
        return Outcome(points=points, calc=text, reason=text, detail={"rate": rate})
    parts, texts, points = [], [], ZERO
    for n, part in enumerate(rule.parts, 1):
        try:
            if part.rate is not None:
                achieved = planned = None
                rate = expr.number(part.rate, scope.variables)
            else:
                assert part.achieved is not None and part.planned is not None
                achieved = expr.number(part.achieved, scope.variables)
                planned = expr.number(part.planned, scope.variables)
                rate = None if achieved is None or not planned else achieved * HUNDRED / planned
        except (expr.DataMissing, TypeError) as exc:
            message = str(exc) if isinstance(exc, expr.DataMissing) else f"ratio 第{n}部分不是数字：{exc}"
            return Outcome(findings=[Finding(message, scope.source, ind.name, code="S241")], reason=message)
        if rate is None:
            return Outcome(undefined=True, detail={"parts": parts})
        got = part.weight * min(max(rate, ZERO), HUNDRED) / HUNDRED
        points += got
        label = part.label or (f"第{n}部分" if len(rule.parts) > 1 else ind.value_label)
        fraction = f"{num(achieved)}/{num(planned)}" if achieved is not None else value_text(rate, "%")
        number = circled(n) if len(rule.parts) > 1 else ""
        texts.append(f"{number}{label}{fraction}，得分{fraction}×{_s(part.weight)}={_s(got)}分")
        parts.append({"label": label, "achieved": achieved, "planned": planned, "rate": rate, "weight": part.weight,
                      "points": got})
    text = "；".join(texts)
    return Outcome(points=points, calc=text, reason=text, detail={"parts": parts})


def tiers(ind: IndicatorSpec, rule: TiersRule, scope: Scope) -> Outcome:
    findings: list[Finding] = []
    variables = {**scope.variables, "value": scope.value}
    for n, tier in enumerate(rule.tiers, 1):
        if tier.when is not None:
            try:
                holds = expr.condition(tier.when, variables)
            except expr.DataMissing as exc:
                message = f"tiers 第{n}档条件：{exc}"
                return Outcome(findings=[Finding(message, scope.source, ind.name, code="S241")], reason=message)
            if holds is None:
                findings.append(Finding(f"tiers 第{n}档条件无法判断（有空值或分母为0），视为不成立",
                                        scope.source, ind.name, "warning", "G817"))
            if not holds:
                continue
        try:
            text = expr.render_text(tier.text, variables)
        except expr.RENDER_ERRORS as exc:
            findings.append(Finding(f"tiers 第{n}档的 text 模板出错：{describe_fault(exc)}", scope.source, ind.name,
                                    code="S240"))
            text = tier.text
        return Outcome(points=tier.points, calc=text, reason=f"{text}，计{_s(tier.points)}分", findings=findings,
                       detail={"tier": n, "text": text})
    raise AssertionError("the last tier has no condition")  # enforced when loading


def manual(ind: IndicatorSpec, rule: ManualRule, scope: Scope) -> Outcome:
    score_key, reason_key = manual_keys(ind)
    given: Decimal = scope.inputs[score_key]
    reason = scope.inputs.get(reason_key) or ""
    findings: list[Finding] = []
    label = scope.labels.get(score_key, score_key)
    if not ZERO <= given <= ind.weight:
        findings.append(Finding(f"得分{num(given)}超出范围，应在 0 至 {num(ind.weight)} 分之间",
                                Location.sheet(INPUTS_SHEET), label, code="G815"))
    elif given < ind.weight and not reason:
        findings.append(Finding(f"得分{num(given)}低于满分{num(ind.weight)}分，请填写扣分原因",
                                Location.sheet(INPUTS_SHEET), scope.labels.get(reason_key, reason_key), code="G816"))
    calc = reason or f"自评得分{_s(given)}分"
    return Outcome(points=min(max(given, ZERO), ind.weight), calc=calc, reason=reason, findings=findings,
                   detail={"reason": reason, "score": given})


RULES = {"bands": bands, "deduction": deduction, "checklist": checklist, "ratio": ratio, "tiers": tiers,
         "manual": manual}
