"""Draft vs active over the sample corpus (stridewise.impact, POST /v1/rulesets:diff)."""
# ruff: noqa: F811  -- pytest fixtures imported from web_fixtures

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from stridewise.cli import cli
from stridewise.impact import compare_plans, diff_rulesets, impact
from stridewise.rulesets import DEFAULT
from stridewise.samples import load_samples
from stridewise.service import Engine
from stridewise.workbench import active_files
from test_workbench import RULE
from web_fixtures import CONTEXT, app, client, real_engine  # noqa: F401

NO_PLYO = '''ruleset: trial
rules:
  - id: no-plyometrics-for-anyone
    when: "true"
    then:
      exclude: {categories: [plyometrics]}
'''


def _files(engine, **extra):
    files = {f["name"]: f["text"] for f in active_files(engine)}
    files.update(extra)
    return files


def _plan(sessions, fired=(), warnings=()):
    return {"sessions": [{"date": d, "exercises": [
        {"id": i, "sets": s, "reps": 8, "seconds": None, "ground_contacts": None, "rest_s": 60,
         "intensity": {"pct_1rm": None, "rpe": None, "rir": None}} for i, s in items]}
        for d, items in sessions.items()],
        "fired": [{"rule": r} for r in fired], "warnings": list(warnings)}


def test_the_unedited_draft_changes_nobody(real_engine):
    result = impact(real_engine, _files(real_engine))
    assert result["summary"]["athletes"] == len(load_samples())
    assert result["summary"]["changed"] == 0
    assert result["summary"]["draft"] == result["summary"]["active"]
    assert not any(a["changed"] for a in result["athletes"])


def test_a_new_exclusion_shows_who_loses_which_exercises(real_engine):
    result = impact(real_engine, _files(real_engine, **{"trial.yaml": NO_PLYO}))
    changed = [a for a in result["athletes"] if a["changed"]]
    assert result["summary"]["changed"] == len(changed) > 0
    assert all("no-plyometrics-for-anyone" in a["rules_newly_firing"] for a in result["athletes"])
    plyometric = {e.id for e in real_engine.catalog.exercises.values()
                  if "plyometrics" in e.categories}
    swaps = [item.split(" ", 1)[1].split(" -> ") for a in changed
             for item in a["exercises_swapped"]]
    removed = {item.split(" ", 1)[1] for a in changed for item in a["exercises_removed"]}
    removed |= {old for old, _new in swaps}
    assert removed & plyometric
    added = {item.split(" ", 1)[1] for a in changed for item in a["exercises_added"]}
    added |= {new for _old, new in swaps}
    assert not added & plyometric


def test_compare_plans_names_sessions_exercises_doses_and_rules():
    before = _plan({"2026-03-02": [("squat", 3), ("plank", 3)], "2026-03-04": [("lunge", 2)]},
                   fired=["a", "b"])
    after = _plan({"2026-03-02": [("squat", 2), ("bridge", 3)], "2026-03-06": [("lunge", 2)]},
                  fired=["a", "c"], warnings=["dropped plank"])
    diff = compare_plans(before, after)
    assert diff["sessions_added"] == ["2026-03-06"] and diff["sessions_removed"] == ["2026-03-04"]
    # plank made way for bridge in the same session; lunge moved with its session
    assert diff["exercises_swapped"] == ["2026-03-02 plank -> bridge"]
    assert diff["exercises_added"] == [] and diff["exercises_removed"] == []
    assert diff["doses_changed"] == ["2026-03-02 squat: 3 x 8 rest 60s -> 2 x 8 rest 60s"]
    assert diff["rules_newly_firing"] == ["c"] and diff["rules_silenced"] == ["b"]
    assert diff["warnings_added"] == ["dropped plank"] and diff["changed"]
    assert not compare_plans(before, before)["changed"]


def test_diff_endpoint_compares_given_contexts_or_the_samples(client, real_engine):
    files = _files(real_engine, **{"trial.yaml": RULE})
    one = client.post("/v1/rulesets:diff", json={"files": files, "contexts": [
        {**CONTEXT, "age": 44, "key_run_sessions": [{"day_offset": 2, "type": "tempo"}]}]})
    assert one.status_code == 200
    (athlete,) = one.get_json()["athletes"]
    assert athlete["athlete_id"] == "a-1" and athlete["rules_newly_firing"] == ["masters-tempo"]
    every = client.post("/v1/rulesets:diff", json={"files": files}).get_json()
    assert every["summary"]["athletes"] == len(load_samples())
    assert client.get("/v1/rulesets").get_json()["version"] == real_engine.ruleset.version


