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
Where the platform lacks a mechanism (Windows has neither ``SIGALRM`` nor ``RLIMIT_AS``) that
limit is skipped and the operator hooks remain the guard.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError

try:  # POSIX only
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

TIME_LIMIT_S = 10.0
MEMORY_LIMIT_BYTES = 512 * 1024 * 1024


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
def _memory_limit(allowance: int) -> Iterator[None]:
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
def _time_limit(seconds: float) -> Iterator[None]:
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return
    state = {"armed": True}

    def on_alarm(signum: int, frame: object) -> None:
        if state["armed"]:
            state["armed"] = False
            raise LimitExceeded(f"运行超过 {seconds:g} 秒仍未完成（可能有过大的循环），已被中止")

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
    _active.depth = 1
    try:
        with _memory_limit(MEMORY_LIMIT_BYTES if memory is None else memory), \
                _time_limit(TIME_LIMIT_S if seconds is None else seconds):
            yield
    finally:
        _active.depth = 0


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
