"""`max_per_session`: the most exercises of a kind one session holds. It wins over a `require`
that placed an item, and says so in a warning a coach can read (the hamstring cap, c25)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from stridewise.rules import check_paths
from stridewise.service import Engine

BODY = {
    "athlete_id": "capped", "age": 35, "running_experience_years": 8,
    "strength_training_experience": "intermediate", "weekly_run_km": 50,
    "start_date": "2026-01-05", "horizon_days": 14, "phase": "base",
    "equipment": ["dumbbell", "kettlebell", "band", "bench", "stability_ball", "box", "step"],
}
BALANCE = """\
ruleset: caps
rules:
  - id: lots-of-balance
    when: "true"
    then:
      sessions_per_week: {min: 2, max: 2}
      require: {categories: [stability_balance], count: 3, per: session}
"""
CAPS = """\
  - id: cap-two
    when: "true"
    then:
      max_per_session: {categories: [stability_balance], count: 2}
  - id: cap-one
    priority: 5
    when: "true"
    then:
      max_per_session: {categories: [stability_balance]}
"""


def engine_for(folder: Path) -> Any:
    return Engine.create(rules=folder, backend="python")  # the installed plugins, these rules


def balance_counts(body: dict[str, Any], engine: Any) -> list[int]:
    cats = {ex.id: ex.categories for ex in engine.catalog.exercises.values()}
    return [sum("stability_balance" in cats[e["id"]] for e in s["exercises"])
            for s in body["sessions"]]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    return rules


def test_the_smallest_cap_wins_over_the_requirement_with_a_warning(folder: Path) -> None:
    (folder / "caps.yaml").write_text(BALANCE)
    engine = engine_for(folder)
    before = balance_counts(engine.recommend(BODY), engine)
    engine.close()
    assert max(before) >= 2  # so the cap has something to cut

    (folder / "caps.yaml").write_text(BALANCE + CAPS)
    engine = engine_for(folder)
    trace = engine.trace(BODY)
    assert trace.resolved.to_dict()["max_per_session"] == [
        {"categories": ["stability_balance"], "tags": [], "exercises": [], "count": 1,
         "per": "session"}]
    body = engine.recommend(BODY)
    assert body["sessions"] and max(balance_counts(body, engine)) == 1
    dropped = [w for w in body["warnings"] if "left out: at most 1 of" in w]
    assert dropped and all("(cap-one" in w for w in dropped)
    assert all("lots-of-balance" in w for w in dropped)  # what the item was there for
    engine.close()


def test_a_cap_with_no_names_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("ruleset: bad\nrules:\n  - id: cap\n    when: \"true\"\n    then:\n"
                   "      max_per_session: {count: 1}\n")
    [problem] = check_paths([bad])
    assert "bad.yaml:6" in str(problem) and "categories, tags or exercises" in str(problem)


ZERO = """\
  - id: no-balance
    when: "true"
    then:
      max_per_session: {categories: [stability_balance], count: 0}
"""


def test_a_cap_of_zero_says_the_requirement_goes_unmet_not_that_the_week_covers_it(
    folder: Path,
) -> None:
    """Every balance item is dropped, so no warning may claim the week still covers it."""
    (folder / "caps.yaml").write_text(BALANCE + ZERO)
    engine = engine_for(folder)
    body = engine.recommend(BODY)
    engine.close()
    dropped = [w for w in body["warnings"] if "left out: at most 0 of" in w]
    assert dropped and max(balance_counts(body, engine)) == 0
    assert not [w for w in dropped if "still covers" in w], dropped
    assert all("goes unmet" in w for w in dropped)


def test_a_capped_session_reports_the_minutes_of_what_it_still_holds(folder: Path) -> None:
    (folder / "caps.yaml").write_text(BALANCE)
    engine = engine_for(folder)
    full = {s["day_offset"]: s for s in engine.recommend(BODY)["sessions"]}
    engine.close()
    (folder / "caps.yaml").write_text(BALANCE + ZERO)
    engine = engine_for(folder)
    trace = engine.trace(BODY)
    engine.close()
    capped = 0
    for session in trace.plan.sessions:
        kept = {e.exercise.id for e in session.exercises}
        if kept == {e["id"] for e in full[session.day_offset]["exercises"]}:
            continue
        capped += 1
        # the planner's rule for a session's minutes: the ceiling of its items' minutes
        assert session.duration_min == math.ceil(round(sum(e.minutes for e in
                                                           session.exercises), 6))
        assert session.duration_min < full[session.day_offset]["duration_min"]
    assert capped  # the cap of 0 took something out of at least one session
