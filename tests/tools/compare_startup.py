"""Start-up of two source trees, one run, interleaved: the `startup` bench suite for each.

    python tests/tools/compare_startup.py BEFORE_PYTHON AFTER_PYTHON [--iterations 20]

Each python is a venv interpreter with one tree installed (editable); the tree must log the
`worker_ready` line (engine/commands/worker.py). Run with this tree's interpreter. Prints the
median and p99 in milliseconds per (runner, tree).
"""

from __future__ import annotations

import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from stridewise.bench_startup import Measured, startup_runners

RULES = str(Path(__file__).resolve().parents[2] / "rulesets" / "default")


def main(argv: list[str]) -> int:
    trees = {"before": argv[0], "after": argv[1]}
    iterations = int(argv[argv.index("--iterations") + 1]) if "--iterations" in argv else 20
    samples: dict[tuple[str, str], list[float]] = {}
    with ExitStack() as stack:
        runners = {name: startup_runners(2, stack, python, RULES) for name, python in trees.items()}
        for name in trees:  # warm-up: fills each tree's bytecode cache
            for run in runners[name].values():
                run()
        for _ in range(iterations):
            for label in runners["after"]:
                for name in trees:
                    start = time.perf_counter()
                    value = runners[name][label]()
                    took = value.seconds if isinstance(value, Measured) else (
                        time.perf_counter() - start)
                    samples.setdefault((label, name), []).append(took * 1000)
    for (label, name), values in samples.items():
        values.sort()
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        print(f"{label:13} {name:6}  median {statistics.median(values):8.1f} ms  p99 {p99:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
