"""Generate the built-in formats' .docx templates: ``.venv/bin/python -m tools.make_templates [FORMAT…]``.

**For the built-in formats the generators are the source.** Each has a module
``tools/formats/<format_id with _>.py`` with a ``DOCUMENTS`` dict (file name -> function writing that
template); the committed .docx in ``templates/<format>/`` are their output, and a test
(``tests/test_generated_templates.py``) fails when a committed template differs from its regeneration,
so an edit made in Word to a built-in template cannot be lost silently: change the generator and run
this script. A format made with ``reportgen format new`` has no generator: its .docx are edited in
Word/WPS directly. Every sentence in a generator is structure with variables: unit-specific prose
comes from the workbook.
"""

from __future__ import annotations

import importlib
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
GENERATORS = Path(__file__).resolve().parent / "formats"


def generators() -> dict[str, dict[str, Callable[[Path], None]]]:
    """{format id: {template file name: function writing it}} for every built-in format."""
    found = {}
    for module_file in sorted(GENERATORS.glob("*.py")):
        if module_file.stem in ("__init__", "common"):
            continue
        module = importlib.import_module(f"tools.formats.{module_file.stem}")
        found[module_file.stem.replace("_", "-")] = module.DOCUMENTS
    return found


def write_template(build: Callable[[Path], None], path: Path) -> None:
    """Run a generator (its document starts from docstyle's slimmed blank, so there is nothing to
    slim) and make its conditional keeps Jinja tags."""
    build(path)
    path.write_bytes(_with_conditional_keeps(path.read_bytes()))


def _with_conditional_keeps(data: bytes) -> bytes:
    """docstyle.keep_with_next_if's markers in word/document.xml made Jinja tags (python-docx cannot
    write a tag inside a paragraph's properties)."""
    import io

    from reportgen.docstyle import KEEP_IF_PREFIX, conditional_keeps

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    if not any(KEEP_IF_PREFIX.encode() in part for _, part in parts):
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, part in parts:
            if info.filename == "word/document.xml":
                part = conditional_keeps(part.decode("utf-8")).encode("utf-8")
            archive.writestr(info, part)
    return out.getvalue()


def content(path: Path) -> dict[str, bytes]:
    """A .docx/.xlsx file's parts but docProps (its creation time differs on every run and is not content)."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if not n.startswith("docProps/")}


def main() -> None:
    """Regenerate; a template whose content is unchanged is left as it is (no churn in git)."""
    only = set(sys.argv[1:])
    with tempfile.TemporaryDirectory() as scratch:
        for fmt, documents in generators().items():
            if only and fmt not in only:
                continue
            for name, build in documents.items():
                out, fresh = TEMPLATES / fmt / name, Path(scratch) / name
                write_template(build, fresh)
                if out.exists() and content(fresh) == content(out):
                    continue
                out.write_bytes(fresh.read_bytes())
                print(f"wrote {out.relative_to(TEMPLATES.parent)}")


if __name__ == "__main__":
    main()
