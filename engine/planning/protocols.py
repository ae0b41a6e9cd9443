"""Rehab protocols: exercises done on their own frequency, placed across the horizon.

A protocol (`protocol: {id, exercises | tags, per_week, sets, reps, seconds, note}`) is spread
over `per_week` days of each week (`planning.schedule.protocol_days`: spaced — never two days
in a row up to 4 a week — never race day nor inside a no-strength window, which pauses it with
a warning; outside `available_days` when needed, as a `home` session, since it is short).
`per_week` over 7 is two bouts on some days (14: twice daily). On a day with a strength session
it joins that session; otherwise it is a session of its own. Its dose is the protocol's, but
`away_from` windows still hold: inside a heavy window a heavy_capable protocol exercise is
loaded lightly and a high-eccentric one is not placed, inside a plyometric window a plyometric
one is left out (with a warning). High-eccentric work new to the athlete is ramped in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from stridewise.models import WEEKDAYS, Exercise
from stridewise.planning.prescribe import is_plyometric, protocol_dose
from stridewise.planning.resolve import Resolved
from stridewise.planning.schedule import (
    WINDOW,
    Slot,
    Window,
    Windows,
    protocol_days,
    rest_days,
    stable_unit,
)
from stridewise.planning.selection import Candidates
from stridewise.planning.sessions import ONE_PER_SESSION, Draft, Item
from stridewise.planning.stages import stage_note, staged

__all__ = ["PROTOCOL_RANK", "protocol_notes", "schedule_protocols"]

PROTOCOL_RANK = 200.0  # protocol items go after all other work (`sessions.fit`), lowest first


def _picks(proto_id: str, proto: Mapping[str, Any], cands: Candidates,
           seed: str) -> list[Exercise]:
    """The protocol's allowed exercises; for tags, one matching exercise per athlete."""
    picks = [cands.by_id[e] for e in proto.get("exercises") or () if e in cands.by_id]
    if not picks and proto.get("tags"):
        tagged = {ex.id: ex for tag in proto["tags"] for ex in cands.having("tags", tag)}
        picks = sorted(tagged.values(), key=lambda e: stable_unit(seed, proto_id, e.id))[:1]
    return picks


def schedule_protocols(
    sessions: list[Draft], cands: Candidates, res: Resolved, facts: Mapping[str, Any],
    warnings: list[str], windows: Windows | None = None,
) -> list[Draft]:
    """Add each protocol's exercises on its own days; returns the protocol-only sessions
    (`windows`: this plan's `away_from` verdicts, when already built)."""
    if not res.protocols:
        return []
    windows = windows or Windows(facts, res)
    extra: dict[int, Draft] = {}
    by_day = {s.slot.day_offset: s for s in sessions}
    start = dt.date.fromisoformat(str(facts["start_date"]))
    seed = str(facts.get("athlete_id") or "")
    history = frozenset(facts.get("exercise_history") or ())
    offered = set(facts.get("available_days") or WEEKDAYS)
    paused = rest_days(facts, res, windows)
    paused_by = ", ".join(repr(r) for r in sorted({r for rs in paused.values() for r in rs}))
    for proto_id, (given, rid, priority) in res.protocols.items():
        proto = staged(given, facts)  # its stage in this week (planning.stages)
        picks = _picks(proto_id, proto, cands, seed)
        if not picks:
            blockers = sorted({b for e in proto.get("exercises") or ()
                               for b in cands.blocked_by.get(e, ())})
            by = f" (excluded by {', '.join(blockers)})" if blockers else ""
            warnings.append(
                f"Protocol '{proto_id}' from rule '{rid}' cannot be scheduled: none of its "
                f"exercises is allowed{by}."
            )
            continue
        skipped: dict[str, list[int]] = {}
        window_rules: list[str] = []
        if paused:
            warnings.append(
                f"Protocol '{proto_id}' pauses on day(s) {', '.join(map(str, sorted(paused)))}: "
                f"no strength work there by rule(s) {paused_by}."
            )
        closed = dict(paused)
        demanding = any("high_eccentric" in ex.tags for ex in picks)
        if demanding:  # high-eccentric work keeps off the days heavy work is kept off
            horizon = int(facts["horizon_days"])
            first = getattr(facts.get(WINDOW), "first", 0) or 0
            for day in range(first, horizon):
                heavy_block = windows.rules(day, "heavy")
                if heavy_block and day not in closed:
                    closed[day] = heavy_block
                    window_rules.extend(r for r in heavy_block if r not in window_rules)
        window: Window = facts.get(WINDOW) or Window()
        days = protocol_days(facts, int(proto["per_week"]), list(by_day), closed,
                             window.protocol_last.get(proto_id))
        ramp = demanding and not proto.get("stages") and not history.intersection(
            ex.id for ex in picks if "high_eccentric" in ex.tags)
        if ramp:
            days = _ramp_days(days, int(proto["per_week"]))
        bouts = _bouts(days, int(proto["per_week"]))
        if days:
            window.protocol_last[proto_id] = days[-1]
        for day in days:
            heavy_block, plyo_block = windows.rules(day, "heavy"), windows.rules(day, "plyometric")
            sess = by_day.get(day) or extra.get(day)
            for ex in picks:
                if plyo_block and is_plyometric(ex):
                    skipped.setdefault(ex.id, []).append(day)
                    window_rules.extend(r for r in plyo_block if r not in window_rules)
                    continue
                if sess is None:
                    date = start + dt.timedelta(days=day)
                    slot = Slot(day, date.isoformat(), WEEKDAYS[date.weekday()],
                                heavy=not heavy_block, plyometric=not plyo_block)
                    sess = extra[day] = Draft(slot, protocol_only=True)
                    sess.home = slot.weekday not in offered
                dose = protocol_dose(ex, _ramped(proto, day) if ramp else proto,
                                     light=bool(heavy_block))
                because = [rid] + [r for r in heavy_block if r != rid
                                   and "heavy_capable" in ex.tags]
                _make_room(sess, ex)
                existing = next((i for i in sess.items if i.exercise.id == ex.id), None)
                if existing is not None:
                    existing.dose, existing.rank = dose, PROTOCOL_RANK + priority
                    existing.reason, existing.bouts = proto_id, bouts[day]
                    existing.because.extend(r for r in because if r not in existing.because)
                    continue
                sess.items.append(Item(ex, dose, PROTOCOL_RANK + priority, because, proto_id,
                                       bouts=bouts[day]))
        for ex_id, days_out in skipped.items():
            warnings.append(
                f"Protocol '{proto_id}': '{ex_id}' is left out on day(s) "
                f"{', '.join(map(str, days_out))}, inside the plyometric window of rule(s) "
                f"{', '.join(repr(r) for r in window_rules)}."
            )
    return list(extra.values())


