"""Select, prescribe and place exercises: a validated context + `Resolved` -> `Plan`.

Steps: remove every candidate an exclusion or constraint rules out (each removal recorded);
warn about requirements nothing can meet any more; choose the days (`planning.schedule`); fill
each session — per-session and per-week requirements first, then category quotas (the default
template times category emphasis; within a category, tag emphasis and a stable per-athlete hash
decide); add rehab protocols on their own days; dose every item (`planning.prescribe`); drop the
lowest-priority items until each session fits its minutes, warning for each drop; then let
plugin directives adjust the plan. The same context always gives the same plan.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from stridewise.models import Exercise, Plan
from stridewise.planning.notes import effective_rules, honest_notes
from stridewise.planning.prescribe import Dose, Doser, is_heavy
from stridewise.planning.protocols import protocol_notes, schedule_protocols
from stridewise.planning.resolve import Requirement, Resolved
from stridewise.planning.schedule import SEASON, place_sessions, stable_unit
from stridewise.planning.season import is_main_lift, is_main_lower
from stridewise.planning.selection import Candidates, Pool, filter_candidates
from stridewise.planning.sessions import (
    BASE_QUOTA,
    DEFAULT_BECAUSE,
    DROP_RANK,
    WARM_UP,
    WARM_UP_BECAUSE,
    WARM_UP_RANK,
    Draft,
    Item,
    fit,
    fits_session,
    minutes_limit,
)

__all__ = ["BASE_QUOTA", "DEFAULT_BECAUSE", "MAIN_LIFTS", "main_lift_key", "plan"]

REQUIRED_RANK = 100.0
PINNED = 1000.0  # a pinned main lift's score: above any emphasis times draw
AVOIDED = 0.7  # the last block's main lifts in a block's first week: rotate them
UNPINNED = 0.01  # other main lifts while a block's are pinned: below a reused accessory


def plan(
    facts: Mapping[str, Any],
    resolved: Resolved,
    exercises: Iterable[Exercise] | Pool,
    constraints: Mapping[str, Any] | None = None,
) -> Plan:
    """Build the plan for one context's facts (after rules) under the resolved directives."""
    warnings = list(resolved.warnings)
    seed = str(facts.get("athlete_id") or "")
    cands = filter_candidates(exercises, facts, resolved, constraints or {}, warnings)
    slots = place_sessions(facts, resolved, seed, warnings)
    doser = Doser.of(resolved)
    sessions = [Draft(slot) for slot in slots]
    season = facts.get(SEASON)  # a week of a season (planning.loading.WeekStep), or None
    _fill(sessions, cands, resolved, doser, seed, warnings, facts)
    if season is not None:
        season.apply(sessions, doser)
    proto_sessions = schedule_protocols(sessions, cands, resolved, facts, warnings)
    limit = minutes_limit(facts, resolved)
    for sess in sessions + proto_sessions:
        fit(sess, limit, warnings)
    for sess in sessions:
        if not sess.items:
            warnings.append(
                f"Day {sess.slot.day_offset} ({sess.slot.weekday} {sess.slot.date}): no allowed "
                f"exercise fits this session, so it was left out."
            )
    everything = sorted(
        (s for s in sessions + proto_sessions if s.items), key=lambda s: s.slot.day_offset
    )
    for ex_id in sorted({i.exercise.id for s in everything for i in s.items}):
        for message in doser.warnings.get(ex_id, ()):
            if message not in warnings:
                warnings.append(message)
    result = Plan(
        phase=facts.get("phase"),
        start_date=str(facts["start_date"]),
        horizon_days=int(facts["horizon_days"]),
        sessions=[s.build() for s in everything],
        excluded=cands.excluded,
        warnings=warnings,
        notes=honest_notes(resolved, effective_rules(everything, cands.excluded, facts, resolved),
                           everything)
        + protocol_notes(resolved, everything, facts),
    )
    for spec, value in resolved.applied():  # stage "plan": in registry order
        result = spec.apply(result, value, facts)
    return result


