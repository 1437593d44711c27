"""The data folder: one SQLite database (WAL mode) and the files, and every read and write of them.

Layout of ``DIR``::

    reportgen.sqlite3            settings, sessions, collections, units, versions, documents
    files/v/<key>/upload.xlsx    a version's uploaded workbook, as received
    files/v/<key>/docs/<n>.docx  its documents (and <n>.pdf), numbered in the format's order
    files/v/<key>/result.json    what its build found (written by the worker before the row says so)
    files/tmp/                   uploads being received, blank and carried workbooks being made

Contract:

* Every path is made from values the server generated and stored (a version's random hex ``key``,
  a document's number); nothing a clerk sends (a file name, a unit name) ever becomes a path.
* Files first, then the row: an upload is written and flushed into its version folder before the
  version's row is committed; a build's documents and ``result.json`` before the row records them.
  A crash therefore leaves either a complete version or none; :meth:`Store.recover` (run at every
  start) completes a build whose ``result.json`` was written, marks any other interrupted build
  ``failed`` (the unit uploads again), and removes folders that no row owns.
* Every write is one ``BEGIN IMMEDIATE`` transaction on its own connection (any thread may use the
  store); readers never wait for writers (WAL).
* Versions are never changed after their build is recorded, nor deleted: every upload stays, with its
  findings and documents. Version statuses: ``queued`` → ``building`` → ``built`` (documents made),
  ``errors`` (the workbook has errors) or ``failed`` (the build was stopped: time or memory limit,
  a crash, the server stopped). ``pdf``: ``none``, ``pending``, ``done`` or ``failed``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.serve import security

DB_NAME = "reportgen.sqlite3"
RESULT_NAME = "result.json"
PDF_RESULT_NAME = "pdf.json"
UPLOAD_NAME = "upload.xlsx"
_KEY = re.compile(r"[0-9a-f]{32}")
_DOC_FILE = re.compile(r"[0-9]{1,4}\.(docx|pdf)")
INTERRUPTED = "服务器在生成过程中停止，这次上传未能处理完；请重新上传填报表"

SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (id_hash TEXT PRIMARY KEY, csrf TEXT NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS collections (
  id INTEGER PRIMARY KEY, year INTEGER NOT NULL, format_id TEXT NOT NULL, deadline TEXT NOT NULL,
  title TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS units (
  id INTEGER PRIMARY KEY, collection_id INTEGER NOT NULL REFERENCES collections(id), name TEXT NOT NULL,
  secret TEXT NOT NULL, locked INTEGER NOT NULL DEFAULT 0, confirmed_version INTEGER REFERENCES versions(id),
  created REAL NOT NULL, UNIQUE (collection_id, name));
CREATE TABLE IF NOT EXISTS versions (
  id INTEGER PRIMARY KEY, unit_id INTEGER NOT NULL REFERENCES units(id), number INTEGER NOT NULL,
  key TEXT NOT NULL UNIQUE, filename TEXT NOT NULL, size INTEGER NOT NULL, uploaded REAL NOT NULL,
  status TEXT NOT NULL, stage TEXT NOT NULL DEFAULT '', started REAL, finished REAL,
  errors INTEGER NOT NULL DEFAULT 0, warnings INTEGER NOT NULL DEFAULT 0, unit_name TEXT NOT NULL DEFAULT '',
  total TEXT, grade TEXT NOT NULL DEFAULT '', result TEXT NOT NULL DEFAULT '{}',
  pdf TEXT NOT NULL DEFAULT 'none', UNIQUE (unit_id, number));
CREATE INDEX IF NOT EXISTS versions_status ON versions (status);
CREATE TABLE IF NOT EXISTS documents (
  id INTEGER PRIMARY KEY, version_id INTEGER NOT NULL REFERENCES versions(id), position INTEGER NOT NULL,
  kind TEXT NOT NULL, file TEXT NOT NULL, name TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_version ON documents (version_id);
"""

