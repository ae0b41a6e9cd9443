"""The facts rule conditions may read: one declaration per fact, with its type and meaning.

`FACT_REGISTRY` holds every fact as a `Fact` (name, type, description, whether the request
sends it or `stridewise.context.derive_facts` derives it). The rules core type-checks
conditions and `set` against `FACTS` (name -> type, kept by the registry), so it never imports
the request side; the request schema (stridewise.context) fills the facts; docs/rules.md's fact
table is rendered from the registry (`python -m stridewise.facts docs/rules.md` rewrites it, and
a test fails when it drifts). Adding a fact is one `declare(...)` here plus the code that
fills it.

A type is a `FactType`; a dict is an object of typed fields (nullable with `"__nullable__":
True`); a one-item list is a list of that item. A dotted path through a list projects it
(`injuries.site` is the list of every injury's site). Plugin facts live under `ext.*`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stridewise.models import (
    EQUIPMENT,
    EXPERIENCE_LEVELS,
    INJURY_CONDITIONS,
    INJURY_SITES,
    KEY_RUN_TYPES,
    PHASES,
    SEVERITIES,
    WEEKDAYS,
)

__all__ = [
    "FACTS",
    "FACT_REGISTRY",
    "Fact",
    "FactRegistry",
    "FactType",
    "describe",
    "render",
    "render_table",
]


@dataclass(frozen=True)
class FactType:
    """The type of one fact: `number`, `string`, `boolean`, or a list/object of those.

    `values` lists the allowed strings of an enumerated fact so `phase == "peek"` is an error
    at load time; `nullable` marks facts that may be null (comparisons with null are false).
    """

    kind: str
    values: tuple[str, ...] | None = None
    nullable: bool = False


@dataclass(frozen=True)
class Fact:
    """One fact: its top-level name, type (FactType, object dict or one-item list), meaning."""

    name: str
    type: Any
    description: str
    derived: bool = False


class FactRegistry:
    """Every fact rules may read, in declaration order; `types` is the checker's mapping."""

    def __init__(self) -> None:
        self._facts: dict[str, Fact] = {}
        self.types: dict[str, Any] = {}

    def declare(self, name: str, type_: Any, description: str, *, derived: bool = False) -> Fact:
        """Declare a fact; a second declaration of the same name is an error naming it."""
        if name in self._facts:
            raise ValueError(f"fact '{name}' is declared twice")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or name == "ext":
            raise ValueError(f"fact name '{name}' must be snake_case (and 'ext' is for plugins)")
        fact = self._facts[name] = Fact(name, type_, description, derived)
        self.types[name] = type_
        return fact

    def __iter__(self) -> Iterator[Fact]:
        return iter(self._facts.values())

    def __contains__(self, name: object) -> bool:
        return name in self._facts

    def __getitem__(self, name: str) -> Fact:
        return self._facts[name]


FACT_REGISTRY = FactRegistry()
FACTS = FACT_REGISTRY.types  # name -> type, read by the condition checker and `set`

NUMBER = FactType("number")
STRING = FactType("string")
BOOLEAN = FactType("boolean")


def _enum(values: tuple[str, ...], nullable: bool = False) -> FactType:
    return FactType("string", values, nullable)


_INJURY = {
    "site": _enum(INJURY_SITES),
    "condition": _enum((*INJURY_CONDITIONS, "other"), nullable=True),
    "side": _enum(("left", "right", "both"), nullable=True),
    "severity": _enum(SEVERITIES),
    "since": FactType("string", nullable=True),
    "weeks_since": FactType("number", nullable=True),
}
_KEY_RUN = {
    "day_offset": NUMBER,
    "type": _enum(KEY_RUN_TYPES),
    "weekday": _enum(WEEKDAYS),
    "date": STRING,
}

_declare = FACT_REGISTRY.declare
# --- what the request sends (design §5) -------------------------------------------------------
_declare("athlete_id", FactType("string", nullable=True), "the athlete's id (seeds variety)")
_declare("start_date", STRING, "ISO date of day 0 of the plan")
_declare("horizon_days", NUMBER, "days planned")
_declare("age", NUMBER, "age in years")
_declare("sex", _enum(("female", "male", "other"), nullable=True), "sex, when given")
_declare("running_experience_years", NUMBER, "years of running")
_declare("strength_training_experience", _enum(EXPERIENCE_LEVELS), "strength-training level")
_declare("phase", _enum(PHASES), "training phase: as sent, else derived from the race date "
         "(rules may `set` it)")
_declare("weekly_run_km", NUMBER, "running volume per week")
_declare("race", {"distance_km": NUMBER, "days_until": NUMBER,
                  "priority": _enum(("A", "B", "C")), "__nullable__": True},
         "the goal race, or null")
