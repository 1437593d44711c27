"""Page-flow fixes that need the rendered document: the 落款 never starts a page.

GB/T 9704 wants the 落款 (unit name and date) on a page with text. The template cannot say so:
the paragraph before the 落款 is often a loop or condition tag that rendering removes, taking its
formatting with it. So after rendering, whatever really precedes the first 落款 paragraph (a
paragraph, or a table's last row) is made to keep with it.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from reportgen.docstyle import SIGNOFF_ID


def _style(paragraph: Any) -> str | None:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style.get(qn("w:val")) if style is not None else None


def _keep_with_next(paragraph: Any) -> None:
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        paragraph.insert(0, ppr)
    if ppr.find(qn("w:keepNext")) is None:
        keep = OxmlElement("w:keepNext")
        style = ppr.find(qn("w:pStyle"))
        if style is not None:  # schema order: pStyle, then keepNext
            style.addnext(keep)
        else:
            ppr.insert(0, keep)


def keep_text_with_signoff(document: Any) -> None:
    """Make what precedes the document's first 落款 paragraph keep with it (no-op without one)."""
    body = document.element.body
    signoff = next((p for p in body.iterchildren(qn("w:p")) if _style(p) == SIGNOFF_ID), None)
    before = signoff.getprevious() if signoff is not None else None
    if before is None:
        return
    if before.tag == qn("w:p"):
        _keep_with_next(before)
    elif before.tag == qn("w:tbl") and (rows := before.findall(qn("w:tr"))):
        for paragraph in rows[-1].iter(qn("w:p")):
            _keep_with_next(paragraph)
