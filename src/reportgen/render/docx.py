"""Render a .docx template with the sandboxed environment; write the result whole or not at all.

Every template problem (syntax, missing variable, sandbox refusal, a filter given bad data)
becomes a ``ReportgenError`` whose findings name the template file, the place in the document
and the problem in Chinese. The output file is never left half-written.
"""

from __future__ import annotations

import io
import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError
from markupsafe import Markup

from reportgen.errors import Finding, ReportgenError
from reportgen.outputs import write_atomic, write_file  # noqa: F401  (write_atomic: re-exported)
from reportgen.render.codecache import caching_compiles
from reportgen.render.columns import spread_looped_columns
from reportgen.render.env import make_docx_env, text_env
from reportgen.render.limits import bounded, describe_fault
from reportgen.render.merge import merge_marked_cells
from reportgen.render.pagination import keep_text_with_signoff
from reportgen.render.paths import VarRef, variable_refs
from reportgen.render.source import (
    TemplatePart,
    open_template,
    patched_xml,
    snippet,
    syntax_finding,
    template_parts,
)


@dataclass(frozen=True)
class PngImage:
    """A picture to put where the template says ``{{ name }}``. Templates can only print it: the
    sandbox exposes none of its attributes, and :func:`render_docx` draws it at output time."""

    data: bytes = field(repr=False)
    width_mm: float


def _picture_hook(tpl: DocxTemplate) -> Callable[[Any], Markup | None]:
    """The drawing XML for a PngImage printed in ``tpl`` (None for any other value).

    docxtpl's ``InlineImage`` holds the whole template (``.tpl.save(path)`` writes files), so it
    is made here, after Jinja has handed over the value, and never enters the context.
    """

    def picture(value: Any) -> Markup | None:
        if not isinstance(value, PngImage):
            return None
        return Markup(InlineImage(tpl, io.BytesIO(value.data), width=Mm(value.width_mm)).__html__())

    return picture


@dataclass(frozen=True)
class DocProperties:
    """The file properties (文件属性) of a built document: its title, the unit as author, the build
    time as created/modified. Set after rendering, replacing whatever the template file carried."""

    title: str = ""
    author: str = ""
    built: datetime | None = None


_PROPERTY_CHARS = 255  # python-docx refuses a longer title or author (a limit of the file format)


def _set_properties(tpl: DocxTemplate, props: DocProperties) -> None:
    core = tpl.docx.core_properties
    core.title = props.title[:_PROPERTY_CHARS]
    core.author = props.author[:_PROPERTY_CHARS]
    core.last_modified_by = props.author[:_PROPERTY_CHARS]
    core.subject = ""
    core.keywords = ""
    core.comments = ""
    core.revision = 1
    if props.built is not None:
        core.created = props.built
        core.modified = props.built


class _Template(DocxTemplate):
    """Remembers which part is being rendered, so an error can be traced back to Word."""

    current_partname: str | None = None

    def patch_xml(self, src_xml: str) -> str:
        return patched_xml(src_xml)

    def render_xml_part(self, src_xml: str, part: Any, context: Any, jinja_env: Any = None) -> str:
        self.current_partname = str(part.partname) if part is not None else None
        return super().render_xml_part(src_xml, part, context, jinja_env)

    def render_properties(self, context: Any, jinja_env: Any = None) -> None:
        # Core properties (title, author…) are plain text, not XML: no XML escaping there.
        self.current_partname = "docProps"
        super().render_properties(context, text_env())


def render_docx(template: Path, context: Mapping[str, Any], out: Path | None = None,
                properties: DocProperties | None = None) -> bytes:
    """Render ``template`` with ``context``; the .docx as bytes, also written to ``out`` if given
    (atomically, see ``outputs.write_file``). ``ReportgenError`` on any template problem.
    ``properties``: the file properties to set on the result (title, author, times)."""
    template = Path(template)
    tpl = open_template(template, _Template)
    env = caching_compiles(make_docx_env(_picture_hook(tpl)))  # compiled once per process (source.py)
    try:
        with bounded():
            tpl.render(dict(context), jinja_env=env, autoescape=True)
        merge_marked_cells(tpl.docx)
        spread_looped_columns(tpl.docx)
        keep_text_with_signoff(tpl.docx)
        if properties is not None:
            _set_properties(tpl, properties)
    except ReportgenError:
        raise
    except Exception as exc:  # anything a template or its data can raise: never a traceback
        part = getattr(tpl, "current_partname", None)
        raise ReportgenError(_render_finding(template, part, exc, context, env)) from exc
    buffer = io.BytesIO()
    tpl.save(buffer)  # in memory: a failing disk cannot leave docxtpl's ZipFile half-open
    if out is not None:
        write_file(Path(out), buffer.getvalue())
    return buffer.getvalue()