_declare("last_race", {"distance_km": NUMBER, "days_ago": NUMBER,
                       "priority": _enum(("A", "B", "C")), "__nullable__": True},
         "a race already run, or null (post-race windows)")
_declare("key_run_sessions", [_KEY_RUN], "key runs in the horizon (the race day included), "
         "each with its weekday and date")
_declare("available_days", [_enum(WEEKDAYS)], "weekdays the athlete can lift")
_declare("session_minutes_max", NUMBER, "longest session in minutes")
_declare("sessions_per_week_max", FactType("number", nullable=True),
         "most strength sessions a week, when given")
_declare("equipment", [_enum(EQUIPMENT)], "equipment at hand (empty: bodyweight only)")
_declare("injuries", [_INJURY], "every injury sent, resolved ones included")
_declare("exercise_history", [STRING], "exercise ids the athlete already does")
# --- derived by stridewise.context.derive_facts ----------------------------------------------
_declare("phase_source", _enum(("request", "race_date", "default")), "where `phase` came "
         "from", derived=True)
_declare("days_to_race", FactType("number", nullable=True), "`race.days_until`, or null",
         derived=True)
_declare("key_run_days", [NUMBER], "day offsets of key runs", derived=True)
_declare("key_run_types", [_enum(KEY_RUN_TYPES)], "types of the key runs", derived=True)
_declare("available_day_count", NUMBER, "how many days are available", derived=True)
_declare("horizon_weekdays", [_enum(WEEKDAYS)], "weekday of each day of the plan", derived=True)
_declare("horizon_dates", [STRING], "ISO date of each day of the plan", derived=True)
_declare("bodyweight_only", BOOLEAN, "no equipment", derived=True)
_declare("active_injuries", [_INJURY], "injuries not `resolved`", derived=True)
# --- derived from training_log and wellness by stridewise.history (docs/history.md) -----------
_declare("log", {
    "days_since_last_strength": FactType("number", nullable=True),
    "sessions_14d": NUMBER,
    "missed_14d": NUMBER,
    "avg_session_rpe_14d": FactType("number", nullable=True),
}, "the training log: days since the last completed session, completed training days and "
   "missed entries in 14 days, mean session RPE of 14 days", derived=True)
_declare("pain", {
    "max_during_7d": FactType("number", nullable=True),
    "max_next_morning_7d": FactType("number", nullable=True),
    "worsening": BOOLEAN,
    "sites": [_enum(INJURY_SITES)],
}, "wellness pain over 7 days: worst score during and the next morning, next-morning pain "
   "climbing, the sites with readings", derived=True)
_declare("soreness", {"today": FactType("number", nullable=True)},
         "wellness soreness (0-10) on start_date", derived=True)
_declare("e1rm", {"__any__": FactType("number", nullable=True)},
         "estimated 1RM in kg by exercise id (`e1rm.back_squat`); missing without an estimate",
         derived=True)


# --- the docs table -------------------------------------------------------------------------


def describe(type_: Any) -> str:
    """A fact type as the docs write it: `number`, `list of …`, `object {…}`, `… or null`."""
    if isinstance(type_, list):
        return f"list of {describe(type_[0])}"
    if isinstance(type_, dict):
        fields = ", ".join(f"{k}: {describe(v)}" for k, v in type_.items() if k[:2] != "__")
        if "__any__" in type_:
            fields = f"<name>: {describe(type_['__any__'])}"
        return f"object {{{fields}}}" + (" or null" if type_.get("__nullable__") else "")
    text = type_.kind
    if type_.values:
        shown = type_.values if len(type_.values) <= 8 else (*type_.values[:6], "…")
        text = " / ".join(f"`{v}`" for v in shown)
    return text + (" or null" if type_.nullable else "")


def render_table(registry: FactRegistry = FACT_REGISTRY) -> str:
    """| fact | type | from | meaning | — one row per fact, in declaration order."""
    rows = ["| fact | type | from | meaning |", "|---|---|---|---|"]
    for fact in registry:
        source = "derived" if fact.derived else "request"
        kind = describe(fact.type).replace("|", "\\|")
        rows.append(f"| `{fact.name}` | {kind} | {source} | {fact.description} |")
    return "\n".join(rows)


_MARKED = re.compile(r"(<!-- facts -->\n)(.*?)(<!-- /facts -->)", re.S)


def render(text: str, registry: FactRegistry = FACT_REGISTRY) -> str:
    """`text` with the table between `<!-- facts -->` and `<!-- /facts -->` regenerated."""
    return _MARKED.sub(lambda m: m.group(1) + render_table(registry) + "\n" + m.group(3), text)


if __name__ == "__main__":  # python -m stridewise.facts docs/rules.md
    for name in sys.argv[1:]:
        path = Path(name)
        path.write_text(render(path.read_text()))
