"""`stridewise plugins` and `stridewise exercises`: what the installed plugins contribute."""

from __future__ import annotations

import json
import logging
import os

import click
from stridewise.catalog import Catalog, build_catalog, exercise_to_dict
from stridewise.models import EQUIPMENT
from stridewise.plugin_manager import TRACE_ENV, Plugins, load_plugins

__all__ = ["exercises_command", "plugins_command"]


def _load() -> tuple[Plugins, Catalog]:
    if not logging.getLogger().handlers:
        if os.environ.get(TRACE_ENV):
            logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
        else:  # problems are printed in the listing; keep logging's last resort quiet
            logging.getLogger("stridewise.plugins").addHandler(logging.NullHandler())
    loaded = load_plugins()
    return loaded, build_catalog(loaded)


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print the plugin reports as JSON.")
@click.option(
    "--strict", is_flag=True, help="Exit with status 1 when any plugin has an error."
)
def plugins_command(as_json: bool, strict: bool) -> None:
    """List plugins: name, version, hooks, items contributed and load errors."""
    loaded, _catalog = _load()
    reports = loaded.to_json()
    if as_json:
        click.echo(json.dumps({"plugins": reports, "warnings": loaded.warnings}, indent=2))
    else:
        for report in reports:
            origin = report["distribution"] or "registered object"
            version = report["version"] or "-"
            items = ", ".join(_count(n, k) for k, n in report["contributed"].items()) or "no items"
            click.echo(f"{report['name']}  {report['status']}  ({origin} {version})")
            click.echo(f"    hooks: {', '.join(report['hooks']) or 'none'}; {items}")
            for problem in report["errors"]:
                click.echo(f"    {problem['severity']}: {problem['message']}")
        for warning in loaded.warnings:
            click.echo(f"warning: {warning}", err=True)
    if strict and any(p.severity == "error" for p in loaded.problems):
        raise SystemExit(1)


def _count(n: int, kind: str) -> str:
    plural = "categories" if kind == "category" else f"{kind}s"
    return f"{n} {kind if n == 1 else plural}"


@click.command("exercises")
@click.option(
    "--category", "categories", multiple=True, help="Only this category (repeatable: any of)."
)
@click.option("--tag", "tags", multiple=True, help="Only exercises with this tag (repeatable).")
@click.option(
    "--equipment",
    multiple=True,
    type=click.Choice(EQUIPMENT),
    help="Only exercises doable with this equipment (repeatable); bodyweight ones always are.",
)
@click.option("--json", "as_json", is_flag=True, help="Print full catalog entries as JSON.")
def exercises_command(
    categories: tuple[str, ...], tags: tuple[str, ...], equipment: tuple[str, ...], as_json: bool
) -> None:
    """List catalog exercises, sorted by id, filtered by category, tag and equipment."""
    _loaded, catalog = _load()
    problems = catalog.unknown_filters(categories=categories, tags=tags)
    for kind, messages in problems.items():
        raise click.BadParameter(messages[0], param_hint=f"--{kind}")
    found = catalog.select(
        categories=categories or None, tags=tags or None, available=equipment or None
    )
    if as_json:
        click.echo(json.dumps({"exercises": [exercise_to_dict(ex) for ex in found]}, indent=2))
        return
    for ex in found:
        gear = ", ".join(ex.equipment) or "bodyweight"
        click.echo(
            f"{ex.id:<36} {'/'.join(ex.categories):<28} {ex.level:<12} {ex.impact:<8} {gear}"
            f"  [{ex.plugin}]"
        )
    click.echo(f"{len(found)} of {len(catalog.exercises)} exercises", err=True)
