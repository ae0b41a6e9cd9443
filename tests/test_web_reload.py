"""Hot reload: edits are swapped in, broken edits keep the last good version, leaks are bounded."""

from __future__ import annotations

import logging
import os
import time

import pytest
from web_fixtures import CONTEXT, FakeEngine

from web import create_app
from web.reload import RulesWatcher


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


@pytest.fixture
def rules(tmp_path):
    (tmp_path / "base.yaml").write_text("ruleset: base\n")
    (tmp_path / "notes.txt").write_text("not a rule file")
    return tmp_path


@pytest.fixture
def engine(rules):
    return FakeEngine(rules)


def make_app(engine, rules, **config):
    return create_app(
        {
            "TESTING": True,
            "ENGINE": engine,
            "RULES": str(rules),
            "RELOAD_INTERVAL": 0,
            **config,
        }
    )


def test_an_edit_is_served_on_the_next_request(engine, rules):
    client = make_app(engine, rules).test_client()
    first = client.post("/v1/recommendations", json=CONTEXT)
    edit(rules / "base.yaml", "ruleset: base\n# changed\n")
    second = client.post("/v1/recommendations", json=CONTEXT)
    assert first.get_json()["ruleset"]["version"] != second.get_json()["ruleset"]["version"]
    assert second.headers["X-Stridewise-Ruleset-Version"] == second.get_json()["ruleset"]["version"]
    assert first.headers["ETag"] != second.headers["ETag"]
    assert client.get("/v1/rulesets").get_json()["reload"]["activated"] == 1


def test_a_new_file_triggers_a_reload_and_other_files_do_not(engine, rules):
    client = make_app(engine, rules).test_client()
    edit(rules / "notes.txt", "still not rules")
    client.get("/healthz")
    assert engine.reloads == 0
    (rules / "extra.yml").write_text("ruleset: extra\n")
    client.get("/healthz")
    assert engine.reloads == 1


def test_a_broken_edit_keeps_the_last_good_version_and_reports_it(engine, rules, caplog):
    client = make_app(engine, rules).test_client()
    good = engine.ruleset.version
    edit(rules / "base.yaml", "BROKEN\n")
    with caplog.at_level(logging.ERROR, logger="stridewise.reload"):
        response = client.post("/v1/recommendations", json=CONTEXT)
    assert response.status_code == 200
    assert response.get_json()["ruleset"]["version"] == good
    assert any(getattr(r, "event", None) == "reload_failed" for r in caplog.records)
    status = client.get("/v1/rulesets").get_json()
    assert "BROKEN" in status["last_error"] and status["reload"]["failures"] == 1
    ready = client.get("/readyz")
    assert ready.status_code == 503 and "BROKEN" in ready.get_json()["detail"]
    metrics = client.get("/metrics").get_data(as_text=True)
    assert "stridewise_reload_failures_total 1.0" in metrics
    edit(rules / "base.yaml", "ruleset: base\n# fixed\n")
    assert client.get("/readyz").status_code == 200
    assert client.get("/v1/rulesets").get_json()["version"] != good


def test_polling_respects_the_interval(engine, rules):
    clock = Clock()
    watcher = RulesWatcher(engine, [rules], interval=5.0, clock=clock)
    edit(rules / "base.yaml", "ruleset: base\n# 1\n")
    assert watcher.poll() is False
    clock.now = 5.0
    assert watcher.poll() is True
    assert watcher.poll() is False


def test_an_engine_that_raises_on_reload_does_not_take_requests_down(engine, rules):
    def explode():
        raise RuntimeError("compiler fell over")

    engine.reload = explode
    client = make_app(engine, rules).test_client()
    edit(rules / "base.yaml", "ruleset: base\n# 2\n")
    assert client.post("/v1/recommendations", json=CONTEXT).status_code == 200
    assert "compiler fell over" in client.get("/v1/rulesets").get_json()["last_error"]


def test_the_worker_recycles_after_n_activated_versions(engine, rules):
    recycled = []
    app = make_app(engine, rules, RECYCLE_AFTER_RELOADS=2)
    app.extensions["stridewise"].watcher.recycle = lambda: recycled.append(time.time())
    client = app.test_client()
    for n in range(3):
        edit(rules / "base.yaml", f"ruleset: base\n# {n}\n")
        client.get("/healthz").close()
    assert len(recycled) == 1  # after the 2nd activation only; the flag is taken once


def test_failed_reloads_do_not_count_towards_recycling(engine, rules):
    app = make_app(engine, rules, RECYCLE_AFTER_RELOADS=1)
    watcher = app.extensions["stridewise"].watcher
    edit(rules / "base.yaml", "BROKEN")
    app.test_client().get("/healthz")
    assert watcher.activated == 0 and watcher.recycle_due is False


def test_reload_can_be_switched_off(engine, rules):
    client = make_app(engine, rules, RELOAD=False).test_client()
    edit(rules / "base.yaml", "ruleset: base\n# off\n")
    client.get("/healthz")
    assert engine.reloads == 0


def test_recycling_waits_while_the_files_on_disk_are_broken(engine, rules):
    recycled = []
    app = make_app(engine, rules, RECYCLE_AFTER_RELOADS=1)
    watcher = app.extensions["stridewise"].watcher
    watcher.recycle = lambda: recycled.append(1)
    edit(rules / "base.yaml", "ruleset: base\n# good\n")
    watcher.poll()  # activates a version: a recycle is due
    edit(rules / "base.yaml", "BROKEN")  # ...but a fresh worker could not load this
    assert watcher.take_recycle() is None
    app.test_client().get("/healthz").close()  # the reload fails; still no recycle
    assert recycled == []
    edit(rules / "base.yaml", "ruleset: base\n# fixed\n")
    app.test_client().get("/healthz").close()
    assert recycled == [1]
