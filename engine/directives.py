"""The `then` vocabulary of rule files: one marshmallow schema per directive (design §2).

This module only says what a directive may contain; `planning.resolve` decides what a set of
fired directives means together, and the planner applies the result. The vocabulary is closed
(unknown keys are errors) but plugins extend it with `register_directives`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from stridewise.models import (
    CATEGORY_IDS,
    EQUIPMENT,
    IMPACT_LEVELS,
    KEY_RUN_TYPES,
    LEVELS,
    TAGS,
    DirectiveSpec,
)

__all__ = ["DIRECTIVES", "Vocabulary", "then_schema", "unknown_name"]


@dataclass(frozen=True)
class Vocabulary:
    """What names a rule may mention: categories, tags, exercise ids, constraints, directives.

    `exercise_ids=None` skips the exercise-id check (a ruleset checked without a catalog).
    """

    categories: frozenset[str] = frozenset(CATEGORY_IDS)
    tags: frozenset[str] = frozenset(TAGS)
    exercise_ids: frozenset[str] | None = None
    constraints: Mapping[str, Any] = field(default_factory=dict)  # name -> engine.Constraint
    directives: Mapping[str, DirectiveSpec] = field(default_factory=dict)  # plugin directives


def _names(kind: str, known: Iterable[str] | None) -> fields.List:
    """A list of names that must come from `known` (unchecked when `known` is None)."""
    known_set = None if known is None else frozenset(known)

    def check(values: list[str]) -> None:
        if known_set is None:
            return
        for value in values:
            if value not in known_set:
                raise ValidationError(unknown_name(kind, value, known_set))

    return fields.List(fields.String(), validate=[validate.Length(min=1, max=200), check])


def unknown_name(kind: str, value: str, known: Iterable[str]) -> str:
    """The message for a name nobody provides, with the closest known one and the known ones."""
    import difflib

    ordered = sorted(known)
    close = difflib.get_close_matches(value, ordered, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    shown = ", ".join(ordered[:12]) + (", …" if len(ordered) > 12 else "")
    return f"unknown {kind} '{value}'; {hint}known: {shown}"


class RangeSchema(Schema):
    """An inclusive bound; either end may be omitted. `{max: 2}` means at most 2."""

    min = fields.Float(load_default=None)
    max = fields.Float(load_default=None)

    def __init__(self, lo: float, hi: float, integer: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lo, self.hi, self.integer = lo, hi, integer

    @validates_schema
    def _in_bounds(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("min") is None and data.get("max") is None:
            raise ValidationError("give at least one of 'min' or 'max'")
        for end in ("min", "max"):
            value = data.get(end)
            if value is None:
                continue
            if self.integer and value != int(value):
                raise ValidationError(f"must be a whole number, not {value}", end)
            if not self.lo <= value <= self.hi:
                raise ValidationError(f"must be between {self.lo:g} and {self.hi:g}", end)
        if data.get("min") is not None and data.get("max") is not None:
            if data["min"] > data["max"]:
                raise ValidationError(f"min {data['min']:g} is above max {data['max']:g}")


def _range(lo: float, hi: float, integer: bool = True) -> fields.Nested:
    return fields.Nested(RangeSchema(lo, hi, integer))


class IntensitySchema(Schema):
    pct_1rm = _range(20, 100)
    rpe = _range(1, 10, integer=False)
    rir = _range(0, 10)


def _dose_fields() -> dict[str, fields.Field]:
    return {
        "sets": _range(1, 10),
        "reps": _range(1, 50),
        "seconds": _range(5, 600),
        "ground_contacts": _range(5, 200),
        "intensity": fields.Nested(IntensitySchema),
        "rest_s": _range(0, 600),
    }


def then_schema(vocab: Vocabulary | None = None) -> Schema:
    """Build the schema of a rule's `then` mapping for the given vocabulary."""
    vocab = vocab or Vocabulary()
    def category_names() -> fields.List:
        return _names("category", vocab.categories)

    def tag_names() -> fields.List:
        return _names("tag", vocab.tags)

    def exercise_ids() -> fields.List:
        return _names("exercise", vocab.exercise_ids)

    weighted = vocab.categories | vocab.tags

    class ScopeSchema(Schema):
        categories = category_names()
        tags = tag_names()
        exercises = exercise_ids()

    PrescribeSchema = Schema.from_dict(
        {"for": fields.Nested(ScopeSchema, required=True), **_dose_fields()},
        name="PrescribeSchema",
    )

    class RequireSchema(Schema):
        categories = category_names()
        tags = tag_names()
        exercises = exercise_ids()
        count = fields.Integer(load_default=1, strict=True, validate=validate.Range(1, 14))
        per = fields.String(load_default="week", validate=validate.OneOf(["session", "week"]))

        @validates_schema
        def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
            if not (data.get("categories") or data.get("tags") or data.get("exercises")):
                raise ValidationError("name at least one of categories, tags or exercises")

    class ExcludeSchema(Schema):
        categories = category_names()
        tags = tag_names()
        exercises = exercise_ids()
        equipment = _names("equipment", EQUIPMENT)
        impact = _names("impact level", IMPACT_LEVELS)
        levels = _names("level", LEVELS)
        novel = fields.Boolean(truthy={True}, falsy={False})

    class ProtocolSchema(Schema):
        id = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9_-]*$"))
        exercises = exercise_ids()
        tags = tag_names()
        per_week = fields.Integer(required=True, strict=True, validate=validate.Range(1, 14))
        sets = fields.Integer(strict=True, validate=validate.Range(1, 10))
        reps = fields.Integer(strict=True, validate=validate.Range(1, 50))
        seconds = fields.Integer(strict=True, validate=validate.Range(5, 600))
        note = fields.String(validate=validate.Length(max=500))

        @validates_schema
        def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
            if not (data.get("exercises") or data.get("tags")):
                raise ValidationError("name the exercises or tags the protocol prescribes")

    class AwayFromSchema(Schema):
        events = _names("event", (*KEY_RUN_TYPES,))
        kinds = _names("kind", ("heavy", "plyometric", "any"))
        hours_before = fields.Integer(strict=True, validate=validate.Range(0, 24 * 21))
        hours_after = fields.Integer(strict=True, validate=validate.Range(0, 24 * 7))

        @validates_schema
        def _complete(self, data: dict[str, Any], **kwargs: Any) -> None:
            for key in ("events", "kinds"):
                if not data.get(key):
                    raise ValidationError("Missing data for required field.", key)
            if data.get("hours_before") is None and data.get("hours_after") is None:
                raise ValidationError("give hours_before and/or hours_after")

    def _one_or_many(schema: type[Schema]) -> fields.Field:
        return _OneOrMany(schema)

    constraint_names = frozenset(vocab.constraints)

    def _check_constraints(value: dict[str, Any]) -> None:
        if not constraint_names and not vocab.constraints:
            return  # checked without plugins: names cannot be verified
        for name, params in value.items():
            if name not in constraint_names:
                raise ValidationError(unknown_name("constraint", name, constraint_names))
            schema_cls = getattr(vocab.constraints[name], "params_schema", None)
            if schema_cls is not None:
                schema_cls().load(params or {})  # raises ValidationError with field messages

    def _check_emphasis(value: dict[str, float]) -> None:
        for name in value:
            if name not in weighted:
                raise ValidationError(unknown_name("category or tag", name, weighted))

    base: dict[str, fields.Field] = {
        "sessions_per_week": _range(0, 7),
        "session_minutes": _range(5, 180),
        "sets": _range(1, 10),
        "reps": _range(1, 50),
        "intensity": fields.Nested(IntensitySchema),
        "rest_s": _range(0, 600),
        "prescribe": fields.List(fields.Nested(PrescribeSchema), validate=validate.Length(1, 50)),
        "volume_scale": fields.Float(validate=validate.Range(0.1, 2.0)),
        "require": _one_or_many(RequireSchema),
        "emphasis": fields.Dict(
            keys=fields.String(),
            values=fields.Float(validate=validate.Range(0, 5)),
            validate=_check_emphasis,
        ),
        "exclude": fields.Nested(ExcludeSchema),
        "constraints": fields.Dict(
            keys=fields.String(),
            values=fields.Raw(allow_none=True),
            validate=_check_constraints,
        ),
        "protocol": _one_or_many(ProtocolSchema),
        "spacing": fields.Nested(
            Schema.from_dict(
                {"heavy_hours": fields.Integer(strict=True, validate=validate.Range(0, 24 * 7))},
                name="SpacingSchema",
            )
        ),
        "away_from": _one_or_many(AwayFromSchema),
        "after_run": fields.Nested(
            Schema.from_dict(
                {
                    "min_hours": fields.Integer(
                        required=True, strict=True, validate=validate.Range(0, 24)
                    )
                },
                name="AfterRunSchema",
            )
        ),
        "notes": fields.List(
            fields.String(validate=validate.Length(1, 500)), validate=validate.Length(1, 20)
        ),
        "set": fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True)),
    }
    for name, spec in vocab.directives.items():
        if name in base:
            continue  # a plugin cannot redefine a built-in directive; the manager reports it
        base[name] = spec.field
    ThenSchema = Schema.from_dict(base, name="ThenSchema")
    return ThenSchema()


