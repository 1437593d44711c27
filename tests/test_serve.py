"""``reportgen serve``: every page and every refusal, through Starlette's TestClient (in process).

One service per module (``world``): its admin password set through the one-time setup link, a
collection of yueyang-2020 (two documents a unit: quick) with four units. 青山县医疗保障局 uploaded
the example with 收入!B2 = "约50万" (version 1: one error) and then the example (version 2: built);
the builds ran in the service's real worker process. Tests that change a unit restore it.
"""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

pytest.importorskip("starlette", reason="reportgen serve needs the serve extra: pip install -e '.[dev]'")
from starlette.testclient import TestClient  # noqa: E402

from reportgen.batch import UnitResult  # noqa: E402
from reportgen.errors import Finding, Location  # noqa: E402
from reportgen.serve.admin import unit_names  # noqa: E402
from reportgen.serve.app import create_app, masked  # noqa: E402
from reportgen.serve.records import finding_rows, result_record  # noqa: E402
from reportgen.serve.security import verify_password  # noqa: E402
from reportgen.serve.store import RESULT_NAME, write_json  # noqa: E402
from tests.serve_helpers import EXAMPLE, FORMAT, PASSWORD, UNIT, bad_workbook, csrf, services, wait_built  # noqa: E402

OTHERS = ["县教育局", "县卫生健康局", "县林业局"]


def table_rows(html: str, css: str) -> list[list[str]]:
    """The cell texts of each body row of the page's ``<table class="list {css}">``."""
    body = html[html.index(f'class="list {css}"'):]
    body = body[body.index("<tbody>"):body.index("</tbody>")]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def upload(client: TestClient, link: str, name: str, data: bytes, token: str | None = None, **kw):
    form = {"csrf": token if token is not None else csrf(client.get(link).text)}
    return client.post(f"{link}/upload", data=form, files={"workbook": (name, data)}, **kw)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    data = tmp_path_factory.mktemp("serve")
    svc = services(data / "data")
    code = svc.store.new_setup_code()
    app = create_app(svc)
    with TestClient(app) as admin:
        page = admin.get(f"/setup/{code}")
        assert page.status_code == 200 and "设置财政局管理员密码" in page.text
        done = admin.post(f"/setup/{code}", data={"csrf": csrf(page.text), "password": PASSWORD, "again": PASSWORD})
        assert done.status_code == 200 and done.url.path == "/admin"
        token = csrf(done.text)
        made = admin.post("/admin", data={"csrf": token, "year": "2025", "format": FORMAT, "deadline": "2099-04-30"})
        cid = int(made.url.path.rsplit("/", 1)[1])
        names = "\n".join(["单位名称", UNIT, *OTHERS])
        added = admin.post(f"/admin/c/{cid}/units", data={"csrf": token, "names": names})
        assert "已添加 4 个单位" in added.text
        units = {u["name"]: u for u in svc.store.units(cid)}
        links = {name: f"/u/{u['id']}/{u['secret']}" for name, u in units.items()}
        clerk = TestClient(app)
        bad = bad_workbook(data / "bad.xlsx")
        for name, content in (("填报表-有错.xlsx", bad.read_bytes()), ("填报表.xlsx", EXAMPLE.read_bytes())):
            answer = upload(clerk, links[UNIT], name, content, follow_redirects=False)
            assert answer.status_code == 303
            latest = svc.store.unit(units[UNIT]["id"])
            assert wait_built(svc.store, latest["v_id"]) in ("errors", "built")
        yield SimpleNamespace(svc=svc, app=app, admin=admin, clerk=clerk, cid=cid, units=units, links=links,
                              token=token, code=code, data=data)


def version(world, name: str, number: int):
    return world.svc.store.version_of_unit(world.units[name]["id"], number)


# ---- the 财政局 -----------------------------------------------------------------------------------


def test_setup_link_works_once_and_the_password_is_hashed(world) -> None:
    again = world.admin.get(f"/setup/{world.code}")
    assert again.status_code == 404 and "已经用过" in again.text
    stored = world.svc.store.password_hash()
    assert stored.startswith("scrypt$") and PASSWORD not in stored
    assert verify_password(PASSWORD, stored) and not verify_password("wrong", stored)


