"""How a model field is typed in by the clerk: declared once, on the field itself.

A field the workbook provides is annotated with a :class:`Cell` (its Chinese label, help text,
column width, choices, and the kind of cell when the Python type does not say it)::

    class IncomeRow(InputModel):
        sheet: ClassVar = Table("收入", "income", help="金额单位：万元…")
        carryover: Annotated[Decimal, Cell("上年结转")]

and a model that is a sheet says where with ``sheet`` (:class:`KeyValue` or :class:`Table`).
Everything else is derived from that one declaration: the field's ``description`` (what
``reportgen format vars`` prints), the blank workbook's rows and columns, the reader's labels,
dropdowns and cell parsing (``reportgen.workbook.schema.sheet_of``). Adding an input is one
annotated field.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic.fields import FieldInfo

from reportgen.cells import Kind


@dataclass(frozen=True)
class Cell:
    """A field the clerk fills in. ``kind`` is inferred from the field's type when omitted
    (str → text, int → int, Decimal → money, date → date, bool → 是/否, list[str] → list,
    ``choices`` given → choice); ``required`` follows whether the field has a default. ``carry`` and
    ``last_year_of`` say what a new year's workbook takes from last year's (``carry.next_year``)."""

    label: str
    kind: Kind | None = None
    help: str = ""
    choices: tuple[str, ...] = ()
    allow_negative: bool = False
    bounds: tuple[int, int] | None = None  # plausible range for an int (e.g. a year), or a text's length
    width: int = 14  # column width in characters, for table sheets
    meaning: str = ""  # what the value means for template authors, when the label is not enough
    # ``reportgen init --from`` (next year's workbook from last year's): "same" copies last year's
    # value, "next" adds one (the 年度); the "same"/"next" columns of a table are its rows' key;
    # "revise" copies last year's value marked for the clerk to revise (a 绩效指标's 年度指标值)
    carry: Literal["", "same", "next", "revise"] = ""
    # this cell is last year's value of that field (typed or computed) of the same record: the
    # sheet's model in last year's report, or the table row with the same carried key
    last_year_of: str = ""
    # the sums (``Sum`` on the model's ``relations``) this amount is a part of: the totals it enters,
    # the "其中…" lists documents print and the checks it takes part in all follow from this
    part_of: tuple[str, ...] = ()
    # the official term documents print for it (the 决算 table's name), when it differs from the label
    term: str = ""
    # the 资金来源 (FUND_SOURCES) this amount comes from, for the 收入 vs 资金来源 comparison
    fund: str = ""
    # how ``plausibility`` judges a money amount typed in 元 instead of 万元: "amount" against the
    # unit's other amounts, "fund" (a 社会保险基金, far larger than the unit's own budget) with a
    # wider margin, "none" not at all (say why beside the field)
    plausible: Literal["amount", "fund", "none"] = "amount"

    @property
    def name(self) -> str:
        """What documents call it: the official ``term``, else the label."""
        return self.term or self.label

    @property
    def description(self) -> str:
        return self.meaning or self.label


@dataclass(frozen=True)
class Sum:
    """A whole and the amounts that make it up, declared once on the model (``relations``); an
    amount joins it with ``Cell(part_of=(name,))`` and from then on enters the total, the lists the
    documents print and the checks, in declaration order. ``total`` is the model attribute that is
    the whole:

    * ``check="computed"``: a computed field summing the parts (收入合计, 支出合计): nothing to check;
    * ``check="equal"``: a typed field that must equal its parts (基本支出 = 人员经费 + 公用经费);
    * ``check="at_most"``: a field the parts may not exceed, the rest being ``rest`` (项目的年初预算中
      上年结转和其他资金, the rest 本年财政拨款).

    ``includes``: other sums of the same model whose parts are parts of this one too (收入合计 takes
    本年收入's). ``when``: checked only when that sum (often this one) has a part filled in — an
    optional breakdown such as 项目支出按经济分类 (an empty optional field, or a zero one whose empty
    cell reads as 0, is not filled). ``label`` names the whole in messages; ``what`` names the parts
    together (人员经费 + 公用经费) when their labels joined by 、 would not read well."""

    name: str
    total: str
    label: str
    check: Literal["computed", "equal", "at_most"] = "computed"
    includes: tuple[str, ...] = ()
    when: str = ""
    when_complete: bool = False  # ``when``'s every part filled, not just one
    rest: str = ""
    what: str = ""


@dataclass(frozen=True)
class KeyValue:
    """A sheet of label | value | help rows, one per field: ``项目 | 填写值 | 填写说明``."""

    name: str
    key: str  # the name the model (and WorkbookData.values) uses for the sheet
    help: str = ""


@dataclass(frozen=True)
class Table:
    """A sheet with one header row and one record per row. ``fixed_rows`` pre-fills the first
    column's labels (the four 三公经费 items); each must then appear exactly once."""

    name: str
    key: str
    help: str = ""
    min_rows: int = 0
    fixed_rows: tuple[str, ...] = ()
    blank_rows: int = 20  # rows formatted with validation in the blank workbook
    # a sheet too wide for one printed page repeats its columns up to this field (the row's name)
    # at the left of every page; by default only the first column
    print_through: str = ""


Placement = KeyValue | Table


def cell_of(info: FieldInfo) -> Cell | None:
    return next((m for m in info.metadata if isinstance(m, Cell)), None)


def label_of(model: type[BaseModel], field: str) -> str:
    """The clerk's name of an input field (its ``Cell`` label): one declaration, read everywhere."""
    cell = cell_of(model.model_fields[field])
    assert cell is not None, field
    return cell.label


def cell_kind(annotation: Any, cell: Cell) -> Kind:
    """The kind of cell a field is: ``cell.kind``, else inferred from its type (see :class:`Cell`)."""
    if cell.kind is not None:
        return cell.kind
    if cell.choices:
        return "choice"
    base = annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):  # X | None: the X
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        base = args[0] if len(args) == 1 else annotation
    if typing.get_origin(base) is list:
        return "list"
    kinds: dict[Any, Kind] = {bool: "yesno", int: "int", Decimal: "money", dt.date: "date", str: "text"}
    if base not in kinds:
        raise TypeError(f"{annotation!r}: 请在 Cell 中写明 kind")
    return kinds[base]


