"""Facts in one place: every fact rules may read is declared once in stridewise.facts."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from stridewise.context import derive_facts, load_context
from stridewise.errors import RulesetError
from stridewise.facts import FACT_REGISTRY, FACTS, FactRegistry, FactType, render, render_table
from stridewise.rules import load_ruleset
from stridewise.rules.expr import parse_expr

ROOT = Path(__file__).resolve().parents[1]
RULES_DOC = ROOT / "docs" / "rules.md"
CONTEXT = {
    "age": 40, "running_experience_years": 5, "strength_training_experience": "intermediate",
    "weekly_run_km": 40, "race": {"distance_km": 21.1, "days_until": 30},
    "injuries": [{"site": "knee", "severity": "mild"}], "start_date": "2026-11-30",
}


def test_derive_facts_fills_exactly_the_declared_facts():
    facts = derive_facts(load_context(CONTEXT))
    declared = {fact.name for fact in FACT_REGISTRY}
    assert set(facts) - declared == set(), "declare these facts in engine/facts.py"
    assert declared - set(facts) == set(), "derive_facts does not fill these declared facts"
    derived = {fact.name for fact in FACT_REGISTRY if fact.derived}
    assert derived and not derived & set(load_context(CONTEXT))


def test_docs_fact_table_is_the_registrys():
    text = RULES_DOC.read_text()
    assert "<!-- facts -->" in text, "docs/rules.md lost its facts table markers"
    assert render(text) == text, "run: python -m stridewise.facts docs/rules.md"
    for fact in FACT_REGISTRY:
        assert f"| `{fact.name}` |" in text


def test_a_fact_declared_in_the_registry_is_checked_and_documented(monkeypatch, tmp_path):
    monkeypatch.delitem(FACTS, "recent_long_run_km", raising=False)
    with pytest.raises(RulesetError, match="unknown fact 'recent_long_run_km'"):
        parse_expr("recent_long_run_km > 25")
    registry = FactRegistry()
    fact = registry.declare("recent_long_run_km", FactType("number", nullable=True),
                            "longest run of the last 14 days")
    monkeypatch.setitem(FACTS, fact.name, fact.type)
    parse_expr("recent_long_run_km > 25")
    with pytest.raises(RulesetError, match="cannot compare a number with a string"):
        parse_expr('recent_long_run_km > "far"')
    assert ("| `recent_long_run_km` | number or null | request | longest run of the last "
            "14 days |") in render_table(registry)
    rule = tmp_path / "long.yaml"
    rule.write_text("ruleset: long\nrules:\n  - id: long\n    when: recent_long_run_km > 25\n"
                    "    then: {notes: [\"easy on the legs\"]}\n")
    assert [r.id for r in load_ruleset([rule]).rules] == ["long"]


def test_a_fact_is_declared_once():
    registry = FactRegistry()
    registry.declare("age", FactType("number"), "age")
    with pytest.raises(ValueError, match="fact 'age' is declared twice"):
        registry.declare("age", FactType("number"), "again")
    with pytest.raises(ValueError, match="'ext' is for plugins"):
        registry.declare("ext", FactType("number"), "plugin facts")


def test_the_rules_core_never_imports_the_request_side():
    offenders = []
    for path in sorted((ROOT / "engine" / "rules").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "stridewise.context":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders
    probe = ("import sys, json; import stridewise.rules, stridewise.facts; "
             "print(json.dumps(sorted(m for m in sys.modules if m.startswith('stridewise'))))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=60)
    assert "stridewise.context" not in json.loads(done.stdout)


def test_every_request_field_is_a_declared_request_fact():
    from stridewise.context import AthleteContextSchema
    from stridewise.history import HISTORY_KEYS

    # The log fields never reach the rules as they are: rules read their summary (log.*,
    # pain.*, soreness.*, e1rm.*: derived facts), so the raw log stays out of the engine.
    fields = set(AthleteContextSchema().fields) - set(HISTORY_KEYS)
    assert {"log", "pain", "soreness", "e1rm"} <= {f.name for f in FACT_REGISTRY if f.derived}
    request = {fact.name for fact in FACT_REGISTRY if not fact.derived}
    assert fields - request == set(), "declare these request fields in engine/facts.py"
    assert request - fields == set(), "declared as request facts but not in the schema"
