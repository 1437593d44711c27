"""Static checks for template authors (``reportgen format check``).

Looks at a .docx template the way docxtpl will render it and reports, with the paragraph or
table cell: Jinja syntax errors, tags Word broke (split or full-width braces, curly quotes,
full-width punctuation from the Chinese IME), docxtpl row/paragraph tags that would delete
other text, sandbox-refused attributes, and variables the model does not have (with the
closest real name).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from pathlib import Path

from jinja2 import Environment, TemplateSyntaxError, nodes

from reportgen.errors import Finding, ReportgenError
from reportgen.render.env import make_env, parsed
from reportgen.render.paths import VarRef, unsafe_attributes, variable_refs
from reportgen.render.source import (
    JINJA_TAG,
    Paragraph,
    TemplatePart,
    snippet,
    syntax_finding,
    template_parts,
)

Known = Callable[[str], bool] | AbstractSet[str]

_FULLWIDTH_BRACES = re.compile(r"[{｛][{｛%％#]|[}｝%％#][}｝]")
_SPACED_BRACES = re.compile(r"\{[ \t\u3000]+[{%#]|[}%#][ \t\u3000]+\}")
_DELIMITERS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_PAIRS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_SMART_QUOTES = "“”‘’"
_STRING_LITERAL = re.compile(r'"[^"]*"|\'[^\']*\'|“[^”]*”|‘[^’]*’')
_HALF_WIDTH = {
    "，": ",",
    "（": "(",
    "）": ")",
    "：": ":",
    "；": ";",
    "＝": "=",
    "！": "!",
    "＜": "<",
    "＞": ">",
    "｜": "|",
    "［": "[",
    "］": "]",
    "。": ".",
    "．": ".",
    "＋": "+",
    "－": "-",
    "＊": "*",
    "／": "/",
    "～": "~",
}
_ROW_TAG = re.compile(r"\{%-?\s*tr\s|\{\{\s*tr\s")
_PARA_TAG = re.compile(r"\{%-?\s*p\s|\{\{\s*p\s")


def check_template(path: Path, known: Known, suggestions: Iterable[str] = ()) -> list[Finding]:
    """Everything wrong with one template, as findings (empty list: the template is fine).

    ``known(path)`` (or ``path in known``) says whether a dotted path such as ``unit.name`` or
    ``expenditure.total.basic`` exists in the model. ``suggestions`` (and ``known`` itself when
    it is a set) are the real names offered for a typo. Loop variables are checked only when the
    names describe list items (``income.rows[].org``); otherwise they are skipped.
    """
    path = Path(path)
    where = path.name
    try:
        parts = template_parts(path)
    except ReportgenError as exc:
        return exc.findings
    env = make_env()
    names = set(suggestions) | (set(known) if isinstance(known, AbstractSet) else set())
    test: Callable[[str], bool] = known.__contains__ if isinstance(known, AbstractSet) else known

    def is_known(name: str) -> bool:
        return name in names or bool(test(name))  # suggestions are real names too

    findings: list[Finding] = []
    refs: list[tuple[TemplatePart, VarRef]] = []
    for part in parts:
        paragraph_findings = [f for par in part.paragraphs for f in _paragraph_findings(par, where)]
        findings += paragraph_findings
        try:
            ast = parsed(part.source)
        except TemplateSyntaxError as exc:
            finding = syntax_finding(exc, part, env, where)
            # A broken tag already reported for that paragraph is the cause; say it once.
            if not any(f.is_error and f.field == finding.field for f in paragraph_findings):
                findings.append(finding)
            continue
        findings += _ast_findings(ast, part, where, env)
        refs += [(part, ref) for ref in variable_refs(ast, env.globals)]
    findings += _variable_findings(refs, is_known, names, where)
    return findings


# ---- (b)/(c): what Word did to the tags ----------------------------------------------------


def _paragraph_findings(par: Paragraph, where: str) -> list[Finding]:
    text = par.text
    if not any(c in text for c in "{}｛｝"):
        return []
    found: list[Finding] = []

    def add(code: str, message: str, severity: str = "error") -> None:
        found.append(Finding(f"{message}（“{snippet(text)}”）", where, par.loc, severity, code))  # type: ignore[arg-type]

    wide_brace = next((m.group() for m in _FULLWIDTH_BRACES.finditer(text) if not m.group().isascii()), None)
    if wide_brace:
        add("T411", f"标签的括号或百分号是全角字符 “{wide_brace}”（中文输入法），请改为半角 {{{{ }}}} 或 {{% %}}")
    if m := _SPACED_BRACES.search(text):
        add("T412", f"标签的括号之间有空格 “{m.group()}”，请连写为 “{{{{”“}}}}”“{{%”“%}}”")
    # One cause, one finding: spaced or full-width braces also leave the delimiters unbalanced.
    if not found and (problem := _unbalanced(text)):
        add("T413", problem)
    for tag in JINJA_TAG.findall(text):
        quotes = "".join(dict.fromkeys(c for c in tag if c in _SMART_QUOTES))
        if quotes:
            add(
                "T414",
                f"标签中有中文弯引号 {quotes}（Word 自动更正所致），docxtpl 会替换成英文引号，"
                "但字符串中本想保留的弯引号也会被换掉；建议改为英文引号 \" '",
                "warning",
            )
        bare = _STRING_LITERAL.sub("", tag)
        wide = "".join(dict.fromkeys(c for c in bare if c in _HALF_WIDTH))
        if wide:
            half = " ".join(_HALF_WIDTH[c] for c in wide)
            add("T415", f"标签中有全角字符 “{wide}”（中文输入法），请改为半角 “{half}”")
    if _PARA_TAG.search(text) and JINJA_TAG.sub("", text).strip():
        add("T416", "{%p %} 标签会用整段替换，本段的其他文字会被删除；请把标签单独放一段", "warning")
    if _ROW_TAG.search(text) and JINJA_TAG.sub("", par.row_text).strip():
        add("T417", "{%tr %} 标签会用整行替换，本行其他单元格的文字会被删除；请把标签单独放一行", "warning")
    return found


def _unbalanced(text: str) -> str | None:
    """A tag opened and not closed in this paragraph, or closed without being opened.

    docxtpl joins a tag split across paragraphs by deleting the paragraph break between them,
    which silently merges the paragraphs; Word authors need to hear about it.
    """
    open_tag: str | None = None
    for m in _DELIMITERS.finditer(text):
        token = m.group()
        if token in _PAIRS:
            if open_tag is not None:
                return f"标签 “{open_tag}” 没有结束（缺少 “{_PAIRS[open_tag]}”）就开始了下一个标签"
            open_tag = token
        elif open_tag is None:
            opener = next(k for k, v in _PAIRS.items() if v == token)
            return f"多余的 “{token}”：前面没有对应的 “{opener}”（标签可能被回车拆成了两段）"
        elif _PAIRS[open_tag] != token:
            return f"标签 “{open_tag} … {token}” 的括号不配对，应以 “{_PAIRS[open_tag]}” 结束"
        else:
            open_tag = None
    if open_tag is not None:
        return f"标签 “{open_tag}” 在本段内没有结束（缺少 “{_PAIRS[open_tag]}”，或被回车拆成了两段）"
    return None


# ---- sandbox and file access ----------------------------------------------------------------


def _ast_findings(ast: nodes.Template, part: TemplatePart, where: str, env: Environment) -> list[Finding]:
    found = []
    # Parsing accepts any filter name; only compiling (i.e. rendering) would reject it.
    for node in ast.find_all((nodes.Filter, nodes.Test)):
        is_filter = isinstance(node, nodes.Filter)
        registry = env.filters if is_filter else env.tests
        if node.name in registry:
            continue
        loc, text = part.locate(node.lineno, node.name)
        message = f"未知的过滤器 |{node.name}" if is_filter else f"未知的测试 is {node.name}"
        if close := difflib.get_close_matches(node.name, list(registry), n=1, cutoff=0.6):
            message += f"，是否想用 {close[0]}？"
        found.append(Finding(f"{message}（“{snippet(text)}”）", where, loc, code="T420"))
    for attr, lineno in unsafe_attributes(ast):
        loc, text = part.locate(lineno, attr)
        found.append(
            Finding(f"模板试图访问不允许的内部属性 {attr}，渲染时会被拒绝（“{snippet(text)}”）", where, loc,
                    code="T421")
        )
    for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        loc, text = part.locate(node.lineno)
        found.append(
            Finding(f"模板不能引用其他文件（include/import/extends）（“{snippet(text)}”）", where, loc,
                    code="T422")
        )
    return found


# ---- (d): variables the model does not have --------------------------------------------------


def _checkable(path: str, names: set[str]) -> bool:
    """A path through a list item is checked only when the names describe that list's items."""
    if "[]" not in path:
        return True
    items = path[: path.rindex("[]") + 2] + "."
    return any(n.startswith(items) for n in names)


