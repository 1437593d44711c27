"""The 财政局's pages: setup, login, collections, the dashboard, links, downloads, lock and reopen.

Contract: every ``/admin`` page needs a live session (cookie ``rg_session``: HttpOnly,
SameSite=Strict; the database keeps only its hash); without one a GET is sent to the login page
and a POST refused (403). Every POST carries the session's CSRF token (403 without it). The first
password is set through the one-time link ``reportgen serve`` prints (``/setup/<code>``). Failed
logins are counted per client address: after ``MAX_FAILURES`` the address waits ``LOCKOUT_S``.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from reportgen.serve import security
from reportgen.serve.collect import collection_zip, write_collection_summary
from reportgen.serve.records import finding_rows, stored_record
from reportgen.serve.store import SESSION_SECONDS
from reportgen.serve.web import (
    clean_text,
    file_response,
    page,
    refusal,
    services,
    too_large,
    unit_state,
    version_state,
)

SESSION_COOKIE = "rg_session"
LOGIN_COOKIE = "rg_login"
MAX_FAILURES = 10
LOCKOUT_S = 300
MAX_FORM = 2 * 1024 * 1024  # admin forms: a unit list file at most
MAX_UNITS = 1000  # names per paste or file
MAX_NAME = 100
_failures: dict[str, tuple[int, float]] = {}

Handler = Callable[[Request], Awaitable[Response]]


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


async def _form(request: Request) -> FormData | None:
    if request.headers.get("content-type", "").split(";")[0].strip() not in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        return None
    return await request.form(max_files=1, max_fields=20, max_part_size=MAX_FORM)


def admin_only(handler: Handler) -> Handler:
    """Login required; a POST's CSRF token checked and its form kept in ``request.state.form``."""

    @wraps(handler)
    async def wrapper(request: Request) -> Response:
        svc = services(request)
        sid = request.cookies.get(SESSION_COOKIE, "")
        binding = svc.store.session_csrf(sid) if sid else None
        if binding is None:
            if request.method == "GET":
                return RedirectResponse("/admin/login", status_code=303)
            return refusal(request, 403, "请先登录", "登录已过期或尚未登录，请重新登录后再操作。", "/admin/login")
        request.state.csrf = security.csrf_token(svc.key, f"admin:{binding}")
        if request.method == "POST":
            if too_large(request, MAX_FORM):
                return refusal(request, 413, "提交的内容过大", f"一次提交不能超过 {MAX_FORM // 1024 // 1024} MB。")
            form = await _form(request)
            if form is None or not security.csrf_ok(svc.key, f"admin:{binding}", form.get("csrf")):
                return refusal(request, 403, "页面已过期", "请返回上一页、刷新后再提交（表单缺少有效的校验码）。", "/admin")
            request.state.form = form
        return await handler(request)

    return wrapper


def _session_cookie(response: Response, sid: str) -> None:
    response.set_cookie(SESSION_COOKIE, sid, httponly=True, samesite="strict", path="/",
                        max_age=SESSION_SECONDS, secure=False)


# ---- first password, login, logout ------------------------------------------------------------


async def setup(request: Request) -> Response:
    svc = services(request)
    code = request.path_params["code"]
    if not svc.store.setup_pending(code):
        return refusal(request, 404, "链接无效", "这个设置链接无效或已经用过。忘记密码时，请在服务器上运行 "
                       "reportgen serve --data 数据文件夹 --reset-password，再打开新打印的链接。")
    csrf = security.csrf_token(svc.key, f"setup:{code}")
    problem = ""
    if request.method == "POST":
        form = await _form(request)
        if form is None or not security.csrf_ok(svc.key, f"setup:{code}", form.get("csrf")):
            return refusal(request, 403, "页面已过期", "请刷新页面后重新设置。")
        password, again = str(form.get("password", "")), str(form.get("again", ""))
        problem = security.password_problem(password, again)
        if not problem:
            svc.store.set_password(await run_in_threadpool(security.hash_password, password))
            response = RedirectResponse("/admin", status_code=303)
            _session_cookie(response, svc.store.new_session())
            return response
    return page(request, "setup.html", csrf=csrf, problem=problem, status_code=400 if problem else 200)


