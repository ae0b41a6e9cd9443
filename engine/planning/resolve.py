"""Fired directives -> one `Resolved` prescription, under the documented conflict policy.

Policy (docs/rules.md, "Conflict resolution"): directives are taken in priority order (higher
first, then firing order). Bounds intersect to the most restrictive; when an intersection would
be empty the higher-priority bound stands and a warning names both rules. `volume_scale`: the
smallest wins. Exclusions, constraints and requirements are unions (the planner makes exclusions
beat requirements and turns an unmeetable requirement into a warning). Emphasis: per key the
highest priority wins, equal priorities multiply. Protocols: union by id, the higher priority
wins on one id. Spacing, `away_from` and `after_run` hours: the largest wins. Notes: firing
order, deduplicated. Every resolved item keeps the ids of the rules that produced it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Bound", "Requirement", "Resolved", "Scoped", "resolve"]

RANGE_KEYS = ("sessions_per_week", "session_minutes", "sets", "reps", "rest_s")
DOSE_KEYS = ("sets", "reps", "seconds", "ground_contacts", "rest_s")
INTENSITY_KEYS = ("pct_1rm", "rpe", "rir")
EXCLUDE_KINDS = ("categories", "tags", "exercises", "equipment", "impact", "levels")


@dataclass
class Bound:
    """An inclusive range either end of which may be open, with the rules that narrowed it."""

    min: float | None = None
    max: float | None = None
    because: list[str] = field(default_factory=list)
    min_because: list[str] = field(default_factory=list)  # the rules asking for this min
    max_because: list[str] = field(default_factory=list)  # … and for this max

    def clamp(self, value: float) -> float:
        """`value` moved into the range."""
        if self.min is not None and value < self.min:
            value = self.min
        if self.max is not None and value > self.max:
            value = self.max
        return value

    def to_dict(self) -> dict[str, float | None]:
        return {"min": self.min, "max": self.max}


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


@dataclass
class Scoped:
    """A `prescribe` entry: doses for exercises matching `scope` (categories/tags/exercises)."""

    scope: dict[str, list[str]]
    dose: dict[str, Any]
    rule: str
    priority: int


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


@dataclass
class Resolved:
    """Everything the fired rules ask for, after conflict resolution, with provenance."""

    bounds: dict[str, Bound] = field(default_factory=dict)  # RANGE_KEYS
    intensity: dict[str, Bound] = field(default_factory=dict)  # pct_1rm / rpe / rir
    prescribe: list[Scoped] = field(default_factory=list)  # precedence order
    dose_rules: dict[str, list[tuple[str, int, Mapping[str, Any]]]] = field(default_factory=dict)
    volume_scale: float | None = None
    volume_because: list[str] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)
    emphasis: dict[str, float] = field(default_factory=dict)
    emphasis_because: dict[str, list[str]] = field(default_factory=dict)
    exclude: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # kind->value->rules
    exclude_novel: list[str] = field(default_factory=list)
    constraints: dict[str, list[tuple[Any, str]]] = field(default_factory=dict)
    protocols: dict[str, tuple[dict[str, Any], str, int]] = field(default_factory=dict)
    heavy_hours: int | None = None
    heavy_because: list[str] = field(default_factory=list)
    away_from: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    after_run_hours: int | None = None
    after_run_because: list[str] = field(default_factory=list)
    notes: list[tuple[str, list[str]]] = field(default_factory=list)
    plugin: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def bound(self, key: str) -> Bound:
        return self.bounds.get(key) or Bound()

    def to_dict(self) -> dict[str, Any]:
        """The resolved directives with the keys of a rule's `then` (used by rule tests)."""
        away: dict[tuple[Any, ...], dict[str, Any]] = {}
        for (event, kind), entry in self.away_from.items():
            key = (entry["hours_before"], entry["hours_after"])
            slot = away.setdefault(key, {"events": [], "kinds": [], "hours_before": key[0],
                                         "hours_after": key[1]})
            for name, value in (("events", event), ("kinds", kind)):
                if value not in slot[name]:
                    slot[name].append(value)
        return {
            **{key: self.bound(key).to_dict() for key in RANGE_KEYS},
            "intensity": {k: (self.intensity.get(k) or Bound()).to_dict() for k in INTENSITY_KEYS},
            "prescribe": [{"for": s.scope, **s.dose} for s in self.prescribe],
            "volume_scale": self.volume_scale,
            "emphasis": dict(self.emphasis),
            "exclude": {**{k: sorted(v) for k, v in self.exclude.items()},
                        "novel": bool(self.exclude_novel)},
            "require": [r.to_dict() for r in self.requirements],
            "constraints": {k: v[0][0] for k, v in self.constraints.items()},
            "protocol": [p for p, _, _ in self.protocols.values()],
            "spacing": {"heavy_hours": self.heavy_hours},
            "away_from": list(away.values()),
            "after_run": {"min_hours": self.after_run_hours},
            "notes": [text for text, _ in self.notes],
            **{name: [value for _, value in values] for name, values in self.plugin.items()},
        }


def _entries(fired: Iterable[Any]) -> list[tuple[str, int, Mapping[str, Any], int]]:
    """(rule_id, priority, then, firing index) from FiredRule objects, Rules or plain tuples."""
    out = []
    for index, item in enumerate(fired):
        rule = getattr(item, "rule", item)
        if isinstance(rule, tuple):
            rule_id, priority, then = rule
        else:
            rule_id, priority, then = rule.id, rule.priority, rule.then
        out.append((rule_id, int(priority or 0), then or {}, index))
    return out


