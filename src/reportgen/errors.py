"""Findings and the exception that carries them.

Every problem reportgen reports to a clerk or template author is a ``Finding``: where it is
(``收入!C7``, ``templates/x/scoring.yaml:42``), which field, what is wrong, and whether it
blocks the build (error) or only deserves a look (warning). Problems in a format's own files
also carry a stable short ``code`` (``S203``), printed after the place and explained, with its
fix, in ``docs/templating.md`` (Y0xx YAML files, F1xx format.yaml, S2xx scoring.yaml,
Q3xx questionnaire.yaml, T4xx Word templates).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    message: str
    where: str = ""
    field: str = ""
    severity: Severity = "error"
    code: str = ""

    def __str__(self) -> str:
        head = " ".join(part for part in (self.where, self.code, self.field) if part)
        return f"{head}: {self.message}" if head else self.message

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class ReportgenError(Exception):
    """A problem with the user's input (workbook, format folder, template), never a bug.

    Carries every finding gathered in one pass; the CLI prints them and exits with status 2.
    """

    def __init__(self, findings: list[Finding] | Finding | str):
        if isinstance(findings, str):
            findings = [Finding(findings)]
        elif isinstance(findings, Finding):
            findings = [findings]
        self.findings = list(findings)
        super().__init__("\n".join(str(f) for f in self.findings))


def errors_only(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]


def warnings_only(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if not f.is_error]
