"""Evaluation semantics of docs/rules.md, identical on both backends."""

from __future__ import annotations

from typing import Any

import pytest
from stridewise.rules import Rule, Ruleset, compile_ruleset, durable_available, parse_expr

BACKENDS = ["python"] + (["durable"] if durable_available() else [])
FACTS: dict[str, Any] = {
    "age": 40, "phase": "peak", "sex": None, "bodyweight_only": False,
    "equipment": ["barbell", "band"], "race": {"days_until": 12, "priority": "A"},
    "injuries": [{"site": "knee", "severity": "mild"}, {"site": "hip", "severity": "resolved"}],
    "ext": {"hrv_low": True, "load": "7", "big": 2**70, "tiny": 1e-05},
}


def fires(backend: str, when: str, facts: dict[str, Any] = FACTS) -> bool:
    rule = Rule("r", "t", "t.yaml", 1, 1, when, parse_expr(when), {}, {}, index=0)
    compiled = compile_ruleset(Ruleset("t", "sha256:t", (rule,)), backend=backend)
    try:
        return bool(compiled.evaluate(facts).fired)
    finally:
        compiled.close()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("when", "expected"), [
    ('phase == "peak" and race.days_until <= 21', True),
    ('"knee" in injuries.site', True),  # a path through a list projects it
    ('"shin" in injuries.site', False),
    ('"resolved" in injuries.severity', True),
    ('phase in ["peak", "taper"]', True),
    ('"band" not in equipment', False),
    ('sex == "female"', False),  # comparisons reading null are false…
    ('sex != "female"', False),
    ('not (sex == "female")', True),  # …and their negation true
    ("exists(race)", True),
    ("exists(sex)", False),
    ("not exists(sessions_per_week_max)", True),  # missing entirely
    ("race.days_until > 100 or bodyweight_only", False),
    ("ext.hrv_low", True),  # plugin facts are typed by use
    ("ext.load > 5", False),  # a string where a number is expected reads as missing
    ('ext.load == "7"', True),
    ("ext.big > 9007199254740992", True),  # beyond int64 in the fact, bounded literal
    ("ext.tiny > 0 and ext.tiny < 0.0001", True),  # written without an exponent for durable
    ("age > 30 and not (age >= 50 or phase == \"base\")", True),
    ("true", True),
    ("false", False),
])
def test_conditions_follow_the_documented_semantics(backend: str, when: str,
                                                     expected: bool) -> None:
    assert fires(backend, when) is expected


def chain(backend: str, *specs: tuple[str, str, dict[str, Any], int]) -> Any:
    rules = tuple(
        Rule(rule_id, "t", "t.yaml", i + 1, 1, when, parse_expr(when), {"notes": [rule_id]},
             sets, priority, index=i)
        for i, (rule_id, when, sets, priority) in enumerate(specs)
    )
    compiled = compile_ruleset(Ruleset("t", "sha256:t", rules), backend=backend)
    try:
        return compiled.evaluate(FACTS)
    finally:
        compiled.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_set_makes_every_rule_look_again_and_directives_count_once(backend: str) -> None:
    result = chain(
        backend,
        ("taper-volume", 'phase == "taper"', {}, 0),
        ("always", "age > 1", {}, 0),
        ("derive-taper", 'phase == "peak"', {"phase": "taper"}, 100),
    )
    assert [f.rule.id for f in result.fired] == ["derive-taper", "taper-volume", "always"]
    assert result.directives == [("derive-taper", "notes", ["derive-taper"]),
                                 ("taper-volume", "notes", ["taper-volume"]),
                                 ("always", "notes", ["always"])]
    assert result.fired[0].read == {"phase": "peak"}  # values read when it first fired
    assert result.fired[1].read == {"phase": "taper"}
    assert result.facts["phase"] == "taper" and FACTS["phase"] == "peak"


@pytest.mark.parametrize("backend", BACKENDS)
def test_plugin_facts_can_be_set_and_read(backend: str) -> None:
    result = chain(
        backend,
        ("flag", "age > 1", {"ext.deload": True}, 0),
        ("use", "ext.deload", {}, 0),
    )
    assert [f.rule.id for f in result.fired] == ["flag", "use"]
    assert result.facts["ext"] == {**FACTS["ext"], "deload": True}


TWO_INJURIES: dict[str, Any] = {  # a resolved hamstring strain and a moderate knee pain
    "injuries": [{"site": "hamstring", "condition": "strain_history", "severity": "resolved"},
                 {"site": "knee", "condition": None, "severity": "moderate"}],
    "active_injuries": [{"site": "knee", "condition": None, "severity": "moderate"}],
    "key_run_sessions": [], "equipment": [],
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("when", "expected"), [
    # projections mix injuries: the hamstring is resolved and the knee is moderate…
    ('"hamstring" in injuries.site and "moderate" in injuries.severity', True),
    # …a quantifier tests one injury at a time
    ('any(injuries, site == "hamstring" and severity in ["moderate", "severe"])', False),
    ('any(injuries, site == "knee" and severity in ["moderate", "severe"])', True),
    ('not any(injuries, site == "hamstring" and severity != "resolved")', True),
    ('any(injuries, site == "hamstring" and condition == "strain_history")', True),
    ('any(injuries, not exists(condition))', True),  # null fields are missing
    ('any(injuries, site == "hip" or severity == "moderate")', True),
    ('all(injuries, severity in ["moderate", "resolved"])', True),
    ('all(injuries, severity == "resolved")', False),
    ('not all(injuries, severity == "resolved")', True),
    ("all(key_run_sessions, day_offset > 3)", True),  # all() of an empty list is true
    ("any(key_run_sessions, true)", False),
    ("any(injuries, true)", True),  # any(list, true): the list has an item
    ("empty(key_run_sessions)", True),
    ("not empty(injuries)", True),
    ("empty(equipment)", True),
    ("empty(exercise_history)", True),  # missing is empty
    ("exists(key_run_sessions)", True),  # exists() stays true for an empty list
    ("empty(injuries.side)", True),  # a projection with no values is empty
])
def test_quantifiers_and_empty(backend: str, when: str, expected: bool) -> None:
    assert fires(backend, when, TWO_INJURIES) is expected
