"""One week of a season, dosed: progression, deload and plyometric contacts on the drafts.

`SeasonState` walks a plan's weeks in order. For each week it gives the planner a `WeekStep`
(under the planner-only facts key `schedule.SEASON`), and after the week is planned it records
what the athlete will actually lift (`record`), which the next week's ramp cap, `hold` loads,
deload limit and plyometric contacts start from. The planner calls `WeekStep.apply` once the
week's sessions are filled, before protocols are added and sessions fit their minutes.

The step also carries the week's main-lift preference: from a block's second week on, each
session holds the main lifts the same session of the block's first week held (its `layout`:
stable within a block, so they can progress); a block's
first week steers away from the last block's main lifts (rotated between blocks), except in
peak, taper and competition, which keep the lifts of the week before (familiar lifts close
to racing).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from stridewise.models import Exercise, Intensity, Plan
from stridewise.planning.prescribe import LIGHT_CAP, Dose, Doser, is_plyometric
from stridewise.planning.progression import (
    DeloadParams,
    Place,
    PlyoParams,
    ProgressionParams,
    Start,
    deload_limit,
    deload_sets,
    plyo_contacts,
    ramp_cap,
    ranges,
    target,
)
from stridewise.planning.resolve import Requirement
from stridewise.planning.season import Week, is_main_lift, is_main_lower
from stridewise.planning.sessions import DEFAULT_BECAUSE, Draft, Item

__all__ = ["SeasonState", "WeekParams", "WeekStep", "week_params"]

MAINTENANCE_PHASES = frozenset({"peak", "taper", "competition"})


@dataclass(frozen=True)
class WeekParams:
    """The progression parameters one week's rules resolved to (None: not in this phase)."""

    progression: ProgressionParams | None = None
    deload: DeloadParams | None = None
    plyo: PlyoParams | None = None


def week_params(facts: Mapping[str, Any], resolved: Any) -> WeekParams:
    """The progression parameters one week's rules resolved to (`progression`,
    `deload_weeks`, `plyo_progression`; `stridewise.directives.season`). None where no rule
    set one: the week keeps the rules' doses, under the season's 10 % ramp cap."""
    out: dict[str, Any] = {}
    for name, cls, key in (("progression", ProgressionParams, "progression"),
                           ("deload_weeks", DeloadParams, "deload"),
                           ("plyo_progression", PlyoParams, "plyo")):
        value = resolved.value(name)
        if value:
            if name == "deload_weeks":
                value = {**value}
                value["every_weeks"] = value.pop("every")
            out[key] = cls(**value, because=tuple(resolved[name].because))
    return WeekParams(**out)


# The season's main-lift requirement is cut from a session too long for its minutes as a rule
# of priority 50 would be: after general work and after what the phases and the 50+ balance
# rule require (priorities 0-45), before what injury rules and the 65+ safety rule require
# (55-80), like the base template's lower-body strength (`require.priority: 50`). The heavy
# lifts are what strength training gives a runner's economy (Rønnestad & Mujika 2014, Scand J
# Med Sci Sports 24:603; Blagrove et al. 2018, Sports Med 48:1117).
MAIN_LIFT_PRIORITY = 50


