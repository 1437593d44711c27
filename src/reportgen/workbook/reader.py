"""Workbook -> plain values, each remembered with its cell (``收入!C7``).

Every problem is collected as a Finding naming sheet, cell and field, so a clerk sees all of
them in one pass. Nothing here raises on bad cell content; only an unreadable file raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.cells import is_empty, label_key, parse_cell, text_problem
from reportgen.errors import Finding, Location, Ref
from reportgen.workbook.book import Book, Cell, as_book
from reportgen.workbook.container import MAX_ROWS, load, load_openpyxl
from reportgen.workbook.schema import (
    META_SHEET,
    Field,
    KeyValueSheet,
    TableSheet,
    WorkbookSchema,
)

RawCell = tuple[Any, str]  # (decoded cell content, "E7")


@dataclass
class WorkbookData:
    """Parsed values keyed like the model (``unit.name``, ``income[0].carryover``) plus where each
    came from, so later checks can name the cell."""

    values: dict[str, Any] = field(default_factory=dict)  # sheet key -> dict (key–value) or list of dicts
    refs: dict[str, Location] = field(default_factory=dict)
    raw_tables: dict[str, list[tuple[int, dict[str, RawCell]]]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # cells left empty that the format does not read, given a stand-in value (formats.sheets.allow_unused)
    stand_ins: set[Location] = field(default_factory=set)

    def ref(self, path: str) -> Location:
        return self.refs.get(path, Location())


def open_workbook(path: Path) -> Book:
    """Open an .xlsx for reading values; unreadable or oversized files become one clear ReportgenError."""
    return load(path)


def read_meta(wb: Any) -> dict[str, str]:
    """The 系统信息 sheet's key/value pairs; ``wb`` is a Book or an openpyxl workbook."""
    wb = as_book(wb)
    if META_SHEET not in wb.sheetnames:
        return {}
    meta: dict[str, str] = {}
    ws = wb[META_SHEET]
    for key, value in ws.rows(max_row=min(ws.max_row, MAX_ROWS), max_col=2):
        if key.content:
            meta[str(key.content)] = "" if value.content is None else str(value.content)
    return meta


# --- sheets ---------------------------------------------------------------------------------

def _refs(sheet: str, cells: list[Cell]) -> Location:
    return Location(tuple(Ref(sheet, c.coordinate) for c in cells))


def _delete_one(cells: list[Cell], what: str) -> str:
    return f"请删除其中一{what}" if len(cells) == 2 else f"请只保留其中一{what}"


