"""A request's metric increments written in one go: one lock and one fork check for all.

Under gunicorn (PROMETHEUS_MULTIPROC_DIR set) each `inc()` of prometheus_client takes the
process-wide lock of its `MmapedValue`, checks whether the process has forked since, adds to
the value and writes it into the worker's mmap'ed file. A recommendation moved ~19 values (its
request, latency sum and bucket, the plan count, one per rule that fired), ~2.5 µs each of
which the write itself is ~0.2. `write` does exactly what those `inc()` calls do, in the same
order, under the same lock taken once: every value is in the file before the response leaves,
as before (nothing is held back in memory, so a scrape of any worker right after a response
counts it, and a worker that exits loses nothing).

It reaches into prometheus_client's internals: `MmapedValue` (its closure's `lock`, the fork
check, the `_value`/`_file`/`_key` fields) and the children's value objects (`_value`, and a
histogram's `_sum`, `_buckets`, `_upper_bounds`). Where any is missing (another version, or
the single-process `MutexValue`), the public `inc()`/`observe()` is called instead: slower,
the same counts. tests/test_web_metric_writes.py checks the installed version takes the fast
path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["Increment", "counter_value", "observation", "uses_one_lock", "write"]

Increment = tuple[Any, float]  # (a metric child's value object, the amount to add)
_FORK_CHECK = "_MmapedValue__check_for_pid_change"
_writers: dict[type, Callable[[Sequence[Increment]], None]] = {}


class _Public:
    """A child whose internals are not the ones known here, moved through its public call."""

    made = False  # whether any was made in this process (a batch may then mix kinds)

    def __init__(self, call: Callable[[float], None]) -> None:
        self.inc = call
        _Public.made = True


def counter_value(child: Any) -> Any:
    """The value object a Counter child's `inc()` adds to (or its `inc` itself)."""
    value = getattr(child, "_value", None)
    return value if callable(getattr(value, "inc", None)) else _Public(child.inc)


def observation(child: Any, amount: float) -> list[Increment]:
    """What a Histogram child's `observe(amount)` adds: the sum, then the first bucket whose
    upper bound holds the amount (or `observe` itself)."""
    total = getattr(child, "_sum", None)
    bounds, buckets = getattr(child, "_upper_bounds", None), getattr(child, "_buckets", None)
    if (not callable(getattr(total, "inc", None)) or not isinstance(bounds, list | tuple)
            or not isinstance(buckets, list) or len(bounds) != len(buckets)):
        return [(_Public(child.observe), amount)]
    found: list[Increment] = [(total, amount)]
    for bound, bucket in zip(bounds, buckets, strict=True):
        if amount <= bound:
            found.append((bucket, 1.0))
            break
    return found


def write(increments: Sequence[Increment]) -> None:
    """Add each amount to its value, as `value.inc(amount)` would, in order."""
    if not increments:
        return
    kind = type(increments[0][0])
    writer = _writers.get(kind)
    if writer is None:
        writer = _writers[kind] = _locked_writer(kind) or _each
    if _Public.made and any(type(value) is not kind for value, _ in increments):
        writer = _each  # values of several kinds: each its own inc()
    writer(increments)


def uses_one_lock(kind: type) -> bool:
    """Whether values of `kind` are written under one lock taken once (the fast path)."""
    return _locked_writer(kind) is not None


def _each(increments: Sequence[Increment]) -> None:
    for value, amount in increments:
        value.inc(amount)


def _locked_writer(kind: type) -> Callable[[Sequence[Increment]], None] | None:
    """The one-lock writer for prometheus_client's `MmapedValue`, or None for any other kind."""
    inc = getattr(kind, "inc", None)
    check = getattr(kind, _FORK_CHECK, None)
    if not getattr(kind, "_multiprocess", False) or inc is None or check is None:
        return None
    cells = dict(zip(inc.__code__.co_freevars, inc.__closure__ or (), strict=True))
    if "lock" not in cells or not hasattr(cells["lock"].cell_contents, "__enter__"):
        return None
    lock = cells["lock"].cell_contents

    def locked(increments: Sequence[Increment]) -> None:
        with lock:  # the body of MmapedValue.inc, once per value, the lock and fork check once
            check(increments[0][0])  # after a fork every value is reopened on the new file
            for value, amount in increments:
                value._value += amount
                value._timestamp = 0.0
                value._file.write_value(value._key, value._value, value._timestamp)

    return locked
