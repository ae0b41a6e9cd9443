"""Differential tests: the durable-rules backend and the pure-Python oracle always agree."""

from __future__ import annotations

import datetime as dt
import faulthandler
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stridewise.context import derive_facts, load_context
from stridewise.errors import RuleCycleError
from stridewise.rules import Rule, Ruleset, compile_ruleset, durable_available, parse_expr

pytestmark = pytest.mark.skipif(not durable_available(), reason="durable-rules not importable")

NUM_PATHS = ["age", "weekly_run_km", "race.days_until", "days_to_race", "sessions_per_week_max",
             "ext.n"]
STR_PATHS = {"phase": ["base", "build", "peak", "taper"], "sex": ["female", "male"],
             "strength_training_experience": ["novice", "advanced"], "ext.s": ["a", "b"]}
BOOL_PATHS = ["bodyweight_only", "ext.flag"]
LIST_PATHS = {"injuries.site": ["knee", "achilles"], "equipment": ["barbell", "band"],
              "key_run_types": ["tempo", "race"], "ext.tags": ["a", "b"]}
NUM_LIST = ["key_run_days", "ext.nums"]
OPS = ["==", "!=", "<", "<=", ">", ">="]
ITEM_LISTS = {  # list of objects -> its fields and the values to compare them with
    "injuries": {"site": ["knee", "achilles", "hamstring"], "severity": ["mild", "resolved"],
                 "condition": ["strain_history", "other"], "side": ["left", "both"]},
    "active_injuries": {"site": ["knee", "hamstring"], "severity": ["mild", "moderate"]},
    "key_run_sessions": {"type": ["tempo", "long_run"], "weekday": ["tue", "wed"]},
}


def _quote(value: str) -> str:
    return f'"{value}"'


@st.composite
def atoms(draw: Any) -> str:
    choice = draw(st.integers(0, 11))
    if choice == 0:
        return f"{draw(st.sampled_from(NUM_PATHS))} {draw(st.sampled_from(OPS))} " \
               f"{draw(st.one_of(st.integers(-5, 60), st.sampled_from([2.5, 10.0, 0])))}"
    if choice == 1:
        return f"{draw(st.integers(0, 60))} {draw(st.sampled_from(OPS))} " \
               f"{draw(st.sampled_from(NUM_PATHS))}"
    if choice == 2:
        path = draw(st.sampled_from(sorted(STR_PATHS)))
        return f"{path} {draw(st.sampled_from(['==', '!=']))} " \
               f"{_quote(draw(st.sampled_from(STR_PATHS[path])))}"
    if choice == 3:
        path = draw(st.sampled_from(sorted(STR_PATHS)))
        values = draw(st.lists(st.sampled_from(STR_PATHS[path]), max_size=3))
        neg = draw(st.sampled_from(["in", "not in"]))
        return f"{path} {neg} [{', '.join(_quote(v) for v in values)}]"
    if choice == 4:
        path = draw(st.sampled_from(sorted(LIST_PATHS)))
        neg = draw(st.sampled_from(["in", "not in"]))
        return f"{_quote(draw(st.sampled_from(LIST_PATHS[path])))} {neg} {path}"
    if choice == 5:
        every = NUM_PATHS + sorted(STR_PATHS) + BOOL_PATHS + sorted(LIST_PATHS) + ["race", "ext"]
        path = draw(st.sampled_from(every))
        return f"exists({path if path != 'ext' else 'ext.n'})"
    if choice == 6:
        return draw(st.sampled_from(BOOL_PATHS + ["true", "false"]))
    if choice == 7:
        a, b = draw(st.sampled_from(NUM_PATHS[:5])), draw(st.sampled_from(NUM_PATHS[:5]))
        return f"{a} {draw(st.sampled_from(OPS))} {b}"
    if choice == 8:
        return f"{draw(st.integers(0, 6))} {draw(st.sampled_from(['in', 'not in']))} " \
               f"{draw(st.sampled_from(NUM_LIST))}"
    if choice == 10:
        every = sorted(LIST_PATHS) + NUM_LIST + sorted(ITEM_LISTS) + ["ext.n", "ext.s"]
        return f"empty({draw(st.sampled_from(every))})"
    if choice == 11:
        return draw(quantifiers())
    return f"phase {draw(st.sampled_from(['in', 'not in']))} key_run_types"


@st.composite
def item_atoms(draw: Any, fields: dict[str, list[str]]) -> str:
    """A condition on one item's fields (inside any/all)."""
    name = draw(st.sampled_from(sorted(fields)))
    choice = draw(st.integers(0, 3))
    if choice == 0:
        op, value = draw(st.sampled_from(["==", "!="])), draw(st.sampled_from(fields[name]))
        return f"{name} {op} {_quote(value)}"
    if choice == 1:
        values = draw(st.lists(st.sampled_from(fields[name]), max_size=3))
        neg = draw(st.sampled_from(["in", "not in"]))
        return f"{name} {neg} [{', '.join(_quote(v) for v in values)}]"
    if choice == 2:
        return f"exists({name})"
    return draw(st.sampled_from(["true", "false", f"{name} == {_quote(fields[name][0])}"]))