class _SheetReader:
    def __init__(self, wb: Book, data: WorkbookData, path: Path):
        self.wb = wb
        self.data = data
        self.path = path
        self._formula_wb = None  # loaded only if an empty cell might be an uncached formula

    def error(self, where: Location, spec_label: str, message: str, code: str, severity: str = "error") -> None:
        self.data.findings.append(Finding(message, where, spec_label, severity, code))  # type: ignore[arg-type]

    def empty_cell_message(self, sheet: str, coord: str) -> str:
        """An empty cell may really be a formula Excel never calculated (files written by scripts);
        only then is the file opened again with openpyxl, which keeps a formula's text."""
        if not self.wb[sheet].may_hold_formulas:
            return "必填，不能为空"
        if self._formula_wb is None:
            self._formula_wb = load_openpyxl(self.path, data_only=False)
        raw = self._formula_wb[sheet][coord].value
        if isinstance(raw, str) and raw.startswith("="):
            return f"公式 {raw} 没有计算结果（请在 Excel/WPS 中打开并保存后再试，或直接填写数值）"
        return "必填，不能为空"

    def content(self, ref: str, cell: Cell, spec: Field) -> tuple[Any, bool]:
        """A cell's decoded content and whether it is usable text (problems are reported here)."""
        value = cell.content
        problem = text_problem(value)
        if problem:
            self.error(ref, spec.label, problem, "W503")
        return value, problem is None

    def store(self, path: str, sheet: str, cell: Cell, spec: Field) -> Any:
        """Parse one cell, remember where it came from, report problems; returns the value."""
        ref = Location.cell(sheet, cell.coordinate)
        self.data.refs[path] = ref
        nothing = [] if spec.kind == "list" else None
        raw, usable = self.content(ref, cell, spec)
        if not usable:
            return nothing
        if is_empty(raw):
            if spec.required:
                self.empty_required(ref, sheet, cell, spec)
            return nothing
        value, problem = parse_cell(raw, spec)
        if problem:
            self.error(ref, spec.label, problem, "W502")
        return value

    def empty_required(self, ref: Location, sheet: str, cell: Cell, spec: Field) -> None:
        """A required cell left empty — or hidden under a merged cell, which is named as such."""
        merged = self.wb[sheet].merged_range(cell.row, cell.column)
        if merged is not None:
            self.error(Location.cell(sheet, merged), spec.label,
                       f"{merged} 是合并单元格，请取消合并后在每个单元格分别填写", "W513")
            return
        message = self.empty_cell_message(sheet, cell.coordinate)
        self.error(ref, spec.label, message, "W512" if message.startswith("公式") else "W501")

    def key_value(self, sheet: KeyValueSheet) -> None:
        ws = self.wb[sheet.name]
        label_col, value_col = 1, 2
        for row in ws.rows(min_row=1, max_row=min(ws.max_row, 5)):
            headers = {label_key(c.content): c.column for c in row if c.content is not None}
            if "填写值" in headers:
                label_col, value_col = headers.get("项目", 1), headers["填写值"]
                break
        rows_by_label: dict[str, list[Cell]] = {}
        for (cell,) in ws.rows(min_col=label_col, max_col=label_col):
            label = label_key(cell.content)
            if label:
                rows_by_label.setdefault(label, []).append(cell)
        record: dict[str, Any] = {}
        for spec in sheet.fields:
            path = f"{sheet.key}.{spec.key}"
            labels = rows_by_label.get(label_key(spec.label), [])
            if len(labels) != 1:
                record[spec.key] = [] if spec.kind == "list" else None
                self.data.refs[path] = Location.sheet(sheet.name)
                if len(labels) > 1:
                    self.error(_refs(sheet.name, labels), spec.label,
                               f"“{spec.label}”这一行出现了 {len(labels)} 次，无法确定该读哪一行，"
                               + _delete_one(labels, "行"), "W505")
                elif spec.required:
                    self.error(Location.sheet(sheet.name), spec.label, f"找不到“{spec.label}”这一行（请勿删除或改名）",
                               "W504")
                continue
            value_cell = ws.cell(row=labels[0].row, column=value_col)
            record[spec.key] = self.store(path, sheet.name, value_cell, spec)
        self.data.values[sheet.key] = record

    def _header_row(self, ws, labels: list[str]) -> tuple[int, dict[str, list[Cell]]]:
        """The header row is the one (among the first five) naming most of the expected columns;
        returns it and, per expected label, every header cell carrying it."""
        best_row, best = 1, {}
        for row in ws.rows(min_row=1, max_row=min(max(ws.max_row, 1), 5)):
            found: dict[str, list[Cell]] = {}
            for c in row:
                if (label := label_key(c.content)) in labels:
                    found.setdefault(label, []).append(c)
            if len(found) > len(best):
                best_row, best = row[0].row, found
        return best_row, best

    def _columns(self, sheet: TableSheet, found: dict[str, list[Cell]]) -> tuple[dict[str, int], bool]:
        """Column number per field key for the columns that can be read, and whether a header was
        duplicated (such a column is not read: no way to know which one the clerk meant)."""
        columns: dict[str, int] = {}
        duplicated = False
        for spec in sheet.columns:
            headers = found.get(label_key(spec.label), [])
            if len(headers) == 1:
                columns[spec.key] = headers[0].column
            elif len(headers) > 1:
                duplicated = True
                self.error(_refs(sheet.name, headers), spec.label,
                           f"表头重复：有 {len(headers)} 列都是“{spec.label}”，无法确定该读哪一列，"
                           + _delete_one(headers, "列"), "W507")
            elif spec.required:
                self.error(Location.sheet(sheet.name), spec.label, f"找不到“{spec.label}”列（请勿删除或改名表头）", "W506")
        return columns, duplicated

    def table(self, sheet: TableSheet, raw: bool = False) -> None:
        ws = self.wb[sheet.name]
        header_row, found = self._header_row(ws, [label_key(c.label) for c in sheet.columns])
        columns, duplicated = self._columns(sheet, found)
        records: list[dict[str, Any]] = []
        raw_rows: list[tuple[int, dict[str, RawCell]]] = []
        last_col = max(columns.values(), default=1)  # columns further right are never created
        for row in ws.rows(min_row=header_row + 1, max_row=ws.max_row, max_col=last_col):
            cells = {key: row[col - 1] for key, col in columns.items() if col - 1 < len(row)}
            if all(is_empty(c.content) for c in cells.values()):
                continue
            row_no = next(iter(cells.values())).row
            if raw:
                raw_rows.append((row_no, self._raw_row(sheet, cells)))
                continue
            prefix = f"{sheet.key}[{len(records)}]"
            self.data.refs[prefix] = Location.row(sheet.name, row_no)
            record: dict[str, Any] = {}
            for spec in sheet.columns:
                cell = cells.get(spec.key)
                record[spec.key] = (None if cell is None
                                    else self.store(f"{prefix}.{spec.key}", sheet.name, cell, spec))
            records.append(record)
        if raw:
            if not duplicated:  # its owner would count the wrong column; the error says why not
                self.data.raw_tables[sheet.key] = raw_rows
            return
        if len(records) < sheet.min_rows:
            self.error(Location.sheet(sheet.name), "", f"至少需要填写 {sheet.min_rows} 行", "W508")
        if sheet.fixed_rows and sheet.columns[0].key in columns:
            self._check_fixed_rows(sheet, records)
        self.data.values[sheet.key] = records

    def _raw_row(self, sheet: TableSheet, cells: dict[str, Cell]) -> dict[str, RawCell]:
        """A row handed over unparsed: decoded content by header, text problems reported here."""
        row: dict[str, RawCell] = {}
        for spec in sheet.columns:
            if (cell := cells.get(spec.key)) is not None:
                value, _ = self.content(Location.cell(sheet.name, cell.coordinate), cell, spec)
                row[spec.label] = (value, cell.coordinate)
        return row

    def _check_fixed_rows(self, sheet: TableSheet, records: list[dict[str, Any]]) -> None:
        first = sheet.columns[0]
        seen = [r[first.key] for r in records]
        for label in sheet.fixed_rows:
            if seen.count(label) == 0:
                self.error(Location.sheet(sheet.name), first.label, f"缺少“{label}”一行", "W509")
            elif seen.count(label) > 1:
                self.error(Location.sheet(sheet.name), first.label, f"“{label}”出现了 {seen.count(label)} 次，只能填一行",
                           "W509")


