"""A county's units at once: find every workbook in a folder, check and build each into its own
folder, one bad workbook never stopping the others.

Contract:

* :func:`find_workbooks` lists every ``.xlsx`` under the input folder, recursively, in a fixed
  order (relative path, compared as a case-insensitive file system would); it skips Excel/WPS
  lock files (``~$…``), hidden files and folders, and everything inside the output folder.
  Other spreadsheet files (``.xls``, ``.et`` …) and summaries written by an earlier batch
  (``汇总表.xlsx``, e.g. in a previous run's output folder) are returned separately, each with
  the reason, so the CLI can say that they were not read.
* :func:`process_unit` evaluates one workbook and renders its documents **in memory** (no disk
  writes), returning a picklable :class:`UnitResult`; it runs in the CLI's process or in a
  worker process (``--jobs``). A problem with the workbook becomes the result's findings; a bug
  becomes one finding marked ``internal`` (``REPORTGEN_DEBUG=1`` re-raises it).
* :class:`FolderPlan` gives each workbook its output folder in input order: ``safe_stem`` of the
  单位名称 (else of the file name), unique as a case-insensitive file system sees it; the second
  unit with the same name gets ``单位名（2）``. Workbooks that fail reserve their name too, so a
  unit's folder does not depend on whether an earlier namesake happened to build this time.
* :func:`write_unit` puts a unit's rendered documents into its folder with ``outputs.write_all``
  (all or nothing; a folder left by a previous run gets the new files, same-named ones replaced).
* :func:`run_batch` does all of this for a list of workbooks, in one process or in ``jobs``
  worker processes, and yields the results **in input order** so the output is deterministic.
  Workers die with the main process, however it ends (:func:`start_worker`).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from decimal import Decimal
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from reportgen.errors import Finding, Location, ReportgenError, errors_only, warnings_only
from reportgen.filenames import fit, name_key, safe_stem
from reportgen.outputs import Staged, recover, stale_outputs_finding

SUMMARY_NAME = "汇总表.xlsx"
LOCK_PREFIX = "~$"
OTHER_SPREADSHEETS = (".xls", ".xlsm", ".xlsb", ".et", ".ods", ".csv")


# ---- finding the workbooks --------------------------------------------------------------------


def find_workbooks(folder: Path, out_dir: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """(workbooks, [(spreadsheet not read, why)]) under ``folder``, both in a fixed order."""
    check_folders(folder, out_dir)
    out_key = _key(out_dir)
    found: list[Path] = []
    others: list[tuple[Path, str]] = []
    for root, dirs, files in os.walk(folder, onerror=None, followlinks=False):
        here = Path(root)
        dirs[:] = [d for d in dirs if not _hidden(here / d) and _key(here / d) != out_key]
        for name in files:
            path = here / name
            if name.startswith(LOCK_PREFIX) or _hidden(path):
                continue
            suffix = path.suffix.lower()
            if name_key(name) == name_key(SUMMARY_NAME):
                others.append((path, "是 reportgen batch 生成的汇总表，不是填报表"))
            elif suffix == ".xlsx":
                found.append(path)
            elif suffix in OTHER_SPREADSHEETS:
                others.append((path, "不是 .xlsx 文件（请在 Excel/WPS 中另存为 .xlsx）"))

    def order(path: Path) -> list[str]:
        return [name_key(part) for part in path.relative_to(folder).parts]

    return sorted(found, key=order), sorted(others, key=lambda item: order(item[0]))


def check_folders(folder: Path, out_dir: Path) -> None:
    """The input must be a folder, and neither folder may contain the other the wrong way round."""
    from reportgen.filenames import check_out_dir

    if not folder.is_dir():
        what = "不存在" if not folder.exists() else "不是文件夹"
        raise ReportgenError(Finding(f"输入文件夹{what}", str(folder)))
    check_out_dir(out_dir)
    folder_key, out_key = _key(folder), _key(out_dir)
    if folder_key == out_key:
        raise ReportgenError(Finding("输出文件夹不能就是存放填报表的文件夹；请另指定 -o（可以是它的子文件夹）", str(out_dir)))
    if folder_key.startswith(out_key.rstrip(os.sep) + os.sep):
        raise ReportgenError(Finding("存放填报表的文件夹位于输出文件夹之内；请另指定 -o", str(out_dir)))


def _key(path: Path) -> str:
    try:
        return name_key(str(path.resolve()))
    except OSError:
        return name_key(str(path.absolute()))


def _hidden(path: Path) -> bool:
    """Dot-names (Linux, macOS) and, on Windows, the hidden attribute."""
    if path.name.startswith("."):
        return True
    try:
        attributes = getattr(path.stat(), "st_file_attributes", 0)
    except OSError:
        return False
    return bool(attributes & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))


# ---- one unit ---------------------------------------------------------------------------------


class _Findings:
    """``errors`` and ``warnings`` of a record's ``findings`` (a field of the dataclass)."""

    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return errors_only(self.findings)

    @property
    def warnings(self) -> list[Finding]:
        return warnings_only(self.findings)


