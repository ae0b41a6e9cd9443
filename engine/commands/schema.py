"""`stridewise schema rules|tests`: the JSON Schema editors use to complete and check files."""

from __future__ import annotations

import json

import click

__all__ = ["schema_command"]


@click.command("schema")
@click.argument("kind", type=click.Choice(["rules", "tests"]))
@click.option("--no-plugins", is_flag=True,
              help="Only the built-in vocabulary, without the installed plugins' names.")
def schema_command(kind: str, no_plugins: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of rule files or rule-test files, generated from
    the directive registry and the installed plugins' vocabulary."""
    from stridewise.checking import plugin_vocabulary
    from stridewise.json_schema import rules_schema, tests_schema

    vocabulary = None if no_plugins else plugin_vocabulary()
    build = rules_schema if kind == "rules" else tests_schema
    click.echo(json.dumps(build(vocabulary), indent=2, ensure_ascii=False))
