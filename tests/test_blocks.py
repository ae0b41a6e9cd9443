"""Plans over 7 days: 7-day blocks, each with the facts as of its first day."""

from __future__ import annotations

import textwrap
from itertools import pairwise

import pytest
from stridewise.planning.prescribe import is_heavy
from stridewise.planning.schedule import hours_before
from stridewise.service import Engine

BODY = {
    "athlete_id": "runner-28",
    "age": 34,
    "running_experience_years": 6,
    "strength_training_experience": "intermediate",
    "weekly_run_km": 55,
    "start_date": "2026-11-30",
    "equipment": ["barbell", "dumbbell", "bench", "box", "band"],
}
MARATHON_DAY_24 = {
    **BODY,
    "horizon_days": 28,
    "race": {"distance_km": 42.2, "days_until": 24, "priority": "A"},
    "key_run_sessions": [{"day_offset": 2, "type": "intervals"},
                         {"day_offset": 12, "type": "long_run"},
                         {"day_offset": 20, "type": "tempo"}],
}


@pytest.fixture(scope="module")
def engine():
    built = Engine.create(backend="python")
    yield built
    built.close()


def heavy_days(trace) -> list[int]:
    return [s.day_offset for s in trace.plan.sessions
            if any(is_heavy(pe.exercise, pe.prescription) for pe in s.exercises)]


def test_a_28_day_plan_into_a_race_is_heavy_early_and_tapers_late(engine):
    trace = engine.trace(MARATHON_DAY_24)
    body = trace.response
    phases = [evaluation.facts["phase"] for evaluation, _, _ in trace.blocks]
    assert len(phases) == 4 and body["phase"] == phases[0] == "peak"
    assert phases[-1] in ("race_week", "taper") and phases[2] in ("taper", "race_week")
    assert [evaluation.facts["race"]["days_until"] for evaluation, _, _ in trace.blocks] == [
        24, 17, 10, 3]
    heavy = heavy_days(trace)
    assert heavy and min(heavy) < 7  # heavy work early
    windows = [res.away_from[("race", "heavy")]["hours_before"] for _, res, _ in trace.blocks]
    for day in heavy:  # none inside the largest pre-race window any block set
        assert hours_before(day, 24) >= max(windows)
    assert not [d for d in heavy if d >= 21]
    assert all(s["day_offset"] != 24 for s in body["sessions"])
    last = [s for s in body["sessions"] if s["day_offset"] >= 21]
    assert last and all(s["focus"].endswith(f"[{phases[-1]}]") for s in last)
    assert [s["day_offset"] for s in body["sessions"]] == sorted(
        s["day_offset"] for s in body["sessions"])
    assert body["horizon_days"] == 28 and body["start_date"] == "2026-11-30"
    assert body["sessions"][-1]["date"] == f"2026-12-{body['sessions'][-1]['day_offset']:02d}"


def test_blocks_are_deterministic(engine):
    first = engine.recommend(MARATHON_DAY_24)
    assert engine.recommend(MARATHON_DAY_24) == first
    other = Engine.create(backend="python")
    try:
        assert other.recommend(MARATHON_DAY_24) == first
    finally:
        other.close()


def test_fired_excluded_warnings_and_notes_are_merged_without_duplicates(engine):
    body = engine.recommend(MARATHON_DAY_24)
    rules = [f["rule"] for f in body["fired"]]
    assert len(rules) == len(set(rules)) and "race-week-minimal" in rules
    keys = [(e["exercise_id"], e["by"]) for e in body["excluded"]]
    assert len(keys) == len(set(keys))
    assert len(body["warnings"]) == len(set(body["warnings"]))
    assert len(body["notes"]) == len(set(body["notes"]))
    used = {(s["day_offset"] // 7, e["id"]) for s in body["sessions"] for e in s["exercises"]}
    for entry in body["excluded"]:  # excluded in some blocks only: says on which days
        if any(ex_id == entry["exercise_id"] for _, ex_id in used):
            assert "(days " in entry["reason"]


def test_a_week_or_less_is_one_block(engine):
    trace = engine.trace({**MARATHON_DAY_24, "horizon_days": 7, "key_run_sessions": []})
    assert trace.blocks == []
    assert not any(s["focus"].endswith("]") for s in trace.response["sessions"])


def test_after_an_a_race_the_plan_is_post_race_recovery(engine):
    race = {"distance_km": 10, "days_until": 9, "priority": "A"}
    trace = engine.trace({**BODY, "horizon_days": 21, "race": race})
    facts = [evaluation.facts for evaluation, _, _ in trace.blocks]
    assert facts[1]["race"] == {**race, "days_until": 2}
    assert facts[2]["race"] is None and facts[2]["phase"] == "transition"
    b_race = engine.trace({**BODY, "horizon_days": 21, "race": {**race, "priority": "B"}})
    assert b_race.blocks[2][0].facts["phase"] == "base"  # as with no race
    given = engine.trace({**BODY, "horizon_days": 21, "phase": "build", "race": race})
    assert given.blocks[2][0].facts["phase"] == "build"  # a phase the athlete gave stays


RULES = """\
ruleset: boundaries
rules:
  - id: spaced
    description: Heavy days far apart; nothing heavy two days before intervals.
    source: test
    when: "true"
    then:
      sessions_per_week: {min: 3, max: 3}
      spacing: {heavy_hours: 96}
      away_from: {events: [intervals], kinds: [heavy], hours_before: 48}
      prescribe: [{for: {tags: [heavy_capable]}, intensity: {rpe: {min: 8}}}]
      emphasis: {heavy_capable: 5}
"""


def test_spacing_and_away_from_hold_across_block_boundaries(tmp_path):
    rules = tmp_path / "boundaries.yaml"
    rules.write_text(textwrap.dedent(RULES))
    engine = Engine.create(rules=[rules], backend="python", env={})
    try:
        trace = engine.trace({**BODY, "horizon_days": 21,
                              "key_run_sessions": [{"day_offset": 7, "type": "intervals"},
                                                   {"day_offset": 14, "type": "intervals"}]})
    finally:
        engine.close()
    heavy = heavy_days(trace)
    assert len(heavy) >= 3
    for a, b in pairwise(heavy):
        assert (b - a) * 24 >= 96
    assert not {5, 6, 12, 13} & set(heavy)  # within 48 h before the next block's intervals
