"""Draft vs active over the sample corpus (stridewise.impact, POST /v1/rulesets:diff)."""
# ruff: noqa: F811  -- pytest fixtures imported from web_fixtures

from __future__ import annotations

from stridewise.impact import compare_plans, impact
from stridewise.samples import load_samples
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
    removed = {item.split(" ", 1)[1] for a in changed for item in a["exercises_removed"]}
    assert removed & plyometric
    added = {item.split(" ", 1)[1] for a in changed for item in a["exercises_added"]}
    assert not added & plyometric


def test_compare_plans_names_sessions_exercises_doses_and_rules():
    before = _plan({"2026-03-02": [("squat", 3), ("plank", 3)], "2026-03-04": [("lunge", 2)]},
                   fired=["a", "b"])
    after = _plan({"2026-03-02": [("squat", 2), ("bridge", 3)], "2026-03-06": [("lunge", 2)]},
                  fired=["a", "c"], warnings=["dropped plank"])
    diff = compare_plans(before, after)
    assert diff["sessions_added"] == ["2026-03-06"] and diff["sessions_removed"] == ["2026-03-04"]
    assert diff["exercises_added"] == ["2026-03-02 bridge", "2026-03-06 lunge"]
    assert diff["exercises_removed"] == ["2026-03-02 plank", "2026-03-04 lunge"]
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
