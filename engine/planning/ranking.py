"""This week's preferences and the ranked picks a session takes from a pool.

`week_scores` gives every allowed exercise its preference for one week of one athlete (tag
emphasis times a stable per-athlete draw; main lifts held per phase or block), sorted once;
`rank` walks a pool in that order and returns what a session may take, with doses. What
depends only on the catalog (`traits`: what `sessions.fits_session` reads of an exercise) or
only on the resolved directives and the candidates (`ScoreTable`: each allowed exercise's
emphasis weight) is computed once and kept; only the draws and the walk are per request.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from stridewise.models import Exercise
from stridewise.planning.prescribe import Dose, Doser, is_plyometric
from stridewise.planning.resolve import Resolved
from stridewise.planning.schedule import stable_unit, stable_units
from stridewise.planning.season import is_main_lift
from stridewise.planning.selection import Candidates
from stridewise.planning.sessions import ONE_PER_SESSION, Draft, Item

__all__ = [
    "AVOIDED",
    "FAMILIAR",
    "MAIN_LIFT",
    "PINNED",
    "UNPINNED",
    "Picked",
    "Scores",
    "Traits",
    "rank",
    "traits_of",
    "week_scores",
]

FAMILIAR = 3.0  # preference for a main lift the athlete already does (exercise_history)
MAIN_LIFT = 1.5  # a heavy squat, hinge or lunge before a heavy calf raise (an accessory)
PINNED = 1000.0  # a pinned main lift's score: above any emphasis times draw
AVOIDED = 0.7  # the last block's main lifts in a block's first week: rotate them
UNPINNED = 0.01  # other main lifts while a block's are pinned: below a reused accessory

# What `sessions.fits_session` reads of an exercise: plyometric, high-eccentric, rehab-only,
# and its one-per-session patterns.
Traits = tuple[bool, bool, bool, frozenset[str]]


def traits_of(cands: Candidates) -> dict[str, Traits]:
    """Exercise id -> its `Traits`, for the whole catalog: kept on the catalog `Pool`."""
    pool = cands.pool_
    found: dict[str, Traits] | None = pool.derived.get("traits") if pool is not None else None
    if found is None:
        every = pool.every if pool is not None else cands.allowed
        found = {ex.id: (is_plyometric(ex), "high_eccentric" in ex.tags, ex.rehab_only,
                         ONE_PER_SESSION.intersection(ex.tags)) for ex in every}
        if pool is not None:
            pool.derived["traits"] = found
    return found


class Scores(dict[str, float]):
    """Exercise id -> this week's preference, with pools pre-sorted best first."""

    def __init__(self, history: frozenset[str], traits: dict[str, Traits]) -> None:
        super().__init__()
        self.history = history  # the athlete's exercise_history
        self.traits = traits
        self.sorted: dict[Any, list[Exercise]] = {}
        self.best: list[Exercise] = []  # every positive-score exercise, best first
        self.position: dict[str, int] = {}  # best's ids -> place, when first needed
        self.categories_done = False  # the category pools are in `sorted`
        self._ranked: tuple[Any, ...] = ((), (), (), True)  # what rank_all ordered

    def rank_all(self, allowed: Sequence[Exercise], values: Sequence[float],
                 members: Sequence[tuple[tuple[str, str], list[int]]]) -> None:
        """Order every positive-score exercise once (ties by id); pools reuse the order.

        `values` are the scores of `allowed`, which is in id order (the catalog `Pool`'s), so
        a stable sort on the score alone breaks ties by id (`reverse` keeps it stable).
        `members`: each category's key and the places of its allowed exercises, ascending.
        """
        positive = values and min(values) > 0
        order = sorted(range(len(values)) if positive else [
            i for i, v in enumerate(values) if v > 0], key=values.__getitem__, reverse=True)
        self.best = list(map(allowed.__getitem__, order))
        self.position = {}  # built when a pool other than a category's is first ranked
        self._ranked = (allowed, values, members, positive)

    def _by_category(self) -> None:
        """Every category's pool in best-first order: its members sorted on their scores (a
        stable sort of places in id order: what filtering the whole order would give)."""
        self.categories_done = True
        lists = self.sorted
        allowed, values, members, positive = self._ranked
        score, pick = values.__getitem__, allowed.__getitem__
        for key, places in members:
            order = sorted(places, key=score, reverse=True)
            if not positive:
                order = [i for i in order if values[i] > 0]
            if order:
                lists[key] = list(map(pick, order))

    def ordered(self, pool: Sequence[Exercise], key: Any = None) -> list[Exercise]:
        """The pool's exercises with a positive score, best first (ties by id); `key` names
        the pool's contents (the same key, the same exercises) to sort it once a week:
        `("categories", name)` is always the allowed exercises of that category."""
        found = self.sorted.get(key) if key is not None else None
        if found is None and not self.categories_done and type(key) is tuple \
                and key[0] == "categories":
            self._by_category()
            found = self.sorted.get(key)
        if found is None:
            where = self.position
            best = self.best
            if not where:
                where = self.position = {ex.id: i for i, ex in enumerate(best)}
            found = [best[i] for i in sorted([where[ex.id] for ex in pool if ex.id in where])]
            if key is not None:
                self.sorted[key] = found
        return found


