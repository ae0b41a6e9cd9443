"""Guards prune only rules that cannot match: both backends fire what checking every rule fires."""

from __future__ import annotations

import math
from typing import Any

import pytest
from stridewise.rules import Rule, Ruleset, compile_ruleset, durable_available, parse_expr
from stridewise.rules.guards import Guards
from stridewise.rules.python import _Slots, compile_condition

CONDITIONS = [
    "age >= 40", "age > 40", "age <= 40", "age < 40", "40 <= age", "40 > age",
    "age == 40", 'phase == "peak"', 'phase in ["peak", "taper"]', "weekly_run_km >= 49.5",
    'phase == "peak" and age >= 41', "age >= 30 and weekly_run_km < 60",
    'not exists(sex) and age > 39', '"barbell" in equipment and age <= 40',
    "age == 40 or age == 41", 'race.days_until < 13 and phase in ["peak"]',
]
FACTS: list[dict[str, Any]] = [
    {"age": 40, "phase": "peak", "weekly_run_km": 50.0, "equipment": ["barbell"],
     "race": {"days_until": 12}},
    {"age": 39, "phase": "taper", "weekly_run_km": 49.5},
    {"age": 41.0, "phase": "base", "weekly_run_km": 60},
    {"age": "forty", "phase": 3, "weekly_run_km": math.nan},  # wrong kinds, NaN
    {},  # everything missing
]


def _ruleset(conditions: list[str]) -> Ruleset:
    rules = tuple(Rule(f"r{i}", "t", "t.yaml", i + 1, 5, text, parse_expr(text), {}, {}, 0,
                       index=i) for i, text in enumerate(conditions))
    return Ruleset("t", "sha256:t", rules, ("t.yaml",))


def _every_rule(conditions: list[str], facts: dict[str, Any]) -> list[str]:
    slots = _Slots()
    checks = [compile_condition(parse_expr(c), slots) for c in conditions]
    values = slots.read(facts)
    return [f"r{i}" for i, check in enumerate(checks) if check(values)]


BACKENDS = ["python", *(["durable"] if durable_available() else [])]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("facts", FACTS)
def test_guarded_evaluation_fires_what_checking_every_rule_fires(
    backend: str, facts: dict[str, Any]
) -> None:
    conditions = CONDITIONS * 5  # several durable chunks at CHUNK_SIZE 64
    compiled = compile_ruleset(_ruleset(conditions), backend=backend)
    try:
        fired = [f.rule.id for f in compiled.evaluate(facts).fired]
    finally:
        compiled.close()
    assert fired == _every_rule(conditions, facts)


def test_only_rules_whose_threshold_holds_are_candidates_among_ten_thousand() -> None:
    conditions = [parse_expr(f"weekly_run_km >= {i} and phase == \"peak\"") for i in range(10_000)]
    guards = Guards(conditions)
    assert guards.indexed == 10_000 and not guards.always
    assert guards.candidates({"weekly_run_km": 3, "phase": "peak"}) == [0, 1, 2, 3]
    assert guards.candidates({"phase": "peak"}) == []  # a missing value passes no threshold


def test_rules_without_an_indexable_test_are_always_candidates() -> None:
    guards = Guards([parse_expr("not exists(sex)"), parse_expr("age > 3 or age < 1"),
                     parse_expr("age > 3")])
    assert guards.always == [0, 1]
    assert guards.candidates({"age": 1}) == [0, 1]
