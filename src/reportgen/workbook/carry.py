"""A workbook's data carried into a new workbook: the next year's (``reportgen init --from``) or
this program's schema version (``reportgen upgrade``). The input file is only read.

Nothing here names a field. What moves is declared on the model's fields (``Cell``):

* ``carry="same"`` — copied into next year's workbook (unit name, 主要职能, project names…);
  ``carry="next"`` — last year's value plus one (the 年度). In a table the carried columns are the
  rows' key: a project row comes back with only its name.
* ``last_year_of="actual"`` — this cell is last year's value of that field (typed or computed) of
  the same record: the sheet's model in last year's report (``预算`` 上年收入合计 ← last year's
  ``income_total``), or, in a table, the row with the same carried key (三公经费 上年决算数 ←
  the same item's 决算数).

An older workbook is read by label like any other; the labels that changed since are in
``schema.RENAMED``. Every field the current schema has and the old workbook lacks is simply
empty in the new one, and the required ones are listed for the clerk (:class:`Blank`).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from reportgen.errors import Finding, ReportgenError, errors_only
from reportgen.model.inputs import Cell, InputModel
from reportgen.model.report import INPUT_SHEETS
from reportgen.workbook.book import Book, column_letter, column_number
from reportgen.workbook.cells import is_empty, label_key
from reportgen.workbook.reader import MAX_ROWS, WorkbookData, open_workbook, read_meta, read_sheets
from reportgen.workbook.schema import (
    INSTRUCTIONS_SHEET,
    META_SHEET,
    RENAMED,
    Field,
    KeyValueSheet,
    Sheet,
    TableSheet,
    WorkbookSchema,
)

if TYPE_CHECKING:
    from reportgen.formats.loader import Format
    from reportgen.model.report import Report

QUESTIONNAIRE_KEY = "questionnaire"  # read unparsed, as the pipeline does (pipeline.QUESTIONNAIRE_SHEET_KEY)


# ---- versions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rename:
    """A sheet or column an older workbook still calls by its old name."""

    sheet: str  # the sheet's current name
    old: str
    new: str
    required: bool = True  # a required field (a sheet counts as one): without it the workbook fails

    def __str__(self) -> str:
        if self.sheet == self.new:
            return f"工作表“{self.old}”现名“{self.new}”"
        return f"{self.sheet}“{self.old}”现名“{self.new}”"


def newer(version: str, current: str) -> bool:
    """Whether ``version`` (a workbook's) is later than ``current`` (this program's)."""
    return version.isdigit() and current.isdigit() and int(version) > int(current)


def upgrade_command(workbook: Path | None) -> str:
    if workbook is None:
        return "reportgen upgrade 旧表.xlsx 新表.xlsx"
    return f"reportgen upgrade {_quoted(workbook)} {_quoted(workbook.with_name(workbook.stem + '-新版.xlsx'))}"


def _quoted(path: Path) -> str:
    text = str(path)
    return f'"{text}"' if re.search(r"\s", text) else text


def version_finding(wb: Book, meta: dict[str, str], schema: WorkbookSchema,
                    workbook: Path | None = None) -> Finding | None:
    """The workbook's version, when it is not this program's: an older one (recorded, or told by a
    renamed sheet or column) is to be upgraded, a newer one needs a newer reportgen."""
    version = meta.get("schema_version", "")
    hint = f"这是旧版本的填报表，请运行 {upgrade_command(workbook)} 转为新版本（已填的数据自动转入），再填写新增的内容"
    if version and newer(version, schema.version):
        return Finding(f"填报表结构版本为 {version}，本程序为 {schema.version}：填报表由较新版本的 reportgen 生成，"
                       "请升级 reportgen", META_SHEET, "schema_version")
    _, renamed = legacy_schema(wb, schema)
    renames = f"（{'；'.join(map(str, renamed))}）" if renamed else ""
    if version and version != schema.version:
        return Finding(f"填报表结构版本为 {version}，本程序为 {schema.version}：{hint}{renames}", META_SHEET,
                       "schema_version")
    if renamed:  # an error leads the list; only an optional column renamed leaves the workbook usable
        severity = "error" if any(r.required for r in renamed) else "warning"
        return Finding(f"{hint}（{'；'.join(map(str, renamed))}）", META_SHEET, "schema_version", severity)
    return None


# ---- reading any version -----------------------------------------------------------------------


def _fields(sheet: Sheet) -> tuple[Field, ...]:
    return sheet.fields if isinstance(sheet, KeyValueSheet) else sheet.columns


def _with_fields(sheet: Sheet, fields: tuple[Field, ...], **changes: Any) -> Sheet:
    if isinstance(sheet, KeyValueSheet):
        return dataclasses.replace(sheet, fields=fields, **changes)
    return dataclasses.replace(sheet, columns=fields, **changes)


def _labels(wb: Book, sheet: Sheet) -> set[str]:
    """Every label in the places the reader looks: a table's first rows, a key–value sheet's rows."""
    ws = wb[sheet.name]
    if isinstance(sheet, TableSheet):
        rows = ws.rows(max_row=min(ws.max_row, 5))
    else:
        rows = ws.rows(max_row=min(ws.max_row, MAX_ROWS), max_col=min(ws.max_column, 3))
    return {label_key(c.content) for row in rows for c in row if isinstance(c.content, str)}


def legacy_schema(wb: Book, schema: WorkbookSchema) -> tuple[WorkbookSchema, list[Rename]]:
    """``schema`` with the old name of each sheet or field the workbook calls by it (``RENAMED``)
    and not by its current one, so the reader finds it; and the renames found."""
    sheets: list[Sheet] = []
    renames: list[Rename] = []
    for sheet in schema.sheets:
        name = sheet.name
        if name not in wb.sheetnames:
            old = next((o for o in RENAMED.get(sheet.key, ()) if o in wb.sheetnames), None)
            if old is not None:
                renames.append(Rename(sheet.name, old, sheet.name))
                name = old
        fields = _fields(sheet)
        if name in wb.sheetnames and any(f"{sheet.key}.{f.key}" in RENAMED for f in fields):
            present = _labels(wb, dataclasses.replace(sheet, name=name))
            changed = []
            for f in fields:
                olds = RENAMED.get(f"{sheet.key}.{f.key}", ())
                old = next((o for o in olds if label_key(o) in present), None)
                if old is not None and label_key(f.label) not in present:
                    renames.append(Rename(sheet.name, old, f.label, f.required))
                    f = dataclasses.replace(f, label=old)
                changed.append(f)
            fields = tuple(changed)
        sheets.append(_with_fields(sheet, fields, name=name))
    return dataclasses.replace(schema, sheets=tuple(sheets)), renames


def _relaxed(schema: WorkbookSchema, wb: Book) -> WorkbookSchema:
    """Only the sheets the workbook has, nothing required: read what is there, complain of nothing
    missing (the new workbook's blanks are listed instead)."""
    sheets = []
    for sheet in schema.sheets:
        if sheet.name not in wb.sheetnames:
            continue
        fields = tuple(dataclasses.replace(f, required=False) for f in _fields(sheet))
        sheet = _with_fields(sheet, fields)
        sheets.append(dataclasses.replace(sheet, min_rows=0) if isinstance(sheet, TableSheet) else sheet)
    return dataclasses.replace(schema, sheets=tuple(sheets))


@dataclass
class Loaded:
    """A workbook of any schema version, read for carrying."""

    path: Path
    format: Format
    schema: WorkbookSchema  # this program's, for the workbook's format
    version: str  # as recorded in the workbook ("" when it records none)
    values: dict[str, Any]  # typed, keyed like the model; None where a cell could not be read
    contents: dict[str, Any]  # the same, with an unreadable cell's content as typed (nothing is lost)
    refs: dict[str, str]
    findings: list[Finding]  # cells that could not be read (kept as typed in ``contents``)
    renamed: list[Rename]
    unread: list[str]  # what has no place in this version (sheet!cell “label”)
    absent: set[tuple[str, str]] = field(default_factory=set)  # (sheet, label) this version added

    @property
    def older(self) -> bool:
        return bool(self.renamed) or (bool(self.version) and self.version != self.schema.version
                                      and not newer(self.version, self.schema.version))


def load(path: Path, format_choice: str | None = None) -> tuple[Book, Loaded]:
    """Read ``path`` (any schema version) under its recorded built-in format, or ``format_choice``."""
    from reportgen.formats.loader import resolve_format
    from reportgen.pipeline import workbook_schema

    wb = open_workbook(path)
    meta = read_meta(wb)
    fmt = resolve_format(format_choice, meta.get("format"), meta.get("format_folder", ""))
    schema = workbook_schema(fmt)
    version = meta.get("schema_version", "")
    if version and newer(version, schema.version):
        raise ReportgenError(version_finding(wb, meta, schema) or Finding("", META_SHEET))
    legacy, renamed = legacy_schema(wb, schema)
    readable = _relaxed(legacy, wb)
    raw = tuple(s.key for s in readable.sheets if s.key == QUESTIONNAIRE_KEY)
    data = read_sheets(wb, readable, path, raw_tables=raw)
    for sheet in readable.sheets:
        if sheet.key in raw and isinstance(sheet, TableSheet):
            by_label = {c.label: c.key for c in sheet.columns}
            data.values[sheet.key] = [{by_label[label]: content for label, (content, _) in cells.items()}
                                      for _, cells in data.raw_tables.get(sheet.key, [])]
    contents = _with_contents(wb, data)
    absent = {(sheet.name, label) for sheet in legacy.sheets if sheet.name not in wb.sheetnames
              for label in ("", *(f.label for f in _fields(sheet)))}
    for sheet in readable.sheets:
        present = _labels(wb, sheet)
        absent |= {(sheet.name, f.label) for f in _fields(sheet) if label_key(f.label) not in present}
    absent |= {(r.sheet, "" if r.sheet == r.new else r.new) for r in renamed}  # found under the old name
    loaded = Loaded(path, fmt, schema, version, data.values, contents, data.refs, data.findings, renamed,
                    _unread(wb, readable), absent)
    return wb, loaded


_PATH = re.compile(r"(\w+)(?:\[(\d+)\])?\.(\w+)")
_COORD = re.compile(r"([A-Z]+)(\d+)")


def _split_ref(ref: str) -> tuple[str, int, int] | None:
    sheet, _, coord = ref.rpartition("!")
    match = _COORD.fullmatch(coord)
    return (sheet, int(match.group(2)), column_number(match.group(1))) if sheet and match else None


def _with_contents(wb: Book, data: WorkbookData) -> dict[str, Any]:
    """The values, where a cell could not be read, with its content as the clerk typed it."""
    contents = copy.deepcopy(data.values)
    for path, ref in data.refs.items():
        match, where = _PATH.fullmatch(path), _split_ref(ref)
        if match is None or where is None:
            continue
        key, index, name = match.groups()
        record = contents.get(key)
        if index is not None:
            record = record[int(index)] if isinstance(record, list) and int(index) < len(record) else None
        if not isinstance(record, dict) or record.get(name) not in (None, []):
            continue
        sheet, row, column = where
        content = wb[sheet].cell(row, column).content
        if not is_empty(content):
            record[name] = content
    return contents


def _unread(wb: Book, schema: WorkbookSchema) -> list[str]:
    """What the workbook holds that this version has no place for: sheets, columns, rows."""
    known = {s.name for s in schema.sheets} | {INSTRUCTIONS_SHEET, META_SHEET}
    unread = [f"工作表“{name}”" for name in wb.sheetnames if name not in known and _has_content(wb, name)]
    for sheet in schema.sheets:
        ws = wb[sheet.name]
        if ws.max_row > MAX_ROWS:
            continue
        labels = {label_key(f.label) for f in _fields(sheet)}
        if isinstance(sheet, TableSheet):
            header = max(ws.rows(max_row=min(ws.max_row, 5)),
                         key=lambda row: sum(label_key(c.content) in labels for c in row), default=[])
            for c in header:
                if is_empty(c.content) or label_key(c.content) in labels:
                    continue
                below = ws.rows(min_row=c.row + 1, min_col=c.column, max_col=c.column)
                if any(not is_empty(cell.content) for (cell,) in below):
                    unread.append(f"{sheet.name}!{c.coordinate}“{c.content}”列")
        else:
            for label, value in ws.rows(min_row=2, max_col=2):
                if (not is_empty(label.content) and label_key(label.content) not in labels
                        and not is_empty(value.content)):
                    unread.append(f"{sheet.name}!{label.coordinate}“{label.content}”")
    return unread


def _has_content(wb: Book, name: str) -> bool:
    ws = wb[name]
    return any(not is_empty(c.content) for row in ws.rows(max_row=min(ws.max_row, 100)) for c in row)


# ---- the new workbook's blanks -----------------------------------------------------------------


@dataclass(frozen=True)
class Blank:
    """A required cell of the new workbook left empty: the clerk fills it in."""

    sheet: str
    label: str
    cell: str = ""  # "B12"; "" for a table that needs more rows
    rows: int = 0  # at least this many rows (a table with too few)


def blanks(path: Path, schema: WorkbookSchema) -> tuple[list[Blank], list[Finding]]:
    """The required cells of the workbook at ``path`` that are empty, and its other errors (cells
    carried as typed that this version cannot read)."""
    wb = open_workbook(path)
    raw = tuple(s.key for s in schema.sheets if s.key == QUESTIONNAIRE_KEY)
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
                      if c.required and record.get(c.key) in (None, [])]
        if len(records) < sheet.min_rows:
            found.append(Blank(sheet.name, "", rows=sheet.min_rows))
    found = [b for b in found if b is not None]
    places = {f"{b.sheet}!{b.cell}" if b.cell else b.sheet for b in found}
    return found, [f for f in errors_only(data.findings) if f.where not in places]


