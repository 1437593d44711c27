"""A .docx template's Jinja source exactly as docxtpl renders it, with a map back to Word.

docxtpl turns each XML part (body, headers, footers, footnotes) into one Jinja template: it
repairs tags split across runs (``DocxTemplate.patch_xml``) and puts every ``<w:p>`` on a new
line before compiling. Jinja errors therefore carry a line number that is, roughly, a paragraph.
To say *which* paragraph, every ``<w:p>`` gets a marker attribute before patching; the markers
survive patching, so each source line can be traced to 第 N 段 / 表 T 第 R 行第 C 列.
The marked source is only analysed, never rendered.
"""

from __future__ import annotations

import copy
import hashlib
import html
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import docxtpl
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import parse_xml
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateSyntaxError
from lxml import etree

from reportgen.errors import Finding, ReportgenError
from reportgen.render import diskcache
from reportgen.render.codecache import Lru

T = TypeVar("T", bound=DocxTemplate)

_MARK = "rgpara"  # un-namespaced attribute: legal XML, ignored by docxtpl's regexes
_MARK_RE = re.compile(_MARK + r'="(\d+)"')
_LINE_SPLIT = re.compile(r"<w:p([ >])")
_XML_TAG = re.compile(r"<[^>]*>")
JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)

FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
PART_KINDS = {RT.HEADER: "页眉", RT.FOOTER: "页脚"}


@dataclass(frozen=True)
class Paragraph:
    loc: str  # 第 3 段 / 表 1 第 2 行第 3 列 / 页眉 第 1 段
    text: str  # the paragraph's visible text (all w:t of this paragraph)
    row_text: str = ""  # for a table cell: the text of its whole row


@dataclass
class TemplatePart:
    kind: str  # 正文 / 页眉 / 页脚 / 脚注
    partname: str  # /word/document.xml
    source: str  # Jinja source, lines split before each <w:p> as docxtpl does
    paragraphs: list[Paragraph] = field(default_factory=list)
    line_para: list[int | None] = field(default_factory=list)  # source line (0-based) -> paragraph

    def line_text(self, lineno: int) -> str:
        """Visible text of a 1-based source line, as Jinja sees it (tags included)."""
        lines = self.source.splitlines()
        if not 0 < lineno <= len(lines):
            return ""
        return plain_text(lines[lineno - 1])

    def paragraph_at(self, lineno: int) -> int | None:
        if 0 < lineno <= len(self.line_para):
            return self.line_para[lineno - 1]
        return None

    def locate(self, lineno: int | None, needle: str = "") -> tuple[str, str]:
        """(location, snippet) for a 1-based source line.

        A ``{%p %}``/``{%tr %}`` tag replaces its whole paragraph/row, so its text ends up on the
        line of the paragraph *before*; with a ``needle`` (text of the tag) the following
        paragraphs are searched for the one that really holds it.
        """
        start = self.paragraph_at(lineno) if lineno else None
        if start is None:
            start = 0 if self.paragraphs else None
        if start is None:
            return self.kind, ""
        if needle:
            for par in self.paragraphs[start : start + 60]:
                if any(needle in tag for tag in JINJA_TAG.findall(par.text)):
                    return par.loc, par.text
        par = self.paragraphs[start]
        return par.loc, par.text


def plain_text(xml: str) -> str:
    return html.unescape(_XML_TAG.sub("", xml))


