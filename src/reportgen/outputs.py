"""Output files: safe, unique names inside the output folder, written all or nothing.

Contract:

* :func:`render_name` turns a format's ``output:`` pattern into a file name. The pattern must
  render to ``….docx`` and its literal text must not name a folder; otherwise a ``Finding``
  naming ``format.yaml documents.<id>.output``. Whatever the data (单位名称, 项目名称) holds,
  the name stays a plain file name inside ``-o``: no path separators or characters Windows
  forbids, no control or bidi/format characters, no leading dot, no trailing dots or spaces,
  no Windows device name (``CON``, ``COM1`` …), at most ``MAX_CHARS`` characters and
  ``MAX_BYTES`` bytes in UTF-8 (shortened in the middle; the ``.docx`` suffix always stays).
* :class:`NamePlan` keeps the names of one build unique (compared after NFC and case folding,
  as Windows and macOS do) and never equal to an input file: a clash gets a ``（2）`` suffix.
* :func:`write_all` writes every output into a hidden staging folder inside ``-o``, then moves
  them into place; existing files are set aside first so that any failure (disk full, no
  permission, a file open in Word, Ctrl-C) puts ``-o`` back exactly as it was. Staging folders
  left by a killed run are removed by the next build into that folder.
* :func:`write_file` writes one file atomically (``init``, ``questionnaire blank``).
* :func:`stale_outputs_finding` names what an earlier build left that this one did not write
  (a removed project's form): a warning, never a deletion.

Every ``OSError`` becomes a ``ReportgenError`` with one Chinese message (:func:`write_finding`).
"""

from __future__ import annotations

import errno
import gc
import os
import re
import secrets
import shutil
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.errors import Finding, ReportgenError

SUFFIX = ".docx"
MAX_CHARS = 120  # whole file name; leaves room for the folder within Windows' 260-character paths
MAX_BYTES = 240  # whole file name in UTF-8; file systems allow 255
STAGING_PREFIX = ".reportgen-tmp-"
_LOCK = ".lock"
_DONE = ".done"
_ELLIPSIS = "…"

# Path separators and the other characters Windows forbids in a file name.
_FORBIDDEN = re.compile(r'[\\/:*?"<>|]')
# Control, format (bidi overrides, zero-width, U+061C …), line/paragraph separators, surrogates.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{dev}{n}" for dev in ("COM", "LPT") for n in "0123456789¹²³")}


# ---- names ------------------------------------------------------------------------------------


def render_name(pattern: str, context: Mapping[str, Any], where: str, field: str) -> str:
    """Render an ``output:`` pattern; the raw result, checked for ``.docx``, not yet made safe."""
    from jinja2 import nodes

    from reportgen.render.env import make_env, render_text
    from reportgen.render.limits import describe_fault

    try:
        literal = "".join(n.data for n in make_env(autoescape=False).parse(pattern).find_all(nodes.TemplateData))
        rendered = render_text(pattern, context)
    except Exception as exc:  # an untrusted pattern: whatever it provokes is the format's finding
        raise ReportgenError(Finding(f"输出文件名模板出错：{describe_fault(exc)}", where, field, code="F115")) from exc
    if re.search(r"[\\/]", literal):
        raise ReportgenError(Finding(
            f"输出文件名“{pattern}”含有文件夹分隔符（/ 或 \\）；文档只能生成在输出文件夹中，请只写文件名",
            where, field, code="F116"))
    if not clean(rendered).lower().endswith(SUFFIX):
        raise ReportgenError(Finding(f"输出文件名应以 .docx 结尾（现为“{clean(rendered)}”）", where, field,
                                     code="F117"))
    return rendered


