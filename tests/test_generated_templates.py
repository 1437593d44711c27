"""The built-in templates are generated (tools/formats): a committed .docx that differs from its
regeneration means an edit would be lost at the next `python -m tools.make_templates`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.make_templates import TEMPLATES, content, generators

GENERATORS = generators()


@pytest.mark.parametrize("fmt", sorted(GENERATORS))
def test_committed_templates_are_their_generators_output(tmp_path: Path, fmt: str) -> None:
    stale = []
    for name, build in GENERATORS[fmt].items():
        fresh = tmp_path / name
        build(fresh)
        if content(fresh) != content(TEMPLATES / fmt / name):
            stale.append(f"{fmt}/{name}")
    assert not stale, f"run `python -m tools.make_templates {fmt}` (or fix the generator): {stale}"