def test_login(world) -> None:
    client = TestClient(world.app)
    page = client.get("/admin/login")
    assert page.status_code == 200 and "管理员登录" in page.text
    wrong = client.post("/admin/login", data={"csrf": csrf(page.text), "password": "nope"})
    assert wrong.status_code == 401 and "密码不正确" in wrong.text
    no_token = client.post("/admin/login", data={"password": PASSWORD})
    assert no_token.status_code == 403
    right = client.post("/admin/login", data={"csrf": csrf(page.text), "password": PASSWORD}, follow_redirects=False)
    assert right.status_code == 303
    cookie = right.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert client.get("/admin").status_code == 200
    out = client.post("/admin/logout", data={"csrf": csrf(client.get("/admin").text)}, follow_redirects=False)
    assert out.headers["location"] == "/admin/login"
    assert client.get("/admin", follow_redirects=False).status_code == 303


ADMIN_PAGES = ["/admin", "/admin/c/{cid}", "/admin/c/{cid}/links", "/admin/c/{cid}/summary.xlsx",
               "/admin/c/{cid}/documents.zip", "/admin/u/{uid}", "/admin/d/1", "/admin/v/1/upload.xlsx"]
ADMIN_POSTS = ["/admin", "/admin/c/{cid}/units", "/admin/u/{uid}/lock", "/admin/u/{uid}/reopen", "/admin/logout"]


