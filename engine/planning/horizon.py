"""Plans longer than a week, in 7-day blocks: each block gets the facts as of its first day.

One rules evaluation sees the athlete as of one day, so a 28-day plan that runs into the
taper would keep day 0's phase. A horizon over 7 days is planned block by block instead:
for block k (days 7k … 7k+6), the context is shifted to start on day 7k — `race.days_until`
and key-run day offsets move with it, a race already run drops out (after an A race, when the
athlete gave no phase, the block is `transition`: post-race recovery), the phase is derived again
from the race date unless the athlete gave one — then rules are evaluated and resolved and
the block is planned on the whole plan's days (offsets from the plan start). Plugins'
`prepare_context` facts (`ext`) are computed once, for the whole context.

Boundaries: heavy-session spacing and the gap between sessions carry from one block into the
next (`planning.schedule.Window`), and every block honours the largest `away_from` window any
block's rules set, so a window around an event holds on both sides of a block boundary.
The blocks' responses are concatenated; `fired`, `excluded` (by exercise and `by`), warnings
and notes are merged in first-seen order without duplicates; an exclusion that holds in some
blocks only ends its reason with the days it holds on (`… (days 21-27)`), and each session's
`focus` ends with its block's phase (`… [taper]`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from stridewise.context import derive_facts
from stridewise.models import Exclusion, Plan, Session
from stridewise.planning.resolve import Resolution, Resolved
from stridewise.planning.schedule import WINDOW, Window

__all__ = ["BLOCK_DAYS", "block_facts", "merge_fired", "merge_plans", "plan_facts", "widen"]

BLOCK_DAYS = 7
POST_RACE_PHASE = "transition"


def block_facts(context: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The rules' facts for each 7-day block of a validated context (see the module doc)."""
    start: dt.date = context["start_date"]
    horizon: int = context["horizon_days"]
    race = context.get("race")
    out = []
    for first in range(0, horizon, BLOCK_DAYS):
        length = min(BLOCK_DAYS, horizon - first)
        shifted = dict(context)
        shifted["start_date"] = start + dt.timedelta(days=first)
        shifted["horizon_days"] = length
        shifted["key_run_sessions"] = [
            {**run, "day_offset": run["day_offset"] - first}
            for run in context.get("key_run_sessions") or ()
            if first <= run["day_offset"] < first + length
        ]
        over = race is not None and race["days_until"] < first
        if race is not None:
            shifted["race"] = None if over else {**race, "days_until": race["days_until"] - first}
        facts = derive_facts(shifted)
        if over and race is not None and race["priority"] == "A" and not context.get("phase"):
            facts["phase"], facts["phase_source"] = POST_RACE_PHASE, "race_date"
        out.append(facts)
    return out


def plan_facts(
    evaluated: Mapping[str, Any], whole: Mapping[str, Any], first: int, window: Window
) -> dict[str, Any]:
    """The facts one block is planned from: the block's facts after rules, on the whole plan's
    days (start, key runs and race from `whole`), up to the block's last day."""
    window.first = first
    return {
        **evaluated,
        "start_date": whole["start_date"],
        "horizon_days": min(int(whole["horizon_days"]), first + BLOCK_DAYS),
        "key_run_sessions": whole["key_run_sessions"],
        "race": whole["race"],
        WINDOW: window,
    }


def widen(resolved: Sequence[Resolved]) -> list[Resolved]:
    """Each block's directives with the largest `away_from` windows of every block."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for res in resolved:
        for key, window in res.away_from.items():
            slot = merged.setdefault(key, {"hours_before": 0, "hours_after": 0, "because": []})
            for end in ("hours_before", "hours_after"):
                slot[end] = max(slot[end], window[end])
            slot["because"].extend(r for r in window["because"] if r not in slot["because"])
    out = []
    for res in resolved:
        if all(res.away_from.get(k, {}).get(e) == w[e] for k, w in merged.items()
               for e in ("hours_before", "hours_after")):
            out.append(res)
            continue
        away = {k: {**w, "because": list(w["because"])} for k, w in merged.items()}
        for key, own in res.away_from.items():  # this block's rules first in `because`
            away[key]["because"] = list(dict.fromkeys([*own["because"], *away[key]["because"]]))
        because = list(dict.fromkeys(r for w in away.values() for r in w["because"]))
        out.append(res.replace("away_from", Resolution(away, because)))
    return out


def merge_fired(evaluations: Iterable[Any]) -> list[Any]:
    """Fired rules of every block, each rule once, in first-fired order."""
    seen: set[str] = set()
    out = []
    for evaluation in evaluations:
        for fired in evaluation.fired:
            rule_id = getattr(fired, "rule", fired).id
            if rule_id not in seen:
                seen.add(rule_id)
                out.append(fired)
    return out


def merge_plans(plans: Sequence[Plan], horizon: int) -> Plan:
    """One plan from the blocks' plans: sessions concatenated, the rest merged without
    duplicates; the plan's phase is the first block's, each session's focus names its own."""
    sessions: list[Session] = []
    excluded: dict[tuple[str, str], tuple[Exclusion, list[int]]] = {}
    warnings: list[str] = []
    notes: list[str] = []
    for index, block in enumerate(plans):
        suffix = f" [{block.phase}]" if block.phase else ""
        sessions.extend(dataclasses.replace(s, focus=s.focus + suffix) for s in block.sessions)
        for exclusion in block.excluded:
            excluded.setdefault((exclusion.exercise_id, exclusion.by), (exclusion, []))[1].append(
                index)
        warnings.extend(w for w in block.warnings if w not in warnings)
        notes.extend(n for n in block.notes if n not in notes)
    first = plans[0]
    return Plan(
        phase=first.phase,
        start_date=first.start_date,
        horizon_days=horizon,
        sessions=sorted(sessions, key=lambda s: s.day_offset),
        excluded=[_only_on(e, blocks, len(plans), horizon) for e, blocks in excluded.values()],
        warnings=warnings,
        notes=notes,
    )


def _only_on(exclusion: Exclusion, blocks: list[int], count: int, horizon: int) -> Exclusion:
    """An exclusion that holds in some blocks only says on which days it holds."""
    if len(blocks) == count:
        return exclusion
    spans = ", ".join(
        f"{b * BLOCK_DAYS}-{min(horizon, (b + 1) * BLOCK_DAYS) - 1}" for b in blocks
    )
    return dataclasses.replace(exclusion, reason=f"{exclusion.reason} (days {spans})")
