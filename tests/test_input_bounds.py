"""Input bounds: each finding was a 500 or a traceback; now a clear 4xx or diagnostic."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from stridewise.cli import cli
from stridewise.rules import check_paths
from stridewise.web import create_app
from web_fixtures import CONTEXT, real_engine  # noqa: F401 - the shared engine fixture

BIG = "9" * 5000
PROBLEM = "application/problem+json"


@pytest.fixture
def client(real_engine):  # noqa: F811
    return create_app({"TESTING": True, "ENGINE": real_engine, "RELOAD": False}).test_client()


def test_a_start_date_near_the_end_of_the_calendar_is_a_422(client):
    response = client.post("/v1/recommendations", json={**CONTEXT, "start_date": "9999-12-31"})
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert any(e["pointer"] == "/start_date" for e in response.get_json()["errors"])


def test_a_lone_surrogate_in_json_is_a_400_naming_where(client):
    body = '{"files": {"a.yaml": "ruleset: a\\nrules: []\\n# \\ud800"}}'
    response = client.post("/v1/rulesets:validate", data=body, content_type="application/json")
    assert response.status_code == 400 and response.mimetype == PROBLEM
    assert "/files/a.yaml" in response.get_json()["detail"]
    assert "surrogate" in response.get_json()["detail"]


def test_duplicate_json_keys_are_a_400_naming_the_key(client):
    body = '{"age": 30, "age": 40}'
    response = client.post("/v1/recommendations", data=body, content_type="application/json")
    assert response.status_code == 400 and "duplicate key 'age'" in response.get_json()["detail"]


def _rule_file(tmp_path, text):
    path = tmp_path / "a.yaml"
    path.write_text(text)
    return path


def test_an_integer_literal_over_4300_digits_is_a_diagnostic(tmp_path, client):
    in_when = f"ruleset: a\nrules:\n  - id: x\n    when: age > {BIG}\n    then: {{notes: [x]}}\n"
    in_yaml = f"ruleset: a\nrules:\n  - id: x\n    priority: {BIG}\n    when: 'true'\n" \
        "    then: {notes: [x]}\n"
    for text, col in ((in_when, 17), (in_yaml, 15)):
        (diagnostic,) = check_paths([_rule_file(tmp_path, text)])
        assert (diagnostic.line, diagnostic.col) == (4, col)
        assert "out of range" in diagnostic.message
        response = client.post("/v1/rulesets:validate", json={"files": {"a.yaml": text}})
        assert response.status_code == 200 and not response.get_json()["valid"]
        result = CliRunner().invoke(cli, ["check", str(tmp_path / "a.yaml"), "--no-plugins"])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "out of range" in result.output


def test_more_than_5000_rules_in_one_file_is_a_diagnostic_not_an_attribute_error(tmp_path):
    rule = "  - id: r{}\n    when: 'true'\n    then: {{notes: [x]}}\n"
    rules = "".join(rule.format(i) for i in range(5001))
    diagnostics = check_paths([_rule_file(tmp_path, "ruleset: a\nrules:\n" + rules)])
    assert diagnostics and any("5000" in d.message for d in diagnostics)


def test_more_rules_in_all_than_the_total_bound_is_a_diagnostic(tmp_path, monkeypatch):
    from stridewise.rules import schema

    assert schema.MAX_TOTAL_RULES >= 10_000  # the scale bench runs 10,000 rules
    monkeypatch.setattr(schema, "MAX_TOTAL_RULES", 6)
    rule = "  - id: {}{}\n    when: 'true'\n    then: {{notes: [x]}}\n"
    for name in ("a", "b"):
        body = "".join(rule.format(name, i) for i in range(4))
        (tmp_path / f"{name}.yaml").write_text(f"ruleset: {name}\nrules:\n" + body)
    diagnostics = check_paths([tmp_path])
    assert any("holds 8 rules in 2 files; at most 6" in d.message for d in diagnostics), [
        str(d) for d in diagnostics]
    monkeypatch.setattr(schema, "MAX_TOTAL_RULES", 8)
    assert not check_paths([tmp_path])
