"""Rule evaluation semantics shared by both backends, and the pure-Python evaluator.

The agenda loop (priority order, forward chaining through `set`, the cycle guard and the
trace) lives here once; a backend only answers "which rules match these facts, in firing
order". The Python backend (`stridewise.rules.python`) answers with compiled closures: it is
the test oracle for the durable-rules backend and the fallback where durable-rules cannot be
imported.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from stridewise.errors import RuleCycleError
from stridewise.rules import expr as ex
from stridewise.rules.schema import Rule, Ruleset

__all__ = [
    "MAX_CHANGES",
    "MISSING",
    "CompiledRuleset",
    "Evaluation",
    "FiredRule",
    "atom_kind",
    "fact_at",
    "firing_order",
    "is_empty",
    "items_of",
    "paths_read",
]

MAX_CHANGES = 64  # fact changes per evaluation before we call it a cycle
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


@dataclass(frozen=True)
class FiredRule:
    """A rule that fired, with the fact values its condition read when it first fired."""

    rule: Rule
    read: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        r = self.rule
        return {"rule": r.id, "ruleset": r.section, "file": r.file, "line": r.line,
                "priority": r.priority, "read": self.read, "then": r.then, "set": r.sets}


@dataclass(frozen=True)
class Evaluation:
    """The outcome of one evaluation: fired rules in firing order and the final facts."""

    fired: list[FiredRule]
    facts: dict[str, Any]

    @property
    def directives(self) -> list[tuple[str, str, Any]]:
        """(rule id, directive, value) for every fired directive, in firing order."""
        return [(f.rule.id, k, v) for f in self.fired for k, v in f.rule.then.items()]


def fact_at(value: Any, parts: tuple[str, ...]) -> Any:
    """A dotted path's value; a list on the way projects it; null and absent are MISSING."""
    for index, part in enumerate(parts):
        if type(value) is dict:  # the common case, without the ABC checks below
            value = value.get(part, MISSING)
            if value is None or value is MISSING:
                return MISSING
            continue
        if isinstance(value, list):
            out: list[Any] = []
            for item in value:
                got = fact_at(item, parts[index:])
                if got is MISSING:
                    continue
                out.extend(got) if isinstance(got, list) else out.append(got)
            return out
        if not isinstance(value, Mapping):
            return MISSING
        value = value.get(part, MISSING)
        if value is None or value is MISSING:
            return MISSING
    return value


def typed(value: Any, kind: str) -> Any:
    """`value` if it is of `kind`, else MISSING (a comparison across kinds is false)."""
    return value if value is not MISSING and ex.kind_of(value) == kind else MISSING



def typed_list(value: Any, kind: str) -> Any:
    """The items of a list value that are of `kind`; MISSING when none or not a list."""
    if not isinstance(value, list):
        return MISSING
    items = [v for v in value if ex.kind_of(v) == kind]
    return items if items else MISSING


def is_empty(value: Any) -> bool:
    """`empty(path)`: missing, null or an empty list (a projection may give one)."""
    return value is MISSING or (isinstance(value, list) and not value)


def items_of(value: Any) -> list[Mapping[str, Any]]:
    """The items `any`/`all` range over: a non-list is no items; a non-object item has no
    fields."""
    if not isinstance(value, list):
        return []
    return [item if isinstance(item, Mapping) else {} for item in value]


def atom_kind(node: ex.Compare | ex.Member) -> str:
    """The one kind an atom compares (plugin facts take the kind of the other side)."""
    sides: list[Any] = (
        [node.left, node.right] if isinstance(node, ex.Compare) else [node.item, node.items]
    )
    for side in sides:
        if isinstance(side, ex.Path) and side.type.kind != "any":
            return side.type.kind
        if isinstance(side, ex.Lit):
            return ex.kind_of(side.value)
        if isinstance(side, ex.ListLit) and side.items:
            return ex.kind_of(side.items[0].value)
    return "string"  # only `x in []` reaches here; it is false whatever the kind


