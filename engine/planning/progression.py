"""Progression across weeks: main-lift loads, deloads, plyometric contacts (pure functions).

A *main lift* is a `heavy_capable` exercise or a loaded lower-body strength exercise, calf
raises aside (`planning.season.is_main_lift`). Its dose in a week is a pure function of where
the week sits (`Place`: loading steps so far, deload or not), the progression parameters and a
starting point (`Start`, by default the bottom of the rules' range for the phase; a training
log can supply another). Each loading week moves one variable:

- `linear`: load (%1RM) up by `load_pct_per_week` of itself each step, inside the rules' range;
- `double`: reps up by `reps_step` to the top of the rep range, then load up one step and reps
  back to the bottom (a lift without a %1RM climbs to the top of the range and stays);
- `wave`: load up one step a week while reps come down one a week from the top of the range
  (each block starts one step above the last);
- `hold`: keep last week's load (maintenance), inside the range.

Steps count `block_index + position`: each block starts one step above the one before, so a
season climbs in waves of 3 up, deload, 2 back; a build run right after a base run goes on
from the base's blocks (`season.CONTINUED`) rather than from the bottom of the range again.
Whatever the model, a week's load never exceeds `MAX_JUMP` (10 %) over what the athlete
actually lifted the week before (`ramp_cap`), which also makes the return after a race or a
transition graded. A deload week keeps the last loading
week's dose with sets cut by `volume_cut_pct` (and load by `intensity_cut_pct`), and the week's
main-lift sets are trimmed until they are at most `MAX_DELOAD_SHARE` of the week before.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "MAX_DELOAD_SHARE",
    "MAX_JUMP",
    "MODELS",
    "DeloadParams",
    "Place",
    "PlyoParams",
    "ProgressionParams",
    "Start",
    "Target",
    "deload_sets",
    "plyo_contacts",
    "ramp_cap",
    "target",
]

MODELS = ("linear", "double", "wave", "hold")
MAX_JUMP = 0.10  # at most +10 % load from one week to the next
MAX_DELOAD_SHARE = 0.70  # a deload week's main-lift sets: at most 70 % of the week before


@dataclass(frozen=True)
class ProgressionParams:
    """How main lifts progress week to week (the `progression` directive)."""

    model: str = "linear"
    load_pct_per_week: float = 2.5
    reps_step: int = 1
    because: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeloadParams:
    """How often a block deloads and by how much (the `deload_weeks` directive)."""

    every_weeks: int = 4
    volume_cut_pct: float = 40.0
    intensity_cut_pct: float = 0.0
    because: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlyoParams:
    """Plyometric ground contacts per set: start share of the phase cap, weekly growth."""

    contacts_pct_per_week: float = 15.0
    start_pct: float = 60.0
    because: tuple[str, ...] = ()


@dataclass(frozen=True)
class Place:
    """Where a week sits: loading steps before it in its phase run, and whether it deloads."""

    step: int = 0
    position: int = 0  # week within its block (0-based)
    deload: bool = False


@dataclass(frozen=True)
class Start:
    """A lift's starting dose and the rules' ranges it progresses inside."""

    pct: float | None
    reps: int | tuple[int, int] | None
    sets: int
    pct_range: tuple[float | None, float | None] = (None, None)
    reps_range: tuple[float | None, float | None] = (None, None)


@dataclass(frozen=True)
class Target:
    """A lift's dose for one week."""

    pct: float | None
    reps: int | tuple[int, int] | None
    sets: int
    changed: tuple[str, ...] = field(default=())  # which variables differ from the start


def _half(value: float) -> float:
    """Down to the nearest 0.5 (a plate-friendly %1RM that never exceeds `value`)."""
    return math.floor(value * 2 + 1e-9) / 2


REPS_HEADROOM = 2  # a fixed rep count with no range to climb may grow by this much


def _rep_span(start: Start) -> tuple[int, int] | None:
    """The reps a lift may progress through: its range, the rules' range, or (a fixed count
    with neither) up to `REPS_HEADROOM` more, never past the rules' maximum."""
    if isinstance(start.reps, tuple):
        return start.reps
    if start.reps is None:
        return None
    lo, hi = start.reps_range
    if lo is not None and hi is not None and lo < hi:
        return int(lo), int(hi)
    top = start.reps + REPS_HEADROOM if hi is None else min(int(hi), start.reps + REPS_HEADROOM)
    return (start.reps, top) if top > start.reps else None


