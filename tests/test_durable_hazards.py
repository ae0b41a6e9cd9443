"""Each row of design §3 pinned: the raw durable-rules hazard (where safe) and our guard."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import warnings
from collections.abc import Callable
from typing import Any

import pytest
from stridewise.errors import EvaluationError, RuleCycleError
from stridewise.rules import Rule, Ruleset, compile_ruleset, durable_available, parse_expr
from stridewise.rules import compile as backend
from stridewise.rules.chunks import fact_text

pytestmark = pytest.mark.skipif(not durable_available(), reason="durable-rules not importable")


def make_ruleset(*specs: tuple[str, str] | tuple[str, str, dict[str, Any], int]) -> Ruleset:
    """A ruleset from (id, when[, set, priority]) tuples, in file order."""
    rules = []
    for index, spec in enumerate(specs):
        rule_id, when = spec[0], spec[1]
        sets = spec[2] if len(spec) > 2 else {}  # type: ignore[misc]
        priority = spec[3] if len(spec) > 3 else 0  # type: ignore[misc]
        rules.append(Rule(rule_id, "test", "test.yaml", index + 1, 5, when, parse_expr(when),
                          {"notes": [rule_id]}, dict(sets), priority, index=index))
    return Ruleset("test", "sha256:test", tuple(rules), ("test.yaml",))


FACTS = {"age": 40, "phase": "peak", "weekly_run_km": 50.0, "bodyweight_only": False,
         "injuries": [{"site": "knee", "severity": "mild"}], "race": {"days_until": 12}}


def fired_ids(compiled: Any, facts: dict[str, Any] = FACTS) -> list[str]:
    return [f.rule.id for f in compiled.evaluate(facts).fired]


def _raw_ruleset(name: str, rules: dict[str, Any]) -> Any:
    """A raw durable ruleset on a timer-free host, for demonstrating hazards in-process."""
    host = backend._QuietHost()
    host.register_rulesets({name: rules})
    return host


def test_raw_post_fires_one_of_eight_matches_while_we_fire_all_eight() -> None:
    hits: list[str] = []
    raw = {f"r{i}": {"all": [{"m": {"$gt": {"age": i}}}], "run": lambda c, i=i: hits.append(i)}
           for i in range(8)}
    host = _raw_ruleset("post_demo", raw)
    host.post("post_demo", {"sid": "1", "age": 40})
    assert len(hits) == 1  # post() sends an event the first matching rule consumes
    compiled = compile_ruleset(make_ruleset(*[(f"r{i}", f"age > {i}") for i in range(8)]))
    try:
        assert fired_ids(compiled) == [f"r{i}" for i in range(8)]
    finally:
        compiled.close()


def test_compiling_starts_no_timer_threads() -> None:
    before = {t.name for t in threading.enumerate()}
    compiled = compile_ruleset(make_ruleset(("a", "age > 3")))
    try:
        fired_ids(compiled)
        after = {t.name for t in threading.enumerate()}
    finally:
        compiled.close()
    assert after == before
    assert not hasattr(backend._HOST, "_d_timer") and not hasattr(backend._HOST, "_t_timer")


def run_on_threads(worker: Callable[[int], None], count: int) -> None:
    """Run `worker(i)` on `count` threads at once and wait for all of them."""
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_eight_threads_get_exactly_the_single_threaded_answers() -> None:
    specs = [(f"age-{n}", f"age >= {n}") for n in range(15, 90, 5)]
    specs += [("peak", 'phase == "peak"', {"phase": "taper"}, 10), ("taper", 'phase == "taper"'),
              ("knee", '"knee" in injuries.site')]
    compiled = compile_ruleset(make_ruleset(*specs))
    contexts = [{**FACTS, "age": 15 + (i * 7) % 75, "phase": ("peak", "base")[i % 2]}
                for i in range(40)]
    expected = [fired_ids(compiled, c) for c in contexts]
    errors: list[str] = []

    def worker(offset: int) -> None:
        for n in range(500):
            index = (n + offset) % len(contexts)
            if fired_ids(compiled, contexts[index]) != expected[index]:
                errors.append(f"thread {offset} context {index}")

    try:
        run_on_threads(worker, 8)
    finally:
        compiled.close()
    assert errors == []


def test_threads_on_different_compiled_versions_do_not_interfere() -> None:
    """During a reload the old and the new version serve at once, each under its own lock."""
    specs = [(f"age-{n}", f'age >= {n} and phase in ["peak", "base"]') for n in range(15, 90, 3)]
    versions = [compile_ruleset(make_ruleset(*specs)) for _ in range(4)]
    contexts = [{**FACTS, "age": 15 + (i * 7) % 75, "phase": ("peak", "base")[i % 2]}
                for i in range(20)]
    expected = [fired_ids(versions[0], c) for c in contexts]
    errors: list[int] = []

    def worker(offset: int) -> None:
        compiled = versions[offset % 4]
        for n in range(400):
            index = (n + offset) % len(contexts)
            if fired_ids(compiled, contexts[index]) != expected[index]:
                errors.append(index)

    try:
        run_on_threads(worker, 8)
    finally:
        for compiled in versions:
            compiled.close()
    assert errors == []


def test_a_context_that_matches_no_rule_is_fine_thousands_of_times() -> None:
    compiled = compile_ruleset(make_ruleset(("never", "age > 200"), ("nope", 'phase == "base"')))
    try:
        for _ in range(2000):
            assert fired_ids(compiled) == []
    finally:
        compiled.close()


def _evaluate_many(count: int) -> None:
    compiled = compile_ruleset(make_ruleset(("a", "age > 3"), ("b", "not exists(sex)")))
    contexts = [{**FACTS, "age": 4 + n % 50} for n in range(count)]  # distinct facts too
    try:
        for facts in contexts:  # a fact left behind would make the same fact "observed"
            assert fired_ids(compiled, facts) == ["a", "b"]
        handle = compiled.chunks[0].durable._handle
        assert json.loads(backend._dre.get_facts(handle, backend.SID)) == []
        assert json.loads(backend._dre.get_events(handle, backend.SID)) == []
        # the one session is still there, reused (a fresh sid per evaluation deleted each one)
        assert isinstance(json.loads(backend._dre.get_state(handle, backend.SID)), dict)
    finally:
        compiled.close()


def test_a_fact_left_in_the_session_is_cleared_and_the_evaluation_answers() -> None:
    compiled = compile_ruleset(make_ruleset(("a", "age > 3"), ("b", "not exists(sex)")))
    try:
        expected = fired_ids(compiled)
        chunk = compiled.chunks[0]
        memo: dict[str, Any] = {}
        list(compiled._matches(dict(FACTS), memo))  # the exact text an evaluation asserts
        body = fact_text(chunk, memo["values"])
        code, _ = backend._dre.assert_fact(chunk.handle, backend._HEAD + body)
        assert code == 0  # the same fact now sits in the session, as after a lost retract
        assert fired_ids(compiled) == expected
        assert json.loads(backend._dre.get_facts(chunk.handle, backend.SID)) == []
    finally:
        compiled.close()


def test_a_hundred_thousand_evaluations_leave_no_live_state() -> None:
    _evaluate_many(100_000)


def _unguarded(count: int) -> Ruleset:
    """Rules no guard can rule out (an `or`), so every chunk is asserted to each time."""
    return make_ruleset(*[(f"u{i}", f'age > {i % 40} or phase == "base"') for i in range(count)])


def _has_session(handle: Any) -> bool:
    try:
        backend._dre.get_facts(handle, backend.SID)
    except Exception:  # noqa: BLE001 - the C binding raises a bare Exception: no such session
        return False
    return True


def test_sessions_are_kept_for_the_recently_used_chunks_within_their_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(backend, "CHUNK_SIZE", 4)
    monkeypatch.setattr(backend, "SESSION_RULES", 10)  # two 5-rule chunks (4 and a catch-all)
    compiled = compile_ruleset(_unguarded(16))
    try:
        for _ in range(3):
            assert len(fired_ids(compiled)) == 16
        handles = [c.durable._handle for c in compiled.chunks]
        assert [_has_session(h) for h in handles] == [False, False, True, True]
        assert all(json.loads(backend._dre.get_facts(h, backend.SID)) == [] for h in handles[2:])
    finally:
        compiled.close()


def test_closing_a_version_deletes_its_sessions_before_its_rulesets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """durable's delete_ruleset does not free a session's pools: a reload would leak them."""
    calls: list[tuple[str, Any]] = []
    real = backend._dre

    class Spy:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def delete_state(self, handle: Any, sid: str) -> Any:
            calls.append(("state", handle))
            return real.delete_state(handle, sid)

        def delete_ruleset(self, handle: Any) -> Any:
            calls.append(("ruleset", handle))
            return real.delete_ruleset(handle)

    monkeypatch.setattr(backend, "CHUNK_SIZE", 4)
    compiled = compile_ruleset(_unguarded(12))
    assert len(fired_ids(compiled)) == 12
    handles = {c.durable._handle for c in compiled.chunks}
    monkeypatch.setattr(backend, "_dre", Spy())
    compiled.close()
    states = [h for kind, h in calls if kind == "state"]
    first_ruleset = next(i for i, (kind, _) in enumerate(calls) if kind == "ruleset")
    assert set(states) == handles
    assert all(kind == "state" for kind, _ in calls[:first_ruleset])


def test_reloading_a_ruleset_many_times_keeps_memory_flat() -> None:
    def resident_mb() -> float:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6

    ruleset = _unguarded(640)  # ten chunks: ~9 MB of sessions a version if they leaked
    for _ in range(3):
        compiled = compile_ruleset(ruleset)
        fired_ids(compiled)
        compiled.close()
    before = resident_mb()
    for _ in range(20):
        compiled = compile_ruleset(ruleset)
        assert len(fired_ids(compiled)) == 640
        compiled.close()
    assert resident_mb() - before < 60  # leaking the sessions: +180 MB


@pytest.mark.parametrize("value", [1e-05, 5e-324, 1e300, float("nan"), float("inf")])
def test_floats_json_would_write_with_an_exponent_reach_durable_as_fixed_point(
    value: float,
) -> None:
    compiled = compile_ruleset(make_ruleset(("tiny", "weekly_run_km > 0"),
                                            ("small", "weekly_run_km < 1")))
    oracle = compile_ruleset(compiled.ruleset, backend="python")
    try:
        facts = {**FACTS, "weekly_run_km": value}
        assert fired_ids(compiled, facts) == fired_ids(oracle, facts)
    finally:
        compiled.close()


def test_priorities_map_onto_durable_pri_with_higher_first_then_file_order() -> None:
    compiled = compile_ruleset(make_ruleset(
        ("low", "age > 1", {}, -10_000), ("mid-a", "age > 1"), ("high", "age > 1", {}, 10_000),
        ("mid-b", "age > 1"), ("neg", "age > 1", {}, -1),
    ))
    try:
        assert fired_ids(compiled) == ["high", "mid-a", "mid-b", "neg", "low"]
    finally:
        compiled.close()


def test_a_set_cycle_is_stopped_with_an_error_naming_the_rules() -> None:
    compiled = compile_ruleset(make_ruleset(
        ("to-taper", 'phase == "peak"', {"phase": "taper"}),
        ("to-peak", 'phase == "taper"', {"phase": "peak"}),
        ("bystander", "age > 1"),
    ))
    try:
        with pytest.raises(RuleCycleError) as info:
            compiled.evaluate(FACTS)
    finally:
        compiled.close()
    assert sorted(info.value.rules) == ["to-peak", "to-taper"]
    assert "to-taper -> to-peak" in str(info.value)


def test_a_set_to_the_current_value_changes_nothing_and_ends_the_chain() -> None:
    compiled = compile_ruleset(make_ruleset(("same", 'phase == "peak"', {"phase": "peak"})))
    try:
        result = compiled.evaluate(FACTS)
    finally:
        compiled.close()
    assert [f.rule.id for f in result.fired] == ["same"] and result.facts == FACTS


RAW_LOOP = """
from durable import engine
class Quiet(engine.Host):
    def _run(self): pass
