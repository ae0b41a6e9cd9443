"""Decision logs: id header, masked JSON lines, a queue that never blocks, and replay."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

from click.testing import CliRunner
from stridewise.cli import cli
from stridewise.decisions import DecisionLog, mask_context, replay
from stridewise.service import Engine
from stridewise.web import create_app
from web_fixtures import CONTEXT

ROOT = Path(__file__).resolve().parent.parent


def _app(engine, **config):
    return create_app({"TESTING": True, "ENGINE": engine, "RELOAD": False, **config})


def test_decision_logging_is_off_by_default(tmp_path):
    client = _app(Engine.create()).test_client()
    response = client.post("/v1/recommendations", json=CONTEXT)
    assert response.status_code == 200 and "X-Stridewise-Decision-Id" not in response.headers


def test_a_decision_is_logged_with_its_id_masked_context_and_summary(tmp_path):
    log = tmp_path / "decisions.jsonl"
    engine = Engine.create()
    app = _app(engine, DECISION_LOG=str(log))
    body = {**CONTEXT, "athlete_id": "runner-42"}
    response = app.test_client().post("/v1/recommendations", json=body)
    decision = response.headers["X-Stridewise-Decision-Id"]
    app.extensions["stridewise"].decisions.close()
    (line,) = log.read_text().splitlines()
    entry = json.loads(line)
    assert entry["decision_id"] == decision
    assert entry["request_id"] == response.headers["X-Request-ID"]
    assert entry["ruleset"]["version"] == engine.ruleset.version
    assert entry["fired"] == [f["rule"] for f in response.get_json()["fired"]]
    assert entry["result"]["sessions"] == len(response.get_json()["sessions"])
    assert any(p["name"] == "stridewise.constraints" and p["version"] for p in entry["plugins"])
    assert entry["context"]["athlete_id"].startswith("sha256:")
    assert "runner-42" not in line


def test_each_plan_of_a_batch_is_logged_with_the_id_its_item_carries(tmp_path):
    log = tmp_path / "decisions.jsonl"
    app = _app(Engine.create(), DECISION_LOG=str(log))
    bodies = [{**CONTEXT, "athlete_id": "runner-1"}, {"age": "forty"},
              {**CONTEXT, "athlete_id": "runner-2"}]
    client = app.test_client()
    items = client.post("/v1/recommendations:batch", json={"contexts": bodies}).get_json()[
        "results"]
    streamed = [json.loads(line) for line in client.post(
        "/v1/recommendations:batch", json={"contexts": bodies},
        headers={"Accept": "application/x-ndjson"}).get_data(as_text=True).splitlines()]
    app.extensions["stridewise"].decisions.close()
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    answered = [i for i in [*items, *streamed] if i["status"] == 200]
    assert [i["index"] for i in answered] == [0, 2, 0, 2]
    assert "decision_id" not in items[1] and "decision_id" not in streamed[1]
    assert [e["decision_id"] for e in entries] == [i["decision_id"] for i in answered]
    assert [e["result"]["sessions"] for e in entries] == [
        len(i["recommendation"]["sessions"]) for i in answered]
    assert all(e["context"]["athlete_id"].startswith("sha256:") for e in entries)


def test_masking_drops_training_logs_wellness_and_free_text():
    masked = mask_context({"athlete_id": "a", "training_log": [1], "wellness": [2],
                           "notes": "knee hurts after the divorce", "age": 40})
    assert masked == {"athlete_id": masked["athlete_id"], "age": 40}
    assert masked["athlete_id"] == mask_context({"athlete_id": "a"})["athlete_id"]


def test_a_stuck_sink_drops_and_counts_instead_of_blocking(tmp_path):
    release = threading.Event()
    drops: list[int] = []
    log = DecisionLog(str(tmp_path / "d.jsonl"), queue_size=2, on_drop=lambda: drops.append(1))
    log._handler.handle = lambda record: release.wait(30)  # a sink that never finishes
    try:
        for _ in range(10):
            log.record(CONTEXT, {"fired": [], "sessions": []})
        assert log.dropped >= 7 and len(drops) == log.dropped
    finally:
        release.set()
        log.close()


def test_dropped_entries_are_a_metric(tmp_path):
    app = _app(Engine.create(), DECISION_LOG=str(tmp_path / "d.jsonl"))
    app.extensions["stridewise"].metrics.decisions_dropped.inc()
    text = app.test_client().get("/metrics").get_data(as_text=True)
    assert "stridewise_decision_log_dropped_total 1.0" in text


def _log_of(engine, path: Path, contexts) -> Path:
    log = DecisionLog(str(path))
    for context in contexts:
        log.record(context, engine.recommend(context))
    log.close()
    return path


def test_replay_reports_what_another_ruleset_would_change(tmp_path):
    engine = Engine.create()
    knee = {**CONTEXT, "injuries": [{"site": "knee", "condition": "patellofemoral_pain",
                                     "severity": "moderate"}]}
    log = _log_of(engine, tmp_path / "d.jsonl", [CONTEXT, knee])
    same = replay(log.read_text().splitlines(), engine)
    assert same["decisions"] == 2 and same["changed"] == 0

    rules = tmp_path / "rules"
    rules.mkdir()
    for source in (ROOT / "rulesets" / "default").glob("*.yaml"):
        if source.name != "injury_patellofemoral.yaml":
            shutil.copy(source, rules / source.name)
    result = CliRunner().invoke(cli, ["replay", str(log), "--rules", str(rules), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["decisions"] == 2 and report["changed"] >= 1
    (item,) = [d for d in report["details"] if d.get("rules_no_longer_firing")]
    assert any("patellofemoral" in r or "pfp" in r for r in item["rules_no_longer_firing"])
