"""Installable like any Python tool (issue 12): the built-in formats ship inside the wheel.

The release path is built offline, without build isolation (setuptools comes with the dev extras):
a copy of the sources -> sdist -> wheel built from the unpacked sdist (what ``python -m build``
does) -> ``pip install --target`` into a fresh folder -> reportgen run from there, in a folder
outside the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import reportgen
from reportgen.formats.loader import builtin_format_dirs, templates_root

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ["current-2021", "emeishan-2020", "national-2025", "yanling-2020", "yueyang-2020"]

BUILD = """
import os, shutil, sys
from pathlib import Path
from setuptools import build_meta
out = Path(sys.argv[1])
shutil.unpack_archive(out / build_meta.build_sdist(str(out)), out / "sdist")
(unpacked,) = (out / "sdist").iterdir()
os.chdir(unpacked)
print(out / build_meta.build_wheel(str(out)))
"""

SHOW = """
import reportgen
from reportgen.formats.loader import templates_root
print(reportgen.__file__)
print(templates_root())
from reportgen.cli import main
main()
"""


def _source_copy(dest: Path) -> Path:
    """What the sdist is made of, copied so the build leaves no build/ or egg-info in the checkout."""
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    dest.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("src", "templates"):
        shutil.copytree(ROOT / name, dest / name, ignore=skip)
    return dest


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def test_wheel_installed_elsewhere_builds_the_example(tmp_path: Path) -> None:
    pytest.importorskip("setuptools", minversion="68", reason="the dev extras bring setuptools")
    source = _source_copy(tmp_path / "source")
    dist = tmp_path / "dist"
    dist.mkdir()
    wheel = Path(_run([sys.executable, "-c", BUILD, str(dist)], cwd=source).stdout.strip().splitlines()[-1])

    # The wheel holds every module and every file of every built-in format.
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT / "src").as_posix() for p in (ROOT / "src/reportgen").rglob("*.py")}
    assert not modules - names, "packages missing from pyproject.toml's [tool.setuptools] packages"
    data = {"reportgen/builtin_templates/" + p.relative_to(ROOT / "templates").as_posix()
            for p in (ROOT / "templates").rglob("*") if p.suffix in (".yaml", ".docx")}
    assert {f"reportgen/builtin_templates/{f}/format.yaml" for f in FORMATS} <= data
    assert not data - names, "template files missing from the wheel"
    assert "reportgen/fonts/fonts.conf" in names, "build --pdf's fontconfig file missing from the wheel"

    site, work = tmp_path / "site", tmp_path / "work"
    _run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--no-compile",
          "--disable-pip-version-check", "--target", str(site), str(wheel)], cwd=tmp_path)
    work.mkdir()
    shutil.copy2(ROOT / "inputs/example-yueyang-2020.xlsx", work / "example.xlsx")  # two documents: quick
    env = {k: v for k, v in os.environ.items() if k != "REPORTGEN_TEMPLATES"}
    env["PYTHONPATH"] = str(site)  # ahead of the checkout's editable install
    env["PYTHONIOENCODING"] = "utf-8"  # format names are Chinese; Windows pipes default to the ANSI code page

    shown = _run([sys.executable, "-c", SHOW, "formats"], cwd=work, env=env).stdout.splitlines()
    module, root, listing = Path(shown[0]), Path(shown[1]), "\n".join(shown[2:])
    assert module.resolve().is_relative_to(site.resolve())
    assert root.resolve() == (site / "reportgen" / "builtin_templates").resolve()
    assert all(f in listing for f in FORMATS), listing

    _run([sys.executable, "-c", SHOW, "build", "example.xlsx", "-o", "out"], cwd=work, env=env)
    built = sorted(p.name for p in (work / "out").glob("*.docx"))
    assert built == ["青山县医疗保障局_2025_评分表.docx", "青山县医疗保障局_2025_部门整体支出绩效自评报告.docx"]


def test_checkout_run_uses_the_checkout_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    """The editable install (README: ``pip install -e .``) reads the top-level templates/ in place."""
    if not Path(reportgen.__file__).resolve().is_relative_to(ROOT / "src"):
        pytest.skip("reportgen is not the checkout's (not an editable install)")
    monkeypatch.delenv("REPORTGEN_TEMPLATES", raising=False)
    assert templates_root().resolve() == ROOT / "templates"
    assert [p.name for p in builtin_format_dirs()] == FORMATS


def test_templates_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "templates/yueyang-2020", tmp_path / "mine")
    monkeypatch.setenv("REPORTGEN_TEMPLATES", str(tmp_path))
    assert templates_root() == tmp_path
    assert [p.name for p in builtin_format_dirs()] == ["mine"]
