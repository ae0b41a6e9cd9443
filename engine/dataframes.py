"""Contexts as columns: the shape Ray Data's `map_batches` and Spark's `mapInPandas` hand a
function, planned with `recommend_many`'s items.

A batch holds a column of contexts (JSON text, as `read_text` gives it, or already-parsed
dicts); the answer has one row per context, in order, with the columns of `COLUMNS`:
`athlete_id`, `status` (200, or the problem's status), `ruleset_version`, and `result`, the
item `recommend_many` gives as JSON text (its recommendation or its problem object). A text
that is not JSON gets a 400 problem naming its row; one bad context never costs the others
their answers. The engine is the one `spec` describes, built once per worker process.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from stridewise.batch import EngineSpec, answer, answer_text

__all__ = ["COLUMNS", "SPARK_SCHEMA", "plan_columns", "plan_frames"]

COLUMNS = ("athlete_id", "status", "ruleset_version", "result")
SPARK_SCHEMA = "athlete_id string, status int, ruleset_version string, result string"


def plan_columns(
    batch: Mapping[str, Any], *, spec: EngineSpec, column: str = "context"
) -> dict[str, list[Any]]:
    """Ray Data: `ds.map_batches(plan_columns, fn_kwargs={"spec": spec})`. `batch[column]` is
    any sequence of contexts (a list, a numpy array, a pandas Series)."""
    import orjson

    if column not in batch:
        raise KeyError(f"the batch has no column {column!r} (it has {sorted(batch)}); pass "
                       f"column= to name the one holding the contexts")
    engine = spec.engine()
    out: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for row, context in enumerate(batch[column]):
        if isinstance(context, str | bytes):
            item = answer_text(engine, context, f"row {row} of the batch")
        else:
            item = answer(engine, context)
        out["athlete_id"].append(item["athlete_id"])
        out["status"].append(item["status"])
        out["ruleset_version"].append(item["ruleset"]["version"])
        out["result"].append(orjson.dumps(item).decode())
    return out


def plan_frames(
    frames: Iterable[Any], *, spec: EngineSpec, column: str = "context"
) -> Iterator[Any]:
    """Spark: `df.mapInPandas(partial(plan_frames, spec=spec), SPARK_SCHEMA)`: pandas frames
    in, pandas frames out (pandas is imported here, when a frame engine calls it)."""
    import pandas  # type: ignore[import-untyped]

    for frame in frames:
        yield pandas.DataFrame(plan_columns(frame, spec=spec, column=column),
                               columns=list(COLUMNS))
