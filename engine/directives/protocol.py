"""`protocol`: an exercise or tag on its own weekly frequency (rehab such as Alfredson)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from stridewise.directives.merge import PriorityMerge
from stridewise.directives.vocabulary import OneOrMany, Vocabulary, names
from stridewise.models import DirectiveSpec

__all__ = ["SPECS"]


class _ProtocolChecks(Schema):
    @validates_schema
    def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not (data.get("exercises") or data.get("tags")):
            raise ValidationError("name the exercises or tags the protocol prescribes")


def _protocol_field(vocab: Vocabulary) -> fields.Field:
    def count(lo: int, hi: int, **kwargs: Any) -> fields.Integer:
        return fields.Integer(strict=True, validate=validate.Range(lo, hi), **kwargs)

    schema = _ProtocolChecks.from_dict({
        "id": fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9_-]*$")),
        "exercises": names("exercise", vocab.exercise_ids),
        "tags": names("tag", vocab.tags),
        "per_week": count(1, 14, required=True),
        "sets": count(1, 10),
        "reps": count(1, 50),
        "seconds": count(5, 600),
        "note": fields.String(validate=validate.Length(max=500)),
    }, name="ProtocolSchema")
    return OneOrMany(schema)


SPECS = [
    DirectiveSpec(
        "protocol", "an exercise or tag on its own weekly frequency",
        merge=PriorityMerge(key="id"), stage="protocols", field_for=_protocol_field,
        value="`{id, exercises or tags, per_week: 1–14, sets, reps, seconds, note}` or a list",
        example="`protocol: {id: alfredson, exercises: [eccentric_heel_drop_straight_knee], "
                "per_week: 7, sets: 3, reps: 15}`",
    ),
]
