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
