"""Outputs of a build: safe unique names inside -o, all files or none, Chinese write errors.

Everything runs in-process through the CLI (CliRunner); disk errors are injected by replacing
``reportgen.outputs.write_new_file`` / ``_replace`` (chmod does not stop root). One subprocess test
sends a real Ctrl-C.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from docx import Document

from reportgen import filenames, outputs
from reportgen.cli import main
from reportgen.errors import Finding, ReportgenError
from tests import xlsx_edit

ROOT = Path(__file__).parents[1]
UNIT = "青山县医疗保障局"
REPORT = f"{UNIT}_2025_部门整体支出绩效自评报告.docx"
SCORING = f"{UNIT}_2025_评分表.docx"


_RENDERED: dict[bytes, bytes] = {}


@pytest.fixture(autouse=True)
def render_each_template_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about files, not their content: a template that rendered once (under any
    context) is not rendered again, which keeps this file fast. A failing template still fails."""
    import reportgen.render.docx as docx

    real = docx.render_docx

    def render(template: Path, context, out=None, properties=None) -> bytes:
        key = Path(template).read_bytes()
        if out is not None:
            return real(template, context, out, properties)
        if key not in _RENDERED:
            _RENDERED[key] = real(template, context)
        return _RENDERED[key]

    monkeypatch.setattr(docx, "render_docx", render)


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def example_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("example") / "填报表.xlsx"
    assert run("init", "--example", "--format", "yueyang-2020", path).exit_code == 0
    return path


@pytest.fixture
def workbook(tmp_path: Path, example_workbook: Path) -> Path:
    return Path(shutil.copy(example_workbook, tmp_path / "填报表.xlsx"))


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder holding canaries: an old build's report and an unrelated file."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / REPORT).write_bytes(b"old report")
    (folder / "说明.txt").write_text("keep", encoding="utf-8")
    (tmp_path / "旁边.txt").write_text("keep", encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file and folder under ``folder`` (hidden ones too) with its content."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


def set_cells(path: Path, sheet: str, values: dict[str, object]) -> None:
    xlsx_edit.set_cells(path, path, {sheet: values})


def custom_format(tmp_path: Path, documents: list[dict]) -> Path:
    """A copy of yueyang-2020 whose format.yaml declares ``documents`` instead."""
    folder = tmp_path / "格式"
    shutil.copytree(ROOT / "templates/yueyang-2020", folder)
    declaration = folder / "format.yaml"
    spec = yaml.safe_load(declaration.read_text(encoding="utf-8"))
    spec["documents"] = documents
    declaration.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return folder


def doc(output: str, doc_id: str = "scoring", **extra: object) -> dict:
    return {"id": doc_id, "name": "评分表", "template": "评分表.docx", "output": output,
            "needs": ["scoring"], **extra}


# ---- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("rendered", "expected"), [
    ("经费A/B.docx", "经费A_B"),
    ('a\\b:c*d?e"f<g>h|i.docx', "a_b_c_d_e_f_g_h_i"),
    (".hidden.docx", "hidden"),
    ("...docx", "评分表"),  # nothing left: the document's name
    ("  名称. .docx", "名称"),
    ("CON.docx", "CON_"),
    ("con.2025.docx", "con_.2025"),
    ("LPT9 .docx", "LPT9_"),
    ("COM¹.docx", "COM¹_"),
    ("CONSOLE.docx", "CONSOLE"),
    ("青山\u202e县\u2066医保\u200f局\u061c\u200b\t\n.docx", "青山县医保局"),
    ("e\u0301.docx", "é"),  # NFC
])
def test_safe_stem(rendered: str, expected: str) -> None:
    assert filenames.safe_stem(rendered, fallback="评分表") == expected


