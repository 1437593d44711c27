"""Word documents to PDF with LibreOffice (``reportgen build --pdf``; callable by other commands).

Contract of :func:`convert_to_pdf`:

* ``soffice --headless --convert-to pdf`` calls of up to ``BATCH_SIZE`` documents each (starting
  LibreOffice costs more than converting a document), ``jobs`` of them at once, each job slot with
  its own LibreOffice profile kept for the whole run; the run's processes and temporary folder
  never outlive it, even when it is killed (:mod:`reportgen.office`).
* A document that hangs costs one timeout: it is reported and the documents after it get a call of
  their own; a call that leaves documents without a PDF for another reason is retried document by
  document, so one bad file never loses the PDFs of the others.
* Each PDF lands next to its .docx with the same stem, written as the build writes documents
  (:func:`reportgen.outputs.write_all`: replaced all or nothing per folder, OSError in Chinese).
  A document that fails leaves the others converted; nothing is raised for it.
* The official document fonts (仿宋_GB2312, 方正小标宋简体 …) are aliased to installed CJK fonts
  by the fontconfig file shipped beside this module, given to LibreOffice as ``FONTCONFIG_FILE``
  (it includes the system configuration; an installed real font still wins). Which official
  fonts the documents use but this machine lacks is found with ``fc-match`` where it exists and
  returned, for the caller to print once (:func:`font_notice`).
* Every problem (no LibreOffice, a failed or timed-out conversion, an unwritable folder) is a
  Chinese :class:`~reportgen.errors.Finding` in the result, never an exception; Ctrl-C kills
  LibreOffice and is re-raised.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from queue import Queue

from reportgen.errors import Finding, ReportgenError
from reportgen.office import OfficeRun

FONTS_CONF = Path(__file__).with_name("fonts") / "fonts.conf"
BATCH_SIZE = 40  # documents per soffice call: one slow or crashing file costs at most one batch
BASE_TIMEOUT = 60.0  # seconds for one soffice call: start-up (a new profile) …
PER_DOCUMENT_TIMEOUT = 20.0  # … plus this per document
INSTALL_HINT = (
    "Debian/Ubuntu 运行 sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk fonts-liberation2；"
    "Windows、macOS 从 https://www.libreoffice.org/download/ 下载安装 LibreOffice"
    "（Windows 默认安装位置 C:\\Program Files\\LibreOffice\\program\\soffice.exe 会被自动找到）")
_WINDOWS_DEFAULTS = ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")
_MACOS_DEFAULT = "/Applications/LibreOffice.app/Contents/MacOS/soffice"
_NOISE = re.compile(r"javaldx|java may not function|^\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class PdfResult:
    """What a conversion did: the PDFs written (in input order), the official fonts the documents
    use that were substituted (name -> font used instead; empty when unknown), and problems."""

    converted: list[Path] = field(default_factory=list)
    substituted: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.findings)


# ---- finding LibreOffice ----------------------------------------------------------------------


def find_soffice() -> str | None:
    """The LibreOffice executable: ``soffice``/``libreoffice`` on PATH, else the default install
    location on Windows and macOS; None when there is none."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates: list[Path] = []
    if os.name == "nt":  # pragma: no cover - Windows
        roots = [os.environ.get(var) for var in _WINDOWS_DEFAULTS] + [r"C:\Program Files"]
        candidates = [Path(root) / "LibreOffice" / "program" / "soffice.exe" for root in roots if root]
    elif sys.platform == "darwin":  # pragma: no cover - macOS
        candidates = [Path(_MACOS_DEFAULT)]
    return next((str(c) for c in candidates if c.is_file()), None)


def missing_libreoffice() -> Finding:
    return Finding(f"未找到 LibreOffice，无法生成 PDF（Word 文档不受影响）。请安装后重试：{INSTALL_HINT}", "PDF")


# ---- fonts ------------------------------------------------------------------------------------


@cache
def official_fonts() -> tuple[str, ...]:
    """The font names the shipped fonts.conf aliases (its ``<alias><family>``), in its order."""
    import xml.etree.ElementTree as ET

    root = ET.parse(FONTS_CONF).getroot()
    return tuple(alias.findtext("family", "").strip() for alias in root.iter("alias"))


def _key(name: str) -> str:
    """Font family names as fontconfig compares them: case and blanks ignored."""
    return re.sub(r"\s+", "", name).casefold()


_RFONTS = re.compile(rb"<w:rFonts\b([^>]*)>")
_FONT_ATTR = re.compile(rb'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"')
_FONT_PARTS = re.compile(r"word/(document|styles|header\d*|footer\d*|footnotes|endnotes|numbering)\.xml")


