"""Consistency checks: the arithmetic slips real reports contain, caught before anything is written.

``check_report`` runs, in order: ``plausibility`` (amounts that cannot all be 万元: typed in 元), the
sums (``declared`` on the models and ``cross`` between sheets, judged by ``sums``: a mismatch one
typed-in-元 amount explains is said to be that), and the other ``rules``. Errors block the build;
warnings are printed and the build goes on. One slip gets one message: a sum touching a cell
already named as typed in 元 says nothing more.
"""

from __future__ import annotations

from reportgen.checks.cross import cross_relations
from reportgen.checks.declared import declared_relations
from reportgen.checks.rules import RULES
from reportgen.checks.sums import Judge
from reportgen.errors import Finding, Location
from reportgen.model.report import Report
from reportgen.plausibility import check_plausibility


def check_report(report: Report, refs: dict[str, Location], stand_ins: set[Location] | frozenset[Location] = frozenset()
                 ) -> list[Finding]:
    """Every finding about ``report``; ``stand_ins``: cells nobody typed (the format does not read them),
    whose sums are not compared."""
    plausible = check_plausibility(report, refs)
    judge = Judge(skipped=set(stand_ins))
    judge.name(f for f in plausible if f.is_error)
    sums = judge.judge_all([*declared_relations(report, refs), *cross_relations(report, refs)])
    return [*sums, *(f for rule in RULES for f in rule(report, refs)), *plausible]
