"""Candidates: the catalog minus every exercise an exclusion or constraint removes.

Exclusions beat requirements: a required category, tag or exercise that nothing allowed can
satisfy any more becomes a warning naming the requirement's rules and what excluded it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .constraints import constraint_params
from .models import Exclusion, Exercise
from .prescribe import scope_matcher
from .resolve import Resolved

__all__ = ["Candidates", "filter_candidates"]

_KIND_LABEL = {
    "categories": "category",
    "tags": "tag",
    "exercises": "exercise",
    "equipment": "equipment",
    "impact": "impact",
    "levels": "level",
}


@dataclass
class Candidates:
    """Allowed exercises with indexes, and what was excluded by whom."""

    def pool(self, scope: Mapping[str, Any]) -> list[Exercise]:
        """Allowed exercises matching a scope (any listed id, category or tag), by id."""
        found: dict[str, Exercise] = {}
        for ex_id in scope.get("exercises") or ():
            if ex_id in self.by_id:
                found[ex_id] = self.by_id[ex_id]
        for index, key in ((self.by_category, "categories"), (self.by_tag, "tags")):
            for name in scope.get(key) or ():
                for ex in index.get(name, ()):
                    found[ex.id] = ex
        return [found[k] for k in sorted(found)]

    allowed: list[Exercise] = field(default_factory=list)
    by_id: dict[str, Exercise] = field(default_factory=dict)
    by_category: dict[str, list[Exercise]] = field(default_factory=dict)
    by_tag: dict[str, list[Exercise]] = field(default_factory=dict)
    categories: set[str] = field(default_factory=set)
    excluded: list[Exclusion] = field(default_factory=list)
    blocked_by: dict[str, list[str]] = field(default_factory=dict)


def _values(ex: Exercise, kind: str) -> tuple[str, ...]:
    if kind == "exercises":
        return (ex.id,)
    if kind == "impact":
        return (ex.impact,)
    if kind == "levels":
        return (ex.level,)
    return tuple(getattr(ex, kind))


_PARAMS: dict[tuple[str, str], Any] = {}


def _load_params(constraint: Any, params: Any) -> Any:
    """Validated parameters, memoised: rule files give few distinct parameter sets."""
    key = (f"{constraint.plugin}:{constraint.name}", repr(params))
    loaded = _PARAMS.get(key)
    if loaded is None:
        loaded = constraint_params(constraint, params)
        if len(_PARAMS) < 1024:
            _PARAMS[key] = loaded
    return loaded


def _check(constraint: Any, ex: Exercise, facts: Mapping[str, Any], params: Any,
           warnings: list[str]) -> str | None:
    """The constraint's reason to reject, failing closed (with a warning) when it raises."""
    try:
        reason = constraint.check(ex, facts, params)
    except Exception as exc:  # a plugin's bug must not let a contraindicated exercise through
        message = (
            f"Constraint '{constraint.name}' (plugin '{constraint.plugin}') raised "
            f"{type(exc).__name__}: {exc}; the exercises it checked were excluded."
        )
        if message not in warnings:
            warnings.append(message)
        return "the constraint failed to check this exercise"
    return str(reason) if reason else None


def filter_candidates(
    exercises: Iterable[Exercise],
    facts: Mapping[str, Any],
    res: Resolved,
    constraints: Mapping[str, Any],
    warnings: list[str],
) -> Candidates:
    """Split the catalog into allowed exercises and recorded exclusions (rules, constraints)."""
    out = Candidates()
    history = set(facts.get("exercise_history") or ())
    checks: list[tuple[Any, Any, str]] = []  # (constraint, params, by)
    for name, constraint in sorted(constraints.items()):
        if getattr(constraint, "always", False):
            checks.append((constraint, _load_params(constraint, None), f"constraint:{name}"))
    for name, applied in res.constraints.items():
        constraint = constraints.get(name)
        if constraint is None:
            warnings.append(
                f"Rule(s) {', '.join(repr(r) for _, r in applied)} apply constraint '{name}', "
                f"which no plugin provides; it was ignored."
            )
            continue
        for params, rid in applied:
            loaded = _load_params(constraint, params)
            if getattr(constraint, "always", False) and loaded == _load_params(constraint, None):
                continue  # already applied to every request as constraint:<name>
            checks.append((constraint, loaded, rid))
    every = sorted(exercises, key=lambda e: e.id)
    quick = {kind: frozenset(table) for kind, table in res.exclude.items()}
    for ex in every:
        blocked: list[str] = []
        for kind, names in quick.items():
            values = _values(ex, kind)
            if names.isdisjoint(values):
                continue
            table = res.exclude[kind]
            for value in values:
                for rid in table.get(value, ()):
                    if rid not in blocked:
                        blocked.append(rid)
                        out.excluded.append(
                            Exclusion(ex.id, f"{_KIND_LABEL[kind]} '{value}' excluded", rid)
                        )
        if res.exclude_novel and ex.id not in history:
            for rid in res.exclude_novel:
                if rid not in blocked:
                    blocked.append(rid)
                    out.excluded.append(Exclusion(ex.id, "not in exercise_history (novel)", rid))
        for constraint, params, by in checks:
            try:
                reason = constraint.check(ex, facts, params)
            except Exception:  # noqa: BLE001 - reported by _check, which fails closed
                reason = _check(constraint, ex, facts, params, warnings)
            if reason and by not in blocked:
                blocked.append(by)
                out.excluded.append(Exclusion(ex.id, f"{constraint.name}: {reason}", by))
                break  # one constraint reason per exercise is enough to explain it
        if blocked:
            out.blocked_by[ex.id] = blocked
            continue
        out.allowed.append(ex)
        out.by_id[ex.id] = ex
        for cat in ex.categories:
            out.by_category.setdefault(cat, []).append(ex)
            out.categories.add(cat)
        for tag in ex.tags:
            out.by_tag.setdefault(tag, []).append(ex)
    for req in res.requirements:
        match = scope_matcher(req.scope())
        if any(match(ex) for ex in out.allowed):
            continue
        matching = [ex.id for ex in every if match(ex)]
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
