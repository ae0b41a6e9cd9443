"""The pure-Python backend: each rule's condition compiled to closures over resolved values.

The test oracle for the durable-rules backend and the fallback where durable-rules cannot be
imported (Python >= 3.13). Only the rules whose guard holds (`stridewise.rules.guards`) are
checked, so evaluation grows with the rules that can match, not with the ruleset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from stridewise.rules import expr as ex
from stridewise.rules.evaluate import (
    MISSING,
    OPS,
    CompiledRuleset,
    atom_kind,
    fact_at,
    is_empty,
    items_of,
    typed,
    typed_list,
)
from stridewise.rules.guards import Guards
from stridewise.rules.schema import Ruleset

__all__ = ["PythonRuleset", "compile_condition"]

# --- the Python backend ------------------------------------------------------------------------

Values = list[Any]
Check = Callable[[Values], bool]


class _Slots:
    """Distinct (path, tag) reads of a ruleset; each is resolved once per evaluation."""

    def __init__(self) -> None:
        self.index: dict[tuple[str, str], int] = {}
        self.readers: list[Callable[[Mapping[str, Any]], Any]] = []

    def __call__(self, path: str, tag: str) -> int:
        key = (path, tag)
        if key not in self.index:
            self.index[key] = len(self.readers)
            self.readers.append(_reader(tuple(path.split(".")), tag))
        return self.index[key]

    def read(self, facts: Mapping[str, Any]) -> Values:
        return [read(facts) for read in self.readers]


def _reader(parts: tuple[str, ...], tag: str) -> Callable[[Mapping[str, Any]], Any]:
    if tag == "exists":
        return lambda facts: fact_at(facts, parts) is not MISSING
    if tag == "empty":
        return lambda facts: is_empty(fact_at(facts, parts))
    if tag == "items":
        return lambda facts: items_of(fact_at(facts, parts))
    if tag.startswith("list:"):
        kind = tag[5:]
        return lambda facts: typed_list(fact_at(facts, parts), kind)
    return lambda facts: typed(fact_at(facts, parts), tag)


def compile_condition(node: Any, slot: _Slots) -> Check:
    """A closure over resolved values computing a condition with the semantics of
    docs/rules.md; it shares nothing with the durable translation but the value typing."""
    if isinstance(node, ex.Lit):
        constant = bool(node.value)
        return lambda v: constant
    if isinstance(node, ex.Path):
        i = slot(node.text, "boolean")
        return lambda v: v[i] is True
    if isinstance(node, ex.Exists):
        i = slot(node.path.text, "exists")
        return lambda v: v[i]
    if isinstance(node, ex.Empty):
        i = slot(node.path.text, "empty")
        return lambda v: v[i]
    if isinstance(node, ex.Quant):
        return _quantifier(node, slot)
    if isinstance(node, ex.Not):
        inner = compile_condition(node.expr, slot)
        return lambda v: not inner(v)
    if isinstance(node, ex.And | ex.Or):
        items = [compile_condition(i, slot) for i in node.items]
        if len(items) == 2:
            a, b = items
            return (lambda v: a(v) and b(v)) if isinstance(node, ex.And) else (
                lambda v: a(v) or b(v))
        return (lambda v: all(i(v) for i in items)) if isinstance(node, ex.And) else (
            lambda v: any(i(v) for i in items))
    kind = atom_kind(node)
    if isinstance(node, ex.Compare):
        op = OPS[node.op]
        if isinstance(node.left, ex.Path) and isinstance(node.right, ex.Lit):
            i, lit = slot(node.left.text, kind), typed(node.right.value, kind)
            if lit is MISSING:
                return lambda v: False
            return lambda v: (x := v[i]) is not MISSING and op(x, lit)
        left, right = _operand(node.left, kind, slot), _operand(node.right, kind, slot)

        def compare(v: Values) -> bool:
            a, b = left(v), right(v)
            return a is not MISSING and b is not MISSING and op(a, b)

        return compare
    item = _operand(node.item, kind, slot)
    if isinstance(node.items, ex.ListLit):
        values = tuple(i.value for i in node.items.items)
        return lambda v: (x := item(v)) is not MISSING and x in values
    j = slot(node.items.text, "list:" + kind)
    return lambda v: (x := item(v)) is not MISSING and (xs := v[j]) is not MISSING and x in xs


def _quantifier(node: ex.Quant, slot: _Slots) -> Check:
    """`any`/`all`: the condition is compiled against one item's fields, with its own slots."""
    i = slot(node.items.text, "items")
    fields = _Slots()
    check = compile_condition(node.cond, fields)
    if node.kind == "any":
        return lambda v: any(check(fields.read(item)) for item in v[i])
    return lambda v: all(check(fields.read(item)) for item in v[i])


def _operand(node: Any, kind: str, slot: _Slots) -> Callable[[Values], Any]:
    if isinstance(node, ex.Lit):
        value = typed(node.value, kind)
        return lambda v: value
    i = slot(node.text, kind)
    return lambda v: v[i]


class PythonRuleset(CompiledRuleset):
    """The pure-Python backend: the oracle for tests and the fallback without durable-rules."""

    backend = "python"

    def __init__(self, ruleset: Ruleset) -> None:
        super().__init__(ruleset)
        self._slots = _Slots()
        self._checks = [compile_condition(r.expr, self._slots) for r in self.order]
        self._guards = Guards([r.expr for r in self.order])

    def _matches(self, facts: dict[str, Any], memo: dict[str, Any]) -> Iterator[int]:
        values = self._slots.read(facts)
        checks = self._checks
        for index in self._guards.candidates(facts):
            if checks[index](values):
                yield index
