"""build --pdf (issue 12): LibreOffice conversion, the shipped fonts.conf, the font notice, and
what a clerk sees when LibreOffice is missing, fails or hangs.

Only ``test_build_pdf_of_the_example`` runs LibreOffice (one soffice call, ~2-5 s); it is
skipped where soffice or poppler's pdftotext is missing, unless REPORTGEN_REQUIRE_PDF=1: .ci/run
installs both with apt and sets it, so a broken PDF path fails CI instead of being skipped."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen import pdf
from reportgen.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "example-yueyang-2020.xlsx"  # its two documents: a quick PDF
REPORT, SCORING = "青山县医疗保障局_2025_部门整体支出绩效自评报告", "青山县医疗保障局_2025_评分表"
HAVE_LIBREOFFICE = pdf.find_soffice() is not None and shutil.which("pdftotext") is not None
REQUIRED = os.environ.get("REPORTGEN_REQUIRE_PDF") == "1"  # set by .ci/run once it has installed them
posix_only = pytest.mark.skipif(os.name == "nt", reason="fake soffice is a shell script")


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def pdf_pages(path: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed), blanks removed."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")
    return ["".join(page.split()) for page in text.split("\f")[:-1]]


@pytest.mark.skipif(not (HAVE_LIBREOFFICE or REQUIRED), reason="LibreOffice (soffice) or pdftotext not installed")
def test_build_pdf_of_the_example(tmp_path):
    out = tmp_path / "输出"
    result = run("build", EXAMPLE, "-o", out, "--pdf")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    for stem in (REPORT, SCORING):
        assert f"已生成：{out / stem}.docx" in result.output
        assert f"已生成：{out / stem}.pdf" in result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{stem}{ext}" for stem in (REPORT, SCORING) for ext in (".docx", ".pdf"))

    report, scoring = pdf_pages(out / f"{REPORT}.pdf"), pdf_pages(out / f"{SCORING}.pdf")
    # Page counts depend on the fonts (Noto CJK in place of 仿宋_GB2312: report 7, scoring table 5):
    # a range, and every page carries its own page number "—N—" (GB/T 9704), so none is lost.
    assert 4 <= len(report) <= 12 and 2 <= len(scoring) <= 8, (len(report), len(scoring))
    for pages in (report, scoring):
        for number, page in enumerate(pages, start=1):
            assert f"—{number}—" in page
    report_text = "".join(report)
    assert report_text.startswith("青山县医疗保障局2025年度部门整体支出绩效自评报告")
    for figure in ("青山县医疗保障局", "预算执行率99.18%", "年末实有42人", "定点医药机构132家"):
        assert figure in report_text
    scoring_text = "".join(scoring)
    assert "单位名称：青山县医疗保障局" in scoring_text and "预算调整率4.05%" in scoring_text

    # The font notice: once, naming what the PDF really embeds (when fc-match can tell).
    notices = [line for line in result.output.splitlines() if "PDF 中以" in line]
    assert len(notices) <= 1
    if shutil.which("fc-match") and shutil.which("pdffonts") and notices:
        assert notices[0].startswith("提示  PDF: 未安装 ") and "仿宋_GB2312" in notices[0]
        embedded = subprocess.run(["pdffonts", str(out / f"{REPORT}.pdf")], capture_output=True,
                                  text=True, check=True).stdout.replace(" ", "")
        for family in ("Noto Serif CJK", "Noto Sans CJK"):
            if family in notices[0]:
                assert family.replace(" ", "") in embedded


def test_build_pdf_without_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    out = tmp_path / "out"
    result = run("build", EXAMPLE, "-o", out, "--pdf")
    assert result.exit_code == 2, result.output
    assert "错误  PDF: 未找到 LibreOffice，无法生成 PDF（Word 文档不受影响）" in result.output
    assert "sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk fonts-liberation2" in result.output
    assert "https://www.libreoffice.org/download/" in result.output
    assert r"C:\Program Files\LibreOffice\program\soffice.exe" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{REPORT}.docx", f"{SCORING}.docx"])


def fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


@posix_only
def test_failing_soffice_names_each_file(tmp_path, monkeypatch):
    soffice = fake_soffice(tmp_path, 'echo "Error: source file could not be loaded" >&2; exit 1')
    monkeypatch.setattr(pdf, "find_soffice", lambda: soffice)
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{SCORING}.pdf").write_bytes(b"%PDF old")
    result = run("build", EXAMPLE, "-o", out, "--pdf")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert (f"错误  {out / REPORT}.docx: LibreOffice 未能转换此文件（Error: source file could not be loaded；"
            "退出码 1），未生成 PDF\n") in result.output
    assert (f"错误  {out / SCORING}.docx: LibreOffice 未能转换此文件（Error: source file could not be loaded；"
            f"退出码 1），未生成 PDF；文件夹中的 {SCORING}.pdf 是以前生成的，与新的 Word 文档不一致") in result.output
    assert (out / f"{REPORT}.docx").is_file() and not (out / f"{REPORT}.pdf").exists()


@posix_only
def test_hanging_soffice_is_killed_with_its_children(tmp_path):
    doc = tmp_path / "报告.docx"
    doc.write_bytes(b"not converted anyway")
    pids = tmp_path / "pids"
    soffice = fake_soffice(tmp_path, f"sleep 60 & echo $! > {pids}; wait")
    started = time.monotonic()
    result = pdf.convert_to_pdf([doc], timeout=0.5, soffice=soffice)
    assert time.monotonic() - started < 10
    assert not result.ok and result.converted == []
    assert [str(f) for f in result.findings] == [f"{doc}: LibreOffice 转换超时（超过 0.5 秒），未生成 PDF"]
    child = int(pids.read_text())
    stat = Path(f"/proc/{child}/stat")
    assert not stat.exists() or stat.read_text().split(") ")[1].startswith("Z")  # gone (or reaped soon)


def test_fonts_conf_maps_official_names_without_hiding_real_fonts():
    root = ET.parse(pdf.FONTS_CONF).getroot()
    assert [i.text for i in root.iter("include")] == ["/etc/fonts/fonts.conf"]  # system fonts keep working
    names = pdf.official_fonts()
    for official in ("仿宋_GB2312", "仿宋", "FangSong", "方正小标宋简体", "方正小标宋_GBK", "楷体_GB2312", "楷体",
                     "KaiTi", "黑体", "SimHei", "宋体", "SimSun"):
        assert official in names
    for alias in root.iter("alias"):
        # <accept> puts the substitutes after the named family: an installed real font still wins
        # (<prefer> would put Noto before it).
        assert alias.find("prefer") is None and alias.find("accept") is not None
        assert [f.text for f in alias.find("accept")][-1] in ("serif", "sans-serif")
    if shutil.which("fc-match"):
        done = subprocess.run(["fc-match", "仿宋_GB2312"], capture_output=True, text=True,
                              env={**os.environ, "FONTCONFIG_FILE": str(pdf.FONTS_CONF)})
        assert done.returncode == 0 and "error" not in done.stderr.lower(), done.stderr


def test_fonts_used_and_notice():
    template = ROOT / "templates" / "yueyang-2020" / "自评报告.docx"
    assert pdf.fonts_used([template]) == ["仿宋_GB2312", "方正小标宋简体", "宋体", "楷体_GB2312", "黑体",
                                          "Times New Roman"]
    notice = pdf.font_notice({"仿宋_GB2312": "Noto Serif CJK SC", "方正小标宋简体": "Noto Serif CJK SC",
                              "黑体": "Noto Sans CJK SC"})
    assert notice is not None and not notice.is_error
    assert str(notice) == ("PDF: 未安装 仿宋_GB2312、方正小标宋简体，PDF 中以 Noto Serif CJK SC 代替；"
                           "未安装 黑体，PDF 中以 Noto Sans CJK SC 代替（字形、换行和页数可能与装有这些字体的电脑上不同）")
    assert pdf.font_notice({}) is None


# ---- a fake LibreOffice that converts, fails, crashes or hangs on cue (issue 20, 21) -------------

FAKE = r"""#!/bin/sh
# a stand-in for soffice: logs "pid profile files…", then per file: HANG hangs (with a helper in its
# process group, as soffice.bin is), CRASH exits 1, FAIL is skipped with LibreOffice's message, else a PDF
while [ $# -gt 0 ]; do
  case "$1" in
    -env:UserInstallation=*) profile="${1##*/}" ;;
    --outdir) out="$2"; shift 2; break ;;
  esac
  shift
