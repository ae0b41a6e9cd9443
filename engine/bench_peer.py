"""The `peer` bench suite: the workload a durable-rules user would write, four ways.

50 rules (by default) of 2-3 comparisons over 8 flat fields, list membership included; 8 of
them match the athlete and each firing adds a note. The runners, timed interleaved:

- `stridewise`: our durable-rules backend (`CompiledRuleset.evaluate`), notes from the rules
  that fired;
- `raw-durable`: the same rules written with `durable.lang` the usual way: one ruleset, an
  action per rule appending its note, `assert_fact` then `retract_fact` of the same fact;
- `python`: our pure-Python evaluator of the same parsed rules;
- `closures`: plain Python lambdas over the dict, the floor.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stridewise.rules import CompiledRuleset

__all__ = ["PEER_FACTS", "PEER_FIRING", "peer_rules", "peer_setup"]

Runners = dict[str, Callable[[], Any]]
PEER_FIRING = 8
PEER_FACTS: dict[str, Any] = {
    "age": 40, "weekly_run_km": 50, "phase": "peak",
    "strength_training_experience": "intermediate", "days_to_race": 12,
    "equipment": ["barbell", "band"], "sessions_per_week_max": 3, "sex": "female",
}


Check = Callable[[dict[str, Any]], bool]
# per kind of rule: condition text, durable.lang condition of (m, item, v), the plain check
# made for v, the v of a rule that fires and the v of rule i that does not
_KINDS: tuple[tuple[str, Callable[..., Any], Callable[[Any], Check], int, Callable[[int], int]],
              ...] = (
    ('phase == "peak" and weekly_run_km >= {v}',
     lambda m, item, v: (m.phase == "peak") & (m.weekly_run_km >= v),
     lambda v: lambda f: f["phase"] == "peak" and f["weekly_run_km"] >= v,
     50, lambda i: 51 + i),
    ('"barbell" in equipment and age <= {v}',
     lambda m, item, v: m.equipment.anyItem(item == "barbell") & (m.age <= v),
     lambda v: lambda f: "barbell" in f["equipment"] and f["age"] <= v,
     40, lambda i: 39 - i % 20),
    ('strength_training_experience == "intermediate" and phase == "peak" and '
     'days_to_race < {v}',
     lambda m, item, v: (m.strength_training_experience == "intermediate")
     & (m.phase == "peak") & (m.days_to_race < v),
     lambda v: lambda f: f["strength_training_experience"] == "intermediate"
     and f["phase"] == "peak" and f["days_to_race"] < v,
     13, lambda i: 12 - i % 12),
    ('sex == "female" and sessions_per_week_max >= {v}',
     lambda m, item, v: (m.sex == "female") & (m.sessions_per_week_max >= v),
     lambda v: lambda f: f["sex"] == "female" and f["sessions_per_week_max"] >= v,
     3, lambda i: 4 + i),
    ('"band" in equipment and days_to_race <= 12 and age > {v}',
     lambda m, item, v: m.equipment.anyItem(item == "band") & (m.days_to_race <= 12)
     & (m.age > v),
     lambda v: lambda f: "band" in f["equipment"] and f["days_to_race"] <= 12 and f["age"] > v,
     39, lambda i: 40 + i),
)


def peer_rules(size: int) -> list[tuple[str, Callable[..., Any], Check]]:
    """`size` rules, the first PEER_FIRING matching PEER_FACTS: (Stridewise condition text,
    a function of durable.lang's `(m, item)` giving its condition, the plain-Python check).
    A rule that does not fire still passes its first test, as in real rule sets."""
    out: list[tuple[str, Callable[..., Any], Check]] = []
    for i in range(size):
        text, durable, check, fires, misses = _KINDS[i % len(_KINDS)]
        v = fires if i < PEER_FIRING else misses(i)
        out.append((text.format(v=v), partial(durable, v=v), check(v)))
    return out


def peer_setup(size: int, stack: ExitStack) -> Runners:
    """The four runners over `size` rules; every runner must give the same notes."""
    from stridewise.rules import Rule, Ruleset, compile_ruleset, durable_available, parse_expr

    rules = peer_rules(size)
    parsed = tuple(
        Rule(f"peer-{i}", "peer", "peer.yaml", i + 1, 5, text, parse_expr(text),
             {"notes": [f"note {i}"]}, {}, 0, index=i)
        for i, (text, _, _) in enumerate(rules)
    )
    ruleset = Ruleset("peer", f"sha256:peer{size}", parsed, ("peer.yaml",))
    facts = dict(PEER_FACTS)
    runners: Runners = {}
    if durable_available():
        durable = compile_ruleset(ruleset, backend="durable")
        stack.callback(durable.close)
        runners["stridewise"] = _notes_of(durable, facts)
        runners["raw-durable"] = _raw_durable(rules, facts, stack)
    runners["python"] = _notes_of(compile_ruleset(ruleset, backend="python"), facts)
    checks = [(check, f"note {i}") for i, (_, _, check) in enumerate(rules)]
    runners["closures"] = lambda: [note for check, note in checks if check(facts)]
    expected = sorted(f"note {i}" for i in range(min(size, PEER_FIRING)))
    for name, run in runners.items():
        assert sorted(run()) == expected, f"{name} disagrees on the notes"
    return runners


def _notes_of(compiled: CompiledRuleset, facts: dict[str, Any]) -> Callable[[], list[str]]:
    def run() -> list[str]:
        return [n for f in compiled.evaluate(facts).fired for n in f.rule.then["notes"]]

    return run


_NAMES = itertools.count(1)


def _raw_durable(rules: list[Any], facts: dict[str, Any], stack: ExitStack) -> Callable[[], Any]:
    """durable.lang as its README teaches it: `with ruleset(...)`, `@when_all(...)` per rule,
    then assert the fact and retract it. On our timer-free host (the stock host's timer
    threads would race with the timing); the host's `assert_fact` is what
    `durable.lang.assert_fact` calls."""
    import durable.lang as lang
    import durable_rules_engine as dre
    from stridewise.rules.compile import _HOST

    name = f"peer_raw_{next(_NAMES)}"
    notes: list[str] = []

    def action(note: str) -> Callable[[Any], None]:
        def add_note(c: Any) -> None:  # one parameter: durable treats two as async
            notes.append(note)

        return add_note

    with lang.ruleset(name):
        for i, (_, durable_cond, _) in enumerate(rules):
            lang.when_all(durable_cond(lang.m, lang.item))(action(f"note {i}"))
    _, definition = lang._rulesets.pop(name).define()
    _HOST.register_rulesets({name: definition})

    def close() -> None:
        rules_ = _HOST._ruleset_directory.pop(name)
        _HOST._ruleset_list.remove(rules_)
        dre.delete_ruleset(rules_._handle)

    stack.callback(close)

    def run() -> list[str]:
        notes.clear()
        _HOST.assert_fact(name, facts)
        _HOST.retract_fact(name, facts)
        return list(notes)

    return run
