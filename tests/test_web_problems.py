"""Hostile bodies never produce a 500: every error is a problem+json with a sensible status."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stridewise.web import create_app
from stridewise.web.problems import field_errors, pointer
from web_fixtures import CONTEXT

PROBLEM = "application/problem+json"
ENDPOINTS = ["/v1/recommendations", "/v1/recommendations:batch", "/v1/rulesets:validate"]


@pytest.fixture(scope="module")
def client():
    from stridewise.service import Engine

    config = {"TESTING": True, "ENGINE": Engine.create(), "RELOAD": False, "ACCESS_LOG": False}
    return create_app(config).test_client()


def assert_handled(response, *allowed):
    assert response.status_code < 500, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert response.mimetype == PROBLEM
        body = response.get_json()
        assert body["status"] == response.status_code and body["title"] and body["type"]
    if allowed:
        assert response.status_code in allowed


def test_pointer_escapes_per_rfc_6901():
    assert pointer(["a/b", "m~n", 0]) == "/a~1b/m~0n/0"
    assert pointer([]) == ""


def test_field_errors_flatten_nested_marshmallow_messages():
    messages = {
        "race": {"days_until": ["Too big."]},
        "_schema": ["Bad."],
        "injuries": {0: {"site": ["No."]}},
    }
    assert field_errors(messages) == [
        {"pointer": "/race/days_until", "detail": "Too big."},
        {"pointer": "", "detail": "Bad."},
        {"pointer": "/injuries/0/site", "detail": "No."},
    ]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"{",
        b"null",
        b"[]",
        b'"text"',
        b"1e999999",
        b"NaN",
        b"\xff\xfe\x00",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a": ' * 30_000 + b"1" + b"}" * 30_000,
    ],
)
def test_malformed_bodies_are_4xx(client, endpoint, data):
    assert_handled(client.post(endpoint, data=data, content_type="application/json"), 400, 422)


@pytest.mark.parametrize(
    "field, value",
    [
        ("age", "34"),
        ("age", 34.5),
        ("age", True),
        ("age", 200),
        ("age", None),
        ("horizon_days", 0),
        ("horizon_days", 10**30),
        ("weekly_run_km", float("inf")),
        ("weekly_run_km", -1),
        ("race", {"distance_km": 10, "days_until": 10**9}),
        ("race", []),
        ("available_days", ["funday"]),
        ("available_days", "mon"),
        ("equipment", ["barbell", "barbell"]),
        ("injuries", [{"site": "elbow", "severity": "mild"}]),
        ("injuries", [{}] * 100),
        ("key_run_sessions", [{"day_offset": 9, "type": "tempo"}]),
        ("start_date", "2026-02-30"),
        ("exercise_history", ["x" * 1000]),
        ("mystery", 1),
    ],
)
def test_wrongly_typed_and_out_of_range_fields_are_422(client, field, value):
    body = json.dumps({**CONTEXT, field: value}, allow_nan=True)
    response = client.post("/v1/recommendations", data=body, content_type="application/json")
    assert_handled(response, 422)
    errors = response.get_json()["errors"]
    assert errors and all(e["pointer"].startswith("/" + field) for e in errors)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_oversized_bodies_are_413(client, endpoint):
    limit = 8 * 1024 * 1024 if endpoint.endswith(":batch") else 256 * 1024
    data = b'{"x": "' + b"a" * (limit + 10) + b'"}'
    assert_handled(client.post(endpoint, data=data, content_type="application/json"), 413)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_wrong_content_types_are_415(client, endpoint):
    response = client.post(endpoint, data=b"a=1", content_type="application/x-www-form-urlencoded")
    assert_handled(response, 415)


FLOATS = st.floats(allow_nan=False)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | FLOATS | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = st.sampled_from(sorted(CONTEXT) + ["race", "injuries", "key_run_sessions", "phase", "sex"])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.dictionaries(FIELDS, JSON, max_size=4), drop=st.lists(FIELDS, max_size=3))
def test_fuzzed_contexts_never_500(client, changes, drop):
    body = {k: v for k, v in {**CONTEXT, **changes}.items() if k not in drop}
    assert_handled(client.post("/v1/recommendations", json=body), 200, 422)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=JSON)
def test_fuzzed_bodies_never_500_anywhere(client, body):
    for endpoint in ENDPOINTS:
        assert_handled(client.post(endpoint, json=body))


def _valid_contexts():
    from stridewise.models import (
        EQUIPMENT,
        EXPERIENCE_LEVELS,
        INJURY_CONDITIONS,
        INJURY_SITES,
        KEY_RUN_TYPES,
        PHASES,
        SEVERITIES,
        WEEKDAYS,
    )

    injury = st.fixed_dictionaries(
        {"site": st.sampled_from(INJURY_SITES), "severity": st.sampled_from(SEVERITIES)},
        optional={"condition": st.sampled_from(INJURY_CONDITIONS)},
    )
    return st.integers(1, 28).flatmap(
        lambda horizon: st.fixed_dictionaries(
            {
                "age": st.integers(14, 90),
                "running_experience_years": st.floats(0, 40),
                "strength_training_experience": st.sampled_from(EXPERIENCE_LEVELS),
                "weekly_run_km": st.floats(0, 300),
                "horizon_days": st.just(horizon),
            },
            optional={
                "phase": st.sampled_from(PHASES),
                "race": st.fixed_dictionaries(
                    {
                        "distance_km": st.floats(0.1, 500),
                        "days_until": st.integers(0, 730),
                    }
                ),
                "available_days": st.lists(st.sampled_from(WEEKDAYS), unique=True),
                "equipment": st.lists(st.sampled_from(EQUIPMENT), unique=True),
                "injuries": st.lists(injury, max_size=3),
                "key_run_sessions": st.lists(
                    st.fixed_dictionaries(
                        {
                            "day_offset": st.integers(0, horizon - 1),
                            "type": st.sampled_from(KEY_RUN_TYPES),
                        }
                    ),
                    max_size=3,
                ),
                "session_minutes_max": st.integers(10, 180),
                "sessions_per_week_max": st.integers(0, 7),
                "start_date": st.dates().map(str),
            },
        )
    )


@settings(
    derandomize=True,
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_fuzzed_valid_contexts_get_a_plan_or_a_problem_never_a_500(client, data):
    body = data.draw(_valid_contexts())
    response = client.post("/v1/recommendations", json=body)
    assert_handled(response, 200, 422)
    if response.status_code == 200:
        assert response.get_json()["ruleset"]["version"] == response.headers[
            "X-Stridewise-Ruleset-Version"
        ]


@pytest.mark.parametrize("value", [1e-05, 5e-324, 1e15 + 0.5])
def test_tiny_and_huge_floats_are_answered_not_a_500(client, value):
    response = client.post("/v1/recommendations", json={**CONTEXT, "weekly_run_km": value})
    assert_handled(response, 200, 422)


def test_hostile_rule_text_gets_diagnostics_not_a_500(client):
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 10):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join(["*" + chr(96 + i)] * 9) + "]\n"
    deep = "rules: " + "[" * 5000 + "]" * 5000
    for text in (bomb, deep, "\x00\x01", "ruleset: [unclosed"):
        response = client.post("/v1/rulesets:validate", data=text, content_type="application/yaml")
        assert_handled(response, 200)
        assert response.get_json()["valid"] is False