def test_diff_of_a_broken_draft_is_a_422_with_diagnostics(client, real_engine):
    files = _files(real_engine, **{"trial.yaml": NO_PLYO.replace("plyometrics", "plyo")})
    response = client.post("/v1/rulesets:diff", json={"files": files})
    assert response.status_code == 422
    (diagnostic,) = response.get_json()["diagnostics"]
    assert diagnostic["file"] == "trial.yaml" and diagnostic["line"] == 6


@pytest.fixture(scope="module")
def active():
    engine = Engine.create(backend="python")
    yield engine
    engine.close()


@pytest.fixture
def edited(tmp_path: Path) -> Path:
    """The default rules with the masters threshold moved from 40 to 35."""
    target = tmp_path / "rules"
    shutil.copytree(DEFAULT, target, ignore=shutil.ignore_patterns("tests"))
    masters = target / "masters.yaml"
    text = masters.read_text()
    assert "when: age >= 40\n" in text
    masters.write_text(text.replace("when: age >= 40\n", "when: age >= 35\n"))
    return target


def by_id(result: dict) -> dict:
    return {a["athlete_id"]: a for a in result["athletes"]}


def test_an_edit_changes_exactly_the_athletes_it_reaches(active, edited: Path) -> None:
    after = Engine.create(rules=edited, backend="python")
    result = diff_rulesets(active, after, load_samples())
    after.close()
    athletes = by_id(result)
    reached = {s["athlete_id"] for s in load_samples() if 35 <= s["age"] < 40}
    newly = {a for a, entry in athletes.items()
             if "masters-40-recovery" in entry["rules_newly_firing"]}
    assert newly == reached and reached
    assert not any(entry["changed"] for a, entry in athletes.items()
                   if a not in reached)
    summary = result["summary"]
    assert summary["rules_newly_firing"] == {"masters-40-recovery": len(reached)}
    assert summary["changed"] == len(reached) == summary["by_change"]["rules_newly_firing"]


def test_compare_plans_names_sessions_swaps_and_doses() -> None:
    def ex(id_, cats, sets=3):
        return {"id": id_, "categories": cats, "sets": sets, "reps": 8, "seconds": None,
                "ground_contacts": None, "rest_s": 60,
                "intensity": {"pct_1rm": None, "rpe": None, "rir": None}}

    before = {"sessions": [{"date": "d1", "exercises": [ex("squat", ["functional_strength"]),
                                                        ex("plank", ["core"])]},
                           {"date": "d2", "exercises": [ex("bridge", ["core"])]}],
              "fired": [{"rule": "a"}, {"rule": "b"}], "warnings": []}
    after = {"sessions": [{"date": "d1", "exercises": [ex("plank", ["core"], sets=2),
                                                       ex("lunge", ["functional_strength"])]},
                          {"date": "d3", "exercises": [ex("bridge", ["core"])]}],
             "fired": [{"rule": "b"}, {"rule": "c"}], "warnings": ["w"]}
    diff = compare_plans(before, after)
    assert diff["sessions_added"] == ["d3"] and diff["sessions_removed"] == ["d2"]
    assert diff["exercises_swapped"] == ["d1 squat -> lunge"]
    assert diff["doses_changed"] == ["d1 plank: 3 x 8 rest 60s -> 2 x 8 rest 60s"]
    assert diff["rules_newly_firing"] == ["c"] and diff["rules_silenced"] == ["a"]
    assert diff["warnings_added"] == ["w"] and diff["changed"] is True


def test_diff_command_text_and_json(edited: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "squad.jsonl"
    chosen = [s for s in load_samples() if s["age"] in (36, 37, 28)][:3]
    corpus.write_text("\n".join(json.dumps(s) for s in chosen))
    result = CliRunner().invoke(cli, ["diff", "--rules", str(edited), "--against", str(DEFAULT),
                                      "--contexts", str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["summary"]["athletes"] == 3
    assert {a["athlete_id"] for a in body["athletes"] if a["changed"]} == {
        s["athlete_id"] for s in chosen if s["age"] >= 35}
    result = CliRunner().invoke(cli, ["diff", "--rules", str(edited), "--contexts", str(corpus)])
    assert result.exit_code == 0
    assert "+ fires masters-40-recovery" in result.output
    assert "athletes change" in result.output


def test_diff_command_names_rules_that_do_not_load(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "ruleset: bad\nrules:\n  - id: x\n    when: agee > 3\n    then: {sets: {max: 2}}\n"
    )
    result = CliRunner().invoke(cli, ["diff", "--rules", str(bad)])
    assert result.exit_code == 1 and "bad.yaml:4:11: unknown fact 'agee'" in result.output
    assert "Traceback" not in result.output
