"""Engine: the whole pipeline from a request body to the design §6 response, and hot reload."""

from __future__ import annotations

import textwrap

import pytest
from marshmallow import fields
from stridewise import DirectiveSpec, hookimpl, plugins
from stridewise.errors import ContextError
from stridewise.response import ResponseSchema
from stridewise.service import Engine
from stridewise.testing import build_engine

BODY = {
    "athlete_id": "runner-1",
    "age": 35,
    "running_experience_years": 6,
    "strength_training_experience": "intermediate",
    "weekly_run_km": 60,
    "start_date": "2026-01-05",
    "equipment": ["barbell", "dumbbell", "bench", "box", "band", "step"],
}

RULE = """\
ruleset: tiny
description: One file for engine tests.
rules:
  - id: tiny-base
    description: Two sessions, core emphasised.
    source: "test"
    when: "true"
    then:
      sessions_per_week: {{max: {sessions}}}
      emphasis: {{core: 2}}
      notes: ["{note}"]
"""


@pytest.fixture(scope="module")
def engine():
    built = Engine.create(backend="python")
    yield built
    built.close()


def write_rules(path, sessions=2, note="hello"):
    path.mkdir(exist_ok=True)
    (path / "tiny.yaml").write_text(RULE.format(sessions=sessions, note=note))
    return path


def test_recommend_returns_the_design_body_from_the_default_rules(engine):
    body = engine.recommend(BODY)
    assert body["ruleset"]["name"] == "default"
    assert body["ruleset"]["version"].startswith("sha256:")
    assert ResponseSchema().validate(body) == {}
    assert body["sessions"] and body["fired"]
    for fired in body["fired"]:
        assert fired["file"].startswith("rulesets/default/") and fired["line"] >= 1
    for sess in body["sessions"]:
        for item in sess["exercises"]:
            assert item["because"] and item["plugin"].startswith("stridewise.")


def test_a_bad_context_names_the_field(engine):
    with pytest.raises(ContextError) as info:
        engine.recommend({**BODY, "age": 7, "weekly_km": 3})
    assert "age" in info.value.messages and "weekly_km" in info.value.messages


def test_the_same_context_gives_the_same_plan_and_athletes_differ(engine):
    assert engine.recommend(BODY) == engine.recommend(dict(BODY))
    plans = {
        str([[i["id"] for i in s["exercises"]] for s in engine.recommend(
            {**BODY, "athlete_id": f"athlete-{n}"})["sessions"]])
        for n in range(6)
    }
    assert len(plans) > 1


def test_tables_kept_for_one_athlete_profile_give_every_athlete_a_fresh_engines_plan():
    # an engine keeps what depends only on the fired rules and the candidates (pools, quotas,
    # emphasis weights, the fit traits) and reuses it for the next athlete of the same profile:
    # any order of athletes gets what an engine that kept nothing gives each of them
    from stridewise import tables
    from stridewise.bench import RECOMMEND_CONTEXTS, SEASON_CONTEXTS
    from stridewise.planning.selection import Pool

    bodies = [{**c, "athlete_id": f"a{n}-{i}", "start_date": "2026-11-30", "horizon_days": h}
              for n, h in ((0, 7), (1, 7), (2, 14), (3, 10))  # 10: a partial second week
              for i, c in enumerate(RECOMMEND_CONTEXTS)]
    bodies += [{**b, "exercise_history": ["back_squat", "nordic_hamstring", "box_jump"]}
               for b in bodies[:8]]  # the same profiles with familiar lifts: other scores
    bodies += [{**c, "horizon_days": 28, "key_run_sessions": [
        r for r in c["key_run_sessions"] if r["day_offset"] < 28]} for c in SEASON_CONTEXTS]
    order = [*bodies, *reversed(bodies)]
    warm = Engine.create(backend="python")
    cold = Engine.create(backend="python")
    try:
        answers = [warm.recommend(b) for b in order]
        for body, answer in zip(order, answers, strict=True):
            cold._active.resolved.clear()  # the Resolved memos: candidates, tables, doses
            cold._exercises = Pool(cold.catalog.exercises.values())  # the catalog tables
            tables.clear_all()  # every module table (calendar, catalog, rule objects, days)
            assert cold.recommend(body) == answer, body["athlete_id"]
    finally:
        warm.close()
        cold.close()


