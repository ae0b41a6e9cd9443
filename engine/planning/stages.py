"""Rehab protocols progress in the data: the stage of a protocol in the week being planned.

A protocol's `stages` (`[{week, per_week, sets, reps, seconds, note}]`, weeks rising from 1)
say how its dose changes over the weeks of the protocol (Beyer et al. 2015: 15RM → 12 → 10 →
8 → 6RM; Rathleff et al. 2015: 12RM → 10RM → 8RM; Petersen et al. 2011: Nordics 1×/week 2×5 up
to 3×/week 3×12-10-8). The protocol week of the block being planned counts from the `since`
date of the injury the protocol's `injury: {site, condition}` names — so a plan continues a
protocol where the athlete is — or, without one, from the plan's first day; an athlete who
already does the protocol's exercises (`exercise_history`) and gives no `since` gets the
protocol's own dose. The last stage holds after its week (the maintenance dose).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from stridewise.planning.schedule import WINDOW

__all__ = ["STAGE_KEYS", "protocol_week", "staged", "stage_note"]

STAGE_KEYS = ("per_week", "sets", "reps", "seconds")


def protocol_week(proto: Mapping[str, Any], facts: Mapping[str, Any]) -> int | None:
    """The protocol week (1-based) of the first day of the block being planned; None when
    the athlete already does the protocol's exercises and gave no `since` (past the stages:
    the protocol's own dose)."""
    first = getattr(facts.get(WINDOW), "first", 0) or 0
    day = dt.date.fromisoformat(str(facts["start_date"])) + dt.timedelta(days=first)
    since = _since(proto.get("injury"), facts.get("injuries") or ())
    if since is None:
        history = set(facts.get("exercise_history") or ())
        if history.intersection(proto.get("exercises") or ()):
            return None
        return first // 7 + 1
    return max(0, (day - since).days) // 7 + 1


def _since(wanted: Mapping[str, Any] | None, injuries: Any) -> dt.date | None:
    if not wanted:
        return None
    for injury in injuries:
        if all(injury.get(k) == v for k, v in wanted.items()) and injury.get("since"):
            return dt.date.fromisoformat(str(injury["since"]))
    return None


def _stage(proto: Mapping[str, Any], week: int | None) -> Mapping[str, Any] | None:
    stages = proto.get("stages") or () if week is not None else ()
    current = None
    for stage in stages:
        if stage["week"] <= week:
            current = stage
    return current


def staged(proto: Mapping[str, Any], facts: Mapping[str, Any]) -> Mapping[str, Any]:
    """The protocol with its current stage's dose (itself when it has no stages)."""
    stage = _stage(proto, protocol_week(proto, facts)) if proto.get("stages") else None
    if stage is None:
        return proto
    return {**proto, **{k: stage[k] for k in STAGE_KEYS if stage.get(k) is not None}}


def stage_note(proto_id: str, proto: Mapping[str, Any], facts: Mapping[str, Any]) -> str | None:
    """`<id>, protocol weeks a-b: <note>` for the current stage, when it has a note."""
    stages = list(proto.get("stages") or ())
    stage = _stage(proto, protocol_week(proto, facts)) if stages else None
    if stage is None or not stage.get("note"):
        return None
    later = [s["week"] for s in stages if s["week"] > stage["week"]]
    span = f"{stage['week']}-{later[0] - 1}" if later else f"{stage['week']} on"
    return f"{proto_id}, protocol weeks {span}: {stage['note']}"
