"""The typed syntax tree of `when` conditions and the types of fact paths it refers to."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from stridewise.errors import ExpressionError
from stridewise.facts import FACTS, FactType

__all__ = [
    "And",
    "Compare",
    "Empty",
    "Exists",
    "Expr",
    "ListLit",
    "Lit",
    "Member",
    "Not",
    "Or",
    "Path",
    "Quant",
    "Type",
    "item_facts",
    "kind_of",
    "size",
    "type_of_path",
]


@dataclass(frozen=True)
class Type:
    """A checked type: kind is number/string/boolean/object/any; `many` marks lists."""

    kind: str
    many: bool = False
    values: tuple[str, ...] | None = None

    def describe(self) -> str:
        base = {"any": "a plugin fact", "object": "an object"}.get(self.kind, f"a {self.kind}")
        return f"a list of {self.kind}s" if self.many else base


@dataclass(frozen=True)
class Lit:
    value: Any
    col: int


@dataclass(frozen=True)
class ListLit:
    items: tuple[Lit, ...]
    col: int


@dataclass(frozen=True)
class Path:
    text: str
    col: int
    type: Type = Type("any")


@dataclass(frozen=True)
class Compare:
    op: str
    left: Path | Lit
    right: Path | Lit
    col: int


@dataclass(frozen=True)
class Member:
    """`item in items`; `items` is a list literal or a list-valued path."""

    item: Path | Lit
    items: Path | ListLit
    col: int


@dataclass(frozen=True)
class Exists:
    path: Path
    col: int


@dataclass(frozen=True)
class Empty:
    """`empty(path)`: the value is missing, null or an empty list."""

    path: Path
    col: int


@dataclass(frozen=True)
class Quant:
    """`any(items, cond)` / `all(items, cond)`: `cond` over each item of a list of objects."""

    kind: str
    items: Path
    cond: Expr
    col: int


@dataclass(frozen=True)
class Not:
    expr: Expr
    col: int


@dataclass(frozen=True)
class And:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Expr, ...]


Expr = Compare | Member | Exists | Empty | Quant | Not | And | Or | Lit | Path


def kind_of(value: Any) -> str:
    """The condition-language kind of a runtime value (bool is not a number)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number" if value == value and abs(value) != float("inf") else "other"
    if isinstance(value, str):
        return "string"
    return "other"


MAX_TESTS = 128  # durable-rules hangs building a ruleset of more than ~512 distinct tests
MAX_ALTERNATIVES = 1024  # durable expands `or` into alternatives; 2**16 of them fail (error 113)


def size(node: Any, neg: bool = False) -> tuple[int, int]:
    """(tests, alternatives) of a condition as the rules engine expands it: every comparison
    or list item is a test; `or` adds alternatives, `and` multiplies them, and a negated
    comparison also matches a missing value, which is one more alternative."""
    if isinstance(node, Not):
        return size(node.expr, not neg)
    if isinstance(node, And | Or):
        parts = [size(item, neg) for item in node.items]
        tests = sum(t for t, _ in parts)
        if isinstance(node, And) != neg:
            product = 1
            for _, alternatives in parts:
                product *= alternatives
            return tests, product
        return tests, sum(a for _, a in parts)
    if isinstance(node, Lit | Exists | Empty):
        return 1, 1
    if isinstance(node, Quant):  # one key test; its item condition is sized on its own
        return 1, 1
    if isinstance(node, Path):
        return 1, 2 if neg else 1
    if isinstance(node, Member) and isinstance(node.items, ListLit):
        count = max(1, len(node.items.items))
        return count, 2 if neg else count
    paths = sum(isinstance(side, Path) for side in _sides(node))
    return paths, (1 + paths) if neg else 1


def _sides(node: Any) -> tuple[Any, Any]:
    return (node.left, node.right) if isinstance(node, Compare) else (node.item, node.items)


def item_facts(path: Path, facts: Mapping[str, Any] = FACTS) -> Mapping[str, Any]:
    """The field types of one item of a list-of-objects fact (for `any`/`all`)."""
    node: Any = facts
    for part in path.text.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    if not (isinstance(node, list) and isinstance(node[0], Mapping)):
        raise ExpressionError(path.col, (
            f"'{path.text}' is {path.type.describe()}; any() and all() take a list of objects "
            f"such as active_injuries (for a list of values, use 'x in {path.text}')"
        ))
    return node[0]


def type_of_path(
    path: str, col: int = 0, facts: Mapping[str, Any] = FACTS, scope: str = ""
) -> Type:
    """The type of a dotted fact path, or an ExpressionError naming the unknown part; `scope` names
    the list whose item fields `facts` holds (inside any/all)."""
    parts = path.split(".")
    if parts[0] == "ext" and not scope:
        if len(parts) == 1:
            raise ExpressionError(col, "'ext' holds plugin facts; name one, as in ext.some_fact")
        return Type("any")
    node: Any = facts
    many = False
    offset = col
    for index, part in enumerate(parts):
        if isinstance(node, list):
            many, node = True, node[0]
        if not isinstance(node, Mapping):
            raise ExpressionError(
                offset, f"'{'.'.join(parts[:index])}' has no fields; drop '.{part}'"
            )
        known = [k for k in node if not k.startswith("__")]
        if part not in node and "__any__" in node and not part.startswith("__"):
            node = node["__any__"]  # an object keyed by name (e1rm.<exercise_id>)
            offset += len(part) + 1
            continue
        if part not in node or part.startswith("__"):
            close = difflib.get_close_matches(part, known, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            where = "" if index == 0 else f" of '{'.'.join(parts[:index])}'"
            what = "fact"
            if scope and index == 0:
                what = "field"
                where = f" of an item of '{scope}' (inside any/all, paths name its fields)"
            raise ExpressionError(
                offset, f"unknown {what} '{part}'{where}; {hint}known: {', '.join(sorted(known))}"
            )
        node = node[part]
        offset += len(part) + 1
    if isinstance(node, list):
        many, node = True, node[0]
    if isinstance(node, FactType):
        return Type(node.kind, many, node.values)
    return Type("object", many)