@dataclass(frozen=True)
class UnitResult(_Findings):
    """What one workbook gave: its figures and findings, and its documents rendered in memory."""

    index: int  # position in input order, from 0
    path: Path
    findings: list[Finding] = field(default_factory=list)
    unit_name: str = ""
    year: int | None = None
    format_id: str = ""
    total: Decimal | None = None
    grade: str = ""
    execution_rate: Decimal | None = None  # a percent number: 99.18 means 99.18 %
    budget_final: Decimal | None = None  # 全年预算数 (万元): the 执行率's denominator, its numerator is expenditure_total
    income_total: Decimal | None = None  # 万元
    expenditure_total: Decimal | None = None
    year_end_balance: Decimal | None = None
    documents: list[tuple[Staged, str]] | None = None  # None: not built
    internal: bool = False  # the failure was a bug, not a problem with the workbook
    name_ref: str = ""  # the 单位名称 cell (基本信息!B2), when known
    figures: tuple[Any, dict[str, Location]] | None = None  # (report, refs), when asked for (batch --against)

    @property
    def ok(self) -> bool:
        return self.documents is not None and not self.errors


def process_unit(index: int, path: Path, format_choice: str | None, out_dir: Path,
                 keep_figures: bool = False) -> UnitResult:
    """Evaluate ``path`` and render its documents in memory; never raises for a bad workbook.
    ``keep_figures``: the result carries the evaluated report and its cell places too."""
    try:
        return _process_unit(index, path, format_choice, out_dir, keep_figures)
    finally:
        _collect_garbage()


_FROZEN = False


def _collect_garbage() -> None:
    """python-docx packages form reference cycles the collector would reach only after many units
    (a 200-project unit grew to ~280 MB): collect after each unit. After the first, what imports and
    caches made is frozen out of the collector's sight, so each collection takes ~2 ms, not ~35."""
    global _FROZEN
    gc.collect()
    if not _FROZEN:
        gc.freeze()
        _FROZEN = True


def _process_unit(index: int, path: Path, format_choice: str | None, out_dir: Path,
                  keep_figures: bool = False) -> UnitResult:
    from reportgen.pipeline import evaluate_workbook, render_documents
    from reportgen.workbook.reader import open_workbook

    wb = None
    try:
        wb = open_workbook(path)
        evaluation = evaluate_workbook(wb, path, format_choice)
        documents = render_documents(evaluation, out_dir, [path])
    except ReportgenError as exc:
        return _failed(index, path, exc.findings, wb, format_choice)
    except MemoryError:  # over the worker's limit (serve) or the machine's: the workbook, not a bug
        finding = Finding("填报表需要的内存超过上限，已中止（可能含有大量空行、格式或图片）；"
                          "请在 Excel/WPS 中删除多余内容、另存为 .xlsx 后重试", str(path))
        return replace(_failed(index, path, [finding], wb, format_choice), internal=True)
    except Exception as exc:
        if os.environ.get("REPORTGEN_DEBUG"):
            raise
        finding = Finding(f"内部错误（请把这条信息和该填报表发给维护人员）: {type(exc).__name__}: {exc}", str(path))
        return replace(_failed(index, path, [finding], wb, format_choice), internal=True)
    r, s = evaluation.report, evaluation.score
    return UnitResult(
        index=index, path=path, findings=list(evaluation.findings), unit_name=r.unit.name, year=r.unit.year,
        format_id=evaluation.format.id, total=s.total if s else None, grade=s.grade if s else "",
        execution_rate=r.budget.execution_rate, budget_final=r.budget.final, income_total=r.income.total.total,
        expenditure_total=r.expenditure.total.total, year_end_balance=r.balance.year_end,
        documents=documents, name_ref=evaluation.refs.get("unit.name", ""),
        figures=(r, evaluation.refs) if keep_figures else None)


