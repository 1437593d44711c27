"""Write the shipped example workbooks: ``.venv/bin/python -m tools.make_examples``.

``inputs/example.xlsx`` is the default format's example (the README's main command builds it);
``inputs/example-<format>.xlsx`` one per built-in format. Same code path as ``reportgen init --example``.
A workbook whose content is unchanged is left as it is (no churn in git).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from reportgen.formats.loader import DEFAULT_FORMAT, builtin_format_dirs
from reportgen.pipeline import init_workbook
from tools.make_templates import content

INPUTS = Path(__file__).resolve().parents[1] / "inputs"


def main() -> None:
    wanted = [(INPUTS / f"example-{folder.name}.xlsx", str(folder)) for folder in builtin_format_dirs()]
    wanted.append((INPUTS / "example.xlsx", DEFAULT_FORMAT))
    with tempfile.TemporaryDirectory() as scratch:
        for out, fmt in wanted:
            fresh = Path(scratch) / out.name
            init_workbook(fresh, fmt, example=True)
            if out.exists() and content(fresh) == content(out):
                continue
            out.write_bytes(fresh.read_bytes())
            print(f"wrote {out.relative_to(INPUTS.parent)}")


if __name__ == "__main__":
    main()
