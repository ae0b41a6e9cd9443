"""Candidates: the catalog minus every exercise an exclusion or constraint removes.

Exclusions beat requirements: a required category, tag or exercise that nothing allowed can
satisfy any more becomes a warning naming the requirement's rules and what excluded it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from stridewise.constraints import (
    ConstraintOutcome,
    apply_constraints,
    constraint_checks,
    read_key,
    read_names,
)
from stridewise.models import Exclusion, Exercise
from stridewise.planning.resolve import Resolved

__all__ = ["HIGH_DEMAND_TAGS", "Candidates", "Pool", "filter_candidates", "is_high_demand"]

_KIND_LABEL = {
    "categories": "category",
    "tags": "tag",
    "exercises": "exercise",
    "equipment": "equipment",
    "impact": "impact",
    "levels": "level",
}


class Pool:
    """The catalog's exercises sorted by id with value indexes, built once per engine."""

    def __init__(self, exercises: Iterable[Exercise]) -> None:
        self.every = sorted(exercises, key=lambda e: e.id)
        self.position = {ex.id: i for i, ex in enumerate(self.every)}
        self.index: dict[str, dict[str, list[str]]] = {k: {} for k in _KIND_LABEL}
        self.derived: dict[str, Any] = {}  # tables later steps derive from the catalog alone
        for ex in self.every:
            for kind in _KIND_LABEL:
                for value in _values(ex, kind):
                    self.index[kind].setdefault(value, []).append(ex.id)


@dataclass
class Candidates:
    """Allowed exercises with indexes, and what was excluded by whom."""

    pool_: Pool | None = None
    allowed: list[Exercise] = field(default_factory=list)
    by_id: dict[str, Exercise] = field(default_factory=dict)
    excluded: list[Exclusion] = field(default_factory=list)
    blocked_by: dict[str, list[str]] = field(default_factory=dict)
    _lists: dict[tuple[str, str], list[Exercise]] = field(default_factory=dict)
    # tables the planner derives from these candidates and the Resolved they were built for
    # (candidates are kept per resolved directive set and athlete profile, and reused)
    derived: dict[str, Any] = field(default_factory=dict)

    def having(self, kind: str, name: str) -> list[Exercise]:
        """Allowed exercises whose `kind` (categories, tags, exercises…) includes `name`."""
        key = (kind, name)
        found = self._lists.get(key)
        if found is None:
            ids = self.pool_.index[kind].get(name, ()) if self.pool_ is not None else ()
            found = self._lists[key] = [self.by_id[i] for i in ids if i in self.by_id]
        return found

    def pool(self, scope: Mapping[str, Any]) -> list[Exercise]:
        """Allowed exercises matching a scope (any listed id, category or tag), by id."""
        found: dict[str, Exercise] = {}
        for kind in ("exercises", "categories", "tags"):
            for name in scope.get(kind) or ():
                for ex in self.having(kind, name):
                    found[ex.id] = ex
        return [found[k] for k in sorted(found)]


HIGH_DEMAND_TAGS = frozenset(("loaded", "heavy_capable", "high_eccentric", "jump", "hop", "bound"))


def is_high_demand(ex: Exercise) -> bool:
    """Loaded, heavy-capable, high-eccentric or plyometric work: what novelty limits apply to.

    Warm-up mobility, activation, balance and unloaded accessories are never "new" enough to
    make an athlete sore, so `exclude: {novel: true}` leaves them in.
    """
    return "plyometrics" in ex.categories or not HIGH_DEMAND_TAGS.isdisjoint(ex.tags)


def _values(ex: Exercise, kind: str) -> tuple[str, ...]:
    if kind == "exercises":
        return (ex.id,)
    if kind == "impact":
        return (ex.impact,)
    if kind == "levels":
        return (ex.level,)
    return tuple(getattr(ex, kind))


def _rule_exclusions(
    pool: Pool, res: Resolved, facts: Mapping[str, Any]
) -> tuple[list[Exclusion], list[Exercise]]:
    """What the rules' `exclude` removes (catalog order, every rule listed) and what is left.

    It depends only on the resolved directives (and, with `novel`, the exercise history), so
    it is memoised on them.
    """
    history = frozenset(facts.get("exercise_history") or ()) if res.exclude_novel else None
    memo = res.memo.get("rule_exclusions")
    if memo is not None and memo[0] is pool and memo[1] == history:
        return memo[2], memo[3]
    removed: dict[str, list[Exclusion]] = {}
    for kind, table in res.exclude.items():
        for value, rids in table.items():
            for ex_id in pool.index[kind].get(value, ()):
                entries = removed.setdefault(ex_id, [])
                for rid in rids:
                    if all(e.by != rid for e in entries):
                        entries.append(
                            Exclusion(ex_id, f"{_KIND_LABEL[kind]} '{value}' excluded", rid)
                        )
    if history is not None:
        for ex in pool.every:
            if ex.id in history or not is_high_demand(ex):
                continue
            entries = removed.setdefault(ex.id, [])
            for rid in res.exclude_novel:
                if all(e.by != rid for e in entries):
                    entries.append(Exclusion(ex.id, "not in exercise_history (novel)", rid))
    excluded = [e for ex in pool.every for e in removed.get(ex.id, ())]
    left = [ex for ex in pool.every if ex.id not in removed]
    res.memo["rule_exclusions"] = (pool, history, excluded, left)  # the last history only
    return excluded, left


