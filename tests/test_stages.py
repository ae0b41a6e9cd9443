"""Rehab protocols progress in the data (stages) from the injury's `since` date."""

from __future__ import annotations

import datetime as dt

import pytest
from stridewise.service import Engine

ATHLETE = {
    "athlete_id": "rehab", "age": 35, "running_experience_years": 8,
    "strength_training_experience": "intermediate", "weekly_run_km": 50,
    "start_date": "2026-03-02", "equipment": ["dumbbell", "step", "machine", "band", "bench"],
}
ACHILLES = {"site": "achilles", "condition": "midportion_tendinopathy", "severity": "mild"}


@pytest.fixture(scope="module")
def engine():
    built = Engine.create(backend="python")
    yield built
    built.close()


def doses(body, exercise, engine):
    """Week number -> the (sets, reps) of `exercise` that week, from the response."""
    out: dict[int, set[tuple[int, int]]] = {}
    for sess in engine.recommend(body)["sessions"]:
        for item in sess["exercises"]:
            if item["id"] == exercise:
                out.setdefault(sess["day_offset"] // 7 + 1, set()).add(
                    (item["sets"], item["reps"]))
    return out


def since(weeks: int) -> str:
    return (dt.date(2026, 3, 2) - dt.timedelta(weeks=weeks)).isoformat()


def test_heavy_slow_resistance_goes_15rm_12_10_8_6rm_from_the_start(engine):
    body = {**ATHLETE, "horizon_days": 70, "injuries": [{**ACHILLES, "since": "2026-03-02"}]}
    weekly = doses(body, "seated_calf_raise", engine)
    assert weekly[1] == {(3, 15)} and weekly[2] == weekly[3] == {(3, 12)}
    assert weekly[4] == weekly[5] == {(4, 10)} and weekly[6] == {(4, 8)}
    assert weekly[9] == weekly[10] == {(4, 6)}
    sessions = engine.recommend(body)["sessions"]
    assert all(sum(1 for s in sessions if s["day_offset"] // 7 == w
                   and any(e["id"] == "seated_calf_raise" for e in s["exercises"])) == 3
               for w in range(10))  # three times a week (Beyer 2015)


def test_a_plan_continues_a_protocol_where_the_athlete_is(engine):
    body = {**ATHLETE, "injuries": [{**ACHILLES, "since": since(5)}]}  # protocol week 6
    assert doses(body, "seated_calf_raise", engine) == {1: {(4, 8)}}
    notes = engine.recommend(body)["notes"]
    assert any(n.startswith("hsr-calf-raises, protocol weeks 6-8: 4 x 8RM") for n in notes)
    restart = {**ATHLETE, "injuries": [ACHILLES]}  # no since: from the plan's first day
    assert doses(restart, "seated_calf_raise", engine) == {1: {(3, 15)}}


def test_rathleff_heel_raises_go_12rm_10rm_8rm(engine):
    plantar = {"site": "foot", "condition": "plantar_fasciitis", "severity": "mild"}
    body = {**ATHLETE, "horizon_days": 42, "equipment": ["band", "step"],
            "injuries": [{**plantar, "since": "2026-03-02"}]}
    weekly = doses(body, "single_leg_heel_raise_towel", engine)
    assert weekly[1] == weekly[2] == {(3, 12)} and weekly[3] == weekly[4] == {(4, 10)}
    assert weekly[5] == weekly[6] == {(5, 8)}


def test_the_nordic_ramp_starts_once_a_week_at_2x5(engine):
    strain = {"site": "hamstring", "condition": "strain_history", "severity": "resolved"}
    body = {**ATHLETE, "horizon_days": 84, "equipment": ["dumbbell", "bench", "band"],
            "injuries": [strain]}
    weekly = doses(body, "nordic_hamstring", engine)
    sessions = engine.recommend(body)["sessions"]
    per_week = {w: sum(1 for s in sessions if s["day_offset"] // 7 + 1 == w
                       and any(e["id"] == "nordic_hamstring" for e in s["exercises"]))
                for w in weekly}
    assert weekly[1] == {(2, 5)} and per_week[1] == 1
    assert weekly[2] == {(2, 6)} and per_week[2] == 2
    assert weekly[5] == {(3, 10)} and weekly[11] == {(3, 10)} and per_week[11] == 1
    familiar = {**body, "horizon_days": 7, "exercise_history": ["nordic_hamstring"]}
    assert doses(familiar, "nordic_hamstring", engine) == {1: {(3, 5)}}  # its own dose


def test_stages_must_start_at_week_one_and_rise(tmp_path):
    from stridewise.errors import RulesetError
    from stridewise.rules import load_ruleset

    rules = tmp_path / "r.yaml"
    rules.write_text(
        "ruleset: r\nrules:\n  - id: p\n    description: d\n    source: s\n"
        "    when: 'true'\n    then:\n      protocol:\n        id: x\n"
        "        exercises: [plank]\n        per_week: 3\n"
        "        stages: [{week: 2, sets: 3}, {week: 1, sets: 2}]\n"
    )
    with pytest.raises(RulesetError) as err:
        load_ruleset([rules], name="r")
    assert "stages start at week 1 and their weeks rise" in str(err.value.diagnostics)
