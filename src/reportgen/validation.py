"""The one translator of pydantic validation errors into Chinese findings.

Contract:

* ``translated(exc, data)`` turns each pydantic error into a ``Problem``: its location in the
  input with pydantic's union tags removed (``rule.bands.bands.0`` -> ``rule.bands.0``; ``data``,
  the validated input, tells tags from keys), a ``kind`` (missing / unknown / type / value /
  tag) that callers map to finding codes, and a Chinese message chosen by pydantic's error
  ``type``, with the offending value when it helps. Our own validators raise Chinese messages
  already: those pass through without pydantic's "Value error, " prefix. Errors a union
  produced for one place are merged into one problem. No English pydantic text gets through:
  an error type not listed here reads ``取值不符合要求（<type>）``.
* ``field_path(loc)`` writes a location as a reader counts: ``documents[2].output`` is the
  second document (items numbered from 1).
* ``validation_findings(exc, where, data, codes=, marks=)`` makes findings of them: ``where``
  names the file (with the line from ``marks``), ``field`` is the path, ``code`` from ``codes``
  by kind. Used for format.yaml, scoring.yaml (``translated``, to keep indicator names) and
  questionnaire.yaml; meant too for the workbook fallback in ``workbook/assemble.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from reportgen.errors import Finding
from reportgen.yamlfile import LineMarks, Loc

Kind = Literal["missing", "unknown", "type", "value", "tag"]

_NUMBER = "应为数字"
_MAPPING = "应为键值结构（YAML 映射）"
_LIST = "应为列表"
_TYPE_MESSAGES = {
    "string_type": "应为文本",
    "string_unicode": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "int_parsing_size": "整数太大",
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "finite_number": _NUMBER,
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": _LIST,
    "tuple_type": _LIST,
    "set_type": _LIST,
    "iterable_type": _LIST,
    "dict_type": _MAPPING,
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "dataclass_type": _MAPPING,
    "date_type": "应为日期（如 2021-09-19）",
    "date_parsing": "应为日期（如 2021-09-19）",
    "date_from_datetime_parsing": "应为日期（如 2021-09-19）",
    "datetime_type": "应为日期时间",
    "datetime_parsing": "应为日期时间",
    "none_required": "应为空",
    "is_instance_of": "类型不对",
}
_COMPARISONS = {"greater_than": ("gt", "应大于"), "greater_than_equal": ("ge", "应不小于"),
                "less_than": ("lt", "应小于"), "less_than_equal": ("le", "应不大于"),
                "multiple_of": ("multiple_of", "应为以下数的整数倍：")}


@dataclass(frozen=True)
class Problem:
    loc: Loc  # in the input, union tags removed
    kind: Kind
    message: str  # Chinese, complete

    @property
    def path(self) -> str:
        return field_path(self.loc)


def field_path(loc: Loc) -> str:
    """``('documents', 1, 'output')`` -> ``documents[2].output`` (items counted from 1)."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part + 1}]"
        else:
            path += f".{part}" if path else str(part)
    return path


_ABSENT = object()


def _resolve(loc: tuple[Any, ...], data: Any) -> Loc:
    """``loc`` without the tags pydantic inserts for unions (``rule.bands.…``: the tag ``bands``
    of a discriminated union; ``points.decimal``: the member type of a plain union). Walks
    ``data``: a part that names no key or index there, and is not the missing last key, is a tag."""
    if data is _ABSENT:
        return tuple(loc)
    kept: list[str | int] = []
    node = data
    for n, part in enumerate(loc):
        last = n == len(loc) - 1
        if isinstance(node, dict):
            # {kind: bands, bands: [...]}: the tag "bands" is followed by the key "bands"
            tag_named_like_a_key = not last and loc[n + 1] in node and part in [
                v for v in node.values() if isinstance(v, str)]
            if part in node and not tag_named_like_a_key:
                kept.append(part)
                node = node[part]
            elif last:
                kept.append(part)  # the missing key
            continue
        if isinstance(node, list | tuple) and isinstance(part, int):
            kept.append(part)
            node = node[part] if 0 <= part < len(node) else _ABSENT
        elif node is _ABSENT or not isinstance(part, str):
            kept.append(part)
            node = _ABSENT
        # else: a str under a scalar or a list is a union member's tag
    return tuple(kept)


def _shown(value: Any) -> str:
    if value is None:
        return "空"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "键值结构"
    if isinstance(value, list | tuple):
        return "列表"
    text = f"{value:f}" if isinstance(value, Decimal) else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _choices(expected: str) -> str:
    """pydantic's ``'a', 'b' or 'c'`` as ``a、b 或 c``."""
    head, _, tail = expected.rpartition(" or ")
    items = [*head.split(", "), tail] if head else [tail]
    items = [i.strip().strip("'") for i in items]
    return "、".join(items[:-1]) + f" 或 {items[-1]}" if len(items) > 1 else items[0]


