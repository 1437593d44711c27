"""``reportgen init NEW --from LAST_YEAR``: next year's workbook started from last year's.

Nothing here names a field. What moves is declared on the model's fields (``Cell``):

* ``carry="same"`` — copied into next year's workbook (unit name, 主要职能, project names…);
  ``carry="next"`` — last year's value plus one (the 年度); ``carry="revise"`` — copied, marked
  (orange, with a comment) and listed for the clerk to revise (a 绩效指标's 年度指标值). In a table
  the "same"/"next" columns are the rows' key: a project row comes back with only its name and
  是否重点项目, an 收入 row with its 机构名称, its amounts blank.
* ``last_year_of="actual"`` — this cell is last year's value of that field (typed or computed) of
  the same record: the sheet's model in last year's report (``预算`` 上年收入合计 ← last year's
  ``income_total``), or, in a table, the row with the same carried key (三公经费 上年决算数 ←
  the same item's 决算数).

Last year's workbook may have errors or be of an older version: what can be read is carried, the
rest is listed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from reportgen.carry.blanks import Blank, blanks
from reportgen.carry.indicators import describe_splits
from reportgen.carry.source import Loaded, load
from reportgen.carry.upgrade import Carried, write_workbook_values
from reportgen.errors import Finding, ReportgenError, errors_only
from reportgen.model.inputs import Cell, InputModel
from reportgen.model.report import INPUT_SHEETS, SHEET_MODELS
from reportgen.workbook.book import Book, column_letter
from reportgen.workbook.reader import WorkbookData
from reportgen.workbook.schema import META_SHEET, KeyValueSheet, placeholder, sheet_fields
from reportgen.workbook.writing import ToRevise

if TYPE_CHECKING:
    from reportgen.model.report import Report


def carry_declarations() -> Iterator[tuple[type[InputModel], dict[str, Cell]]]:
    """Each sheet model that carries anything into next year, with its cells."""
    for model in INPUT_SHEETS:
        cells = {name: cell for name, _, cell in model.input_fields()}
        if any(c.carry or c.last_year_of for c in cells.values()):
            yield model, cells


def _instances(node: Any, model: type[BaseModel]) -> list[BaseModel]:
    """Every ``model`` object in the report (its fields, not computed views of them)."""
    if type(node) is model:
        return [node]
    if isinstance(node, BaseModel):
        return [i for name in type(node).model_fields for i in _instances(getattr(node, name), model)]
    if isinstance(node, list):
        return [i for item in node for i in _instances(item, model)]
    return []


def _meaning(model: type[InputModel], cells: dict[str, Cell], name: str) -> str:
    if name in cells:
        return cells[name].label
    info = model.model_fields.get(name) or model.model_computed_fields.get(name)
    return (info.description if info is not None else None) or name


def _shown(value: Any) -> str:
    from reportgen.render.filters import wan

    return wan(value) if isinstance(value, Decimal) else str(value)


def _next(value: Any, how: str) -> Any:
    if how == "next" and isinstance(value, int) and not isinstance(value, bool):
        return value + 1
    return value


def _previous(source: Any, record: dict[str, Any], name: str) -> Any:
    """Last year's ``name`` of the matching record: from the report, else as read (typed fields)."""
    value = getattr(source, name, None) if source is not None else record.get(name)
    return value if isinstance(value, (Decimal, int, str)) else None


REVISE_NOTE = "上年的值，请按本年度的绩效目标修改或确认"


def _revised(value: Any, how: str) -> Any:
    """A ``carry="revise"`` value, marked for the clerk (an empty one stays empty)."""
    if how != "revise" or value in (None, "", []):
        return value
    return ToRevise(value, REVISE_NOTE)


@dataclass
class NextYear:
    """Next year's values and what ``init --from`` says about them."""

    values: dict[str, Any] = field(default_factory=dict)
    carried: list[str] = field(default_factory=list)  # what was taken from last year
    missing: list[str] = field(default_factory=list)  # 上年 cells that could not be filled
    revise: list[Blank] = field(default_factory=list)  # cells holding last year's value to revise
    rows: dict[tuple[str, int], int] = field(default_factory=dict)  # (sheet key, last year's record) -> new row


