"""`stridewise fmt`: format rule and rule-test files in place, or check that they are."""

from __future__ import annotations

import difflib
import sys

import click

__all__ = ["fmt_command"]


@click.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--check", is_flag=True,
              help="Write nothing; list the files that would change and exit 1 if any would.")
@click.option("--diff", "show_diff", is_flag=True, help="Print what would change as a diff.")
def fmt_command(paths: tuple[str, ...], check: bool, show_diff: bool) -> None:
    """Format rule files and rule-test files canonically (key order, indentation), keeping
    comments; PATH is a file or a ruleset directory (its tests/ too), default the bundled
    default rules."""
    from stridewise import rulesets
    from stridewise.formatting import format_paths
    from stridewise.rules import display_path

    results = format_paths(paths or [rulesets.DEFAULT])
    bad = [r for r in results if r.problem is not None]
    changed = [r for r in results if r.changed]
    for result in bad:
        click.echo(str(result.problem), err=True)
    for result in changed:
        shown = display_path(result.path)
        if show_diff and result.formatted is not None:
            click.echo("".join(difflib.unified_diff(
                result.original.splitlines(keepends=True),
                result.formatted.splitlines(keepends=True), shown, f"{shown} (formatted)")))
        if check or show_diff:
            click.echo(f"would reformat {shown}")
        elif result.formatted is not None:
            result.path.write_text(result.formatted, encoding="utf-8")
            click.echo(f"reformatted {shown}")
    verb = "would be reformatted" if check or show_diff else "reformatted"
    click.echo(f"{len(changed)} file(s) {verb}, {len(results) - len(changed) - len(bad)} "
               f"unchanged" + (f", {len(bad)} not formatted" if bad else ""), err=True)
    sys.exit(1 if bad or ((check or show_diff) and changed) else 0)