HISTORY = ["goblet_squat", "romanian_deadlift", "split_squat", "calf_raise", "plank",
           "side_plank", "dead_bug", "glute_bridge", "leg_swings", "hip_circles", "push_up",
           "single_leg_balance", "pogo_hop", "dumbbell_row", "foam_roll_calves"]


def test_peak_phase_never_exceeds_its_session_cap(engine):
    body = engine.recommend({**BODY, "phase": "peak", "exercise_history": HISTORY,
                             "race": {"distance_km": 42.2, "days_until": 18, "priority": "A"}})
    strength = [s for s in body["sessions"] if not s["focus"].startswith("rehab")]
    assert 1 <= len(strength) <= 2


def test_race_day_has_no_strength(engine):
    body = engine.recommend({**BODY, "race": {"distance_km": 10, "days_until": 3}})
    assert 3 not in [s["day_offset"] for s in body["sessions"]]


def test_explain_lists_fired_rules_and_final_facts(engine):
    evaluation = engine.explain({**BODY, "race": {"distance_km": 42.2, "days_until": 10}})
    assert evaluation.fired and evaluation.facts["phase"] == "taper"


def test_status_reports_ruleset_files_and_plugins(engine):
    status = engine.status()
    assert status["name"] == "default" and status["status"] == "ok"
    assert status["last_error"] is None and status["files"]
    assert any(p["name"] == "stridewise.core" for p in status["plugins"])


def test_reload_swaps_versions_and_keeps_the_last_good_one(tmp_path):
    rules = write_rules(tmp_path / "rules")
    engine = build_engine(plugins.categories, plugins.core, plugins.constraints, rules=rules)
    first = engine.ruleset.version
    assert engine.recommend(BODY)["notes"] == ["hello"]

    write_rules(rules, note="changed")
    result = engine.reload()
    assert result.ok and result.changed and result.previous_version == first
    assert engine.recommend(BODY)["notes"] == ["changed"]

    (rules / "tiny.yaml").write_text("ruleset: tiny\nrules:\n  - id: broken\n    when: 'age >'\n")
    broken = engine.reload()
    assert not broken.ok and broken.error and broken.version == result.version
    assert engine.recommend(BODY)["notes"] == ["changed"]
    assert engine.status()["status"] == "degraded" and engine.status()["last_error"]

    write_rules(rules, note="fixed")
    assert engine.reload().ok and engine.status()["last_error"] is None
    engine.close()


def test_rules_come_from_the_environment_when_not_given(tmp_path):
    rules = write_rules(tmp_path / "envrules", sessions=1)
    engine = Engine.create(backend="python", env={"STRIDEWISE_RULES": str(rules)})
    assert engine.ruleset.name == "envrules"
    body = engine.recommend(BODY)
    assert [f["rule"] for f in body["fired"]] == ["tiny-base"]
    assert len(body["sessions"]) == 1
    engine.close()


def test_plugin_directives_and_plugin_rule_files_take_part(tmp_path):
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    (shipped / "deload.yaml").write_text(textwrap.dedent("""\
        ruleset: deload
        description: A plugin's own rules using its own directive.
        rules:
          - id: deload-week
            description: Halve everything.
            source: "test"
            when: "true"
            then:
              deload: true
        """))

    def apply(plan, values, context):
        plan.notes.append(f"deload week (from {values[0][0]})")
        return plan

    class Deload:
        @hookimpl
        def register_directives(self):
            return [DirectiveSpec("deload", "A deload week.", fields.Boolean(), apply)]

        @hookimpl
        def register_rulesets(self):
            return [{"name": "deload", "path": str(shipped)}]

    engine = build_engine(plugins.categories, plugins.core, plugins.functional,
                          plugins.constraints, ("deload", Deload()),
                          rules=write_rules(tmp_path / "rules"))
    body = engine.recommend(BODY)
    assert "deload-week" in [f["rule"] for f in body["fired"]]
    assert body["notes"][-1] == "deload week (from deload-week)"
    engine.close()


