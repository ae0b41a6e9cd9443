"""`stridewise bench`: timed suites in the manner of `opa bench`, side by side in one run.

A suite builds, for each size, named runners (zero-argument callables doing one evaluation);
`run_suite` times them interleaved, iteration by iteration, so machine noise hits every runner
alike, and reports median and p99 microseconds. Add a suite with `register_suite`; the
`rules` suite compares Stridewise on durable-rules, raw durable-rules written by hand with
`durable.lang` on the same conditions, and the pure-Python evaluator.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from stridewise.bench_peer import peer_setup
from stridewise.bench_startup import STARTUP_DESCRIPTION, Measured, startup_runners
from stridewise.context import derive_facts, load_context

if TYPE_CHECKING:  # imported where a suite runs, so `stridewise bench --help` stays light
    from stridewise.service import Engine

__all__ = ["SEASON_CONTEXTS", "SUITES", "Result", "Suite", "register_suite", "run_suite"]

Runners = dict[str, Callable[[], Any]]


@dataclass(frozen=True)
class Suite:
    """A benchmark: `setup(size, stack)` returns runners; `stack` closes what they hold."""

    name: str
    description: str
    setup: Callable[[int, ExitStack], Runners]
    default_sizes: tuple[int, ...]
    baseline: str | None = None  # runner the first one is compared against (ratio column)
    iterations: int = 2000  # `stridewise bench` default for this suite
    warmup: int = 100


@dataclass(frozen=True)
class Result:
    """Timing of one runner at one size."""

    suite: str
    size: int
    runner: str
    iterations: int
    median_us: float
    p99_us: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


SUITES: dict[str, Suite] = {}


def register_suite(suite: Suite) -> Suite:
    """Make a suite available to `stridewise bench --suite NAME`."""
    SUITES[suite.name] = suite
    return suite


def run_suite(name: str, sizes: Sequence[int] | None = None, iterations: int | None = None,
              warmup: int | None = None) -> list[Result]:
    """Time every runner of a suite at every size; median and p99 in microseconds."""
    suite = SUITES[name]
    iterations = suite.iterations if iterations is None else iterations
    warmup = suite.warmup if warmup is None else warmup
    results: list[Result] = []
    for size in sizes or suite.default_sizes:
        with ExitStack() as stack:
            runners = suite.setup(size, stack)
            for _ in range(warmup):
                for run in runners.values():
                    run()
            samples: dict[str, list[float]] = {label: [] for label in runners}
            clock = time.perf_counter_ns
            for _ in range(iterations):
                for label, run in runners.items():
                    start = clock()
                    value = run()  # a Measured value replaces the call's own duration
                    took = (clock() - start) / 1000
                    samples[label].append(value.us if isinstance(value, Measured) else took)
            for label, values in samples.items():
                values.sort()
                p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
                results.append(
                    Result(name, size, label, iterations, statistics.median(values), p99)
                )
    return results


# --- the `rules` suite -----------------------------------------------------------------------

FIRING = 8  # rules that match per evaluation, as in design §3's cost note
CHUNK = 64  # rules per durable ruleset, for raw durable as for Stridewise
RAW_SINGLE_MAX = 200  # above this one raw durable ruleset fails (error 303, then 107)

BENCH_CONTEXT = {
    "age": 40, "running_experience_years": 6, "strength_training_experience": "intermediate",
    "weekly_run_km": 50, "phase": "peak", "start_date": "2026-11-30",
    "race": {"distance_km": 42.2, "days_until": 12, "priority": "A"},
    "equipment": ["barbell", "band"], "injuries": [{"site": "knee", "severity": "mild"}],
    "key_run_sessions": [{"day_offset": 2, "type": "intervals"}],
}


def bench_conditions(size: int) -> list[tuple[str, Any]]:
    """`size` conditions, FIRING of which match BENCH_CONTEXT: (our text, durable.lang expr);
    the durable.lang side is None where durable-rules cannot be imported."""
    from stridewise.rules import durable_available

    if durable_available():
        from durable.lang import item, m
    else:  # Python >= 3.13: only the text is used
        item = m = _Anything()

    out: list[tuple[str, Any]] = []
    for i in range(size):
        fire = i < FIRING
        kind = i % 4
        if kind == 0:
            w = 50 if fire else 51 + i
            out.append((f'weekly_run_km >= {w} and phase == "peak"',
                        (m.weekly_run_km >= w) & (m.phase == "peak")))
        elif kind == 1:
            a = 40 if fire else 39 - i % 20
            out.append((f'"barbell" in equipment and age <= {a}',
                        m.equipment.anyItem(item == "barbell") & (m.age <= a)))
        elif kind == 2:
            d = 13 if fire else 12 - i % 12
            out.append((f'phase in ["peak", "taper"] and race.days_until < {d}',
                        ((m.phase == "peak") | (m.phase == "taper")) & (m.race.days_until < d)))
        else:
            x = 39 if fire else 40 + i
            out.append((f"not exists(sex) and age > {x}", -m.sex & (m.age > x)))
    return out


class _Anything:
    """Stands in for durable.lang's `m` and `item` when durable-rules is unavailable."""

    def __getattr__(self, name: str) -> Any:
        return self

    def __call__(self, *args: Any) -> Any:
        return self

    __ge__ = __le__ = __lt__ = __gt__ = __and__ = __or__ = __neg__ = __call__
    __eq__ = __call__
    __hash__ = object.__hash__


