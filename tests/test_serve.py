"""`stridewise serve` for real: gunicorn on a free loopback port, hot reload, graceful stop."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from serve_helpers import wait_for
from web_fixtures import CONTEXT

ROOT = Path(__file__).resolve().parent.parent
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, no proxy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(base: str, path: str, body: object | None = None) -> tuple[int, dict, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method="POST" if data else "GET")
    request.add_header("Content-Type", "application/json")
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), json.loads(err.read())


def edit(path: Path, text: str) -> None:
    """Replace a rule file atomically (write + rename), as docs/deploying.md recommends."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def test_serve_reloads_edits_keeps_last_good_and_stops_cleanly(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    for source in (ROOT / "rulesets" / "default").glob("*.yaml"):
        shutil.copy(source, rules / source.name)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STRIDEWISE_", "PROMETHEUS"))}
    env["STRIDEWISE_RELOAD_INTERVAL"] = "0.2"
    log = (tmp_path / "server.log").open("w")
    command = "from stridewise.cli import main; main()"
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    server = subprocess.Popen(
        [sys.executable, "-c", command, *args, "--rules", str(rules), "--reload"],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: call(base, "/healthz")[0] == 200, 45, "the server to answer /healthz")
        status, headers, body = call(base, "/v1/recommendations", CONTEXT)
        assert status == 200, body
        first = body["ruleset"]["version"]
        assert headers["X-Stridewise-Ruleset-Version"] == first

        base_yaml = rules / "base.yaml"
        good = base_yaml.read_text()
        edit(base_yaml, good + "\n# edited by test_serve\n")

        def new_version():
            status, _, body = call(base, "/v1/recommendations", CONTEXT)
            return status == 200 and body["ruleset"]["version"] != first and body
        second = wait_for(new_version, 20, "the edited ruleset to be served")["ruleset"]["version"]

        edit(base_yaml, good.replace("rules:", "rules: [", 1))

        def reported_error():
            _, _, status = call(base, "/v1/rulesets")
            return status["last_error"] and status
        status_body = wait_for(reported_error, 20, "the broken edit to be reported")
        assert status_body["version"] == second
        assert "base.yaml" in status_body["last_error"]
        status, _, body = call(base, "/v1/recommendations", CONTEXT)
        assert status == 200 and body["ruleset"]["version"] == second
        ready, _, readiness = call(base, "/readyz")
        assert ready == 200 and readiness["status"] == "degraded"
        assert "base.yaml" in " ".join(readiness["detail"])
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
            pytest.fail("the server did not stop within 30 s of SIGTERM")
        log.close()
    output = (tmp_path / "server.log").read_text()
    assert code == 0, output[-3000:]
    assert "reload_failed" in output
