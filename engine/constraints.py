"""Constraint evaluation: apply named constraints to (exercise, context) and explain removals.

Constraints come from plugins (`register_constraints`, see `plugins/constraints.py`). Rules turn
them on with `constraints: {name: params}`; `always` constraints apply to every request. Each
removal is an `Exclusion` whose `by` is `constraint:<name>`. A constraint whose check raises
excludes the exercise (failing closed: constraints guard injuries) and adds a warning naming
the plugin, so one broken plugin cannot let a contraindicated exercise through.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, ValidationError

from .catalog_schema import flatten_messages
from .errors import PluginError
from .models import Constraint, Exclusion, Exercise

__all__ = [
    "ConstraintOutcome",
    "always_on",
    "apply_constraints",
    "constraint_params",
]

log = logging.getLogger("stridewise.constraints")
_SCHEMAS: dict[type, Schema] = {}


@dataclass
class ConstraintOutcome:
    """Exercises that passed every active constraint, the exclusions, and any warnings."""

    allowed: list[Exercise] = field(default_factory=list)
    excluded: list[Exclusion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def always_on(constraints: Mapping[str, Constraint]) -> dict[str, dict[str, Any]]:
    """The constraints that apply to every request, with empty parameters."""
    return {name: {} for name, c in sorted(constraints.items()) if c.always}


def constraint_params(constraint: Constraint, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate and complete a constraint's parameters; PluginError names constraint and field."""
    schema_cls = constraint.params_schema
    if schema_cls is None:
        return dict(params or {})
    schema = _SCHEMAS.get(schema_cls)
    if schema is None:
        schema = _SCHEMAS[schema_cls] = schema_cls()
    try:
        loaded: dict[str, Any] = schema.load(dict(params or {}))
    except ValidationError as err:
        raise PluginError(
            f"constraint '{constraint.name}' (plugin '{constraint.plugin}'): "
            f"invalid parameters: {flatten_messages(err.normalized_messages())}",
            plugin=constraint.plugin,
            hook="register_constraints",
        ) from None
    return loaded


def apply_constraints(
    exercises: Iterable[Exercise],
    context: Mapping[str, Any],
    constraints: Mapping[str, Constraint],
    active: Mapping[str, Mapping[str, Any] | None] | None = None,
    *,
    every_reason: bool = False,
) -> ConstraintOutcome:
    """Run the `always` constraints plus `active` ({name: params}) over `exercises`.

    Constraints run in name order; an exercise is excluded by the first one that rejects it
    (all of them with `every_reason=True`). Unknown names become warnings, not errors: rule
    files are checked against the catalog's vocabulary when they load.
    """
    outcome = ConstraintOutcome()
    wanted: dict[str, Mapping[str, Any] | None] = {**always_on(constraints), **(active or {})}
    checks: list[tuple[Constraint, dict[str, Any]]] = []
    for name in sorted(wanted):
        constraint = constraints.get(name)
        if constraint is None:
            outcome.warnings.append(
                f"constraint '{name}' is not provided by any loaded plugin; it was not applied"
            )
            continue
        checks.append((constraint, constraint_params(constraint, wanted[name])))
    broken: set[str] = set()
    for exercise in exercises:
        rejected = False
        for constraint, params in checks:
            reason = _check(constraint, exercise, context, params, broken, outcome)
            if reason is None:
                continue
            rejected = True
            outcome.excluded.append(Exclusion(exercise.id, reason, f"constraint:{constraint.name}"))
            if not every_reason:
                break
        if not rejected:
            outcome.allowed.append(exercise)
    return outcome


def _check(
    constraint: Constraint,
    exercise: Exercise,
    context: Mapping[str, Any],
    params: Mapping[str, Any],
    broken: set[str],
    outcome: ConstraintOutcome,
) -> str | None:
    try:
        reason = constraint.check(exercise, context, params)
    except Exception as exc:  # a plugin's bug: fail closed, say so once per constraint
        if constraint.name not in broken:
            broken.add(constraint.name)
            message = (
                f"constraint '{constraint.name}' (plugin '{constraint.plugin}') raised "
                f"{type(exc).__name__}: {exc}; the exercises it was checking were excluded"
            )
            outcome.warnings.append(message)
            log.error("%s", message, exc_info=True)
        return f"constraint '{constraint.name}' failed to check this exercise"
    if reason is None or reason is False:
        return None
    return str(reason) if reason is not True else f"rejected by constraint '{constraint.name}'"
