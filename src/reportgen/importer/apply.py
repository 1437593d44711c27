"""The imported figures put into a workbook's values (the reader's shape), through the declaration.

Contract: :func:`apply_import` takes a workbook's values (a new one's, next year's from ``init
--from``, or an existing workbook's as read) and an :class:`combine.Imported`, and returns the new
values with, per imported cell, a note and a 来源 entry (``provenance``). Nothing names a cell: a
field is its sheet key and field name, its row the 机构 (编制单位) or the fixed item; cells come from
``write_workbook`` when written.

* 收入 and 支出 rows are the 编制单位: a row whose 机构名称 is the unit's name; else, when exactly one
  unit and one row are left unmatched, that row (局机关 for the department's own tables); else a
  new row named after the unit (in both sheets, which must list the same 机构).
* 三公经费, 资产, 预算 are the unit's as a whole; 功能分类 rows are filled into an empty sheet, or
  compared row by row (by 类/款/项 names) with the rows there.
* An empty cell is filled. A cell holding the same value is confirmed (and recorded as imported).
  A cell holding another value is a conflict (I114): the clerk's value is kept and the difference
  listed (cell, typed, imported, source), unless ``overwrite``: then the imported value replaces it
  and the replacement is listed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from reportgen.cells import fold
from reportgen.checks.rules import at
from reportgen.errors import Finding, Location
from reportgen.importer.combine import Imported, SubjectValue, Value
from reportgen.importer.declarations import PER_ORG, Target, target
from reportgen.importer.provenance import SourceEntry
from reportgen.model.report import FunctionItem
from reportgen.render.filters import wan


@dataclass
class Applied:
    values: dict[str, Any]
    entries: list[SourceEntry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # conflicts (I114)
    filled: int = 0
    confirmed: int = 0
    kept: int = 0
    replaced: int = 0
    rows_added: list[str] = field(default_factory=list)


def _blank(value: Any) -> bool:
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


class _Putter:
    def __init__(self, values: dict[str, Any], refs: dict[str, Location], overwrite: bool):
        self.applied = Applied(values)
        self.refs = refs
        self.overwrite = overwrite

    def where(self, path: str, sheet: str) -> Location:
        return at(self.refs, path, sheet)

    def put(self, record: dict[str, Any], key: str, path: str, sheet: str, label: str, new: Any,
            source: str, how: str = "") -> None:
        old = record.get(key)
        applied = self.applied
        if _blank(old):
            record[key] = new
            applied.filled += 1
        elif _same(old, new):
            applied.confirmed += 1
            how = "；".join(x for x in (how, "与填报表原有的数一致") if x)
        else:
            shown_old = wan(old) if isinstance(old, Decimal | int) and not isinstance(old, bool) else f"“{old}”"
            shown_new = wan(new) if isinstance(new, Decimal) else f"“{new}”"
            if self.overwrite:
                record[key] = new
                applied.replaced += 1
                how = "；".join(x for x in (how, f"覆盖了填报表原有的 {shown_old}") if x)
                applied.findings.append(Finding(f"填报表原为 {shown_old}，已用决算数 {shown_new} 覆盖（来源：{source}）",
                                                self.where(path, sheet), label, "warning", "I114"))
            else:
                applied.kept += 1
                applied.findings.append(Finding(
                    f"填报表为 {shown_old}，决算为 {shown_new}（来源：{source}）；已保留填报表的数。"
                    "核对后改正填报表，或加 --overwrite 用决算数覆盖", self.where(path, sheet), label, code="I114"))
                return
        applied.entries.append(SourceEntry(path, label, record[key], source, how))


def _same(old: Any, new: Any) -> bool:
    if isinstance(new, Decimal) and isinstance(old, Decimal | int) and not isinstance(old, bool):
        return Decimal(old) == new
    if isinstance(new, str) and isinstance(old, str):
        return fold(old) == fold(new)
    return old == new


def target_label(t: Target, title: str = "") -> str:
    parts = [title, t.rows[0] if len(t.rows) == 1 else "", t.field_label]
    return " ".join(p for p in parts if p)


def apply_import(values: dict[str, Any], imported: Imported, refs: dict[str, Any] | None = None,
                 overwrite: bool = False, unit_name: bool = True) -> Applied:
    """``values`` (not changed) with ``imported`` put in (see the module doc); ``refs``: the existing
    workbook's cells by path, to name conflicts."""
    putter = _Putter(copy.deepcopy(values), refs or {}, overwrite)
    vals = putter.applied.values
    unit = vals.setdefault("unit", {})
    if unit_name and _blank(unit.get("name")) and len(imported.entities) == 1 and imported.entities[0]:
        unit["name"] = imported.entities[0]
        putter.applied.filled += 1
        putter.applied.entries.append(SourceEntry("unit.name", "单位名称", unit["name"], "决算表的“编制单位”"))
    _orgs(putter, imported, unit.get("name") or "")
    for text, value in imported.unit.items():
        _unit_level(putter, target(text), value)
    if imported.subjects:
        _subjects(putter, imported.subjects)
    return putter.applied


def org_rows(rows: list[dict[str, Any]], entities: list[str]) -> dict[str, int]:
    """编制单位 -> row index among ``rows`` (by 机构名称; else the one left over)."""
    by_name = {fold(r.get("org") or ""): i for i, r in enumerate(rows) if not _blank(r.get("org"))}
    found = {e: by_name[fold(e)] for e in entities if fold(e) in by_name}
    left_entities = [e for e in entities if e not in found]
    left_rows = [i for i, r in enumerate(rows) if i not in found.values()]
    if len(left_entities) == 1 and len(left_rows) == 1:
        found[left_entities[0]] = left_rows[0]
    return found


