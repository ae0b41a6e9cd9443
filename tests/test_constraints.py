"""Built-in constraints and their evaluation against an athlete context."""

from __future__ import annotations

import time
from typing import Any

import pytest
import stridewise.plugins.constraints as builtin
from plugin_helpers import Categories, Exercises, make_exercise
from stridewise import Constraint, PluginError
from stridewise.constraints import always_on, apply_constraints, constraint_params
from stridewise.directives import then_schema
from stridewise.testing import build_catalog, check_constraint

EXERCISES = Exercises(
    make_exercise("plank"),
    make_exercise("back_squat", equipment=["barbell"], level="intermediate", impact="low",
                  contraindications=["patellofemoral_pain", "low_back"]),
    make_exercise("box_jump", equipment=["box"], impact="high", level="intermediate"),
    make_exercise("pogo_hop", impact="moderate", contraindications=["achilles"]),
    make_exercise("nordic_hamstring", level="advanced"),
)
CATALOG = build_catalog(Categories(), EXERCISES, builtin, strict=True)


def ids(outcome: Any) -> list[str]:
    return [e.id for e in outcome.allowed]


def test_builtin_constraints_are_registered_with_schemas() -> None:
    assert sorted(CATALOG.constraints) == [
        "contraindications",
        "equipment_available",
        "level_for_experience",
        "max_impact",
        "novelty",
    ]
    assert always_on(CATALOG.constraints) == {"contraindications": {}, "equipment_available": {}}
    assert CATALOG.constraints["novelty"].plugin == "stridewise.plugins.constraints"


def test_equipment_available() -> None:
    outcome = check_constraint(CATALOG, "equipment_available", {"equipment": ["box"]})
    assert ids(outcome) == ["box_jump", "nordic_hamstring", "plank", "pogo_hop"]
    (excluded,) = outcome.excluded
    assert (excluded.exercise_id, excluded.reason, excluded.by) == (
        "back_squat",
        "needs barbell",
        "constraint:equipment_available",
    )


@pytest.mark.parametrize(
    ("injury", "excluded"),
    [
        ({"site": "knee", "condition": "patellofemoral_pain", "severity": "mild"}, ["back_squat"]),
        ({"site": "knee", "condition": "patellofemoral_pain", "severity": "resolved"}, []),
        ({"site": "achilles", "condition": None, "severity": "mild"}, []),
        ({"site": "achilles", "condition": None, "severity": "moderate"}, ["pogo_hop"]),
        ({"site": "low_back", "condition": "other", "severity": "severe"}, ["back_squat"]),
    ],
)
def test_contraindications_conditions_any_active_severity_sites_moderate_or_worse(
    injury: dict[str, Any], excluded: list[str]
) -> None:
    outcome = check_constraint(CATALOG, "contraindications", {"injuries": [injury]})
    assert [e.exercise_id for e in outcome.excluded] == excluded
    for exclusion in outcome.excluded:
        assert exclusion.by == "constraint:contraindications"
        assert injury["severity"] in exclusion.reason


def test_max_impact_validates_params() -> None:
    outcome = check_constraint(CATALOG, "max_impact", {}, {"max": "low"})
    assert [e.exercise_id for e in outcome.excluded] == ["box_jump", "pogo_hop"]
    assert outcome.excluded[0].reason == "impact high is above the maximum low"
    with pytest.raises(PluginError, match="constraint 'max_impact'.*field 'max'"):
        constraint_params(CATALOG.constraints["max_impact"], {"max": "extreme"})


@pytest.mark.parametrize(
    ("experience", "history", "allowed"),
    [
        ("novice", [], ["plank", "pogo_hop"]),
        ("novice", ["back_squat"], ["back_squat", "plank", "pogo_hop"]),
        ("intermediate", [], ["back_squat", "box_jump", "plank", "pogo_hop"]),
        ("advanced", [], ["back_squat", "box_jump", "nordic_hamstring", "plank", "pogo_hop"]),
    ],
)
def test_level_for_experience(experience: str, history: list[str], allowed: list[str]) -> None:
    context = {"strength_training_experience": experience, "exercise_history": history}
    assert ids(check_constraint(CATALOG, "level_for_experience", context)) == allowed


