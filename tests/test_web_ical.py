"""`Accept: text/calendar` on POST /v1/recommendations."""
# ruff: noqa: F811  -- pytest fixtures imported from web_fixtures

from __future__ import annotations

from icalendar import Calendar
from test_ical import CONTEXT
from web_fixtures import app, client, real_engine  # noqa: F401

ICS = "text/calendar"


def test_accept_text_calendar_answers_the_plan_as_ics(client):
    plan = client.post("/v1/recommendations", json=CONTEXT).get_json()
    response = client.post("/v1/recommendations", json=CONTEXT, headers={"Accept": ICS})
    assert response.status_code == 200
    assert response.mimetype == ICS
    assert response.headers["Content-Disposition"] == 'attachment; filename="stridewise-cli-1.ics"'
    assert response.headers["X-Stridewise-Ruleset-Version"] == plan["ruleset"]["version"]
    events = list(Calendar.from_ical(response.data).walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [
        f"cli-1-{s['date']}@stridewise" for s in plan["sessions"]]
    for event, session in zip(events, plan["sessions"], strict=True):
        text = str(event["description"])
        assert all(item["name"] in text for item in session["exercises"])
        assert event.decoded("dtstart").date().isoformat() == session["date"]


def test_query_times_move_the_events(client):
    plan = client.post("/v1/recommendations", json=CONTEXT).get_json()
    response = client.post("/v1/recommendations?run_time=06:00&session_time=12:15",
                           json=CONTEXT, headers={"Accept": ICS})
    for event, session in zip(Calendar.from_ical(response.data).walk("VEVENT"),
                              plan["sessions"], strict=True):
        expected = (6 + session["hours_from_run"], 0) if session["after_run"] else (12, 15)
        start = event.decoded("dtstart")
        assert (start.hour, start.minute) == expected


def test_json_stays_the_default_for_any_and_tied_accepts(client):
    for accept in ("*/*", "application/json", "application/json, text/calendar", ""):
        response = client.post("/v1/recommendations", json=CONTEXT, headers={"Accept": accept})
        assert response.mimetype == "application/json", accept


def test_bad_time_is_a_422_naming_the_parameter(client):
    response = client.post("/v1/recommendations?run_time=7am", json=CONTEXT,
                           headers={"Accept": ICS})
    assert response.status_code == 422
    (error,) = response.get_json()["errors"]
    assert error["parameter"] == "run_time" and "HH:MM" in error["detail"]


def test_invalid_context_is_still_a_problem_not_a_calendar(client):
    response = client.post("/v1/recommendations", json={**CONTEXT, "age": 3},
                           headers={"Accept": ICS})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_openapi_documents_the_calendar_type_and_parameters(client):
    operation = client.get("/openapi.json").get_json()["paths"]["/v1/recommendations"]["post"]
    assert set(operation["responses"]["200"]["content"]) == {"application/json", ICS}
    assert {p["name"] for p in operation["parameters"]} == {"run_time", "session_time"}
