"""Honest notes: a rule's note appears only when the rule's effect survived into the plan.

A rule's effect survived when the rule is named by a planned exercise's `because`, removed an
exercise (`excluded[].by`), kept some offered day of the plan free of heavy, plyometric or any
strength work (`away_from`), put a session after a key run (`after_run`), or — for heavy-session
spacing — when the plan has heavy work for the spacing to govern. A rule whose only directive is
`notes` (or a `set` of the phase) is advice in its own right and always keeps its note. So a
"lift heavy" note never stands over a plan without heavy lifting, nor a post-race note over a
plan whose days all come before the race.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from stridewise.models import WEEKDAYS, Exclusion
from stridewise.planning.prescribe import is_heavy
from stridewise.planning.resolve import Resolved
from stridewise.planning.schedule import WINDOW, Windows
from stridewise.planning.sessions import Draft
from stridewise.planning.windows import WINDOW_KINDS

__all__ = ["effective_rules", "exclusion_rules", "honest_notes"]


def effective_rules(
    sessions: Sequence[Draft], excluded: Iterable[Exclusion] | frozenset[str],
    facts: Mapping[str, Any], res: Resolved, windows: Windows | None = None,
) -> set[str]:
    """The rules whose effect shows in the plan (see the module docstring). `excluded`: the
    plan's exclusions, or the rules behind them (`exclusion_rules`) when already known;
    `windows`: this plan's `away_from` verdicts, when already built."""
    out: set[str] = set()
    heavy = False
    for sess in sessions:
        if sess.slot.after_run:
            out.update(sess.slot.because)
        for item in sess.items:
            out.update(item.because)
            heavy = heavy or is_heavy(item.exercise, item.dose.prescription)
    out.update(excluded if isinstance(excluded, frozenset) else exclusion_rules(excluded))
    if heavy:
        out.update(res.heavy_because)
    if res.away_from:
        out.update(_window_rules(facts, windows or Windows(facts, res)))
    return out


def exclusion_rules(excluded: Iterable[Exclusion]) -> frozenset[str]:
    """Who removed an exercise: each exclusion's `by`, and the rules that switched a
    constraint on (`constraint:<name> (rule a)` / `(rules a, b)`)."""
    out: set[str] = set()
    for exclusion in excluded:
        by = exclusion.by
        out.add(by)
        if "(rule" in by:  # constraint:<name> (rule a) / (rules a, b)
            inner = by[by.index("(rule") :].split(" ", 1)[1].rstrip(")")
            out.update(r.strip() for r in inner.split(","))
    return frozenset(out)


def _window_rules(facts: Mapping[str, Any], windows: Windows) -> set[str]:
    """Rules whose away_from windows cover an offered day of the plan."""
    offered = set(facts.get("available_days") or WEEKDAYS)
    first = getattr(facts.get(WINDOW), "first", 0) or 0
    weekday = dt.date.fromisoformat(str(facts["start_date"])).weekday()
    horizon = int(facts["horizon_days"])
    out: set[str] = set()
    for kind in WINDOW_KINDS:
        for day, rules in windows.blocked(kind).items():  # only the blocked days
            if first <= day < horizon and WEEKDAYS[(weekday + day) % 7] in offered:
                out.update(rules)
    return out


def honest_notes(
    res: Resolved, effective: set[str], sessions: Sequence[Draft] = ()
) -> list[str]:
    """The resolved notes whose rules' effect survived (note-only rules always do). A rule
    whose protocol placed nothing (every exercise excluded) has lost its point: its note
    ("Nordic curls twice a week…") goes too, whatever else the rule did."""
    acting = res.acting
    idle: set[str] = set()
    if res.protocols:
        placed = {i.reason for sess in sessions for i in sess.items if i.reason}
        idle = {rid for pid, (_, rid, _) in res.protocols.items() if pid not in placed}
    return [text for text, rules in res.notes
            if any((r in effective and r not in idle) or r not in acting for r in rules)]
