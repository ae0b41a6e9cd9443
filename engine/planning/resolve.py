"""Fired directives -> one `Resolved`: each directive's merge policy over the rules that ask.

Directives are taken in priority order (higher first, then firing order) and handed, per
directive, to the merge policy its `DirectiveSpec` names (`stridewise.directives`): bounds
intersect, `volume_scale` takes the smallest, unions for exclusions, constraints and
requirements, per-key highest priority for emphasis and protocols, the largest hours, notes in
firing order; docs/resolution.md is the contract. `Resolved` maps each directive some rule
asked for to its `Resolution` (value and rules); the typed properties below are views the
planner reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from typing import Any

from stridewise.directives.bounds import INTENSITY_KEYS, Bound, combine
from stridewise.directives.dose import Scoped
from stridewise.directives.exclude import EXCLUDE_KINDS
from stridewise.directives.merge import OMIT, Ask, Entry, Resolution, Union
from stridewise.directives.registry import DEFAULT, Registry
from stridewise.directives.require import Requirement

__all__ = [
    "DOSE_KEYS",
    "EXCLUDE_KINDS",
    "INTENSITY_KEYS",
    "RANGE_KEYS",
    "Bound",
    "Requirement",
    "Resolution",
    "Resolved",
    "Scoped",
    "combine",
    "resolve",
]

RANGE_KEYS = ("sessions_per_week", "session_minutes", "sets", "reps", "rest_s")
DOSE_KEYS = ("sets", "reps", "seconds", "ground_contacts", "rest_s")


class Resolved(Mapping[str, Resolution]):
    """Every directive the fired rules ask for, after conflict resolution, with provenance.

    `resolved["sets"]` is a `Resolution(value, because)`; only directives some fired rule
    asked for are present. `registry` holds the specs they were resolved with, `warnings` the
    conflicts, `fired` the rule ids in firing order, and `memo` caches the planner's derived
    tables for this (immutable) resolution.
    """

    def __init__(self, resolutions: Mapping[str, Resolution], registry: Registry = DEFAULT,
                 warnings: list[str] | None = None, fired: list[str] | None = None) -> None:
        self._items = dict(resolutions)
        self.registry = registry
        self.warnings: list[str] = list(warnings or ())
        self.fired: list[str] = list(fired or ())
        self.memo: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Resolution:
        return self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def value(self, name: str, default: Any = None) -> Any:
        """The resolved value of `name`, or `default` when no fired rule asked for it."""
        found = self._items.get(name)
        return default if found is None else found.value

    def because(self, name: str) -> list[str]:
        found = self._items.get(name)
        return [] if found is None else list(found.because)

    def replace(self, name: str, resolution: Resolution) -> Resolved:
        """A copy with `name` resolved to `resolution` (and an empty memo)."""
        return Resolved({**self._items, name: resolution}, self.registry, self.warnings,
                        self.fired)

    def to_dict(self) -> dict[str, Any]:
        """The resolved directives with the keys of a rule's `then` (used by rule tests)."""
        out: dict[str, Any] = {}
        for name, spec in self.registry.items():
            policy = self.registry.policy(spec)
            if policy is not None:
                value = policy.then_value(self._items.get(name))
                if value is not OMIT:
                    out[name] = value
        return out

    def entries(self) -> list[Entry]:
        """explain's resulting directives: (label, value, rules), in registry order."""
        out: list[Entry] = []
        for name, resolution in self._items.items():
            spec = self.registry[name]
            if spec.explain is not None:
                out.extend(spec.explain(name, resolution))
            else:
                policy = self.registry.policy(spec)
                if policy is not None:
                    out.extend(policy.explain(name, resolution))
        return out

    # Typed views for the planner (each computed once).

    def bound(self, key: str) -> Bound:
        return self.bounds.get(key) or Bound()

    @cached_property
    def bounds(self) -> dict[str, Bound]:
        return {k: self._items[k].value for k in RANGE_KEYS if k in self._items}

    @cached_property
    def intensity(self) -> dict[str, Bound]:
        return dict(self.value("intensity", {}))

    @cached_property
    def dose_rules(self) -> dict[str, list[tuple[str, int, Mapping[str, Any]]]]:
        """Per dose key, every global bound asked (rule, priority, range), precedence order."""
        return {k: b.asks for k, b in (*self.bounds.items(), *self.intensity.items())}

    @property
    def prescribe(self) -> list[Scoped]:
        return list(self.value("prescribe", ()))

    @property
    def volume_scale(self) -> float | None:
        return self.value("volume_scale")

    @property
    def volume_because(self) -> list[str]:
        return self.because("volume_scale")

    @property
    def requirements(self) -> list[Requirement]:
        return self.value("require", [])

    @cached_property
    def acting(self) -> frozenset[str]:
        """Rules behind some directive other than `notes` (their notes need an effect)."""
        return frozenset(r for name in self if name != "notes" for r in self.because(name))

    @cached_property
    def emphasis(self) -> dict[str, float]:
        return {k: p.value for k, p in self.value("emphasis", {}).items()}

    @cached_property
    def emphasis_because(self) -> dict[str, list[str]]:
        return {k: p.rules for k, p in self.value("emphasis", {}).items()}

    @cached_property
    def exclude(self) -> dict[str, dict[str, list[str]]]:
        """kind -> excluded value -> rules."""
        union: Union | None = self.value("exclude")
        return {} if union is None else union.names

    @cached_property
    def exclude_novel(self) -> list[str]:
        union: Union | None = self.value("exclude")
        return [] if union is None else union.flags.get("novel", [])

    @property
    def constraints(self) -> dict[str, list[tuple[Any, str]]]:
        return self.value("constraints", {})

    @cached_property
    def protocols(self) -> dict[str, tuple[dict[str, Any], str, int]]:
        return {k: (p.value, p.rules[0], p.priority)
                for k, p in self.value("protocol", {}).items()}

    @property
    def heavy_hours(self) -> int | None:
        return self.value("spacing")

    @property
    def heavy_because(self) -> list[str]:
        return self.because("spacing")

    @property
    def away_from(self) -> dict[tuple[str, str], dict[str, Any]]:
        return self.value("away_from", {})

    @property
    def after_run_hours(self) -> int | None:
        return self.value("after_run")

    @property
    def after_run_because(self) -> list[str]:
        return self.because("after_run")

    @property
    def notes(self) -> list[tuple[str, list[str]]]:
        return self.value("notes", [])

    def applied(self) -> list[tuple[Any, Any]]:
        """(spec, value) for each resolved directive applied after the built-in stages."""
        found = self.memo.get("applied")
        if found is None:  # computed once: the resolution and its registry are fixed
            found = self.memo["applied"] = [
                (self.registry[name], r.value) for name, r in self._items.items()
                if self.registry[name].apply is not None]
        return list(found)


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


def resolve(
    fired: Iterable[Any], directives: Registry | Mapping[str, Any] | None = None
) -> Resolved:
    """Resolve every fired rule's `then` into one `Resolved` (see the module docstring).

    `directives` are the plugins' specs (a catalog's `directives`) or a `Registry`; the
    built-ins are always in effect.
    """
    registry = directives if isinstance(directives, Registry) else (
        Registry(directives) if directives else DEFAULT)
    entries = _entries(fired)
    ordered = sorted(entries, key=lambda e: (-e[1], e[3]))
    asked: dict[str, list[Ask]] = {}
    for rid, pri, then, index in ordered:
        for name, value in then.items():
            asked.setdefault(name, []).append(Ask(rid, pri, index, value))
    warnings: list[str] = []
    out: dict[str, Resolution] = {}
    for name, spec in registry.items():
        asks = asked.get(name)
        policy = registry.policy(spec) if asks else None
        if policy is not None and asks:
            resolution = policy.merge(name, asks, warnings)
            if resolution is not None:
                out[name] = resolution
    return Resolved(out, registry, warnings, [e[0] for e in entries])
