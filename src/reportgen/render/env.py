"""The one Jinja environment reportgen renders with: sandboxed, strict, bounded, house filters.

Templates and scoring texts come from other counties and are untrusted. :class:`ReportSandbox`
(an ``ImmutableSandboxedEnvironment``) adds to Jinja's sandbox:

- **plain data only**: attributes may be read only from plain values (str, numbers, Decimal,
  dates, lists, dicts, Jinja's own loop/namespace helpers) and from the *fields* of pydantic
  models; any other object (a picture marker, anything with methods that touch files) can only
  be printed, never explored or called;
- **bounded nesting**: a source nested deeper than ``MAX_NESTING`` (brackets, chained operators,
  tags inside tags), or one that Python's compiler cannot take (``IndentationError``,
  ``RecursionError``), is a ``TemplateSyntaxError`` saying so (:data:`NESTING_MESSAGE`), raised by
  parsing and compiling alike, so no later walk over the tree can exhaust the stack;
- **bounded work**: ``*``, ``**`` and ``%`` are intercepted (so never folded at compile time)
  and refuse results beyond what a report needs; ``range`` and ``lipsum`` are capped; every
  call and filter refuses huge size arguments (``'x'.ljust(10**9)``, ``|center(10**9)``) and
  huge format widths. Time and memory as a whole are bounded by :mod:`reportgen.render.limits`.

``StrictUndefined`` turns a missing variable into an error instead of a blank in the report.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.runtime import BlockReference, Context, LoopContext, Macro, TemplateReference
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace, generate_lorem_ipsum
from markupsafe import Markup, escape
from pydantic import BaseModel

from reportgen.render.codecache import caching_compiles
from reportgen.render.filters import FILTERS
from reportgen.render.limits import LimitExceeded, bounded

MAX_ITEMS = 100_000  # longest string/list a template may build; largest size argument
MAX_INT_BITS = 100_000  # largest integer a product or power may produce (~30,000 digits)
MAX_FORMAT_WIDTH = 10_000  # widest field in '%50s' / '{:>50}' formatting
MAX_NESTING = 80  # levels of a parsed source; a real template or scoring text has some 20
NESTING_MESSAGE = "嵌套过深或表达式过长（括号、连续运算、条件或循环的层数过多），请拆分或简化"

# Values whose attributes a template may read. Everything else is opaque: printable only.
PLAIN_TYPES: tuple[type, ...] = (
    str, int, float, bool, Decimal, dt.date, dt.time, dt.timedelta, list, tuple, dict, set, frozenset,
    range, type(None), LoopContext, Namespace, Cycler, Joiner, Macro, TemplateReference, BlockReference,
)


def _too_big(what: str) -> LimitExceeded:
    return LimitExceeded(f"{what}超出报告所需的范围，已被阻止")


def _int_bits(value: Any) -> int:
    return abs(value).bit_length() if isinstance(value, int) and not isinstance(value, bool) else 0


def _check_size_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ITEMS:
            raise _too_big(f"参数 {value} ")


_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d*)(?:\.(\*|\d*))?")


def _check_format_string(text: str, *, percent: bool) -> None:
    """Refuse ``'%99999999d'`` / ``'{:>99999999}'``: one short format string, a gigabyte of output.
    A width or precision given as an argument (``'%*d'``, ``'%.*f'``, ``'{:{}}'``) cannot be
    judged from the string and is refused outright."""
    widths: list[str] = []
    if percent:
        for m in _PERCENT_FIELD.finditer(text):
            widths += [w for w in m.groups() if w]
    else:
        try:
            specs = [spec for _, _, spec, _ in string.Formatter().parse(text) if spec]
        except ValueError:
            return  # malformed: str.format itself will say so
        widths += ["*" for spec in specs if "{" in spec]  # a nested field: the width is an argument
        widths += [w for spec in specs for w in re.findall(r"\d+", spec)]
    if "*" in widths:
        raise LimitExceeded("格式化宽度或精度不能由参数给出（如 '%*d'、'{:{}}'），请直接写出数字")
    if any(int(w) > MAX_FORMAT_WIDTH for w in widths):
        raise _too_big("格式化宽度")


def safe_range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_ITEMS:
        raise _too_big(f"range() 的项数 {len(rng)} ")
    return rng


def safe_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
    if n > 20 or max > 200:
        raise _too_big("lipsum() 的长度")
    return generate_lorem_ipsum(n, html, min, max)


def _guard_filter(func: Callable[..., Any]) -> Callable[..., Any]:
    """The filter with its size arguments checked (the filtered value itself is not an argument)."""
    takes_context = hasattr(func, "jinja_pass_arg")

    @functools.wraps(func)  # keeps jinja_pass_arg, so Jinja still passes context/environment
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _check_size_args(args[2 if takes_context else 1:], kwargs)
        if func.__name__ == "do_format" and args and isinstance(args[0], str):
            _check_format_string(args[0], percent=True)
        return func(*args, **kwargs)

    return guarded


_NESTING_TOKEN = re.compile(r"\{%-?\s*end|\{%-?\s*(?:if|for|macro|call|filter|with|block)\b|\{[{%#]|[}%#]\}|[([{)\]}]")


def _deepest_line(source: str) -> int:
    """The 1-based line where brackets and block tags are nested deepest (else the longest line)."""
    lines = source.splitlines() or [""]
    depth, deepest, line_of = 0, 0, 1
    for number, line in enumerate(lines, start=1):
        for token in _NESTING_TOKEN.findall(line):
            if len(token) == 1:
                depth += 1 if token in "([{" else -1
            elif token.startswith("{%"):
                depth += -1 if token.endswith("end") else 1
            if depth > deepest:
                deepest, line_of = depth, number
    if deepest < 10:  # a long flat chain (1+1+…): the longest line
        line_of = max(range(len(lines)), key=lambda i: len(lines[i])) + 1
    return line_of


@contextmanager
def refusing_deep_nesting(source: str | None, name: str | None = None) -> Iterator[None]:
    """Turn what an over-nested source makes the parser or Python's compiler raise into a
    ``TemplateSyntaxError`` with :data:`NESTING_MESSAGE`, at the line nested deepest."""
    try:
        yield
    except (RecursionError, MemoryError, SyntaxError) as exc:  # SyntaxError: Python's, not Jinja's
        line = _deepest_line(source) if isinstance(source, str) else 1
        raise TemplateSyntaxError(NESTING_MESSAGE, line, name) from exc


def check_nesting(tree: nodes.Node, source: str | None = None, name: str | None = None) -> None:
    """Refuse a parsed tree deeper than :data:`MAX_NESTING` (measured without recursion)."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            line = _deepest_line(source) if source is not None else getattr(node, "lineno", 1) or 1
            raise TemplateSyntaxError(NESTING_MESSAGE, line, name)
        stack.extend((child, depth + 1) for child in node.iter_child_nodes())


class ReportSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, restricted to plain data and bounded work (see module doc)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.globals["range"] = safe_range
        self.globals["lipsum"] = safe_lipsum
        self.filters.update(FILTERS)
        self.filters = {name: _guard_filter(f) for name, f in self.filters.items()}

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        with refusing_deep_nesting(source, name):
            tree = super()._parse(source, name, filename)
        check_nesting(tree, source, name)
        return tree

    def _generate(self, source: nodes.Template, name: str | None, filename: str | None,
                  defer_init: bool = False) -> str:
        check_nesting(source, None, name)  # a tree built elsewhere (scoring.expr) is held to the same depth
        return super()._generate(source, name, filename, defer_init=defer_init)

    def compile(self, source: str | nodes.Template, name: str | None = None, filename: str | None = None,
                raw: bool = False, defer_init: bool = False) -> Any:
        """Jinja's compile; Python's compiler refusing the generated code (``IndentationError``:
        conditions nested too deep; too many nested loops) is the same nesting error."""
        with refusing_deep_nesting(source if isinstance(source, str) else None, name):
            return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, BaseModel):
            model = type(obj)
            return attr in model.model_fields or attr in model.model_computed_fields
        if not isinstance(obj, PLAIN_TYPES):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _int_bits(left) and isinstance(right, int):
            if right > MAX_INT_BITS or _int_bits(left) * right > MAX_INT_BITS:
                raise _too_big(f"乘方 {left}**{right} ")
        elif operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(count, int):
                    if len(seq) * count > MAX_ITEMS:
                        raise _too_big("重复（* 运算）的结果长度")
            if _int_bits(left) + _int_bits(right) > MAX_INT_BITS:
                raise _too_big("乘积")
        elif operator == "%" and isinstance(left, str):
            _check_format_string(left, percent=True)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _check_size_args(args, kwargs)
        bound_to = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if isinstance(bound_to, str) and getattr(__obj, "__name__", "") in ("format", "format_map"):
            _check_format_string(bound_to, percent=False)
        return super().call(__context, __obj, *args, **kwargs)


