"""A workbook of any schema version, read for carrying its data into a new workbook.

``load`` reads every sheet the workbook has under this program's schema for its format (renamed
sheets and columns by their old names, nothing required), keeps an unreadable cell's content as
typed (nothing is lost) and lists what has no place in this version; an indicator target an older
version wrote in one cell (``≥120家``) is split into its columns (``carry.indicators``). The file is only read.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.carry.indicators import Split, split_targets
from reportgen.cells import is_empty, label_key
from reportgen.errors import Finding, Location, ReportgenError
from reportgen.formats.loader import resolve_format
from reportgen.formats.sheets import QUESTIONNAIRE_SHEET_KEY
from reportgen.workbook.book import Book, cell_position
from reportgen.workbook.container import MAX_ROWS
from reportgen.workbook.reader import WorkbookData, open_workbook, read_meta, read_sheets
from reportgen.workbook.schema import (
    INSTRUCTIONS_SHEET,
    META_SHEET,
    SOURCES_SHEET,
    TableSheet,
    WorkbookSchema,
    sheet_fields,
    with_fields,
)
from reportgen.workbook.versions import Rename, legacy_schema, newer, sheet_labels, version_finding

if TYPE_CHECKING:
    from reportgen.formats.loader import Format


def relaxed(schema: WorkbookSchema, wb: Book) -> WorkbookSchema:
    """Only the sheets the workbook has, nothing required: read what is there, complain of nothing
    missing (the new workbook's blanks are listed instead)."""
    sheets = []
    for sheet in schema.sheets:
        if sheet.name not in wb.sheetnames:
            continue
        fields = tuple(dataclasses.replace(f, required=False) for f in sheet_fields(sheet))
        sheet = with_fields(sheet, fields)
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
    refs: dict[str, Location]  # where each value was read
    findings: list[Finding]  # cells that could not be read (kept as typed in ``contents``)
    renamed: list[Rename]
    unread: list[str]  # what has no place in this version (sheet!cell “label”)
    absent: set[tuple[str, str]] = field(default_factory=set)  # (sheet, label) this version added
    splits: list[Split] = field(default_factory=list)  # indicator targets split into 指标性质/年度指标值/度量单位

    @property
    def older(self) -> bool:
        return bool(self.renamed) or (bool(self.version) and self.version != self.schema.version
                                      and not newer(self.version, self.schema.version))


def load(path: Path, format_choice: str | None = None) -> tuple[Book, Loaded]:
    """Read ``path`` (any schema version) under its recorded built-in format, or ``format_choice``."""
    from reportgen.pipeline import workbook_schema

    wb = open_workbook(path)
    meta = read_meta(wb)
    fmt = resolve_format(format_choice, meta.get("format"), meta.get("format_folder", ""))
    schema = workbook_schema(fmt, relaxed=True)  # the new workbook asks only for what the format reads
    version = meta.get("schema_version", "")
    if version and newer(version, schema.version):
        raise ReportgenError(version_finding(wb, meta, schema) or Finding("", META_SHEET))
    legacy, renamed = legacy_schema(wb, schema)
    readable = relaxed(legacy, wb)
    raw = tuple(s.key for s in readable.sheets if s.key == QUESTIONNAIRE_SHEET_KEY)
    data = read_sheets(wb, readable, path, raw_tables=raw)
    for sheet in readable.sheets:
        if sheet.key in raw and isinstance(sheet, TableSheet):
            by_label = {c.label: c.key for c in sheet.columns}
            data.values[sheet.key] = [{by_label[label]: content for label, (content, _) in cells.items()}
                                      for _, cells in data.raw_tables.get(sheet.key, [])]
    contents = _with_contents(wb, data)
    splits = split_targets(data.values, contents)  # an older workbook's ≥120家 in one cell
    absent = {(sheet.name, label) for sheet in legacy.sheets if sheet.name not in wb.sheetnames
              for label in ("", *(f.label for f in sheet_fields(sheet)))}
    for sheet in readable.sheets:
        present = sheet_labels(wb, sheet)
        absent |= {(sheet.name, f.label) for f in sheet_fields(sheet) if label_key(f.label) not in present}
    absent |= {(r.sheet, "" if r.sheet == r.new else r.new) for r in renamed}  # found under the old name
    loaded = Loaded(path, fmt, schema, version, data.values, contents, data.refs, data.findings, renamed,
                    _unread(wb, readable), absent, splits)
    return wb, loaded


_PATH = re.compile(r"(\w+)(?:\[(\d+)\])?\.(\w+)")


def split_ref(ref: Location) -> tuple[str, int, int] | None:
    """(sheet, row, column) of a one-cell place, else None."""
    position = cell_position(ref.refs[0].cell) if len(ref.refs) == 1 else None
    return (ref.refs[0].sheet, *position) if position else None


def record_at(values: dict[str, Any], path: str) -> tuple[dict[str, Any] | None, str]:
    """The record (a key-value sheet's dict, or a table's row) a reader path such as
    ``income[2].general_budget`` names, and the field's key; (None, "") when there is none."""
    match = _PATH.fullmatch(path)
    if match is None:
        return None, ""
    key, index, name = match.groups()
    record = values.get(key)
    if index is not None:
        record = record[int(index)] if isinstance(record, list) and int(index) < len(record) else None
    return (record, name) if isinstance(record, dict) else (None, "")


def _with_contents(wb: Book, data: WorkbookData) -> dict[str, Any]:
    """The values, where a cell could not be read, with its content as the clerk typed it."""
    contents = copy.deepcopy(data.values)
    for path, ref in data.refs.items():
        (record, name), where = record_at(contents, path), split_ref(ref)
        if record is None or where is None or record.get(name) not in (None, []):
            continue
        sheet, row, column = where
        content = wb[sheet].cell(row, column).content
        if not is_empty(content):
            record[name] = content
    return contents


def _unread(wb: Book, schema: WorkbookSchema) -> list[str]:
    """What the workbook holds that this version has no place for: sheets, columns, rows."""
    known = {s.name for s in schema.sheets} | {INSTRUCTIONS_SHEET, META_SHEET, SOURCES_SHEET}
    unread = [f"工作表“{name}”" for name in wb.sheetnames if name not in known and _has_content(wb, name)]
    for sheet in schema.sheets:
        ws = wb[sheet.name]
        if ws.max_row > MAX_ROWS:
            continue
        labels = {label_key(f.label) for f in sheet_fields(sheet)}
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
