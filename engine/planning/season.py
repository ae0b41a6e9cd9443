"""A season: weeks laid out into phases and blocks (mesocycles), and what each week looks like.

`layout` groups the weeks of a plan by phase (each week's phase comes from the rules, as of its
first day) and splits each run of weeks of a loading phase into blocks of at most
`every_weeks` weeks (from the `deload` parameters; 4 = three loading weeks and a deload) whose
last week deloads (`block_sizes`). Phases that do not deload (peak, taper, race week,
competition, transition) are one block per run. Blocks are named `<phase>-<n>`, counted per
phase over the season.

`week_entry` and `phase_ranges` give the response's `weeks` and `phases`: per week its start
date, phase, block, deload flag, strength sessions, sets of heavy lower-body work (sets of
`heavy_capable` + `lower_body` exercises, rehab protocols not counted), plyometric ground
contacts (sets x contacts per set) and the top main-lift load; per phase its date range.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from stridewise.models import Exercise, Session
from stridewise.planning.prescribe import is_plyometric
from stridewise.tables import Table

__all__ = [
    "Week",
    "block_sizes",
    "is_main_lift",
    "is_main_lower",
    "layout",
    "phase_ranges",
    "week_entry",
]


@dataclass(frozen=True)
class Week:
    """One week of a plan and its place in the season."""

    index: int  # 0-based
    first: int  # day offset of its first day
    days: int  # 7, or fewer for a partial last week
    start_date: str
    phase: str
    block: str
    block_index: int  # block within its run of the same phase (0-based)
    position: int  # week within its block (0-based)
    block_weeks: int
    deload: bool
    carried: int = 0  # blocks of the base run a build run continues from (CONTINUED)

    @property
    def step(self) -> int:
        """Loading steps before this week: each block starts one step above the last (a
        build run goes on from the base run before it); a deload week keeps its block's
        last loading step."""
        return self.carried + self.block_index + self.position - (1 if self.deload else 0)


# A build run right after a base run goes on with its progression instead of starting the
# heavy range again from the bottom: both phases load the main lifts in the same range, and the
# build is where that strength is carried toward racing (Rønnestad & Mujika 2014, Scand J Med
# Sci Sports 24:603: heavy strength in the preparatory period, kept rather than restarted).
CONTINUED = {("base", "build")}


def block_sizes(weeks: int, every: int | None) -> list[int]:
    """Split a run of `weeks` into blocks of at most `every` weeks (None: one block).

    `every` is the rules' promise of at most `every - 1` loading weeks before a deload, so
    no block is longer, and the blocks are as even as that allows. A block is at least three
    weeks (two loading and a deload). Where that cannot be, one week over goes to one block
    (at every 3, a run of 3n + 1 weeks: one block of 4; 5 weeks at every 4: one block of 5)
    rather than making a block of one loading week, and at every 3 two weeks over end the
    run as a loading week and a deload (3, 3, 2 for a masters athlete's 8-week base).
    """
    if every is None or weeks < 3:
        return [weeks]
    count = math.ceil(weeks / every)
    if weeks < 3 * count:  # some even block would be under three weeks
        if every > 3:  # (only 5 weeks at every 4 comes here)
            return [weeks]
        full, rest = divmod(weeks, 3)  # at every 3: threes, and the remainder at the end
        return [3] * (full - 1) + [4] if rest == 1 else [3] * full + [2]
    base, extra = divmod(weeks, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def layout(
    start: dt.date, horizon: int, phases: Sequence[str], every: Sequence[int | None]
) -> list[Week]:
    """The plan's weeks in blocks (see the module docstring); `every[i]` is week i's
    deload interval, None where its phase does not deload. (A fresh list each call of
    weeks kept per arguments: they hold nothing of the athlete, and a Week is frozen.)"""
    key = (start, horizon, tuple(phases), tuple(every))
    found = _LAYOUTS.get(key)
    if found is None:
        found = _LAYOUTS.put(key, tuple(_layout(start, horizon, phases, every)))
    return list(found)


LAYOUT_CACHE = 1024  # layouts remembered (a pure function of their arguments)
_LAYOUTS: Table[tuple[Any, ...], tuple[Week, ...]] = Table(LAYOUT_CACHE)


def _layout(
    start: dt.date, horizon: int, phases: Sequence[str], every: Sequence[int | None]
) -> list[Week]:
    out: list[Week] = []
    counts: dict[str, int] = {}
    index = 0
    previous: tuple[str, int] | None = None  # the run before: its phase and its blocks
    while index < len(phases):
        phase = phases[index]
        end = index
        while end < len(phases) and phases[end] == phase:
            end += 1
        sizes = block_sizes(end - index, every[index])
        # every block of a split run ends in a deload (a 2-week one too); a run under 3 not
        deloads = every[index] is not None and (len(sizes) > 1 or sizes[0] >= 3)
        carried = previous[1] if previous and (previous[0], phase) in CONTINUED else 0
        previous = (phase, len(sizes))
        for block_index, size in enumerate(sizes):
            counts[phase] = counts.get(phase, 0) + 1
            name = f"{phase}-{counts[phase]}"
            for position in range(size):
                first = index * 7
                out.append(Week(
                    index=index, first=first, days=min(7, horizon - first),
                    start_date=(start + dt.timedelta(days=first)).isoformat(),
                    phase=phase, block=name, block_index=block_index, position=position,
                    block_weeks=size, deload=deloads and position == size - 1,
                    carried=carried,
                ))
                index += 1
    return out


def is_main_lift(exercise: Exercise) -> bool:
    """A main lift: a heavy_capable exercise, or a loaded lower-body strength exercise (a
    novice's goblet squat or kettlebell deadlift), other than a calf raise (calf work is
    accessory or rehab work with its own dose). Its dose progresses week to week and it is
    pinned within a block."""
    tags = exercise.tags
    if "calf_raise" in tags:
        return False
    return "heavy_capable" in tags or (
        "loaded" in tags and "lower_body" in tags
        and "functional_strength" in exercise.categories)


def is_main_lower(exercise: Exercise) -> bool:
    """Heavy lower-body work: a heavy_capable lower-body exercise."""
    return "heavy_capable" in exercise.tags and "lower_body" in exercise.tags


def week_entry(week: Week, sessions: Sequence[Session]) -> dict[str, Any]:
    """The response's `weeks` item for one week and its sessions."""
    top: float | None = None
    count = heavy_sets = contacts = 0
    for session in sessions:
        trained = False
        for pe in session.exercises:
            if pe.protocol:
                continue
            trained = True
            ex, rx = pe.exercise, pe.prescription
            kinds = _KINDS.get(id(ex))
            if kinds is None or kinds[0] is not ex:
                kinds = _KINDS.put(id(ex), (ex, is_main_lift(ex), is_main_lower(ex),
                                            is_plyometric(ex)))
            _, main_lift, main_lower, plyometric = kinds
            pct = rx.intensity.pct_1rm
            if pct is not None and main_lift and (top is None or pct > top):
                top = pct
            if main_lower:
                heavy_sets += rx.sets
            if plyometric:
                contacts += rx.sets * (rx.ground_contacts or 0)
        count += trained
    return {
        "week": week.index + 1,
        "start_date": week.start_date,
        "days": week.days,
        "phase": week.phase,
        "block": week.block,
        "deload": week.deload,
        "sessions": count,
        "heavy_lower_sets": heavy_sets,
        "ground_contacts": contacts,
        "top_pct_1rm": None if top is None else (int(top) if float(top).is_integer() else top),
    }


# exercise object id -> (the exercise, main lift, heavy lower-body, plyometric): what
# `week_entry` asks of a (frozen) catalog exercise, once; the exercise is held, so its id
# is not reused while the entry stands
KINDS_CACHE = 4096
_KINDS: Table[int, tuple[Exercise, bool, bool, bool]] = Table(KINDS_CACHE)


def phase_ranges(weeks: Sequence[Week], horizon: int, start: dt.date) -> list[dict[str, str]]:
    """The macrocycle: each run of weeks of one phase as {phase, start_date, end_date}."""
    out: list[dict[str, str]] = []
    for week in weeks:
        if out and out[-1]["phase"] == week.phase:
            continue
        if out:
            out[-1]["end_date"] = (start + dt.timedelta(days=week.first - 1)).isoformat()
        out.append({"phase": week.phase, "start_date": week.start_date, "end_date": ""})
    if out:
        out[-1]["end_date"] = (start + dt.timedelta(days=horizon - 1)).isoformat()
    return out