def _discriminator(error: ErrorDetails) -> str:
    return str((error.get("ctx") or {}).get("discriminator", "")).strip("'")


def _loc(error: ErrorDetails) -> tuple[Any, ...]:
    """pydantic's location; an unknown union tag is reported at the tag's key (``rule.kind``)."""
    loc = tuple(error["loc"])
    return loc + (_discriminator(error),) if error["type"] == "union_tag_invalid" else loc


def _message(error: ErrorDetails) -> tuple[Kind, str, bool]:
    """(kind, message, whether to add the actual value)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    loc = error["loc"]
    if kind == "missing":
        if loc and isinstance(loc[-1], int):
            return "missing", f"缺少第 {loc[-1] + 1} 项", False
        return "missing", "缺少必填项", False
    if kind == "extra_forbidden":
        return "unknown", "不认识的键（拼写错误？不需要的话请删除）", False
    if kind == "union_tag_not_found":
        return "tag", f"缺少 {_discriminator(error)}", False
    if kind == "union_tag_invalid":
        tags = "、".join(t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(","))
        return "tag", f"取值“{ctx.get('tag')}”不认识（可用：{tags}）", False
    if kind in _TYPE_MESSAGES:
        return "type", _TYPE_MESSAGES[kind], True
    if kind in ("literal_error", "enum"):
        return "value", f"取值应为 {_choices(str(ctx.get('expected', '')))}", True
    if kind in _COMPARISONS:
        key, text = _COMPARISONS[kind]
        return "value", f"{text}{_shown(ctx.get(key))}", True
    if kind in ("too_short", "too_long"):
        bound = ctx.get("min_length" if kind == "too_short" else "max_length")
        if kind == "too_short":
            return "value", "不能为空" if bound == 1 else f"至少需要 {bound} 项", False
        return "value", f"最多 {bound} 项，实际有 {ctx.get('actual_length')} 项", False
    if kind == "string_too_short":
        return "value", "不能为空", False
    if kind == "string_too_long":
        return "value", f"最多 {ctx.get('max_length')} 个字", False
    if kind in ("value_error", "assertion_error"):
        cause = ctx.get("error")
        text = str(cause) if cause is not None else str(error["msg"])
        return "value", text.removeprefix("Value error, ").removeprefix("Assertion failed, "), False
    if not str(error["msg"]).isascii():  # a custom error (PydanticCustomError) with our own words
        return "value", str(error["msg"]), False
    return "value", f"取值不符合要求（{kind}）", True


def _actual(error: ErrorDetails) -> str:
    return f"，实际为“{_shown(error['input'])}”" if "input" in error else ""


def translate(error: ErrorDetails, data: Any = _ABSENT) -> Problem:
    """One pydantic error as a Chinese ``Problem``; ``data`` (the validated input) lets the
    location drop union tags."""
    kind, message, with_value = _message(error)
    return Problem(_resolve(_loc(error), data), kind, message + (_actual(error) if with_value else ""))


def translated(exc: ValidationError, data: Any = _ABSENT) -> list[Problem]:
    """Every error of ``exc`` translated. A union of scalars reports one error per member for
    the same place (``取值应为 full 或 zero`` and ``应为数字``): those become one problem."""
    found: list[Problem] = []
    union: dict[Loc, tuple[int, list[str], str]] = {}  # loc -> (index in found, messages, actual)
    for error in exc.errors():
        kind, message, with_value = _message(error)
        loc = _resolve(_loc(error), data)
        actual = _actual(error) if with_value else ""
        if kind in ("type", "value") and loc in union:
            index, messages, first_actual = union[loc]
            if message not in messages:
                messages.append(message)
            found[index] = Problem(loc, found[index].kind, "；或".join(messages) + (first_actual or actual))
            continue
        if kind in ("type", "value"):
            union[loc] = (len(found), [message], actual)
        problem = Problem(loc, kind, message + actual)
        if problem not in found:
            found.append(problem)
    return found


def validation_findings(exc: ValidationError, where: str = "", data: Any = _ABSENT, *,
                        codes: Mapping[str, str] | None = None, marks: LineMarks | None = None,
                        severity: Literal["error", "warning"] = "error") -> list[Finding]:
    """``exc`` as findings: ``where`` (plus the line from ``marks``), the field path, the Chinese
    message and the code ``codes[kind]`` (``codes["value"]`` for a kind not listed)."""
    codes = codes or {}
    found = []
    for problem in translated(exc, data):
        at = marks.where(where, problem.loc) if marks is not None else where
        code = codes.get(problem.kind, codes.get("value", ""))
        found.append(Finding(problem.message, at, problem.path, severity, code))
    return found


def duplicates(values: list[str]) -> list[str]:
    """The values given more than once, in order of first appearance (for "…重复" validator messages)."""
    return sorted({v for v in values if values.count(v) > 1}, key=values.index)
