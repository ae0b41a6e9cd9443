"""The design §6 response: a marshmallow schema that dumps a `Plan` plus the rules trace.

`build_response(plan, fired, ruleset)` is the one way a plan leaves the engine; the same
schema classes document the body in OpenAPI (`web/`). Unused prescription fields are null,
`reps` is an int or `{"min", "max"}`, and whole numbers in intensities are dumped as ints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from marshmallow import Schema, fields
from stridewise.models import Exclusion, Plan, PlannedExercise
from stridewise.rules.display import display_path
from stridewise.tables import Table

__all__ = [
    "ExcludedSchema",
    "ExerciseOutSchema",
    "FiredSchema",
    "IntensityOutSchema",
    "PhaseRangeSchema",
    "ResponseSchema",
    "SessionSchema",
    "WeekSchema",
    "build_response",
    "display_path",
    "dump_response",
    "excluded_entries",
    "fired_entries",
    "response_source",
]


def _num(value: float | None) -> int | float | None:
    if value is None or type(value) is int:
        return value
    number = float(value)
    return int(number) if number.is_integer() else number


class RulesetRefSchema(Schema):
    name = fields.String(required=True)
    version = fields.String(required=True)


class Number(fields.Float):
    """A number dumped as an int when whole (82, not 82.0)."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        return _num(value)


