"""Merge policies: how the asks of several fired rules for one directive become one value.

A directive's spec names its policy; `planning.resolve` hands each policy the asks for its
directive in precedence order (higher priority first, then firing order) and keeps the
`Resolution` it returns. A policy also says how the resolved value reads with the keys of a
rule's `then` (rule tests) and as explain's "resulting directives" entries. The policies here
are shared by several directives; a family with a rule of its own keeps its policy in its
module (bounds, prescribe, require, exclude, away_from). docs/resolution.md is the contract.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

__all__ = [
    "OMIT",
    "ApplyAllMerge",
    "Ask",
    "CollectMerge",
    "Entry",
    "MaxMerge",
    "MergePolicy",
    "MinMerge",
    "NotesMerge",
    "Pick",
    "PriorityMerge",
    "Resolution",
    "Union",
    "UnionMerge",
]

OMIT: Any = object()  # `then_value` for a directive that shows nothing when no rule asked


class Ask(NamedTuple):
    """One fired rule's value for a directive."""

    rule: str
    priority: int
    order: int  # firing order
    value: Any


class Pick(NamedTuple):
    """The value kept for one key of a keyed directive, the rules behind it and their priority."""

    value: Any
    rules: list[str]
    priority: int


@dataclass(frozen=True)
class Resolution:
    """A directive's resolved value and the rules behind it (precedence order)."""

    value: Any
    because: list[str]


Entry = tuple[str, Any, list[str]]  # explain: (directive label, value, rules)


class MergePolicy:
    """The conflict rule of one kind of directive. Subclasses implement `merge`."""

    summary = ""  # the rule in one line, for the generated docs tables

    def label(self, name: str) -> str:
        """How the docs tables name the resolved directive."""
        return f"`{name}`"

    def merge(self, name: str, asks: Sequence[Ask], warnings: list[str]) -> Resolution | None:
        raise NotImplementedError

    def then_value(self, resolution: Resolution | None) -> Any:
        """The resolved value with the keys of a rule's `then`; OMIT to leave it out."""
        return OMIT if resolution is None else resolution.value

    def explain(self, name: str, resolution: Resolution) -> list[Entry]:
        """explain's entries for this directive: one per resolved item."""
        return [(name, resolution.value, list(resolution.because))]


class CollectMerge(MergePolicy):
    """Every ask as a `(rule_id, value)` pair in precedence order (the plugins' default)."""

    summary = "collected as `(rule id, value)` pairs in priority order"

    def merge(self, name: str, asks: Sequence[Ask], warnings: list[str]) -> Resolution:
        return Resolution([(a.rule, a.value) for a in asks], [a.rule for a in asks])

    def then_value(self, resolution: Resolution | None) -> Any:
        return OMIT if resolution is None else [value for _, value in resolution.value]

    def explain(self, name: str, resolution: Resolution) -> list[Entry]:
        return [(name, value, [rule]) for rule, value in resolution.value]


class _Extreme(MergePolicy):
    """The smallest (or largest) number wins; rules asking for the same winner all count.

    With `field`, the rule's value is a mapping and the number is `value[field]`.
    """

    @staticmethod
    def better(new: Any, best: Any) -> bool:
        raise NotImplementedError

    def __init__(self, field: str | None = None, cast: Callable[[Any], Any] = float) -> None:
        self.field, self.cast = field, cast

    def merge(self, name: str, asks: Sequence[Ask], warnings: list[str]) -> Resolution | None:
        best: Any = None
        because: list[str] = []
        for ask in asks:
            value = (ask.value or {}).get(self.field) if self.field else ask.value
            if value is None:
                continue
            if best is None or self.better(value, best):
                best, because = self.cast(value), [ask.rule]
            elif value == best:
                because.append(ask.rule)
        return None if best is None else Resolution(best, because)

    def label(self, name: str) -> str:
        return f"`{name}.{self.field}`" if self.field else f"`{name}`"

    def then_value(self, resolution: Resolution | None) -> Any:
        value = None if resolution is None else resolution.value
        return {self.field: value} if self.field else value

    def explain(self, name: str, resolution: Resolution) -> list[Entry]:
        label = f"{name}.{self.field}" if self.field else name
        return [(label, resolution.value, list(resolution.because))]


class MinMerge(_Extreme):
    summary = "the **smallest** wins"

    @staticmethod
    def better(new: Any, best: Any) -> bool:
        return bool(new < best)


class MaxMerge(_Extreme):
    summary = "the **largest** wins"

    @staticmethod
    def better(new: Any, best: Any) -> bool:
        return bool(new > best)