def test_novelty() -> None:
    outcome = check_constraint(CATALOG, "novelty", {"exercise_history": ["plank"]})
    assert ids(outcome) == ["plank"]
    assert outcome.excluded[0].by == "constraint:novelty"


def test_apply_runs_always_plus_active_and_first_reason_wins() -> None:
    context = {"equipment": [], "injuries": [], "exercise_history": []}
    outcome = apply_constraints(
        CATALOG.exercises.values(), context, CATALOG.constraints, {"max_impact": {"max": "none"}}
    )
    assert ids(outcome) == ["nordic_hamstring", "plank"]
    by = {e.exercise_id: e.by for e in outcome.excluded}
    assert by == {
        "back_squat": "constraint:equipment_available",
        "box_jump": "constraint:equipment_available",
        "pogo_hop": "constraint:max_impact",
    }
    every = apply_constraints(
        CATALOG.exercises.values(), context, CATALOG.constraints,
        {"max_impact": {"max": "none"}}, every_reason=True,
    )
    assert len(every.excluded) == 5  # back_squat and box_jump fail two constraints each


def test_unknown_constraint_is_a_warning() -> None:
    outcome = apply_constraints([], {}, CATALOG.constraints, {"no_such": {}})
    assert outcome.warnings == [
        "constraint 'no_such' is not provided by any loaded plugin; it was not applied"
    ]


def test_a_raising_constraint_fails_closed_with_one_warning() -> None:
    def boom(ex: Any, ctx: Any, params: Any) -> None:
        raise ValueError("bad data")

    broken = {"boom": Constraint("boom", "x", boom, always=True, plugin="bad")}
    outcome = apply_constraints(CATALOG.exercises.values(), {}, broken)
    assert outcome.allowed == []
    assert len(outcome.excluded) == 5
    assert outcome.warnings == [
        "constraint 'boom' (plugin 'bad') raised ValueError: bad data; the exercises it was "
        "checking were excluded"
    ]


def test_rules_can_reference_constraints_through_the_vocabulary() -> None:
    schema = then_schema(CATALOG.vocabulary())
    assert schema.load({"constraints": {"max_impact": {"max": "low"}, "novelty": None}})
    errors = schema.validate({"constraints": {"max_impakt": {"max": "low"}}})
    assert "did you mean 'max_impact'?" in str(errors)
    errors = schema.validate({"constraints": {"max_impact": {"max": "huge"}}})
    assert "constraints" in errors


def test_filter_cost_per_request_is_small() -> None:
    pool = list(CATALOG.exercises.values()) * 20  # 100 exercises
    context = {"equipment": ["box"], "injuries": [{"site": "knee", "condition": None,
                                                   "severity": "moderate"}],
               "strength_training_experience": "novice", "exercise_history": []}
    started = time.perf_counter()
    for _ in range(100):
        apply_constraints(pool, context, CATALOG.constraints, {"level_for_experience": None})
    assert (time.perf_counter() - started) / 100 < 0.005


def test_fast_paths_give_the_same_reasons() -> None:
    ex = next(e for e in CATALOG.exercises.values() if e.id == "back_squat")
    assert builtin.equipment_available(ex, {"equipment": []}, {}) == "needs barbell"
    assert builtin.equipment_available(ex, {"equipment": ["barbell"]}, {}) is None
    assert builtin.equipment_available(ex, {}, {}) == "needs barbell"
    nordic = next(e for e in CATALOG.exercises.values() if e.id == "nordic_hamstring")
    novice = {"strength_training_experience": "novice", "exercise_history": []}
    assert builtin.level_for_experience(nordic, novice, {}) == (
        "advanced exercise for a novice lifter (up to beginner)"
    )
    assert builtin.level_for_experience(nordic, {**novice, "exercise_history": [
        "nordic_hamstring"]}, {}) is None
    assert builtin.level_for_experience(nordic, {}, {}) is None
    squat_impact = builtin.max_impact(ex, {}, {"max": "none"})
    assert squat_impact == "impact low is above the maximum none"
    assert builtin.max_impact(ex, {}, {"max": "low"}) is None
