"""Findings and the exception that carries them.

Every problem reportgen reports to a clerk or template author is a ``Finding``: where it is
(``收入!C7``, ``templates/x/scoring.yaml 指标 重点支出安排率``), which field, what is wrong, and
whether it blocks the build (error) or only deserves a look (warning).
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

    def __str__(self) -> str:
        head = " ".join(part for part in (self.where, self.field) if part)
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
