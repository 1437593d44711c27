"""Benchmark and fault run: ``reportgen serve`` with many units uploading at once (loopback only).

Usage: .venv/bin/python bench/serve_load.py [--units 50] [--jobs 2] [--pdf] [--skip-fault]

1. Load run: one server (``reportgen serve --data TMP --host 127.0.0.1 --port 0 --no-pdf``, as a
   财政局 starts it), one collection of UNITS units (at most 200), each with its own copy of
   inputs/example.xlsx whose 单位名称 is the unit's own name. All units then upload at the same moment
   (one thread each) and reload their page until their documents are ready. Checked afterwards:
   every upload is stored as exactly one version, byte for byte; every version is built and its
   documents carry its own unit's name (none lost, none mixed up). Printed: p50/p95 of the upload
   (POST) and page (GET) response times, and the build throughput.
2. Fault run: a new server, 8 uploads, then the server is killed (SIGKILL) while a build is running
   and started again on the same data folder. Checked: every version is then complete (built, its
   documents on disk) or marked failed with a reason and no document files, nothing else is left in
   the data folder, and a failed unit's new upload builds.

Bounded: at most 200 units, every wait has a deadline (the run stops with an error after TIMEOUT_S).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTGEN = Path(sys.executable).parent / "reportgen"
EXAMPLE = ROOT / "inputs" / "example.xlsx"
EXAMPLE_UNIT = "青山县医疗保障局"
PASSWORD = "bench-password-1"
TIMEOUT_S = 600
MAX_UNITS = 200


# ---- workbooks ------------------------------------------------------------------------------


def unit_name(i: int) -> str:
    return f"青山县第{i:03d}号测试局"


def _xml_text(text: str) -> bytes:
    """``text`` as the example's sheets store it: every non-ASCII character as ``&#NNNN;``."""
    return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in text).encode("ascii")


def workbook_for(name: str, out: Path) -> bytes:
    """The example with its 单位名称 replaced by ``name`` wherever it occurs: a distinct workbook."""
    with zipfile.ZipFile(EXAMPLE) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/") and info.filename.endswith(".xml"):
                data = data.replace(_xml_text(EXAMPLE_UNIT), _xml_text(name)).replace(
                    EXAMPLE_UNIT.encode(), name.encode())
            dst.writestr(info, data)
    return out.read_bytes()


# ---- HTTP -----------------------------------------------------------------------------------


class Client:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),  # loopback: never a proxy
                                                  urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str, float]:
        return self._send(urllib.request.Request(self.base + path))

    def post(self, path: str, fields: dict[str, str], file: tuple[str, bytes] | None = None) -> tuple[int, str, float]:
        if file is None:
            body = urllib.parse.urlencode(fields).encode()
            ctype = "application/x-www-form-urlencoded"
        else:
            boundary = os.urandom(12).hex()
            parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                     for k, v in fields.items()]
            name, data = file
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="workbook"; filename="{name}"\r\n'
                         "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
                         .encode() + data + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            ctype = f"multipart/form-data; boundary={boundary}"
        return self._send(urllib.request.Request(self.base + path, data=body, headers={"Content-Type": ctype}))

    def _send(self, request: urllib.request.Request) -> tuple[int, str, float]:
        start = time.perf_counter()
        try:
            with self.opener.open(request, timeout=120) as answer:
                text = answer.read().decode("utf-8", "replace")
                status = answer.status
        except urllib.error.HTTPError as exc:
            text, status = exc.read().decode("utf-8", "replace"), exc.code
        return status, text, time.perf_counter() - start


def csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    if not match:
        raise SystemExit("no CSRF token on the page")
    return match.group(1)


# ---- the server -----------------------------------------------------------------------------


