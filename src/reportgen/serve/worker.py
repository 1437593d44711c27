"""Builds off the request path: a bounded queue in the database and a few worker processes.

Contract:

* An upload only adds a ``queued`` version (``store.add_version``) and calls :meth:`BuildQueue.wake`;
  the page polls the version's status. :meth:`BuildQueue.full` says when the queue holds
  ``max_queued`` versions (the upload is then refused: 服务器繁忙).
* One supervisor thread hands queued versions to ``jobs`` long-lived worker processes (``spawn``:
  they share nothing with the server; each loads the formats once, so later builds are warm). The
  next version is the oldest queued one whose unit has no build running (``store.take_job``), so a
  unit uploading many times, or a slow workbook, holds at most one worker.
* A worker builds with the batch machinery — :func:`reportgen.batch.process_unit`: evaluate and
  render in memory, any problem a finding — under a memory limit (``RLIMIT_AS`` raised by
  ``memory_mb`` over the worker's size, where the platform has it) and a time limit that the
  supervisor enforces by killing the worker (``build_timeout`` for the documents, ``pdf_timeout``
  for the PDFs). Killed or crashed workers are replaced; their version is ``failed`` with a
  Chinese reason and can be uploaded again. A worker also exits when the server process is gone.
* Files first: the worker writes the documents (``docs/<n>.docx``) and then ``result.json`` before it
  reports; the supervisor then records them in the database (``store.finish_build``). PDFs (when
  enabled) follow in the same job: ``docs/<n>.pdf``, ``pdf.json``, then ``store.finish_pdf`` — the
  Word documents are downloadable while the PDFs are being made.
* No workbook content is logged: log lines name versions by id and say what happened, not what was found.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from reportgen.serve.store import PDF_RESULT_NAME, RESULT_NAME, UPLOAD_NAME, Store, fsync_dir, write_json

log = logging.getLogger("reportgen.serve")

STAGE_BUILD = "正在检查填报表并生成文档"
STAGE_PDF = "正在转换 PDF"


@dataclass
class Limits:
    jobs: int = 2
    build_timeout: float = 120.0  # seconds for one workbook's check and documents
    pdf_timeout: float = 600.0  # seconds for its PDFs (LibreOffice has its own, shorter, limits)
    memory_mb: int = 1024  # address space a build may add to the worker
    max_queued: int = 500  # versions waiting or building, all units together
    max_tasks: int = 200  # builds before a worker is replaced by a fresh one


# ---- inside a worker process ------------------------------------------------------------------


def worker_main(conn: Connection, formats: list[str]) -> None:
    """A worker process: build each job the supervisor sends until it sends None."""
    from reportgen.batch import start_worker  # the heavy imports once, before the first job

    start_worker()  # Ctrl-C is the server's to handle; killed, it takes this worker with it
    from reportgen.formats.loader import load_format

    for folder in formats:
        try:
            load_format(Path(folder))
        except Exception:  # a broken format is reported by the build that uses it
            pass
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        retire = run_job(conn, job)
        conn.send(("done",))
        if retire:  # after a memory fault or a bug, a fresh process
            return


def run_job(conn: Connection, job: dict[str, Any]) -> bool:
    """Build one version's folder; True when this worker should be replaced afterwards."""
    from reportgen.batch import process_unit
    from reportgen.outputs import write_new_file
    from reportgen.render.limits import memory_limit
    from reportgen.serve.records import result_record

    folder = Path(job["folder"])
    upload, docs = folder / UPLOAD_NAME, folder / "docs"
    conn.send(("stage", STAGE_BUILD))
    with memory_limit(job["memory"]):
        result = process_unit(0, upload, job["format"], docs)
    record = result_record(result, upload)
    documents = []
    if result.ok and result.documents is not None:
        docs.mkdir()
        for position, (staged, _) in enumerate(result.documents):
            write_new_file(docs / f"{position}.docx", staged.data)
            documents.append({"position": position, "file": f"{position}.docx", "name": staged.name})
        fsync_dir(docs)
    write_json(folder / RESULT_NAME, {"record": record, "documents": documents})
    conn.send(("built",))
    if job["pdf"] and documents:
        conn.send(("stage", STAGE_PDF))
        write_json(folder / PDF_RESULT_NAME, pdf_record(docs, documents))
        conn.send(("pdf",))
    return bool(result.internal)


