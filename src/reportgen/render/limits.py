"""Bounded work for untrusted templates and scoring texts: a time limit, a memory limit, and the
Chinese words for every fault a format author can provoke.

``with bounded():`` around a compile-and-render (or one scoring rule) guarantees that it ends
within ``TIME_LIMIT_S`` seconds and allocates at most ``MEMORY_LIMIT_BYTES`` more memory:

- time: a ``SIGALRM`` interval timer (POSIX, main thread) raises :class:`LimitExceeded` at the
  next Python instruction; long C-level operations that a timer cannot interrupt (huge powers,
  huge repetitions) are refused before they start by the sandbox's operator hooks (``env.py``);
- memory: the soft ``RLIMIT_AS`` is lowered to the current size plus the allowance (Linux), so
  an oversized allocation raises ``MemoryError`` instead of exhausting the machine.

Both are restored on exit; nested ``bounded()`` blocks leave the outermost one in charge.

Each piece having its limit is not enough: a scoring file whose 23 indicators each run for 9 s
would take minutes per unit. ``with budget("scoring"):`` (or ``@budgeted("scoring")``) gives every
``bounded()`` block inside a share of one overall budget (``BUDGET_S``): a block gets at most what
is left, and once it is spent the next one stops at once with a message naming the whole (``评分体系的
全部指标合计运行超过 20 秒``). Budgets nest; the tightest one counts.
Where the platform lacks a mechanism (Windows has neither ``SIGALRM`` nor ``RLIMIT_AS``) that
limit is skipped and the operator hooks remain the guard.
"""

from __future__ import annotations

import functools
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError

try:  # POSIX only
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

F = TypeVar("F", bound=Callable[..., Any])

TIME_LIMIT_S = 10.0
MEMORY_LIMIT_BYTES = 512 * 1024 * 1024
# seconds in all, by what is budgeted: a scoring file's indicators (per call), the project scoring
# file over every project, one unit's documents; real ones take well under a second
BUDGET_S = {"scoring": 20.0, "projects": 20.0, "documents": 60.0}
_BUDGET_WHAT = {"scoring": "评分体系的全部指标", "projects": "逐项目评分（全部项目）", "documents": "本单位的全部文档"}


class LimitExceeded(Exception):
    """A template or scoring text did more work than any report needs; the message is Chinese."""


_active = threading.local()


def _virtual_size() -> int | None:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


@contextmanager
def memory_limit(allowance: int) -> Iterator[None]:
    """The soft ``RLIMIT_AS`` lowered to the current size plus ``allowance`` for the block (Linux; a
    tighter limit already in force is kept, so limits nest)."""
    size = _virtual_size() if resource is not None else None
    if size is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + allowance
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:
        yield  # already tighter than ours
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextmanager
def _time_limit(seconds: float, message: str | None = None) -> Iterator[None]:
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    state = {"armed": True}

    def on_alarm(signum: int, frame: object) -> None:
        if state["armed"]:
            state["armed"] = False
            raise LimitExceeded(message or f"运行超过 {seconds:g} 秒仍未完成（可能有过大的循环），已被中止")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        state["armed"] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def bounded(seconds: float | None = None, memory: int | None = None) -> Iterator[None]:
    """Run the block under the time and memory limits (module defaults unless given)."""
    if getattr(_active, "depth", 0):
        _active.depth += 1
        try:
            yield
        finally:
            _active.depth -= 1
        return
    limit, message = TIME_LIMIT_S if seconds is None else seconds, None
    if (left := _budget_left()) is not None and left[0] < limit:
        if left[0] <= 0:
            raise LimitExceeded(left[1])
        limit, message = left
    _active.depth = 1
    try:
        with memory_limit(MEMORY_LIMIT_BYTES if memory is None else memory), _time_limit(limit, message):
            yield
    finally:
        _active.depth = 0


_clock = time.monotonic  # tests move time on here


def _budget_left() -> tuple[float, str] | None:
    """Seconds left in the tightest budget running in this thread, and what to say when it is spent."""
    budgets = getattr(_active, "budgets", None)
    if not budgets:
        return None
    deadline, message = min(budgets)
    return deadline - _clock(), message


@contextmanager
def budget(kind: str) -> Iterator[None]:
    """Run the block within ``BUDGET_S[kind]`` seconds in all, shared by every ``bounded()`` inside."""
    seconds = BUDGET_S[kind]
    budgets = _active.__dict__.setdefault("budgets", [])
    entry = (_clock() + seconds, f"{_BUDGET_WHAT[kind]}合计运行超过 {seconds:g} 秒（可能有过大的循环），其余部分未运行")
    budgets.append(entry)
    try:
        yield
    finally:
        budgets.remove(entry)


def budgeted(kind: str) -> Callable[[F], F]:
    """Decorate a function to run within :func:`budget` ``(kind)``."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def within(*args: Any, **kwargs: Any) -> Any:
            with budget(kind):
                return function(*args, **kwargs)

        return within  # type: ignore[return-value]

    return decorate


def describe_fault(exc: BaseException) -> str:
    """A Chinese sentence for what an untrusted template or scoring text raised (detail kept)."""
    if isinstance(exc, LimitExceeded):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "占用内存过多（可能有过大的重复或拼接），已被中止"
    if isinstance(exc, RecursionError):
        return "递归过深（宏或循环调用了自己），已被中止"
    if isinstance(exc, TemplateSyntaxError):
        return f"模板语法错误（{exc.message}）"
    if isinstance(exc, UndefinedError):
        return f"未定义的变量（{exc.message}）"
    if isinstance(exc, SecurityError):
        return f"试图进行不允许的操作，已被阻止（{exc}）"
    if isinstance(exc, ArithmeticError):  # OverflowError, decimal.InvalidOperation, ZeroDivisionError
        return f"数值过大或运算无效（{type(exc).__name__}）"
    return f"{type(exc).__name__}: {exc}"