def clean(text: str) -> str:
    """NFC, without control/format characters, trimmed."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if unicodedata.category(c) not in _INVISIBLE_CATEGORIES).strip()


def safe_stem(name: str, fallback: str = "文档") -> str:
    """The part before ``.docx`` of ``name``, made into a plain, portable file name stem."""
    name = clean(name)
    stem = name[: -len(SUFFIX)] if name.lower().endswith(SUFFIX) else name
    stem = _FORBIDDEN.sub("_", stem).lstrip(". ").rstrip(". ")
    if not stem:
        stem = _FORBIDDEN.sub("_", clean(fallback)).strip(". ") or "文档"
    base, dot, rest = stem.partition(".")
    if base.rstrip(" ").upper() in _RESERVED:  # CON.docx, com1.x.docx: Windows devices
        stem = f"{base.rstrip(' ')}_{dot}{rest}"
    return stem


def fit(stem: str, tail: str = SUFFIX) -> tuple[str, bool]:
    """``stem + tail`` within MAX_CHARS/MAX_BYTES; too long, the middle of ``stem`` becomes ``…``.

    Returns the name and whether it was shortened. The end of the stem (usually the document's
    kind, e.g. ``_评分表``) and the whole ``tail`` are kept.
    """

    def ok(name: str) -> bool:
        return len(name) <= MAX_CHARS and len(name.encode("utf-8")) <= MAX_BYTES

    if ok(stem + tail):
        return stem + tail, False
    keep = min(len(stem), MAX_CHARS - len(tail) - 1)
    while keep > 1:
        head, end = stem[: (keep + 1) // 2], stem[len(stem) - keep // 2:]
        name = f"{head.rstrip()}{_ELLIPSIS}{end.lstrip()}{tail}"
        if ok(name):
            return name, True
        keep -= 1
    return stem[:1] + _ELLIPSIS + tail, True


def name_key(name: str) -> str:
    """Names a case-insensitive (Windows, macOS) file system treats as one file compare equal."""
    return unicodedata.normalize("NFC", name).casefold()


class NamePlan:
    """The file names of one build: each unique, none equal to an input file in the folder."""

    def __init__(self, out_dir: Path, protected: Iterable[Path] = ()):
        self._owners: dict[str, object] = {}
        folder = _resolved(out_dir)
        for path in protected:
            if _resolved(Path(path).parent) == folder:
                self._owners[name_key(Path(path).name)] = f"“{Path(path).name}”（输入文件）"

    def add(self, stem: str, owner: object) -> tuple[str, object, bool]:
        """A unique name for ``stem``: (name, owner it clashed with or None, shortened?).

        Protected input files are owned by a ``str`` label such as ``“填报表.xlsx”（输入文件）``.
        """
        name, shortened = fit(stem)
        clash = self._owners.get(name_key(name))
        number = 1
        while name_key(name) in self._owners:
            number += 1
            name, shortened = fit(stem, f"（{number}）{SUFFIX}")
        self._owners[name_key(name)] = owner
        return name, clash, shortened


def _resolved(path: Path) -> str:
    try:
        return name_key(str(path.resolve()))
    except OSError:
        return name_key(str(path.absolute()))


# ---- errors -----------------------------------------------------------------------------------


def write_finding(exc: OSError, where: Path | str, *, replacing: bool = False) -> Finding:
    """One Chinese message for a failed write; ``replacing``: moving an existing file aside."""
    code = exc.errno
    tail = "，未写入任何文件"
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


def check_out_dir(out_dir: Path) -> None:
    """``-o`` must be a folder, or not exist yet below a folder."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportgenError(Finding("输出位置是一个文件，不是文件夹；请换一个文件夹名", str(out_dir)))
    for parent in out_dir.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise ReportgenError(Finding(f"输出路径中的 {parent} 是一个文件，不是文件夹", str(out_dir)))
            break


def check_out_file(out: Path, suffix: str, what: str, inputs: Iterable[Path | None] = ()) -> None:
    """A single output file (``init``, ``questionnaire blank``): right suffix, not a folder, not an input."""
    if out.suffix.lower() != suffix:
        raise ReportgenError(Finding(f"{what}文件名应以 {suffix} 结尾", str(out)))
    if out.is_dir():
        raise ReportgenError(Finding("输出位置是一个文件夹，不是文件；请写出文件名", str(out)))
    for path in inputs:
        if path is not None and _same_file(out, path):
            raise ReportgenError(Finding("输出文件不能与输入的填报表是同一个文件", str(out)))
    check_out_dir(out.parent)


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return _resolved(a) == _resolved(b)


# ---- writing ----------------------------------------------------------------------------------


def _write_bytes(path: Path, data: bytes) -> None:
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


