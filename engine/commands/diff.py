"""`stridewise diff`: what a rules edit changes for a corpus of athletes, before it ships."""

from __future__ import annotations

import json
from typing import Any

import click

__all__ = ["diff_command"]

LABELS = {
    "sessions_added": "+ session", "sessions_removed": "- session",
    "exercises_swapped": "~ swapped", "exercises_added": "+ exercise",
    "exercises_removed": "- exercise", "doses_changed": "~ dose",
    "rules_newly_firing": "+ fires", "rules_silenced": "- silent",
    "warnings_added": "+ warning", "errors": "! plan",
}


@click.command("diff")
@click.option("--rules", "new", multiple=True, required=True, type=click.Path(exists=True),
              help="The edited rule file or directory (repeatable).")
@click.option("--against", "old", multiple=True, type=click.Path(exists=True),
              help="The rules to compare with (repeatable); default: the bundled default rules "
                   "(or $STRIDEWISE_RULES).")
@click.option("--contexts", type=click.Path(exists=True),
              help="Athlete contexts: a .jsonl file (one per line), a .json file or a directory "
                   "of them; default: the bundled sample corpus.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole diff as JSON.")
@click.option("--all", "show_all", is_flag=True, help="List unchanged athletes too.")
def diff_command(new: tuple[str, ...], old: tuple[str, ...], contexts: str | None,
                 as_json: bool, show_all: bool) -> None:
    """Show, athlete by athlete, what the rules in --rules change against --against: sessions
    added or removed, exercises swapped, doses changed, rules newly firing or silent."""
    from stridewise.errors import RulesetError, StridewiseError
    from stridewise.impact import diff_rulesets
    from stridewise.samples import load_contexts, load_samples
    from stridewise.service import Engine

    try:
        bodies = load_contexts(contexts) if contexts else load_samples()
        before = Engine.create(rules=list(old) or None, backend="python")
        after = Engine.create(rules=list(new), backend="python")
    except RulesetError as err:
        raise click.ClickException(f"the rules do not load:\n{err}") from None
    except StridewiseError as err:
        raise click.ClickException(str(err)) from None
    try:
        result = diff_rulesets(before, after, bodies)
    finally:
        before.close()
        after.close()
    if as_json:
        click.echo(json.dumps(result, indent=2, default=str))
        return
    _print(result, show_all)


def _print(result: dict[str, Any], show_all: bool) -> None:
    summary = result["summary"]
    for athlete in result["athletes"]:
        if not athlete["changed"] and not show_all:
            continue
        name = athlete["athlete_id"] or f"#{athlete['index'] + 1}"
        click.echo(f"{name}: {'changed' if athlete['changed'] else 'no change'}")
        for kind, label in LABELS.items():
            for item in athlete[kind]:
                click.echo(f"  {label} {item}")
    click.echo(f"{summary['changed']} of {summary['athletes']} athletes change "
               f"({summary['active'][:15]}… -> {summary['draft'][:15]}…)")
    for kind, count in summary["by_change"].items():
        if count:
            click.echo(f"  {count:4} athletes: {kind.replace('_', ' ')}")
    for key, sign in (("rules_newly_firing", "+"), ("rules_silenced", "-")):
        for rule, count in summary[key].items():
            click.echo(f"  {sign} {rule}: {count} athlete(s)")
