"""The log reduced to what rules and the planner read: per-exercise history and recent state.

Estimated 1RM (e1RM) uses Epley's formula on reps to failure, the reps done plus the reps left
in reserve: `e1RM = load × (1 + (reps + RIR) / 30)`, with RIR taken from `rir`, else from
`10 - rpe` (the RPE-RIR scale of Zourdos et al. 2016 and Helms et al. 2016), else 0 (a set with
no effort rating is treated as taken to failure, the lowest estimate). Only loaded sets of 1-12
reps count: beyond that, repetition equations lose accuracy (Reynolds et al. 2006). An
exercise's estimate is the best set of its most recent completed session, dated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "HISTORY_KEYS",
    "ExerciseLog",
    "LogSummary",
    "epley",
    "history_facts",
    "reps_in_reserve",
    "summarize",
]

# Context fields that only this package reads; rules see their summary (`history_facts`).
HISTORY_KEYS = ("training_log", "wellness", "load_increments_kg")

MAX_ESTIMATE_REPS = 12


def reps_in_reserve(logged_set: Mapping[str, Any]) -> float | None:
    """RIR of a logged set: `rir`, else `10 - rpe`, else None (not rated)."""
    if logged_set.get("rir") is not None:
        return float(logged_set["rir"])
    if logged_set.get("rpe") is not None:
        return max(0.0, 10.0 - float(logged_set["rpe"]))
    return None


def epley(load_kg: float, reps: int, rir: float = 0.0) -> float:
    """Estimated 1RM from one set (Epley 1985) on reps to failure."""
    return load_kg * (1.0 + (reps + rir) / 30.0)


@dataclass(frozen=True)
class ExerciseLog:
    """One exercise's most recent logged session, and what it says."""

    exercise_id: str
    date: dt.date  # the most recent session (completed or not)
    completed: bool
    working_load_kg: float | None  # the heaviest load of that session's sets
    reps_at_load: int | None  # fewest reps done at that load (all sets must reach a target)
    effort_rpe: float | None  # the hardest set, as RPE (10 - RIR), or the session RPE
    e1rm_kg: float | None  # from the most recent completed session with loaded sets
    e1rm_date: dt.date | None
    previous_load_kg: float | None = None  # the working load of the session before


@dataclass
class LogSummary:
    """What the log says as of `start_date`."""

    start: dt.date
    exercises: dict[str, ExerciseLog] = field(default_factory=dict)
    last_strength: dt.date | None = None
    sessions_14d: int = 0
    missed_14d: int = 0
    avg_session_rpe_14d: float | None = None
    pain: dict[str, dict[str, Any]] = field(default_factory=dict)  # site -> pain facts
    soreness_today: int | None = None

    @property
    def days_since_last_strength(self) -> int | None:
        return None if self.last_strength is None else (self.start - self.last_strength).days

    def facts(self) -> dict[str, Any]:
        """The log facts rules read (`log.*`, `pain.*`, `soreness.*`, `e1rm.*`)."""
        during = [p["max_during_7d"] for p in self.pain.values() if p["max_during_7d"] is not None]
        morning = [p["max_next_morning_7d"] for p in self.pain.values()
                   if p["max_next_morning_7d"] is not None]
        return {
            "log": {
                "days_since_last_strength": self.days_since_last_strength,
                "sessions_14d": self.sessions_14d,
                "missed_14d": self.missed_14d,
                "avg_session_rpe_14d": self.avg_session_rpe_14d,
            },
            "pain": {
                "max_during_7d": max(during) if during else None,
                "max_next_morning_7d": max(morning) if morning else None,
                "worsening": any(p["worsening"] for p in self.pain.values()),
                "sites": sorted(self.pain),
            },
            "soreness": {"today": self.soreness_today},
            "e1rm": {k: round(v.e1rm_kg, 1) for k, v in sorted(self.exercises.items())
                     if v.e1rm_kg is not None},
        }


def _effort(entry: Mapping[str, Any]) -> float | None:
    rated = [10.0 - r for r in (reps_in_reserve(s) for s in entry["sets"]) if r is not None]
    if rated:
        return max(rated)
    return None if entry.get("session_rpe") is None else float(entry["session_rpe"])


