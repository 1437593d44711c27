"""Shared fixtures: the example workbook written through the real schema/writer code path."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from reportgen.workbook.blank import write_workbook
from reportgen.workbook.example import EXAMPLE
from reportgen.workbook.schema import CORE_SHEETS, WorkbookSchema

CORE = WorkbookSchema(CORE_SHEETS, format_id="yueyang-2020")


@pytest.fixture
def example_values() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE)


@pytest.fixture
def write_core(tmp_path: Path):
    """Write a core-only workbook from values (a deep copy of the example by default)."""

    def write(values: dict[str, Any] | None = None, name: str = "wb.xlsx") -> Path:
        path = tmp_path / name
        write_workbook(CORE, path, values if values is not None else copy.deepcopy(EXAMPLE))
        return path

    return write
