"""A filled workbook compared with its 决算 tables (``check --against``, ``batch --against``).

Contract: :func:`compare` lists every figure the tables give that the workbook states otherwise —
a typed amount, or a total the workbook computes (本年收入合计, 本年支出合计, “三公”经费合计) — as a
warning (I115) at the workbook's cell naming both values and the table's place; nothing is changed.
Rows are matched as ``apply`` matches them (机构 by 编制单位, 功能分类 by 类/款/项 names). A total is
named only when none of its parts differs (one slip, one message). :func:`for_unit` picks, from
tables of many units (a county's folder), those of one workbook's unit and its 机构.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from reportgen.cells import fold
from reportgen.checks.rules import at
from reportgen.errors import Finding, Location
from reportgen.importer.apply import org_rows, subject_key, subject_name, target_label
from reportgen.importer.combine import Imported, Value, combine, describe, member_targets, rounded
from reportgen.importer.declarations import PER_ORG, Target, target
from reportgen.importer.figures import Reading
from reportgen.model.relations import fund_fields
from reportgen.model.report import FunctionItem, Report
from reportgen.render.filters import wan

CODE = "I115"


def _differs(typed: Any, value: Value) -> bool:
    if typed is None:
        return value.amount != 0
    return rounded(Decimal(typed)) != value.amount


def _finding(where: Location, label: str, typed: Any, value: Value) -> Finding:
    shown = "未填" if typed is None else f"{wan(typed)}"
    return Finding(f"填报表为 {shown}，决算为 {wan(value.amount)}（来源：{value.source}）", where, label, "warning", CODE)


def _value_of(record: Any, t: Target) -> Any:
    """A typed field, or a check's total as the workbook computes it."""
    if not t.check:
        return getattr(record, t.field)
    if t.field.startswith("fund:"):
        fund = t.field.removeprefix("fund:")
        return sum((getattr(record, f) or 0 for f, _ in fund_fields(t.model, fund)), Decimal(0))
    return getattr(record, t.field)


def compare(report: Report, refs: dict[str, Any], imported: Imported) -> list[Finding]:
    findings: list[Finding] = []
    orgs = {key: getattr(report, key).rows for key in PER_ORG}
    entities = [e for e in imported.entities if imported.orgs.get(e)]
    for key, rows in orgs.items():
        matched = org_rows([{"org": r.org} for r in rows], entities)
        sheet = type(rows[0]).sheet.name if rows else key  # type: ignore[attr-defined]
        for entity in entities:
            values = {t: v for t, v in imported.orgs[entity].items() if target(t).sheet == key}
            checks = {t: v for t, v in imported.checks.get(entity, {}).items() if target(t).sheet == key}
            if not values and not checks:
                continue
            if entity not in matched:
                findings.append(Finding(f"决算表的编制单位“{entity}”在“{sheet}”表中没有对应的机构行（机构名称应与编制单位相同）",
                                        Location.sheet(sheet), "机构名称", "warning", CODE))
                continue
            index = matched[entity]
            findings += _record(rows[index], f"{key}[{index}]", values, checks, refs, sheet, rows[index].org)
    for model_key in ("budget", "assets"):
        record = getattr(report, model_key)
        values = {t: v for t, v in imported.unit.items() if target(t).sheet == model_key}
        checks = {t: v for t, v in imported.checks.get("", {}).items() if target(t).sheet == model_key}
        findings += _record(record, model_key, values, checks, refs, type(record).sheet.name, "")  # type: ignore[attr-defined]
    findings += _three_public(report, refs, imported)
    findings += _subjects(report, refs, imported)
    return findings


