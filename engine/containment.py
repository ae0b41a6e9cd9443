"""What a plugin hook may do to a request: read a frozen context, for a bounded time.

`frozen(context)` is a read-only deep view (mappings become `MappingProxyType`, lists become
tuples), so a `prepare_context` hook cannot clear an athlete's injuries or edit any other
field the rules and the planner read. `Budget` runs a hook call in a small thread pool and
waits at most `seconds`: a hook that sleeps or loops is abandoned (its facts are left out and
the plugin is reported), and while that call is still running the plugin is skipped, so one
stuck hook holds at most one pool thread, never a request.
"""

from __future__ import annotations

import concurrent.futures
import os
import threading
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

__all__ = ["BUDGET_ENV", "Budget", "HookTimeout", "frozen", "namespace"]

BUDGET_ENV = "STRIDEWISE_HOOK_TIMEOUT"
DEFAULT_BUDGET = 1.0  # seconds a prepare_context call may take


def frozen(value: Any) -> Any:
    """A read-only deep copy view of JSON-like data."""
    if isinstance(value, Mapping):
        return MappingProxyType({key: frozen(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(frozen(item) for item in value)
    if isinstance(value, set):
        return frozenset(value)
    return value


def namespace(plugin: str) -> str:
    """The `ext.<name>` a plugin's facts live under: its name as a fact-path segment."""
    cleaned = "".join(c if c.isalnum() else "_" for c in plugin.lower()).strip("_")
    return cleaned or "plugin"


class HookTimeout(Exception):
    """A hook call took longer than its budget (or its previous call still runs)."""


class Budget:
    """Run hook calls with a time limit, at most one outstanding call per plugin."""

    def __init__(self, seconds: float | None = None, env: Mapping[str, str] = os.environ) -> None:
        if seconds is None:
            try:
                seconds = float(env.get(BUDGET_ENV, DEFAULT_BUDGET))
            except ValueError:
                seconds = DEFAULT_BUDGET
        self.seconds = max(0.001, seconds)
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._running: dict[str, concurrent.futures.Future[Any]] = {}
        self._lock = threading.Lock()

    def _executor(self) -> concurrent.futures.ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = concurrent.futures.ThreadPoolExecutor(
                    max_workers=8, thread_name_prefix="stridewise-hook"
                )
            return self._pool

    def run(self, plugin: str, call: Callable[[], Any]) -> Any:
        """`call()`'s result; HookTimeout past the budget; whatever it raised (even a
        BaseException such as SystemExit) is re-raised here, in the caller's thread."""
        with self._lock:
            previous = self._running.get(plugin)
            if previous is not None and not previous.done():
                raise HookTimeout(
                    f"is still running a call that exceeded its {self.seconds:g} s budget; "
                    "skipped"
                )
        future = self._executor().submit(call)
        with self._lock:
            self._running[plugin] = future
        try:
            return future.result(timeout=self.seconds)
        except concurrent.futures.TimeoutError:
            raise HookTimeout(
                f"took longer than its {self.seconds:g} s budget ({BUDGET_ENV}); its facts "
                "are left out of this request"
            ) from None
