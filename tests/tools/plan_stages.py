"""Wall time per step of `Engine.recommend`, in situ: each step wrapped by a timer.

    python tests/tools/plan_stages.py [durable|python] [--requests 1000]

Plans the `recommend` suite's 8 athletes (cycled) after a warm-up and prints, per request,
the total and the microseconds spent in each wrapped step (planning's sub-steps included;
a wrapper adds ~0.1 µs per call, so compare trees with this tool, not with bare totals).
"""

from __future__ import annotations

import functools
import sys
import time
from typing import Any

STEPS = {
    "stridewise.service": ("load_context", "derive_facts", "make_plan", "summarise",
                           "build_response"),
    "stridewise.planning.planner": ("filter_candidates", "Windows", "place_sessions", "_fill",
                                    "week_scores", "_require", "_template", "rank",
                                    "schedule_protocols", "fit", "effective_rules",
                                    "honest_notes"),
    "stridewise.response": ("fired_entries",),
}


def main(argv: list[str]) -> int:
    import importlib

    from stridewise.bench import RECOMMEND_CONTEXTS
    from stridewise.planning import sessions
    from stridewise.service import Engine

    backend = argv[0] if argv and not argv[0].startswith("-") else "durable"
    requests = int(argv[argv.index("--requests") + 1]) if "--requests" in argv else 1000
    spent: dict[str, float] = {}

    def wrap(owner: Any, name: str, label: str) -> None:
        inner = getattr(owner, name)
        spent[label] = 0.0

        @functools.wraps(inner)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - start

        setattr(owner, name, timed)

    for module, names in STEPS.items():
        owner = importlib.import_module(module)
        for name in names:
            wrap(owner, name, "plan" if name == "make_plan" else name)
    wrap(sessions.Draft, "build", "Draft.build")
    bodies = [{**body, "athlete_id": f"bench-{i}", "start_date": "2026-11-30"}
              for i, body in enumerate(RECOMMEND_CONTEXTS)]
    engine = Engine.create(backend=backend)
    try:
        for _ in range(100):
            for body in bodies:
                engine.recommend(body)
        spent.update(dict.fromkeys(spent, 0.0))
        begin = time.perf_counter()
        for _ in range(requests // len(bodies)):
            for body in bodies:
                engine.recommend(body)
        done = requests // len(bodies) * len(bodies)
        print(f"{backend}: {(time.perf_counter() - begin) / done * 1e6:.1f} µs a request")
        for label, seconds in spent.items():
            print(f"  {label:20s} {seconds / done * 1e6:7.1f}")
    finally:
        engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
