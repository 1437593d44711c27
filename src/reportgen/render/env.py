"""The one Jinja environment reportgen renders with: sandboxed, strict, house filters.

Templates come from other counties and are untrusted: ``ImmutableSandboxedEnvironment`` blocks
access to Python internals and mutation; ``StrictUndefined`` turns a missing variable into an
error instead of a blank in the report.
"""

from __future__ import annotations

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from reportgen.render.filters import FILTERS


def make_env(*, autoescape: bool = True) -> ImmutableSandboxedEnvironment:
    """``autoescape=True`` for Word XML (docx templates); ``False`` for plain text snippets
    such as a scoring rule's calculation text, which is escaped later when it lands in a docx."""
    env = ImmutableSandboxedEnvironment(autoescape=autoescape, undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env
