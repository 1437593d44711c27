"""Helpers the document tests share: read a built .docx, build a format's example."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.table import Table

from reportgen.formats.loader import resolve_format
from reportgen.pipeline import Evaluation, build_documents, evaluate, init_workbook, workbook_schema
from reportgen.workbook.blank import write_workbook
from reportgen.workbook.example import EXAMPLE


def full_text(doc: DocumentObject | Path) -> str:
    """Every paragraph and table cell of a document, one per line."""
    if not isinstance(doc, DocumentObject):
        doc = Document(str(doc))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def distinct_rows(table: Table) -> list[list[str]]:
    """Cell texts per row, a horizontally merged cell counted once."""
    result = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell.text)
        result.append(cells)
    return result


def example_values(format_id: str) -> dict[str, Any]:
    """The common example plus the format's own example data (a deep copy to edit freely)."""
    return copy.deepcopy({**EXAMPLE, **resolve_format(format_id).example_values})


def build_format(folder: Path, format_id: str, values: dict[str, Any] | None = None
                 ) -> tuple[Evaluation, list[Path]]:
    """Write the format's example (or ``values``) as a workbook, evaluate it, build every document."""
    workbook = folder / "wb.xlsx"
    if values is None:
        init_workbook(workbook, format_id, example=True)
    else:
        write_workbook(workbook_schema(resolve_format(format_id)), workbook, values)
    evaluation = evaluate(workbook, format_id)
    return evaluation, build_documents(evaluation, folder / "out")