done
names=""
for doc in "$@"; do names="$names $(basename "$doc")"; done
echo "$$ $profile$names" >> "$FAKE_LOG"
for doc in "$@"; do
  head=$(head -c 5 "$doc")
  if [ "$head" = "HANG" ] || [ -n "$FAKE_HANG" ]; then
    sleep 300 &
    echo "$! child" >> "$FAKE_LOG"
    wait
  fi
  case "$head" in
    CRASH) exit 1 ;;
    FAIL) echo "Error: source file could not be loaded" >&2; continue ;;
  esac
  { printf '%%PDF-fake '; cat "$doc"; } > "$out/$(basename "$doc" .docx).pdf"
done
"""


def fake_office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """The fake soffice (named so, in a folder of its own) and the log of its calls: pid, profile, files."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(FAKE, encoding="utf-8")
    script.chmod(0o755)
    log = tmp_path / "calls.log"
    log.touch()
    monkeypatch.setenv("FAKE_LOG", str(log))
    return str(script), log


def documents(tmp_path: Path, *contents: str) -> list[Path]:
    docs = []
    for i, content in enumerate(contents):
        doc = tmp_path / "docs" / f"文档{i}.docx"
        doc.parent.mkdir(exist_ok=True)
        doc.write_bytes(content.encode())
        docs.append(doc)
    return docs


