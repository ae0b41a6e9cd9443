"""Metrics with bounded labels and the ruleset/build info; API-key config that fails closed."""

from __future__ import annotations

import pytest
from stridewise.errors import ConfigError
from stridewise.web import create_app
from stridewise.web.auth import parse_keys
from web_fixtures import FakeEngine


def _app(**config):
    return create_app({"TESTING": True, "ENGINE": FakeEngine(), "RELOAD": False, **config})


def test_random_methods_do_not_grow_the_metrics():
    """Finding: 400 requests with random methods grew /metrics from 289 to 689 series."""
    client = _app(ACCESS_LOG=False).test_client()
    client.open("/healthz", method="XFIRST")
    client.get("/metrics")
    before = client.get("/metrics").get_data(as_text=True).count("\n")
    for n in range(50):
        client.open("/healthz", method=f"X{n:03d}")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'method="X0' not in text and 'method="other"' in text
    assert text.count("\n") == before  # folded into the series that already existed


def test_ruleset_and_build_info_are_exported():
    client = _app().test_client()
    client.get("/healthz")
    text = client.get("/metrics").get_data(as_text=True)
    assert "stridewise_ruleset_info{" in text and 'version="sha256:' in text
    assert "stridewise_build_info{" in text and 'python="3.' in text


def test_metrics_can_require_the_api_key():
    client = _app(API_KEYS="k-one", METRICS_REQUIRE_KEY=True).test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"X-API-Key": "k-one"}).status_code == 200
    assert client.get("/healthz").status_code == 200  # probes stay open
    assert _app(API_KEYS="k-one").test_client().get("/metrics").status_code == 200


@pytest.mark.parametrize("value", ["null", "[]", " , ", "", "a,,b", '["a"]', "two words"])
def test_an_empty_or_malformed_key_list_stops_start_up(monkeypatch, value):
    """Finding: null, [] or " , " left the API open with no warning."""
    monkeypatch.setenv("STRIDEWISE_API_KEYS", value)
    with pytest.raises(ConfigError, match="STRIDEWISE_API_KEYS"):
        _app()


def test_numeric_looking_keys_are_kept_as_typed(monkeypatch):
    """Finding: 1.50 became 1.5, so the real key was refused."""
    monkeypatch.setenv("STRIDEWISE_API_KEYS", "1.50, 007")
    client = _app().test_client()
    assert client.get("/v1/plugins", headers={"X-API-Key": "1.50"}).status_code == 200
    assert client.get("/v1/plugins", headers={"X-API-Key": "007"}).status_code == 200
    assert client.get("/v1/plugins", headers={"X-API-Key": "1.5"}).status_code == 401


def test_unset_means_open_and_a_list_is_accepted():
    assert parse_keys(None) == ()
    assert parse_keys(["a", " b "]) == (b"a", b"b")