class _Table:
    """Per allowed exercise (in order): its id and emphasis weight (times `MAIN_LIFT` for a
    heavy squat, hinge or lunge); which are heavy_capable main lifts (drawn per athlete and
    main key); and per category the places of its exercises (`members`)."""

    __slots__ = ("heavy", "heavy_ids", "ids", "members", "memo", "weights")

    def __init__(self, cands: Candidates, res: Resolved) -> None:
        self.memo = res.memo
        emphasis = res.emphasis
        weights: dict[str, float] = res.memo.setdefault("tag_weights", {})
        keys = emphasis.keys()
        self.ids: list[str] = []
        self.weights: list[float] = []
        self.heavy: list[tuple[int, str, float]] = []  # (index, id, weight)
        for ex in cands.allowed:
            weight = weights.get(ex.id)
            if weight is None:
                weight = 1.0
                if not keys.isdisjoint(ex.tags):
                    for tag in ex.tags:
                        w = emphasis.get(tag)
                        if w is not None:
                            weight *= w
                weights[ex.id] = weight
            if "heavy_capable" in ex.tags:
                if "calf_raise" not in ex.tags:  # a squat, hinge or lunge is the main lift
                    weight *= MAIN_LIFT
                self.heavy.append((len(self.ids), ex.id, weight))
            self.ids.append(ex.id)
            self.weights.append(weight)
        self.heavy_ids = [ex_id for _, ex_id, _ in self.heavy]
        members: dict[tuple[str, str], list[int]] = {}  # category key -> places, ascending
        for place, ex in enumerate(cands.allowed):
            for cat in dict.fromkeys(ex.categories):  # a category listed twice counts once
                members.setdefault(("categories", cat), []).append(place)
        self.members = list(members.items())

    @classmethod
    def of(cls, cands: Candidates, res: Resolved) -> _Table:
        """The table for these candidates, kept on them: it depends only on the resolved
        emphasis and the candidates (built for one resolved directive set, whose memo is
        checked)."""
        found = cands.derived.get("score_table")
        if found is None or found.memo is not res.memo:
            found = cands.derived["score_table"] = cls(cands, res)
        return found


def week_scores(
    cands: Candidates, res: Resolved, seed: str, week: int, history: frozenset[str],
    main_key: str = "", season: Any = None,
) -> Scores:
    """Each allowed exercise's preference this week: tag emphasis times a per-athlete draw.

    The draw comes from a PRNG seeded with a blake2b hash of athlete_id and the week, so it is
    stable across calls and processes (never Python's hash()). Main lifts (heavy_capable) are
    drawn per athlete and `main_key` instead, so they stay the same week after week within a
    phase or block; squats, hinges and lunges are preferred 1.5:1 to heavy calf raises, and
    familiar ones (in exercise_history) 3:1. In a season, the
    block's pinned main lifts come first, in their order (other main lifts count a hundredth,
    so accessories fill extra slots), and the last block's main lifts count 0.7 times in a
    block's first week (`planning.loading.WeekStep`).
    """
    allowed = cands.allowed
    draw = random.Random(int(stable_unit(seed, "week", week) * 2**53)).random
    out = Scores(history, traits_of(cands))
    table = _Table.of(cands, res)
    values = [weight * (0.5 + draw()) for weight in table.weights]  # a draw each, in order
    if table.heavy:  # main lifts: per athlete and main_key instead
        lucks = stable_units((seed, "main", main_key), table.heavy_ids)
        for (index, ex_id, weight), luck in zip(table.heavy, lucks, strict=True):
            values[index] = (weight * FAMILIAR if ex_id in history else weight) * (0.5 + luck)
    out.update(zip(table.ids, values, strict=True))
    if season is not None:
        for ex_id in season.avoided:
            if ex_id in out:
                out[ex_id] *= AVOIDED
        if season.pinned or season.layout:  # the block's lifts; accessories fill the rest
            for ex in allowed:
                if is_main_lift(ex):
                    out[ex.id] *= UNPINNED
        for rank_, ex_id in enumerate(season.pinned):
            if ex_id in out:
                out[ex_id] = PINNED - rank_
        values = [out[ex.id] for ex in allowed]
    out.rank_all(allowed, values, table.members)
    return out


