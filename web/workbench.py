"""The coach's workbench: the page at `/` and the draft endpoints it calls (never activating).

`page` serves `static/workbench/` (and the vendored editor under `static/vendor/`); `api` is
the flask-smorest blueprint with the sample athletes, the active rule files and
`POST /v1/workbench:run` (the week and every rule explained, for draft rule text).
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint as FlaskBlueprint
from flask import Response, jsonify, send_from_directory
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields
from stridewise.errors import ContextError, RulesetError

from .api import load_json
from .ical import calendar_response, wants_calendar
from .problems import PROBLEM_MIMETYPE, context_problem, problem, problem_response, problem_type
from .schemas import ProblemSchema, ValidateRequestSchema
from .state import state

__all__ = ["api", "draft_problem", "page"]

STATIC = Path(__file__).parent / "static"

page = FlaskBlueprint("workbench_page", __name__, static_folder=None)
api = Blueprint(
    "workbench", __name__, url_prefix="/v1",
    description="The workbench page's drafts: sample athletes, rule files, draft runs.",
)


class RunRequestSchema(Schema):
    """Draft rule files (as for :validate) and one athlete context."""

    class Meta:
        unknown = RAISE

    files = ValidateRequestSchema().fields["files"]
    context = fields.Raw(required=True, metadata={"description": "An athlete context."})


def draft_problem(error: RulesetError) -> Response:
    """The 422 problem for draft rules that do not load, with every diagnostic."""
    diagnostics = [d.to_dict() | {"text": str(d)} for d in error.diagnostics]
    return problem(
        422, title="Invalid draft ruleset",
        detail=f"The draft rules do not load ({len(diagnostics)} problem(s)); see diagnostics.",
        type_=problem_type("invalid-ruleset"), diagnostics=diagnostics,
    )


@page.route("/")
def index() -> Response:
    """The workbench page."""
    return send_from_directory(STATIC / "workbench", "index.html", max_age=0)


@page.route("/workbench/<path:filename>")
def assets(filename: str) -> Response:
    """The page's own scripts and styles."""
    return send_from_directory(STATIC / "workbench", filename, max_age=0)


@page.route("/vendor/<path:filename>")
def vendor(filename: str) -> Response:
    """The vendored editor component (CodeMirror 5, see static/vendor/codemirror/README.md)."""
    return send_from_directory(STATIC / "vendor", filename, max_age=3600)


@api.route("/samples")
@api.alt_response(200, success=True, description="The sample athlete contexts of the corpus.")
def samples() -> Response:
    """The sample athletes (`rulesets/samples/athletes.jsonl`), as request bodies."""
    from stridewise.samples import load_samples

    athletes = load_samples()
    return jsonify(count=len(athletes), athletes=athletes)


@api.route("/workbench/rules")
@api.alt_response(200, success=True, description="The active ruleset's files and their text.")
def rule_files() -> Response:
    """The active rule files by name, to start a draft from."""
    from stridewise.workbench import active_files

    engine = state().engine
    files = [{"name": f["name"], "text": f["text"]} for f in active_files(engine)]
    return jsonify(ruleset=engine.ruleset.ref(), files=files)


@api.route("/workbench:run", methods=["POST"])
@api.doc(requestBody={"required": True,
                      "content": {"application/json": {"schema": RunRequestSchema}}})
@api.alt_response(200, success=True,
                  description="The draft's recommendation and every rule, fired or not, why "
                  "(or, with Accept: text/calendar, the draft week as RFC 5545).")
@api.alt_response(422, schema=ProblemSchema, content_type=PROBLEM_MIMETYPE)
def run() -> Response:
    """Plan with draft rules (never activated): the week and each rule's explanation."""
    from stridewise.workbench import run_draft

    loaded = load_json(RunRequestSchema())
    try:
        result = run_draft(state().engine, loaded["files"], loaded["context"])
    except ContextError as err:
        return problem_response(context_problem(err, ("context",)))
    except RulesetError as err:
        return draft_problem(err)
    if wants_calendar():  # the draft week for the athlete's calendar
        return calendar_response(result["recommendation"], loaded["context"])
    return jsonify(result)
