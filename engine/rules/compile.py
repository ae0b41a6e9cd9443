"""Compile a ruleset onto durable-rules, guarding every hazard of design §3.

This is the only module that imports durable-rules. Each design §3 row maps to one guard here:
`assert_fact` (never `post`) so every matching rule fires; `_QuietHost` starts no timer
threads; one lock per compiled ruleset covers a whole evaluation; every chunk carries a
lowest-priority catch-all rule so every fact matches; one session (sid) per chunk, each
fact retracted once its firings are read, the session deleted on any failure and before its
ruleset (one live session per chunk, so durable's 1,024 per ruleset cannot be reached, and
none leaks), and kept only for the most recently used SESSION_RULES rules (memory: ~14 KB a
rule); our priorities become distinct `pri` values
0…65535 in firing order; the cycle guard and `state["exception"]` check; chunks of at most
64 rules; a new unique durable name per compiled version, freed with `delete_ruleset` on
`close()`; and a warned fallback to the Python backend where durable-rules cannot be
imported (Python ≥ 3.13).
The durable rulesets that find `any`/`all` witnesses among list items (see DurableRuleset) are
built by the same `_register` and asserted to by the same `_assert` (all items in one call,
retracted in one), so they carry the same guards. Chunks none of whose rules' guard holds
(`stridewise.rules.guards`) are not asserted to at all.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import sys
import threading
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

from stridewise.errors import (
    Diagnostic,
    EvaluationError,
    RulesetError,
    StridewiseError,
)
from stridewise.rules.chunks import ALWAYS, Chunk, anchor, changed_facts, fact_text, partition
from stridewise.rules.evaluate import (
    MISSING,
    CompiledRuleset,
    Evaluation,
    fact_at,
    items_of,
    paths_read,
)
from stridewise.rules.guards import Guards
from stridewise.rules.python import PythonRuleset
from stridewise.rules.schema import Ruleset
from stridewise.rules.sessions import Sessions
from stridewise.rules.translate import SLOTS, Encoder, Keys, Translator, encoder, keys_in

__all__ = ["CHUNK_SIZE", "BackendWarning", "DurableRuleset", "compile_ruleset", "durable_available"]

CHUNK_SIZE = 64  # durable's fixed 64-entry stack: more overlapping rules per ruleset fail
CHUNK_TESTS = 256  # distinct tests per durable ruleset; above ~512 building it hangs
CATCH_ALL_PRI = 65535  # `pri` is an unsigned short; lower fires first

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
SID = "0"  # the one durable session each ruleset's evaluations assert to and retract from
SESSION_RULES = 1024  # rules whose sessions are kept between evaluations (~14 KB a rule)
_HEAD = '{"sid":"' + SID + '"'
_REGISTRY = threading.Lock()  # create/delete of durable rulesets touch process-wide tables


Slot = tuple[str, Encoder]  # main-fact key, the text of the item field it holds


class BackendWarning(UserWarning):
    """The durable-rules backend is unavailable; the pure-Python backend is used instead."""


def durable_available() -> bool:
    """Whether durable-rules imported on this interpreter."""
    return _HOST is not None


def compile_ruleset(ruleset: Ruleset, *, backend: str = "auto") -> CompiledRuleset:
    """Compile for evaluation: "durable", "python" or "auto" (durable, else python + warning)."""
    with _collector_paused():
        return _compile(ruleset, backend)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Compiling allocates tens of objects per rule that all stay alive; the cyclic collector's
    full passes over them made compile time grow faster than the ruleset (x47 from 1,000 to
    10,000 rules), so it is paused while compiling and restored after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _compile(ruleset: Ruleset, backend: str) -> CompiledRuleset:
    if backend == "python":
        return PythonRuleset(ruleset)
    if backend not in ("auto", "durable"):
        raise StridewiseError(f"unknown backend '{backend}'; use auto, durable or python")
    if _HOST is None:
        if backend == "durable":
            raise StridewiseError(f"the durable-rules backend is unavailable: {_IMPORT_ERROR}")
        warnings.warn(
            f"durable-rules is unavailable ({_IMPORT_ERROR}); using the pure-Python rules "
            "backend, which gives the same answers", BackendWarning, stacklevel=3,
        )
        return PythonRuleset(ruleset)
    return DurableRuleset(ruleset)


class DurableRuleset(CompiledRuleset):
    """The durable-rules backend; thread-safe through one lock around each evaluation.

    `any(list, cond)`/`all(list, cond)`: durable's own `$iany`/`$iall` get `or` across item
    fields wrong (only the item's last field is seen), so each list with quantifiers gets its
    own durable rulesets, one rule per distinct item condition (a witness: an item making an
    `any` true or an `all` false). The list's first SLOTS items go into the main fact under
    keys of their own, which the rule conditions test directly; the other items (distinct
    ones) are asserted to the item rulesets in ONE `assert_facts` call, retracted in one
    `retract_facts` call, and the main fact then carries a key per witness found. Where
    durable refuses the conditions with items in the main fact (it does for larger negated
    ones), every item goes to the item rulesets, as the conditions without slots test only
    the witness keys.
    """

    backend = "durable"

    def __init__(self, ruleset: Ruleset) -> None:
        super().__init__(ruleset)
        self._lock = threading.Lock()
        self._closed = False
        self._pending: list[Chunk] = []  # registered but not yet in chunks/item_chunks
        self._sessions = Sessions(SESSION_RULES, _delete_session)
        self.chunks: list[Chunk] = []
        self.item_chunks: list[tuple[tuple[str, ...], list[str], list[Chunk]]] = []
        # per list: whether its item rulesets always run, and per slot j the key present
        # when item j is sent in the main fact and (key, encoder) of its fields
        self.item_slots: list[tuple[bool, list[tuple[str | None, list[Slot]]]]] = []
        self.name = f"stridewise{next(_NAMES)}"
        keys = Keys()
        translate = Translator(keys, slots=True)
        plain = Translator(keys)  # the same conditions with every list in the item rulesets
        plain.items, plain.witnesses = translate.items, translate.witnesses
        slotted: list[tuple[int, Any]] = []
        conditions: list[tuple[int, Any]] = []
        for position, rule in enumerate(self.order):
            cond = translate.cond(rule.expr)
            if cond is not False:  # a constant-false rule can never fire
                slotted.append((position, anchor(cond)))
                conditions.append((position, anchor(plain.cond(rule.expr))))
        always = translate.unslotted
        self._guards = Guards([r.expr for r in self.order])
        try:
            self.chunks = self._register(slotted, keys, "", self._rule_error)
        except RulesetError:  # durable refuses some larger conditions (error 113)
            if slotted == conditions:
                raise
            self.chunks = self._register(conditions, keys, "_plain", self._rule_error)
            always = set(translate.witnesses)
        self._chunk_of = {p: n for n, chunk in enumerate(self.chunks) for p in chunk.positions}
        unguarded = set(self._guards.always)  # a chunk holding one is asserted to every time
        self._assert_all = len(self.chunks) == 1 or all(  # so no guard pass is needed
            unguarded.intersection(c.positions) for c in self.chunks)
        self._keys_of: dict[str, list[str]] = {}  # top-level fact -> the main-fact keys it feeds
        for (path, _), key in keys.keys.items():
            self._keys_of.setdefault(path.split(".")[0], []).append(key)
        for number, (path, witnesses) in enumerate(translate.witnesses.items()):
            names = list(witnesses)
            chunks = self._register(
                [(i, anchor(witnesses[k])) for i, k in enumerate(names)],
                translate.items[path], f"_items{number}", self._item_error(path),
            )
            self.item_chunks.append((tuple(path.split(".")), names, chunks))
            slots: list[tuple[str | None, list[Slot]]] = [(None, []) for _ in range(SLOTS)]
            for (key_path, tag), key in keys.keys.items():
                if key_path != path or not tag.startswith("slot:"):
                    continue
                parts = tag.split(":", 3)  # slot, j[, field, field tag]
                j = int(parts[1])
                if len(parts) == 2:
                    slots[j] = (key, slots[j][1])
                else:
                    slots[j][1].append((key, encoder(tuple(parts[2].split(".")), parts[3])))
            self.item_slots.append((path in always, [] if path in always else slots))

    def _register(
        self, conditions: list[tuple[int, Any]], keys: Keys, label: str, error: Any
    ) -> list[Chunk]:
        chunks: list[Chunk] = []
        tags = {v: k for k, v in keys.keys.items()}
        for number, part in enumerate(partition(conditions, CHUNK_SIZE, CHUNK_TESTS)):
            used = sorted({k for _, c in part for k in keys_in(c)} & tags.keys())
            chunk = Chunk(
                f"{self.name}{label}_{number}", [p for p, _ in part],
                [(k, tuple(tags[k][0].split(".")), tags[k][1]) for k in used],
            )
            definition: dict[str, Any] = {  # `run` is never called: see `_assert`
                f"r{slot}": {"all": [{"m": cond}], "pri": slot, "run": _ignore}
                for slot, (_, cond) in enumerate(part)
            }
            definition["catch_all"] = {
                "all": [{"m": ALWAYS}], "pri": CATCH_ALL_PRI, "run": _ignore
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
                chunk.handle = chunk.durable._handle
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

    def evaluate(self, facts: Mapping[str, Any]) -> Evaluation:
        """Evaluate under this ruleset's lock (the C binding is not thread-safe)."""
        with self._lock:
            if self._closed:
                raise EvaluationError(f"ruleset {self.ruleset.version} was closed (reloaded)")
            return super().evaluate(facts)

    def _matches(self, facts: dict[str, Any], memo: dict[str, Any]) -> Iterator[int]:
        """Assert to each candidate chunk the fact its conditions read.

        Across the rounds of one evaluation (`memo`), a key's text is kept while the
        top-level fact it is read from is the same object (`set` replaces only the facts it
        sets), and a chunk whose fact text is what it was last round is not asserted again:
        the same text gives the same firings."""
        values: dict[str, Any] = memo.setdefault("values", {})
        fired: dict[str, tuple[str, list[int]]] = memo.setdefault("fired", {})
        previous = memo.get("facts")
        changed = None if previous is None else changed_facts(previous, facts)
        memo["facts"] = facts
        for top in changed or ():
            for key in self._keys_of.get(top, ()):
                values.pop(key, None)
        for (parts, names, chunks), (always, slots) in zip(
            self.item_chunks, self.item_slots, strict=True
        ):
            if changed is None or parts[0] in changed:  # (lists of objects cannot be `set`)
                self._item_values(values, items_of(fact_at(facts, parts)), names, chunks,
                                  always, slots)
        for chunk in self._candidate_chunks(facts):
            for key, encode in chunk.encoders:
                if key not in values:
                    values[key] = encode(facts)
            body = fact_text(chunk, values)
            last = fired.get(chunk.name)
            if last is None or last[0] != body:
                last = fired[chunk.name] = (body, self._assert(chunk, [body]))
            yield from last[1]

    def _item_values(
        self, values: dict[str, Any], items: list[Any], names: list[str],
        chunks: list[Chunk], always: bool, slots: list[tuple[str | None, list[Slot]]],
    ) -> None:
        """The main-fact keys of one list: its witness keys (from the item rulesets, for the
        items not sent in the main fact) and the fields of the items that are."""
        sent = items[:SLOTS]  # in the main fact; the rest go to the item rulesets
        rest = items if always else items[len(sent):]
        if rest:
            found = set(self._run_items(chunks, rest))
            values.update({k: "1" if i in found else MISSING for i, k in enumerate(names)})
        else:
            values.update(dict.fromkeys(names, MISSING))
        for j, (present, fields) in enumerate(slots):
            if present is not None:
                values[present] = "1" if j < len(sent) else MISSING
            for key, encode in fields:
                values[key] = encode(sent[j]) if j < len(sent) else MISSING

    def _candidate_chunks(self, facts: dict[str, Any]) -> list[Chunk]:
        """The chunks holding a rule whose guard holds: the others cannot fire, so they are
        not asserted to (`stridewise.rules.guards`)."""
        if self._assert_all or not self._guards.indexed:
            return self.chunks
        chunk_of = self._chunk_of
        wanted = {chunk_of[p] for p in self._guards.candidates(facts) if p in chunk_of}
        return [chunk for n, chunk in enumerate(self.chunks) if n in wanted]

    def _run_items(self, chunks: list[Chunk], items: list[Any]) -> Iterator[int]:
        """Assert every item of a list to each item chunk in ONE call under one sid (items
        that give the same fact are sent once: durable refuses a repeated fact)."""
        values = [dict[str, Any]() for _ in items]
        for chunk in chunks:
            bodies: dict[str, None] = {}
            for item, item_values in zip(items, values, strict=True):
                for key, encode in chunk.encoders:
                    if key not in item_values:
                        item_values[key] = encode(item)
                bodies[fact_text(chunk, item_values)] = None
            yield from self._assert(chunk, list(bodies))

    def _assert(self, chunk: Chunk, bodies: list[str]) -> list[int]:
        """Assert facts (JSON bodies without the sid) and retract them once their firings
        are read; the positions of the rules that fired, in firing order.

        The facts go to one session (`SID`) that every evaluation reuses, asserted then
        retracted: durable allocates and initialises frame pools for every rule of a new
        session, which cost more than the matching (37 against 21 µs for 64 rules). When
        anything goes wrong the session is deleted, so the next evaluation starts a fresh
        one (the lock around `evaluate` keeps evaluations apart).

        The agenda is driven through the C binding directly: durable's Python layer would,
        per firing, parse the state and the matched fact from JSON, build a `Closure`, call
        the action, dump the state back to JSON and store it. Our actions only record which
        rule fired, which the name heading the action's message already says, so no Python
        action runs (and none can fail and be swallowed into `state["exception"]`)."""
        handle = chunk.handle
        if len(bodies) == 1:
            text = _HEAD + bodies[0]
            call, retract = _dre.assert_fact, _dre.retract_fact
        else:
            text = "[" + ",".join(_HEAD + b for b in bodies) + "]"
            call, retract = _dre.assert_facts, _dre.retract_facts
        rules = chunk.rules
        fired: list[int] = []
        clean = False
        try:
            code, state = call(handle, text)
            if code:  # 2: already observed, a fact left behind: only when deleting the session
                # after a failure failed too (`_delete_session` swallows that), so try once more
                _delete_session(handle)
                code, state = call(handle, text)
            if code:  # 1: no rule took the fact (every fact has t: 1 for the catch-all)
                raise EvaluationError(f"durable-rules refused the fact on {chunk.name} "
                                      f"(result {code}): {text}")
            action = _dre.start_action_for_state(handle, state)
            message = action[1] if action else None
            while message:  # '{"r3":{"m":{...}}}': the rule name is the first key
                position = rules[message[2:message.index('"', 2)]]
                if position is not None:
                    fired.append(position)
                message = _dre.complete_and_start_action(handle, state)
            code, _ = retract(handle, text)
            clean = code == 0
        except StridewiseError:
            raise
        except Exception as err:  # durable_rules_engine.error has no useful type
            raise EvaluationError(f"durable-rules failed on {chunk.name}: {err}") from err
        finally:
            if clean:
                self._sessions.keep(chunk)
            else:
                self._sessions.drop(chunk)
        return sorted(set(fired))  # by pri, as durable fires them; one per rule

    def close(self) -> None:
        """Free the durable rulesets (handles and memory) of this compiled version."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            with _REGISTRY:
                self._free()

    def _free(self) -> None:
        self._sessions.drop_all()  # durable's delete_ruleset would leak them
        items = [c for _, _, chunks in self.item_chunks for c in chunks]
        for chunk in [*self.chunks, *items, *self._pending]:
            if chunk.durable is None:
                continue
            _HOST._ruleset_directory.pop(chunk.name, None)
            if chunk.durable in _HOST._ruleset_list:
                _HOST._ruleset_list.remove(chunk.durable)
            _dre.delete_ruleset(chunk.durable._handle)
            chunk.durable = None


def _ignore(c: Any) -> None:
    return None


def _delete_session(handle: Any) -> None:
    """Drop the session (a next assert starts a fresh one); there may be none to drop."""
    with contextlib.suppress(Exception):  # durable_rules_engine.error: no such session
        _dre.delete_state(handle, SID)