async def login(request: Request) -> Response:
    svc = services(request)
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    problem = ""
    if request.method == "POST":
        form = await _form(request)
        if form is None or not nonce or not security.csrf_ok(svc.key, f"login:{nonce}", form.get("csrf")):
            return refusal(request, 403, "页面已过期", "请刷新登录页后重新输入密码。", "/admin/login")
        client = _client(request)
        failures, until = _failures.get(client, (0, 0.0))
        stored = svc.store.password_hash()
        if until > time.time():
            problem = f"密码错误次数过多，请 {int(until - time.time()) // 60 + 1} 分钟后再试"
        elif stored is None:
            problem = "尚未设置管理员密码：请打开 reportgen serve 启动时打印的设置链接"
        elif await run_in_threadpool(security.verify_password, str(form.get("password", "")), stored):
            _failures.pop(client, None)
            response = RedirectResponse("/admin", status_code=303)
            _session_cookie(response, svc.store.new_session())
            response.delete_cookie(LOGIN_COOKIE, path="/admin/login")
            return response
        else:
            failures += 1
            _failures[client] = (0, time.time() + LOCKOUT_S) if failures >= MAX_FAILURES else (failures, 0.0)
            problem = "密码不正确"
    nonce = nonce or security.new_secret()
    response = page(request, "login.html", csrf=security.csrf_token(svc.key, f"login:{nonce}"), problem=problem,
                    status_code=401 if problem else 200)
    response.set_cookie(LOGIN_COOKIE, nonce, httponly=True, samesite="strict", path="/admin/login")
    return response


