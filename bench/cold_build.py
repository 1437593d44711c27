"""Benchmark: a cold `reportgen build` against the floor of rendering the same documents.

Usage: .venv/bin/python bench/cold_build.py [RUNS] [WORKBOOK]

Side by side, RUNS times each (alternating, so machine noise hits both alike):

- `reportgen build WORKBOOK -o …` in a fresh process (read, check, score, render, write);
- a bare Python process that imports docxtpl and renders the same templates with the same
  contexts, prepared once and pickled (house filters replaced by pass-throughs), saving in memory.

Prints min / median seconds of each, the ratio of the medians (target ≤ 1.5), and the slowest
imports of one `reportgen build` (python -X importtime).
"""

from __future__ import annotations

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


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    workbook = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "inputs" / "example.xlsx"
    with tempfile.TemporaryDirectory() as tmp:
        jobs = Path(tmp) / "jobs.pickle"
        count = prepare(workbook, jobs)
        build, bare = [], []
        for i in range(runs):
            build.append(timed([str(REPORTGEN), "build", str(workbook), "-o", str(Path(tmp) / f"run{i}")]))
            bare.append(timed([sys.executable, "-c", BARE, str(jobs)]))
        print(f"cold `reportgen build {workbook.name}` ({count} documents) over {runs} runs: "
              f"min {min(build):.3f} s, median {statistics.median(build):.3f} s")
        print(f"bare docxtpl process, same templates and contexts:    "
              f"min {min(bare):.3f} s, median {statistics.median(bare):.3f} s")
        print(f"ratio build / bare (medians): {statistics.median(build) / statistics.median(bare):.2f}x  (target ≤ 1.5x)")
        print("slowest top-level imports of `reportgen build` (cumulative):")
        for micros, name in slowest_imports(workbook, Path(tmp) / "imports"):
            print(f"  {micros / 1000:8.1f} ms  {name}")


if __name__ == "__main__":
    main()
