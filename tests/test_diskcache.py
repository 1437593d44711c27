"""The private disk cache of patched XML and compiled template code (render/diskcache.py): a second
run compiles nothing, a folder others can write to is never used, a corrupt entry is recomputed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from jinja2 import Environment

from reportgen.render import codecache, diskcache, source
from reportgen.render.env import make_env

TEMPLATE = "<w:t>{{ unit.name }} 年度 {{ unit.year }}</w:t>"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(folder))
    diskcache.cache_dir.cache_clear()
    codecache._CODE.clear()
    source._PATCHED.clear()
    yield folder
    diskcache.cache_dir.cache_clear()
    codecache._CODE.clear()
    source._PATCHED.clear()


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = Environment.compile

    def counting(self, src, *args, **kwargs):
        calls.append(src)
        return real(self, src, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", counting)
    return calls


def _render() -> str:
    rendered = codecache.compiled_template(make_env(), source.patched_xml(TEMPLATE)).render(unit={"name": "青山县", "year": 2025})
    return rendered.replace(' xml:space="preserve"', "")  # docxtpl's patch keeps spaces


def test_a_later_run_compiles_nothing(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _compiles(monkeypatch)
    assert _render() == "<w:t>青山县 年度 2025</w:t>" and len(calls) == 1
    assert sorted(p.name.split("-")[0] for p in cache.iterdir()) == ["code", "xml"]
    codecache._CODE.clear()  # a new process: nothing in memory, the disk has it
    source._PATCHED.clear()
    assert _render() == "<w:t>青山县 年度 2025</w:t>" and len(calls) == 1
    if os.name == "posix":
        assert cache.stat().st_mode & 0o777 == 0o700


def test_settings_are_part_of_the_key(cache: Path) -> None:
    codecache.compiled_template(make_env(autoescape=True), TEMPLATE)
    codecache.compiled_template(make_env(autoescape=False), TEMPLATE)
    assert len(list(cache.glob("code-*"))) == 2


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_folder_others_can_write_to_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(shared))
    diskcache.cache_dir.cache_clear()
    try:
        assert diskcache.cache_dir() is None
        assert diskcache.cached("code", "k", lambda: b"made") == b"made" and not any(shared.iterdir())
        monkeypatch.setenv("REPORTGEN_CACHE_DIR", "off")
        diskcache.cache_dir.cache_clear()
        assert diskcache.cache_dir() is None
    finally:
        diskcache.cache_dir.cache_clear()


def test_a_corrupt_entry_is_compiled_again(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _render()
    for entry in cache.glob("code-*"):
        entry.write_bytes(b"\x00not marshal")
    codecache._CODE.clear()
    calls = _compiles(monkeypatch)
    assert _render() == "<w:t>青山县 年度 2025</w:t>" and len(calls) == 1
    assert not any(p.read_bytes() == b"\x00not marshal" for p in cache.glob("code-*"))