# ---- turning an exception into a finding ---------------------------------------------------

_MUTATING_METHODS = frozenset({
    "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "update", "setdefault",
    "popitem", "add", "discard", "difference_update", "intersection_update", "symmetric_difference_update",
})
_UNDEFINED_PATTERNS = (
    re.compile(r"has no attribute '(?P<name>.+)'$"),
    re.compile(r"has no element (?P<name>.+)$"),
    re.compile(r"^'(?P<name>.+)' is undefined$"),
)


def _template_line(exc: BaseException) -> int | None:
    """The template line of a runtime error: Jinja rewrites tracebacks to ``<template>`` frames."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<template>"]
    return lines[-1] if lines else None


def _resolves(ref: VarRef, context: Mapping[str, Any]) -> bool:
    """Whether a (non-local) reference can be followed through the context."""
    try:
        value: Any = context[ref.root]
        for seg in ref.segments:
            if isinstance(value, Mapping):
                value = value[seg]
            elif isinstance(seg, int):
                value = value[seg]
            else:
                value = getattr(value, seg)
    except (KeyError, IndexError, AttributeError, TypeError):
        return False
    return True


def _describe(ref: VarRef) -> str:
    if ref.local and ref.alias:
        item = ref.alias.removesuffix("[]")
        kind = " 中的一项" if ref.alias.endswith("[]") else ""
        return f"{ref.text}（{ref.root} 为 {item}{kind}）"
    return ref.text


def _failing_refs(
    name: str, part: TemplatePart, lineno: int | None, env: Environment, context: Mapping[str, Any]
) -> list[VarRef]:
    """References on the failing line whose chain contains the missing ``name``, cut there."""
    refs = variable_refs(env.parse(part.source), env.globals)
    on_line = [r for r in refs if r.lineno == lineno] or refs
    found: dict[str, VarRef] = {}
    for ref in on_line:
        for i, seg in enumerate((ref.root, *ref.segments)):
            if str(seg) == name:
                cut = ref.prefix(i)
                found.setdefault(cut.text, cut)
                break
    candidates = list(found.values())
    broken = [r for r in candidates if not r.local and not _resolves(r, context)]
    return broken or candidates


def _render_finding(
    template: Path, partname: str | None, exc: Exception, context: Mapping[str, Any], env: Environment
) -> Finding:
    where = template.name
    if partname == "docProps":
        return Finding(f"文档属性（标题、作者等）中的模板出错：{describe_fault(exc)}", where, "文档属性", code="T440")
    try:
        parts = template_parts(template)
    except Exception:  # locating is best effort; the message itself must still come out
        parts = []
    part = next((p for p in parts if p.partname == partname), parts[0] if parts else None)

    if isinstance(exc, TemplateSyntaxError):
        if part is not None:
            return syntax_finding(exc, part, env, where)
        return Finding(f"模板语法错误：{exc.message}", where, code="T410")

    lineno = _template_line(exc)
    loc, text = part.locate(lineno) if part is not None else ("", "")
    message = str(exc)
    if isinstance(exc, SecurityError):
        attr = m.group(1) if (m := re.search(r"attribute '(.+?)'", message)) else ""
        if attr.startswith("_") or not attr:
            body = f"模板试图访问不允许的内部属性 {attr}".rstrip() + "，已被阻止"
        elif attr in _MUTATING_METHODS:  # the immutable sandbox refuses list.append, dict.update …
            body = f"模板试图调用不允许的方法 {attr}（模板不能修改数据），已被阻止"
        else:  # an attribute of something that is not plain data (a picture, an object)
            body = f"模板试图访问不允许的属性 {attr}（只能读取数据字段），已被阻止"
        if attr and part is not None and (refs := _failing_refs(attr, part, lineno, env, context)):
            body += f"（{refs[0].text}）"
        needle, code = attr, "T421"
    elif isinstance(exc, UndefinedError):
        name = next((m.group("name") for p in _UNDEFINED_PATTERNS if (m := p.search(message))), "")
        refs = _failing_refs(name, part, lineno, env, context) if name and part is not None else []
        names = " 或 ".join(_describe(r) for r in refs[:3]) or name or message
        body = f"未定义的变量 {names}"
        needle, code = (refs[0].text if refs else name), "T430"
    elif isinstance(exc, TypeError) and "no loader" in message:
        body = "模板不能导入或包含其他文件（import/include/extends）"
        needle, code = "", "T422"
    else:
        body = f"模板渲染出错：{describe_fault(exc)}"
        needle, code = "", "T440"
    if part is not None and needle:
        loc, text = part.locate(lineno, needle)
    if text.strip():
        body += f"（“{snippet(text)}”）"
    return Finding(body, where, loc, code=code)
