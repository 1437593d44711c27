"""The records of a report that came from the workbook, each with the path its cells are keyed by.

The reader keys every value like the model (``income[0].carryover``, ``budget.initial``) and remembers
its cell under that path (``refs``). :func:`records` walks a report the same way — every instance of
a sheet's model with its path — so a rule over "every amount of every sheet" (the 元/万元 check, the
declared sums) reads the declarations and finds each value's cell without naming a sheet.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from reportgen.errors import Location
from reportgen.model.inputs import InputModel, KeyValue
from reportgen.model.report import INPUT_SHEETS, Report


@dataclass(frozen=True)
class Record:
    """One instance of a sheet's model in the report: a key–value sheet, or one row of a table."""

    model: type[InputModel]
    path: str  # "budget", "income[0]"
    value: InputModel

    @property
    def sheet(self) -> str:
        return self.model.sheet.name  # type: ignore[attr-defined]

    @property
    def title(self) -> str:
        """How messages name this record: its ``title`` field (机构名称, “项目名称”), or nothing."""
        field = self.model.record_title
        if not field:
            return ""
        text = str(getattr(self.value, field) or "")
        return f"“{text}”" if self.model.record_title_quoted else text

    def named(self, label: str) -> str:
        """``label`` as messages say it of this record: 局机关 人员经费, “项目名称”执行数."""
        title = self.title
        if not title:
            return label
        return f"{title}{label}" if self.model.record_title_quoted else f"{title} {label}"

    def where(self, refs: Mapping[str, Location | str], field: str = "") -> Location:
        """The cell of ``field`` on this record (the row, or the sheet, when the cell is not known)."""
        for path in ((f"{self.path}.{field}",) if field else ()) + (self.path,):
            if path in refs:
                place = refs[path]
                return place if isinstance(place, Location) else Location.parse(place)
        return Location.sheet(self.sheet)


def _rows(node: Any) -> list[Any]:
    if isinstance(node, list):
        return node
    if isinstance(node, BaseModel) and isinstance(getattr(node, "rows", None), list):
        return node.rows
    return []


def records(report: Report, models: tuple[type[InputModel], ...] = INPUT_SHEETS) -> Iterator[Record]:
    """Every record of ``models`` (all input sheets by default) in ``report``, sheet by sheet, rows
    in workbook order (sheets the report holds elsewhere, such as a project's 绩效指标, are left out)."""
    for model in models:
        key = model.sheet.key  # type: ignore[attr-defined]
        node = getattr(report, key, None)
        if node is None:
            continue
        if isinstance(model.sheet, KeyValue):  # type: ignore[attr-defined]
            yield Record(type(node), key, node)
            continue
        for n, row in enumerate(_rows(node)):
            if isinstance(row, model):
                yield Record(type(row), f"{key}[{n}]", row)  # a subclass's own fields are its too

