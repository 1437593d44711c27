"""Whatever a clerk types into any input cell, reportgen answers with findings, never a traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.cell import coordinate_from_string

from reportgen.cells import label_key
from reportgen.errors import ReportgenError
from reportgen.formats.loader import resolve_format
from reportgen.formats.sheets import workbook_schema
from reportgen.pipeline import evaluate, evaluate_workbook, init_workbook
from reportgen.workbook.schema import KeyValueSheet
from tests.xlsx_edit import cell_values, set_cells

GARBAGE = ["约50万", True, dt.datetime(2020, 1, 1), -1, "=A1"]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("robust") / "yanling.xlsx"  # the format with every kind of sheet
    init_workbook(path, "yanling-2020", example=True)
    return path


STRICT_KINDS = {"int", "money", "decimal", "date", "yesno", "choice"}  # "约50万" is never one of these


def _input_cells(ws, sheet) -> list[tuple[object, object]]:
    """(field, cell) for each field of a sheet: its value cell (key–value) or its row-2 cell (table)."""
    if isinstance(sheet, KeyValueSheet):
        rows = {label_key(ws.cell(r, 1).value): r for r in range(1, ws.max_row + 1)}
        return [(f, ws.cell(rows[label_key(f.label)], 2)) for f in sheet.fields]
    cols = {label_key(c.value): c.column for c in ws[1]}
    return [(f, ws.cell(2, cols[label_key(f.label)])) for f in sheet.columns]


YANLING_SHEETS = [sheet.name for sheet in workbook_schema(resolve_format("yanling-2020")).sheets]


@pytest.fixture(scope="module")
def example_workbook(example: Path):
    return openpyxl.load_workbook(example)  # edited in memory: evaluate_workbook reads openpyxl workbooks too


@pytest.mark.parametrize("sheet_name", YANLING_SHEETS)  # a sheet per case: two workers share the work
def test_garbage_in_every_column_gives_findings_only(example: Path, example_workbook, sheet_name: str) -> None:
    """Every input cell of one sheet gets garbage at once, every other sheet is the valid example
    (each cell is read on its own, so each is named on its own). Never a traceback; and a cell that
    only takes numbers, dates or listed choices is named by an error."""
    sheet = next(s for s in workbook_schema(resolve_format("yanling-2020")).sheets if s.name == sheet_name)
    wb = example_workbook
    cells = _input_cells(wb[sheet.name], sheet)
    saved = [(cell, cell.value, cell.number_format) for _, cell in cells]
    strict = []
    for n, (field, cell) in enumerate(cells):
        is_strict = field.kind in STRICT_KINDS and not field.other_values_ok
        cell.value = "约50万" if is_strict else GARBAGE[n % len(GARBAGE)]
        if is_strict:
            strict.append((f"{sheet.name}!{cell.coordinate}", field.label))
    try:
        findings = evaluate_workbook(wb, example, "yanling-2020").findings
    except ReportgenError as exc:
        findings = exc.findings
    finally:
        for cell, value, number_format in saved:
            cell.value, cell.number_format = value, number_format  # a date leaves its format behind
    assert all(f.message for f in findings)
    named = {str(f.where) for f in findings if f.is_error}
    assert [(where, label) for where, label in strict if where not in named] == []
    assert len(cells) == len(sheet.fields if isinstance(sheet, KeyValueSheet) else sheet.columns) > 0


def test_garbage_reaches_every_input_cell() -> None:
    schema = workbook_schema(resolve_format("yanling-2020"))
    assert sum(len(s.fields if isinstance(s, KeyValueSheet) else s.columns) for s in schema.sheets) > 80


def test_indicator_value_may_repeat_its_sign(example: Path, tmp_path: Path) -> None:
    cells = {coordinate_from_string(ref): text for ref, text in cell_values(example, "绩效指标").items()}
    headers = {text.rstrip(" *"): column for (column, row), text in cells.items() if row == 1}
    target = f"{headers['年度指标值']}2"
    set_cells(example, tmp_path / "signed.xlsx", {"绩效指标": {target: "≥95%"}})
    # the example's own cell is the bare 95 (its 指标方向 and 度量单位 make it ≥95%): the signed text is what is read
    assert cells[coordinate_from_string(target)] == "95" and cell_values(tmp_path / "signed.xlsx", "绩效指标")[target] == "≥95%"
    indicator = evaluate(tmp_path / "signed.xlsx").report.indicators[0]
    assert str(indicator.target) == "95" and indicator.target_text == "≥95%"
