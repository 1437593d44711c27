"""Imports go one way: each module imports only from its own layer or the layers below it (lazy
imports inside functions count too), and no two modules import each other, directly or round a loop.

The layers, lowest first, are the project's architecture in one list; a module not listed fails the
test, so a new module is placed on purpose."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# prefixes (a package covers its modules), lowest layer first
LAYERS: list[tuple[str, ...]] = [
    ("errors", "numbers", "cells", "yamlfile", "validation", "interrupts", "quick_exit"),  # findings, the cell grammar, YAML; Ctrl-C held back
    ("model",),  # the report's declaration and every derived figure
    ("render", "render.filters", "render.limits", "render.env", "render.codecache", "render.source", "render.paths", "render.merge",
     "docstyle"),  # the sandbox and number formats; docstyle: template building blocks
    ("filenames", "outputs", "render.pagination", "render.docx", "plausibility", "checks", "questionnaire",
     "scoring", "lint"),  # what is computed from a report, and writing files
    ("workbook",),  # the workbook: schema, reading, assembling the model, writing blank ones
    ("formats",),  # format folders and the sheets they add
    ("pipeline", "pdf", "office", "summary", "formats.check"),  # one workbook, end to end; office: LibreOffice runs
    ("carry", "importer", "batch", "county_summary", "progress"),  # many workbooks: next year's, a county's, the 决算 tables
    ("cli", "serve"),
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in (SRC / "reportgen").rglob("*.py")}


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The reportgen modules ``path`` imports (``from pkg import submodule`` names the submodule)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("reportgen"):
            subs = {f"{node.module}.{a.name}" for a in node.names} & modules
            found |= subs or {node.module}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("reportgen.")}
    return found - {"reportgen"}


def _layer(module: str) -> int | None:
    short = module.removeprefix("reportgen.")
    best = None
    for n, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (short == prefix or short.startswith(prefix + ".")) and (best is None or len(prefix) > best[1]):
                best = (n, len(prefix))
    return best[0] if best else None


def test_every_module_has_a_layer_and_imports_only_downwards() -> None:
    modules = _modules()
    unplaced = sorted(m for m in modules if m != "reportgen" and _layer(m) is None)
    assert not unplaced, f"modules missing from LAYERS: {unplaced}"
    upward = []
    for name, path in modules.items():
        for target in _imports(path, set(modules)):
            if name != "reportgen" and (_layer(target) or 0) > (_layer(name) or 0):
                upward.append(f"{name} -> {target}")
    assert not upward, "imports from a higher layer:\n" + "\n".join(sorted(upward))


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {name: _imports(path, set(modules)) & set(modules) for name, path in modules.items()}
    state: dict[str, int] = {}  # 1 visiting, 2 done
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if target == node or target == "reportgen":
                continue
            if state.get(target) == 1:
                cycles.append(trail[trail.index(target):] + [target])
            elif target not in state:
                visit(target, trail + [target])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_model_reads_no_workbook() -> None:
    """model/ is the declaration: it knows nothing of sheets being read (workbook.assemble builds it)."""
    modules = _modules()
    for name, path in modules.items():
        if name.startswith("reportgen.model"):
            assert all(_layer(t) in (0, 1) for t in _imports(path, set(modules))), name
