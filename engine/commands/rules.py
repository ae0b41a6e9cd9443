"""`stridewise check` and `stridewise explain`: the rules core on the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from stridewise.errors import ContextError, EvaluationError, RulesetError

if TYPE_CHECKING:
    from stridewise.planning.resolve import Resolved

__all__ = ["check_command", "explain_command", "resolved_directives"]


def _default_paths(paths: tuple[str, ...]) -> list[str]:
    if paths:
        return list(paths)
    from stridewise import rulesets

    return [str(rulesets.DEFAULT)]


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]),
              default="text", show_default=True,
              help="text (file:line:col: message), json (editors), sarif (code scanning) or "
                   "github (Actions annotations).")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--no-plugins", is_flag=True,
              help="Check against the built-in vocabulary only, without the installed plugins' "
                   "categories, tags, exercises, constraints and directives.")
@click.option("--watch", is_flag=True, help="Check again whenever a rule or test file changes.")
def check_command(
    paths: tuple[str, ...], fmt: str, as_json: bool, no_plugins: bool, watch: bool
) -> None:
    """Validate rule files (and their rule tests) like a compiler, with the same checks the
    service applies when it loads them: every problem in one pass; exit 1 on problems."""
    from stridewise.checking import plugin_vocabulary

    targets = _default_paths(paths)
    vocabulary = None if no_plugins else plugin_vocabulary()
    fmt = "json" if as_json else fmt
    if watch:
        from stridewise.commands.watch import watch_paths

        watch_paths(targets, lambda: _check_once(targets, vocabulary, fmt))
        return
    sys.exit(0 if _check_once(targets, vocabulary, fmt) else 1)


def _check_once(targets: list[str], vocabulary: Any, fmt: str) -> bool:
    from stridewise.checking import as_github, as_sarif, check_rules

    result = check_rules(targets, vocabulary=vocabulary)
    diagnostics = result.diagnostics
    if fmt == "json":
        click.echo(json.dumps({
            "ok": result.ok, "files": result.files,
            "diagnostics": [d.to_dict() for d in diagnostics],
        }, indent=2))
    elif fmt == "sarif":
        click.echo(json.dumps(as_sarif(result), indent=2))
    elif fmt == "github":
        for line in as_github(result):
            click.echo(line)
    else:
        for diagnostic in diagnostics:
            click.echo(f"{diagnostic} [{diagnostic.severity}]" if diagnostic.severity != "error"
                       else str(diagnostic))
    if fmt != "json" and fmt != "sarif":
        if diagnostics:
            click.echo(f"{len(diagnostics)} problem(s) in {len(result.files)} file(s)", err=True)
        else:
            click.echo(f"{len(result.files)} file(s) OK", err=True)
    return result.ok


@click.command("explain")
@click.argument("context_file", metavar="CONTEXT.json", type=click.Path(dir_okay=False))
@click.option("--rules", "rule_paths", multiple=True, type=click.Path(),
              help="Rule file or directory (repeatable); default: the bundled default rules.")
@click.option("--backend", type=click.Choice(["auto", "durable", "python"]), default="auto",
              show_default=True, help="Rules backend to evaluate with.")
@click.option("--why-not", "why_not", multiple=True, metavar="RULE",
              help="Say why RULE did not fire (or was overridden): the first false clause "
                   "with the values it read (repeatable).")
@click.option("--all", "all_rules", is_flag=True, help="Say why not for every rule that did "
                                                       "not fire.")
@click.option("--json", "as_json", is_flag=True, help="Print the evaluation as JSON.")
@click.option("--no-plugins", is_flag=True,
              help="Use the built-in plugins only (their vocabulary and directives), without "
                   "the installed plugins'.")
def explain_command(
    context_file: str, rule_paths: tuple[str, ...], backend: str, why_not: tuple[str, ...],
    all_rules: bool, as_json: bool, no_plugins: bool,
) -> None:
    """Show which rules fire for an athlete context, the values they read, what they set, and
    the resulting directives after conflict resolution (with the rules behind each)."""
    import os

    from stridewise.errors import StridewiseError
    from stridewise.explaining import explain
    from stridewise.plugin_manager import ALLOW_ENV
    from stridewise.service import Engine

    try:
        body = json.loads(Path(context_file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise click.ClickException(f"{context_file}: cannot read the file: {err}") from None
    except json.JSONDecodeError as err:
        raise click.ClickException(
            f"{context_file}:{err.lineno}:{err.colno}: invalid JSON: {err.msg}"
        ) from None
    try:  # the service's pipeline: plugins loaded, their facts, the same resolution
        env = {**os.environ, ALLOW_ENV: "stridewise"} if no_plugins else os.environ
        engine = Engine.create(rules=list(rule_paths) or None, backend=backend, env=env)
    except RulesetError as err:
        raise click.ClickException(f"the rules do not load:\n{err}") from None
    try:
        result = explain(engine, body, why_not=why_not, all_rules=all_rules)
    except ContextError as err:
        raise click.ClickException(f"{context_file}: invalid athlete context: {err}") from None
    except (EvaluationError, StridewiseError) as err:
        raise click.ClickException(str(err)) from None
    finally:
        engine.close()
    if as_json:
        click.echo(json.dumps(result, indent=2, default=str))
        return
    _print_explanation(result, {r.id: r for r in engine.ruleset.rules})


def _print_explanation(result: dict[str, Any], rules: dict[str, Any]) -> None:
    click.echo(f"{len(result['fired'])} of {result['rules']} rules fired "
               f"({result['backend']} backend), in firing order:")
    for number, fired in enumerate(result["fired"], 1):
        rule = rules[fired["rule"]]
        click.echo(f"{number:3}. {rule.id}  [{rule.section}]  {rule.file}:{rule.line}"
                   f"  priority {rule.priority}")
        click.echo(f"       when: {rule.when.strip()}")
        reads = ", ".join(f"{k} = {_show(v)}" for k, v in fired["read"].items())
        click.echo(f"       read: {reads or '(nothing)'}")
        for key, value in rule.then.items():
            click.echo(f"       then: {key}: {_show(_compact(value))}")
        for key, value in rule.sets.items():
            click.echo(f"       set:  {key} = {_show(value)}")
    for key, change in result["changed"].items():
        click.echo(f"fact {key}: {_show(change['from'])} -> {_show(change['to'])}")
    click.echo("resulting directives (after conflict resolution), with the rules behind each:")
    for entry in result["directives"]:
        click.echo(f"  {entry['directive']}: {_show(_compact(entry['value']))}"
                   f"  <- {', '.join(entry['rules'])}")
    if not result["directives"]:
        click.echo("  (none)")
    for warning in result["warnings"]:
        click.echo(f"warning: {warning}")
    if result["why_not"]:
        click.echo("why not:")
    for entry in result["why_not"]:
        click.echo(f"  {entry['rule']}  {entry['file']}:{entry['line']}: {entry['message']}")
        if entry.get("clause"):
            click.echo(f"       first false clause: {entry['clause']}")


def resolved_directives(res: Resolved) -> list[dict[str, Any]]:
    """Every resolved directive as {directive, value, rules}, rules being its provenance;
    each directive's spec says how it is listed (registry order, plugin directives too)."""
    return [{"directive": label, "value": value, "rules": list(rules)}
            for label, value, rules in res.entries()]


def _compact(value: Any) -> Any:
    """Drop null bounds that the schema filled in, so output shows what the rule said."""
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
