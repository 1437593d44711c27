"""Fault injection: `reportgen build --pdf` and `reportgen batch --jobs 2` killed at random moments.

Usage: .venv/bin/python bench/faults.py [TRIALS] [--fake-soffice] [--verbose]

For each command and each signal (SIGINT to the process group, as Ctrl-C in a terminal sends it;
SIGKILL to the main process alone, as a task manager does) TRIALS runs (default 30) are started
on an output folder already holding a complete earlier build, and the signal is sent at a moment
drawn at random from the length of an undisturbed run. Every run has its own temporary folder
(TMPDIR), so what LibreOffice and reportgen leave there can be seen. After each run:

- **corrupt**: a file under a final name (.docx, .xlsx, .pdf) that does not open (a .docx/.xlsx
  that is not a whole zip, a .pdf without its header and trailer);
- **mixed**: a unit folder whose .docx come from two builds (their creation times differ), once
  the next run has cleaned up (``outputs.recover``, which every build and batch does first);
- **leftovers**: after that clean-up, a staging folder (``.reportgen-tmp-…``), a
  ``reportgen-原文件-…`` folder, or anything in the run's temporary folder;
- **orphans**: two seconds after the main process ended, any process still alive whose command
  line names the run's folders (soffice, soffice.bin, batch workers, the PDF watchdog); they are
  killed after being counted;
- **hangs**: a run still going 60 s after SIGINT (killed then).

All five should be zero. Real LibreOffice is used when installed (a run of `build --pdf` takes a
few seconds); ``--fake-soffice`` uses a stand-in that converts slowly, to run the same checks in
a fraction of the time or on a machine without LibreOffice.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "inputs" / "example-yueyang-2020.xlsx"  # two documents a unit: quick runs
REPORTGEN = [sys.executable, "-m", "reportgen.cli"]
UNITS = 6
VERBOSE = "--verbose" in sys.argv

FAKE_SOFFICE = """#!{python}
import os, sys, time
args = sys.argv[1:]
out = args[args.index("--outdir") + 1]
for doc in args[args.index("--outdir") + 2:]:
    time.sleep(0.5)
    with open(os.path.join(out, os.path.basename(doc)[:-5] + ".pdf"), "wb") as pdf:
        pdf.write(b"%PDF-1.4 fake\\n%%EOF\\n")
"""


def sh(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, capture_output=True, **kwargs)


def created(docx: Path) -> str:
    """A built document's creation time (docProps/core.xml): one per build."""
    with zipfile.ZipFile(docx) as z:
        match = re.search(rb"<dcterms:created[^>]*>([^<]+)<", z.read("docProps/core.xml"))
    return match.group(1).decode() if match else ""


def corrupt(path: Path) -> bool:
    try:
        if path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as z:
                return z.testzip() is not None
        if path.suffix == ".pdf":
            data = path.read_bytes()
            return not (data.startswith(b"%PDF") and b"%%EOF" in data[-1024:])
    except (OSError, zipfile.BadZipFile):
        return True
    return False


