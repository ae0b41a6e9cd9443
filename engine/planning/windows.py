"""`away_from` windows: which events keep heavy, plyometric or any strength work off a day.

Time model (day granularity): runs, key runs and races happen in the morning (08:00) and a
strength session in the late afternoon (17:00), so a session on day d is `(e - d) * 24 - 9`
hours before an event on day e and `(d - e) * 24 + 9` hours after it. `Windows` answers the
same questions as `blockers` for one plan (its events under one `Resolved`), each day and kind
once: day placement, rehab protocols and the honest notes all ask about the same days.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from typing import Any

from stridewise.planning.resolve import Resolved

__all__ = [
    "NO_RULES",
    "REACH_AFTER",
    "REACH_BEFORE",
    "SAME_DAY_GAP",
    "WINDOW_KINDS",
    "Windows",
    "away_blocks",
    "blockers",
    "events_of",
    "hours_before",
]

RUN_HOUR = 8
STRENGTH_HOUR = 17
SAME_DAY_GAP = STRENGTH_HOUR - RUN_HOUR  # 9 h between a morning run and afternoon lifting
REACH_BEFORE = 22  # days: away_from allows at most 21 days (504 h) before an event
REACH_AFTER = 8  # … and 7 days (168 h) after it
WINDOW_KINDS = ("any", "heavy", "plyometric")


def hours_before(session_day: int, event_day: int) -> int:
    """Hours from an afternoon session to a morning event (negative when the event is past)."""
    return (event_day - session_day) * 24 - SAME_DAY_GAP


def events_of(facts: Mapping[str, Any]) -> list[tuple[int, str]]:
    """Key runs and races as (day_offset, type): the race counts even beyond the horizon, and a
    race already run (`last_race`) at its negative offset, so post-race windows hold after it."""
    events = {(run["day_offset"], run["type"]) for run in facts.get("key_run_sessions") or ()}
    race = facts.get("race")
    if race:
        events.add((int(race["days_until"]), "race"))
    last = facts.get("last_race")
    if last:
        events.add((-int(last["days_ago"]), "race"))
    return sorted(events)


def blockers(
    day: int, events: list[tuple[int, str]], res: Resolved, kind: str
) -> list[tuple[int, str, list[str]]]:
    """The events whose away_from window forbids `kind` work on `day`: (day, type, rules)."""
    out: list[tuple[int, str, list[str]]] = []
    away = res.away_from
    if not away:
        return out
    kinds = (kind,) if kind == "any" else (kind, "any")
    for event_day, event_type in events:
        if event_day - day > REACH_BEFORE or day - event_day > REACH_AFTER:
            continue  # beyond the longest window the directive allows
        rules: list[str] = []
        for wanted in kinds:
            window = away.get((event_type, wanted))
            if window is None:
                continue
            if event_day > day:
                bad, side = hours_before(day, event_day) < window["hours_before"], "hours_before"
            else:
                bad = (day - event_day) * 24 + SAME_DAY_GAP < window["hours_after"]
                side = "hours_after"
            if bad:  # the rules that reach this side (all of them when not recorded)
                named = window.get(f"{side}_because") or window["because"]
                rules.extend(r for r in named if r not in rules)
        if rules:
            out.append((event_day, event_type, rules))
    return out


def _flat(found: list[tuple[int, str, list[str]]]) -> list[str]:
    out: list[str] = []
    for _, _, rules in found:
        out.extend(r for r in rules if r not in out)
    return out


AWAY_TABLES = 64  # away_from values whose per-offset verdicts are kept per resolved set


class _Verdicts:
    """What one `away_from` value forbids around an event, filled as asked: per (event type,
    kind, day - event day) the rules, and per (event type, kind) the offsets that forbid
    anything (`spans`), so a plan marks its blocked days from its events alone."""

    __slots__ = ("offsets", "spans")

    def __init__(self) -> None:
        self.offsets: dict[tuple[str, str, int], list[str]] = {}
        self.spans: dict[tuple[str, str], tuple[tuple[int, list[str]], ...]] = {}


def _offsets(res: Resolved) -> _Verdicts:
    """The verdicts for this Resolved's `away_from`. A verdict depends only on the windows and
    the distance to the event, so it is kept on the Resolved by the windows' contents (a
    season's widened blocks share one memo and often equal windows)."""
    away = res.away_from
    last = res.memo.get("away_last")
    if last is not None and last[0] is away:
        return last[1]
    key = tuple((k, w["hours_before"], w["hours_after"], tuple(w["because"]),
                 tuple(w.get("hours_before_because") or ()),
                 tuple(w.get("hours_after_because") or ())) for k, w in away.items())
    tables: dict[Any, _Verdicts] = res.memo.setdefault("away_tables", {})
    table = tables.get(key)
    if table is None:
        if len(tables) >= AWAY_TABLES:
            tables.clear()
        table = tables[key] = _Verdicts()
    res.memo["away_last"] = (away, table)
    return table