SESSION_SECONDS = 8 * 3600


@dataclass(frozen=True)
class Document:
    """A document file of a build, as the worker lists it in ``result.json``/``pdf.json``."""

    position: int
    kind: str  # docx / pdf
    file: str  # <n>.docx, <n>.pdf inside the version's docs/ folder
    name: str  # the name the download gets


def fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # pragma: no cover - Windows cannot open a folder to flush it
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json(path: Path, data: Any) -> None:
    """Write ``path`` atomically: a flushed temporary file renamed into place."""
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class Store:
    def __init__(self, data: Path):
        self.root = Path(data)
        self.db_path = self.root / DB_NAME
        self.files = self.root / "files"
        self.tmp = self.files / "tmp"
        for folder in (self.files / "v", self.tmp):
            folder.mkdir(parents=True, exist_ok=True)
        with self.connection() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(SCHEMA)
        self.secret_key()  # created once, on first start

    # ---- connections ------------------------------------------------------------------------------

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.db_path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=FULL")
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed when the block ends without an exception."""
        with self.connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _one(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Row | None:
        with self.connection() as conn:
            return conn.execute(sql, args).fetchone()

    def _all(self, sql: str, args: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self.connection() as conn:
            return conn.execute(sql, args).fetchall()

    # ---- settings: the secret key, the admin password, the one-time setup code -------------------

    def _setting(self, key: str) -> str | None:
        row = self._one("SELECT value FROM settings WHERE key = ?", (key,))
        return row["value"] if row else None

    def _set(self, conn: sqlite3.Connection, key: str, value: str | None) -> None:
        if value is None:
            conn.execute("DELETE FROM settings WHERE key = ?", (key,))
        else:
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    def secret_key(self) -> str:
        key = self._setting("secret_key")
        if key is None:
            with self.write() as conn:
                self._set(conn, "secret_key", os.urandom(32).hex())
            key = self._setting("secret_key")
        assert key is not None
        return key

    def password_hash(self) -> str | None:
        return self._setting("password")

    def new_setup_code(self) -> str:
        """A fresh one-time code for setting the admin password (the previous one stops working)."""
        code = security.new_secret()
        with self.write() as conn:
            self._set(conn, "setup", security.digest(code))
        return code

    def setup_pending(self, code: str) -> bool:
        stored = self._setting("setup")
        return stored is not None and self.password_hash() is None and \
            security.same_secret(stored, security.digest(code))

    def set_password(self, password_hash: str) -> None:
        """The admin password; the setup code is spent and every admin session ends."""
        with self.write() as conn:
            self._set(conn, "password", password_hash)
            self._set(conn, "setup", None)
            conn.execute("DELETE FROM sessions")

    def reset_password(self) -> None:
        with self.write() as conn:
            self._set(conn, "password", None)
            conn.execute("DELETE FROM sessions")

    # ---- admin sessions ---------------------------------------------------------------------------

    def new_session(self) -> str:
        sid = security.new_secret() + security.new_secret()
        with self.write() as conn:
            conn.execute("DELETE FROM sessions WHERE expires < ?", (time.time(),))
            conn.execute("INSERT INTO sessions (id_hash, csrf, expires) VALUES (?, ?, ?)",
                         (security.digest(sid), security.new_secret(), time.time() + SESSION_SECONDS))
        return sid

    def session_csrf(self, sid: str) -> str | None:
        """The session's CSRF binding, or None when there is no such live session."""
        row = self._one("SELECT csrf, expires FROM sessions WHERE id_hash = ?", (security.digest(sid),))
        return row["csrf"] if row and row["expires"] > time.time() else None

    def end_session(self, sid: str) -> None:
        with self.write() as conn:
            conn.execute("DELETE FROM sessions WHERE id_hash = ?", (security.digest(sid),))

    # ---- collections and units --------------------------------------------------------------------

    def create_collection(self, year: int, format_id: str, deadline: str, title: str) -> int:
        with self.write() as conn:
            cur = conn.execute("INSERT INTO collections (year, format_id, deadline, title, created) "
                               "VALUES (?, ?, ?, ?, ?)", (year, format_id, deadline, title, time.time()))
            return int(cur.lastrowid or 0)

    def collections(self) -> list[sqlite3.Row]:
        return self._all("SELECT c.*, (SELECT COUNT(*) FROM units u WHERE u.collection_id = c.id) AS units "
                         "FROM collections c ORDER BY c.year DESC, c.id DESC")

    def collection(self, cid: int) -> sqlite3.Row | None:
        return self._one("SELECT * FROM collections WHERE id = ?", (cid,))

    def add_units(self, cid: int, names: Sequence[str]) -> tuple[list[str], list[str]]:
        """(added, already there) — each name once, in the order given."""
        added, present = [], []
        with self.write() as conn:
            for name in dict.fromkeys(names):
                if conn.execute("SELECT 1 FROM units WHERE collection_id = ? AND name = ?", (cid, name)).fetchone():
                    present.append(name)
                    continue
                conn.execute("INSERT INTO units (collection_id, name, secret, created) VALUES (?, ?, ?, ?)",
                             (cid, name, security.new_secret(), time.time()))
                added.append(name)
        return added, present

    _UNIT_LATEST = """
        SELECT u.*, v.id AS v_id, v.number AS v_number, v.status AS v_status, v.stage AS v_stage,
               v.uploaded AS v_uploaded, v.errors AS v_errors, v.warnings AS v_warnings, v.total AS v_total,
               v.grade AS v_grade, v.unit_name AS v_unit_name, v.pdf AS v_pdf,
               (SELECT COUNT(*) FROM versions x WHERE x.unit_id = u.id) AS versions
        FROM units u LEFT JOIN versions v
          ON v.id = (SELECT id FROM versions w WHERE w.unit_id = u.id ORDER BY w.number DESC LIMIT 1)
    """

    def units(self, cid: int) -> list[sqlite3.Row]:
        """Every unit of a collection with its latest version's summary (``v_…``; NULL: none)."""
        return self._all(self._UNIT_LATEST + " WHERE u.collection_id = ? ORDER BY u.id", (cid,))

    def unit(self, uid: int) -> sqlite3.Row | None:
        return self._one(self._UNIT_LATEST + " WHERE u.id = ?", (uid,))

    def unit_by_link(self, uid: int, secret: str) -> sqlite3.Row | None:
        """The unit whose link is ``/u/<uid>/<secret>``; the secret compared in constant time."""
        row = self.unit(uid)
        if row is None:
            security.same_secret(security.new_secret(), secret)  # the same work either way
            return None
        return row if security.same_secret(row["secret"], secret) else None

    def set_locked(self, uid: int, locked: bool) -> None:
        """Lock a unit against uploads, or reopen it (which also withdraws its confirmation)."""
        with self.write() as conn:
            if locked:
                conn.execute("UPDATE units SET locked = 1 WHERE id = ?", (uid,))
            else:
                conn.execute("UPDATE units SET locked = 0, confirmed_version = NULL WHERE id = ?", (uid,))

    def confirm(self, uid: int, vid: int) -> bool:
        """The clerk confirms a built version as the unit's submission; the unit is then locked."""
        with self.write() as conn:
            row = conn.execute("SELECT status, number FROM versions WHERE id = ? AND unit_id = ?", (vid, uid)).fetchone()
            latest = conn.execute("SELECT MAX(number) AS n FROM versions WHERE unit_id = ?", (uid,)).fetchone()["n"]
            if row is None or row["status"] != "built" or row["number"] != latest:
                return False
            conn.execute("UPDATE units SET locked = 1, confirmed_version = ? WHERE id = ?", (vid, uid))
            return True

    def previous_submission(self, unit: sqlite3.Row, year: int) -> Path | None:
        """Last year's upload of the unit of the same name whose documents were made, if any."""
        row = self._one(
            "SELECT v.key FROM versions v JOIN units u ON u.id = v.unit_id JOIN collections c ON c.id = u.collection_id "
            "WHERE c.year = ? AND u.name = ? AND v.status = 'built' ORDER BY v.id DESC LIMIT 1", (year - 1, unit["name"]))
        return self.version_dir(row["key"]) / UPLOAD_NAME if row else None

    # ---- versions ---------------------------------------------------------------------------------

    def temp_path(self, suffix: str) -> Path:
        """A new unguessable name in ``files/tmp`` (removed with the leftovers at start-up)."""
        return self.tmp / f"{os.urandom(16).hex()}{suffix}"

    def upload_path(self, version: sqlite3.Row) -> Path:
        """The workbook a version was made from, as uploaded."""
        return self.version_dir(version["key"]) / UPLOAD_NAME

    def version_dir(self, key: str) -> Path:
        if not _KEY.fullmatch(key):
            raise ValueError("bad version key")
        return self.files / "v" / key

    def add_version(self, uid: int, received: Path, filename: str, size: int) -> sqlite3.Row:
        """Move a received upload into a new version folder, flushed, then commit the version's row."""
        key = os.urandom(16).hex()
        folder = self.version_dir(key)
        folder.mkdir()
        try:
            os.replace(received, folder / UPLOAD_NAME)
            fsync_dir(folder)
            with self.write() as conn:
                number = conn.execute("SELECT COALESCE(MAX(number), 0) + 1 AS n FROM versions WHERE unit_id = ?",
                                      (uid,)).fetchone()["n"]
                cur = conn.execute(
                    "INSERT INTO versions (unit_id, number, key, filename, size, uploaded, status) "
                    "VALUES (?, ?, ?, ?, ?, ?, 'queued')", (uid, number, key, filename, size, time.time()))
                vid = cur.lastrowid
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        row = self.version(int(vid or 0))
        assert row is not None
        return row

    def version(self, vid: int) -> sqlite3.Row | None:
        return self._one("SELECT * FROM versions WHERE id = ?", (vid,))

    def versions(self, uid: int) -> list[sqlite3.Row]:
        return self._all("SELECT id, unit_id, number, filename, size, uploaded, status, stage, errors, warnings, "
                         "total, grade, pdf FROM versions WHERE unit_id = ? ORDER BY number DESC", (uid,))

    def version_of_unit(self, uid: int, number: int) -> sqlite3.Row | None:
        return self._one("SELECT * FROM versions WHERE unit_id = ? AND number = ?", (uid, number))

    def pending(self) -> int:
        row = self._one("SELECT COUNT(*) AS n FROM versions WHERE status IN ('queued', 'building')")
        return int(row["n"]) if row else 0

    def unit_pending(self, uid: int) -> int:
        row = self._one("SELECT COUNT(*) AS n FROM versions WHERE unit_id = ? AND status IN ('queued', 'building')",
                        (uid,))
        return int(row["n"]) if row else 0

    def queue_position(self, vid: int) -> int:
        """How many queued versions will start before this one (about: one unit builds at a time)."""
        row = self._one("SELECT COUNT(*) AS n FROM versions WHERE status = 'queued' AND id < ?", (vid,))
        return int(row["n"]) if row else 0

    # ---- documents --------------------------------------------------------------------------------

    _DOCUMENTS = "SELECT d.*, v.key, v.unit_id FROM documents d JOIN versions v ON v.id = d.version_id "

    def documents(self, vid: int) -> list[sqlite3.Row]:
        return self._all(self._DOCUMENTS + "WHERE d.version_id = ? ORDER BY d.kind = 'pdf', d.position", (vid,))

    def versions_with_documents(self, vids: Sequence[int]) -> dict[int, tuple[sqlite3.Row, list[sqlite3.Row]]]:
        """Each version of ``vids`` with its documents (as :meth:`version` and :meth:`documents` give
        them), read over one connection: a collection's 汇总表 and zip ask for every unit's."""
        found: dict[int, tuple[sqlite3.Row, list[sqlite3.Row]]] = {}
        with self.connection() as conn:
            for start in range(0, len(vids), 500):  # SQLite's bound on parameters per statement
                chunk = list(vids[start:start + 500])
                marks = ",".join("?" * len(chunk))
                for row in conn.execute(f"SELECT * FROM versions WHERE id IN ({marks})", chunk):
                    found[row["id"]] = (row, [])
                for doc in conn.execute(self._DOCUMENTS + f"WHERE d.version_id IN ({marks}) "
                                        "ORDER BY d.version_id, d.kind = 'pdf', d.position", chunk):
                    found[doc["version_id"]][1].append(doc)
        return found

    def document(self, did: int) -> sqlite3.Row | None:
        """A document with its version's key and unit (``unit_id``), for the ownership check."""
        return self._one("SELECT d.*, v.key, v.unit_id, v.number FROM documents d "
                         "JOIN versions v ON v.id = d.version_id WHERE d.id = ?", (did,))

    def document_path(self, doc: sqlite3.Row) -> Path:
        if not _DOC_FILE.fullmatch(doc["file"]):
            raise ValueError("bad document file")
        return self.version_dir(doc["key"]) / "docs" / doc["file"]

    # ---- the worker's side ------------------------------------------------------------------------

    def take_job(self) -> sqlite3.Row | None:
        """The next queued version to build — oldest first, but never two of one unit at once (one
        unit's uploads cannot hold up the others) — marked ``building``; with its collection's format."""
        with self.write() as conn:
            row = conn.execute(
                "SELECT v.id, v.key, c.format_id FROM versions v JOIN units u ON u.id = v.unit_id "
                "JOIN collections c ON c.id = u.collection_id WHERE v.status = 'queued' AND NOT EXISTS "
                "(SELECT 1 FROM versions b WHERE b.unit_id = v.unit_id AND b.status = 'building') "
                "ORDER BY v.id LIMIT 1").fetchone()
            if row is not None:
                conn.execute("UPDATE versions SET status = 'building', stage = '', started = ? WHERE id = ?",
                             (time.time(), row["id"]))
            return row

    def set_stage(self, vid: int, stage: str) -> None:
        with self.write() as conn:
            conn.execute("UPDATE versions SET stage = ? WHERE id = ?", (stage, vid))

    def finish_build(self, vid: int, pdf: bool) -> bool:
        """Record what ``result.json`` says (documents, findings, figures); False when it is missing
        or names a document file that is not there (the build is then not complete)."""
        row = self.version(vid)
        if row is None:
            return False
        folder = self.version_dir(row["key"])
        data = read_json(folder / RESULT_NAME)
        if not isinstance(data, dict) or not isinstance(data.get("record"), dict):
            return False
        docs = _listed(data, "docx")
        if not all(_present(folder, d) for d in docs):
            return False
        record = data["record"]
        findings = record.get("findings", [])
        errors = sum(1 for f in findings if f.get("severity") != "warning")
        status = "failed" if record.get("internal") else ("built" if docs else "errors")
        with self.write() as conn:
            conn.execute(
                "UPDATE versions SET status = ?, stage = '', finished = ?, errors = ?, warnings = ?, unit_name = ?, "
                "total = ?, grade = ?, result = ?, pdf = ? WHERE id = ?",
                (status, time.time(), errors, len(findings) - errors, str(record.get("unit_name") or ""),
                 record.get("total"), str(record.get("grade") or ""), json.dumps(record, ensure_ascii=False),
                 "pending" if pdf and docs else "none", vid))
            conn.execute("DELETE FROM documents WHERE version_id = ?", (vid,))
            _insert(conn, vid, docs)
        return True

    def finish_pdf(self, vid: int) -> None:
        """Record the PDFs ``pdf.json`` lists (those whose files are there); ``pdf`` failed without it."""
        row = self.version(vid)
        if row is None:
            return
        folder = self.version_dir(row["key"])
        data = read_json(folder / PDF_RESULT_NAME)
        docs = [d for d in _listed(data, "pdf") if _present(folder, d)]
        listed = {d.file for d in docs}
        for stray in (folder / "docs").glob("*.pdf"):  # from a conversion that did not finish
            if stray.name not in listed:
                stray.unlink(missing_ok=True)
        record = json.loads(row["result"] or "{}")
        if isinstance(data, dict):
            record["pdf_findings"] = data.get("findings", [])
        with self.write() as conn:
            conn.execute("DELETE FROM documents WHERE version_id = ? AND kind = 'pdf'", (vid,))
            _insert(conn, vid, docs)
            conn.execute("UPDATE versions SET pdf = ?, result = ? WHERE id = ?",
                         ("done" if docs else "failed", json.dumps(record, ensure_ascii=False), vid))

    def fail_pdf(self, vid: int) -> None:
        with self.write() as conn:
            conn.execute("UPDATE versions SET pdf = 'failed' WHERE id = ? AND pdf = 'pending'", (vid,))

    def fail(self, vid: int, message: str) -> None:
        """A build that did not finish: ``failed`` with one finding saying why; partial files removed."""
        row = self.version(vid)
        if row is None:
            return
        folder = self.version_dir(row["key"])
        shutil.rmtree(folder / "docs", ignore_errors=True)
        for name in (RESULT_NAME, PDF_RESULT_NAME):
            (folder / name).unlink(missing_ok=True)
        from reportgen.errors import Finding
        from reportgen.serve.records import finding_record

        record = {"findings": [finding_record(Finding(message))], "internal": True}
        with self.write() as conn:
            conn.execute("DELETE FROM documents WHERE version_id = ?", (vid,))
            conn.execute("UPDATE versions SET status = 'failed', stage = '', finished = ?, errors = 1, warnings = 0, "
                         "result = ?, pdf = 'none' WHERE id = ?",
                         (time.time(), json.dumps(record, ensure_ascii=False), vid))

    def recover(self) -> dict[str, int]:
        """Make the data folder consistent after a crash (see the module's contract); counts what it did."""
        done = {"completed": 0, "failed": 0, "removed": 0}
        for row in self._all("SELECT id, pdf FROM versions WHERE status = 'building'"):
            if self.finish_build(row["id"], pdf=False):
                done["completed"] += 1
            else:
                self.fail(row["id"], INTERRUPTED)
                done["failed"] += 1
        for row in self._all("SELECT id FROM versions WHERE pdf = 'pending'"):
            self.finish_pdf(row["id"])
        keys = {row["key"] for row in self._all("SELECT key FROM versions")}
        for folder in (self.files / "v").iterdir():
            if folder.name not in keys:
                shutil.rmtree(folder, ignore_errors=True)
                done["removed"] += 1
        for leftover in self.tmp.iterdir():
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
        return done


def _listed(data: Any, kind: str) -> list[Document]:
    """The documents a worker's result file lists (none when it is not a mapping)."""
    entries = data.get("documents", []) if isinstance(data, dict) else []
    return [Document(int(d["position"]), kind, str(d["file"]), str(d["name"])) for d in entries]


def _present(folder: Path, doc: Document) -> bool:
    """A listed file with one of our names, there in the version's ``docs``."""
    return bool(_DOC_FILE.fullmatch(doc.file)) and (folder / "docs" / doc.file).is_file()


def _insert(conn: sqlite3.Connection, vid: int, docs: list[Document]) -> None:
    conn.executemany("INSERT INTO documents (version_id, position, kind, file, name) VALUES (?, ?, ?, ?, ?)",
                     [(vid, d.position, d.kind, d.file, d.name) for d in docs])