@pytest.mark.parametrize("stem", ["单" * 300 + "_2025_评分表", "x" * 300 + "_评分表", "𝒳" * 200 + "_评分表"])
def test_long_names_are_shortened_in_the_middle(stem: str) -> None:
    for tail in (".docx", "（12）.docx"):
        name, shortened = filenames.fit(stem, tail)
        assert shortened and name.endswith("_评分表" + tail) and name.startswith(stem[0]) and "…" in name
        assert len(name) <= 120 and len(name.encode("utf-8")) <= 240


def test_name_plan_compares_like_windows_and_macos(tmp_path: Path) -> None:
    plan = filenames.NamePlan(tmp_path, [tmp_path / "Input.DOCX"])
    assert plan.add("input", "a")[:2] == ("input（2）.docx", "“Input.DOCX”（输入文件）")
    assert plan.add("Café", "b") == ("Café.docx", None, False)
    assert plan.add(filenames.safe_stem(unicodedata.normalize("NFD", "CAFÉ")), "c")[:2] == ("CAFÉ（2）.docx", "b")
    assert plan.add("café", "d")[0] == "café（3）.docx"


# ---- output patterns in format.yaml -----------------------------------------------------------


@pytest.mark.parametrize(("output", "code", "message"), [
    ("../../x.docx", "F116", "含有文件夹分隔符"),
    ("{{ unit.name }}/x.docx", "F116", "含有文件夹分隔符"),
    ("{{ unit.name }}", "F117", "输出文件名应以 .docx 结尾（现为“青山县医疗保障局”）"),
    ("{{ unit.name }}.doc", "F117", "输出文件名应以 .docx 结尾"),
    ("{{ unit.nmae }}.docx", "F115", "输出文件名模板出错"),
    ("{{ unit.name .docx", "F115", "输出文件名模板出错"),
])
def test_bad_output_pattern_is_a_format_error(tmp_path: Path, workbook: Path, out: Path,
                                              output: str, code: str, message: str) -> None:
    fmt = custom_format(tmp_path, [doc(output)])
    before, beside = snapshot(out), snapshot(tmp_path.parent)
    result = run("build", workbook, "-o", out, "--format", fmt)
    assert result.exit_code == 2, result.output
    assert f"{fmt / 'format.yaml'} {code} documents.scoring.output: " in result.output
    assert message in result.output and "Traceback" not in result.output
    assert snapshot(out) == before
    assert snapshot(tmp_path.parent).keys() == beside.keys()  # nothing written outside -o either


@pytest.mark.parametrize(("output", "written"), [
    (".hidden.docx", "hidden.docx"),
    ("CON.docx", "CON_.docx"),
    ("nul.{{ unit.year }}.docx", "nul_.2025.docx"),
    ("  {{ unit.name }} . .DOCX ", f"{UNIT}.docx"),
])
def test_odd_output_patterns_give_plain_names(tmp_path: Path, workbook: Path, output: str, written: str) -> None:
    fmt = custom_format(tmp_path, [doc(output)])
    result = run("build", workbook, "-o", tmp_path / "o", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "o").iterdir()] == [written]
    assert f"已生成：{tmp_path / 'o' / written}\n" in result.output


# ---- names from the workbook ------------------------------------------------------------------


def rename_projects(path: Path, names: dict[int, str]) -> None:
    """Rename the projects on these rows of 项目, and in 项目指标 which refers to them by name."""
    projects = xlsx_edit.cell_values(path, "项目")
    renamed = {projects[f"A{row}"]: new for row, new in names.items()}
    indicators = {ref: renamed[name] for ref, name in xlsx_edit.cell_values(path, "项目指标").items()
                  if ref[0] == "A" and ref[1:].isdigit() and int(ref[1:]) >= 2 and name in renamed}
    xlsx_edit.set_cells(path, path, {"项目": {f"A{row}": new for row, new in names.items()}, "项目指标": indicators})