class Server:
    """``reportgen serve`` in a child process on 127.0.0.1 and a free port."""

    def __init__(self, data: Path, jobs: int, pdf: bool):
        args = [str(REPORTGEN), "serve", "--data", str(data), "--host", "127.0.0.1", "--port", "0",
                "--jobs", str(jobs), "--pdf" if pdf else "--no-pdf"]
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"}
        self.log = (data.parent / f"{data.name}-server.log").open("ab")
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, env=env)
        self.lines: list[str] = []
        deadline = time.monotonic() + 60
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline().decode("utf-8", "replace")
            if not line:
                raise SystemExit(f"server exited: {self.process.wait()}")
            self.lines.append(line.rstrip())
            if "已启动" in line:
                break
        self.base = re.search(r"(http://127\.0\.0\.1:\d+)", self.lines[-1]).group(1)  # type: ignore[union-attr]
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for _ in self.process.stdout:
            pass

    def setup_path(self) -> str | None:
        return next((m.group(1) for line in self.lines if (m := re.search(r"(/setup/\S+)", line))), None)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self.log.close()


def admin_with_units(server: Server, names: list[str]) -> dict[str, str]:
    """Set the password (setup link) or log in, create a collection with ``names``: name -> link path."""
    admin = Client(server.base)
    setup = server.setup_path()
    if setup:
        _, page, _ = admin.get(setup)
        admin.post(setup, {"csrf": csrf(page), "password": PASSWORD, "again": PASSWORD})
    _, home, _ = admin.get("/admin")
    token = csrf(home)
    _, dashboard, _ = admin.post("/admin", {"csrf": token, "year": "2025", "format": "national-2025",
                                            "deadline": "2099-04-30"})
    cid = re.search(r'/admin/c/(\d+)/links', dashboard).group(1)  # type: ignore[union-attr]
    admin.post(f"/admin/c/{cid}/units", {"csrf": token, "names": "\n".join(names)})
    _, links, _ = admin.get(f"/admin/c/{cid}/links")
    found = dict(re.findall(r"<td>([^<]+)</td><td class=\"url\">[^<]*?(/u/\d+/[^<]+)</td>", links))
    if sorted(found) != sorted(names):
        raise SystemExit(f"links page lists {len(found)} of {len(names)} units")
    return found


@dataclass
class Unit:
    name: str
    link: str
    workbook: bytes
    upload_s: float = 0.0
    status: int = 0
    page_s: list[float] = field(default_factory=list)
    uploaded_at: float = 0.0
    done_at: float = 0.0
    error: str = ""


def clerk(unit: Unit, start: threading.Barrier, deadline: float) -> None:
    client = Client(BASE[0])
    try:
        status, page, took = client.get(unit.link)
        unit.page_s.append(took)
        token = csrf(page)
        start.wait()
        unit.uploaded_at = time.perf_counter()
        unit.status, page, unit.upload_s = client.post(f"{unit.link}/upload", {"csrf": token},
                                                       (f"{unit.name}.xlsx", unit.workbook))
        while time.monotonic() < deadline:
            if "检查通过" in page or "发现" in page or "未能处理完" in page:
                unit.done_at = time.perf_counter()
                return
            time.sleep(0.5)
            _, page, took = client.get(unit.link)
            unit.page_s.append(took)
        unit.error = "timeout"
    except Exception as exc:  # the bench reports it; nothing to recover
        unit.error = f"{type(exc).__name__}: {exc}"


BASE: list[str] = [""]


def quantiles(values: list[float]) -> str:
    ordered = sorted(values)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"p50 {p50 * 1000:6.0f} ms   p95 {p95 * 1000:6.0f} ms   (n={len(ordered)})"


# ---- checks on the data folder --------------------------------------------------------------


