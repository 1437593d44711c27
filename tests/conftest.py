"""Shared fixtures: the example workbook written through the real schema/writer code path."""

from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

# compiled templates are cached on disk across runs (render/diskcache.py): the tests' own folder, never
# the user's (set before reportgen reads it; subprocesses inherit it)
os.environ.setdefault("REPORTGEN_CACHE_DIR", str(Path(tempfile.gettempdir()) / f"reportgen-test-cache-{getattr(os, 'getuid', lambda: 0)()}"))

from reportgen.workbook.blank import write_workbook  # noqa: E402
from reportgen.workbook.example import EXAMPLE
from reportgen.workbook.schema import CORE_SHEETS, WorkbookSchema

CORE = WorkbookSchema(CORE_SHEETS, format_id="yueyang-2020")


def without_breakdowns(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with the example's optional breakdowns of the unit's totals cleared (资金来源, 功能分类,
    基本/项目支出 budgets, staff by kind, asset parts, 项目支出 by 经济分类), for a test that changes a
    total and means only that change: each breakdown is checked against its total."""
    values["funds"] = []
    values["by_function"] = []
    values["budget"] = {**values["budget"], "basic_initial": None, "basic_adjustment": None, "project_initial": None,
                        "project_adjustment": None}
    values["unit"] = {**values["unit"], **dict.fromkeys(
        ("quota_admin", "quota_civil", "quota_public", "actual_admin", "actual_civil", "actual_public"))}
    values["assets"] = {**values["assets"], **dict.fromkeys(("current", "fixed_original", "fixed_net", "intangible"))}
    values["expenditure"] = [{**row, **dict.fromkeys(("project_wages", "project_goods_services", "project_household",
                                                      "project_capital"))} for row in values["expenditure"]]
    return values


@pytest.fixture
def example_values() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE)


@pytest.fixture
def write_core(tmp_path: Path):
    """Write a core-only workbook from values (a deep copy of the example by default)."""

    def write(values: dict[str, Any] | None = None, name: str = "wb.xlsx") -> Path:
        path = tmp_path / name
        if values is None:  # the example: written once per worker, then copied
            path.write_bytes(_example_core_bytes(tmp_path.parent))
        else:
            write_workbook(CORE, path, values)
        return path

    return write


_EXAMPLE_CORE: dict[str, bytes] = {}


def _example_core_bytes(scratch: Path) -> bytes:
    if "bytes" not in _EXAMPLE_CORE:
        path = scratch / "example-core.xlsx"
        write_workbook(CORE, path, copy.deepcopy(EXAMPLE))
        _EXAMPLE_CORE["bytes"] = path.read_bytes()
    return _EXAMPLE_CORE["bytes"]


@pytest.fixture(scope="session")
def example_pdfs(tmp_path_factory: pytest.TempPathFactory):
    """Every built-in format's example documents (per-project ones: the first project) as .docx and
    PDF in ``out/<format>/``, converted with LibreOffice once per test process — for the modules that
    read pages (marked ``xdist_group("libreoffice")`` so they share a worker and this conversion).
    Returns (out, {format: {document stem: pages}})."""
    from reportgen.formats.loader import builtin_format_dirs
    from tools.render_pages import page_counts

    out = tmp_path_factory.mktemp("pages")
    return out, page_counts([d.name for d in builtin_format_dirs()], out)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """In an xdist worker under ``--dist loadgroup``, a test marked ``xdist_group`` must carry its group (xdist
    writes it into the test's id): otherwise the group's tests are spread over the workers and a shared
    conversion runs once on each, silently (pytest-xdist#1386, with pytest 9.2)."""
    if getattr(item.config.option, "loadgroup", False) and item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
        pytest.fail("pytest-xdist did not keep this test in its xdist_group: use a pytest it supports "
                    "(pyproject.toml's dev extra)", pytrace=False)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Once the tests are collected, what they imported stays: frozen out of the collector's sight,
    with a higher first threshold (the suite allocates millions of short-lived objects)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
