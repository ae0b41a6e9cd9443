"""The pytest11 plugin: a coach's own repository runs its rule tests with plain `pytest`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

RULES = """ruleset: mine
rules:
  - id: masters-spacing
    when: age >= 40
    then:
      spacing: {heavy_hours: 72}
"""
TESTS = """ruleset: ..
base_context:
  age: 45
  running_experience_years: 10
  strength_training_experience: intermediate
  weekly_run_km: 40
cases:
  - name: masters get spacing
    expect: {fired: [masters-spacing]}
  - name: young athletes do not
    context: {age: 25}
    expect: {fired: [masters-spacing]}
"""


def run_pytest(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "--rootdir", str(root), *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def test_plain_pytest_collects_rule_tests_outside_this_repository(tmp_path: Path) -> None:
    repo = tmp_path / "coach-rules"
    (repo / "rules" / "tests").mkdir(parents=True)
    (repo / "rules" / "mine.yaml").write_text(RULES)
    (repo / "rules" / "tests" / "mine.yaml").write_text(TESTS)
    (repo / "rules" / "tests" / "other.yaml").write_text("just: some data\n")  # not a rule test
    assert not (repo / "conftest.py").exists()
    done = run_pytest(repo)
    assert "1 failed, 1 passed" in done.stdout, done.stdout + done.stderr
    assert "FAIL rules/tests/mine.yaml:10 young athletes do not" in done.stdout
    assert "fired: expected 'masters-spacing' to fire; fired: none" in done.stdout
    assert "other.yaml" not in done.stdout
    opted_out = run_pytest(repo, "-p", "no:stridewise")
    assert "no tests ran" in opted_out.stdout, opted_out.stdout


def test_a_broken_rule_test_file_is_one_failing_item_with_its_location(tmp_path: Path) -> None:
    repo = tmp_path / "plugin-repo"
    (repo / "rules" / "tests").mkdir(parents=True)
    (repo / "rules" / "mine.yaml").write_text(RULES)
    (repo / "rules" / "tests" / "mine.yaml").write_text(
        "cases:\n  - name: a\n    expct: {fired: [masters-spacing]}\n")
    done = run_pytest(repo)
    assert "1 failed" in done.stdout
    assert "mine.yaml:3:5: unknown case key 'expct'; did you mean 'expect'?" in done.stdout
