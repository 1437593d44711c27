"""A private on-disk cache of what every cold start would otherwise redo: templates' patched XML and
their compiled Jinja code, shared by one user's runs (``build``, ``batch`` workers, ``serve``).

Contract:

* Entries are keyed by a SHA-256 of everything their content depends on (the input text, and for
  code the environment's settings, Jinja's and Python's versions): a changed template, setting or
  upgrade is a new key, never a stale hit.
* Compiled code is executed, so the folder must be the user's own: on POSIX it is created 0700 and
  used only while owned by this user and writable by no one else (each entry likewise); otherwise
  nothing is read or written there. ``REPORTGEN_CACHE_DIR`` names the folder (tests point it at a
  scratch folder); ``REPORTGEN_CACHE_DIR=off`` turns the cache off.
* Failures never matter: an unreadable, corrupt or unwritable entry is recomputed in memory.
* At most :data:`MAX_ENTRIES` entries are kept (the oldest go first).
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

MAX_ENTRIES = 400
VERSION = "1"


@functools.cache
def cache_dir() -> Path | None:
    """The cache folder, created if needed; None when it cannot be trusted or made."""
    chosen = os.environ.get("REPORTGEN_CACHE_DIR")
    if chosen and chosen.lower() == "off":
        return None
    if chosen:
        folder = Path(chosen)
    else:
        from platformdirs import user_cache_dir

        folder = Path(user_cache_dir("reportgen", appauthor=False)) / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if _private(folder) else None


def _private(path: Path) -> bool:
    """Owned by this user and writable by no one else (POSIX); Windows' per-user folders are private."""
    if os.name != "posix":
        return True
    try:
        info = path.lstat()
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) \
        and not stat.S_ISLNK(info.st_mode)


def key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in (VERSION, sys.version, *parts):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def cached(kind: str, entry_key: str, make: Callable[[], bytes]) -> bytes:
    """The bytes stored under ``kind``/``entry_key``, or ``make()``'s, stored for the next run."""
    folder = cache_dir()
    if folder is None:
        return make()
    path = folder / f"{kind}-{entry_key}"
    try:
        if _private(path):
            return path.read_bytes()
    except OSError:
        pass
    data = make()
    _store(folder, path, data)
    return data


def forget(kind: str, entry_key: str) -> None:
    """Drop an entry found unusable (a corrupt file)."""
    folder = cache_dir()
    if folder is not None:
        (folder / f"{kind}-{entry_key}").unlink(missing_ok=True)


def _store(folder: Path, path: Path, data: bytes) -> None:
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime)
        for old in entries[:-MAX_ENTRIES]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
