"""Time `Engine.recommend` in two source trees, one run, alternating: before/after figures.

    python tests/tools/compare_trees.py BEFORE_PYTHON AFTER_PYTHON [--chunks 20] [--per-chunk 100]
        [--season]

Each python is a venv interpreter with one tree installed (editable). Both run a worker that
plans the `recommend` suite's 8 athletes (cycled) on durable-rules and on the python backend
(with `--season`: the `season` suite's 3 athletes over 26 weeks, 3 requests per chunk);
the driver alternates chunks of requests between them so load on the machine hits both alike,
and prints the median and p99 per (tree, backend) in microseconds.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

WORKER = r"""
import itertools, json, sys, time
from stridewise.bench import RECOMMEND_CONTEXTS
from stridewise.service import Engine
if "--season" in sys.argv:
    from stridewise.bench import SEASON_CONTEXTS
    bodies = [{**c, "horizon_days": 182} for c in SEASON_CONTEXTS]
else:
    bodies = [{**c, "athlete_id": f"bench-{i}", "start_date": "2026-11-30"}
              for i, c in enumerate(RECOMMEND_CONTEXTS)]
engines = {b: Engine.create(backend=b) for b in ("durable", "python")}
cycles = {b: itertools.cycle(bodies) for b in engines}
for b, e in engines.items():
    for _ in range(6 if "--season" in sys.argv else 200):
        e.recommend(next(cycles[b]))
print("ready", flush=True)
for line in sys.stdin:
    backend, n = line.split()
    e, cyc, out = engines[backend], cycles[backend], []
    for _ in range(int(n)):
        s = time.perf_counter_ns()
        e.recommend(next(cyc))
        out.append((time.perf_counter_ns() - s) / 1000)
    print(json.dumps(out), flush=True)
"""


def main(argv: list[str]) -> int:
    before, after = argv[0], argv[1]
    chunks = int(argv[argv.index("--chunks") + 1]) if "--chunks" in argv else 20
    season = "--season" in argv
    per = int(argv[argv.index("--per-chunk") + 1]) if "--per-chunk" in argv else (
        3 if season else 100)
    procs = {name: subprocess.Popen([py, "-c", WORKER, *(["--season"] if season else [])],
                                    stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, text=True)
             for name, py in (("before", before), ("after", after))}
    for proc in procs.values():
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    samples: dict[tuple[str, str], list[float]] = {}
    for _ in range(chunks):
        for backend in ("durable", "python"):
            for name, proc in procs.items():
                assert proc.stdin is not None and proc.stdout is not None
                proc.stdin.write(f"{backend} {per}\n")
                proc.stdin.flush()
                samples.setdefault((name, backend), []).extend(json.loads(proc.stdout.readline()))
    for proc in procs.values():
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)
    print("| backend | before median / p99 µs | after median / p99 µs | change (median) |")
    print("|---|---:|---:|---:|")
    for backend in ("durable", "python"):
        cells = []
        for name in ("before", "after"):
            values = sorted(samples[(name, backend)])
            cells.append((statistics.median(values), values[int(len(values) * 0.99)]))
        change = cells[1][0] / cells[0][0] - 1
        print(f"| {backend} | {cells[0][0]:,.1f} / {cells[0][1]:,.1f} | "
              f"{cells[1][0]:,.1f} / {cells[1][1]:,.1f} | {change:+.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
