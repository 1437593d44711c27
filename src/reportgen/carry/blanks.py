"""The required cells a new workbook (``upgrade``, ``init --from``) leaves empty, for the clerk to fill,
described compactly (``项目!B2:B9 年初预算``): the schema's required cells and what the format's
scoring needs (``scored_fields``: the 分值 of the 绩效指标 rows it scores).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.carry.source import split_ref
from reportgen.cells import is_empty
from reportgen.errors import Finding, Location, errors_only
from reportgen.formats.sheets import QUESTIONNAIRE_SHEET_KEY
from reportgen.workbook.book import Book, cell_position, column_letter
from reportgen.workbook.reader import open_workbook, read_sheets
from reportgen.workbook.schema import Field, KeyValueSheet, Sheet, WorkbookSchema

if TYPE_CHECKING:
    from reportgen.formats.loader import Format


@dataclass(frozen=True)
class Blank:
    """A required cell of the new workbook left empty: the clerk fills it in."""

    sheet: str
    label: str
    cell: str = ""  # "B12"; "" for a table that needs more rows
    rows: int = 0  # at least this many rows (a table with too few)


def scored_fields(fmt: Format) -> dict[str, tuple[str, ...]]:
    """What a format's scoring needs beyond the schema's required cells: the 分值 of every 绩效指标
    row a scoring system scores (``goal_rows``; left empty, the engine's G803)."""
    from reportgen.scoring.system import goal_levels

    systems = {"indicators": fmt.scoring, "project_indicators": fmt.project_scoring}
    return {key: ("weight",) for key, system in systems.items() if goal_levels(system)}


def blanks(path: Path, schema: WorkbookSchema, fmt: Format) -> tuple[list[Blank], list[Finding]]:
    """The required cells of the workbook at ``path`` that are empty (and those ``fmt``'s scoring
    needs: :func:`scored_fields`), and its other errors (cells carried as typed that this version
    cannot read)."""
    needed = scored_fields(fmt)
    wb = open_workbook(path)
    raw = tuple(s.key for s in schema.sheets if s.key == QUESTIONNAIRE_SHEET_KEY)
    data = read_sheets(wb, schema, path, raw_tables=raw)
    found: list[Blank] = []
    for sheet in schema.sheets:
        if sheet.key in raw:
            continue
        if isinstance(sheet, KeyValueSheet):
            record = data.values.get(sheet.key) or {}
            found += [_blank(wb, sheet, f, data.ref(f"{sheet.key}.{f.key}")) for f in sheet.fields
                      if f.required and record.get(f.key) in (None, [])]
            continue
        records = data.values.get(sheet.key) or []
        for i, record in enumerate(records):
            found += [_blank(wb, sheet, c, data.ref(f"{sheet.key}[{i}].{c.key}")) for c in sheet.columns
                      if (c.required or c.key in needed.get(sheet.key, ())) and record.get(c.key) in (None, [])]
        if len(records) < sheet.min_rows:
            found.append(Blank(sheet.name, "", rows=sheet.min_rows))
    found = [b for b in found if b is not None]
    places = {f"{b.sheet}!{b.cell}" if b.cell else b.sheet for b in found}
    return found, [f for f in errors_only(data.findings) if f.where not in places]


def _blank(wb: Book, sheet: Sheet, spec: Field, ref: Location) -> Blank | None:
    where = split_ref(ref)
    if where is None:
        return Blank(sheet.name, spec.label)
    name, row, column = where
    if not is_empty(wb[name].cell(row, column).content):
        return None  # there is something, only not readable: an error, not a blank
    return Blank(sheet.name, spec.label, f"{column_letter(column)}{row}")


MANY = 8  # a sheet with more empty fields than this is given by its cells only


def describe_blanks(found: list[Blank]) -> list[str]:
    """One line per field: ``项目!B2:B9 年初预算``; a sheet with many: ``评分填报!B2:B27、B29 共 38 项``."""
    by_sheet: dict[str, dict[str, list[str]]] = {}
    for b in found:
        by_sheet.setdefault(b.sheet, {}).setdefault(b.label, [])
        if not b.rows:
            by_sheet[b.sheet][b.label].append(b.cell)
    lines = []
    for sheet, labels in by_sheet.items():
        rows = next((b.rows for b in found if b.sheet == sheet and b.rows), 0)
        if rows:
            lines.append(f"{sheet}：至少填写 {rows} 行")
        fields = {label: cells for label, cells in labels.items() if cells}
        if len(fields) > MANY:
            cells = sorted((c for cs in fields.values() for c in cs), key=_place)
            lines.append(f"{sheet}!{_ranges(cells)} 共 {len(fields)} 项")
        else:
            lines += [f"{sheet}!{_ranges(cells)} {label}" for label, cells in fields.items()]
    return lines


def _place(cell: str) -> tuple[int, int]:
    """Column first: a sheet's cells listed down each column in turn."""
    row, column = cell_position(cell) or (0, 0)
    return column, row


def _ranges(cells: list[str]) -> str:
    """B2 B3 B4 D7 -> ``B2:B4、D7``."""
    parts: list[str] = []
    run: list[tuple[str, int]] = []
    for cell in cells:
        if (position := cell_position(cell)) is None:
            continue
        row, col = position[0], column_letter(position[1])
        if run and (run[-1][0] != col or run[-1][1] != row - 1):
            parts.append(_run(run))
            run = []
        run.append((col, row))
    if run:
        parts.append(_run(run))
    return "、".join(parts)


def _run(run: list[tuple[str, int]]) -> str:
    (col, first), (_, last) = run[0], run[-1]
    return f"{col}{first}" if first == last else f"{col}{first}:{col}{last}"
