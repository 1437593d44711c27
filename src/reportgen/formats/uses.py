"""What a format reads of the workbook, derived from its own files: the variables its templates and
output names print, the data its scoring rules use (their paths and expressions, the 绩效指标 rows
``goal_rows`` score, a value ``actual_from`` takes) and what its lint codes that are on read
(``lint.settings.READS``: a 预算执行偏差说明 is asked for even where no template prints it).

A printed figure stands for the workbook cells it is computed from (``model.dependencies``:
``budget.execution_rate`` reads 年初预算数, 预算调整数 and the 支出 columns), found on the example units
(``workbook.units``) so that every shape of unit counts. The result, :class:`Uses`, says which
sheets and which of their fields the format uses: the blank workbook asks only for those
(``formats.sheets.workbook_schema(relaxed=True)``), ``check`` does not require the others, and
``format check`` lists what is not used.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateSyntaxError

from reportgen.model.dependencies import depends_on
from reportgen.model.inputs import KeyValue
from reportgen.model.report import SHEET_MODELS, Report

if TYPE_CHECKING:
    from reportgen.formats.loader import Format

Cell = tuple[str, str]

# roots that are not the report: the format's own sheets and what scoring and rendering add
_OWN = {"inputs": "inputs", "questionnaire_summary": "questionnaire", "questionnaire_chart": "questionnaire"}
_NOT_DATA = {"format", "document", "score", "project_score", "questionnaire"}


@dataclass(frozen=True)
class Uses:
    """The workbook's sheets (keys) and fields ((sheet key, field key)) a format reads."""

    sheets: frozenset[str]
    fields: frozenset[Cell]

    def reads(self, sheet: str, field: str | None = None) -> bool:
        if field is None:
            return sheet in self.sheets
        return (sheet, field) in self.fields


@functools.lru_cache(maxsize=1)
def _example_reports() -> tuple[Report, ...]:
    """The example units as reports: together they fill every field (some a shape the others lack)."""
    from reportgen.workbook.assemble import build_report
    from reportgen.workbook.reader import WorkbookData
    from reportgen.workbook.units import UNITS

    return tuple(build_report(WorkbookData(values=copy.deepcopy(values)))[0] for values in UNITS.values())


def _report_sheets(path: str) -> set[str]:
    """The sheet a report path enters by its first step (``goals`` -> goals, ``projects.rows`` -> projects)."""
    root = path.split(".")[0].split("[")[0]
    if root in SHEET_MODELS:
        return {root}
    return {"projects"} if root == "projects" else set()


def _paths_read(paths: Iterable[str]) -> tuple[set[str], set[Cell]]:
    sheets: set[str] = set()
    fields: set[Cell] = set()
    reports = _example_reports()
    for path in paths:
        root = path.split(".")[0].split("[")[0]
        if root in _NOT_DATA:
            continue
        if root in _OWN:
            sheets.add(_OWN[root])
            continue
        if root == "project":
            path = "projects.rows[]" + path[len("project"):]
        found = depends_on(path, reports)
        fields |= found
        sheets |= {sheet for sheet, _ in found} | _report_sheets(path)
    return sheets, fields


def template_paths(fmt: Format) -> set[str]:
    """The model paths every document template and output name of ``fmt`` prints."""
    from reportgen.render.env import make_env, parsed
    from reportgen.render.paths import variable_refs
    from reportgen.render.source import template_parts

    env_globals = make_env().globals
    found: set[str] = set()
    sources = [doc.output for doc in fmt.spec.documents]
    for doc in fmt.spec.documents:
        sources += [part.source for part in template_parts(fmt.path(doc.template))]
    for source in sources:
        try:
            refs = variable_refs(parsed(source), env_globals)
        except TemplateSyntaxError:
            continue  # format check says so
        found |= {path for ref in refs if (path := ref.model_path)}
    return found


