"""Checks behind rule-test `expect` blocks: fired rules, resolved directives, plan properties.

Each check returns readable failures ("plan.sessions: expected 1..1, got 2"); docs/rules-testing.md
documents every key. Plan properties are checked on the design §6 response the athlete gets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from stridewise.models import IMPACT_LEVELS, LEVELS

__all__ = ["PLAN_KEYS", "check_case", "partial_match"]



def partial_match(expected: Any, actual: Any, path: str, out: list[str]) -> None:
    """Mappings: the keys given; lists: every item given matches some item; numbers: ==."""
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            out.append(f"{path}: expected {expected!r}, got {actual!r}")
            return
        for key, value in expected.items():
            partial_match(value, actual.get(key), f"{path}.{key}", out)
    elif isinstance(expected, list):
        if not isinstance(actual, list | tuple):
            out.append(f"{path}: expected a list containing {expected!r}, got {actual!r}")
            return
        for item in expected:
            if not any(_matches(item, candidate) for candidate in actual):
                out.append(f"{path}: expected an item matching {item!r}; got {list(actual)!r}")
    elif expected is None:
        if actual not in (None, [], {}):
            out.append(f"{path}: expected nothing, got {actual!r}")
    elif _number(expected) and _number(actual):
        if abs(float(expected) - float(actual)) > 1e-9:
            out.append(f"{path}: expected {expected!r}, got {actual!r}")
    elif expected != actual:
        out.append(f"{path}: expected {expected!r}, got {actual!r}")


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _matches(expected: Any, actual: Any) -> bool:
    probe: list[str] = []
    partial_match(expected, actual, "", probe)
    return not probe


def check_case(expect: Mapping[str, Any], trace: Any) -> list[str]:
    """Every failed expectation of one case, as readable lines."""
    out: list[str] = []
    fired = [getattr(f, "rule", f).id for f in trace.evaluation.fired]
    for rule in expect.get("fired") or ():
        if rule not in fired:
            out.append(f"fired: expected '{rule}' to fire; fired: {', '.join(fired) or 'none'}")
    for rule in expect.get("not_fired") or ():
        if rule in fired:
            out.append(f"not_fired: '{rule}' fired but should not have")
    if expect.get("directives"):
        partial_match(expect["directives"], trace.resolved.to_dict(), "directives", out)
    plan = expect.get("plan") or {}
    for key, wanted in plan.items():
        out.extend(PLAN_CHECKS[key](wanted, trace.response, trace.evaluation.facts))
    return out


def _exercises(body: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    return [(s, e) for s in body["sessions"] for e in s["exercises"]]


def _strength_sessions(body: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [s for s in body["sessions"] if not s["focus"].startswith("rehab protocol")]


def _in_range(wanted: Any, got: int, label: str) -> list[str]:
    if isinstance(wanted, Mapping):
        lo, hi = wanted.get("min"), wanted.get("max")
        if (lo is not None and got < lo) or (hi is not None and got > hi):
            shown = f"{'' if lo is None else lo}..{'' if hi is None else hi}"
            return [f"{label}: expected {shown}, got {got}"]
        return []
    return [] if got == wanted else [f"{label}: expected {wanted}, got {got}"]


def _sessions(wanted: Any, body: Mapping[str, Any], facts: Any) -> list[str]:
    got = len(_strength_sessions(body))
    days = [s["day_offset"] for s in _strength_sessions(body)]
    return [f"{m} (days {days})" for m in _in_range(wanted, got, "plan.sessions")]


def _has(field: str, include: bool) -> Callable[[Any, Mapping[str, Any], Any], list[str]]:
    key = {"categories": "categories", "tags": "tags", "exercises": "id"}[field]
    label = f"plan.{'include' if include else 'exclude'}_{field}"

    def check(wanted: Any, body: Mapping[str, Any], facts: Any) -> list[str]:
        out = []
        for name in wanted or ():
            where = [f"{e['id']} (day {s['day_offset']})" for s, e in _exercises(body)
                     if (e[key] == name if key == "id" else name in e[key])]
            if include and not where:
                out.append(f"{label}: expected '{name}' in the plan; it is not there")
            if not include and where:
                out.append(f"{label}: '{name}' must not appear; found {', '.join(where)}")
        return out

    return check


def _max_order(field: str, order: tuple[str, ...]) -> Callable[..., list[str]]:
    def check(wanted: Any, body: Mapping[str, Any], facts: Any) -> list[str]:
        limit = order.index(wanted)
        bad = [f"{e['id']} ({e[field]})" for _, e in _exercises(body)
               if order.index(e[field]) > limit]
        return [f"plan.max_{field}: expected at most {wanted}; got {', '.join(bad)}"] if bad else []

    return check


def _minutes(bound: str) -> Callable[..., list[str]]:
    def check(wanted: Any, body: Mapping[str, Any], facts: Any) -> list[str]:
        pool = body["sessions"] if bound == "max" else _strength_sessions(body)
        bad = [f"day {s['day_offset']}: {s['duration_min']}" for s in pool
               if (s["duration_min"] > wanted if bound == "max" else s["duration_min"] < wanted)]
        word = "at most" if bound == "max" else "at least"
        return [f"plan.{bound}_session_minutes: expected {word} {wanted}; got {', '.join(bad)}"] \
            if bad else []

    return check


def _no_days(wanted: Any, body: Mapping[str, Any], facts: Any) -> list[str]:
    bad = [s["day_offset"] for s in body["sessions"] if s["day_offset"] in (wanted or ())]
    return [f"plan.no_strength_on_days: sessions on day(s) {bad}"] if bad else []


def _heavy_or_plyo(ex: Mapping[str, Any]) -> bool:
    # planning is imported where a case runs: loading test files (`stridewise check`) needs none
    from stridewise.planning.prescribe import HEAVY_PCT_1RM, HEAVY_RPE, PLYO_TAGS

    load = ex["intensity"]
    heavy = "heavy_capable" in ex["tags"] and (
        (load["pct_1rm"] or 0) >= HEAVY_PCT_1RM or (load["rpe"] or 0) >= HEAVY_RPE
    )
    return heavy or "plyometrics" in ex["categories"] or any(t in ex["tags"] for t in PLYO_TAGS)


def _away(wanted: Any, body: Mapping[str, Any], facts: Any) -> list[str]:
    from stridewise.planning.schedule import events_of, hours_before

    event, hours = wanted["event"], int(wanted["hours"])
    days = [d for d, t in events_of(facts) if t == event]
    out = []
    for sess in body["sessions"]:
        risky = [e["id"] for e in sess["exercises"] if _heavy_or_plyo(e)]
        for day in days:
            if risky and day > sess["day_offset"] and hours_before(sess["day_offset"], day) < hours:
                out.append(f"plan.heavy_not_within_hours_of: day {sess['day_offset']} has "
                           f"{', '.join(risky)} {hours_before(sess['day_offset'], day)} h before "
                           f"the {event} on day {day} (limit {hours} h)")
    return out


def _after_run(wanted: Any, body: Mapping[str, Any], facts: Any) -> list[str]:
    by_day = {s["day_offset"]: s for s in body["sessions"]}
    return [f"plan.after_run_on_days: day {d} " + ("has no session" if d not in by_day else
            "is not after_run") for d in wanted or ()
            if d not in by_day or not by_day[d]["after_run"]]


def _exercise_days(wanted: Any, body: Mapping[str, Any], facts: Any) -> list[str]:
    out = []
    for ex_id, count in (wanted or {}).items():
        got = len({s["day_offset"] for s, e in _exercises(body) if e["id"] == ex_id})
        out.extend(_in_range(count, got, f"plan.exercise_days.{ex_id}"))
    return out


def _excluded(wanted: Any, body: Mapping[str, Any], facts: Any) -> list[str]:
    out: list[str] = []
    partial_match(list(wanted or ()), body["excluded"], "plan.excluded", out)
    return out


def _texts(field: str) -> Callable[..., list[str]]:
    def check(wanted: Any, body: Mapping[str, Any], facts: Any) -> list[str]:
        texts = [t.lower() for t in body[field]]
        return [f"plan.{field}_include: no {field[:-1]} contains {needle!r}; got {body[field]!r}"
                for needle in wanted or () if not any(str(needle).lower() in t for t in texts)]

    return check


def _no_warnings(wanted: Any, body: Mapping[str, Any], facts: Any) -> list[str]:
    return [f"plan.no_warnings: got {body['warnings']!r}"] if wanted and body["warnings"] else []


PLAN_CHECKS: dict[str, Callable[[Any, Mapping[str, Any], Any], list[str]]] = {
    "sessions": _sessions,
    "include_categories": _has("categories", True),
    "exclude_categories": _has("categories", False),
    "include_tags": _has("tags", True),
    "exclude_tags": _has("tags", False),
    "include_exercises": _has("exercises", True),
    "exclude_exercises": _has("exercises", False),
    "max_impact": _max_order("impact", IMPACT_LEVELS),
    "max_level": _max_order("level", LEVELS),
    "max_session_minutes": _minutes("max"),
    "min_session_minutes": _minutes("min"),
    "no_strength_on_days": _no_days,
    "heavy_not_within_hours_of": _away,
    "after_run_on_days": _after_run,
    "exercise_days": _exercise_days,
    "excluded": _excluded,
    "warnings_include": _texts("warnings"),
    "notes_include": _texts("notes"),
    "no_warnings": _no_warnings,
}
PLAN_KEYS = frozenset(PLAN_CHECKS)