@dataclass
class WeekStep:
    """What the season asks of one week's plan (see the module docstring)."""

    week: Week
    params: WeekParams
    tops: dict[str, float] = field(default_factory=dict)  # last week's top load per lift
    reference: float | None = None  # top main-lift load of the last week that had one
    previous_sets: int | None = None  # heavy lower-body sets last week
    previous_contacts: int | None = None  # plyometric contacts per set last week
    pinned: tuple[str, ...] = ()
    layout: tuple[tuple[str, ...], ...] = ()  # the block's first week: main lifts per session
    avoided: frozenset[str] = frozenset()
    target_days: frozenset[int] = frozenset()

    def main_pool(self, cands: Any, layout: bool = False) -> list[Exercise]:
        """What each heavy session must hold one of: the pinned (with `layout`: the block's)
        lower-body main lifts (heavy ones first), else any of them; without any, any allowed
        heavy lower-body main lift."""
        ids = dict.fromkeys(e for s in self.layout for e in s) if layout else self.pinned
        pinned = [cands.by_id[e] for e in ids if e in cands.by_id]
        lower = [e for e in pinned if "lower_body" in e.tags]
        heavy = [e for e in lower if "heavy_capable" in e.tags]
        if heavy or lower or pinned:
            return heavy or lower or pinned
        return [e for e in cands.allowed if is_main_lower(e) and is_main_lift(e)]

    def requirement(self, pool: Sequence[Exercise], count: int = 1) -> Requirement:
        """`count` exercises of `pool` in a session (every heavy one, or one by layout)."""
        because = list((self.params.progression.because if self.params.progression else ())
                       or (DEFAULT_BECAUSE,))
        return Requirement((), (), tuple(e.id for e in pool), count, "session", because,
                           MAIN_LIFT_PRIORITY)

    def apply(self, sessions: Sequence[Draft], doser: Doser) -> None:
        """Dose the week's filled sessions (protocol items are left to their protocol)."""
        deload = self.params.deload if self.week.deload else None
        for sess in sessions:
            for item in sess.items:
                if item.reason:
                    continue
                if is_main_lift(item.exercise):
                    self._lift(item, doser, sess.slot.heavy, deload)
                elif is_plyometric(item.exercise) and item.dose.prescription.ground_contacts:
                    self._plyo(item, deload)
                elif deload is not None:
                    _resize(item, deload_sets(item.dose.prescription.sets, deload),
                            deload.because)
        if deload is not None and self.previous_sets is not None:
            _trim(sessions, deload_limit(self.previous_sets), deload.because)

    def _lift(self, item: Item, doser: Doser, heavy_day: bool,
              deload: DeloadParams | None) -> None:
        rx = item.dose.prescription
        full = doser.dose(item.exercise, light=False)
        base = (full or item.dose).prescription
        pct_range, reps_range = ranges(doser.bounds(item.exercise))
        start = Start(base.intensity.pct_1rm, base.reps, base.sets, pct_range, reps_range)
        progression = self.params.progression
        because: list[str] = []
        pct, reps, sets = start.pct, start.reps, start.sets
        if progression is not None:
            place = Place(self.week.step, self.week.position, self.week.deload)
            held = self.tops.get(item.exercise.id, self.reference)
            goal = target(start, place, progression, held)
            pct, reps = goal.pct, goal.reps
            if goal.changed:
                because.extend(progression.because)
        if deload is not None:
            sets = deload_sets(sets, deload)
            if pct is not None:
                pct = round(pct * (1 - deload.intensity_cut_pct / 100) * 2) / 2
            because.extend(deload.because)
        if not heavy_day and pct is not None:  # a light day: the progression, capped light
            pct = min(pct, LIGHT_CAP["pct_1rm"])
        pct = ramp_cap(pct, self.tops.get(item.exercise.id, self.reference))
        load = rx.intensity
        intensity = load if pct == load.pct_1rm else Intensity(pct, load.rpe, load.rir)
        new = dataclasses.replace(rx, sets=sets, reps=reps, intensity=intensity)
        if new != rx:
            item.dose = _scaled(item.dose, new)
            item.because.extend(r for r in because if r not in item.because)

    def _plyo(self, item: Item, deload: DeloadParams | None) -> None:
        plyo = self.params.plyo
        rx = item.dose.prescription
        if plyo is None and deload is None:
            return
        contacts = rx.ground_contacts
        if plyo is not None:
            contacts = plyo_contacts(rx.ground_contacts, self.previous_contacts, plyo, deload)
        elif deload is not None and contacts is not None:
            contacts = max(min(5, contacts), int(contacts * (1 - deload.volume_cut_pct / 100)))
        if contacts != rx.ground_contacts:
            item.dose = _scaled(item.dose, dataclasses.replace(rx, ground_contacts=contacts))
            rules = (plyo.because if plyo is not None else ()) + (
                deload.because if deload is not None else ())
            item.because.extend(r for r in rules if r not in item.because)


def _scaled(dose: Dose, new: Any) -> Dose:
    """A dose with a new prescription; minutes scale with the sets."""
    old = dose.prescription
    minutes = dose.minutes * new.sets / max(1, old.sets)
    return Dose(new, round(max(1.0, minutes), 1), dose.because)