def _failed(index: int, path: Path, findings: list[Finding], wb: Any, format_choice: str | None) -> UnitResult:
    """A failed workbook, with its 单位名称/年度/格式 when they can still be read (for the summary)."""
    name, year, format_id, name_ref = "", None, format_choice or "", ""
    if wb is not None:
        try:
            from reportgen.workbook.reader import read_meta, read_sheets
            from reportgen.workbook.schema import CORE_SHEETS, WorkbookSchema

            format_id = format_id or read_meta(wb).get("format", "")
            data = read_sheets(wb, WorkbookSchema(CORE_SHEETS), path)
            unit = data.values.get("unit") or {}
            name = unit.get("name").strip() if isinstance(unit.get("name"), str) else ""
            year = unit.get("year") if isinstance(unit.get("year"), int) else None
            name_ref = data.refs.get("unit.name", "")
        except Exception:  # best effort only: the findings already say what is wrong
            pass
    if format_choice and Path(format_choice).is_dir():
        format_id = Path(format_choice).name
    return UnitResult(index=index, path=path, findings=list(findings), unit_name=name, year=year,
                      format_id=format_id, name_ref=name_ref)


# ---- folders ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Folder:
    """A unit's output folder name; ``namesake``: the earlier workbook whose unit took the name."""

    name: str
    namesake: str = ""
    shortened: bool = False

    @property
    def note(self) -> str:
        """Why the folder's name is not simply the 单位名称 (for the summary's 备注)."""
        notes = []
        if self.namesake:
            notes.append(f"单位名称与{self.namesake}相同，输出到“{self.name}”")
        if self.shortened:
            notes.append("文件夹名过长，已截短")
        return "；".join(notes)


class FolderPlan:
    """Unique output folder names, given in input order (``单位名（2）`` for the second namesake)."""

    def __init__(self, reserved: Sequence[str] = (SUMMARY_NAME,)):
        self._owners: dict[str, str] = {name_key(name): "汇总表文件名" for name in reserved}

    def add(self, result: UnitResult, label: str) -> Folder:
        """The folder for ``result``; ``label`` names it in a later namesake's note (“a.xlsx”)."""
        stem = safe_stem(result.unit_name, fallback=result.path.stem) if result.unit_name \
            else safe_stem(result.path.stem, fallback="单位")
        name, shortened = fit(stem, "")
        clash = self._owners.get(name_key(name), "")
        number = 1
        while name_key(name) in self._owners:
            number += 1
            name, shortened = fit(stem, f"（{number}）")
        self._owners[name_key(name)] = label
        return Folder(name, clash, shortened)


def inside(out_dir: Path, name: str) -> Path:
    """``out_dir / name``, refused (ReportgenError) when it is a link or leads out of ``out_dir``:
    a unit's documents are never written elsewhere through a link someone left there."""
    path = out_dir / name
    try:
        escapes = os.path.islink(path) or not path.resolve().is_relative_to(out_dir.resolve())
    except (OSError, RuntimeError):
        escapes = True
    if escapes:
        raise ReportgenError(Finding(f"输出文件夹中的“{name}”是指向别处的链接（或快捷方式），为安全起见未写入；"
                                     "请删除或改名后重试", str(path), severity="error"))
    return path


def write_unit(result: UnitResult, folder: Path) -> list[Path]:
    """Write a built unit's documents into ``folder``, all or none (ReportgenError on failure)."""
    from reportgen.outputs import write_all

    assert result.documents is not None
    return write_all(folder, [staged for staged, _ in result.documents])


# ---- many units -------------------------------------------------------------------------------


