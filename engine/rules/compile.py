"""Compile a ruleset onto durable-rules, guarding every hazard of design §3.

This is the only module that imports durable-rules. Each design §3 row maps to one guard here:
`assert_fact` (never `post`) so every matching rule fires; `_QuietHost` starts no timer
threads; one lock per compiled ruleset covers a whole evaluation; every chunk carries a
lowest-priority catch-all rule so every fact matches; a fresh sid per assert and
`delete_state` in `finally`; our priorities become distinct `pri` values 0…65535 in firing
order; the cycle guard and `state["exception"]` check; chunks of at most 64 rules; a new
unique durable name per compiled version, freed with `delete_ruleset` on `close()`; and a
warned fallback to the Python backend where durable-rules cannot be imported (Python ≥ 3.13).
The durable rulesets that find `any`/`all` witnesses among list items (see DurableRuleset) are
built and asserted to by the same `_register` and `_run`, so they carry the same guards.
"""

from __future__ import annotations

import itertools
import json
import sys
import threading
import warnings
from collections.abc import Iterator
from typing import Any

from ..errors import Diagnostic, EvaluationError, RuleActionError, RulesetError, StridewiseError
from .evaluate import MISSING, CompiledRuleset, PythonRuleset, items_of, paths_read, resolve
from .schema import Ruleset
from .translate import Keys, Translator, fact_value, json_text, keys_in

__all__ = ["CHUNK_SIZE", "BackendWarning", "DurableRuleset", "compile_ruleset", "durable_available"]

CHUNK_SIZE = 64  # durable's fixed 64-entry stack: more overlapping rules per ruleset fail
CHUNK_TESTS = 256  # distinct tests per durable ruleset; above ~512 building it hangs
CATCH_ALL_PRI = 65535  # `pri` is an unsigned short; lower fires first
_ALWAYS = {"$ex": {"t": 1}}  # every fact we assert carries t: 1

try:  # pragma: no branch - which arm runs depends on the interpreter
    if sys.version_info >= (3, 13):
        raise ImportError("durable-rules 2.0.28 does not import on Python >= 3.13")
    with warnings.catch_warnings():  # 3.12 builds warn on import; the tests treat it as error
        warnings.simplefilter("ignore", DeprecationWarning)
        import durable_rules_engine as _dre
        from durable import engine as _engine

    class _QuietHost(_engine.Host):
        """A durable Host whose `_run` starts no timer threads (they steal pending actions)."""

        def _run(self) -> None:
            return None

    _HOST: Any = _QuietHost()
    _IMPORT_ERROR: str | None = None
except ImportError as err:  # pragma: no cover - only on interpreters without durable-rules
    _dre = None
    _HOST = None
    _IMPORT_ERROR = str(err)

_NAMES = itertools.count(1)
_SIDS = itertools.count(1)
_REGISTRY = threading.Lock()  # create/delete of durable rulesets touch process-wide tables


class BackendWarning(UserWarning):
    """The durable-rules backend is unavailable; the pure-Python backend is used instead."""


def durable_available() -> bool:
    """Whether durable-rules imported on this interpreter."""
    return _HOST is not None


def compile_ruleset(ruleset: Ruleset, *, backend: str = "auto") -> CompiledRuleset:
    """Compile for evaluation: "durable", "python" or "auto" (durable, else python + warning)."""
    if backend == "python":
        return PythonRuleset(ruleset)
    if backend not in ("auto", "durable"):
        raise StridewiseError(f"unknown backend '{backend}'; use auto, durable or python")
    if _HOST is None:
        if backend == "durable":
            raise StridewiseError(f"the durable-rules backend is unavailable: {_IMPORT_ERROR}")
        warnings.warn(
            f"durable-rules is unavailable ({_IMPORT_ERROR}); using the pure-Python rules "
            "backend, which gives the same answers", BackendWarning, stacklevel=2,
        )
        return PythonRuleset(ruleset)
    return DurableRuleset(ruleset)


