"""Conflict resolution: every fired directive -> one prescription, with provenance."""

from __future__ import annotations

from marshmallow import fields
from planning_helpers import then
from stridewise.planning.resolve import resolve


def test_bounds_intersect_to_the_most_restrictive():
    res = resolve([
        ("a", 10, then({"sets": {"min": 2, "max": 5}})),
        ("b", 0, then({"sets": {"max": 3}})),
    ])
    assert res.bound("sets").to_dict() == {"min": 2, "max": 3}
    assert res.bound("sets").because == ["a", "b"]
    assert res.warnings == []


def test_an_empty_intersection_keeps_the_higher_priority_bound_and_warns_naming_both():
    res = resolve([
        ("low", 0, then({"sets": {"min": 4}})),
        ("high", 50, then({"sets": {"max": 2}})),
    ])
    assert res.bound("sets").to_dict() == {"min": None, "max": 2}
    assert len(res.warnings) == 1
    assert "'low'" in res.warnings[0] and "'high'" in res.warnings[0]


def test_equal_priority_conflict_keeps_the_first_fired():
    res = resolve([
        ("first", 0, then({"reps": {"min": 10}})),
        ("second", 0, then({"reps": {"max": 5}})),
    ])
    assert res.bound("reps").to_dict() == {"min": 10, "max": None}
    assert "'second'" in res.warnings[0]


def test_intensity_ranges_resolve_per_measure():
    res = resolve([
        ("a", 0, then({"intensity": {"pct_1rm": {"max": 75}, "rpe": {"max": 7}}})),
        ("b", 0, then({"intensity": {"pct_1rm": {"min": 60, "max": 85}}})),
    ])
    assert res.intensity["pct_1rm"].to_dict() == {"min": 60, "max": 75}
    assert res.intensity["rpe"].to_dict() == {"min": None, "max": 7}


def test_smallest_volume_scale_wins():
    res = resolve([
        ("a", 90, then({"volume_scale": 0.8})),
        ("b", 0, then({"volume_scale": 0.5})),
    ])
    assert res.volume_scale == 0.5 and res.volume_because == ["b"]


def test_exclusions_and_constraints_are_unions_with_their_rules():
    res = resolve([
        ("knee", 50, then({"exclude": {"tags": ["jump"]},
                            "constraints": {"max_impact": {"max": "low"}}})),
        ("novice", 0, then({"exclude": {"tags": ["jump", "bound"], "levels": ["advanced"]}})),
    ])
    assert res.exclude["tags"] == {"jump": ["knee", "novice"], "bound": ["novice"]}
    assert res.exclude["levels"] == {"advanced": ["novice"]}
    assert res.constraints["max_impact"] == [({"max": "low"}, "knee")]


def test_emphasis_highest_priority_wins_and_equal_priority_multiplies():
    res = resolve([
        ("a", 0, then({"emphasis": {"core": 2.0, "plyometrics": 1.5}})),
        ("b", 0, then({"emphasis": {"core": 1.5}})),
        ("c", 10, then({"emphasis": {"plyometrics": 0}})),
    ])
    assert res.emphasis == {"plyometrics": 0.0, "core": 3.0}
    assert res.emphasis_because == {"plyometrics": ["c"], "core": ["a", "b"]}


def test_protocols_union_by_id_higher_priority_wins():
    one = {"id": "heel", "exercises": ["calf_raise"], "per_week": 3}
    two = {"id": "heel", "exercises": ["calf_raise"], "per_week": 7}
    other = {"id": "nordic", "exercises": ["glute_bridge"], "per_week": 2}
    res = resolve([
        ("low", 0, then({"protocol": [one, other]})),
        ("high", 80, then({"protocol": two})),
    ])
    assert res.protocols["heel"][0]["per_week"] == 7 and res.protocols["heel"][1] == "high"
    assert res.protocols["nordic"][1] == "low"