def alive(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    try:
        return not stat.read_text().split(") ")[1].startswith("Z")
    except OSError:
        return False


@posix_only
def test_one_hung_document_costs_one_timeout(tmp_path, monkeypatch):
    """Issue 20: a document LibreOffice hangs on made every later document of the call "转换超时"."""
    soffice, log = fake_office(tmp_path, monkeypatch)
    docs = documents(tmp_path, "a", "HANG", "c", "d")
    result = pdf.convert_to_pdf(docs, timeout=1, soffice=soffice)  # the fake (sh) starts in milliseconds
    assert [str(f) for f in result.findings] == [f"{docs[1]}: LibreOffice 转换超时（超过 1 秒），未生成 PDF"]
    assert result.converted == [docs[0].with_suffix(".pdf"), docs[2].with_suffix(".pdf"), docs[3].with_suffix(".pdf")]
    assert docs[3].with_suffix(".pdf").read_bytes() == b"%PDF-fake d"
    lines = [line.split() for line in log.read_text().splitlines()]
    calls = [c for c in lines if c[1] != "child"]
    assert [c[2:] for c in calls] == [["0.docx", "1.docx", "2.docx", "3.docx"], ["2.docx", "3.docx"]]
    assert not any(alive(int(c[0])) for c in lines)  # the call that hung, and its helper, were killed


@posix_only
def test_a_failed_call_is_retried_document_by_document(tmp_path, monkeypatch):
    """Issue 21: LibreOffice crashing on one file lost the PDFs of every file after it in the call."""
    soffice, log = fake_office(tmp_path, monkeypatch)
    docs = documents(tmp_path, "a", "CRASH", "c", "FAIL")
    result = pdf.convert_to_pdf(docs, soffice=soffice)
    assert result.converted == [docs[0].with_suffix(".pdf"), docs[2].with_suffix(".pdf")]
    assert [str(f) for f in result.findings] == [
        f"{docs[1]}: LibreOffice 未能转换此文件（退出码 1），未生成 PDF",
        f"{docs[3]}: LibreOffice 未能转换此文件（Error: source file could not be loaded），未生成 PDF"]
    calls = [line.split()[2:] for line in log.read_text().splitlines()]
    assert calls == [["0.docx", "1.docx", "2.docx", "3.docx"], ["1.docx"], ["2.docx"], ["3.docx"]]


@posix_only
def test_jobs_convert_at_once_each_with_one_profile_for_the_run(tmp_path, monkeypatch):
    soffice, log = fake_office(tmp_path, monkeypatch)
    monkeypatch.setattr(pdf, "BATCH_SIZE", 2)
    docs = documents(tmp_path, *"abcdef")
    result = pdf.convert_to_pdf(docs, soffice=soffice, jobs=2)
    assert result.ok and result.converted == [d.with_suffix(".pdf") for d in docs]
    calls = [line.split() for line in log.read_text().splitlines()]
    assert sorted(c[2:] for c in calls) == [["0.docx", "1.docx"], ["2.docx", "3.docx"], ["4.docx", "5.docx"]]
    assert {c[1] for c in calls} == {"profile-0", "profile-1"}  # two slots, each profile used again


@posix_only
def test_no_room_for_the_pdfs_says_the_documents_are_written(tmp_path, monkeypatch):
    """Issue 20: a disk with room for the .docx but not the PDFs said "未写入任何文件"."""
    import errno

    from reportgen import outputs

    soffice, _ = fake_office(tmp_path, monkeypatch)
    monkeypatch.setattr(pdf, "find_soffice", lambda: soffice)
    real = outputs.write_new_file

    def full(path, data):
        if path.suffix == ".pdf":
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, data)

    monkeypatch.setattr(outputs, "write_new_file", full)
    out = tmp_path / "out"
    result = run("build", EXAMPLE, "-o", out, "--pdf")
    assert result.exit_code == 2, result.output
    assert f"错误  {out}: 磁盘空间不足，该文件夹的 PDF 未写入（Word 文档已生成）" in result.output
    assert "未写入任何文件" not in result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{REPORT}.docx", f"{SCORING}.docx"])