class Reps(fields.Raw):
    """Reps: an int, or an inclusive range dumped as `{"min", "max"}`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {
            "description": "an integer, or an inclusive range {min, max}",
            "oneOf": [
                {"type": "integer"},
                {"type": "object", "required": ["min", "max"],
                 "properties": {"min": {"type": "integer"}, "max": {"type": "integer"}}},
            ],
        })
        super().__init__(**kwargs)

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, tuple):
            return {"min": value[0], "max": value[1]}
        return value

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, dict) and set(value) == {"min", "max"}:
            return (int(value["min"]), int(value["max"]))
        raise self.make_error("invalid")


class IntensityOutSchema(Schema):
    pct_1rm = Number(allow_none=True)
    rpe = Number(allow_none=True)
    rir = Number(allow_none=True)


class ExerciseOutSchema(Schema):
    """One planned exercise: catalog facts, the dose, and why it is there."""

    id = fields.String(attribute="exercise.id")
    name = fields.String(attribute="exercise.name")
    categories = fields.List(fields.String(), attribute="exercise.categories")
    equipment = fields.List(fields.String(), attribute="exercise.equipment")
    impact = fields.String(attribute="exercise.impact")
    level = fields.String(attribute="exercise.level")
    tags = fields.List(fields.String(), attribute="exercise.tags")
    primary_muscles = fields.List(fields.String(), attribute="exercise.primary_muscles")
    sets = fields.Integer(attribute="prescription.sets")
    reps = Reps(attribute="prescription.reps", allow_none=True)
    seconds = fields.Integer(attribute="prescription.seconds", allow_none=True)
    ground_contacts = fields.Integer(attribute="prescription.ground_contacts", allow_none=True)
    intensity = fields.Nested(IntensityOutSchema, attribute="prescription.intensity")
    rest_s = fields.Integer(attribute="prescription.rest_s", allow_none=True)
    load_kg = fields.Float(
        allow_none=True,
        metadata={"description": "Kilograms from the athlete's training_log (estimated 1RM and "
                  "double progression, rounded to the equipment's increment); null without a "
                  "logged load for this exercise."})
    load_basis = fields.String(
        allow_none=True,
        metadata={"description": "Why load_kg is what it is, e.g. '62.5 kg because every set "
                  "reached 5 reps at 60 kg on 2026-11-20: one step up; e1RM 72 kg …'."})
    because = fields.List(fields.String())
    plugin = fields.String(attribute="exercise.plugin")
    bouts_per_day = fields.Integer(
        metadata={"description": "How many times a day the dose is done: 2 for a twice-daily "
                  "rehab protocol (each bout is the full sets x reps); 1 otherwise."})


class SessionSchema(Schema):
    day_offset = fields.Integer()
    date = fields.String()
    weekday = fields.String()
    after_run = fields.Boolean()
    hours_from_run = fields.Integer(allow_none=True)
    duration_min = fields.Integer()
    focus = fields.String()
    exercises = fields.List(
        fields.Nested(ExerciseOutSchema),
        metadata={"description": "In the order they are done: the warm-up first."})
    home = fields.Boolean(
        metadata={"description": "A short rehab-protocol session on a day the athlete did not "
                  "offer (available_days): done at home, a note says so."})


class FiredSchema(Schema):
    rule = fields.String()
    ruleset = fields.String()
    file = fields.String()
    line = fields.Integer()


class ExcludedSchema(Schema):
    exercise_id = fields.String()
    reason = fields.String()
    by = fields.String()


class WeekSchema(Schema):
    """One week of the plan: where it sits in the season and its key volumes."""

    class Meta:
        ordered = True

    week = fields.Integer(metadata={"description": "1-based week number"})
    start_date = fields.String()
    days = fields.Integer(metadata={"description": "7, or fewer for a partial last week"})
    phase = fields.String()
    block = fields.String(metadata={"description": "the mesocycle, e.g. base-2"})
    deload = fields.Boolean()
    sessions = fields.Integer(metadata={"description": "strength sessions (rehab-only days "
                                        "not counted)"})
    heavy_lower_sets = fields.Integer(metadata={
        "description": "sets of heavy lower-body work: heavy_capable lower-body exercises, "
                       "rehab protocols not counted"})
    ground_contacts = fields.Integer(metadata={
        "description": "plyometric ground contacts: sets x contacts per set"})
    top_pct_1rm = Number(allow_none=True, metadata={
        "description": "the heaviest main-lift load of the week (%1RM), null without one"})


class PhaseRangeSchema(Schema):
    """One phase of the macrocycle and the dates it covers (inclusive)."""

    class Meta:
        ordered = True

    phase = fields.String()
    start_date = fields.String()
    end_date = fields.String()


class ResponseSchema(Schema):
    """The body of a recommendation (design §6), keys in contract order."""

    class Meta:
        ordered = True

    ruleset = fields.Nested(RulesetRefSchema)
    phase = fields.String(allow_none=True)
    start_date = fields.String()
    horizon_days = fields.Integer()
    sessions = fields.List(fields.Nested(SessionSchema))
    fired = fields.List(fields.Nested(FiredSchema))
    excluded = fields.List(fields.Nested(ExcludedSchema))
    warnings = fields.List(fields.String())
    notes = fields.List(fields.String())
    weeks = fields.List(fields.Nested(WeekSchema))
    phases = fields.List(fields.Nested(PhaseRangeSchema))


_SCHEMA = ResponseSchema()


def fired_entries(fired: Iterable[Any]) -> list[dict[str, Any]]:
    """`fired` items from FiredRule objects (or rules): rule id, section, file and line."""
    out = []
    shown: dict[str, str] = {}  # each rule file's displayed path, once per call
    parts = _RULE_PARTS
    for item in fired:
        rule = getattr(item, "rule", item)
        known = parts.get(id(rule))
        if known is None or known[0] is not rule:
            known = parts.put(id(rule), (rule, rule.id, getattr(rule, "section", ""),
                                         getattr(rule, "file", ""), int(getattr(rule, "line", 0))))
        _, rule_id, section, file, line = known
        where = shown.get(file) if isinstance(file, str) else None
        if where is None:
            where = display_path(file)  # per call: it depends on the cwd and rules_roots
            if isinstance(file, str):
                shown[file] = where
        out.append({"rule": rule_id, "ruleset": section, "file": where, "line": line})
    return out


# rule object id -> (the rule, its id, section, file, line): a rule's own fields, read once
# (the rule is held, so its id cannot be reused while the entry stands)
RULE_PARTS_CACHE = 8192
_RULE_PARTS: Table[int, tuple[Any, str, str, Any, int]] = Table(RULE_PARTS_CACHE)


def excluded_entries(excluded: list[Exclusion]) -> list[dict[str, str]]:
    """`excluded` items (fresh dicts, as the plan's exclusions are now)."""
    return [{"exercise_id": e.exercise_id, "reason": e.reason, "by": e.by} for e in excluded]


def response_source(
    plan: Plan, fired: Iterable[Any], ruleset: Mapping[str, str]
) -> dict[str, Any]:
    """The object `ResponseSchema` dumps: the plan's parts plus the trace and ruleset."""
    return {
        "ruleset": {"name": ruleset["name"], "version": ruleset["version"]},
        "phase": plan.phase,
        "start_date": plan.start_date,
        "horizon_days": plan.horizon_days,
        "sessions": plan.sessions,
        "fired": fired_entries(fired),
        "excluded": plan.excluded,
        "warnings": plan.warnings,
        "notes": plan.notes,
        "weeks": plan.weeks,
        "phases": plan.phases,
    }


def dump_response(
    plan: Plan, fired: Iterable[Any], ruleset: Mapping[str, str]
) -> dict[str, Any]:
    """The design §6 body through `ResponseSchema` (the reference; see `build_response`)."""
    return dict(_SCHEMA.dump(response_source(plan, fired, ruleset)))


def build_response(
    plan: Plan, fired: Iterable[Any], ruleset: Mapping[str, str]
) -> dict[str, Any]:
    """The design §6 body for a plan, the rules that fired and the ruleset's name/version.

    Produces exactly what `ResponseSchema` dumps (a test pins it) without marshmallow's
    per-field overhead, which alone costs more than the whole 1 ms recommendation budget.
    """
    return {
        "ruleset": {"name": ruleset["name"], "version": ruleset["version"]},
        "phase": plan.phase,
        "start_date": plan.start_date,
        "horizon_days": plan.horizon_days,
        "sessions": [
            {
                "day_offset": s.day_offset,
                "date": s.date,
                "weekday": s.weekday,
                "after_run": s.after_run,
                "hours_from_run": s.hours_from_run,
                "duration_min": s.duration_min,
                "focus": s.focus,
                "exercises": [_exercise(pe) for pe in s.exercises],
                "home": s.home,
            }
            for s in plan.sessions
        ],
        "fired": fired_entries(fired),
        "excluded": excluded_entries(plan.excluded),
        "warnings": list(plan.warnings),
        "notes": list(plan.notes),
        "weeks": [dict(w) for w in plan.weeks],
        "phases": [dict(p) for p in plan.phases],
    }


def _exercise(pe: PlannedExercise) -> dict[str, Any]:
    ex, rx = pe.exercise, pe.prescription
    load = rx.intensity
    reps = rx.reps
    return {
        "id": ex.id,
        "name": ex.name,
        "categories": [*ex.categories],
        "equipment": [*ex.equipment],
        "impact": ex.impact,
        "level": ex.level,
        "tags": [*ex.tags],
        "primary_muscles": [*ex.primary_muscles],
        "sets": rx.sets,
        "reps": {"min": reps[0], "max": reps[1]} if isinstance(reps, tuple) else reps,
        "seconds": rx.seconds,
        "ground_contacts": rx.ground_contacts,
        "intensity": {"pct_1rm": _num(load.pct_1rm), "rpe": _num(load.rpe),
                      "rir": _num(load.rir)},
        "rest_s": rx.rest_s,
        "load_kg": _num(pe.load_kg),
        "load_basis": pe.load_basis,
        "because": [*pe.because],
        "plugin": ex.plugin,
        "bouts_per_day": pe.bouts_per_day,
    }