RAMP = ((1, 2, 5), (2, 2, 6))  # per week, sets, reps in weeks 1 and 2 (Petersen et al. 2011)


def _ramp_days(days: list[int], per_week: int) -> list[int]:
    """A new high-eccentric protocol's days: one a week in week 1, two in week 2, then its own
    frequency (weeks counted from the plan start)."""
    out: list[int] = []
    for day in days:
        week = day // 7
        cap = RAMP[week][0] if week < len(RAMP) else per_week
        if sum(1 for d in out if d // 7 == week) < cap:
            out.append(day)
    return out


def _ramped(proto: Mapping[str, Any], day: int) -> Mapping[str, Any]:
    """The protocol's dose on `day` of an introductory ramp (Petersen 2011: 2 x 5, 2 x 6…)."""
    week = day // 7
    if week >= len(RAMP):
        return proto
    _, sets, reps = RAMP[week]
    return {**proto, "sets": min(sets, int(proto.get("sets") or sets)),
            "reps": min(reps, int(proto.get("reps") or reps))}


def _bouts(days: list[int], per_week: int) -> dict[int, int]:
    """Bouts per day: 1, or 2 on as many days of each week as `per_week` exceeds 7 (14 a week
    is twice daily), spread evenly over the week."""
    out = {d: 1 for d in days}
    twice = per_week - 7
    if twice <= 0:
        return out
    for week in sorted({d // 7 for d in days}):
        in_week = [d for d in days if d // 7 == week]
        n = min(len(in_week), twice)
        for i in range(n):
            out[in_week[int(i * len(in_week) / n)]] = 2
    return out


def _make_room(sess: Draft, ex: Exercise) -> None:
    """Protocol work replaces general work of the same one-per-session pattern (a template calf
    raise beside the protocol's) or, for high-eccentric work, other eccentric hamstring work."""
    crowded = set(ONE_PER_SESSION.intersection(ex.tags))
    if "high_eccentric" in ex.tags:
        crowded.add("eccentric_hamstring")
    if not crowded:
        return
    sess.items = [i for i in sess.items if i.reason or i.requirement is not None or i.warm_up
                  or crowded.isdisjoint(i.exercise.tags) or i.exercise.id == ex.id]


def protocol_notes(res: Resolved, plan_sessions: Sequence[Draft] = (),
                   facts: Mapping[str, Any] | None = None) -> list[str]:
    """Each placed protocol's note (and its current stage's), how often a day it is done, and
    where it is home work (`plan_sessions`: every session of the plan)."""
    notes = []
    placed = {i.reason for s in plan_sessions for i in s.items if i.reason}
    for proto_id, (given, _, _) in res.protocols.items():
        if proto_id not in placed:
            continue  # nothing of it could be scheduled: a warning says so
        proto = staged(given, facts) if facts is not None else given
        if proto.get("note"):
            notes.append(f"{proto_id}: {proto['note']}")
        stage = stage_note(proto_id, given, facts) if facts is not None else None
        if stage:
            notes.append(stage)
        per_week = int(proto["per_week"])
        if per_week >= 14:
            notes.append(f"{proto_id}: twice a day, morning and evening (bouts_per_day: 2); "
                         f"the minutes count both bouts.")
        elif per_week > 7:
            notes.append(f"{proto_id}: {per_week} times a week means twice on some days "
                         f"(bouts_per_day: 2).")
        home = sorted({s.slot.weekday for s in plan_sessions
                       if s.home and any(i.reason == proto_id for i in s.items)},
                      key=WEEKDAYS.index)
        if home:
            notes.append(f"{proto_id}: on {', '.join(home)} (not among your training days) it "
                         f"is a short home exercise of its own, to keep its spacing.")
    return notes
