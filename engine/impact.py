"""The impact of an edit: what two rulesets change for real athletes, before anything ships.

`diff_rulesets(before, after, contexts)` asks both engines for every context (default: the
sample corpus) and compares the answers athlete by athlete: sessions added or removed (by
date), exercises swapped, added or removed, doses changed, rules newly firing or silent,
warnings added, and a plan that became possible or impossible. The summary counts how many
athletes changed, by what, and which rules changed for how many. `impact` compares draft
rule text (`workbench.draft_engine`) with the active ruleset: POST /v1/rulesets:diff and the
workbench's diff view. Nothing is activated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from stridewise.doses import dose_text
from stridewise.errors import ContextError, EvaluationError
from stridewise.service import Engine

__all__ = ["CHANGE_KINDS", "compare_plans", "diff_rulesets", "impact"]

CHANGE_KINDS = (
    "sessions_added", "sessions_removed", "exercises_swapped", "exercises_added",
    "exercises_removed", "doses_changed", "rules_newly_firing", "rules_silenced",
    "warnings_added", "errors",
)


def impact(
    engine: Engine, files: Mapping[str, str], contexts: Iterable[Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """What the draft rule `files` ({name: text}, the whole draft) change against `engine`'s
    active ruleset, per athlete (default: the sample corpus)."""
    from stridewise.workbench import draft_engine

    with draft_engine(engine, files) as draft:
        return diff_rulesets(engine, draft, contexts)


def diff_rulesets(
    before: Engine, after: Engine, contexts: Iterable[Mapping[str, Any]] | None = None
) -> dict[str, Any]:
    """Per athlete, what `after`'s ruleset changes against `before`'s; and the totals."""
    if contexts is None:
        from stridewise.samples import load_samples

        contexts = load_samples()
    athletes = []
    for index, context in enumerate(contexts):
        entry: dict[str, Any] = {"index": index, "athlete_id": context.get("athlete_id")}
        entry.update(compare_plans(_plan(before, context), _plan(after, context)))
        athletes.append(entry)
    return {"summary": _summary(athletes, before, after), "athletes": athletes}


def _summary(athletes: list[dict[str, Any]], before: Engine, after: Engine) -> dict[str, Any]:
    firing: Counter[str] = Counter(r for a in athletes for r in a["rules_newly_firing"])
    silent: Counter[str] = Counter(r for a in athletes for r in a["rules_silenced"])
    return {
        "athletes": len(athletes),
        "changed": sum(1 for a in athletes if a["changed"]),
        "active": before.ruleset.version,
        "draft": after.ruleset.version,
        "by_change": {kind: sum(1 for a in athletes if a[kind]) for kind in CHANGE_KINDS},
        "rules_newly_firing": dict(firing.most_common()),
        "rules_silenced": dict(silent.most_common()),
    }


def _plan(engine: Engine, context: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return engine.recommend(dict(context))
    except (ContextError, EvaluationError) as err:
        return {"error": f"{type(err).__name__}: {err}", "sessions": [], "fired": [],
                "warnings": []}


def _exercises(plan: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(s["date"], e["id"]): e for s in plan["sessions"] for e in s["exercises"]}


def compare_plans(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """The differences between two design §6 responses for the same context."""
    days_before = {s["date"] for s in before["sessions"]}
    days_after = {s["date"] for s in after["sessions"]}
    ex_before, ex_after = _exercises(before), _exercises(after)
    removed = sorted(k for k in ex_before.keys() - ex_after.keys() if k[0] in days_after)
    added = sorted(k for k in ex_after.keys() - ex_before.keys() if k[0] in days_before)
    swapped, removed, added = _swaps(removed, added, ex_before, ex_after)
    fired_before = [f["rule"] for f in before["fired"]]
    fired_after = [f["rule"] for f in after["fired"]]
    diff: dict[str, Any] = {
        "sessions_added": sorted(days_after - days_before),
        "sessions_removed": sorted(days_before - days_after),
        "exercises_swapped": swapped,
        "exercises_added": [f"{d} {i}" for d, i in added],
        "exercises_removed": [f"{d} {i}" for d, i in removed],
        "doses_changed": [
            f"{d} {i}: {dose_text(ex_before[(d, i)])} -> {dose_text(ex_after[(d, i)])}"
            for d, i in sorted(ex_before.keys() & ex_after.keys())
            if dose_text(ex_before[(d, i)]) != dose_text(ex_after[(d, i)])
        ],
        "rules_newly_firing": [r for r in fired_after if r not in fired_before],
        "rules_silenced": [r for r in fired_before if r not in fired_after],
        "warnings_added": [w for w in after["warnings"] if w not in before["warnings"]],
        "errors": [],
    }
    if before.get("error") != after.get("error"):  # a plan became possible or impossible
        diff["errors"] = [f"active: {before.get('error') or 'ok'}",
                          f"draft: {after.get('error') or 'ok'}"]
    diff["changed"] = any(diff[kind] for kind in CHANGE_KINDS)
    return diff


def _swaps(
    removed: list[tuple[str, str]], added: list[tuple[str, str]],
    ex_before: Mapping[tuple[str, str], Any], ex_after: Mapping[tuple[str, str], Any],
) -> tuple[list[str], list[tuple[str, str]], list[tuple[str, str]]]:
    """Pair an exercise gone from a session with one new in it, same category first."""
    swaps: list[str] = []
    left = list(added)
    kept_removed = []
    for date, old in removed:
        same_day = [k for k in left if k[0] == date]
        categories = set(ex_before[(date, old)].get("categories", ()))
        match = next((k for k in same_day if categories & set(ex_after[k].get("categories", ()))),
                     same_day[0] if same_day else None)
        if match is None:
            kept_removed.append((date, old))
            continue
        left.remove(match)
        swaps.append(f"{date} {old} -> {match[1]}")
    return swaps, kept_removed, left
