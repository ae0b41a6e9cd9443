"""`protocol`: an exercise or tag on its own weekly frequency (rehab such as Alfredson).

`stages` progress the protocol in the data: each stage from its protocol `week` on overrides
`per_week`, `sets`, `reps` or `seconds` (and adds its note). The protocol week counts from the
`since` date of the athlete's injury that `injury: {site, condition}` names (so a plan continues
a protocol instead of restarting it), or from the plan's first day.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from stridewise.directives.merge import PriorityMerge
from stridewise.directives.vocabulary import OneOrMany, Vocabulary, names
from stridewise.models import INJURY_CONDITIONS, INJURY_SITES, DirectiveSpec

__all__ = ["SPECS"]


class _ProtocolChecks(Schema):
    @validates_schema
    def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not (data.get("exercises") or data.get("tags")):
            raise ValidationError("name the exercises or tags the protocol prescribes")


def _stages_in_order(stages: list[dict[str, Any]]) -> None:
    weeks = [s["week"] for s in stages]
    if weeks[0] != 1 or weeks != sorted(set(weeks)):
        raise ValidationError("stages start at week 1 and their weeks rise: "
                              f"got {', '.join(map(str, weeks))}")


def _protocol_field(vocab: Vocabulary) -> fields.Field:
    def count(lo: int, hi: int, **kwargs: Any) -> fields.Integer:
        return fields.Integer(strict=True, validate=validate.Range(lo, hi), **kwargs)

    stage = Schema.from_dict({
        "week": count(1, 52, required=True),
        "per_week": count(1, 14),
        "sets": count(1, 10),
        "reps": count(1, 50),
        "seconds": count(5, 600),
        "note": fields.String(validate=validate.Length(max=300)),
    }, name="ProtocolStageSchema")
    injury = Schema.from_dict({
        "site": fields.String(validate=validate.OneOf(INJURY_SITES)),
        "condition": fields.String(validate=validate.OneOf(INJURY_CONDITIONS)),
    }, name="ProtocolInjurySchema")
    schema = _ProtocolChecks.from_dict({
        "id": fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9_-]*$")),
        "exercises": names("exercise", vocab.exercise_ids),
        "tags": names("tag", vocab.tags),
        "per_week": count(1, 14, required=True),
        "sets": count(1, 10),
        "reps": count(1, 50),
        "seconds": count(5, 600),
        "note": fields.String(validate=validate.Length(max=500)),
        "stages": fields.List(fields.Nested(stage), validate=[validate.Length(1, 12),
                                                              _stages_in_order]),
        "injury": fields.Nested(injury),
    }, name="ProtocolSchema")
    return OneOrMany(schema)


SPECS = [
    DirectiveSpec(
        "protocol", "an exercise or tag on its own weekly frequency",
        merge=PriorityMerge(key="id"), stage="protocols", field_for=_protocol_field,
        value="`{id, exercises or tags, per_week: 1–14, sets, reps, seconds, note, stages: "
              "[{week, per_week, sets, reps, seconds, note}], injury: {site, condition}}` "
              "or a list",
        example="`protocol: {id: alfredson, exercises: [eccentric_heel_drop_straight_knee], "
                "per_week: 7, sets: 3, reps: 15}`",
    ),
]