def test_duplicate_project_names_get_numbered_files(tmp_path: Path, workbook: Path) -> None:
    rename_projects(workbook, {6: "经费A/B", 7: "经费A:B", 8: "经费a|b", 9: "其他经费"})
    fmt = custom_format(tmp_path, [doc("{{ project.name }}_项目表.docx", "project", for_each="project")])
    result = run("build", workbook, "-o", tmp_path / "o", "--format", fmt)
    assert result.exit_code == 0, result.output
    names = {p.name for p in (tmp_path / "o").iterdir()}
    assert {"其他经费_项目表.docx", "经费A_B_项目表.docx", "经费A_B_项目表（2）.docx", "经费a_b_项目表（3）.docx"} < names
    assert len(names) == 8  # the example's 8 projects, none replacing another
    assert "经费A_B_项目表（2）.docx（项目名称与项目!第6行重名，已加序号）" in result.output
    assert "经费a_b_项目表（3）.docx（项目名称与项目!第6行重名，已加序号）" in result.output
    assert "其他经费_项目表.docx\n" in result.output


def test_unit_name_with_invisible_and_path_characters(tmp_path: Path, workbook: Path) -> None:
    set_cells(workbook, "基本信息", {"B2": "..\\..\\青山\u202e县\u2067医保/局"})
    result = run("build", workbook, "-o", tmp_path / "o")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == [
        "_.._青山县医保_局_2025_评分表.docx", "_.._青山县医保_局_2025_部门整体支出绩效自评报告.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o", "填报表.xlsx"]


def test_very_long_unit_name_is_shortened(tmp_path: Path, workbook: Path) -> None:
    set_cells(workbook, "基本信息", {"B2": "青山县" + "很长" * 95 + "医疗保障局"})  # 200 characters, the most allowed
    result = run("build", workbook, "-o", tmp_path / "o")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "o").iterdir())
    assert [n.startswith("青山县很长") and "…" in n for n in names] == [True, True]
    assert names[0].endswith("医疗保障局_2025_评分表.docx")
    assert names[1].endswith("_2025_部门整体支出绩效自评报告.docx")
    assert all(len(n) <= 120 and len(n.encode()) <= 240 for n in names)
    assert result.output.count("（文件名过长，已截短）") == 2
    assert "too long" not in result.output


