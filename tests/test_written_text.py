"""Text reportgen writes into a workbook stays text (issue 20): a 单位名称, a narrative or a file name
beginning with ``=`` reaches the 财政局's 汇总表.xlsx, and the workbooks ``upgrade`` and
``init --from`` write, as those characters, never as a live formula; a control character in a file
name does not stop the 汇总表."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.workbook.xlsx import Writer
from tests.xlsx_edit import set_cells

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "example-yueyang-2020.xlsx"
LINK = '=HYPERLINK("http://x/","点击")'
CMD = "=cmd|' /C calc'!A0"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def formulas(path: Path) -> list[str]:
    """Every formula stored in the workbook's sheets (``<f>`` elements)."""
    with zipfile.ZipFile(path) as z:
        return [f for name in z.namelist() if name.startswith("xl/worksheets/")
                for f in re.findall(r"<f[ >][^<]*", z.read(name).decode("utf-8"))]


def typed_as_text(source: Path, target: Path, cells: dict[tuple[str, str], str]) -> Path:
    """``source`` with each (sheet, cell) holding text typed as ``'=…`` in Excel (a text cell)."""
    edits: dict[str, dict[str, object]] = {}
    for (sheet, ref), text in cells.items():
        edits.setdefault(sheet, {})[ref] = text  # xlsx_edit writes any str as text
    return set_cells(source, target, edits)


def test_put_and_append_store_text_as_text(tmp_path: Path) -> None:
    wb = Writer()
    ws = wb.sheet("表")
    ws.put(1, 1, "=1+1")
    ws.put(1, 2, "#N/A")
    ws.put(1, 3, "a\x01b")
    ws.put(1, 4, 5)
    ws.append([LINK, None, 7])
    (tmp_path / "t.xlsx").write_bytes(wb.data())
    assert formulas(tmp_path / "t.xlsx") == []
    rows = list(openpyxl.load_workbook(tmp_path / "t.xlsx").active.iter_rows(values_only=True))
    assert rows == [("=1+1", "#N/A", "a\ufffdb", 5), (LINK, None, 7, None)]
    cells = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert [cells[ref].data_type for ref in ("A1", "B1", "A2")] == ["s", "s", "s"]  # text, not a formula or an error


def test_batch_summary_stores_names_and_messages_as_text(tmp_path: Path) -> None:
    county = tmp_path / "县"
    county.mkdir()
    typed_as_text(EXAMPLE, county / "a\x01.xlsx", {("基本信息", "B2"): LINK})  # a control character too
    typed_as_text(EXAMPLE, county / "=HYPERLINK(1).xlsx", {("基本信息", "B2"): CMD, ("收入", "B2"): "=1+1"})
    out = tmp_path / "输出"
    result = run("batch", county, "-o", out)
    assert result.exit_code == 2, result.output  # the second unit's 收入!B2 is not a number
    assert "Traceback" not in result.output and "内部错误" not in result.output
    summary = out / "汇总表.xlsx"
    assert formulas(summary) == []
    wb = openpyxl.load_workbook(summary)
    rows = list(wb["汇总"].iter_rows(max_row=3, values_only=True))
    units = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [(u["文件"], u["单位名称"]) for u in units] == [("=HYPERLINK(1).xlsx", CMD), ("a\ufffd.xlsx", LINK)]
    assert units[0]["输出文件夹"] is None and units[1]["输出文件夹"].startswith("=HYPERLINK(")
    problems = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    assert (CMD, "错误", "收入!B2", "上年结转", '应为数字, 实际为 "=1+1"', "=HYPERLINK(1).xlsx") in [row[1:7] for row in problems]


def test_upgrade_and_next_year_keep_text_as_text(tmp_path: Path) -> None:
    old = typed_as_text(EXAMPLE, tmp_path / "old.xlsx",
                        {("基本信息", "B2"): LINK, ("文字说明", "C2"): CMD, ("项目", "A2"): "=1+1"})
    for args, new in ((("upgrade", old), tmp_path / "up.xlsx"), (("init", "--from", old), tmp_path / "next.xlsx")):
        result = run(*args[:1], *((new, "--from", old) if args[0] == "init" else (old, new)))
        assert result.exit_code == 0, result.output
        assert formulas(new) == []
        wb = openpyxl.load_workbook(new)
        assert wb["基本信息"]["B2"].value == LINK and wb["基本信息"]["B2"].data_type == "s"
        assert wb["项目"]["A2"].value == "=1+1"
    assert openpyxl.load_workbook(tmp_path / "up.xlsx")["文字说明"]["C2"].value == CMD
