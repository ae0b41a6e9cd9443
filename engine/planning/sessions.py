"""A session while it is being built: items with their rank and reasons, then a `Session`.

Also the default per-session template (`BASE_QUOTA`) and the drop order used to fit a session
into its minutes (`fit`): lowest rank first, each drop reported as a warning.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from stridewise.models import Exercise, PlannedExercise, Session, session_minutes
from stridewise.planning.prescribe import Dose, is_heavy, is_plyometric
from stridewise.planning.resolve import Requirement, Resolved
from stridewise.planning.schedule import Slot
from stridewise.tables import Table

__all__ = [
    "BASE_QUOTA",
    "DEFAULT_BECAUSE",
    "DROP_RANK",
    "ONE_PER_SESSION",
    "WARM_UP",
    "WARM_UP_BECAUSE",
    "Draft",
    "Item",
    "fit",
    "fits_session",
    "minutes_limit",
]

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
WARM_UP = "joint_mobility"  # the category a session opens with
WARM_UP_BECAUSE = "planner:warm-up"
# Patterns a session holds once (outside rehab protocols): two calf exercises, a back squat with
# a front squat, or a hex-bar deadlift with an RDL double one tissue's load for little gain.
ONE_PER_SESSION = frozenset(("calf_raise", "bilateral_squat", "bilateral_hinge"))


def fits_session(
    sess: Draft, ex: Exercise, history: frozenset[str], named: frozenset[str] = frozenset(),
    picked: Iterable[Exercise] = (),
) -> bool:
    """Whether the planner may add `ex` to this session as general or required work.

    Not plyometrics on a no-plyometric day; not high-eccentric work (Nordics) on a light day or
    when it is not in `history` (it is introduced through a protocol's ramp instead); not a
    rehab-only exercise unless a rule `named` it; not a second exercise of a one-per-session
    pattern.
    """
    if not sess.slot.plyometric and is_plyometric(ex):
        return False
    if "high_eccentric" in ex.tags and (not sess.slot.heavy or ex.id not in history):
        return False
    if ex.rehab_only and ex.id not in named:
        return False
    patterns = ONE_PER_SESSION.intersection(ex.tags)
    if not patterns:
        return True
    present = [i.exercise for i in sess.items if not i.reason] + list(picked)
    return all(patterns.isdisjoint(other.tags) for other in present)


@dataclass(slots=True)
class Item:
    exercise: Exercise
    dose: Dose
    rank: float
    because: list[str] = field(default_factory=list)
    reason: str = ""  # the protocol id when a protocol put the item there
    requirement: Requirement | None = None
    warm_up: bool = False
    bouts: int = 1  # bouts per day (twice-daily protocols: 2)
    apart: bool = False  # the second bout is done apart from the session (not counted)


def _counted(item: Item) -> float:
    """An item's minutes in its session: both bouts, unless the second is done apart."""
    return item.dose.minutes * (1 if item.apart else item.bouts)


class Draft:
    """A session being built: its slot and items."""

    __slots__ = ("home", "items", "picked", "protocol_only", "slot")

    def __init__(self, slot: Slot, protocol_only: bool = False) -> None:
        self.slot = slot
        self.items: list[Item] = []
        self.protocol_only = protocol_only
        self.home = False  # a protocol-only session on a day the athlete did not offer
        self.picked: Any = None  # what ranking counted of the items (`ranking.Picked`)

    def ids(self) -> set[str]:
        return {i.exercise.id for i in self.items}

    def minutes(self) -> float:
        return sum(i.dose.minutes * (1 if i.apart else i.bouts) for i in self.items)  # _counted

    def build(self) -> Session:
        slot = self.slot
        planned = [
            PlannedExercise(i.exercise, i.dose.prescription, i.because or [DEFAULT_BECAUSE],
                            i.bouts, i.reason or None, None, None, _counted(i))
            for i in sorted(self.items, key=_done_order)
        ]
        return Session(slot.day_offset, slot.date, slot.weekday, slot.after_run,
                       slot.hours_from_run, session_minutes(planned), self.focus(), planned,
                       self.home)

    def focus(self) -> str:
        if self.protocol_only:
            return "rehab protocol: " + ", ".join(sorted({i.reason for i in self.items}))
        counts: dict[str, int] = {}  # items per first category
        heavy = False
        for item in self.items:
            ex = item.exercise
            if ex.categories:
                cat = ex.categories[0]
                counts[cat] = counts.get(cat, 0) + 1
            if not heavy and is_heavy(ex, item.dose.prescription):
                heavy = True
        top = sorted(counts, key=lambda c: (-counts[c], _ORDER.get(c, 99)))[:2]
        kind = "heavy: " if heavy else "" if self.slot.heavy else "light: "
        label = "post-race " if self.slot.post_race else ""
        return label + kind + " + ".join(t.replace("_", " ") for t in top)


_ORDER = {c: n for n, c in enumerate(BASE_QUOTA)}


def _done_order(item: Item) -> tuple[int, int, int]:
    """The order a session is done in: the warm-up first, then by category as in `BASE_QUOTA`
    (plyometrics while fresh, then strength), heavy main lifts before accessories, rehab
    protocol work after the lifts of its category."""
    if item.warm_up:
        return (-1, 0, 0)
    ex = item.exercise
    category = _FIRST.get(ex.categories)
    if category is None:
        category = _FIRST.put(ex.categories, min(
            (_ORDER.get(c, 99) for c in ex.categories), default=99))
    return (category, 0 if "heavy_capable" in ex.tags else 1, 1 if item.reason else 0)


_FIRST: Table[tuple[str, ...], int] = Table(1024)  # categories -> the earliest one's place


def minutes_limit(facts: Mapping[str, Any], res: Resolved) -> float | None:
    limits = [facts.get("session_minutes_max"), res.bound("session_minutes").max]
    present = [float(x) for x in limits if x is not None]
    return min(present) if present else None


def fit(sess: Draft, limit: float | None, warnings: list[str]) -> None:
    """Drop the lowest-ranked items until the session fits `limit` minutes, warning per drop.

    General and required work goes first. If that is enough, the minutes its drops left over
    go back to what was dropped: an item that fits what is left returns, the last dropped
    (the highest ranked) first, and is not reported (a 31-minute session cut to 26 of 30 gets
    its 3-minute plank back). Otherwise a twice-daily protocol's evening bout stops counting
    (it is a separate home bout, said in a warning), then protocol items go, and the warm-up
    last: a session never loses its warm-up while anything else is left.
    """
    if limit is None:
        return
    rest = [i for i in sess.items if not i.warm_up and not i.reason]  # general and required
    dropped: list[Item] = []
    while rest and sess.minutes() > limit + 1e-9:
        victim = min(reversed(rest), key=lambda i: i.rank)
        rest.remove(victim)
        sess.items.remove(victim)
        dropped.append(victim)
    if dropped and sess.minutes() <= limit + 1e-9:  # refill what fits, highest ranked first
        left = limit - sess.minutes()
        back: set[int] = set()
        for item in reversed(dropped):
            if _counted(item) <= left + 1e-9:
                sess.items.append(item)
                left -= _counted(item)
                back.add(id(item))
        dropped = [i for i in dropped if id(i) not in back]
    for victim in dropped:
        warnings.append(_dropped(sess, victim, limit))
    while sess.items and sess.minutes() > limit + 1e-9:
        twice = [i for i in sess.items if i.reason and i.bouts > 1 and not i.apart]
        if twice:
            item = twice[0]
            item.apart = True
            warnings.append(
                f"Day {sess.slot.day_offset} ({sess.slot.weekday} {sess.slot.date}): the second "
                f"bout of '{item.exercise.id}' (protocol '{item.reason}') is a separate home "
                f"exercise later in the day, not counted in the {limit:g} minutes."
            )
            continue
        pool = [i for i in sess.items if not i.warm_up] or sess.items
        victim = min(reversed(pool), key=lambda i: i.rank)
        sess.items.remove(victim)
        warnings.append(_dropped(sess, victim, limit))


def _dropped(sess: Draft, victim: Item, limit: float) -> str:
    """The warning for an item dropped to fit `limit` minutes, with what goes unmet."""
    unmet = ""
    if victim.requirement is not None:
        unmet = (f"; requirement {victim.requirement.label()} from rule(s) "
                 f"{', '.join(repr(r) for r in victim.requirement.because)} is not met")
    elif victim.reason:
        unmet = f"; protocol '{victim.reason}' is not done that day"
    return (f"Day {sess.slot.day_offset} ({sess.slot.weekday} {sess.slot.date}): dropped "
            f"'{victim.exercise.id}' ({', '.join(victim.exercise.categories)}) to fit "
            f"{limit:g} minutes{unmet}.")
