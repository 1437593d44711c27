"""``reportgen serve`` in a real browser: headless Chromium driven by Selenium against a local server.

One walk through (one test, a few seconds): the admin sets the password through the setup link,
creates a collection and its units and opens the links page; the clerk opens the unit's link,
uploads a workbook with an error and sees the cell named, uploads the corrected one and downloads
the zip, whose documents have the same text as ``reportgen build`` of that workbook. With
REPORTGEN_SCREENSHOTS=folder a PNG of every page (the walk's, then the other admin pages, the login
page and a wrong link's) is saved there, to be looked at after a change to the pages.

Needs Debian's ``chromium`` and ``chromium-driver``: skipped where they are missing, unless
REPORTGEN_REQUIRE_BROWSER=1 (set by .ci/run once it has installed them), which makes that a failure.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import threading
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="reportgen serve needs the serve extra: pip install -e '.[dev]'")
pytest.importorskip("selenium", reason="the browser test needs selenium: pip install -e '.[dev]'")

from click.testing import CliRunner  # noqa: E402
from docx import Document  # noqa: E402

from reportgen.cli import main  # noqa: E402
from tests.docx_helpers import full_text  # noqa: E402
from tests.serve_helpers import EXAMPLE, FORMAT, PASSWORD, UNIT, bad_workbook, services  # noqa: E402

REQUIRED = os.environ.get("REPORTGEN_REQUIRE_BROWSER") == "1"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
UNITS = [UNIT, "县教育局", "县卫生健康局"]


def _need_browser() -> None:
    if CHROMIUM and DRIVER:
        return
    why = "没有找到 chromium 和 chromedriver（Debian：apt-get install chromium chromium-driver；.ci/run 会安装）"
    if REQUIRED:
        pytest.fail(f"REPORTGEN_REQUIRE_BROWSER=1 但{why}")
    pytest.skip(why)


class LocalServer:
    """The service on 127.0.0.1 and a free port, run by uvicorn in a thread (its queue too)."""

    def __init__(self, data: Path):
        import uvicorn

        from reportgen.serve.app import create_app
        from reportgen.serve.main import bind

        self.svc = services(data)
        self.sock = bind("127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(create_app(self.svc), log_config=None, access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> LocalServer:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.sock.close()


def chromium(profile: Path, downloads: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager look for a driver online
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,900", "--lang=zh-CN"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    return webdriver.Chrome(service=Service(DRIVER), options=options)


class Walk:
    """The browser, with a screenshot of the whole page after each step."""

    def __init__(self, driver, shots: Path | None):
        self.driver, self.shots, self.count = driver, shots, 0

    def shot(self, name: str) -> None:
        """The whole page, from its top, as a PNG (Chromium's DevTools capture beyond the window)."""
        if self.shots is None:
            return
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        clip = {"x": 0, "y": 0, "width": 1280, "height": min(int(height), 4000), "scale": 1}
        png = self.driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "clip": clip})
        self.count += 1
        (self.shots / f"{self.count:02d}-{name}.png").write_bytes(base64.b64decode(png["data"]))

    def css(self, selector: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def until(self, words: str, timeout: float = 60) -> None:
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait

        try:
            WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(lambda d: words in d.page_source)
        except TimeoutException:
            self.shot("failed")
            text = self.driver.find_element("tag name", "body").text
            raise AssertionError(f"“{words}” not on {self.driver.current_url} after {timeout} s:\n{text}") from None

    def submit(self, form: str) -> None:
        self.css(f"{form} button[type=submit]").click()


def test_admin_and_clerk_in_chromium(tmp_path: Path) -> None:
    _need_browser()
    shots = Path(os.environ["REPORTGEN_SCREENSHOTS"]) if os.environ.get("REPORTGEN_SCREENSHOTS") else None
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    bad = bad_workbook(tmp_path / "填报表（有错）.xlsx")
    with LocalServer(tmp_path / "data") as server:
        code = server.svc.store.new_setup_code()
        driver = chromium(tmp_path / "profile", downloads)
        try:
            walk = Walk(driver, shots)
            _admin(walk, server, code)
            link = walk.css("table.links td.url").text
            assert link.startswith(f"{server.url}/u/")
            _clerk(walk, link, bad)
            zipped = _download_zip(walk, downloads)
            if shots is not None:
                _tour(walk, server, link)
        finally:
            driver.quit()
    _same_as_cli_build(zipped, tmp_path / "cli")


def _tour(walk: Walk, server: LocalServer, link: str) -> None:
    """The pages the walk did not show, for their screenshots."""
    driver = walk.driver
    driver.get(f"{server.url}/admin/c/1")
    walk.until("已生成")
    walk.shot("admin-dashboard-after")
    driver.get(f"{server.url}/admin/u/1")
    walk.shot("admin-unit")
    walk.css("header form button[type=submit]").click()  # 退出登录
    walk.until("管理员登录")
    walk.shot("admin-login")
    driver.get(f"{link}x")
    walk.shot("clerk-wrong-link")
    assert "链接无效" in driver.page_source


def _admin(walk: Walk, server: LocalServer, code: str) -> None:
    from selenium.webdriver.support.ui import Select

    walk.driver.get(f"{server.url}/setup/{code}")
    walk.shot("admin-setup")
    walk.css("input[name=password]").send_keys(PASSWORD)
    walk.css("input[name=again]").send_keys(PASSWORD)
    walk.submit("form")
    walk.until("新建收集任务")
    walk.shot("admin-home")
    year = walk.css("input[name=year]")
    year.clear()
    year.send_keys("2025")
    Select(walk.css("select[name=format]")).select_by_value(FORMAT)
    walk.driver.execute_script("arguments[0].value = '2099-04-30'", walk.css("input[name=deadline]"))
    walk.submit("form.grid")
    walk.until("添加单位")
    walk.css("textarea[name=names]").send_keys("\n".join(UNITS))
    walk.submit("#add form")
    walk.until("已添加 3 个单位")
    walk.shot("admin-dashboard")
    walk.css("a[href$='/links']").click()
    walk.until("各单位填报链接")
    walk.shot("admin-links")


def _clerk(walk: Walk, link: str, bad: Path) -> None:
    walk.driver.get(link)
    walk.until("上传并检查")
    walk.shot("clerk-start")
    walk.css("input[type=file]").send_keys(str(bad))
    walk.submit("form.upload")
    walk.until("检查结果")
    walk.shot("clerk-progress")  # mostly still 排队/处理中: the build takes a moment
    walk.until("发现 1 个错误")
    walk.shot("clerk-errors")
    cells = [td.text for td in walk.driver.find_elements("css selector", "table.findings tbody tr td")]
    assert cells[:3] == ["错误", "收入", "B2"] and "约50万" in cells[4]
    walk.css("input[type=file]").send_keys(str(EXAMPLE))
    walk.submit("form.upload")
    walk.until("检查通过")
    walk.shot("clerk-built")


def _download_zip(walk: Walk, downloads: Path) -> Path:
    walk.css("a[href$='/documents.zip']").click()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # Chromium may name the file before its data is there: a whole zip
        done = [p for p in downloads.iterdir() if p.suffix == ".zip" and zipfile.is_zipfile(p)]
        if done and not any(p.suffix == ".crdownload" for p in downloads.iterdir()):
            # kept outside the download folder: a Chromium that quits may still remove what it downloaded
            kept = downloads.parent / done[0].name
            try:
                kept.write_bytes(done[0].read_bytes())
                return kept
            except FileNotFoundError:  # gone between the look and the read: look again
                pass
        time.sleep(0.05)
    raise AssertionError(f"no zip downloaded: {list(downloads.iterdir())}")


def _same_as_cli_build(zipped: Path, out: Path) -> None:
    """Every document of the zip has the text of the same document built by ``reportgen build``."""
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    built = {p.name: full_text(p) for p in out.glob("*.docx")}
    with zipfile.ZipFile(zipped) as zf:
        served = {name: full_text(Document(io.BytesIO(zf.read(name)))) for name in zf.namelist()}
    assert sorted(served) == sorted(built) and len(built) == 2
    for name, text in built.items():
        assert served[name] == text, name
