"""`Accept: text/calendar` on POST /v1/recommendations: the plan as an .ics attachment."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_smorest import abort
from stridewise.ical import (
    DEFAULT_RUN_TIME,
    DEFAULT_SESSION_TIME,
    ICS_MIMETYPE,
    athlete_slug,
    calendar_ics,
    parse_time,
)

__all__ = ["CALENDAR_DOC", "calendar_response", "prefers_over_json", "wants_calendar"]

CALENDAR_PARAMETERS = [
    {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "string", "pattern": "^([01]?[0-9]|2[0-3]):[0-5][0-9]$",
                   "default": default.strftime("%H:%M")},
        "description": description,
    }
    for name, default, description in (
        ("run_time", DEFAULT_RUN_TIME,
         "With Accept: text/calendar: when the athlete runs; a session after the run starts "
         "hours_from_run later (no later than 21:00)."),
        ("session_time", DEFAULT_SESSION_TIME,
         "With Accept: text/calendar: the start of sessions not tied to a run."),
    )
]
# Merged into the endpoint's OpenAPI operation: the query parameters and the second 200 type.
CALENDAR_DOC: dict[str, Any] = {
    "parameters": CALENDAR_PARAMETERS,
    "responses": {
        200: {
            "content": {
                ICS_MIMETYPE: {
                    "schema": {"type": "string", "description": "RFC 5545 iCalendar, one "
                               "VEVENT per session, UID <athlete_id>-<date>@stridewise."}
                }
            }
        }
    },
}


JSON_ACCEPTS = frozenset({"", "*/*", "application/json"})  # what most clients send


def prefers_over_json(mimetype: str) -> bool:
    """True when the request's Accept header prefers `mimetype` over JSON (JSON wins ties and
    */*); the usual headers are answered without parsing (~10 µs a request)."""
    if request.headers.get("Accept", "").strip() in JSON_ACCEPTS:
        return False
    return request.accept_mimetypes.best_match(["application/json", mimetype]) == mimetype


def wants_calendar() -> bool:
    """True when the client prefers text/calendar over JSON."""
    return prefers_over_json(ICS_MIMETYPE)


def _times() -> dict[str, Any]:
    times: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in ("run_time", "session_time"):
        value = request.args.get(name)
        if value is None:
            continue
        try:
            times[name] = parse_time(value, name)
        except ValueError as err:
            errors[name] = [str(err)]
    if errors:
        abort(422, messages={"query": errors})
    return times


def calendar_response(result: dict[str, Any], context: Any) -> Response:
    """The recommendation as an RFC 5545 attachment named for the athlete."""
    times = _times()
    athlete = context.get("athlete_id") if isinstance(context, dict) else None
    body = calendar_ics(result, athlete, **times)
    filename = f"stridewise-{athlete_slug(athlete) or 'plan'}.ics"
    response = Response(body, mimetype=ICS_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