def _rank(
    sess: Draft, pool: Sequence[Exercise], doser: Doser, scores: _Scores,
    used: set[str], limit: int, key: Any = None, named: frozenset[str] = frozenset(),
) -> list[tuple[Exercise, Dose]]:
    """Up to `limit` allowed exercises of `pool` for this session, best first, with doses.

    Best is the week's score, times 0.3 for an exercise already used this week (variety).
    Never picked here (`sessions.fits_session`): plyometrics on a no-plyometric day,
    high-eccentric work on a light day or when it is new to the athlete, rehab-only exercises
    unless `named` (a rule asked for them by id), and a second exercise of a one-per-session
    pattern (calf raise, bilateral squat, bilateral hinge).
    """
    if limit <= 0:
        return []
    taken = sess.ids()
    light = not sess.slot.heavy
    out: list[tuple[Exercise, Dose]] = []
    stale: list[Exercise] = []  # used this week, in score order; they compete at 0.3x

    def take(ex: Exercise) -> bool:
        if not fits_session(sess, ex, scores.history, named, (e for e, _ in out)):
            return False
        dose = doser.dose(ex, light=light)
        if dose is not None:
            out.append((ex, dose))
        return len(out) >= limit

    for ex in scores.ordered(pool, key):
        if ex.id in taken or not fits_session(sess, ex, scores.history, named):
            continue
        if ex.id in used:
            stale.append(ex)
            continue
        score = scores[ex.id]
        while stale and scores[stale[0].id] * 0.3 > score:
            if take(stale.pop(0)):
                return out
        if take(ex):
            return out
    for ex in stale:
        if take(ex):
            break
    return out


