"""Whatever a clerk types into any input cell, reportgen answers with findings, never a traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from reportgen.errors import ReportgenError
from reportgen.pipeline import evaluate, init_workbook

GARBAGE = ["约50万", True, dt.datetime(2020, 1, 1), -1, "=A1"]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("robust") / "yanling.xlsx"  # the format with every kind of sheet
    init_workbook(path, "yanling-2020", example=True)
    return path


def test_garbage_in_every_column_gives_findings_only(example: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(example)
    sheets = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible" and ws.title != "填写说明"]
    cases = 0
    path = tmp_path / "edited.xlsx"
    for name in sheets:  # one sheet at a time: every column of its first row gets garbage
        row = list(wb[name].iter_rows(min_row=2, max_row=2))[0]
        originals = [(cell.value, cell.number_format) for cell in row]
        for col, cell in enumerate(row, start=1):
            cell.value = GARBAGE[(col + len(name)) % len(GARBAGE)]
            cases += 1
        wb.save(path)
        for cell, (value, number_format) in zip(row, originals, strict=True):
            cell.value, cell.number_format = value, number_format  # a date leaves its format behind
        try:
            evaluate(path)
        except ReportgenError as exc:
            assert all(f.message for f in exc.findings)
    assert cases > 80


def test_indicator_value_may_repeat_its_sign(example: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(example)
    ws = wb["绩效指标"]
    headers = {c.value.rstrip(" *"): c.column for c in ws[1]}
    ws.cell(2, headers["年度指标值"], "≥95%")
    wb.save(tmp_path / "signed.xlsx")
    indicator = evaluate(tmp_path / "signed.xlsx").report.indicators[0]
    assert str(indicator.target) == "95" and indicator.target_text == "≥95%"
