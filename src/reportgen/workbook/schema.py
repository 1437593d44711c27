"""The workbook's shape, derived from the model.

Every input field is declared once, as an annotated field of a model in ``reportgen.model``
(``Cell``: label, help, kind; the model's ``sheet``: where). This module turns those declarations
into the sheet descriptions that ``reportgen init`` writes and the reader parses, so workbook,
reader and model can never drift. Sheets are found by name, fields by their Chinese label and
columns by their header text, never by fixed cell address: a clerk who inserts a row or reorders
columns does not break anything. Format-specific sheets (评分填报, 问卷) are built from the
format's own declarations in ``formats.sheets``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic.fields import FieldInfo

from reportgen.cells import Field
from reportgen.model.inputs import Cell, InputModel, KeyValue, cell_kind
from reportgen.model.report import INPUT_SHEETS

# 3: 绩效指标/项目指标 gained 定性指标得分; 预算 gained 公用经费预算数, 政府采购预算数, 政府采购实际数 and
#    预算执行偏差说明 (all optional: an upgraded workbook only lists them, nothing was renamed)
SCHEMA_VERSION = "3"

# What earlier schema versions called a sheet or a field whose label changed since, so that
# ``reportgen upgrade`` reads an older workbook (and ``check`` recognises one): "sheet key" or
# "sheet key.field key" -> the old names, newest first. A field whose label is unchanged needs
# nothing here, whatever became of its key: workbooks are read by label.
RENAMED: dict[str, tuple[str, ...]] = {
    "project_indicators.target": ("预期值",),
    "project_indicators.actual": ("实际值",),
}


@dataclass(frozen=True)
class KeyValueSheet:
    """项目 | 填写值 | 填写说明 — one field per row."""

    name: str
    key: str
    fields: tuple[Field, ...]
    help: str = ""


@dataclass(frozen=True)
class TableSheet:
    """One header row, one record per row. ``fixed_rows`` pre-fills the first column's labels
    (e.g. the four 三公经费 items) and each must appear exactly once."""

    name: str
    key: str
    columns: tuple[Field, ...]
    help: str = ""
    min_rows: int = 0
    fixed_rows: tuple[str, ...] = ()
    blank_rows: int = 20  # rows formatted with validation in the blank workbook
    optional: bool = False  # a workbook without this sheet reads as if it were empty (an alternative input)
    print_through: str = ""  # printed over several pages wide: columns up to this key repeat (default: the first)


Sheet = KeyValueSheet | TableSheet


@dataclass(frozen=True)
class WorkbookSchema:
    sheets: tuple[Sheet, ...]
    format_id: str = ""
    version: str = SCHEMA_VERSION
    format_folder: str = ""  # a local format folder's path (not for built-in formats)

    def sheet(self, key: str) -> Sheet:
        return next(s for s in self.sheets if s.key == key)


def sheet_fields(sheet: Sheet) -> tuple[Field, ...]:
    return sheet.fields if isinstance(sheet, KeyValueSheet) else sheet.columns


def with_fields(sheet: Sheet, fields: tuple[Field, ...], **changes: Any) -> Sheet:
    if isinstance(sheet, KeyValueSheet):
        return dataclasses.replace(sheet, fields=fields, **changes)
    return dataclasses.replace(sheet, columns=fields, **changes)



def placeholder(field: Field) -> Any:
    """A value standing in for a required field nobody reads (a format that does not use it, a column an
    older workbook lacks): 0, no text, not a 是, an empty list — never printed."""
    by_kind: dict[str, Any] = {"money": Decimal(0), "decimal": Decimal(0), "int": 0, "yesno": False,
                               "date": dt.date(1900, 1, 1), "list": []}
    return by_kind.get(field.kind, "")


META_SHEET = "系统信息"  # hidden sheet: format id and schema version
INSTRUCTIONS_SHEET = "填写说明"
SOURCES_SHEET = "来源"  # where imported figures came from (reportgen import): never read as input


# ---- derived from the model: the one declaration of every input field ---------------------------


def input_field(name: str, info: FieldInfo, cell: Cell) -> Field:
    """The workbook side of one annotated model field."""
    return Field(name, cell.label, cell_kind(info.annotation, cell), required=info.is_required(), help=cell.help,
                 choices=cell.choices, allow_negative=cell.allow_negative, width=cell.width, bounds=cell.bounds,
                 group=cell.part_of[0] if cell.part_of else "")


def sheet_of(model: type[InputModel]) -> Sheet:
    """The sheet a model declares (``model.sheet``), its rows or columns from the model's Cells."""
    placement = model.sheet  # type: ignore[attr-defined]
    fields = tuple(input_field(*f) for f in model.input_fields())
    if isinstance(placement, KeyValue):
        return KeyValueSheet(placement.name, placement.key, fields, placement.help)
    return TableSheet(placement.name, placement.key, fields, placement.help, placement.min_rows,
                      placement.fixed_rows, placement.blank_rows, print_through=placement.print_through)


CORE_SHEETS: tuple[Sheet, ...] = tuple(sheet_of(model) for model in INPUT_SHEETS)
