"""Workbook -> plain values, each remembered with its cell (``收入!C7``).

Every problem is collected as a Finding naming sheet, cell and field, so a clerk sees all of
them in one pass. Nothing here raises on bad cell content; only an unreadable file raises.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from reportgen.errors import Finding
from reportgen.workbook.container import load
from reportgen.workbook.schema import (
    META_SHEET,
    Field,
    KeyValueSheet,
    TableSheet,
    WorkbookSchema,
)

RawCell = tuple[Any, str]  # (value as openpyxl gives it, "E7")


@dataclass
class WorkbookData:
    """Parsed values keyed like the model (``unit.name``, ``income[0].carryover``) plus where each
    came from, so later checks can name the cell."""

    values: dict[str, Any] = field(default_factory=dict)  # sheet key -> dict (key–value) or list of dicts
    refs: dict[str, str] = field(default_factory=dict)
    raw_tables: dict[str, list[tuple[int, dict[str, RawCell]]]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def ref(self, path: str) -> str:
        return self.refs.get(path, "")


def _norm(text: Any) -> str:
    """Labels compare without spaces, required-marks or full-width differences."""
    if text is None:
        return ""
    return re.sub(r"[\s\u3000*＊]", "", str(text)).replace("（", "(").replace("）", ")")


def open_workbook(path: Path):
    """Open an .xlsx for reading values; unreadable or oversized files become one clear ReportgenError."""
    return load(path)


def read_meta(wb) -> dict[str, str]:
    if META_SHEET not in wb.sheetnames:
        return {}
    meta: dict[str, str] = {}
    for key, value, *_ in wb[META_SHEET].iter_rows(values_only=True):
        if key:
            meta[str(key)] = "" if value is None else str(value)
    return meta


# --- cell parsing ---------------------------------------------------------------------------

_NUMBER_TEXT = re.compile(r"^[+-]?[\d,，]*\.?\d+$")  # looks like a number, separators anywhere
# separators only between groups of three after a first group of 1–3 digits: 1,234.56 / 12,345,678
_GROUPED_NUMBER = re.compile(r"^[+-]?(\d+|[1-9]\d{0,2}([,，]\d{3})+)?(\.\d+)?$")
MAX_ABS_NUMBER = Decimal(10) ** 12  # the report shows at most 12 integer digits (money is in 万元)


def _number(value: Any, spec: Field) -> tuple[Decimal | None, str | None]:
    """A numeric cell (number or text) as Decimal, or why it is not a usable number."""
    if isinstance(value, bool):
        return None, f'应为数字, 实际为 "{value}"'
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace(" ", "")
        if not _NUMBER_TEXT.match(text):
            return None, f'应为数字, 实际为 "{value}"'
        if not _GROUPED_NUMBER.match(text):
            return None, f'千位分隔符位置不对, 实际为 "{value}"（应从个位起每三位一组，如 1,234.56；小数点请用“.”）'
        try:
            number = Decimal(text.replace(",", "").replace("，", ""))
        except InvalidOperation:  # not expected after the patterns above; never a traceback
            return None, f'应为数字, 实际为 "{value}"'
    if not number.is_finite() or abs(number) >= MAX_ABS_NUMBER:
        unit = "；金额单位为万元" if spec.kind == "money" else ""
        return None, f'数值过大, 实际为 "{value}"（绝对值应小于 1,000,000,000,000{unit}）'
    return number, None


def parse_cell(value: Any, spec: Field) -> tuple[Any, str | None]:
    """Convert one non-empty cell to the field's type; returns (value, error message or None)."""
    kind = spec.kind
    if kind in ("money", "decimal", "int"):
        number, problem = _number(value, spec)
        if number is None:
            return None, problem
        if kind == "int":
            if number != number.to_integral_value():
                return None, f'应为整数, 实际为 "{value}"'
            number = int(number)
        if number < 0 and not spec.allow_negative:
            return None, f"不能为负数, 实际为 {value}"
        if spec.bounds and not spec.bounds[0] <= number <= spec.bounds[1]:
            return None, f"应在 {spec.bounds[0]} 到 {spec.bounds[1]} 之间, 实际为 {value}"
        return number, None
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        match = re.fullmatch(r"\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?\s*", str(value))
        if match:
            try:
                return dt.date(*map(int, match.groups())), None
            except ValueError:
                pass
        return None, f'应为日期（如 2026-03-31）, 实际为 "{value}"'
    text = _as_text(value)
    if kind in ("choice", "yesno"):
        if text not in spec.choices:
            return None, f'应为 {"/".join(spec.choices)} 之一, 实际为 "{text}"'
        return (text == "是") if kind == "yesno" else text, None
    if kind == "list":
        return [part.strip() for part in re.split(r"[、,，;；\n]", text) if part.strip()], None
    return text, None


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value).strip()


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- sheets ---------------------------------------------------------------------------------

