"""The `stridewise` command: a click group whose commands live in `stridewise.commands.*`.

The group is lazy: `stridewise --help` lists every command from the `COMMANDS` table (name,
loader, one-line summary) without importing a command module, so it never loads the engine,
durable-rules, marshmallow or Flask. A command's module is imported when the command runs
(or its own `--help` is shown). tests/test_cli.py checks each summary against the command's
real help, so the table cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import click

__all__ = ["COMMANDS", "LazyCommand", "LazyGroup", "cli", "main"]


@dataclass(frozen=True)
class LazyCommand:
    """A command known by name and summary; `load()` imports its module and returns it."""

    load: Callable[[], click.Command]
    summary: str


class LazyGroup(click.Group):
    """A click group that imports a command's module only when the command is used."""

    def __init__(self, *args: object, lazy: Mapping[str, LazyCommand], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(self.lazy))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.add_command(self.lazy[cmd_name].load(), cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            # A command not loaded yet is shortened from its summary exactly as click would.
            command = self.commands.get(name) or click.Command(name, help=self.lazy[name].summary)
            if not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


# One loader per command: plain imports, so grep, editors and mypy see every edge.
def _batch() -> click.Command:
    from stridewise.commands.batch import batch_command

    return batch_command


def _bench() -> click.Command:
    from stridewise.commands.bench import bench_command

    return bench_command


def _check() -> click.Command:
    from stridewise.commands.rules import check_command

    return check_command


def _diff() -> click.Command:
    from stridewise.commands.diff import diff_command

    return diff_command


def _exercises() -> click.Command:
    from stridewise.commands.plugins import exercises_command

    return exercises_command


def _explain() -> click.Command:
    from stridewise.commands.rules import explain_command

    return explain_command


def _fmt() -> click.Command:
    from stridewise.commands.fmt import fmt_command

    return fmt_command


def _openapi() -> click.Command:
    from stridewise.commands.openapi import openapi_command

    return openapi_command


def _plugins() -> click.Command:
    from stridewise.commands.plugins import plugins_command

    return plugins_command


def _recommend() -> click.Command:
    from stridewise.commands.plan import recommend_command

    return recommend_command


def _replay() -> click.Command:
    from stridewise.commands.replay import replay_command

    return replay_command


def _schema() -> click.Command:
    from stridewise.commands.schema import schema_command

    return schema_command


def _serve() -> click.Command:
    from stridewise.commands.serve import serve

    return serve


def _test() -> click.Command:
    from stridewise.commands.plan import test_command

    return test_command


# name -> loader and the first sentence of the command's help (checked by a test).
COMMANDS: dict[str, LazyCommand] = {
    "batch": LazyCommand(
        _batch, "Plan every athlete context in IN.jsonl (one per line) on a pool of processes."
    ),
    "bench": LazyCommand(
        _bench,
        "Time the rules backends side by side; Stridewise is compared with raw durable-rules.",
    ),
    "check": LazyCommand(
        _check,
        "Validate rule files (and their rule tests) like a compiler, with the same checks the "
        "service applies when it loads them: every problem in one pass; exit 1 on problems.",
    ),
    "diff": LazyCommand(
        _diff,
        "Show, athlete by athlete, what the rules in --rules change against --against: sessions "
        "added or removed, exercises swapped, doses changed, rules newly firing or silent.",
    ),
    "exercises": LazyCommand(
        _exercises,
        "List catalog exercises, sorted by id, filtered by category, tag and equipment.",
    ),
    "explain": LazyCommand(
        _explain,
        "Show which rules fire for an athlete context, the values they read, what they set, "
        "and the resulting directives after conflict resolution (with the rules behind each).",
    ),
    "fmt": LazyCommand(
        _fmt,
        "Format rule files and rule-test files canonically (key order, indentation), keeping "
        "comments; PATH is a file or a ruleset directory (its tests/ too), default the bundled "
        "default rules.",
    ),
    "openapi": LazyCommand(
        _openapi, "Print the OpenAPI 3 document the service serves at /openapi.json."
    ),
    "plugins": LazyCommand(
        _plugins, "List plugins: name, version, hooks, items contributed and load errors."
    ),
    "recommend": LazyCommand(
        _recommend,
        "Recommend strength work (a week up to a season) for the context in CONTEXT.json "
        "('-': stdin).",
    ),
    "replay": LazyCommand(
        _replay,
        "Re-evaluate the decisions in LOG (a decision log, JSON lines) against the rules in "
        "--rules and report which would change: rules newly firing or silent, exercises added or "
        "removed.",
    ),
    "schema": LazyCommand(
        _schema,
        "Print the JSON Schema (draft 2020-12) of rule files or rule-test files, generated from "
        "the directive registry and the installed plugins' vocabulary.",
    ),
    "serve": LazyCommand(
        _serve, "Serve the HTTP API with gunicorn (Ctrl-C or SIGTERM stops it gracefully)."
    ),
    "test": LazyCommand(
        _test,
        "Run rule tests: PATH (a test file or ruleset dir), default rulesets/*/tests/*.yaml.",
    ),
}


@click.group(
    cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(package_name="stridewise")
def cli() -> None:
    """Stridewise: periodized strength training for runners, from coaches' rule files."""


def main() -> None:
    """Console-script entry point."""
    cli()
