"""Constraint evaluation: apply named constraints to (exercise, context) and explain removals.

Constraints come from plugins (`register_constraints`, see `plugins/constraints.py`). Rules turn
them on with `constraints: {name: params}`; `always` constraints apply to every request. Each
removal is an `Exclusion` whose `by` names the constraint (`constraint_by`):
`constraint:<name>` when it is always on or applied directly, and
`constraint:<name> (rule <id>)` (`(rules <a>, <b>)` for several) when rules switched it on.
A constraint whose check raises excludes the exercise (failing closed: constraints guard
injuries) and adds one warning naming the plugin, so one broken plugin cannot let a
contraindicated exercise through.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, ValidationError
from stridewise.catalog_schema import flatten_messages
from stridewise.errors import PluginError
from stridewise.models import Constraint, Exclusion, Exercise
from stridewise.tables import Table

__all__ = [
    "Check",
    "ConstraintOutcome",
    "always_on",
    "apply_constraints",
    "constraint_by",
    "constraint_checks",
    "constraint_params",
    "read_key",
    "read_names",
]

log = logging.getLogger("stridewise.constraints")
_SCHEMAS: dict[type, Schema] = {}
PARAMS_CACHE = 1024  # validated parameter sets remembered (rule files give few distinct ones)
_PARAMS: Table[tuple[str, str, Any, str], dict[str, Any]] = Table(PARAMS_CACHE)


@dataclass
class ConstraintOutcome:
    """Exercises that passed every active constraint, the exclusions, and any warnings."""

    allowed: list[Exercise] = field(default_factory=list)
    excluded: list[Exclusion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Check:
    """One constraint to run, with validated parameters and the `by` its exclusions carry."""

    constraint: Constraint
    params: dict[str, Any]
    by: str


def always_on(constraints: Mapping[str, Constraint]) -> dict[str, dict[str, Any]]:
    """The constraints that apply to every request, with empty parameters."""
    return {name: {} for name, c in sorted(constraints.items()) if c.always}


def constraint_by(name: str, rules: Sequence[str] = ()) -> str:
    """`excluded[].by` for a constraint, naming the rules that switched it on (if any)."""
    if not rules:
        return f"constraint:{name}"
    return f"constraint:{name} ({'rules' if len(rules) > 1 else 'rule'} {', '.join(rules)})"


def constraint_params(constraint: Constraint, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate and complete a constraint's parameters; PluginError names constraint and field.

    Results are memoised per (plugin, constraint, schema, parameters); callers must not mutate them.
    """
    schema_cls = constraint.params_schema
    key = (constraint.plugin, constraint.name, schema_cls, repr(params))
    found = _PARAMS.get(key)
    if found is not None:
        return found
    if schema_cls is None:
        loaded: dict[str, Any] = dict(params or {})
    else:
        schema = _SCHEMAS.get(schema_cls)
        if schema is None:
            schema = _SCHEMAS[schema_cls] = schema_cls()
        try:
            loaded = schema.load(dict(params or {}))
        except ValidationError as err:
            raise PluginError(
                f"constraint '{constraint.name}' (plugin '{constraint.plugin}'): "
                f"invalid parameters: {flatten_messages(err.normalized_messages())}",
                plugin=constraint.plugin,
                hook="register_constraints",
            ) from None
    return _PARAMS.put(key, loaded)


