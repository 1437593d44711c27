"""Helpers the ``reportgen serve`` tests share: a service on a temporary data folder, its workbooks."""

from __future__ import annotations

import re
import time
from pathlib import Path

from reportgen.serve.main import load_formats
from reportgen.serve.store import Store
from reportgen.serve.web import Services, Settings
from reportgen.serve.worker import BuildQueue, Limits
from tests.xlsx_edit import set_cells

ROOT = Path(__file__).resolve().parent.parent
FORMAT = "yueyang-2020"  # two documents a unit: quick
EXAMPLE = ROOT / "inputs" / f"example-{FORMAT}.xlsx"
UNIT = "青山县医疗保障局"
PASSWORD = "财政局-test-1"


def services(data: Path, max_upload: int = 2 * 1024 * 1024, **limits: float) -> Services:
    """A service whose queue knows only ``FORMAT`` (its worker warms up quickly); no PDFs."""
    store = Store(data)
    formats = {fid: f for fid, f in load_formats(()).items() if fid == FORMAT}
    queue = BuildQueue(store, {fid: folder for fid, (folder, _) in formats.items()},
                       Limits(jobs=1, **limits), pdf=False)  # type: ignore[arg-type]
    return Services(store, queue, Settings(formats=formats, max_upload=max_upload, refresh=1), store.secret_key())


def bad_workbook(path: Path) -> Path:
    """The example with 收入!B2 = "约50万": one error, at that cell."""
    return set_cells(EXAMPLE, path, {"收入": {"B2": "约50万"}})


def csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def wait_built(store: Store, vid: int, timeout: float = 90.0) -> str:
    """The version's status once its build (and PDFs) have finished."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = store.version(vid)
        assert row is not None
        if row["status"] not in ("queued", "building") and row["pdf"] != "pending":
            return str(row["status"])
        time.sleep(0.05)
    raise AssertionError(f"version {vid} still {row['status']} after {timeout} s")