def test_inputs_are_never_overwritten(tmp_path: Path, workbook: Path) -> None:
    """Built into the format folder itself, an output named like a template gets a number."""
    fmt = custom_format(tmp_path, [doc("评分表.docx")])
    before = snapshot(fmt)
    result = run("build", workbook, "-o", fmt, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "评分表（2）.docx（与“评分表.docx”（输入文件）同名，已加序号）" in result.output
    assert snapshot(fmt) == before | {"评分表（2）.docx": (fmt / "评分表（2）.docx").read_bytes()}


# ---- all or nothing ---------------------------------------------------------------------------


def test_template_error_in_last_document_leaves_out_untouched(tmp_path: Path, workbook: Path, out: Path) -> None:
    fmt = custom_format(tmp_path, [doc("{{ unit.name }}_评分表.docx"), doc("{{ unit.name }}_2.docx", "two"),
                                   doc("{{ unit.name }}_坏.docx", "bad", template="坏.docx")])
    broken = Document()
    broken.add_paragraph("{{ 没有这个变量 }}")
    broken.save(str(fmt / "坏.docx"))
    before = snapshot(out)
    result = run("build", workbook, "-o", out, "--format", fmt)
    assert result.exit_code == 2
    assert "坏.docx" in result.output and "未定义的变量 没有这个变量" in result.output
    assert snapshot(out) == before


def fail_on(n: int | set[int], exc: BaseException, real):
    """A stand-in for ``real`` that raises ``exc`` on its ``n``-th call(s) (after half a write)."""
    calls = []
    failing = n if isinstance(n, set) else {n}

    def fake(*args, **kwargs):
        calls.append(args)
        if len(calls) in failing:
            if real is outputs.write_new_file:
                Path(args[0]).write_bytes(args[1][: len(args[1]) // 2])
            raise exc
        return real(*args, **kwargs)

    return fake


WRITE_ERRORS = [
    (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足，未写入任何文件"),
    (PermissionError(errno.EACCES, "Permission denied"), "没有写入权限"),
    (PermissionError(errno.EPERM, "Operation not permitted"), "没有写入权限"),
    (OSError(errno.EROFS, "Read-only file system"), "没有写入权限"),
    (OSError(errno.EIO, "Input/output error"), "无法写入：Input/output error"),
]


@pytest.mark.parametrize(("exc", "message"), WRITE_ERRORS)
def test_write_errors_leave_out_untouched(monkeypatch: pytest.MonkeyPatch, workbook: Path, out: Path,
                                          exc: OSError, message: str) -> None:
    monkeypatch.setattr(outputs, "write_new_file", fail_on(2, exc, outputs.write_new_file))
    before = snapshot(out)
    result = run("build", workbook, "-o", out)
    assert result.exit_code == 2
    assert f"错误  {out}: {message}" in result.stderr
    assert "Traceback" not in result.output and "Exception ignored" not in result.output
    assert snapshot(out) == before  # no new file, no staging folder


def test_write_error_in_a_new_folder_removes_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                workbook: Path) -> None:
    monkeypatch.setattr(outputs, "write_new_file", fail_on(1, OSError(errno.ENOSPC, "full"), outputs.write_new_file))
    result = run("build", workbook, "-o", tmp_path / "新" / "输出")
    assert result.exit_code == 2 and "磁盘空间不足" in result.output
    assert not (tmp_path / "新").exists()


@pytest.mark.parametrize("failing_call", [1, 2, 3])
def test_file_open_in_word_rolls_everything_back(monkeypatch: pytest.MonkeyPatch, workbook: Path, out: Path,
                                                 failing_call: int) -> None:
    """Moves: 1 sets the old report aside, 2 and 3 put the new files in place."""
    (out / SCORING).write_bytes(b"old scoring")
    locked = PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(outputs, "_replace", fail_on(failing_call + (failing_call > 1), locked, os.replace))
    before = snapshot(out)
    result = run("build", workbook, "-o", out)
    assert result.exit_code == 2
    assert "可能正在被 Word 或 WPS 打开（请关闭后重试）" in result.output
    assert f"{out}{os.sep}" in result.output and ".reportgen-tmp" not in result.output
    assert snapshot(out) == before


def test_old_file_that_cannot_be_put_back_is_kept_visible(monkeypatch: pytest.MonkeyPatch, workbook: Path,
                                                          out: Path) -> None:
    """Moves: 1-2 set both old files aside, 3 fails (first new file), 4-5 put them back: 5 fails."""
    (out / SCORING).write_bytes(b"old scoring")
    locked = PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(outputs, "_replace", fail_on({3, 5}, locked, os.replace))
    result = run("build", workbook, "-o", out)
    assert result.exit_code == 2 and "可能正在被 Word 或 WPS 打开" in result.output
    (rescue,) = out.glob("reportgen-原文件-*")
    assert f"有原来的文件未能放回输出文件夹，已保存在 {rescue}，请手动移回" in result.output
    assert (rescue / REPORT).read_bytes() == b"old report" and (out / SCORING).read_bytes() == b"old scoring"
    assert sorted(p.name for p in out.iterdir()) == sorted([SCORING, "说明.txt", rescue.name])


def test_existing_folder_named_like_an_output(workbook: Path, out: Path) -> None:
    (out / SCORING).mkdir()
    before = snapshot(out)
    result = run("build", workbook, "-o", out)
    assert result.exit_code == 2 and f"{out / SCORING}: 输出文件夹中已有同名的文件夹" in result.output
    assert snapshot(out) == before


def test_rebuild_replaces_old_outputs_and_leaves_others(workbook: Path, out: Path) -> None:
    result = run("build", workbook, "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([REPORT, SCORING, "说明.txt"])
    assert (out / REPORT).read_bytes().startswith(b"PK") and (out / "说明.txt").read_text("utf-8") == "keep"


def test_leftover_staging_folders_are_removed(tmp_path: Path, workbook: Path, out: Path) -> None:
    dead = out / ".reportgen-tmp-dead0001"
    (dead / "new").mkdir(parents=True)
    (dead / ".lock").touch()
    (dead / "new" / SCORING).write_bytes(b"half")
    old = out / ".reportgen-tmp-0ld00002"  # killed before it took its lock, long ago
    old.mkdir()
    os.utime(old, (0, 0))
    done = out / ".reportgen-tmp-d0ne0004"  # killed after its swap: old/ holds replaced files
    (done / "old").mkdir(parents=True)
    (done / "old" / "旧.docx").write_bytes(b"replaced")
    (done / ".done").touch()
    (done / ".lock").touch()
    swapping = out / ".reportgen-tmp-5wap0005"  # an older version killed while swapping: old/ holds the clerk's files
    (swapping / "old").mkdir(parents=True)
    (swapping / ".lock").touch()
    (swapping / "old" / "原来的.docx").write_bytes(b"precious")
    (out / "原来的.docx").write_bytes(b"the killed build's")
    live = out / ".reportgen-tmp-11ve0003"  # another build still running
    live.mkdir()
    killed_file = out / ".reportgen-tmp-f11e0006.tmp"  # a killed init/汇总表: its lock is free
    killed_file.write_bytes(b"half")
    os.utime(killed_file, (time.time() - 5, time.time() - 5))
    live_file = out / ".reportgen-tmp-f11e0007.tmp"  # one being written: locked
    live_file.write_bytes(b"being written")
    os.utime(live_file, (time.time() - 5, time.time() - 5))
    with open(live / ".lock", "w") as lock, open(live_file, "rb") as writing:
        fcntl.flock(lock, fcntl.LOCK_EX)
        fcntl.flock(writing, fcntl.LOCK_EX)
        result = run("build", workbook, "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob(".*")) == [live.name, live_file.name]
    assert (out / "原来的.docx").read_bytes() == b"precious"  # put back where it was, and said so
    assert f"提示  {out}: 上次生成在替换文件时被中断，已放回原来的 1 个文件" in result.output
    assert not list(out.glob("reportgen-原文件-*"))


# ---- where the output goes --------------------------------------------------------------------


def test_out_is_a_file(tmp_path: Path, workbook: Path) -> None:
    target = tmp_path / "报告.docx"
    target.write_bytes(b"keep")
    for where in (target, workbook):
        result = run("build", workbook, "-o", where)
        assert result.exit_code == 2
        assert f"{where}: 输出位置是一个文件，不是文件夹" in result.output and "Invalid value" not in result.output
    assert target.read_bytes() == b"keep"


def test_out_below_a_file(tmp_path: Path, workbook: Path) -> None:
    (tmp_path / "f").write_bytes(b"keep")
    result = run("build", workbook, "-o", tmp_path / "f" / "out")
    assert result.exit_code == 2 and "是一个文件，不是文件夹" in result.output


# ---- init and questionnaire blank -------------------------------------------------------------


def test_init_target_checks(tmp_path: Path) -> None:
    (tmp_path / "表.xlsx").mkdir()
    result = run("init", tmp_path / "表.xlsx")
    assert result.exit_code == 2 and "输出位置是一个文件夹，不是文件" in result.output
    assert "Invalid value" not in result.output
    result = run("init", tmp_path / "表.xls")
    assert result.exit_code == 2 and "填报表文件名应以 .xlsx 结尾" in result.output


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_init_disk_full_has_no_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A workbook written to a full disk: a message naming the file, no traceback, the file there before kept."""
    real_write = outputs.write_new_file
    monkeypatch.setattr(outputs, "write_new_file", lambda path, data: (real_write(path, b""),
                                                                       Path("/dev/full").write_bytes(data)))
    (tmp_path / "表.xlsx").write_bytes(b"keep")
    result = run("init", tmp_path / "表.xlsx", "--force")
    assert result.exit_code == 2
    assert f"{tmp_path / '表.xlsx'}: 磁盘空间不足，未写入任何文件" in result.output
    assert "Traceback" not in result.output and "Exception ignored" not in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["表.xlsx"] and (tmp_path / "表.xlsx").read_bytes() == b"keep"


def test_questionnaire_blank_target_checks(tmp_path: Path, example_workbook: Path) -> None:
    as_docx = Path(shutil.copy(example_workbook, tmp_path / "填报表.docx"))
    before = as_docx.read_bytes()
    result = run("questionnaire", "blank", as_docx, "--workbook", as_docx, "--format", "yanling-2020")
    assert result.exit_code == 2 and "输出文件不能与输入的填报表是同一个文件" in result.output
    assert as_docx.read_bytes() == before
    result = run("questionnaire", "blank", tmp_path / "问卷.xlsx", "--format", "yanling-2020")
    assert result.exit_code == 2 and "问卷文件名应以 .docx 结尾" in result.output
    (tmp_path / "问卷.docx").mkdir()
    result = run("questionnaire", "blank", tmp_path / "问卷.docx", "--format", "yanling-2020")
    assert result.exit_code == 2 and "输出位置是一个文件夹，不是文件" in result.output


def test_questionnaire_blank_write_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(outputs, "write_new_file", fail_on(1, OSError(errno.EROFS, "ro"), outputs.write_new_file))
    result = run("questionnaire", "blank", tmp_path / "问卷.docx", "--format", "yanling-2020")
    assert result.exit_code == 2 and f"{tmp_path / '问卷.docx'}: 没有写入权限" in result.output
    assert list(tmp_path.iterdir()) == []


# ---- Ctrl-C -----------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["render", "write"])
def test_ctrl_c_in_process(monkeypatch: pytest.MonkeyPatch, workbook: Path, out: Path, where: str) -> None:
    import reportgen.render.docx as docx

    if where == "render":
        monkeypatch.setattr(docx, "render_docx", fail_on(2, KeyboardInterrupt(), docx.render_docx))
    else:
        monkeypatch.setattr(outputs, "write_new_file", fail_on(2, KeyboardInterrupt(), outputs.write_new_file))
    before = snapshot(out)
    result = run("build", workbook, "-o", out)
    assert result.exit_code == 130
    assert result.stderr == "已中断，未生成任何文件。\n" and "Aborted" not in result.output
    assert snapshot(out) == before


CTRL_C = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, even when started in the background
from reportgen import outputs
from reportgen.cli import main
real, calls = outputs.write_new_file, []
def write(path, data):
    calls.append(path)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGINT)
    real(path, data)
outputs.write_new_file = write
main(sys.argv[1:], prog_name="reportgen")
"""


def test_real_ctrl_c(workbook: Path, out: Path) -> None:
    before = snapshot(out)
    proc = subprocess.run([sys.executable, "-c", CTRL_C, "build", str(workbook), "-o", str(out)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.strip() == "已中断，未生成任何文件。" and proc.stdout == ""
    assert snapshot(out) == before


def test_reportgen_error_from_a_render_is_passed_through(monkeypatch: pytest.MonkeyPatch, workbook: Path,
                                                         out: Path) -> None:
    import reportgen.render.docx as docx

    failure = ReportgenError(Finding("模板渲染出错：测试", "评分表.docx", "第1段"))
    monkeypatch.setattr(docx, "render_docx", fail_on(2, failure, docx.render_docx))
    before = snapshot(out)
    result = run("build", workbook, "-o", out)
    assert result.exit_code == 2 and "评分表.docx 第1段: 模板渲染出错：测试" in result.output
    assert snapshot(out) == before


def test_a_removed_projects_old_form_is_named_not_deleted(tmp_path: Path) -> None:
    """Building again after a project was removed: its old form (and PDF) from the earlier build is
    named in a warning, so it is not submitted by mistake, and left in place; other files are not."""
    from click.testing import CliRunner

    from reportgen.cli import main

    out = tmp_path / "out"
    out.mkdir()
    old = ["青山县医疗保障局_2025_已删除的项目_项目支出绩效自评表.docx", "青山县医疗保障局_2025_已删除的项目_项目支出绩效自评表.pdf"]
    for name in [*old, "青山县医疗保障局_2024_部门整体支出绩效自评表.docx", "说明.docx"]:
        (out / name).write_bytes(b"x")
    result = CliRunner().invoke(main, ["build", "inputs/example-current-2021.xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"提示  {out}: 输出文件夹中还有 2 个以前生成、本次没有生成的文件（如已删除或改名项目的文档）：{'、'.join(sorted(old))}" \
        in result.output
    assert all((out / name).exists() for name in old)  # named, never deleted


# ---- killed or interrupted in the middle of the swap (issue 20) ---------------------------------

KILL_MID_SWAP = """
import os, signal, sys
from pathlib import Path
from reportgen import outputs
real, moves = outputs._replace, []
def replace(src, dst):
    if len(moves) == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)
    moves.append(dst)
    real(src, dst)
outputs._replace = replace
outputs.write_all(Path(sys.argv[1]), [outputs.Staged(n, b"new " + n.encode()) for n in ("c.docx", "a.docx", "b.docx")])
"""


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
@pytest.mark.parametrize(("moves", "said"), [
    (2, "已放回原来的 2 个文件"),  # a and b set aside: both were missing from -o
    (4, "已放回原来的 2 个文件、删除其新生成的 1 个文件"),  # then the new c and a moved in, b not yet
])
def test_a_build_killed_mid_swap_is_rolled_back_and_said(tmp_path: Path, workbook: Path, out: Path,
                                                         moves: int, said: str) -> None:
    """Issue 20: SIGKILL during the swap left new documents beside old ones, and the next build
    silently moved the old ones into a reportgen-原文件-… folder."""
    (out / "a.docx").write_bytes(b"old a")
    (out / "b.docx").write_bytes(b"old b")
    done = subprocess.run([sys.executable, "-c", KILL_MID_SWAP, str(out), str(moves)], capture_output=True)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert len(list(out.glob(".reportgen-tmp-*"))) == 1
    from reportgen.outputs import recover

    [finding] = recover(out)
    assert str(finding) == f"{out}: 上次生成在替换文件时被中断，{said}，输出文件夹恢复为那次生成之前的样子"
    assert not finding.is_error
    assert sorted(p.name for p in out.iterdir()) == sorted(["a.docx", "b.docx", REPORT, "说明.txt"])  # no staging
    assert (out / "a.docx").read_bytes() == b"old a" and (out / "b.docx").read_bytes() == b"old b"


def test_ctrl_c_during_the_swap_finishes_it_and_says_so(tmp_path: Path, workbook: Path, out: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from reportgen import outputs

    (out / SCORING).write_bytes(b"old")
    real, calls = outputs._replace, []

    def interrupted(src: Path, dst: Path) -> None:
        calls.append(dst)
        if len(calls) == 2:
            signal.raise_signal(signal.SIGINT)
        real(src, dst)

    monkeypatch.setattr(outputs, "_replace", interrupted)
    result = run("build", workbook, "-o", out)
    assert result.exit_code == 130
    assert "已中断：2 个文件已全部写入，其后的步骤未进行。" in result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([REPORT, SCORING, "说明.txt"])  # no staging folder
    assert (out / SCORING).read_bytes() != b"old" and (out / REPORT).read_bytes() != b"old report"
