"""The `stridewise` command: a click group whose commands live in `stridewise.commands.*`."""

from __future__ import annotations

import click

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="stridewise")
def cli() -> None:
    """Stridewise: periodized strength training for runners, from coaches' rule files."""


# Each step of the pipeline owns its commands; they are registered here, in pipeline order.
# --- commands ---
from stridewise.commands.rules import check_command, explain_command  # noqa: E402

cli.add_command(check_command)
cli.add_command(explain_command)
from stridewise.commands.bench import bench_command  # noqa: E402

cli.add_command(bench_command)
from stridewise.commands.plugins import exercises_command, plugins_command  # noqa: E402

cli.add_command(plugins_command)
cli.add_command(exercises_command)
from stridewise.commands.serve import serve  # noqa: E402

cli.add_command(serve)
from stridewise.commands.plan import recommend_command, test_command  # noqa: E402

cli.add_command(recommend_command)
cli.add_command(test_command)
from stridewise.commands.openapi import openapi_command  # noqa: E402

cli.add_command(openapi_command)
# --- end commands ---


def main() -> None:
    """Console-script entry point."""
    cli()
