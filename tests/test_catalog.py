"""The catalog: schemas, provenance, duplicates, dangling references, order, indexes."""

from __future__ import annotations

import time
from typing import Any

import pytest
from plugin_helpers import Categories, Exercises, make_exercise
from stridewise import CatalogError, Constraint, DirectiveSpec, Exercise, hookimpl
from stridewise.catalog import ExerciseSchema, build_catalog, exercise_to_dict
from stridewise.directives import then_schema
from stridewise.testing import build_catalog as catalog_of
from stridewise.testing import plugin_manager


def test_exercise_schema_loads_the_architecture_example() -> None:
    entry = make_exercise(
        "back_squat",
        equipment=["barbell", "bench"],
        prescription={
            "sets": 3,
            "reps": {"min": 3, "max": 6},
            "intensity": {"pct_1rm": 80, "rpe": 8, "rir": 2},
            "rest_s": 150,
            "tempo": "2-0-1-0",
            "per_side": False,
        },
        contraindications=["patellofemoral_pain", "low_back"],
    )
    exercise = ExerciseSchema().load(entry)
    assert isinstance(exercise, Exercise)
    assert exercise.prescription.reps == (3, 6)
    assert exercise.prescription.intensity.pct_1rm == 80
    assert exercise.equipment == ("barbell", "bench")
    assert exercise_to_dict(exercise)["prescription"]["reps"] == {"min": 3, "max": 6}


def test_items_carry_their_plugin_and_order_is_by_id_whatever_the_load_order() -> None:
    first = Exercises(make_exercise("side_plank"), make_exercise("bird_dog"))
    second = Exercises(make_exercise("plank"))
    a = catalog_of(("cats", Categories()), ("zeta", first), ("alpha", second))
    b = catalog_of(("alpha", second), ("zeta", first), ("cats", Categories()))
    assert list(a.exercises) == list(b.exercises) == ["bird_dog", "plank", "side_plank"]
    assert list(a.categories) == ["core", "plyometrics"]
    assert a.exercises["plank"].plugin == "alpha"
    assert a.categories["core"].plugin == "cats"


def test_invalid_item_is_rejected_with_plugin_hook_item_and_fields() -> None:
    bad = make_exercise("box_jump", impact="extreme", catgories=["plyometrics"])
    plugins = plugin_manager(
        ("cats", Categories()), ("moves", Exercises(bad, make_exercise("plank")))
    )
    catalog = build_catalog(plugins)
    assert list(catalog.exercises) == ["plank"]
    (problem,) = plugins.reports["moves"].errors
    text = str(problem)
    assert text.startswith("plugin 'moves', hook register_exercises(), item 'box_jump':")
    assert "field 'impact': Must be one of: none, low, moderate, high." in text
    assert "field 'catgories': Unknown field 'catgories'. Did you mean 'categories'?" in text
    assert problem.fields and set(problem.fields) == {"impact", "catgories"}
    assert plugins.reports["moves"].contributed == {"exercise": 1}


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"prescription": {"sets": 3}}, "prescription"),
        ({"prescription": {"sets": 3, "reps": {"min": 8, "max": 5}}}, "prescription"),
        ({"equipment": ["trampoline"]}, "equipment"),
        ({"contraindications": ["broken_heart"]}, "contraindications"),
        ({"id": "Box Jump"}, "id"),
        ({"categories": []}, "categories"),
        ({"minutes": 0}, "minutes"),
    ],
)
def test_schema_rejects_bad_fields(override: dict[str, Any], field: str) -> None:
    moves = Exercises(make_exercise("x", **override))
    plugins = plugin_manager(("cats", Categories()), ("m", moves))
    catalog = build_catalog(plugins)
    assert not catalog.exercises
    assert field in (plugins.reports["m"].errors[0].fields or {})


def test_non_dict_items_and_non_list_results_are_reported() -> None:
    class Odd:
        @hookimpl
        def register_exercises(self) -> Any:
            return ["plank"]

        @hookimpl
        def register_categories(self) -> Any:
            return {"id": "core"}

    plugins = plugin_manager(("odd", Odd()))
    build_catalog(plugins)
    messages = [str(p) for p in plugins.reports["odd"].errors]
    assert "plugin 'odd', hook register_categories(): must return a list, not dict" in messages
    assert "plugin 'odd', hook register_exercises(), item '#0': expected a dict, got str" in (
        messages
    )


def test_unknown_category_is_rejected_with_known_ones() -> None:
    plugins = plugin_manager(
        ("cats", Categories()), ("m", Exercises(make_exercise("x", categories=["mobilty"])))
    )
    assert not build_catalog(plugins).exercises
    assert "unknown category 'mobilty'; known: core, plyometrics" in str(
        plugins.reports["m"].errors[0]
    )


