"""LibreOffice processes that never outlive the run that started them, and leave nothing behind.

Contract of :class:`OfficeRun` (``with OfficeRun(soffice) as run: run.call(slot, args, timeout)``):

* One private temporary folder per run (``reportgen-pdf-…`` in the system's temp folder) holds
  the documents handed over, the PDFs, LibreOffice's own temporary files (its ``TMPDIR``) and one
  LibreOffice profile per parallel slot, reused by
  every call of that slot (starting with a new profile costs seconds). The folder is locked for as
  long as the run lives; the next run removes folders whose owner is gone (killed), and folders
  without a lock (left by an older version) after an hour.
* Each ``soffice`` call runs in its own process group (``soffice`` is a launcher: killing it
  alone leaves ``soffice.bin``), killed as a whole when the call ends, times out, or on Ctrl-C.
* If the run itself is killed (SIGKILL leaves it no time to clean up), a watchdog process it
  started — waiting on a pipe only this process holds, so it wakes when this process dies however
  it dies — kills every LibreOffice process group of the run and removes the folder (POSIX; on
  Windows the next run removes the folder).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from types import TracebackType

from reportgen.outputs import abandoned_folder, try_lock

PREFIX = "reportgen-pdf-"
_LOCK = "lock"
_GROUPS = "groups"  # process groups of the soffice calls running, one per line (for the watchdog)
_UNLOCKED_AGE_S = 3600  # a folder without a lock file is an older version's, removed when this old
_POSIX = os.name != "nt"

# Run as ``python -I -S -c``: wait for the parent's end (EOF on stdin), then kill what it started.
_WATCHDOG = r"""
import os, shutil, signal, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)
work = sys.argv[1]
while sys.stdin.buffer.read(65536):
    pass
try:
    with open(os.path.join(work, "groups")) as fh:
        groups = [int(line) for line in fh if line.strip()]
except (OSError, ValueError):
    groups = []
for group in groups:
    try:
        os.killpg(group, signal.SIGKILL)
    except OSError:
        pass
shutil.rmtree(work, ignore_errors=True)
"""


class OfficeRun:
    """One run's temporary folder, watchdog and LibreOffice calls (see the module doc)."""

    def __init__(self, soffice: str, env: dict[str, str] | None = None):
        self.soffice = soffice
        self.env = {**os.environ, **(env or {})}
        self.work = Path()
        self._lock_fd: int | None = None
        self._watchdog: subprocess.Popen[bytes] | None = None
        self._groups: set[int] = set()
        self._stopped = False
        self._guard = threading.Lock()

    def __enter__(self) -> OfficeRun:
        remove_abandoned()
        self.work = Path(tempfile.mkdtemp(prefix=PREFIX))
        try:
            self._lock_fd = os.open(self.work / _LOCK, os.O_RDWR | os.O_CREAT, 0o600)
            try_lock(self._lock_fd)
            temp = str(self.folder("tmp"))  # LibreOffice's own temporary files (lu….tmp) go with the run's
            self.env.update(TMPDIR=temp, TMP=temp, TEMP=temp)
            self._watchdog = _start_watchdog(self.work)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
        shutil.rmtree(self.work, ignore_errors=True)
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
        if self._watchdog is not None:
            self._watchdog.stdin.close()  # type: ignore[union-attr]  # it wakes, finds nothing left, ends
            try:
                self._watchdog.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover - never seen
                self._watchdog.kill()
            self._watchdog = None

    def stop(self) -> None:
        """Kill every LibreOffice call running (their ``call`` returns) and start no more."""
        with self._guard:
            self._stopped = True
            groups = list(self._groups)
        for group in groups:
            _kill_group(group)

    def folder(self, name: str) -> Path:
        """A folder of this run (created on first use)."""
        path = self.work / name
        path.mkdir(exist_ok=True)
        return path

    def call(self, slot: int, args: list[str], timeout: float) -> tuple[str, str]:
        """Run ``soffice`` with the profile of ``slot`` and ``args``: (exit status as text, or
        "timeout" or "unstartable"; its output). The whole process group is killed afterwards."""
        profile = self.work / f"profile-{slot}"
        command = [self.soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--nologo", "--nodefault", "--nolockcheck", *args]
        with self._guard:  # started and listed at once: stop() cannot miss it
            if self._stopped:
                return "stopped", ""
            try:
                proc = subprocess.Popen(
                    command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env,
                    start_new_session=_POSIX,
                    creationflags=0 if _POSIX else subprocess.CREATE_NEW_PROCESS_GROUP)  # type: ignore[attr-defined]
            except OSError as exc:
                return "unstartable", exc.strerror or str(exc)
            self._groups.add(proc.pid)
            self._write_groups()
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_tree(proc)
            return "timeout", ""
        except BaseException:
            _kill_tree(proc)
            raise
        finally:
            if _POSIX:
                _kill_group(proc.pid)  # a helper left behind by LibreOffice would hold the profile
            with self._guard:
                self._groups.discard(proc.pid)
                self._write_groups()
        return str(proc.returncode), (stderr + stdout).decode("utf-8", "replace")

    def _write_groups(self) -> None:
        """The watchdog's list of running process groups (under ``_guard``)."""
        if not _POSIX:
            return
        tmp = self.work / f"{_GROUPS}.tmp"
        try:
            tmp.write_text("".join(f"{g}\n" for g in sorted(self._groups)), encoding="ascii")
            os.replace(tmp, self.work / _GROUPS)
        except OSError:  # the folder is gone (the run is ending): nothing left to watch
            pass


def remove_abandoned(root: Path | None = None) -> list[Path]:
    """Remove the temporary folders of runs that were killed (their lock is free), and unlocked
    folders older than an hour; returns those removed."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    try:
        candidates = [p for p in root.iterdir() if p.name.startswith(PREFIX)]
    except OSError:
        return []
    for folder in candidates:
        try:
            if folder.is_symlink() or not folder.is_dir():
                continue
            abandoned = abandoned_folder(folder, _LOCK, _UNLOCKED_AGE_S)
        except OSError:
            continue
        if abandoned:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _start_watchdog(work: Path) -> subprocess.Popen[bytes] | None:
    if not _POSIX:  # pragma: no cover - Windows: the next run removes the folder
        return None
    return subprocess.Popen([sys.executable, "-I", "-S", "-c", _WATCHDOG, str(work)], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _kill_tree(proc: subprocess.Popen[bytes]) -> None:
    if os.name == "nt":  # pragma: no cover - Windows
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, check=False)
    else:
        _kill_group(proc.pid)
    proc.kill()
    proc.communicate()


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass  # already gone
