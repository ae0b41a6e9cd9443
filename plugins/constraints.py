"""Built-in constraints: equipment, contraindications, maximum impact, level, novelty.

Registered through the `stridewise` entry-point group like any other plugin. Each check
returns None when the exercise is allowed, or a short reason a coach can read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, fields, validate
from stridewise import Constraint, Exercise, hookimpl
from stridewise.models import IMPACT_LEVELS, LEVELS

__all__ = ["CONSTRAINTS", "register_constraints"]

# Experience -> the highest exercise level it may get (unless the exercise is already familiar).
LEVEL_FOR_EXPERIENCE = {
    "novice": "beginner",
    "intermediate": "intermediate",
    "advanced": "advanced",
}
SITE_SEVERITIES = frozenset({"moderate", "severe"})


class NoParams(Schema):
    """Constraints without parameters accept `{}` or null."""


class MaxImpactParams(Schema):
    max = fields.String(required=True, validate=validate.OneOf(IMPACT_LEVELS))


_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
_IMPACT_RANK = {impact: rank for rank, impact in enumerate(IMPACT_LEVELS)}
_HIGHEST_RANK = {exp: _LEVEL_RANK[level] for exp, level in LEVEL_FOR_EXPERIENCE.items()}


def equipment_available(ex: Exercise, context: Mapping[str, Any], params: Any) -> str | None:
    """Every piece of equipment the exercise needs must be in the athlete's `equipment`."""
    needs = ex.equipment
    if not needs:  # bodyweight: nothing to check
        return None
    have = context.get("equipment") or ()
    for item in needs:
        if item not in have:
            missing = [i for i in needs if i not in have]
            return f"needs {', '.join(missing)}"
    return None


def contraindications(ex: Exercise, context: Mapping[str, Any], params: Any) -> str | None:
    """A named condition applies unless resolved; a named site when moderate or severe."""
    if not ex.contraindications:
        return None
    for injury in context.get("injuries") or ():
        severity = injury.get("severity")
        if severity == "resolved":
            continue
        condition, site = injury.get("condition"), injury.get("site")
        if condition and condition in ex.contraindications:
            return f"contraindicated with {condition} ({site}, {severity})"
        if site in ex.contraindications and severity in SITE_SEVERITIES:
            return f"contraindicated with a {severity} {site} injury"
    return None


def max_impact(ex: Exercise, context: Mapping[str, Any], params: Any) -> str | None:
    """The exercise's impact must not exceed `max`."""
    limit = params["max"]
    if _IMPACT_RANK[ex.impact] > _IMPACT_RANK[limit]:
        return f"impact {ex.impact} is above the maximum {limit}"
    return None


def level_for_experience(ex: Exercise, context: Mapping[str, Any], params: Any) -> str | None:
    """Novices get beginner exercises, intermediates up to intermediate, advanced anything;
    an exercise already in `exercise_history` is always allowed."""
    experience = context.get("strength_training_experience")
    highest = _HIGHEST_RANK.get(experience) if isinstance(experience, str) else None
    if highest is None or _LEVEL_RANK[ex.level] <= highest:
        return None
    if ex.id in (context.get("exercise_history") or ()):
        return None
    return (f"{ex.level} exercise for a {experience} lifter "
            f"(up to {LEVEL_FOR_EXPERIENCE[str(experience)]})")


def novelty(ex: Exercise, context: Mapping[str, Any], params: Any) -> str | None:
    """Only exercises the athlete already does (`exercise_history`)."""
    if ex.id in (context.get("exercise_history") or ()):
        return None
    return "new to the athlete (not in exercise_history)"


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        "equipment_available",
        "Exclude exercises that need equipment the athlete does not have.",
        equipment_available,
        NoParams,
        always=True,
        reads=("equipment",),
    ),
    Constraint(
        "contraindications",
        "Exclude exercises contraindicated by an active injury condition, or by a moderate or "
        "severe injury at a named site.",
        contraindications,
        NoParams,
        always=True,
        reads=("injuries",),
    ),
    Constraint(
        "max_impact",
        "Exclude exercises whose impact is above `max` (none, low, moderate, high).",
        max_impact,
        MaxImpactParams,
        reads=(),
    ),
    Constraint(
        "level_for_experience",
        "Match exercise level to strength-training experience, unless already familiar.",
        level_for_experience,
        NoParams,
        reads=("strength_training_experience", "exercise_history"),
    ),
    Constraint(
        "novelty",
        "Exclude exercises that are not in the athlete's exercise_history.",
        novelty,
        NoParams,
        reads=("exercise_history",),
    ),
)


@hookimpl
def register_constraints() -> list[Constraint]:
    """The built-in constraints."""
    return list(CONSTRAINTS)
