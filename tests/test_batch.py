"""``reportgen batch``: a county folder of workbooks -> one folder per unit and 汇总表.xlsx.

The county (built once per module, in-process with ``--jobs 1``): two copies of the example
(same 单位名称), one with 收入!B2 = "约50万", an Excel lock file, a hidden file, a text file and
an old .xls. The copies are yueyang-2020's example (two documents a unit keep this file quick; the
default example makes twelve); its score is pinned from ``reportgen check inputs/example-yueyang-2020.xlsx``:
综合得分 95.5, 等次 优, 预算执行率 99.18 %, 收入合计 1,540.25, 支出合计 1,527.64, 结余 12.61 万元.
"""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from reportgen.batch import FolderPlan, UnitResult, find_workbooks
from reportgen.cli import main
from reportgen.errors import Finding, ReportgenError
from reportgen.progress import StatusLine, cut
from tests.test_workbook_print import widths
from tests.xlsx_edit import set_cells

EXAMPLE = Path(__file__).resolve().parent.parent / "inputs" / "example-yueyang-2020.xlsx"  # two documents a unit
UNIT = "青山县医疗保障局"
DOCS = {f"{UNIT}_2025_部门整体支出绩效自评报告.docx", f"{UNIT}_2025_评分表.docx"}


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def make_county(folder: Path) -> Path:
    (folder / "sub").mkdir(parents=True)
    shutil.copy(EXAMPLE, folder / "a.xlsx")
    shutil.copy(EXAMPLE, folder / "sub" / "b.xlsx")
    set_cells(EXAMPLE, folder / "z_bad.xlsx", {"收入": {"B2": "约50万"}})
    (folder / "~$a.xlsx").write_bytes(b"owner of the lock")  # Excel's lock file: not a workbook
    (folder / ".hidden.xlsx").write_bytes(b"not a workbook")
    (folder / "说明.txt").write_text("各单位填报表", encoding="utf-8")
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    return folder


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    return list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The county folder, and the CLI result of ``batch 县 -o 县/输出 --jobs 1`` (out inside the folder)."""
    folder = make_county(tmp_path_factory.mktemp("batch") / "县")
    out = folder / "输出"
    result = run("batch", folder, "-o", out, "--jobs", "1")
    return folder, out, result


def test_batch_exit_code_and_console(county):
    _, out, result = county
    assert result.exit_code == 2
    assert result.stdout.count("已生成  ") == 2
    assert f"已生成  a.xlsx → {out / UNIT}，2 个文件" in result.stdout
    assert f"已生成  sub/b.xlsx → {out / (UNIT + '（2）')}，2 个文件；单位名称与“a.xlsx”相同" in result.stdout
    assert f"未生成  z_bad.xlsx（{UNIT}）：1 个错误，如 收入!B2 W502 上年结转: 应为数字" in result.stderr
    assert "跳过  old.xls：不是 .xlsx 文件" in result.stderr
    assert "共 3 个填报表：已生成 2 个，未生成 1 个。" in result.stderr
    assert "Traceback" not in result.output


def test_batch_documents_open_and_duplicate_gets_own_folder(county):
    _, out, _ = county
    assert sorted(p.name for p in out.iterdir()) == sorted([UNIT, f"{UNIT}（2）", "汇总表.xlsx"])
    for folder in (out / UNIT, out / f"{UNIT}（2）"):
        assert {p.name for p in folder.iterdir()} == DOCS
        for doc in folder.iterdir():
            assert UNIT in "\n".join(p.text for p in Document(str(doc)).paragraphs[:40])


def by_header(rows: list[tuple]) -> list[dict]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_summary_sheet_rows(county):
    _, out, _ = county
    wb = openpyxl.load_workbook(out / "汇总表.xlsx")
    assert wb.sheetnames == ["问题清单", "汇总"] and wb.active.title == "问题清单"
    rows = list(wb["汇总"].iter_rows(values_only=True))
    # what a 财政局 reads first, then where the files are (printed on pages of their own)
    assert rows[0] == ("序号", "单位名称", "年度", "总分", "等次", "预算执行率", "收入合计（万元）", "支出合计（万元）",
                       "年末结转和结余（万元）", "错误数", "提示数", "审核提示数", "状态", "文件", "格式", "输出文件夹", "文件数", "备注")
    built = (UNIT, 2025, 95.5, "优", 0.9918, 1540.25, 1527.64, 12.61)
    assert rows[1] == (1, *built, 0, 0, 0, "已生成", "a.xlsx", "yueyang-2020", UNIT, 2, None)
    assert rows[2] == (2, *built, 0, 1, 0, "已生成", "sub/b.xlsx", "yueyang-2020", f"{UNIT}（2）", 2,
                       f"单位名称与“a.xlsx”相同，输出到“{UNIT}（2）”")
    assert rows[3] == (3, UNIT, 2025, None, None, None, None, None, None, 1, 1, 0, "有错误未生成", "z_bad.xlsx",
                       "yueyang-2020", None, None, None)
    # 合计: money summed over the two units built, 执行率 of the sums (1527.64 × 2 / (1540.25 … budget × 2)
    # is the unit's own 99.18 % here: two equal units), counts summed; 平均: 总分 only.
    total, average = by_header(rows)[3:5]
    assert (total["序号"], total["单位名称"], total["状态"]) == ("合计", "共 3 个填报表", "已生成 2 个，未生成 1 个")
    assert (total["收入合计（万元）"], total["支出合计（万元）"], total["年末结转和结余（万元）"]) == (3080.5, 3055.28, 25.22)
    assert (total["预算执行率"], total["总分"], total["错误数"], total["提示数"], total["文件数"]) == (0.9918, None, 1, 2, 4)
    assert (average["序号"], average["单位名称"], average["总分"], average["预算执行率"]) == \
        ("平均", "已生成的 2 个单位", 95.5, None)
    ws = wb["汇总"]
    assert [ws.cell(2, c).number_format for c in (4, 6, 7, 8, 9)] == ["0.00", "0.00%", *["#,##0.00"] * 3]
    assert ws.cell(5, 7).number_format == "#,##0.00" and ws.cell(5, 6).number_format == "0.00%"


def test_totals_are_rates_of_sums_not_averages(tmp_path):
    """Unit A spent 90 of a budget of 100 (90 %), unit B 10 of 50 (20 %): the county spent 100 of
    150 = 66.67 % (the average of the rates would be 55 %). 总分 80 and 60 average to 70."""
    from reportgen.batch import Folder, Outcome
    from reportgen.county_summary import SUMMARY_HEADERS, averages_row, totals_row

    def unit(name: str, spent: str, budget: str, score: str) -> Outcome:
        rate = Decimal(spent) * 100 / Decimal(budget)
        result = UnitResult(index=0, path=tmp_path / f"{name}.xlsx", unit_name=name, year=2025, format_id="national-2025",
                            total=Decimal(score), grade="良", execution_rate=rate, budget_final=Decimal(budget),
                            income_total=Decimal(budget), expenditure_total=Decimal(spent), year_end_balance=Decimal(0))
        return Outcome(result, Folder(name), [], [], True)

    outcomes = [unit("甲", "90.00", "100.00", "80"), unit("乙", "10.00", "50.00", "60")]
    total = dict(zip(SUMMARY_HEADERS, totals_row(outcomes), strict=True))
    average = dict(zip(SUMMARY_HEADERS, averages_row(outcomes), strict=True))
    assert total["预算执行率"] == Decimal("0.6667") and total["支出合计（万元）"] == Decimal("100.00")
    assert total["收入合计（万元）"] == Decimal("150.00") and total["总分"] is None
    assert average["总分"] == Decimal("70.00") and average["预算执行率"] is None
    # a built unit without its 全年预算数 (a record from before it was kept): no county rate rather than a wrong one
    outcomes.append(replace(unit("丙", "5.00", "10.00", "90"), result=replace(outcomes[0].result, budget_final=None)))
    assert dict(zip(SUMMARY_HEADERS, totals_row(outcomes), strict=True))["预算执行率"] is None


@pytest.mark.parametrize(("names", "title"), [
    (["青山县农业农村局", "青山县第一中学"], "青山县财政局2025年度部门整体支出绩效自评汇总表"),
    (["青山县市场监督管理局", "青山县市政工程管理处"], "青山县财政局2025年度部门整体支出绩效自评汇总表"),
    (["岳阳市医疗保障局", "岳阳市财政局"], "岳阳市财政局2025年度部门整体支出绩效自评汇总表"),
    (["某某市某某区教育局", "某某市某某区卫生健康局"], "某某市某某区财政局2025年度部门整体支出绩效自评汇总表"),
    (["青山县农业农村局", "绿水县第一中学"], "2025年度部门整体支出绩效自评汇总表"),
])
def test_summary_title_names_year_and_county(names, title, tmp_path):
    from reportgen.batch import Outcome
    from reportgen.county_summary import summary_title

    outcomes = [Outcome(UnitResult(index=0, path=tmp_path / "x.xlsx", unit_name=n, year=2025), None) for n in names]
    assert summary_title(outcomes) == title
    assert summary_title(outcomes, "2025年度部门整体支出绩效自评汇总表").startswith(title[:-len("2025年度部门整体支出绩效自评汇总表")])


def test_findings_sheet_names_file_and_cell(county):
    _, out, _ = county
    rows = sheet_rows(out / "汇总表.xlsx", "问题清单")
    assert rows[0] == ("序号", "单位名称", "级别", "位置", "字段", "说明", "文件")
    assert rows[2] == (2, UNIT, "错误", "收入!B2", "上年结转", '应为数字, 实际为 "约50万"', "z_bad.xlsx")
    duplicates = [r for r in rows[1:] if r[4] == "单位名称"]
    assert [(r[6], r[2], r[3]) for r in duplicates] == [("sub/b.xlsx", "提示", "基本信息!B2"),
                                                        ("z_bad.xlsx", "提示", "基本信息!B2")]
    assert not any("~$" in str(r[6]) or "hidden" in str(r[6]) for r in rows)


def test_summary_is_printable(county):
    """A4 landscape with margins, never below 80 % (11 pt -> 8.8 pt); the 汇总 sheet's technical
    columns on pages of their own with 序号 and 单位名称 repeated; the title with year and 财政局."""
    _, out, _ = county
    wb = openpyxl.load_workbook(out / "汇总表.xlsx")
    for ws in wb:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.print_title_rows == "$1:$1" and ws.page_margins.left >= 0.5 and ws.page_margins.right >= 0.5
        assert ws.oddHeader.center.text.startswith("青山县财政局2025年度部门整体支出绩效自评汇总表")
        assert ws.oddHeader.center.size == 14 and "&P" in ws.oddFooter.center.text
        assert ws["A1"].font.bold and all((c.font.size or 11) >= 11 for c in ws[2])
    findings = wb["问题清单"]
    assert findings.sheet_properties.pageSetUpPr.fitToPage and (findings.page_setup.fitToWidth or 1) == 1  # absent: the format's default, 1
    assert sum(widths(findings, 7)) * 0.0973 <= (11.69 - 1.0) / 0.8
    summary = wb["汇总"]
    assert summary.freeze_panes == "C2" and summary.print_title_cols == "$A:$B"
    assert [b.id for b in summary.col_breaks.brk] == [13]  # after 状态: 文件, 格式, 输出文件夹 … on their own pages
    summary_widths = widths(summary, 18)
    pages = [summary_widths[:13], summary_widths[:2] + summary_widths[13:]]
    scale = (summary.page_setup.scale or 100) / 100
    assert scale >= 0.8 and all(sum(page) * 0.0973 * scale <= 11.69 - 1.0 for page in pages)


def test_jobs_2_same_summary_and_previous_folders_replaced(county, tmp_path):
    """A second run into the same 输出 with two workers: same summary; the unit folders get new files."""
    folder, out, _ = county
    copy = tmp_path / "输出"
    shutil.copytree(out, copy)
    stale = copy / UNIT / f"{UNIT}_2025_评分表.docx"
    stale.write_bytes(b"left by last year's run")
    result = run("batch", folder, "-o", copy, "--jobs", "2")
    assert result.exit_code == 2
    for sheet in ("汇总", "问题清单"):
        assert sheet_rows(copy / "汇总表.xlsx", sheet) == sheet_rows(out / "汇总表.xlsx", sheet)
    assert stale.read_bytes()[:2] == b"PK" and Document(str(stale)).tables
    assert "跳过  输出/汇总表.xlsx：是 reportgen batch 生成的汇总表" in result.stderr


def test_all_built_exit_0(tmp_path):
    folder = tmp_path / "县"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "a.xlsx")
    result = run("batch", folder, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "共 1 个填报表：已生成 1 个，未生成 0 个。" in result.stdout
    assert sheet_rows(tmp_path / "out" / "汇总表.xlsx", "问题清单")[1][5] == "无：全部 1 个填报表均无错误和提示"


def test_ctrl_c_stops_cleanly(tmp_path, monkeypatch):
    import reportgen.batch as batch

    folder = tmp_path / "县"
    folder.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copy(EXAMPLE, folder / name)
    real = batch.process_unit

    def interrupted(index, *args):
        if index == 1:
            raise KeyboardInterrupt
        return real(index, *args)

    monkeypatch.setattr(batch, "process_unit", interrupted)
    result = run("batch", folder, "-o", tmp_path / "out")
    assert result.exit_code == 130
    assert "已中断：已处理 1/2 个填报表" in result.stderr
    assert {p.name for p in (tmp_path / "out" / UNIT).iterdir()} == DOCS
    assert not (tmp_path / "out" / "汇总表.xlsx").exists()


def test_internal_error_in_one_unit_is_reported_not_raised(tmp_path, monkeypatch):
    import reportgen.pipeline as pipeline

    folder = tmp_path / "县"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "a.xlsx")
    monkeypatch.delenv("REPORTGEN_DEBUG", raising=False)
    monkeypatch.setattr(pipeline, "render_documents", lambda *a, **k: 1 / 0)
    result = run("batch", folder, "-o", tmp_path / "out")
    assert result.exit_code == 3
    assert "内部错误" in result.stderr and "Traceback" not in result.output
    unit = by_header(sheet_rows(tmp_path / "out" / "汇总表.xlsx", "汇总"))[0]
    assert (unit["状态"], unit["备注"]) == ("有错误未生成", "内部错误，见问题清单")


# ---- pieces -----------------------------------------------------------------------------------


def test_find_workbooks_order_and_skips(tmp_path):
    folder = make_county(tmp_path / "县")
    (folder / ".git").mkdir()
    shutil.copy(EXAMPLE, folder / ".git" / "x.xlsx")
    (folder / "输出" / UNIT).mkdir(parents=True)
    shutil.copy(EXAMPLE, folder / "输出" / UNIT / "c.xlsx")
    (folder / "上次").mkdir()
    (folder / "上次" / "汇总表.xlsx").write_bytes(b"a previous run's summary")
    shutil.copy(EXAMPLE, folder / "B.XLSX")
    found, others = find_workbooks(folder, folder / "输出")
    assert [p.relative_to(folder).as_posix() for p in found] == ["a.xlsx", "B.XLSX", "sub/b.xlsx", "z_bad.xlsx"]
    assert [(p.name, why[:8]) for p, why in others] == [("old.xls", "不是 .xlsx"), ("汇总表.xlsx", "是 report")]


@pytest.mark.parametrize(("folder", "out", "message"), [
    ("无此文件夹", "out", "输入文件夹不存在"),
    ("县", "县", "输出文件夹不能就是存放填报表的文件夹"),
    ("县/收集", "县", "存放填报表的文件夹位于输出文件夹之内"),
])
def test_find_workbooks_refuses_bad_folders(tmp_path, folder, out, message):
    (tmp_path / "县" / "收集").mkdir(parents=True)
    with pytest.raises(ReportgenError, match=message):
        find_workbooks(tmp_path / folder, tmp_path / out)


def test_batch_without_workbooks(tmp_path):
    result = run("batch", tmp_path, "-o", tmp_path / "out")
    assert result.exit_code == 2 and "文件夹中没有找到 .xlsx 填报表" in result.stderr


def test_folder_plan_unique_in_order():
    plan = FolderPlan()

    def add(name: str, file: str = "x.xlsx"):
        return plan.add(UnitResult(index=0, path=Path(file), unit_name=name), f"“{file}”")

    assert add("某局", "a.xlsx").name == "某局"
    second = add("某局", "b.xlsx")
    assert (second.name, second.namesake) == ("某局（2）", "“a.xlsx”")
    assert add("A/B").name == "A_B" and add("a_b").name == "a_b（2）"  # Windows: one folder
    assert add("汇总表.xlsx").name == "汇总表.xlsx（2）"  # never the summary's name
    assert add("", "无名.xlsx").name == "无名"
    assert add("局" * 200).shortened


def test_status_line_only_on_a_terminal():
    quiet = io.StringIO()
    StatusLine(3, quiet).start("a.xlsx")
    assert quiet.getvalue() == ""
    tty = io.StringIO()
    status = StatusLine(3, tty, enabled=True)
    status.start("a.xlsx")
    status.advance(failed=True)
    status.start("sub/b.xlsx")
    assert tty.getvalue().endswith("[1/3] 失败 1  正在处理：sub/b.xlsx")
    assert cut("正在处理：" + "局" * 50, 20) == "正在处理：局局局局…"


def test_money_rounding_is_half_up():
    from reportgen.county_summary import _money

    assert _money(Decimal("0.125")) == Decimal("0.13")


def test_summary_that_cannot_be_written_is_reported_after_the_units(tmp_path):
    folder = tmp_path / "县"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "a.xlsx")
    (tmp_path / "out" / "汇总表.xlsx").mkdir(parents=True)  # in the way, like a file open in Excel
    result = run("batch", folder, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "共 1 个填报表：已生成 1 个，未生成 0 个。汇总表未能写入" in result.stderr
    assert {p.name for p in (tmp_path / "out" / UNIT).iterdir()} == DOCS


def test_pdf_converts_every_built_unit_in_one_call(tmp_path, monkeypatch):
    """--pdf hands all built units' documents to one conversion (LibreOffice itself: test_pdf.py)."""
    from reportgen import pdf

    calls = []

    def fake_convert(paths, **_):
        calls.append(list(paths))
        return pdf.PdfResult(converted=[p.with_suffix(".pdf") for p in paths],
                             findings=[Finding("转换失败（模拟）", str(paths[0]))])

    monkeypatch.setattr(pdf, "convert_to_pdf", fake_convert)
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("甲.xlsx", "乙.xlsx"):
        shutil.copy(EXAMPLE, folder / name)
    result = run("batch", folder, "-o", tmp_path / "out", "--pdf")
    assert len(calls) == 1 and len(calls[0]) == 4  # two units × two documents, one call
    assert all(p.suffix == ".docx" and p.exists() for p in calls[0])
    assert result.exit_code == 2 and "转换失败（模拟）" in result.output
    assert "共 2 个填报表：已生成 2 个，未生成 0 个" in result.output