class _Chunk:
    """One durable ruleset holding at most CHUNK_SIZE of our rules (by firing position)."""

    def __init__(self, name: str, positions: list[int], keys: list[tuple[str, Any, str]]):
        self.name = name
        self.positions = positions
        self.keys = keys  # (short key, path parts, tag) this chunk's conditions read
        self.durable: Any = None
        self.assert_text: Any = None


class DurableRuleset(CompiledRuleset):
    """The durable-rules backend; thread-safe through one lock around each evaluation.

    `any(list, cond)`/`all(list, cond)`: durable's own `$iany`/`$iall` get `or` across item
    fields wrong (only the item's last field is seen), so each list with quantifiers gets its
    own durable rulesets, one rule per distinct item condition (a witness: an item making an
    `any` true or an `all` false). Every item is asserted there as a fact of its own, and the
    main fact then carries a key per witness found, which the rule conditions test.
    """

    backend = "durable"

    def __init__(self, ruleset: Ruleset) -> None:
        super().__init__(ruleset)
        self._lock = threading.Lock()
        self._sink: list[int] = []
        self._closed = False
        self._pending: list[_Chunk] = []  # registered but not yet in chunks/item_chunks
        self.chunks: list[_Chunk] = []
        self.item_chunks: list[tuple[tuple[str, ...], list[str], list[_Chunk]]] = []
        self.name = f"stridewise{next(_NAMES)}"
        keys = Keys()
        translate = Translator(keys)
        conditions: list[tuple[int, Any]] = []
        for position, rule in enumerate(self.order):
            cond = translate.cond(rule.expr)
            if cond is not False:  # a constant-false rule can never fire
                conditions.append((position, _anchor(cond)))
        self.chunks = self._register(conditions, keys, "", self._rule_error)
        for number, (path, witnesses) in enumerate(translate.witnesses.items()):
            names = list(witnesses)
            chunks = self._register(
                [(i, _anchor(witnesses[k])) for i, k in enumerate(names)],
                translate.items[path], f"_items{number}", self._item_error(path),
            )
            self.item_chunks.append((tuple(path.split(".")), names, chunks))

    def _register(
        self, conditions: list[tuple[int, Any]], keys: Keys, label: str, error: Any
    ) -> list[_Chunk]:
        chunks: list[_Chunk] = []
        tags = {v: k for k, v in keys.keys.items()}
        for number, part in enumerate(_partition(conditions)):
            used = sorted({k for _, c in part for k in keys_in(c)} & tags.keys())
            chunk = _Chunk(
                f"{self.name}{label}_{number}", [p for p, _ in part],
                [(k, tuple(tags[k][0].split(".")), tags[k][1]) for k in used],
            )
            definition: dict[str, Any] = {
                f"r{slot}": {"all": [{"m": cond}], "pri": slot, "run": self._action(position)}
                for slot, (position, cond) in enumerate(part)
            }
            definition["catch_all"] = {
                "all": [{"m": _ALWAYS}], "pri": CATCH_ALL_PRI, "run": _ignore
            }
            chunks.append(chunk)
            self._pending = chunks
            with _REGISTRY:
                try:
                    _HOST.register_rulesets({chunk.name: definition})
                except Exception as err:  # durable_rules_engine.error has no useful type
                    self._free()
                    raise error(part[0][0], len(part), err) from err
                chunk.durable = _HOST.get_ruleset(chunk.name)
            chunk.assert_text = _asserter(chunk.durable)
        return chunks

    def _rule_error(self, position: int, count: int, err: Exception) -> RulesetError:
        first = self.order[position]
        return RulesetError([Diagnostic(
            first.file, first.line, first.col,
            f"durable-rules cannot compile rule '{first.id}' and the {count - 1} after it: {err}",
        )])

    def _item_error(self, path: str) -> Any:
        def error(position: int, count: int, err: Exception) -> RulesetError:
            first = next((r for r in self.order if path in paths_read(r.expr)), self.order[0])
            return RulesetError([Diagnostic(
                first.file, first.line, first.col,
                f"durable-rules cannot compile the any()/all() conditions on {path}: {err}",
            )])

        return error

    def _action(self, position: int) -> Any:
        sink = self._sink

        def fired(c: Any) -> None:
            sink.append(position)

        return fired

    def evaluate(self, facts: Any) -> Any:
        """Evaluate under this ruleset's lock (the C binding is not thread-safe)."""
        with self._lock:
            if self._closed:
                raise EvaluationError(f"ruleset {self.ruleset.version} was closed (reloaded)")
            return super().evaluate(facts)

    def _matches(self, facts: dict[str, Any]) -> Iterator[int]:
        values: dict[str, Any] = {}
        for parts, names, chunks in self.item_chunks:
            found: set[int] = set()
            for item in items_of(resolve(facts, parts)):
                found.update(self._run(chunks, item, {}))
            values.update({k: "1" if i in found else MISSING for i, k in enumerate(names)})
        yield from self._run(self.chunks, facts, values)

    def _run(self, chunks: list[_Chunk], facts: Any, values: dict[str, Any]) -> Iterator[int]:
        """Assert `facts` (only the typed values each chunk reads) to every chunk, in order."""
        for chunk in chunks:
            for key, parts, tag in chunk.keys:
                if key not in values:
                    value = fact_value(facts, parts, tag)
                    values[key] = value if value is MISSING else json_text(value)
        for chunk in chunks:
            sid = str(next(_SIDS))
            text = "".join([f'{{"sid":"{sid}","t":1', *(
                f',"{key}":{values[key]}' for key, _, _ in chunk.keys
                if values[key] is not MISSING
            ), "}"])
            sink = self._sink
            sink.clear()
            try:
                state = _HOST._handle_function(chunk.durable, chunk.assert_text, text, None)
            except Exception as err:
                raise EvaluationError(f"durable-rules failed on {chunk.name}: {err}") from err
            finally:
                chunk.durable.delete_state(sid)
            if isinstance(state, dict) and state.get("exception"):
                raise RuleActionError(
                    f"a rule action failed inside durable-rules: {state['exception']}"
                )
            fired = sorted(set(sink))
            sink.clear()
            yield from fired

    def close(self) -> None:
        """Free the durable rulesets (handles and memory) of this compiled version."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            with _REGISTRY:
                self._free()

    def _free(self) -> None:
        items = [c for _, _, chunks in self.item_chunks for c in chunks]
        for chunk in [*self.chunks, *items, *self._pending]:
            if chunk.durable is None:
                continue
            _HOST._ruleset_directory.pop(chunk.name, None)
            if chunk.durable in _HOST._ruleset_list:
                _HOST._ruleset_list.remove(chunk.durable)
            _dre.delete_ruleset(chunk.durable._handle)
            chunk.durable = None


def _asserter(durable: Any) -> Any:
    """Assert a fact given as JSON text we wrote (durable's own json.dumps would write
    exponents such as 1e-05, which its C parser rejects)."""
    handle = durable._handle

    def assert_text(text: str) -> Any:
        return durable._handle_result(_dre.assert_fact(handle, text), text)

    return assert_text


def _partition(conditions: list[tuple[int, Any]]) -> list[list[tuple[int, Any]]]:
    """Split rules, in firing order, into chunks of at most CHUNK_SIZE rules and CHUNK_TESTS
    distinct tests (durable hangs building a ruleset of more than ~512 tests)."""
    chunks: list[list[tuple[int, Any]]] = []
    tests: set[str] = set()
    for position, cond in conditions:
        leaves = _leaves(cond)
        if not chunks or len(chunks[-1]) >= CHUNK_SIZE or len(tests | leaves) > CHUNK_TESTS:
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


def _anchor(cond: Any) -> Any:
    """Start every condition with a positive test: durable loops forever on a fact when a
    rule's condition is only negative tests (`$nex` alone, or an `$or` of them)."""
    if cond is True:
        return _ALWAYS
    items = cond["$and"] if isinstance(cond, dict) and "$and" in cond else [cond]
    return {"$and": [{"t": 1}, *items]}


def _ignore(c: Any) -> None:
    return None

