"""POST /v1/rulesets:diff: what draft rule files change over the sample corpus (never activated).

The workbench's diff view calls it; the analysis is `stridewise.impact.diff_rulesets`, the same
comparison `stridewise diff` prints.
"""

from __future__ import annotations

from flask import Response, jsonify
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields, validate
from stridewise.errors import RulesetError

from .api import load_json
from .problems import PROBLEM_MIMETYPE
from .schemas import ProblemSchema, ValidateRequestSchema
from .state import state
from .workbench import draft_problem

__all__ = ["api"]

api = Blueprint("impact", __name__, url_prefix="/v1",
                description="What a draft ruleset changes for the sample athletes.")


class DiffRequestSchema(Schema):
    """Draft rule files and, optionally, the contexts to compare on (default: the samples)."""

    class Meta:
        unknown = RAISE

    files = ValidateRequestSchema().fields["files"]
    contexts = fields.List(fields.Dict(), validate=validate.Length(min=1, max=500),
                           metadata={"description": "Default: the sample corpus."})


@api.route("/rulesets:diff", methods=["POST"])
@api.doc(requestBody={"required": True,
                      "content": {"application/json": {"schema": DiffRequestSchema}}})
@api.alt_response(200, success=True, description="Per athlete: sessions, exercises, doses and "
                  "rules that change; a summary with both versions.")
@api.alt_response(422, schema=ProblemSchema, content_type=PROBLEM_MIMETYPE)
def diff() -> Response:
    """Compare the draft with the active ruleset over the sample athletes."""
    from stridewise.impact import impact

    loaded = load_json(DiffRequestSchema())
    try:
        return jsonify(impact(state().engine, loaded["files"], loaded.get("contexts")))
    except RulesetError as err:
        return draft_problem(err)