def _scoring_reads(fmt: Format) -> tuple[set[str], set[str]]:
    """(model paths, sheets) the format's scoring systems read: their expressions and paths, and the
    绩效指标 sheets their goal rows score."""
    from reportgen.formats.scoring_paths import scoring_paths

    paths: set[str] = set()
    sheets: set[str] = set()
    for name, load, goal_sheet in ((fmt.spec.scoring, lambda: fmt.scoring, "indicators"),
                                   (fmt.spec.project_scoring, lambda: fmt.project_scoring, "project_indicators")):
        if not name:
            continue
        paths |= {path for _, _, path in scoring_paths(fmt.path(name))}
        system = load()
        for level in system.levels if system is not None else ():
            if level.goal_rows is not None:
                sheets.add(goal_sheet)
                if level.goal_rows.actual_from:
                    paths.add(level.goal_rows.actual_from)
        if system is not None and system.per_project:
            sheets.add("projects")
        if system is not None and any(level.groups for level in system.levels):
            sheets.add("inputs")
    return paths, sheets


def _whole(sheets: Iterable[str]) -> Iterator[Cell]:
    for sheet in sheets:
        if sheet in SHEET_MODELS:
            yield from ((sheet, name) for name, _, _ in SHEET_MODELS[sheet].input_fields())


def _lint_reads(fmt: Format) -> set[str]:
    """The model paths the format's lint reads (its codes that are on; word limits only when set)."""
    from reportgen.lint.settings import READS

    settings = fmt.spec.lint
    limited = any(value is not None for value in settings.word_limits.model_dump().values())
    return {path for code, paths in READS.items() if settings.on(code) and (code != "L111" or limited)
            for path in paths}


def compute_uses(fmt: Format) -> Uses:
    scoring_paths_, scoring_sheets = _scoring_reads(fmt)
    sheets, fields = _paths_read(template_paths(fmt) | scoring_paths_ | _lint_reads(fmt))
    sheets |= scoring_sheets
    fields |= set(_whole(scoring_sheets))  # a scored 绩效指标 row is read whole
    # a table's rows are told apart by their first column (项目名称, 机构名称): read wherever the table is
    for key, model in SHEET_MODELS.items():
        if key in sheets and not isinstance(model.sheet, KeyValue):  # type: ignore[attr-defined]
            first = model.input_fields()[0][0]
            fields.add((key, first))
    return Uses(frozenset(sheets), frozenset(fields))


def format_uses(fmt: Format) -> Uses:
    """What ``fmt`` reads, computed once per process for its files as they are."""
    from reportgen.formats.loader import _fingerprint

    return _cached_uses(fmt.folder.resolve(), _fingerprint(fmt.folder), fmt)


@functools.lru_cache(maxsize=16)
def _cached_uses(folder: Path, fingerprint: tuple[Any, ...], fmt: Format) -> Uses:
    return compute_uses(fmt)


def unused_summary(fmt: Format) -> list[tuple[str, list[str], bool]]:
    """Per core sheet the format does not read wholly: (sheet name, labels of the fields it does not
    read — all of them when the sheet is unused, whether the sheet is unused)."""
    from reportgen.workbook.schema import CORE_SHEETS, sheet_fields

    uses = format_uses(fmt)
    found = []
    for sheet in CORE_SHEETS:
        if not uses.reads(sheet.key):
            found.append((sheet.name, [f.label for f in sheet_fields(sheet)], True))
            continue
        labels = [f.label for f in sheet_fields(sheet) if not uses.reads(sheet.key, f.key)]
        if labels:
            found.append((sheet.name, labels, False))
    return found


def describe_unused(fmt: Format) -> str:
    """One line for ``check`` and ``format check``: what the format does not read (可不填)."""
    parts = [f"“{name}”表" if whole else f"“{name}”的{'、'.join(labels)}" for name, labels, whole in unused_summary(fmt)]
    return "本格式不使用（填报表中可不填）：" + "；".join(parts) if parts else "本格式使用填报表的全部数据"
