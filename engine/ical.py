"""A recommendation as an RFC 5545 calendar: one event per session, stable UIDs per athlete/day.

Times are floating local times (no time zone: the athlete's calendar shows them in its own
zone). A session after a run starts `hours_from_run` after the run, the run assumed at
`run_time` (default 07:00), no later than `LATEST_START`; any other session starts at
`session_time` (default 18:00). The UID is `<athlete>-<date>@stridewise`, so importing a newer
plan for the same athlete updates that day's event instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from icalendar import Calendar, Event
from stridewise.doses import dose_text

__all__ = [
    "DEFAULT_RUN_TIME",
    "DEFAULT_SESSION_TIME",
    "ICS_MIMETYPE",
    "LATEST_START",
    "athlete_slug",
    "calendar_ics",
    "event_uid",
    "parse_time",
]

ICS_MIMETYPE = "text/calendar"
DEFAULT_RUN_TIME = dt.time(7, 0)
DEFAULT_SESSION_TIME = dt.time(18, 0)
LATEST_START = dt.time(21, 0)
ANONYMOUS = "athlete"
PRODID = "-//Stridewise//Strength for runners//EN"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_time(value: str, name: str) -> dt.time:
    """'HH:MM' as a time; ValueError naming `name` otherwise."""
    match = _TIME.match(value.strip())
    if not match:
        raise ValueError(
            f"{name} must be a time of day as HH:MM (for example 07:00), not {value!r}"
        )
    return dt.time(int(match.group(1)), int(match.group(2)))


def athlete_slug(athlete_id: str | None) -> str:
    """The athlete id reduced to `A-Z a-z 0-9 . _ -` (for UIDs and file names); '' if none."""
    return _UNSAFE.sub("_", athlete_id).strip("_") if athlete_id else ""


def event_uid(athlete_id: str | None, date: str) -> str:
    """The UID of an athlete's session on a date; the same on every export of that day."""
    return f"{athlete_slug(athlete_id) or ANONYMOUS}-{date}@stridewise"


def _start(session: Mapping[str, Any], run_time: dt.time, session_time: dt.time) -> dt.datetime:
    day = dt.date.fromisoformat(session["date"])
    if session.get("after_run") and session.get("hours_from_run") is not None:
        start = dt.datetime.combine(day, run_time) + dt.timedelta(hours=session["hours_from_run"])
        return min(start, dt.datetime.combine(day, LATEST_START))
    return dt.datetime.combine(day, session_time)


def _description(session: Mapping[str, Any], body: Mapping[str, Any]) -> str:
    lines = [f"{session['focus']} · {session['duration_min']} min"]
    if session.get("after_run") and session.get("hours_from_run") is not None:
        lines.append(f"After your run: at least {session['hours_from_run']} h after it.")
    lines.append("")
    for item in session["exercises"]:
        lines.append(f"- {item['name']}: {dose_text(item)} (because: {', '.join(item['because'])})")
    ruleset = body.get("ruleset") or {}
    lines += ["", f"Ruleset {ruleset.get('name')} {str(ruleset.get('version', ''))[:19]}"]
    return "\n".join(lines)


def calendar_ics(
    body: Mapping[str, Any],
    athlete_id: str | None = None,
    *,
    run_time: dt.time = DEFAULT_RUN_TIME,
    session_time: dt.time = DEFAULT_SESSION_TIME,
    now: dt.datetime | None = None,
) -> bytes:
    """The design §6 response `body` as an iCalendar file (bytes, CRLF lines)."""
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Strength · {athlete_id}" if athlete_id else "Strength training")
    for session in body["sessions"]:
        start = _start(session, run_time, session_time)
        event = Event()
        event.add("uid", event_uid(athlete_id, session["date"]))
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=int(session["duration_min"])))
        event.add("summary", f"Strength: {session['focus']}")
        event.add("description", _description(session, body))
        event.add("categories", ["Strength training"])
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    return cal.to_ical()
