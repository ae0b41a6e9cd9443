"""One validator: `check`, `:validate`, hot reload and the Engine agree on every rule file.

Each test reproduces a case a new user hit (issue 11, "Why"), then pins the fix.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from marshmallow import Schema, fields
from stridewise import Constraint, hookimpl
from stridewise.checking import check_rules, plugin_vocabulary
from stridewise.cli import cli
from stridewise.errors import RulesetError
from stridewise.service import Engine

RULE = """ruleset: mine
rules:
  - id: {id}
    when: {when}
    then:
      {then}
"""


def rule(then: str, when: str = "age > 30", id: str = "r1") -> str:
    return RULE.format(id=id, when=when, then=then)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


class QuickOnly(Schema):
    max_minutes = fields.Integer(required=True)


class FootPlugin:
    """A coach's plugin: the foot_strength category and a quick_only constraint."""

    @hookimpl
    def register_categories(self):
        return [{"id": "foot_strength", "name": "Foot strength"}]

    @hookimpl
    def register_constraints(self):
        return [Constraint("quick_only", "Only quick exercises.", lambda ex, ctx, p: None,
                           QuickOnly)]


@pytest.fixture
def foot(register_plugin):
    register_plugin(FootPlugin(), "foot")


def write(tmp_path: Path, text: str, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_check_knows_the_installed_plugins_vocabulary(foot, tmp_path: Path) -> None:
    path = write(tmp_path, rule("require: {categories: [foot_strength]}"))
    code, out = run("check", str(path))
    assert code == 0, out
    code, out = run("check", "--no-plugins", str(path))
    assert code == 1 and "unknown category 'foot_strength'" in out


@pytest.mark.parametrize(("then", "message"), [
    ("constraints: {max_impactt: {max: low}}",
     "unknown constraint 'max_impactt'; did you mean 'max_impact'?"),
    ('constraints: {quick_only: {max_minutes: "lots"}}', "max_minutes"),
])
def test_check_fails_files_the_engine_would_refuse(foot, tmp_path: Path, then: str,
                                                   message: str) -> None:
    path = write(tmp_path, rule(then))
    code, out = run("check", str(path))
    assert code == 1 and message in out and "OK" not in out
    with pytest.raises(RulesetError) as info:  # and the engine refuses it with the same words
        Engine.create(rules=path, backend="python")
    assert message in str(info.value)


def test_check_validate_and_engine_give_the_same_diagnostics(foot, tmp_path: Path,
                                                             app_client) -> None:
    text = rule("constraints: {max_impactt: {max: low}}") + """  - id: r1
    when: phase == "peek"
    then: {}
"""
    path = write(tmp_path, text)

    def shown(diagnostics):  # the posted file has no directory; compare what is said
        return [(d.line, d.col, d.message.replace(f"{tmp_path}/", "")) for d in diagnostics]

    checked = shown(check_rules([path], vocabulary=plugin_vocabulary()).diagnostics)
    with pytest.raises(RulesetError) as info:
        Engine.create(rules=path, backend="python")
    loaded = shown(info.value.diagnostics)
    body = app_client.post("/v1/rulesets:validate",
                           json={"files": {"mine.yaml": text}}).get_json()
    validated = [(d["line"], d["col"], d["message"]) for d in body["diagnostics"]]
    assert checked == loaded == validated and len(checked) == 4


def test_every_problem_shows_in_one_pass_duplicates_included(tmp_path: Path) -> None:
    text = rule("sets: {max: 2}", when="age >") + """  - id: r1
    whne: true
    then: {sets: {max: 2}}
"""
    other = write(tmp_path, rule("sets: {max: 2}", id="r1"), "other.yaml")
    code, out = run("check", "--no-plugins", str(write(tmp_path, text)), str(other))
    assert code == 1
    assert "mine.yaml:4:16: expected a value, a fact or '(', found the end" in out
    assert "mine.yaml:8:5: unknown key 'whne'; did you mean 'when'?" in out
    assert "duplicate rule id 'r1'; first defined at" in out
    assert out.count("duplicate rule id") == 2  # in the same file and across files


def test_a_condition_starting_with_a_quote_gets_its_own_message_with_the_fix(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, rule("exclude: {tags: [jump]}", when='"knee" in injuries.site'))
    code, out = run("check", "--no-plugins", str(path))
    assert code == 1 and "did not find expected key" not in out
    assert "mine.yaml:4:11: a condition that starts with a quote must be quoted as a whole" in out
    assert """write when: '"knee" in injuries.site'""" in out


def test_an_unclosed_parenthesis_points_at_file_positions_only(tmp_path: Path) -> None:
    path = write(tmp_path, rule("sets: {max: 2}", when='(age > 30 and phase == "base"'))
    code, out = run("check", "--no-plugins", str(path))
    assert code == 1
    assert "mine.yaml:4:40: expected ')' to close the '(' at 4:11, found the end" in out


def test_an_empty_then_is_an_error(tmp_path: Path) -> None:
    code, out = run("check", "--no-plugins", str(write(tmp_path, rule("{}").replace(
        "then:\n      {}", "then: {}"))))
    assert code == 1 and "mine.yaml:5:11: then: is empty" in out


def test_rule_test_typos_get_a_did_you_mean_in_check_and_test(tmp_path: Path) -> None:
    write(tmp_path, rule("sets: {max: 2}"))
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "mine.yaml").write_text(
        "cases:\n  - name: older\n    context: {age: 40}\n    expct: {fired: [r1]}\n"
    )
    code, out = run("check", "--no-plugins", str(tmp_path))
    assert code == 1
    assert "tests/mine.yaml:4:5: unknown case key 'expct'; did you mean 'expect'?" in out
    assert "needs an `expect`" not in out


