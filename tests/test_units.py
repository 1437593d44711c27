"""Units unlike the example — a 农业农村局 with 事业收入 and three subordinate units, a school with 经营收入
and 附属单位上缴, a 社保中心 with no projects and a 社会保险基金 — build in every built-in format, and
their documents hold what documents must hold (tests/invariants.py): lists that add up, no leftovers,
one value per figure, and every amount the format reads printed somewhere.

Each (unit, format) is built once per test process; per-project documents for the first project only."""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from reportgen.formats.loader import builtin_format_dirs, load_format
from reportgen.formats.sheets import workbook_schema
from reportgen.formats.uses import format_uses
from reportgen.model.relations import money_fields
from reportgen.model.report import INPUT_SHEETS
from reportgen.pipeline import Evaluation, evaluate, render_documents
from reportgen.render.filters import wan
from reportgen.workbook.blank import write_workbook
from reportgen.workbook.units import UNITS, unit_values
from tests.invariants import labelled_figures, leftovers, list_sums, table_sums, texts

ROOT = Path(__file__).resolve().parents[1]
FORMATS = [folder.name for folder in builtin_format_dirs()]
NEW_UNITS = ["agriculture", "school", "social_insurance"]


@functools.cache
def built(unit: str, format_id: str, folder: str) -> tuple[Evaluation, dict[str, tuple[list[str], list[Any]]]]:
    fmt = load_format(next(d for d in builtin_format_dirs() if d.name == format_id))
    path = Path(folder) / f"{unit}-{format_id}.xlsx"
    write_workbook(workbook_schema(fmt, relaxed=True), path, unit_values(unit, fmt))
    evaluation = evaluate(path)
    docs = {staged.name: texts(staged.data) for staged, _ in render_documents(evaluation, Path(folder), projects=1)}
    return evaluation, docs


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("units"))


CASES = [(unit, fmt) for unit in UNITS for fmt in FORMATS]


@pytest.mark.parametrize(("unit", "format_id"), CASES, ids=[f"{u}-{f}" for u, f in CASES])
def test_documents_hold_together(scratch: str, unit: str, format_id: str) -> None:
    evaluation, docs = built(unit, format_id, scratch)
    assert [str(f) for f in evaluation.findings if f.is_error] == []
    assert docs, "no document"
    every: list[str] = []
    figures: dict[str, set[str]] = {}
    for name, (paragraphs, tables) in docs.items():
        assert leftovers(paragraphs) == [], name
        assert list_sums(paragraphs) == [], name
        assert table_sums(tables) == [], name
        every += paragraphs
        for label, values in labelled_figures(paragraphs).items():
            figures.setdefault(label, set()).update(values)
    assert {label: values for label, values in figures.items() if len(values) > 1} == {}
    # every amount the format reads reaches a document: itself, or its column's total over the rows
    text = "\n".join(every)
    uses = format_uses(evaluation.format)
    values = UNITS[unit]
    missing = []
    for model in INPUT_SHEETS:
        key = model.sheet.key
        node = values.get(key)
        rows = node if isinstance(node, list) else [node] if isinstance(node, dict) else []
        if key == "projects":
            rows = rows[:1]  # per-project documents are built for the first project only
        for field, cell in money_fields(model):
            amounts = [r.get(field) for r in rows if r.get(field)]
            if not amounts or not uses.reads(key, field):
                continue
            total = sum(amounts, Decimal(0))
            if wan(total) not in text and not all(wan(a) in text for a in amounts):
                missing.append(f"{model.sheet.name} {cell.label} {wan(total)}")
    assert missing == []


@pytest.mark.parametrize("format_id", FORMATS)
def test_income_of_every_kind_is_printed(scratch: str, format_id: str) -> None:
    """The issue's reproduction: 上级补助收入 30.00 and 事业收入 51.10 (the 农业农村局's) appear wherever
    a format lists income (every format here), named."""
    _, docs = built("agriculture", format_id, scratch)
    text = "\n".join(p for paragraphs, _ in docs.values() for p in paragraphs)
    for label, figure in (("上级补助收入", "30.00"), ("事业收入", "51.10")):  # in a sentence, or a table's row
        assert re.search(f"{label}{figure}万元|{label}（万元）\n{figure}", text), (label, format_id)


def test_shipped_unit_workbooks_are_the_declared_units(tmp_path: Path) -> None:
    """inputs/units/ holds the units above in the default format, as `python -m tools.make_examples`
    writes them (a stale file would show clerks figures the tests no longer check), and each checks clean."""
    from tools.make_examples import unit_workbooks
    from tools.make_templates import content

    shipped = unit_workbooks()
    assert sorted(p.name for p in shipped) == sorted(p.name for p in (ROOT / "inputs" / "units").glob("*.xlsx"))
    for path, write in shipped.items():
        write(tmp_path / path.name)
        assert content(tmp_path / path.name) == content(path), f"run `python -m tools.make_examples`: {path.name}"
        assert [str(f) for f in evaluate(path).findings if f.is_error] == []