host = Quiet()
count = [0]
def again(c):
    count[0] += 1
    c.assert_fact({"n": c.m.n + 1})
host.register_rulesets({"loop": {"r": {"all": [{"m": {"$gt": {"n": 0}}}], "run": again}}})
try:
    host.assert_fact("loop", {"sid": "1", "n": 1})
finally:
    print(count[0])
"""


def _run_raw(code: str, seconds: float = 3.0) -> str | None:
    """Run raw durable code in a subprocess; its stdout (+ exit status), or None if it hung."""
    try:
        done = subprocess.run([sys.executable, "-c", RAW_PRELUDE + textwrap.dedent(code)],
                              timeout=seconds, capture_output=True, check=False, text=True)
    except subprocess.TimeoutExpired:
        return None
    return f"{done.stdout}\nexit {done.returncode}"


RAW_PRELUDE = """
from durable import engine
class Quiet(engine.Host):
    def _run(self): pass
def act(c):
    pass
"""

RAW_UNMATCHED = """
host = Quiet()
host.register_rulesets({"u": {"r": {"all": [{"m": {"$gt": {"age": 100}}}], "run": act}}})
try:
    host.assert_fact("u", {"sid": "1", "age": 3})
except engine.MessageNotHandledException:
    print("not handled")
host.delete_state("u", "1")
print("survived")
"""


def test_raw_durable_aborts_on_deleting_the_state_of_an_unmatched_fact() -> None:
    out = _run_raw(RAW_UNMATCHED, 20)
    assert out is not None and "not handled" in out and "survived" not in out
    assert "exit 0" not in out  # the process died (SIGABRT) instead of raising


RAW_SIDS = """
host = Quiet()
host.register_rulesets({"s": {"r": {"all": [{"m": {"$gt": {"age": 1}}}], "run": act}}})
n = 0
try:
    for n in range(2000):
        host.assert_fact("s", {"sid": str(n), "age": 3})
