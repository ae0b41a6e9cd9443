"""Typed condition trees -> durable-rules JSON conditions, and the fact values they read.

Pure data translation (no durable import): `compile` registers what this produces. Every fact
a condition reads gets a short key (`k0`, `k1`, ...) tagged with the kind it is read as, so the
asserted fact holds only typed values the conditions compare. Each `any`/`all` becomes a
witness condition over one item's fields (keys of their own per list); `compile` finds the
witnesses among the items and the rule tests the witness key (present or absent).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from stridewise.rules import expr as ex
from stridewise.rules.evaluate import MISSING, OPS, atom_kind, fact_at, is_empty, typed, typed_list
from stridewise.tables import Table

__all__ = [
    "SLOTS", "Encoder", "Keys", "Translator", "and_", "encoder", "fact_value", "json_text",
    "keys_in", "or_",
]

class Keys:
    """Short fact keys for (path, tag) pairs, so the asserted JSON holds only what rules read."""

    def __init__(self, prefix: str = "k") -> None:
        self.prefix = prefix
        self.keys: dict[tuple[str, str], str] = {}

    def __call__(self, path: str, tag: str) -> str:
        return self.keys.setdefault((path, tag), f"{self.prefix}{len(self.keys)}")


SLOTS = 1  # items of a list sent in the main fact; longer lists go to the item rulesets
# (with 2 slots, durable refuses, error 113, a default rule with a negated `any` of an `and`)


class _SlotKeys(Keys):
    """Main-fact keys for the fields of item `j` of the list at `path`."""

    def __init__(self, key: Keys, path: str, j: int) -> None:
        super().__init__()
        self.key, self.path, self.j = key, path, j

    def __call__(self, path: str, tag: str) -> str:
        return self.key(self.path, f"slot:{self.j}:{path}:{tag}")


def _has_quant(node: Any) -> bool:
    if isinstance(node, ex.Quant):
        return True
    if isinstance(node, ex.Not):
        return _has_quant(node.expr)
    if isinstance(node, ex.And | ex.Or):
        return any(_has_quant(i) for i in node.items)
    return False


class Translator:
    """Typed condition AST -> durable JSON expression, or True/False when constant."""

    def __init__(self, keys: Keys, slots: bool = False) -> None:
        self.key = keys
        self.slots = slots  # send short lists' items in the main fact (see `quant`)
        self.items: dict[str, Keys] = {}  # list path -> keys of the item fields read
        self.witnesses: dict[str, dict[str, Any]] = {}  # list path -> key -> item condition
        self.unslotted: set[str] = set()  # list paths whose witnesses always need the rulesets

    def cond(self, node: Any, neg: bool = False) -> Any:
        if isinstance(node, ex.Lit):
            return bool(node.value) != neg
        if isinstance(node, ex.Path):
            k = self.key(node.text, "boolean")
            return or_([{"$nex": {k: 1}}, {k: False}]) if neg else {k: True}
        if isinstance(node, ex.Exists):
            k = self.key(node.path.text, "exists")
            return {"$nex" if neg else "$ex": {k: 1}}
        if isinstance(node, ex.Empty):  # the key is sent only for a non-empty value
            k = self.key(node.path.text, "nonempty")
            return {"$ex" if neg else "$nex": {k: 1}}
        if isinstance(node, ex.Quant):
            return self.quant(node, neg)
        if isinstance(node, ex.Not):
            return self.cond(node.expr, not neg)
        if isinstance(node, ex.And | ex.Or):
            items = [self.cond(i, neg) for i in node.items]
            return and_(items) if isinstance(node, ex.And) != neg else or_(items)
        if isinstance(node, ex.Compare):
            return self.compare(node, neg)
        return self.member(node, neg)

    def quant(self, node: ex.Quant, neg: bool) -> Any:
        """A key that is present when some item is a witness: an item meeting the condition
        of an `any`, or failing that of an `all` (durable rulesets per list find them).

        The first SLOTS items skip those rulesets: item j's fields go into the main fact
        under keys of their own (tag `slot:j:field:tag`, with `slot:j` present when the list
        has an item j), and the rule tests the witness condition on each slot as well as the
        witness key, which the item rulesets set from the remaining items."""
        path = node.items.text
        keys = self.items.setdefault(path, Keys())
        witness_neg = node.kind == "all"
        witness = Translator(keys).cond(node.cond, witness_neg)
        holds = (node.kind == "any") != neg  # the value when a witness exists
        if witness is False:  # no item can be a witness
            return not holds
        tag = "witness:" + json.dumps(witness, sort_keys=True)
        k = self.key(path, tag)
        self.witnesses.setdefault(path, {})[k] = witness
        if not self.slots or _has_quant(node.cond):  # the item rulesets only
            self.unslotted.add(path)
            return {"$ex" if holds else "$nex": {k: 1}}
        slots: list[Any] = []
        for j in range(SLOTS):
            slot = Translator(_SlotKeys(self.key, path, j))
            present = self.key(path, f"slot:{j}")
            if holds:
                slots.append(and_([{"$ex": {present: 1}}, slot.cond(node.cond, witness_neg)]))
            else:
                slots.append(or_([{"$nex": {present: 1}},
                                  slot.cond(node.cond, not witness_neg)]))
        if holds:
            return or_([{"$ex": {k: 1}}, *slots])
        return and_([{"$nex": {k: 1}}, *slots])

    def compare(self, node: ex.Compare, neg: bool) -> Any:
        kind = atom_kind(node)
        left, right, op = node.left, node.right, node.op
        if isinstance(left, ex.Lit) and isinstance(right, ex.Lit):
            a, b = typed(left.value, kind), typed(right.value, kind)
            return (a is not MISSING and b is not MISSING and OPS[op](a, b)) != neg
        if isinstance(left, ex.Lit):
            left, right, op = right, left, ex.FLIP[op]
        assert isinstance(left, ex.Path)
        k = self.key(left.text, kind)
        if isinstance(right, ex.Lit):
            value = typed(right.value, kind)
            if value is MISSING:
                return neg
            if neg:
                return or_([{"$nex": {k: 1}}, _op(_NEGATE[op], k, value)])
            return _op(op, k, value)
        k2 = self.key(right.text, kind)
        if neg:
            return or_([{"$nex": {k: 1}}, {"$nex": {k2: 1}}, _op(_NEGATE[op], k, {"$m": k2})])
        return and_([{"$ex": {k2: 1}}, _op(op, k, {"$m": k2})])

    def member(self, node: ex.Member, neg: bool) -> Any:
        kind = atom_kind(node)
        item, items = node.item, node.items
        if isinstance(items, ex.ListLit):
            values = [i.value for i in items.items]
            if isinstance(item, ex.Lit):
                v = typed(item.value, kind)
                return (v is not MISSING and v in values) != neg
            k = self.key(item.text, kind)
            if neg:
                return or_([{"$nex": {k: 1}}, and_([{"$neq": {k: v}} for v in values])])
            return or_([{k: v} for v in values])
        kl = self.key(items.text, "list:" + kind)
        if isinstance(item, ex.Lit):
            v = typed(item.value, kind)
            if v is MISSING:
                return neg
            if neg:
                return or_([{"$nex": {kl: 1}}, {"$iall": {kl: {"$neq": {"$i": v}}}}])
            return {"$iany": {kl: {"$i": v}}}
        ks = self.key(item.text, kind)
        if neg:
            return or_([
                {"$nex": {kl: 1}}, {"$nex": {ks: 1}},
                {"$iall": {kl: {"$neq": {"$i": {"$m": ks}}}}},
            ])
        return and_([{"$ex": {ks: 1}}, {"$iany": {kl: {"$i": {"$m": ks}}}}])


_NEGATE = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_DURABLE_OP = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}


def _op(op: str, key: str, value: Any) -> dict[str, Any]:
    return {key: value} if op == "==" else {_DURABLE_OP[op]: {key: value}}


def and_(items: list[Any]) -> Any:
    if any(i is False for i in items):
        return False
    rest = [i for i in items if i is not True]
    return True if not rest else rest[0] if len(rest) == 1 else {"$and": rest}


def or_(items: list[Any]) -> Any:
    if any(i is True for i in items):
        return True
    rest = [i for i in items if i is not False]
    return False if not rest else rest[0] if len(rest) == 1 else {"$or": rest}


def json_text(value: Any) -> str:
    """JSON for a typed fact value, floats always in fixed-point notation."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = repr(value)
        return format(Decimal(value), "f") if "e" in text else text
    if isinstance(value, list):
        return "[" + ",".join(json_text(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and _PLAIN(value):  # nothing to escape
        return '"' + value + '"'
    return json.dumps(value, ensure_ascii=False)


_PLAIN = re.compile(r'[ !#-\[\]-~]*\Z').match  # printable ASCII but for " and \


def fact_value(facts: Any, parts: tuple[str, ...], tag: str) -> Any:
    """The typed value sent under a key, or MISSING to leave the key out."""
    value = fact_at(facts, parts)
    if tag == "exists":
        return MISSING if value is MISSING else 1
    if tag == "nonempty":
        return MISSING if is_empty(value) else 1
    if tag.startswith("list:"):
        return typed_list(value, tag[5:])
    return typed(value, tag)


Encoder = Callable[[Any], Any]  # facts -> the JSON text sent under a key, or MISSING


def encoder(parts: tuple[str, ...], tag: str) -> Encoder:
    """`fact_value` then `json_text`, specialised once per key: the hot kinds (a number, a
    string, a boolean, `exists`, `nonempty` of a top-level fact) take a direct path for
    exact built-in types, and everything else goes through `fact_value` (same text)."""
    read = _reader(parts)
    if tag == "exists":
        return lambda facts: MISSING if read(facts) is MISSING else "1"
    if tag == "nonempty":
        return lambda facts: MISSING if is_empty(read(facts)) else "1"
    if tag in _SCALAR_TEXT:
        scalar = _SCALAR_TEXT[tag]
        return lambda facts: scalar(read(facts))
    if tag.startswith("list:") and tag[5:] in _SCALAR_TEXT:
        item_text, kind = _SCALAR_TEXT[tag[5:]], tag[5:]

        def listed(facts: Any) -> Any:
            value = read(facts)
            if type(value) is list and value:
                texts = [item_text(v) for v in value]  # MISSING for an item of another kind
                if MISSING not in texts:
                    return "[" + ",".join(texts) + "]"
            return _text(typed_list(value, kind))

        return listed
    return lambda facts: _text(fact_value(facts, parts, tag))  # item witnesses and slots


def _reader(parts: tuple[str, ...]) -> Callable[[Any], Any]:
    if len(parts) != 1:
        return lambda facts: fact_at(facts, parts)
    part = parts[0]

    def read(facts: Any) -> Any:
        if type(facts) is dict:  # what `fact_at` does for one part of a plain dict
            value = facts.get(part)
            return MISSING if value is None else value
        return fact_at(facts, parts)

    return read


def _text(value: Any) -> Any:
    return value if value is MISSING else json_text(value)


def _number_text(value: Any) -> Any:
    if type(value) is int:
        return str(value)
    if type(value) is float and math.isfinite(value):
        return json_text(value)
    return _text(typed(value, "number"))


def _string_text(value: Any) -> Any:
    if type(value) is str:
        text = _STRING_TEXTS.get(value)
        if text is None:
            text = _STRING_TEXTS.put(value, (
                '"' + value + '"' if _PLAIN(value) else json.dumps(value, ensure_ascii=False)))
        return text
    return _text(typed(value, "string"))


STRING_TEXTS_CACHE = 4096  # a string's JSON text (a pure function of the string), bounded
_STRING_TEXTS: Table[str, str] = Table(STRING_TEXTS_CACHE)


def _boolean_text(value: Any) -> Any:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return _text(typed(value, "boolean"))


_SCALAR_TEXT: dict[str, Callable[[Any], Any]] = {
    "number": _number_text, "string": _string_text, "boolean": _boolean_text,
}


def keys_in(cond: Any) -> set[str]:
    """Every fact key a durable expression mentions (including `$m` references)."""
    return {t for t in json.dumps(cond).split('"') if t[:1] == "k" and t[1:].isdigit()}
