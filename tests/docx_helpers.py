"""Helpers the document tests share: read a built .docx, build a format's example."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.table import Table

from reportgen.formats.loader import resolve_format
from reportgen.formats.sheets import workbook_schema
from reportgen.pipeline import Evaluation, build_documents, evaluate, init_workbook
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


def form_rows(doc: DocumentObject | Path) -> list[list[str]]:
    """:func:`distinct_rows` of every table of a document in order: a form printed as consecutive
    tables (so that its lower part's header repeats on each page) reads as one."""
    if not isinstance(doc, DocumentObject):
        doc = Document(str(doc))
    return [row for table in doc.tables for row in distinct_rows(table)]


def example_values(format_id: str) -> dict[str, Any]:
    """The common example plus the format's own example data (a deep copy to edit freely)."""
    return copy.deepcopy({**EXAMPLE, **resolve_format(format_id).example_values})


_EXAMPLES: dict[str, bytes] = {}


def evaluate_format(folder: Path, format_id: str, values: dict[str, Any] | None = None) -> Evaluation:
    """Write the format's example (or ``values``) as ``folder/wb.xlsx`` and evaluate it."""
    workbook = folder / "wb.xlsx"
    if values is None:  # the format's example: written once per test process, then copied
        if format_id not in _EXAMPLES:
            init_workbook(workbook, format_id, example=True)
            _EXAMPLES[format_id] = workbook.read_bytes()
        workbook.write_bytes(_EXAMPLES[format_id])
    else:
        write_workbook(workbook_schema(resolve_format(format_id)), workbook, values)
    return evaluate(workbook, format_id)


def build_format(folder: Path, format_id: str, values: dict[str, Any] | None = None
                 ) -> tuple[Evaluation, list[Path]]:
    """:func:`evaluate_format`, then build every document into ``folder/out``."""
    evaluation = evaluate_format(folder, format_id, values)
    return evaluation, build_documents(evaluation, folder / "out")


# The example's projects as every format prints them, pinned (万元, 执行率): 年初预算, 全年预算, 全年执行, 执行率.
# By hand from workbook/example.py: 全年预算 = 年初预算 + 调整, 执行率 = 执行 / 全年预算 × 100, to two decimals.
EXAMPLE_PROJECTS: dict[str, tuple[str, str, str, str]] = {
    "医疗保障基金监管经费": ("120.00", "120.00", "118.50", "98.75%"),  # 118.50 / 120
    "城乡居民医保经办服务经费": ("150.00", "160.00", "160.00", "100.00%"),  # 150 + 追加 10
    "医保信息化建设运维经费": ("95.00", "95.00", "92.30", "97.16%"),  # 92.30 / 95 = 97.157…
    "医疗救助经办经费": ("60.00", "60.00", "60.00", "100.00%"),
    "医保政策宣传经费": ("25.00", "20.00", "20.00", "100.00%"),  # 25 − 调减 5
    "业务培训经费": ("12.00", "12.00", "8.40", "70.00%"),  # 8.40 / 12, the one with a 偏差说明
    "档案管理经费": ("8.00", "8.00", "7.80", "97.50%"),
    "办公用房维修改造经费": ("30.00", "30.00", "30.00", "100.00%"),
}


def replace_template(folder: Path, name: str, *texts: str) -> None:
    """Overwrite a format's template ``name`` with one paragraph per text (house style)."""
    from reportgen.docstyle import add_body, new_document

    doc = new_document()
    for text in texts:
        add_body(doc, text)
    doc.save(folder / name)
