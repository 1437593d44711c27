"""Starting the service (``reportgen serve``): the data folder, the formats, the first-start setup
link, the warnings, then uvicorn on an already bound socket.

Contract of :func:`run`: it takes the data folder (created if missing) for its own with a lock (a
second server on the same folder is refused), repairs it after a crash (``Store.recover``), prints
the one-time admin setup link while no password is set (``reset_password`` clears the password
first), warns when listening beyond this machine, and serves until Ctrl-C; the build queue stops
with it. Every problem is a ``ReportgenError`` with a Chinese message (the CLI prints it).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import sys
from pathlib import Path
from typing import IO, Any

import click
import uvicorn

from reportgen.errors import Finding, ReportgenError
from reportgen.serve.store import Store
from reportgen.serve.web import Services, Settings
from reportgen.serve.worker import BuildQueue, Limits


def lock_folder(root: Path) -> IO[str]:
    """Hold ``root/server.lock`` while the server runs; refuse when another server holds it."""
    from reportgen.outputs import try_lock

    handle = (root / "server.lock").open("a+", encoding="utf-8")
    if not try_lock(handle.fileno()):
        handle.close()
        raise ReportgenError(Finding("这个数据文件夹正被另一个 reportgen serve 使用；请先停止它", str(root)))
    return handle


def load_formats(extra: tuple[Path, ...]) -> dict[str, tuple[Path, str]]:
    """The built-in formats and the folders given with --format: id -> (folder, name)."""
    from reportgen.formats.loader import builtin_format_dirs, load_format

    formats: dict[str, tuple[Path, str]] = {}
    for folder in [*builtin_format_dirs(), *extra]:
        fmt = load_format(folder)
        if fmt.id in formats:
            raise ReportgenError(Finding(f"格式编号“{fmt.id}”重复（与内置格式或另一个 --format 相同）", str(folder)))
        formats[fmt.id] = (Path(folder).resolve(), fmt.spec.name)
    return formats


def _without_traceback(record: logging.LogRecord) -> bool:
    """A traceback could quote a workbook's content: the log keeps the line, not the traceback
    (``app.server_error`` logs the exception's type; REPORTGEN_DEBUG=1 keeps tracebacks)."""
    record.exc_info, record.exc_text = None, None
    return True


def _local_only(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    if os.name != "nt":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        why = "端口已被占用（可用 --port 换一个端口）" if exc.errno in (98, 48, 10048) else (exc.strerror or str(exc))
        raise ReportgenError(Finding(f"无法在 {host}:{port} 上启动服务：{why}", "--host/--port")) from exc
    sock.listen(2048)  # connections wait in the backlog until uvicorn accepts them
    sock.set_inheritable(True)
    return sock


def run(data: Path, host: str = "127.0.0.1", port: int = 8000, formats: tuple[Path, ...] = (), jobs: int = 2,
        public_url: str = "", pdf: bool | None = None, max_upload_mb: int = 20, reset_password: bool = False,
        build_timeout: float = 120.0) -> None:
    from reportgen.pdf import find_soffice
    from reportgen.serve.app import create_app

    try:
        data.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportgenError(Finding(f"无法创建数据文件夹：{exc.strerror or exc}", str(data))) from exc
    lock = lock_folder(data)
    store = Store(data)
    repaired = store.recover()
    available = load_formats(formats)
    if pdf is None:
        pdf = find_soffice() is not None
    elif pdf and find_soffice() is None:
        raise ReportgenError(Finding("未找到 LibreOffice，无法生成 PDF；请安装 LibreOffice，或去掉 --pdf", "--pdf"))
    sock = bind(host, port)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%Y-%m-%d %H:%M:%S",
                        stream=sys.stderr)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).setLevel(logging.WARNING)
    if not os.environ.get("REPORTGEN_DEBUG"):
        logging.getLogger("uvicorn.error").addFilter(_without_traceback)

    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{sock.getsockname()[1]}"
    if reset_password:
        store.reset_password()
        click.echo("已清除管理员密码（已登录的会话全部退出）。")
    if repaired["failed"] or repaired["completed"]:
        click.echo(f"上次未正常停止：{repaired['completed']} 份上传已补记完成，{repaired['failed']} 份标记为处理失败"
                   "（相关单位可重新上传）。")
    if store.password_hash() is None:
        code = store.new_setup_code()
        click.secho("首次使用：请在本机浏览器打开下面的链接，设置财政局管理员密码（链接只能使用一次）：", fg="yellow")
        click.secho(f"  {address}/setup/{code}", fg="yellow", bold=True)
    if not _local_only(host):
        click.secho(f"注意：服务监听 {host}，局域网内的其他电脑都能访问。请只在单位内网使用，不要暴露到互联网；"
                    "各单位只能通过各自的链接访问自己的材料。", fg="red", err=True)
        if not public_url:
            click.secho("提示：请用 --url 给出各单位访问本机的地址（如 http://192.168.1.10:8000），打印的单位链接才正确。",
                        fg="yellow", err=True)
    settings = Settings(formats=available, max_upload=max_upload_mb * 1024 * 1024, public_url=public_url, pdf=pdf)
    queue = BuildQueue(store, {fid: folder for fid, (folder, _) in available.items()},
                       Limits(jobs=jobs, build_timeout=build_timeout), pdf=pdf)
    app = create_app(Services(store, queue, settings, store.secret_key()))
    click.echo(f"reportgen serve 已启动：{address}/admin（数据文件夹：{data}；PDF：{'生成' if pdf else '不生成'}）。"
               "按 Ctrl-C 停止。")
    config: Any = uvicorn.Config(app, log_config=None, access_log=False, server_header=False, lifespan="on")
    try:
        uvicorn.Server(config).run(sockets=[sock])  # re-raises Ctrl-C once shut down
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        lock.close()
    click.echo("服务已停止。")
