"""What names a rule may mention, and the field builders directive schemas share.

`Vocabulary` carries the names in effect (categories, tags, exercise ids, constraints and the
directives of the loaded plugins); the builders here make marshmallow fields that check names
against it, bounds (`{min, max}`) and "a mapping or a list of mappings".
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from stridewise.models import CATEGORY_IDS, TAGS, DirectiveSpec

__all__ = [
    "IntensitySchema",
    "OneOrMany",
    "RangeSchema",
    "Vocabulary",
    "names",
    "range_field",
    "scope_fields",
    "unknown_name",
]


@dataclass(frozen=True)
class Vocabulary:
    """What names a rule may mention: categories, tags, exercise ids, constraints, directives.

    `exercise_ids=None` skips the exercise-id check (a ruleset checked without a catalog).
    `directives` are the plugins' specs; the built-in ones are always in effect.
    """

    categories: frozenset[str] = frozenset(CATEGORY_IDS)
    tags: frozenset[str] = frozenset(TAGS)
    exercise_ids: frozenset[str] | None = None
    constraints: Mapping[str, Any] = field(default_factory=dict)  # name -> engine.Constraint
    directives: Mapping[str, DirectiveSpec] = field(default_factory=dict)


def unknown_name(kind: str, value: str, known: Iterable[str]) -> str:
    """The message for a name nobody provides, with the closest known one and the known ones."""
    ordered = sorted(known)
    close = difflib.get_close_matches(value, ordered, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    shown = ", ".join(ordered[:12]) + (", …" if len(ordered) > 12 else "")
    return f"unknown {kind} '{value}'; {hint}known: {shown}"


def names(kind: str, known: Iterable[str] | None) -> fields.List:
    """A list of names that must come from `known` (unchecked when `known` is None)."""
    known_set = None if known is None else frozenset(known)

    def check(values: list[str]) -> None:
        if known_set is None:
            return
        for value in values:
            if value not in known_set:
                raise ValidationError(unknown_name(kind, value, known_set))

    # `names` lets generated JSON Schemas offer the known names for editor completion.
    shown = {"names": sorted(known_set)} if known_set is not None else {}
    return fields.List(fields.String(), validate=[validate.Length(min=1, max=200), check],
                       metadata=shown)


def scope_fields(vocab: Vocabulary) -> dict[str, fields.Field]:
    """`categories`, `tags` and `exercises` name lists, checked against the vocabulary."""
    return {
        "categories": names("category", vocab.categories),
        "tags": names("tag", vocab.tags),
        "exercises": names("exercise", vocab.exercise_ids),
    }


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


def range_field(lo: float, hi: float, integer: bool = True) -> fields.Nested:
    """A `{min, max}` bound within lo..hi."""
    return fields.Nested(RangeSchema(lo, hi, integer))


class IntensitySchema(Schema):
    pct_1rm = range_field(20, 100)
    rpe = range_field(1, 10, integer=False)
    rir = range_field(0, 10)


class OneOrMany(fields.Field):
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