def test_admin_pages_need_login(world) -> None:
    stranger = TestClient(world.app)
    uid = world.units[UNIT]["id"]
    for path in ADMIN_PAGES:
        answer = stranger.get(path.format(cid=world.cid, uid=uid), follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/admin/login", path
    for path in ADMIN_POSTS:
        answer = stranger.post(path.format(cid=world.cid, uid=uid), data={"csrf": world.token})
        assert answer.status_code == 403 and "请先登录" in answer.text, path
    assert not world.svc.store.unit(uid)["locked"]


def test_admin_forms_need_the_csrf_token(world) -> None:
    uid = world.units["县林业局"]["id"]
    for path, form in (("/admin", {"year": "2024", "format": FORMAT, "deadline": "2099-01-01"}),
                       (f"/admin/c/{world.cid}/units", {"names": "县水利局"}),
                       (f"/admin/u/{uid}/lock", {}), ("/admin/logout", {})):
        for token in (None, "0" * 64):
            answer = world.admin.post(path, data={**form, **({"csrf": token} if token else {})})
            assert answer.status_code == 403 and "页面已过期" in answer.text, path
    assert len(world.svc.store.collections()) == 1
    assert "县水利局" not in {u["name"] for u in world.svc.store.units(world.cid)}
    assert not world.svc.store.unit(uid)["locked"]


def test_create_collection_checks_its_fields(world) -> None:
    home = world.admin.get("/admin")
    assert "新建收集任务" in home.text and f'value="{FORMAT}"' in home.text  # the formats offered
    for form, why in (({"year": "20x5", "format": FORMAT, "deadline": "2099-01-01"}, "年度"),
                      ({"year": "2025", "format": "../../etc", "deadline": "2099-01-01"}, "格式"),
                      ({"year": "2025", "format": FORMAT, "deadline": "明天"}, "截止日期")):
        answer = world.admin.post("/admin", data={"csrf": world.token, **form})
        assert answer.status_code == 400 and why in answer.text
    assert len(world.svc.store.collections()) == 1


def test_dashboard_one_row_per_unit_sortable(world) -> None:
    page = world.admin.get(f"/admin/c/{world.cid}")
    assert page.status_code == 200
    text = page.text
    for name in (UNIT, *OTHERS):
        assert name in text
    assert "已生成" in text and "95.5" in text and "优" in text and "未提交" in text
    assert text.index(OTHERS[0]) > text.index(UNIT)  # added order
    by_name = world.admin.get(f"/admin/c/{world.cid}?sort=name&order=desc").text
    names = sorted([UNIT, *OTHERS], reverse=True)
    assert [by_name.index(f">{n}<") for n in names] == sorted(by_name.index(f">{n}<") for n in names)
    by_total = world.admin.get(f"/admin/c/{world.cid}?sort=total&order=desc").text
    assert by_total.index(f">{UNIT}<") < min(by_total.index(f">{n}<") for n in OTHERS)
    by_state = world.admin.get(f"/admin/c/{world.cid}?sort=state&order=asc").text
    assert by_state.index(f">{UNIT}<") > max(by_state.index(f">{n}<") for n in OTHERS)  # 未提交 first


def test_units_from_a_pasted_column_or_a_list_file(world) -> None:
    names, refused = unit_names("单位名称\t备注\n县水利局\t一级\n\n  县水利局 \n" + "长" * 101 + "\n县\u202e局")
    assert names == ["县水利局", "县水利局", "县局"] and len(refused) == 1
    book = openpyxl.Workbook()
    for value in ("单位名称", "县审计局", "县统计局"):
        book.active.append([value])
    buffer = io.BytesIO()
    book.save(buffer)
    answer = world.admin.post(f"/admin/c/{world.cid}/units", data={"csrf": world.token, "names": UNIT},
                              files={"list": ("名单.xlsx", buffer.getvalue())})
    assert "已添加 2 个单位" in answer.text and f"已存在、未重复添加：{UNIT}" in answer.text
    text = world.admin.post(f"/admin/c/{world.cid}/units", data={"csrf": world.token},
                            files={"list": ("名单.txt", "县档案馆\r\n".encode("gb18030"))})
    assert "已添加 1 个单位" in text.text
    wrong = world.admin.post(f"/admin/c/{world.cid}/units", data={"csrf": world.token},
                             files={"list": ("名单.doc", b"x")})
    assert wrong.status_code == 400 and ".txt、.csv 或 .xlsx" in wrong.text


def test_links_page_lists_every_unit_with_its_link(world) -> None:
    page = world.admin.get(f"/admin/c/{world.cid}/links").text
    for name, link in world.links.items():
        assert name in page and f"http://testserver{link}" in page
    assert len(world.units[UNIT]["secret"]) >= 22  # 128 bits, URL-safe


def test_summary_is_the_county_summary(world) -> None:
    answer = world.admin.get(f"/admin/c/{world.cid}/summary.xlsx")
    assert answer.status_code == 200 and "filename*=utf-8''2025" in answer.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    rows = list(book["汇总"].iter_rows(values_only=True))
    header = rows[0]
    unit_row = next(r for r in rows if r[header.index("单位名称")] == UNIT)
    assert unit_row[header.index("总分")] == 95.5 and unit_row[header.index("状态")] == "已生成"
    assert unit_row[header.index("文件")] == f"{UNIT}/第2版.xlsx"
    waiting = next(r for r in rows if r[header.index("单位名称")] == OTHERS[0])
    assert waiting[header.index("状态")] == "未提交"


def test_documents_zip_holds_every_units_latest_documents(world) -> None:
    answer = world.admin.get(f"/admin/c/{world.cid}/documents.zip")
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert names == ["汇总表.xlsx", f"{UNIT}/{UNIT}_2025_部门整体支出绩效自评报告.docx", f"{UNIT}/{UNIT}_2025_评分表.docx"]
    store = world.svc.store  # the zip's versions and documents are read over one connection, as one by one
    ids = [version(world, UNIT, 2)["id"], version(world, UNIT, 1)["id"]]
    together = store.versions_with_documents(ids)
    assert {vid: (tuple(v), [tuple(d) for d in docs]) for vid, (v, docs) in together.items()} == {
        vid: (tuple(store.version(vid)), [tuple(d) for d in store.documents(vid)]) for vid in ids}
    assert len(together[ids[0]][1]) == 2


def test_admin_unit_page_and_downloads(world) -> None:
    uid = world.units[UNIT]["id"]
    page = world.admin.get(f"/admin/u/{uid}")
    assert page.status_code == 200 and "第 2 版" in page.text and "评分表.docx" in page.text
    first = world.admin.get(f"/admin/u/{uid}?v=1").text
    assert "约50万" in first and "收入" in first
    docs = world.svc.store.documents(version(world, UNIT, 2)["id"])
    answer = world.admin.get(f"/admin/d/{docs[0]['id']}")
    assert answer.status_code == 200 and answer.content[:2] == b"PK"
    upload_file = world.admin.get(f"/admin/v/{version(world, UNIT, 1)['id']}/upload.xlsx")
    assert upload_file.content == (world.data / "bad.xlsx").read_bytes()
    assert world.admin.get("/admin/d/999999").status_code == 404
    assert world.admin.get("/admin/u/999999").status_code == 404
    assert world.admin.get("/admin/c/999999").status_code == 404


# ---- a unit's clerk ---------------------------------------------------------------------------


def test_clerk_page_before_any_upload(world) -> None:
    page = world.clerk.get(world.links[OTHERS[0]])
    assert page.status_code == 200
    assert OTHERS[0] in page.text and "下载填报表" in page.text and "上传并检查" in page.text
    assert "检查结果" not in page.text and UNIT not in page.text


def test_findings_table_names_the_cell_errors_first(world) -> None:
    page = world.clerk.get(f"{world.links[UNIT]}/v/1").text
    assert "发现 1 个错误" in page and "不是最新一次上传" in page
    (row,) = table_rows(page, "findings")
    assert row[:4] == ["错误", "收入", "B2", "上年结转"] and "约50万" in row[4]


def test_findings_rows_errors_first_places_in_columns() -> None:
    record = result_record(UnitResult(index=0, path=Path("/srv/data/upload.xlsx"), findings=[
        Finding("请核对", Location.cell("收入", "C7"), "上年结转", "warning", "C601"),
        Finding("应为数字", Location.join([Location.cell("支出", "B3"), Location.row("项目", 4)]), "金额"),
        Finding("不是有效的 .xlsx 工作簿", "/srv/data/upload.xlsx"),
        Finding("模板出错", Location.in_file("/srv/templates/x/report.docx", part="第3段")),
    ], name_ref=Location.cell("基本信息", "B2")), Path("/srv/data/upload.xlsx"))  # type: ignore[arg-type]
    assert json.loads(json.dumps(record))["name_ref"] == "基本信息!B2"
    assert [tuple(vars(r).values()) for r in finding_rows(record)] == [
        ("错误", "支出、项目", "B3、第4行", "金额", "应为数字"),
        ("错误", "（整个文件）", "", "", "不是有效的 .xlsx 工作簿"),
        ("错误", "report.docx 第3段", "", "", "模板出错"),
        ("提示", "收入", "C7", "上年结转", "请核对（C601）"),
    ]
    assert "/srv" not in str(record)


def test_clerk_sees_and_downloads_the_built_documents(world) -> None:
    link = world.links[UNIT]
    page = world.clerk.get(link).text
    assert "检查通过，已生成 2 份文档" in page and "第 2 版" in page and "确认提交此版本" in page
    v2 = version(world, UNIT, 2)
    docs = world.svc.store.documents(v2["id"])
    for doc in docs:
        answer = world.clerk.get(f"{link}/d/{doc['id']}")
        assert answer.status_code == 200 and answer.content == world.svc.store.document_path(doc).read_bytes()
    bundle = zipfile.ZipFile(io.BytesIO(world.clerk.get(f"{link}/v/2/documents.zip").content))
    assert sorted(bundle.namelist()) == sorted(d["name"] for d in docs)
    assert world.clerk.get(f"{link}/v/1/documents.zip").status_code == 404  # version 1 has none
    mine = world.clerk.get(f"{link}/v/2/upload.xlsx")
    assert mine.content == EXAMPLE.read_bytes()


def test_every_upload_is_kept(world) -> None:
    v1, v2 = version(world, UNIT, 1), version(world, UNIT, 2)
    assert (v1["status"], v2["status"]) == ("errors", "built")
    folder1, folder2 = (world.svc.store.version_dir(v["key"]) for v in (v1, v2))
    assert folder1 != folder2
    assert (folder2 / "upload.xlsx").read_bytes() == EXAMPLE.read_bytes()
    assert (folder1 / "upload.xlsx").read_bytes() == (world.data / "bad.xlsx").read_bytes()
    assert not world.svc.store.documents(v1["id"]) and len(world.svc.store.documents(v2["id"])) == 2
    history = world.clerk.get(world.links[UNIT]).text
    assert "填报表-有错.xlsx" in history and "填报表.xlsx" in history


def test_a_wrong_link_is_not_found(world) -> None:
    uid, secret = world.units[UNIT]["id"], world.units[UNIT]["secret"]
    for path in (f"/u/{uid}/{secret[:-1]}x", f"/u/{uid}/{secret}x", f"/u/{uid + 1000}/{secret}",
                 f"/u/{world.units[OTHERS[0]]['id']}/{secret}", f"/u/{uid}/{secret[:-1]}x/v/2/upload.xlsx"):
        answer = world.clerk.get(path)
        assert answer.status_code == 404 and "链接无效" in answer.text, path


def test_a_unit_cannot_reach_another_units_files(world) -> None:
    other = world.links[OTHERS[0]]
    docs = world.svc.store.documents(version(world, UNIT, 2)["id"])
    for path in [f"{other}/d/{d['id']}" for d in docs] + [f"{other}/v/1", f"{other}/v/2/documents.zip",
                                                          f"{other}/v/1/upload.xlsx"]:
        answer = world.clerk.get(path)
        assert answer.status_code == 404 and answer.content[:2] != b"PK", path


def test_upload_refusals(world, monkeypatch: pytest.MonkeyPatch) -> None:
    link = world.links[OTHERS[1]]
    uid = world.units[OTHERS[1]]["id"]
    token = csrf(world.clerk.get(link).text)
    content = EXAMPLE.read_bytes()
    cases = [
        (upload(world.clerk, link, "填报表.xlsx", content, token=""), 403, "页面已过期"),
        (upload(world.clerk, link, "填报表.xlsx", content, token="0" * 64), 403, "页面已过期"),
        (upload(world.clerk, link, "填报表.xls", content, token=token), 415, "另存为"),
        (upload(world.clerk, link, "填报表.pdf", content, token=token), 415, ".xlsx"),
        (upload(world.clerk, link, "填报表.xlsx", b"%PDF-1.7 not a workbook", token=token), 415, "不是 Excel 工作簿"),
        (upload(world.clerk, link, "大.xlsx", b"PK\x03\x04" + b"0" * (2 * 1024 * 1024), token=token), 413, "不能超过 2 MB"),
        (world.clerk.post(f"{link}/upload", data={"csrf": token}), 400, "请先选择"),
    ]
    monkeypatch.setattr(world.svc.queue, "full", lambda: True)
    cases.append((upload(world.clerk, link, "填报表.xlsx", content, token=token), 503, "服务器正忙"))
    monkeypatch.undo()
    monkeypatch.setattr(world.svc.store, "unit_pending", lambda _uid: 3)
    cases.append((upload(world.clerk, link, "填报表.xlsx", content, token=token), 429, "还在处理"))
    for answer, status, words in cases:
        assert answer.status_code == status and words in answer.text, (status, words)
    assert world.svc.store.versions(uid) == []
    assert not any(world.svc.store.tmp.iterdir())


def test_a_locked_unit_refuses_uploads_until_reopened(world) -> None:
    uid, link = world.units[OTHERS[2]]["id"], world.links[OTHERS[2]]
    token = csrf(world.clerk.get(link).text)
    locked = world.admin.post(f"/admin/u/{uid}/lock", data={"csrf": world.token, "back": "dashboard"})
    assert locked.status_code == 200 and "已锁定" in locked.text
    page = world.clerk.get(link).text
    assert "财政局已锁定本单位的填报" in page and "上传并检查" not in page
    refused = upload(world.clerk, link, "填报表.xlsx", EXAMPLE.read_bytes(), token=token)
    assert refused.status_code == 403 and "已锁定" in refused.text
    assert world.svc.store.versions(uid) == []
    world.admin.post(f"/admin/u/{uid}/reopen", data={"csrf": world.token})
    assert "上传并检查" in world.clerk.get(link).text


def test_confirming_locks_the_unit_and_reopening_withdraws_it(world) -> None:
    uid, link = world.units[UNIT]["id"], world.links[UNIT]
    token = csrf(world.clerk.get(link).text)
    old = world.clerk.post(f"{link}/confirm", data={"csrf": token, "version": str(version(world, UNIT, 1)["id"])})
    assert old.status_code == 409
    mine = world.clerk.post(f"{link}/confirm", data={"csrf": token, "version": str(version(world, UNIT, 2)["id"])})
    assert mine.status_code == 200 and "已确认提交（第 2 版）" in mine.text
    assert "已确认" in world.admin.get(f"/admin/c/{world.cid}").text
    refused = upload(world.clerk, link, "填报表.xlsx", EXAMPLE.read_bytes(), token=token)
    assert refused.status_code == 403 and "已确认提交" in refused.text
    world.admin.post(f"/admin/u/{uid}/reopen", data={"csrf": world.token})
    unit = world.svc.store.unit(uid)
    assert not unit["locked"] and unit["confirmed_version"] is None


def test_blank_and_carried_workbooks(world) -> None:
    blank = world.clerk.get(f"{world.links[OTHERS[0]]}/workbook.xlsx")
    assert blank.status_code == 200 and blank.content[:2] == b"PK"
    assert "%E5%A1%AB%E6%8A%A5%E8%A1%A8.xlsx" in blank.headers["content-disposition"]  # 填报表.xlsx
    # next year's collection: 青山县医疗保障局 gets a workbook carried from its 2025 submission
    made = world.admin.post("/admin", data={"csrf": world.token, "year": "2026", "format": FORMAT,
                                            "deadline": "2099-04-30"})
    cid = int(made.url.path.rsplit("/", 1)[1])
    world.admin.post(f"/admin/c/{cid}/units", data={"csrf": world.token, "names": f"{UNIT}\n{OTHERS[0]}"})
    units = {u["name"]: u for u in world.svc.store.units(cid)}
    link = f"/u/{units[UNIT]['id']}/{units[UNIT]['secret']}"
    assert "已转入上年数据" in world.clerk.get(link).text
    carried = world.clerk.get(f"{link}/workbook.xlsx")
    assert "%E4%B8%8A%E5%B9%B4%E8%BD%AC%E5%85%A5" in carried.headers["content-disposition"]  # 上年转入
    sheet = openpyxl.load_workbook(io.BytesIO(carried.content))["基本信息"]
    assert [r[1] for r in sheet.iter_rows(min_row=2, max_row=3, values_only=True)] == [UNIT, 2026]
    other = units[OTHERS[0]]
    assert "已转入上年数据" not in world.clerk.get(f"/u/{other['id']}/{other['secret']}").text


# ---- every response -----------------------------------------------------------------------------


def test_security_headers_and_chinese_error_pages(world) -> None:
    for answer in (world.clerk.get(world.links[UNIT]), world.admin.get("/admin"), world.clerk.get("/nowhere"),
                   world.clerk.get("/static/style.css")):
        assert "script-src" not in answer.headers["content-security-policy"]
        assert answer.headers["x-frame-options"] == "DENY" and answer.headers["referrer-policy"] == "no-referrer"
        assert answer.headers["x-content-type-options"] == "nosniff"
    missing = world.clerk.get("/nowhere")
    assert missing.status_code == 404 and "页面不存在" in missing.text
    wrong_method = world.clerk.delete(world.links[UNIT])
    assert wrong_method.status_code == 405 and "不支持" in wrong_method.text


def test_the_access_log_holds_no_secret(world, caplog: pytest.LogCaptureFixture) -> None:
    secret = world.units[UNIT]["secret"]
    with caplog.at_level(logging.INFO, logger="reportgen.serve.access"):
        world.clerk.get(world.links[UNIT])
        world.clerk.get(f"/setup/{world.code}")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"/u/{world.units[UNIT]['id']}/…" in logged and "/setup/…" in logged
    assert secret not in logged and world.code not in logged
    assert masked(f"/u/7/{secret}/d/3") == "/u/7/…/d/3"


def test_other_commands_do_not_load_the_service() -> None:
    code = "import sys, reportgen.cli; assert not [m for m in sys.modules if m.startswith(('reportgen.serve', 'starlette'))]"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_build_over_its_time_limit_is_stopped_and_marked(tmp_path: Path) -> None:
    svc = services(tmp_path / "data", build_timeout=0.01)
    unit_id = _one_unit(svc)
    with TestClient(create_app(svc)):
        received = tmp_path / "received.xlsx"
        received.write_bytes(EXAMPLE.read_bytes())
        row = svc.store.add_version(unit_id, received, "填报表.xlsx", received.stat().st_size)
        svc.queue.wake()
        assert wait_built(svc.store, row["id"]) == "failed"
    result = svc.store.version(row["id"])["result"]
    assert "超过 0.01 秒" in result and svc.store.documents(row["id"]) == []
    assert not (svc.store.version_dir(row["key"]) / "docs").exists()


def _one_unit(svc) -> int:
    cid = svc.store.create_collection(2025, FORMAT, "2099-01-01", "2025年度")
    svc.store.add_units(cid, [UNIT])
    return int(svc.store.units(cid)[0]["id"])


def test_recover_after_a_crash(tmp_path: Path) -> None:
    """A build interrupted before its result.json: failed (upload again); after it: completed; a
    folder no row owns (the upload written, its row never committed) and leftovers in tmp: removed."""
    svc = services(tmp_path / "data")
    store = svc.store
    unit_id = _one_unit(svc)
    rows = []
    for _ in range(3):
        received = tmp_path / "received.xlsx"
        received.write_bytes(EXAMPLE.read_bytes())
        rows.append(store.add_version(unit_id, received, "填报表.xlsx", received.stat().st_size))
    interrupted, finished, queued = rows
    for row in (interrupted, finished):
        with store.write() as conn:
            conn.execute("UPDATE versions SET status = 'building' WHERE id = ?", (row["id"],))
    (store.version_dir(interrupted["key"]) / "docs").mkdir()
    (store.version_dir(interrupted["key"]) / "docs" / "0.docx").write_bytes(b"half")
    done = store.version_dir(finished["key"])
    (done / "docs").mkdir()
    (done / "docs" / "0.docx").write_bytes(b"PK whole")
    write_json(done / RESULT_NAME, {"record": {"unit_name": UNIT, "total": "95.5", "grade": "优", "findings": []},
                                    "documents": [{"position": 0, "file": "0.docx", "name": "报告.docx"}]})
    orphan = store.files / "v" / ("ab" * 16)
    orphan.mkdir()
    (orphan / "upload.xlsx").write_bytes(b"PK")
    (store.tmp / "x.part").write_bytes(b"PK")

    assert store.recover() == {"completed": 1, "failed": 1, "removed": 1}
    failed = store.version(interrupted["id"])
    assert failed["status"] == "failed" and "请重新上传" in failed["result"]
    assert not (store.version_dir(interrupted["key"]) / "docs").exists()
    assert (store.version_dir(interrupted["key"]) / "upload.xlsx").is_file()  # the upload itself is kept
    assert store.version(finished["id"])["status"] == "built" and store.version(finished["id"])["total"] == "95.5"
    assert [d["name"] for d in store.documents(finished["id"])] == ["报告.docx"]
    assert store.version(queued["id"])["status"] == "queued"  # still to build
    assert not orphan.exists() and not any(store.tmp.iterdir())


# ---- reportgen serve on the command line (uvicorn's serving loop replaced: nothing listens) ------


@pytest.fixture
def no_serving(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """``reportgen serve`` runs up to uvicorn's loop, which returns at once (no workers start)."""
    import uvicorn

    served: list[object] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: served.append(sockets))
    return served


def serve_cli(*args: object):
    from click.testing import CliRunner

    from reportgen.cli import main

    return CliRunner().invoke(main, ["serve", *map(str, args)], catch_exceptions=False)


def test_serve_command_setup_link_warning_lock_and_reset(tmp_path: Path, no_serving: list[object]) -> None:
    from reportgen.serve.main import lock_folder
    from reportgen.serve.security import hash_password
    from reportgen.serve.store import Store

    data = tmp_path / "数据"
    first = serve_cli("--data", data, "--port", 0, "--no-pdf")
    assert first.exit_code == 0, first.output
    assert "首次使用" in first.output and "/setup/" in first.output and "已启动" in first.output
    assert "注意" not in first.output and len(no_serving) == 1
    (data / "files" / "v" / ("cd" * 16)).mkdir()  # as if killed between writing an upload and its row

    Store(data).set_password(hash_password(PASSWORD))
    wide = serve_cli("--data", data, "--host", "0.0.0.0", "--port", 0, "--no-pdf")
    assert wide.exit_code == 0 and "局域网内的其他电脑都能访问" in wide.output and "--url" in wide.output
    assert "/setup/" not in wide.output  # a password is set
    assert not (data / "files" / "v" / ("cd" * 16)).exists()  # recovered at start

    held = lock_folder(data)
    try:
        second = serve_cli("--data", data, "--port", 0, "--no-pdf")
    finally:
        held.close()
    assert second.exit_code == 2 and "正被另一个 reportgen serve 使用" in second.output

    reset = serve_cli("--data", data, "--port", 0, "--no-pdf", "--reset-password")
    assert reset.exit_code == 0 and "已清除管理员密码" in reset.output and "/setup/" in reset.output
    assert Store(data).password_hash() is None

    wrong = serve_cli("--data", data, "--url", "192.168.1.10:8000")
    assert wrong.exit_code == 2 and "http://" in wrong.output


def test_serve_command_without_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        no_serving: list[object]) -> None:
    for name in [m for m in sys.modules if m.startswith("reportgen.serve")]:
        monkeypatch.delitem(sys.modules, name)
    for name in [m for m in sys.modules if m == "starlette" or m.startswith("starlette.")]:
        monkeypatch.setitem(sys.modules, name, None)  # import starlette… -> ImportError
    answer = serve_cli("--data", tmp_path / "data", "--port", 0)
    assert not no_serving
    assert answer.exit_code == 2 and "pip install 'reportgen[serve]'" in answer.output


