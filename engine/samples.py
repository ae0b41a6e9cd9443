"""The sample athlete corpus: realistic contexts for `stridewise diff`, the docs and the workbench.

`rulesets/samples/athletes.jsonl` holds one athlete context per line, each with a descriptive
`athlete_id` ("novice-10k-base-bodyweight"); together they cover every phase, every injury
condition, ages 16-75, novice to advanced, bodyweight to a full gym, with and without key runs
and races. Every line validates against the request schema (a test pins that).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stridewise.errors import StridewiseError
from stridewise.rulesets import SAMPLES

__all__ = ["load_contexts", "load_samples"]


def load_samples() -> list[dict[str, Any]]:
    """The bundled sample athletes, in file order, as request bodies (plain JSON dicts)."""
    return load_contexts(SAMPLES)


def load_contexts(path: str | Path) -> list[dict[str, Any]]:
    """Athlete contexts from a `.jsonl` file (one per line) or a directory of `.json`/`.jsonl`.

    A line or file that is not a JSON object raises StridewiseError naming `file:line`.
    """
    source = Path(path)
    if source.is_dir():
        files = sorted(p for p in source.iterdir() if p.suffix in {".json", ".jsonl"})
        return [body for file in files for body in load_contexts(file)]
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as err:
        raise StridewiseError(f"{source}: cannot read athlete contexts: {err.strerror}.") from None
    if source.suffix == ".json":
        return [_object(text, source, 1)]
    return [
        _object(line, source, number)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _object(text: str, source: Path, line: int) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise StridewiseError(
            f"{source}:{line}: not valid JSON ({err.msg} at column {err.colno})."
        ) from None
    if not isinstance(value, dict):
        raise StridewiseError(f"{source}:{line}: an athlete context must be a JSON object.")
    return value
