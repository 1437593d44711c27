"""The import commands, end to end; the CLI only calls these and prints.

* :func:`init_import` — ``reportgen init NEW --import FILE… [--from LAST]``: a new workbook (blank,
  or next year's from last year's) with the imported figures;
* :func:`import_into` — ``reportgen import WORKBOOK FILE… -o NEW``: an existing workbook's data (any
  schema version) with the figures filled in, into NEW (the input is only read);
* :func:`against` — ``reportgen check WORKBOOK --against FILE…``: the differences, nothing written.

The tables are read first: any error in them (I1xx) and nothing is written. The new workbook is
written atomically; before it replaces anything it is evaluated, and an amount that cannot be
万元 (P7xx) at an imported cell refuses the import (I118: a 元 table taken for 万元 shows there).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.carry.blanks import Blank, blanks
from reportgen.carry.indicators import describe_splits
from reportgen.carry.source import record_at
from reportgen.errors import Finding, Location, ReportgenError, errors_only
from reportgen.importer.apply import Applied, apply_import
from reportgen.importer.combine import Imported, import_files
from reportgen.importer.declarations import target
from reportgen.importer.provenance import SourceEntry, provenance_extras, read_sources


@dataclass
class ImportRun:
    """What an import did, for the CLI to print."""

    imported: Imported
    applied: Applied
    format_id: str = ""
    format_name: str = ""
    carried: Any = None  # init --from: carry.upgrade.Carried
    blanks: list[Blank] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)  # the new workbook's other errors
    split: list[str] = field(default_factory=list)  # import into an older workbook: targets split as upgrade does
    review: list[str] = field(default_factory=list)  # … and the cells of those a person must decide

    @property
    def conflicts(self) -> list[Finding]:
        return errors_only(self.applied.findings)


def manual_lines(run: ImportRun) -> list[str]:
    """需手工填写: ``工作表“字段”：why`` for each amount no table gave."""
    from reportgen.importer.combine import describe

    return [f"{target(text).model.sheet.name}“{describe(target(text))}”：{why}"  # type: ignore[attr-defined]
            for text, why in run.imported.manual.items()]


def _write(out: Path, schema: Any, fmt: Any, applied: Applied, entries: list[SourceEntry]) -> None:
    """Write ``out`` (all or nothing); refused when the result has an implausible imported amount
    (judged in the writer's last step, on the cells just written, before anything is saved)."""
    from reportgen.carry.upgrade import write_workbook_values

    provenance = provenance_extras(entries)

    def extra(wb: Any, written: dict[str, str]) -> None:
        provenance["extra"](wb, written)
        _plausible(applied.values, written, {written[e.path]: e for e in entries if e.path in written})

    write_workbook_values(out, schema, fmt, applied.values, notes=provenance["notes"], extra=extra)


def _plausible(values: dict[str, Any], places: dict[str, str], imported_cells: dict[str, SourceEntry]) -> None:
    """The amounts as ``check`` judges them (``plausibility``), on the values just written: an imported
    amount that cannot be 万元 refuses the import. A workbook not complete enough to judge is not judged."""
    from reportgen.plausibility import check_plausibility
    from reportgen.workbook.assemble import build_report
    from reportgen.workbook.reader import WorkbookData

    refs = {path: Location.parse(place) for path, place in places.items()}
    try:
        report, _ = build_report(WorkbookData(values=values, refs=refs))  # reads the values, changes nothing
    except (ReportgenError, KeyError, TypeError, ValueError):
        return
    findings = check_plausibility(report, refs)
    bad = [f for f in findings if any(str(r) in imported_cells for r in f.where.refs)]
    if bad:
        raise ReportgenError([Finding(
            f"导入后 {f.code}：{f.message}。导入的数来自："
            + "；".join(imported_cells[str(r)].source for r in f.where.refs if str(r) in imported_cells)
            + "。请核对决算表表头的金额单位（元/万元）", f.where, f.field, code="I118") for f in bad])


def init_import(out: Path, files: Sequence[Path], format_choice: str | None = None,
                previous: Path | None = None) -> ImportRun:
    from reportgen.formats.loader import resolve_format
    from reportgen.formats.sheets import workbook_schema

    imported = import_files(files)
    imported.raise_errors()
    carried = None
    if previous is not None:
        from reportgen.carry.next_year import next_year

        loaded, values, carried = next_year(previous, format_choice)
        fmt, schema = loaded.format, loaded.schema
    else:
        fmt = resolve_format(format_choice)
        schema, values = workbook_schema(fmt, relaxed=True), {}
    applied = apply_import(values, imported)
    _write(out, schema, fmt, applied, applied.entries)
    found, errors = blanks(out, schema, fmt)
    if carried is not None:
        carried.blanks, carried.errors = found, errors
    return ImportRun(imported, applied, fmt.id, fmt.spec.name, carried, found, errors)


def _value_at(values: dict[str, Any], path: str) -> Any:
    record, name = record_at(values, path)
    return None if record is None else record.get(name)


def import_into(workbook: Path, files: Sequence[Path], out: Path, overwrite: bool = False,
                format_choice: str | None = None) -> ImportRun:
    from reportgen.carry.source import load

    problems: list[Finding] = []
    try:
        wb, loaded = load(workbook, format_choice)
        if not any(sheet.name in wb.sheetnames for sheet in loaded.schema.sheets):
            problems.append(Finding(
                "这不是填报表（没有“基本信息”“收入”等工作表）；命令的顺序是 reportgen import 填报表.xlsx 决算表… -o 新表.xlsx",
                Location.in_file(workbook), code="I119"))
    except ReportgenError as exc:
        problems += exc.findings
    imported = import_files(files)
    if problems or imported.errors:  # the workbook's and the tables' problems in one pass
        raise ReportgenError(problems + imported.findings)
    applied = apply_import(loaded.contents, imported, loaded.refs, overwrite)
    new_paths = {e.path for e in applied.entries}
    earlier = [e for e in read_sources(wb) if e.path not in new_paths and _value_at(applied.values, e.path) == e.value]
    _write(out, loaded.schema, loaded.format, applied, applied.entries + earlier)
    found, errors = blanks(out, loaded.schema, loaded.format)
    # an older workbook's one-cell targets were split into their columns on reading: said as upgrade says it
    split, review = describe_splits(loaded.splits, loaded.schema, lambda _key, index: index + 2)
    return ImportRun(imported, applied, loaded.format.id, loaded.format.spec.name, None, found, errors, split, review)


def against(report: Any, refs: dict[str, Any], files: Sequence[Path]) -> tuple[Imported, list[Finding]]:
    """The differences between a workbook's report and the tables (I115), nothing changed."""
    from reportgen.importer.against import compare

    imported = import_files(files)
    imported.raise_errors()
    return imported, compare(report, refs, imported)


def read_report(workbook: Path, format_choice: str | None = None) -> tuple[Any, dict[str, Any]] | None:
    """A workbook's report as read, before the checks that made ``evaluate`` refuse it (C6xx, P7xx:
    the figures may still be compared with the tables); None when it cannot be built at all."""
    from reportgen.formats.sheets import SCORING_SHEET_KEY
    from reportgen.pipeline import read_workbook
    from reportgen.workbook.assemble import build_report
    from reportgen.workbook.reader import open_workbook

    wb = open_workbook(workbook)  # a file that cannot be opened is said as such
    try:
        data = read_workbook(wb, workbook, format_choice).data
        report, _ = build_report(data, inputs=data.values.get(SCORING_SHEET_KEY) or {})
    except ReportgenError:
        return None
    return report, data.refs


class CountyTables:
    """A county's 决算 folder for ``batch --against``: read once, picked per unit."""

    def __init__(self, paths: Sequence[Path]):
        from reportgen.importer.combine import read_files

        self.files = read_files(paths)
        self.errors = errors_only(self.files.findings)
        self.used: set[str] = set()

    def findings_for(self, report: Any, refs: dict[str, Any]) -> list[Finding]:
        """A built unit's differences from its tables (or why there are none to compare), from the
        report and cell places its build evaluated (``batch.UnitResult.figures``)."""
        from reportgen.importer.against import compare, for_unit

        imported = for_unit(self.files.readings, report)
        if imported is None:
            return [Finding(f"决算表中没有本单位（“{report.unit.name}”）或其机构的表，未核对",
                            refs.get("unit.name") or Location.sheet("基本信息"), "单位名称", "warning", "I116")]
        self.used |= set(imported.entities)
        problems = [dataclasses.replace(f, severity="warning") for f in imported.findings if f.is_error]
        return problems + compare(report, refs, imported)

    def unused(self) -> list[str]:
        """The 编制单位 of the tables that no unit's comparison used."""
        from reportgen.importer.combine import entity_names

        return [name for name in entity_names(self.files.readings) if name not in self.used]
