"""The example plugin's own tests, written the way a plugin author would with stridewise.testing."""

from __future__ import annotations

import stridewise_example
from stridewise.directives import then_schema
from stridewise.testing import build_catalog, check_constraint, plugin_manager


def test_catalog_is_clean_and_carries_the_plugin_name() -> None:
    catalog = build_catalog(("stridewise_example", stridewise_example), strict=True)
    assert list(catalog.categories) == ["running_drills"]
    assert len(catalog.exercises) == 5
    assert {e.plugin for e in catalog.exercises.values()} == {"stridewise_example"}
    assert catalog.by_category["running_drills"] == set(catalog.exercises)


def test_every_hook_is_implemented_without_problems() -> None:
    plugins = plugin_manager(("stridewise_example", stridewise_example))
    report = plugins.reports["stridewise_example"]
    assert report.hooks == ["register_categories", "register_constraints", "register_exercises"]
    assert not report.problems


def test_drill_experience_constraint() -> None:
    catalog = build_catalog(stridewise_example)
    outcome = check_constraint(
        catalog, "drill_experience", {"running_experience_years": 1}, {"min_years": 2}
    )
    assert [e.exercise_id for e in outcome.excluded] == ["straight_leg_bound_drill"]
    assert outcome.excluded[0].by == "constraint:drill_experience"
    veteran = {"running_experience_years": 5}
    assert not check_constraint(catalog, "drill_experience", veteran).excluded


def test_rules_can_use_the_category_and_constraint() -> None:
    schema = then_schema(build_catalog(stridewise_example).vocabulary())
    assert not schema.validate(
        {"require": {"categories": ["running_drills"]},
         "constraints": {"drill_experience": {"min_years": 3}}}
    )
    bad = {"constraints": {"drill_experience": {"min_years": -1}}}
    assert "constraints" in schema.validate(bad)