@st.composite
def quantifiers(draw: Any) -> str:
    """any(list, cond) / all(list, cond) over a list of objects, cond built from item atoms."""
    items = draw(st.sampled_from(sorted(ITEM_LISTS)))
    fields = ITEM_LISTS[items]
    if items == "key_run_sessions" and draw(st.booleans()):
        inner = f"day_offset {draw(st.sampled_from(OPS))} {draw(st.integers(0, 6))}"
    else:
        inner = draw(st.recursive(
            item_atoms(fields),
            lambda sub: st.one_of(
                st.tuples(sub, st.sampled_from(["and", "or"]), sub).map(
                    lambda t: f"({' '.join(t)})"),
                sub.map(lambda c: f"not {c}"),
            ),
            max_leaves=4,
        ))
    return f"{draw(st.sampled_from(['any', 'all']))}({items}, {inner})"


conditions = st.recursive(
    atoms(),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({' '.join(t)})"),
        inner.map(lambda c: f"not {c}"),
    ),
    max_leaves=6,
)

SETS = [{}, {}, {}, {"phase": "taper"}, {"phase": "peak"}, {"ext.flag": True},
        {"ext.n": 3}, {"ext.flag": False, "ext.s": "b"}]


@st.composite
def rulesets(draw: Any) -> Ruleset:
    count = draw(st.integers(1, 12))
    rules = []
    for index in range(count):
        when = draw(conditions)
        rules.append(Rule(
            id=f"r{index}", section="gen", file="gen.yaml", line=index + 1, col=5, when=when,
            expr=parse_expr(when), then={"notes": [f"n{index}"]}, sets=draw(st.sampled_from(SETS)),
            priority=draw(st.sampled_from([0, 0, 10, -5, 50])), index=index,
        ))
    return Ruleset("gen", "sha256:gen", tuple(rules), ("gen.yaml",))


ext_values = st.one_of(st.none(), st.booleans(), st.integers(-5, 60), st.sampled_from(["a", "b"]),
                       st.floats(), st.integers(), st.text(max_size=5),
                       st.sampled_from([1e-05, 5e-324, 1e300, -0.0, 2.5, 2**64, -(2**70)]),
                       st.lists(st.sampled_from(["a", "b", 1, True]), max_size=3))


@st.composite
def facts(draw: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "age": draw(st.integers(14, 90)),
        "running_experience_years": draw(st.floats(0, 30)),
        "strength_training_experience": draw(st.sampled_from(["novice", "advanced"])),
        "weekly_run_km": draw(st.sampled_from([0, 10, 25.5, 40, 60.0])),
        "start_date": "2026-11-30",
        "equipment": draw(st.lists(st.sampled_from(["barbell", "band"]), unique=True)),
        "injuries": draw(st.lists(st.fixed_dictionaries({
            "site": st.sampled_from(["knee", "achilles", "hip", "hamstring"]),
            "severity": st.sampled_from(["mild", "moderate", "resolved"]),
        }, optional={
            "condition": st.sampled_from(["strain_history", "other", None]),
            "side": st.sampled_from(["left", "both", None]),
        }), max_size=3)),
    }
    if draw(st.booleans()):
        body["phase"] = draw(st.sampled_from(["base", "peak", "taper"]))
    if draw(st.booleans()):
        body["sex"] = draw(st.sampled_from(["female", "male"]))
    if draw(st.booleans()):
        body["race"] = {"distance_km": 21.1, "days_until": draw(st.integers(0, 40))}
    if draw(st.booleans()):
        body["sessions_per_week_max"] = draw(st.integers(0, 7))
    if draw(st.booleans()):
        body["key_run_sessions"] = draw(st.lists(st.fixed_dictionaries({
            "day_offset": st.integers(0, 6), "type": st.sampled_from(["tempo", "long_run"]),
        }), max_size=2, unique_by=lambda r: r["day_offset"]))
    out = derive_facts(load_context(body, today=dt.date(2026, 11, 30)))
    if draw(st.booleans()):
        out["ext"] = draw(st.dictionaries(
            st.sampled_from(["n", "s", "flag", "tags", "nums"]), ext_values))
    return out


def _outcome(backend: str, ruleset: Ruleset, fact: dict[str, Any]) -> Any:
    compiled = compile_ruleset(ruleset, backend=backend)
    try:
        result = compiled.evaluate(fact)
        return [(f.rule.id, f.read) for f in result.fired], result.directives, result.facts
    except RuleCycleError as err:
        return ("cycle", sorted(err.rules))
    finally:
        compiled.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rulesets(), st.lists(facts(), min_size=1, max_size=3))
def test_durable_and_python_backends_fire_the_same_rules_with_the_same_directives(
    ruleset: Ruleset, contexts: list[dict[str, Any]]
) -> None:
    faulthandler.dump_traceback_later(60, exit=True)  # a durable hang must not hang CI
    try:
        for fact in contexts:
            assert _outcome("durable", ruleset, fact) == _outcome("python", ruleset, fact)
    finally:
        faulthandler.cancel_dump_traceback_later()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rulesets(), facts())
def test_the_backends_agree_across_chunk_boundaries(ruleset: Ruleset, fact: dict[str, Any]) -> None:
    from stridewise.rules import compile as backend

    saved = backend.CHUNK_SIZE
    backend.CHUNK_SIZE = 3  # many small durable rulesets: forward chaining restarts across them
    faulthandler.dump_traceback_later(60, exit=True)
    try:
        assert _outcome("durable", ruleset, fact) == _outcome("python", ruleset, fact)
    finally:
        backend.CHUNK_SIZE = saved
        faulthandler.cancel_dump_traceback_later()