class _Scores(dict[str, float]):
    """Exercise id -> this week's preference, with pools pre-sorted best first."""

    def __init__(self, history: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.history = history  # the athlete's exercise_history
        self.sorted: dict[Any, list[Exercise]] = {}
        self.best: list[Exercise] = []  # every positive-score exercise, best first
        self.position: dict[str, int] = {}

    def rank_all(self, allowed: Sequence[Exercise]) -> None:
        """Order every positive-score exercise once (ties by id); pools reuse the order.

        `allowed` is in id order (the catalog `Pool`'s), so a stable sort on the score alone
        breaks ties by id.
        """
        get = self.__getitem__
        self.best = sorted((ex for ex in allowed if get(ex.id) > 0), key=lambda ex: -get(ex.id))
        self.position = {ex.id: i for i, ex in enumerate(self.best)}

    def ordered(self, pool: Sequence[Exercise], key: Any = None) -> list[Exercise]:
        """The pool's exercises with a positive score, best first (ties by id)."""
        found = self.sorted.get(key) if key is not None else None
        if found is None:
            where = self.position
            best = self.best
            found = [best[i] for i in sorted([where[ex.id] for ex in pool if ex.id in where])]
            if key is not None:
                self.sorted[key] = found
        return found


FAMILIAR = 3.0  # preference for a main lift the athlete already does (exercise_history)
MAIN_LIFT = 1.5  # a heavy squat, hinge or lunge before a heavy calf raise (an accessory)
MAIN_LIFTS = "_main_lifts"  # planner-only fact: the key main lifts are drawn with (a block id)


def main_lift_key(facts: Mapping[str, Any]) -> str:
    """The key the main lifts (heavy_capable exercises) are drawn with: the planner-only fact
    `_main_lifts` when a season planner sets it (one value per training block holds the main
    lifts fixed across the block so they can be progressed), else the phase."""
    return str(facts.get(MAIN_LIFTS) or facts.get("phase") or "")


def _scores(
    allowed: Sequence[Exercise], res: Resolved, seed: str, week: int, history: frozenset[str],
    main_key: str = "",
    season: Any = None,
) -> _Scores:
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
    draw = random.Random(int(stable_unit(seed, "week", week) * 2**53)).random
    out = _Scores(history)
    emphasis = res.emphasis
    weights: dict[str, float] = res.memo.setdefault("tag_weights", {})
    keys = emphasis.keys()
    for ex in allowed:
        weight = weights.get(ex.id)
        if weight is None:
            weight = 1.0
            if not keys.isdisjoint(ex.tags):
                for tag in ex.tags:
                    w = emphasis.get(tag)
                    if w is not None:
                        weight *= w
            weights[ex.id] = weight
        luck = draw()
        if "heavy_capable" in ex.tags:
            luck = stable_unit(seed, "main", main_key, ex.id)
            if "calf_raise" not in ex.tags:  # a squat, hinge or lunge is the main lift
                weight *= MAIN_LIFT
            if ex.id in history:
                weight *= FAMILIAR
        out[ex.id] = weight * (0.5 + luck)
    if season is not None:
        for ex_id in season.avoided:
            if ex_id in out:
                out[ex_id] *= AVOIDED
        if season.pinned or season.layout:  # the block's lifts; accessories fill the rest
            for ex in allowed:
                if is_main_lift(ex):
                    out[ex.id] *= UNPINNED
        for rank, ex_id in enumerate(season.pinned):
            if ex_id in out:
                out[ex_id] = PINNED - rank
    out.rank_all(allowed)
    return out


def _fill(
    sessions: list[Draft], cands: Candidates, res: Resolved, doser: Doser, seed: str,
    warnings: list[str], facts: Mapping[str, Any],
) -> None:
    by_week: dict[int, list[Draft]] = {}
    for sess in sessions:
        by_week.setdefault(sess.slot.day_offset // 7, []).append(sess)
    quota = {
        c: round(BASE_QUOTA.get(c, 1) * res.emphasis.get(c, 1.0))
        for c in dict.fromkeys(
            [*BASE_QUOTA, *(k for k in res.emphasis if cands.having("categories", k))]
        )
    }
    pools: dict[int, list[Exercise]] = {}
    why = bool(res.emphasis_because)
    history = frozenset(facts.get("exercise_history") or ())
    season = facts.get(SEASON)
    for week, week_sessions in by_week.items():
        used: set[str] = set()
        scores = _scores(cands.allowed, res, seed, week, history, main_lift_key(facts), season)
        if season is not None and season.layout:  # each session: its block's main lifts
            for index, sess in enumerate(week_sessions):
                ids = season.layout[index % len(season.layout)]
                lifts = [cands.by_id[e] for e in ids if e in cands.by_id]
                if lifts:
                    _require(season.requirement(lifts, len(lifts)), [sess], lifts, doser,
                             scores, week, used, warnings)
                if sess.slot.heavy and not any(is_main_lower(e) and "heavy_capable" in e.tags
                                               for e in lifts):  # a heavy one of the block's
                    heavy = season.main_pool(cands, layout=True)
                    if heavy:
                        _require(season.requirement(heavy), [sess], heavy, doser, scores,
                                 week, used, warnings)
        elif season is not None:  # a main lift in each heavy session of a season
            lifts = season.main_pool(cands)
            heavy = [s for s in week_sessions if s.slot.heavy]
            if lifts and heavy:
                _require(season.requirement(lifts), heavy, lifts, doser, scores, week, used,
                         warnings)
        for req in res.requirements:
            pool = pools.get(id(req))
            if pool is None:
                pool = pools[id(req)] = cands.pool(req.scope())
            if not pool:
                continue  # already warned: every matching exercise is excluded
            _require(req, week_sessions, pool, doser, scores, week, used, warnings)
        for sess in week_sessions:
            have: dict[str, int] = {}  # items per category in this session so far
            for item in sess.items:
                for c in item.exercise.categories:
                    have[c] = have.get(c, 0) + 1
            for cat, count in quota.items():
                if count - have.get(cat, 0) <= 0:
                    continue
                ranked = _rank(sess, cands.having("categories", cat), doser, scores, used,
                               count - have.get(cat, 0), ("categories", cat))
                for ex, dose in ranked:
                    sess.items.append(Item(ex, dose, DROP_RANK.get(cat, 3) * res.emphasis.get(
                        cat, 1.0), _emphasis_because(res, cat, ex) if why else []))
                    used.add(ex.id)
                    for c in ex.categories:
                        have[c] = have.get(c, 0) + 1
            _pad(sess, cands, res, doser, scores, used, quota, warnings)
            _warm_up(sess, cands, doser, scores, used)
            slot = sess.slot
            for item in sess.items:
                extra = list(item.dose.because)
                if is_heavy(item.exercise, item.dose.prescription):
                    extra += slot.because  # lift after the run
                elif not slot.heavy and item.dose != doser.dose(item.exercise):
                    extra += slot.light_because  # its load was capped for this day
                item.because.extend(r for r in dict.fromkeys(extra) if r not in item.because)


def _warm_up(
    sess: Draft, cands: Candidates, doser: Doser, scores: _Scores, used: set[str]
) -> None:
    """Every session opens with a warm-up: its first joint-mobility item, never dropped to fit
    the minutes; one is added when the template and the requirements left none."""
    warm = next((i for i in sess.items if WARM_UP in i.exercise.categories), None)
    if warm is None:
        ranked = _rank(sess, cands.having("categories", WARM_UP), doser, scores, used, 1,
                       ("categories", WARM_UP))
        if not ranked:
            return
        ex, dose = ranked[0]
        warm = Item(ex, dose, 0.0, [WARM_UP_BECAUSE])
        sess.items.append(warm)
        used.add(ex.id)
    warm.rank = WARM_UP_RANK
    warm.warm_up = True


def _emphasis_because(res: Resolved, cat: str, ex: Exercise) -> list[str]:
    """The emphasis rules behind a template pick: its category's, its other categories' (a
    core + balance exercise also fills the core quota), then its tags'."""
    because = list(res.emphasis_because.get(cat, ()))
    for tag in (*ex.categories, *ex.tags):
        because.extend(r for r in res.emphasis_because.get(tag, ()) if r not in because)
    return because


def _pad(
    sess: Draft, cands: Candidates, res: Resolved, doser: Doser,
    scores: _Scores, used: set[str], quota: Mapping[str, int], warnings: list[str],
) -> None:
    """Add template exercises until the session reaches `session_minutes.min`, if any."""
    bound = res.bound("session_minutes")
    if bound.min is None or sess.minutes() >= bound.min:
        return
    pool = [ex for ex in cands.allowed if any(quota.get(c, 0) > 0 for c in ex.categories)]
    while sess.minutes() < bound.min:
        ranked = _rank(sess, pool, doser, scores, used, 1)
        if not ranked:
            warnings.append(
                f"Day {sess.slot.day_offset}: only {sess.minutes():g} minutes of allowed work, "
                f"below the {bound.min:g} minutes rule(s) {', '.join(map(repr, bound.because))} "
                f"ask for."
            )
            return
        ex, dose = ranked[0]
        cat = ex.categories[0]
        sess.items.append(Item(ex, dose, DROP_RANK.get(cat, 3) * 0.5, list(bound.because)))
        used.add(ex.id)


def _require(
    req: Requirement, week_sessions: list[Draft], pool: list[Exercise], doser: Doser,
    scores: _Scores, week: int, used: set[str], warnings: list[str],
) -> None:
    """Meet one requirement in a week: `count` per session, or `count` spread over the week."""
    n = len(week_sessions)
    match = req.matcher()
    if req.per == "session":
        shares = [req.count] * n
    else:
        shares = [req.count // n + (1 if i < req.count % n else 0) for i in range(n)]
    carry = 0
    for index, (sess, share) in enumerate(zip(week_sessions, shares, strict=True)):
        want = share + (carry if req.per == "week" else 0)
        have = [i for i in sess.items if match(i.exercise)]
        for item in have[:want]:
            item.because.extend(r for r in req.because if r not in item.because)
        missing = max(0, want - len(have))
        ranked = _rank(sess, pool, doser, scores, used, missing, ("require", id(req)),
                       frozenset(req.scope().get("exercises") or ()))
        for ex, dose in ranked:
            sess.items.append(
                Item(ex, dose, REQUIRED_RANK + req.priority, list(req.because), "", req)
            )
            used.add(ex.id)
        short = max(0, missing - len(ranked))
        if req.per == "session" and short:
            warnings.append(
                f"Requirement {req.label()} from rule(s) {', '.join(repr(r) for r in req.because)}"
                f" cannot be fully met on day {sess.slot.day_offset}: {short} missing (the "
                f"matching exercises are excluded or not allowed that day)."
            )
        carry = short if req.per == "week" else 0
        if req.per == "week" and short and index == n - 1:
            warnings.append(
                f"Requirement {req.label()} from rule(s) {', '.join(repr(r) for r in req.because)}"
                f" cannot be fully met in the week starting day {week * 7}: {short} missing (the "
                f"matching exercises are excluded or not allowed on the planned days)."
            )