class PriorityMerge(MergePolicy):
    """Per key, the highest priority wins; `tie` combines values of equal priority (None:
    the first fired stands).

    The rule's value is a mapping key -> value, or with `key` a list of mappings identified
    by `item[key]` (protocols by `id`). The resolved value is key -> `Pick`.
    """

    def __init__(self, key: str | None = None, tie: Callable[[Any, Any], Any] | None = None,
                 cast: Callable[[Any], Any] | None = None) -> None:
        self.key, self.tie, self.cast = key, tie, cast
        equal = "equal priorities **multiply**" if tie is operator.mul else (
            "equal priority: the first fired stands")
        by = f"union by `{key}`; on the same `{key}`" if key else "per key,"
        self.summary = f"{by} the **highest priority wins** ({equal})"

    def _items(self, value: Any) -> list[tuple[Any, Any]]:
        if self.key:
            return [(item[self.key], dict(item)) for item in value or ()]
        return list((value or {}).items())

    def merge(self, name: str, asks: Sequence[Ask], warnings: list[str]) -> Resolution | None:
        picks: dict[Any, Pick] = {}
        for ask in asks:
            for key, value in self._items(ask.value):
                value = self.cast(value) if self.cast else value
                old = picks.get(key)
                if old is None:
                    picks[key] = Pick(value, [ask.rule], ask.priority)
                elif self.tie is not None and old.priority == ask.priority:
                    old.rules.append(ask.rule)
                    picks[key] = Pick(self.tie(old.value, value), old.rules, old.priority)
        if not picks:
            return None
        because = list(dict.fromkeys(r for p in picks.values() for r in p.rules))
        return Resolution(picks, because)

    def then_value(self, resolution: Resolution | None) -> Any:
        picks = {} if resolution is None else resolution.value
        if self.key:
            return [p.value for p in picks.values()]
        return {k: p.value for k, p in picks.items()}

    def explain(self, name: str, resolution: Resolution) -> list[Entry]:
        if self.key:
            return [(name, p.value, [p.rules[0]]) for p in resolution.value.values()]
        return [(f"{name}.{k}", p.value, list(p.rules)) for k, p in resolution.value.items()]


class ApplyAllMerge(MergePolicy):
    """Union of named items, each with every value any rule gave it: name -> [(value, rule)]."""

    summary = ("**union**: every name any rule gives is applied, with every parameter set a "
               "rule gave")

    def merge(self, name: str, asks: Sequence[Ask], warnings: list[str]) -> Resolution | None:
        out: dict[str, list[tuple[Any, str]]] = {}
        for ask in asks:
            for key, value in (ask.value or {}).items():
                out.setdefault(key, []).append((value, ask.rule))
        if not out:
            return None
        because = list(dict.fromkeys(r for given in out.values() for _, r in given))
        return Resolution(out, because)

    def then_value(self, resolution: Resolution | None) -> Any:
        given = {} if resolution is None else resolution.value
        return {k: v[0][0] for k, v in given.items()}

    def explain(self, name: str, resolution: Resolution) -> list[Entry]:
        return [(f"{name}.{k}", v[0][0], [r for _, r in v]) for k, v in resolution.value.items()]


@dataclass
class Union:
    """A union of names per kind, each with the rules that named it, and flags with theirs."""

    names: dict[str, dict[str, list[str]]]  # kind -> name -> rules, in first-named order
    flags: dict[str, list[str]]  # flag -> rules that set it true


class UnionMerge(MergePolicy):
    """**Union** of the names a mapping lists per kind (`exclude: {tags: [...], ...}`) and of
    its true flags (`novel: true`). The resolved value is a `Union`."""

    summary = "**union**: everything any rule names counts, each with every rule that named it"

    def __init__(self, kinds: tuple[str, ...], flags: tuple[str, ...] = ()) -> None:
        self.kinds, self.flags = kinds, flags

    def merge(self, name: str, asks: Sequence[Ask], warnings: list[str]) -> Resolution | None:
        out = Union({}, {})
        because: list[str] = []
        for ask in asks:
            given = ask.value or {}
            for kind in self.kinds:
                for value in given.get(kind) or ():
                    rules = out.names.setdefault(kind, {}).setdefault(value, [])
                    if ask.rule not in rules:
                        rules.append(ask.rule)
                        because.append(ask.rule)
            for flag in self.flags:
                if given.get(flag) and ask.rule not in out.flags.setdefault(flag, []):
                    out.flags[flag].append(ask.rule)
                    because.append(ask.rule)
        out.flags = {k: v for k, v in out.flags.items() if v}
        if not out.names and not out.flags:
            return None
        return Resolution(out, list(dict.fromkeys(because)))

    def then_value(self, resolution: Resolution | None) -> Any:
        union = Union({}, {}) if resolution is None else resolution.value
        return {**{k: sorted(v) for k, v in union.names.items()},
                **{flag: bool(union.flags.get(flag)) for flag in self.flags}}

    def explain(self, name: str, resolution: Resolution) -> list[Entry]:
        union = resolution.value
        out: list[Entry] = [(f"{name}.{kind}", value, list(rules))
                            for kind, values in union.names.items()
                            for value, rules in values.items()]
        out.extend((f"{name}.{flag}", True, list(rules)) for flag, rules in union.flags.items())
        return out


class NotesMerge(MergePolicy):
    """Texts in firing order, each once, with every rule that gave it."""

    summary = "firing order, duplicates removed"

    def merge(self, name: str, asks: Sequence[Ask], warnings: list[str]) -> Resolution | None:
        seen: dict[str, list[str]] = {}
        for ask in sorted(asks, key=lambda a: a.order):
            for text in ask.value or ():
                rules = seen.setdefault(text, [])
                if ask.rule not in rules:
                    rules.append(ask.rule)
        if not seen:
            return None
        because = list(dict.fromkeys(r for rules in seen.values() for r in rules))
        return Resolution(list(seen.items()), because)

    def then_value(self, resolution: Resolution | None) -> Any:
        return [] if resolution is None else [text for text, _ in resolution.value]

    def explain(self, name: str, resolution: Resolution) -> list[Entry]:
        return [(name, text, list(rules)) for text, rules in resolution.value]

