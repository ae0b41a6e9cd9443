"""Marshmallow schemas of the HTTP API: they validate requests and document /openapi.json.

The athlete context is `stridewise.context.AthleteContextSchema` itself and the plan is
`stridewise.response`'s schema, so the API cannot drift from the engine.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate
from stridewise.context import AthleteContextSchema
from stridewise.models import EQUIPMENT
from stridewise.response import ResponseSchema

__all__ = [
    "AthleteContextSchema",
    "BatchItemSchema",
    "BatchRequestSchema",
    "BatchResponseSchema",
    "DiagnosticSchema",
    "ExerciseQuerySchema",
    "FieldErrorSchema",
    "HealthSchema",
    "ProblemSchema",
    "RecommendationSchema",
    "RulesetStatusSchema",
    "ValidateRequestSchema",
    "ValidateResponseSchema",
]

BATCH_MAX_ITEMS = 1000


class RecommendationSchema(ResponseSchema):
    """The design §6 response (stridewise.response's schema, named "Recommendation" here)."""


class FieldErrorSchema(Schema):
    """One invalid field: a JSON pointer into the body, or a query parameter name."""

    pointer = fields.String(metadata={"example": "/race/days_until"})
    parameter = fields.String(metadata={"example": "category"})
    detail = fields.String(required=True)


class ProblemSchema(Schema):
    """RFC 9457 problem details (application/problem+json)."""

    type = fields.String(
        required=True, metadata={"example": "urn:stridewise:problem:invalid-context"}
    )
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    instance = fields.String(metadata={"description": "The request path."})
    request_id = fields.String()
    errors = fields.List(fields.Nested(FieldErrorSchema))


class BatchRequestSchema(Schema):
    """Many athlete contexts answered in one request (each item is validated on its own)."""

    contexts = fields.List(
        fields.Nested(AthleteContextSchema),
        required=True,
        validate=validate.Length(min=1, max=BATCH_MAX_ITEMS),
    )


class BatchItemSchema(Schema):
    """One answered context: its plan, or its own problem object."""

    index = fields.Integer(required=True)
    status = fields.Integer(required=True, metadata={"description": "200, or the problem's status"})
    recommendation = fields.Nested(RecommendationSchema)
    problem = fields.Nested(ProblemSchema)
    decision_id = fields.String(metadata={
        "description": "With decision logging on, the id of this plan's logged decision "
                       "(what X-Stridewise-Decision-Id is for one request)"})


class BatchResponseSchema(Schema):
    """Results in request order; the ruleset version is the same for every item."""

    ruleset = fields.Dict(required=True)
    count = fields.Integer(required=True)
    failed = fields.Integer(required=True)
    results = fields.List(fields.Nested(BatchItemSchema), required=True)


class ExerciseQuerySchema(Schema):
    """Filters for GET /v1/exercises; repeat a parameter to give several values."""

    category = fields.List(
        fields.String(), metadata={"description": "Only exercises in any of these categories."}
    )
    tag = fields.List(
        fields.String(), metadata={"description": "Only exercises with any of these tags."}
    )
    uses = fields.List(
        fields.String(validate=validate.OneOf(EQUIPMENT)),
        metadata={"description": "Only exercises that need any of this equipment."},
    )
    equipment = fields.List(
        fields.String(validate=validate.OneOf(EQUIPMENT)),
        metadata={"description": "Only exercises doable with this equipment (bodyweight always)."},
    )


class ValidateRequestSchema(Schema):
    """Rule files to check: file name -> YAML text (or one file as an application/yaml body)."""

    files = fields.Dict(
        keys=fields.String(
            validate=validate.Regexp(
                r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$",
                error="A file name is letters, digits, '_', '-' and '.', not starting with '.'.",
            )
        ),
        values=fields.String(),
        required=True,
        validate=validate.Length(min=1, max=100),
    )


class DiagnosticSchema(Schema):
    """One problem in a posted rule file."""

    file = fields.String(required=True)
    line = fields.Integer(required=True)
    col = fields.Integer(required=True)
    severity = fields.String(required=True)
    message = fields.String(required=True)
    text = fields.String(metadata={"example": "taper.yaml:14:11: unknown category 'mobilty'"})


class ValidateResponseSchema(Schema):
    """The verdict on posted rule files; they are never activated."""

    valid = fields.Boolean(required=True)
    files = fields.List(fields.String(), required=True)
    diagnostics = fields.List(fields.Nested(DiagnosticSchema), required=True)


class RulesetStatusSchema(Schema):
    """The active ruleset and the state of loading and hot reload."""

    name = fields.String()
    version = fields.String()
    files = fields.List(fields.Raw())
    status = fields.String()
    last_error = fields.Raw(allow_none=True)
    reload = fields.Dict()
    engine = fields.Dict(metadata={"description": "Engine.status() as reported by the engine."})


class HealthSchema(Schema):
    """Liveness or readiness."""

    status = fields.String(required=True)
    ruleset = fields.Dict()
    detail = fields.Raw()