except Exception as err:
    print("failed at", n, err)
"""


def test_raw_durable_runs_out_of_session_ids_when_states_are_not_deleted() -> None:
    out = _run_raw(RAW_SIDS, 20)
    assert out is not None and "failed at 1024" in out


RAW_OVERLAP = """
host = Quiet()
rules = {f"r{i}": {"all": [{"m": {"$gt": {"age": 1}}}], "run": act} for i in range(300)}
host.register_rulesets({"o": rules})
try:
    host.assert_fact("o", {"sid": "1", "age": 3})
    print("ok")
except Exception as err:
    print("error", err)
"""


def test_raw_durable_fails_on_300_overlapping_rules_in_one_ruleset() -> None:
    out = _run_raw(RAW_OVERLAP, 20)
    assert out is None or ("ok" not in out.split() and "exit 0" not in out)


def test_raw_negative_pri_wraps_around_to_fire_last() -> None:
    order: list[str] = []
    host = _raw_ruleset("wrap", {
        "minus": {"all": [{"m": {"$gt": {"age": 1}}}], "pri": -1,
                  "run": lambda c: order.append("minus")},
        "ten": {"all": [{"m": {"$gt": {"age": 1}}}], "pri": 10,
                "run": lambda c: order.append("ten")},
    })
    host.assert_fact("wrap", {"sid": "1", "age": 3})
    assert order == ["ten", "minus"]  # -1 became 65535: "lower fires first" is broken


def test_raw_durable_has_no_cycle_guard_and_fires_tens_of_thousands_of_times() -> None:
    out = _run_raw(RAW_LOOP, 10)
    assert out is None or int(out.split()[0]) > 10_000


RAW_NEGATIVE_ONLY = """
from durable import engine
class Quiet(engine.Host):
    def _run(self): pass
