"""Which workbook cells a figure of the report depends on: ``income.total.total`` on every income
field, ``budget.execution_rate`` on 年初预算数, 预算调整数 and the spending columns of 支出合计.

A figure is evaluated on a real report while every field read is recorded (:func:`reads`); the reads
of input fields (a ``Cell`` on a sheet's model) are the answer. Derived objects whose fields are copies
made by the assembly or a builder (``Budget.executed``, ``Staff.quota``) say where their value comes
from instead (``Field(json_schema_extra=came_from(...))``), and builders that only copy (the total row
of a table, summed field by field) are not recorded, so that ``income.total.general_budget`` depends
on the 一般公共预算财政拨款 column alone. The answer is for the reports given: run it over example
units of different shapes, and a figure counts every cell it read on any of them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel

from reportgen.model.inputs import InputModel, cell_of

Cell = tuple[str, str]  # (sheet key, field key)

_STATE = threading.local()


def came_from(*sources: str) -> dict[str, Any]:
    """``json_schema_extra`` for a field copied from elsewhere: report paths (``expenditure.total.total``)
    or workbook columns (``@functions.text``, ``@narrative.*``)."""
    return {"came_from": list(sources)}


@contextmanager
def untraced() -> Iterator[None]:
    """Within this block, reads are not recorded: a builder copying fields into a derived object
    whose own reads (or ``came_from``) say what it depends on."""
    depth = getattr(_STATE, "paused", 0)
    _STATE.paused = depth + 1
    try:
        yield
    finally:
        _STATE.paused = depth


def _recording_getattribute(self: Any, name: str) -> Any:
    record = getattr(_STATE, "reads", None)
    if record is not None and not getattr(_STATE, "paused", 0) and not name.startswith("_"):
        cls = object.__getattribute__(self, "__class__")
        if name in cls.model_fields:
            record.add((cls, name))
    return object.__getattribute__(self, name)


@contextmanager
def _recording(record: set[tuple[type, str]]) -> Iterator[None]:
    previous = getattr(_STATE, "reads", None)
    _STATE.reads = record
    InputModel.__getattribute__ = _recording_getattribute  # type: ignore[method-assign]
    try:
        yield
    finally:
        _STATE.reads = previous
        if previous is None:
            del InputModel.__getattribute__


def _cells_of(model: type, name: str, reports: list[Any]) -> set[Cell]:
    info = model.model_fields.get(name)  # type: ignore[attr-defined]
    if info is None:
        return set()
    cell = cell_of(info)
    sheet = getattr(model, "sheet", None)
    if cell is not None and sheet is not None:
        return {(sheet.key, name)}
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    found: set[Cell] = set()
    for source in extra.get("came_from", []):
        if source.startswith("@"):
            sheet_key, _, field = source[1:].partition(".")
            found |= _sheet_cells(sheet_key) if field == "*" else {(sheet_key, field)}
        else:
            found |= depends_on(source, reports)
    return found


def _sheet_cells(sheet_key: str) -> set[Cell]:
    """Every field of the sheet ``sheet_key`` (whichever model declares that sheet)."""
    pending: list[type] = [InputModel]
    while pending:
        model = pending.pop()
        pending += model.__subclasses__()
        sheet = model.__dict__.get("sheet")
        if sheet is not None and getattr(sheet, "key", None) == sheet_key:
            return {(sheet_key, name) for name, _, _ in model.input_fields()}  # type: ignore[attr-defined]
    return set()


def _walk(node: Any, segments: list[str]) -> None:
    """Read ``segments`` from ``node`` (into every item of a list)."""
    if not segments:
        return
    if isinstance(node, list):
        for item in node:
            _walk(item, segments)
        return
    if not isinstance(node, BaseModel):
        return
    head, rest = segments[0], segments[1:]
    try:
        value = getattr(node, head)
    except AttributeError:
        return
    _walk(value, rest)


def depends_on(path: str, reports: Iterable[Any]) -> set[Cell]:
    """The workbook cells (sheet key, field key) the figure at ``path`` (``expenditure.kinds[].amount``)
    reads on any of ``reports``."""
    reports = list(reports)
    segments = [s for s in path.replace("[]", "").split(".") if s]
    record: set[tuple[type, str]] = set()
    with _recording(record):
        for report in reports:
            _walk(report, segments)
    found: set[Cell] = set()
    for model, name in record:
        found |= _cells_of(model, name, reports)
    return found