def _record(record: Any, path: str, values: dict[str, Value], checks: dict[str, Value], refs: dict[str, Any],
            sheet: str, title: str) -> list[Finding]:
    found = []
    differing = set()
    for text, value in values.items():
        t = target(text)
        typed = getattr(record, t.field)
        if _differs(typed, value):
            differing.add(text)
            found.append(_finding(at(refs, f"{path}.{t.field}", sheet), target_label(t, title), typed, value))
    for text, value in checks.items():
        t = target(text)
        if any(m in differing for m in member_targets(t)):
            continue
        typed = _value_of(record, t)
        if _differs(typed, value):
            places = [refs.get(f"{path}.{m.split('.')[-1]}") for m in member_targets(t)]
            where = Location.join(p for p in places if p is not None) or at(refs, path, sheet)
            found.append(_finding(where, f"{title} {describe(t)}（由各项计算）".strip(), typed, value))
    return found


def _three_public(report: Report, refs: dict[str, Any], imported: Imported) -> list[Finding]:
    found = []
    rows = report.three_public.rows
    differing = set()
    for text, value in imported.unit.items():
        t = target(text)
        if t.sheet != "three_public":
            continue
        index = next((i for i, r in enumerate(rows) if r.item == t.rows[0]), None)
        typed = getattr(rows[index], t.field) if index is not None else None
        if _differs(typed, value):
            differing.add(text)
            found.append(_finding(at(refs, f"three_public[{index}].{t.field}", "三公经费"), target_label(t, ""), typed, value))
    for text, value in imported.checks.get("", {}).items():
        t = target(text)
        if t.sheet != "three_public" or any(m in differing for m in member_targets(t)):
            continue
        typed = sum((getattr(r, t.field) for r in rows if r.item in t.rows), Decimal(0))
        if _differs(typed, value):
            where = Location.join(refs.get(f"three_public[{i}].{t.field}") for i, r in enumerate(rows) if r.item in t.rows)
            found.append(_finding(where, f"{describe(t)}（由各项计算）", typed, value))
    return found


def _subjects(report: Report, refs: dict[str, Any], imported: Imported) -> list[Finding]:
    if not imported.subjects:
        return []
    sheet = FunctionItem.sheet.name  # type: ignore[attr-defined]
    rows = report.by_function.rows
    index = {subject_key(r.category, r.section, r.item): i for i, r in enumerate(rows)}
    found, seen = [], set()
    for s in imported.subjects:
        at = index.get(subject_key(s.category, s.section, s.item))
        if at is None:
            found.append(Finding(f"决算表有科目 {s.code} {subject_name(s.__dict__)}，决算数 {wan(s.actual.amount)}"
                                 f"（来源：{s.actual.source}），填报表中没有这一行", Location.sheet(sheet), "功能分类",
                                 "warning", CODE))
            continue
        seen.add(at)
        row = rows[at]
        if _differs(row.actual, s.actual):
            found.append(_finding(at(refs, f"by_function[{at}].actual", sheet), f"{row.name} 决算数", row.actual,
                                  s.actual))
        if s.budget is not None and _differs(row.budget, s.budget):
            found.append(_finding(at(refs, f"by_function[{at}].budget", sheet), f"{row.name} 预算数", row.budget,
                                  s.budget))
    for i, row in enumerate(rows):
        if i not in seen:
            found.append(Finding(f"填报表有“{row.name}”（决算数 {wan(row.actual)}），决算表中没有这一科目",
                                 at(refs, f"by_function[{i}]", sheet), "功能分类", "warning", CODE))
    return found


_OWN = re.compile(r"[(（]?本级[)）]?$")


def _key(name: str) -> str:
    return _OWN.sub("", fold(name))


def for_unit(readings: list[Reading], report: Report) -> Imported | None:
    """The tables (of a county's many units) of ``report``'s unit and its 机构: by 编制单位 equal to
    the 单位名称 or a 机构名称 (``本级`` ignored). None when there are none."""
    names = {_key(report.unit.name)} | {_key(r.org) for r in report.income.rows}
    chosen = [r for r in readings if r.region.entity and _key(r.region.entity) in names]
    if not chosen:
        return None
    return combine(chosen)
