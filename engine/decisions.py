"""Decision logs, as OPA keeps them: one JSON line per recommendation, written off the request.

`DecisionLog.record()` builds the entry (decision id, time, ruleset version, plugin versions,
fired rules, a response summary and the masked context) and puts it on a bounded queue; one
background thread writes the queue to the sink (`stdout`, or a file rotated by size). A full
queue drops the entry and counts it (`dropped`): logging never blocks a request. `replay()`
re-evaluates logged decisions against another engine and reports what would change: rules
newly firing or silent, and the session count (with the exercises added or removed). As the
logged athlete_id is hashed, the exercise variety it seeds differs on replay, so exercises
alone differing does not count as a change.

Masking by default: `athlete_id` is replaced by its SHA-256 (same athlete, same hash; not
reversible), and `training_log`, `wellness` and free-text fields are dropped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import logging.handlers
import queue
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stridewise.service import Engine

__all__ = ["DROPPED_FIELDS", "DecisionLog", "mask_context", "replay", "summary"]

DROPPED_FIELDS = frozenset({"training_log", "wellness", "notes", "comment", "comments"})
HASHED_FIELDS = frozenset({"athlete_id"})


def mask_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """The context as logged: hashed ids, no training log, wellness or free text."""
    out: dict[str, Any] = {}
    for key, value in context.items():
        if key in DROPPED_FIELDS:
            continue
        if key in HASHED_FIELDS and value is not None:
            value = "sha256:" + hashlib.sha256(str(value).encode("utf-8")).hexdigest()
        out[key] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def summary(response: Mapping[str, Any]) -> dict[str, Any]:
    """What was decided, in a few fields: sessions, exercises, exclusions, warnings."""
    sessions = response.get("sessions") or []
    return {
        "sessions": len(sessions),
        "exercises": sorted({e.get("id") for s in sessions for e in s.get("exercises", ())}),
        "excluded": len(response.get("excluded") or []),
        "warnings": len(response.get("warnings") or []),
    }


def _fired(response: Mapping[str, Any]) -> list[str]:
    return [str(f.get("rule")) for f in response.get("fired") or () if isinstance(f, Mapping)]


class DecisionLog:
    """A bounded queue of decision entries and the thread that writes them to one sink."""

    def __init__(
        self,
        sink: str,
        *,
        max_bytes: int = 10 * 1024 * 1024,
        backups: int = 5,
        queue_size: int = 1000,
        on_drop: Callable[[], None] | None = None,
    ) -> None:
        self.sink = sink
        self.dropped = 0
        self.on_drop = on_drop
        self._queue: queue.Queue[str | None] = queue.Queue(maxsize=max(1, queue_size))
        handler: logging.Handler
        if sink == "stdout":
            handler = logging.StreamHandler(sys.stdout)
        else:
            handler = logging.handlers.RotatingFileHandler(
                sink, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
            )
        handler.setFormatter(logging.Formatter("%(message)s"))
        self._handler = handler
        self._thread = threading.Thread(target=self._write, name="stridewise-decisions",
                                        daemon=True)
        self._thread.start()

    def record(
        self,
        context: Mapping[str, Any],
        response: Mapping[str, Any],
        *,
        plugins: Iterable[Mapping[str, Any]] = (),
        request_id: str | None = None,
        decision_id: str | None = None,
    ) -> str:
        """Queue one decision; its id (returned even when the entry had to be dropped)."""
        decision_id = decision_id or uuid.uuid4().hex
        entry = {
            "decision_id": decision_id,
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "request_id": request_id,
            "ruleset": response.get("ruleset"),
            "plugins": [{"name": p.get("name"), "version": p.get("version")} for p in plugins],
            "fired": _fired(response),
            "result": summary(response),
            "context": mask_context(context),
        }
        try:
            self._queue.put_nowait(json.dumps(entry, default=str, ensure_ascii=False))
        except queue.Full:
            self.dropped += 1
            if self.on_drop is not None:
                self.on_drop()
        return decision_id

    def _write(self) -> None:
        while True:
            line = self._queue.get()
            if line is None:
                return
            record = logging.LogRecord("stridewise.decisions", logging.INFO, "", 0, line, (), None)
            self._handler.handle(record)

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued, then stop the writer."""
        try:
            self._queue.put(None, timeout=timeout)
        except queue.Full:
            return
        self._thread.join(timeout)
        self._handler.close()


def replay(lines: Iterable[str], engine: Engine) -> dict[str, Any]:
    """Re-evaluate logged decisions with `engine`; what would change, decision by decision."""
    changed: list[dict[str, Any]] = []
    total = unreadable = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        total += 1
        try:
            entry = json.loads(line)
            response = engine.recommend(dict(entry["context"]))
        except Exception as exc:  # a line we cannot replay is reported, not fatal
            unreadable += 1
            changed.append({"line": number, "error": f"{type(exc).__name__}: {exc}"})
            continue
        fired, result = _fired(response), summary(response)
        old_sessions = (entry.get("result") or {}).get("sessions")
        # the logged athlete_id is hashed, so the variety it seeds differs: exercises alone
        # changing is not a decision changing; rules firing or the session count are
        if fired != entry.get("fired") or result["sessions"] != old_sessions:
            before, after = set(entry.get("fired") or ()), set(fired)
            old = entry.get("result") or {}
            was, now = set(old.get("exercises", ())), set(result["exercises"])
            changed.append({
                "line": number,
                "decision_id": entry.get("decision_id"),
                "rules_newly_firing": sorted(after - before),
                "rules_no_longer_firing": sorted(before - after),
                "exercises_added": sorted(now - was),
                "exercises_removed": sorted(was - now),
                "sessions": [old.get("sessions"), result["sessions"]],
            })
    return {"decisions": total, "changed": len(changed) - unreadable,
            "unreadable": unreadable, "details": changed}