class InputModel(BaseModel):
    """Base of the report's models: frozen, and a Cell's label becomes the field description.
    ``lead`` names fields that come first in the workbook although declared later (a subclass's
    own key column, such as the 项目名称 of a project's indicator)."""

    model_config = ConfigDict(frozen=True)
    lead: ClassVar[tuple[str, ...]] = ()
    relations: ClassVar[tuple[Sum, ...]] = ()
    # the field that names one row of a table in messages (机构名称, 项目名称), quoted or not
    record_title: ClassVar[str] = ""
    record_title_quoted: ClassVar[bool] = False

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        for info in cls.model_fields.values():
            cell = cell_of(info)
            if cell is not None and info.description is None:
                info.description = cell.description

    @classmethod
    def input_fields(cls) -> list[tuple[str, FieldInfo, Cell]]:
        """The fields the workbook provides, in declaration order (``lead`` first)."""
        fields = [(name, info, cell) for name, info in cls.model_fields.items() if (cell := cell_of(info))]
        return sorted(fields, key=lambda field: field[0] not in cls.lead)


InputKind = Literal["yesno", "number", "integer", "score", "text"]


class InputDecl(BaseModel):
    """A value a format collects beyond the model's own fields: a scoring indicator's input in
    ``scoring.yaml``, or a field of ``format.yaml``'s ``inputs``. The workbook's 评分填报 sheet
    has a row for it and templates read it as ``inputs.<key>`` (a Chinese key is fine)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    label: str
    kind: InputKind = "number"
    help: str = ""

    @field_validator("key")
    @classmethod
    def _identifier(cls, key: str) -> str:
        if not key.isidentifier():
            raise ValueError(f"填报键“{key}”只能由文字、数字和下划线组成，且不能以数字开头")
        return key
