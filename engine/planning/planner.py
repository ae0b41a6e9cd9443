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

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from stridewise.models import Exercise, Plan
from stridewise.planning.notes import effective_rules, exclusion_rules, honest_notes
from stridewise.planning.prescribe import Doser, is_heavy
from stridewise.planning.protocols import protocol_notes, schedule_protocols
from stridewise.planning.ranking import Scores, rank, week_scores
from stridewise.planning.resolve import Requirement, Resolved
from stridewise.planning.schedule import SEASON, Windows, place_sessions
from stridewise.planning.season import is_main_lower
from stridewise.planning.selection import Candidates, Pool, filter_candidates
from stridewise.planning.sessions import (
    BASE_QUOTA,
    DEFAULT_BECAUSE,
    DROP_RANK,
    WARM_UP,
    WARM_UP_BECAUSE,
    Draft,
    Item,
    fit,
    minutes_limit,
)

__all__ = ["BASE_QUOTA", "DEFAULT_BECAUSE", "MAIN_LIFTS", "main_lift_key", "plan"]

REQUIRED_RANK = 100.0
MAIN_LIFTS = "_main_lifts"  # planner-only fact: the key main lifts are drawn with (a block id)


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
    windows = Windows(facts, resolved)  # away_from verdicts per day, asked by three steps
    slots = place_sessions(facts, resolved, seed, warnings, windows)
    doser = Doser.of(resolved)
    sessions = [Draft(slot) for slot in slots]
    season = facts.get(SEASON)  # a week of a season (planning.loading.WeekStep), or None
    _fill(sessions, cands, resolved, doser, seed, warnings, facts)
    if season is not None:
        season.apply(sessions, doser)
    proto_sessions = schedule_protocols(sessions, cands, resolved, facts, warnings, windows)
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
    if doser.warnings:  # dose conflicts of the exercises planned, by id
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
        notes=honest_notes(resolved, effective_rules(everything, _excluded_by(cands), facts,
                                                     resolved, windows), everything)
        + protocol_notes(resolved, everything, facts),
    )
    for spec, value in resolved.applied():  # stage "plan": in registry order
        result = spec.apply(result, value, facts)
    return result


def _excluded_by(cands: Candidates) -> frozenset[str]:
    """The rules behind the candidates' exclusions, kept on them."""
    found = cands.derived.get("excluded_by")
    if found is None:
        found = cands.derived["excluded_by"] = exclusion_rules(cands.excluded)
    return found


def main_lift_key(facts: Mapping[str, Any]) -> str:
    """The key the main lifts (heavy_capable exercises) are drawn with: the planner-only fact
    `_main_lifts` when a season planner sets it (one value per training block holds the main
    lifts fixed across the block so they can be progressed), else the phase."""
    return str(facts.get(MAIN_LIFTS) or facts.get("phase") or "")


class _Need:
    """One requirement as the fill loop reads it: its pool of allowed exercises, the key its
    ranking is sorted under (the pool's contents), its matcher and the ids it names."""

    __slots__ = ("category", "key", "match", "named", "pool", "rank", "req")

    def __init__(self, req: Requirement, pool: list[Exercise]) -> None:
        self.req = req
        self.pool = pool
        self.match = req.matcher()
        self.named = frozenset(req.exercises)
        self.rank = REQUIRED_RANK + req.priority
        # the usual ask, one category and nothing else: matched without a call
        only = len(req.categories) == 1 and not req.tags and not req.exercises
        self.category = req.categories[0] if only else None
        # a pool's ranking is sorted once a week under a name for its contents: the
        # template's category pool when it is one, else its exercises' ids
        self.key: Any = (("categories", self.category) if only
                         else ("pool", tuple(ex.id for ex in pool)))


