"""Write the shipped example workbooks: ``.venv/bin/python -m tools.make_examples``.

``inputs/example.xlsx`` is the default format's example (the README's main command builds it);
``inputs/example-<format>.xlsx`` one per built-in format. Same code path as ``reportgen init --example``.
``inputs/units/<单位名称>.xlsx``: the example units of other departments and shapes
(``reportgen.workbook.units``) in the default format, as a clerk of such a unit would fill them in.
A workbook whose content is unchanged is left as it is (no churn in git).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from reportgen.formats.loader import DEFAULT_FORMAT, builtin_format_dirs
from reportgen.pipeline import init_workbook
from tools.make_templates import content

INPUTS = Path(__file__).resolve().parents[1] / "inputs"


UNITS_FOLDER = INPUTS / "units"


def unit_workbooks() -> dict[Path, Callable[[Path], None]]:
    """{shipped path: function writing it} for the example units of other departments."""
    from reportgen.formats.loader import resolve_format
    from reportgen.formats.sheets import workbook_schema
    from reportgen.workbook.blank import write_workbook
    from reportgen.workbook.units import UNITS, unit_values

    fmt = resolve_format(DEFAULT_FORMAT)

    def writer(unit: str) -> Callable[[Path], None]:
        return lambda path: write_workbook(workbook_schema(fmt, relaxed=True), path, unit_values(unit, fmt))

    return {UNITS_FOLDER / f"{values['unit']['name']}.xlsx": writer(unit)
            for unit, values in UNITS.items() if unit != "medical"}


def main() -> None:
    wanted: dict[Path, Callable[[Path], None]] = {
        INPUTS / f"example-{folder.name}.xlsx": partial(init_workbook, format_choice=str(folder), example=True)
        for folder in builtin_format_dirs()}
    wanted[INPUTS / "example.xlsx"] = partial(init_workbook, format_choice=DEFAULT_FORMAT, example=True)
    wanted.update(unit_workbooks())
    with tempfile.TemporaryDirectory() as scratch:
        for out, write in wanted.items():
            fresh = Path(scratch) / out.name
            write(fresh)
            if out.exists() and content(fresh) == content(out):
                continue
            out.parent.mkdir(exist_ok=True)
            out.write_bytes(fresh.read_bytes())
            print(f"wrote {out.relative_to(INPUTS.parent)}")


if __name__ == "__main__":
    main()
