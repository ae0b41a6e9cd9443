"""Write (or check) tests/data/goldens.json: a digest of the response to each golden context.

The golden test (tests/test_goldens.py) pins that optimisations leave every response the same
byte for byte. Regenerate only when main's behaviour changes on purpose, from main:

    .venv/bin/python tests/goldens.py            # writes tests/data/goldens.json
    .venv/bin/python tests/goldens.py --check    # exit 1 naming the contexts that differ
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

GOLDENS = Path(__file__).resolve().parent / "data" / "goldens.json"


def golden_contexts() -> list[dict[str, Any]]:
    """The sample athletes, and the bench athletes at horizons 3, 7 and 14 days."""
    from stridewise.bench import RECOMMEND_CONTEXTS
    from stridewise.samples import load_samples

    bench = [
        {**body, "athlete_id": f"bench-{i}-h{days}", "start_date": "2026-11-30",
         "horizon_days": days}
        for days in (3, 7, 14) for i, body in enumerate(RECOMMEND_CONTEXTS)
    ]
    return [*load_samples(), *bench]


def digest(response: Any) -> str:
    return hashlib.sha256(json.dumps(response, ensure_ascii=False).encode()).hexdigest()


def responses(backend: str = "auto") -> dict[str, str]:
    """athlete_id -> digest of its response (or of its error) on `backend`."""
    from stridewise.errors import StridewiseError
    from stridewise.service import Engine

    engine = Engine.create(backend=backend)
    try:
        out = {}
        for body in golden_contexts():
            try:
                out[body["athlete_id"]] = digest(engine.recommend(body))
            except StridewiseError as err:
                out[body["athlete_id"]] = digest(f"{type(err).__name__}: {err}")
        return out
    finally:
        engine.close()


def main(argv: list[str]) -> int:
    now = responses()
    if "--check" in argv:
        before = json.loads(GOLDENS.read_text(encoding="utf-8"))
        differ = sorted(k for k in before.keys() | now.keys() if before.get(k) != now.get(k))
        for key in differ:
            print(f"differs: {key}")
        return 1 if differ else 0
    GOLDENS.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(now)} digests to {GOLDENS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
