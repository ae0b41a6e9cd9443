"""Plans longer than a week, in 7-day blocks: each block gets the facts as of its first day,
and the blocks are the weeks of a season (`plan_season`).

One rules evaluation sees the athlete as of one day, so a 28-day plan that runs into the
taper would keep day 0's phase. A horizon over 7 days is planned block by block instead:
for block k (days 7k … 7k+6), the context is shifted to start on day 7k — `race.days_until`
and key-run day offsets move with it, a race already run drops out, the phase is derived again
from the race date unless the athlete gave one — then rules are evaluated and resolved and
the block is planned on the whole plan's days (offsets from the plan start). Plugins'
`prepare_context` facts (`ext`) are computed once, for the whole context. After an A race
the athlete did not give a phase for, the blocks of the next two weeks (three after 30 km or
more: `recovery_days`) are `transition`; later blocks derive their phase as with no race.

`plan_season` lays the weeks out into phases and blocks (`planning.season`) and plans them in
order, each with a `planning.loading.WeekStep` (progression, deload, main lifts, the last
heavy session 7-10 days before an A race); `summarise` adds the response's `weeks` and
`phases`.

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
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from stridewise.context import derive_facts
from stridewise.history import HISTORY_KEYS, history_facts
from stridewise.models import WEEKDAYS, Exclusion, Plan, Session
from stridewise.planning.loading import SeasonState, week_params
from stridewise.planning.planner import MAIN_LIFTS
from stridewise.planning.resolve import Resolution, Resolved
from stridewise.planning.schedule import SEASON, WINDOW, Window, away_blocks
from stridewise.planning.season import Week, layout, phase_ranges, week_entry

__all__ = [
    "BLOCK_DAYS",
    "LAST_HEAVY_DAYS",
    "block_facts",
    "last_heavy_days",
    "merge_fired",
    "merge_plans",
    "plan_facts",
    "plan_season",
    "recovery_days",
    "summarise",
    "widen",
]

BLOCK_DAYS = 7
POST_RACE_PHASE = "transition"
LAST_HEAVY_DAYS = (7, 10)  # the last heavy session before an A race: 7-10 days out


def block_facts(context: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The rules' facts for each 7-day block of a validated context (see the module doc)."""
    start: dt.date = context["start_date"]
    horizon: int = context["horizon_days"]
    race = context.get("race")
    # The log as of the plan's start, once: the plan's own sessions follow it, so a later block
    # must not see the last logged session as weeks older.
    log_facts = history_facts(context)
    unlogged = {k: v for k, v in context.items() if k not in HISTORY_KEYS}
    out = []
    for first in range(0, horizon, BLOCK_DAYS):
        length = min(BLOCK_DAYS, horizon - first)
        shifted = dict(unlogged)
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
        facts = {**derive_facts(shifted), **log_facts}
        if (over and race is not None and race["priority"] == "A" and not context.get("phase")
                and first - race["days_until"] < recovery_days(race)):
            facts["phase"], facts["phase_source"] = POST_RACE_PHASE, "race_date"
        out.append(facts)
    return out


def recovery_days(race: Mapping[str, Any]) -> int:
    """Days after an A race planned as transition (post-race recovery): two weeks, three
    after a race of 30 km or more; the weeks after that start again from base."""
    return 21 if race["distance_km"] >= 30 else 14


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


def last_heavy_days(whole: Mapping[str, Any]) -> frozenset[int]:
    """Day offsets 7-10 days before an A race, where the last heavy session belongs."""
    race = whole.get("race")
    if not race or race["priority"] != "A":
        return frozenset()
    day = int(race["days_until"])
    lo, hi = LAST_HEAVY_DAYS
    return frozenset(d for d in range(day - hi, day - lo + 1) if d >= 0)


def plan_season(
    context: Mapping[str, Any],
    whole: Mapping[str, Any],
    evaluations: Sequence[Any],
    resolved: Sequence[Resolved],
    make: Callable[[dict[str, Any], Resolved], Plan],
) -> tuple[list[Plan], list[Week]]:
    """Plan each 7-day block as one week of a season, in order (`planning.loading`).

    `evaluations` and `resolved` are each block's rules evaluation and directives; `make`
    builds one block's plan from its facts and directives.
    """
    params = [week_params(e.facts, r) for e, r in zip(evaluations, resolved, strict=True)]
    weeks = layout(
        context["start_date"], int(context["horizon_days"]),
        [e.facts["phase"] for e in evaluations],
        [p.deload.every_weeks if p.deload is not None else None for p in params],
    )
    wide = widen(resolved)
    aim = _trainable(last_heavy_days(whole), whole, wide)
    window = Window()
    state = SeasonState()
    plans = []
    for week, evaluation, res, param in zip(weeks, evaluations, wide, params, strict=True):
        facts = plan_facts(evaluation.facts, whole, week.first, window)
        facts[SEASON] = state.step(week, param, aim)
        facts[MAIN_LIFTS] = week.block  # main lifts drawn once per block (planner)
        plan = make(facts, res)
        state.record(week, plan)
        plans.append(plan)
    return plans, weeks


def _trainable(days: Iterable[int], whole: Mapping[str, Any],
               resolved: Sequence[Resolved]) -> frozenset[int]:
    """The days among `days` the athlete can train on and their week's rules allow heavy
    work on."""
    start: dt.date = dt.date.fromisoformat(str(whole["start_date"]))
    available = set(whole.get("available_days") or ())
    out = set()
    for day in days:
        if day >= len(resolved) * BLOCK_DAYS:
            continue
        weekday = WEEKDAYS[(start + dt.timedelta(days=day)).weekday()]
        heavy, _ = away_blocks(whole, resolved[day // BLOCK_DAYS], day)
        if weekday in available and not heavy:
            out.add(day)
    return frozenset(out)


def summarise(plan: Plan, weeks: Sequence[Week], start: dt.date) -> Plan:
    """The plan with its `weeks` and `phases` filled in from its sessions."""
    plan.weeks = [
        week_entry(w, [s for s in plan.sessions if w.first <= s.day_offset < w.first + w.days])
        for w in weeks
    ]
    plan.phases = phase_ranges(weeks, plan.horizon_days, start)
    return plan


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
        wide = res.replace("away_from", Resolution(away, because))
        wide.memo = res.memo  # doses, exclusions and weights do not depend on the windows
        out.append(wide)
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