@contextmanager
def _quiet_unraisable() -> Iterator[None]:
    """A failed third-party writer (openpyxl) may leave a half-open ZipFile whose ``__del__``
    prints "Exception ignored in …" with a traceback; collect it now, silently."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        yield
    finally:
        gc.collect()
        sys.unraisablehook = hook


def write_atomic(out: Path, write: Callable[[Path], None] | bytes) -> None:
    """Write one file atomically: a temporary file next to ``out``, then moved over it.

    ``write`` is the content or a function writing a given path. On any exception nothing is
    left (no temporary file, no folder created here, ``out`` unchanged) and it is re-raised.
    """
    created: list[Path] = []
    tmp: Path | None = None
    try:
        created = _make_dirs(out.parent)
        remove_leftovers(out.parent)
        while True:
            tmp = out.with_name(f"{STAGING_PREFIX}{secrets.token_hex(4)}.tmp")
            try:
                _write_bytes(tmp, write if isinstance(write, bytes) else b"")
                break
            except FileExistsError:
                continue
        if not isinstance(write, bytes):
            _run_writer(write, tmp)
        _replace_named(tmp, out)
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        _remove_dirs(created)
        raise


def write_file(out: Path, write: Callable[[Path], None] | bytes) -> None:
    """:func:`write_atomic`, with an ``OSError`` turned into a ReportgenError naming ``out``."""
    try:
        write_atomic(out, write)
    except OSError as exc:
        replacing = exc.filename == str(out) and out.exists()
        raise ReportgenError(write_finding(exc, out, replacing=replacing)) from exc


def _run_writer(write: Callable[[Path], None], tmp: Path) -> None:
    with _quiet_unraisable():
        try:
            write(tmp)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            return
        except OSError as exc:  # re-raised without the writer's frames, which hold its ZipFile
            error = exc.with_traceback(None)
            error.__context__ = None
    raise error


@dataclass(frozen=True)
class Staged:
    name: str
    data: bytes


def write_all(out_dir: Path, outputs: Sequence[Staged]) -> list[Path]:
    """Put every output into ``out_dir`` or, on any failure, none; returns the paths written."""
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
            _write_bytes(new / item.name, item.data)
        replacing = True
        _swap_in(out_dir, new, old, [item.name for item in outputs])
        (staging / _DONE).touch()  # killed after this point, ``old`` holds only replaced files
    except BaseException as exc:
        rescued = _rescue_unrestored(out_dir, staging)
        _cleanup(staging if rescued is None or rescued.parent != staging else None, lock)
        _remove_dirs(created)
        findings = [] if rescued is None else [Finding(
            f"有原来的文件未能放回输出文件夹，已保存在 {rescued}，请手动移回", str(out_dir))]
        if isinstance(exc, OSError):
            where = exc.filename if replacing and exc.filename else out_dir
            findings.insert(0, write_finding(exc, where, replacing=replacing))
        elif isinstance(exc, ReportgenError):
            findings[:0] = exc.findings
        if findings and not isinstance(exc, KeyboardInterrupt):
            raise ReportgenError(findings) from exc
        raise
    _cleanup(staging, lock)
    return [out_dir / item.name for item in outputs]


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
    _try_lock(fd)
    return staging, fd


def _cleanup(staging: Path | None, lock: int | None) -> None:
    if lock is not None:
        os.close(lock)
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)


def remove_leftovers(out_dir: Path) -> list[Path]:
    """Remove staging folders of builds that were killed; a running build's folder is locked.

    A build killed while swapping files may have set existing files aside: those are moved to a
    visible ``reportgen-原文件-…`` folder instead of being deleted.
    """
    removed = []
    for folder in out_dir.glob(f"{STAGING_PREFIX}*"):
        if folder.is_dir() and not folder.is_symlink() and _abandoned(folder):
            if not (folder / _DONE).exists() and _rescue_unrestored(out_dir, folder) == folder / "old":
                continue
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        elif folder.is_file() and time.time() - folder.stat().st_mtime > 600:
            folder.unlink(missing_ok=True)  # a killed `init`/`questionnaire blank`
            removed.append(folder)
    return removed


def _abandoned(folder: Path) -> bool:
    lock = folder / _LOCK
    if not lock.exists():  # just created by another build, or left before its lock: age decides
        return time.time() - folder.stat().st_mtime > 60
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        return _try_lock(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
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
