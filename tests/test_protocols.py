"""Rehab protocols keep their own frequency but never break a rule's no-strength window."""

from __future__ import annotations

import pytest
from stridewise.service import Engine

ACHILLES_MARATHONER = {
    "start_date": "2026-11-30",
    "age": 38,
    "running_experience_years": 6,
    "strength_training_experience": "intermediate",
    "weekly_run_km": 50,
    "equipment": ["dumbbell", "step"],
    "race": {"distance_km": 42.2, "days_until": 2, "priority": "A"},
    "injuries": [
        {"site": "achilles", "condition": "midportion_tendinopathy", "severity": "mild"}
    ],
}


@pytest.fixture(scope="module")
def week():
    return Engine.create().recommend(ACHILLES_MARATHONER)


def test_no_rehab_work_inside_the_post_marathon_no_strength_window(week):
    # Race on day 2: nothing the day before (a-race-no-heavy, 36 h), nothing on race day, and
    # long-race-recovery: nothing for 72 h after a race of 30 km or more.
    days = [session["day_offset"] for session in week["sessions"]]
    assert not {1, 2, 3, 4} & set(days), days


def test_a_paused_protocol_is_reported_with_the_rules_that_paused_it(week):
    (warning,) = [w for w in week["warnings"] if w.startswith("Protocol ")]
    assert "pauses on day(s) 1, 3, 4:" in warning
    assert "'long-race-recovery'" in warning


def test_the_protocol_resumes_after_the_window(week):
    protocol_days = [
        session["day_offset"]
        for session in week["sessions"]
        if any("calf_raise" in exercise["tags"] for exercise in session["exercises"])
    ]
    assert protocol_days and min(d for d in protocol_days if d > 2) >= 5
