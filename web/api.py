"""The HTTP endpoints: validate the request, call the engine, dump the answer. Nothing else."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import (
    Flask,
    Response,
    current_app,
    g,
    jsonify,
    request,
    send_from_directory,
    stream_with_context,
)
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, ValidationError, fields, validate
from stridewise.errors import ContextError, RuleCycleError
from stridewise.jsonstrict import BodyError, loads_strict
from werkzeug.exceptions import BadRequest, NotFound, UnsupportedMediaType

from .ical import CALENDAR_DOC, calendar_response, prefers_over_json, wants_calendar
from .present import category_listing, exercise_listing, plugin_listing, readiness_problems
from .problems import (
    PROBLEM_MIMETYPE,
    context_problem,
    cycle_problem,
    failure_problem,
    problem,
    problem_type,
)
from .schemas import (
    AthleteContextSchema,
    BatchRequestSchema,
    BatchResponseSchema,
    ExerciseQuerySchema,
    HealthSchema,
    ProblemSchema,
    RecommendationSchema,
    RulesetStatusSchema,
    ValidateRequestSchema,
    ValidateResponseSchema,
)
from .state import WebState, state
from .validate import check_rule_texts

__all__ = ["blueprints", "documented", "load_json", "read_json", "register_plain_routes"]

log = logging.getLogger("stridewise.web")
NDJSON = "application/x-ndjson"
YAML_TYPES = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"}

recommendations = Blueprint(
    "recommendations", __name__, url_prefix="/v1", description="Plans for athlete contexts."
)
catalog = Blueprint("catalog", __name__, url_prefix="/v1", description="What the plugins provide.")
rulesets = Blueprint(
    "rulesets", __name__, url_prefix="/v1", description="The active ruleset; rule checking."
)
health = Blueprint("health", __name__, description="Liveness and readiness probes.")


def blueprints() -> list[Blueprint]:
    """Every flask-smorest blueprint of the API, in documentation order."""
    return [recommendations, catalog, rulesets, health]


def _problems(*codes: int) -> Any:
    """Document problem responses for the given status codes (any blueprint's method works),
    for the OpenAPI document alone (`documented`)."""
    return documented(*(recommendations.alt_response(
        code, schema=ProblemSchema, content_type=PROBLEM_MIMETYPE) for code in codes))


def documented(*decorators: Any) -> Any:
    """flask-smorest's `doc`/`alt_response` decorators (outermost first) applied for the
    OpenAPI document alone: each wraps a view in a layer that only calls the next one (~2 µs
    a layer, every request), so the view keeps its own code and takes the `_apidoc` the
    wrapped one carried. The document is the same (tests/test_web_openapi.py)."""

    def decorate(func: Any) -> Any:
        wrapped = func
        for decorator in reversed(decorators):
            wrapped = decorator(wrapped)
        func._apidoc = wrapped._apidoc
        return func

    return decorate


def read_json() -> Any:
    """The JSON body, or 415 (not JSON), 413 (too large) or 400 (malformed) as problems."""
    if not request.is_json:
        raise UnsupportedMediaType("Send the body as JSON with 'Content-Type: application/json'.")
    data = request.get_data(cache=True)
    try:
        return loads_strict(data)
    except BodyError as exc:
        raise BadRequest(f"The body is not acceptable JSON: {exc}.") from None
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"The body is not valid JSON: {exc}") from None


NDJSON_DOC: dict[str, Any] = {"responses": {200: {"content": {NDJSON: {"schema": {
    "type": "string",
    "description": "With Accept: application/x-ndjson: one JSON line per context, in order, "
                   "each a `results` item plus `ruleset`, written as it is planned.",
}}}}}}


def load_json(schema: Schema, body: Any = None) -> dict[str, Any]:
    """The JSON body (or `body`) loaded by `schema`, or a 422 problem with field pointers."""
    data = read_json() if body is None else body
    try:
        loaded: dict[str, Any] = schema.load(data if isinstance(data, dict) else {"_": data})
    except ValidationError as err:
        abort(422, messages={"json": err.normalized_messages()})
    return loaded


def _json_body_doc(schema: Any) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


# --- recommendations ----------------------------------------------------------------------------


@recommendations.route("/recommendations", methods=["POST"])
@documented(
    recommendations.doc(**_json_body_doc(AthleteContextSchema), **CALENDAR_DOC),
    recommendations.alt_response(200, schema=RecommendationSchema, success=True),
    _problems(400, 413, 415, 422, 500),
)
def recommend() -> Response:
    """Plan strength sessions for one athlete context (JSON, or text/calendar on request)."""
    web = state()
    context = read_json()
    result = web.engine.recommend(context)
    web.metrics.observe_recommendation(result)
    response = calendar_response(result, context) if wants_calendar() else jsonify(result)
    decision = web.record_decision(context, result, g.get("request_id"))
    if decision is not None:
        response.headers["X-Stridewise-Decision-Id"] = decision
    return response


class _BatchEnvelope(Schema):
    class Meta:
        unknown = RAISE

    contexts = fields.List(fields.Raw(), required=True, validate=validate.Length(min=1))


@recommendations.route("/recommendations:batch", methods=["POST"])
@documented(
    recommendations.doc(**_json_body_doc(BatchRequestSchema), **NDJSON_DOC),
    recommendations.alt_response(200, schema=BatchResponseSchema, success=True),
    _problems(400, 413, 415, 422, 500),
)
def recommend_batch() -> Response:
    """Plan for up to 1,000 contexts; each item gets its plan or its own problem object."""
    config = current_app.config
    request.max_content_length = int(config["BATCH_MAX_CONTENT_LENGTH"])
    body = read_json()
    limit = int(config["BATCH_MAX_ITEMS"])
    try:
        contexts = _BatchEnvelope().load(body if isinstance(body, dict) else {"_schema": body})
        if len(contexts["contexts"]) > limit:
            raise ValidationError({"contexts": [f"At most {limit} contexts per batch."]})
    except ValidationError as err:
        abort(422, messages={"json": err.normalized_messages()})
    web = state()
    if _wants_ndjson():
        return _stream(web, contexts["contexts"])
    results = [_answer(web, index, item, observe=False)
               for index, item in enumerate(contexts["contexts"])]
    web.metrics.observe_recommendations(r["recommendation"] for r in results if r["status"] == 200)
    failed = sum(1 for r in results if r["status"] != 200)
    return jsonify(
        ruleset=web.engine.ruleset.ref(), count=len(results), failed=failed, results=results
    )


def _wants_ndjson() -> bool:
    return prefers_over_json(NDJSON)


def _stream(web: WebState, contexts: list[Any]) -> Response:
    """One JSON line per item, written as each is planned: the answers are never all held
    in memory at once (the request body is, bounded by BATCH_MAX_CONTENT_LENGTH)."""
    dumps = current_app.json.dumps
    ruleset = web.engine.ruleset.ref()

    def lines() -> Any:
        for index, context in enumerate(contexts):
            yield dumps({**_answer(web, index, context), "ruleset": ruleset}) + "\n"

    return current_app.response_class(stream_with_context(lines()), mimetype=NDJSON)


def _answer(web: WebState, index: int, context: Any, observe: bool = True) -> dict[str, Any]:
    """One batch item: the plan, or the problem the single endpoint would have answered
    (`observe=False`: the caller counts the plans in the metrics, all at once)."""
    try:
        result = web.engine.recommend(context)
    except ContextError as exc:
        item = context_problem(exc, ("contexts", index))
    except RuleCycleError as exc:
        web.metrics.observe_cycle(exc.rules)
        item = cycle_problem(exc)
    except Exception as exc:  # one bad item must not cost the other 999 their answers
        log.exception("batch item %d failed", index, extra={"request_id": g.get("request_id")})
        item = failure_problem(exc)
    else:
        if observe:
            web.metrics.observe_recommendation(result)
        answered = {"index": index, "status": 200, "recommendation": result}
        decision = web.record_decision(context, result, g.get("request_id"))
        if decision is not None:  # logged as a single request's decision is
            answered["decision_id"] = decision
        return answered
    return {"index": index, "status": item["status"], "problem": item}


# --- catalog ------------------------------------------------------------------------------------


@catalog.route("/exercises")
@catalog.arguments(ExerciseQuerySchema, location="query", as_kwargs=True)
@catalog.alt_response(200, success=True, description="Catalog entries with their plugin.")
def exercises(**filters: Any) -> Response:
    """The exercise catalog, optionally filtered by category, tag and equipment."""
    return jsonify(exercise_listing(state().engine, filters))


@catalog.route("/categories")
@catalog.alt_response(200, success=True, description="Categories with their plugin.")
def categories() -> Response:
    """Exercise categories."""
    return jsonify(category_listing(state().engine))


@catalog.route("/plugins")
@catalog.alt_response(200, success=True, description="Plugins, versions, hooks and errors.")
def plugins() -> Response:
    """Loaded plugins and any that failed, by name."""
    return jsonify(plugin_listing(state().engine))


# --- rulesets -----------------------------------------------------------------------------------


@rulesets.route("/rulesets")
@rulesets.alt_response(200, schema=RulesetStatusSchema, success=True)
def ruleset_status() -> Response:
    """The active ruleset: name, version hash, files, load status, last error, reload state."""
    return jsonify(_status(state()))


def _status(web: WebState) -> dict[str, Any]:
    status = dict(web.engine.status())
    watcher = web.watcher
    last_error = status.get("last_error") or (watcher.last_error if watcher else None)
    return {
        "name": status.get("name") or status.get("ruleset"),
        "version": status.get("version") or web.ruleset_version(),
        "files": status.get("files", []),
        "status": "degraded" if last_error else (status.get("status") or "ok"),
        "last_error": last_error,
        "reload": watcher.describe() if watcher else {"enabled": False},
        "engine": status,
    }


@rulesets.route("/rulesets:validate", methods=["POST"])
@rulesets.doc(
    requestBody={
        "required": True,
        "content": {
            "application/json": {"schema": ValidateRequestSchema},
            "application/yaml": {"schema": {"type": "string"}},
        },
    }
)
@rulesets.alt_response(200, schema=ValidateResponseSchema, success=True)
@_problems(400, 413, 415, 422)
def validate_rules() -> Response:
    """Check posted rule files against the engine's vocabulary; never activates them."""
    if request.mimetype in YAML_TYPES:
        name = request.args.get("name", "posted.yaml")
        files = {"files": {name: request.get_data(as_text=True)}}
    else:
        files = read_json()
    loaded = load_json(ValidateRequestSchema(), files)
    return jsonify(check_rule_texts(state().engine, loaded["files"]))


@rulesets.route("/schemas/rules.json")
@rulesets.alt_response(200, success=True, description="JSON Schema (draft 2020-12).")
def rules_json_schema() -> Response:
    """JSON Schema of rule files with the engine's vocabulary (for editors)."""
    from stridewise.json_schema import rules_schema

    return _schema_response(rules_schema(state().engine.vocabulary))


@rulesets.route("/schemas/tests.json")
@rulesets.alt_response(200, success=True, description="JSON Schema (draft 2020-12).")
def tests_json_schema() -> Response:
    """JSON Schema of rule-test files with the engine's vocabulary (for editors)."""
    from stridewise.json_schema import tests_schema

    return _schema_response(tests_schema(state().engine.vocabulary))


def _schema_response(body: dict[str, Any]) -> Response:
    response = jsonify(body)
    response.mimetype = "application/schema+json"
    return response


# --- health -------------------------------------------------------------------------------------


@health.route("/healthz")
@health.alt_response(200, schema=HealthSchema, success=True)
def healthz() -> Response:
    """Liveness: the process answers."""
    return jsonify(status="ok")


@health.route("/readyz")
@health.alt_response(200, schema=HealthSchema, success=True)
@health.alt_response(503, schema=ProblemSchema, content_type=PROBLEM_MIMETYPE)
def readyz() -> Response:
    """Readiness: 200 while a good ruleset serves (`degraded` names a broken edit on disk);
    503 only when nothing good can be served (a plugin failed to load)."""
    web = state()
    fatal, degraded = readiness_problems(_status(web))
    if fatal:
        return problem(
            503,
            title="Not ready",
            detail="; ".join(fatal + degraded),
            type_=problem_type("not-ready"),
            ruleset=web.engine.ruleset.ref(),
        )
    if degraded:
        return jsonify(status="degraded", ruleset=web.engine.ruleset.ref(), detail=degraded)
    return jsonify(status="ready", ruleset=web.engine.ruleset.ref())


# --- plain routes (not in the OpenAPI document) -------------------------------------------------


def register_plain_routes(app: Flask) -> None:
    """/metrics and the packaged Swagger UI assets behind /docs."""

    @app.route("/metrics")
    def metrics() -> Response:
        return state().metrics.exposition()

    @app.route("/docs/assets/<path:filename>")
    def docs_assets(filename: str) -> Response:
        try:
            import swagger_ui_bundle
        except ImportError:  # pragma: no cover - a declared dependency
            raise NotFound("The swagger-ui-bundle package is not installed.") from None
        return send_from_directory(Path(swagger_ui_bundle.swagger_ui_path), filename)