def pdf_record(docs: Path, documents: list[dict[str, Any]]) -> dict[str, Any]:
    """Convert the documents to PDF beside them (LibreOffice); what ``pdf.json`` says: each PDF made
    (its number, file and download name) and the conversion's findings."""
    from reportgen.pdf import convert_to_pdf
    from reportgen.serve.records import finding_record

    result = convert_to_pdf([docs / d["file"] for d in documents], fonts=False)  # the page says nothing of fonts
    converted = {p.name for p in result.converted}
    pdfs = [{"position": d["position"], "file": f"{d['position']}.pdf", "name": str(Path(d["name"]).with_suffix(".pdf"))}
            for d in documents if f"{d['position']}.pdf" in converted]
    return {"documents": pdfs, "findings": [finding_record(f) for f in result.findings]}


# ---- in the server process --------------------------------------------------------------------


@dataclass
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False
    vid: int | None = None
    phase: str = ""  # build / pdf
    deadline: float = 0.0
    tasks: int = 0
    built: bool = False  # the job's documents were reported built (a PDF phase may follow)


class BuildQueue:
    """The supervisor: hands queued versions to worker processes and records what they made."""

    def __init__(self, store: Store, formats: dict[str, Path], limits: Limits | None = None, pdf: bool = False):
        self.store = store
        self.formats = dict(formats)
        self.limits = limits or Limits()
        self.pdf = pdf
        self._ctx = mp.get_context("spawn")
        self._wake_r, self._wake_w = self._ctx.Pipe(duplex=False)
        self._wake_lock = threading.Lock()
        self._workers: list[_Worker] = []
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # -- the server's side --

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="reportgen-builds", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the workers; a build still running is recorded as interrupted (upload again)."""
        self._stopping.set()
        self.wake()
        if self._thread is not None:
            self._thread.join(timeout=30)
        for worker in self._workers:
            self._retire(worker, kill=worker.vid is not None or not worker.ready)  # still starting: no wait
            if worker.vid is not None:
                self._lost(worker, "服务器已停止，这次上传未能处理完；请重新上传填报表")
        self._workers.clear()

    def wake(self) -> None:
        with self._wake_lock:
            try:
                self._wake_w.send_bytes(b"w")
            except OSError:
                pass

    def full(self) -> bool:
        return self.store.pending() >= self.limits.max_queued

    # -- the supervisor thread --

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self._step()
            except Exception:  # never let the thread die: log (no content) and go on
                log.exception("构建队列出错")
                time.sleep(1)

    def _step(self) -> None:
        while len(self._workers) < self.limits.jobs:
            self._workers.append(self._spawn())
        for worker in self._workers:
            if worker.ready and worker.vid is None and not self._stopping.is_set():
                self._assign(worker)
        busy = [w for w in self._workers if w.vid is not None]
        timeout = max(0.05, min((w.deadline - time.monotonic() for w in busy), default=5.0))
        handles: list[Any] = [self._wake_r, *(w.conn for w in self._workers),
                              *(w.process.sentinel for w in self._workers)]
        ready = wait(handles, timeout=min(timeout, 5.0))
        if self._wake_r in ready:
            while self._wake_r.poll():
                self._wake_r.recv_bytes()
        for worker in list(self._workers):
            self._service(worker)

    def _spawn(self) -> _Worker:
        ours, theirs = self._ctx.Pipe()
        process = self._ctx.Process(target=worker_main, args=(theirs, [str(p) for p in self.formats.values()]),
                                    name="reportgen-build", daemon=True)
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def _assign(self, worker: _Worker) -> None:
        row = self.store.take_job()
        if row is None:
            return
        folder = self.formats.get(row["format_id"])
        if folder is None:
            self.store.fail(row["id"], f"这次收集使用的格式“{row['format_id']}”未加载（启动服务时请用 --format 给出该格式的文件夹），"
                                       "请联系财政局")
            return
        job = {"vid": row["id"], "folder": str(self.store.version_dir(row["key"])), "format": str(folder),
               "memory": self.limits.memory_mb * 1024 * 1024, "pdf": self.pdf}
        try:
            worker.conn.send(job)
        except OSError:
            self.store.fail(row["id"], "处理填报表的工作进程意外退出，请重新上传")
            return
        worker.vid, worker.phase, worker.built = row["id"], "build", False
        worker.deadline = time.monotonic() + self.limits.build_timeout
        log.info("开始生成 版本#%s", row["id"])

    def _service(self, worker: _Worker) -> None:
        """Handle what a worker said, then its death or its overrun."""
        try:
            while worker.conn.poll():
                self._message(worker, worker.conn.recv())
        except (EOFError, OSError):
            pass
        if not worker.process.is_alive():
            self._workers.remove(worker)
            worker.conn.close()
            if worker.vid is not None:
                self._lost(worker, "处理这份填报表的工作进程意外退出（可能占用内存过多），已中止；请检查填报表后重新上传")
            elif not worker.ready:
                log.error("工作进程未能启动（退出码 %s）", worker.process.exitcode)
                time.sleep(1)  # do not respawn in a tight loop
            return
        if worker.vid is None and worker.tasks >= self.limits.max_tasks:
            self._retire(worker, kill=False)
            self._workers.remove(worker)
            return
        if worker.vid is not None and time.monotonic() > worker.deadline:
            limit = self.limits.build_timeout if worker.phase == "build" else self.limits.pdf_timeout
            self._retire(worker, kill=True)
            self._workers.remove(worker)
            log.warning("版本#%s 超过 %s 秒，已中止", worker.vid, limit)
            self._lost(worker, f"处理这份填报表超过 {limit:g} 秒仍未完成，已中止；请检查填报表（如是否有大量多余的行）后重新上传")

    def _message(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "ready":
            worker.ready = True
        elif kind == "stage" and worker.vid is not None:
            self.store.set_stage(worker.vid, str(message[1]))
        elif kind == "built" and worker.vid is not None:
            worker.built = True
            if not self.store.finish_build(worker.vid, self.pdf):
                self.store.fail(worker.vid, "生成的文档不完整，已作废；请重新上传")
                return
            version = self.store.version(worker.vid)
            log.info("版本#%s 已处理：%s", worker.vid, version["status"] if version else "?")
            if self.pdf and version is not None and version["pdf"] == "pending":
                worker.phase, worker.deadline = "pdf", time.monotonic() + self.limits.pdf_timeout
        elif kind == "pdf" and worker.vid is not None:
            self.store.finish_pdf(worker.vid)
        elif kind == "done":
            worker.vid, worker.phase = None, ""
            worker.tasks += 1

    def _lost(self, worker: _Worker, why: str) -> None:
        """The worker ended before reporting its job done: complete what was written, else fail it."""
        assert worker.vid is not None
        if worker.built:  # the PDF phase comes only after the build was reported
            self.store.fail_pdf(worker.vid)
        elif not self.store.finish_build(worker.vid, pdf=False):
            self.store.fail(worker.vid, why)
        worker.vid = None

    def _retire(self, worker: _Worker, kill: bool) -> None:
        try:
            if kill:
                worker.process.kill()
            else:
                worker.conn.send(None)
        except (OSError, ValueError):
            pass
        worker.process.join(timeout=10)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(timeout=5)
        worker.conn.close()
