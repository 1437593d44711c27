"""The console script ends without tearing the interpreter down (quick_exit.py), yet nothing an exit
owes is skipped: exit handlers run, everything printed arrives, the status is the command's."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reportgen.quick_exit import exit_code, exit_process

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import atexit, sys
marker = sys.argv.pop(1)
atexit.register(lambda: open(marker, "w", encoding="utf-8").write("ran"))
sys.argv[0] = "reportgen"
from reportgen.cli import run
run()
"""


def _run(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, Path]:
    marker = tmp_path / "atexit.txt"
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(marker), *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT)
    return proc, marker


def test_an_error_exits_2_with_its_message_and_the_exit_handlers_run(tmp_path: Path) -> None:
    proc, marker = _run(tmp_path, "check", str(tmp_path / "没有这个文件.xlsx"))
    assert proc.returncode == 2
    assert "W500: 找不到文件" in proc.stderr and "共 1 个错误" in proc.stderr
    assert marker.read_text(encoding="utf-8") == "ran"


def test_a_build_writes_everything_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc, marker = _run(tmp_path, "build", "inputs/example-yueyang-2020.xlsx", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    built = sorted(p.name for p in out.iterdir())
    assert len(built) == 2 and all(name in proc.stdout for name in built)  # piped output flushed
    assert marker.exists()


def test_help_and_version_exit_0(tmp_path: Path) -> None:
    proc, _ = _run(tmp_path, "--version")
    assert proc.returncode == 0 and proc.stdout.startswith("reportgen ")


def test_exit_codes_follow_sys_exit() -> None:
    assert [exit_code(None), exit_code(0), exit_code(3)] == [0, 0, 3]


def test_a_running_thread_gets_the_normal_exit() -> None:
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        with pytest.raises(SystemExit) as exc:
            exit_process(5)  # with one thread this would end the test process itself
        assert exc.value.code == 5
    finally:
        release.set()
        worker.join()


COLLECTOR = """
import gc, sys
from reportgen import cli
import reportgen.serve.main as serve_main
seen = []
cli.main.add_command(__import__("click").command("probe")(lambda: seen.append(gc.isenabled())))
serve_main.run = lambda *a, **k: seen.append(gc.isenabled())
import atexit
atexit.register(lambda: print("collector on:", seen))
sys.argv = ["reportgen", sys.argv[1], *sys.argv[2:]]
cli.run()
"""


@pytest.mark.parametrize(("args", "enabled"), [(["probe"], False), (["serve", "--data", "."], True)])
def test_the_collector_is_off_for_a_command_and_on_for_serve(tmp_path: Path, args: list[str], enabled: bool) -> None:
    """A one-shot command runs without the automatic collector (its time is the user's); serve, which runs
    for days, with it (else its memory would only grow)."""
    pytest.importorskip("starlette")
    proc = subprocess.run([sys.executable, "-c", COLLECTOR, *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f"collector on: [{enabled}]" in proc.stdout
