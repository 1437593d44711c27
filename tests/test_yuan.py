"""Every amount the workbook asks for, typed in 元 instead of 万元 (×10⁴) on its own, is an error that
names its cell and says so — by the amount's size, or by the sum it breaks.

The cases come from the declaration (every money field of every input sheet), not from a list kept
here: a new amount is tested by being declared, and fails this test until some example unit has a
nonzero value for it (``workbook.units``) or its declaration opts out (``Cell(plausible="none")``).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from reportgen.checks import check_report
from reportgen.errors import Location, ReportgenError
from reportgen.model.relations import money_fields
from reportgen.model.report import INPUT_SHEETS
from reportgen.workbook.assemble import build_report
from reportgen.workbook.blank import write_workbook
from reportgen.workbook.reader import WorkbookData, open_workbook, read_sheets
from reportgen.workbook.units import UNITS
from tests.conftest import CORE

YUAN = Decimal(10_000)


def _cases() -> list[tuple[str, str, str, str]]:
    """(model.field, unit, path, sheet label) for every money field: the first unit and row with a
    nonzero value; a field no unit has is a case with unit "" (the test then fails, saying so)."""
    cases = []
    for model in INPUT_SHEETS:
        key = model.sheet.key
        for field, cell in money_fields(model):
            if cell.plausible == "none":
                continue
            found = ("", "", "")
            for unit, values in UNITS.items():
                node = values.get(key)
                rows = node if isinstance(node, list) else [node] if isinstance(node, dict) else []
                i = next((i for i, row in enumerate(rows) if row.get(field)), None)
                if i is not None:
                    found = (unit, f"{key}[{i}].{field}" if isinstance(node, list) else f"{key}.{field}", cell.label)
                    break
            cases.append((f"{model.__name__}.{field}", *found))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def read_units(tmp_path_factory: pytest.TempPathFactory) -> dict[str, WorkbookData]:
    folder = tmp_path_factory.mktemp("units")
    read = {}
    for unit, values in UNITS.items():
        path = folder / f"{unit}.xlsx"
        write_workbook(CORE, path, copy.deepcopy(values))
        read[unit] = read_sheets(open_workbook(path), CORE, path)
    return read


def _times(values: dict[str, Any], path: str, factor: Decimal) -> dict[str, Any]:
    values = copy.deepcopy(values)
    head, field = path.rsplit(".", 1)
    key, _, index = head.partition("[")
    record = values[key][int(index.rstrip("]"))] if index else values[key]
    record[field] = record[field] * factor
    return values


def test_every_amount_has_an_example_with_it() -> None:
    missing = [name for name, unit, _, _ in CASES if not unit]
    assert not missing, f"no example unit has a nonzero value for {missing}: add one in workbook/units.py"
    assert len(CASES) >= 60  # every money field of the workbook, not a hand-picked few


@pytest.mark.parametrize(("name", "unit", "path", "label"), [c for c in CASES if c[1]], ids=[c[0] for c in CASES if c[1]])
def test_an_amount_typed_in_yuan_is_named_at_its_cell(read_units: dict[str, WorkbookData], name: str, unit: str,
                                                      path: str, label: str) -> None:
    data = read_units[unit]
    cell = data.refs[path]
    values = _times(data.values, path, YUAN)
    try:
        report, findings = build_report(WorkbookData(values=values, refs=data.refs))
        findings += check_report(report, data.refs)
    except ReportgenError as exc:  # the model refuses it outright: the finding is there too
        findings = exc.findings
    named = [f for f in findings if f.is_error and f.code.startswith("P7")
             and any(Location((ref,)) == cell for ref in f.where.refs)]
    assert named, (f"{label} ×10⁴ at {cell} ({unit}) is not named as typed in 元",
                   [str(f) for f in findings if f.is_error])
    assert all("元" in f.message for f in named)


@pytest.mark.parametrize("unit", list(UNITS))
def test_the_example_units_are_plausible(read_units: dict[str, WorkbookData], unit: str) -> None:
    data = read_units[unit]
    report, findings = build_report(data)
    assert [str(f) for f in findings + check_report(report, data.refs)] == []