class _Fill:
    """What filling sessions reads that depends only on the candidates and the Resolved they
    were built for: each requirement's pool, the category quotas (count, drop rank, pool), the
    pool that pads a short session and the emphasis reasons per pick. Kept on the candidates
    (reused for every athlete of the same profile under the same fired rules)."""

    def __init__(self, cands: Candidates, res: Resolved) -> None:
        self.memo = res.memo
        self.needs = []
        for req in res.requirements:
            pool = cands.pool(req.scope())
            self.needs.append(_Need(req, pool))
        quota = {
            c: round(BASE_QUOTA.get(c, 1) * res.emphasis.get(c, 1.0))
            for c in dict.fromkeys(
                [*BASE_QUOTA, *(k for k in res.emphasis if cands.having("categories", k))]
            )
        }
        self.quota = quota
        self.cats = [(cat, count, DROP_RANK.get(cat, 3) * res.emphasis.get(cat, 1.0),
                      cands.having("categories", cat), ("categories", cat))
                     for cat, count in quota.items() if count > 0]
        self.why = bool(res.emphasis_because)
        self._because: dict[tuple[str, str], list[str]] = {}
        self._pad: list[Exercise] | None = None
        self._cands = cands

    @classmethod
    def of(cls, cands: Candidates, res: Resolved) -> _Fill:
        found = cands.derived.get("fill")
        if found is None or found.memo is not res.memo:
            found = cands.derived["fill"] = cls(cands, res)
        return found

    def pad_pool(self) -> list[Exercise]:
        """Allowed exercises of a category the template fills (what pads a short session)."""
        if self._pad is None:
            quota = self.quota
            self._pad = [ex for ex in self._cands.allowed
                         if any(quota.get(c, 0) > 0 for c in ex.categories)]
        return self._pad

    def because(self, res: Resolved, cat: str, ex: Exercise) -> list[str]:
        """The emphasis rules behind a template pick (a fresh list)."""
        key = (cat, ex.id)
        found = self._because.get(key)
        if found is None:
            found = self._because[key] = _emphasis_because(res, cat, ex)
        return list(found)


