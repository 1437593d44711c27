"""Vertical merging of repeated group labels in rendered tables (the ``vmerge`` filter).

Scoring tables print 一级/二级 groups as merged cells. docxtpl's own ``{% vm %}`` only follows the
innermost loop, so a template instead marks a cell's value with ``|vmerge`` (render/filters.py);
after rendering, runs of marked cells with the same text in the same column become one cell and
the marks are removed.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from reportgen.render.filters import VMERGE_MARK as MARK
from reportgen.render.filters import VMERGE_SCOPE as SCOPE


def _cell_text(tc) -> str:
    return "".join(t.text or "" for t in tc.iter(qn("w:t")))


def _strip_mark(tc) -> None:
    """Remove the mark and the hidden scope; a multi-line value spans several runs, so the scope
    may sit in a later run than the mark."""
    for t in tc.iter(qn("w:t")):
        if t.text and (MARK in t.text or SCOPE in t.text):
            t.text = t.text.replace(MARK, "").split(SCOPE, 1)[0]


def _clear(tc) -> None:
    paragraphs = tc.findall(qn("w:p"))
    for p in paragraphs[1:]:
        tc.remove(p)
    for run in paragraphs[0].findall(qn("w:r")):
        paragraphs[0].remove(run)


def _set_vmerge(tc, restart: bool) -> None:
    tc_pr = tc.get_or_add_tcPr()
    existing = tc_pr.find(qn("w:vMerge"))
    if existing is not None:
        tc_pr.remove(existing)
    element = OxmlElement("w:vMerge")
    if restart:
        element.set(qn("w:val"), "restart")
    tc_pr.append(element)


def merge_marked_cells(document) -> None:
    """Merge vertical runs of marked cells with equal text, in every table of a python-docx document."""
    for tbl in document.element.body.iter(qn("w:tbl")):
        previous: dict[int, tuple[Any, str]] = {}  # column index -> (first tc of the run, text)
        for tr in tbl.findall(qn("w:tr")):
            column = 0
            current: dict[int, tuple[Any, str]] = {}
            for tc in tr.findall(qn("w:tc")):
                span_el = tc.tcPr.find(qn("w:gridSpan")) if tc.tcPr is not None else None
                span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
                text = _cell_text(tc)
                if MARK in text:
                    above = previous.get(column)
                    if above is not None and above[1] == text:
                        _set_vmerge(above[0], restart=True)
                        _clear(tc)
                        _set_vmerge(tc, restart=False)
                        current[column] = above
                    else:
                        current[column] = (tc, text)
                column += span
            previous = current
        for tc in tbl.iter(qn("w:tc")):
            _strip_mark(tc)
