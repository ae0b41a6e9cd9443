"""`stridewise check`, `explain` and `bench` as a coach or an editor would call them."""

from __future__ import annotations

import json
from pathlib import Path

import stridewise.rules
from click.testing import CliRunner
from stridewise.cli import cli

DATA = Path(__file__).parent / "data" / "rules"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_check_prints_compiler_style_diagnostics_and_exits_1() -> None:
    code, out = run("check", str(DATA / "bad" / "typos.yaml"))
    assert code == 1
    assert "tests/data/rules/bad/typos.yaml:4:5: unknown key 'whne'; did you mean 'when'?" in out


def test_check_exits_0_on_clean_files_and_on_the_bundled_default_rules() -> None:
    assert run("check", str(DATA / "basic"))[0] == 0
    assert run("check")[0] == 0


def test_check_json_gives_editors_structured_diagnostics() -> None:
    code, out = run("check", "--json", str(DATA / "bad" / "typos.yaml"))
    body = json.loads(out[out.index("{"):])
    assert code == 1 and body["ok"] is False
    assert body["diagnostics"][1] == {
        "file": "tests/data/rules/bad/typos.yaml", "line": 4, "col": 5, "severity": "error",
        "message": "unknown key 'whne'; did you mean 'when'?",
    }


def test_explain_lists_fired_rules_in_order_with_values_read_and_directives() -> None:
    code, out = run("explain", str(DATA / "peak-athlete.json"), "--rules", str(DATA / "basic"))
    assert code == 0
    assert out.index("knee-no-impact") < out.index("peak-maintenance") < out.index("taper-volume")
    assert "tests/data/rules/basic/periodization.yaml:4" in out
    assert 'read: phase = "peak", race.days_until = 12' in out
    assert 'then: sets: {"max": 2}' in out
    assert 'fact phase: "peak" -> "taper"' in out


def test_explain_json_matches_both_backends() -> None:
    outputs = []
    for backend in ("durable", "python"):
        code, out = run("explain", str(DATA / "peak-athlete.json"), "--rules", str(DATA / "basic"),
                        "--backend", backend, "--json")
        assert code == 0
        body = json.loads(out)
        outputs.append([(f["rule"], f["read"], f["then"]) for f in body["fired"]])
    assert outputs[0] == outputs[1] and len(outputs[0]) == 4


def test_explain_prints_the_resolved_directives_with_the_rules_behind_each() -> None:
    code, out = run("explain", str(DATA / "peak-athlete.json"), "--rules", str(DATA / "basic"))
    assert code == 0
    tail = out[out.index("resulting directives"):]
    assert 'sets: {"max": 2}  <- peak-maintenance' in tail
    assert "volume_scale: 0.5  <- taper-volume" in tail
    assert 'exclude.impact: "high"  <- knee-no-impact' in tail
    assert "exclude.novel: true  <- peak-maintenance" in tail
    assert "warning:" not in out


CONFLICT = """ruleset: conflict
rules:
  - id: cap-sets
    priority: 50
    when: phase == "peak"
    then: {sets: {max: 2}}
  - id: more-sets
    when: race.days_until <= 21
    then: {sets: {min: 3}, notes: ["More sets."]}
  - id: also-cap
    priority: 50
    when: age > 10
    then: {sets: {max: 2}}
"""


def test_explain_directives_and_conflict_warnings_in_text_and_json(tmp_path: Path) -> None:
    rules = tmp_path / "conflict.yaml"
    rules.write_text(CONFLICT, encoding="utf-8")
    context = str(DATA / "peak-athlete.json")
    code, out = run("explain", context, "--rules", str(rules))
    assert code == 0
    assert 'sets: {"max": 2}  <- cap-sets, also-cap' in out
    assert "warning: sets: rule 'more-sets' asks for 3.., which conflicts with ..2 from " \
           "rule(s) 'cap-sets', 'also-cap'; the higher-priority bound stands." in out
    code, out = run("explain", context, "--rules", str(rules), "--json")
    body = json.loads(out)
    assert {"directive": "sets", "value": {"min": None, "max": 2},
            "rules": ["cap-sets", "also-cap"]} in body["directives"]
    assert {"directive": "notes", "value": "More sets.", "rules": ["more-sets"]} \
        in body["directives"]
    assert body["warnings"] == [out_warning for out_warning in body["warnings"]
                                if "more-sets" in out_warning] and len(body["warnings"]) == 1


def test_explain_names_the_bad_field_of_a_context_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"age": "forty", "agee": 3}')
    code, out = run("explain", str(bad))
    assert code == 1 and "age: Not a valid integer." in out and "Did you mean 'age'?" in out
    assert "Traceback" not in out
    bad.write_text("{not json")
    code, out = run("explain", str(bad))
    assert code == 1 and "bad.json:1:2: invalid JSON" in out


def test_bench_reports_every_runner_at_each_size() -> None:
    code, out = run("bench", "--rules", "10", "--iterations", "10", "--json")
    assert code == 0
    runners = {r["runner"] for r in json.loads(out)["results"]}
    assert runners == {"stridewise", "raw-durable", "raw-1-ruleset", "python"}


def test_bench_peer_suite_times_four_runners_that_agree_on_the_notes() -> None:
    code, out = run("bench", "--suite", "peer", "--iterations", "10", "--json")
    assert code == 0
    results = json.loads(out)["results"]
    assert [r["runner"] for r in results] == ["stridewise", "raw-durable", "python", "closures"]
    assert {r["size"] for r in results} == {50}


def test_the_peer_workload_fires_eight_rules_of_two_or_three_tests_over_eight_fields() -> None:
    from stridewise.bench_peer import PEER_FACTS, peer_rules

    rules = peer_rules(50)
    assert len(PEER_FACTS) == 8 and len(rules) == 50
    assert [i for i, (_, _, check) in enumerate(rules) if check(PEER_FACTS)] == list(range(8))
    assert {text.count(" and ") + 1 for text, _, _ in rules} == {2, 3}
    assert any(" in equipment" in text for text, _, _ in rules)


def test_public_api_all_is_sorted_and_complete() -> None:
    assert stridewise.rules.__all__ == sorted(stridewise.rules.__all__)
    assert all(hasattr(stridewise.rules, name) for name in stridewise.rules.__all__)


def test_bench_without_durable_rules_times_the_python_evaluator_only(monkeypatch) -> None:
    from stridewise.rules import compile as backend

    monkeypatch.setattr(backend, "_HOST", None)
    code, out = run("bench", "--rules", "10", "--iterations", "10")
    assert code == 0 and "python median/p99" in out and "stridewise" not in out.split("\n")[1]