@admin_only
async def logout(request: Request) -> Response:
    services(request).store.end_session(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/admin/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# ---- collections ------------------------------------------------------------------------------


@admin_only
async def home(request: Request) -> Response:
    svc = services(request)
    problem = ""
    if request.method == "POST":
        form = request.state.form
        year_text = clean_text(form.get("year"), 4)
        format_id = clean_text(form.get("format"), 100)
        deadline = clean_text(form.get("deadline"), 10)
        if not (year_text.isdigit() and 2000 <= int(year_text) <= 2100):
            problem = "年度应为 2000–2100 之间的整数"
        elif format_id not in svc.settings.formats:
            problem = "请选择一个格式"
        elif not _is_date(deadline):
            problem = "请填写截止日期（如 2026-04-30）"
        else:
            year = int(year_text)
            cid = svc.store.create_collection(year, format_id, deadline, f"{year}年度部门整体支出绩效自评")
            return RedirectResponse(f"/admin/c/{cid}", status_code=303)
    return page(request, "admin_home.html", collections=svc.store.collections(), formats=svc.settings.formats,
                problem=problem, year=time.localtime().tm_year - 1, status_code=400 if problem else 200)


def _is_date(text: str) -> bool:
    try:
        time.strptime(text, "%Y-%m-%d")
        return True
    except ValueError:
        return False


SORTS: dict[str, Callable[[Any], Any]] = {
    "name": lambda u: u["name"],
    "state": lambda u: unit_state(u).rank,
    "total": lambda u: float(u["v_total"]) if u["v_total"] and u["v_status"] == "built" else -1.0,
    "grade": lambda u: (u["v_grade"] or "") if u["v_status"] == "built" else "",
    "lint": lambda u: u["v_warnings"] or 0,  # 提示数: every warning, the lint's 审核提示 included
    "uploaded": lambda u: u["v_uploaded"] or 0.0,
    "versions": lambda u: u["versions"],
}


def _with_collection(handler: Callable[[Request, Any], Awaitable[Response]]) -> Handler:
    """The page of the collection in the path (``cid``): 404 when there is none."""

    @wraps(handler)
    async def wrapper(request: Request) -> Response:
        collection = services(request).store.collection(request.path_params["cid"])
        if collection is None:
            return refusal(request, 404, "没有这个收集任务", "请从首页选择。", "/admin")
        return await handler(request, collection)

    return wrapper


@admin_only
@_with_collection
async def dashboard(request: Request, collection: Any) -> Response:
    svc = services(request)
    sort = request.query_params.get("sort", "")
    descending = request.query_params.get("order") == "desc"
    units = svc.store.units(collection["id"])
    if sort in SORTS:
        units = sorted(units, key=SORTS[sort], reverse=descending)
    rows = [(u, unit_state(u)) for u in units]
    counts: dict[str, int] = {}
    for _, state in rows:
        counts[state.css] = counts.get(state.css, 0) + 1
    fmt = svc.settings.formats.get(collection["format_id"])
    return page(request, "dashboard.html", collection=collection, rows=rows, sort=sort, descending=descending,
                counts=counts, format_name=fmt[1] if fmt else collection["format_id"],
                added=request.query_params.get("added", ""), present=request.query_params.get("present", ""),
                rejected=request.query_params.get("rejected", ""))


def unit_names(text: str) -> tuple[list[str], list[str]]:
    """Unit names from pasted text or a list file: one per line (an Excel column pasted; with several
    columns, the first); a header 单位名称 is skipped. Returns (names, lines refused)."""
    names, refused = [], []
    for line in text.splitlines():
        first = line.split("\t")[0].split(",")[0].split("，")[0]
        name = clean_text(first, 10_000)
        if not name or name in ("单位名称", "单位", "名称") or name.startswith("#"):
            continue
        if len(name) > MAX_NAME:
            refused.append(name[:20] + "…")
            continue
        names.append(name)
    return names[:MAX_UNITS], refused


def _list_text(upload: UploadFile, data: bytes, scratch: Path) -> str:
    """The names in an uploaded list; an .xlsx is read from ``scratch`` (a temporary file name)."""
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_first_column(data, scratch)
    if suffix not in (".txt", ".csv"):
        raise ValueError("单位名单请用 .txt、.csv 或 .xlsx 文件（每行一个单位名称）")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("无法识别名单文件的编码，请另存为 UTF-8 文本")


def _xlsx_first_column(data: bytes, path: Path) -> str:
    from reportgen.errors import ReportgenError
    from reportgen.workbook.container import load_openpyxl

    path.write_bytes(data)
    try:
        wb = load_openpyxl(path)
        sheet = wb.worksheets[0]
        values = [row[0] for row in sheet.iter_rows(max_row=MAX_UNITS + 1, max_col=1, values_only=True)]
    except ReportgenError as exc:
        raise ValueError(exc.findings[0].message) from exc
    finally:
        path.unlink(missing_ok=True)
    return "\n".join(str(v) for v in values if v is not None)


@admin_only
@_with_collection
async def add_units(request: Request, collection: Any) -> Response:
    svc = services(request)
    form = request.state.form
    text = str(form.get("names") or "")
    upload = form.get("list")
    back = f"/admin/c/{collection['id']}"
    if isinstance(upload, UploadFile) and upload.filename:
        try:
            text += "\n" + await run_in_threadpool(_list_text, upload, await upload.read(),
                                                   svc.store.temp_path(".xlsx"))
        except ValueError as exc:
            return refusal(request, 400, "名单文件无法读取", str(exc), back)
    names, refused = unit_names(text)
    added, present = svc.store.add_units(collection["id"], names)
    query = urlencode({"added": len(added), "present": "、".join(present)[:500], "rejected": "、".join(refused)[:500]})
    return RedirectResponse(f"{back}?{query}#units", status_code=303)


def base_url(request: Request) -> str:
    configured = services(request).settings.public_url
    return configured.rstrip("/") if configured else str(request.base_url).rstrip("/")


@admin_only
@_with_collection
async def links(request: Request, collection: Any) -> Response:
    svc = services(request)
    base = base_url(request)
    units = [(u["name"], f"{base}/u/{u['id']}/{u['secret']}") for u in svc.store.units(collection["id"])]
    return page(request, "links.html", collection=collection, units=units, base=base,
                configured=bool(svc.settings.public_url))


@admin_only
@_with_collection
async def summary(request: Request, collection: Any) -> Response:
    svc = services(request)
    path = svc.store.temp_path(".xlsx")
    await run_in_threadpool(write_collection_summary, svc.store, collection, path)
    return file_response(path, f"{collection['year']}年度汇总表.xlsx", temporary=True)


@admin_only
@_with_collection
async def documents_zip(request: Request, collection: Any) -> Response:
    svc = services(request)
    path = await run_in_threadpool(collection_zip, svc.store, collection)
    return file_response(path, f"{collection['year']}年度各单位文档.zip", temporary=True)


# ---- one unit ---------------------------------------------------------------------------------


def _unit(request: Request) -> Any:
    return services(request).store.unit(request.path_params["uid"])


@admin_only
async def unit_page(request: Request) -> Response:
    svc = services(request)
    unit = _unit(request)
    if unit is None:
        return refusal(request, 404, "没有这个单位", "请从收集任务的单位列表选择。", "/admin")
    collection = svc.store.collection(unit["collection_id"])
    versions = svc.store.versions(unit["id"])
    number = request.query_params.get("v", "")
    version = svc.store.version_of_unit(unit["id"], int(number)) if number.isdigit() else \
        (svc.store.version(versions[0]["id"]) if versions else None)
    record = stored_record(version)
    return page(request, "admin_unit.html", unit=unit, state=unit_state(unit), collection=collection,
                versions=versions, version=version, rows=finding_rows(record) if version else [],
                documents=svc.store.documents(version["id"]) if version else [], version_state=version_state,
                link=f"{base_url(request)}/u/{unit['id']}/{unit['secret']}")


@admin_only
async def lock(request: Request) -> Response:
    unit = _unit(request)
    if unit is None:
        return refusal(request, 404, "没有这个单位", "请从收集任务的单位列表选择。", "/admin")
    locked = request.url.path.endswith("/lock")
    services(request).store.set_locked(unit["id"], locked)
    back = str(request.state.form.get("back") or "")
    target = back if back in ("dashboard",) else "unit"
    url = f"/admin/c/{unit['collection_id']}#unit-{unit['id']}" if target == "dashboard" else f"/admin/u/{unit['id']}"
    return RedirectResponse(url, status_code=303)


@admin_only
async def document(request: Request) -> Response:
    svc = services(request)
    doc = svc.store.document(request.path_params["did"])
    if doc is None:
        return refusal(request, 404, "没有这个文件", "文件不存在。")
    return file_response(svc.store.document_path(doc), doc["name"])


@admin_only
async def upload_file(request: Request) -> Response:
    svc = services(request)
    version = svc.store.version(request.path_params["vid"])
    if version is None:
        return refusal(request, 404, "没有这个文件", "文件不存在。")
    unit = svc.store.unit(version["unit_id"])
    name = f"{unit['name'] if unit else '单位'}_第{version['number']}版.xlsx"
    return file_response(svc.store.upload_path(version), name)


async def root(request: Request) -> Response:
    return RedirectResponse("/admin", status_code=303)


def routes() -> list[Route]:
    return [
        Route("/", root),
        Route("/setup/{code}", setup, methods=["GET", "POST"]),
        Route("/admin/login", login, methods=["GET", "POST"]),
        Route("/admin/logout", logout, methods=["POST"]),
        Route("/admin", home, methods=["GET", "POST"]),
        Route("/admin/c/{cid:int}", dashboard),
        Route("/admin/c/{cid:int}/units", add_units, methods=["POST"]),
        Route("/admin/c/{cid:int}/links", links),
        Route("/admin/c/{cid:int}/summary.xlsx", summary),
        Route("/admin/c/{cid:int}/documents.zip", documents_zip),
        Route("/admin/u/{uid:int}", unit_page),
        Route("/admin/u/{uid:int}/lock", lock, methods=["POST"]),
        Route("/admin/u/{uid:int}/reopen", lock, methods=["POST"]),
        Route("/admin/d/{did:int}", document),
        Route("/admin/v/{vid:int}/upload.xlsx", upload_file),
    ]

