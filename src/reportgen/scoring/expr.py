"""Values for scoring rules: dotted paths and Jinja expressions over the context, always Decimal.

A rule's value is either a dotted path (``staff.control_rate``) or a Jinja expression
(``inputs.采购实际数 / inputs.采购计划数 * 100``) evaluated in the house sandbox
(``make_env(autoescape=False)``). Two rewrites of the parsed expression keep arithmetic exact:
float literals become Decimal, and the left side of every ``/`` is made Decimal, so ``23 / 28``
is never a float. A zero denominator or a ``None`` operand makes the value undefined (``None``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from types import CodeType
from typing import Any

from jinja2 import Template, TemplateSyntaxError, nodes
from jinja2.environment import TemplateExpression
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.parser import Parser
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer
from pydantic import BaseModel

from reportgen.numbers import to_decimal
from reportgen.render.codecache import compiled_from
from reportgen.render.env import check_nesting, make_env, refusing_deep_nesting

INPUTS = "inputs"
_PATH = re.compile(r"^[^\W\d]\w*(\.[^\W\d]\w*)*$")


class DataMissing(Exception):
    """The context lacks a path the scoring system needs (a format or model mismatch)."""

    def __init__(self, path: str, problem: str = "不存在"):
        super().__init__(f"评分需要的数据“{path}”{problem}")
        self.path = path


def _decimal_filter(value: Any) -> Decimal | None:
    return to_decimal(value)


class _ExactArithmetic(NodeTransformer):
    def visit_Const(self, node: nodes.Const) -> nodes.Node:
        if isinstance(node.value, float):
            return nodes.Filter(nodes.Const(repr(node.value)), "decimal", [], [], None, None, lineno=node.lineno)
        return node

    def visit_Div(self, node: nodes.Div) -> nodes.Node:
        self.generic_visit(node)
        node.left = nodes.Filter(node.left, "decimal", [], [], None, None, lineno=node.lineno)
        return node


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    env = make_env(autoescape=False)
    env.filters["decimal"] = _decimal_filter
    return env


# the rewriting is part of what compiled code depends on: this file's text keys the cached code
_REWRITE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


@lru_cache(maxsize=1024)
def compile_expression(source: str) -> TemplateExpression:
    """Like ``Environment.compile_expression`` (strict: no undefined-to-None), with exact arithmetic.
    The code is compiled once per machine (``render.codecache``)."""
    env = environment()

    def compile_code() -> CodeType:
        parser = Parser(env, source, state="variable")
        expr = _parse_expression(parser, source)
        if not parser.stream.eos:
            raise TemplateSyntaxError("表达式后面有多余内容", parser.stream.current.lineno, None, None)
        expr = _ExactArithmetic().visit(expr)
        body = [nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)]
        template_node = nodes.Template(body, lineno=1)
        template_node.set_environment(env)
        return env.compile(template_node)

    return TemplateExpression(compiled_from(env, f"expression {_REWRITE}\n{source}", compile_code), False)


@lru_cache(maxsize=1024)
def compile_text(source: str) -> Template:
    """A plain-text template (calculation text), with the same exact arithmetic."""
    env = environment()

    def compile_code() -> CodeType:
        node = _ExactArithmetic().visit(env.parse(source))
        node.set_environment(env)
        return env.compile(node)

    return compiled_from(env, f"text {_REWRITE}\n{source}", compile_code)


def syntax_error(source: str, *, expression: bool) -> str | None:
    """The Chinese description of a syntax error, or None when the source compiles."""
    try:
        compile_expression(source) if expression else compile_text(source)
    except TemplateSyntaxError as exc:
        message = str(exc.message)
        for english, chinese in _SYNTAX_MESSAGES:
            if message.startswith(english):
                message = f"{chinese}（{message}）"
                break
        return f"第{exc.lineno}行：{message}" if exc.lineno and exc.lineno > 1 else message
    return None


_SYNTAX_MESSAGES = (
    ("unexpected 'end of template'", "表达式不完整"),
    ("unexpected end of template", "模板不完整，缺少结束标记"),
    ("unexpected char", "有无法识别的字符"),
    ("expected token", "缺少符号"),
    ("Encountered unknown tag", "未知的标签"),
)


def _parse_expression(parser: Parser, source: str) -> nodes.Expr:
    """``parser.parse_expression()``, refusing (TemplateSyntaxError) a source nested too deep."""
    with refusing_deep_nesting(source):
        tree = parser.parse_expression()
    check_nesting(tree, source)
    return tree


def _parse(source: str, *, expression: bool) -> nodes.Node:
    env = environment()
    if expression:
        return _parse_expression(Parser(env, source, state="variable"), source)
    return env.parse(source)


@lru_cache(maxsize=1024)
def input_keys(source: str, *, expression: bool) -> tuple[str, ...]:
    """Every ``inputs.<key>`` / ``inputs['key']`` the source reads, in order of appearance."""
    if INPUTS not in source:  # a name is written out in full: a source without it reads none (no parse needed)
        return ()
    try:
        tree = _parse(source, expression=expression)
    except TemplateSyntaxError:
        return ()
    keys: list[str] = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if not (isinstance(node.node, nodes.Name) and node.node.name == INPUTS):
            continue
        if isinstance(node, nodes.Getattr):
            keys.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            keys.append(node.arg.value)
    return tuple(dict.fromkeys(keys))


def member(obj: Any, name: str) -> Any:
    """``obj.name`` for mappings and the fields of pydantic models; raises KeyError otherwise.

    As in the template sandbox, nothing but data is reachable: no methods, no other objects."""
    if name.startswith("_"):
        raise KeyError(name)
    if isinstance(obj, Mapping):
        return obj[name]
    if isinstance(obj, BaseModel):
        model = type(obj)
        if name in model.model_fields or name in model.model_computed_fields:
            return getattr(obj, name)
    raise KeyError(name)


def top_level(context: Any) -> dict[str, Any]:
    """The context's top-level names as a dict (what Jinja sees as variables)."""
    if isinstance(context, Mapping):
        return dict(context)
    if isinstance(context, BaseModel):
        names = list(type(context).model_fields) + list(type(context).model_computed_fields)
        return {name: getattr(context, name) for name in names}
    return {name: getattr(context, name) for name in dir(context) if not name.startswith("_")}


