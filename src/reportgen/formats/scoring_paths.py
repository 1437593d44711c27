"""``format check``: the data a scoring system names must exist in the model.

A scoring rule reads figures by path (``value: staff.control_rate``, ratio parts' ``achieved`` /
``planned`` / ``rate``, the total cap's ``value``) or inside a Jinja expression or text. A typo
there (``staff.contrl_rate``) would only surface when a clerk builds; here every path that starts
at a model variable is checked against the variable reference (``reportgen format vars``), with
the closest real name offered, at the YAML line it is written on (code S235). Names the rules
provide themselves (``value``, ``points``, ``items`` …) and typed inputs (``inputs.键``) are not
model paths and are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError

from reportgen.errors import Finding
from reportgen.formats.template_check import suggest
from reportgen.render.env import make_env
from reportgen.render.paths import variable_refs
from reportgen.yamlfile import load_yaml

_PATH_KEYS = ("value", "achieved", "planned", "rate")
_TEXT_KEYS = ("calc", "text", "when")


def _strings(node: Any, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """(loc, key, text) for every path, expression or text a scoring file holds."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and key in (*_PATH_KEYS, *_TEXT_KEYS):
                yield (*loc, key), key, value
            else:
                yield from _strings(value, (*loc, key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _strings(item, (*loc, i))


def _owner(data: Any, loc: tuple[Any, ...]) -> str:
    """The name of the indicator (or level) the text belongs to, and the key: ``资金结余 value``."""
    name, node = "", data
    for part in loc[:-1]:
        node = node[part]
        if isinstance(node, dict) and isinstance(node.get("name"), str):
            name = node["name"]
    return f"{name} {loc[-1]}".strip()


def scoring_paths(path: Path) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """(place in the file, key, model path) for every data path scoring file ``path`` reads (rule
    names such as ``value`` and ``points`` included: the caller tells them from model paths)."""
    doc = load_yaml(path)
    env = make_env(autoescape=False)
    for loc, key, text in _strings(doc.data):
        source = text if key in _TEXT_KEYS and key != "when" else "{{ " + text + " }}"
        try:
            refs = variable_refs(env.parse(source), env.globals)
        except TemplateSyntaxError:
            continue  # the loader reports syntax (S223)
        for ref in refs:
            if not ref.local and not ref.guarded and (model_path := ref.model_path) is not None:
                yield loc, key, model_path


def scoring_path_findings(path: Path, known: set[str], suggestions: set[str]) -> list[Finding]:
    """Every model path in scoring file ``path`` that the model does not have."""
    doc = load_yaml(path)
    roots = {name.split(".")[0].split("[")[0] for name in known} - {"inputs"}  # inputs: typed, by key
    findings: list[Finding] = []
    for loc, _, model_path in scoring_paths(path):
        if model_path.split(".")[0].split("[")[0] not in roots:
            continue
        if model_path in known or model_path in suggestions:
            continue
        hint = suggest(model_path, suggestions)
        message = f"评分规则用到的数据“{model_path}”不存在" + (f"，是否想用 {hint}？" if hint else "（见 reportgen format vars）")
        findings.append(Finding(message, doc.where(loc), _owner(doc.data, loc), code="S235"))
    return findings
