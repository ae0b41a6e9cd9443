"""Removing candidates: `exclude` (by names, equipment, impact, level, novelty) and
`constraints` (named, parameterised predicates from plugins)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields
from stridewise.directives.merge import ApplyAllMerge, UnionMerge
from stridewise.directives.vocabulary import Vocabulary, names, scope_fields, unknown_name
from stridewise.models import EQUIPMENT, IMPACT_LEVELS, LEVELS, DirectiveSpec

__all__ = ["EXCLUDE_KINDS", "SPECS"]

EXCLUDE_KINDS = ("categories", "tags", "exercises", "equipment", "impact", "levels")


def _exclude_field(vocab: Vocabulary) -> fields.Field:
    schema = Schema.from_dict({
        **scope_fields(vocab),
        "equipment": names("equipment", EQUIPMENT),
        "impact": names("impact level", IMPACT_LEVELS),
        "levels": names("level", LEVELS),
        "novel": fields.Boolean(truthy={True}, falsy={False}),
    }, name="ExcludeSchema")
    return fields.Nested(schema)


def _constraints_field(vocab: Vocabulary) -> fields.Field:
    known = frozenset(vocab.constraints)

    def check(value: dict[str, Any]) -> None:
        if not known:
            return  # checked without plugins: names cannot be verified
        for name, params in value.items():
            if name not in known:
                raise ValidationError(unknown_name("constraint", name, known))
            schema_cls = getattr(vocab.constraints[name], "params_schema", None)
            if schema_cls is not None:
                schema_cls().load(params or {})  # raises ValidationError with field messages

    return fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), validate=check)


SPECS = [
    DirectiveSpec(
        "exclude", "remove candidates by categories, tags, exercises, equipment, impact, "
        "levels or novelty",
        merge=UnionMerge(EXCLUDE_KINDS, flags=("novel",)), stage="candidates",
        field_for=_exclude_field,
        value="`{categories, tags, exercises, equipment, impact, levels, novel: true}`",
        example="`exclude: {impact: [high], novel: true}`",
    ),
    DirectiveSpec(
        "constraints", "apply named constraints with parameters",
        merge=ApplyAllMerge(), stage="candidates", field_for=_constraints_field,
        value="`{constraint name: parameters}` (names come from plugins)",
        example="`constraints: {max_impact: {max: low}}`",
    ),
]
