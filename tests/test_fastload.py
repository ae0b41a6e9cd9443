"""The fast path for loading athlete contexts gives marshmallow's result or steps aside.

`FastLoad(schema)` is derived from the marshmallow schema, which stays the contract: whenever
the fast path accepts a body, `schema.load` accepts it too and gives the same dict (same keys
in the same order, same values of the same types); whenever marshmallow rejects one, the fast
path has stepped aside, so every error message is marshmallow's own.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates
from stridewise import context as context_module
from stridewise.bench import RECOMMEND_CONTEXTS
from stridewise.context import AthleteContextSchema, load_context
from stridewise.errors import ContextError
from stridewise.fastload import FastLoad
from stridewise.history.loads import DEFAULT_INCREMENTS
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

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = AthleteContextSchema()
FAST = FastLoad(SCHEMA)


AS_MARSHMALLOW = object()  # an edge case's fast path is taken exactly when marshmallow loads it


def test_dates_load_fast_only_as_the_installed_marshmallow_parses_them() -> None:
    """The finding: the fast path parsed every ISO date with `date.fromisoformat`, while
    marshmallow 3.x (which pyproject allows) parses them with a stricter pattern, so a date
    it rejects ("20261130") was planned. The fast path now runs the field's own parse; here
    a Date field parsing as marshmallow 3 does."""

    def strict(text: str) -> dt.date:
        if len(text) != 10 or text[4] != "-" or text[7] != "-":
            raise ValueError(text)
        return dt.date.fromisoformat(text)

    class Dated(Schema):
        day = fields.Date(required=True)

    schema = Dated()
    schema.fields["day"].DESERIALIZATION_FUNCS = {"iso": strict, "iso8601": strict}
    fast = FastLoad(schema)
    assert fast.enabled
    assert fast({"day": "2026-11-30"}) == schema.load({"day": "2026-11-30"})
    assert fast({"day": "20261130"}) is None
    with pytest.raises(ValidationError, match="Not a valid date"):
        schema.load({"day": "20261130"})


def marshmallow(body: Any) -> tuple[bool, Any]:
    """What the schema itself gives: (True, the loaded dict) or (False, its error messages)."""
    try:
        return True, SCHEMA.load(body)
    except ValidationError as err:
        return False, err.normalized_messages()


def samples() -> list[dict[str, Any]]:
    lines = (ROOT / "rulesets" / "samples" / "athletes.jsonl").read_text().splitlines()
    return [*RECOMMEND_CONTEXTS, *(json.loads(line) for line in lines if line.strip())]


def test_the_athlete_context_has_a_fast_path_and_every_sample_takes_it() -> None:
    assert FAST.enabled, "the athlete-context schema uses something fastload does not reproduce"
    for body in samples():
        loaded = FAST(body)
        assert loaded is not None, body.get("athlete_id")
        assert repr((True, loaded)) == repr(marshmallow(body))  # keys, order, values, types


# --- the differential property ------------------------------------------------------------

JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 400), st.just(10**400),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=4),
    st.sampled_from(["12", "1e3", "", "\ud800", "2026-11-30"]),
    st.lists(st.integers(0, 3), max_size=2), st.just({}), st.just({"x": 1}), st.just(()),
)


@dataclass(frozen=True)
class Mix:
    """A value from `good`, or (at the example's rate) from `edge`: at or past a bound."""

    good: st.SearchStrategy[Any]
    edge: st.SearchStrategy[Any]


def nullable(mix: Mix) -> Mix:
    return Mix(st.one_of(st.none(), mix.good), mix.edge)


DATES = Mix(st.dates(dt.date(2026, 9, 1), dt.date(2026, 11, 30)).map(dt.date.isoformat),
            st.sampled_from(["2026-12-01", "1999-12-31", "3000-01-01", "2026-02-30",
                             "20261130", "2026-W48-1", "", "x"]))


def ints(low: int, high: int) -> Mix:
    return Mix(st.integers(low, high), st.sampled_from([low - 1, low, high, high + 1]))


def numbers(low: float, high: float) -> Mix:
    inside = st.one_of(st.integers(math.ceil(low), math.floor(high)), st.floats(low, high))
    return Mix(inside, st.sampled_from([low - 1, low, high, high + 0.5, int(high) + 1]))


def choices(values: tuple[str, ...], wrong: str) -> Mix:
    return Mix(st.sampled_from(values), st.just(wrong))


def subsets(values: tuple[str, ...], wrong: str) -> Mix:
    """Distinct values (the lists are `unique`), or a list with a repeat or a wrong value."""
    return Mix(st.lists(st.sampled_from(values), unique=True, max_size=len(values)),
               st.lists(st.sampled_from([*values[:2], wrong]), min_size=2, max_size=3))


def texts(most: int) -> Mix:
    return Mix(st.text(min_size=1, max_size=most), st.sampled_from(["", "x" * (most + 1)]))


Good = Mix | st.SearchStrategy[Any] | Callable[[], Any]  # or a builder drawing itself


@st.composite
def bodies(draw: Any) -> dict[str, Any]:
    """A context mostly in shape: at a rate drawn per example, a value is junk or at or past
    a bound, a required key is dropped, an unknown key is added (at the top or inside an
    item); each optional key is there or not."""
    rate = draw(st.sampled_from([0, 0, 3, 15]))

    def value(good: Good) -> Any:
        n = draw(st.integers(0, 99))
        if n < rate:
            return draw(JUNK)
        if isinstance(good, Mix):
            return draw(good.edge if n < 2 * rate else good.good)
        return draw(good) if isinstance(good, st.SearchStrategy) else good()

    def obj(required: dict[str, Good], optional: dict[str, Good]) -> Callable[[], Any]:
        def build() -> dict[str, Any]:
            out = {k: value(v) for k, v in required.items() if draw(st.integers(0, 99)) >= rate}
            out.update({k: value(v) for k, v in optional.items() if draw(st.booleans())})
            if draw(st.integers(0, 99)) < rate:
                out[draw(st.sampled_from(["extra", "sitee", "Age"]))] = 1
            return out
        return build

    def items(item: Good, most: int = 3) -> Callable[[], list[Any]]:
        return lambda: [value(item) for _ in range(draw(st.integers(0, most)))]

    race: dict[str, Good] = {"distance_km": numbers(0.1, 500)}
    log_set = obj({"reps": ints(0, 100)},
                  {"load_kg": numbers(0, 1000), "rpe": numbers(1, 10), "rir": ints(0, 10)})
    optional: dict[str, Good] = {
        "athlete_id": Mix(st.text(min_size=1, max_size=128),
                          st.sampled_from(["", "x" * 129, "\ud800"])),
        "start_date": DATES,
        "horizon_days": ints(1, 182),
        "sex": choices(("female", "male", "other"), "f"),
        "phase": choices(PHASES, "peek"),
        "race": obj({**race, "days_until": ints(0, 730)},
                    {"priority": choices(("A", "B", "C"), "D")}),
        "last_race": obj({**race, "days_ago": ints(0, 365)},
                         {"priority": choices(("A", "B", "C"), "a")}),
        "key_run_sessions": items(obj({"day_offset": ints(0, 6),
                                       "type": choices(KEY_RUN_TYPES, "easy")}, {})),
        "available_days": subsets(WEEKDAYS, "monday"),
        "session_minutes_max": ints(10, 180),
        "sessions_per_week_max": nullable(ints(0, 7)),
        "equipment": subsets(EQUIPMENT, "rope"),
        "injuries": items(obj(
            {"site": choices(INJURY_SITES, "elbow"), "severity": choices(SEVERITIES, "bad")},
            {"condition": nullable(choices((*INJURY_CONDITIONS, "other"), "flu")),
             "side": nullable(choices(("left", "right", "both"), "up")),
             "since": nullable(DATES)})),
        "exercise_history": Mix(st.lists(st.text(min_size=1, max_size=64), unique=True, max_size=3),
                                 st.sampled_from([["a", "a"], [""], ["x" * 65]])),
        "training_log": items(obj(
            {"date": DATES, "exercise_id": texts(64)},
            {"completed": Mix(st.booleans(), st.sampled_from(["yes", 1, "true", "maybe"])),
             "session_rpe": nullable(numbers(0, 10)), "sets": items(log_set)})),
        "wellness": items(obj({"date": DATES}, {
            "soreness": nullable(ints(0, 10)),
            "pain": items(obj({"site": choices(INJURY_SITES, "toe"), "score": ints(0, 10),
                               "when": choices(("during", "next_morning"), "later")}, {}))})),
        "load_increments_kg": Mix(
            st.one_of(st.none(), st.dictionaries(st.sampled_from(tuple(DEFAULT_INCREMENTS)),
                                                 st.floats(0.25, 20), max_size=3)),
            st.sampled_from([{"rope": 1.0}, {"barbell": 0.1}, {"barbell": "2"}])),
    }
    required: dict[str, Good] = {
        "age": ints(14, 90), "running_experience_years": numbers(0, 80),
        "strength_training_experience": choices(EXPERIENCE_LEVELS, "expert"),
        "weekly_run_km": numbers(0, 300),
    }
    return obj(required, optional)()


def test_the_property_draws_every_field_of_the_schema() -> None:
    """A field added to the schema must be added to `bodies` too, or this fails."""
    drawn: set[str] = set()

    @given(bodies())
    @settings(max_examples=300, deadline=None, database=None)
    def collect(body: dict[str, Any]) -> None:
        drawn.update(body)

    collect()
    assert set(SCHEMA.load_fields) <= drawn


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies())
def test_whenever_the_fast_path_accepts_marshmallow_gives_the_same_dict(body: Any) -> None:
    loaded = FAST(body)
    if loaded is not None:  # accepted: marshmallow accepts too, with the very same result
        assert repr((True, loaded)) == repr(marshmallow(body))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies())
