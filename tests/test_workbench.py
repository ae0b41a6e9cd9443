"""Draft rules for the workbench (stridewise.workbench): run, explain, never activate."""

from __future__ import annotations

import dataclasses

import pytest
from stridewise.context import derive_facts, load_context
from stridewise.doses import dose_text
from stridewise.errors import RulesetError
from stridewise.rules import PythonRuleset, Ruleset, parse_expr
from stridewise.samples import load_samples
from stridewise.workbench import active_files, draft_engine, render_condition, run_draft
from web_fixtures import CONTEXT, real_engine  # noqa: F401

RULE = '''ruleset: trial
rules:
  - id: masters-tempo
    description: Older athletes with a tempo run get one extra note.
    when: age >= 40 and weekly_run_km > 20 and "tempo" in key_run_sessions.type
    then:
      notes: ["Keep the tempo run easy the day after lifting."]
'''


def _draft(real_engine, **extra):  # noqa: F811
    files = {f["name"]: f["text"] for f in active_files(real_engine)}
    files.update(extra)
    return files


def test_the_unedited_draft_is_the_active_ruleset(real_engine):  # noqa: F811
    result = run_draft(real_engine, _draft(real_engine), CONTEXT)
    assert result["ruleset"]["version"] == result["active_version"] == real_engine.ruleset.version
    active = real_engine.recommend(CONTEXT)
    for session in result["recommendation"]["sessions"]:
        for item in session["exercises"]:
            assert item.pop("dose") == dose_text(item)
    assert result["recommendation"]["sessions"] == active["sessions"]
    assert [f["rule"] for f in result["recommendation"]["fired"]] == [
        f["rule"] for f in active["fired"]]


def test_a_draft_rule_changes_the_week_but_never_the_served_engine(real_engine):  # noqa: F811
    before = real_engine.ruleset.version
    texts = {f["path"]: f["text"] for f in active_files(real_engine)}
    result = run_draft(real_engine, _draft(real_engine, **{"trial.yaml": RULE}),
                       {**CONTEXT, "age": 44, "key_run_sessions": [{"day_offset": 2,
                                                                    "type": "tempo"}]})
    assert result["ruleset"]["version"] != before
    assert "Keep the tempo run easy the day after lifting." in result["recommendation"]["notes"]
    (rule,) = [r for r in result["rules"] if r["rule"] == "masters-tempo"]
    assert rule["fired"] and rule["file"] == "trial.yaml" and rule["line"] == 3
    assert rule["read"] == {"age": 44, "weekly_run_km": 55, "key_run_sessions.type": ["tempo"]}
    assert real_engine.ruleset.version == before
    assert {f["path"]: f["text"] for f in active_files(real_engine)} == texts
    assert "masters-tempo" not in {r.id for r in real_engine.ruleset.rules}


def test_why_not_names_the_first_false_clause_with_its_values(real_engine):  # noqa: F811
    result = run_draft(real_engine, _draft(real_engine, **{"trial.yaml": RULE}),
                       {**CONTEXT, "age": 34})
    (rule,) = [r for r in result["rules"] if r["rule"] == "masters-tempo"]
    assert not rule["fired"]
    why = rule["why_not"]
    assert (why["reason"], why["clause"], why["read"]) == ("condition", "age >= 40", {"age": 34})
    assert why["message"] == "age = 34, needs >= 40"
    assert rule["read"] == {"age": 34}


def test_a_rule_that_fired_but_lost_a_directive_says_to_whom(real_engine):  # noqa: F811
    result = run_draft(real_engine, _draft(real_engine), CONTEXT)
    overridden = [r for r in result["rules"] if r["why_not"]["reason"] == "overridden"]
    assert overridden, "some default rule's bound loses to a higher-priority rule"
    for rule in overridden:
        assert rule["fired"]
        for lost in rule["why_not"]["overridden"]:
            assert lost["directive"] in rule["then"] and rule["rule"] not in lost["by"]


def test_a_broken_draft_reports_diagnostics_under_the_posted_file_name(real_engine):  # noqa: F811
    broken = RULE.replace('"tempo" in key_run_sessions.type', 'phase == "peek"')
    with pytest.raises(RulesetError) as info:
        run_draft(real_engine, _draft(real_engine, **{"trial.yaml": broken}), CONTEXT)
    (diagnostic,) = info.value.diagnostics
    assert (diagnostic.file, diagnostic.line) == ("trial.yaml", 5)
    assert "peek" in diagnostic.message and "stridewise-draft-" not in str(diagnostic)


def test_draft_engines_use_the_python_backend_and_are_closed(real_engine):  # noqa: F811
    with draft_engine(real_engine, _draft(real_engine)) as draft:
        assert draft.status()["backend"] == "python"
        assert draft.catalog is real_engine.catalog


def test_rendered_conditions_mean_what_the_rules_say(real_engine):  # noqa: F811
    rules = real_engine.ruleset.rules
    rendered = tuple(dataclasses.replace(r, expr=parse_expr(render_condition(r.expr)))
                     for r in rules)
    for rule, again in zip(rules, rendered, strict=True):
        assert render_condition(again.expr) == render_condition(rule.expr), rule.id
    original = PythonRuleset(Ruleset("a", "", rules))
    reparsed = PythonRuleset(Ruleset("b", "", rendered))
    for sample in load_samples():
        facts = derive_facts(load_context(sample))
        fired = [f.rule.id for f in original.evaluate(facts).fired]
        assert fired == [f.rule.id for f in reparsed.evaluate(facts).fired], sample["athlete_id"]


def test_render_condition_parenthesises_mixed_and_or_and_not():
    text = 'not (age > 40 or phase == "base") and any(injuries, site == "knee")'
    assert render_condition(parse_expr(text)) == text
