"""Benchmark: wall time of a cold `reportgen build inputs/example.xlsx` (a fresh process each run).

Usage: .venv/bin/python bench/cold_build.py [RUNS] [WORKBOOK]
Prints min / median / max seconds, and the slowest imports of one run (python -X importtime).
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTGEN = Path(sys.executable).parent / "reportgen"


def one_run(workbook: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(REPORTGEN), "build", str(workbook), "-o", str(out)], check=True, capture_output=True)
    return time.perf_counter() - start


def slowest_imports(workbook: Path, out: Path, top: int = 8) -> list[tuple[int, str]]:
    code = "import sys; from reportgen.cli import main; sys.argv=['reportgen','build',sys.argv[1],'-o',sys.argv[2]]; main()"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code, str(workbook), str(out)],
                          capture_output=True, text=True)
    rows = []
    for line in proc.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|\s+(\S.*)$", line)
        if match and not match.group(2).startswith(" "):
            rows.append((int(match.group(1)), match.group(2).strip()))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    workbook = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "inputs" / "example.xlsx"
    with tempfile.TemporaryDirectory() as tmp:
        times = [one_run(workbook, Path(tmp) / f"run{i}") for i in range(runs)]
        print(f"cold `reportgen build {workbook.name}` over {runs} runs: "
              f"min {min(times):.3f} s, median {statistics.median(times):.3f} s, max {max(times):.3f} s")
        print("slowest top-level imports (cumulative µs):")
        for micros, name in slowest_imports(workbook, Path(tmp) / "imports"):
            print(f"  {micros / 1000:8.1f} ms  {name}")


if __name__ == "__main__":
    main()
