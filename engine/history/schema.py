"""Marshmallow schemas for `training_log` and `wellness`, with their bounds (design §8).

Each logged session is `{date, exercise_id, completed, session_rpe, sets: [{reps, load_kg,
rpe | rir}]}`; each wellness day is `{date, soreness 0-10, pain: [{site, score 0-10, when:
during | next_morning}]}`. Dates must fall in the 90 days up to `start_date`, and a log holds
at most 2,000 sets; `check_window` reports a date outside it by its JSON pointer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from stridewise.models import INJURY_SITES

__all__ = [
    "LOG_DAYS",
    "MAX_LOG_SESSIONS",
    "MAX_LOG_SETS",
    "LogSessionSchema",
    "WellnessSchema",
    "check_window",
]

LOG_DAYS = 90
MAX_LOG_SETS = 2000
MAX_LOG_SESSIONS = 1000
MAX_SETS_PER_ENTRY = 20


class LogSetSchema(Schema):
    """One set as done: reps at a load, with how hard it was (RPE or reps in reserve)."""

    reps = fields.Integer(required=True, strict=True, validate=validate.Range(0, 100))
    load_kg = fields.Float(load_default=None, allow_none=True, validate=validate.Range(0, 1000))
    rpe = fields.Float(load_default=None, allow_none=True, validate=validate.Range(1, 10))
    rir = fields.Integer(load_default=None, allow_none=True, strict=True,
                         validate=validate.Range(0, 10))

    @validates_schema
    def _one_effort_measure(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("rpe") is not None and data.get("rir") is not None:
            raise ValidationError("give rpe or rir, not both (rir = 10 - rpe)", "rir")


class LogSessionSchema(Schema):
    """One exercise on one day, as the athlete logged it."""

    date = fields.Date(required=True)
    exercise_id = fields.String(required=True, validate=validate.Length(1, 64))
    completed = fields.Boolean(load_default=True)
    session_rpe = fields.Float(load_default=None, allow_none=True, validate=validate.Range(0, 10))
    sets = fields.List(fields.Nested(LogSetSchema), load_default=list,
                       validate=validate.Length(max=MAX_SETS_PER_ENTRY))


class PainSchema(Schema):
    site = fields.String(required=True, validate=validate.OneOf(INJURY_SITES))
    score = fields.Integer(required=True, strict=True, validate=validate.Range(0, 10))
    when = fields.String(required=True, validate=validate.OneOf(("during", "next_morning")))


class WellnessSchema(Schema):
    """How the athlete felt on a day: overall soreness and pain by site (0-10 scales)."""

    date = fields.Date(required=True)
    soreness = fields.Integer(load_default=None, allow_none=True, strict=True,
                              validate=validate.Range(0, 10))
    pain = fields.List(fields.Nested(PainSchema), load_default=list,
                       validate=validate.Length(max=20))


def check_window(context: Mapping[str, Any]) -> dict[str, Any]:
    """Field errors (marshmallow's shape) for log and wellness dates outside the 90 days up to
    `start_date`, and for a log over the set limit; empty when all is well."""
    start: dt.date = context["start_date"]
    first = start - dt.timedelta(days=LOG_DAYS)
    errors: dict[str, Any] = {}
    for key in ("training_log", "wellness"):
        for index, entry in enumerate(context.get(key) or ()):
            day = entry["date"]
            if day > start:
                message = (f"{day.isoformat()} is after start_date {start.isoformat()}; "
                           "log only what has been done")
            elif day < first:
                message = (f"{day.isoformat()} is more than {LOG_DAYS} days before start_date "
                           f"{start.isoformat()}; send {first.isoformat()} or later")
            else:
                continue
            errors.setdefault(key, {})[index] = {"date": [message]}
    total = sum(len(entry["sets"]) for entry in context.get("training_log") or ())
    if total > MAX_LOG_SETS:
        errors.setdefault("training_log", {}).setdefault("_schema", []).append(
            f"the log holds {total} sets; at most {MAX_LOG_SETS} (the last {LOG_DAYS} days)")
    return errors