class Picked:
    """What ranking reads of a session's items, kept on the `Draft` between walks: their ids
    and the one-per-session patterns its general work holds (protocol items aside).

    A walk records its own picks here (every caller adds all of them to the session); it is
    rebuilt from the items whenever they are no longer what it counted.
    """

    __slots__ = ("count", "ids", "items", "patterns")

    def __init__(self, items: list[Item], traits: dict[str, Traits]) -> None:
        self.items = items
        self.count = len(items)
        self.ids = {item.exercise.id for item in items}
        self.patterns: set[str] = set()
        for item in items:
            if not item.reason and (held := traits[item.exercise.id][3]):
                self.patterns.update(held)


def rank(
    sess: Draft, pool: Sequence[Exercise], doser: Doser, scores: Scores,
    used: set[str], limit: int, key: Any = None, named: frozenset[str] = frozenset(),
) -> list[tuple[Exercise, Dose]]:
    """Up to `limit` allowed exercises of `pool` for this session, best first, with doses;
    the caller adds every one of them to the session.

    Best is the week's score, times 0.3 for an exercise already used this week (variety).
    Never picked here (`sessions.fits_session`, checked from each exercise's `Traits`):
    plyometrics on a no-plyometric day, high-eccentric work on a light day or when it is new
    to the athlete, rehab-only exercises unless `named` (a rule asked for them by id), and a
    second exercise of a one-per-session pattern (calf raise, bilateral squat, bilateral hinge).
    """
    if limit <= 0:
        return []
    slot = sess.slot
    light = not slot.heavy
    no_plyo = not slot.plyometric
    history = scores.history
    traits = scores.traits
    state = sess.picked
    if state is None or state.items is not sess.items or state.count != len(sess.items):
        state = sess.picked = Picked(sess.items, traits)
    taken = state.ids
    present = state.patterns  # one-per-session patterns of the session's general work
    out: list[tuple[Exercise, Dose]] = []
    stale: list[Exercise] = []  # used this week, in score order; they compete at 0.3x
    dose = doser.dose

    def take(ex: Exercise) -> bool:
        patterns = traits[ex.id][3]
        if patterns and not patterns.isdisjoint(present):
            return False  # a pattern one of this call's picks already holds
        found = dose(ex, light=light)
        if found is not None:
            out.append((ex, found))
            present.update(patterns)
            taken.add(ex.id)
            state.count += 1  # the caller adds it to the session
        return len(out) >= limit

    walk = scores.sorted.get(key) if key is not None else None  # sorted once a week
    for ex in walk if walk is not None else scores.ordered(pool, key):
        ex_id = ex.id
        if ex_id in taken:
            continue
        plyo, eccentric, rehab, patterns = traits[ex_id]
        if ((plyo and no_plyo) or (eccentric and (light or ex_id not in history))
                or (rehab and ex_id not in named)
                or (patterns and not patterns.isdisjoint(present))):
            continue
        if ex_id in used:
            stale.append(ex)
            continue
        score = scores[ex_id]
        while stale and scores[stale[0].id] * 0.3 > score:
            if take(stale.pop(0)):
                return out
        if take(ex):
            return out
    for ex in stale:
        if take(ex):
            break
    return out
