"""Output file names: safe, unique, inside the output folder. Nothing here writes.

* :func:`render_name` turns a format's ``output:`` pattern into a file name. The pattern must
  render to ``….docx`` and its literal text must not name a folder; otherwise a ``Finding``
  naming ``format.yaml documents.<id>.output``. Whatever the data (单位名称, 项目名称) holds,
  the name stays a plain file name inside ``-o``: no path separators or characters Windows
  forbids, no control or bidi/format characters, no leading dot, no trailing dots or spaces,
  no Windows device name (``CON``, ``COM1`` …), at most ``MAX_CHARS`` characters and
  ``MAX_BYTES`` bytes in UTF-8 (shortened in the middle; the ``.docx`` suffix always stays).
* :class:`NamePlan` keeps the names of one build unique (compared after NFC and case folding,
  as Windows and macOS do) and never equal to an input file: a clash gets a ``（2）`` suffix.
* :func:`check_out_dir` / :func:`check_out_file`: where outputs may go (a folder; a file that is
  not an input), checked before any work.

Writing them, all or nothing, is ``reportgen.outputs``.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from reportgen.errors import Finding, ReportgenError

SUFFIX = ".docx"
MAX_CHARS = 120  # whole file name; leaves room for the folder within Windows' 260-character paths
MAX_BYTES = 240  # whole file name in UTF-8; file systems allow 255
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
    from reportgen.render.env import render_text
    from reportgen.render.limits import describe_fault

    try:
        literal = _literal_text(pattern)
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


@functools.lru_cache(maxsize=64)
def _literal_text(pattern: str) -> str:
    """The fixed text of a pattern (outside its ``{{ }}``): parsed once per pattern, not per document."""
    from jinja2 import nodes

    from reportgen.render.env import text_env

    return "".join(n.data for n in text_env().parse(pattern).find_all(nodes.TemplateData))


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


def check_out_dir(out_dir: Path) -> None:
    """``-o`` must be a folder, or not exist yet below a folder."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportgenError(Finding("输出位置是一个文件，不是文件夹；请换一个文件夹名", str(out_dir)))
    for parent in out_dir.absolute().parents:
        if parent.exists():
            if not parent.is_dir():
                raise ReportgenError(Finding(f"输出路径中的 {parent} 是一个文件，不是文件夹", str(out_dir)))
            break


def check_out_file(out: Path, suffix: str, what: str, inputs: Iterable[Path | None] = (),
                   force: bool = True) -> None:
    """A single output file (``init``, ``questionnaire blank``): right suffix, not a folder, not an input;
    with ``force=False`` (the command's ``--force`` not given) not an existing file either."""
    if out.suffix.lower() != suffix:
        raise ReportgenError(Finding(f"{what}文件名应以 {suffix} 结尾", str(out)))
    if out.is_dir():
        raise ReportgenError(Finding("输出位置是一个文件夹，不是文件；请写出文件名", str(out)))
    for path in inputs:
        if path is not None and _same_file(out, path):
            raise ReportgenError(Finding("输出文件不能与输入的填报表是同一个文件", str(out)))
    check_out_dir(out.parent)
    if out.exists() and not force:
        raise ReportgenError(Finding("文件已存在；如要覆盖请加 --force", str(out)))


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return _resolved(a) == _resolved(b)
