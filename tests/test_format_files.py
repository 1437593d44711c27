"""A format folder reads nothing outside itself (issue 20): every file format.yaml names must be a
regular file inside the folder after following links; otherwise F122, before anything is read."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.formats.loader import templates_root

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "example-yueyang-2020.xlsx"
SECRET = "TOPSECRET-do-not-print"
posix_only = pytest.mark.skipif(os.name == "nt", reason="symlinks and FIFOs")


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def format_copy(tmp_path: Path, source: str = "national-2025") -> Path:
    folder = tmp_path / "fmt"
    shutil.copytree(templates_root() / source, folder)
    return folder


def declare(folder: Path, key: str, value: str) -> None:
    """Point ``key`` (a document's ``template`` when it is ``template``) of format.yaml at ``value``."""
    path = folder / "format.yaml"
    text = path.read_text("utf-8")
    pattern = r"(?m)^(\s*template:).*$" if key == "template" else rf"(?m)^({key}:).*$"
    text, count = re.subn(pattern, lambda m: f"{m.group(1)} {value}", text, count=1)
    assert count == 1, key
    path.write_text(text, "utf-8")


def refused(folder: Path, tmp_path: Path) -> str:
    """``format check`` and ``build --format`` both refuse the folder with F122; nothing is built."""
    result = run("format", "check", folder)
    assert result.exit_code == 2, result.output
    assert " F122 " in result.output and "Traceback" not in result.output
    out = tmp_path / "out"
    built = run("build", EXAMPLE, "--format", folder, "-o", out)
    assert built.exit_code == 2 and " F122 " in built.output, built.output
    assert not out.exists()
    return result.output


@pytest.mark.parametrize("key", ["template", "questionnaire_template", "example", "scoring", "project_scoring",
                                 "questionnaire"])
@pytest.mark.parametrize("how", ["absolute", "parent", pytest.param("link", marks=posix_only)])
def test_a_file_outside_the_folder_is_refused(tmp_path: Path, key: str, how: str) -> None:
    folder = format_copy(tmp_path)
    outside = tmp_path / ("elsewhere.docx" if "template" in key else "elsewhere.yaml")
    if outside.suffix == ".docx":
        shutil.copy(templates_root() / "yueyang-2020" / "评分表.docx", outside)
    else:
        outside.write_text(f"{SECRET}: 1\nanother_{SECRET}: 2\n", "utf-8")
    name = {"absolute": str(outside), "parent": f"../{outside.name}", "link": f"link{outside.suffix}"}[how]
    if how == "link":
        (folder / name).symlink_to(outside)
    declare(folder, key, name)
    output = refused(folder, tmp_path)
    assert "声明中引用的文件不在格式文件夹内" in output
    assert SECRET not in output  # the outside file is never read, let alone echoed


def test_scoring_naming_a_system_file_echoes_nothing(tmp_path: Path) -> None:
    folder = format_copy(tmp_path)
    declare(folder, "scoring", "/etc/passwd")
    output = refused(folder, tmp_path)
    assert "format.yaml:" in output and "scoring: 声明中引用的文件不在格式文件夹内" in output
    assert "/bin/" not in output  # no line of the file


@posix_only
def test_a_pipe_or_a_folder_inside_is_refused_without_reading(tmp_path: Path) -> None:
    folder = format_copy(tmp_path)
    os.mkfifo(folder / "pipe.yaml")  # reading it would block for ever
    declare(folder, "scoring", "pipe.yaml")
    (folder / "dir.docx").mkdir()
    declare(folder, "template", "dir.docx")
    output = refused(folder, tmp_path)
    assert output.count("声明中引用的不是普通文件（是文件夹、设备或管道），不予读取") == 2


@posix_only
def test_format_yaml_linked_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = format_copy(tmp_path)
    outside = tmp_path / "format.yaml"
    (folder / "format.yaml").rename(outside)
    (folder / "format.yaml").symlink_to(outside)
    result = run("format", "check", folder)
    assert result.exit_code == 2 and " F122: 声明中引用的文件不在格式文件夹内" in result.output, result.output


def test_a_link_inside_the_folder_is_fine(tmp_path: Path) -> None:
    if os.name == "nt":
        pytest.skip("symlinks")
    folder = format_copy(tmp_path, "yueyang-2020")
    (folder / "评分表.docx").rename(folder / "real.docx")
    (folder / "评分表.docx").symlink_to("real.docx")
    result = run("build", EXAMPLE, "--format", folder, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