def _blank(wb: Book, sheet: Sheet, spec: Field, ref: str) -> Blank | None:
    where = _split_ref(ref)
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
    match = _COORD.fullmatch(cell)
    return (column_number(match.group(1)), int(match.group(2))) if match else (0, 0)


def _ranges(cells: list[str]) -> str:
    """B2 B3 B4 D7 -> ``B2:B4、D7``."""
    parts: list[str] = []
    run: list[tuple[str, int]] = []
    for cell in cells:
        match = _COORD.fullmatch(cell)
        if match is None:
            continue
        col, row = match.group(1), int(match.group(2))
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


# ---- upgrade -----------------------------------------------------------------------------------


@dataclass
class Carried:
    """What ``upgrade`` or ``init --from`` did: for the CLI to print."""

    format: Format
    version: str  # the source workbook's recorded schema version
    current: str  # this program's
    older: bool
    renamed: list[Rename] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # the source's data without a place here
    unreadable: list[Finding] = field(default_factory=list)  # source cells kept as typed
    carried: list[str] = field(default_factory=list)  # init --from: what was taken from last year
    missing: list[str] = field(default_factory=list)  # init --from: 上年 cells that could not be filled
    problems: list[Finding] = field(default_factory=list)  # init --from: last year's errors
    blanks: list[Blank] = field(default_factory=list)  # the new workbook's required empty cells
    errors: list[Finding] = field(default_factory=list)  # the new workbook's other errors