def rows(data: Path, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
    conn = sqlite3.connect(f"file:{data / 'reportgen.sqlite3'}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def consistent(data: Path) -> list[str]:
    """Problems with the data folder: a version neither complete nor failed, files without a row."""
    problems = []
    versions = rows(data, "SELECT id, key, status, result FROM versions")
    for v in versions:
        folder = data / "files" / "v" / v["key"]
        docs = rows(data, "SELECT file FROM documents WHERE version_id = ?", (v["id"],))
        if not (folder / "upload.xlsx").is_file():
            problems.append(f"version {v['id']}: upload missing")
        if v["status"] == "built":
            missing = [d["file"] for d in docs if not (folder / "docs" / d["file"]).is_file()]
            if not docs or missing:
                problems.append(f"version {v['id']}: built but documents missing {missing}")
        elif v["status"] == "failed":
            if docs or (folder / "docs").exists() or "请重新上传" not in v["result"]:
                problems.append(f"version {v['id']}: failed but not cleaned or without a reason")
        elif v["status"] != "errors":
            problems.append(f"version {v['id']}: still {v['status']}")
    keys = {v["key"] for v in versions}
    problems += [f"folder without a row: {p.name}" for p in (data / "files" / "v").iterdir() if p.name not in keys]
    problems += [f"left in tmp: {p.name}" for p in (data / "files" / "tmp").iterdir()]
    return problems


def wait_idle(data: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        if not rows(data, "SELECT 1 FROM versions WHERE status IN ('queued', 'building') OR pdf = 'pending'"):
            return
        time.sleep(0.2)
    raise SystemExit("the queue did not drain in time")


# ---- the two runs ---------------------------------------------------------------------------


def load_run(tmp: Path, units: int, jobs: int, pdf: bool) -> None:
    names = [unit_name(i) for i in range(1, units + 1)]
    books = {n: workbook_for(n, tmp / f"{i}.xlsx") for i, n in enumerate(names)}
    server = Server(tmp / "load", jobs, pdf)
    BASE[0] = server.base
    try:
        links = admin_with_units(server, names)
        load = [Unit(n, links[n], books[n]) for n in names]
        barrier = threading.Barrier(len(load))
        deadline = time.monotonic() + TIMEOUT_S
        threads = [threading.Thread(target=clerk, args=(u, barrier, deadline)) for u in load]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        first = min(u.uploaded_at for u in load)
        last = max(u.done_at for u in load if u.done_at) if any(u.done_at for u in load) else time.perf_counter()
        data = tmp / "load"
        wait_idle(data, deadline)
    finally:
        server.stop()

    failures = [f"{u.name}: {u.error or u.status}" for u in load if u.error or u.status != 200]
    stored = {r["name"]: r for r in rows(data, "SELECT u.name, v.key, v.status, v.unit_name, "
                                               "(SELECT COUNT(*) FROM versions w WHERE w.unit_id = u.id) AS n "
                                               "FROM units u JOIN versions v ON v.unit_id = u.id")}
    for u in load:
        r = stored.get(u.name)
        if r is None or r["n"] != 1:
            failures.append(f"{u.name}: {0 if r is None else r['n']} versions stored")
            continue
        upload = (data / "files" / "v" / r["key"] / "upload.xlsx").read_bytes()
        if upload != u.workbook:
            failures.append(f"{u.name}: stored upload differs from what it sent")
        if r["status"] != "built" or r["unit_name"] != u.name:
            failures.append(f"{u.name}: {r['status']}, built for “{r['unit_name']}”")
        docs = rows(data, "SELECT d.name FROM documents d JOIN versions v ON v.id = d.version_id WHERE v.key = ?",
                    (r["key"],))
        if not docs or any(not d["name"].startswith(u.name) for d in docs):
            failures.append(f"{u.name}: documents {[d['name'] for d in docs][:2]}")
    failures += consistent(data)
    wall = last - first
    print(f"load run: {units} units uploading at once, {jobs} build workers, PDF {'on' if pdf else 'off'}")
    print(f"  upload (POST, until the page answers)  {quantiles([u.upload_s for u in load if u.upload_s])}")
    print(f"  page   (GET, while builds run)         {quantiles([t for u in load for t in u.page_s])}")
    print(f"  all {units} built {wall:.1f} s after the first upload: {units / wall:.2f} builds/s "
          f"({wall / units * jobs:.2f} s a build per worker)")
    print(f"  versions stored {len(stored)}/{units}, lost or mixed up: {len(failures)}")
    for problem in failures[:20]:
        print(f"  PROBLEM {problem}")
    if failures:
        raise SystemExit(1)


def fault_run(tmp: Path, jobs: int) -> None:
    data = tmp / "fault"
    names = [unit_name(i) for i in range(1, 9)]
    server = Server(data, jobs, pdf=False)
    BASE[0] = server.base
    links = admin_with_units(server, names)
    clients = []
    for i, n in enumerate(names):
        c = Client(server.base)
        _, page, _ = c.get(links[n])
        clients.append((c, csrf(page)))
        c.post(f"{links[n]}/upload", {"csrf": clients[-1][1]}, (f"{n}.xlsx", workbook_for(n, tmp / f"f{i}.xlsx")))
    deadline = time.monotonic() + 60
    while not rows(data, "SELECT 1 FROM versions WHERE status = 'building'"):
        if time.monotonic() > deadline:
            raise SystemExit("no build started")
        time.sleep(0.01)
    before = {r["status"] for r in rows(data, "SELECT status FROM versions")}
    server.kill()
    killed_at = {r["id"]: r["status"] for r in rows(data, "SELECT id, status FROM versions")}
    time.sleep(1.0)  # the orphaned workers notice the server is gone and exit
    server = Server(data, jobs, pdf=False)
    BASE[0] = server.base
    repaired = next((line for line in server.lines if "上次未正常停止" in line), "（无）")
    try:
        wait_idle(data, time.monotonic() + TIMEOUT_S)
        problems = consistent(data)
        final = {r["id"]: r for r in rows(data, "SELECT v.id, v.status, u.name FROM versions v "
                                                "JOIN units u ON u.id = v.unit_id")}
        failed = [final[i]["name"] for i, s in killed_at.items() if s == "building" and final[i]["status"] == "failed"]
        again = []
        for name in failed:  # a failed unit uploads again: it builds
            c = Client(server.base)
            _, page, _ = c.get(links[name])
            c.post(f"{links[name]}/upload", {"csrf": csrf(page)}, (f"{name}.xlsx", workbook_for(name, tmp / "again.xlsx")))
            again.append(name)
        wait_idle(data, time.monotonic() + TIMEOUT_S)
        rebuilt = {r["name"]: r["status"] for r in rows(
            data, "SELECT u.name, v.status FROM versions v JOIN units u ON u.id = v.unit_id "
                  "WHERE v.number = (SELECT MAX(number) FROM versions w WHERE w.unit_id = u.id)")}
        problems += [f"{n}: upload after the crash is {rebuilt.get(n)}" for n in again if rebuilt.get(n) != "built"]
        problems += consistent(data)
    finally:
        server.stop()
    states = sorted(s for s in killed_at.values())
    print(f"fault run: killed the server (SIGKILL) with versions {'/'.join(sorted(before))}; at the kill: "
          f"{states.count('building')} building, {states.count('queued')} queued, "
          f"{len(states) - states.count('building') - states.count('queued')} done")
    print(f"  restart said: {repaired.strip()}")
    print(f"  interrupted builds marked failed: {len(failed)}; uploaded again and built: "
          f"{sum(rebuilt.get(n) == 'built' for n in again)}/{len(again)}; "
          f"every other version complete: {'yes' if not problems else 'no'}")
    for problem in problems:
        print(f"  PROBLEM {problem}")
    if problems:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--pdf", action="store_true", help="also make PDFs (LibreOffice)")
    parser.add_argument("--skip-fault", action="store_true")
    args = parser.parse_args()
    units = max(1, min(args.units, MAX_UNITS))
    tmp = Path(tempfile.mkdtemp(prefix="reportgen-serve-bench-"))
    try:
        load_run(tmp, units, args.jobs, args.pdf)
        if not args.skip_fault:
            fault_run(tmp, args.jobs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
