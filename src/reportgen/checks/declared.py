"""The sums declared on the models, checked on every record that has them.

Each ``Sum`` with ``check="equal"`` or ``"at_most"`` (see ``model.inputs.Sum``) becomes one
:class:`~reportgen.checks.sums.Relation` per record: its parts (``Cell(part_of=…)``) against its
whole, every term at its own cell. Labels come from the declaration; nothing here names a field.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from reportgen.checks.sums import Relation, Term, sum_terms, term
from reportgen.model.inputs import cell_kind, cell_of
from reportgen.model.records import Record, records
from reportgen.model.relations import filled, parts
from reportgen.model.report import Report

_CODES = {"equal": "C601", "at_most": "C602"}


def _whole(record: Record, refs: dict, total: str, label: str) -> tuple[list[Term], str, bool]:
    """The whole as terms, what it is called, and whether the clerk typed it: a typed field is one
    term at its cell; a whole the model computes as a declared sum (全年预算 = 年初预算 + 预算调整)
    is the terms of its parts, so the cells named are the ones the clerk typed."""
    info = record.model.model_fields.get(total)
    cell = cell_of(info) if info is not None else None
    if cell is not None:
        return [term(record, refs, total)], cell.label, True
    computed = next((s for s in record.model.relations if s.check == "computed" and s.total == total), None)
    if computed is not None:
        return sum_terms([record], refs, computed.name), computed.label, False
    return [Term(record.named(label), Decimal(getattr(record.value, total)), record.where(refs), typed=False)], label, False


def declared_relations(report: Report, refs: dict) -> Iterator[Relation]:
    for record in records(report):
        for declared in record.model.relations:
            if declared.check == "computed":
                continue
            if declared.when and not filled(record.value, declared.when, every=declared.when_complete):
                continue
            whole = getattr(record.value, declared.total)
            if whole is None:
                continue
            members = parts(record.model, declared.name)
            money = all(cell_kind(record.model.model_fields[key].annotation, cell) == "money" for key, cell in members)
            left = sum_terms([record], refs, declared.name)
            right, label, typed = _whole(record, refs, declared.total, declared.label)
            what = declared.what or "、".join(cell.label for _, cell in members)
            typed_whole = "填写的" if typed and declared.check == "equal" else ""
            yield Relation(left, right, what=record.named(what), whole=f"{typed_whole}{label}",
                           field=label, kind=declared.check, code=_CODES[declared.check], money=money)