def test_folders_of_killed_runs_are_removed(tmp_path):
    import fcntl

    from reportgen import office

    for name in ("dead", "alive", "old-unlocked", "new-unlocked"):
        (tmp_path / f"{office.PREFIX}{name}").mkdir()
    (tmp_path / f"{office.PREFIX}dead" / "lock").touch()  # its owner died: the lock is free
    held = os.open(tmp_path / f"{office.PREFIX}alive" / "lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(held, fcntl.LOCK_EX)
    os.utime(tmp_path / f"{office.PREFIX}old-unlocked", (0, 0))
    (tmp_path / "other").mkdir()
    try:
        removed = office.remove_abandoned(tmp_path)
    finally:
        os.close(held)
    assert sorted(p.name for p in removed) == [f"{office.PREFIX}dead", f"{office.PREFIX}old-unlocked"]
    assert {p.name for p in tmp_path.iterdir()} == {f"{office.PREFIX}alive", f"{office.PREFIX}new-unlocked", "other"}


@posix_only
def test_build_killed_while_converting_leaves_no_libreoffice_and_no_folder(tmp_path, monkeypatch):
    """Issue 20: SIGKILL during the PDF phase left soffice.bin running and its profile in the temp folder.
    (Ctrl-C there, and kills at random moments: bench/faults.py.)"""
    soffice, log = fake_office(tmp_path, monkeypatch)
    out, temp = tmp_path / "out", tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "PATH": f"{Path(soffice).parent}{os.pathsep}{os.environ['PATH']}", "TMPDIR": str(temp),
           "FAKE_HANG": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "reportgen.cli", "build", str(EXAMPLE), "-o", str(out), "--pdf"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while "child" not in log.read_text() and time.monotonic() < deadline:  # converting (and hanging)
        time.sleep(0.05)
    assert "child" in log.read_text(), proc.communicate()
    proc.kill()
    proc.communicate(timeout=30)
    pids = [int(line.split()[0]) for line in log.read_text().splitlines()]
    deadline = time.monotonic() + 10
    while (any(map(alive, pids)) or any(temp.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(alive, pids)) and list(temp.iterdir()) == []
    assert {p.suffix for p in out.iterdir()} == {".docx"}  # the documents stand, no PDF half-written