CYCLE = """ruleset: loop
rules:
  - id: derive-peak
    when: race.days_until <= 21
    then: {set: {phase: peak}}
  - id: derive-taper
    when: race.days_until <= 14 and phase == "peak"
    then: {set: {phase: taper}}
"""


def test_sets_that_undo_each_other_are_a_check_error_naming_the_rules(tmp_path: Path,
                                                                      app_client) -> None:
    path = write(tmp_path, CYCLE)
    code, out = run("check", "--no-plugins", str(path))
    assert code == 1
    assert "mine.yaml:6:5: rules 'derive-peak', 'derive-taper' can undo each other" in out
    body = app_client.post("/v1/rulesets:validate", json={"files": {"loop": CYCLE}}).get_json()
    assert body["valid"] is False and "can undo each other" in body["diagnostics"][0]["message"]


def test_exclusive_conditions_on_another_fact_are_not_a_cycle(tmp_path: Path) -> None:
    text = CYCLE.replace("race.days_until <= 21", "race.days_until <= 21 and race.days_until > 14")
    assert run("check", "--no-plugins", str(write(tmp_path, text)))[0] == 0
    three = """ruleset: ring
rules:
  - {id: a, when: 'phase == "base"', then: {set: {phase: peak}}}
  - {id: b, when: 'phase == "peak"', then: {set: {phase: taper}}}
  - {id: c, when: 'phase == "taper"', then: {set: {phase: base}}}
"""
    code, out = run("check", "--no-plugins", str(write(tmp_path, three, "ring.yaml")))
    assert code == 1 and "rules 'a', 'b', 'c' can undo each other" in out


def test_check_formats_json_sarif_and_github(tmp_path: Path) -> None:
    path = write(tmp_path, rule("sets: {max: 2}", when="agee > 3"))
    code, out = run("check", "--no-plugins", "--format", "json", str(path))
    (diagnostic,) = json.loads(out)["diagnostics"]
    assert code == 1 and (diagnostic["line"], diagnostic["col"]) == (4, 11)
    code, out = run("check", "--no-plugins", "--format", "sarif", str(path))
    sarif = json.loads(out)
    (result,) = sarif["runs"][0]["results"]
    assert sarif["version"] == "2.1.0" and result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 4,
                                                                    "startColumn": 11}
    code, out = run("check", "--no-plugins", "--format", "github", str(path))
    assert out.startswith(f"::error file={diagnostic['file']},line=4,col=11,")
    assert "unknown fact 'agee'" in out


@pytest.fixture
def app_client():
    from stridewise.web import create_app

    engine = Engine.create(backend="python")
    yield create_app({"TESTING": True, "ENGINE": engine, "RELOAD": False}).test_client()
    engine.close()


# Two facts that chase each other: no pair sets one fact on a condition the other leaves open,
# so only the evaluator's guard can see it; that must be a 422 for this request, never a 500.
RUNTIME_CYCLE = """ruleset: chase
rules:
  - {id: a, when: 'phase == "base"', then: {set: {strength_training_experience: advanced}}}
  - {id: b, when: 'strength_training_experience == "advanced"', then: {set: {phase: peak}}}
  - {id: c, when: 'phase == "peak"', then: {set: {strength_training_experience: novice}}}
  - {id: d, when: 'strength_training_experience == "novice"', then: {set: {phase: base}}}
"""


def test_a_cycle_at_run_time_is_a_422_problem_and_a_metric(tmp_path: Path) -> None:
    from stridewise.web import create_app

    engine = Engine.create(rules=write(tmp_path, RUNTIME_CYCLE), backend="python")
    client = create_app({"TESTING": True, "ENGINE": engine, "RELOAD": False}).test_client()
    body = {"age": 30, "running_experience_years": 3, "strength_training_experience": "novice",
            "weekly_run_km": 30, "phase": "base"}
    response = client.post("/v1/recommendations", json=body)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["type"] == "urn:stridewise:problem:rule-cycle"
    assert sorted(problem["rules"]) == ["a", "b", "c", "d"]
    batch = client.post("/v1/recommendations:batch", json={"contexts": [body]}).get_json()
    assert batch["results"][0]["status"] == 422
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'stridewise_rule_cycles_total{rule="a"} 2.0' in metrics
    engine.close()


def test_hot_reload_refuses_an_edit_whose_sets_undo_each_other(tmp_path: Path) -> None:
    """Before: the peak <-> taper edit hot-loaded with status ok, then every request was a 500."""
    rules = tmp_path / "rules"
    rules.mkdir()
    write(rules, rule("sets: {max: 2}"))
    engine = Engine.create(rules=rules, backend="python")
    version = engine.ruleset.version
    write(rules, CYCLE, "loop.yaml")
    result = engine.reload()
    assert result.ok is False and result.version == version
    assert "can undo each other" in (result.error or "")
    assert engine.status()["status"] != "ok"  # still serving the last good version
    engine.close()
