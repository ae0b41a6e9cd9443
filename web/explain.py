"""POST /v1/explanations: what `stridewise explain` prints, for one athlete context.

The fired rules with the values they read, the facts `set` changed, the resolved directives
with the rules behind each, and, for the rules asked about (`why_not`, or every rule that did
not fire with `all`), the first false clause with its values or the rules that overrode them.
"""

from __future__ import annotations

from flask import Response, jsonify
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields, validate

from .api import load_json
from .problems import PROBLEM_MIMETYPE, context_problem, problem, problem_response, problem_type
from .schemas import ProblemSchema
from .state import state

__all__ = ["api"]

api = Blueprint("explanations", __name__, url_prefix="/v1",
                description="Why rules fired or did not, for one athlete context.")


class ExplainRequestSchema(Schema):
    """An athlete context and the rules to explain that did not fire."""

    class Meta:
        unknown = RAISE

    context = fields.Dict(required=True, metadata={"description": "The athlete context."})
    why_not = fields.List(fields.String(), load_default=list,
                          validate=validate.Length(max=500),
                          metadata={"description": "Rule ids to explain."})
    all = fields.Boolean(load_default=False,
                         metadata={"description": "Explain every rule that did not fire."})


@api.route("/explanations", methods=["POST"])
@api.doc(requestBody={"required": True,
                      "content": {"application/json": {"schema": ExplainRequestSchema}}})
@api.alt_response(200, success=True, description="Fired rules, changed facts, resolved "
                  "directives and why-not entries, as `stridewise explain --json` prints.")
@api.alt_response(422, schema=ProblemSchema, content_type=PROBLEM_MIMETYPE)
def explanations() -> Response:
    """Explain one athlete context with the active ruleset (nothing is planned differently)."""
    from stridewise.errors import ContextError
    from stridewise.explaining import UnknownRuleError, explain

    loaded = load_json(ExplainRequestSchema())
    try:
        return jsonify(explain(state().engine, loaded["context"], why_not=loaded["why_not"],
                               all_rules=loaded["all"]))
    except ContextError as err:
        return problem_response(context_problem(err, ("context",)))
    except UnknownRuleError as err:
        return problem(422, title="Unknown rule", detail=str(err),
                       type_=problem_type("unknown-rule"))
