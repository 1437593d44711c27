"""The one Jinja environment reportgen renders with: sandboxed, strict, house filters.

Templates come from other counties and are untrusted: ``ImmutableSandboxedEnvironment`` blocks
access to Python internals and mutation; ``StrictUndefined`` turns a missing variable into an
error instead of a blank in the report.
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from reportgen.render.filters import FILTERS


def make_env(*, autoescape: bool = True) -> ImmutableSandboxedEnvironment:
    """``autoescape=True`` for Word XML (docx templates); ``False`` for plain text snippets
    such as a scoring rule's calculation text, which is escaped later when it lands in a docx."""
    env = ImmutableSandboxedEnvironment(autoescape=autoescape, undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env


# Characters XML 1.0 forbids (Excel cells can hold them); left in, they corrupt the .docx.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEWLINES = re.compile("\r\n?|\x0b")  # \x0b: Word's manual line break when copied as text
_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_TAB = '</w:t><w:tab/><w:t xml:space="preserve">'


def docx_text(value: Any) -> Markup:
    """A value as the inside of a Word ``<w:t>``: escaped, ``\\n`` as a line break, ``\\t`` as a tab.

    Objects that already are XML (docxtpl ``InlineImage``/``RichText``/``Listing``, ``Markup``)
    pass through untouched. ``None`` renders as nothing: an optional field left empty.
    """
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    if value is None:
        return Markup("")
    text = _XML_ILLEGAL.sub("", _NEWLINES.sub("\n", str(value)))
    return Markup(str(escape(text)).replace("\n", _BREAK).replace("\t", _TAB))


def make_docx_env() -> ImmutableSandboxedEnvironment:
    """The environment for .docx templates: ``make_env()`` plus :func:`docx_text` on every output.

    docxtpl's own defaults (no escaping) would cut ``A&B <x>`` to ``A``; escaping here does not
    depend on docxtpl's post-processing.
    """
    env = make_env(autoescape=True)
    env.finalize = docx_text
    return env
