"""`emphasis`: selection weights per category or tag (0 removes a category's quota)."""

from __future__ import annotations

import operator

from marshmallow import ValidationError, fields, validate
from stridewise.directives.merge import PriorityMerge
from stridewise.directives.vocabulary import Vocabulary, unknown_name
from stridewise.models import DirectiveSpec

__all__ = ["SPECS"]


def _emphasis_field(vocab: Vocabulary) -> fields.Field:
    weighted = vocab.categories | vocab.tags

    def check(value: dict[str, float]) -> None:
        for name in value:
            if name not in weighted:
                raise ValidationError(unknown_name("category or tag", name, weighted))

    return fields.Dict(keys=fields.String(), values=fields.Float(validate=validate.Range(0, 5)),
                       validate=check)


SPECS = [
    DirectiveSpec(
        "emphasis", "selection weights per category or tag",
        merge=PriorityMerge(tie=operator.mul, cast=float), stage="fill",
        field_for=_emphasis_field,
        value="`{category or tag: weight 0–5}`",
        example="`emphasis: {hip_abduction: 1.5, plyometrics: 0}`",
    ),
]
