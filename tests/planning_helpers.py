"""A small hand-built catalog and context helpers for resolver, planner and response tests."""

from __future__ import annotations

from typing import Any

from stridewise.context import derive_facts, load_context
from stridewise.models import Exercise, Intensity, Prescription


def ex(
    id_: str,
    categories: tuple[str, ...],
    tags: tuple[str, ...] = (),
    equipment: tuple[str, ...] = (),
    *,
    impact: str = "low",
    level: str = "beginner",
    sets: int = 3,
    reps: int | tuple[int, int] | None = 10,
    seconds: int | None = None,
    contacts: int | None = None,
    pct: float | None = None,
    rpe: float | None = None,
    rir: int | None = None,
    rest: int = 60,
    minutes: float = 5,
) -> Exercise:
    """An Exercise with sensible defaults (reps are dropped when seconds or contacts are set)."""
    timed = seconds is not None or contacts is not None
    return Exercise(
        id=id_,
        name=id_.replace("_", " ").capitalize(),
        categories=categories,
        primary_muscles=("glutes",),
        equipment=equipment,
        impact=impact,
        level=level,
        tags=tags,
        prescription=Prescription(
            sets=sets,
            reps=None if timed else reps,
            seconds=seconds,
            ground_contacts=contacts,
            intensity=Intensity(pct, rpe, rir),
            rest_s=rest,
        ),
        minutes=minutes,
        instructions="",
        source="test",
        plugin="test.plugin",
    )


CATALOG: list[Exercise] = [
    ex("back_squat", ("functional_strength",),
       ("lower_body", "loaded", "heavy_capable", "deep_knee_flexion"), ("barbell",),
       level="intermediate", reps=5, pct=82, rpe=8, rir=2, rest=150, minutes=8),
    ex("romanian_deadlift", ("functional_strength",),
       ("lower_body", "loaded", "heavy_capable", "hip_extension"), ("barbell",),
       level="intermediate", reps=6, pct=80, rpe=8, rir=2, rest=120, minutes=7),
    ex("split_squat", ("functional_strength",), ("lower_body", "single_leg"), minutes=6),
    ex("step_up", ("functional_strength",), ("lower_body", "single_leg"), ("box",), minutes=6),
    ex("glute_bridge", ("functional_strength",), ("hip_extension",), minutes=4),
    ex("calf_raise", ("functional_strength",), ("calf_raise", "knee_straight"), reps=15,
       minutes=4),
    ex("eccentric_heel_drop_straight_knee", ("functional_strength",),
       ("calf_raise", "knee_straight"), ("step",), reps=15, minutes=5),
    ex("plank", ("core",), ("anti_extension", "isometric"), seconds=30, minutes=3),
    ex("side_plank", ("core",), ("anti_rotation", "isometric"), seconds=30, minutes=3),
    ex("dead_bug", ("core",), ("anti_extension",), minutes=3),
    ex("single_leg_balance", ("stability_balance",), ("single_leg",), seconds=30, minutes=3),
    ex("copenhagen_plank", ("stability_balance",), ("isometric",), level="intermediate",
       seconds=20, minutes=3),
    ex("push_up", ("upper_body",), ("upper_body",), minutes=4),
    ex("dumbbell_row", ("upper_body",), ("upper_body", "loaded"), ("dumbbell",), minutes=4),
    ex("leg_swings", ("joint_mobility",), (), sets=1, minutes=2),
    ex("hip_circles", ("joint_mobility",), (), sets=1, minutes=2),
    ex("foam_roll_quads", ("flexibility_recovery",), (), ("foam_roller",), sets=1, seconds=60,
       minutes=3),
    ex("yoga_flow", ("flexibility_recovery",), (), sets=1, seconds=300, minutes=6),
    ex("pogo_hop", ("plyometrics",), ("hop", "jump"), impact="moderate", contacts=20, minutes=4),
    ex("box_jump", ("plyometrics",), ("jump",), ("box",), impact="high", level="intermediate",
       reps=5, minutes=5),
    ex("skipping", ("plyometrics",), ("bound",), impact="moderate", seconds=20, minutes=4),
]

BODY: dict[str, Any] = {
    "athlete_id": "runner-1",
    "age": 34,
    "running_experience_years": 6,
    "strength_training_experience": "intermediate",
    "weekly_run_km": 55,
    "start_date": "2026-01-05",
    "equipment": ["barbell", "dumbbell", "box", "step", "foam_roller"],
}


def facts_for(**overrides: Any) -> dict[str, Any]:
    """Derived facts for BODY with `overrides` applied."""
    return derive_facts(load_context({**BODY, **overrides}))


def fired(*rules: tuple[str, int, dict[str, Any]]) -> list[tuple[str, int, dict[str, Any]]]:
    """Hand-built fired rules as (rule_id, priority, then) in firing order."""
    return list(rules)


def rng(lo: float | None = None, hi: float | None = None) -> dict[str, float | None]:
    """A range as the directive schema loads it."""
    return {"min": lo, "max": hi}


def then(data: dict[str, Any]) -> dict[str, Any]:
    """A `then` mapping loaded exactly as the rules core loads it (ranges, lists)."""
    from stridewise.directives import then_schema

    loaded: dict[str, Any] = then_schema().load(data)
    return loaded