def read_sheets(wb, schema: WorkbookSchema, path: Path, raw_tables: tuple[str, ...] = ()) -> WorkbookData:
    """Read every sheet the schema declares; tables named in ``raw_tables`` are returned unparsed
    (their owner, e.g. the questionnaire tally, interprets the cells itself). A sheet longer than
    ``MAX_ROWS`` is reported and not read. ``wb`` is a Book or an openpyxl workbook."""
    wb = as_book(wb)
    data = WorkbookData()
    reader = _SheetReader(wb, data, path)
    for sheet in schema.sheets:
        if sheet.name not in wb.sheetnames and isinstance(sheet, TableSheet) and sheet.optional:
            data.values[sheet.key] = []
            continue
        if sheet.name not in wb.sheetnames:
            data.findings.append(Finding(f"缺少工作表“{sheet.name}”（请用 reportgen init 生成的模板填写）",
                                         Location.sheet(sheet.name), code="W510"))
            continue
        if (rows := wb[sheet.name].max_row) > MAX_ROWS:
            data.findings.append(Finding(
                f"工作表“{sheet.name}”有 {rows:,} 行，超过上限 {MAX_ROWS:,} 行"
                "（如下方有大量空白但带格式的行，请选中删除这些行后保存再试）", Location.sheet(sheet.name), code="W511"))
            continue
        if isinstance(sheet, KeyValueSheet):
            reader.key_value(sheet)
        else:
            reader.table(sheet, raw=sheet.key in raw_tables)
    return data
