"""Hot reload: poll the ruleset directories on request and swap in valid edits.

Each request first calls `RulesWatcher.poll()`. At most once per `interval` seconds it lists the
`*.yaml`/`*.yml` files of the watched directories with their size and mtime; when that listing
changes it starts `Engine.reload()` in a background thread (`background=False` runs it in the
caller, for tests), so no request waits for a compile. The engine waits for the files to
settle, reads them as one consistent snapshot, validates, compiles and swaps the new version in
atomically, or keeps the last good version and records the error (shown at /v1/rulesets, in
/readyz and in the log). Requests keep being answered by the current version meanwhile.

durable-rules leaks ~300 KB per compiled version (design §3). After `recycle_after` activated
versions the worker asks gunicorn for a graceful restart once the current response is sent
(SIGTERM to itself; gunicorn finishes the request and forks a fresh worker that loads the
current files). Outside gunicorn it only logs that a restart would free the memory.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from stridewise.rules.display import display_path
from stridewise.service import Engine, ReloadResult

from .metrics import Metrics

__all__ = ["RulesWatcher", "gunicorn_recycle", "watched_dirs"]

log = logging.getLogger("stridewise.reload")
Signature = tuple[tuple[str, int, int], ...]
RULE_SUFFIXES = (".yaml", ".yml")


def watched_dirs(rules: str | list[Any] | tuple[Any, ...] | None, engine: Engine) -> list[Path]:
    """The directories to watch: the configured rule paths, else the engine's rule paths."""
    if rules:
        items = rules if isinstance(rules, list | tuple) else str(rules).split(os.pathsep)
    else:
        items = list(engine.paths)
    paths = [Path(p) for p in items if str(p)]
    dirs = {(p if p.is_dir() else p.parent).resolve() for p in paths}
    return sorted(dirs)


def gunicorn_recycle() -> None:
    """Ask the gunicorn worker we run in to finish and be replaced (graceful)."""
    log.warning("recycling this worker to free memory leaked by ruleset recompiles")
    os.kill(os.getpid(), signal.SIGTERM)


class RulesWatcher:
    """Polls rule files and reloads the engine when they change (see module docstring)."""

    def __init__(
        self,
        engine: Engine,
        dirs: Iterable[Path],
        *,
        interval: float = 1.0,
        recycle_after: int = 0,
        recycle: Callable[[], None] | None = None,
        metrics: Metrics | None = None,
        clock: Callable[[], float] = time.monotonic,
        background: bool = False,
    ) -> None:
        self.engine = engine
        self.dirs = list(dirs)
        self.interval = interval
        self.recycle_after = recycle_after
        self.recycle = recycle
        self.metrics = metrics
        self.clock = clock
        self.background = background
        self._thread: threading.Thread | None = None
        self.activated = 0  # versions compiled and swapped in by this process
        self.failures = 0
        self.last_error: str | None = None
        self.recycle_due = False
        self._recycled = False
        self._lock = threading.Lock()
        self._next_check = clock() + interval
        self._signature = self.signature()

    def signature(self) -> Signature:
        """Name, size and mtime of every rule file in the watched directories."""
        entries: list[tuple[str, int, int]] = []
        for directory in self.dirs:
            try:
                children = list(directory.iterdir())
            except OSError:
                continue
            for child in children:
                if child.suffix not in RULE_SUFFIXES:
                    continue
                try:
                    stat = child.stat()
                except OSError:
                    continue
                entries.append((str(child), stat.st_size, stat.st_mtime_ns))
        return tuple(sorted(entries))

    def poll(self) -> bool:
        """Reload if the interval has passed and the files changed; True when a reload started
        (and, without `background`, finished)."""
        now = self.clock()
        if now < self._next_check or not self._lock.acquire(blocking=False):
            return False
        try:
            self._next_check = now + self.interval
            if self.reloading:
                return False  # the next poll after it finishes sees any newer change
            current = self.signature()
            if current == self._signature:
                return False
            self._signature = current
            if not self.background:
                self.reload()
                return True
            self._thread = threading.Thread(
                target=self.reload, name="stridewise-reload", daemon=True
            )
            self._thread.start()
            return True
        finally:
            self._lock.release()

    @property
    def reloading(self) -> bool:
        """Whether a background reload is running."""
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a running background reload to finish (tests, shutdown)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def reload(self) -> None:
        """Validate and compile the rule files now; keep the last good version on error."""
        before = _version(self.engine)
        try:
            result = self.engine.reload()
            error = _error_of(result)
        except Exception as exc:  # the engine promised not to raise; never take requests down
            log.exception("ruleset reload raised")
            error = f"{type(exc).__name__}: {exc}"
        after = _version(self.engine)
        if error:
            self.failures += 1
            self.last_error = error
            if self.metrics:
                self.metrics.reload_failures.inc()
            log.error(
                "ruleset reload failed; still serving %s",
                before,
                extra={"event": "reload_failed", "ruleset_version": before, "error": error},
            )
            return
        self.last_error = None
        if after == before:
            return
        self.activated += 1
        if self.metrics:
            self.metrics.reloads.inc()
        log.info(
            "ruleset reloaded",
            extra={"event": "reloaded", "ruleset_version": after, "previous_version": before},
        )
        if self.recycle_after and self.activated >= self.recycle_after and not self._recycled:
            self.recycle_due = True
            self._recycled = True  # ask once; gunicorn replaces this process

    def take_recycle(self) -> Callable[[], None] | None:
        """The restart action to run after this response, once, if one is due."""
        if not self.recycle_due:
            return None
        if self.reloading or self.last_error is not None or self.signature() != self._signature:
            return None  # files changed or broken since: a fresh worker could not load them
        self.recycle_due = False
        if self.recycle is None:
            log.warning(
                "%d ruleset versions compiled in this process; restart it to free the memory "
                "durable-rules leaks per compile",
                self.activated,
            )
            return None
        return self.recycle

    def describe(self) -> dict[str, Any]:
        """Watcher state for /v1/rulesets."""
        return {
            "enabled": True,
            "interval_s": self.interval,
            "directories": [display_path(d) for d in self.dirs],  # as files are shown
            "activated": self.activated,
            "failures": self.failures,
            "recycle_after": self.recycle_after,
        }


def _version(engine: Engine) -> str:
    return engine.ruleset.version


def _error_of(result: ReloadResult) -> str | None:
    """The error text of a ReloadResult (None when it succeeded)."""
    if result.ok and not result.error:
        return None
    if result.diagnostics:
        return "\n".join(str(d) for d in result.diagnostics)
    return result.error or "reload failed"