def snippet(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


TEMPLATE_MAX_BYTES = 50 * 1024 * 1024  # unpacked; a real template with pictures is a few MB


def _refuse_oversized(path: Path) -> None:
    """A format folder's .docx is untrusted: refuse a zip bomb before anything unpacks it."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # python-docx reports an unreadable file in its own words below
    if unpacked > TEMPLATE_MAX_BYTES:
        raise ReportgenError(Finding(
            f"模板解压后有 {unpacked // (1024 * 1024)} MB，超过上限 {TEMPLATE_MAX_BYTES // (1024 * 1024)} MB，不予处理",
            path.name, code="T403"))


def open_template(path: Path, cls: type[T] = DocxTemplate) -> T:  # type: ignore[assignment]
    """Load a .docx template; an unreadable file is a ``ReportgenError`` naming it."""
    if not path.is_file():
        raise ReportgenError(Finding("模板文件不存在", str(path), code="T401"))
    _refuse_oversized(path)
    tpl = cls(str(path))
    try:
        tpl.init_docx()
    except Exception as exc:  # python-docx raises several types for a non-docx file
        raise ReportgenError(Finding(f"不是有效的 Word 文档（.docx）：{exc}", path.name, code="T402")) from exc
    return tpl


# ---- each template prepared and compiled once per process ----------------------------------------
#
# docxtpl re-does two costly steps on every render: ``patch_xml`` (regex repair of tags Word split
# across runs) and Jinja's compile of the patched XML (~70 ms of a 120 ms document). Both depend
# only on their input text, so both are cached by that text (the patch here, the compile in
# ``render.codecache``): a changed template file is a new key, never a stale hit. The document itself
# is still loaded fresh for every render (docxtpl mutates it), and a compiled template is bound to each
# render's own sandboxed environment, so the sandbox and the limits apply exactly as before; a first
# compile still happens inside ``bounded()``.

_PATCHED = Lru()
_DOCXTPL = getattr(docxtpl, "__version__", "")  # the patch's rules are docxtpl's


def patched_xml(src_xml: str) -> str:
    """``DocxTemplate.patch_xml(src_xml)``, computed once per distinct XML (it uses no state), and
    kept across runs in the private disk cache (``render.diskcache``)."""
    def patch() -> bytes:
        return DocxTemplate.patch_xml(None, src_xml).encode("utf-8", "surrogatepass")  # type: ignore[arg-type]

    return _PATCHED.get_or(src_xml, lambda: diskcache.cached(
        "xml", diskcache.key(_DOCXTPL, src_xml), patch).decode("utf-8", "surrogatepass"))


class _Rows:
    """Each table row's number and text, worked out once per row (not once per paragraph in it)."""

    def __init__(self) -> None:
        self._rows: dict[Any, tuple[int, str]] = {}

    def of(self, tr: Any, tbl: Any) -> tuple[int, str]:
        if tr not in self._rows:
            for n, row in enumerate(tbl.findall(qn("w:tr")), start=1):
                self._rows[row] = (n, "".join(row.itertext()))
        return self._rows.get(tr, (0, ""))


def _cell_location(p: Any, tables: dict[Any, int], rows: _Rows) -> tuple[str, str] | None:
    tc = next(p.iterancestors(qn("w:tc")), None)
    if tc is None:
        return None
    tr = tc.getparent()
    tbl = next(tc.iterancestors(qn("w:tbl")))
    row, row_text = rows.of(tr, tbl) if tr.tag == qn("w:tr") else (0, "")
    col = 1
    for sibling in tr.findall(qn("w:tc")):
        if sibling is tc:
            break
        span = sibling.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
        col += int(span.get(qn("w:val"), "1")) if span is not None else 1
    return f"表 {tables[tbl]} 第 {row} 行第 {col} 列", row_text


def _paragraph_text(p: Any) -> str:
    # Only this paragraph's runs, not those of a text box nested inside it.
    return "".join(t.text or "" for t in p.iter(qn("w:t")) if next(t.iterancestors(qn("w:p")), None) is p)


def _mark(root: Any, kind: str) -> list[Paragraph]:
    """Number every <w:p> under root with the marker attribute; describe each one."""
    tables = {tbl: i for i, tbl in enumerate(root.iter(qn("w:tbl")), start=1)}
    prefix = "" if kind == "正文" else kind + " "
    paragraphs: list[Paragraph] = []
    body_count = 0
    rows = _Rows()
    for p in root.iter(qn("w:p")):
        text = _paragraph_text(p)
        cell = _cell_location(p, tables, rows)
        if cell is None:
            body_count += 1
            par = Paragraph(f"{prefix}第 {body_count} 段", text)
        else:
            par = Paragraph(prefix + cell[0], text, cell[1])
        p.set(_MARK, str(len(paragraphs)))
        paragraphs.append(par)
    return paragraphs


def _part(tpl: DocxTemplate, kind: str, partname: str, root: Any) -> TemplatePart:
    paragraphs = _mark(root, kind)
    source = tpl.patch_xml(tpl.xml_to_string(root))
    source = _LINE_SPLIT.sub(r"\n<w:p\1", source)  # same as DocxTemplate.render_xml_part
    line_para: list[int | None] = []
    last: int | None = None
    for line in source.splitlines():
        m = _MARK_RE.search(line)
        if m:
            last = int(m.group(1))
        line_para.append(last)
    # Strip the markers so what is analysed is byte-for-byte what docxtpl renders.
    source = re.sub(" " + _MARK_RE.pattern, "", source)
    return TemplatePart(kind, partname, source, paragraphs, line_para)


def template_parts(path: Path) -> list[TemplatePart]:
    """Body, headers, footers and footnotes of a template, each as docxtpl will render it.
    Worked out once per process for each file content (format check reads a template several times)."""
    try:
        key = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return _template_parts(path)  # open_template names the problem
    return _PARTS.get_or(key, lambda: _template_parts(path))


_PARTS = Lru()


def _template_parts(path: Path) -> list[TemplatePart]:
    tpl = open_template(path)
    docx = tpl.docx
    body = copy.deepcopy(docx._element.body)  # the loaded document stays unmarked
    parts = [_part(tpl, "正文", str(docx.part.partname), body)]
    for rel in docx.part.rels.values():
        kind = PART_KINDS.get(rel.reltype)
        if kind and not rel.is_external and rel.target_part.blob:
            root = parse_xml(rel.target_part.blob)
            parts.append(_part(tpl, kind, str(rel.target_part.partname), root))
    for part in docx.part.package.parts:
        if part.content_type == FOOTNOTES_TYPE and part.blob:
            parts.append(_part(tpl, "脚注", str(part.partname), etree.fromstring(part.blob)))
    return parts


# ---- Jinja syntax errors in plain Chinese ---------------------------------------------------

_BLOCKS = {"for", "if", "macro", "call", "filter", "with", "raw", "autoescape", "block"}


def _unclosed_block_line(env: Environment, source: str, block: str) -> int | None:
    """The line of the innermost still-open ``{% block %}`` (for "Unexpected end of template")."""
    stack: list[tuple[str, int]] = []
    expect_name = False
    try:
        for lineno, kind, value in env.lex(source):
            if kind == "block_begin":
                expect_name = True
                continue
            if kind == "whitespace":
                continue
            if expect_name and kind == "name":
                if value in _BLOCKS:
                    stack.append((value, lineno))
                elif value.startswith("end") and stack and stack[-1][0] == value[3:]:
                    stack.pop()
            expect_name = False
    except TemplateSyntaxError:
        pass
    for name, lineno in reversed(stack):
        if name == block:
            return lineno
    return None


def syntax_message(exc: TemplateSyntaxError) -> str:
    msg = exc.message or str(exc)
    if m := re.search(r"unexpected char '(.)'", msg):
        char = m.group(1)
        hint = "（中文输入法输入的全角字符，请改为半角）" if ord(char) > 127 else ""
        return f"标签中有不能识别的字符 “{char}”{hint}"
    if msg.startswith("Unexpected end of template"):
        if m := re.search(r"innermost block that needs to be closed is '(\w+)'", msg):
            block = m.group(1)
            return f"{{% {block} %}} 标签没有对应的 {{% end{block} %}}"
        return "模板意外结束：有标签没有结束"
    if m := re.search(r"Encountered unknown tag '(\w+)'", msg):
        text = f"未知的标签 {{% {m.group(1)} %}}"
        if "looking for the following tags:" in msg:
            want = re.findall(r"'(\w+)'", msg.split("looking for the following tags:")[1])
            text += "（此处应为 " + " 或 ".join(f"{{% {w} %}}" for w in want[:2]) + "）"
        return text
    if m := re.search(r"No (filter|test) named '(.+?)'", msg):
        return f"未知的过滤器 |{m.group(2)}" if m.group(1) == "filter" else f"未知的测试 is {m.group(2)}"
    if m := re.search(r"expected token '(.+?)', got '(.+?)'", msg):
        return f"标签语法错误：此处应为 “{m.group(1)}”，实际是 “{m.group(2)}”"
    return f"模板语法错误：{msg}"


def syntax_finding(exc: TemplateSyntaxError, part: TemplatePart, env: Environment, where: str) -> Finding:
    message = syntax_message(exc)
    lineno = exc.lineno
    if (m := re.search(r"innermost block that needs to be closed is '(\w+)'", exc.message or "")) and (
        line := _unclosed_block_line(env, part.source, m.group(1))
    ):
        lineno = line
    loc, _ = part.locate(lineno)
    text = part.line_text(lineno) if lineno else ""
    return Finding(f"{message}（“{snippet(text)}”）" if text.strip() else message, where, loc, code="T410")