def _load(start: Start, steps: int, params: ProgressionParams) -> float | None:
    if start.pct is None:
        return None
    base = start.pct_range[0] if start.pct_range[0] is not None else start.pct
    value = base * (1 + params.load_pct_per_week / 100) ** max(0, steps)
    top = start.pct_range[1]
    return _half(min(value, top) if top is not None else value)


def target(
    start: Start, place: Place, params: ProgressionParams, held: float | None = None
) -> Target:
    """The dose of a main lift in a loading week (see the module docstring).

    `held` is last week's load for the `hold` model. A deload week is dosed by the caller from
    the last loading week (`deload_sets`).
    """
    reps: int | tuple[int, int] | None = start.reps
    span = _rep_span(start)
    if params.model == "hold":
        pct = start.pct if held is None or start.pct is None else held
        lo, hi = start.pct_range
        if pct is not None:
            pct = min(max(pct, lo if lo is not None else pct), hi if hi is not None else pct)
        return Target(pct, reps, start.sets, _changed(start, pct, reps))
    if params.model == "double" and span is not None:
        lo, hi = span
        step = max(1, params.reps_step)
        if start.pct is None:  # no %1RM to raise: reps climb to the top of the range
            return Target(None, min(hi, lo + place.step * step), start.sets,
                          _changed(start, None, min(hi, lo + place.step * step)))
        cycle = (hi - lo) // step + 1
        reps = lo + (place.step % cycle) * step
        pct = _load(start, place.step // cycle, params)
    elif params.model == "wave" and span is not None:
        lo, hi = span
        reps = max(lo, hi - place.position)
        pct = _load(start, place.step, params)
    else:
        pct = _load(start, place.step, params)
        if pct is None and span is not None:  # no %1RM to raise: progress reps instead
            lo, hi = span
            reps = min(hi, lo + place.step * max(1, params.reps_step))
    return Target(pct, reps, start.sets, _changed(start, pct, reps))


def _changed(
    start: Start, pct: float | None, reps: int | tuple[int, int] | None
) -> tuple[str, ...]:
    out = []
    if pct != start.pct:
        out.append("load")
    if reps != start.reps:
        out.append("reps")
    return tuple(out)


def ramp_cap(pct: float | None, reference: float | None) -> float | None:
    """`pct` capped at `MAX_JUMP` over last week's actual load (`reference`), when known."""
    if pct is None or reference is None:
        return pct
    return min(pct, _half(reference * (1 + MAX_JUMP)))


def deload_sets(sets: int, params: DeloadParams) -> int:
    """Sets in a deload week: cut by `volume_cut_pct`, rounded, at least one."""
    return max(1, round(sets * (1 - params.volume_cut_pct / 100)))


def deload_limit(previous_sets: int) -> int:
    """The most main-lift sets a deload week may hold after a week of `previous_sets`."""
    return math.floor(previous_sets * MAX_DELOAD_SHARE + 1e-9)


def plyo_contacts(
    cap: int | None, previous: int | None, params: PlyoParams, deload: DeloadParams | None
) -> int | None:
    """Ground contacts per set this week: last week's plus `contacts_pct_per_week` (or the
    start share of the cap after a week without plyometrics), never above the cap (the
    phase's and level's), cut like the rest in a deload week; at least 5."""
    if cap is None:
        return None
    if previous is None:
        value = cap * params.start_pct / 100
    else:
        value = previous * (1 + params.contacts_pct_per_week / 100)
    value = min(float(cap), value)
    if deload is not None:
        value *= 1 - deload.volume_cut_pct / 100
    return max(min(5, cap), int(value))


def ranges(bounds: Mapping[str, object]) -> tuple[tuple[float | None, float | None], ...]:
    """(pct range, reps range) from a Doser's bounds for one exercise."""
    out = []
    for key in ("pct_1rm", "reps"):
        bound = bounds.get(key)
        out.append((getattr(bound, "min", None), getattr(bound, "max", None)))
    return tuple(out)
