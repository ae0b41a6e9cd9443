"""Candidates: rule exclusions and constraints through the one mechanism in engine.constraints."""

from __future__ import annotations

from typing import Any

from planning_helpers import CATALOG, facts_for, then
from stridewise.constraints import apply_constraints, constraint_by
from stridewise.models import Constraint
from stridewise.planning.resolve import resolve
from stridewise.planning.selection import Pool, filter_candidates


def _max_impact(ex: Any, context: Any, params: Any) -> str | None:
    order = ("none", "low", "moderate", "high")
    if order.index(ex.impact) > order.index(params["max"]):
        return f"impact {ex.impact} is above {params['max']}"
    return None


def test_by_names_the_constraint_and_the_rules_that_switched_it_on() -> None:
    assert constraint_by("max_impact") == "constraint:max_impact"
    assert constraint_by("max_impact", ["race-week-low-impact"]) == (
        "constraint:max_impact (rule race-week-low-impact)"
    )
    assert constraint_by("max_impact", ["a", "b"]) == "constraint:max_impact (rules a, b)"


def test_rule_applied_constraint_exclusions_name_constraint_and_rule() -> None:
    constraints = {"max_impact": Constraint("max_impact", "", _max_impact, plugin="p")}
    res = resolve([
        ("race-week-low-impact", 50, then({"constraints": {"max_impact": {"max": "low"}}})),
        ("shin-low-impact", 50, then({"constraints": {"max_impact": {"max": "low"}}})),
        ("masters-moderate", 10, then({"constraints": {"max_impact": {"max": "moderate"}}})),
    ])
    warnings: list[str] = []
    cands = filter_candidates(CATALOG, facts_for(), res, constraints, warnings)
    by = {e.exercise_id: (e.by, e.reason) for e in cands.excluded}
    # same parameters from two rules: one check naming both; the first check that rejects wins
    assert by["pogo_hop"] == (
        "constraint:max_impact (rules race-week-low-impact, shin-low-impact)",
        "impact moderate is above low",
    )
    assert by["box_jump"][0].startswith("constraint:max_impact (rules race-week-low-impact")
    assert warnings == []


def test_always_on_constraint_asked_for_again_by_a_rule_is_applied_once() -> None:
    constraints = {"max_impact": Constraint("max_impact", "", _max_impact, plugin="p",
                                            always=False)}
    outcome = apply_constraints(
        CATALOG, {}, constraints, {"max_impact": {"max": "low"}},
        applied={"max_impact": [({"max": "low"}, "r1")]},
    )
    assert {e.by for e in outcome.excluded} == {"constraint:max_impact"}


def test_a_raising_constraint_is_called_once_per_exercise_and_warns_once() -> None:
    calls: list[str] = []

    def boom(ex: Any, context: Any, params: Any) -> None:
        calls.append(ex.id)
        raise ValueError("bad data")

    constraints = {"boom": Constraint("boom", "", boom, plugin="bad")}
    res = resolve([("r", 0, then({"constraints": {"boom": {}}}))])
    warnings: list[str] = []
    cands = filter_candidates(CATALOG, facts_for(), res, constraints, warnings)
    assert cands.allowed == []
    assert sorted(calls) == sorted(e.id for e in CATALOG)  # never checked a second time
    assert warnings == [
        "constraint 'boom' (plugin 'bad') raised ValueError: bad data; the exercises it was "
        "checking were excluded"
    ]
    assert {e.by for e in cands.excluded} == {"constraint:boom (rule r)"}


def test_a_rule_naming_a_constraint_no_plugin_provides_is_a_warning() -> None:
    res = resolve([("r", 0, then({"constraints": {"gone": {}}}))])
    warnings: list[str] = []
    filter_candidates(CATALOG, facts_for(), res, {}, warnings)
    assert warnings == ["Rule(s) 'r' apply constraint 'gone', which no plugin provides; it was "
                        "ignored."]