# ---- faults that left debris (issue 20) ------------------------------------------------------


def two_units(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(parents=True)
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copy(EXAMPLE, folder / name)
    return folder


def test_a_second_batch_into_the_same_folder_refuses(tmp_path):
    from reportgen.outputs import folder_lock

    out = tmp_path / "out"
    with folder_lock(out):  # another batch is writing there
        result = run("batch", two_units(tmp_path), "-o", out)
    assert result.exit_code == 2
    assert f"错误  {out}: 另一个 reportgen batch 正在写入这个输出文件夹；请等它结束后再运行，或换一个输出文件夹" in result.output
    assert list(out.iterdir()) == []  # (released when a batch ends: test_ctrl_c_while…)


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_a_link_inside_the_output_folder_is_not_followed(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / UNIT).symlink_to(elsewhere, target_is_directory=True)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "a.xlsx")
    result = run("batch", folder, "-o", out)
    assert result.exit_code == 2
    assert f"{out / UNIT}: 输出文件夹中的“{UNIT}”是指向别处的链接（或快捷方式），为安全起见未写入；请删除或改名后重试" in result.output
    assert list(elsewhere.iterdir()) == []


def test_ctrl_c_while_a_unit_is_swapped_in_finishes_it_and_counts_it(tmp_path, monkeypatch):
    """Issue 20: Ctrl-C during the clean-up after a successful swap left .reportgen-tmp-…/old, which
    the next batch turned silently into a visible reportgen-原文件-… folder; the console said 0/2."""
    import signal

    from reportgen import outputs

    real, calls = outputs._replace, []

    def interrupted(src, dst):
        calls.append(dst)
        if len(calls) == 1:
            signal.raise_signal(signal.SIGINT)  # Ctrl-C, in the middle of the first unit's swap
        real(src, dst)

    monkeypatch.setattr(outputs, "_replace", interrupted)
    out = tmp_path / "out"
    result = run("batch", two_units(tmp_path), "-o", out)
    assert result.exit_code == 130
    assert "已中断：已处理 1/2 个填报表" in result.output
    assert sorted(p.name for p in out.iterdir()) == [UNIT]  # no staging folder, no 汇总表
    assert {p.name for p in (out / UNIT).iterdir()} == DOCS
    assert outputs.recover(out / UNIT) == [] and not list((out / UNIT).glob(".*"))  # nothing for the next run to find
    with outputs.folder_lock(out):  # the batch, interrupted, no longer holds the folder
        pass


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
def test_workers_die_with_a_killed_batch(tmp_path):
    """Issue 20: batch --jobs 2 killed with SIGKILL left both workers running, holding the caller's pipes."""
    import subprocess
    import sys
    import time

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(8):
        shutil.copy(EXAMPLE, folder / f"u{i}.xlsx")
    proc = subprocess.Popen([sys.executable, "-m", "reportgen.cli", "batch", str(folder), "-o", str(tmp_path / "out"),
                             "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    children: list[int] = []
    deadline = time.monotonic() + 30
    while len(children) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
        children = [int(pid) for task in Path(f"/proc/{proc.pid}/task").glob("*")
                    for pid in (task / "children").read_text().split()]
    assert len(children) >= 2
    proc.kill()
    proc.communicate(timeout=20)  # returns: no worker holds the pipes any more

    def alive(pid: int) -> bool:
        try:
            return not Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
        except OSError:
            return False

    deadline = time.monotonic() + 5
    while any(map(alive, children)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(alive, children))


def test_a_unit_over_the_memory_limit_is_told_so_not_an_internal_error(tmp_path: Path, monkeypatch) -> None:
    """A MemoryError (serve's per-build limit, or the machine's) names the workbook's size as the cause; the
    result is marked internal so that serve replaces its worker."""
    import reportgen.pipeline
    from reportgen.batch import process_unit

    def too_big(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(reportgen.pipeline, "evaluate_workbook", too_big)
    result = process_unit(0, EXAMPLE, None, tmp_path / "out")
    assert result.internal and not result.ok
    assert [f.message for f in result.findings if f.is_error] == [
        "填报表需要的内存超过上限，已中止（可能含有大量空行、格式或图片）；请在 Excel/WPS 中删除多余内容、另存为 .xlsx 后重试"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_figures_come_back_from_the_workers_only_when_asked(tmp_path: Path, jobs: int) -> None:
    """batch --against compares each built unit's report with its 决算 tables: the report comes back
    with the result (from a worker too) instead of the workbook being evaluated a second time."""
    from reportgen.batch import run_batch

    books = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for book in books:
        shutil.copy(EXAMPLE, book)
    results = list(run_batch(books, tmp_path / "out", None, jobs, keep_figures=True))
    assert [r.figures[0].unit.name for r in results] == ["青山县医疗保障局"] * 2
    assert results[0].figures[1]["unit.name"] == results[0].name_ref
    assert [r.figures for r in run_batch(books, tmp_path / "out", None, jobs)] == [None, None]