class _SheetReader:
    def __init__(self, wb, data: WorkbookData, path: Path):
        self.wb = wb
        self.data = data
        self.path = path
        self._formula_wb = None  # loaded only if an empty cell might be an uncached formula

    def error(self, where: str, spec_label: str, message: str, severity: str = "error") -> None:
        self.data.findings.append(Finding(message, where, spec_label, severity))  # type: ignore[arg-type]

    def empty_cell_message(self, sheet: str, coord: str) -> str:
        """An empty cell may really be a formula Excel never calculated (files written by scripts)."""
        if self._formula_wb is None:
            self._formula_wb = load(self.path, data_only=False)
        raw = self._formula_wb[sheet][coord].value
        if isinstance(raw, str) and raw.startswith("="):
            return f"公式 {raw} 没有计算结果（请在 Excel/WPS 中打开并保存后再试，或直接填写数值）"
        return "必填，不能为空"

    def store(self, path: str, ref: str, raw: Any, spec: Field) -> Any:
        """Parse one cell, remember where it came from, report problems; returns the value."""
        self.data.refs[path] = ref
        sheet, coord = ref.split("!")
        if _is_empty(raw):
            if spec.required:
                self.error(ref, spec.label, self.empty_cell_message(sheet, coord))
            return [] if spec.kind == "list" else None
        value, problem = parse_cell(raw, spec)
        if problem:
            self.error(ref, spec.label, problem)
        return value

    def key_value(self, sheet: KeyValueSheet) -> None:
        ws = self.wb[sheet.name]
        label_col, value_col = 1, 2
        for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 5)):
            headers = {_norm(c.value): c.column for c in row if c.value is not None}
            if "填写值" in headers:
                label_col, value_col = headers.get("项目", 1), headers["填写值"]
                break
        rows_by_label: dict[str, int] = {}
        for (cell,) in ws.iter_rows(min_col=label_col, max_col=label_col):
            label = _norm(cell.value)
            if label and label not in rows_by_label:
                rows_by_label[label] = cell.row
        record: dict[str, Any] = {}
        for spec in sheet.fields:
            path = f"{sheet.key}.{spec.key}"
            row = rows_by_label.get(_norm(spec.label))
            if row is None:
                record[spec.key] = [] if spec.kind == "list" else None
                self.data.refs[path] = sheet.name
                if spec.required:
                    self.error(sheet.name, spec.label, f"找不到“{spec.label}”这一行（请勿删除或改名）")
                continue
            coord = f"{get_column_letter(value_col)}{row}"
            record[spec.key] = self.store(path, f"{sheet.name}!{coord}", ws[coord].value, spec)
        self.data.values[sheet.key] = record

    def _header_row(self, ws, labels: list[str]) -> tuple[int, dict[str, int]]:
        """The header row is the one (among the first five) naming most of the expected columns."""
        best_row, best = 1, {}
        for row in ws.iter_rows(min_row=1, max_row=min(max(ws.max_row, 1), 5)):
            found = {_norm(c.value): c.column for c in row if _norm(c.value) in labels}
            if len(found) > len(best):
                best_row, best = row[0].row, found
        return best_row, best

    def table(self, sheet: TableSheet, raw: bool = False) -> None:
        ws = self.wb[sheet.name]
        labels = [_norm(c.label) for c in sheet.columns]
        header_row, columns = self._header_row(ws, labels)
        missing = [c for c in sheet.columns if _norm(c.label) not in columns]
        for spec in missing:
            if spec.required:
                self.error(sheet.name, spec.label, f"找不到“{spec.label}”列（请勿删除或改名表头）")
        records: list[dict[str, Any]] = []
        raw_rows: list[tuple[int, dict[str, RawCell]]] = []
        for row in ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row):
            cells = {spec.key: row[columns[_norm(spec.label)] - 1]
                     for spec in sheet.columns if _norm(spec.label) in columns
                     and columns[_norm(spec.label)] - 1 < len(row)}
            if all(_is_empty(c.value) for c in cells.values()):
                continue
            row_no = next(iter(cells.values())).row
            if raw:
                raw_rows.append((row_no, {spec.label: (cells[spec.key].value, cells[spec.key].coordinate)
                                          for spec in sheet.columns if spec.key in cells}))
                continue
            prefix = f"{sheet.key}[{len(records)}]"
            self.data.refs[prefix] = f"{sheet.name}!第{row_no}行"
            record: dict[str, Any] = {}
            for spec in sheet.columns:
                cell = cells.get(spec.key)
                record[spec.key] = None if cell is None else self.store(
                    f"{prefix}.{spec.key}", f"{sheet.name}!{cell.coordinate}", cell.value, spec)
            records.append(record)
        if raw:
            self.data.raw_tables[sheet.key] = raw_rows
            return
        if len(records) < sheet.min_rows:
            self.error(sheet.name, "", f"至少需要填写 {sheet.min_rows} 行")
        if sheet.fixed_rows:
            self._check_fixed_rows(sheet, records)
        self.data.values[sheet.key] = records

    def _check_fixed_rows(self, sheet: TableSheet, records: list[dict[str, Any]]) -> None:
        first = sheet.columns[0]
        seen = [r[first.key] for r in records]
        for label in sheet.fixed_rows:
            if seen.count(label) == 0:
                self.error(sheet.name, first.label, f"缺少“{label}”一行")
            elif seen.count(label) > 1:
                self.error(sheet.name, first.label, f"“{label}”出现了 {seen.count(label)} 次，只能填一行")


def read_sheets(wb, schema: WorkbookSchema, path: Path, raw_tables: tuple[str, ...] = ()) -> WorkbookData:
    """Read every sheet the schema declares; tables named in ``raw_tables`` are returned unparsed
    (their owner, e.g. the questionnaire tally, interprets the cells itself)."""
    data = WorkbookData()
    reader = _SheetReader(wb, data, path)
    for sheet in schema.sheets:
        if sheet.name not in wb.sheetnames:
            data.findings.append(Finding(f"缺少工作表“{sheet.name}”（请用 reportgen init 生成的模板填写）",
                                         sheet.name))
            continue
        if isinstance(sheet, KeyValueSheet):
            reader.key_value(sheet)
        else:
            reader.table(sheet, raw=sheet.key in raw_tables)
    return data
