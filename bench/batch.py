"""Benchmark: many units — single builds against one `reportgen batch`, and memory per unit count.

Usage: .venv/bin/python bench/batch.py [UNITS] [WORKBOOK]     (default 100 copies of inputs/example.xlsx)

Side by side on UNITS copies of one workbook:

- UNITS cold `reportgen build COPY -o …` processes, one after another;
- one `reportgen batch DIR -o OUT` with --jobs 1 and with --jobs 2 (documents only, no PDF).

Prints seconds, units per second and the ratio single builds / batch (target: ≥ 6 units/s with
--jobs 2 for the national example). Then peak RSS of a `batch --jobs 1` child over 10 and over 500
units (resource.getrusage(RUSAGE_CHILDREN).ru_maxrss in a fresh wrapper process each): memory should
not grow with the number of units. Finally an extrapolation to 10,000 units on this machine. The
compiled-template cache (render/diskcache.py) is warm: a single build fills it first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTGEN = Path(sys.executable).parent / "reportgen"

PEAK = r"""
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def copies(workbook: Path, folder: Path, units: int) -> Path:
    folder.mkdir(parents=True)
    for i in range(units):
        shutil.copyfile(workbook, folder / f"单位{i:04d}.xlsx")
    return folder


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True)
    if proc.returncode not in (0,):
        raise SystemExit(f"{args[:2]} exited {proc.returncode}: {proc.stderr.decode()[-500:]}")
    return time.perf_counter() - start


def peak_rss_mb(folder: Path, out: Path) -> float:
    proc = subprocess.run([sys.executable, "-c", PEAK, str(REPORTGEN), "batch", str(folder), "-o", str(out)],
                          capture_output=True, text=True, check=True)
    return int(proc.stdout.split()[-1]) / 1024  # Linux: KiB


def main() -> None:
    units = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    workbook = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "inputs" / "example.xlsx"
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        folder = copies(workbook, base / "in", units)
        timed([str(REPORTGEN), "build", str(workbook), "-o", str(base / "warm")])  # fills the template cache
        single = sum(timed([str(REPORTGEN), "build", str(p), "-o", str(base / "single" / p.stem)])
                     for p in sorted(folder.glob("*.xlsx")))
        batch1 = timed([str(REPORTGEN), "batch", str(folder), "-o", str(base / "b1")])
        batch2 = timed([str(REPORTGEN), "batch", str(folder), "-o", str(base / "b2"), "--jobs", "2"])
        print(f"{units} units of {workbook.name} on {os.cpu_count()} cores:")
        print(f"  {units} single builds: {single:7.2f} s  {units / single:6.1f} units/s")
        print(f"  batch --jobs 1:     {batch1:7.2f} s  {units / batch1:6.1f} units/s  "
              f"({single / batch1:.1f}x faster than single builds)")
        print(f"  batch --jobs 2:     {batch2:7.2f} s  {units / batch2:6.1f} units/s  "
              f"({single / batch2:.1f}x faster than single builds; target ≥ 6 units/s)")
        peaks = {}
        for n in (10, 500):
            peaks[n] = peak_rss_mb(copies(workbook, base / f"mem{n}", n), base / f"memout{n}")
        print(f"  peak RSS of batch --jobs 1: {peaks[10]:.0f} MB at 10 units, {peaks[500]:.0f} MB at 500 units "
              f"({peaks[500] / peaks[10]:.2f}x)")
        per_unit = batch2 / units
        print(f"  10,000 units with --jobs 2 on this machine: about {10_000 * per_unit / 60:.0f} min "
              f"({per_unit * 1000:.0f} ms per unit), peak memory about {peaks[500]:.0f} MB per worker")


if __name__ == "__main__":
    main()