host = Quiet()
def act(c):
    pass
host.register_rulesets({"neg": {
    "r": {"all": [{"m": {"$nex": {"race": 1}}}], "pri": 0, "run": act},
    "other": {"all": [{"m": {"$ex": {"t": 1}}}], "pri": 1, "run": act},
}})
host.assert_fact("neg", {"sid": "1", "t": 1, "race": 1})
"""


def test_raw_durable_loops_on_a_negative_only_condition_so_we_anchor_every_condition() -> None:
    assert _run_raw(RAW_NEGATIVE_ONLY) is None  # hangs
    compiled = compile_ruleset(make_ruleset(("no-race", "not exists(race)")))
    try:
        assert fired_ids(compiled) == []
        assert fired_ids(compiled, {"age": 3}) == ["no-race"]
    finally:
        compiled.close()


def test_raw_durable_swallows_action_errors_so_we_run_no_python_action() -> None:
    def boom(c: Any) -> None:
        raise ValueError("boom")

    host = _raw_ruleset("swallow", {"r": {"all": [{"m": {"$gt": {"age": 1}}}], "run": boom}})
    state = host.assert_fact("swallow", {"sid": "1", "age": 3})
    assert "boom" in state["exception"]  # no exception reached the caller
    compiled = compile_ruleset(make_ruleset(("a", "age > 1"), ("b", "age > 99")))
    try:
        chunk = compiled.chunks[0]
        for name in chunk.durable._actions:  # the agenda is driven from C: no action is called
            chunk.durable._actions[name] = backend._engine.Promise(boom)
        for _ in range(3):  # and each evaluation deleted its state: no leak, no abort
            assert fired_ids(compiled) == ["a"]
    finally:
        compiled.close()


def test_a_thousand_overlapping_rules_all_fire_in_chunks_and_agree_with_the_oracle() -> None:
    specs = [(f"r{n:04}", f"age > {n % 30}", {}, n % 7) for n in range(1000)]
    ruleset = make_ruleset(*specs)
    compiled = compile_ruleset(ruleset)
    oracle = compile_ruleset(ruleset, backend="python")
    try:
        assert len(compiled.chunks) == 16 and all(len(c.positions) <= 64 for c in compiled.chunks)
        got = fired_ids(compiled)
        assert len(got) == 1000 and got == fired_ids(oracle)
        young = {**FACTS, "age": 15}
        assert fired_ids(compiled, young) == fired_ids(oracle, young)
    finally:
        compiled.close()


RAW_MANY_TESTS = """
import json
import durable_rules_engine as dre
rules = {f"r{i}": {"all": [{"m": {"$and": [{"t": 1}, {"a": i}]}}]} for i in range(600)}
dre.create_ruleset("many", json.dumps(rules))
print("created")
"""


def test_raw_durable_hangs_building_a_ruleset_of_600_distinct_tests() -> None:
    assert _run_raw(RAW_MANY_TESTS, 5) is None


def test_rules_are_chunked_by_distinct_tests_too_and_agree_with_the_oracle() -> None:
    ruleset = make_ruleset(*[
        (f"r{n}", f"age == {n} or weekly_run_km == {n} or age > {n + 20} or days_to_race == {n}"
                  f" or running_experience_years == {n}") for n in range(300)
    ])
    compiled = compile_ruleset(ruleset)
    oracle = compile_ruleset(ruleset, backend="python")
    try:
        assert len(compiled.chunks) > 5 and all(len(c.positions) <= 64 for c in compiled.chunks)
        for age in (14, 40, 50, 299):
            facts = {**FACTS, "age": age}
            assert fired_ids(compiled, facts) == fired_ids(oracle, facts)
    finally:
        compiled.close()


def test_two_hundred_recompiles_free_every_durable_ruleset() -> None:
    ruleset = make_ruleset(*[(f"r{n}", f"age > {n}") for n in range(70)])  # two chunks each
    registered = len(backend._HOST._ruleset_list)
    names = set()
    for _ in range(200):
        compiled = compile_ruleset(ruleset)
        names.add(compiled.name)
        assert len(fired_ids(compiled)) == 40
        compiled.close()
        compiled.close()  # idempotent
    assert len(names) == 200  # every version registered under a new name
    assert len(backend._HOST._ruleset_list) == registered
    with pytest.raises(EvaluationError, match="closed"):
        compiled.evaluate(FACTS)


RAW_HANDLES = """
import json
import durable_rules_engine as dre
definition = json.dumps({"r": {"all": [{"m": {"$gt": {"a": 1}}}]}})
for i in range(140_000):  # more than the 131,072 handles per process
    dre.delete_ruleset(dre.create_ruleset(f"recycled{i}", definition))
