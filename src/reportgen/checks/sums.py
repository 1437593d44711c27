"""Comparing sums of typed amounts, and telling an amount typed in 元 from an ordinary slip.

A :class:`Relation` says that the amounts on its left add up to those on its right (``equal``), or
stay within them (``at_most``). Each side is a list of :class:`Term` — one typed cell each, or a
figure the program computed (``typed=False``), so that when a relation fails the finding can name
the cells, and when the difference is explained by exactly one typed amount being 10⁴ times too
large (typed in 元 where 万元 is asked), the finding says so at that one cell instead.

Parts rounded to 0.01 万元 may drift from their rounded total by half a cent each: within that
slack a difference is a warning (尾差), beyond it the relation's own ``severity`` (an error, a
warning, or nothing: a relation that only serves to catch 元).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from reportgen.errors import Finding, Location, Severity
from reportgen.model.inputs import cell_of
from reportgen.model.records import Record
from reportgen.model.relations import parts
from reportgen.plausibility import TYPED_IN_YUAN
from reportgen.render.filters import wan

CENT = Decimal("0.01")
YUAN = Decimal(10_000)  # a 元 amount typed as 万元 is this many times too large
MIN_YUAN = Decimal(100)  # the least an amount typed in 元 can be (0.01 万元)
AT_MOST_YUAN = Decimal(10_000)  # a part beyond its whole is taken for 元 only from 1 万元 (in 元) up
AT_MOST_TIMES = Decimal(10)  # … and when it is this many times the whole


def rounding_slack(parts: int) -> Decimal:
    """Each part was rounded to 0.01 万元, so their sum may drift by half a cent per part."""
    return (Decimal("0.005") * parts).quantize(CENT, rounding="ROUND_UP")


@dataclass(frozen=True)
class Term:
    label: str
    value: Decimal
    where: Location
    typed: bool = True  # a cell the clerk typed (a candidate for "typed in 元"), not a computed figure


def term(record: Record, refs: dict, key: str, *, label: str = "", typed: bool = True) -> Term:
    """One typed amount of ``record``, named by its declaration (and the row's title)."""
    cell = cell_of(record.model.model_fields[key])
    name = label or record.named(cell.label if cell is not None else key)
    return Term(name, Decimal(getattr(record.value, key) or 0), record.where(refs, key), typed)


def sum_terms(rows: Iterable[Record], refs: dict, sum_name: str) -> list[Term]:
    """Every part of the declared sum ``sum_name`` on every row, as terms (its typed cells)."""
    return [term(r, refs, key) for r in rows for key, _ in parts(r.model, sum_name)]


@dataclass(frozen=True)
class Relation:
    left: Sequence[Term]
    right: Sequence[Term]
    what: str  # the left side in words: 局机关 人员经费 + 公用经费
    whole: str  # the right side in words: 填写的基本支出
    field: str  # the finding's field
    kind: Literal["equal", "at_most"] = "equal"
    severity: Severity | None = "error"  # of a plain mismatch; None: only an amount typed in 元 is reported
    code: str = "C601"
    note: str = ""  # appended to a plain mismatch's message (如只列了部分项目，可忽略)
    money: bool = True  # amounts in 万元 (the 元 test applies) or counts (人)

    @property
    def terms(self) -> list[Term]:
        return [*self.left, *self.right]

    @property
    def where(self) -> Location:
        """The cells of the amounts involved: each side's nonzero ones (or its first, when all are 0)."""
        cells = [t.where for side in (self.left, self.right) for t in ([t for t in side if t.value] or side[:1])]
        return Location.join(cells)


def _number(value: Decimal, money: bool) -> str:
    return wan(value) if money else f"{value:,}"


def _sum(terms: Iterable[Term]) -> Decimal:
    return sum((t.value for t in terms), Decimal(0))


@dataclass
class Judge:
    """Evaluates relations in order. ``named`` holds the cells already reported as typed in 元 (by
    ``plausibility`` or an earlier relation): a relation touching one of them says nothing more —
    one slip, one message."""

    named: set[Location] = field(default_factory=set)
    skipped: set[Location] = field(default_factory=set)  # cells nobody typed: their sums say nothing

    def name(self, findings: Iterable[Finding]) -> None:
        for f in findings:
            self.named.update(Location((ref,)) for ref in f.where.refs)

    def _touches_named(self, relation: Relation) -> bool:
        return any(Location((ref,)) in self.named for t in relation.terms for ref in t.where.refs)

    def judge(self, relation: Relation) -> Finding | None:
        if self._touches_named(relation) or any(t.where in self.skipped for t in relation.terms):
            return None
        left, right = _sum(relation.left), _sum(relation.right)
        diff = left - right
        if diff == 0 or (relation.kind == "at_most" and diff < 0):
            return None
        slack = rounding_slack(len(relation.terms))
        if relation.money and (yuan := self._typed_in_yuan(relation, diff, slack)) is not None:
            return yuan
        if abs(diff) <= slack and relation.kind == "equal":
            return Finding(f"{relation.what}之和为 {wan(left)}，与{relation.whole} {wan(right)} 相差 {wan(diff)}"
                           "（四舍五入尾差，请核对）", relation.where, relation.field, "warning", relation.code)
        if relation.severity is None:
            return None
        n = lambda v: _number(v, relation.money)  # noqa: E731
        summed = "之和" if len(relation.left) > 1 else ""
        if relation.kind == "at_most":
            message = f"{relation.what}{summed} {n(left)} 大于{relation.whole} {n(right)}"
        else:
            message = f"{relation.what}{summed}为 {n(left)}，与{relation.whole} {n(right)} 相差 {n(diff)}"
        return Finding(message + relation.note, relation.where, relation.field, relation.severity, relation.code)

    def _typed_in_yuan(self, relation: Relation, diff: Decimal, slack: Decimal) -> Finding | None:
        """The one typed amount whose division by 10⁴ makes the relation hold, as a finding. An
        ``equal`` relation then holds to the cent, which no ordinary slip does; a part that merely
        exceeds its whole (``at_most``) is taken for 元 only when it is far beyond it (``AT_MOST_TIMES``
        the whole) and, read as 元, still at least 1 万元 (``AT_MOST_YUAN``): 200 typed for a whole of
        118.50 is a plain "大于", 215,000 for 486.32 is 21.50 typed in 元."""
        explains = []
        whole = _sum(relation.right)
        for side, sign in ((relation.left, 1), (relation.right, -1)):
            for term in side:
                if not term.typed or abs(term.value) < MIN_YUAN:
                    continue
                if relation.kind == "at_most" and (sign < 0 or abs(term.value) < AT_MOST_YUAN
                                                   or abs(term.value) < AT_MOST_TIMES * abs(whole)):
                    continue
                fixed = diff - sign * (term.value - (term.value / YUAN).quantize(CENT))
                holds = fixed <= slack + CENT if relation.kind == "at_most" else abs(fixed) <= slack + CENT
                if holds:
                    explains.append(term)
        if len(explains) != 1:
            return None
        term = explains[0]
        self.named.update(Location((ref,)) for ref in term.where.refs)
        return Finding(f"{term.label} {wan(term.value)} 使{relation.what}与{relation.whole}对不上（相差 {wan(diff)}），"
                       f"除以 10000 后正好相符：{TYPED_IN_YUAN}", term.where, term.label, "error", "P705")

    def judge_all(self, relations: Iterable[Relation]) -> list[Finding]:
        return [f for r in relations if (f := self.judge(r)) is not None]
