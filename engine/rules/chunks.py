"""A chunk of rules on one durable ruleset, and the fact text it is sent.

Pure data (no durable import): `compile` registers the chunks and asserts their facts. A
chunk reads some short keys; each key has an encoder giving its JSON text (or MISSING) from
the facts, and the body is the chunk's fact without the sid.
"""

from __future__ import annotations

import json
from typing import Any

from stridewise.rules.evaluate import MISSING
from stridewise.rules.translate import encoder

__all__ = ["ALWAYS", "Chunk", "anchor", "changed_facts", "fact_text", "partition"]

ALWAYS = {"$ex": {"t": 1}}  # every fact we assert carries t: 1


class Chunk:
    """One durable ruleset holding at most CHUNK_SIZE of our rules (by firing position)."""

    def __init__(self, name: str, positions: list[int], keys: list[tuple[str, Any, str]]):
        self.name = name
        self.positions = positions
        self.keys = keys  # (short key, path parts, tag) this chunk's conditions read
        self.encoders = [(key, encoder(parts, tag)) for key, parts, tag in keys]
        self.heads = [(key, f',"{key}":') for key, _, _ in keys]  # what precedes each value
        # durable rule name -> our firing position (the catch-all maps to None)
        self.rules: dict[str, int | None] = {f"r{slot}": p for slot, p in enumerate(positions)}
        self.rules["catch_all"] = None
        self.durable: Any = None
        self.handle: Any = None


def fact_text(chunk: Chunk, values: dict[str, Any]) -> str:
    """A chunk's fact as JSON after the sid: t plus the keys it reads that have a value."""
    return ',"t":1' + "".join([
        head + text for key, head in chunk.heads if (text := values[key]) is not MISSING
    ]) + "}"


def changed_facts(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    """The top-level facts that are not the same object in `new` as in `old`."""
    out = {k for k, v in new.items() if old.get(k, MISSING) is not v}
    out.update(k for k in old if k not in new)
    return out


def anchor(cond: Any) -> Any:
    """Start every condition with a positive test: durable loops forever on a fact when a
    rule's condition is only negative tests (`$nex` alone, or an `$or` of them)."""
    if cond is True:
        return ALWAYS
    items = cond["$and"] if isinstance(cond, dict) and "$and" in cond else [cond]
    return {"$and": [{"t": 1}, *items]}


def partition(
    conditions: list[tuple[int, Any]], size: int, most_tests: int
) -> list[list[tuple[int, Any]]]:
    """Split rules, in firing order, into chunks of at most `size` rules and `most_tests`
    distinct tests (durable hangs building a ruleset of more than ~512 tests)."""
    chunks: list[list[tuple[int, Any]]] = []
    tests: set[str] = set()
    for position, cond in conditions:
        leaves = _leaves(cond)
        if not chunks or len(chunks[-1]) >= size or len(tests | leaves) > most_tests:
            chunks.append([])
            tests = set()
        chunks[-1].append((position, cond))
        tests |= leaves
    return chunks


def _leaves(cond: Any) -> set[str]:
    if isinstance(cond, dict) and len(cond) == 1:
        (key, value), = cond.items()
        if key in ("$and", "$or"):
            return set().union(*(_leaves(c) for c in value))
    return {json.dumps(cond, sort_keys=True)}
