"""The built-in templates are generated (tools/formats): a committed .docx that differs from its
regeneration means an edit would be lost at the next `python -m tools.make_templates`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.make_templates import TEMPLATES, content, generators, write_template

# generator function -> the committed files it writes (national-2025 reuses current-2021's and
# yanling-2020's functions: each function runs once and its output is compared with every copy)
WRITES: dict = {}
for _fmt, _documents in generators().items():
    for _name, _build in _documents.items():
        WRITES.setdefault(_build, []).append(f"{_fmt}/{_name}")


@pytest.mark.parametrize("build", list(WRITES), ids=[WRITES[b][0] for b in WRITES])
def test_committed_templates_are_their_generators_output(tmp_path: Path, build) -> None:
    fresh = tmp_path / "fresh.docx"
    write_template(build, fresh)
    stale = [name for name in WRITES[build] if content(fresh) != content(TEMPLATES / name)]
    assert not stale, f"run `python -m tools.make_templates` (or fix the generator): {stale}"
