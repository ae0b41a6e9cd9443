"""The athlete context: what apps may send, what they get told when it is wrong, and the facts
rules see."""

from __future__ import annotations

import datetime as dt

import pytest
from stridewise.context import derive_facts, load_context, phase_for_days_until
from stridewise.errors import ContextError
from stridewise.facts import FACTS

MINIMAL = {
    "age": 34,
    "running_experience_years": 6,
    "strength_training_experience": "intermediate",
    "weekly_run_km": 55,
}


def context(**overrides):
    return {**MINIMAL, **overrides}


def test_minimal_context_gets_documented_defaults():
    loaded = load_context(MINIMAL, today=dt.date(2026, 11, 30))
    assert loaded["start_date"] == dt.date(2026, 11, 30)
    assert loaded["horizon_days"] == 7
    assert loaded["session_minutes_max"] == 60
    assert loaded["available_days"] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert loaded["equipment"] == [] and loaded["injuries"] == [] and loaded["race"] is None


def test_unknown_field_is_rejected_by_name_with_a_suggestion():
    with pytest.raises(ContextError) as err:
        load_context(context(phse="peak"))
    assert err.value.messages["phse"] == ["Unknown field 'phse'. Did you mean 'phase'?"]


def test_unknown_nested_field_is_named_inside_its_list_item():
    with pytest.raises(ContextError) as err:
        load_context(context(injuries=[{"sitee": "knee", "severity": "mild"}]))
    item = err.value.messages["injuries"][0]
    assert item["sitee"] == ["Unknown field 'sitee'. Did you mean 'site'?"]
    assert "site" in item


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("age", 13),
        ("age", 91),
        ("age", "thirty"),
        ("age", 30.5),
        ("horizon_days", 0),
        ("horizon_days", 183),
        ("weekly_run_km", 301),
        ("session_minutes_max", 9),
        ("sessions_per_week_max", 8),
        ("phase", "peek"),
        ("strength_training_experience", "expert"),
        ("equipment", ["barbell", "barbell"]),
        ("equipment", ["trx"]),
        ("available_days", ["monday"]),
        ("race", {"distance_km": 42.2, "days_until": -1}),
    ],
)
def test_out_of_range_or_wrong_typed_values_name_their_field(field, value):
    with pytest.raises(ContextError) as err:
        load_context(context(**{field: value}))
    assert field in err.value.messages
    assert field in str(err.value)


def test_a_non_object_body_is_a_context_error_not_a_crash():
    with pytest.raises(ContextError, match="must be a JSON object, not an array"):
        load_context([MINIMAL])


def test_key_run_outside_the_horizon_is_rejected_with_the_valid_range():
    with pytest.raises(ContextError) as err:
        load_context(context(horizon_days=3, key_run_sessions=[{"day_offset": 5, "type": "tempo"}]))
    message = err.value.messages["key_run_sessions"][0]["day_offset"][0]
    assert "use 0-2" in message


@pytest.mark.parametrize(
    ("days_until", "phase"),
    [(None, "base"), (0, "race_week"), (7, "race_week"), (10, "taper"), (30, "peak"),
     (60, "build"), (120, "base"), (300, "off_season")],
)
def test_phase_follows_the_race_date_when_not_given(days_until, phase):
    assert phase_for_days_until(days_until) == phase


def test_derived_facts_mark_where_the_phase_came_from():
    given = derive_facts(load_context(context(phase="build")))
    derived = derive_facts(load_context(context(race={"distance_km": 10, "days_until": 10})))
    assert (given["phase"], given["phase_source"]) == ("build", "request")
    assert (derived["phase"], derived["phase_source"]) == ("taper", "race_date")


def test_derived_facts_place_key_runs_and_a_race_inside_the_horizon_on_weekdays():
    loaded = load_context(
        context(
            start_date="2026-11-30",
            key_run_sessions=[{"day_offset": 2, "type": "intervals"}],
            race={"distance_km": 21.1, "days_until": 6},
        )
    )
    facts = derive_facts(loaded)
    assert facts["horizon_weekdays"][0] == "mon"
    assert facts["key_run_days"] == [2, 6]
    assert facts["key_run_types"] == ["intervals", "race"]
    assert facts["key_run_sessions"][0]["weekday"] == "wed"
    assert facts["days_to_race"] == 6


def test_resolved_injuries_are_not_active():
    facts = derive_facts(
        load_context(
            context(
                injuries=[
                    {"site": "knee", "condition": "patellofemoral_pain", "severity": "resolved"},
                    {"site": "achilles", "condition": "midportion_tendinopathy",
                     "severity": "mild"},
                ]
            )
        )
    )
    assert [i["site"] for i in facts["active_injuries"]] == ["achilles"]
    assert len(facts["injuries"]) == 2


def test_every_derived_fact_has_a_declared_type():
    facts = derive_facts(load_context(MINIMAL))
    assert set(facts) <= set(FACTS)


@pytest.mark.parametrize("field", ["athlete_id", "exercise_history"])
def test_text_that_is_not_valid_unicode_is_rejected_by_field(field):
    value = "\ud800" if field == "athlete_id" else ["plank", "\ud800"]
    with pytest.raises(ContextError) as err:
        load_context(context(**{field: value}))
    assert "lone surrogate" in str(err.value)
    assert field in err.value.messages