def _has_children(path: str, names: set[str]) -> bool:
    return any(n.startswith(path + ".") or n.startswith(path + "[]") for n in names)


def _known_prefix(ref: VarRef, is_known: Callable[[str], bool]) -> str | None:
    for length in range(len(ref.segments) - 1, -1, -1):
        prefix = ref.prefix(length).model_path
        if prefix is not None and (is_known(prefix) or (ref.local and length == 0)):
            return prefix
    return None


def suggest(path: str, names: Iterable[str]) -> str | None:
    """The closest real name: first among siblings (``unit.nmae`` -> ``unit.name``), then anywhere."""
    pool = [n for n in names if ("[]" in n) == ("[]" in path)]
    parent = path.rpartition(".")[0]
    siblings = [n for n in pool if n.rpartition(".")[0] == parent]
    for group in (siblings, pool):
        if match := difflib.get_close_matches(path, group, n=1, cutoff=0.6):
            return match[0]
    return None


def _variable_findings(
    refs: list[tuple[TemplatePart, VarRef]], is_known: Callable[[str], bool], names: set[str], where: str
) -> list[Finding]:
    seen: dict[str, list[tuple[TemplatePart, VarRef]]] = {}
    for part, ref in refs:
        path = ref.model_path
        if path is None or (ref.local and not ref.segments) or not _checkable(path, names):
            continue
        if any(str(seg).startswith("_") for seg in ref.segments):
            continue  # reported as a sandbox violation
        if not is_known(path):
            seen.setdefault(ref.text if not ref.local else f"{ref.text}\0{path}", []).append((part, ref))

    found: list[Finding] = []
    # Paths under a leaf the variable list cannot see into (a dict, a date: unit.fill_date.year),
    # one warning per leaf rather than per attribute.
    opaque: dict[str, tuple[Finding, list[str]]] = {}
    for uses in seen.values():
        part, ref = uses[0]
        path = ref.model_path or ref.text
        loc, text = part.locate(ref.lineno, ref.text)
        name = ref.text
        if ref.local and ref.alias:
            name += f"（{ref.root} 为 {ref.alias.removesuffix('[]')}{' 中的一项' if ref.alias.endswith('[]') else ''}）"
        prefix = _known_prefix(ref, is_known)
        count = f"（共 {len(uses)} 处）" if len(uses) > 1 else ""
        tail = f"（“{snippet(text)}”）" if text else ""
        if prefix is not None and names and not _has_children(prefix, names):
            shown = ref.root + prefix[len(ref.alias) :] if ref.local and ref.alias else prefix
            first, listed = opaque.setdefault(shown, (Finding(tail, where, loc, "warning", "T431"), []))
            listed.append(ref.text)
            continue
        message = f"未知的变量 {name}{count}"
        if hint := suggest(path, names):
            if ref.local and ref.alias and hint.startswith(ref.alias):
                hint = ref.root + hint[len(ref.alias) :]
            message += f"，是否想用 {hint}？"
        found.append(Finding(message + tail, where, loc, "warning" if ref.guarded else "error", "T430"))
    for shown, (first, listed) in opaque.items():
        message = f"无法确认变量 {'、'.join(listed)} 是否存在：变量说明中没有 {shown} 的下级项{first.message}"
        found.append(Finding(message, first.where, first.field, "warning", first.code))
    return found
