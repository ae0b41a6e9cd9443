"""Start-up: a `stridewise serve` worker compiles what its master validated, imports nothing the
master has not, and the `startup` bench suite reports the figures docs/performance.md quotes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from plugin_helpers import Exercises, make_exercise
from serve_helpers import copy_default_rules
from stridewise import service
from stridewise.errors import RulesetError
from stridewise.service import Engine

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def rules(tmp_path):
    return copy_default_rules(tmp_path / "rules")


@pytest.fixture
def validations(monkeypatch):
    """Count the rule-file validations engines run from now on."""
    calls: list[object] = []
    real = service.load_ruleset

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "load_ruleset", counting)
    return calls


def test_an_engine_compiles_the_ruleset_validated_from_the_same_bytes(rules, validations):
    master = Engine.create(rules=rules, backend="python")  # what serve's preflight builds
    assert len(validations) == 1
    worker = Engine.create(rules=rules)
    assert len(validations) == 1  # no second parse and validation of the same bytes
    assert worker.ruleset is master.ruleset
    assert worker.backend == "auto" and worker.recommend({
        "age": 30, "running_experience_years": 3, "strength_training_experience": "novice",
        "weekly_run_km": 30, "athlete_id": "a", "start_date": "2026-11-30",
    })["ruleset"]["version"] == master.ruleset.version
    master.close()
    worker.close()


def test_edited_bytes_are_validated_again(rules, validations):
    first = Engine.create(rules=rules, backend="python")
    path = rules / "base.yaml"
    path.write_text(path.read_text() + "\n# edited\n")
    second = Engine.create(rules=rules, backend="python")
    assert len(validations) == 2 and second.ruleset.version != first.ruleset.version
    path.write_text(path.read_text().replace("rules:", "rules: [", 1))
    for _ in range(2):  # a broken file is reported every time, never remembered
        with pytest.raises(RulesetError, match="base.yaml"):
            Engine.create(rules=rules, backend="python")
    assert len(validations) == 4


def test_another_vocabulary_validates_the_same_bytes_again(rules, validations, register_plugin):
    Engine.create(rules=rules, backend="python")
    register_plugin(Exercises(make_exercise("startup_test_drill")), "startup-test")
    engine = Engine.create(rules=rules, backend="python")
    assert len(validations) == 2
    assert "startup_test_drill" in (engine.vocabulary.exercise_ids or ())


WORKER_AFTER_FORK = r"""
import json, os, sys, tempfile
os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp()
from stridewise.commands.serve import _preflight, _share_with_workers
config = {"SERVER": "gunicorn", "SNAPSHOT_DIR": tempfile.mkdtemp(), "ACCESS_LOG": False}
_preflight(config)
_share_with_workers()
import gc
frozen = gc.get_freeze_count()
before = set(sys.modules)
from stridewise.web import create_app
app = create_app(config)
built = set(sys.modules)
client = app.test_client()
tooling = set(sys.modules) - built  # the test client's own modules (not a worker's)
status = client.post("/v1/recommendations", json={
    "age": 30, "running_experience_years": 3, "strength_training_experience": "novice",
    "weekly_run_km": 30}).status_code
new = sorted(set(sys.modules) - before - tooling)
print(json.dumps({"new": new, "frozen": frozen, "status": status}))
"""
HEAVY = ("stridewise", "flask", "flask_smorest", "werkzeug", "marshmallow", "apispec", "jinja2",
         "icalendar", "prometheus_client", "durable", "durable_rules_engine", "yaml", "pluggy")


def test_a_serve_worker_imports_nothing_its_master_has_not(tmp_path):
    done = subprocess.run([sys.executable, "-c", WORKER_AFTER_FORK], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["status"] == 200 and found["frozen"] > 0
    assert [m for m in found["new"] if m.split(".")[0] in HEAVY] == []


def test_the_startup_suite_times_check_and_a_reforked_worker():
    from stridewise.bench import run_suite

    results = run_suite("startup", [1], iterations=1, warmup=0)
    assert [r.runner for r in results] == [
        "check", "interpreter", "worker-ready", "worker-cpu", "first-answer",
    ]
    assert all(r.median_us > 0 for r in results)


CHECK_MODULES = r"""
import json, sys
from stridewise.cli import main
sys.argv = ["stridewise", "check", sys.argv[1]]
try:
    main()
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def test_check_loads_neither_durable_rules_nor_the_evaluators_nor_planning_nor_flask():
    done = subprocess.run(
        [sys.executable, "-c", CHECK_MODULES, str(ROOT / "rulesets" / "default")],
        capture_output=True, text=True, timeout=120, check=False,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["code"] == 0, done.stderr[-2000:]
    loaded = set(found["modules"])
    assert "stridewise.rules.schema" in loaded  # it did check the files
    unneeded = {"durable", "durable_rules_engine", "stridewise.rules.compile", "flask",
                "stridewise.rules.evaluate", "stridewise.rules.python", "stridewise.service"}
    assert loaded & unneeded == set()
    assert [m for m in loaded if m.startswith("stridewise.planning")] == []
