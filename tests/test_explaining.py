"""explain through the Engine, and why not: the first false clause, a `set` or the derived
phase that changed a fact first, or the rules that overrode an effect (CLI and HTTP)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from stridewise import hookimpl
from stridewise.cli import cli
from stridewise.explaining import UnknownRuleError, explain
from stridewise.service import Engine

COACH = """ruleset: coach
rules:
  - id: derive-taper
    priority: 100
    when: phase == "peak" and race.days_until <= 14
    then:
      set: {phase: taper}
  - id: close-race
    when: race.days_until <= 14
    then:
      sets: {max: 3}
  - id: cap-sets
    priority: 50
    when: age > 20
    then:
      sets: {max: 2}
  - id: peak-maintenance
    when: phase == "peak"
    then:
      notes: ["Keep it heavy."]
  - id: hrv-low
    when: ext.hrv.hrv_low == true
    then:
      notes: ["Easy day."]
"""
ATHLETE = {"age": 34, "running_experience_years": 6, "strength_training_experience":
           "intermediate", "weekly_run_km": 60, "race": {"distance_km": 42.2, "days_until": 12}}


@pytest.fixture
def engine(tmp_path: Path):
    rules = tmp_path / "coach.yaml"
    rules.write_text(COACH)
    built = Engine.create(rules=rules, backend="python")
    yield built
    built.close()


def entry(result: dict, rule: str) -> dict:
    return next(e for e in result["why_not"] if e["rule"] == rule)


def test_the_coachs_case_phase_already_derived_from_the_race_date(engine) -> None:
    result = explain(engine, ATHLETE, why_not=["derive-taper"])
    why = entry(result, "derive-taper")
    assert why["fired"] is False and why["reason"] == "derived"
    assert why["clause"] == 'phase == "peak"'
    assert why["message"].startswith('phase = "taper", needs == "peak"; phase "taper" was '
                                     "derived from the race date")


def test_first_failing_clause_names_the_values_read(engine) -> None:
    body = {**ATHLETE, "phase": "peak", "race": {"distance_km": 42.2, "days_until": 18}}
    why = entry(explain(engine, body, why_not=["derive-taper"]), "derive-taper")
    assert why["reason"] == "condition" and why["read"] == {"race.days_until": 18}
    assert why["message"] == "race.days_until = 18, needs <= 14"


def test_a_set_that_changed_the_fact_first_is_named(engine) -> None:
    why = entry(explain(engine, {**ATHLETE, "phase": "peak"}, why_not=["peak-maintenance"]),
                "peak-maintenance")
    assert why["reason"] == "set" and why["changed_by"][0]["by"] == ["derive-taper"]
    assert "phase was \"peak\" before 'derive-taper' set it to \"taper\"" in why["message"]


def test_a_higher_priority_directive_that_overrode_the_effect_is_named(engine) -> None:
    why = entry(explain(engine, ATHLETE, why_not=["close-race"]), "close-race")
    assert why["fired"] is True and why["reason"] == "overridden"
    assert why["overridden"] == [{"directive": "sets", "by": ["cap-sets"],
                                  "value": {"min": None, "max": 2}}]


def test_all_explains_every_rule_that_did_not_fire(engine) -> None:
    result = explain(engine, ATHLETE, all_rules=True)
    fired = {f["rule"] for f in result["fired"]}
    assert {e["rule"] for e in result["why_not"]} == {
        r.id for r in engine.ruleset.rules} - fired


def test_an_unknown_rule_gets_a_suggestion(engine) -> None:
    with pytest.raises(UnknownRuleError, match="did you mean 'derive-taper'"):
        explain(engine, ATHLETE, why_not=["derive-tapr"])


class HrvPlugin:
    @hookimpl
    def prepare_context(self, context):
        return {"hrv_low": True}


def test_explain_goes_through_the_engine_with_plugins_loaded(register_plugin, tmp_path: Path):
    """issue 8: what explain shows is what the service does (a plugin's facts included)."""
    register_plugin(HrvPlugin(), "hrv")
    rules = tmp_path / "coach.yaml"
    rules.write_text(COACH)
    context = tmp_path / "athlete.json"
    context.write_text(json.dumps(ATHLETE))
    result = CliRunner().invoke(cli, ["explain", str(context), "--rules", str(rules), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert "hrv-low" in [f["rule"] for f in body["fired"]]
    served = Engine.create(rules=rules, backend="python").recommend(ATHLETE)
    assert [f["rule"] for f in body["fired"]] == [f["rule"] for f in served["fired"]]


def test_explain_cli_why_not_in_text_and_json(tmp_path: Path) -> None:
    rules = tmp_path / "coach.yaml"
    rules.write_text(COACH)
    context = tmp_path / "athlete.json"
    context.write_text(json.dumps({**ATHLETE, "race": {"distance_km": 10, "days_until": 18},
                                   "phase": "peak"}))
    args = ["explain", str(context), "--rules", str(rules), "--why-not", "derive-taper"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0
    assert "coach.yaml:3: race.days_until = 18, needs <= 14" in result.output
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert json.loads(result.output)["why_not"][0]["clause"] == "race.days_until <= 14"
    result = CliRunner().invoke(cli, [*args[:-1], "nope"])
    assert result.exit_code == 1 and "no rule 'nope'" in result.output


def test_http_explanations(engine) -> None:
    from stridewise.web import create_app

    client = create_app({"TESTING": True, "ENGINE": engine, "RELOAD": False}).test_client()
    response = client.post("/v1/explanations", json={"context": ATHLETE, "all": True})
    assert response.status_code == 200
    body = response.get_json()
    assert entry(body, "derive-taper")["reason"] == "derived"
    assert body == explain(engine, ATHLETE, all_rules=True)
    bad = client.post("/v1/explanations", json={"context": {**ATHLETE, "agee": 3}})
    assert bad.status_code == 422
    assert bad.get_json()["errors"][0]["pointer"] == "/context/agee"
    unknown = client.post("/v1/explanations", json={"context": ATHLETE, "why_not": ["x"]})
    assert unknown.status_code == 422
    assert unknown.get_json()["type"] == "urn:stridewise:problem:unknown-rule"