class _OneOrMany(fields.Field):
    """A mapping or a list of mappings, loaded as a list."""

    def __init__(self, schema: type[Schema], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.schema = schema()
        self.many = schema(many=True)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[Any]:
        if isinstance(value, Mapping):
            return [self.schema.load(value)]
        if isinstance(value, list) and value:
            return list(self.many.load(value))
        raise ValidationError("expected a mapping or a non-empty list of mappings")


DIRECTIVES: dict[str, str] = {
    "sessions_per_week": "bounds on strength sessions in the plan week: {min, max}",
    "session_minutes": "bounds on minutes per session: {min, max}",
    "sets": "bounds on sets per exercise: {min, max}",
    "reps": "bounds on reps per set: {min, max}",
    "intensity": "bounds on load: {pct_1rm: {min,max}, rpe: {min,max}, rir: {min,max}}",
    "rest_s": "bounds on rest between sets in seconds: {min, max}",
    "prescribe": "doses scoped to categories/tags/exercises: [{for: {...}, sets, reps, …}]",
    "volume_scale": "multiply planned sets by this factor (the smallest fired factor wins)",
    "require": "categories/tags/exercises that must appear: {categories, count, per}",
    "emphasis": "selection weights per category or tag: {core: 1.5, plyometrics: 0}",
    "exclude": "remove candidates by categories, tags, exercises, equipment, impact, levels, novel",
    "constraints": "apply named constraints with parameters: {max_impact: {max: low}}",
    "protocol": "an exercise or tag on its own frequency: {id, exercises, per_week, sets, reps}",
    "spacing": "minimum hours between heavy sessions: {heavy_hours: 72}",
    "away_from": "keep heavy/plyometric work away from races and key runs",
    "after_run": "on a key-run day, lift after the run and at least min_hours later",
    "notes": "notes to the athlete",
    "set": "derive facts other rules then see: {phase: taper}",
}