def _bench_facts() -> dict[str, Any]:
    return derive_facts(load_context(BENCH_CONTEXT, today=dt.date(2026, 11, 30)))


def _rules_setup(size: int, stack: ExitStack) -> Runners:
    from stridewise.rules import Rule, Ruleset, compile_ruleset, durable_available, parse_expr

    conditions = bench_conditions(size)
    rules = tuple(
        Rule(f"bench-{i}", "bench", "bench.yaml", i + 1, 5, text, parse_expr(text),
             {"sets": {"max": 3}}, {}, 0, index=i)
        for i, (text, _) in enumerate(conditions)
    )
    ruleset = Ruleset("bench", f"sha256:bench{size}", rules, ("bench.yaml",))
    facts = _bench_facts()
    python = compile_ruleset(ruleset, backend="python")
    runners: Runners = {}
    if not durable_available():
        runners["python"] = lambda: python.evaluate(facts)
        return runners
    durable = compile_ruleset(ruleset, backend="durable")
    stack.callback(durable.close)
    runners["stridewise"] = lambda: durable.evaluate(facts)
    runners["raw-durable"] = stack.enter_context(_raw_durable(conditions, facts, CHUNK))
    if size <= RAW_SINGLE_MAX:
        runners["raw-1-ruleset"] = stack.enter_context(_raw_durable(conditions, facts, size))
    runners["python"] = lambda: python.evaluate(facts)
    for run in runners.values():
        assert _count(run()) == min(size, FIRING), "runners disagree on what fires"
    return runners


def _count(result: Any) -> int:
    return len(result.fired) if hasattr(result, "fired") else len(result)


_RAW_NAMES = itertools.count(1)


def _recorder(hits: list[int], index: int) -> Callable[[Any], None]:
    def action(c: Any) -> None:  # one parameter: durable treats two as an async action
        hits.append(index)

    return action


def _ignore(c: Any) -> None:
    return None


@contextmanager
def _raw_durable(
    conditions: list[tuple[str, Any]], facts: dict[str, Any], chunk: int
) -> Iterator[Callable[[], list[int]]]:
    """The same conditions as a developer would write them with durable.lang, `chunk` rules
    per durable ruleset, the whole facts dict asserted into each and the state deleted after.
    A single ruleset fails above ~200 rules (error 303) and cannot be created above ~600
    (error 107), so large sizes need chunks even here. It runs on a timer-free host: the stock
    host's timer threads would race with the benchmark."""
    import durable.lang as lang
    import durable_rules_engine as dre
    from stridewise.rules.compile import _HOST

    hits: list[int] = []
    names = []
    for start in range(0, len(conditions), chunk):
        name = f"raw_bench_{next(_RAW_NAMES)}"
        with lang.ruleset(name):
            for index in range(start, min(start + chunk, len(conditions))):
                lang.when_all(lang.pri(index - start), conditions[index][1])(
                    _recorder(hits, index)
                )
            # without a rule matching every fact, a chunk where nothing fires raises (and
            # delete_state on its state aborts the process)
            lang.when_all(lang.pri(65535), +lang.m.age)(_ignore)
        _, definition = lang._rulesets.pop(name).define()
        _HOST.register_rulesets({name: definition})
        names.append(name)
    sids = itertools.count(1)
    facts = {k: v for k, v in facts.items() if v is not None}  # durable: null still "exists"

    def evaluate() -> list[int]:
        hits.clear()
        for name in names:
            sid = str(next(sids))
            try:
                _HOST.assert_fact(name, {**facts, "sid": sid})
            finally:
                _HOST.delete_state(name, sid)
        return list(hits)

    try:
        yield evaluate
    finally:
        for name in names:
            rules = _HOST._ruleset_directory.pop(name)
            _HOST._ruleset_list.remove(rules)
            dre.delete_ruleset(rules._handle)