def test_hours_take_the_largest():
    res = resolve([
        ("a", 0, then({"spacing": {"heavy_hours": 48}, "after_run": {"min_hours": 6},
                       "away_from": {"events": ["race"], "kinds": ["heavy"],
                                     "hours_before": 96}})),
        ("b", 0, then({"spacing": {"heavy_hours": 72},
                       "away_from": {"events": ["race", "intervals"], "kinds": ["heavy"],
                                     "hours_before": 240}})),
    ])
    assert res.heavy_hours == 72 and res.heavy_because == ["b"]
    assert res.after_run_hours == 6
    assert res.away_from[("race", "heavy")]["hours_before"] == 240
    assert res.away_from[("intervals", "heavy")]["hours_before"] == 240


def test_notes_keep_firing_order_without_duplicates():
    res = resolve([
        ("high", 90, then({"notes": ["B", "A"]})),
        ("low", 0, then({"notes": ["A", "C"]})),
    ])
    assert [text for text, _ in res.notes] == ["B", "A", "C"]
    assert dict(res.notes)["A"] == ["high", "low"]


def test_requirements_union_and_the_same_ask_merges():
    res = resolve([
        ("a", 0, then({"require": {"categories": ["core"], "count": 1}})),
        ("b", 5, then({"require": [{"categories": ["core"], "count": 2},
                                   {"tags": ["single_leg"], "per": "session"}]})),
    ])
    assert [(r.categories, r.tags, r.count, r.per) for r in res.requirements] == [
        (("core",), (), 2, "week"),
        ((), ("single_leg",), 1, "session"),
    ]
    assert res.requirements[0].because == ["b", "a"]


def test_plugin_directives_are_collected_in_precedence_order():
    from stridewise.models import DirectiveSpec

    spec = DirectiveSpec("deload", "", fields.Boolean())
    res = resolve([("a", 0, {"deload": True}), ("b", 9, {"deload": False})],
                  directives={"deload": spec})
    assert res["deload"].value == [("b", False), ("a", True)]
    assert res["deload"].because == ["b", "a"]


def test_to_dict_uses_the_then_keys():
    res = resolve([("a", 0, then({"sessions_per_week": {"max": 1}, "volume_scale": 0.6,
                                  "exclude": {"novel": True}}))])
    data = res.to_dict()
    assert data["sessions_per_week"] == {"min": None, "max": 1}
    assert data["volume_scale"] == 0.6
    assert data["exclude"]["novel"] is True
    assert data["spacing"] == {"heavy_hours": None}


def test_fired_rule_objects_are_accepted():
    class Rule:
        id, priority, then = "r", 3, {"sets": {"min": None, "max": 2.0}}

    class Fired:
        rule = Rule()

    assert resolve([Fired()]).bound("sets").max == 2


def test_resolved_maps_each_asked_directive_to_its_value_and_rules():
    res = resolve([
        ("cap", 10, then({"sets": {"max": 3}, "notes": ["n"]})),
        ("floor", 0, then({"sets": {"min": 2}})),
    ])
    assert list(res) == ["sets", "notes"]  # registry order, only what a rule asked for
    assert res["sets"].value.to_dict() == {"min": 2, "max": 3}
    assert res["sets"].because == ["floor", "cap"]  # the rules behind the min, then the max
    assert "reps" not in res and res.value("reps") is None and res.because("reps") == []
    assert res.entries() == [("sets", {"min": 2, "max": 3}, ["floor", "cap"]),
                             ("notes", "n", ["cap"])]


def test_a_spec_can_say_how_explain_lists_it():
    from stridewise.directives.merge import MaxMerge
    from stridewise.models import DirectiveSpec

    spec = DirectiveSpec("warmup_minutes", "", fields.Integer(), merge=MaxMerge(cast=int),
                         explain=lambda name, r: [(f"{name} (minutes)", r.value, r.because)])
    res = resolve([("a", 0, {"warmup_minutes": 5}), ("b", 0, {"warmup_minutes": 10})],
                  directives={"warmup_minutes": spec})
    assert res["warmup_minutes"].value == 10
    assert res.entries() == [("warmup_minutes (minutes)", 10, ["b"])]
    assert res.to_dict()["warmup_minutes"] == 10
