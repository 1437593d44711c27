"""Reading a format's YAML files (format.yaml, scoring.yaml …) safely, keeping line numbers.

Contract:

* ``read_yaml(path)`` returns the plain data; ``load_yaml(path)`` returns it with ``LineMarks``:
  the 1-based line of every mapping key and sequence item, keyed by its path of keys and
  indexes (``("levels", 0, "groups", 1, "weight")``). ``LineMarks.line(loc)`` answers for the
  nearest recorded ancestor, so a missing key points at the mapping that lacks it.
* Refused, as findings naming the file (and line when known): a file over ``YAML_MAX_BYTES``,
  nesting deeper than ``YAML_MAX_DEPTH``, a YAML syntax error, an alias (``*name``; they can nest
  into a "billion laughs"), a key written twice in one mapping (the later one would silently win),
  text that is not UTF-8.
* This module imports nothing from formats/scoring/questionnaire: they all read through it.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reportgen.errors import Finding, ReportgenError

Loc = tuple[str | int, ...]

YAML_MAX_BYTES = 1024 * 1024  # a scoring system is some 20 KB
YAML_MAX_DEPTH = 64  # levels of nesting; a scoring system uses about 8 (building the data recurses per level)


# libyaml's loader when PyYAML was built with it (the wheels are): some 6× faster than the pure-Python one
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ALIAS_REFUSED = "不支持 YAML 别名（*引用），请直接写出内容"


class _TooDeep(yaml.composer.ComposerError):
    def __init__(self, line: int):
        super().__init__(None, None, f"嵌套超过 {YAML_MAX_DEPTH} 层，不像是格式声明", None)
        self.line = line


class _AliasRefused(yaml.composer.ComposerError):
    """An alias (``*name``): references can nest into a "billion laughs" structure that is small on
    disk and endless to walk once constructed, and no format needs them."""

    def __init__(self, text: str):
        mark = next((token.start_mark for token in yaml.scan(text, Loader=_Loader)
                     if isinstance(token, yaml.AliasToken)), None)
        super().__init__(None, None, ALIAS_REFUSED, mark)


@dataclass(frozen=True)
class LineMarks:
    """Start line (1-based) of each mapping key and sequence item, by path; empty when unknown
    (data that did not come from a file)."""

    lines: Mapping[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc = ()) -> int | None:
        """The line of ``loc``, or of its nearest recorded ancestor."""
        parts = tuple(loc)
        for end in range(len(parts), -1, -1):
            line = self.lines.get(parts[:end])
            if line is not None:
                return line
        return None

    def where(self, name: str, loc: Loc = ()) -> str:
        """``scoring.yaml:42`` (``name`` alone when the line is unknown)."""
        line = self.line(loc)
        return f"{name}:{line}" if line is not None else name


@dataclass(frozen=True)
class YamlDoc:
    """A YAML file's data and where each part of it was written."""

    path: Path
    data: Any
    marks: LineMarks = field(default_factory=LineMarks)

    def where(self, loc: Loc = ()) -> str:
        return self.marks.where(str(self.path), loc)


def _marks(root: Node | None) -> tuple[dict[Loc, int], list[tuple[Loc, int, int]]] | None:
    """Lines by path, and every key written twice in a mapping as (path, first line, again).
    Iterative: the depth of the tree is whatever the file says. A node met twice is an alias (the
    composer hands the anchored node out again): None, for the caller to refuse, before anything
    walks the structure it can multiply. Nesting beyond ``YAML_MAX_DEPTH`` raises ``_TooDeep``."""
    lines: dict[Loc, int] = {}
    twice: list[tuple[Loc, int, int]] = []
    if root is None:
        return lines, twice
    lines[()] = root.start_mark.line + 1
    stack: list[tuple[Loc, Node]] = [((), root)]
    met: set[int] = set()
    while stack:
        loc, node = stack.pop()
        if id(node) in met:
            return None
        met.add(id(node))
        if len(loc) > YAML_MAX_DEPTH:
            raise _TooDeep(node.start_mark.line + 1)
        if isinstance(node, MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    continue
                key, line = key_node.value, key_node.start_mark.line + 1
                if key in seen and key != "<<":
                    twice.append((loc + (key,), seen[key], line))
                else:
                    seen[key] = line
                    lines[loc + (key,)] = line
                stack.append((loc + (key,), value_node))
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                lines[loc + (i,)] = item.start_mark.line + 1
                stack.append((loc + (i,), item))
    return lines, twice


def load_yaml(path: Path) -> YamlDoc:
    """A format file as data with line marks; every problem a finding naming the file.

    Parsed once per process for each text; every caller gets its own copy of the data."""
    where = str(path)
    try:
        if path.stat().st_size > YAML_MAX_BYTES:
            raise ReportgenError(Finding(f"文件超过 {YAML_MAX_BYTES // 1024} KB，不像是格式声明，不予处理", where,
                                         code="Y002"))
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ReportgenError(Finding("文件不存在", where, code="Y001")) from exc
    except UnicodeDecodeError as exc:
        raise ReportgenError(Finding("文件不是 UTF-8 编码", where, code="Y005")) from exc
    try:
        data, lines, twice = _parsed(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f"{where}:{mark.line + 1}" if mark else where
        if isinstance(exc, _TooDeep):
            raise ReportgenError(Finding(str(exc.problem), f"{where}:{exc.line}", code="Y008")) from exc
        code = "Y004" if isinstance(exc, _AliasRefused) else "Y003"
        raise ReportgenError(Finding(f"YAML 格式错误: {getattr(exc, 'problem', exc)}", at, code=code)) from exc
    if twice:
        raise ReportgenError([
            Finding(f"键“{loc[-1]}”在同一层写了两次（第 {first} 行已有），后写的会覆盖先写的", f"{where}:{again}",
                    code="Y007")
            for loc, first, again in sorted(twice, key=lambda t: t[2])])
    return YamlDoc(path, copy.deepcopy(data), LineMarks(lines))


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> tuple[Any, dict[Loc, int], list[tuple[Loc, int, int]]]:
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        marks = _marks(root)  # before constructing: merge keys (<<) rewrite the nodes
        if marks is None:
            raise _AliasRefused(text)
        data = loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()
    return data, *marks


def read_yaml(path: Path) -> Any:
    """A format file (format.yaml, scoring.yaml …) as plain data; every problem a finding naming it."""
    return load_yaml(path).data


def not_a_mapping(doc: YamlDoc, what: str) -> ReportgenError | None:
    """The error to raise when a file's top level is not a mapping (``what``: 声明文件、问卷定义 …)."""
    if isinstance(doc.data, dict):
        return None
    return ReportgenError(Finding(f"{what}应为键值结构（YAML 映射）", doc.where(), code="Y006"))
