"""Put the log's decisions onto a plan: loads in kg, protocols held by pain, sore days eased."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from stridewise.history.loads import LoadDecision, decide, increment_for, later_week
from stridewise.history.pain import PAIN_LIMIT, pain_calls, site_of
from stridewise.history.summary import LogSummary
from stridewise.models import Plan
from stridewise.planning.prescribe import is_heavy

__all__ = ["SORE_DAY", "apply_history"]

SORE_DAY = 7  # soreness (0-10) from which a day gets no heavy work
PAIN_RULE = "pain-monitoring"
SORENESS_RULE = "soreness-today"


def apply_history(plan: Plan, context: Mapping[str, Any], summary: LogSummary | None) -> Plan:
    """The plan with the log applied; the same plan, untouched, when there is no log."""
    if summary is None:
        return plan
    _loads(plan, context, summary)
    _pain(plan, context, summary)
    _soreness(plan, summary)
    return plan


def _loads(plan: Plan, context: Mapping[str, Any], summary: LogSummary) -> None:
    overrides = context.get("load_increments_kg") or {}
    first: dict[str, tuple[int, LoadDecision]] = {}
    for session in sorted(plan.sessions, key=lambda s: s.day_offset):
        week = session.day_offset // 7
        for item in session.exercises:
            log = summary.exercises.get(item.exercise.id)
            step = increment_for(item.exercise, overrides)
            if log is None or step is None:
                continue
            if item.exercise.id not in first:
                decision = decide(item.exercise, item.prescription, log, summary.start, step)
                if decision is None:
                    continue
                first[item.exercise.id] = (week, decision)
            start_week, decision = first[item.exercise.id]
            if week == start_week:
                item.load_kg, item.load_basis = decision.load_kg, decision.basis
                continue
            load = later_week(decision, item.prescription, week - start_week, step)
            item.load_kg = load
            item.load_basis = (f"{load:g} kg in week {week + 1}: the plan's intensity from "
                               f"week {start_week + 1}'s {decision.basis}")


def _pain(plan: Plan, context: Mapping[str, Any], summary: LogSummary) -> None:
    calls = pain_calls(summary.pain)
    injured = [i["site"] for i in context.get("injuries") or () if i["severity"] != "resolved"]
    held = [site for site in injured if site in calls and calls[site].hold]
    touched: set[str] = set()
    for session in plan.sessions:
        for item in session.exercises:
            if not item.protocol:
                continue
            site = site_of(item.exercise.primary_muscles, held)
            if site is None:
                continue
            touched.add(site)
            rx = item.prescription
            item.prescription = dataclasses.replace(rx, sets=max(1, rx.sets - 1))
            if PAIN_RULE not in item.because:
                item.because.append(PAIN_RULE)
    for site in sorted(touched):
        plan.warnings.append(
            f"Pain monitoring: {calls[site].reason}: the {site.replace('_', ' ')} protocol is held "
            f"back (one set fewer, no progression) until pain during it stays at or below "
            f"{PAIN_LIMIT}/10 and has settled by the next morning (Silbernagel et al. 2007)."
        )
    for site in injured:
        if site in calls and calls[site].see_clinician:
            plan.notes.append(
                f"Your {site.replace('_', ' ')} pain the morning after has been climbing this "
                "week. See a physiotherapist or doctor before you progress the rehab exercises."
            )


def _soreness(plan: Plan, summary: LogSummary) -> None:
    if summary.soreness_today is None or summary.soreness_today < SORE_DAY:
        return
    for session in plan.sessions:
        if session.day_offset != 0:
            continue
        heavy = [i for i in session.exercises if is_heavy(i.exercise, i.prescription)]
        if not heavy:
            continue
        session.exercises = [i for i in session.exercises if i not in heavy]
        names = ", ".join(i.exercise.name for i in heavy)
        plan.warnings.append(
            f"Soreness {summary.soreness_today}/10 today ({SORENESS_RULE}): no heavy work on "
            f"{session.date}; removed {names}."
        )