print("recycled")
"""

RAW_HANDLES_EXHAUSTED = """
import json
import durable_rules_engine as dre
definition = json.dumps({"r": {"all": [{"m": {"$gt": {"a": 1}}}]}})
live = 0
try:
    while True:
        dre.create_ruleset(f"kept{live}", definition)
        live += 1
except Exception:
    print(live)
"""


def test_deleting_durable_rulesets_recycles_their_handles() -> None:
    out = _run_raw(RAW_HANDLES, 30)
    assert out is not None and out.startswith("recycled")


@pytest.mark.slow
def test_raw_durable_runs_out_of_handles_when_rulesets_are_never_deleted() -> None:
    out = _run_raw(RAW_HANDLES_EXHAUSTED, 120)
    assert out is not None and int(out.split()[0]) == 131_072 - 1


def test_without_durable_rules_auto_falls_back_to_python_with_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(backend, "_HOST", None)
    monkeypatch.setattr(backend, "_IMPORT_ERROR", "PyEval_CallObject")
    with pytest.warns(backend.BackendWarning, match="pure-Python"):
        compiled = compile_ruleset(make_ruleset(("a", "age > 1")))
    assert compiled.backend == "python" and fired_ids(compiled) == ["a"]
    with pytest.raises(Exception, match="unavailable"), warnings.catch_warnings():
        compile_ruleset(make_ruleset(("a", "age > 1")), backend="durable")


def test_raw_durable_item_or_sees_only_the_last_field_so_items_get_rulesets_of_their_own() -> None:
    either = {"$or": [{"$i.a": 1}, {"$i.b": "x"}]}  # true for every item below
    host = _raw_ruleset("hazard_item_or", {
        "r": {"all": [{"m": {"$and": [{"t": 1}, {"$iany": {"l": either}}]}}],
              "run": lambda c: seen.append(c.m.sid)},
        "catch_all": {"all": [{"m": {"$ex": {"t": 1}}}], "pri": backend.CATCH_ALL_PRI,
                      "run": lambda c: None},
    })
    seen: list[str] = []
    for sid, items in (("1", [{"a": 1, "b": "y"}]), ("2", [{"b": "y", "a": 1}])):
        host.assert_fact("hazard_item_or", {"sid": sid, "t": 1, "l": items})
    assert seen == ["2"]  # durable got the first one wrong: it only looked at `b`
    compiled = compile_ruleset(make_ruleset(("r", 'any(injuries, site == "knee" or true)'),
                                            ("s", 'any(injuries, site == "hip" or '
                                                  'severity == "mild")')))
    try:
        assert fired_ids(compiled) == ["r", "s"]
    finally:
        compiled.close()


def test_item_rulesets_keep_every_guard_and_are_freed_on_close() -> None:
    registered = len(backend._HOST._ruleset_list)
    ruleset = make_ruleset(*[(f"q{n}", f"any(key_run_sessions, day_offset > {n})")
                             for n in range(70)])  # 70 distinct item conditions
    facts = {**FACTS, "key_run_sessions": [{"day_offset": 40}, {"day_offset": 2}]}
    compiled = compile_ruleset(ruleset)
    try:
        (_, names, chunks), = compiled.item_chunks
        assert len(names) == 70 and len(chunks) == 2  # chunked like rules
        for _ in range(1500):  # items left behind would be refused as already observed
            assert len(fired_ids(compiled, facts)) == 40
        assert all("catch_all" in c.durable._actions for c in chunks)
        assert all(json.loads(backend._dre.get_facts(c.handle, backend.SID)) == []
                   for c in chunks)  # every item asserted in one call, retracted in one
    finally:
        compiled.close()
    assert len(backend._HOST._ruleset_list) == registered


def test_a_one_item_list_rides_in_the_main_fact_and_longer_lists_take_one_assert(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asserted: list[tuple[str, int]] = []
    run = backend.DurableRuleset._assert

    def spy(self: Any, chunk: Any, bodies: list[str]) -> list[int]:
        asserted.append((chunk.name, len(bodies)))
        return run(self, chunk, bodies)

    monkeypatch.setattr(backend.DurableRuleset, "_assert", spy)
    ruleset = make_ruleset(("a", 'any(injuries, site == "knee" and severity == "mild")'),
                           ("b", 'all(injuries, site == "knee")'),
                           ("c", 'not any(injuries, severity == "severe" or site == "hip")'))
    compiled = compile_ruleset(ruleset, backend="durable")
    oracle = compile_ruleset(ruleset, backend="python")
    knee, hip = {"site": "knee", "severity": "mild"}, {"site": "hip"}
    try:
        for items, item_bodies in (([], None), ([knee], None), ([hip], None), ([hip, knee], 1),
                                   ([knee, knee, knee], 1), ([knee, hip, knee, {}], 3)):
            asserted.clear()
            facts = {**FACTS, "injuries": items}
            assert fired_ids(compiled, facts) == fired_ids(oracle, facts)
            on_items = [n for name, n in asserted if "_items" in name]
            # the first item rides in the main fact; one assert of the distinct others
            assert on_items == ([] if item_bodies is None else [item_bodies])
    finally:
        compiled.close()


def test_conditions_durable_refuses_with_items_in_the_main_fact_fall_back_to_item_rulesets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from stridewise.rules import translate

    monkeypatch.setattr(translate, "SLOTS", 2)  # 2 slots: durable refuses (error 113)
    monkeypatch.setattr(backend, "SLOTS", 2)
    ruleset = make_ruleset(("nordic", 'any(injuries, condition == "strain_history" and '
                                      'site == "hamstring") and not any(active_injuries, '
                                      'site == "hamstring" and severity in ["moderate", '
                                      '"severe"])'), ("other", "age > 30"))
    compiled = compile_ruleset(ruleset, backend="durable")
    oracle = compile_ruleset(ruleset, backend="python")
    try:
        assert len(compiled.item_slots) == 2
        assert all(always and not slots for always, slots in compiled.item_slots)
        old = {"site": "hamstring", "condition": "strain_history", "severity": "resolved"}
        bad = {"site": "hamstring", "severity": "severe"}
        for injuries, active in (([], []), ([old], []), ([old], [bad]), ([old, old], [bad])):
            facts = {**FACTS, "injuries": injuries, "active_injuries": active}
            assert fired_ids(compiled, facts) == fired_ids(oracle, facts)
    finally:
        compiled.close()


def test_a_restart_asserts_again_only_to_the_chunks_whose_fact_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asserted: list[str] = []
    run = backend.DurableRuleset._assert

    def spy(self: Any, chunk: Any, bodies: list[str]) -> list[int]:
        asserted.append(chunk.name)
        return run(self, chunk, bodies)

    monkeypatch.setattr(backend.DurableRuleset, "_assert", spy)
    ruleset = make_ruleset(("to-taper", "age > 1", {"phase": "taper"}, 10),
                           *[(f"age-{n}", f"age > {n}") for n in range(66)],
                           ("tapering", 'phase == "taper"'))
    compiled = compile_ruleset(ruleset, backend="durable")
    oracle = compile_ruleset(ruleset, backend="python")
    try:
        first, second = (c.name for c in compiled.chunks)
        for _ in range(2):  # nothing is kept from one evaluation to the next
            asserted.clear()
            got = fired_ids(compiled)
            assert got == fired_ids(oracle) and "tapering" in got
            # round 1 stops at `to-taper` in the first chunk; round 2 sends that chunk the
            # same fact (its rules read only age), so only the second chunk is asserted to
            assert asserted == [first, second]
    finally:
        compiled.close()