def _write(out: Path, schema: WorkbookSchema, fmt: Format, values: dict[str, Any]) -> None:
    from reportgen.outputs import write_file
    from reportgen.workbook.blank import write_workbook

    write_file(out, lambda tmp: write_workbook(schema, tmp, values, title=f"{fmt.spec.name} 数据填报表"))


def upgrade(source: Path, out: Path, format_choice: str | None = None) -> Carried:
    """Write ``out``, a workbook of this schema version holding all of ``source``'s data."""
    _, loaded = load(source, format_choice)
    _write(out, loaded.schema, loaded.format, loaded.contents)
    found, errors = blanks(out, loaded.schema)
    return Carried(loaded.format, loaded.version, loaded.schema.version, loaded.older, loaded.renamed,
                   unread=loaded.unread,
                   unreadable=errors_only(loaded.findings), blanks=found, errors=errors)


# ---- next year ---------------------------------------------------------------------------------


def _models() -> dict[str, type[InputModel]]:
    return {model.sheet.key: model for model in INPUT_SHEETS}  # type: ignore[attr-defined]


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


def next_year_values(loaded: Loaded, report: Report | None) -> tuple[dict[str, Any], list[str], list[str]]:
    """Next year's values from last year's (``loaded``, and its ``report`` when it could be built):
    the values, what was carried, and the 上年 cells that could not be filled."""
    values: dict[str, Any] = {}
    carried: list[str] = []
    missing: list[str] = []
    sheets = {s.key: s for s in loaded.schema.sheets}
    for model, cells in carry_declarations():
        sheet = sheets.get(model.sheet.key)  # type: ignore[attr-defined]
        if sheet is None:
            continue
        kept = [name for name, cell in cells.items() if cell.carry]
        previous = {name: cell.last_year_of for name, cell in cells.items() if cell.last_year_of}
        instances = _instances(report, model) if report is not None else []
        old_contents, old_values = loaded.contents.get(sheet.key), loaded.values.get(sheet.key)
        if isinstance(sheet, KeyValueSheet):
            old, typed = old_contents or {}, old_values or {}
            record = {name: _next(old.get(name), cells[name].carry) for name in kept}
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
            row = {name: _next(old.get(name), cells[name].carry) for name in kept}
            if all(v in (None, []) for v in row.values()):
                continue
            key = [old.get(name) for name in kept]
            matches = [o for o in instances if [getattr(o, name) for name in kept] == key]
            typed = old_values[i] if i < len(old_values or []) else {}
            for name, of in previous.items():
                row[name] = _previous(matches[0], {}, of) if len(matches) == 1 else _previous(None, typed, of)
                filled[name] += row[name] is not None
            rows.append(row)
        first = sheet.columns[0].key
        rows += [{first: label} for label in sheet.fixed_rows if label not in [r.get(first) for r in rows]]
        values[sheet.key] = rows
        if kept and rows:
            carried.append(f"{sheet.name}：{len(rows)} 行（{'、'.join(cells[n].label for n in kept)}）")
        for name, of in previous.items():
            line = f"{sheet.name}“{cells[name].label}”← 上年“{_meaning(model, cells, of)}”"
            if filled[name]:
                carried.append(f"{line}（{filled[name]} 行）")
            if filled[name] < len(rows):
                missing.append(f"{line}（{len(rows) - filled[name]} 行未能取得）")
    return values, carried, missing


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