register_suite(Suite(
    name="rules",
    description="one evaluation of N rules (8 fire) against one athlete context",
    setup=_rules_setup,
    default_sizes=(10, 100, 1000),
    baseline="raw-durable",
))


register_suite(Suite(
    name="peer",
    description="the peer workload: N rules of 2-3 comparisons over 8 fields (8 fire, each "
    "adds a note); raw durable-rules used the usual way (one ruleset, assert then retract)",
    setup=peer_setup,
    default_sizes=(50,),
    baseline="raw-durable",
))


# --- the `recommend` suite: the whole pipeline, as a request sees it ---------------------------

RECOMMEND_CONTEXTS: tuple[dict[str, Any], ...] = (
    {"age": 28, "running_experience_years": 2, "strength_training_experience": "novice",
     "weekly_run_km": 30, "equipment": []},
    {"age": 35, "running_experience_years": 8, "strength_training_experience": "intermediate",
     "weekly_run_km": 60, "phase": "build", "equipment": ["barbell", "dumbbell", "bench", "box"],
     "key_run_sessions": [{"day_offset": 1, "type": "intervals"},
                          {"day_offset": 5, "type": "long_run"}]},
    {"age": 42, "running_experience_years": 12, "strength_training_experience": "advanced",
     "weekly_run_km": 80, "race": {"distance_km": 42.2, "days_until": 30, "priority": "A"},
     "equipment": ["barbell", "dumbbell", "kettlebell", "band", "bench", "step"],
     "exercise_history": ["back_squat", "romanian_deadlift", "calf_raise", "plank"]},
    {"age": 31, "running_experience_years": 5, "strength_training_experience": "intermediate",
     "weekly_run_km": 55, "race": {"distance_km": 21.1, "days_until": 10, "priority": "A"},
     "equipment": ["dumbbell", "band"], "session_minutes_max": 30},
    {"age": 55, "running_experience_years": 20, "strength_training_experience": "intermediate",
     "weekly_run_km": 45, "equipment": ["dumbbell", "step", "band"],
     "injuries": [{"site": "achilles", "condition": "midportion_tendinopathy",
                   "severity": "mild"}]},
    {"age": 24, "running_experience_years": 3, "strength_training_experience": "novice",
     "weekly_run_km": 35, "session_minutes_max": 20, "equipment": ["band"],
     "injuries": [{"site": "knee", "condition": "patellofemoral_pain", "severity": "moderate"}]},
    {"age": 38, "running_experience_years": 10, "strength_training_experience": "advanced",
     "weekly_run_km": 70, "phase": "off_season", "available_days": ["mon", "wed", "fri"],
     "equipment": ["barbell", "dumbbell", "bench", "box", "pullup_bar"]},
    {"age": 46, "running_experience_years": 15, "strength_training_experience": "intermediate",
     "weekly_run_km": 65, "race": {"distance_km": 10, "days_until": 4, "priority": "B"},
     "equipment": ["kettlebell", "band"],
     "key_run_sessions": [{"day_offset": 1, "type": "tempo"}]},
)


def _recommend_setup(size: int, stack: ExitStack) -> Runners:
    """`size` distinct athletes (cycled), one engine per backend on the default rulesets."""
    bodies = [
        {**RECOMMEND_CONTEXTS[i % len(RECOMMEND_CONTEXTS)], "athlete_id": f"bench-{i}",
         "start_date": "2026-11-30"}
        for i in range(size)
    ]
    return _per_backend(bodies, stack)


