"""The `then` vocabulary: what a coach may write, and the messages for what they may not."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError
from stridewise.directives import BUILTINS, Vocabulary, then_schema


def load(then, vocabulary=None):
    return then_schema(vocabulary).load(then)


def errors(then, vocabulary=None):
    with pytest.raises(ValidationError) as err:
        load(then, vocabulary)
    return err.value.messages


def test_design_example_directives_load():
    loaded = load(
        {
            "sessions_per_week": {"max": 1},
            "sets": {"max": 2},
            "require": {"categories": ["joint_mobility"]},
            "exclude": {"novel": True},
        }
    )
    assert loaded["sessions_per_week"] == {"min": None, "max": 1}
    assert loaded["require"] == [{"categories": ["joint_mobility"], "count": 1, "per": "week"}]


def test_a_requirement_may_carry_its_own_priority_within_0_to_100():
    loaded = load({"require": {"categories": ["core"], "priority": 50}})
    assert loaded["require"] == [{"categories": ["core"], "count": 1, "per": "week",
                                  "priority": 50}]
    assert "between 0 and 100" in str(errors({"require": {"categories": ["core"],
                                                          "priority": 101}}))
    assert "Not a valid integer" in str(errors({"require": {"categories": ["core"],
                                                            "priority": "high"}}))


def test_unknown_category_suggests_the_closest_known_one():
    messages = errors({"require": {"categories": ["mobilty"]}})
    assert "unknown category 'mobilty'; did you mean 'joint_mobility'?" in str(messages)


def test_unknown_directive_key_is_rejected():
    assert "sesions_per_week" in errors({"sesions_per_week": {"max": 1}})


def test_inverted_range_is_rejected():
    assert "min 3 is above max 2" in str(errors({"sets": {"min": 3, "max": 2}}))


def test_range_outside_its_limits_names_the_end():
    assert errors({"sessions_per_week": {"max": 9}})["sessions_per_week"] == {
        "max": ["must be between 0 and 7"]
    }


def test_protocol_without_exercises_or_tags_is_rejected():
    assert "name the exercises or tags" in str(errors({"protocol": {"id": "x", "per_week": 3}}))


def test_exercise_ids_are_checked_when_the_catalog_is_known():
    vocabulary = Vocabulary(exercise_ids=frozenset({"plank"}))
    assert load({"exclude": {"exercises": ["plank"]}}, vocabulary)
    messages = errors({"exclude": {"exercises": ["plnak"]}}, vocabulary)
    assert "unknown exercise 'plnak'" in str(messages)


def test_every_directive_is_described():
    assert set(BUILTINS) == set(then_schema().fields)
