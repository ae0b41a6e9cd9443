"""Bounded module tables: a pure function's results kept by their inputs, emptied when full.

What depends only on the catalog, the rules or the calendar (never on an athlete) is kept in
module-level tables, so a warm engine does less than a cold one. Each is a `Table`: its bound
is one argument instead of a check at every site, and `clear_all` empties every one of them
(the tests compare a warm engine with a cold one that way, so a new table cannot be missed).
"""

from __future__ import annotations

from typing import TypeVar

__all__ = ["Table", "clear_all"]

K = TypeVar("K")
V = TypeVar("V")

_ALL: list[Table[object, object]] = []


class Table(dict[K, V]):
    """A dict of at most `limit` entries, emptied when a new one would not fit."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        _ALL.append(self)  # type: ignore[arg-type]

    def put(self, key: K, value: V) -> V:
        """Keep `value` under `key` (emptying the table first when it is full); `value`."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


def clear_all() -> None:
    """Empty every module table (a cold engine's start)."""
    for table in _ALL:
        table.clear()