def paths_read(node: Any) -> list[str]:
    """Every fact path a condition reads, in the order written."""
    out: list[str] = []

    def walk(n: Any) -> None:
        if isinstance(n, ex.Path):
            out.append(n.text)
        elif isinstance(n, ex.Exists | ex.Empty):
            out.append(n.path.text)
        elif isinstance(n, ex.Quant):  # the paths inside name item fields, not facts
            out.append(n.items.text)
        elif isinstance(n, ex.Compare):
            walk(n.left)
            walk(n.right)
        elif isinstance(n, ex.Member):
            walk(n.item)
            walk(n.items)
        elif isinstance(n, ex.Not):
            walk(n.expr)
        elif isinstance(n, ex.And | ex.Or):
            for item in n.items:
                walk(item)

    walk(node)
    return list(dict.fromkeys(out))


def firing_order(rules: Iterable[Rule]) -> list[Rule]:
    """Rules in firing order: priority (higher first), then file order."""
    return sorted(rules, key=lambda r: (-r.priority, r.index))


def _same(a: Any, b: Any) -> bool:
    return ex.kind_of(a) == ex.kind_of(b) and a == b


def apply_sets(facts: dict[str, Any], sets: Mapping[str, Any]) -> dict[str, Any] | None:
    """Facts after a rule's `set`, or None when every value is already what it would set."""
    new: dict[str, Any] | None = None
    for key, value in sets.items():
        if key.startswith("ext."):
            ext: Mapping[str, Any] = facts.get("ext") or {}
            if not isinstance(ext, Mapping):
                ext = {}
            name = key[4:]
            if name in ext and _same(ext[name], value):
                continue
            new = new if new is not None else dict(facts)
            new["ext"] = {**(new.get("ext") or {}), name: value}
        elif not (key in facts and _same(facts[key], value)):
            new = new if new is not None else dict(facts)
            new[key] = value
    return new


class CompiledRuleset:
    """A ruleset ready to evaluate; backends implement `_matches` (and `close` if they hold
    resources)."""

    backend = "abstract"

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.order = firing_order(ruleset.rules)
        self._reads = [tuple((p, tuple(p.split("."))) for p in paths_read(r.expr))
                       for r in self.order]

    def _matches(self, facts: dict[str, Any], memo: dict[str, Any]) -> Iterator[int]:
        """Positions of the rules matching `facts`, in firing order. `memo` is one dict per
        evaluation, the same in each of its rounds (a round ends where a `set` changed the
        facts), where a backend may keep work that still holds in the next round."""
        raise NotImplementedError  # pragma: no cover

    def close(self) -> None:
        """Free whatever the backend holds; evaluating afterwards is an error."""

    def evaluate(self, facts: Mapping[str, Any]) -> Evaluation:
        """Fire every matching rule in order, chaining through `set`, and trace what fired."""
        current = dict(facts)
        fired: dict[int, FiredRule] = {}
        changers: list[str] = []
        memo: dict[str, Any] = {}
        while True:
            changed = None
            seen: dict[str, Any] = {}  # path -> value this round, for the fired rules' reads
            for index in self._matches(current, memo):
                if index not in fired:
                    read = {}
                    for path, parts in self._reads[index]:
                        value = seen.get(path, MISSING)
                        if value is MISSING:
                            value = seen[path] = _plain(fact_at(current, parts))
                        read[path] = value
                    fired[index] = FiredRule(self.order[index], read)
                rule = self.order[index]
                if rule.sets and (changed := apply_sets(current, rule.sets)) is not None:
                    changers.append(rule.id)
                    break
            if changed is None:
                return Evaluation(list(fired.values()), current)
            if len(changers) > MAX_CHANGES:
                raise _cycle(changers)
            current = changed


def _plain(value: Any) -> Any:
    return None if value is MISSING else value


def _cycle(changers: list[str]) -> RuleCycleError:
    recent = changers[-16:]
    names = list(dict.fromkeys(recent))
    return RuleCycleError(
        f"rules kept changing each other's facts ({len(changers) - 1} changes, limit "
        f"{MAX_CHANGES}): {' -> '.join(recent[-8:])}; rules in the cycle: {', '.join(names)}. "
        "Make their `set` values agree or their conditions exclusive.",
        names,
    )
