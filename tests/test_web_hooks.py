"""What every request gets around its view: request id, ETag, access-log line, as before."""
# ruff: noqa: F811  -- pytest fixtures imported from web_fixtures

from __future__ import annotations

import hashlib
import json
import uuid

from web_fixtures import CONTEXT, app, client, real_engine  # noqa: F401


def test_a_request_without_an_id_gets_a_uuid4(client):
    values = {client.get("/healthz").headers["X-Request-ID"] for _ in range(20)}
    assert len(values) == 20
    for value in values:
        assert uuid.UUID(hex=value).version == 4 and len(value) == 32


def test_a_recommendation_carries_the_sha1_of_its_body_as_etag(client):
    response = client.post("/v1/recommendations", json=CONTEXT)
    assert response.status_code == 200
    assert response.headers["ETag"] == '"' + hashlib.sha1(response.get_data()).hexdigest() + '"'


def test_the_access_line_of_a_recommendation_has_every_field(client, capsys, real_engine):
    capsys.readouterr()
    response = client.post("/v1/recommendations", json=CONTEXT, headers={"X-Request-ID": "r-1"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    (entry,) = [e for e in lines if e.get("event") == "request"]
    fields = ["ts", "level", "logger", "message", "event", "request_id", "method", "path",
              "status", "duration_ms", "bytes", "remote_addr", "ruleset_version"]
    # in this order (a record factory installed by another library, Ray's, may add its own)
    assert [key for key in entry if key in fields] == fields
    assert entry["request_id"] == "r-1" and entry["method"] == "POST"
    assert entry["path"] == "/v1/recommendations" and entry["status"] == 200
    assert entry["bytes"] == len(response.get_data()) and entry["remote_addr"] == "127.0.0.1"
    assert entry["ruleset_version"] == real_engine.ruleset.version
    assert entry["level"] == "info" and entry["logger"] == "stridewise.access"
    assert isinstance(entry["duration_ms"], float) and entry["ts"].endswith("Z")
