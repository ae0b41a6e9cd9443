"""The plan as an RFC 5545 calendar (stridewise.ical and `stridewise recommend --ics`)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from stridewise.cli import cli
from stridewise.doses import dose_text
from stridewise.ical import calendar_ics, event_uid, parse_time


def _exercise(name: str, **dose: Any) -> dict[str, Any]:
    item = {"id": name.lower().replace(" ", "_"), "name": name, "sets": 3, "reps": 8,
            "seconds": None, "ground_contacts": None, "rest_s": 90,
            "intensity": {"pct_1rm": None, "rpe": 7, "rir": None}, "because": ["base-template"]}
    item.update(dose)
    return item


BODY: dict[str, Any] = {
    "ruleset": {"name": "default", "version": "sha256:" + "ab" * 32},
    "phase": "build", "start_date": "2026-11-30", "horizon_days": 7,
    "sessions": [
        {"day_offset": 1, "date": "2026-12-01", "weekday": "tue", "after_run": True,
         "hours_from_run": 9, "duration_min": 35, "focus": "functional strength",
         "exercises": [_exercise("Goblet squat", because=["build-heavy-load", "base-template"]),
                       _exercise("Front plank", reps=None, seconds=30, intensity={
                           "pct_1rm": None, "rpe": None, "rir": None})]},
        {"day_offset": 5, "date": "2026-12-05", "weekday": "sat", "after_run": False,
         "hours_from_run": None, "duration_min": 40, "focus": "plyometrics",
         "exercises": [_exercise("Pogo hop", reps=None, ground_contacts=40, rest_s=60)]},
    ],
    "fired": [], "excluded": [], "warnings": [], "notes": [],
}


def _events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_one_event_per_session_on_its_date_after_the_run_when_after_run() -> None:
    tue, sat = _events(calendar_ics(BODY, "ana"))
    assert tue.decoded("dtstart") == dt.datetime(2026, 12, 1, 16, 0)  # 07:00 run + 9 h
    assert tue.decoded("dtend") == dt.datetime(2026, 12, 1, 16, 35)
    assert sat.decoded("dtstart") == dt.datetime(2026, 12, 5, 18, 0)  # no run: evening
    assert sat.decoded("dtend") - sat.decoded("dtstart") == dt.timedelta(minutes=40)
    assert "functional strength" in str(tue["summary"])


def test_run_and_session_times_move_the_events_but_never_past_the_latest_start() -> None:
    tue, sat = _events(calendar_ics(BODY, "ana", run_time=dt.time(6, 0),
                                    session_time=dt.time(12, 30)))
    assert tue.decoded("dtstart").time() == dt.time(15, 0)
    assert sat.decoded("dtstart").time() == dt.time(12, 30)
    late, _ = _events(calendar_ics(BODY, "ana", run_time=dt.time(19, 0)))
    assert late.decoded("dtstart") == dt.datetime(2026, 12, 1, 21, 0)  # same day, not 04:00


def test_description_lists_every_exercise_with_its_dose_and_reasons() -> None:
    tue, sat = _events(calendar_ics(BODY, "ana"))
    text = str(tue["description"])
    for item in BODY["sessions"][0]["exercises"]:
        assert f"{item['name']}: {dose_text(item)}" in text
    assert "3 x 8 RPE 7 rest 90s" in text and "3 x 30 s" in text
    assert "build-heavy-load, base-template" in text
    assert "at least 9 h after" in text
    assert "Pogo hop: 3 x 40 contacts RPE 7 rest 60s" in str(sat["description"])


def test_uids_are_stable_per_athlete_and_day_so_reimport_updates() -> None:
    first = _events(calendar_ics(BODY, "ana", now=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)))
    changed = copy.deepcopy(BODY)
    changed["sessions"][0]["exercises"].pop()
    changed["sessions"][0]["focus"] = "core"
    later = _events(calendar_ics(changed, "ana", now=dt.datetime(2026, 11, 8, tzinfo=dt.UTC)))
    assert [str(e["uid"]) for e in first] == [str(e["uid"]) for e in later] == [
        "ana-2026-12-01@stridewise", "ana-2026-12-05@stridewise"]
    assert later[0].decoded("dtstamp") > first[0].decoded("dtstamp")
    other = _events(calendar_ics(BODY, "ben"))
    assert {str(e["uid"]) for e in other}.isdisjoint(str(e["uid"]) for e in first)


def test_uid_without_or_with_odd_athlete_ids() -> None:
    assert event_uid(None, "2026-12-01") == "athlete-2026-12-01@stridewise"
    assert event_uid("a b/c@d", "2026-12-01") == "a_b_c_d-2026-12-01@stridewise"


def test_calendar_is_rfc5545_with_crlf_lines_and_required_properties() -> None:
    data = calendar_ics(BODY, "ana")
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    cal = Calendar.from_ical(data)
    assert str(cal["version"]) == "2.0" and "Stridewise" in str(cal["prodid"])
    for event in cal.walk("VEVENT"):
        assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"} <= set(event)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded lines


def test_parse_time_names_the_option() -> None:
    assert parse_time("6:05", "run_time") == dt.time(6, 5)
    with pytest.raises(ValueError, match="run_time must be a time of day as HH:MM"):
        parse_time("25:00", "run_time")


CONTEXT = {
    "athlete_id": "cli-1", "start_date": "2026-11-30", "age": 34,
    "running_experience_years": 6, "strength_training_experience": "intermediate",
    "weekly_run_km": 55, "race": {"distance_km": 42.2, "days_until": 60, "priority": "A"},
    "available_days": ["tue", "thu", "sat"], "equipment": ["dumbbell", "band"],
    "key_run_sessions": [{"day_offset": 1, "type": "intervals"},
                         {"day_offset": 3, "type": "tempo"}],
}


def test_recommend_ics_writes_the_sessions_as_a_calendar(tmp_path: Path) -> None:
    context = tmp_path / "ctx.json"
    context.write_text(json.dumps(CONTEXT))
    out = tmp_path / "week.ics"
    result = CliRunner().invoke(cli, ["recommend", str(context), "--json", "--ics", str(out)])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    events = _events(out.read_bytes())
    assert [e.decoded("dtstart").date().isoformat() for e in events] == [
        s["date"] for s in body["sessions"]]
    assert [str(e["uid"]) for e in events] == [
        f"cli-1-{s['date']}@stridewise" for s in body["sessions"]]
    after = [s for s in body["sessions"] if s["after_run"]]
    assert after, "the context has a key run on a lifting day"
    (event,) = [e for e in events if e.decoded("dtstart").date().isoformat() == after[0]["date"]]
    assert event.decoded("dtstart").hour == min(7 + after[0]["hours_from_run"], 21)
    assert f"wrote {len(events)} event(s) to {out}" in result.stderr


def test_recommend_ics_rejects_a_bad_time_before_planning(tmp_path: Path) -> None:
    context = tmp_path / "ctx.json"
    context.write_text(json.dumps(CONTEXT))
    result = CliRunner().invoke(cli, ["recommend", str(context), "--ics", str(tmp_path / "x.ics"),
                                      "--run-time", "7am"])
    assert result.exit_code == 2
    assert "--run-time must be a time of day as HH:MM" in result.stderr
    assert not (tmp_path / "x.ics").exists()