def start_worker() -> None:
    """In a worker process (``batch``'s pool, ``serve``'s builders): leave Ctrl-C to the main process,
    which stops the workers (no traceback from each), and die with it: killed (SIGKILL leaves it no
    time to stop them), it must not leave workers behind holding its caller's pipes open or writing
    files. A thread waits on the parent's sentinel, which closes when the parent is gone whatever the
    start method (fork, spawn, forkserver)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _submit(pool: ProcessPoolExecutor, index: int, path: Path, format_choice: str | None,
            out_dir: Path, keep_figures: bool) -> Future[UnitResult]:
    try:
        return pool.submit(process_unit, index, path, format_choice, out_dir, keep_figures)
    except BrokenProcessPool as exc:  # a worker died: every later unit is reported, none is lost
        future: Future[UnitResult] = Future()
        future.set_exception(exc)
        return future


def run_batch(workbooks: Sequence[Path], out_dir: Path, format_choice: str | None, jobs: int = 1,
              started: Callable[[int, Path], None] | None = None, keep_figures: bool = False
              ) -> Iterator[UnitResult]:
    """Process every workbook; yield the results in input order.

    ``started(index, path)`` is called when the CLI starts waiting for a unit (for progress);
    ``keep_figures``: each built unit's result carries its report and cell places (``UnitResult.figures``).
    With ``jobs`` > 1 at most ``2 × jobs`` rendered units wait in memory; on Ctrl-C (or when the
    caller stops early) units not started are cancelled and the workers are shut down.
    """
    if jobs <= 1 or len(workbooks) <= 1:
        for index, path in enumerate(workbooks):
            if started:
                started(index, path)
            yield process_unit(index, path, format_choice, out_dir, keep_figures)
        return
    window = 2 * jobs
    import reportgen.pipeline  # noqa: F401 - imported once here, inherited by forked workers
    import reportgen.render.docx  # noqa: F401
    import reportgen.workbook.reader  # noqa: F401

    pool = ProcessPoolExecutor(max_workers=min(jobs, len(workbooks)), initializer=start_worker)
    try:
        pending: dict[int, Future[UnitResult]] = {}
        submitted = 0
        for index, path in enumerate(workbooks):
            while submitted < len(workbooks) and submitted < index + window:
                pending[submitted] = _submit(pool, submitted, workbooks[submitted], format_choice, out_dir,
                                             keep_figures)
                submitted += 1
            if started:
                started(index, path)
            try:
                result = pending.pop(index).result()
            except BrokenProcessPool:
                result = UnitResult(index=index, path=path, internal=True, findings=[Finding(
                    "内部错误：处理该填报表的工作进程意外退出（内存不足？可减少 --jobs 后重试）", str(path))])
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# ---- after each unit --------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome(_Findings):
    """A unit as the summary shows it: its result (documents dropped), folder, files written."""

    result: UnitResult
    folder: Folder | None  # None: no 单位名称 and no documents
    written: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # the result's, then any write failure
    built: bool = False

    @property
    def status(self) -> str:
        return "已生成" if self.built else "有错误未生成"


def finish_unit(result: UnitResult, plan: FolderPlan, out_dir: Path, label: str) -> Outcome:
    """Give the unit its folder (in input order) and write its documents there when it built."""
    folder = plan.add(result, label) if result.unit_name or result.ok else None
    findings = list(result.findings)
    if folder is not None and folder.namesake:
        tail = f"，本单位输出到“{folder.name}”文件夹" if result.ok else ""
        findings.append(Finding(f"单位名称与{folder.namesake}相同{tail}；请核对单位名称是否填写正确",
                                result.name_ref, "单位名称", "warning"))
    written: list[Path] = []
    built = False
    if result.ok and folder is not None:
        try:
            unit_dir = inside(out_dir, folder.name)
            findings += recover(unit_dir)  # a unit killed mid-swap last time is put back first, and said so
            written = write_unit(result, unit_dir)
            built = True
        except ReportgenError as exc:
            findings += exc.findings
        if (stale := stale_outputs_finding(out_dir / folder.name, written)) is not None:
            findings.append(stale)
    return Outcome(replace(result, documents=None), folder, written, findings, built)
