"""JSON Schema for rule files and rule-test files: generated, valid, and agreeing with check."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from stridewise.checking import plugin_vocabulary
from stridewise.cli import cli
from stridewise.directives import builtin_specs
from stridewise.json_schema import rules_schema
from stridewise.json_schema import tests_schema as rule_tests_schema
from stridewise.rulesets import DEFAULT
from stridewise.service import Engine

RULES = rules_schema(plugin_vocabulary())
TESTS = rule_tests_schema(plugin_vocabulary())


def errors(schema: dict, document: object) -> list[str]:
    plain = json.loads(json.dumps(document, default=str))  # YAML dates as the strings they are
    return [e.message for e in Draft202012Validator(schema).iter_errors(plain)]


def test_both_schemas_are_valid_draft_2020_12() -> None:
    for schema in (RULES, TESTS):
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", sorted(DEFAULT.glob("*.yaml")), ids=lambda p: p.name)
def test_every_default_rule_file_validates_against_the_schema(path: Path) -> None:
    assert errors(RULES, yaml.safe_load(path.read_text())) == []


@pytest.mark.parametrize("path", sorted(DEFAULT.glob("tests/*.yaml")), ids=lambda p: p.name)
def test_every_default_rule_test_file_validates_against_the_schema(path: Path) -> None:
    assert errors(TESTS, yaml.safe_load(path.read_text())) == []


def test_broken_rule_files_fail_the_schema() -> None:
    good = yaml.safe_load((DEFAULT / "periodization.yaml").read_text())
    cases = {
        "unknown directive": ("then", "sets", "sessions_per_wek", {"max": 1}),
        "unknown tag": ("then", "exclude", "exclude", {"tags": ["lowerbody"]}),
        "bound out of range": ("then", "sets", "sets", {"max": 99}),
        "empty then": ("then", None, None, None),
        "unknown rule key": ("whne", None, None, None),
    }
    for name, (key, drop, add, value) in cases.items():
        broken = copy.deepcopy(good)
        rule = broken["rules"][-1]
        if key == "then" and drop is None:
            rule["then"] = {}
        elif key == "then":
            rule["then"].pop(drop, None)
            rule["then"][add] = value
        else:
            rule[key] = rule.pop("when")
        assert errors(RULES, broken), name


def test_every_directive_of_the_registry_is_in_the_schema_with_its_description() -> None:
    then = RULES["properties"]["rules"]["items"]["properties"]["then"]["properties"]
    assert list(then) == [spec.name for spec in builtin_specs()]
    assert all(then[spec.name]["description"] == spec.description for spec in builtin_specs())


def test_a_broken_rule_test_file_fails_the_schema() -> None:
    doc = {"cases": [{"name": "a", "context": {"age": 30}, "expct": {"fired": ["x"]}}]}
    assert errors(TESTS, doc)
    doc = {"cases": [{"name": "a", "context": {"phse": "base"}, "expect": {"fired": ["x"]}}]}
    assert errors(TESTS, doc)
    doc["cases"][0]["expect"] = {"error": "phse"}  # a case about a refused context may say so
    assert not errors(TESTS, doc)


def test_plugin_names_complete_in_the_schema(register_plugin) -> None:
    from stridewise import hookimpl

    class Foot:
        @hookimpl
        def register_categories(self):
            return [{"id": "foot_strength", "name": "Foot strength"}]

    register_plugin(Foot(), "foot")
    schema = rules_schema(plugin_vocabulary())
    doc = {"ruleset": "x", "rules": [{"id": "r", "when": True,
                                      "then": {"require": {"categories": ["foot_strength"]}}}]}
    assert not errors(schema, doc)
    assert errors(RULES, doc)  # without the plugin the name is unknown


def test_schema_command_and_http_serve_the_same_documents(tmp_path: Path) -> None:
    from stridewise.web import create_app

    out = CliRunner().invoke(cli, ["schema", "rules"]).output
    assert json.loads(out) == RULES
    out = CliRunner().invoke(cli, ["schema", "tests"]).output
    assert json.loads(out) == TESTS
    engine = Engine.create(backend="python")
    client = create_app({"TESTING": True, "ENGINE": engine, "RELOAD": False}).test_client()
    response = client.get("/v1/schemas/rules.json")
    assert response.status_code == 200 and response.mimetype == "application/schema+json"
    assert response.get_json() == RULES
    assert client.get("/v1/schemas/tests.json").get_json() == TESTS
    engine.close()
