"""What the admin and clerk pages share: settings, templates, status words, refusals, uploads.

Contract:

* :class:`Settings` — what ``reportgen serve`` was started with (the formats it may use: built-in ones
  and folders given on its command line, never one from an upload).
* :func:`page` renders a template (Jinja2, autoescaped) and :func:`refusal` a Chinese error page with
  its HTTP status; no handler shows a traceback (``app`` turns anything unexpected into a 500 page).
* :func:`unit_state` — the words and colour of a unit's state on the dashboard and the clerk's page.
* :func:`receive_upload` streams an upload to a file under ``files/tmp``, refusing (with the Chinese
  reason) a body over the limit, a file that is not ``.xlsx``, or content that is not a zip file.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.templating import Jinja2Templates

from reportgen.serve.store import Store
from reportgen.serve.worker import BuildQueue

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))


@dataclass
class Settings:
    formats: dict[str, tuple[Path, str]]  # id -> (folder, 中文名称)
    max_upload: int = 20 * 1024 * 1024
    public_url: str = ""  # how clerks reach this server, for the printed links
    pdf: bool = False
    refresh: int = 2  # seconds between reloads of a page waiting for a build


@dataclass
class Services:
    store: Store
    queue: BuildQueue
    settings: Settings
    key: str = ""  # the server's secret key (CSRF tokens)


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


# ---- formatting -------------------------------------------------------------------------------


def when(timestamp: float | None) -> str:
    if not timestamp:
        return ""
    return dt.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


templates.env.filters["when"] = when
templates.env.filters["size"] = size_text


def clean_text(value: object, limit: int = 200) -> str:
    """Text from a form or a file name: as ``filenames.clean`` makes it (control, direction and other
    invisible characters removed, NFC, trimmed), bounded."""
    from reportgen.filenames import clean

    return clean(str(value or ""))[:limit]


@dataclass(frozen=True)
class State:
    label: str
    css: str  # none / error / busy / failed / built / confirmed
    rank: int  # for sorting: the states needing the 财政局's attention first


def unit_state(unit: sqlite3.Row) -> State:
    status = unit["v_status"]
    if status is None:
        return State("未提交", "none", 0)
    if status == "errors":
        return State(f"有错误（{unit['v_errors']}）", "error", 1)
    if status == "failed":
        return State("处理失败", "failed", 2)
    if status in ("queued", "building"):
        return State("处理中", "busy", 3)
    if unit["confirmed_version"] == unit["v_id"]:
        return State("已确认", "confirmed", 5)
    return State("已生成", "built", 4)


def version_state(version: sqlite3.Row) -> str:
    return {"queued": "排队中", "building": "处理中", "built": "已生成", "errors": "有错误",
            "failed": "处理失败"}.get(version["status"], version["status"])


# ---- responses --------------------------------------------------------------------------------


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def refusal(request: Request, status_code: int, title: str, message: str, back: str = "") -> Response:
    return page(request, "refusal.html", status_code=status_code, title=title, message=message, back=back)


# ---- uploads ----------------------------------------------------------------------------------


class UploadRefused(Exception):
    def __init__(self, status_code: int, message: str):
        super().__init__(message)
        self.status_code = status_code
        self.message = message


ZIP_MAGIC = b"PK\x03\x04"
_OTHER = {".xls": "旧版 Excel（.xls）", ".et": "WPS 表格（.et）", ".xlsm": "含宏的工作簿（.xlsm）",
          ".xlsb": "二进制工作簿（.xlsb）", ".ods": "OpenDocument 表格（.ods）", ".csv": "CSV 文本"}


def too_large(request: Request, limit: int) -> bool:
    """Whether the declared body is over ``limit`` (a missing length counts as too large)."""
    try:
        return int(request.headers.get("content-length", "")) > limit
    except ValueError:
        return True


async def drain(request: Request, cap: int) -> None:
    """Read (and drop) up to ``cap`` bytes of a refused body, so the browser gets the answer page."""
    seen = 0
    try:
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > cap:
                break
    except Exception:  # the client went away: nothing to answer
        pass


def check_upload_name(filename: str) -> None:
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return
    if suffix in _OTHER:
        raise UploadRefused(415, f"这是{_OTHER[suffix]}文件：请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后再上传")
    raise UploadRefused(415, "只能上传 Excel 工作簿（.xlsx）文件")


MEDIA_TYPES = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               ".pdf": "application/pdf", ".zip": "application/zip",
               ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def file_response(path: Path, name: str, *, temporary: bool = False) -> FileResponse:
    """``path`` downloaded as ``name``, its media type from its suffix; ``temporary``: removed once sent."""
    return FileResponse(path, filename=name, media_type=MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
                        background=BackgroundTask(path.unlink, missing_ok=True) if temporary else None)


def save_upload(upload: UploadFile, store: Store, limit: int) -> tuple[Path, int]:
    """Copy the upload to ``files/tmp`` (a random name), checking size and zip signature."""
    target = store.temp_path(".part")
    size = 0
    try:
        with target.open("xb") as out:
            source = upload.file
            source.seek(0)
            head = source.read(4)
            if head != ZIP_MAGIC:
                raise UploadRefused(415, "文件内容不是 Excel 工作簿（.xlsx）：可能是改了扩展名的其他文件，或已损坏、已加密；"
                                         "请在 Excel/WPS 中另存为 .xlsx 后再上传")
            out.write(head)
            size = len(head)
            while chunk := source.read(1024 * 1024):
                size += len(chunk)
                if size > limit:
                    raise UploadRefused(413, f"上传的文件不能超过 {limit // 1024 // 1024} MB。请删除填报表中多余的内容（如图片、"
                                             "大量空行）后另存再上传")
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target, size
