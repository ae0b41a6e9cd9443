"""The athlete context: its marshmallow schema (design §5) and the facts rules see.

`load_context` validates a request body into a plain dict; `derive_facts` adds what rules and
the planner need but the athlete should not have to send (phase from the race date, weekdays,
key-run days, active injuries). Every fact is declared once, with its type and meaning, in
`stridewise.facts`, which the rules core reads without importing this request side.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from stridewise.errors import ContextError
from stridewise.fastload import FastLoad
from stridewise.history.loads import DEFAULT_INCREMENTS
from stridewise.history.schema import (
    LOG_DAYS,
    MAX_LOG_SESSIONS,
    LogSessionSchema,
    WellnessSchema,
    check_window,
)
from stridewise.history.summary import HISTORY_KEYS, history_facts
from stridewise.models import (
    EQUIPMENT,
    EXPERIENCE_LEVELS,
    INJURY_CONDITIONS,
    INJURY_SITES,
    KEY_RUN_TYPES,
    PHASES,
    SEVERITIES,
    WEEKDAYS,
)
from stridewise.tables import Table
from stridewise.validators import encodable, suggest_unknown, unique

__all__ = [
    "AthleteContextSchema",
    "derive_facts",
    "load_context",
    "phase_for_days_until",
]

MAX_LIST = 64  # generous for any real athlete, small enough to bound work per request
MAX_HORIZON = 182  # 26 weeks: a season from today to the goal race
MAX_KEY_RUNS = 2 * MAX_HORIZON  # two a day over the longest horizon
FIRST_DATE = dt.date(2000, 1, 1)  # plans start in a sane range: day 0 + horizon stays a date
LAST_DATE = dt.date(2999, 12, 31)


def _sane_date(value: dt.date) -> None:
    """A plan's days must stay valid dates (9999-12-31 plus a week overflowed)."""
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValidationError(f"must be between {FIRST_DATE} and {LAST_DATE}")




class RaceSchema(Schema):
    distance_km = fields.Float(required=True, validate=validate.Range(min=0.1, max=500))
    days_until = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=730))
    priority = fields.String(load_default="A", validate=validate.OneOf(["A", "B", "C"]))


class LastRaceSchema(Schema):
    """A race already run: how long, how many days ago (0 = today), and its priority."""

    distance_km = fields.Float(required=True, validate=validate.Range(min=0.1, max=500))
    days_ago = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=365))
    priority = fields.String(load_default="A", validate=validate.OneOf(["A", "B", "C"]))


class KeyRunSchema(Schema):
    day_offset = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=0, max=MAX_HORIZON - 1)
    )
    type = fields.String(required=True, validate=validate.OneOf(KEY_RUN_TYPES))


class InjurySchema(Schema):
    site = fields.String(required=True, validate=validate.OneOf(INJURY_SITES))
    condition = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf((*INJURY_CONDITIONS, "other"))
    )
    side = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(["left", "right", "both"])
    )
    severity = fields.String(required=True, validate=validate.OneOf(SEVERITIES))
    since = fields.Date(
        load_default=None, allow_none=True, validate=_sane_date,
        metadata={"description": "when the injury (and its rehab protocol) started: where in a "
                  "protocol the athlete is, so a plan continues it rather than restarting"},
    )




def _string_list(choices: tuple[str, ...] | None = None, **kwargs: Any) -> fields.List:
    inner = fields.String(validate=validate.OneOf(choices)) if choices else fields.String(
        validate=[validate.Length(min=1, max=64), encodable]
    )
    return fields.List(
        inner, validate=[validate.Length(max=MAX_LIST), unique], **kwargs
    )


