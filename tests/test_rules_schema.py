"""The rule-file schema: every problem in one pass, located, with the likely fix."""

from __future__ import annotations

from pathlib import Path

from stridewise.directives import Vocabulary
from stridewise.rules import check_paths, load_ruleset

DATA = Path(__file__).parent / "data" / "rules"


def located() -> list[tuple[int, int, str]]:
    return [(d.line, d.col, d.message) for d in check_paths([DATA / "bad" / "schema.yaml"])]


def test_every_schema_problem_is_located_at_its_yaml_node() -> None:
    assert [(line, col) for line, col, _ in located()] == [
        (1, 10), (2, 1), (5, 15), (8, 17), (9, 19), (10, 13), (15, 24), (15, 33), (17, 11),
        (18, 11), (19, 5),
    ]


def test_unknown_keys_suggest_the_closest_known_key_at_any_depth() -> None:
    messages = [m for _, _, m in located()]
    assert "unknown key 'descripton'; did you mean 'description'?" in messages
    assert "unknown key 'categries'; did you mean 'categories'?" in messages


def test_directive_values_are_checked_by_the_then_schema() -> None:
    messages = [m for _, _, m in located()]
    assert "then.sets.max: must be between 1 and 10" in messages
    assert "then: not a valid mapping type." in messages


def test_set_is_type_checked_against_the_facts() -> None:
    messages = [m for _, _, m in located()]
    assert ("cannot set 'phse': unknown fact; did you mean 'phase'? (plugin facts go under ext.)"
            in messages)
    assert "set equipment: expected a list of strings" in messages
    assert any(m.startswith("cannot set 'race'") for m in messages)


def test_a_non_text_condition_and_a_non_mapping_rule_are_reported() -> None:
    messages = [m for _, _, m in located()]
    assert "when: expected a condition such as age > 30 (or true), not 42" in messages
    assert "each rule is a mapping with id, when and then" in messages


def test_a_vocabulary_with_a_catalog_checks_exercise_ids(tmp_path: Path) -> None:
    rule = tmp_path / "r.yaml"
    rule.write_text("ruleset: r\nrules:\n  - id: a\n    when: true\n"
                    "    then: {exclude: {exercises: [box_jmp]}}\n")
    assert check_paths([rule]) == []
    [problem] = check_paths([rule], vocabulary=Vocabulary(exercise_ids=frozenset({"box_jump"})))
    assert (problem.line, problem.col) == (5, 33) and "did you mean 'box_jump'?" in problem.message


def test_a_loaded_rule_keeps_its_origin_directives_and_sets() -> None:
    rule = load_ruleset(DATA / "basic").rules[3]
    assert (rule.id, rule.section, rule.line, rule.priority) == (
        "derive-taper", "periodization", 14, 0)
    assert rule.file.endswith("periodization.yaml") and rule.then == {}
    assert rule.sets == {"phase": "taper"}