OUTCOMES_CACHE = 256  # constraint outcomes remembered per resolved directive set


def _constraint_outcome(
    left: list[Exercise], facts: Mapping[str, Any], constraints: Mapping[str, Any],
    prepared: tuple[list[Any], list[str]], res: Resolved, names: tuple[str, ...] | None,
) -> tuple[ConstraintOutcome, bool]:
    """`apply_constraints` on what the rules left, reused for the same values of the facts
    the constraints read (all of them declare `reads`): a catalog-wide pass per distinct
    athlete profile, not per request; and whether it was kept for reuse. Callers must not
    mutate the outcome's lists."""
    key = read_key(names, facts)
    if key is None:
        return apply_constraints(left, facts, constraints, prepared=prepared), False
    memo = res.memo.setdefault("constraint_outcomes", {})
    key = (id(left), key)  # `left` is held by the rule-exclusions memo while it is current
    found = memo.get(key)
    if found is None or found[0] is not left:
        if len(memo) >= OUTCOMES_CACHE:
            memo.clear()
        found = memo[key] = (left, apply_constraints(left, facts, constraints, prepared=prepared))
    return found[1], True


def filter_candidates(
    exercises: Iterable[Exercise] | Pool,
    facts: Mapping[str, Any],
    res: Resolved,
    constraints: Mapping[str, Any],
    warnings: list[str],
) -> Candidates:
    """Split the catalog into allowed exercises and recorded exclusions (rules, constraints).

    Rule exclusions come first (every rule that excluded an exercise is listed); constraints
    run only on what the rules left (`stridewise.constraints.apply_constraints`: always-on ones,
    then those rules switched on), and the first constraint that rejects explains it.
    """
    pool = exercises if isinstance(exercises, Pool) else Pool(exercises)
    by_rules, left = _rule_exclusions(pool, res, facts)
    prepared = res.memo.get("constraint_checks")
    if prepared is None or prepared[0] is not constraints:
        checks = constraint_checks(constraints, applied=res.constraints)
        prepared = (constraints, checks, read_names(checks[0]))
        res.memo["constraint_checks"] = prepared
    checked, kept = _constraint_outcome(left, facts, constraints, prepared[1], res, prepared[2])
    warnings.extend(w for w in checked.warnings if w not in warnings)
    memo = res.memo.setdefault("candidates", {}) if kept else None
    if memo is not None:  # the same outcome and rule exclusions give the same candidates
        hit = memo.get(id(checked))
        if hit is not None and hit[0] is checked and hit[1] is by_rules:
            warnings.extend(hit[3])
            return hit[2]
    out = Candidates(pool)
    out.allowed = allowed = list(checked.allowed)
    out.by_id = {ex.id: ex for ex in allowed}
    if checked.excluded:  # both lists are in catalog order; merge them (stable)
        where = pool.position
        out.excluded = sorted(by_rules + checked.excluded, key=lambda e: where[e.exercise_id])
    else:
        out.excluded = list(by_rules)
    blocked = out.blocked_by
    for exclusion in out.excluded:
        blocked.setdefault(exclusion.exercise_id, []).append(exclusion.by)
    unmet: list[str] = []  # requirements nothing allowed can meet
    for req in res.requirements:
        if any(out.having(kind, name) for kind, names in req.scope().items() for name in names):
            continue
        matching = {
            ex_id
            for kind, names in req.scope().items()
            for name in names
            for ex_id in pool.index[kind].get(name, ())
        }
        rules = ", ".join(repr(r) for r in req.because)
        if not matching:
            unmet.append(
                f"Requirement {req.label()} from rule(s) {rules} cannot be met: no exercise in "
                f"the catalog matches it."
            )
            continue
        blockers = sorted({b for e in matching for b in out.blocked_by.get(e, ())})
        unmet.append(
            f"Requirement {req.label()} from rule(s) {rules} cannot be met: every matching "
            f"exercise is excluded (by {', '.join(blockers)})."
        )
    warnings.extend(unmet)
    if memo is not None:
        if len(memo) >= OUTCOMES_CACHE:
            memo.clear()
        memo[id(checked)] = (checked, by_rules, out, unmet)
    return out
