"""`stridewise fmt`: canonical layout, comments kept, idempotent, `--check` for CI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from stridewise.cli import cli
from stridewise.formatting import format_text
from stridewise.rules import load_ruleset
from stridewise.rulesets import DEFAULT

MESSY = """rules:
    # masters first
    - when: age >= 40   # the masters threshold
      then:
          spacing: {heavy_hours: 72}
          notes: ["Leave three days between heavy sessions."]
      priority: 45
      id: masters-40
description: Masters rules.
ruleset: masters
"""

def test_rule_files_get_canonical_key_order_and_indentation_with_comments_kept() -> None:
    out = format_text(MESSY)
    assert "# masters first" in out and "# the masters threshold" in out
    assert out.index("ruleset:") < out.index("description:") < out.index("rules:")
    assert out.index("id: masters-40") < out.index("priority: 45") < out.index("when:") \
        < out.index("then:")
    assert "\n  - id: masters-40\n    priority: 45\n" in out
    assert out.index("spacing:") < out.index("notes:")  # directives keep the author's order


def test_formatting_is_idempotent_and_keeps_meaning(tmp_path: Path) -> None:
    once = format_text(MESSY)
    assert format_text(once) == once
    for path in sorted(DEFAULT.glob("*.yaml")) + sorted(DEFAULT.glob("tests/*.yaml")):
        text = path.read_text()
        assert format_text(format_text(text)) == format_text(text), path.name
    (tmp_path / "a.yaml").write_text(MESSY)
    (tmp_path / "b.yaml").write_text(once)
    a, b = load_ruleset(tmp_path / "a.yaml"), load_ruleset(tmp_path / "b.yaml")
    assert [(r.id, r.when, r.then, r.priority) for r in a.rules] == \
        [(r.id, r.when, r.then, r.priority) for r in b.rules]


def test_rule_test_files_order_cases() -> None:
    text = "cases:\n  - expect: {fired: [a]}\n    name: one\n    context: {age: 3}\nruleset: ..\n"
    out = format_text(text)
    assert out.index("ruleset:") < out.index("cases:")
    assert out.index("name: one") < out.index("context:") < out.index("expect:")


def test_the_default_rules_are_formatted() -> None:
    """CI: `stridewise fmt --check` on the bundled defaults."""
    result = CliRunner().invoke(cli, ["fmt", "--check", str(DEFAULT)])
    assert result.exit_code == 0, result.output


def test_fmt_check_lists_and_fmt_writes(tmp_path: Path) -> None:
    path = tmp_path / "masters.yaml"
    path.write_text(MESSY)
    result = CliRunner().invoke(cli, ["fmt", "--check", str(tmp_path)])
    assert result.exit_code == 1 and "would reformat" in result.output
    assert path.read_text() == MESSY
    result = CliRunner().invoke(cli, ["fmt", str(path)])
    assert result.exit_code == 0 and "reformatted" in result.output
    assert path.read_text() == format_text(MESSY)
    assert CliRunner().invoke(cli, ["fmt", "--check", str(path)]).exit_code == 0


@pytest.mark.parametrize("text", ["rules: [\n", "a: 1\n\tb: 2\n"])
def test_fmt_names_files_it_cannot_parse_and_leaves_them(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    result = CliRunner().invoke(cli, ["fmt", str(path)])
    assert result.exit_code == 1 and "bad.yaml:" in result.output
    assert "not formatted" in result.output and "Traceback" not in result.output
    assert path.read_text() == text
