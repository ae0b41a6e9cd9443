"""Rule tests: the YAML format, located errors, and readable expectation failures."""

from __future__ import annotations

import textwrap
from types import SimpleNamespace

import pytest
from planning_helpers import CATALOG, facts_for, then
from stridewise.planning.planner import plan
from stridewise.planning.resolve import resolve
from stridewise.response import build_response
from stridewise.ruletests.checks import check_case, partial_match
from stridewise.ruletests.runner import DEFAULT_START, TestFileError, load_file


def write(tmp_path, text):
    tests = tmp_path / "rules" / "tests"
    tests.mkdir(parents=True)
    path = tests / "cases.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def test_a_file_loads_into_cases_with_merged_context_and_lines(tmp_path):
    path = write(tmp_path, """\
        base_context:
          age: 30
          race: {distance_km: 10, days_until: 40}
        cases:
          - name: first
            context:
              race: {days_until: 12}
            expect:
              fired: [a]
          - name: second
            context: {age: 50, start_date: 2026-02-02}
            expect: {not_fired: [a]}
        """)
    first, second = load_file(path)
    assert (first.name, first.line, second.line) == ("first", 5, 10)
    assert first.context == {"age": 30, "race": {"distance_km": 10, "days_until": 12},
                             "start_date": DEFAULT_START}
    assert second.context["start_date"] == "2026-02-02" and second.context["age"] == 50
    assert first.rules == (tmp_path / "rules").resolve()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("cases:\n  - name: a\n    expect: {fired: [x]}\n    contxt: {}\n", 4, "unknown case key"),
        ("cases:\n  - name: a\n    expect:\n      plan: {sesions: 1}\n", 4, "plan expectation"),
        ("cases:\n  - name: a\n    expect:\n      fired: [x]\n      fird: [y]\n", 5,
         "unknown expectation 'fird'"),
        ("cases:\n  - name: a\n", 2, "needs an `expect`"),
        ("cases: [\n", 2, "invalid YAML"),
        ("cases:\n  - {name: a, expect: {fired: [x]}}\n  - {name: a, expect: {fired: [x]}}\n",
         3, "used twice"),
        ("bogus: 1\ncases:\n  - {name: a, expect: {fired: [x]}}\n", 1, "unknown key 'bogus'"),
    ],
)
def test_errors_in_a_test_file_are_located(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(TestFileError) as info:
        load_file(path)
    diagnostic = info.value.diagnostics[0]
    assert diagnostic.line == line and message in diagnostic.message
    assert str(diagnostic).startswith(f"{diagnostic.file}:{line}:")


def test_partial_matching_rules():
    out: list[str] = []
    actual = {"sets": {"min": None, "max": 2.0}, "exclude": {"tags": ["bound", "jump"]},
              "require": [{"categories": ["core"], "count": 2, "per": "week"}],
              "volume_scale": None}
    partial_match({"sets": {"max": 2}, "exclude": {"tags": ["jump"]},
                   "require": [{"categories": ["core"]}], "volume_scale": None},
                  actual, "directives", out)
    assert out == []
    partial_match({"sets": {"max": 3}, "exclude": {"tags": ["hop"]}}, actual, "directives", out)
    assert out[0] == "directives.sets.max: expected 3, got 2.0"
    assert "directives.exclude.tags: expected an item matching 'hop'" in out[1]


def trace(rules=(), **context):
    facts = facts_for(**context)
    resolved = resolve(list(rules))
    p = plan(facts, resolved, CATALOG, {})
    fired = [SimpleNamespace(rule=SimpleNamespace(id=r[0], section="s", file="f.yaml", line=1))
             for r in rules]
    body = build_response(p, fired, {"name": "t", "version": "v"})
    return SimpleNamespace(evaluation=SimpleNamespace(fired=fired, facts=facts),
                           resolved=resolved, plan=p, response=body)


def test_expectations_pass_on_a_matching_plan():
    rules = [("peak", 50, then({"sessions_per_week": {"max": 1},
                                "exclude": {"tags": ["jump"]}, "notes": ["Keep it short."]}))]
    t = trace(rules, race={"distance_km": 10, "days_until": 5})
    expect = {
        "fired": ["peak"], "not_fired": ["other"],
        "directives": {"sessions_per_week": {"max": 1}, "exclude": {"tags": ["jump"]}},
        "plan": {"sessions": {"min": 1, "max": 1}, "exclude_tags": ["jump"],
                 "max_impact": "moderate", "no_strength_on_days": [5],
                 "heavy_not_within_hours_of": {"event": "race", "hours": 24},
                 "notes_include": ["short"],
                 "excluded": [{"exercise_id": "box_jump", "by": "peak"}],
                 "max_session_minutes": 60},
    }
    assert check_case(expect, t) == []


def test_failures_name_the_expectation_with_expected_and_got():
    t = trace([("base", 0, then({"sessions_per_week": {"min": 3}}))])
    failures = check_case({
        "fired": ["peak"], "not_fired": ["base"],
        "plan": {"sessions": 1, "include_exercises": ["nordic_hamstring"],
                 "warnings_include": ["nothing like this"]},
    }, t)
    assert failures[0] == "fired: expected 'peak' to fire; fired: base"
    assert failures[1] == "not_fired: 'base' fired but should not have"
    assert failures[2].startswith("plan.sessions: expected 1, got 3")
    assert "nordic_hamstring" in failures[3]
    assert "warnings_include" in failures[4]


def test_heavy_window_expectation_catches_heavy_work_before_a_race():
    t = trace(race={"distance_km": 10, "days_until": 6})
    failures = check_case({"plan": {"heavy_not_within_hours_of":
                                    {"event": "race", "hours": 400}}}, t)
    assert failures and "before the race on day 6" in failures[0]


def test_exercise_days_and_after_run_expectations():
    proto = {"id": "calf", "exercises": ["calf_raise"], "per_week": 7}
    t = trace([("calf", 0, then({"protocol": proto, "after_run": {"min_hours": 6}}))],
              key_run_sessions=[{"day_offset": 2, "type": "tempo"}])
    key_day = [s["day_offset"] for s in t.response["sessions"] if s["after_run"]]
    assert check_case({"plan": {"exercise_days": {"calf_raise": 7},
                                "after_run_on_days": key_day}}, t) == []
    assert check_case({"plan": {"exercise_days": {"calf_raise": {"max": 3}}}}, t)


def test_stridewise_test_reports_a_broken_file_with_its_line(tmp_path):
    from click.testing import CliRunner
    from stridewise.cli import cli

    path = write(tmp_path, "cases:\n  - name: a\n    expect: {fird: [x]}\n")
    result = CliRunner().invoke(cli, ["test", str(path)])
    assert result.exit_code == 1
    assert ":3:14: unknown expectation 'fird'" in result.output


def test_a_test_file_is_read_with_the_rule_files_limits_so_an_alias_bomb_stops(tmp_path):
    from click.testing import CliRunner
    from stridewise.cli import cli

    bomb = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in "bcdefgh":
        previous = chr(ord(level) - 1)
        bomb.append(f"{level}: &{level} [{', '.join(['*' + previous] * 10)}]")
    path = write(tmp_path, "\n".join(bomb) + "\ncases: []\n")
    result = CliRunner().invoke(cli, ["test", str(path)])
    assert result.exit_code == 1
    assert "1 file(s) with errors" in result.output
    assert "alias bomb" in result.output


def test_stridewise_test_json_lists_file_errors(tmp_path):
    import json

    from click.testing import CliRunner
    from stridewise.cli import cli

    path = write(tmp_path, "cases: []\n")
    result = CliRunner().invoke(cli, ["test", str(path), "--json"])
    data = json.loads(result.output)
    assert result.exit_code == 1 and data["file_errors"][0]["line"] == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"age": 7}', "age:"),
        ('{"age": 30, "running_experience_years": 2, "strength_training_experience": "novice",'
         ' "weekly_run_km": 20, "equipmnt": []}', "Did you mean 'equipment'?"),
        ("{not json", "not valid JSON"),
        ("[]", "must be a JSON object"),
        ('{"age": 30, "age": 40}', "duplicate key 'age'"),  # json.loads would keep 40
        ('{"a": "\\ud800"}', "lone surrogate"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (b"{\"age\": \"\xff\"}", "is not UTF-8 text (byte 9"),
    ],
)
def test_recommend_names_the_bad_field_without_a_traceback(tmp_path, content, expected):
    from click.testing import CliRunner
    from stridewise.cli import cli

    path = tmp_path / "context.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    result = CliRunner().invoke(cli, ["recommend", str(path)])
    assert result.exit_code == 2
    assert expected in result.output and "Traceback" not in result.output
