"""Marshmallow schemas for what `register_categories` and `register_exercises` return.

They load the catalog-entry dicts of docs/architecture.md into `stridewise.models` dataclasses;
unknown keys are rejected by name so a typo (`catgories`) is an error, not a silent default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)
from stridewise.models import (
    EQUIPMENT,
    IMPACT_LEVELS,
    INJURY_CONDITIONS,
    INJURY_SITES,
    LEVELS,
    Category,
    Exercise,
    Intensity,
    Prescription,
)
from stridewise.validators import unique

__all__ = ["CategorySchema", "ExerciseSchema", "PrescriptionSchema", "flatten_messages"]

SNAKE_CASE = validate.Regexp(
    r"^[a-z][a-z0-9_]*$", error="'{input}' is not snake_case (a-z, 0-9 and _, starting a-z)"
)
CONTRAINDICATIONS = (*INJURY_CONDITIONS, *INJURY_SITES)




def _ids(**kwargs: Any) -> fields.List:
    return fields.List(fields.String(validate=SNAKE_CASE), validate=unique, **kwargs)


def _choices(choices: tuple[str, ...], **kwargs: Any) -> fields.List:
    return fields.List(fields.String(validate=validate.OneOf(choices)), validate=unique, **kwargs)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class CategorySchema(_Strict):
    """A category dict: `id` (snake_case), `name`, optional `description`."""

    id = fields.String(required=True, validate=SNAKE_CASE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    description = fields.String(load_default="", validate=validate.Length(max=1000))

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Category:
        return Category(**data)


class Reps(fields.Field):
    """A rep count (int) or an inclusive range `{"min": a, "max": b}`, loaded as (a, b)."""

    default_error_messages = {
        "invalid": "must be a whole number or {{min, max}}, not {input!r}",
        "range": "must be between 1 and 100",
        "order": "min {lo} is above max {hi}",
    }

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            if not 1 <= value <= 100:
                raise self.make_error("range")
            return value
        if isinstance(value, Mapping) and set(value) == {"min", "max"}:
            lo, hi = value["min"], value["max"]
            if all(isinstance(v, int) and not isinstance(v, bool) for v in (lo, hi)):
                if not (1 <= lo <= 100 and 1 <= hi <= 100):
                    raise self.make_error("range")
                if lo > hi:
                    raise self.make_error("order", lo=lo, hi=hi)
                return (lo, hi)
        raise self.make_error("invalid", input=value)


class IntensitySchema(_Strict):
    pct_1rm = fields.Float(load_default=None, allow_none=True, validate=validate.Range(20, 100))
    rpe = fields.Float(load_default=None, allow_none=True, validate=validate.Range(1, 10))
    rir = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(0, 10)
    )

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Intensity:
        return Intensity(**data)


def _count(lo: int, hi: int) -> fields.Integer:
    return fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=validate.Range(lo, hi)
    )


class PrescriptionSchema(_Strict):
    """A default dose: sets of reps, seconds or ground contacts, with intensity and rest."""

    sets = fields.Integer(required=True, strict=True, validate=validate.Range(1, 10))
    reps = Reps(load_default=None, allow_none=True)
    seconds = _count(1, 3600)
    ground_contacts = _count(1, 500)
    intensity = fields.Nested(IntensitySchema, load_default=None, allow_none=True)
    rest_s = fields.Integer(load_default=60, strict=True, validate=validate.Range(0, 600))
    tempo = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^[0-9X]+(-[0-9X]+){3}$", error="use 'ecc-pause-con-pause'"),
    )
    per_side = fields.Boolean(load_default=False)

    @validates_schema
    def _dose(self, data: dict[str, Any], **kwargs: Any) -> None:
        if all(data.get(k) is None for k in ("reps", "seconds", "ground_contacts")):
            raise ValidationError("give one of reps, seconds or ground_contacts", "reps")

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Prescription:
        data["intensity"] = data.get("intensity") or Intensity()
        return Prescription(**data)


class ExerciseSchema(_Strict):
    """A catalog entry (docs/architecture.md); `plugin` is set by the catalog, not the plugin."""

    id = fields.String(required=True, validate=SNAKE_CASE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    categories = _ids(required=True)
    primary_muscles = fields.List(
        fields.String(validate=validate.Length(min=1, max=60)),
        required=True,
        validate=[validate.Length(min=1), unique],
    )
    equipment = _choices(EQUIPMENT, required=True)
    impact = fields.String(required=True, validate=validate.OneOf(IMPACT_LEVELS))
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    tags = _ids(load_default=list)
    contraindications = _choices(CONTRAINDICATIONS, load_default=list)
    progressions = _ids(load_default=list)
    regressions = _ids(load_default=list)
    substitutes = _ids(load_default=list)
    prescription = fields.Nested(PrescriptionSchema, required=True)
    minutes = fields.Float(required=True, validate=validate.Range(min=0.5, max=90))
    instructions = fields.String(required=True, validate=validate.Length(min=1, max=3000))
    source = fields.String(required=True, validate=validate.Length(min=1, max=500))
    rehab_only = fields.Boolean(load_default=False)

    @validates_schema
    def _categories(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "categories" in data and not data["categories"]:
            raise ValidationError("name at least one category", "categories")

    @post_load
    def _make(self, data: dict[str, Any], **kwargs: Any) -> Exercise:
        for key, value in data.items():
            if isinstance(value, list):
                data[key] = tuple(value)
        return Exercise(**data)


def flatten_messages(messages: Any, prefix: str = "") -> str:
    """marshmallow's normalized messages as one line: `field 'a.b': message; …`."""
    if isinstance(messages, Mapping):
        parts = []
        for key, value in messages.items():
            path = prefix if key == "_schema" else (f"{prefix}.{key}" if prefix else str(key))
            parts.append(flatten_messages(value, path))
        return "; ".join(p for p in parts if p)
    if isinstance(messages, list | tuple):
        if all(isinstance(m, str) for m in messages):
            text = " ".join(str(m) for m in messages)
            return f"field '{prefix}': {text}" if prefix else text
        return "; ".join(flatten_messages(m, prefix) for m in messages)
    return f"field '{prefix}': {messages}" if prefix else str(messages)