class AthleteContextSchema(Schema):
    """The request body of POST /v1/recommendations; unknown fields are rejected by name."""

    athlete_id = fields.String(
        load_default=None, validate=[validate.Length(min=1, max=128), encodable]
    )
    start_date = fields.Date(load_default=None, validate=_sane_date)
    horizon_days = fields.Integer(
        load_default=7, strict=True, validate=validate.Range(min=1, max=MAX_HORIZON)
    )
    age = fields.Integer(required=True, strict=True, validate=validate.Range(min=14, max=90))
    sex = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(["female", "male", "other"])
    )
    running_experience_years = fields.Float(
        required=True, validate=validate.Range(min=0, max=80)
    )
    strength_training_experience = fields.String(
        required=True, validate=validate.OneOf(EXPERIENCE_LEVELS)
    )
    phase = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(PHASES))
    weekly_run_km = fields.Float(required=True, validate=validate.Range(min=0, max=300))
    race = fields.Nested(RaceSchema, load_default=None, allow_none=True)
    last_race = fields.Nested(LastRaceSchema, load_default=None, allow_none=True)
    key_run_sessions = fields.List(
        fields.Nested(KeyRunSchema), load_default=list,
        validate=validate.Length(max=MAX_KEY_RUNS),
    )
    available_days = _string_list(WEEKDAYS, load_default=lambda: list(WEEKDAYS))
    session_minutes_max = fields.Integer(
        load_default=60, strict=True, validate=validate.Range(min=10, max=180)
    )
    sessions_per_week_max = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(min=0, max=7)
    )
    equipment = _string_list(EQUIPMENT, load_default=list)
    injuries = fields.List(
        fields.Nested(InjurySchema), load_default=list, validate=validate.Length(max=MAX_LIST)
    )
    exercise_history = _string_list(None, load_default=list)
    training_log = fields.List(
        fields.Nested(LogSessionSchema), load_default=list,
        validate=validate.Length(max=MAX_LOG_SESSIONS),
        metadata={"description": "Strength sessions done in the last 90 days, one entry per "
                  "exercise and day (stridewise.history)."})
    wellness = fields.List(
        fields.Nested(WellnessSchema), load_default=list, validate=validate.Length(max=LOG_DAYS),
        metadata={"description": "Soreness and pain by site, one entry per day."})
    load_increments_kg = fields.Dict(
        keys=fields.String(validate=validate.OneOf(tuple(DEFAULT_INCREMENTS))),
        values=fields.Float(validate=validate.Range(0.25, 20)), load_default=None,
        allow_none=True,
        metadata={"description": "The smallest load step per equipment (default 2.5 kg for "
                  "barbell, machine and cable; 2 kg for dumbbell and kettlebell)."})

    @validates_schema
    def _key_runs_within_horizon(self, data: dict[str, Any], **kwargs: Any) -> None:
        horizon = data.get("horizon_days", 7)
        for index, run in enumerate(data.get("key_run_sessions") or []):
            if run["day_offset"] >= horizon:
                raise ValidationError(
                    {
                        "key_run_sessions": {
                            index: {
                                "day_offset": [
                                    f"day_offset {run['day_offset']} is outside the plan: "
                                    f"horizon_days is {horizon}, so use 0-{horizon - 1}."
                                ]
                            }
                        }
                    }
                )


_SCHEMA = AthleteContextSchema()
_FAST = FastLoad(_SCHEMA)  # the same result for well-formed input; None sends it to _SCHEMA


def load_context(data: Any, *, today: dt.date | None = None) -> dict[str, Any]:
    """Validate a request body; raise ContextError naming every bad field (with suggestions)."""
    if not isinstance(data, Mapping):
        raise ContextError(
            {"_schema": [f"The athlete context must be a JSON object, not {_kind(data)}."]}
        )
    loaded = _FAST(data)
    if loaded is None:  # not certainly well-formed: marshmallow decides, with its messages
        try:
            loaded = _SCHEMA.load(data)
        except ValidationError as err:
            raise ContextError(suggest_unknown(err.normalized_messages(), _SCHEMA)) from None
    if loaded["start_date"] is None:
        loaded["start_date"] = today or dt.date.today()
    window = check_window(loaded)
    if window:
        raise ContextError(window)
    late = {
        index: {"since": [f"since {injury['since']} is after start_date "
                          f"{loaded['start_date']}: give the day the injury (or its rehab) "
                          f"started, on or before the plan's first day."]}
        for index, injury in enumerate(loaded["injuries"])
        if injury.get("since") is not None and injury["since"] > loaded["start_date"]
    }
    if late:
        raise ContextError({"injuries": late})
    return loaded


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", type(None): "null", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


