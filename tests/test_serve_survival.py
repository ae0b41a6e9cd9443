"""`stridewise serve` stays up: slow clients, killed workers and broken rule edits (loopback)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import slow_clients
from serve_helpers import LOOPBACK, OPENER, call, copy_default_rules, serving, wait_for
from web_fixtures import CONTEXT


def _break(path) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(path.read_text().replace("rules:", "rules: [", 1))
    os.replace(tmp, path)


def _degraded(base: str):
    status, _, body = call(base, "/readyz")
    return status == 200 and body.get("status") == "degraded" and body


def _serves(base: str, version: str) -> bool:
    status, headers, body = call(base, "/v1/recommendations", CONTEXT)
    return status == 200 and body["ruleset"]["version"] == version


def test_a_short_body_gets_a_408_and_the_worker_survives_with_broken_rules(tmp_path):
    """Finding 1: Content-Length 100 with a 2-byte body held a sync worker until gunicorn's
    timeout killed it; its replacement could not load the broken rules and the server exited."""
    rules = copy_default_rules(tmp_path / "rules")
    args = ("--rules", str(rules), "--read-timeout", "1", "--timeout", "5")
    env = {"STRIDEWISE_RELOAD_INTERVAL": "0.2"}
    with serving(tmp_path, *args, env=env) as server:
        version = call(server.base, "/v1/rulesets")[2]["version"]
        _break(rules / "base.yaml")
        wait_for(lambda: _degraded(server.base), 20, "the broken edit to be reported")
        with socket.create_connection((LOOPBACK, server.port), timeout=15) as sock:
            sock.sendall(b"POST /v1/recommendations HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{}")
            answer = sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 408"), answer
        assert b"application/problem+json" in answer
        with socket.create_connection((LOOPBACK, server.port), timeout=15) as sock:
            sock.sendall(b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n")  # gunicorn's own 400
            answer = sock.recv(4096)
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400") and b"application/problem+json" in head
        assert json.loads(body)["status"] == 400 and b"<html>" not in answer
        time.sleep(5)  # past gunicorn's --timeout: the sync worker used to be killed here
        assert server.alive(), server.output()[-3000:]
        assert _serves(server.base, version)
    _all_json(server.output())


def test_killed_and_restarted_workers_boot_from_the_last_good_snapshot(tmp_path):
    """Finding 1: kill -9 of a worker, or SIGHUP, while a broken rule file is on disk."""
    rules = copy_default_rules(tmp_path / "rules")
    env = {"STRIDEWISE_RELOAD_INTERVAL": "0.2"}
    with serving(tmp_path, "--rules", str(rules), env=env, workers=2) as server:
        version = call(server.base, "/v1/rulesets")[2]["version"]
        _break(rules / "race.yaml")
        time.sleep(1.5)
        first = server.workers()
        os.kill(first[0], signal.SIGKILL)
        wait_for(lambda: len(server.workers()) == 2 and first[0] not in server.workers(), 30,
                 "a replacement worker")
        wait_for(lambda: _serves(server.base, version), 30, "the last good version to serve")
        for _ in range(10):  # both workers, whichever answers, serve the last good version
            assert _serves(server.base, version)
        body = wait_for(lambda: _degraded(server.base), 20, "the broken file to be reported")
        assert "race.yaml" in " ".join(body["detail"])

        before = set(server.workers())
        server.process.send_signal(signal.SIGHUP)  # gunicorn replaces every worker
        wait_for(lambda: len(server.workers()) == 2 and not before & set(server.workers()), 30,
                 "the workers to be replaced after SIGHUP")
        wait_for(lambda: _serves(server.base, version), 30, "the last good version after HUP")
        assert server.alive()
    assert "boot_from_snapshot" in server.output()


def test_fifty_slow_connections_do_not_starve_probes_or_requests(tmp_path):
    """Finding 2: one slow connection per worker made 6 of 7 health probes time out."""
    with serving(tmp_path, workers=2) as server:
        report = slow_clients.run(server.port, connections=50, seconds=8, interval=1.0)
        assert report.opened == 50
        assert report.probes >= 9 and report.ok == report.probes, report.to_dict()
        assert server.alive()


def test_broken_rules_at_start_up_stop_with_the_diagnostic_not_a_traceback(tmp_path):
    rules = copy_default_rules(tmp_path / "rules")
    _break(rules / "base.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "stridewise", "serve", "--port", "1", "--rules", str(rules)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "cannot serve" in result.stderr and "base.yaml:" in result.stderr
    assert "Traceback" not in result.stderr


def _metric(text: str, name: str) -> float | None:
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_counters_add_up_across_two_workers_without_any_setup(tmp_path):
    """Finding 6: with two workers and no PROMETHEUS_MULTIPROC_DIR, two POSTs and six
    scrapes each showed 1."""
    with serving(tmp_path, workers=2) as server:
        for _ in range(4):
            assert call(server.base, "/v1/recommendations", CONTEXT)[0] == 200
        for _ in range(6):
            request = urllib.request.Request(server.base + "/metrics")
            with OPENER.open(request, timeout=10) as response:
                text = response.read().decode()
            assert _metric(text, "stridewise_recommendations_total") == 4.0
            assert 'stridewise_ruleset_info{name="default"' in text
    _all_json(server.output())


def _all_json(output: str) -> None:
    """Finding 10: one log format. Every line, the app's and gunicorn's, is a JSON object."""
    loggers = set()
    for line in output.splitlines():
        if line.strip():
            loggers.add(json.loads(line)["logger"])
    assert {"gunicorn.error", "stridewise.access"} <= loggers


def test_a_malformed_api_key_list_stops_serve_before_it_listens(tmp_path):
    env = {**os.environ, "STRIDEWISE_API_KEYS": " , "}
    result = subprocess.run(
        [sys.executable, "-m", "stridewise", "serve", "--port", "1"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env,
    )
    assert result.returncode == 1 and "STRIDEWISE_API_KEYS" in result.stderr
    assert "Traceback" not in result.stderr