def test_rule_exclusions_are_memoised_per_resolved_and_exercise_history() -> None:
    res = resolve([
        ("no-jumps", 0, then({"exclude": {"tags": ["jump"]}})),
        ("familiar", 0, then({"exclude": {"novel": True}})),
    ])
    loaded = {"back_squat", "romanian_deadlift", "dumbbell_row"}  # the high-demand ones
    first = filter_candidates(CATALOG, facts_for(exercise_history=["back_squat"]), res, {}, [])
    assert loaded & {e.id for e in first.allowed} == {"back_squat"}
    other = filter_candidates(CATALOG, facts_for(exercise_history=["dumbbell_row"]), res, {}, [])
    assert loaded & {e.id for e in other.allowed} == {"dumbbell_row"}
    again = filter_candidates(CATALOG, facts_for(exercise_history=["back_squat"]), res, {}, [])
    assert again.excluded == first.excluded


def test_novelty_limits_leave_warm_ups_and_unloaded_work_in() -> None:
    # Issue 15 item 5: "no new exercises near a race" deleted mobility, core and activation.
    res = resolve([("familiar", 0, then({"exclude": {"novel": True}}))])
    allowed = {e.id for e in filter_candidates(
        CATALOG, facts_for(exercise_history=["back_squat"]), res, {}, []).allowed}
    assert {"leg_swings", "hip_circles", "plank", "dead_bug", "single_leg_balance"} <= allowed
    assert "romanian_deadlift" not in allowed and "dumbbell_row" not in allowed


def _counting(reads: tuple[str, ...] | None) -> tuple[dict[str, Constraint], list[str]]:
    calls: list[str] = []

    def needs_box(ex: Any, context: Any, params: Any) -> str | None:
        calls.append(ex.id)
        return None if "box" in (context.get("equipment") or ()) else "needs a box"

    return {"box": Constraint("box", "", needs_box, always=True, plugin="p", reads=reads)}, calls


def test_constraints_declaring_what_they_read_check_each_profile_once_not_each_request() -> None:
    constraints, calls = _counting(("equipment",))
    res, pool = resolve([]), Pool(CATALOG)  # as the engine holds them
    first = filter_candidates(pool, facts_for(equipment=["box"]), res, constraints, [])
    again = filter_candidates(pool, facts_for(equipment=["box"]), res, constraints, [])
    assert len(calls) == len(CATALOG)  # the second request reused the outcome
    assert [e.id for e in again.allowed] == [e.id for e in first.allowed]
    other = filter_candidates(pool, facts_for(equipment=[]), res, constraints, [])
    assert len(calls) == 2 * len(CATALOG) and other.allowed == []  # new values: checked again
    assert {e.reason for e in other.excluded} == {"needs a box"}


def test_constraints_that_may_read_anything_are_checked_on_every_request() -> None:
    constraints, calls = _counting(None)
    res, pool = resolve([]), Pool(CATALOG)
    for _ in range(2):
        filter_candidates(pool, facts_for(equipment=["box"]), res, constraints, [])
    assert len(calls) == 2 * len(CATALOG)


def test_a_reused_profile_gives_the_same_candidates_and_the_same_warnings_every_time() -> None:
    constraints, calls = _counting(("equipment",))
    res = resolve([("needs-calf", 0, then({"require": {"exercises": ["calf_raise"]},
                                           "exclude": {"exercises": ["calf_raise"]}}))])
    pool = Pool(CATALOG)
    runs = []
    for _ in range(3):
        warnings: list[str] = ["earlier warning"]
        cands = filter_candidates(pool, facts_for(equipment=["box"]), res, constraints, warnings)
        runs.append(([e.id for e in cands.allowed], [(e.exercise_id, e.by) for e in cands.excluded],
                     warnings))
    assert runs[0] == runs[1] == runs[2] and len(calls) < 2 * len(CATALOG)
    assert runs[0][2][0] == "earlier warning"
    assert any("calf_raise" in w and "cannot be met" in w for w in runs[0][2])
