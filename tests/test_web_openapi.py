"""/openapi.json is a valid OpenAPI document that covers every endpoint."""
# ruff: noqa: F811  -- pytest fixtures imported from web_fixtures

from __future__ import annotations

from openapi_spec_validator import validate
from web_fixtures import app, client, real_engine  # noqa: F401

ENDPOINTS = {
    ("/v1/recommendations", "post"),
    ("/v1/recommendations:batch", "post"),
    ("/v1/exercises", "get"),
    ("/v1/categories", "get"),
    ("/v1/plugins", "get"),
    ("/v1/rulesets", "get"),
    ("/v1/rulesets:validate", "post"),
    ("/healthz", "get"),
    ("/readyz", "get"),
}


def test_openapi_document_is_valid(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    validate(response.get_json())


def test_openapi_document_covers_every_endpoint(client):
    spec = client.get("/openapi.json").get_json()
    found = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert ENDPOINTS <= found


def test_request_body_is_the_engine_context_schema(client):
    spec = client.get("/openapi.json").get_json()
    operation = spec["paths"]["/v1/recommendations"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert {"age", "race", "injuries", "equipment"} <= set(schema["properties"])
    assert "application/problem+json" in operation["responses"]["422"]["content"]