def test_pdfs_follow_the_documents(world, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's PDF step (LibreOffice replaced): pdf.json lists each PDF, the store records them,
    the clerk's page offers them beside their documents."""
    import reportgen.pdf
    from reportgen.pdf import PdfResult
    from reportgen.serve.worker import pdf_record

    def convert(paths, fonts=True):
        assert not fonts  # the service shows no font notice: it does not ask for one
        for path in paths[:1]:
            path.with_suffix(".pdf").write_bytes(b"%PDF-1.7")
        return PdfResult([paths[0].with_suffix(".pdf")], findings=[Finding("LibreOffice 转换超时", str(paths[1]))])

    monkeypatch.setattr(reportgen.pdf, "convert_to_pdf", convert)
    store = world.svc.store
    v2 = version(world, UNIT, 2)
    docs = [{"position": d["position"], "file": d["file"], "name": d["name"]} for d in store.documents(v2["id"])]
    folder = store.version_dir(v2["key"])
    try:
        write_json(folder / "pdf.json", pdf_record(folder / "docs", docs))
        with store.write() as conn:
            conn.execute("UPDATE versions SET pdf = 'pending' WHERE id = ?", (v2["id"],))
        store.finish_pdf(v2["id"])
        pdfs = [d for d in store.documents(v2["id"]) if d["kind"] == "pdf"]
        assert [(d["position"], d["name"]) for d in pdfs] == [(0, docs[0]["name"].replace(".docx", ".pdf"))]
        assert store.version(v2["id"])["pdf"] == "done"
        monkeypatch.setattr(world.svc.settings, "pdf", True)
        page = world.clerk.get(world.links[UNIT]).text
        assert f"/d/{pdfs[0]['id']}\">PDF</a>" in page and "未能生成" not in page and "转换超时" in page
        assert world.clerk.get(f"{world.links[UNIT]}/d/{pdfs[0]['id']}").content == b"%PDF-1.7"
    finally:
        with store.write() as conn:
            conn.execute("DELETE FROM documents WHERE version_id = ? AND kind = 'pdf'", (v2["id"],))
            conn.execute("UPDATE versions SET pdf = 'none' WHERE id = ?", (v2["id"],))
        (folder / "docs" / "0.pdf").unlink(missing_ok=True)


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="the memory limit needs Linux's RLIMIT_AS")
def test_a_build_over_its_memory_limit_gets_memory_error() -> None:
    from reportgen.render.limits import memory_limit

    with pytest.raises(MemoryError), memory_limit(64 * 1024 * 1024):
        bytearray(512 * 1024 * 1024)
    assert len(bytearray(128 * 1024 * 1024)) > 0  # the limit is lifted afterwards
