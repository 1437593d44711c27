"""Benchmark: a cold `reportgen build` against the floor of rendering the same documents.

Usage: .venv/bin/python bench/cold_build.py [RUNS] [WORKBOOK …]
(default: inputs/example.xlsx — national-2025, 12 documents — and inputs/example-yueyang-2020.xlsx)

For each workbook, side by side, RUNS times each (alternating, so machine noise hits both alike):

- `reportgen build WORKBOOK -o …` in a fresh process (read, check, score, draw the chart, render, write);
- a bare Python process that imports docxtpl and renders the same templates with the same
  contexts, prepared once and pickled (house filters replaced by pass-throughs, no chart: the
  bare side draws none, so the build's chart counts against it), saving in memory.

Prints min / median seconds of each and the ratio of the medians (target ≤ 1.5), then the slowest
imports of one `reportgen build` (python -X importtime). It states the conditions: whether
reportgen's modules have bytecode on disk (an editable install under PYTHONDONTWRITEBYTECODE has
none: every process compiles them; `python -m compileall src` writes it, as a wheel install does) and
that the build's compiled-template cache (render/diskcache.py) is warm — one unmeasured build fills
it first, as any earlier run on the machine would have. ``REPORTGEN_CACHE_DIR=off`` measures without it.
"""

from __future__ import annotations

import os
import pickle
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTGEN = Path(sys.executable).parent / "reportgen"

BARE = r"""
import io, pickle, sys
from docxtpl import DocxTemplate
from jinja2 import Environment

with open(sys.argv[1], "rb") as f:
    filters, jobs = pickle.load(f)
env = Environment(autoescape=True)
env.filters.update({name: (lambda value, *a, **k: value) for name in filters})
for template, context in jobs:
    tpl = DocxTemplate(template)
    tpl.render(context, jinja_env=env, autoescape=True)
    tpl.save(io.BytesIO())
"""


def prepare(workbook: Path, into: Path) -> int:
    """Pickle (filter names, [(template, context)]) as `build` renders them; returns the count."""
    from reportgen.pipeline import document_jobs, evaluate
    from reportgen.render.filters import FILTERS

    evaluation = evaluate(workbook)
    jobs = [(str(evaluation.format.path(job.doc.template)), {**job.context, "questionnaire_chart": ""})
            for job in document_jobs(evaluation)]  # the bare render draws no chart
    into.write_bytes(pickle.dumps((sorted(FILTERS), jobs)))
    return len(jobs)


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
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


def bytecode_state() -> str:
    import importlib.util

    import reportgen.pipeline

    cached = Path(importlib.util.cache_from_source(reportgen.pipeline.__file__)).exists()
    flag = "PYTHONDONTWRITEBYTECODE set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "bytecode written on import"
    return f"reportgen bytecode on disk: {'yes' if cached else 'no'} ({flag})"


def measure(workbook: Path, runs: int, tmp: Path) -> float:
    jobs = tmp / f"{workbook.stem}.pickle"
    count = prepare(workbook, jobs)
    timed([str(REPORTGEN), "build", str(workbook), "-o", str(tmp / f"{workbook.stem}-warm")])  # fills the cache
    build, bare = [], []
    for i in range(runs):
        build.append(timed([str(REPORTGEN), "build", str(workbook), "-o", str(tmp / f"{workbook.stem}-{i}")]))
        bare.append(timed([sys.executable, "-c", BARE, str(jobs)]))
    ratio = statistics.median(build) / statistics.median(bare)
    print(f"{workbook.name} ({count} documents), {runs} runs each:")
    print(f"  cold `reportgen build`:  min {min(build):.3f} s, median {statistics.median(build):.3f} s")
    print(f"  bare docxtpl process:    min {min(bare):.3f} s, median {statistics.median(bare):.3f} s")
    print(f"  ratio build / bare (medians): {ratio:.2f}x  (target ≤ 1.5x)")
    return ratio


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    workbooks = [Path(a) for a in sys.argv[2:]] or [ROOT / "inputs" / "example.xlsx",
                                                     ROOT / "inputs" / "example-yueyang-2020.xlsx"]
    print(bytecode_state())
    print(f"compiled-template cache: {os.environ.get('REPORTGEN_CACHE_DIR') or 'the user cache'} (warm)")
    with tempfile.TemporaryDirectory() as tmp:
        for workbook in workbooks:
            measure(workbook, runs, Path(tmp))
        print("slowest top-level imports of `reportgen build` (cumulative):")
        for micros, name in slowest_imports(workbooks[0], Path(tmp) / "imports"):
            print(f"  {micros / 1000:8.1f} ms  {name}")


if __name__ == "__main__":
    main()
