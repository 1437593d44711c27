"""A unit's pages, reached only through its link ``/u/<unit id>/<128-bit secret>``.

Contract: a wrong or unknown link gets the same 404 page (the secret compared in constant time).
Through its link a unit sees and downloads only its own versions and documents: every file is found
from a database id and then checked to belong to this unit (404 otherwise). Uploads: one ``.xlsx``
file within the size limit, with the page's CSRF token, while the unit is not locked, and while the
queue has room (503) and the unit has fewer than ``MAX_PENDING`` uploads waiting (429). Each upload
becomes a new version (nothing is replaced); the page then shows its progress until its findings and
documents are ready.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from functools import wraps
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from reportgen.serve import security
from reportgen.serve.collect import version_zip
from reportgen.serve.records import finding_rows, stored_record
from reportgen.serve.web import (
    UploadRefused,
    check_upload_name,
    clean_text,
    drain,
    file_response,
    page,
    refusal,
    save_upload,
    services,
    too_large,
    unit_state,
    version_state,
)

MAX_PENDING = 3  # a unit's uploads waiting or building at once
Handler = Callable[[Request, Any], Awaitable[Response]]


def _not_found(request: Request) -> Response:
    return refusal(request, 404, "链接无效", "这个链接无效或已失效。请使用财政局发给本单位的链接（注意复制完整）。")


def clerk_only(handler: Handler) -> Handler:
    """The unit of the link, or 404; a POST's CSRF token checked (``request.state.form``)."""

    @wraps(handler)
    async def wrapper(request: Request) -> Response:
        svc = services(request)
        unit = svc.store.unit_by_link(request.path_params["uid"], request.path_params["secret"])
        if unit is None:
            return _not_found(request)
        binding = f"unit:{unit['id']}:{unit['secret']}"
        request.state.csrf = security.csrf_token(svc.key, binding)
        request.state.base = f"/u/{unit['id']}/{unit['secret']}"
        if request.method == "POST":
            limit = svc.settings.max_upload + 64 * 1024
            if too_large(request, limit):
                await drain(request, 2 * limit)
                return refusal(request, 413, "文件过大",
                               f"上传的文件不能超过 {svc.settings.max_upload // 1024 // 1024} MB。请删除填报表中多余的"
                               "内容（如图片、大量空行）后另存再上传。", request.state.base)
            if unit["locked"]:
                await drain(request, 2 * limit)
                return _locked(request, unit)
            form = await request.form(max_files=1, max_fields=5)
            if not security.csrf_ok(svc.key, binding, form.get("csrf")):
                return refusal(request, 403, "页面已过期", "请返回、刷新页面后再提交（表单缺少有效的校验码）。",
                               request.state.base)
            request.state.form = form
        return await handler(request, unit)

    return wrapper


def _locked(request: Request, unit: Any) -> Response:
    why = "本单位已确认提交" if unit["confirmed_version"] else "财政局已锁定本单位的填报"
    return refusal(request, 403, "已锁定，不能再上传", f"{why}。如需修改，请联系财政局重新开放。", request.state.base)


def _version_view(request: Request, unit: Any, version: Any) -> dict[str, Any]:
    """What the page shows for one version: state, progress, findings, documents."""
    store = services(request).store
    record = stored_record(version)
    documents = store.documents(version["id"])
    progress = ""
    if version["status"] == "queued":
        ahead = store.queue_position(version["id"])
        progress = f"排队等待处理，前面还有 {ahead} 份" if ahead else "即将开始处理"
    elif version["status"] == "building":
        elapsed = int(time.time() - (version["started"] or time.time()))
        progress = f"{version['stage'] or '正在处理'}……已用 {elapsed} 秒"
    waiting = version["status"] in ("queued", "building") or version["pdf"] == "pending"
    return {"version": version, "version_label": version_state(version), "rows": finding_rows(record),
            "docx": [d for d in documents if d["kind"] == "docx"], "pdfs": [d for d in documents if d["kind"] == "pdf"],
            "progress": progress, "refresh": waiting,
            "pdf_findings": [f.get("message", "") for f in record.get("pdf_findings", [])
                             if f.get("severity") != "warning"]}


def _page(request: Request, unit: Any, version: Any | None, status_code: int = 200, problem: str = "") -> Response:
    svc = services(request)
    collection = svc.store.collection(unit["collection_id"])
    assert collection is not None
    versions = svc.store.versions(unit["id"])
    latest = versions[0]["number"] if versions else 0
    fmt = svc.settings.formats.get(collection["format_id"])
    carried = svc.store.previous_submission(unit, collection["year"]) is not None
    past_deadline = time.strftime("%Y-%m-%d") > collection["deadline"]
    context: dict[str, Any] = {
        "unit": unit, "state": unit_state(unit), "collection": collection, "versions": versions, "latest": latest,
        "format_name": fmt[1] if fmt else collection["format_id"], "carried": carried, "problem": problem,
        "past_deadline": past_deadline, "max_mb": svc.settings.max_upload // 1024 // 1024, "pdf": svc.settings.pdf,
        "version_state": version_state, "confirmed": unit["confirmed_version"]}
    if version is not None:
        context.update(_version_view(request, unit, version))
    return page(request, "clerk.html", status_code=status_code, **context)


@clerk_only
async def home(request: Request, unit: Any) -> Response:
    store = services(request).store
    latest = store.version(unit["v_id"]) if unit["v_id"] else None
    return _page(request, unit, latest)


