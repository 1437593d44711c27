"""Look at every document before calling it done: build every format's example, convert the documents
to PDF with LibreOffice (the official font names aliased by the shipped ``fonts.conf``) and write PNG
pages, one folder per format, plus a page count per document.

Usage: .venv/bin/python -m tools.render_pages OUT [FORMAT_ID ...] [--all-projects]

Per-project documents are rendered for the first project only unless ``--all-projects`` is given.
Needs LibreOffice (``soffice``) and poppler's ``pdftoppm``/``pdfinfo``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from reportgen.formats.loader import builtin_format_dirs
from reportgen.pdf import convert_to_pdf
from reportgen.pipeline import evaluate, init_workbook, render_documents

ROOT = Path(__file__).resolve().parents[1]


def example_documents(format_id: str, out: Path, all_projects: bool = False) -> list[Path]:
    """The format's example built into ``out`` (.docx), per-project documents for the first project."""
    workbook = ROOT / "inputs" / f"example-{format_id}.xlsx"
    if not workbook.exists():
        workbook = out / "example.xlsx"
        init_workbook(workbook, format_id, example=True)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for staged, _ in render_documents(evaluate(workbook), out, projects=None if all_projects else 1):
        path = out / staged.name
        path.write_bytes(staged.data)
        written.append(path)
    return written


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]


def page_counts(format_ids: list[str], out: Path, all_projects: bool = False) -> dict[str, dict[str, int]]:
    """{format id: {document file stem: pages}}; the PDFs are left beside the .docx in ``out/<id>/``."""
    docs = {fid: example_documents(fid, out / fid, all_projects) for fid in format_ids}
    result = convert_to_pdf([p for paths in docs.values() for p in paths])
    if not result.ok:
        raise SystemExit("\n".join(str(f) for f in result.findings))
    return {fid: {p.stem: page_count(p.with_suffix(".pdf")) for p in paths} for fid, paths in docs.items()}


def main(argv: list[str]) -> None:
    all_projects = "--all-projects" in argv
    args = [a for a in argv if a != "--all-projects"]
    if not args or any(a.startswith("-") for a in args):  # --help, or an option it does not know
        raise SystemExit(__doc__)
    out = Path(args[0])
    format_ids = args[1:] or [d.name for d in builtin_format_dirs()]
    counts = page_counts(format_ids, out, all_projects)
    for fid, docs in counts.items():
        for stem, pages in docs.items():
            pdf = out / fid / f"{stem}.pdf"
            subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out / fid / stem)], check=True)
            print(f"{fid:<16} {pages:>3} 页  {stem}")
    print(f"PNG 页面在 {out}/<格式>/ 中")


if __name__ == "__main__":
    main(sys.argv[1:])