def test_load_context_answers_the_same_with_and_without_the_fast_path(body: Any) -> None:
    def load(fast: Callable[[Any], Any]) -> Any:
        saved = context_module._FAST
        context_module._FAST = fast
        try:
            return repr(load_context(body, today=dt.date(2026, 11, 30)))
        except ContextError as err:
            return err.messages
        finally:
            context_module._FAST = saved

    assert load(FAST) == load(lambda data: None)  # None: marshmallow loads every body


def test_well_formed_bodies_mostly_take_the_fast_path() -> None:
    """The property above is not vacuous: most bodies marshmallow loads go fast (not all: it
    also takes a numeric string for a number, or a tuple for a list, where the fast path
    steps aside)."""
    seen = {"loaded": 0, "fast": 0}

    @given(bodies())
    @settings(max_examples=300, deadline=None, database=None)
    def count(body: dict[str, Any]) -> None:
        if marshmallow(body)[0]:
            seen["loaded"] += 1
            seen["fast"] += FAST(body) is not None

    count()
    assert seen["loaded"] > 30 and seen["fast"] >= 0.8 * seen["loaded"], seen


# --- what the fast path refuses to reproduce, and the errors it leaves to marshmallow -----

class _Unsupported(Schema):
    @pre_load
    def _tidy(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return data


class _FieldHook(Schema):
    n = fields.Integer(strict=True)

    @validates("n")
    def _odd(self, value: int, **kwargs: Any) -> None:
        if value % 2 == 0:
            raise ValidationError("must be odd")


class _Renamed(Schema):
    n = fields.Integer(strict=True, data_key="N")


@pytest.mark.parametrize("schema", [_Unsupported(), _FieldHook(), _Renamed()],
                         ids=["pre_load", "validates", "data_key"])
def test_a_schema_using_what_the_fast_path_does_not_reproduce_gets_none(schema: Schema) -> None:
    fast = FastLoad(schema)
    assert not fast.enabled and fast({"n": 2}) is None and fast({"N": 2}) is None


class _Doubled(fields.Integer):
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        return 2 * super()._deserialize(value, attr, data, **kwargs)


class _Grown(AthleteContextSchema):
    """The athlete context with fields it might gain: each is loaded as marshmallow loads it."""

    doubled = _Doubled(load_default=0)
    tags = fields.List(fields.String(validate=validate.Length(max=3)), load_default=list)
    when = fields.DateTime(load_default=None)


def test_a_field_the_schema_gains_loads_exactly_as_marshmallow_loads_it() -> None:
    schema = _Grown()
    fast = FastLoad(schema)
    body = {**samples()[0], "doubled": 21, "tags": ["a", "bc"], "when": "2026-11-30T06:00:00"}
    assert fast.enabled and repr(fast(body)) == repr(schema.load(body))
    assert fast(body)["doubled"] == 42  # the subclass's own _deserialize ran
    assert fast({**body, "tags": ["abcd"]}) is None  # a validator said no: marshmallow decides


@pytest.mark.parametrize(("field", "value", "fast"), [
    ("age", True, False), ("age", 30.0, False), ("age", "30", False), ("age", None, False),
    ("weekly_run_km", "55", False),  # marshmallow takes a numeric string: the fast path steps aside
    ("weekly_run_km", True, False), ("weekly_run_km", float("nan"), False),
    ("weekly_run_km", 10**400, False), ("weekly_run_km", 55, True), ("race", [], False),
    ("injuries", [None], False), ("available_days", ("mon",), False),
    ("equipment", ["band", "band"], False), ("athlete_id", "\ud800", False),
    ("athlete_id", "", False), ("start_date", "2026-11-31", False),
    ("sessions_per_week_max", None, True), ("sex", None, True), ("race", None, True),
    ("equipment", ["rope"], False), ("equipment", ["band", 3], False),
    ("equipment", [None], False), ("equipment", ["band", "box"], True),
    ("exercise_history", ["x" * 65], False), ("exercise_history", ["\ud800"], False),
    ("exercise_history", ["plank", "plank"], False), ("exercise_history", ["plank"], True),
    ("start_date", "20261130", AS_MARSHMALLOW), ("start_date", 20261130, False),
    ("start_date", "2026-11-30\n", False),
])
def test_values_at_the_edge_load_fast_only_as_marshmallow_loads_them(
    field: str, value: Any, fast: Any,
) -> None:
    body = {**samples()[0], field: value}
    loaded, expected = FAST(body), marshmallow(body)
    if fast is AS_MARSHMALLOW:  # a compact ISO date: marshmallow 4 takes it, 3.x does not
        fast = expected[0]
    assert (loaded is not None) == fast
    if loaded is not None:
        assert repr((True, loaded)) == repr(expected)


def test_allowed_nulls_load_fast_and_errors_stay_marshmallows() -> None:
    body = {**samples()[0], "sessions_per_week_max": None, "sex": None, "race": None}
    assert repr((True, FAST(body))) == repr(marshmallow(body))
    with pytest.raises(ContextError) as err:
        load_context({**body, "age": True, "equipment": ["band", "band"]})
    assert err.value.messages == {"age": ["Not a valid integer."],
                                  "equipment": ["'band' is listed twice."]}
