"""Reading the relations declared on the models: which amounts make up which whole.

A model declares its sums once (``relations = (Sum(...), ...)``) and each amount names the sums it
enters (``Cell(part_of=...)``); see :class:`reportgen.model.inputs.Sum`. Everything that needs the
parts of a whole asks here, so a new amount joins every total, printed list and check by its
declaration alone:

* :func:`parts` — the fields of a sum in declaration order (an included sum's parts in place);
* :func:`sum_of` — their total on one record (an empty optional amount counts 0);
* :func:`declared_sums` — every sum a model declares, for the checks;
* :func:`money_fields` — every amount the clerk types in a model, for the 元/万元 check.
"""

from __future__ import annotations

import functools
from decimal import Decimal

from reportgen.model.inputs import Cell, InputModel, Sum, cell_kind, cell_of

ZERO = Decimal(0)


def declared_sums(model: type[InputModel]) -> dict[str, Sum]:
    return {s.name: s for s in model.relations}


def parts(model: type[InputModel], name: str) -> list[tuple[str, Cell]]:
    """The fields making up sum ``name`` of ``model``, in the model's field order; the parts of the
    sums it ``includes`` are its parts too. Raises KeyError for a sum the model does not declare."""
    return list(_parts(model, name))


@functools.cache  # declarations do not change while running; computed fields ask for parts all the time
def _parts(model: type[InputModel], name: str) -> tuple[tuple[str, Cell], ...]:
    sums = declared_sums(model)
    members = {name, *_included(sums, name)}
    return tuple((field, cell) for field, info in model.model_fields.items()
                 if (cell := cell_of(info)) is not None and members.intersection(cell.part_of))


def _included(sums: dict[str, Sum], name: str) -> set[str]:
    found: set[str] = set()
    for inner in sums[name].includes:
        found |= {inner, *_included(sums, inner)}
    return found


def sum_of(record: InputModel, name: str) -> Decimal:
    """The parts of sum ``name`` on ``record`` added up (None counts 0)."""
    return sum((getattr(record, field) or ZERO for field, _ in parts(type(record), name)), ZERO)


def filled(record: InputModel, name: str, every: bool = False) -> bool:
    """Whether any (``every``: each) part of sum ``name`` is filled in: an optional field not empty, or
    a field whose empty cell reads as 0 (``EMPTY_IS_ZERO``) not zero."""
    model = type(record)
    given = [(value := getattr(record, field)) is not None and (value != 0 or model.model_fields[field].default is None)
             for field, _ in parts(model, name)]
    return all(given) if every else any(given)


def fund_fields(model: type[InputModel], fund: str) -> list[tuple[str, Cell]]:
    """The fields of ``model`` declared to come from 资金来源 ``fund`` (``Cell.fund``), in field order."""
    return [(name, cell) for name, _, cell in model.input_fields() if cell.fund == fund]


def money_fields(model: type[InputModel]) -> list[tuple[str, Cell]]:
    """Every amount the clerk types in ``model`` (kind money, as the workbook reads it)."""
    return [(name, cell) for name, info, cell in model.input_fields() if cell_kind(info.annotation, cell) == "money"]
