"""Bad rule files: each gives one clear, located message; nothing crashes or hangs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from stridewise.errors import Diagnostic, ExpressionError, RulesetError
from stridewise.rules import check_paths, load_ruleset, parse_expr, parse_text

DATA = Path(__file__).parent / "data" / "rules"


def problems(text: str | bytes) -> list[Diagnostic]:
    result = parse_text(text.encode() if isinstance(text, str) else text, "r.yaml")
    assert isinstance(result, list), "expected diagnostics"
    return result


def only(diagnostics: list[Diagnostic]) -> Diagnostic:
    assert len(diagnostics) >= 1
    return diagnostics[0]


def when_problem(condition: str) -> Diagnostic:
    """The diagnostic for a rule file whose only problem is `condition`."""
    text = f"ruleset: t\nrules:\n  - id: a\n    when: {condition}\n    then: {{sets: {{max: 2}}}}\n"
    path = Path(f"/tmp/stridewise-when-{abs(hash(condition))}.yaml")
    path.write_text(text, encoding="utf-8")
    try:
        return only(check_paths([path]))
    finally:
        path.unlink()


def test_invalid_yaml_points_at_the_problem() -> None:
    d = only(problems("ruleset: x\nrules: [1, 2\n"))
    assert (d.line, d.col) == (3, 1) and "invalid YAML" in d.message


def test_tabs_in_indentation_are_reported_at_the_tab() -> None:
    d = only(check_paths([DATA / "bad" / "tabs.yaml"]))
    assert (d.line, d.col) == (3, 1) and "tab character" in d.message


def test_duplicate_keys_are_errors_naming_the_first_one() -> None:
    d = only(check_paths([DATA / "bad" / "duplicate.yaml"]))
    assert (d.line, d.col) == (5, 5)
    assert d.message == "duplicate key 'when' (first at line 4)"


def test_an_alias_bomb_stops_early_with_a_message() -> None:
    start = time.perf_counter()
    d = only(check_paths([DATA / "bad" / "bomb.yaml"]))
    assert "alias bomb" in d.message and d.line > 1
    assert time.perf_counter() - start < 5


def test_a_ten_megabyte_file_is_refused_without_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"ruleset: big\n" + b"# padding\n" * 1_000_000)
    d = only(check_paths([big]))
    assert (d.line, d.col) == (1, 1) and "limited to 1,048,576 bytes" in d.message


def test_deeply_nested_yaml_is_refused() -> None:
    d = only(problems("a: " + "[" * 10_000 + "]" * 10_000 + "\n"))
    assert "nesting" in d.message or "depth" in d.message


def test_an_expression_nested_ten_thousand_deep_is_refused_at_a_column() -> None:
    d = when_problem("not " * 10_000 + "true")
    assert d.line == 4 and "nested more than 32 levels" in d.message
    d = when_problem("(" * 4_000 + "true" + ")" * 4_000)
    assert (d.line, d.col) == (4, 11 + 32) and "nested" in d.message


@pytest.mark.parametrize(("condition", "col", "message"), [
    ("age = 30", 15, "unknown operator '='; did you mean '=='?"),
    ("age > 30 && phase == \"peak\"", 20, "unknown operator '&&'; did you mean 'and'?"),
    ("age > 30 || true", 20, "unknown operator '||'; did you mean 'or'?"),
    ("age <> 30", 15, "unknown operator '<>'; did you mean '!='?"),
])
def test_unknown_operators_are_named_with_the_likely_fix(condition: str, col: int,
                                                         message: str) -> None:
    d = when_problem(condition)
    assert (d.line, d.col) == (4, col) and d.message == message


def test_an_unterminated_string_is_reported_where_it_starts() -> None:
    d = when_problem("'phase == \"peak'")
    assert (d.line, d.col) == (4, 21) and "unterminated string" in d.message


def test_an_enum_typo_is_reported_at_the_literal_with_a_suggestion() -> None:
    d = when_problem('phase == "peek"')
    assert (d.line, d.col) == (4, 20)
    assert d.message.startswith("'peek' is not a known value of phase; did you mean 'peak'?")


def test_an_unknown_fact_and_a_type_mismatch_are_errors_at_their_column() -> None:
    assert when_problem("age > 3 and phse == 1").message.startswith(
        "unknown fact 'phse'; did you mean 'phase'?")
    d = when_problem('age > "thirty"')
    assert (d.col, d.message) == (15, "cannot compare a number with a string")


def test_non_utf8_bytes_are_reported_at_the_byte() -> None:
    d = only(check_paths([DATA / "bad" / "latin1.yaml"]))
    assert (d.line, d.col) == (6, 22) and "not UTF-8" in d.message


def test_a_non_mapping_top_level_is_refused() -> None:
    assert "top level must be a mapping" in only(problems("- id: a\n")).message
    assert "top level must be a mapping" in only(problems("just text\n")).message


def test_an_empty_file_is_refused() -> None:
    assert "empty" in only(problems("")).message
    assert "empty" in only(problems("# only a comment\n\n")).message


def test_unsafe_tags_are_refused() -> None:
    d = only(problems("ruleset: !!python/object/apply:os.system [ls]\n"))
    assert "unsupported YAML tag" in d.message


def test_every_problem_in_a_file_is_reported_in_one_pass_with_suggestions() -> None:
    found = [str(d) for d in check_paths([DATA / "bad" / "typos.yaml"])]
    assert [line.split(": ", 1)[0] for line in found] == [
        "tests/data/rules/bad/typos.yaml:3:5", "tests/data/rules/bad/typos.yaml:4:5",
        "tests/data/rules/bad/typos.yaml:8:20", "tests/data/rules/bad/typos.yaml:10:23",
        "tests/data/rules/bad/typos.yaml:14:20",
    ]
    assert "unknown key 'whne'; did you mean 'when'?" in found[1]
    assert "did you mean 'lower_body'?" in found[3]
    assert "did you mean 'taper'?" in found[4]


def test_load_ruleset_raises_with_every_diagnostic_and_keeps_file_order() -> None:
    with pytest.raises(RulesetError) as info:
        load_ruleset(DATA / "bad" / "typos.yaml")
    assert len(info.value.diagnostics) == 5
    ruleset = load_ruleset(DATA / "basic")
    assert [r.id for r in ruleset.rules] == [
        "knee-no-impact", "no-race", "peak-maintenance", "derive-taper", "taper-volume"]
    assert ruleset.version.startswith("sha256:") and ruleset.rules[2].line == 4


def test_duplicate_rule_ids_across_files_name_the_first(tmp_path: Path) -> None:
    body = "ruleset: {0}\nrules:\n  - id: same\n    when: age > 1\n    then: {{sets: {{max: 2}}}}\n"
    (tmp_path / "a.yaml").write_text(body.format("a"))
    (tmp_path / "b.yaml").write_text(body.format("b"))
    d = only(check_paths([tmp_path]))
    assert d.message.endswith("a.yaml:3") and "duplicate rule id 'same'" in d.message


def test_conditions_parse_to_typed_trees() -> None:
    tree = parse_expr('"knee" in injuries.site and phase in ["peak", "taper"]')
    assert type(tree).__name__ == "And"
    with pytest.raises(ExpressionError):
        parse_expr("injuries.site == \"knee\"")


def test_errors_in_multi_line_conditions_point_at_the_right_line_and_column() -> None:
    found = [(d.line, d.col, d.message.split(";")[0])
             for d in check_paths([DATA / "bad" / "multiline.yaml"])]
    assert found == [
        (5, 16, "'peek' is not a known value of phase"),  # plain scalar over two lines
        (10, 7, "unknown fact 'phse'"),  # folded block (>)
        (15, 15, "unknown operator '='"),  # literal block (|)
        (19, 16, "'pek' is not a known value of phase"),  # quoted over two lines
    ]


def test_a_condition_too_large_for_the_rules_engine_is_refused_at_check_time() -> None:
    items = ", ".join(f'"v{i}"' for i in range(200))
    d = when_problem(f"ext.tag in [{items}]")
    assert d.line == 4 and "too large for the rules engine (200 tests" in d.message
    d = when_problem(" and ".join(f"(age > {i} or weekly_run_km > {i})" for i in range(12)))
    assert "4096 alternatives" in d.message


def test_numbers_the_rules_engine_cannot_compare_exactly_are_refused() -> None:
    d = when_problem("ext.n == 9223372036854775808")
    assert (d.line, d.col) == (4, 20) and "out of range" in d.message
    assert "out of range" in when_problem("age > 0.00001").message


@pytest.mark.parametrize(("condition", "col", "start"), [
    ('any(injuries, sit == "knee")', 14,
     "unknown field 'sit' of an item of 'injuries' (inside any/all, paths name its fields); "
     "did you mean 'site'?"),
    ('any(injuries, site == "kne")', 22, "'kne' is not a known value of site"),
    ('all(injuries, phase == "peak")', 14, "unknown field 'phase' of an item of 'injuries'"),
    ("any(injuries.site, true)", 4, "'injuries.site' is a list of strings; any() and all() take"),
    ("any(injuries site)", 13, "expected ',' and a condition on each item"),
    ('any(injuries, site == "knee"', 28, "expected ')' to close the any( at column 1"),
    ("empty(age)", 6, "'age' is a number, not a list; empty() takes a list"),
    ("any(injuries, severity)", 14, "'severity' is a string, not a condition"),
    ("count(injuries) > 0", 0, "unknown function 'count'; the functions are exists(), empty()"),
    ('any(key_run_sessions, day_offset < day_offset)', 33,
     "inside key_run_sessions items, compare a field with a literal"),
])
def test_quantifier_errors_point_at_their_column(condition: str, col: int, start: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expr(condition)
    assert (info.value.col, info.value.message[: len(start)]) == (col, start)
