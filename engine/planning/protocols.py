"""Rehab protocols: exercises done on their own frequency, placed across the horizon.

A protocol (`protocol: {id, exercises | tags, per_week, sets, reps, seconds, note}`) is spread
over `per_week` days of each week (`planning.schedule.protocol_days`: never race day nor inside
a no-strength window, which pauses it with a warning; outside
`available_days` when needed, since it is short home work). On a day with a strength session
it joins that session; otherwise it is a session of its own. Its dose is the protocol's, but
`away_from` windows still hold: inside a heavy window a heavy_capable protocol exercise is
loaded lightly, inside a plyometric window a plyometric one is left out (with a warning).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from stridewise.models import WEEKDAYS, Exercise
from stridewise.planning.prescribe import is_plyometric, protocol_dose
from stridewise.planning.resolve import Resolved
from stridewise.planning.schedule import Slot, away_blocks, protocol_days, rest_days, stable_unit
from stridewise.planning.selection import Candidates
from stridewise.planning.sessions import Draft, Item

__all__ = ["PROTOCOL_RANK", "protocol_notes", "schedule_protocols"]

PROTOCOL_RANK = 200.0  # above every template or required item when a session must shrink


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
    warnings: list[str],
) -> list[Draft]:
    """Add each protocol's exercises on its own days; returns the protocol-only sessions."""
    extra: dict[int, Draft] = {}
    by_day = {s.slot.day_offset: s for s in sessions}
    start = dt.date.fromisoformat(str(facts["start_date"]))
    seed = str(facts.get("athlete_id") or "")
    paused = rest_days(facts, res) if res.protocols else {}
    paused_by = ", ".join(repr(r) for r in sorted({r for rs in paused.values() for r in rs}))
    for proto_id, (proto, rid, priority) in res.protocols.items():
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
        for day in protocol_days(facts, int(proto["per_week"]), list(by_day), paused):
            heavy_block, plyo_block = away_blocks(facts, res, day)
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
                dose = protocol_dose(ex, proto, light=bool(heavy_block))
                because = [rid] + [r for r in heavy_block if r != rid
                                   and "heavy_capable" in ex.tags]
                existing = next((i for i in sess.items if i.exercise.id == ex.id), None)
                if existing is not None:
                    existing.dose, existing.rank = dose, PROTOCOL_RANK + priority
                    existing.reason = proto_id
                    existing.because.extend(r for r in because if r not in existing.because)
                    continue
                sess.items.append(Item(ex, dose, PROTOCOL_RANK + priority, because, proto_id))
        for ex_id, days in skipped.items():
            warnings.append(
                f"Protocol '{proto_id}': '{ex_id}' is left out on day(s) "
                f"{', '.join(map(str, days))}, inside the plyometric window of rule(s) "
                f"{', '.join(repr(r) for r in window_rules)}."
            )
    return list(extra.values())


def protocol_notes(res: Resolved) -> list[str]:
    """Each protocol's note, and a reminder when it is done more than once a day."""
    notes = []
    for proto_id, (proto, _, _) in res.protocols.items():
        if proto.get("note"):
            notes.append(f"{proto_id}: {proto['note']}")
        if int(proto["per_week"]) > 7:
            notes.append(f"{proto_id}: {proto['per_week']} times a week means twice on some days.")
    return notes
