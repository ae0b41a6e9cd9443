"""The design §6 response: exact keys, types, nulls, and the schema as the reference."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from planning_helpers import CATALOG, ex, facts_for, then
from stridewise.planning.planner import plan
from stridewise.planning.resolve import resolve
from stridewise.response import ResponseSchema, build_response, display_path, dump_response

TOP = ["ruleset", "phase", "start_date", "horizon_days", "sessions", "fired", "excluded",
       "warnings", "notes", "weeks", "phases"]
SESSION = ["day_offset", "date", "weekday", "after_run", "hours_from_run", "duration_min",
           "focus", "exercises", "home"]
EXERCISE = ["id", "name", "categories", "equipment", "impact", "level", "tags",
            "primary_muscles", "sets", "reps", "seconds", "ground_contacts", "intensity",
            "rest_s", "load_kg", "load_basis", "because", "plugin", "bouts_per_day"]
RULE = SimpleNamespace(id="knee", section="injuries", file="rulesets/default/knee.yaml", line=7)


def body(rules=(), catalog=CATALOG, **context):
    p = plan(facts_for(**context), resolve(list(rules)), catalog, {})
    return p, build_response(p, [SimpleNamespace(rule=RULE)],
                             {"name": "default", "version": "sha256:abc"})


def test_the_body_has_exactly_the_contract_keys_in_order():
    _, data = body([("knee", 0, then({"exclude": {"tags": ["jump"]}, "notes": ["hi"]}))],
                   key_run_sessions=[{"day_offset": 0, "type": "tempo"}])
    assert list(data) == TOP
    assert data["ruleset"] == {"name": "default", "version": "sha256:abc"}
    assert data["phase"] == "base" and data["start_date"] == "2026-01-05"
    assert data["horizon_days"] == 7
    for sess in data["sessions"]:
        assert list(sess) == SESSION
        for item in sess["exercises"]:
            assert list(item) == EXERCISE
            assert list(item["intensity"]) == ["pct_1rm", "rpe", "rir"]
    assert data["fired"] == [{"rule": "knee", "ruleset": "injuries",
                              "file": "rulesets/default/knee.yaml", "line": 7}]
    assert all(list(e) == ["exercise_id", "reason", "by"] for e in data["excluded"])
    assert data["notes"] == ["hi"] and isinstance(data["warnings"], list)
    json.dumps(data)  # plain JSON types only


def test_unused_prescription_fields_are_null_and_numbers_are_whole():
    _, data = body(catalog=[
        ex("plank", ("core",), seconds=30),
        ex("back_squat", ("functional_strength",), ("heavy_capable",), ("barbell",), reps=5,
           pct=80.0,
           rpe=8.0, rir=2),
    ])
    items = {i["id"]: i for s in data["sessions"] for i in s["exercises"]}
    assert items["plank"]["reps"] is None and items["plank"]["seconds"] == 30
    assert items["plank"]["ground_contacts"] is None
    assert items["plank"]["intensity"] == {"pct_1rm": None, "rpe": None, "rir": None}
    squat = items["back_squat"]["intensity"]
    assert squat == {"pct_1rm": 80, "rpe": 8, "rir": 2}
    assert all(isinstance(v, int) for v in squat.values())


def test_rep_ranges_are_min_max_objects():
    _, data = body(catalog=[ex("push_up", ("upper_body",), reps=(8, 12))])
    item = data["sessions"][0]["exercises"][0]
    assert item["reps"] == {"min": 8, "max": 12}


def test_the_fast_path_equals_the_marshmallow_schema_dump():
    p, data = body([("knee", 0, then({"exclude": {"tags": ["jump"]}}))],
                   key_run_sessions=[{"day_offset": 3, "type": "tempo"}])
    reference = dump_response(p, [SimpleNamespace(rule=RULE)],
                              {"name": "default", "version": "sha256:abc"})
    assert json.dumps(data) == json.dumps(reference)


def test_the_body_round_trips_through_the_schema():
    _, data = body()
    errors = ResponseSchema().validate(data)
    assert errors == {}


def test_rule_files_are_shown_relative_to_the_project():
    from stridewise import response

    absolute = Path(response.__file__).resolve().parent.parent / "rulesets/default/base.yaml"
    assert display_path(absolute) == "rulesets/default/base.yaml"
    assert display_path("elsewhere/x.yaml") == "elsewhere/x.yaml"


def test_excluded_entries_are_fresh_and_follow_the_list_they_came_from():
    from stridewise.models import Exclusion
    from stridewise.response import excluded_entries

    excluded = [Exclusion("box_jump", "needs box", "constraint:equipment"),
                Exclusion("nordic_hamstring", "tag 'eccentric' excluded", "taper")]
    first = excluded_entries(excluded)
    assert first == [{"exercise_id": "box_jump", "reason": "needs box",
                      "by": "constraint:equipment"},
                     {"exercise_id": "nordic_hamstring", "reason": "tag 'eccentric' excluded",
                      "by": "taper"}]
    first[0]["reason"] = "changed by a caller"  # a body is its caller's to change
    assert excluded_entries(excluded)[0]["reason"] == "needs box"
    excluded[1] = Exclusion("plank", "category 'core' excluded", "rest")  # the same list, changed
    assert [e["exercise_id"] for e in excluded_entries(excluded)] == ["box_jump", "plank"]
    excluded.append(Exclusion("squat", "needs barbell", "constraint:equipment"))
    assert len(excluded_entries(excluded)) == 3
