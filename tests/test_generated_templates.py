"""The built-in templates are generated (tools/formats): a committed .docx that differs from its
regeneration means an edit would be lost at the next `python -m tools.make_templates`."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tools.make_templates import TEMPLATES, generators

GENERATORS = generators()


def _parts(path: Path) -> dict[str, bytes]:
    """The document's parts; docProps (creation time) differ on every run and are not content."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if not n.startswith("docProps/")}


@pytest.mark.parametrize("fmt", sorted(GENERATORS))
def test_committed_templates_are_their_generators_output(tmp_path: Path, fmt: str) -> None:
    stale = []
    for name, build in GENERATORS[fmt].items():
        fresh = tmp_path / name
        build(fresh)
        if _parts(fresh) != _parts(TEMPLATES / fmt / name):
            stale.append(f"{fmt}/{name}")
    assert not stale, f"run `python -m tools.make_templates {fmt}` (or fix the generator): {stale}"