def _resize(item: Item, sets: int, because: Sequence[str]) -> None:
    rx = item.dose.prescription
    if sets != rx.sets:
        item.dose = _scaled(item.dose, dataclasses.replace(rx, sets=sets))
        item.because.extend(r for r in because if r not in item.because)


def _trim(sessions: Sequence[Draft], limit: int, because: Sequence[str]) -> None:
    """Cut heavy lower-body sets (largest first, then whole exercises, last placed first)
    until the week holds at most `limit`."""
    lifts = [i for s in sessions for i in s.items if not i.reason and is_main_lower(i.exercise)]
    total = sum(i.dose.prescription.sets for i in lifts)
    while total > limit and lifts:
        biggest = max(lifts, key=lambda i: i.dose.prescription.sets)
        if biggest.dose.prescription.sets > 1:
            _resize(biggest, biggest.dose.prescription.sets - 1, because)
            total -= 1
            continue
        victim = lifts.pop()
        for sess in sessions:
            if victim in sess.items:
                sess.items.remove(victim)
        total -= victim.dose.prescription.sets


class SeasonState:
    """What the weeks planned so far leave for the next one (see the module docstring)."""

    def __init__(self) -> None:
        self.tops: dict[str, float] = {}
        self.reference: float | None = None
        self.previous_sets: int | None = None
        self.previous_contacts: int | None = None
        self.block_lifts: dict[str, tuple[str, ...]] = {}  # block name -> its main lifts
        self.block_sessions: dict[str, tuple[tuple[str, ...], ...]] = {}  # … per session
        self.lifts: tuple[str, ...] = ()  # last week's main lifts

    def step(self, week: Week, params: WeekParams,
             target_days: frozenset[int] = frozenset()) -> WeekStep:
        pinned = self.block_lifts.get(week.block, ()) if week.position else ()
        avoided: frozenset[str] = frozenset()
        if week.position == 0 and self.block_lifts:
            last = next(reversed(self.block_lifts.values()))
            if week.phase in MAINTENANCE_PHASES:  # close to racing: keep the familiar lifts
                pinned = tuple(dict.fromkeys(self.lifts + last))
            else:
                avoided = frozenset(last)
        layout = self.block_sessions.get(week.block, ()) if week.position else ()
        return WeekStep(
            week, params, dict(self.tops), self.reference, self.previous_sets,
            self.previous_contacts, pinned=() if layout else pinned, layout=layout,
            avoided=avoided, target_days=target_days,
        )

    def record(self, week: Week, plan: Plan) -> None:
        """Remember what this week's plan prescribes (its own days only)."""
        last = week.first + week.days
        trained = [pe for s in plan.sessions if week.first <= s.day_offset < last
                   for pe in s.exercises if not pe.protocol]
        tops: dict[str, float] = {}
        order: list[str] = []
        for pe in trained:
            if not is_main_lift(pe.exercise):
                continue
            if pe.exercise.id not in order:
                order.append(pe.exercise.id)
            pct = pe.prescription.intensity.pct_1rm
            if pct is not None:
                tops[pe.exercise.id] = max(pct, tops.get(pe.exercise.id, 0.0))
        self.tops = tops
        if tops:
            self.reference = max(tops.values())
        self.previous_sets = sum(pe.prescription.sets for pe in trained
                                 if is_main_lower(pe.exercise))
        contacts = [pe.prescription.ground_contacts for pe in trained
                    if is_plyometric(pe.exercise) and pe.prescription.ground_contacts]
        if not week.deload:  # after a deload, contacts grow from the last loading week's
            self.previous_contacts = max(contacts) if contacts else None
        per_session = tuple(
            tuple(dict.fromkeys(pe.exercise.id for pe in s.exercises
                                if not pe.protocol and is_main_lift(pe.exercise)))
            for s in plan.sessions if week.first <= s.day_offset < last)
        if any(per_session) and not any(self.block_sessions.get(week.block, ())):
            self.block_sessions[week.block] = per_session
        if week.position == 0:  # a first week without main lifts pins the last ones
            self.block_lifts[week.block] = tuple(order) or self.lifts
        elif not self.block_lifts.get(week.block):
            self.block_lifts[week.block] = tuple(order)
        if order:
            self.lifts = tuple(order)
