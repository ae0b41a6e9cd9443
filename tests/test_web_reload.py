"""Hot reload: edits are swapped in, broken edits keep the last good version, leaks are bounded."""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

import pytest
from stridewise.web import create_app
from stridewise.web.reload import RulesWatcher
from web_fixtures import CONTEXT


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def edit(path, text):
    """Write and bump the mtime so the change is seen whatever the filesystem's resolution."""
    path.write_text(text)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))


ROOT = Path(__file__).resolve().parent.parent
GOOD = "\n# edited\n"
BROKEN = "rules: ["


@pytest.fixture
def rules(tmp_path):
    """A private copy of the default rule files to edit."""
    for source in (ROOT / "rulesets" / "default").glob("*.yaml"):
        shutil.copy(source, tmp_path / source.name)
    (tmp_path / "notes.txt").write_text("not a rule file")
    return tmp_path


@pytest.fixture
def engine(rules):
    """A real Engine on the copy, counting its reloads."""
    from stridewise.service import Engine

    real = Engine.create(rules=rules)
    calls = []
    original = real.reload

    def counted():
        calls.append(1)
        return original()

    real.reload = counted
    real.reload_calls = calls
    return real


def append(path, text):
    edit(path, path.read_text() + text)


def make_app(engine, rules, **config):
    return create_app(
        {
            "TESTING": True,
            "ENGINE": engine,
            "RULES": str(rules),
            "RELOAD_INTERVAL": 0,
            "RELOAD_BACKGROUND": False,  # reload within the request: deterministic tests
            **config,
        }
    )


def test_an_edit_is_served_on_the_next_request(engine, rules):
    client = make_app(engine, rules).test_client()
    first = client.post("/v1/recommendations", json=CONTEXT)
    append(rules / "base.yaml", GOOD)
    second = client.post("/v1/recommendations", json=CONTEXT)
    assert first.get_json()["ruleset"]["version"] != second.get_json()["ruleset"]["version"]
    assert second.headers["X-Stridewise-Ruleset-Version"] == second.get_json()["ruleset"]["version"]
    assert first.headers["ETag"] != second.headers["ETag"]
    assert client.get("/v1/rulesets").get_json()["reload"]["activated"] == 1


def test_a_new_file_triggers_a_reload_and_other_files_do_not(engine, rules):
    client = make_app(engine, rules).test_client()
    edit(rules / "notes.txt", "still not rules")
    client.get("/healthz")
    assert engine.reload_calls == []
    shutil.copy(rules / "masters.yaml", rules / "masters2.yml")  # duplicate ids: rejected
    client.get("/healthz")
    assert len(engine.reload_calls) == 1


def test_a_broken_edit_keeps_the_last_good_version_and_reports_it(engine, rules, caplog):
    client = make_app(engine, rules).test_client()
    good = engine.ruleset.version
    text = (rules / "base.yaml").read_text()
    edit(rules / "base.yaml", text.replace("rules:", BROKEN, 1))
    with caplog.at_level(logging.ERROR, logger="stridewise.reload"):
        response = client.post("/v1/recommendations", json=CONTEXT)
    assert response.status_code == 200
    assert response.get_json()["ruleset"]["version"] == good
    assert any(getattr(r, "event", None) == "reload_failed" for r in caplog.records)
    status = client.get("/v1/rulesets").get_json()
    assert "base.yaml" in status["last_error"] and status["reload"]["failures"] == 1
    assert status["status"] == "degraded" and status["version"] == good
    ready = client.get("/readyz")  # the last good version serves: degraded, still ready
    assert ready.status_code == 200 and ready.get_json()["status"] == "degraded"
    assert "base.yaml" in " ".join(ready.get_json()["detail"])
    metrics = client.get("/metrics").get_data(as_text=True)
    assert "stridewise_reload_failures_total 1.0" in metrics
    edit(rules / "base.yaml", text + GOOD)
    assert client.get("/readyz").get_json()["status"] == "ready"
    assert client.get("/v1/rulesets").get_json()["version"] != good


def test_polling_respects_the_interval(engine, rules):
    clock = Clock()
    watcher = RulesWatcher(engine, [rules], interval=5.0, clock=clock)
    append(rules / "base.yaml", GOOD)
    assert watcher.poll() is False
    clock.now = 5.0
    assert watcher.poll() is True
    assert watcher.poll() is False


def test_an_engine_that_raises_on_reload_does_not_take_requests_down(engine, rules):
    def explode():
        raise RuntimeError("compiler fell over")

    engine.reload = explode
    client = make_app(engine, rules).test_client()
    append(rules / "base.yaml", GOOD)
    assert client.post("/v1/recommendations", json=CONTEXT).status_code == 200
    assert "compiler fell over" in client.get("/v1/rulesets").get_json()["last_error"]


def test_the_worker_recycles_after_n_activated_versions(engine, rules):
    recycled = []
    app = make_app(engine, rules, RECYCLE_AFTER_RELOADS=2)
    app.extensions["stridewise"].watcher.recycle = lambda: recycled.append(time.time())
    client = app.test_client()
    for n in range(3):
        append(rules / "base.yaml", f"# {n}\n")
        client.get("/healthz").close()
    assert len(recycled) == 1  # after the 2nd activation only; the flag is taken once


def test_failed_reloads_do_not_count_towards_recycling(engine, rules):
    app = make_app(engine, rules, RECYCLE_AFTER_RELOADS=1)
    watcher = app.extensions["stridewise"].watcher
    append(rules / "base.yaml", BROKEN)
    app.test_client().get("/healthz")
    assert watcher.activated == 0 and watcher.recycle_due is False


def test_reload_can_be_switched_off(engine, rules):
    client = make_app(engine, rules, RELOAD=False).test_client()
    append(rules / "base.yaml", GOOD)
    client.get("/healthz")
    assert engine.reload_calls == []


def test_recycling_waits_while_the_files_on_disk_are_broken(engine, rules):
    recycled = []
    app = make_app(engine, rules, RECYCLE_AFTER_RELOADS=1)
    watcher = app.extensions["stridewise"].watcher
    watcher.recycle = lambda: recycled.append(1)
    text = (rules / "base.yaml").read_text()
    edit(rules / "base.yaml", text + GOOD)
    watcher.poll()  # activates a version: a recycle is due
    edit(rules / "base.yaml", text + BROKEN)  # ...but a fresh worker could not load this
    assert watcher.take_recycle() is None
    app.test_client().get("/healthz").close()  # the reload fails; still no recycle
    assert recycled == []
    edit(rules / "base.yaml", text + GOOD + GOOD)
    app.test_client().get("/healthz").close()
    assert recycled == [1]


def test_the_watched_directories_are_shown_like_rule_files(engine, rules, monkeypatch):
    monkeypatch.chdir(rules.parent)  # inside the current directory: shown relative to it
    client = make_app(engine, rules).test_client()
    directories = client.get("/v1/rulesets").get_json()["reload"]["directories"]
    assert directories == [rules.name]