# --- derived facts ----------------------------------------------------------------------------

# Days before an A-race at which each phase starts, longest first. Practice-based mesocycle
# lengths (Bompa & Haff 2009; Bosquet et al. 2007 for the 8-14 day taper).
PHASE_BY_DAYS_UNTIL: tuple[tuple[int, str], ...] = (
    (7, "race_week"),
    (14, "taper"),
    (42, "peak"),
    (84, "build"),
    (168, "base"),
)


def phase_for_days_until(days_until: int | None) -> str:
    """The training phase implied by days to the goal race (base when there is no race)."""
    if days_until is None:
        return "base"
    for limit, phase in PHASE_BY_DAYS_UNTIL:
        if days_until <= limit:
            return phase
    return "off_season"


# Context fields the facts hold reshaped (or not at all: the history summary stands in)
_RESHAPED = frozenset({"start_date", "race", "injuries", "last_race", *HISTORY_KEYS})


def derive_facts(context: Mapping[str, Any]) -> dict[str, Any]:
    """The facts rules see: the validated context as JSON-ready values plus derived facts."""
    start: dt.date = context["start_date"]
    horizon: int = context["horizon_days"]
    race = dict(context["race"]) if context.get("race") else None
    weekdays, dates = _calendar(start, horizon)
    key_runs = [
        {**run, "weekday": weekdays[run["day_offset"]], "date": dates[run["day_offset"]]}
        for run in sorted(context.get("key_run_sessions") or [], key=lambda r: r["day_offset"])
    ]
    if race is not None and race["days_until"] < horizon:
        key_runs.append(
            {
                "day_offset": race["days_until"],
                "type": "race",
                "weekday": weekdays[race["days_until"]],
                "date": dates[race["days_until"]],
            }
        )
    injuries = [_injury_facts(i, start) for i in context.get("injuries") or []]
    active = [i for i in injuries if i["severity"] != "resolved"]
    phase = context.get("phase")
    facts: dict[str, Any] = {
        **{k: v for k, v in context.items() if k not in _RESHAPED},
        "start_date": start.isoformat(),
        "race": race,
        "last_race": dict(context["last_race"]) if context.get("last_race") else None,
        "injuries": injuries,
        "phase": phase or phase_for_days_until(race["days_until"] if race else None),
        "phase_source": "request" if phase else ("race_date" if race else "default"),
        "days_to_race": race["days_until"] if race else None,
        "key_run_sessions": key_runs,
        "key_run_days": sorted({run["day_offset"] for run in key_runs}),
        "key_run_types": sorted({run["type"] for run in key_runs}),
        "horizon_weekdays": list(weekdays),
        "horizon_dates": list(dates),
        "available_day_count": len(context.get("available_days") or []),
        "active_injuries": active,
        "bodyweight_only": not context.get("equipment"),
        **history_facts(context),
    }
    facts["key_run_sessions"] = key_runs
    return facts


CALENDAR_CACHE = 1024  # (start date, horizon) pairs remembered: a pure function of them
_CALENDAR: Table[tuple[dt.date, int], tuple[tuple[str, ...], tuple[str, ...]]] = Table(
    CALENDAR_CACHE)


def _calendar(start: dt.date, horizon: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The weekday names and ISO dates of the horizon's days (kept: no athlete in the key)."""
    key = (start, horizon)
    found = _CALENDAR.get(key)
    if found is None:
        days = [start + dt.timedelta(days=offset) for offset in range(horizon)]
        found = _CALENDAR.put(key, (tuple(WEEKDAYS[day.weekday()] for day in days),
                                    tuple(day.isoformat() for day in days)))
    return found


def _injury_facts(injury: Mapping[str, Any], start: dt.date) -> dict[str, Any]:
    """An injury as rules see it: `since` as an ISO date and `weeks_since` (whole weeks from
    `since` to the first day planned; null without `since`)."""
    out = dict(injury)
    since = out.get("since")
    if isinstance(since, dt.date):
        out["since"] = since.isoformat()
        out["weeks_since"] = (start - since).days // 7
    else:
        out["since"], out["weeks_since"] = None, None
    return out
