"""Dose directives: `prescribe` (doses scoped to categories, tags or exercises) and
`volume_scale` (a factor on every exercise's default sets)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, fields, validate
from stridewise.directives.merge import Ask, Entry, MergePolicy, MinMerge, Resolution
from stridewise.directives.vocabulary import (
    IntensitySchema,
    Vocabulary,
    range_field,
    scope_fields,
)
from stridewise.models import DirectiveSpec

__all__ = ["SPECS", "Scoped", "ScopedMerge"]


@dataclass
class Scoped:
    """A `prescribe` entry: doses for exercises matching `scope` (categories/tags/exercises)."""

    scope: dict[str, list[str]]
    dose: dict[str, Any]
    rule: str
    priority: int


class ScopedMerge(MergePolicy):
    """Every scoped entry in precedence order; the planner intersects, per exercise, the
    entries that match it with the global bounds."""

    summary = ("per exercise, the scoped bounds that match it and the global bounds "
               "intersect in priority order; at equal priority the scoped (more specific) "
               "one wins a conflict")

    def merge(self, name: str, asks: Sequence[Ask], warnings: list[str]) -> Resolution | None:
        out: list[Scoped] = []
        for ask in asks:
            for entry in ask.value or ():
                scope = {k: list(v) for k, v in entry["for"].items() if v}
                dose = {k: v for k, v in entry.items() if k != "for" and v is not None}
                out.append(Scoped(scope, dose, ask.rule, ask.priority))
        if not out:
            return None
        return Resolution(out, list(dict.fromkeys(s.rule for s in out)))

    def then_value(self, resolution: Resolution | None) -> Any:
        scoped = [] if resolution is None else resolution.value
        return [{"for": s.scope, **s.dose} for s in scoped]

    def explain(self, name: str, resolution: Resolution) -> list[Entry]:
        return [(name, {"for": s.scope, **s.dose}, [s.rule]) for s in resolution.value]


def _prescribe_field(vocab: Vocabulary) -> fields.Field:
    scope = Schema.from_dict(scope_fields(vocab), name="ScopeSchema")
    entry = Schema.from_dict(
        {
            "for": fields.Nested(scope, required=True),
            "sets": range_field(1, 10),
            "reps": range_field(1, 50),
            "seconds": range_field(5, 600),
            "ground_contacts": range_field(5, 200),
            "intensity": fields.Nested(IntensitySchema),
            "rest_s": range_field(0, 600),
        },
        name="PrescribeSchema",
    )
    return fields.List(fields.Nested(entry), validate=validate.Length(1, 50))


SPECS = [
    DirectiveSpec(
        "prescribe", "doses scoped to categories, tags or exercises",
        merge=ScopedMerge(), stage="dose", field_for=_prescribe_field,
        value="list of `{for: {categories, tags, exercises}, sets, reps, seconds, "
              "ground_contacts, intensity, rest_s}`",
        example="`prescribe: [{for: {tags: [heavy_capable]}, reps: {min: 3, max: 6}}]`",
    ),
    DirectiveSpec(
        "volume_scale", "multiply every exercise's default sets by this factor",
        merge=MinMerge(), stage="dose",
        field_for=lambda vocab: fields.Float(validate=validate.Range(0.1, 2.0)),
        value="number 0.1–2.0", example="`volume_scale: 0.6`",
    ),
]
