"""Issue 17, as the rendered pages show it (LibreOffice, text per page from the PDF): no label or row cut
across pages, every page of a 评分表 labels its rows, no heading ends a page, the 评价人 line stays
with its table. Page counts are not pinned (they depend on the fonts). Runs where LibreOffice and
poppler are installed, like tests/test_page_counts.py; one conversion for all the documents."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from reportgen import pdf
from reportgen.pipeline import evaluate

ROOT = Path(__file__).resolve().parents[1]
HAVE_TOOLS = pdf.find_soffice() is not None and shutil.which("pdftotext") is not None
DOCUMENTS = {"yanling-2020": ["report", "form", "scoring"], "yueyang-2020": ["report", "scoring"]}
HEADING_STYLES = {"GwHeading1", "GwHeading2", "GwHeading3"}

pytestmark = pytest.mark.skipif(not HAVE_TOOLS, reason="LibreOffice (soffice) or pdftotext not installed")


pytestmark = [pytestmark, pytest.mark.xdist_group("libreoffice")]  # shares test_page_counts' conversion


@pytest.fixture(scope="module")
def rendered(example_pdfs) -> dict[tuple[str, str], tuple[object, Path]]:
    """{(format, document id): (evaluation, .docx path)}, the PDF beside the .docx (conftest.example_pdfs)."""
    out, _ = example_pdfs
    found: dict[tuple[str, str], tuple[object, Path]] = {}
    for format_id, ids in DOCUMENTS.items():
        evaluation = evaluate(ROOT / "inputs" / f"example-{format_id}.xlsx")
        for doc in evaluation.format.spec.documents:
            if doc.id in ids:
                path = next(p for p in sorted((out / format_id).glob("*.docx"))
                            if p.stem.endswith(doc.name) or p.stem.endswith(Path(doc.template).stem))
                found[(format_id, doc.id)] = (evaluation, path)
    return found


def _pages(docx: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(docx.with_suffix(".pdf")), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _on(page: str, label: str) -> bool:
    """Whether ``label`` is whole on ``page``: its characters in order, a line break (with the text of a
    neighbouring cell the PDF puts on the same line) allowed between any two of them."""
    gap = r"(?:[^\n]*\n[^\n]*?)?"
    return re.search(gap.join(map(re.escape, _compact(label))), page) is not None


@pytest.mark.parametrize("format_id", ["yanling-2020", "yueyang-2020"])
def test_scoring_form_pages_label_their_rows(rendered, format_id: str) -> None:
    evaluation, path = rendered[(format_id, "scoring")]
    pages = _pages(path)
    names = [r.name for g in evaluation.score.levels for sg in g.groups for r in sg.rows]
    for g in evaluation.score.levels:
        for sg in g.groups:
            for r in sg.rows:
                on = [n for n, page in enumerate(pages) if _on(page, r.name)]
                assert on, (format_id, r.name)  # a row is whole: its 三级 name is on one page, never cut
                if names.count(r.name) == 1:  # (管理制度健全性 is in two groups)
                    for n in on:  # and that page shows the row's 一级 and 二级 labels
                        assert _on(pages[n], g.name) and _on(pages[n], sg.name), (format_id, n + 1, r.name)
    last = _compact(pages[-1])
    assert "评价人" in last and ("总分" in last or "合计" in last)


def test_yanling_report_form_never_cuts_a_label(rendered) -> None:
    _, path = rendered[("yanling-2020", "form")]
    pages = _pages(path)
    for label in ("部门职能职责概述", "整体绩效目标", "部门整体支出年度绩效指标", "单位自评情况分析及结论", "支出情况分析",
                  "绩效目标完成情况分析", "自我评价结论", "存在的问题", "改进措施与建议", "归口管理业务股室审核意见"):
        assert any(_on(page, label) for page in pages), label
    assert _on(pages[-1], "填报日期") and _on(pages[-1], "归口管理业务股室审核意见")


@pytest.mark.parametrize("format_id", ["yanling-2020", "yueyang-2020"])
def test_no_page_ends_with_a_heading(rendered, format_id: str) -> None:
    _, path = rendered[(format_id, "report")]
    doc = Document(str(path))
    heads = {_compact(p.text) for p in doc.paragraphs if p.text.strip() and (
        p.style.style_id in HEADING_STYLES or (p.paragraph_format.keep_with_next and all(r.bold for r in p.runs)))}
    assert len(heads) > 10
    for n, page in enumerate(_pages(path)[:-1], start=1):
        lines = [line for line in page.splitlines() if line.strip() and not re.fullmatch(r"\s*—\s*\d+\s*—\s*", line)]
        assert _compact(lines[-1]) not in heads, (format_id, n, lines[-1])