def test_a_reload_never_closes_a_ruleset_under_a_running_evaluation(tmp_path):
    rules = write_rules(tmp_path / "rules")
    engine = build_engine(plugins.categories, plugins.core, plugins.constraints, rules=rules)
    active = engine._active
    closed = []
    real_evaluate = active.compiled.evaluate

    class Spy:
        def evaluate(self, facts):
            write_rules(rules, note="during")
            assert engine.reload().ok  # swapped while this evaluation runs
            assert closed == []
            return real_evaluate(facts)

        def close(self):
            closed.append(True)

    active.compiled = Spy()
    engine.recommend(BODY)
    assert closed == [True]  # closed by the evaluation that was last to use it
    assert engine.recommend(BODY)["notes"] == ["during"]
    engine.close()


def test_a_rule_test_naming_an_unknown_rule_fails_with_a_suggestion(tmp_path):
    from stridewise.ruletests.runner import load_file, run_case

    rules = write_rules(tmp_path / "rules")
    tests = rules / "tests"
    tests.mkdir()
    (tests / "t.yaml").write_text(textwrap.dedent("""\
        base_context: {age: 30, running_experience_years: 3,
                       strength_training_experience: novice, weekly_run_km: 30}
        cases:
          - name: typo
            context: {}
            expect: {fired: [tiny-base], not_fired: [tiny-bse]}
        """))
    (case,) = load_file(tests / "t.yaml")
    result = run_case(case)
    assert result.failures == ["not_fired: no rule 'tiny-bse' in the ruleset "
                               "(did you mean 'tiny-base'?)"]


def test_concurrent_requests_during_reloads_all_get_the_same_plan():
    import threading

    engine = Engine.create(backend="auto")
    expected = engine.recommend(BODY)["sessions"]
    problems: list[str] = []

    def work():
        for _ in range(10):
            try:
                if engine.recommend(BODY)["sessions"] != expected:
                    problems.append("a different plan")
            except Exception as err:  # noqa: BLE001 - collected and asserted below
                problems.append(repr(err))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(3):
        assert engine.reload().ok
    for thread in threads:
        thread.join()
    engine.close()
    assert problems == []


def test_the_recommend_benchmark_suite_runs_every_backend():
    from stridewise.bench import run_suite
    from stridewise.rules import durable_available

    results = run_suite("recommend", [2], iterations=5, warmup=1)
    runners = {r.runner for r in results}
    assert runners == ({"durable", "python"} if durable_available() else {"python"})
    assert all(r.median_us > 0 and r.p99_us >= r.median_us for r in results)


# --- properties over generated athletes ---------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from stridewise.models import EQUIPMENT, INJURY_CONDITIONS, INJURY_SITES, PHASES, WEEKDAYS  # noqa: E402
from stridewise.planning.prescribe import is_heavy  # noqa: E402
from stridewise.planning.schedule import hours_before  # noqa: E402

INJURY = st.fixed_dictionaries({
    "site": st.sampled_from(INJURY_SITES),
    "condition": st.sampled_from(INJURY_CONDITIONS),
    "severity": st.sampled_from(["mild", "moderate", "severe", "resolved"]),
})
CONTEXTS = st.fixed_dictionaries(
    {
        "athlete_id": st.text(min_size=1, max_size=8),
        "age": st.integers(14, 90),
        "running_experience_years": st.floats(0, 40),
        "strength_training_experience": st.sampled_from(["novice", "intermediate", "advanced"]),
        "weekly_run_km": st.floats(0, 200),
        "start_date": st.just("2026-03-02"),
        "horizon_days": st.integers(1, 28),
    },
    optional={
        "phase": st.sampled_from(PHASES),
        "race": st.fixed_dictionaries({"distance_km": st.sampled_from([5, 10, 21.1, 42.2]),
                                       "days_until": st.integers(0, 60),
                                       "priority": st.sampled_from("ABC")}),
        "available_days": st.lists(st.sampled_from(WEEKDAYS), unique=True),
        "session_minutes_max": st.integers(10, 120),
        "sessions_per_week_max": st.integers(0, 7),
        "equipment": st.lists(st.sampled_from(EQUIPMENT), unique=True),
        "injuries": st.lists(INJURY, max_size=2),
    },
)