class Windows:
    """The `away_from` verdicts for one plan's events under one `Resolved`.

    Per kind, every blocked day is marked once from the events (each event type's blocking
    offsets are kept with the verdicts); any other day is allowed. Callers must not mutate
    the lists it returns.
    """

    def __init__(self, facts: Mapping[str, Any], res: Resolved) -> None:
        self.events = events_of(facts)
        self.res = res
        self.active = bool(res.away_from)
        self._days = [d for d, _ in self.events]
        self._kinds: dict[str, dict[int, list[str]]] = {}
        self._table = _offsets(res) if self.active else _Verdicts()

    def _near(self, day: int) -> list[tuple[int, str]]:
        """The events within reach of `day` (the only ones `blockers` looks at)."""
        days = self._days
        lo = bisect.bisect_left(days, day - REACH_AFTER)
        hi = bisect.bisect_right(days, day + REACH_BEFORE)
        return self.events[lo:hi]

    def _verdict(self, event_type: str, kind: str, offset: int) -> list[str]:
        key = (event_type, kind, offset)
        found = self._table.offsets.get(key)
        if found is None:
            near = blockers(offset, [(0, event_type)], self.res, kind)
            found = self._table.offsets[key] = near[0][2] if near else []
        return found

    def _span(self, event_type: str, kind: str) -> tuple[tuple[int, list[str]], ...]:
        """(day - event day, rules) for every offset at which such an event forbids `kind`."""
        spans = self._table.spans
        found = spans.get((event_type, kind))
        if found is None:
            verdict = self._verdict
            found = spans[(event_type, kind)] = tuple(
                (offset, rules) for offset in range(-REACH_BEFORE, REACH_AFTER + 1)
                if (rules := verdict(event_type, kind, offset)))
        return found

    def blocked(self, kind: str) -> dict[int, list[str]]:
        """Day -> the rules whose windows forbid `kind` work on it, for every blocked day."""
        found = self._kinds.get(kind)
        if found is None:
            named: dict[int, list[list[str]]] = {}
            if self.active:
                span = self._span
                for event_day, event_type in self.events:  # in order: rules by event order
                    for offset, rules in span(event_type, kind):
                        named.setdefault(event_day + offset, []).append(rules)
            found = self._kinds[kind] = {}
            for day, lists in named.items():
                if len(lists) == 1:
                    found[day] = lists[0]
                else:
                    merged: list[str] = []
                    for rules in lists:
                        merged.extend(r for r in rules if r not in merged)
                    found[day] = merged
        return found

    def blockers(self, day: int, kind: str) -> list[tuple[int, str, list[str]]]:
        """`blockers(day, events, res, kind)` for this plan."""
        if not self.active:
            return []
        verdict = self._verdict
        return [(d, t, rules) for d, t in self._near(day) if (rules := verdict(t, kind, day - d))]

    def rules(self, day: int, kind: str) -> list[str]:
        """Rules whose away_from window forbid `kind` work on `day` (empty when allowed)."""
        if not self.active:
            return NO_RULES
        return self.blocked(kind).get(day, NO_RULES)


NO_RULES: list[str] = []  # the rules blocking a day nothing blocks (shared: never mutated)


def away_blocks(facts: Mapping[str, Any], res: Resolved, day: int) -> tuple[list[str], list[str]]:
    """The rules whose `away_from` windows forbid heavy, and plyometric, work on `day`."""
    events = events_of(facts)
    return (_flat(blockers(day, events, res, "heavy")),
            _flat(blockers(day, events, res, "plyometric")))