def _exercise_log(entries: Sequence[Mapping[str, Any]]) -> ExerciseLog:
    """Entries of one exercise, oldest first."""
    last = entries[-1]
    loads = [s["load_kg"] for s in last["sets"] if s.get("load_kg")]
    top = max(loads) if loads else None
    at_top = [s["reps"] for s in last["sets"] if top is not None and s.get("load_kg") == top]
    e1rm, e1rm_date = None, None
    for entry in reversed(entries):
        sets = [s for s in entry["sets"]
                if s.get("load_kg") and 1 <= s["reps"] <= MAX_ESTIMATE_REPS]
        if entry["completed"] and sets:
            e1rm = max(epley(s["load_kg"], s["reps"], reps_in_reserve(s) or 0.0) for s in sets)
            e1rm_date = entry["date"]
            break
    previous = None
    for entry in reversed(entries[:-1]):
        earlier = [s["load_kg"] for s in entry["sets"] if s.get("load_kg")]
        if earlier:
            previous = max(earlier)
            break
    return ExerciseLog(
        exercise_id=last["exercise_id"], date=last["date"], completed=bool(last["completed"]),
        working_load_kg=top, reps_at_load=min(at_top) if at_top else None,
        effort_rpe=_effort(last), e1rm_kg=e1rm, e1rm_date=e1rm_date, previous_load_kg=previous,
    )


def _pain(wellness: Sequence[Mapping[str, Any]], start: dt.date) -> dict[str, dict[str, Any]]:
    """Per site: the worst pain during and next morning in the last 7 days, and whether the
    next-morning pain is getting worse (the last reading 2+ points above the first of 3+)."""
    since = start - dt.timedelta(days=7)
    by_site: dict[str, dict[str, list[tuple[dt.date, int]]]] = {}
    for day in sorted(wellness, key=lambda d: d["date"]):
        if day["date"] < since:
            continue
        for pain in day["pain"]:
            by_site.setdefault(pain["site"], {"during": [], "next_morning": []})[
                pain["when"]].append((day["date"], pain["score"]))
    out: dict[str, dict[str, Any]] = {}
    for site, readings in sorted(by_site.items()):
        morning = [score for _, score in readings["next_morning"]]
        during = [score for _, score in readings["during"]]
        out[site] = {
            "max_during_7d": max(during) if during else None,
            "max_next_morning_7d": max(morning) if morning else None,
            "worsening": len(morning) >= 3 and morning[-1] >= morning[0] + 2,
        }
    return out


def summarize(context: Mapping[str, Any]) -> LogSummary | None:
    """The summary of a validated context's log and wellness; None when it sends neither."""
    log = context.get("training_log") or []
    wellness = context.get("wellness") or []
    if not log and not wellness:
        return None
    start: dt.date = context["start_date"]
    summary = LogSummary(start=start)
    by_exercise: dict[str, list[Mapping[str, Any]]] = {}
    for entry in sorted(log, key=lambda e: (e["date"], e["exercise_id"])):
        by_exercise.setdefault(entry["exercise_id"], []).append(entry)
    summary.exercises = {k: _exercise_log(v) for k, v in sorted(by_exercise.items())}
    done = [e for e in log if e["completed"]]
    if done:
        summary.last_strength = max(e["date"] for e in done)
    recent = [e for e in log if (start - e["date"]).days < 14]
    summary.sessions_14d = len({e["date"] for e in recent if e["completed"]})
    summary.missed_14d = sum(1 for e in recent if not e["completed"])
    rpes = [e["session_rpe"] for e in recent if e.get("session_rpe") is not None]
    summary.avg_session_rpe_14d = round(sum(rpes) / len(rpes), 1) if rpes else None
    summary.pain = _pain(wellness, start)
    today = [d for d in wellness if d["date"] == start and d.get("soreness") is not None]
    summary.soreness_today = max(d["soreness"] for d in today) if today else None
    return summary


def history_facts(context: Mapping[str, Any]) -> dict[str, Any]:
    """The log facts for rules; with no log, the same keys with nothing logged."""
    summary = summarize(context) or LogSummary(start=context["start_date"])
    return summary.facts()