@st.composite
def athletes(draw: st.DrawFn) -> dict:
    """A valid context, key runs inside its horizon."""
    body = draw(CONTEXTS)
    runs = draw(st.lists(st.fixed_dictionaries({
        "day_offset": st.integers(0, body["horizon_days"] - 1),
        "type": st.sampled_from(["intervals", "tempo", "long_run", "hills"]),
    }), max_size=3))
    return {**body, "key_run_sessions": runs} if runs else body


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=athletes())
def test_every_generated_athlete_gets_a_safe_consistent_plan(engine, body):
    trace = engine.trace(body)
    out = trace.response
    blocks = trace.blocks or [(trace.evaluation, trace.resolved, trace.plan)]
    race = body["race"]["days_until"] if body.get("race") else None  # from the plan start
    key_days = {r["day_offset"] for r in body.get("key_run_sessions") or ()}
    strength = [s for s in out["sessions"] if not s["focus"].startswith("rehab")]
    for index, (evaluation, res, _block) in enumerate(blocks):
        facts = evaluation.facts
        caps = [c for c in (facts.get("sessions_per_week_max"),
                            res.bound("sessions_per_week").max) if c is not None]
        in_week = [s for s in strength if index * 7 <= s["day_offset"] < index * 7 + 7]
        assert len(in_week) <= min(caps, default=7)
        assert all(s["weekday"] in facts["available_days"] for s in in_week)
    for sess, draft in zip(out["sessions"], trace.plan.sessions, strict=True):
        day = sess["day_offset"]
        evaluation, res, block = blocks[day // 7]
        facts = evaluation.facts
        limit = min(x for x in (facts["session_minutes_max"], res.bound("session_minutes").max)
                    if x is not None)
        excluded = {e.exercise_id for e in block.excluded}
        assert 0 <= day < body["horizon_days"] and day != race
        assert sess["duration_min"] <= limit
        assert sess["after_run"] == (day in key_days and not sess["focus"].startswith("rehab"))
        for item, planned in zip(sess["exercises"], draft.exercises, strict=True):
            assert item["because"] and item["plugin"] and item["id"] not in excluded
            if not is_heavy(planned.exercise, planned.prescription):
                continue
            for (event, kind), window in res.away_from.items():
                if event == "race" and kind in ("heavy", "any") and race is not None and race > day:
                    assert hours_before(day, race) >= window["hours_before"]


@pytest.fixture(scope="module")
def durable_engine():
    from stridewise.rules import durable_available

    if not durable_available():
        pytest.skip("durable-rules is not importable here")
    built = Engine.create(backend="durable")
    yield built
    built.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=athletes())
def test_both_backends_recommend_the_same_week(engine, durable_engine, body):
    assert durable_engine.recommend(body) == engine.recommend(body)


def test_a_vanished_rule_directory_keeps_the_last_good_version(tmp_path):
    import shutil

    rules = write_rules(tmp_path / "rules")
    engine = build_engine(plugins.categories, plugins.core, plugins.constraints, rules=rules)
    version = engine.ruleset.version
    shutil.rmtree(rules)
    result = engine.reload()
    assert not result.ok and result.version == version and engine.status()["last_error"]
    assert engine.recommend(BODY)["notes"] == ["hello"]
    engine.close()


def test_the_recommend_command_prints_the_body_or_a_readable_week(engine, tmp_path):
    import json

    from click.testing import CliRunner
    from stridewise.cli import cli

    path = tmp_path / "athlete.json"
    path.write_text(json.dumps(BODY))
    as_json = CliRunner().invoke(cli, ["recommend", str(path), "--json"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.output) == engine.recommend(BODY)
    readable = CliRunner().invoke(cli, ["recommend", str(path)])
    assert readable.exit_code == 0
    first = engine.recommend(BODY)["sessions"][0]
    assert f"Day {first['day_offset']} · {first['weekday']} {first['date']}" in readable.output
    assert "because" in readable.output and first["exercises"][0]["name"] in readable.output
