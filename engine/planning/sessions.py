"""A session while it is being built: items with their rank and reasons, then a `Session`.

Also the default per-session template (`BASE_QUOTA`) and the drop order used to fit a session
into its minutes (`fit`): lowest rank first, each drop reported as a warning.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from stridewise.models import Exercise, PlannedExercise, Session
from stridewise.planning.prescribe import Dose, is_heavy
from stridewise.planning.resolve import Requirement, Resolved
from stridewise.planning.schedule import Slot

__all__ = ["BASE_QUOTA", "DEFAULT_BECAUSE", "DROP_RANK", "Draft", "Item", "fit", "minutes_limit"]

# The default template (per session) when no emphasis says otherwise, in session order:
# warm-up mobility, plyometrics while fresh, strength, balance, core, upper body, cool-down.
BASE_QUOTA: dict[str, int] = {
    "joint_mobility": 1,
    "plyometrics": 1,
    "functional_strength": 2,
    "stability_balance": 1,
    "core": 1,
    "upper_body": 1,
    "flexibility_recovery": 1,
}
# What goes first when a session is too long (lowest priority first); emphasis raises a rank.
DROP_RANK: dict[str, float] = {
    "flexibility_recovery": 1,
    "upper_body": 2,
    "stability_balance": 3,
    "joint_mobility": 4,
    "core": 5,
    "plyometrics": 6,
    "functional_strength": 7,
}
DEFAULT_BECAUSE = "planner:default"


@dataclass
class Item:
    exercise: Exercise
    dose: Dose
    rank: float
    because: list[str] = field(default_factory=list)
    reason: str = ""  # the protocol id when a protocol put the item there
    requirement: Requirement | None = None


class Draft:
    """A session being built: its slot and items."""

    def __init__(self, slot: Slot, protocol_only: bool = False) -> None:
        self.slot = slot
        self.items: list[Item] = []
        self.protocol_only = protocol_only

    def ids(self) -> set[str]:
        return {i.exercise.id for i in self.items}

    def minutes(self) -> float:
        return sum(i.dose.minutes for i in self.items)

    def build(self) -> Session:
        order = {c: n for n, c in enumerate(BASE_QUOTA)}
        items = sorted(
            self.items,
            key=lambda i: (min((order.get(c, 99) for c in i.exercise.categories), default=99),),
        )
        planned = [
            PlannedExercise(i.exercise, i.dose.prescription, i.because or [DEFAULT_BECAUSE])
            for i in items
        ]
        return Session(
            day_offset=self.slot.day_offset,
            date=self.slot.date,
            weekday=self.slot.weekday,
            after_run=self.slot.after_run,
            hours_from_run=self.slot.hours_from_run,
            duration_min=int(math.ceil(round(self.minutes(), 6))) if items else 0,
            focus=self.focus(),
            exercises=planned,
        )

    def focus(self) -> str:
        if self.protocol_only:
            return "rehab protocol: " + ", ".join(sorted({i.reason for i in self.items}))
        counts: dict[str, int] = {}
        for item in self.items:
            for cat in item.exercise.categories[:1]:
                counts[cat] = counts.get(cat, 0) + 1
        top = sorted(counts, key=lambda c: (-counts[c], list(BASE_QUOTA).index(c)
                                            if c in BASE_QUOTA else 99))[:2]
        if any(is_heavy(i.exercise, i.dose.prescription) for i in self.items):
            kind = "heavy: "
        else:
            kind = "" if self.slot.heavy else "light: "
        return kind + " + ".join(t.replace("_", " ") for t in top)


def minutes_limit(facts: Mapping[str, Any], res: Resolved) -> float | None:
    limits = [facts.get("session_minutes_max"), res.bound("session_minutes").max]
    present = [float(x) for x in limits if x is not None]
    return min(present) if present else None


def fit(sess: Draft, limit: float | None, warnings: list[str]) -> None:
    """Drop the lowest-ranked items until the session fits `limit` minutes, warning per drop."""
    if limit is None:
        return
    while sess.items and sess.minutes() > limit + 1e-9:
        victim = min(reversed(sess.items), key=lambda i: i.rank)
        sess.items.remove(victim)
        unmet = ""
        if victim.requirement is not None:
            unmet = (f"; requirement {victim.requirement.label()} from rule(s) "
                     f"{', '.join(repr(r) for r in victim.requirement.because)} is not met")
        elif victim.reason:
            unmet = f"; protocol '{victim.reason}' is not done that day"
        warnings.append(
            f"Day {sess.slot.day_offset} ({sess.slot.weekday} {sess.slot.date}): dropped "
            f"'{victim.exercise.id}' ({', '.join(victim.exercise.categories)}) to fit "
            f"{limit:g} minutes{unmet}."
        )