def our_processes(marker: str) -> list[int]:
    """Live (not zombie) processes whose command line contains ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (entry / "stat").read_text().rsplit(") ", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if marker in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def check(out: Path, temp: Path, env: dict[str, str]) -> dict[str, int]:
    """What the killed run left: corrupt files now; mixed sets and leftovers after the next run's clean-up."""
    counts = dict.fromkeys(("corrupt", "mixed", "leftovers"), 0)
    finals = [p for p in out.rglob("*") if p.is_file() and not any(part.startswith(".reportgen-tmp-")
                                                                   for part in p.relative_to(out).parts)]
    counts["corrupt"] = sum(corrupt(p) for p in finals if p.suffix in (".docx", ".xlsx", ".pdf"))
    folders = [out] + [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
    recover = ("import sys; from pathlib import Path; from reportgen import outputs\n"
               "for f in sys.argv[1:]: outputs.recover(Path(f))")
    sh([sys.executable, "-c", recover, *map(str, folders)], env, check=True)
    left: list[Path] = []
    for folder in folders:
        stamps = {created(p) for p in folder.glob("*.docx") if not corrupt(p)}
        counts["mixed"] += len(stamps) > 1
        left += [p for p in folder.iterdir() if p.name.startswith((".reportgen-tmp-", "reportgen-原文件-"))]
    left += list(temp.iterdir())
    counts["leftovers"] = len(left)
    if VERBOSE and left:
        print("  left:", *(p.relative_to(out.parent) for p in left))
    return counts


def trial(command: list[str], previous: Path, base: Path, sig: signal.Signals, at: float,
          env: dict[str, str]) -> dict[str, int]:
    out, temp = base / "out", base / "tmp"
    shutil.copytree(previous, out)
    temp.mkdir()
    run_env = {**env, "TMPDIR": str(temp)}
    proc = subprocess.Popen([*command, "-o", str(out)], env=run_env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(at)
    hangs = 0
    if proc.poll() is None:
        if sig == signal.SIGINT:
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole foreground group
        else:
            proc.kill()  # the main process alone
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        hangs = 1
        proc.kill()
        proc.wait()
    time.sleep(2)
    orphans = our_processes(str(base))
    for pid in orphans:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    counts = check(out, temp, run_env)
    counts.update(orphans=len(orphans), hangs=hangs)
    return counts


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    trials = int(args[0]) if args else 30
    fake = "--fake-soffice" in sys.argv or shutil.which("soffice") is None
    rng = random.Random(20)
    with tempfile.TemporaryDirectory(prefix="reportgen-faults-") as tmp:
        scratch = Path(tmp)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        if fake:
            (scratch / "bin").mkdir()
            (scratch / "bin" / "soffice").write_text(FAKE_SOFFICE.format(python=sys.executable), encoding="utf-8")
            (scratch / "bin" / "soffice").chmod(0o755)
            env["PATH"] = f"{scratch / 'bin'}{os.pathsep}{env['PATH']}"
        county = scratch / "county"
        county.mkdir()
        for i in range(UNITS):
            shutil.copyfile(EXAMPLE, county / f"单位{i}.xlsx")
        commands = {
            "build --pdf": [*REPORTGEN, "build", str(EXAMPLE), "--pdf"],
            "batch --jobs 2": [*REPORTGEN, "batch", str(county), "--jobs", "2"],
        }
        print(f"{trials} trials per command and signal; LibreOffice: {'fake' if fake else shutil.which('soffice')}")
        print(f"{'command':<16}{'signal':<9}{'trials':>7}{'corrupt':>9}{'mixed':>7}{'leftovers':>11}"
              f"{'orphans':>9}{'hangs':>7}   (run ~s)")
        totals: dict[str, int] = {}
        for name, command in commands.items():
            previous = scratch / f"previous-{name.split()[0]}"
            start = time.monotonic()
            done = sh([*command, "-o", str(previous)], {**env, "TMPDIR": tmp})
            length = time.monotonic() - start
            if done.returncode not in (0,):
                raise SystemExit(f"{name} failed undisturbed: {done.stderr.decode()[-800:]}")
            time.sleep(1.1)  # the next build's documents get a later creation time
            for sig in (signal.SIGINT, signal.SIGKILL):
                counts = dict.fromkeys(("corrupt", "mixed", "leftovers", "orphans", "hangs"), 0)
                for n in range(trials):
                    base = scratch / f"t-{name.split()[0]}-{sig.name}-{n}"
                    base.mkdir()
                    result = trial(command, previous, base, sig, rng.uniform(0.05, length), env)
                    for key, value in result.items():
                        counts[key] += value
                    shutil.rmtree(base, ignore_errors=True)
                for key, value in counts.items():
                    totals[key] = totals.get(key, 0) + value
                print(f"{name:<16}{sig.name:<9}{trials:>7}{counts['corrupt']:>9}{counts['mixed']:>7}"
                      f"{counts['leftovers']:>11}{counts['orphans']:>9}{counts['hangs']:>7}   ({length:.1f})", flush=True)
        verdict = "all zero" if not any(totals.values()) else "NOT all zero"
        print(f"total: corrupt {totals['corrupt']}, mixed {totals['mixed']}, leftovers {totals['leftovers']}, "
              f"orphans {totals['orphans']}, hangs {totals['hangs']} — {verdict}")


if __name__ == "__main__":
    main()
