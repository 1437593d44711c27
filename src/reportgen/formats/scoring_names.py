"""``format check``: a template that picks a scoring part by name must name one that exists.

The current-2021 自评表 prints the 预算执行率 row with ``{% for g in score.levels if g.name ==
'预算执行率' %}``. Renaming that part in scoring.yaml used to leave the tag matching nothing: blank
分值/得分 cells and "检查通过". Here every ``x.name == '…'`` / ``!=`` / ``in [...]`` comparison on a
loop over ``score.levels`` (一级) or its ``groups`` (二级) — and the same for ``project_score`` —
is checked against the names the scoring system declares (code T432, with the paragraph).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import TemplateSyntaxError, nodes

from reportgen.errors import Finding, ReportgenError
from reportgen.render.env import parsed
from reportgen.render.source import snippet, template_parts

Names = dict[str, set[str]]  # "score.levels" / "score.groups" / "project_score.levels" … -> declared names


def _kind(iterable: nodes.Node, loops: dict[str, str]) -> str | None:
    """What a loop walks: ``score.levels``, ``score.groups`` (a level's groups), or None."""
    while isinstance(iterable, nodes.Filter) and iterable.node is not None:  # |selectattr … keep the items
        iterable = iterable.node
    if not isinstance(iterable, nodes.Getattr) or not isinstance(iterable.node, nodes.Name):
        return None
    base, attr = iterable.node.name, iterable.attr
    if base in ("score", "project_score") and attr == "levels":
        return f"{base}.levels"
    if attr == "groups" and base in loops and loops[base].endswith(".levels"):
        return loops[base].replace(".levels", ".groups")
    return None


def _named(compare: nodes.Compare, loops: dict[str, str]) -> list[tuple[str, str]]:
    """(loop kind, name) for ``g.name == 'X'`` / ``'X' == g.name`` / ``g.name in ['X', 'Y']``."""
    found: list[tuple[str, str]] = []
    sides = [compare.expr, *(op.expr for op in compare.ops)]
    for i, side in enumerate(sides):
        if not (isinstance(side, nodes.Getattr) and side.attr == "name" and isinstance(side.node, nodes.Name)
                and side.node.name in loops):
            continue
        for other in sides[:i] + sides[i + 1:]:
            values = other.items if isinstance(other, nodes.List | nodes.Tuple) else [other]
            found += [(loops[side.node.name], v.value) for v in values
                      if isinstance(v, nodes.Const) and isinstance(v.value, str)]
    return found


def _walk(node: nodes.Node, loops: dict[str, str], found: list[tuple[int, str, str]]) -> None:
    if isinstance(node, nodes.For):
        kind = _kind(node.iter, loops)
        inner = dict(loops)
        if kind and isinstance(node.target, nodes.Name):
            inner[node.target.name] = kind
        for child in ([node.test] if node.test is not None else []) + list(node.body):
            _walk(child, inner, found)
        for child in node.else_:
            _walk(child, loops, found)
        _walk(node.iter, loops, found)
        return
    if isinstance(node, nodes.Compare):
        found += [(node.lineno, kind, name) for kind, name in _named(node, loops)]
    for child in node.iter_child_nodes():
        _walk(child, loops, found)


def part_name_findings(template: Path, names: Names) -> list[Finding]:
    """Every scoring part a template names that the format's scoring does not declare."""
    findings: list[Finding] = []
    try:
        parts = template_parts(template)
    except ReportgenError:
        return []  # an unreadable template is reported by the template check (T401–T403)
    for part in parts:
        try:
            ast = parsed(part.source)
        except TemplateSyntaxError:
            continue  # reported by the template check (T410)
        found: list[tuple[int, str, str]] = []
        _walk(ast, {}, found)
        for lineno, kind, name in found:
            declared = names.get(kind)
            if declared is None or name in declared:
                continue
            level = "一级指标" if kind.endswith(".levels") else "二级指标"
            where, text = part.locate(lineno, name)
            choices = "、".join(sorted(declared)) or "（无）"
            findings.append(Finding(f"模板按名称选取评分{level}“{name}”，但评分体系中没有这一项（现有：{choices}）"
                                    f"（“{snippet(text)}”）", template.name, where, code="T432"))
    return findings
