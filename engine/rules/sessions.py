"""Which chunks keep their durable session between evaluations (pure bookkeeping).

durable-rules builds a session by allocating frame pools for every rule of a ruleset, which
cost more than matching a fact, so each chunk's facts go to one session that stays (asserted,
then retracted). A session costs ~14 KB a rule, so only the most recently used chunks keep
theirs, up to a budget of rules; `Sessions` says which, and calls `delete` (the backend's
`delete_state`) for the others. It imports nothing of durable's: the backend hands it in.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

__all__ = ["Sessions"]


class Sessions:
    """Chunks (anything with `name`, `handle` and `rules`) whose session is kept, least
    recently used first, within `budget` rules; `delete(handle)` drops a session."""

    def __init__(self, budget: int, delete: Callable[[Any], None]) -> None:
        self._budget = budget
        self._delete = delete
        self._kept: OrderedDict[str, Any] = OrderedDict()
        self._rules = 0

    def keep(self, chunk: Any) -> None:
        """The chunk's session stays for the next evaluation; the least recently used
        beyond the budget are deleted (the most recent one always stays)."""
        kept = self._kept
        if chunk.name in kept:
            kept.move_to_end(chunk.name)
            return
        kept[chunk.name] = chunk
        self._rules += len(chunk.rules)
        while self._rules > self._budget and len(kept) > 1:
            self.drop(next(iter(kept.values())))

    def drop(self, chunk: Any) -> None:
        """Delete the chunk's session (the next assert starts a fresh one)."""
        if self._kept.pop(chunk.name, None) is not None:
            self._rules -= len(chunk.rules)
        self._delete(chunk.handle)

    def drop_all(self) -> None:
        """Delete every kept session (before the rulesets: durable would leak them)."""
        for chunk in list(self._kept.values()):
            self.drop(chunk)
