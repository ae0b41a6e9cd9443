"""How a season moves week to week: `progression` of the main lifts, `deload_weeks` and
`plyo_progression` of ground contacts (read by `planning.loading`). For each, the highest
priority rule's whole value wins (equal priority: the first fired)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from marshmallow import Schema, fields, validate
from stridewise.directives.merge import Ask, Entry, MergePolicy, Resolution
from stridewise.models import DirectiveSpec

__all__ = ["SPECS", "FirstMerge"]


class FirstMerge(MergePolicy):
    """The highest-priority rule's whole value (equal priority: the first fired)."""

    summary = "the **highest priority** rule's whole value wins (equal priority: first fired)"

    def merge(self, name: str, asks: Sequence[Ask], warnings: list[str]) -> Resolution | None:
        for ask in asks:  # precedence order
            if ask.value:
                return Resolution(dict(ask.value), [ask.rule])
        return None

    def explain(self, name: str, resolution: Resolution) -> list[Entry]:
        return [(name, resolution.value, list(resolution.because))]


def _number(lo: float, hi: float, **kwargs: Any) -> fields.Float:
    return fields.Float(validate=validate.Range(lo, hi), **kwargs)


def _count(lo: int, hi: int, **kwargs: Any) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(lo, hi), **kwargs)


def _progression_field(vocab: Any) -> fields.Field:
    return fields.Nested(Schema.from_dict({
        "model": fields.String(required=True, validate=validate.OneOf(
            ["linear", "double", "wave", "hold"])),
        "load_pct_per_week": _number(0, 10, load_default=2.5),
        "reps_step": _count(1, 4, load_default=1),
    }, name="ProgressionSchema"))


def _deload_field(vocab: Any) -> fields.Field:
    return fields.Nested(Schema.from_dict({
        "every": _count(3, 6, required=True),
        "volume_cut_pct": _number(30, 60, load_default=40),
        "intensity_cut_pct": _number(0, 10, load_default=0),
    }, name="DeloadSchema"))


def _plyo_field(vocab: Any) -> fields.Field:
    return fields.Nested(Schema.from_dict({
        "contacts_pct_per_week": _number(0, 20, required=True),
        "start_pct": _number(30, 100, load_default=60),
    }, name="PlyoProgressionSchema"))


FIRST = FirstMerge()

SPECS = [
    DirectiveSpec(
        "progression", "how the main lifts (heavy_capable) progress from week to week",
        merge=FIRST, stage="season", field_for=_progression_field,
        value="`{model: linear|double|wave|hold, load_pct_per_week: 0–10, reps_step: 1–4}`",
        example="`progression: {model: linear, load_pct_per_week: 2.5}`",
    ),
    DirectiveSpec(
        "deload_weeks", "every how many weeks a block ends in a deload week, and its cuts",
        merge=FIRST, stage="season", field_for=_deload_field,
        value="`{every: 3–6, volume_cut_pct: 30–60, intensity_cut_pct: 0–10}`",
        example="`deload_weeks: {every: 4, volume_cut_pct: 40}`",
    ),
    DirectiveSpec(
        "plyo_progression", "plyometric ground contacts per set from week to week",
        merge=FIRST, stage="season", field_for=_plyo_field,
        value="`{contacts_pct_per_week: 0–20, start_pct: 30–100}`",
        example="`plyo_progression: {contacts_pct_per_week: 15, start_pct: 60}`",
    ),
]
