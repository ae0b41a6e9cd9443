"""Static cycle check: rules whose `set`s can undo each other are an error when loaded.

Two rules that set the same fact to different values (`phase: peak` and `phase: taper`) loop
forever if each one's condition can still hold after the other has fired: the evaluator would
flip the fact back and forth until its cycle guard stops the request. We catch the cases that
can be seen from the conditions alone. Rule A (sets k = a) and rule B (sets k = b) form a cycle
unless A's condition is false with k = b, B's is false with k = a, or their conditions exclude
each other on another fact (`race.days_until <= 7` against `race.days_until > 7`,
`race.priority == "A"` against `race.priority in ["B", "C"]`). What stays unclear (`or`,
`any`, plugin facts) counts as "can hold", so the check errs towards naming a pair; the message
says how to make the conditions exclusive.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from stridewise.errors import Diagnostic
from stridewise.rules.nodes import And, Compare, ListLit, Lit, Member, Not, Or, Path, kind_of

__all__ = ["set_cycles"]

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def set_cycles(rules: Sequence[Any]) -> list[Diagnostic]:
    """One error per fact whose values rules can set round in a circle, at the last rule."""
    out: list[Diagnostic] = []
    keys = sorted({key for rule in rules for key in rule.sets})
    for key in keys:
        setters = [r for r in rules if key in r.sets]
        cycle = _first_cycle(key, setters)
        if cycle is None:
            continue
        last = max(cycle, key=lambda r: r.index)
        steps = ", ".join(f"'{r.id}' sets {key} = {_show(r.sets[key])}" for r in cycle)
        where = ", ".join(f"'{r.id}' at {r.file}:{r.line}" for r in cycle)
        first = cycle[0]
        undo = _show(cycle[-1].sets[key])
        out.append(Diagnostic(last.file, last.line, last.col, (
            f"rules {', '.join(repr(r.id) for r in cycle)} can undo each other: {steps}, and "
            f"each condition can still hold after the one before it fired, so they would set "
            f"{key} round in a circle ({where}); make the conditions exclusive (for example "
            f"add {key} != {undo} to '{first.id}') or let them set the same value"
        )))
    return out


def _first_cycle(key: str, setters: list[Any]) -> list[Any] | None:
    """Rules r1..rn with r(i+1) able to fire on r(i)'s value and r1 on rn's, jointly possible."""
    values = list(dict.fromkeys(_hashable(r.sets[key]) for r in setters))
    if len(values) < 2:
        return None
    # edge u -> rule: the rule can fire while the fact is u (and would change it)
    edges = {u: [r for r in setters if _hashable(r.sets[key]) != u
                 and _truth(r.expr, key, u) is not False] for u in values}
    found: list[list[Any]] = []

    def walk(start: Any, value: Any, path: list[Any]) -> None:
        if len(found) >= MAX_CYCLES or len(path) > len(values):
            return
        for rule in edges[value]:
            target = _hashable(rule.sets[key])
            if target == start:
                found.append([*path, rule])
            elif all(_hashable(r.sets[key]) != target for r in path):
                walk(start, target, [*path, rule])

    for start in values:
        walk(start, start, [])
        for cycle in found:
            if _jointly_possible(cycle, key):
                return sorted(cycle, key=lambda r: r.index)
        found.clear()
    return None


MAX_CYCLES = 64  # candidate cycles examined per starting value (rule files have few setters)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _jointly_possible(cycle: list[Any], key: str) -> bool:
    """Can every rule on the cycle hold at once on the facts other than `key`?"""
    bounds: dict[str, _Bounds] = {}
    for rule in cycle:
        for path, op, value in _atoms(rule.expr):
            if path != key and not bounds.setdefault(path, _Bounds()).add(op, value):
                return False
    return True


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    return str(value).lower() if isinstance(value, bool) else str(value)


def _truth(node: Any, key: str, value: Any) -> bool | None:
    """The condition's value when only fact `key` is known (= value); None when unclear."""
    if isinstance(node, And):
        parts = [_truth(n, key, value) for n in node.items]
        return False if False in parts else (True if all(p is True for p in parts) else None)
    if isinstance(node, Or):
        parts = [_truth(n, key, value) for n in node.items]
        return True if True in parts else (False if all(p is False for p in parts) else None)
    if isinstance(node, Not):
        inner = _truth(node.expr, key, value)
        return None if inner is None else not inner
    if isinstance(node, Compare):
        left, right = _known(node.left, key, value), _known(node.right, key, value)
        if left is _UNKNOWN or right is _UNKNOWN:
            return None
        if kind_of(left) != kind_of(right):
            return False
        return _OPS[node.op](left, right)
    if isinstance(node, Member) and isinstance(node.items, ListLit):
        item = _known(node.item, key, value)
        return None if item is _UNKNOWN else item in [i.value for i in node.items.items]
    if isinstance(node, Lit) and isinstance(node.value, bool):
        return node.value
    return None


_UNKNOWN: Any = object()


def _known(side: Any, key: str, value: Any) -> Any:
    if isinstance(side, Lit):
        return side.value
    if isinstance(side, Path) and side.text == key:
        return value
    return _UNKNOWN


def _atoms(node: Any) -> Iterator[tuple[str, str, Any]]:
    """(path, op, literal) facts a condition requires at its top level (`and` only)."""
    if isinstance(node, And):
        for item in node.items:
            yield from _atoms(item)
    elif isinstance(node, Compare):
        if isinstance(node.left, Path) and isinstance(node.right, Lit):
            yield node.left.text, node.op, node.right.value
        elif isinstance(node.right, Path) and isinstance(node.left, Lit):
            yield node.right.text, _FLIP[node.op], node.left.value
    elif isinstance(node, Member) and isinstance(node.item, Path) and \
            isinstance(node.items, ListLit):
        yield node.item.text, "in", frozenset(i.value for i in node.items.items)
    elif isinstance(node, Not) and isinstance(node.expr, Member) and \
            isinstance(node.expr.item, Path) and isinstance(node.expr.items, ListLit):
        yield node.expr.item.text, "not in", frozenset(i.value for i in node.expr.items.items)


@dataclass
class _Bounds:
    """What one fact may be: an interval for numbers, allowed/excluded sets for the rest."""

    lo: float = float("-inf")
    lo_open: bool = False
    hi: float = float("inf")
    hi_open: bool = False
    allowed: set[Any] | None = None
    excluded: set[Any] = field(default_factory=set)

    def add(self, op: str, value: Any) -> bool:
        """Narrow by one requirement; False when nothing is left."""
        if op in ("in", "not in") or not isinstance(value, int | float) or \
                isinstance(value, bool):
            values = set(value) if op in ("in", "not in") else {value}
            if op in ("==", "in"):
                self.allowed = values if self.allowed is None else self.allowed & values
            elif op in ("!=", "not in"):
                self.excluded |= values
            else:
                return True
            return self.allowed is None or bool(self.allowed - self.excluded)
        if op in (">", ">=", "=="):
            if value > self.lo or (value == self.lo and op == ">"):
                self.lo, self.lo_open = value, op == ">"
        if op in ("<", "<=", "=="):
            if value < self.hi or (value == self.hi and op == "<"):
                self.hi, self.hi_open = value, op == "<"
        if op == "!=":
            return True
        return self.lo < self.hi or (self.lo == self.hi and not (self.lo_open or self.hi_open))
