"""Example Stridewise plugin: a `running_drills` category, five drills and one constraint.

Everything a third-party plugin needs is here: hook implementations marked with
`stridewise.hookimpl`, data in the catalog-entry format, a constraint with a parameter schema,
and an entry point in the `stridewise` group (see pyproject.toml).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, fields, validate
from stridewise import Constraint, Exercise, hookimpl

__all__ = ["register_categories", "register_constraints", "register_exercises"]

SOURCE = "Mach G. (1980) Sprint and hurdle drills; technique progressions as commonly coached."


@hookimpl
def register_categories() -> list[dict[str, Any]]:
    """The new category this plugin adds."""
    return [
        {
            "id": "running_drills",
            "name": "Running drills",
            "description": "Short technique drills for posture, foot strike and rhythm, done "
            "fresh before a quality run or a strength session.",
        }
    ]


def _drill(id_: str, name: str, *, impact: str, level: str, seconds: int, tags: list[str],
           muscles: list[str], instructions: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": id_,
        "name": name,
        "categories": ["running_drills"],
        "primary_muscles": muscles,
        "equipment": [],
        "impact": impact,
        "level": level,
        "tags": ["lower_body", *tags],
        "contraindications": extra.pop("contraindications", []),
        "progressions": extra.pop("progressions", []),
        "regressions": extra.pop("regressions", []),
        "substitutes": extra.pop("substitutes", []),
        "prescription": {"sets": 2, "seconds": seconds, "rest_s": 45},
        "minutes": 3,
        "instructions": instructions,
        "source": SOURCE,
    }


@hookimpl
def register_exercises() -> list[dict[str, Any]]:
    """Five drills, from marching to bounding, linked by progressions and regressions."""
    return [
        _drill("wall_drill", "Wall drill", impact="none", level="beginner", seconds=20,
               tags=["single_leg", "isometric"], muscles=["hip_flexors", "glutes"],
               progressions=["a_skip_drill"],
               instructions="Lean into a wall at 45 degrees and switch knees quickly, "
               "keeping a straight line from head to the standing heel."),
        _drill("a_skip_drill", "A-skip", impact="moderate", level="beginner", seconds=20,
               tags=["single_leg", "hop"], muscles=["hip_flexors", "calves"],
               regressions=["wall_drill"], progressions=["b_skip_drill"],
               contraindications=["achilles"],
               instructions="Skip with a high knee, landing under the hip on the ball of "
               "the foot."),
        _drill("b_skip_drill", "B-skip", impact="moderate", level="intermediate", seconds=20,
               tags=["single_leg", "hop"], muscles=["hamstrings", "hip_flexors"],
               regressions=["a_skip_drill"], progressions=["straight_leg_bound_drill"],
               contraindications=["achilles", "strain_history"],
               instructions="From the A-skip, extend the lower leg and paw it back to the ground."),
        _drill("high_knee_drill", "High knees", impact="moderate", level="beginner", seconds=15,
               tags=["single_leg"], muscles=["hip_flexors", "calves"],
               substitutes=["a_skip_drill"], contraindications=["achilles"],
               instructions="Run in place with quick, high knees and a tall torso."),
        _drill("straight_leg_bound_drill", "Straight-leg bound", impact="high",
               level="advanced", seconds=15, tags=["bound", "knee_straight", "single_leg"],
               muscles=["hamstrings", "glutes"], regressions=["b_skip_drill"],
               contraindications=["hamstring", "strain_history", "achilles"],
               instructions="Bound forward with nearly straight legs, pulling the ground back "
               "under the hip on each contact."),
    ]


class DrillExperienceParams(Schema):
    """Parameters of `drill_experience`: years of running an advanced drill needs."""

    min_years = fields.Float(load_default=2.0, validate=validate.Range(min=0, max=30))


def drill_experience(ex: Exercise, context: Mapping[str, Any], params: Any) -> str | None:
    """Advanced drills only for runners with at least `min_years` of running."""
    years = context.get("running_experience_years")
    if ex.level == "advanced" and years is not None and years < params["min_years"]:
        return f"advanced drill for a runner with {years:g} years (needs {params['min_years']:g})"
    return None


@hookimpl
def register_constraints() -> list[Constraint]:
    """One constraint rules can switch on: `constraints: {drill_experience: {min_years: 3}}`."""
    return [
        Constraint(
            "drill_experience",
            "Exclude advanced exercises for runners with fewer than `min_years` of running.",
            drill_experience,
            DrillExperienceParams,
        )
    ]
