"""Page-flow fixes that need the rendered document: the 落款 never starts a page.

GB/T 9704 wants the 落款 (unit name and date) on a page with text. The template cannot say so:
the paragraph before the 落款 is often a loop or condition tag that rendering removes, taking its
formatting with it. So after rendering, whatever really precedes the first 落款 paragraph (a
paragraph, or a table's last row) is made to keep with it.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from reportgen.docstyle import SIGNOFF_ID


def keep_text_with_signoff(document: Any) -> None:
    """Make what precedes the document's first 落款 paragraph keep with it (no-op without one)."""
    body = document.element.body
    signoff = next((p for p in body.iterchildren(qn("w:p")) if p.style == SIGNOFF_ID), None)
    before = signoff.getprevious() if signoff is not None else None
    if before is None:
        return
    if before.tag == qn("w:p"):
        paragraphs = [before]
    elif before.tag == qn("w:tbl") and (rows := before.findall(qn("w:tr"))):
        paragraphs = list(rows[-1].iter(qn("w:p")))
    else:
        return
    for p in paragraphs:
        Paragraph(p, document.part).paragraph_format.keep_with_next = True
