"""Safety invariants of the default rules' plans over generated athlete contexts (issue 15).

Hypothesis draws compact valid contexts (ages 16-75, every experience level, race or no race,
a race already run, key runs, injuries, equipment, offered days, session length) and every
plan must hold: no heavy, plyometric or high-eccentric work inside an `away_from` window before
key runs and races or after races; every strength session opens with a warm-up; protocol
spacing; no session over `session_minutes_max`; only offered days except announced home
sessions; nothing contraindicated for a listed injury; no note whose rule's effect is absent.
500 examples by default; `pytest -m slow` runs 3000.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stridewise.context import derive_facts, load_context
from stridewise.models import EQUIPMENT, INJURY_CONDITIONS, WEEKDAYS
from stridewise.planning.horizon import widen
from stridewise.planning.prescribe import is_heavy, is_plyometric
from stridewise.planning.schedule import blockers, events_of
from stridewise.service import Engine

ENGINE = Engine.create(backend="python")
CONDITION_SITE = {"patellofemoral_pain": "knee", "midportion_tendinopathy": "achilles",
                  "insertional_tendinopathy": "achilles", "itbs": "lateral_knee",
                  "plantar_fascia": "foot", "plantar_fasciitis": "foot",
                  "strain_history": "hamstring", "mtss": "shin", "low_back_pain": "low_back"}
HISTORY = ["back_squat", "goblet_squat", "split_squat", "romanian_deadlift", "hex_bar_deadlift",
           "calf_raise", "nordic_hamstring", "step_up", "leg_press"]
HEAVY_NOTE_RULES = {"base-heavy-load", "build-heavy-load", "maintenance-heavy-load"}


@st.composite
def contexts(draw: Any) -> dict[str, Any]:
    horizon = draw(st.sampled_from([7, 7, 14]))
    body: dict[str, Any] = {
        "athlete_id": f"a{draw(st.integers(0, 10**6))}",
        "start_date": "2026-03-02",
        "horizon_days": horizon,
        "age": draw(st.integers(16, 75)),
        "running_experience_years": draw(st.sampled_from([0.5, 2, 8, 20])),
        "strength_training_experience": draw(
            st.sampled_from(["novice", "intermediate", "advanced"])),
        "weekly_run_km": draw(st.sampled_from([20, 50, 80, 110])),
        "available_days": draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7,
                                        unique=True)),
        "session_minutes_max": draw(st.sampled_from([15, 20, 30, 45, 60, 90])),
        "equipment": draw(st.lists(st.sampled_from(EQUIPMENT), max_size=6, unique=True)),
        "exercise_history": draw(st.lists(st.sampled_from(HISTORY), max_size=4, unique=True)),
        "key_run_sessions": draw(st.lists(st.fixed_dictionaries({
            "day_offset": st.integers(0, horizon - 1),
            "type": st.sampled_from(["intervals", "tempo", "long_run", "hills"])}),
            max_size=3, unique_by=lambda r: r["day_offset"])),
    }
    if draw(st.booleans()):
        body["race"] = {"distance_km": draw(st.sampled_from([5, 10, 21.1, 42.2, 100])),
                        "days_until": draw(st.integers(0, 120)),
                        "priority": draw(st.sampled_from(["A", "A", "B", "C"]))}
    if draw(st.integers(0, 3)) == 0:
        body["last_race"] = {"distance_km": draw(st.sampled_from([5, 10, 21.1, 42.2])),
                             "days_ago": draw(st.integers(0, 9)),
                             "priority": draw(st.sampled_from(["A", "B"]))}
    if draw(st.integers(0, 4)) == 0:
        body["phase"] = draw(st.sampled_from(["off_season", "base", "build", "peak", "taper",
                                              "race_week", "competition", "transition"]))
    conditions = draw(st.lists(st.sampled_from(INJURY_CONDITIONS), max_size=2, unique=True))
    body["injuries"] = [{"site": CONDITION_SITE[c], "condition": c,
                         "severity": draw(st.sampled_from(["mild", "moderate", "severe",
                                                           "resolved"]))} for c in conditions]
    return body


def check(body: dict[str, Any]) -> None:
    trace = ENGINE.trace(body)
    response = trace.response
    context = load_context(body)
    whole = derive_facts(context)
    blocks = trace.blocks or [(trace.evaluation, trace.resolved, trace.plan)]
    resolved = widen([res for _, res, _ in blocks])
    events = events_of(whole)
    offered = set(context["available_days"])
    active = [i for i in context["injuries"] if i["severity"] != "resolved"]
    bad_conditions = {i["condition"] for i in active}
    bad_sites = {i["site"] for i in active if i["severity"] in ("moderate", "severe")}
    heavy_any = False
    for session, planned in zip(response["sessions"], trace.plan.sessions, strict=True):
        day = session["day_offset"]
        res = resolved[min(day // 7, len(resolved) - 1)]
        protocol_only = session["focus"].startswith("rehab protocol")
        # only offered days, except announced home sessions of protocol work
        assert session["weekday"] in offered or (session["home"] and protocol_only), session
        # never over the athlete's session length
        assert session["duration_min"] <= context["session_minutes_max"], session
        if not protocol_only:  # every strength session opens with a warm-up
            assert "joint_mobility" in session["exercises"][0]["categories"], session
        for pe in planned.exercises:
            ex = pe.exercise
            heavy = is_heavy(ex, pe.prescription)
            heavy_any = heavy_any or heavy
            # nothing contraindicated for a listed injury
            assert not (set(ex.contraindications) & (bad_conditions | bad_sites)), (ex.id, day)
            for kind, hit in (("heavy", heavy or "high_eccentric" in ex.tags),
                              ("plyometric", is_plyometric(ex))):
                if hit:  # inside no window before key runs and races or after races
                    assert not blockers(day, events, res, kind), (ex.id, day, kind)
    # protocol spacing: up to 4 a week, never two days in a row (free days permitting)
    if not context.get("race") and not context.get("last_race"):
        for proto_id, (proto, _, _) in trace.resolved.protocols.items():
            if int(proto["per_week"]) > 4:
                continue
            days = sorted({s.day_offset for s in trace.plan.sessions for pe in s.exercises
                           if proto_id in _protocol_ids(pe, trace)})
            assert all(b - a >= 2 for a, b in zip(days, days[1:], strict=False)), (proto_id, days)
    # no note whose rule's effect was cancelled: "lift heavy" notes need heavy lifting
    heavy_notes = {text for text, rules in trace.resolved.notes if set(rules) <= HEAVY_NOTE_RULES}
    if heavy_notes & set(response["notes"]) and len(blocks) == 1:
        assert heavy_any, response["notes"]


def _protocol_ids(pe: Any, trace: Any) -> set[str]:
    """The protocols whose rule placed this exercise (its id is one of the protocol's)."""
    return {pid for pid, (proto, rid, _) in trace.resolved.protocols.items()
            if rid in pe.because and pe.exercise.id in (proto.get("exercises") or ())}


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contexts())
def test_every_generated_plan_holds_the_safety_invariants(body: dict[str, Any]) -> None:
    check(body)


@pytest.mark.slow
@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contexts())
def test_every_generated_plan_holds_the_safety_invariants_soak(body: dict[str, Any]) -> None:
    check(body)
