"""Property tests over workbooks of any shape (tests/strategies.py, drawn from the declaration): every
built-in format builds them, and its documents hold what documents must hold (tests/invariants.py):
each printed list of parts adds up to its printed total, no None/nan/unrendered tag, the same figure
prints one value everywhere, and every non-zero amount the format reads appears in some document
(itself, or its column's total)."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from reportgen.errors import ReportgenError
from reportgen.formats.loader import builtin_format_dirs, load_format
from reportgen.formats.sheets import workbook_schema
from reportgen.formats.uses import format_uses
from reportgen.model.relations import money_fields
from reportgen.model.report import INPUT_SHEETS
from reportgen.pipeline import evaluate, render_documents
from reportgen.render.filters import wan
from reportgen.workbook.blank import write_workbook
from tests.invariants import labelled_figures, leftovers, list_sums, table_sums, texts
from tests.strategies import unit_values

FORMATS = [folder for folder in builtin_format_dirs()]


def _with_format_data(values: dict[str, Any], fmt: Any) -> dict[str, Any]:
    if "inputs" in fmt.example_values:
        values["inputs"] = fmt.example_values["inputs"]
    return values


@settings(max_examples=6, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow])  # no shrinking: a failure shows at once, as drawn
@given(values=unit_values(), folder=st.sampled_from(FORMATS))
def test_any_unit_in_any_format_prints_documents_that_hold_together(values: dict[str, Any], folder: Path) -> None:
    fmt = load_format(folder)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "wb.xlsx"
        write_workbook(workbook_schema(fmt, relaxed=True), path, _with_format_data(values, fmt))
        try:
            evaluation = evaluate(path)
        except ReportgenError as exc:
            raise AssertionError([str(f) for f in exc.findings if f.is_error]) from exc
        docs = [texts(staged.data) for staged, _ in render_documents(evaluation, Path(scratch), projects=1)]
    every: list[str] = []
    figures: dict[str, set[str]] = {}
    for paragraphs, tables in docs:
        assert leftovers(paragraphs) == []
        assert list_sums(paragraphs) == []
        assert table_sums(tables) == []
        every += paragraphs
        for label, found in labelled_figures(paragraphs).items():
            figures.setdefault(label, set()).update(found)
    assert {label: found for label, found in figures.items() if len(found) > 1} == {}
    text = "\n".join(every)
    uses = format_uses(fmt)
    for model in INPUT_SHEETS:
        node = values.get(model.sheet.key)
        rows = node if isinstance(node, list) else [node] if isinstance(node, dict) else []
        rows = rows[:1] if model.sheet.key == "projects" else rows  # per-project documents: the first only
        for field, cell in money_fields(model):
            entered = [r.get(field) for r in rows if r.get(field)]
            if entered and uses.reads(model.sheet.key, field):
                total = sum(entered, Decimal(0))
                # a negative amount may be printed in words (调减 28.99 万元), without its sign
                printed = [wan(a) for a in (total, abs(total))] if cell.allow_negative else [wan(total)]
                assert any(p in text for p in printed) or all(wan(a) in text or wan(abs(a)) in text for a in entered), (
                    fmt.id, cell.label, entered)
