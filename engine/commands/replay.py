"""`stridewise replay LOG --rules NEW`: what a new ruleset would change for logged decisions."""

from __future__ import annotations

import json
from pathlib import Path

import click

__all__ = ["replay_command"]


@click.command("replay")
@click.argument("log", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rules", "rules", type=click.Path(exists=True, path_type=Path), required=True,
              help="Ruleset directory (or file) to evaluate the logged contexts against.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def replay_command(log: Path, rules: Path, as_json: bool) -> None:
    """Re-evaluate the decisions in LOG (a decision log, JSON lines) against the rules in
    --rules and report which would change: rules newly firing or silent, exercises added or
    removed. Contexts are as logged (masked: a hashed athlete_id seeds variety differently)."""
    from stridewise.decisions import replay
    from stridewise.errors import StridewiseError
    from stridewise.service import Engine

    try:
        engine = Engine.create(rules=rules)
    except StridewiseError as err:
        raise click.ClickException(str(err)) from None
    with log.open(encoding="utf-8") as lines:
        report = replay(lines, engine)
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    click.echo(f"{report['decisions']} decisions replayed against {rules}: "
               f"{report['changed']} would change, {report['unreadable']} could not be replayed")
    for item in report["details"]:
        if "error" in item:
            click.echo(f"  line {item['line']}: {item['error']}")
            continue
        parts = []
        for key, label in (("rules_newly_firing", "+rules"), ("rules_no_longer_firing", "-rules"),
                           ("exercises_added", "+exercises"),
                           ("exercises_removed", "-exercises")):
            if item[key]:
                parts.append(f"{label} {', '.join(item[key])}")
        what = "; ".join(parts) or "session count"
        click.echo(f"  {item['decision_id']} (line {item['line']}): {what}")
