"""`require`: categories, tags or exercises a plan must contain, per session or per week."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from stridewise.directives.merge import Ask, Entry, MergePolicy, Resolution
from stridewise.directives.vocabulary import OneOrMany, Vocabulary, scope_fields
from stridewise.models import DirectiveSpec

__all__ = ["SPECS", "RequireMerge", "Requirement"]


@dataclass
class Requirement:
    """At least `count` exercises matching any of the names, per session or per week."""

    categories: tuple[str, ...]
    tags: tuple[str, ...]
    exercises: tuple[str, ...]
    count: int
    per: str
    because: list[str]
    priority: int
    _match: Callable[[Any], bool] | None = field(default=None, repr=False, compare=False)

    def matcher(self) -> Callable[[Any], bool]:
        """Whether an exercise meets this ask (one of `exercises`, or any category or tag)."""
        if self._match is None:
            ids, cats = frozenset(self.exercises), frozenset(self.categories)
            tags = frozenset(self.tags)

            def match(ex: Any) -> bool:
                return ex.id in ids or not cats.isdisjoint(ex.categories) or (
                    not tags.isdisjoint(ex.tags))

            self._match = match
        return self._match

    def label(self) -> str:
        parts = [f"{k} {', '.join(v)}" for k, v in self.scope().items() if v]
        return f"{self.count} x [{'; '.join(parts)}] per {self.per}"

    def scope(self) -> dict[str, tuple[str, ...]]:
        return {"categories": self.categories, "tags": self.tags, "exercises": self.exercises}

    def to_dict(self) -> dict[str, Any]:
        return {**{k: list(v) for k, v in self.scope().items()}, "count": self.count,
                "per": self.per}


class RequireMerge(MergePolicy):
    """Union of requirements; the same ask (same names and `per`) keeps the larger count and
    every rule behind it. The resolved value is a list of `Requirement`."""

    summary = "**union**; the same ask (same names and `per`) twice keeps the larger `count`"

    def merge(self, name: str, asks: Sequence[Ask], warnings: list[str]) -> Resolution | None:
        out: list[Requirement] = []
        for ask in asks:
            for req in ask.value or ():
                new = Requirement(
                    tuple(req.get("categories") or ()), tuple(req.get("tags") or ()),
                    tuple(req.get("exercises") or ()), int(req.get("count", 1)),
                    req.get("per", "week"), [ask.rule], ask.priority,
                )
                for old in out:
                    if old.scope() == new.scope() and old.per == new.per:
                        old.count = max(old.count, new.count)
                        if ask.rule not in old.because:
                            old.because.append(ask.rule)
                        break
                else:
                    out.append(new)
        if not out:
            return None
        return Resolution(out, list(dict.fromkeys(r for req in out for r in req.because)))

    def then_value(self, resolution: Resolution | None) -> Any:
        return [] if resolution is None else [r.to_dict() for r in resolution.value]

    def explain(self, name: str, resolution: Resolution) -> list[Entry]:
        return [(name, r.to_dict(), list(r.because)) for r in resolution.value]


class _RequireChecks(Schema):
    @validates_schema
    def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not (data.get("categories") or data.get("tags") or data.get("exercises")):
            raise ValidationError("name at least one of categories, tags or exercises")


def _require_field(vocab: Vocabulary) -> fields.Field:
    schema = _RequireChecks.from_dict({
        **scope_fields(vocab),
        "count": fields.Integer(load_default=1, strict=True, validate=validate.Range(1, 14)),
        "per": fields.String(load_default="week", validate=validate.OneOf(["session", "week"])),
    }, name="RequireSchema")
    return OneOrMany(schema)


SPECS = [
    DirectiveSpec(
        "require", "categories, tags or exercises that must appear",
        merge=RequireMerge(), stage="fill", field_for=_require_field,
        value="`{categories, tags, exercises, count: 1–14 (default 1), per: session\\|week "
              "(default week)}` or a list of them",
        example="`require: {categories: [joint_mobility], count: 2}`",
    ),
]