def make_env(*, autoescape: bool = True) -> ReportSandbox:
    """``autoescape=True`` for Word XML (docx templates); ``False`` for plain text snippets
    such as a scoring rule's calculation text, which is escaped later when it lands in a docx."""
    return ReportSandbox(autoescape=autoescape, undefined=StrictUndefined)


@functools.cache
def _word_env() -> ReportSandbox:
    return make_env()


@functools.lru_cache(maxsize=256)
def parsed(source: str) -> nodes.Template:
    """``make_env().parse(source)``, once per process for each source: ``format check`` and
    ``formats.uses`` both read every part of every template. Callers only read the tree; a syntax
    error raises and caches nothing."""
    return _word_env().parse(source)


@functools.cache
def text_env() -> ReportSandbox:
    """The one plain-text sandbox of a process (it holds no state between renders): file-name
    patterns, scoring texts, documents' properties; its compiles go through ``render.codecache``."""
    return caching_compiles(make_env(autoescape=False))


@functools.lru_cache(maxsize=256)
def _text_template(source: str) -> Any:
    return text_env().from_string(source)  # a syntax error raises and caches nothing


def render_text(source: str, context: Mapping[str, Any]) -> str:
    """An untrusted plain-text snippet (a file-name pattern, a questionnaire's intro) rendered in
    the sandbox within the limits (compiled once per process, inside the limits the first time).
    Raises whatever the snippet provoked; callers name the file and turn it into a finding with
    :func:`reportgen.render.limits.describe_fault`."""
    with bounded():
        return _text_template(source).render(context)


# Characters XML 1.0 forbids (Excel cells can hold them); left in, they corrupt the .docx.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEWLINES = re.compile("\r\n?|\x0b")  # \x0b: Word's manual line break when copied as text
_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_TAB = '</w:t><w:tab/><w:t xml:space="preserve">'


def docx_text(value: Any) -> Markup:
    """A value as the inside of a Word ``<w:t>``: escaped, ``\\n`` as a line break, ``\\t`` as a tab.

    ``Markup`` (already XML) passes through untouched. ``None`` renders as nothing: an optional
    field left empty.
    """
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    text = _XML_ILLEGAL.sub("", _NEWLINES.sub("\n", str(value)))
    return Markup(str(escape(text)).replace("\n", _BREAK).replace("\t", _TAB))


def make_docx_env(picture: Callable[[Any], Markup | None] | None = None) -> ReportSandbox:
    """The environment for .docx templates: ``make_env()`` plus :func:`docx_text` on every output.

    ``picture(value)`` turns a picture marker into its drawing XML (None for other values): the
    marker itself stays opaque to the template, which can only print it.
    docxtpl's own defaults (no escaping) would cut ``A&B <x>`` to ``A``; escaping here does not
    depend on docxtpl's post-processing.
    """
    env = make_env(autoescape=True)

    def finalize(value: Any) -> Markup:
        drawing = picture(value) if picture is not None else None
        return drawing if drawing is not None else docx_text(value)

    env.finalize = finalize
    return env
