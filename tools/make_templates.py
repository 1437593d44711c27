"""Generate the built-in formats' .docx templates: ``.venv/bin/python -m tools.make_templates [FORMAT…]``.

The committed .docx files in ``templates/<format>/`` are the source of truth for template authors
(they edit them in Word/WPS); these scripts only make the shipped ones reproducible. Each built-in
format has a module ``tools/formats/<format_id with _>.py`` with a ``DOCUMENTS`` dict
(file name -> function writing that template). Every sentence there is structure with variables:
unit-specific prose comes from the workbook.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
GENERATORS = Path(__file__).resolve().parent / "formats"


def main() -> None:
    only = set(sys.argv[1:])
    for module_file in sorted(GENERATORS.glob("*.py")):
        if module_file.stem in ("__init__", "common"):
            continue
        fmt = module_file.stem.replace("_", "-")
        if only and fmt not in only:
            continue
        module = importlib.import_module(f"tools.formats.{module_file.stem}")
        for name, build in module.DOCUMENTS.items():
            out = TEMPLATES / fmt / name
            build(out)
            print(f"wrote {out.relative_to(TEMPLATES.parent)}")


if __name__ == "__main__":
    main()
