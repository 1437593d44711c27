"""Column widths of tables whose columns a template repeats (docxtpl's ``{%tc for … %}``).

A template cannot know how many columns a loop prints (one per income source a unit has): the
looped cell has a nominal width and the table records its full width in ``w:tblW``
(docstyle's ``loop_columns``). After rendering, every row of such a table is scaled to that width —
narrower columns when a loop printed many, wider when it printed none — and the table grid is set
to match, so Word and LibreOffice draw the same columns.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def _width(tc: Any) -> tuple[int, int]:
    """A cell's width in twips (0 when it has none) and how many grid columns it spans."""
    tc_pr = tc.find(qn("w:tcPr"))
    tc_w = tc_pr.find(qn("w:tcW")) if tc_pr is not None else None
    span = tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None
    columns = int(span.get(qn("w:val"))) if span is not None else 1
    if tc_w is None or tc_w.get(qn("w:type")) != "dxa":
        return 0, columns
    return int(tc_w.get(qn("w:w"))), columns


def _set_width(tc: Any, twips: int) -> None:
    tc_w = tc.find(qn("w:tcPr")).find(qn("w:tcW"))
    tc_w.set(qn("w:type"), "dxa")
    tc_w.set(qn("w:w"), str(twips))


def _fixed_width(tbl: Any) -> int | None:
    tbl_pr = tbl.find(qn("w:tblPr"))
    tbl_w = tbl_pr.find(qn("w:tblW")) if tbl_pr is not None else None
    if tbl_w is None or tbl_w.get(qn("w:type")) != "dxa":
        return None
    return int(tbl_w.get(qn("w:w")))


def spread_looped_columns(document: Any) -> None:
    """Scale each row of every table with a fixed width (``w:tblW``) to that width."""
    for tbl in document.element.body.iter(qn("w:tbl")):
        total = _fixed_width(tbl)
        if not total:
            continue
        grid: list[int] | None = None
        for tr in tbl.findall(qn("w:tr")):
            cells = tr.findall(qn("w:tc"))
            widths = [_width(tc) for tc in cells]
            row = sum(w for w, _ in widths)
            if row and row != total:
                widths = [(w * total // row, span) for w, span in widths]
                for tc, (w, _) in zip(cells, widths, strict=True):
                    _set_width(tc, w)
            if grid is None and widths and all(span == 1 for _, span in widths):
                grid = [w for w, _ in widths]
        if grid is not None:
            tbl_grid = tbl.find(qn("w:tblGrid"))
            for col in list(tbl_grid):
                tbl_grid.remove(col)
            for width in grid:
                col = OxmlElement("w:gridCol")
                col.set(qn("w:w"), str(width))
                tbl_grid.append(col)
