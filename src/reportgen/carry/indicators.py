"""绩效指标 rows whose target was written in one cell: split into 指标性质 / 年度指标值 / 度量单位.

Version 1 of the workbook had no 指标性质 or 度量单位 column in 项目指标: its 预期值 held ``≥120家``
and its 实际值 ``132家``. Carried as typed, every such row fails ``check`` (指标性质 is required and
a quantitative value must be a number). :func:`split_targets` reads each row of an indicator table
(a model derived from ``IndicatorRow``) whose 指标性质 is empty with ``cells.parse_comparison``:

* a comparison, a number and a unit read for certain (``≥120家``, ``100%``, ``95%以上``) -> 指标性质
  ≥/≤/=, 年度指标值 the number, 度量单位 the unit (unless the row has one), 实际完成值 its number in
  that unit (``132家`` -> 132); a strict > or < becomes ≥ or ≤ (the only natures there are) and is
  listed to be checked, and so is an 实际完成值 not in that unit (left as typed);
* words without a number (``明显提升``) -> 定性, the words kept;
* anything else (``9月底前``, ``约100人``) is left as typed and listed: a person chooses.

Rows with a 指标性质 are never touched. ``values`` (typed) and ``contents`` (as typed) change alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportgen.cells import fold, is_empty, parse_comparison, parse_quantity, plain_number
from reportgen.model.report import INPUT_SHEETS, IndicatorRow
from reportgen.workbook.book import column_letter
from reportgen.workbook.schema import WorkbookSchema, sheet_fields

NATURE_OF = {"≥": "≥", "≤": "≤", "=": "=", ">": "≥", "<": "≤", "": "定性"}


def indicator_sheets() -> set[str]:
    """The keys of the sheets holding 绩效指标 rows (the unit's, the projects')."""
    return {m.sheet.key for m in INPUT_SHEETS if issubclass(m, IndicatorRow)}  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Split:
    """What became of one row: ``field`` names the cell a note is about (``nature`` when a person must
    choose, ``actual`` when the 实际完成值 stays as typed, ``nature`` with ``checked`` for a > or <)."""

    sheet: str  # sheet key
    index: int  # the record's position in the table
    target: str  # the 年度指标值 as it was typed
    field: str = ""  # "" split for certain; else the field the note is about
    note: str = ""
    result: str = ""  # what it became: "≥、120、家" or "定性"


def split_targets(values: dict[str, Any], contents: dict[str, Any]) -> list[Split]:
    """Split the one-cell targets of every indicator table in place (see module doc); what was done."""
    done: list[Split] = []
    for key in sorted(indicator_sheets()):
        rows = contents.get(key) or []
        typed = values.get(key) or []
        for i, row in enumerate(rows):
            if not isinstance(row, dict) or not is_empty(row.get("nature")) or is_empty(row.get("target")):
                continue
            split = _split(key, i, row)
            if split is not None and i < len(typed) and isinstance(typed[i], dict):
                typed[i].update({k: row.get(k) for k in ("nature", "target", "unit", "actual")})
            if split is not None:
                done.append(split)
    return done


def _split(key: str, index: int, row: dict[str, Any]) -> Split | None:
    typed = str(row["target"]).strip()
    found = parse_comparison(row["target"])
    if found is None:
        return Split(key, index, typed, "nature", f"年度指标值“{typed}”不能确定指标性质、数值和度量单位，请选择指标性质"
                                                  "（≥、≤、=、定性），定量指标把数字和单位分别填入年度指标值和度量单位")
    if found.number is None:
        row["nature"] = "定性"
        return Split(key, index, typed, result="定性")
    unit = row.get("unit")
    if found.unit and not is_empty(unit) and fold(unit) != fold(found.unit):
        return Split(key, index, typed, "nature", f"年度指标值“{typed}”的单位与度量单位“{unit}”不同，请选择指标性质并改正")
    unit = found.unit or (None if is_empty(unit) else str(unit))
    row.update(nature=NATURE_OF[found.sign], target=plain_number(found.number), unit=unit)  # as text, like a typed one
    result = "、".join(p for p in (row["nature"], plain_number(found.number), unit or "") if p)
    note = ""
    if found.sign in "><":
        note = f"年度指标值“{typed}”按“{row['nature']}”转入（指标性质只有 ≥、≤、=、定性），请核对"
    actual = row.get("actual")
    if not is_empty(actual) and not isinstance(actual, Decimal):
        number, problem = parse_quantity(actual, unit)
        if problem is None and number is not None:
            row["actual"] = plain_number(number)
        else:
            return Split(key, index, typed, "actual", f"实际完成值“{actual}”不是度量单位“{unit or '（无）'}”的数字，请改正",
                         result)
    return Split(key, index, typed, "nature" if note else "", note, result)


def describe_splits(splits: list[Split], schema: WorkbookSchema, row_of: Callable[[str, int], int | None]
                    ) -> tuple[list[str], list[str]]:
    """For the CLI: per sheet the format reads, how many targets were split (with an example), and
    each note at its cell of the new workbook (``row_of(sheet key, record index)`` gives the row,
    None: not carried)."""
    done: list[str] = []
    notes: list[str] = []
    for sheet in schema.sheets:
        read = {f.key for f in sheet_fields(sheet) if f.required}
        if "nature" not in read:
            continue  # the format does not read this sheet: nothing to say about it
        mine = [s for s in splits if s.sheet == sheet.key]
        split = [s for s in mine if s.result]
        if split:
            example = next((s for s in split if s.result != "定性"), split[0])
            qualitative = sum(s.result == "定性" for s in split)
            tail = f"，其中 {qualitative} 行为定性指标" if qualitative else ""
            done.append(f"{sheet.name}：{len(split)} 行（如“{example.target}”→ {example.result}）{tail}")
        columns = [f.key for f in sheet_fields(sheet)]
        for s in mine:
            row = row_of(s.sheet, s.index)
            if s.note and row is not None and s.field in columns:
                notes.append(f"{sheet.name}!{column_letter(columns.index(s.field) + 1)}{row} {s.note}")
    return done, notes