def _fill(
    sessions: list[Draft], cands: Candidates, res: Resolved, doser: Doser, seed: str,
    warnings: list[str], facts: Mapping[str, Any],
) -> None:
    by_week: dict[int, list[Draft]] = {}
    for sess in sessions:
        by_week.setdefault(sess.slot.day_offset // 7, []).append(sess)
    table = _Fill.of(cands, res)
    history = frozenset(facts.get("exercise_history") or ())
    season = facts.get(SEASON)
    main_key = main_lift_key(facts)
    for week, week_sessions in by_week.items():
        used: set[str] = set()
        scores = week_scores(cands, res, seed, week, history, main_key, season)
        if season is not None:
            _season_lifts(week_sessions, cands, season, doser, scores, week, used, warnings)
        for need in table.needs:
            if need.pool:  # else already warned: every matching exercise is excluded
                _require(need, week_sessions, doser, scores, week, used, warnings)
        for sess in week_sessions:
            _template(sess, table, res, doser, scores, used)
            _pad(sess, table, res, doser, scores, used, warnings)
            _warm_up(sess, cands, doser, scores, used)
            _slot_reasons(sess, doser)


def _season_lifts(
    week_sessions: list[Draft], cands: Candidates, season: Any, doser: Doser, scores: Scores,
    week: int, used: set[str], warnings: list[str],
) -> None:
    """A season's main lifts first: each session its block's (by layout), else one in each
    heavy session."""
    if season.layout:  # each session: its block's main lifts
        for index, sess in enumerate(week_sessions):
            ids = season.layout[index % len(season.layout)]
            lifts = [cands.by_id[e] for e in ids if e in cands.by_id]
            if lifts:
                _require(_Need(season.requirement(lifts, len(lifts)), lifts), [sess], doser,
                         scores, week, used, warnings)
            if sess.slot.heavy and not any(is_main_lower(e) and "heavy_capable" in e.tags
                                           for e in lifts):  # a heavy one of the block's
                heavy = season.main_pool(cands, layout=True)
                if heavy:
                    _require(_Need(season.requirement(heavy), heavy), [sess], doser, scores,
                             week, used, warnings)
        return
    lifts = season.main_pool(cands)
    heavy = [s for s in week_sessions if s.slot.heavy]
    if lifts and heavy:
        _require(_Need(season.requirement(lifts), lifts), heavy, doser, scores, week, used,
                 warnings)


def _template(
    sess: Draft, table: _Fill, res: Resolved, doser: Doser, scores: Scores, used: set[str]
) -> None:
    """The category quotas (the default template times category emphasis) after what the
    requirements put in the session."""
    have: dict[str, int] = {}  # items per category in this session so far
    for item in sess.items:
        for c in item.exercise.categories:
            have[c] = have.get(c, 0) + 1
    why = table.why
    items = sess.items
    for cat, count, drop, pool, key in table.cats:
        missing = count - have.get(cat, 0)
        if missing <= 0:
            continue
        for ex, dose in rank(sess, pool, doser, scores, used, missing, key):
            items.append(Item(ex, dose, drop, table.because(res, cat, ex) if why else []))
            used.add(ex.id)
            for c in ex.categories:
                have[c] = have.get(c, 0) + 1


def _slot_reasons(sess: Draft, doser: Doser) -> None:
    """Each item's dose reasons, then its day's: lift after the run for heavy work, the
    light day's rules for a load capped for it."""
    slot = sess.slot
    after, light = slot.because, slot.light_because if not slot.heavy else []
    for item in sess.items:
        extra: Sequence[str] = item.dose.because
        if after or light:
            if is_heavy(item.exercise, item.dose.prescription):
                extra = [*extra, *after]  # lift after the run
            elif light and item.dose != doser.dose(item.exercise):
                extra = [*extra, *light]  # its load was capped for this day
        if extra:
            because = item.because
            for rule in extra:  # each rule once, in order
                if rule not in because:
                    because.append(rule)


def _warm_up(
    sess: Draft, cands: Candidates, doser: Doser, scores: Scores, used: set[str]
) -> None:
    """Every session opens with a warm-up: its first joint-mobility item, never dropped to fit
    the minutes; one is added when the template and the requirements left none."""
    warm = next((i for i in sess.items if WARM_UP in i.exercise.categories), None)
    if warm is None:
        ranked = rank(sess, cands.having("categories", WARM_UP), doser, scores, used, 1,
                      ("categories", WARM_UP))
        if not ranked:
            return
        ex, dose = ranked[0]
        warm = Item(ex, dose, 0.0, [WARM_UP_BECAUSE])
        sess.items.append(warm)
        used.add(ex.id)
    warm.warm_up = True  # `fit` drops it last


def _emphasis_because(res: Resolved, cat: str, ex: Exercise) -> list[str]:
    """The emphasis rules behind a template pick: its category's, its other categories' (a
    core + balance exercise also fills the core quota), then its tags'."""
    because = list(res.emphasis_because.get(cat, ()))
    for tag in (*ex.categories, *ex.tags):
        because.extend(r for r in res.emphasis_because.get(tag, ()) if r not in because)
    return because


def _pad(
    sess: Draft, table: _Fill, res: Resolved, doser: Doser, scores: Scores, used: set[str],
    warnings: list[str],
) -> None:
    """Add template exercises until the session reaches `session_minutes.min`, if any."""
    bound = res.bound("session_minutes")
    if bound.min is None or sess.minutes() >= bound.min:
        return
    pool = table.pad_pool()
    while sess.minutes() < bound.min:
        ranked = rank(sess, pool, doser, scores, used, 1)
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
    need: _Need, week_sessions: list[Draft], doser: Doser, scores: Scores, week: int,
    used: set[str], warnings: list[str],
) -> None:
    """Meet one requirement in a week: `count` per session, or `count` spread over the week."""
    req = need.req
    n = len(week_sessions)
    match = need.match
    category = need.category
    per_week = req.per == "week"
    count = req.count
    because = req.because
    carry = 0
    for index, sess in enumerate(week_sessions):
        if per_week:
            want = count // n + (1 if index < count % n else 0) + carry
        else:
            want = count
        if want <= 0:  # nothing asked of this session (nothing carried to it)
            carry = 0
            continue
        items = sess.items
        if not items:
            have = []
        elif category is not None:
            have = [i for i in items if category in i.exercise.categories]
        else:
            have = [i for i in items if match(i.exercise)]
        for item in have[:want]:
            item.because.extend(r for r in because if r not in item.because)
            if item.rank < need.rank and not item.reason and not item.warm_up:
                item.rank, item.requirement = need.rank, req  # kept as this one asks
        missing = want - len(have)
        if missing <= 0:
            carry = 0
            continue
        ranked = rank(sess, need.pool, doser, scores, used, missing, need.key, need.named)
        for ex, dose in ranked:
            sess.items.append(Item(ex, dose, need.rank, list(because), "", req))
            used.add(ex.id)
        short = missing - len(ranked)
        if not per_week and short:
            warnings.append(
                f"Requirement {req.label()} from rule(s) {', '.join(repr(r) for r in because)}"
                f" cannot be fully met on day {sess.slot.day_offset}: {short} missing (the "
                f"matching exercises are excluded or not allowed that day)."
            )
        carry = short if per_week else 0
        if per_week and short and index == n - 1:
            warnings.append(
                f"Requirement {req.label()} from rule(s) {', '.join(repr(r) for r in because)}"
                f" cannot be fully met in the week starting day {week * 7}: {short} missing (the "
                f"matching exercises are excluded or not allowed on the planned days)."
            )