@clerk_only
async def version_page(request: Request, unit: Any) -> Response:
    version = services(request).store.version_of_unit(unit["id"], request.path_params["n"])
    if version is None:
        return _not_found(request)
    return _page(request, unit, version)


def _download_name(unit: Any, collection: Any, what: str) -> str:
    from reportgen.filenames import safe_stem

    return f"{safe_stem(unit['name'], fallback='单位')}_{collection['year']}年度{what}"


def _blank(folder: Path, out: Path) -> None:
    from reportgen.pipeline import init_workbook

    init_workbook(out, str(folder), example=False)


def _carried(previous: Path, folder: Path, out: Path) -> None:
    from reportgen.carry.next_year import carry_forward

    carry_forward(previous, out, str(folder))


@clerk_only
async def workbook(request: Request, unit: Any) -> Response:
    """The unit's workbook to fill: carried from last year's submission when there is one, else blank."""
    svc = services(request)
    collection = svc.store.collection(unit["collection_id"])
    assert collection is not None
    fmt = svc.settings.formats.get(collection["format_id"])
    if fmt is None:
        return refusal(request, 503, "暂时无法下载", "服务器未加载这次收集使用的格式，请联系财政局。", request.state.base)
    out = svc.store.temp_path(".xlsx")
    previous = None if request.url.path.endswith("/blank.xlsx") else \
        svc.store.previous_submission(unit, collection["year"])
    what = "填报表.xlsx"
    try:
        if previous is not None:
            try:
                await run_in_threadpool(_carried, previous, fmt[0], out)
                what = "填报表（上年转入）.xlsx"
            except Exception:  # last year's workbook could not be carried: the blank one instead
                out.unlink(missing_ok=True)
                previous = None
        if previous is None:
            await run_in_threadpool(_blank, fmt[0], out)
    except Exception:
        out.unlink(missing_ok=True)
        raise
    return file_response(out, _download_name(unit, collection, what), temporary=True)


@clerk_only
async def upload(request: Request, unit: Any) -> Response:
    svc = services(request)
    file = request.state.form.get("workbook")
    try:
        if not isinstance(file, UploadFile) or not file.filename:
            raise UploadRefused(400, "请先选择要上传的填报表文件（.xlsx）")
        check_upload_name(file.filename)
        if svc.queue.full():
            raise UploadRefused(503, "服务器正忙（等待处理的填报表过多），请几分钟后再上传")
        if svc.store.unit_pending(unit["id"]) >= MAX_PENDING:
            raise UploadRefused(429, "本单位前几次上传的填报表还在处理，请等处理完后再上传")
        received, size = await run_in_threadpool(save_upload, file, svc.store, svc.settings.max_upload)
    except UploadRefused as refused:
        return _page(request, unit, svc.store.version(unit["v_id"]) if unit["v_id"] else None,
                     status_code=refused.status_code, problem=refused.message)
    filename = clean_text(Path(file.filename).name, 120)
    try:
        await run_in_threadpool(svc.store.add_version, unit["id"], received, filename, size)
    finally:
        received.unlink(missing_ok=True)
    svc.queue.wake()
    return RedirectResponse(f"{request.state.base}#result", status_code=303)


@clerk_only
async def confirm(request: Request, unit: Any) -> Response:
    store = services(request).store
    vid = str(request.state.form.get("version") or "")
    if not vid.isdigit() or not store.confirm(unit["id"], int(vid)):
        return refusal(request, 409, "无法确认", "只能确认最新一次、已生成文档的上传。", request.state.base)
    return RedirectResponse(f"{request.state.base}#result", status_code=303)


@clerk_only
async def document(request: Request, unit: Any) -> Response:
    store = services(request).store
    doc = store.document(request.path_params["did"])
    if doc is None or doc["unit_id"] != unit["id"]:
        return _not_found(request)
    path = store.document_path(doc)
    return file_response(path, doc["name"])


@clerk_only
async def documents_zip(request: Request, unit: Any) -> Response:
    svc = services(request)
    version = svc.store.version_of_unit(unit["id"], request.path_params["n"])
    if version is None or version["status"] != "built":
        return _not_found(request)
    collection = svc.store.collection(unit["collection_id"])
    path = await run_in_threadpool(version_zip, svc.store, version["id"])
    return file_response(path, _download_name(unit, collection, f"文档（第{version['number']}版）.zip"), temporary=True)


@clerk_only
async def uploaded(request: Request, unit: Any) -> Response:
    svc = services(request)
    version = svc.store.version_of_unit(unit["id"], request.path_params["n"])
    if version is None:
        return _not_found(request)
    collection = svc.store.collection(unit["collection_id"])
    return file_response(svc.store.upload_path(version),
                         _download_name(unit, collection, f"填报表（第{version['number']}版）.xlsx"))


def routes() -> list[Route]:
    base = "/u/{uid:int}/{secret}"
    return [
        Route(base, home),
        Route(base + "/v/{n:int}", version_page),
        Route(base + "/workbook.xlsx", workbook),
        Route(base + "/blank.xlsx", workbook),
        Route(base + "/upload", upload, methods=["POST"]),
        Route(base + "/confirm", confirm, methods=["POST"]),
        Route(base + "/d/{did:int}", document),
        Route(base + "/v/{n:int}/documents.zip", documents_zip),
        Route(base + "/v/{n:int}/upload.xlsx", uploaded),
    ]
