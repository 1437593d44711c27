"""Findings, where they are, and the exception that carries them.

Every problem reportgen reports to a clerk or template author is a ``Finding``: where it is
(a :class:`Location`), which field, what is wrong, and whether it blocks the build (error) or only
deserves a look (warning). Each finding carries a stable short ``code`` (``S203``, ``C601``),
printed after the place and explained, with its fix, in ``docs/findings.md`` (the workbook's:
W5xx reading sheets and cells, C6xx consistency checks, P7xx amounts that cannot be 万元, G8xx
scoring and questionnaires from the workbook's values) and ``docs/templating.md`` (a format's
files: Y0xx YAML files, F1xx format.yaml, S2xx scoring.yaml, Q3xx questionnaire.yaml, T4xx Word
templates).

A ``Location`` is one of: places in the workbook (``收入!C7``, ``项目!第3行``, a whole sheet ``收入``;
several at once print joined by ``、``), a file and line (``templates/x/scoring.yaml:42``), or a
part of a file (a template's paragraph, a command-line option). It has one printed form, the
one above, and compares equal to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

_SHEET_CELL = re.compile(r"(?P<sheet>[^!、]+)!(?:(?P<cell>[A-Z]{1,3}[0-9]+(?::[A-Z]{1,3}[0-9]+)?)|第(?P<row>[0-9]+)行)")
_FILE_LINE = re.compile(r"(?P<file>.+):(?P<line>[0-9]+)")


@dataclass(frozen=True, order=True)
class Ref:
    """One place in a workbook: a sheet, a cell or range on it (``C7``, ``A3:A5``), or a row."""

    sheet: str
    cell: str = ""
    row: int = 0

    def __str__(self) -> str:
        if self.cell:
            return f"{self.sheet}!{self.cell}"
        return f"{self.sheet}!第{self.row}行" if self.row else self.sheet


@dataclass(frozen=True, eq=False)
class Location:
    """Where a finding is (see the module doc). Build one with :meth:`cell`, :meth:`row`,
    :meth:`sheet`, :meth:`join` or :meth:`in_file`; ``str()`` is its one printed form."""

    refs: tuple[Ref, ...] = ()
    file: str = ""
    line: int = 0
    part: str = ""  # within ``file`` (a template's paragraph), or on its own (``--format``)

    @classmethod
    def cell(cls, sheet: str, cell: str) -> Location:
        return cls((Ref(sheet, cell),))

    @classmethod
    def row(cls, sheet: str, row: int) -> Location:
        return cls((Ref(sheet, row=row),))

    @classmethod
    def sheet(cls, name: str) -> Location:
        return cls((Ref(name),))

    @classmethod
    def in_file(cls, path: object, line: int = 0, part: str = "") -> Location:
        return cls(file=str(path), line=line, part=part)

    @classmethod
    def join(cls, places: Iterable[Location | str | None]) -> Location:
        """Several workbook places as one (each once, in order); a file location stands alone."""
        refs: list[Ref] = []
        for place in places:
            where = as_location(place)
            if where.file or where.part:
                return where
            refs += [r for r in where.refs if r not in refs]
        return cls(tuple(refs))

    @classmethod
    def parse(cls, text: str) -> Location:
        """A printed place back into its structure (for places given as text, e.g. by a YAML file's
        line marks); anything that is not a workbook place or ``file:line`` is a file or option."""
        if not text:
            return cls()
        pieces = text.split("、")
        refs = []
        for piece in pieces:
            match = _SHEET_CELL.fullmatch(piece)
            if match:
                refs.append(Ref(match["sheet"], match["cell"] or "", int(match["row"] or 0)))
            elif "!" not in piece and "/" not in piece and "\\" not in piece and ":" not in piece and "." not in piece \
                    and not piece.startswith("-") and len(pieces) > 1:
                refs.append(Ref(piece))
            else:
                break
        else:
            return cls(tuple(refs))
        match = _FILE_LINE.fullmatch(text)
        if match:
            return cls(file=match["file"], line=int(match["line"]))
        return cls(file=text)

    @property
    def sheets(self) -> list[str]:
        return list(dict.fromkeys(r.sheet for r in self.refs))

    def __str__(self) -> str:
        if self.refs:
            return "、".join(str(r) for r in self.refs)
        text = f"{self.file}:{self.line}" if self.file and self.line else self.file
        return f"{text} {self.part}" if text and self.part else text or self.part

    def __bool__(self) -> bool:
        return bool(self.refs or self.file or self.part)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Location | str):
            return str(self) == str(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))


def as_location(place: Location | str | None) -> Location:
    if isinstance(place, Location):
        return place
    return Location.parse(place or "")


@dataclass(frozen=True)
class Finding:
    message: str
    where: Location = field(default_factory=Location)
    field: str = ""
    severity: Severity = "error"
    code: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.where, Location):  # a place given as text: the same structure
            object.__setattr__(self, "where", as_location(self.where))

    def __str__(self) -> str:
        head = " ".join(part for part in (str(self.where), self.code, self.field) if part)
        return f"{head}: {self.message}" if head else self.message

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def is_lint(self) -> bool:
        """A reviewer's note (L1xx, ``reportgen.lint``): a warning shown apart from the others."""
        return self.code.startswith("L")


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
