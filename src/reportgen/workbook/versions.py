"""A workbook's schema version: told by its 系统信息 sheet or by the old names it still uses.

An older workbook is read by label like any other; the sheet and field labels that changed since
are in ``schema.RENAMED``. ``version_finding`` says what a clerk must do with a workbook of another
version (``reportgen upgrade`` it, or get a newer reportgen); ``legacy_schema`` lets the reader
find the renamed sheets and columns under their old names.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from reportgen.cells import label_key
from reportgen.errors import Finding, Location
from reportgen.workbook.book import Book
from reportgen.workbook.container import MAX_ROWS
from reportgen.workbook.schema import (
    META_SHEET,
    RENAMED,
    Sheet,
    TableSheet,
    WorkbookSchema,
    sheet_fields,
    with_fields,
)


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
                       "请升级 reportgen", Location.sheet(META_SHEET), "schema_version", code="W514")
    _, renamed = legacy_schema(wb, schema)
    renames = f"（{'；'.join(map(str, renamed))}）" if renamed else ""
    if version and version != schema.version:
        return Finding(f"填报表结构版本为 {version}，本程序为 {schema.version}：{hint}{renames}",
                       Location.sheet(META_SHEET), "schema_version", code="W514")
    if renamed:  # an error leads the list; only an optional column renamed leaves the workbook usable
        severity = "error" if any(r.required for r in renamed) else "warning"
        return Finding(f"{hint}（{'；'.join(map(str, renamed))}）", Location.sheet(META_SHEET), "schema_version", severity,
                       "W514")
    return None


def sheet_labels(wb: Book, sheet: Sheet) -> set[str]:
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
        fields = sheet_fields(sheet)
        if name in wb.sheetnames and any(f"{sheet.key}.{f.key}" in RENAMED for f in fields):
            present = sheet_labels(wb, dataclasses.replace(sheet, name=name))
            changed = []
            for f in fields:
                olds = RENAMED.get(f"{sheet.key}.{f.key}", ())
                old = next((o for o in olds if label_key(o) in present), None)
                if old is not None and label_key(f.label) not in present:
                    renames.append(Rename(sheet.name, old, f.label, f.required))
                    f = dataclasses.replace(f, label=old)
                changed.append(f)
            fields = tuple(changed)
        sheets.append(with_fields(sheet, fields, name=name))
    return dataclasses.replace(schema, sheets=tuple(sheets)), renames
