"""Layout regressions show up as changed page counts: every format's example documents, converted
with LibreOffice as `tools/render_pages.py` does (per-project documents: the first project).
Runs where LibreOffice and poppler are installed (always in CI: .ci/run installs them).

Page counts depend on the font build standing in for the official fonts (Debian 12's LibreOffice 7.4
with fonts-noto-cjk 20220127 gives yanling's report a page fewer than the machine these were counted
on), so a document may differ by one page; ``REPORTGEN_EXACT_PAGES=1`` asks for the exact counts on a
machine with the fonts they were counted with. What must hold whatever the fonts: no page ends with a
section heading whose text starts on the next page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from reportgen import pdf

HAVE_TOOLS = pdf.find_soffice() is not None and shutil.which("pdfinfo") is not None
REQUIRED = os.environ.get("REPORTGEN_REQUIRE_PDF") == "1"
UNIT = "青山县医疗保障局_2025_"
FIRST = "医疗保障基金监管经费_"

# counted with LibreOffice 7.4 and Noto CJK standing in for the official fonts. current-2021 is left out:
# national-2025 is generated from the same functions (tests/test_generated_templates.py) and its
# example is the same unit plus a questionnaire, so it covers those layouts.
PAGES = {
    "yueyang-2020": {"部门整体支出绩效自评报告": 8, "评分表": 4},
    "yanling-2020": {"部门整体支出评价报告": 8, "部门整体支出绩效综合评价报告表": 2, "评分表": 6, "满意度调查问卷汇总": 3},
    "emeishan-2020": {"部门整体支出绩效评价报告": 8, f"{FIRST}项目绩效目标完成情况表": 1, f"{FIRST}项目支出绩效自评报告": 3},
    "national-2025": {"部门整体支出绩效自评表": 2, "部门整体支出绩效自评报告": 5, "基础数据表": 3,
                      "满意度调查问卷汇总": 3, f"{FIRST}项目支出绩效自评表": 1},
}


EXACT = os.environ.get("REPORTGEN_EXACT_PAGES") == "1"
HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)\S")


pytestmark = pytest.mark.xdist_group("libreoffice")  # one worker converts once for this and test_page_flow


@pytest.mark.skipif(not (HAVE_TOOLS or REQUIRED), reason="LibreOffice (soffice) or pdfinfo not installed")
def test_every_example_document_keeps_its_page_count(example_pdfs) -> None:
    tmp_path, counts = example_pdfs
    found = {fid: {stem.removeprefix(UNIT): n for stem, n in docs.items()} for fid, docs in counts.items()
             if fid in PAGES}
    assert {fid: set(docs) for fid, docs in found.items()} == {fid: set(docs) for fid, docs in PAGES.items()}
    off = {(fid, name): (n, PAGES[fid][name]) for fid, docs in found.items() for name, n in docs.items()
           if abs(n - PAGES[fid][name]) > (0 if EXACT else 1)}
    assert not off, f"(found, pinned) pages: {off}"

    # no page ends with a section heading (一、… / （一）…) whose text is on the next page
    for pdf_path in sorted(tmp_path.rglob("*.pdf")):
        for number, page in enumerate(_page_texts(pdf_path)[:-1], start=1):
            last = [line for line in page.splitlines() if line.strip()][-2:]  # the page number is the last line
            assert not any(HEADING.match(line) for line in last), (pdf_path.name, number, last)

    # what must share a page: the yueyang sign-off form (score, evaluators, the three sign-off blocks) and
    # each 评分表 row (the last one, 满意度, once left its final line and the 总分 alone on the last page)
    signoff = _page_texts(tmp_path / "yueyang-2020" / f"{UNIT}部门整体支出绩效自评报告.pdf")[-1]
    assert all(part in signoff for part in ("八、综合得分与评价人员", "绩效自评综合得分", "周明远", "评价组组长（签字）",
                                            "部门（单位）负责人（签章）", "财政部门归口业务科室负责人（签章）"))
    # the 自评表's 绩效指标 header row repeats on the page the indicators run onto
    continued = _page_texts(tmp_path / "national-2025" / f"{UNIT}部门整体支出绩效自评表.pdf")[1]
    assert all(part in continued for part in ("一级指标", "三级指标", "偏差原因分析", "总分"))
    last = _page_texts(tmp_path / "yueyang-2020" / f"{UNIT}评分表.pdf")[-1]
    assert all(part in last for part in ("社会公众或服务", "95%（含）以上计 5 分；", "低于 75%计 0 分。", "总分", "评价人："))


def _page_texts(pdf_path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]
