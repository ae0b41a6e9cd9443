"""Responses written with orjson are the bytes Flask's `json.dumps` wrote, or fall back to it."""
# ruff: noqa: F811  -- pytest fixtures imported from web_fixtures

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stridewise.web.jsonout import compact_bytes
from web_fixtures import app, client, real_engine  # noqa: F401


def flask_bytes(obj: Any) -> bytes:
    """What Flask's jsonify wrote before: ensure_ascii, compact separators, keys unsorted."""
    return json.dumps(obj, ensure_ascii=True, separators=(",", ":"), sort_keys=False).encode()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(json_values)
def test_fast_bytes_equal_json_dumps_or_defer_to_it(value):
    fast = compact_bytes(value)
    if fast is not None:
        assert fast == flask_bytes(value)


@pytest.mark.parametrize("value", [
    1e-05, -4.6e-05, 1.5e-07, 9.9e-09, [1, {"x": 2.5e-06}], {"y": [3.2e-05]},
])
def test_floats_python_writes_with_an_exponent_fall_back(value):
    assert compact_bytes(value) is None


@pytest.mark.parametrize("value", [
    "café", "日本", "emoji \U0001f3c3 run", "del\x7f", "tab\tnew\nline\x01", "quote \" \\ /",
    "one-leg e-7", {"version": "sha256:3e45", "n": "1e5"},
    {"é": ["ü", 0.75, 1e-4, 12345.678, 1e16, -2.5e+200, 5e-324, 3.5e-300, 1.5e-10]},
])
def test_text_and_plain_numbers_take_the_fast_path(value):
    assert compact_bytes(value) == flask_bytes(value)


@dataclasses.dataclass
class _Point:
    x: int


@pytest.mark.parametrize("value", [
    dt.date(2026, 11, 30), _Point(1), Decimal("1.5"), 2**64, {1: "a"}, "\ud800", [float("nan")],
])
def test_values_flask_decides_are_left_to_flask(value):
    if isinstance(value, list):  # NaN: orjson writes null; no response holds one (see module)
        assert compact_bytes(value) == b"[null]"
        return
    assert compact_bytes(value) is None


def test_a_recommendation_response_is_byte_for_byte_what_jsonify_wrote(client, real_engine):
    from goldens import golden_contexts

    compared = 0
    for context in golden_contexts()[:12]:
        response = client.post("/v1/recommendations", json=context)
        if response.status_code != 200:
            continue
        expected = flask_bytes(real_engine.recommend(context)) + b"\n"
        assert response.data == expected, context.get("athlete_id")
        compared += 1
    assert compared >= 10, "most golden contexts must answer 200 for this to compare anything"


def test_flask_values_still_go_through_flask_default(client, app):
    with app.test_request_context():
        from flask import jsonify

        body = jsonify(day=dt.date(2026, 11, 30), point=_Point(3)).data
    assert json.loads(body) == {"day": "Mon, 30 Nov 2026 00:00:00 GMT", "point": {"x": 3}}


def _checked(data: bytes) -> Any:
    """loads_strict's answer through the checking path only (the reference)."""
    from stridewise.jsonstrict import BodyError, _check_text, _pairs

    try:
        value = json.loads(data, object_pairs_hook=_pairs)
        _check_text(value)
    except (BodyError, ValueError) as exc:
        return (type(exc).__name__, str(exc))
    return value


def _loaded(data: bytes) -> Any:
    from stridewise.jsonstrict import BodyError, loads_strict

    try:
        return loads_strict(data)
    except (BodyError, ValueError) as exc:
        return (type(exc).__name__, str(exc))


keys = st.sampled_from(["a", "b", "age", "x:y", "é", "\\ud800", 'q\\"'])
objects = st.recursive(
    st.integers(0, 9) | st.sampled_from(['"s"', '"c:d"', '"\\u00e9"', '"\\udc00"', '"\\":"']),
    lambda children: st.lists(st.tuples(keys, children), max_size=4)
    .map(lambda pairs: "{" + ",".join(f'"{k}"{sep}{v}' for (k, v), sep in
                                      zip(pairs, [":", " :", ": "] * 4, strict=False)) + "}")
    | st.lists(children, max_size=3).map(lambda items: "[" + ",".join(map(str, items)) + "]"),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(objects)
def test_request_bodies_read_as_the_checking_path_reads_them(text):
    data = str(text).encode("utf-8")
    assert _loaded(data) == _checked(data)


@pytest.mark.parametrize("body", [
    b'{"a":1,"a":2}', b'{"a":{"b":1,"b":2}}', b'{"a" :1,"a":2}', b'{"x":"a\\":b","x":1}',
    b'["\\ud800"]', b'{"a":1,"b":[{"a":1}]}', b'{"a": [1, {"b": "c:d"}]}', b"{bad",
])
def test_duplicates_surrogates_and_errors_are_answered_as_before(body):
    assert _loaded(body) == _checked(body)
