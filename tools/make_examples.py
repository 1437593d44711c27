"""Write the shipped example workbooks: ``.venv/bin/python -m tools.make_examples``.

``inputs/example.xlsx`` is the default format's example (the README's main command builds it);
``inputs/example-<format>.xlsx`` one per built-in format. Same code path as ``reportgen init --example``.
"""

from __future__ import annotations

from pathlib import Path

from reportgen.formats.loader import DEFAULT_FORMAT, builtin_format_dirs
from reportgen.pipeline import init_workbook

INPUTS = Path(__file__).resolve().parents[1] / "inputs"


def main() -> None:
    for folder in builtin_format_dirs():
        out = INPUTS / f"example-{folder.name}.xlsx"
        init_workbook(out, str(folder), example=True)
        print(f"wrote {out.relative_to(INPUTS.parent)}")
    default = INPUTS / "example.xlsx"
    init_workbook(default, DEFAULT_FORMAT, example=True)
    print(f"wrote {default.relative_to(INPUTS.parent)}")


if __name__ == "__main__":
    main()