def next_year_values(loaded: Loaded, report: Report | None) -> NextYear:
    """Next year's values from last year's (``loaded``, and its ``report`` when it could be built)."""
    result = NextYear()
    values, carried, missing = result.values, result.carried, result.missing
    sheets = {s.key: s for s in loaded.schema.sheets}
    for model, cells in carry_declarations():
        sheet = sheets.get(model.sheet.key)  # type: ignore[attr-defined]
        if sheet is None:
            continue
        kept = [name for name, cell in cells.items() if cell.carry]
        keys = [name for name in kept if cells[name].carry != "revise"]  # a row's key: what it repeats as it was
        columns = [f.key for f in sheet_fields(sheet)]
        previous = {name: cell.last_year_of for name, cell in cells.items() if cell.last_year_of}
        instances = _instances(report, model) if report is not None else []
        old_contents, old_values = loaded.contents.get(sheet.key), loaded.values.get(sheet.key)
        if isinstance(sheet, KeyValueSheet):
            old, typed = old_contents or {}, old_values or {}
            record = {name: _revised(_next(old.get(name), cells[name].carry), cells[name].carry) for name in kept}
            source = instances[0] if len(instances) == 1 else None
            record |= {name: _previous(source, typed, of) for name, of in previous.items()}
            values[sheet.key] = record
            shown = [cells[n].label + (f"（{old.get(n)}→{record[n]}）" if cells[n].carry == "next" else "")
                     for n in kept if record.get(n) not in (None, [])]
            if shown:
                carried.append(f"{sheet.name}：{'、'.join(shown)}")
            for name, of in previous.items():
                line = f"{sheet.name}“{cells[name].label}”← 上年“{_meaning(model, cells, of)}”"
                if record[name] is None:
                    missing.append(line)
                else:
                    carried.append(f"{line} {_shown(record[name])}")
            continue
        rows = []
        filled = dict.fromkeys(previous, 0)
        for i, old in enumerate(old_contents or []):
            row = {name: _revised(_next(old.get(name), cells[name].carry), cells[name].carry) for name in kept}
            if all(v in (None, []) for v in row.values()):
                continue
            key = [old.get(name) for name in keys]
            matches = [o for o in instances if [getattr(o, name) for name in keys] == key]
            typed = old_values[i] if i < len(old_values or []) else {}
            for name, of in previous.items():
                row[name] = _previous(matches[0], {}, of) if len(matches) == 1 else _previous(None, typed, of)
                filled[name] += row[name] is not None
            result.rows[(sheet.key, i)] = len(rows) + 2  # written in order from row 2
            result.revise += [Blank(sheet.name, cells[name].label, f"{column_letter(columns.index(name) + 1)}{len(rows) + 2}")
                              for name, value in row.items() if isinstance(value, ToRevise)]
            rows.append(row)
        first = sheet.columns[0].key
        rows += [{first: label} for label in sheet.fixed_rows if label not in [r.get(first) for r in rows]]
        values[sheet.key] = rows
        if kept and rows:
            same = "、".join(cells[n].label for n in kept if cells[n].carry != "revise")
            revised = "、".join(cells[n].label for n in kept if cells[n].carry == "revise")
            carried.append(f"{sheet.name}：{len(rows)} 行（{same}" + (f"；{revised}为上年的值，待修改" if revised else "") + "）")
        for name, of in previous.items():
            line = f"{sheet.name}“{cells[name].label}”← 上年“{_meaning(model, cells, of)}”"
            if filled[name]:
                carried.append(f"{line}（{filled[name]} 行）")
            if filled[name] < len(rows):
                missing.append(f"{line}（{len(rows) - filled[name]} 行未能取得）")
    return result


def last_year_report(wb: Book, loaded: Loaded) -> tuple[Report | None, list[Finding]]:
    """Last year's report as the pipeline computes it, and its errors; when it has errors, the
    report built from the rows that are complete (or None), so what can be carried still is."""
    from reportgen.pipeline import evaluate_workbook

    try:
        return evaluate_workbook(wb, loaded.path, str(loaded.format.folder)).report, []
    except ReportgenError as exc:  # a sheet, row or column the workbook's version lacks is no problem
        problems = [f for f in errors_only(exc.findings) if f.where != META_SHEET
                    and (f.where, f.field) not in loaded.absent and (f.where, "") not in loaded.absent]
    return _salvage(loaded), problems


def _salvage(loaded: Loaded) -> Report | None:
    """Last year's report from a workbook that does not pass: a field its version lacks altogether
    counts as empty (0, no text); any other missing or unreadable cell, and there is no report."""
    from reportgen.workbook.assemble import build_report

    values = copy.deepcopy(loaded.values)
    for sheet in loaded.schema.sheets:
        if sheet.key not in SHEET_MODELS:
            continue
        model = SHEET_MODELS[sheet.key]
        absent = {f.key: placeholder(f) for f in sheet_fields(sheet)
                  if model.model_fields[f.key].is_required() and (sheet.name, f.label) in loaded.absent}
        if isinstance(sheet, KeyValueSheet):
            record = values.setdefault(sheet.key, {})
            records = [record]
        else:
            records = values.setdefault(sheet.key, [])
        for record in records:
            record |= {k: copy.copy(v) for k, v in absent.items() if record.get(k) in (None, [])}
    try:
        report, _ = build_report(WorkbookData(values=values, refs=dict(loaded.refs)))
    except ReportgenError:
        return None
    return report


def next_year(source: Path, format_choice: str | None = None) -> tuple[Loaded, dict[str, Any], Carried]:
    """Next year's values from last year's ``source``, and what was carried (blanks not yet known)."""
    wb, loaded = load(source, format_choice)
    report, problems = last_year_report(wb, loaded)
    year = next_year_values(loaded, report)
    split, review = describe_splits(loaded.splits, loaded.schema, lambda key, index: year.rows.get((key, index)))
    return loaded, year.values, Carried(loaded.format, loaded.version, loaded.schema.version, loaded.older,
                                        loaded.renamed, carried=year.carried, missing=year.missing, split=split,
                                        review=review, revise=year.revise, problems=problems)


def carry_forward(source: Path, out: Path, format_choice: str | None = None) -> Carried:
    """Write ``out``, next year's workbook started from last year's ``source`` (see module doc)."""
    loaded, values, result = next_year(source, format_choice)
    write_workbook_values(out, loaded.schema, loaded.format, values)
    result.blanks, result.errors = blanks(out, loaded.schema, loaded.format)
    return result
