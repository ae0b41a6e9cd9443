"""How rule files are shown: bundled defaults, files under the cwd, anything else as given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import stridewise.response
import stridewise.ruletests.runner
from click.testing import CliRunner
from stridewise import rulesets
from stridewise.cli import cli
from stridewise.rules import check_paths, display_path, load_ruleset

CONTEXT = Path(__file__).parent / "data" / "rules" / "peak-athlete.json"
BAD = "ruleset: x\nrules:\n  - id: a\n    when: phse == 1\n    then: {}\n"


def test_files_inside_the_cwd_are_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.yaml").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "sub" / "x.yaml") == "sub/x.yaml"
    assert display_path("sub/x.yaml") == "sub/x.yaml"
    assert display_path("./sub/../sub/x.yaml") == "sub/x.yaml"


def test_files_outside_the_cwd_are_shown_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "x.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    assert display_path(tmp_path / "x.yaml") == str(tmp_path / "x.yaml")  # never ../../
    assert display_path("../x.yaml") == "../x.yaml"


def test_the_bundled_default_rules_show_as_rulesets_default_wherever_we_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert display_path(rulesets.DEFAULT / "race.yaml") == "rulesets/default/race.yaml"
    ruleset = load_ruleset(rulesets.DEFAULT)
    assert all(f.startswith("rulesets/default/") for f in ruleset.files)
    assert {r.file for r in ruleset.rules} <= set(ruleset.files)
    monkeypatch.chdir(rulesets.DEFAULT)  # even from inside the ruleset itself
    assert display_path("race.yaml") == "rulesets/default/race.yaml"
    assert display_path("rulesets/default/race.yaml") == "rulesets/default/race.yaml"


def test_diagnostics_and_explain_show_paths_without_dot_dot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "rules" / "bad.yaml"
    bad.parent.mkdir()
    bad.write_text(BAD, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert check_paths([bad])[0].file == str(bad)
    result = CliRunner().invoke(cli, ["explain", str(CONTEXT), "--json"])
    assert result.exit_code == 0, result.output
    files = {f["file"] for f in json.loads(result.output)["fired"]}
    assert files and all(f.startswith("rulesets/default/") for f in files)


def test_the_version_does_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = load_ruleset(rulesets.DEFAULT).version
    monkeypatch.chdir(tmp_path)
    assert load_ruleset(rulesets.DEFAULT).version == here
    copy = tmp_path / "copy"  # the same files elsewhere: the same version
    copy.mkdir()
    for file in rulesets.DEFAULT.glob("*.yaml"):
        (copy / file.name).write_bytes(file.read_bytes())
    assert load_ruleset(copy).version == here


def test_responses_and_rule_tests_use_the_one_helper() -> None:
    assert stridewise.response.display_path is display_path
    assert stridewise.ruletests.runner.display_path is display_path


def test_a_rules_directory_outside_the_working_directory_is_never_shown_as_a_server_path(
    tmp_path, monkeypatch
):
    from stridewise.service import Engine

    rules = tmp_path / "srv" / "coach-rules"
    rules.mkdir(parents=True)
    for source in rulesets.DEFAULT.glob("*.yaml"):
        (rules / source.name).write_text(source.read_text())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the rules are not under the working directory
    engine = Engine.create(rules=[rules], backend="python")
    try:
        body = engine.recommend({"age": 30, "running_experience_years": 3,
                                 "strength_training_experience": "novice",
                                 "weekly_run_km": 30, "start_date": "2026-01-05"})
        status = engine.status()
    finally:
        engine.close()
    shown = [f["file"] for f in body["fired"]] + status["files"] + status["paths"]
    assert shown and all(not p.startswith("/") and str(tmp_path) not in p for p in shown), shown
    assert status["paths"] == ["coach-rules"] and "base.yaml" in status["files"]
    assert display_path(rules / "base.yaml") == str(rules / "base.yaml")  # outside: unchanged