def constraint_checks(
    constraints: Mapping[str, Constraint],
    active: Mapping[str, Mapping[str, Any] | None] | None = None,
    applied: Mapping[str, Sequence[tuple[Any, str]]] | None = None,
) -> tuple[list[Check], list[str]]:
    """The checks to run, in order, and warnings for constraints no plugin provides.

    First the `always` constraints and `active` ({name: params}) in name order, then the
    constraints rules switched on (`applied`: {name: [(params, rule id), …]}, as
    `Resolved.constraints` holds them) in precedence order. Rules that ask for the same
    constraint with the same parameters share one check naming them all; a rule asking for
    what already applies to every request adds nothing.
    """
    warnings: list[str] = []
    checks: list[Check] = []
    wanted: dict[str, Mapping[str, Any] | None] = {**always_on(constraints), **(active or {})}
    plain: set[tuple[str, str]] = set()
    for name in sorted(wanted):
        constraint = constraints.get(name)
        if constraint is None:
            warnings.append(
                f"constraint '{name}' is not provided by any loaded plugin; it was not applied"
            )
            continue
        params = constraint_params(constraint, wanted[name])
        plain.add((name, repr(params)))
        checks.append(Check(constraint, params, constraint_by(name)))
    for name, uses in (applied or {}).items():
        constraint = constraints.get(name)
        if constraint is None:
            warnings.append(
                f"Rule(s) {', '.join(repr(r) for _, r in uses)} apply constraint '{name}', "
                f"which no plugin provides; it was ignored."
            )
            continue
        by_params: dict[str, tuple[dict[str, Any], list[str]]] = {}
        for raw, rule in uses:
            params = constraint_params(constraint, raw)
            key = repr(params)
            if (name, key) in plain:
                continue  # already applied to every request as constraint:<name>
            rules = by_params.setdefault(key, (params, []))[1]
            if rule not in rules:
                rules.append(rule)
        for params, rules in by_params.values():
            checks.append(Check(constraint, params, constraint_by(name, rules)))
    return checks, warnings


def apply_constraints(
    exercises: Iterable[Exercise],
    context: Mapping[str, Any],
    constraints: Mapping[str, Constraint],
    active: Mapping[str, Mapping[str, Any] | None] | None = None,
    *,
    applied: Mapping[str, Sequence[tuple[Any, str]]] | None = None,
    every_reason: bool = False,
    prepared: tuple[list[Check], list[str]] | None = None,
) -> ConstraintOutcome:
    """Run the `always` constraints, `active` ({name: params}) and the rule-`applied` ones.

    Order as in `constraint_checks`; an exercise is excluded by the first check that rejects
    it (all of them with `every_reason=True`). Unknown names become warnings, not errors: rule
    files are checked against the catalog's vocabulary when they load. `prepared` is what
    `constraint_checks` returned for the same arguments, when the caller keeps it.
    """
    checks, warnings = prepared or constraint_checks(constraints, active, applied)
    outcome = ConstraintOutcome(warnings=list(warnings))
    broken: set[str] = set()
    allowed, excluded = outcome.allowed, outcome.excluded
    runs = [(c.constraint.check, c.params, c) for c in checks]
    for exercise in exercises:
        rejected = False
        for check, params, chk in runs:
            try:
                reason = check(exercise, context, params)
            except Exception as exc:  # a plugin's bug: fail closed, say so once per constraint
                reason = _failed(chk.constraint, exc, broken, outcome)
            if reason is None or reason is False:
                continue
            if reason is True:
                reason = f"rejected by constraint '{chk.constraint.name}'"
            rejected = True
            excluded.append(Exclusion(exercise.id, str(reason), chk.by))
            if not every_reason:
                break
        if not rejected:
            allowed.append(exercise)
    return outcome


def read_names(checks: Sequence[Check]) -> tuple[str, ...] | None:
    """The facts `checks` declare they read (`Constraint.reads`), sorted; None when one of
    them may read anything."""
    names: set[str] = set()
    for chk in checks:
        reads = chk.constraint.reads
        if reads is None:
            return None
        names.update(reads)
    return tuple(sorted(names))


def read_key(names: tuple[str, ...] | None, context: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """What the outcome of the checks depends on in `context`: the values of the facts they
    declare they read (`read_names`), or None when one of them may read anything."""
    if names is None:
        return None
    get = context.get
    return tuple(_frozen(get(name)) for name in names)


_PLAIN = frozenset((str, int, float, bool, type(None)))


def _frozen(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Mapping):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def _failed(
    constraint: Constraint, exc: Exception, broken: set[str], outcome: ConstraintOutcome
) -> str:
    """The reason for an exercise a raising check could not clear; warns once per constraint."""
    if constraint.name not in broken:
        broken.add(constraint.name)
        message = (
            f"constraint '{constraint.name}' (plugin '{constraint.plugin}') raised "
            f"{type(exc).__name__}: {exc}; the exercises it was checking were excluded"
        )
        outcome.warnings.append(message)
        log.error("%s", message, exc_info=exc)
    return f"constraint '{constraint.name}' failed to check this exercise"
