"""RFC 9457 problem details: every error the service returns is `application/problem+json`.

Problem types are URNs (`urn:stridewise:problem:<slug>`, listed in docs/api.md); plain HTTP
errors use `about:blank` with the status phrase as title, as the RFC recommends. Field errors
become `errors: [{"pointer": "/race/days_until", "detail": "..."}]` (RFC 6901 pointers into the
request body) or `{"parameter": "category", ...}` for query parameters.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, current_app, g, json, request
from stridewise.errors import (
    ContextError,
    EvaluationError,
    RuleCycleError,
    StridewiseError,
)
from stridewise.problem_details import (
    context_problem,
    cycle_problem,
    failure_problem,
    field_errors,
    pointer,
    problem_body,
    problem_type,
)
from werkzeug.exceptions import HTTPException

__all__ = [
    "PROBLEM_MIMETYPE",
    "context_problem",
    "cycle_problem",
    "failure_problem",
    "field_errors",
    "pointer",
    "problem",
    "problem_body",
    "problem_response",
    "problem_type",
    "register_error_handlers",
]

PROBLEM_MIMETYPE = "application/problem+json"
log = logging.getLogger("stridewise.web")


def problem(
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    type_: str = "about:blank",
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A complete `application/problem+json` response."""
    body = problem_body(status, title=title, detail=detail, type_=type_, **extra)
    return problem_response(body, headers)


def problem_response(body: dict[str, Any], headers: Mapping[str, str] | None = None) -> Response:
    """Send a problem object, with the request path as `instance` and the request id."""
    body = {**body, "instance": request.path}
    if g.get("request_id"):
        body["request_id"] = g.request_id
    response = current_app.response_class(
        json.dumps(body), status=body["status"], mimetype=PROBLEM_MIMETYPE
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    if status >= 500:
        return _internal(error)
    headers = {
        k: v for k, v in error.get_headers() if k.lower() not in {"content-type", "content-length"}
    }
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") or data.get("errors")
    if messages:  # webargs / flask-smorest validation of query or body
        errors: list[dict[str, str]] = []
        for location, fields in messages.items():
            member = "pointer" if location == "json" else "parameter"
            errors.extend(field_errors(fields, (), member))
        return problem(
            status,
            title="Invalid request",
            detail="The request has invalid fields; see errors.",
            type_=problem_type("invalid-request"),
            errors=errors,
            headers=headers,
        )
    return problem(status, detail=data.get("message") or error.description, headers=headers)


def _internal(error: BaseException) -> Response:
    log.error(
        "unhandled error",
        exc_info=(type(error), error, error.__traceback__),
        extra={"request_id": g.get("request_id")},
    )
    return problem(
        500,
        detail="The server hit an unexpected error. Quote the request_id when reporting it.",
    )


def _context_error(error: ContextError) -> Response:
    return problem_response(context_problem(error))


def _cycle_error(error: RuleCycleError) -> Response:
    from .state import state

    log.warning("rule cycle: %s", error, extra={"request_id": g.get("request_id")})
    state().metrics.observe_cycle(error.rules)
    return problem_response(cycle_problem(error))


def _evaluation_error(error: EvaluationError) -> Response:
    log.error("rule evaluation failed: %s", error, extra={"request_id": g.get("request_id")})
    return problem(
        500,
        title="Rule evaluation failed",
        detail="The active ruleset could not be evaluated for this context; the error is logged.",
        type_=problem_type("evaluation-failed"),
    )


def register_error_handlers(app: Flask) -> None:
    """Install problem+json handlers for HTTP errors, engine errors and anything unexpected."""
    app.register_error_handler(HTTPException, _http_exception)
    app.register_error_handler(ContextError, _context_error)
    app.register_error_handler(RuleCycleError, _cycle_error)
    app.register_error_handler(EvaluationError, _evaluation_error)
    app.register_error_handler(StridewiseError, _internal)
    app.register_error_handler(Exception, _internal)
