"""A directive added in one place — one DirectiveSpec from a plugin — is checked, merged,
explained, documented and applied, with no other code naming it (issue 8: a ground-contact
cap once took 49 lines in 3 files, and explain left it out with no test failing)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from marshmallow import fields, validate
from stridewise import DirectiveSpec, hookimpl
from stridewise.commands.rules import resolved_directives
from stridewise.directives.merge import MinMerge, Resolution
from stridewise.directives.table import combination, stages, vocabulary
from stridewise.models import Plan
from stridewise.plugins import (
    categories,
    constraints,
    core,
    directives,
    flexibility,
    functional,
    mobility,
    plyometrics,
    stability,
    upper_body,
)
from stridewise.rules import check_paths
from stridewise.testing import build_engine

NAME = "max_ground_contacts_per_week"
BODY = {
    "athlete_id": "hopper", "age": 35, "running_experience_years": 8,
    "strength_training_experience": "advanced", "weekly_run_km": 70,
    "start_date": "2026-01-05", "horizon_days": 14,
}
BASE = """\
ruleset: contacts
rules:
  - id: lots-of-hops
    when: "true"
    then:
      sessions_per_week: {min: 3, max: 3}
      require: {categories: [plyometrics], count: 2, per: session}
"""
CAPS = """\
  - id: cap-80
    when: "true"
    then:
      max_ground_contacts_per_week: 80
  - id: cap-50
    priority: 5
    when: age >= 30
    then:
      max_ground_contacts_per_week: 50
"""


def weekly_contacts(plan: Plan) -> dict[int, int]:
    totals: dict[int, int] = {}
    for session in plan.sessions:
        for item in session.exercises:
            rx = item.prescription
            totals[session.day_offset // 7] = totals.get(session.day_offset // 7, 0) + (
                (rx.ground_contacts or 0) * rx.sets)
    return totals


def cap_contacts(plan: Plan, cap: int, context: Any) -> Plan:
    """Drop plyometric items, in day order, once a week's ground contacts would pass `cap`."""
    totals: dict[int, int] = {}
    for session in plan.sessions:
        week = session.day_offset // 7
        kept = []
        for item in session.exercises:
            contacts = (item.prescription.ground_contacts or 0) * item.prescription.sets
            if contacts and totals.get(week, 0) + contacts > cap:
                plan.warnings.append(f"Day {session.day_offset}: {item.exercise.id} left out "
                                     f"(over {cap} ground contacts this week).")
                continue
            totals[week] = totals.get(week, 0) + contacts
            kept.append(item)
        session.exercises = kept
    return plan


class GroundContacts:
    @hookimpl
    def register_directives(self) -> list[DirectiveSpec]:
        return [DirectiveSpec(
            NAME, "cap on plyometric ground contacts per 7-day week",
            fields.Integer(strict=True, validate=validate.Range(0, 1000)),
            apply=cap_contacts, merge=MinMerge(cast=int),
            value="whole number 0–1000", example=f"`{NAME}: 60`",
        )]


def engine_for(rules: Path) -> Any:
    return build_engine(categories, core, functional, mobility, plyometrics, stability,
                        flexibility, upper_body, constraints, directives,
                        ("contacts", GroundContacts()), rules=rules)


@pytest.fixture()
def rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "contacts.yaml").write_text(BASE + CAPS)
    return folder


def test_the_new_directive_is_checked_with_file_and_line(rules: Path) -> None:
    engine = engine_for(rules)
    bad = rules.parent / "bad.yaml"
    bad.write_text(textwrap.dedent(f"""\
        ruleset: bad
        rules:
          - id: lots
            when: "true"
            then:
              {NAME}: lots
        """))
    [problem] = check_paths([bad], vocabulary=engine.vocabulary)
    assert str(problem).endswith(f"bad.yaml:6:37: then.{NAME}: not a valid integer.")
    [unknown] = check_paths([bad])  # without the plugin the key is unknown
    assert f"unknown key '{NAME}'" in str(unknown)
    engine.close()


def test_the_new_directive_is_merged_by_its_policy_and_explained(rules: Path) -> None:
    engine = engine_for(rules)
    trace = engine.trace(BODY)
    assert trace.resolved[NAME] == Resolution(50, ["cap-50"])  # the most restrictive cap
    assert trace.resolved.to_dict()[NAME] == 50
    entries = resolved_directives(trace.resolved)
    assert {"directive": NAME, "value": 50, "rules": ["cap-50"]} in entries
    engine.close()


def test_the_new_directive_is_documented_in_the_generated_tables(rules: Path) -> None:
    engine = engine_for(rules)
    assert (f"| `{NAME}` | cap on plyometric ground contacts per 7-day week | "
            f"whole number 0–1000 | `{NAME}: 60` |") in vocabulary(engine.directives)
    assert f"`{NAME}`" in combination(engine.directives).split("| `notes` |")[1]
    assert f"`{NAME}`" in stages(engine.directives).split("| `plan` |")[1]
    engine.close()


def test_the_new_directive_is_applied_by_the_planner(rules: Path) -> None:
    uncapped = rules.parent / "uncapped"
    uncapped.mkdir()
    (uncapped / "contacts.yaml").write_text(BASE)
    engine = engine_for(uncapped)
    before = weekly_contacts(engine.trace(BODY).plan)
    engine.close()
    assert max(before.values()) > 50  # so the cap has something to cut

    engine = engine_for(rules)
    trace = engine.trace(BODY)
    after = weekly_contacts(trace.plan)
    assert set(after) == set(before) and max(after.values()) <= 50
    assert any("over 50 ground contacts" in w for w in trace.response["warnings"])
    engine.close()


def test_explain_lists_the_new_directive_in_text_and_json(rules: Path, tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner
    from stridewise.cli import cli
    from stridewise.testing import register_plugin

    context = tmp_path / "athlete.json"
    context.write_text(json.dumps(BODY))
    with register_plugin(GroundContacts(), "contacts"):
        text = CliRunner().invoke(cli, ["explain", str(context), "--rules", str(rules)])
        body = CliRunner().invoke(cli, ["explain", str(context), "--rules", str(rules), "--json"])
    assert text.exit_code == 0, text.output
    tail = text.output[text.output.index("resulting directives"):]
    assert f"  {NAME}: 50  <- cap-50" in tail
    directives = json.loads(body.output)["directives"]
    assert {"directive": NAME, "value": 50, "rules": ["cap-50"]} in directives
    without = CliRunner().invoke(cli, ["explain", str(context), "--rules", str(rules),
                                       "--no-plugins"])
    assert without.exit_code == 1 and f"unknown key '{NAME}'" in without.output
