"""`require`: categories, tags or exercises a plan must contain, per session or per week;
`max_per_session`: the most exercises of a kind one session may hold."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from stridewise.directives.merge import Ask, Entry, MergePolicy, Resolution
from stridewise.directives.vocabulary import OneOrMany, Vocabulary, scope_fields
from stridewise.models import DirectiveSpec, Plan, session_minutes

__all__ = ["SPECS", "RequireMerge", "Requirement", "cap_per_session"]


@dataclass
class Requirement:
    """At least `count` exercises matching any of the names, per session or per week."""

    categories: tuple[str, ...]
    tags: tuple[str, ...]
    exercises: tuple[str, ...]
    count: int
    per: str
    because: list[str]
    priority: int  # where the planner cuts it when a session is too long (`require.priority`)
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
        return f"{self.count} x [{self.names()}] per {self.per}"

    def names(self) -> str:
        """The names asked for, as a coach reads them: `tags eccentric_hamstring; exercises x`."""
        return "; ".join(f"{k} {', '.join(v)}" for k, v in self.scope().items() if v)

    def scope(self) -> dict[str, tuple[str, ...]]:
        return {"categories": self.categories, "tags": self.tags, "exercises": self.exercises}

    def to_dict(self, priority: bool = False) -> dict[str, Any]:
        """As the rule file writes it; with `priority`, the one it is cut at (its own, else
        its rule's), so explain shows what a session too long for its minutes drops first."""
        out = {**{k: list(v) for k, v in self.scope().items()}, "count": self.count,
               "per": self.per}
        if priority:
            out["priority"] = self.priority
        return out


class RequireMerge(MergePolicy):
    """Union of requirements; the same ask (same names and `per`) keeps the larger count and
    every rule behind it. The resolved value is a list of `Requirement`."""

    summary = "**union**; the same ask (same names and `per`) twice keeps the larger `count`"

    def __init__(self, keep: Callable[[int, int], int] = max, per: str = "week") -> None:
        self.keep, self.per = keep, per
        self.priority = keep is max  # a requirement shows its priority; a cap has none
        if keep is min:
            self.summary = "**union**; the same names twice keep the smaller `count`"

    def merge(self, name: str, asks: Sequence[Ask], warnings: list[str]) -> Resolution | None:
        out: list[Requirement] = []
        for ask in asks:
            for req in ask.value or ():
                own = req.get("priority")  # else the rule's
                new = Requirement(
                    tuple(req.get("categories") or ()), tuple(req.get("tags") or ()),
                    tuple(req.get("exercises") or ()), int(req.get("count", 1)),
                    req.get("per", self.per), [ask.rule],
                    ask.priority if own is None else int(own),
                )
                for old in out:
                    if old.scope() == new.scope() and old.per == new.per:
                        old.count = self.keep(old.count, new.count)
                        old.priority = max(old.priority, new.priority)
                        if ask.rule not in old.because:
                            old.because.append(ask.rule)
                        break
                else:
                    out.append(new)
        if not out:
            return None
        return Resolution(out, list(dict.fromkeys(r for req in out for r in req.because)))

    def then_value(self, resolution: Resolution | None) -> Any:
        return [] if resolution is None else [r.to_dict(self.priority)
                                              for r in resolution.value]

    def explain(self, name: str, resolution: Resolution) -> list[Entry]:
        return [(name, r.to_dict(self.priority), list(r.because)) for r in resolution.value]


class _RequireChecks(Schema):
    @validates_schema
    def _something(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not (data.get("categories") or data.get("tags") or data.get("exercises")):
            raise ValidationError("name at least one of categories, tags or exercises")


def _between(lo: int, hi: int) -> validate.Range:
    return validate.Range(lo, hi, error="must be between {min} and {max}")


def _require_field(vocab: Vocabulary) -> fields.Field:
    schema = _RequireChecks.from_dict({
        **scope_fields(vocab),
        "count": fields.Integer(load_default=1, strict=True, validate=_between(1, 14)),
        "per": fields.String(load_default="week", validate=validate.OneOf(["session", "week"])),
        "priority": fields.Integer(strict=True, validate=_between(0, 100)),
    }, name="RequireSchema")
    return OneOrMany(schema)


def _cap_field(vocab: Vocabulary) -> fields.Field:
    schema = _RequireChecks.from_dict({
        **scope_fields(vocab),
        "count": fields.Integer(load_default=1, strict=True, validate=_between(0, 10)),
    }, name="MaxPerSessionSchema")
    return OneOrMany(schema)


def cap_per_session(plan: Plan, caps: list[Requirement], context: Any) -> Plan:
    """Drop what passes each cap from every session: protocol work is kept first, then the
    session's order. Each drop is a warning naming the cap's rules, what the item was there
    for, and whether its categories are still covered that week once every cap has cut (the
    cap wins over a requirement: a coach reads what went unmet)."""
    dropped = []
    for session in plan.sessions:
        before = len(session.exercises)
        for cap in caps:
            match = cap.matcher()
            hits = [i for i in session.exercises if match(i.exercise)]
            keep = sorted(hits, key=lambda i: i.protocol is None)[:cap.count]
            for item in hits:
                if item not in keep:
                    session.exercises.remove(item)
                    dropped.append((session, item, cap))
        if len(session.exercises) != before:
            session.duration_min = session_minutes(session.exercises)
    plan.warnings.extend(_dropped(plan, session, item, cap) for session, item, cap in dropped)
    return plan


def _dropped(plan: Plan, session: Any, item: Any, cap: Requirement) -> str:
    ex = item.exercise
    week = session.day_offset // 7
    others = {c for s in plan.sessions if s.day_offset // 7 == week
              for i in s.exercises for c in i.exercise.categories}
    missing = [c for c in ex.categories if c not in others]
    for_ = ", ".join(item.because) or "general work"
    tail = (f"no other {', '.join(missing)} work is left that week: what {for_} asked for "
            "goes unmet" if missing else f"the week's other work still covers {for_}")
    return (f"Day {session.day_offset}: {ex.name} left out: at most {cap.count} of "
            f"[{cap.names()}] a session ({', '.join(cap.because)}); {tail}.")


SPECS = [
    DirectiveSpec(
        "require", "categories, tags or exercises that must appear",
        merge=RequireMerge(), stage="fill", field_for=_require_field,
        value="`{categories, tags, exercises, count: 1–14 (default 1), per: session\\|week "
              "(default week), priority: 0–100}` or a list of them; a session cut to fit its "
              "minutes drops what is required at the lowest `priority` first (default: the "
              "rule's)",
        example="`require: {categories: [joint_mobility], count: 2}`",
    ),
    DirectiveSpec(
        "max_per_session", "the most exercises of the named categories, tags or exercises in "
        "one session (dropped past it with a warning; the cap wins over a requirement)",
        merge=RequireMerge(keep=min, per="session"), field_for=_cap_field,
        apply=cap_per_session,
        value="`{categories, tags, exercises, count: 0–10 (default 1)}` or a list of them",
        example="`max_per_session: {tags: [eccentric_hamstring], count: 1}`",
    ),
]
