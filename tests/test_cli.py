"""The `stridewise` group is lazy: its help lists every command without importing one."""

from __future__ import annotations

from pathlib import Path

import pytest
from build_helpers import loaded_by
from click.testing import CliRunner
from stridewise.cli import COMMANDS, LazyGroup, cli

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("durable", "flask", "marshmallow", "yaml", "gunicorn", "stridewise.commands")


def _fresh_group() -> LazyGroup:
    """A group built from the same table, with no command loaded yet."""
    return LazyGroup("stridewise", lazy=COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_summary_is_the_first_sentence_of_the_commands_help(name):
    command = COMMANDS[name].load()
    assert command.name == name
    assert command.get_short_help_str(limit=10_000) == COMMANDS[name].summary


def test_help_lists_every_command_without_importing_any():
    loaded = loaded_by(
        "from stridewise.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert not [m for m in loaded if m.startswith(HEAVY)]
    assert [m for m in loaded if m.startswith("stridewise")] == ["stridewise", "stridewise.cli"]


def test_help_is_the_same_before_and_after_the_commands_load():
    lazy = CliRunner().invoke(_fresh_group(), ["--help"])
    loaded = _fresh_group()
    for name in COMMANDS:
        loaded.get_command(None, name)  # type: ignore[arg-type]
    assert set(loaded.commands) == set(COMMANDS)
    eager = CliRunner().invoke(loaded, ["--help"])
    assert lazy.exit_code == eager.exit_code == 0
    assert lazy.output == eager.output
    for name in COMMANDS:
        assert f"\n  {name} " in lazy.output


def test_a_command_loads_when_it_runs():
    result = CliRunner().invoke(cli, ["check", str(ROOT / "rulesets" / "default")])
    assert result.exit_code == 0, result.output
    assert "check" in cli.commands
    unknown = CliRunner().invoke(cli, ["chek"])
    assert unknown.exit_code == 2 and "No such command 'chek'" in unknown.output
