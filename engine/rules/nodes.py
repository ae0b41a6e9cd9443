"""The typed syntax tree of `when` conditions, shared by the parser and both backends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "And",
    "Compare",
    "Exists",
    "Expr",
    "ExprError",
    "ListLit",
    "Lit",
    "Member",
    "Not",
    "Or",
    "Path",
    "Type",
    "kind_of",
]


class ExprError(Exception):
    """A condition problem at a 0-based column of the condition text."""

    def __init__(self, col: int, message: str) -> None:
        super().__init__(message)
        self.col, self.message = col, message


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
class Not:
    expr: Expr
    col: int


@dataclass(frozen=True)
class And:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Expr, ...]


Expr = Compare | Member | Exists | Not | And | Or | Lit | Path


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
    if isinstance(node, Lit | Exists):
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
