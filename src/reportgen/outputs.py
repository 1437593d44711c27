"""Output files written all or nothing (their names: ``reportgen.filenames``).

Contract:

* :func:`write_all` writes every output into a hidden staging folder inside ``-o``, then moves
  them into place; existing files are set aside first so that any failure (disk full, no
  permission, a file open in Word, Ctrl-C) puts ``-o`` back exactly as it was. Ctrl-C during the
  swap itself is held back until it is complete (then :class:`~reportgen.interrupts.Interrupted`
  says what was written). The staging folder records the names being swapped before the first
  move, so a build killed mid-swap (SIGKILL, power cut) is rolled back by the next build into that
  folder: :func:`recover` puts the previous files back and says so.
* :func:`folder_lock` keeps a second ``batch`` out of an output folder one is writing.
* :func:`write_file` writes one file atomically (``init``, ``questionnaire blank``).
* :func:`write_folder` makes a new folder whole or not at all (``format new``): filled in a
  hidden staging folder beside it, then renamed into place.
* :func:`stale_outputs_finding` names what an earlier build left that this one did not write
  (a removed project's form): a warning, never a deletion.

Every ``OSError`` becomes a ``ReportgenError`` with one Chinese message (:func:`write_finding`).
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import Finding, ReportgenError
from reportgen.filenames import SUFFIX, check_out_dir
from reportgen.interrupts import Interrupted, deferred

STAGING_PREFIX = ".reportgen-tmp-"
_LOCK = ".lock"
_DONE = ".done"
_MANIFEST = "manifest.json"

# ---- errors -----------------------------------------------------------------------------------


NOTHING_WRITTEN = "，未写入任何文件"


def write_finding(exc: OSError, where: Path | str, *, replacing: bool = False, tail: str = NOTHING_WRITTEN) -> Finding:
    """One Chinese message for a failed write; ``replacing``: moving an existing file aside;
    ``tail``: what the failure left unwritten (this write's files, by default all of them)."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        message = "磁盘空间不足" + tail
    elif replacing and (isinstance(exc, PermissionError) or getattr(exc, "winerror", None) in (32, 33)):
        message = "无法替换已有的文件：它可能正在被 Word 或 WPS 打开（请关闭后重试），或没有写入权限" + tail
    elif isinstance(exc, PermissionError) or code == errno.EROFS:
        message = "没有写入权限（文件夹只读或无权写入）" + tail
    elif code == errno.ENAMETOOLONG:
        message = "路径过长，请换一个较短的输出位置" + tail
    elif code in (errno.ENOTDIR, errno.EEXIST):
        message = "输出路径中有一级不是文件夹而是文件" + tail
    else:
        message = f"无法写入：{exc.strerror or exc}{tail}"
    return Finding(message, str(where))


# ---- writing ----------------------------------------------------------------------------------


def write_new_file(path: Path, data: bytes) -> None:
    """Create ``path`` (must not exist) with ``data``, flushed to disk; unbuffered, closed on error."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


_replace = os.replace  # tests inject failures here


def _make_dirs(folder: Path) -> list[Path]:
    """Create ``folder`` and missing parents; returns those created (outermost first)."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()][::-1]
    created: list[Path] = []
    try:
        for path in missing:
            try:
                path.mkdir()
            except FileExistsError:
                continue
            created.append(path)
    except BaseException:
        _remove_dirs(created)
        raise
    return created


def _remove_dirs(created: list[Path]) -> None:
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:
            break


def write_atomic(out: Path, data: bytes) -> None:
    """Write one file atomically: ``data`` into a temporary file next to ``out``, then moved over it.

    On any exception nothing is left (no temporary file, no folder created here, ``out`` unchanged)
    and it is re-raised.
    """
    created: list[Path] = []
    tmp: Path | None = None
    lock: int | None = None
    try:
        created = _make_dirs(out.parent)
        remove_leftovers(out.parent)
        while True:
            tmp = out.with_name(f"{STAGING_PREFIX}{secrets.token_hex(4)}.tmp")
            try:
                write_new_file(tmp, data)
                break
            except FileExistsError:
                tmp = None
                continue
        if os.name != "nt":  # locked while it is written: a killed run's file is told from a running one's
            lock = os.open(tmp, os.O_RDONLY)
            try_lock(lock)
        with deferred() as held:
            _replace_named(tmp, out)
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        _remove_dirs(created)
        raise
    finally:
        if lock is not None:
            os.close(lock)
    if held.interrupted:
        raise Interrupted([out])


def write_file(out: Path, data: bytes) -> None:
    """:func:`write_atomic`, with an ``OSError`` turned into a ReportgenError naming ``out``."""
    try:
        write_atomic(out, data)
    except OSError as exc:
        replacing = exc.filename == str(out) and out.exists()
        raise ReportgenError(write_finding(exc, out, replacing=replacing)) from exc


def write_folder(dest: Path, fill: Callable[[Path], None]) -> None:
    """Create the folder ``dest`` (which must not exist) filled by ``fill(staging)``, or nothing.

    ``fill`` writes into a hidden staging folder beside ``dest``; one rename makes it visible. On
    any failure (disk full, no permission, Ctrl-C) the staging folder is removed and an
    ``OSError`` becomes a ReportgenError naming ``dest``; one left by a killed run is removed by
    the next write there."""
    check_out_dir(dest)
    if os.path.lexists(dest):
        raise ReportgenError(Finding("目标文件夹已存在，请换一个名字或先删除它", str(dest)))
    created: list[Path] = []
    staging: Path | None = None
    try:
        created = _make_dirs(dest.parent)
        remove_leftovers(dest.parent)
        staging = dest.with_name(f"{STAGING_PREFIX}{secrets.token_hex(4)}")
        fill(staging)
        os.rename(staging, dest)  # fails, rather than merging, if dest appeared meanwhile
    except BaseException as exc:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        _remove_dirs(created)
        if isinstance(exc, OSError):
            raise ReportgenError(write_finding(exc, dest)) from exc
        raise


@dataclass(frozen=True)
class Staged:
    name: str
    data: bytes


def write_all(out_dir: Path, outputs: Sequence[Staged], tail: str = NOTHING_WRITTEN) -> list[Path]:
    """Put every output into ``out_dir`` or, on any failure, none; returns the paths written.
    ``tail`` ends a failure's message: what was not written (for PDFs beside documents already
    written, not "nothing")."""
    check_out_dir(out_dir)
    created: list[Path] = []
    staging: Path | None = None
    lock: int | None = None
    replacing = False
    try:
        created = _make_dirs(out_dir)
        remove_leftovers(out_dir)
        staging, lock = _new_staging(out_dir)
        new, old = staging / "new", staging / "old"
        new.mkdir()
        old.mkdir()
        for item in outputs:
            write_new_file(new / item.name, item.data)
        replacing = True
        names = [item.name for item in outputs]
        _write_manifest(staging, out_dir, names)  # killed from here on, the next build rolls back
        with deferred() as held:
            _swap_in(out_dir, new, old, names)
            (staging / _DONE).touch()  # killed after this point, ``old`` holds only replaced files
            _cleanup(staging, lock)
            staging = lock = None
    except BaseException as exc:
        rescued = _rescue_unrestored(out_dir, staging)
        _cleanup(staging if rescued is None or rescued.parent != staging else None, lock)
        _remove_dirs(created)
        findings = [] if rescued is None else [Finding(
            f"有原来的文件未能放回输出文件夹，已保存在 {rescued}，请手动移回", str(out_dir))]
        if isinstance(exc, OSError):
            where = exc.filename if replacing and exc.filename else out_dir
            findings.insert(0, write_finding(exc, where, replacing=replacing, tail=tail))
        elif isinstance(exc, ReportgenError):
            findings[:0] = exc.findings
        if findings and not isinstance(exc, KeyboardInterrupt):
            raise ReportgenError(findings) from exc
        raise
    written = [out_dir / item.name for item in outputs]
    if held.interrupted:
        raise Interrupted(written)
    return written


def _write_manifest(staging: Path, out_dir: Path, names: list[str]) -> None:
    """What the swap is about to do, flushed to disk before it starts: every name, and which of
    them exist now (so a roll-back knows which files in ``-o`` are new)."""
    existed = [name for name in names if os.path.lexists(out_dir / name)]
    write_new_file(staging / _MANIFEST, json.dumps({"names": names, "existed": existed}, ensure_ascii=False).encode())


def _swap_in(out_dir: Path, new: Path, old: Path, names: list[str]) -> None:
    """Set existing files aside, move the new ones in; on failure undo both steps."""
    set_aside: list[str] = []
    moved: list[str] = []
    try:
        for name in names:
            target = out_dir / name
            if target.is_dir() and not target.is_symlink():
                raise ReportgenError(Finding("输出文件夹中已有同名的文件夹，无法生成该文件，未写入任何文件", str(target)))
            if os.path.lexists(target):
                _replace_named(target, old / name)
                set_aside.append(name)
        for name in names:
            _replace_named(new / name, out_dir / name)
            moved.append(name)
    except BaseException:
        for name in reversed(moved):
            _undo(out_dir / name, new / name)
        for name in reversed(set_aside):
            _undo(old / name, out_dir / name)
        raise


def _rescue_unrestored(out_dir: Path, staging: Path | None) -> Path | None:
    """Existing files that could not be put back after a failure are never deleted with the
    staging folder: they move to a visible folder (or, failing that, stay where they are)."""
    old = staging / "old" if staging is not None else None
    if old is None or not old.is_dir() or not any(old.iterdir()):
        return None
    rescue = out_dir / f"reportgen-原文件-{secrets.token_hex(2)}"
    try:
        os.replace(old, rescue)
    except OSError:
        return old
    return rescue


def _replace_named(src: Path, dst: Path) -> None:
    """os.replace whose error names the file in ``-o`` (not the hidden staging path)."""
    try:
        _replace(src, dst)
    except OSError as exc:
        visible = src if _in_staging(dst) else dst
        raise type(exc)(exc.errno, exc.strerror, str(visible), getattr(exc, "winerror", None)) from None


def _in_staging(path: Path) -> bool:
    return any(part.startswith(STAGING_PREFIX) for part in path.parts[-3:])


def _undo(src: Path, dst: Path) -> None:
    try:
        _replace(src, dst)
    except OSError:
        pass  # an existing file left in staging/old is rescued by write_all


def stale_outputs_finding(out_dir: Path, written: Sequence[Path]) -> Finding | None:
    """A warning naming the .docx/.pdf files in ``out_dir`` that look like this unit's documents
    from an earlier build (their name begins as all of this build's do, ``单位_年度_``) but were
    not written now, typically a removed or renamed project's form. They are named, not deleted:
    they may be the clerk's own."""
    if not written:
        return None
    stems = {path.stem for path in written}
    prefix = os.path.commonprefix([path.name for path in written])
    prefix = prefix[: prefix.rfind("_") + 1]
    if len(prefix) < 2:
        return None
    try:
        stale = sorted(path.name for path in out_dir.iterdir() if path.is_file() and path.name.startswith(prefix)
                       and path.suffix.lower() in (SUFFIX, ".pdf") and path.stem not in stems)
    except OSError:
        return None
    if not stale:
        return None
    return Finding(f"输出文件夹中还有 {len(stale)} 个以前生成、本次没有生成的文件（如已删除或改名项目的文档）："
                   f"{'、'.join(stale)}；请核对后删除，以免一并报送", str(out_dir), severity="warning")


# ---- one writer per output folder --------------------------------------------------------------

_FOLDER_LOCK = ".reportgen-lock"  # Windows only: a folder itself cannot be locked there


@contextmanager
def folder_lock(out_dir: Path, what: str = "reportgen batch") -> Iterator[None]:
    """Hold ``out_dir`` (created if missing) for this process while the block runs; another
    process asking meanwhile gets a ReportgenError at once (it does not wait). On POSIX the folder
    itself is locked, so nothing is left in it; the lock ends with the process, however it ends."""
    _make_dirs(out_dir)
    try:
        if os.name == "nt":  # pragma: no cover - Windows
            fd = os.open(out_dir / _FOLDER_LOCK, os.O_RDWR | os.O_CREAT, 0o666)
            _hide(out_dir / _FOLDER_LOCK)
        else:
            fd = os.open(out_dir, os.O_RDONLY)
    except OSError as exc:
        raise ReportgenError(write_finding(exc, out_dir)) from exc
    try:
        if not try_lock(fd):
            raise ReportgenError(Finding(f"另一个 {what} 正在写入这个输出文件夹；请等它结束后再运行，或换一个输出文件夹",
                                         str(out_dir)))
        yield
    finally:
        os.close(fd)


# ---- the staging folder -----------------------------------------------------------------------


def _new_staging(out_dir: Path) -> tuple[Path, int]:
    """A new hidden staging folder, locked for as long as this build runs."""
    while True:
        staging = out_dir / f"{STAGING_PREFIX}{secrets.token_hex(4)}"
        try:
            staging.mkdir()
            break
        except FileExistsError:
            continue
    try:
        _hide(staging)
        fd = os.open(staging / _LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try_lock(fd)
    return staging, fd


def _cleanup(staging: Path | None, lock: int | None) -> None:
    """Remove the staging folder in an order that a kill at any point leaves it readable by
    :func:`recover`: the files first, then the manifest, then the mark of a finished swap, the
    lock last (held until then)."""
    if staging is not None:
        for name in ("new", "old", _MANIFEST, _DONE):
            path = staging / name
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
    if lock is not None:
        os.close(lock)


def recover(out_dir: Path) -> list[Finding]:
    """Clean up after builds into ``out_dir`` that were killed (a running build's folder is locked,
    and left alone); returns warnings saying what was found and put back.

    A build killed before its swap left nothing visible; one killed after it completed left only
    the replaced files: both staging folders are removed. One killed mid-swap is rolled back: each
    file it set aside goes back under its name, each new file it moved in where there was none is
    removed — ``-o`` is as it was before that build. Files that cannot be put back (open in Word)
    are moved to a visible ``reportgen-原文件-…`` folder, and the warning says where.
    """
    findings: list[Finding] = []
    for folder in out_dir.glob(f"{STAGING_PREFIX}*"):
        if folder.is_dir() and not folder.is_symlink() and abandoned_folder(folder):
            if not (folder / _DONE).exists():
                found, kept = _roll_back(out_dir, folder)
                findings += found
                if kept:
                    continue  # files that could not be put back stay there: the warning names them
            shutil.rmtree(folder, ignore_errors=True)
        elif folder.is_file() and _abandoned_file(folder):
            folder.unlink(missing_ok=True)  # a killed `init`/`questionnaire blank`/汇总表
    return findings


def remove_leftovers(out_dir: Path) -> None:
    """:func:`recover`, for a writer with no one to tell (its caller reported it first, if it can)."""
    recover(out_dir)


def _roll_back(out_dir: Path, staging: Path) -> tuple[list[Finding], bool]:
    """Undo the swap a killed build left half done (see :func:`recover`): the warnings, and whether
    files had to be left in the staging folder."""
    old, new = staging / "old", staging / "new"
    try:
        manifest = json.loads((staging / _MANIFEST).read_text(encoding="utf-8"))
        names, existed = list(manifest["names"]), set(manifest["existed"])
    except (OSError, ValueError, KeyError, TypeError):  # killed before its swap began (or an older version's)
        names = [p.name for p in old.iterdir()] if old.is_dir() else []
        existed = set(names)
    restored, removed = [], []
    try:
        for name in names:
            target = out_dir / name
            if os.path.lexists(old / name):
                os.replace(old / name, target)
                restored.append(name)
            elif name not in existed and not os.path.lexists(new / name) and os.path.lexists(target):
                target.unlink()
                removed.append(name)
    except OSError:
        where = _rescue_unrestored(out_dir, staging)
        return [Finding(f"上次生成被中断（只替换了部分文件）；有原来的文件未能放回，已保存在 {where}，请手动移回",
                        str(out_dir), severity="warning")], where is not None and where.parent == staging
    if not restored and not removed:
        return [], False
    parts = [f"放回原来的 {len(restored)} 个文件" if restored else "",
             f"删除其新生成的 {len(removed)} 个文件" if removed else ""]
    return [Finding(f"上次生成在替换文件时被中断，已{'、'.join(p for p in parts if p)}，输出文件夹恢复为那次生成之前的样子",
                    str(out_dir), severity="warning")], False


def _abandoned_file(path: Path) -> bool:
    """A temporary file of :func:`write_atomic` whose writer is gone: its lock is free (POSIX; a file
    just created gets a second to take it), or, where files are not locked, it is ten minutes old."""
    age = time.time() - path.stat().st_mtime
    if os.name == "nt":  # pragma: no cover - Windows
        return age > 600
    return age > 1 and lock_is_free(path, os.O_RDONLY)


def abandoned_folder(folder: Path, lock_name: str = _LOCK, unlocked_age: float = 10) -> bool:
    """A working folder whose owner is gone: its lock file ``lock_name`` is free, or, without one,
    it is older than ``unlocked_age`` seconds (a new one locks at once; an old one predates locks)."""
    lock = folder / lock_name
    if not lock.exists():
        return time.time() - folder.stat().st_mtime > unlocked_age
    return lock_is_free(lock)


def lock_is_free(path: Path, flags: int = os.O_RDWR) -> bool:
    """Whether no process holds the lock on ``path`` (False when it cannot be opened)."""
    try:
        fd = os.open(path, flags)
    except OSError:
        return False
    try:
        return try_lock(fd)
    finally:
        os.close(fd)


def try_lock(fd: int) -> bool:
    """Lock ``fd`` for this process (released when closed); False if another process holds it."""
    try:
        if os.name == "nt":  # pragma: no cover - Windows
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _hide(path: Path) -> None:
    """Dot-names are hidden on Linux and macOS; on Windows set the hidden attribute."""
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2)
