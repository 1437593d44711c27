"""Jinja code compiled once per machine: kept in memory per process and, across runs, in the private
disk cache (``render.diskcache``).

Contract:

* ``compiled_template(env, source)`` is ``env.from_string(source)``; ``compiled_from(env, key, compile)``
  the same for a source compiled some other way (scoring's rewritten expression trees): ``key`` names
  the text and the rewriting, ``compile()`` makes the code on a miss. Either way the template is bound
  to ``env`` itself, so its sandbox and limits apply as if compiled there.
* Keys hold everything the code depends on (the source, the environment's settings, Jinja's and
  Python's versions); a syntax error raises from ``compile`` and stores nothing.
* ``Lru`` is the bounded in-memory map both this module and ``render.source`` keep their results in.
"""

from __future__ import annotations

import marshal
from collections import OrderedDict
from collections.abc import Callable
from types import CodeType
from typing import Any

import jinja2
from jinja2 import Environment, Template

from reportgen.render import diskcache

CACHE_ENTRIES = 256  # distinct parts (body, headers, footers, properties) of all templates in use


class Lru(OrderedDict):
    def get_or(self, key: Any, make: Callable[[], Any]) -> Any:
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = self[key] = make()  # an exception (a syntax error) caches nothing
        if len(self) > CACHE_ENTRIES:
            self.popitem(last=False)
        return value


_CODE = Lru()


def _env_key(env: Environment) -> tuple[Any, ...]:
    """What, besides the source, Jinja's code generator reads from the environment."""
    finalize = env.finalize
    return (type(env), env.autoescape, None if finalize is None else getattr(finalize, "jinja_pass_arg", True),
            env.optimized, tuple(sorted(env.filters)), tuple(sorted(env.tests)), tuple(sorted(env.extensions)),
            env.block_start_string, env.variable_start_string, env.comment_start_string,
            env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
            env.newline_sequence, env.keep_trailing_newline)


def compiled_template(env: Environment, source: str) -> Template:
    """``env.from_string(source)``, with the compiled code reused across environments made alike
    (the way Jinja's bytecode cache reuses code) and across runs (the private disk cache)."""
    return compiled_from(env, source, lambda: env.compile(source))


def compiled_from(env: Environment, key: str, compile_code: Callable[[], CodeType]) -> Template:
    """A template of ``env`` whose code ``compile_code()`` makes, cached under ``key`` and ``env``'s settings."""
    env_key = _env_key(env)
    code = _CODE.get_or((env_key, key), lambda: _disk_compiled(env_key, key, compile_code))
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def _disk_compiled(env_key: tuple[Any, ...], key: str, compile_code: Callable[[], CodeType]) -> CodeType:
    """The code from the disk cache when an earlier run compiled it. The first compile happens here,
    inside the caller's ``bounded()``; a syntax error raises and stores nothing."""
    entry = diskcache.key(jinja2.__version__, repr(tuple(
        f"{part.__module__}.{part.__qualname__}" if isinstance(part, type) else part for part in env_key)), key)
    data = diskcache.cached("code", entry, lambda: marshal.dumps(compile_code()))
    try:
        return marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        diskcache.forget("code", entry)
        return compile_code()


def caching_compiles(env: Environment) -> Environment:
    """``env`` whose ``from_string`` (what docxtpl calls per part) goes through the cache."""
    env.from_string = lambda source, globals=None, template_class=None: (  # type: ignore[method-assign]
        compiled_template(env, source) if globals is None and template_class is None
        else Environment.from_string(env, source, globals, template_class))
    return env
