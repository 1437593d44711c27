"""``reportgen upgrade``: a workbook of an older schema version rewritten in this one, all its data
carried (the input is only read), and what the CLI reports about it (:class:`Carried`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.carry.blanks import Blank, blanks
from reportgen.carry.indicators import describe_splits
from reportgen.carry.source import load
from reportgen.errors import Finding, errors_only
from reportgen.workbook.schema import WorkbookSchema
from reportgen.workbook.versions import Rename

if TYPE_CHECKING:
    from reportgen.formats.loader import Format


@dataclass
class Carried:
    """What ``upgrade`` or ``init --from`` did: for the CLI to print."""

    format: Format
    version: str  # the source workbook's recorded schema version
    current: str  # this program's
    older: bool
    renamed: list[Rename] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # the source's data without a place here
    unreadable: list[Finding] = field(default_factory=list)  # source cells kept as typed
    carried: list[str] = field(default_factory=list)  # init --from: what was taken from last year
    split: list[str] = field(default_factory=list)  # indicator targets split into their columns, per sheet
    review: list[str] = field(default_factory=list)  # cells of the new workbook a person must decide or check
    missing: list[str] = field(default_factory=list)  # init --from: 上年 cells that could not be filled
    problems: list[Finding] = field(default_factory=list)  # init --from: last year's errors
    revise: list[Blank] = field(default_factory=list)  # init --from: cells holding last year's value to revise
    blanks: list[Blank] = field(default_factory=list)  # the new workbook's required empty cells
    errors: list[Finding] = field(default_factory=list)  # the new workbook's other errors


def write_workbook_values(out: Path, schema: WorkbookSchema, fmt: Format, values: dict[str, Any],
                          **extras: Any) -> None:
    """Write ``out`` atomically; ``extras``: ``workbook_data``'s ``notes`` and ``extra`` (the 来源 sheet)."""
    from reportgen.outputs import write_file
    from reportgen.workbook.blank import workbook_data

    write_file(out, workbook_data(schema, values, title=f"{fmt.spec.name} 数据填报表", **extras))


def upgrade(source: Path, out: Path, format_choice: str | None = None) -> Carried:
    """Write ``out``, a workbook of this schema version holding all of ``source``'s data."""
    wb, loaded = load(source, format_choice)
    write_workbook_values(out, loaded.schema, loaded.format, loaded.contents, **_provenance(wb))
    found, errors = blanks(out, loaded.schema, loaded.format)
    # every row is written where it stands in its table: record i on row i + 2
    split, review = describe_splits(loaded.splits, loaded.schema, lambda _key, index: index + 2)
    return Carried(loaded.format, loaded.version, loaded.schema.version, loaded.older, loaded.renamed,
                   unread=loaded.unread, split=split, review=review,
                   unreadable=errors_only(loaded.findings), blanks=found, errors=errors)


def _provenance(wb: Any) -> dict[str, Any]:
    """Imported figures keep their notes and 来源 sheet (``reportgen import``) in the new workbook."""
    from reportgen.importer.provenance import provenance_extras, read_sources

    entries = read_sources(wb)
    return provenance_extras(entries) if entries else {}
