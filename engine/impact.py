"""What a draft ruleset changes for a squad: the active and the draft plan, athlete by athlete.

A minimal impact analysis for the workbench's diff view (issue 14), until the toolchain's
`stridewise diff` replaces it: for every context (default: the sample corpus) both plans are
built and compared by session date, exercise id, dose text and fired rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from stridewise.doses import dose_text
from stridewise.errors import ContextError
from stridewise.workbench import draft_engine

__all__ = ["compare_plans", "impact"]


def impact(
    engine: Any, files: Mapping[str, str], contexts: Iterable[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Per athlete, what the draft `files` change against `engine`'s active ruleset."""
    if contexts is None:
        from stridewise.samples import load_samples

        contexts = load_samples()
    athletes = []
    with draft_engine(engine, files) as draft:
        for index, context in enumerate(contexts):
            before, after = _plan(engine, context), _plan(draft, context)
            entry = {"index": index, "athlete_id": context.get("athlete_id")}
            entry.update(compare_plans(before, after))
            athletes.append(entry)
        draft_version = draft.ruleset.version
    changed = sum(1 for a in athletes if a["changed"])
    return {
        "summary": {"athletes": len(athletes), "changed": changed,
                    "active": engine.ruleset.version, "draft": draft_version},
        "athletes": athletes,
    }


def _plan(engine: Any, context: Any) -> dict[str, Any]:
    try:
        return engine.recommend(context)
    except ContextError as err:
        return {"error": str(err), "sessions": [], "fired": [], "warnings": []}


def _exercises(plan: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    return {(s["date"], e["id"]): dose_text(e) for s in plan["sessions"] for e in s["exercises"]}


def compare_plans(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """The differences between two design §6 responses for one context."""
    days_before = {s["date"] for s in before["sessions"]}
    days_after = {s["date"] for s in after["sessions"]}
    ex_before, ex_after = _exercises(before), _exercises(after)
    fired_before = [f["rule"] for f in before["fired"]]
    fired_after = [f["rule"] for f in after["fired"]]
    diff: dict[str, Any] = {
        "sessions_added": sorted(days_after - days_before),
        "sessions_removed": sorted(days_before - days_after),
        "exercises_added": [f"{d} {i}" for d, i in sorted(ex_after.keys() - ex_before.keys())],
        "exercises_removed": [f"{d} {i}" for d, i in sorted(ex_before.keys() - ex_after.keys())],
        "doses_changed": [f"{d} {i}: {ex_before[(d, i)]} -> {ex_after[(d, i)]}"
                          for d, i in sorted(ex_before.keys() & ex_after.keys())
                          if ex_before[(d, i)] != ex_after[(d, i)]],
        "rules_newly_firing": [r for r in fired_after if r not in fired_before],
        "rules_silenced": [r for r in fired_before if r not in fired_after],
        "warnings_added": [w for w in after["warnings"] if w not in before["warnings"]],
        "errors": [],
    }
    if before.get("error") != after.get("error"):  # a plan became possible or impossible
        diff["errors"] = [f"active: {before.get('error') or 'ok'}",
                          f"draft: {after.get('error') or 'ok'}"]
    diff["changed"] = any(diff.values())
    return diff