def resolve(source: str, variables: dict[str, Any]) -> Any:
    """Evaluate a path or expression. Raises DataMissing for an absent path, returns None when
    undefined (zero denominator, None operand)."""
    if _PATH.match(source):
        obj: Any = variables
        walked: list[str] = []
        for part in source.split("."):
            walked.append(part)
            if obj is None:
                raise DataMissing(".".join(walked[:-1]), f"为空（取不到 {source}）")
            try:
                obj = member(obj, part)
            except KeyError as exc:
                raise DataMissing(".".join(walked)) from exc
        return obj
    try:
        return compile_expression(source)(**variables)
    except UndefinedError as exc:
        raise DataMissing(f"{source}（{exc.message}）") from exc
    except (ZeroDivisionError, InvalidOperation, TypeError):
        return None


def number(source: str, variables: dict[str, Any]) -> Decimal | None:
    """A rule value as Decimal (or None when undefined). Raises DataMissing, TypeError (not a number)."""
    return to_decimal(resolve(source, variables))


def condition(source: str, variables: dict[str, Any]) -> bool | None:
    """A tier's condition; None when it cannot be decided (a None operand, a zero denominator)."""
    try:
        result = compile_expression(source)(**variables)
    except UndefinedError as exc:
        raise DataMissing(f"{source}（{exc.message}）") from exc
    except (ZeroDivisionError, InvalidOperation, TypeError):
        return None
    return bool(result)


def render_text(source: str, variables: dict[str, Any]) -> str:
    return compile_text(source).render(**variables).strip()


RENDER_ERRORS: tuple[type[Exception], ...] = (UndefinedError, SecurityError, TypeError, ZeroDivisionError,
                                               InvalidOperation, ValueError)
