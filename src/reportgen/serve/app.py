"""The Starlette application: routes, static files, security headers, the access log, error pages.

Contract: :func:`create_app` wires the admin and clerk pages to one :class:`~reportgen.serve.web.Services`;
its lifespan starts the build queue and stops it. Every response carries ``security.HEADERS``.
The access log names the method, the path with every secret cut out (``/u/7/…``, ``/setup/…``),
the status and the time taken — never a query, a form or a workbook's content. Unknown pages and
unexpected errors get a Chinese page, never a traceback.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reportgen.serve import admin, clerk
from reportgen.serve.security import HEADERS
from reportgen.serve.web import HERE, Services, refusal

access_log = logging.getLogger("reportgen.serve.access")
_SECRETS = re.compile(r"^(/u/\d+/)[^/]+|^(/setup/)[^/]+")


def masked(path: str) -> str:
    return _SECRETS.sub(lambda m: (m.group(1) or m.group(2)) + "…", path)


class SecurityHeaders:
    """Pure ASGI middleware: the security headers on every response, and one access-log line."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start, status = time.perf_counter(), [0]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                names = {name for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((k, v) for k, v in self.headers if k not in names)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            access_log.info("%s %s %s %.0fms", scope["method"], masked(scope["path"]), status[0],
                            (time.perf_counter() - start) * 1000)


async def not_found(request: Request, exc: Exception) -> Response:
    code = exc.status_code if isinstance(exc, HTTPException) else 404
    if code == 405:
        return refusal(request, 405, "不支持的操作", "请从页面上的按钮或链接操作。")
    return refusal(request, code, "页面不存在", "没有这个页面。请检查链接是否完整。")


async def server_error(request: Request, exc: Exception) -> Response:
    logging.getLogger("reportgen.serve").error("内部错误：%s（%s）", type(exc).__name__, masked(request.url.path))
    return refusal(request, 500, "服务器内部错误", "处理请求时出错，请稍后重试；如仍出错，请联系财政局。")


def create_app(svc: Services, start_queue: bool = True) -> Starlette:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if start_queue:
            svc.queue.start()
        try:
            yield
        finally:
            if start_queue:
                svc.queue.stop()

    handlers: dict[Any, Any] = {404: not_found, 405: not_found, HTTPException: not_found, Exception: server_error}
    app = Starlette(routes=[*admin.routes(), *clerk.routes(),
                            Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")],
                    exception_handlers=handlers, lifespan=lifespan)
    app.add_middleware(SecurityHeaders)
    app.state.services = svc
    return app