def resolve(fired: Iterable[Any], directives: Mapping[str, Any] | None = None) -> Resolved:
    """Resolve every fired rule's `then` into one `Resolved` (see the module docstring)."""
    entries = _entries(fired)
    res = Resolved(fired=[e[0] for e in entries])
    ordered = sorted(entries, key=lambda e: (-e[1], e[3]))
    for key in RANGE_KEYS:
        raw = [(rid, pri, then[key]) for rid, pri, then, _ in ordered if then.get(key)]
        if raw:
            res.bounds[key] = combine([(r[0], r[2]) for r in raw], key, res.warnings)
            res.dose_rules[key] = raw
    for key in INTENSITY_KEYS:
        raw = [
            (rid, pri, then["intensity"][key])
            for rid, pri, then, _ in ordered
            if then.get("intensity") and then["intensity"].get(key)
        ]
        if raw:
            res.intensity[key] = combine(
                [(r[0], r[2]) for r in raw], f"intensity.{key}", res.warnings
            )
            res.dose_rules[key] = raw
    for rid, priority, then, _ in ordered:
        for entry in then.get("prescribe") or ():
            scope = {k: list(v) for k, v in entry["for"].items() if v}
            dose = {k: v for k, v in entry.items() if k != "for" and v is not None}
            res.prescribe.append(Scoped(scope, dose, rid, priority))
        _volume(res, rid, then)
        _requirements(res, rid, priority, then)
        _exclusions(res, rid, then)
        for name, params in (then.get("constraints") or {}).items():
            res.constraints.setdefault(name, []).append((params, rid))
        for proto in then.get("protocol") or ():
            if proto["id"] not in res.protocols:  # precedence order: the first one stands
                res.protocols[proto["id"]] = (dict(proto), rid, priority)
        _hours(res, rid, then)
        for name in directives or {}:
            if name in then:
                res.plugin.setdefault(name, []).append((rid, then[name]))
    _emphasis(res, ordered)
    _notes(res, sorted(entries, key=lambda e: e[3]))
    return res


def _volume(res: Resolved, rid: str, then: Mapping[str, Any]) -> None:
    scale = then.get("volume_scale")
    if scale is None:
        return
    if res.volume_scale is None or scale < res.volume_scale:
        res.volume_scale, res.volume_because = float(scale), [rid]
    elif scale == res.volume_scale:
        res.volume_because.append(rid)


def _requirements(res: Resolved, rid: str, priority: int, then: Mapping[str, Any]) -> None:
    for req in then.get("require") or ():
        new = Requirement(
            tuple(req.get("categories") or ()),
            tuple(req.get("tags") or ()),
            tuple(req.get("exercises") or ()),
            int(req.get("count", 1)),
            req.get("per", "week"),
            [rid],
            priority,
        )
        for old in res.requirements:  # the same ask twice: the larger count, both rules
            if old.scope() == new.scope() and old.per == new.per:
                old.count = max(old.count, new.count)
                if rid not in old.because:
                    old.because.append(rid)
                break
        else:
            res.requirements.append(new)


def _exclusions(res: Resolved, rid: str, then: Mapping[str, Any]) -> None:
    excl = then.get("exclude") or {}
    for kind in EXCLUDE_KINDS:
        for value in excl.get(kind) or ():
            rules = res.exclude.setdefault(kind, {}).setdefault(value, [])
            if rid not in rules:
                rules.append(rid)
    if excl.get("novel") and rid not in res.exclude_novel:
        res.exclude_novel.append(rid)


def _hours(res: Resolved, rid: str, then: Mapping[str, Any]) -> None:
    heavy = (then.get("spacing") or {}).get("heavy_hours")
    if heavy is not None:
        if res.heavy_hours is None or heavy > res.heavy_hours:
            res.heavy_hours, res.heavy_because = int(heavy), [rid]
        elif heavy == res.heavy_hours:
            res.heavy_because.append(rid)
    after = (then.get("after_run") or {}).get("min_hours")
    if after is not None:
        if res.after_run_hours is None or after > res.after_run_hours:
            res.after_run_hours, res.after_run_because = int(after), [rid]
        elif after == res.after_run_hours:
            res.after_run_because.append(rid)
    for away in then.get("away_from") or ():
        for event in away["events"]:
            for kind in away["kinds"]:
                slot = res.away_from.setdefault(
                    (event, kind), {"hours_before": 0, "hours_after": 0, "because": []}
                )
                grew = False
                for end in ("hours_before", "hours_after"):
                    value = away.get(end)
                    if value is not None and value > slot[end]:
                        slot[end], grew = int(value), True
                if grew or rid not in slot["because"]:
                    slot["because"].append(rid)


def _emphasis(res: Resolved, ordered: list[tuple[str, int, Mapping[str, Any], int]]) -> None:
    level: dict[str, int] = {}
    for rid, priority, then, _ in ordered:
        for key, weight in (then.get("emphasis") or {}).items():
            if key not in level:
                level[key] = priority
                res.emphasis[key] = float(weight)
                res.emphasis_because[key] = [rid]
            elif level[key] == priority:  # equal priority multiplies
                res.emphasis[key] *= float(weight)
                res.emphasis_because[key].append(rid)


def _notes(res: Resolved, in_order: list[tuple[str, int, Mapping[str, Any], int]]) -> None:
    seen: dict[str, list[str]] = {}
    for rid, _, then, _ in in_order:
        for text in then.get("notes") or ():
            if text in seen:
                if rid not in seen[text]:
                    seen[text].append(rid)
                continue
            seen[text] = [rid]
            res.notes.append((text, seen[text]))