_PLACEHOLDERS: dict[str, Any] = {"money": Decimal(0), "decimal": Decimal(0), "int": 0, "yesno": False,
                                  "date": dt.date(1900, 1, 1), "list": []}


def _salvage(loaded: Loaded) -> Report | None:
    """Last year's report from a workbook that does not pass: a field its version lacks altogether
    counts as empty (0, no text); any other missing or unreadable cell, and there is no report."""
    from reportgen.model.build import build_report

    values = copy.deepcopy(loaded.values)
    for sheet in loaded.schema.sheets:
        if sheet.key not in _models():
            continue
        absent = {f.key: _PLACEHOLDERS.get(f.kind, "") for f in _fields(sheet)
                  if f.required and (sheet.name, f.label) in loaded.absent}
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


def carry_forward(source: Path, out: Path, format_choice: str | None = None) -> Carried:
    """Write ``out``, next year's workbook started from last year's ``source`` (see module doc)."""
    wb, loaded = load(source, format_choice)
    report, problems = last_year_report(wb, loaded)
    values, carried, missing = next_year_values(loaded, report)
    _write(out, loaded.schema, loaded.format, values)
    found, errors = blanks(out, loaded.schema)
    return Carried(loaded.format, loaded.version, loaded.schema.version, loaded.older, loaded.renamed,
                   carried=carried, missing=missing,
                   problems=problems, blanks=found, errors=errors)