def _orgs(putter: _Putter, imported: Imported, unit_name: str) -> None:
    vals = putter.applied.values
    entities = [e for e in imported.entities if imported.orgs.get(e)]
    if not entities:
        return
    rows_of = {key: vals.setdefault(key, []) for key in PER_ORG}  # 收入, 支出: the same 机构
    matched = {key: org_rows(rows, entities) for key, rows in rows_of.items()}
    for entity in entities:
        name = entity or unit_name or "本单位"
        for key, rows in rows_of.items():
            if entity not in matched[key]:
                rows.append({"org": name})
                matched[key][entity] = len(rows) - 1
                putter.applied.rows_added.append(f"{_sheet_name(key)}：{name}")
    for entity in entities:
        for text, value in imported.orgs[entity].items():
            t = target(text)
            index = matched[t.sheet][entity]
            row = rows_of[t.sheet][index]
            title = str(row.get("org") or "")
            putter.put(row, t.field, f"{t.sheet}[{index}].{t.field}", _sheet_name(t.sheet), target_label(t, title),
                       value.amount, value.source, value.note)


def _sheet_name(key: str) -> str:
    from reportgen.model.report import SHEET_MODELS

    return SHEET_MODELS[key].sheet.name  # type: ignore[attr-defined]


def _unit_level(putter: _Putter, t: Target, value: Value) -> None:
    vals = putter.applied.values
    if not t.rows:
        record = vals.setdefault(t.sheet, {})
        if not isinstance(record, dict):
            return
        putter.put(record, t.field, f"{t.sheet}.{t.field}", _sheet_name(t.sheet), target_label(t), value.amount,
                   value.source, value.note)
        return
    rows = vals.setdefault(t.sheet, [])
    first_column = next(n for n, _, _ in t.model.input_fields())
    index = next((i for i, r in enumerate(rows) if r.get(first_column) == t.rows[0]), None)
    if index is None:
        rows.append({first_column: t.rows[0]})
        index = len(rows) - 1
    putter.put(rows[index], t.field, f"{t.sheet}[{index}].{t.field}", _sheet_name(t.sheet), target_label(t), value.amount,
               value.source, value.note)


def subject_key(category: Any, section: Any, item: Any) -> tuple[str, str, str]:
    return fold(category or ""), fold(section or ""), fold(item or "")


def _subjects(putter: _Putter, subjects: list[SubjectValue]) -> None:
    vals = putter.applied.values
    key = FunctionItem.sheet.key  # type: ignore[attr-defined]
    name = FunctionItem.sheet.name  # type: ignore[attr-defined]
    rows: list[dict[str, Any]] = vals.setdefault(key, [])
    existing = [r for r in rows if any(not _blank(v) for v in r.values())]
    if existing and putter.overwrite:
        shown = "、".join(f"{subject_name(r)}" for r in existing[:3]) + ("等" if len(existing) > 3 else "")
        putter.applied.findings.append(Finding(
            f"功能分类原有 {len(existing)} 行（{shown}），已全部换为决算表的 {len(subjects)} 行", Location.sheet(name),
            "功能分类", "warning", "I114"))
        putter.applied.replaced += len(existing)
        rows.clear()
        existing = []
    if not existing:
        rows.clear()
        for s in subjects:
            record = {"category": s.category, "section": s.section, "item": s.item, "budget": None, "actual": None}
            rows.append(record)
            _subject_cells(putter, record, len(rows) - 1, s)
        return
    index = {subject_key(r.get("category"), r.get("section"), r.get("item")): i for i, r in enumerate(rows)}
    seen = set()
    for s in subjects:
        at = index.get(subject_key(s.category, s.section, s.item))
        if at is None:
            putter.applied.kept += 1
            putter.applied.findings.append(Finding(
                f"决算表有科目 {s.code} {subject_name(s.__dict__)}（决算数 {wan(s.actual.amount)}），功能分类表中没有这一行"
                f"（来源：{s.actual.source}）；核对后补上，或加 --overwrite 用决算表的各行替换", Location.sheet(name), "功能分类",
                code="I114"))
            continue
        seen.add(at)
        _subject_cells(putter, rows[at], at, s)
    for i, r in enumerate(rows):
        if i not in seen and any(not _blank(v) for v in r.values()):
            putter.applied.kept += 1
            putter.applied.findings.append(Finding(
                f"功能分类表有“{subject_name(r)}”，决算表中没有这一科目；核对后删去，或加 --overwrite 用决算表的各行替换",
                putter.where(f"{key}[{i}]", name), "功能分类", code="I114"))


def subject_name(row: dict[str, Any]) -> str:
    return "".join(f"{row.get(k)}（{lv}）" for k, lv in (("category", "类"), ("section", "款"), ("item", "项"))
                   if row.get(k))


def _subject_cells(putter: _Putter, record: dict[str, Any], index: int, s: SubjectValue) -> None:
    key = FunctionItem.sheet.key  # type: ignore[attr-defined]
    sheet = FunctionItem.sheet.name  # type: ignore[attr-defined]
    title = s.item or s.section or s.category
    labels = {n: c.label for n, _, c in FunctionItem.input_fields()}
    putter.put(record, "actual", f"{key}[{index}].actual", sheet, f"{title} {labels['actual']}", s.actual.amount,
               s.actual.source, s.actual.note)
    if s.budget is not None:
        putter.put(record, "budget", f"{key}[{index}].budget", sheet, f"{title} {labels['budget']}", s.budget.amount,
                   s.budget.source, s.budget.note)
