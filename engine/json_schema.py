"""JSON Schema (draft 2020-12) for rule files and rule-test files, for editor completion.

Generated, never written by hand: the rule-file schema walks the marshmallow schemas the loader
validates with (`rules.schema.RuleFileSchema`) and each directive's field from the directive
registry (`directives.directive_fields`), with its one-line description; the rule-test schema
comes from the rule-test keys and the athlete-context schema. Names (categories, tags, exercise
ids) are the vocabulary in effect, so a plugin's `foot_strength` completes too. What JSON Schema
cannot say (a condition's grammar, cross-field bounds) stays with `stridewise check`.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate
from stridewise.directives import Vocabulary, directive_fields
from stridewise.directives.vocabulary import OneOrMany, RangeSchema

__all__ = ["DRAFT", "field_schema", "rules_schema", "schema_of", "tests_schema"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://stridewise.dev/schemas/"


def rules_schema(vocabulary: Vocabulary | None = None) -> dict[str, Any]:
    """The schema of one rule file, with every directive in effect under `then`."""
    from stridewise.rules.schema import RuleFileSchema, RuleSchema

    then: dict[str, Any] = {
        "type": "object",
        "description": "What the plan must respect when the condition holds (docs/rules.md).",
        "properties": {
            spec.name: {**field_schema(fld), "description": spec.description}
            for spec, fld in directive_fields(vocabulary)
        },
        "additionalProperties": False,
        "minProperties": 1,
    }
    rule = schema_of(RuleSchema())
    rule["properties"]["then"] = then
    rule["properties"]["when"] = {
        "type": ["string", "boolean"],
        "description": "A condition over the athlete's facts, e.g. phase == \"peak\" and "
                       "race.days_until <= 21 (or true). Quote it whole when it starts with a "
                       "quote.",
    }
    body = schema_of(RuleFileSchema())
    body["properties"]["rules"] = {"type": "array", "items": rule, "maxItems": 5000}
    return {"$schema": DRAFT, "$id": BASE_ID + "rules.json",
            "title": "Stridewise rule file", **body}


def tests_schema(vocabulary: Vocabulary | None = None) -> dict[str, Any]:
    """The schema of one rule-test file (docs/rules-testing.md)."""
    from stridewise.context import AthleteContextSchema
    from stridewise.ruletests.checks import PLAN_KEYS

    context = schema_of(AthleteContextSchema())
    context.pop("required", None)  # a case's context is merged over base_context
    names = sorted(spec.name for spec, _ in directive_fields(vocabulary))
    expect = {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": {
            "fired": {"type": "array", "items": {"type": "string"},
                      "description": "Rule ids that must fire."},
            "not_fired": {"type": "array", "items": {"type": "string"},
                          "description": "Rule ids that must not fire."},
            "directives": {"type": "object", "propertyNames": {"enum": names},
                           "description": "Resolved directives that must hold (partial match)."},
            "plan": {"type": "object", "propertyNames": {"enum": sorted(PLAN_KEYS)},
                     "description": "Properties of the plan the athlete gets."},
            "error": {"type": "string",
                      "description": "The context must be refused with an error containing this."},
        },
    }
    case = {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "expect"],
        "properties": {"name": {"type": "string", "minLength": 1},
                       "context": {"type": "object"}, "expect": expect},
        # a case that expects the context to be refused may hold any context
        "if": {"properties": {"expect": {"required": ["error"]}}, "required": ["expect"]},
        "else": {"properties": {"context": context}},
    }
    return {
        "$schema": DRAFT, "$id": BASE_ID + "tests.json", "title": "Stridewise rule-test file",
        "type": "object",
        "additionalProperties": False,
        "required": ["cases"],
        "properties": {
            "ruleset": {"type": "string",
                        "description": "The rule directory under test, relative to this file."},
            "base_context": context,
            "cases": {"type": "array", "items": case, "minItems": 1},
        },
    }


def schema_of(schema: Schema) -> dict[str, Any]:
    """A closed JSON object schema for a marshmallow schema (unknown keys are errors there)."""
    if isinstance(schema, RangeSchema):
        return _range(schema)
    properties = {name: field_schema(fld) for name, fld in schema.fields.items()
                  if not fld.dump_only}
    out: dict[str, Any] = {"type": "object", "properties": properties,
                           "additionalProperties": False}
    required = [name for name, fld in schema.fields.items() if fld.required]
    if required:
        out["required"] = required
    doc = (type(schema).__doc__ or "").strip().splitlines()
    if doc and not doc[0].startswith("Schema"):
        out["description"] = doc[0]
    return out


def _range(schema: RangeSchema) -> dict[str, Any]:
    end = {"type": "integer" if schema.integer else "number",
           "minimum": schema.lo, "maximum": schema.hi}
    return {"type": "object", "properties": {"min": end, "max": end},
            "additionalProperties": False, "minProperties": 1,
            "description": "An inclusive bound; give min, max or both."}


_SCALARS: tuple[tuple[type[fields.Field], str], ...] = (
    (fields.Boolean, "boolean"),
    (fields.Integer, "integer"),
    (fields.Number, "number"),
    (fields.Date, "string"),
    (fields.String, "string"),
)


def field_schema(fld: fields.Field) -> dict[str, Any]:
    """The JSON Schema of one marshmallow field (validators mapped where JSON Schema can)."""
    out: dict[str, Any]
    if isinstance(fld, OneOrMany):
        one = schema_of(fld.schema)
        out = {"oneOf": [one, {"type": "array", "items": one, "minItems": 1}]}
    elif isinstance(fld, fields.Nested):
        nested = fld.schema
        out = schema_of(nested)
        if getattr(nested, "many", False):
            out = {"type": "array", "items": out}
    elif isinstance(fld, fields.List):
        items = field_schema(fld.inner)
        if fld.metadata.get("names") is not None:
            items = {**items, "enum": list(fld.metadata["names"])}
        out = {"type": "array", "items": items}
    elif isinstance(fld, fields.Dict):
        out = {"type": "object"}
        if fld.value_field is not None:
            out["additionalProperties"] = field_schema(fld.value_field)
    else:
        kind = next((name for cls, name in _SCALARS if isinstance(fld, cls)), None)
        out = {"type": kind} if kind else {}
        if isinstance(fld, fields.Date):
            out["format"] = "date"
    for rule in _validators(fld):
        _constrain(out, rule)
    if fld.allow_none and out.get("type"):
        out["type"] = [out["type"], "null"] if isinstance(out["type"], str) else out["type"]
    return out


def _validators(fld: fields.Field) -> list[Any]:
    found = fld.validators if isinstance(fld.validators, list) else list(fld.validators)
    return [v for v in found if isinstance(v, validate.Validator)]


def _constrain(out: dict[str, Any], rule: validate.Validator) -> None:
    kind = out.get("type")
    if isinstance(rule, validate.OneOf):
        out["enum"] = list(rule.choices)
    elif isinstance(rule, validate.Range):
        if rule.min is not None:
            out["exclusiveMinimum" if not rule.min_inclusive else "minimum"] = rule.min
        if rule.max is not None:
            out["exclusiveMaximum" if not rule.max_inclusive else "maximum"] = rule.max
    elif isinstance(rule, validate.Length):
        prefix = {"array": "Items", "object": "Properties"}.get(str(kind), "Length")
        if rule.min is not None:
            out[f"min{prefix}"] = rule.min
        if rule.max is not None:
            out[f"max{prefix}"] = rule.max
        if rule.equal is not None:
            out[f"min{prefix}"] = out[f"max{prefix}"] = rule.equal
    elif isinstance(rule, validate.Regexp):
        out["pattern"] = rule.regex.pattern
