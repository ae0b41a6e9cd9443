"""`stridewise recommend` (a week or a season for one context) and `stridewise test`."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click
from stridewise.doses import dose_text
from stridewise.errors import ContextError, RulesetError, StridewiseError
from stridewise.jsonstrict import BodyError, loads_strict

__all__ = ["recommend_command", "render_overview", "render_week", "test_command"]


def _quiet_logging() -> None:
    if not logging.getLogger().handlers:
        logging.getLogger("stridewise").addHandler(logging.NullHandler())


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(2)


def _read_context(path: str) -> Any:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as err:
        _fail(f"cannot read {path}: {err.strerror or err}")
    except UnicodeDecodeError as err:
        _fail(f"{path} is not UTF-8 text (byte {err.start} cannot be read): save it as UTF-8")
    try:
        return loads_strict(text)
    except BodyError as err:
        _fail(f"{path}: not acceptable JSON: {err}")
    except json.JSONDecodeError as err:
        _fail(f"{path}:{err.lineno}:{err.colno}: not valid JSON: {err.msg}")
    except RecursionError:
        _fail(f"{path}: not valid JSON: nested too deeply")


@click.command("recommend")
@click.argument("context", metavar="CONTEXT.json")
@click.option("--rules", "rules", multiple=True, type=click.Path(exists=True),
              help="Rule directory or file to use instead of the default ruleset (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print exactly the design §6 JSON body.")
@click.option("--backend", default="auto", show_default=True,
              type=click.Choice(["auto", "durable", "python"]), help="Rules backend.")
@click.option("--ics", "ics", metavar="FILE", type=click.Path(dir_okay=False, writable=True),
              help="Also write the sessions as an RFC 5545 calendar to FILE ('-': stdout only).")
@click.option("--run-time", default="07:00", show_default=True, metavar="HH:MM",
              help="With --ics: when the athlete runs; after-run sessions start hours_from_run "
                   "later.")
@click.option("--session-time", default="18:00", show_default=True, metavar="HH:MM",
              help="With --ics: the start of sessions not tied to a run.")
@click.option("--week", "week", type=click.IntRange(1), default=None, metavar="N",
              help="Print only week N of the plan (text output).")
def recommend_command(context: str, rules: tuple[str, ...], as_json: bool, backend: str,
                      ics: str | None, run_time: str, session_time: str,
                      week: int | None) -> None:
    """Recommend strength work (a week up to a season) for the context in CONTEXT.json ('-':
    stdin).

    Over a week, a season overview (a table of weeks) comes first, then the days."""
    _quiet_logging()
    if week is not None and (as_json or ics):
        raise click.UsageError("--week prints one week as text; leave out --json and --ics.")
    from stridewise.ical import calendar_ics, parse_time

    try:
        run_at = parse_time(run_time, "--run-time")
        lift_at = parse_time(session_time, "--session-time")
    except ValueError as err:
        _fail(str(err))
    body = _read_context(context)
    from stridewise.context import load_context
    from stridewise.service import Engine

    try:
        load_context(body)  # bad input fails fast, before plugins and rules load
        engine = Engine.create(rules=list(rules) or None, backend=backend)
        result = engine.recommend(body)
    except ContextError as err:
        lines = _field_lines(err.messages)
        click.echo(f"error: {context} is not a valid athlete context:", err=True)
        for line in lines:
            click.echo(f"  {line}", err=True)
        raise SystemExit(2) from None
    except RulesetError as err:
        click.echo("error: the rules do not load:", err=True)
        for diagnostic in err.diagnostics:
            click.echo(f"  {diagnostic}", err=True)
        raise SystemExit(2) from None
    except StridewiseError as err:
        _fail(str(err))
    if ics:
        calendar = calendar_ics(
            result, body.get("athlete_id"), run_time=run_at, session_time=lift_at
        )
    if ics == "-":
        click.echo(calendar.decode(), nl=False)
        return
    if ics:
        try:
            Path(ics).write_bytes(calendar)
        except OSError as err:
            _fail(f"cannot write {ics}: {err.strerror or err}")
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    elif week is not None:
        if week > len(result["weeks"]):
            _fail(f"--week {week}: the plan has {len(result['weeks'])} week(s).")
        click.echo(render_week(result, week))
    else:
        click.echo(render_week(result))
    if ics:
        click.echo(f"wrote {len(result['sessions'])} event(s) to {ics}", err=True)


def _field_lines(messages: Any, prefix: str = "") -> list[str]:
    out: list[str] = []
    for key, value in messages.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            out.extend(_field_lines(value, path))
        else:
            texts = value if isinstance(value, list) else [value]
            out.append(f"{path}: {' '.join(str(t) for t in texts)}")
    return out


def render_overview(body: dict[str, Any]) -> str:
    """The season at a glance: one row per week with its phase, block and key volumes."""
    header = ("week", "starts", "phase", "block", "deload", "sessions", "heavy lower sets",
              "contacts", "top %1RM")
    rows = [header] + [
        (str(w["week"]), w["start_date"], w["phase"], w["block"], "deload" if w["deload"] else "",
         str(w["sessions"]), str(w["heavy_lower_sets"]), str(w["ground_contacts"]),
         "-" if w["top_pct_1rm"] is None else f"{w['top_pct_1rm']:g}")
        for w in body["weeks"]
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    phases = ", ".join(f"{p['phase']} {p['start_date']}..{p['end_date']}" for p in body["phases"])
    return "\n".join(["Season overview", *lines, f"Phases: {phases}"])


def render_week(body: dict[str, Any], week: int | None = None) -> str:
    """The response as readable text: the season overview (plans over a week), then a table
    per day with doses and reasons; `week` (1-based) prints that week's days only."""
    lines = [f"Ruleset {body['ruleset']['name']} ({body['ruleset']['version'][:19]}), "
             f"phase {body['phase']}, from {body['start_date']} for {body['horizon_days']} days"]
    sessions = body["sessions"]
    weeks = body.get("weeks") or []
    if week is not None:
        w = weeks[week - 1]
        sessions = [s for s in sessions if (s["day_offset"] // 7) + 1 == week]
        lines.append(f"\nWeek {week} of {len(weeks)} from {w['start_date']}: {w['phase']}, "
                     f"block {w['block']}{', deload' if w['deload'] else ''}; "
                     f"{w['heavy_lower_sets']} heavy lower-body sets, "
                     f"{w['ground_contacts']} ground contacts")
    elif len(weeks) > 1:
        lines.extend(["", render_overview(body)])
    if not sessions:
        lines.append("\nNo strength sessions this period.")
    for sess in sessions:
        when = (f", after the run (+{sess['hours_from_run']} h)" if sess["after_run"] else "")
        lines.append(f"\nDay {sess['day_offset']} · {sess['weekday']} {sess['date']} · "
                     f"{sess['duration_min']} min · {sess['focus']}{when}")
        rows = [(i["name"], dose_text(i), ", ".join(i["because"])) for i in sess["exercises"]]
        widths = [max([len(h)] + [len(r[n]) for r in rows]) for n, h in
                  enumerate(("exercise", "dose", "because"))]
        header = ("exercise", "dose", "because")
        lines.append("  " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
        lines.append("  " + "  ".join("-" * w for w in widths))
        for row in rows:
            lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    for title, key in (("Notes", "notes"), ("Warnings", "warnings")):
        if body[key]:
            lines.append(f"\n{title}:")
            lines.extend(f"  - {text}" for text in body[key])
    if body["excluded"]:
        by: dict[str, list[str]] = {}
        for entry in body["excluded"]:
            by.setdefault(entry["by"], []).append(entry["exercise_id"])
        shown = {e["exercise_id"] for e in body["excluded"]}
        lines.append(f"\nExcluded ({len(shown)} exercises), by rule or constraint:")
        lines.extend(f"  {who}: {', '.join(sorted(set(ids)))}" for who, ids in sorted(by.items()))
    lines.append("\nRules fired: " + ", ".join(f["rule"] for f in body["fired"]))
    return "\n".join(lines)


@click.command("test")
@click.argument("path", required=False, type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="Only print failures and the summary.")
@click.option("--coverage", is_flag=True,
              help="Report rules no test fires and conditions never seen both true and false.")
@click.option("--fail-under", type=click.FloatRange(0, 100), metavar="N",
              help="With --coverage: exit 1 when under N percent of the rules fire in a test.")
@click.option("--watch", is_flag=True, help="Run again whenever a rule or test file changes.")
def test_command(path: str | None, as_json: bool, quiet: bool, coverage: bool,
                 fail_under: float | None, watch: bool) -> None:
    """Run rule tests: PATH (a test file or ruleset dir), default rulesets/*/tests/*.yaml."""
    _quiet_logging()
    from stridewise.ruletests.runner import discover

    if not discover(path):
        _fail(f"no rule-test files found under {path or 'rulesets/*/tests/'}")
    if watch:
        from stridewise.commands.watch import watch_paths
        from stridewise.ruletests.runner import forget_engines

        def again() -> None:
            forget_engines()  # edited rules must be loaded afresh
            _run_tests(path, as_json, quiet, coverage or fail_under is not None, fail_under)

        watch_paths([path or "rulesets"], again)
        return
    if not _run_tests(path, as_json, quiet, coverage or fail_under is not None, fail_under):
        raise SystemExit(1)


def _run_tests(path: str | None, as_json: bool, quiet: bool, coverage: bool,
               fail_under: float | None) -> bool:
    """Run the cases once and print the results (and coverage); True when all is well."""
    from stridewise.ruletests.runner import CaseResult, TestFileError, run_paths

    results: list[CaseResult] = []
    broken: list[TestFileError] = []
    for outcome in run_paths(path):
        if isinstance(outcome, TestFileError):
            broken.append(outcome)
            if not as_json:
                click.echo("\n".join(f"ERROR {d}" for d in outcome.diagnostics))
            continue
        results.append(outcome)
        if not as_json and (not quiet or not outcome.ok):
            click.echo(outcome.report())
    failed = [r for r in results if not r.ok]
    measured = None
    if coverage:
        from stridewise.ruletests.coverage import measure

        measured = measure(results)
    if as_json:
        body: dict[str, Any] = {
            "passed": len(results) - len(failed),
            "failed": len(failed),
            "file_errors": [d.to_dict() for e in broken for d in e.diagnostics],
            "cases": [r.to_dict() for r in results],
        }
        if measured is not None:
            body["coverage"] = measured.to_dict()
        click.echo(json.dumps(body, indent=2))
    else:
        click.echo(f"\n{len(results) - len(failed)} passed, {len(failed)} failed"
                   + (f", {len(broken)} file(s) with errors" if broken else ""))
        if measured is not None:
            click.echo(measured.report())
    low = measured is not None and fail_under is not None and measured.percent < fail_under
    if low and measured is not None and not as_json:
        click.echo(f"coverage {measured.percent:.1f}% is under --fail-under {fail_under:g}%")
    return not (failed or broken or low)
