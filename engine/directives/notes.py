"""`notes` to the athlete, and `set`, which derives facts while the rules evaluate."""

from __future__ import annotations

from marshmallow import fields, validate
from stridewise.directives.merge import NotesMerge
from stridewise.models import DirectiveSpec

__all__ = ["SPECS"]

SPECS = [
    DirectiveSpec(
        "notes", "notes to the athlete",
        merge=NotesMerge(), stage="notes",
        field_for=lambda vocab: fields.List(fields.String(validate=validate.Length(1, 500)),
                                            validate=validate.Length(1, 20)),
        value="list of 1–20 strings (≤ 500 characters) for the athlete",
        example='`notes: ["Keep jumps out while the knee settles."]`',
    ),
    # No merge: the rules core applies `set` while it evaluates (forward chaining) and takes it
    # out of the rule's `then`, so it never reaches conflict resolution or the planner.
    DirectiveSpec(
        "set", "derive facts other rules then see",
        stage="rules",
        field_for=lambda vocab: fields.Dict(keys=fields.String(),
                                            values=fields.Raw(allow_none=True)),
        value="`{fact: value}` derived facts (below)", example="`set: {phase: taper}`",
    ),
]
