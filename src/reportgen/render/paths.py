"""Dotted variable paths a Jinja template reads, found by walking its AST.

``{{ expenditure.total.basic|wan }}`` reads ``expenditure.total.basic``. Local names (loop
variables, ``{% set %}``, macro arguments) are not model variables; when a local name stands for
something with a model path (``{% for r in income.rows %}`` -> ``r`` is ``income.rows[]``), the
reference carries that path as ``alias`` so ``r.org`` can be checked as ``income.rows[].org``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jinja2 import nodes

Segment = str | int
# Filters that keep the items of a list, so a loop over their result still walks model items.
_ITEM_PRESERVING = {"sort", "selectattr", "rejectattr", "reverse", "unique", "list", "batch", "slice"}
_GUARDS = {"defined", "undefined"}


@dataclass(frozen=True)
class VarRef:
    root: str
    segments: tuple[Segment, ...]
    lineno: int
    local: bool = False  # root is a loop variable / set / macro argument
    alias: str | None = None  # model path a local root stands for (``income.rows[]``)
    guarded: bool = False  # under ``is defined`` / ``|default``: a miss is tolerated at render

    @property
    def text(self) -> str:
        """As written: ``unit.name``, ``goals[0].name``."""
        return join_path((self.root, *self.segments), indexes=True)

    @property
    def model_path(self) -> str | None:
        """The model path to check against the variable list, or None when it is unknowable."""
        if not self.local:
            return join_path((self.root, *self.segments))
        if self.alias is None:
            return None
        return join_path((self.alias, *self.segments))

    def prefix(self, length: int) -> VarRef:
        """The reference cut after ``length`` segments (0: just the root)."""
        return VarRef(self.root, self.segments[:length], self.lineno, self.local, self.alias, self.guarded)


def join_path(parts: Iterable[Segment], *, indexes: bool = False) -> str:
    """``('goals', 0, 'name')`` -> ``goals[].name`` (``goals[0].name`` with indexes=True)."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]" if indexes else "[]"
        else:
            out += f".{part}" if out else part
    return out


def _chain(node: nodes.Node) -> tuple[nodes.Node, list[Segment], list[nodes.Node]]:
    """Peel Getattr/Getitem off node: (base, segments after base, dynamic subscripts to visit)."""
    segments: list[Segment] = []
    dynamic: list[nodes.Node] = []
    while True:
        if isinstance(node, nodes.Getattr):
            segments.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem):
            arg = node.arg
            if (
                isinstance(arg, nodes.Const)
                and isinstance(arg.value, str | int)
                and not isinstance(arg.value, bool)
            ):
                segments.append(arg.value)
            else:  # a[x].b: only ``a`` is a knowable path
                dynamic.append(arg)
                segments.clear()
            node = node.node
        else:
            break
    segments.reverse()
    return node, segments, dynamic


class _Walker:
    def __init__(self, ignore: Iterable[str]):
        self.ignore = set(ignore)
        self.refs: list[VarRef] = []

    def path_of(self, node: nodes.Node, scope: dict[str, str | None]) -> str | None:
        """The model path an expression denotes, if it is a plain chain (for loop/set aliases)."""
        if isinstance(node, nodes.Filter) and node.name in _ITEM_PRESERVING and node.node is not None:
            return self.path_of(node.node, scope)
        base, segments, dynamic = _chain(node)
        if dynamic or not isinstance(base, nodes.Name):
            return None
        if base.name in scope:
            alias = scope[base.name]
            return None if alias is None else join_path((alias, *segments))
        if base.name in self.ignore:
            return None
        return join_path((base.name, *segments))

    def bind(self, target: nodes.Node, scope: dict[str, str | None], alias: str | None) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = alias
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, scope, None)

    def visit(self, node: nodes.Node, scope: dict[str, str | None], guarded: bool = False) -> None:
        if isinstance(node, nodes.For):
            self.visit(node.iter, scope)
            inner = dict(scope)
            iter_path = self.path_of(node.iter, scope)
            self.bind(node.target, inner, f"{iter_path}[]" if iter_path else None)
            inner["loop"] = None
            if node.test is not None:
                self.visit(node.test, inner)
            for child in node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
        elif isinstance(node, nodes.Assign):
            self.visit(node.node, scope)
            self.bind(node.target, scope, self.path_of(node.node, scope))
        elif isinstance(node, nodes.AssignBlock):
            for child in node.body:
                self.visit(child, scope)
            self.bind(node.target, scope, None)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            if isinstance(node, nodes.Macro):
                scope[node.name] = None
            else:
                self.visit(node.call, scope)
            for default in node.defaults:
                self.visit(default, scope)
            inner = dict(scope)
            for arg in node.args:
                self.bind(arg, inner, None)
            inner.update(dict.fromkeys(("caller", "varargs", "kwargs")))
            for child in node.body:
                self.visit(child, inner)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=False):
                self.visit(value, scope)
                self.bind(target, inner, self.path_of(value, scope))
            for child in node.body:
                self.visit(child, inner)
        elif isinstance(node, nodes.Import):
            scope[node.target] = None
        elif isinstance(node, nodes.FromImport):
            for name in node.names:
                scope[name[1] if isinstance(name, tuple) else name] = None
        elif isinstance(node, nodes.Test) and node.name in _GUARDS:
            self.visit(node.node, scope, guarded=True)
            for arg in node.args:
                self.visit(arg, scope)
        elif isinstance(node, nodes.Filter) and node.name in ("default", "d"):
            if node.node is not None:
                self.visit(node.node, scope, guarded=True)
            for arg in node.args:
                self.visit(arg, scope)
        elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            # obj.method(...): the method name is not a model field
            self.visit(node.node.node, scope, guarded)
            for child in (*node.args, *node.kwargs, node.dyn_args, node.dyn_kwargs):
                if child is not None:
                    self.visit(child, scope)
        elif isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Name):
            self.chain(node, scope, guarded)
        else:
            for child in node.iter_child_nodes():
                self.visit(child, scope)

    def chain(self, node: nodes.Node, scope: dict[str, str | None], guarded: bool) -> None:
        base, segments, dynamic = _chain(node)
        for sub in dynamic:
            self.visit(sub, scope)
        if not isinstance(base, nodes.Name):
            self.visit(base, scope)
            return
        if base.ctx != "load":
            return
        name = base.name
        if name in scope:
            self.refs.append(VarRef(name, tuple(segments), node.lineno, True, scope[name], guarded))
        elif name not in self.ignore:
            self.refs.append(VarRef(name, tuple(segments), node.lineno, guarded=guarded))


def variable_refs(ast: nodes.Template, ignore: Iterable[str] = ()) -> list[VarRef]:
    """Every variable path read by the template, in source order; ``ignore``: environment
    globals such as ``range`` and ``cycler``."""
    walker = _Walker(ignore)
    walker.visit(ast, {})
    return walker.refs


def unsafe_attributes(ast: nodes.Template) -> list[tuple[str, int]]:
    """``(attribute, line)`` for every ``x._private`` / ``x.__dunder__`` the sandbox will refuse."""
    found = [(n.attr, n.lineno) for n in ast.find_all(nodes.Getattr) if n.attr.startswith("_")]
    found += [
        (n.arg.value, n.lineno)
        for n in ast.find_all(nodes.Getitem)
        if isinstance(n.arg, nodes.Const) and isinstance(n.arg.value, str) and n.arg.value.startswith("_")
    ]
    return found