def test_duplicate_id_is_an_error_naming_both_plugins_and_resolution_is_stable() -> None:
    mine = Exercises(make_exercise("plank", name="Mine"))
    theirs = Exercises(make_exercise("plank", name="Theirs"))
    pairs = [("b_theirs", theirs), ("a_mine", mine)]
    for order in (pairs, pairs[::-1]):
        plugins = plugin_manager(("cats", Categories()), *order)
        catalog = build_catalog(plugins)
        assert catalog.exercises["plank"].name == "Mine"
        for name in ("a_mine", "b_theirs"):
            (problem,) = plugins.reports[name].errors
            assert "duplicate exercise 'plank': given by plugins 'a_mine' and 'b_theirs'" in str(
                problem
            )
    with pytest.raises(CatalogError, match="duplicate exercise 'plank'"):
        catalog.raise_for_problems()


def test_dangling_and_self_references_are_reported_and_dropped() -> None:
    entry = make_exercise(
        "plank", progressions=["side_plank", "plank_jacks"], regressions=["plank"]
    )
    plugins = plugin_manager(
        ("cats", Categories()), ("m", Exercises(entry, make_exercise("side_plank")))
    )
    catalog = build_catalog(plugins)
    assert catalog.exercises["plank"].progressions == ("side_plank",)
    assert catalog.exercises["plank"].regressions == ()
    messages = [str(p) for p in plugins.reports["m"].errors]
    dangling = "'progressions' names 'plank_jacks', which no plugin provides"
    assert any(dangling in m for m in messages)
    assert any("'regressions' refers to the exercise itself" in m for m in messages)


def test_indexes_and_select() -> None:
    catalog = catalog_of(
        Categories(),
        Exercises(
            make_exercise("plank"),
            make_exercise("pallof_press", equipment=["band"], tags=["anti_rotation"]),
            make_exercise("box_jump", categories=["plyometrics"], equipment=["box"], tags=["jump"]),
        ),
        strict=True,
    )
    assert catalog.by_category["core"] == {"plank", "pallof_press"}
    assert catalog.by_equipment == {"band": {"pallof_press"}, "box": {"box_jump"}}
    ids = [e.id for e in catalog.select(available=[])]
    assert ids == ["plank"]
    assert [e.id for e in catalog.select(available=["band"])] == ["pallof_press", "plank"]
    assert [e.id for e in catalog.select(tags=["jump", "anti_rotation"])] == [
        "box_jump",
        "pallof_press",
    ]
    assert [e.id for e in catalog.select(categories=["core"], uses=["band"])] == ["pallof_press"]


def test_constraints_and_directives_are_validated_and_enter_the_vocabulary() -> None:
    from marshmallow import fields

    class Extras:
        @hookimpl
        def register_constraints(self) -> list[Any]:
            return [
                Constraint("no_mondays", "Never on Monday.", lambda ex, ctx, p: None),
                Constraint("Bad Name", "x", lambda ex, ctx, p: None),
                "not a constraint",
            ]

        @hookimpl
        def register_directives(self) -> list[Any]:
            return [
                DirectiveSpec("warmup_minutes", "Minutes of warm-up.", fields.Integer()),
                DirectiveSpec("sets", "redefines a built-in", fields.Integer()),
            ]

    plugins = plugin_manager(("cats", Categories()), ("extras", Extras()))
    catalog = build_catalog(plugins)
    assert catalog.constraints["no_mondays"].plugin == "extras"
    assert list(catalog.directives) == ["warmup_minutes"]
    messages = " | ".join(str(p) for p in plugins.reports["extras"].errors)
    assert "'Bad Name' is not a snake_case constraint name" in messages
    assert "expected a stridewise.Constraint, got str" in messages
    assert "'sets' is a built-in directive" in messages
    schema = then_schema(catalog.vocabulary())
    loaded = schema.load({"warmup_minutes": 10, "constraints": {"no_mondays": None}})
    assert loaded["warmup_minutes"] == 10


def test_builtin_plugins_build_quickly() -> None:
    from stridewise.plugin_manager import load_plugins

    started = time.perf_counter()
    catalog = build_catalog(load_plugins(env={}))
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0
    assert {"equipment_available", "contraindications"} <= set(catalog.constraints)
    started = time.perf_counter()
    for _ in range(1000):
        catalog.select(categories=["core"], available=["band"])
    assert (time.perf_counter() - started) / 1000 < 0.001


def test_duplicate_within_one_plugin_is_reported_once() -> None:
    plugins = plugin_manager(
        ("cats", Categories()), ("m", Exercises(make_exercise("plank"), make_exercise("plank")))
    )
    assert list(build_catalog(plugins).exercises) == ["plank"]
    (problem,) = plugins.reports["m"].errors
    assert "duplicate exercise 'plank': given twice" in str(problem)
