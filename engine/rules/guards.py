"""Guards: which rules can match at all, without looking at every rule.

A rule whose condition is a conjunction can only match when each of its tests holds, so one
test of the form `path OP literal` or `path in [literals]` (its guard) is indexed: equality
tests in a dict from literal to rules, ordered tests (`<`, `<=`, `>`, `>=`) as literals
sorted per (path, operator), found by bisection. `candidates(facts)` gives, in firing order,
the rules whose guard holds plus the rules without one; the backend then checks only those.
A guard never decides that a rule matches, only that it cannot: a false candidate costs one
check, and a value of another kind, a missing value or a NaN can only add candidates.

An ordered test is preferred as the guard over an equality: categorical facts (`phase ==
"peak"`) are shared by many rules, thresholds rarely are. Evaluation then grows with the
rules that can match rather than with the ruleset (design: "Scale" in docs/performance.md).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from typing import Any

from stridewise.rules import expr as ex
from stridewise.rules.evaluate import MISSING, atom_kind, fact_at, typed

__all__ = ["Guards"]

_ORDERED = ("<", "<=", ">", ">=")
_KINDS = ("number", "string", "boolean")


class Guards:
    """An index of rules (by position in firing order) under one guard test each."""

    def __init__(self, conditions: Sequence[Any]) -> None:
        self.reads: dict[tuple[str, str], int] = {}  # (path, kind) -> value slot
        self.equal: dict[int, dict[Any, list[int]]] = {}
        ordered: dict[tuple[int, str], list[tuple[Any, int]]] = {}
        self.always: list[int] = []
        for position, cond in enumerate(conditions):
            guard = self._guard(cond)
            if guard is None:
                self.always.append(position)
            elif guard[1] == "==":
                slot, _, literals = guard
                table = self.equal.setdefault(slot, {})
                for literal in dict.fromkeys(literals):
                    table.setdefault(literal, []).append(position)
            else:
                slot, op, literals = guard
                ordered.setdefault((slot, op), []).append((literals[0], position))
        self.ordered: list[tuple[int, str, list[Any], list[int]]] = []
        for (slot, op), entries in ordered.items():
            entries.sort(key=lambda e: e[0])
            self.ordered.append((slot, op, [e[0] for e in entries], [e[1] for e in entries]))
        self._parts = [tuple(path.split(".")) for path, _ in self.reads]
        self._kinds = [kind for _, kind in self.reads]
        self.indexed = len(conditions) - len(self.always)

    def _guard(self, cond: Any) -> tuple[int, str, list[Any]] | None:
        """(value slot, "==" or the ordered operator, literals) of the test to index."""
        tests = cond.items if isinstance(cond, ex.And) else (cond,)
        found: list[tuple[int, str, list[Any]]] = []
        for test in tests:
            guard = self._test(test)
            if guard is not None:
                found.append(guard)
        if not found:
            return None
        return next((g for g in found if g[1] != "=="), found[0])

    def _test(self, node: Any) -> tuple[int, str, list[Any]] | None:
        if isinstance(node, ex.Compare):
            left, right, op = node.left, node.right, node.op
            if isinstance(left, ex.Lit) and isinstance(right, ex.Path):
                left, right, op = right, left, ex.FLIP[op]
            if not (isinstance(left, ex.Path) and isinstance(right, ex.Lit)):
                return None
            kind = atom_kind(node)
            literal = typed(right.value, kind)
            if kind not in _KINDS or literal is MISSING:
                return None
            if op == "==":
                return self._slot(left.text, kind), "==", [literal]
            if op in _ORDERED and kind != "boolean":
                return self._slot(left.text, kind), op, [literal]
            return None
        if isinstance(node, ex.Member) and isinstance(node.item, ex.Path) and isinstance(
            node.items, ex.ListLit
        ):
            kind = atom_kind(node)
            literals = [typed(i.value, kind) for i in node.items.items]
            if kind not in _KINDS or any(v is MISSING for v in literals):
                return None  # the check itself decides (a literal of another kind)
            return self._slot(node.item.text, kind), "==", literals
        return None

    def _slot(self, path: str, kind: str) -> int:
        return self.reads.setdefault((path, kind), len(self.reads))

    def candidates(self, facts: Mapping[str, Any]) -> list[int]:
        """Positions, in firing order, of the rules that may match `facts`."""
        if not self.indexed:
            return self.always
        values = [typed(fact_at(facts, parts), kind)
                  for parts, kind in zip(self._parts, self._kinds, strict=True)]
        found = list(self.always)
        for slot, table in self.equal.items():
            value = values[slot]
            if value is not MISSING:
                hit = table.get(value)
                if hit:
                    found.extend(hit)
        for slot, op, literals, positions in self.ordered:
            x = values[slot]
            if x is MISSING:
                continue
            try:  # the rules whose `x op literal` holds, from the sorted literals
                if op == ">=":
                    found.extend(positions[:bisect_right(literals, x)])
                elif op == ">":
                    found.extend(positions[:bisect_left(literals, x)])
                elif op == "<=":
                    found.extend(positions[bisect_left(literals, x):])
                else:
                    found.extend(positions[bisect_right(literals, x):])
            except TypeError:  # not comparable after all: let the checks decide
                found.extend(positions)
        found.sort()
        return found
