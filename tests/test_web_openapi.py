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


def _spec_of(decorate) -> dict:
    """The OpenAPI paths of one POST route decorated by `decorate`."""
    from flask import Flask
    from flask_smorest import Api, Blueprint
    from stridewise.web.schemas import ProblemSchema, RecommendationSchema

    blueprint = Blueprint("probe", __name__, url_prefix="/v1", description="A probe.")
    layers = (
        blueprint.doc(requestBody={"required": True, "content": {"application/json": {}}},
                      summary="Probe"),
        blueprint.alt_response(200, schema=RecommendationSchema, success=True),
        blueprint.alt_response(422, schema=ProblemSchema, content_type="application/problem+json"),
        blueprint.alt_response(500, schema=ProblemSchema, content_type="application/problem+json"),
    )

    @blueprint.route("/probe", methods=["POST"])
    @decorate(layers)
    def probe():
        """Probe the documentation.

        Its longer description."""
        return {}

    app = Flask("probe")
    app.config.update(API_TITLE="t", API_VERSION="v1", OPENAPI_VERSION="3.0.3")
    api = Api(app)
    api.register_blueprint(blueprint)
    return {"spec": api.spec.to_dict(), "view": app.view_functions["probe.probe"]}


def _stacked(layers):
    def decorate(func):
        for layer in reversed(layers):
            func = layer(func)
        return func
    return decorate


def test_documented_views_get_the_document_stacked_decorators_gave():
    from stridewise.web.api import documented

    stacked = _spec_of(_stacked)
    plain = _spec_of(lambda layers: documented(*layers))
    assert plain["spec"] == stacked["spec"]
    assert stacked["spec"]["paths"]["/v1/probe"]["post"]["responses"].keys() == {
        "200", "422", "500", "default"}
    assert hasattr(stacked["view"], "__wrapped__") and not hasattr(plain["view"], "__wrapped__")


def test_the_recommendation_views_run_without_documentation_layers(app, client):
    """Their documentation is all there (the document is the one flask-smorest's stacked
    decorators wrote), and the view Flask calls is the function itself."""
    from stridewise.web import api

    for name, view in (("recommend", api.recommend), ("recommend_batch", api.recommend_batch)):
        assert app.view_functions[f"recommendations.{name}"] is view
        assert not hasattr(view, "__wrapped__"), name  # no pass-through layer around it
    spec = client.get("/openapi.json").get_json()
    for path in ("/v1/recommendations", "/v1/recommendations:batch"):
        responses = spec["paths"][path]["post"]["responses"]
        assert {"200", "400", "413", "415", "422", "500"} <= responses.keys()
        assert "application/problem+json" in responses["413"]["content"]
    validate_responses = spec["paths"]["/v1/rulesets:validate"]["post"]["responses"]
    assert {"200", "400", "413", "415", "422"} <= validate_responses.keys()  # `_problems`
    assert "application/problem+json" in validate_responses["415"]["content"]