def _per_backend(bodies: list[dict[str, Any]], stack: ExitStack) -> Runners:
    """One engine per available backend on the default rulesets, each cycling `bodies`."""
    from stridewise.rules import durable_available
    from stridewise.service import Engine

    runners: Runners = {}
    for backend in ("durable", "python") if durable_available() else ("python",):
        engine = Engine.create(backend=backend)
        stack.callback(engine.close)
        runners[backend] = _cycling(engine, bodies)
    return runners


def _cycling(engine: Engine, bodies: list[dict[str, Any]]) -> Callable[[], Any]:
    cycle = itertools.cycle(bodies)
    return lambda: engine.recommend(next(cycle))


register_suite(Suite(
    name="recommend",
    description="one full recommendation (validate -> rules -> plan -> response) on the "
    "default rulesets; N = distinct athlete contexts cycled",
    setup=_recommend_setup,
    default_sizes=(1, 8),
))


# --- the `season` suite: a plan of N weeks, as a request to race day sees it ------------------

SEASON_CONTEXTS: tuple[dict[str, Any], ...] = (
    {"athlete_id": "novice-10k", "age": 29, "running_experience_years": 2,
     "strength_training_experience": "novice", "weekly_run_km": 30, "start_date": "2026-01-05",
     "race": {"distance_km": 10, "days_until": 83, "priority": "A"},
     "available_days": ["mon", "wed", "fri", "sat"], "session_minutes_max": 45,
     "equipment": ["machine", "dumbbell", "kettlebell", "band", "step", "bench"],
     "key_run_sessions": [{"day_offset": d, "type": "intervals"} for d in range(1, 78, 7)]},
    {"athlete_id": "intermediate-half", "age": 36, "running_experience_years": 6,
     "strength_training_experience": "intermediate", "weekly_run_km": 55,
     "start_date": "2026-01-05", "race": {"distance_km": 21.1, "days_until": 125,
                                          "priority": "A"},
     "available_days": ["mon", "tue", "thu", "sat"], "session_minutes_max": 60,
     "equipment": ["barbell", "dumbbell", "bench", "box", "band", "step"],
     "key_run_sessions": [{"day_offset": d, "type": "tempo"} for d in range(2, 118, 7)]
     + [{"day_offset": d, "type": "long_run"} for d in range(6, 118, 7)]},
    {"athlete_id": "advanced-marathon", "age": 41, "running_experience_years": 14,
     "strength_training_experience": "advanced", "weekly_run_km": 90,
     "start_date": "2026-01-05", "race": {"distance_km": 42.2, "days_until": 167,
                                          "priority": "A"},
     "session_minutes_max": 60,
     "equipment": ["barbell", "dumbbell", "kettlebell", "band", "bench", "box", "step",
                   "pullup_bar", "machine"],
     "exercise_history": ["back_squat", "romanian_deadlift", "hex_bar_deadlift", "calf_raise",
                          "split_squat", "plank", "box_jump"],
     "key_run_sessions": [{"day_offset": d, "type": "intervals"} for d in range(1, 160, 7)]
     + [{"day_offset": d, "type": "long_run"} for d in range(5, 160, 7)]},
)


def _season_setup(size: int, stack: ExitStack) -> Runners:
    """The three season athletes (cycled) over `size` weeks, one engine per backend."""
    days = 7 * size
    bodies = [
        {**body, "horizon_days": days,
         "key_run_sessions": [r for r in body["key_run_sessions"] if r["day_offset"] < days]}
        for body in SEASON_CONTEXTS
    ]
    return _per_backend(bodies, stack)


register_suite(Suite(
    name="season",
    description="one season plan (N weeks: rules per week, progression, deloads, response) "
    "for a novice 10 km, an intermediate half and an advanced marathon runner, cycled",
    setup=_season_setup,
    default_sizes=(26,),
))


register_suite(Suite(
    name="startup", description=STARTUP_DESCRIPTION, setup=startup_runners, default_sizes=(2,),
    iterations=20, warmup=2,
))
