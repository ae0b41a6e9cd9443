"""Kilograms for a planned lift from the athlete's log: double progression, capped and rounded.

The decision for the first week (coaching practice after ACSM 2009's progression model and
Helms et al. 2016's RPE-based autoregulation; each rule is in docs/coaching.md, "Loads from
the log"):

- 28 days or more since the exercise was last logged: back off 20 %; 14-27 days: 10 %
  (detraining starts within 2-4 weeks, Mujika & Padilla 2000; the cuts are coaching practice);
- the last session was not completed: repeat its load;
- the hardest logged set was 1.5 RPE or more above the target: hold the load (2.5 or more:
  reduce 5 %);
- every set at the working load reached the top of the rep range: add one increment (double
  progression: reps up to the top of the range, then load up);
- otherwise: the same load, aiming for more reps.

A dose asking for a clearly lighter share of e1RM than the one logged (%1RM, or for an RPE/RIR
dose the Epley fraction of reps + RIR; under 95 % of it: a taper, a deload) scales the load down
by that ratio. The load never rises more than 10 % over the last logged working load, and is
rounded to the equipment's increment (2.5 kg for barbells, machines and cables; 2 kg for
dumbbells and kettlebells; the context's `load_increments_kg` overrides them).
Later weeks follow the plan's own intensity changes, at most 10 % a week.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from stridewise.history.summary import ExerciseLog
from stridewise.models import Exercise, Prescription

__all__ = [
    "DEFAULT_INCREMENTS",
    "LoadDecision",
    "decide",
    "fraction_of_1rm",
    "increment_for",
    "later_week",
]

DEFAULT_INCREMENTS: dict[str, float] = {
    "barbell": 2.5, "machine": 2.5, "cable": 2.5, "dumbbell": 2.0, "kettlebell": 2.0,
}
MAX_RISE = 1.10
GAP_DAYS = 14
GAP_CUT = 0.90
LONG_GAP_DAYS = 28
LONG_GAP_CUT = 0.80
LIGHTER = 0.95  # a dose asking for under 95 % of the logged share of e1RM is a lighter dose
HOLD_RPE = 1.5
REDUCE_RPE = 2.5
REDUCE_CUT = 0.95


@dataclass(frozen=True)
class LoadDecision:
    """A load in kg, the decision behind it and a sentence that says why."""

    load_kg: float
    decision: str  # progress | hold | reduce | repeat
    basis: str
    fraction: float | None  # the share of e1RM the dose asked for (None: no estimate)


def increment_for(exercise: Exercise, overrides: Mapping[str, float] | None = None) -> float | None:
    """The plate or dumbbell step for this exercise's equipment; None for bodyweight work."""
    table = {**DEFAULT_INCREMENTS, **(overrides or {})}
    for kind in ("barbell", "machine", "cable", "dumbbell", "kettlebell"):
        if kind in exercise.equipment:
            return table[kind]
    return None


def _target_reps(rx: Prescription) -> int | None:
    if isinstance(rx.reps, tuple):
        return rx.reps[1]
    return rx.reps


def _target_rpe(rx: Prescription) -> float:
    if rx.intensity.rpe is not None:
        return float(rx.intensity.rpe)
    if rx.intensity.rir is not None:
        return 10.0 - rx.intensity.rir
    return 8.0


def fraction_of_1rm(rx: Prescription) -> float | None:
    """The share of 1RM the dose asks for: %1RM, else Epley's fraction for reps + RIR."""
    if rx.intensity.pct_1rm is not None:
        return rx.intensity.pct_1rm / 100.0
    reps = _target_reps(rx)
    if reps is None:
        return None
    rir = rx.intensity.rir if rx.intensity.rir is not None else 10.0 - _target_rpe(rx)
    return 1.0 / (1.0 + (reps + rir) / 30.0)


def _round(load: float, step: float, cap: float) -> float:
    """To the nearest step, never above `cap`, never below one step."""
    rounded = round(load / step) * step
    while rounded > cap + 1e-9 and rounded > step:
        rounded -= step
    return round(max(step, rounded), 2)


def _fmt(kg: float) -> str:
    return f"{kg:g} kg"


def decide(
    exercise: Exercise, rx: Prescription, log: ExerciseLog, start: dt.date, step: float,
) -> LoadDecision | None:
    """The first week's load for `exercise` dosed `rx`, or None when the log has no load."""
    last = log.working_load_kg
    if last is None:
        return None
    target_rpe = _target_rpe(rx)
    top = _target_reps(rx)
    gap = (start - log.date).days
    when = log.date.isoformat()
    if gap >= LONG_GAP_DAYS:
        kind, want = "reduce", last * LONG_GAP_CUT
        why = f"{gap} days since it was last logged ({when}): 20 % back from {_fmt(last)}"
    elif gap >= GAP_DAYS:
        kind, want = "reduce", last * GAP_CUT
        why = f"{gap} days since it was last logged ({when}): 10 % back from {_fmt(last)}"
    elif not log.completed:
        kind, want = "repeat", last
        why = f"the session of {when} was not completed: repeat {_fmt(last)}"
    elif log.effort_rpe is not None and log.effort_rpe >= target_rpe + REDUCE_RPE:
        kind, want = "reduce", last * REDUCE_CUT
        why = (f"logged RPE {log.effort_rpe:g} on {when} against a target of {target_rpe:g}: "
               f"5 % back from {_fmt(last)}")
    elif log.effort_rpe is not None and log.effort_rpe >= target_rpe + HOLD_RPE:
        kind, want = "hold", last
        why = (f"logged RPE {log.effort_rpe:g} on {when} against a target of {target_rpe:g}: "
               f"hold {_fmt(last)}")
    elif top is not None and log.reps_at_load is not None and log.reps_at_load >= top:
        kind, want = "progress", last + step
        why = f"every set reached {top} reps at {_fmt(last)} on {when}: one step up"
    else:
        kind, want = "hold", last
        reps = "" if log.reps_at_load is None else f" ({log.reps_at_load} of {top} reps)"
        why = f"{_fmt(last)} on {when}{reps}: same load, add reps before adding load"
    fraction = fraction_of_1rm(rx)
    if log.e1rm_kg is not None and fraction is not None:
        asked = log.e1rm_kg * fraction
        intensity = (f"{rx.intensity.pct_1rm:g} %1RM" if rx.intensity.pct_1rm is not None
                     else f"{top} reps at RPE {target_rpe:g}")
        why += (f"; e1RM {log.e1rm_kg:.0f} kg ({log.e1rm_date}), target {intensity} "
                f"= {asked:.1f} kg")
        ratio = fraction / (last / log.e1rm_kg)
        if ratio < LIGHTER:  # the plan asks for a clearly lighter dose (a taper, a deload)
            want *= ratio
            why += f": a lighter dose than logged, so {ratio:.0%} of that"
            if kind == "progress":
                kind = "hold"
    load = _round(want, step, last * MAX_RISE)
    return LoadDecision(load, kind, f"{_fmt(load)} because {why}", fraction)


def later_week(first: LoadDecision, rx: Prescription, weeks_on: int, step: float) -> float:
    """The load `weeks_on` weeks after the first week: the plan's intensity change applied,
    at most 10 % a week."""
    fraction = fraction_of_1rm(rx)
    if fraction is None or first.fraction is None:
        return first.load_kg
    want = first.load_kg * fraction / first.fraction
    return _round(want, step, first.load_kg * MAX_RISE ** weeks_on)

