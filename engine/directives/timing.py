"""When strength may happen: `spacing` between heavy sessions, `away_from` races and key runs,
and `after_run` on key-run days. Hours combine by taking the largest."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from stridewise.directives.merge import Ask, Entry, MaxMerge, MergePolicy, Resolution
from stridewise.directives.vocabulary import OneOrMany, names
from stridewise.models import KEY_RUN_TYPES, DirectiveSpec

__all__ = ["SPECS", "WindowMerge"]

ENDS = ("hours_before", "hours_after")


class WindowMerge(MergePolicy):
    """Per event and kind (race/heavy, intervals/plyometric, …) the largest hours before and
    after. The resolved value is (event, kind) -> {hours_before, hours_after, because}, plus
    `hours_before_because` / `hours_after_because`: the rules that asked for each side."""

    summary = "per event and kind, the **largest** hours before and after win"

    def merge(self, name: str, asks: Sequence[Ask], warnings: list[str]) -> Resolution | None:
        out: dict[tuple[str, str], dict[str, Any]] = {}
        for ask in asks:
            for away in ask.value or ():
                for event in away["events"]:
                    for kind in away["kinds"]:
                        slot = out.setdefault(
                            (event, kind), {"hours_before": 0, "hours_after": 0, "because": []}
                        )
                        grew = False
                        for end in ENDS:
                            value = away.get(end)
                            if value is not None and value > slot[end]:
                                slot[end], grew = int(value), True
                            if value:  # which rules reach before / after the event
                                side = slot.setdefault(f"{end}_because", [])
                                if ask.rule not in side:
                                    side.append(ask.rule)
                        if grew or ask.rule not in slot["because"]:
                            slot["because"].append(ask.rule)
        if not out:
            return None
        return Resolution(out, list(dict.fromkeys(r for s in out.values() for r in s["because"])))

    def then_value(self, resolution: Resolution | None) -> Any:
        """One `away_from` entry per pair of hours, listing its events and kinds."""
        away: dict[tuple[Any, ...], dict[str, Any]] = {}
        for (event, kind), entry in ({} if resolution is None else resolution.value).items():
            key = (entry["hours_before"], entry["hours_after"])
            slot = away.setdefault(key, {"events": [], "kinds": [], "hours_before": key[0],
                                         "hours_after": key[1]})
            for field_name, value in (("events", event), ("kinds", kind)):
                if value not in slot[field_name]:
                    slot[field_name].append(value)
        return list(away.values())

    def explain(self, name: str, resolution: Resolution) -> list[Entry]:
        return [(name, {"event": event, "kind": kind, "hours_before": slot["hours_before"],
                        "hours_after": slot["hours_after"]}, list(slot["because"]))
                for (event, kind), slot in resolution.value.items()]


class _AwayChecks(Schema):
    @validates_schema
    def _complete(self, data: dict[str, Any], **kwargs: Any) -> None:
        for key in ("events", "kinds"):
            if not data.get(key):
                raise ValidationError("Missing data for required field.", key)
        if data.get("hours_before") is None and data.get("hours_after") is None:
            raise ValidationError("give hours_before and/or hours_after")


def _hours(hi: int, **kwargs: Any) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(0, hi), **kwargs)


def _away_field(vocab: Any) -> fields.Field:
    return OneOrMany(_AwayChecks.from_dict({
        "events": names("event", (*KEY_RUN_TYPES,)),
        "kinds": names("kind", ("heavy", "plyometric", "any")),
        "hours_before": _hours(24 * 21),
        "hours_after": _hours(24 * 7),
    }, name="AwayFromSchema"))


def _one_hours_field(key: str, hi: int, required: bool = False) -> fields.Field:
    schema = Schema.from_dict({key: _hours(hi, required=required)},
                              name=f"{key.title().replace('_', '')}Schema")
    return fields.Nested(schema)


SPECS = [
    DirectiveSpec(
        "spacing", "minimum hours between heavy sessions",
        merge=MaxMerge("heavy_hours", cast=int), stage="days",
        field_for=lambda vocab: _one_hours_field("heavy_hours", 24 * 7),
        value="`{heavy_hours: 0–168}` between heavy sessions",
        example="`spacing: {heavy_hours: 72}`",
    ),
    DirectiveSpec(
        "away_from", "keep heavy or plyometric work (or any strength) away from races and key runs",
        merge=WindowMerge(), stage="days", field_for=_away_field,
        value="`{events: [intervals, tempo, long_run, race, hills], kinds: [heavy, plyometric, "
              "any], hours_before, hours_after}` or a list",
        example="`away_from: {events: [race], kinds: [heavy], hours_before: 96}`",
    ),
    DirectiveSpec(
        "after_run", "on a key-run day, run first and lift at least min_hours later",
        merge=MaxMerge("min_hours", cast=int), stage="days",
        field_for=lambda vocab: _one_hours_field("min_hours", 24, required=True),
        value="`{min_hours: 0–24}`", example="`after_run: {min_hours: 6}`",
    ),
]
