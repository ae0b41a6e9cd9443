"""`stridewise test --coverage` and `--watch` (with check --watch) as a coach uses them."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from click.testing import CliRunner
from stridewise.cli import cli
from stridewise.commands.watch import watch_paths

RULES = """ruleset: mine
rules:
  - id: masters
    when: age >= 40 and weekly_run_km > 10
    then: {spacing: {heavy_hours: 72}}
  - id: teens
    when: age < 18
    then: {sets: {max: 2}}
"""
TESTS = """ruleset: ..
base_context: {age: 45, running_experience_years: 10, strength_training_experience: novice,
               weekly_run_km: 40}
cases:
  - name: masters
    expect: {fired: [masters]}
  - name: younger
    context: {age: 30}
    expect: {not_fired: [masters]}
"""


def repo(tmp_path: Path) -> Path:
    (tmp_path / "tests").mkdir()
    (tmp_path / "mine.yaml").write_text(RULES)
    (tmp_path / "tests" / "mine.yaml").write_text(TESTS)
    return tmp_path


def test_coverage_names_unfired_rules_and_one_sided_clauses(tmp_path: Path) -> None:
    root = repo(tmp_path)
    result = CliRunner().invoke(cli, ["test", str(root), "--coverage"])
    assert result.exit_code == 0, result.output
    assert "rule coverage: 1/2 rules fired by some test (50.0%)" in result.output
    assert "mine.yaml:6 teens" in result.output.split("never fired by a test:")[1]
    assert "masters: weekly_run_km > 10 (only true)" in result.output
    assert "age >= 40 (only" not in result.output  # seen true (45) and false (30)


def test_coverage_json_and_fail_under(tmp_path: Path) -> None:
    root = repo(tmp_path)
    result = CliRunner().invoke(cli, ["test", str(root), "--coverage", "--json"])
    coverage = json.loads(result.output)["coverage"]
    assert (coverage["rules"], coverage["fired"], coverage["percent"]) == (2, 1, 50.0)
    assert coverage["never_fired"][0]["rule"] == "teens"
    assert coverage["conditions"] == [{"rule": "masters", "file": coverage["conditions"][0]
                                       ["file"], "line": 3, "clause": "weekly_run_km > 10",
                                       "seen": [True]}]
    failing = CliRunner().invoke(cli, ["test", str(root), "--fail-under", "80"])
    assert failing.exit_code == 1 and "under --fail-under 80%" in failing.output
    assert CliRunner().invoke(cli, ["test", str(root), "--fail-under", "50"]).exit_code == 0


def test_the_default_rules_are_fully_covered_by_their_tests() -> None:
    result = CliRunner().invoke(cli, ["test", "--coverage", "--fail-under", "100", "-q"])
    assert result.exit_code == 0, result.output[-2000:]


def test_watch_runs_again_when_a_rule_file_changes(tmp_path: Path) -> None:
    root = repo(tmp_path)
    stop = threading.Event()
    runs: list[int] = []

    def run() -> None:
        runs.append(len(runs))
        if len(runs) == 1:  # first run done: the coach saves an edit
            threading.Timer(0.3, lambda: (root / "mine.yaml").write_text(RULES + "\n")).start()
        else:
            stop.set()

    timer = threading.Timer(20, stop.set)  # never hang the suite
    timer.start()
    watch_paths([str(root)], run, stop=stop)
    timer.cancel()
    assert len(runs) == 2
