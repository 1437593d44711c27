"""Ending the ``reportgen`` process without tearing the interpreter down.

A normal exit destroys every module and object one by one: after a ``build`` that is some 0.2 s
(pydantic's and lxml's objects), a third of a small unit's whole run, spent on memory the operating
system frees at once anyway. ``exit_process(code)`` does what an exit must — the ``atexit``
handlers (temporary folders, worker pools, logging), then flushing stdout and stderr — and ends
the process with ``os._exit``.

Only the console script calls it (``cli.run``), once its command has returned; code that calls
``cli.main`` in-process (tests, benchmarks) exits normally. While another thread is still running
the interpreter's own exit is used, which waits for it.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn


def exit_code(code: object) -> int:
    """The status ``sys.exit(code)`` would give: None is 0, a non-integer is printed and is 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def exit_process(code: object) -> NoReturn:
    """Run the exit handlers, flush the standard streams and end the process with ``code``."""
    if threading.active_count() > 1:
        sys.exit(code)
    status = exit_code(code)
    atexit._run_exitfuncs()  # what Python's own exit runs first (the handlers' errors are printed, as there)
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`) or stream: nothing more to say
            pass
    os._exit(status)
