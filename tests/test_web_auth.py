"""Optional API keys on /v1/*: Bearer or X-API-Key, constant-time compare, never logged."""
# ruff: noqa: F811  -- pytest fixtures imported from web_fixtures

from __future__ import annotations

import logging

import pytest
from stridewise.errors import ConfigError
from stridewise.web import create_app
from stridewise.web.auth import parse_keys
from web_fixtures import CONTEXT, FakeEngine, real_engine  # noqa: F401

KEYS = "k-one, k-two"


@pytest.fixture
def client(real_engine):
    app = create_app({"TESTING": True, "ENGINE": real_engine, "RELOAD": False, "API_KEYS": KEYS})
    return app.test_client()


def test_keys_parse_from_comma_separated_text_or_lists():
    assert parse_keys(" a, b ") == (b"a", b"b")
    assert parse_keys(["a", "b"]) == (b"a", b"b")
    assert parse_keys(12345) == (b"12345",)
    assert parse_keys(None) == ()
    for malformed in (" a, ,b ", ""):  # fails closed (tests/test_web_hardening.py)
        with pytest.raises(ConfigError):
            parse_keys(malformed)


def test_v1_requires_a_key(client):
    response = client.post("/v1/recommendations", json=CONTEXT)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["request_id"] == response.headers["X-Request-ID"]


@pytest.mark.parametrize(
    "headers",
    [{"Authorization": "Bearer k-one"}, {"Authorization": "bearer k-two"}, {"X-API-Key": "k-two"}],
)
def test_a_configured_key_opens_v1(client, headers):
    assert client.post("/v1/recommendations", json=CONTEXT, headers=headers).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer k-on"},
        {"Authorization": "Basic k-one"},
        {"X-API-Key": "k-one-and-more"},
        {"Authorization": "Bearer "},
    ],
)
def test_a_wrong_key_is_401(client, headers):
    assert client.get("/v1/exercises", headers=headers).status_code == 401


def test_probes_metrics_and_docs_stay_open(client):
    for path in ("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs"):
        assert client.get(path).status_code == 200, path


def test_keys_are_never_logged(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.get("/v1/exercises", headers={"Authorization": "Bearer k-one"})
    client.get("/v1/exercises", headers={"X-API-Key": "k-wrong-secret"})
    logged = caplog.text + " ".join(str(vars(r)) for r in caplog.records)
    assert "k-one" not in logged and "k-wrong-secret" not in logged


def test_without_keys_the_api_is_open():
    app = create_app({"TESTING": True, "ENGINE": FakeEngine(), "RELOAD": False})
    assert app.test_client().get("/v1/exercises").status_code == 200


def test_keys_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("STRIDEWISE_API_KEYS", "from-env")
    app = create_app({"TESTING": True, "ENGINE": FakeEngine(), "RELOAD": False})
    client = app.test_client()
    assert client.get("/v1/plugins").status_code == 401
    assert client.get("/v1/plugins", headers={"X-API-Key": "from-env"}).status_code == 200
