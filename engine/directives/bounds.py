"""Bounds: `{min, max}` directives (sessions, minutes, sets, reps, rest, intensity).

Several fired bounds intersect to the most restrictive range; a bound that would empty the
range is dropped (the higher-priority one stands) with a warning naming both sides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from marshmallow import fields
from stridewise.directives.merge import Ask, Entry, MergePolicy, Resolution
from stridewise.directives.vocabulary import IntensitySchema, Vocabulary, range_field
from stridewise.models import DirectiveSpec

__all__ = ["INTENSITY_KEYS", "SPECS", "Bound", "BoundMerge", "BoundsMerge", "combine"]

INTENSITY_KEYS = ("pct_1rm", "rpe", "rir")


@dataclass
class Bound:
    """An inclusive range either end of which may be open, with the rules that narrowed it."""

    min: float | None = None
    max: float | None = None
    because: list[str] = field(default_factory=list)
    min_because: list[str] = field(default_factory=list)  # the rules asking for this min
    max_because: list[str] = field(default_factory=list)  # … and for this max
    asks: list[tuple[str, int, Mapping[str, Any]]] = field(
        default_factory=list, repr=False, compare=False
    )  # (rule, priority, {min, max}) in precedence order, for scoped doses to intersect again

    def clamp(self, value: float) -> float:
        """`value` moved into the range."""
        if self.min is not None and value < self.min:
            value = self.min
        if self.max is not None and value > self.max:
            value = self.max
        return value

    def to_dict(self) -> dict[str, float | None]:
        return {"min": self.min, "max": self.max}

    def rules(self) -> list[str]:
        """The rules behind the ends of the range (ties: every one), else every narrowing one."""
        return list(dict.fromkeys(self.min_because + self.max_because)) or list(self.because)


def combine(
    items: Iterable[tuple[str, Mapping[str, Any]]], label: str, warnings: list[str]
) -> Bound:
    """Intersect (rule_id, {min, max}) bounds given in precedence order (strongest first).

    A bound that would empty the range is ignored: the stronger one stands, with a warning.
    """
    bound = Bound()
    for rule_id, rng in items:
        lo, hi = rng.get("min"), rng.get("max")
        new_lo = bound.min if lo is None else (lo if bound.min is None else max(bound.min, lo))
        new_hi = bound.max if hi is None else (hi if bound.max is None else min(bound.max, hi))
        if new_lo is not None and new_hi is not None and new_lo > new_hi:
            warnings.append(_conflict(label, rule_id, rng, bound))
            continue
        if (new_lo, new_hi) != (bound.min, bound.max) and rule_id not in bound.because:
            bound.because.append(rule_id)
        _provenance(bound.min_because, bound.min, lo, new_lo, rule_id)
        _provenance(bound.max_because, bound.max, hi, new_hi, rule_id)
        bound.min, bound.max = new_lo, new_hi
    return bound


def _provenance(
    rules: list[str], old: float | None, asked: float | None, new: float | None, rule_id: str
) -> None:
    """Keep `rules` as the rules whose ask is this end of the range (ties: every one)."""
    if asked is None or asked != new:
        return
    if old != new:
        rules.clear()
    if rule_id not in rules:
        rules.append(rule_id)


def _conflict(label: str, rule_id: str, rng: Mapping[str, Any], bound: Bound) -> str:
    """The warning for a bound that would empty the range: names the end it conflicts with
    and only the rules that set that end."""
    lo, hi = rng.get("min"), rng.get("max")
    ends: list[tuple[str, list[str]]] = []
    if lo is not None and bound.max is not None and lo > bound.max:
        ends.append((f"..{bound.max:g}", bound.max_because))
    if hi is not None and bound.min is not None and hi < bound.min:
        ends.append((f"{bound.min:g}..", bound.min_because))
    text = " and ".join(
        f"{rng_text} from rule(s) {', '.join(repr(r) for r in rules)}" for rng_text, rules in ends
    )
    return (f"{label}: rule '{rule_id}' asks for {_fmt(rng)}, which conflicts with {text}; "
            f"the higher-priority bound stands.")


def _fmt(rng: Mapping[str, Any]) -> str:
    lo, hi = rng.get("min"), rng.get("max")
    lo_s = "" if lo is None else f"{lo:g}"
    hi_s = "" if hi is None else f"{hi:g}"
    return f"{lo_s}..{hi_s}"


def _bound(label: str, asks: list[tuple[str, int, Mapping[str, Any]]],
           warnings: list[str]) -> Bound:
    bound = combine([(rule, rng) for rule, _, rng in asks], label, warnings)
    bound.asks = asks
    return bound


class BoundMerge(MergePolicy):
    """`{min, max}` bounds intersect; the resolved value is a `Bound`."""

    summary = ("bounds **intersect** to the most restrictive range; if that would leave "
               "nothing, the higher-priority bound stands (equal priority: the first fired) "
               "and a **warning names both sides**: the rule whose bound was dropped and the "
               "rules that set the end it conflicts with (not rules that only narrowed the "
               "other end)")

    def merge(self, name: str, asks: Sequence[Ask], warnings: list[str]) -> Resolution | None:
        given = [(a.rule, a.priority, a.value) for a in asks if a.value]
        if not given:
            return None
        bound = _bound(name, given, warnings)
        return Resolution(bound, bound.rules())

    def then_value(self, resolution: Resolution | None) -> Any:
        return (Bound() if resolution is None else resolution.value).to_dict()

    def explain(self, name: str, resolution: Resolution) -> list[Entry]:
        return [(name, resolution.value.to_dict(), list(resolution.because))]


class BoundsMerge(MergePolicy):
    """A mapping of named bounds (`intensity`: pct_1rm, rpe, rir), each intersected alone;
    the resolved value is key -> `Bound`."""

    summary = BoundMerge.summary  # per measure

    def __init__(self, keys: tuple[str, ...]) -> None:
        self.keys = keys

    def label(self, name: str) -> str:
        return f"`{name}.*`"

    def merge(self, name: str, asks: Sequence[Ask], warnings: list[str]) -> Resolution | None:
        out: dict[str, Bound] = {}
        for key in self.keys:
            given = [(a.rule, a.priority, a.value[key]) for a in asks
                     if a.value and a.value.get(key)]
            if given:
                out[key] = _bound(f"{name}.{key}", given, warnings)
        if not out:
            return None
        return Resolution(out, list(dict.fromkeys(r for b in out.values() for r in b.rules())))

    def then_value(self, resolution: Resolution | None) -> Any:
        out = {} if resolution is None else resolution.value
        return {k: (out.get(k) or Bound()).to_dict() for k in self.keys}

    def explain(self, name: str, resolution: Resolution) -> list[Entry]:
        return [(f"{name}.{k}", b.to_dict(), b.rules()) for k, b in resolution.value.items()]


def _range_spec(name: str, lo: int, hi: int, description: str, value: str, example: str,
                stage: str) -> DirectiveSpec:
    def field_for(vocab: Vocabulary, lo: int = lo, hi: int = hi) -> fields.Field:
        return range_field(lo, hi)

    return DirectiveSpec(name, description, merge=BoundMerge(), stage=stage, field_for=field_for,
                         value=value, example=example)


SPECS = [
    _range_spec("sessions_per_week", 0, 7, "bounds on strength sessions in the plan week",
                "`{min, max}` 0–7", "`sessions_per_week: {max: 1}`", "days"),
    _range_spec("session_minutes", 5, 180, "bounds on minutes per session",
                "`{min, max}` 5–180", "`session_minutes: {max: 30}`", "fit"),
    _range_spec("sets", 1, 10, "bounds on sets per exercise",
                "`{min, max}` 1–10 per exercise", "`sets: {min: 2, max: 3}`", "dose"),
    _range_spec("reps", 1, 50, "bounds on reps per set",
                "`{min, max}` 1–50 per set", "`reps: {max: 6}`", "dose"),
    _range_spec("rest_s", 0, 600, "bounds on rest between sets in seconds",
                "`{min, max}` 0–600 seconds", "`rest_s: {min: 120}`", "dose"),
    DirectiveSpec(
        "intensity", "bounds on load: %1RM, RPE and reps in reserve",
        merge=BoundsMerge(INTENSITY_KEYS), stage="dose",
        field_for=lambda vocab: fields.Nested(IntensitySchema),
        value="`{pct_1rm: {min,max} 20–100, rpe: {min,max} 1–10, rir: {min,max} 0–10}`",
        example="`intensity: {pct_1rm: {min: 80}, rir: {max: 3}}`",
    ),
]