def fonts_used(docx_paths: Iterable[Path]) -> list[str]:
    """The official font names (see :func:`official_fonts`) that the documents' runs and styles
    name, in fonts.conf's order; unreadable documents are skipped."""
    used: set[str] = set()
    for path in docx_paths:
        try:
            with zipfile.ZipFile(path) as z:
                for part in z.namelist():
                    if _FONT_PARTS.fullmatch(part):
                        for attrs in _RFONTS.findall(z.read(part)):
                            used.update(_key(m.decode("utf-8", "replace")) for m in _FONT_ATTR.findall(attrs))
        except (OSError, zipfile.BadZipFile):
            continue
    return [name for name in official_fonts() if _key(name) in used]


def substituted_fonts(names: Sequence[str]) -> dict[str, str]:
    """For each name, the font LibreOffice gets through fonts.conf when it is not the named one
    itself; ``{}`` when ``fc-match`` is not available (Windows, macOS) or fails."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return {}
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
    result: dict[str, str] = {}
    for name in names:
        try:
            done = subprocess.run([fc_match, "--format", "%{family}", name], env=env, capture_output=True,
                                  stdin=subprocess.DEVNULL, timeout=20, check=True)
        except (OSError, subprocess.SubprocessError):
            return {}
        families = [f for f in done.stdout.decode("utf-8", "replace").split(",") if f.strip()]
        if families and _key(name) not in {_key(f) for f in families}:
            result[name] = families[0].strip()
    return result


def font_notice(substituted: dict[str, str]) -> Finding | None:
    """One Chinese line: which official fonts are missing and what the PDF uses instead."""
    if not substituted:
        return None
    by_font: dict[str, list[str]] = {}
    for name, used in substituted.items():
        by_font.setdefault(used, []).append(name)
    parts = [f"未安装 {'、'.join(names)}，PDF 中以 {used} 代替" for used, names in by_font.items()]
    return Finding(f"{'；'.join(parts)}（字形、换行和页数可能与装有这些字体的电脑上不同）", "PDF", severity="warning")


# ---- converting -------------------------------------------------------------------------------


def convert_to_pdf(docx_paths: Sequence[Path], *, timeout: float | None = None,
                   soffice: str | None = None, jobs: int = 1, fonts: bool = True) -> PdfResult:
    """Convert each .docx to a PDF beside it (same stem); see the module's contract.

    ``timeout``: seconds allowed for one soffice call (default ``BASE_TIMEOUT`` plus
    ``PER_DOCUMENT_TIMEOUT`` per document in the call). ``soffice``: the executable (default
    :func:`find_soffice`). ``jobs``: LibreOffice calls at once, each with its own profile.
    ``fonts``: say which fonts this machine substituted (``PdfResult.substituted``; reads every
    document again and asks fontconfig per font) — for a caller that prints it.
    """
    docs = list(dict.fromkeys(Path(p) for p in docx_paths))
    if not docs:
        return PdfResult()
    soffice = soffice or find_soffice()
    if soffice is None:
        return PdfResult(findings=[missing_libreoffice()])
    pdfs: dict[Path, bytes] = {}
    findings: list[Finding] = []
    with OfficeRun(soffice, {"FONTCONFIG_FILE": str(FONTS_CONF)}) as run:
        inputs, unreadable = _hand_over(run, docs)
        findings += unreadable
        size = max(1, min(BATCH_SIZE, -(-len(inputs) // max(1, jobs))))  # every job gets a share
        chunks = [inputs[i:i + size] for i in range(0, len(inputs), size)]
        slots: Queue[int] = Queue()
        for slot in range(min(jobs, len(chunks)) or 1):
            slots.put(slot)

        def convert(chunk: list[tuple[Path, Path]]) -> tuple[dict[Path, bytes], list[Finding]]:
            slot = slots.get()
            try:
                return _convert(run, slot, chunk, timeout)
            finally:
                slots.put(slot)

        pool = ThreadPoolExecutor(max_workers=slots.qsize())
        try:
            for converted, problems in pool.map(convert, chunks):
                pdfs.update(converted)
                findings += problems
        except BaseException:  # Ctrl-C: every LibreOffice is killed, so the threads end at once
            run.stop()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    order = {doc: i for i, doc in enumerate(docs)}
    findings.sort(key=lambda f: order.get(Path(str(f.where)), len(docs)))
    written, write_problems = _write_beside(docs, pdfs)
    findings += write_problems
    return PdfResult(written, substituted_fonts(fonts_used(docs)) if written and fonts else {}, findings)


def _hand_over(run: OfficeRun, docs: list[Path]) -> tuple[list[tuple[Path, Path]], list[Finding]]:
    """Each document copied into the run's folder under a plain name (no clash between equal stems
    of different folders, no odd characters on the command line): [(document, copy)]."""
    folder = run.folder("in")
    inputs: list[tuple[Path, Path]] = []
    failed: list[Finding] = []
    for i, doc in enumerate(docs):
        try:
            shutil.copyfile(doc, folder / f"{i}.docx")
            inputs.append((doc, folder / f"{i}.docx"))
        except OSError as exc:
            failed.append(_failure(doc, f"无法读取文件：{exc.strerror or exc}"))
    return inputs, failed


def _convert(run: OfficeRun, slot: int, chunk: list[tuple[Path, Path]],
             timeout: float | None) -> tuple[dict[Path, bytes], list[Finding]]:
    """One soffice call for ``chunk``, then what it left undone:

    * after a timeout, the document it hung on (LibreOffice converts in the order given: the first
      without a PDF after the last with one) is reported, and the documents after it get a call of
      their own — one document that hangs costs one timeout, not the PDFs of all that follow;
    * a document without a PDF for any other reason is tried once more on its own, so that one bad
      file does not lose the others (and its own message is LibreOffice's about it alone).
    """
    limit = timeout if timeout is not None else BASE_TIMEOUT + PER_DOCUMENT_TIMEOUT * len(chunk)
    out = run.folder(f"out-{slot}")
    for stale in out.iterdir():  # the slot's previous call
        stale.unlink(missing_ok=True)
    status, output = run.call(slot, ["--convert-to", "pdf", "--outdir", str(out), *(str(c) for _, c in chunk)],
                              limit)
    converted: dict[Path, bytes] = {}
    for doc, copy in chunk:
        try:
            data = (out / f"{copy.stem}.pdf").read_bytes()
        except OSError:
            continue
        if data.startswith(b"%PDF"):
            converted[doc] = data
    missing = [item for item in chunk if item[0] not in converted]
    if not missing or status == "stopped":
        return converted, []
    if status == "unstartable":
        return converted, [_failure(doc, f"无法启动 LibreOffice（{run.soffice}）：{output}") for doc, _ in missing]
    findings: list[Finding] = []
    retry, rest = missing, []
    last = max((i for i, (doc, _) in enumerate(chunk) if doc in converted), default=-1)
    hung = next((i for i, item in enumerate(chunk) if i > last and item in missing), None)
    if status == "timeout" and hung is not None:
        findings.append(_failure(chunk[hung][0], f"LibreOffice 转换超时（超过 {limit:g} 秒）"))
        retry = [item for item in missing if chunk.index(item) < hung]
        rest = chunk[hung + 1:]
    elif len(chunk) == 1:
        detail = "；".join(filter(None, [_diagnostic(output), "" if status == "0" else f"退出码 {status}"]))
        return converted, [_failure(chunk[0][0], f"LibreOffice 未能转换此文件{f'（{detail}）' if detail else ''}")]
    for item in retry:  # one by one
        done, problems = _convert(run, slot, [item], timeout)
        converted.update(done)
        findings += problems
    if rest:
        done, problems = _convert(run, slot, rest, timeout)
        converted.update(done)
        findings += problems
    return converted, findings


def _diagnostic(output: str) -> str:
    """LibreOffice's last meaningful line (not the Java noise, not its "convert …" progress)."""
    lines = [line.strip() for line in output.splitlines() if not _NOISE.search(line) and not line.startswith("convert ")]
    return lines[-1][:300] if lines else ""


def _failure(doc: Path, why: str) -> Finding:
    stale = doc.with_suffix(".pdf")
    tail = f"；文件夹中的 {stale.name} 是以前生成的，与新的 Word 文档不一致" if stale.exists() else ""
    return Finding(f"{why}，未生成 PDF{tail}", str(doc))


def _write_beside(docs: list[Path], pdfs: dict[Path, bytes]) -> tuple[list[Path], list[Finding]]:
    """Write each PDF beside its document, all or nothing per folder (as the build writes)."""
    from reportgen.outputs import Staged, write_all

    folders: dict[Path, list[Path]] = {}
    for doc in docs:
        if doc in pdfs:
            folders.setdefault(doc.parent, []).append(doc)
    written: set[Path] = set()
    findings: list[Finding] = []
    for folder, members in folders.items():
        try:
            paths = write_all(folder, [Staged(doc.with_suffix(".pdf").name, pdfs[doc]) for doc in members],
                              tail="，该文件夹的 PDF 未写入（Word 文档已生成）")
        except ReportgenError as exc:
            findings += exc.findings
            continue
        written.update(paths)
    return [doc.with_suffix(".pdf") for doc in docs if doc.with_suffix(".pdf") in written], findings
