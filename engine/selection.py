"""Candidates: the catalog minus every exercise an exclusion or constraint removes.

Exclusions beat requirements: a required category, tag or exercise that nothing allowed can
satisfy any more becomes a warning naming the requirement's rules and what excluded it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .constraints import apply_constraints
from .models import Exclusion, Exercise
from .resolve import Resolved

__all__ = ["Candidates", "Pool", "filter_candidates"]

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
        self.index: dict[str, dict[str, list[str]]] = {k: {} for k in _KIND_LABEL}
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


def _values(ex: Exercise, kind: str) -> tuple[str, ...]:
    if kind == "exercises":
        return (ex.id,)
    if kind == "impact":
        return (ex.impact,)
    if kind == "levels":
        return (ex.level,)
    return tuple(getattr(ex, kind))


def filter_candidates(
    exercises: Iterable[Exercise] | Pool,
    facts: Mapping[str, Any],
    res: Resolved,
    constraints: Mapping[str, Any],
    warnings: list[str],
) -> Candidates:
    """Split the catalog into allowed exercises and recorded exclusions (rules, constraints).

    Rule exclusions come first (every rule that excluded an exercise is listed); constraints
    run only on what the rules left (`engine.constraints.apply_constraints`: always-on ones,
    then those rules switched on), and the first constraint that rejects explains it.
    """
    pool = exercises if isinstance(exercises, Pool) else Pool(exercises)
    out = Candidates(pool)
    history = set(facts.get("exercise_history") or ())
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
    if res.exclude_novel:
        for ex in pool.every:
            if ex.id in history:
                continue
            entries = removed.setdefault(ex.id, [])
            for rid in res.exclude_novel:
                if all(e.by != rid for e in entries):
                    entries.append(Exclusion(ex.id, "not in exercise_history (novel)", rid))
    allowed = [ex for ex in pool.every if ex.id not in removed]
    checked = apply_constraints(allowed, facts, constraints, applied=res.constraints)
    warnings.extend(w for w in checked.warnings if w not in warnings)
    for exclusion in checked.excluded:
        removed[exclusion.exercise_id] = [exclusion]
    allowed = checked.allowed
    out.allowed = allowed
    out.by_id = {ex.id: ex for ex in allowed}
    for ex in pool.every:
        gone = removed.get(ex.id)
        if gone:
            out.excluded.extend(gone)
            out.blocked_by[ex.id] = [e.by for e in gone]
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
            warnings.append(
                f"Requirement {req.label()} from rule(s) {rules} cannot be met: no exercise in "
                f"the catalog matches it."
            )
            continue
        blockers = sorted({b for e in matching for b in out.blocked_by.get(e, ())})
        warnings.append(
            f"Requirement {req.label()} from rule(s) {rules} cannot be met: every matching "
            f"exercise is excluded (by {', '.join(blockers)})."
        )
    return out
