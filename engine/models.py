"""Plain data shared by every step: catalog entries, constraints, directives and the plan.

Schemas (marshmallow) that load these from plugin data or dump them into responses live next
to the step that owns them; these classes only hold data.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CATEGORY_IDS",
    "EQUIPMENT",
    "IMPACT_LEVELS",
    "INJURY_CONDITIONS",
    "INJURY_SITES",
    "LEVELS",
    "PHASES",
    "TAGS",
    "WEEKDAYS",
    "Category",
    "Constraint",
    "DirectiveSpec",
    "Exclusion",
    "Exercise",
    "Intensity",
    "Plan",
    "PlannedExercise",
    "Prescription",
    "Session",
    "session_minutes",
]

# The closed vocabularies of design §5. Plugins may add categories and tags; the rest is fixed.
CATEGORY_IDS: tuple[str, ...] = (
    "core",
    "upper_body",
    "joint_mobility",
    "functional_strength",
    "stability_balance",
    "flexibility_recovery",
    "plyometrics",
)
PHASES: tuple[str, ...] = (
    "off_season",
    "base",
    "build",
    "peak",
    "taper",
    "race_week",
    "competition",
    "transition",
)
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EQUIPMENT: tuple[str, ...] = (
    "barbell",
    "dumbbell",
    "kettlebell",
    "band",
    "bench",
    "box",
    "step",
    "stability_ball",
    "foam_roller",
    "pullup_bar",
    "machine",
    "cable",
)
IMPACT_LEVELS: tuple[str, ...] = ("none", "low", "moderate", "high")  # ordered
LEVELS: tuple[str, ...] = ("beginner", "intermediate", "advanced")  # ordered
EXPERIENCE_LEVELS: tuple[str, ...] = ("novice", "intermediate", "advanced")
SEVERITIES: tuple[str, ...] = ("mild", "moderate", "severe", "resolved")
INJURY_SITES: tuple[str, ...] = (
    "knee",
    "lateral_knee",
    "achilles",
    "foot",
    "ankle",
    "shin",
    "hamstring",
    "hip",
    "low_back",
    "shoulder",
)
INJURY_CONDITIONS: tuple[str, ...] = (
    "patellofemoral_pain",
    "midportion_tendinopathy",
    "insertional_tendinopathy",
    "itbs",
    "plantar_fasciitis",
    "strain_history",
    "mtss",
    "low_back_pain",
)
KEY_RUN_TYPES: tuple[str, ...] = ("intervals", "tempo", "long_run", "race", "hills")
TAGS: tuple[str, ...] = (
    "lower_body",
    "upper_body",
    "loaded",
    "deep_knee_flexion",
    "single_leg",
    "jump",
    "hop",
    "bound",
    "calf_raise",
    "knee_straight",
    "knee_bent",
    "hip_abduction",
    "hip_external_rotation",
    "hip_extension",
    "eccentric_hamstring",
    "loaded_spinal_flexion",
    "anti_extension",
    "anti_rotation",
    "toe_dorsiflexion",
    "isometric",
    "heavy_capable",
    "high_eccentric",
    "bilateral_squat",
    "bilateral_hinge",
)


@dataclass(frozen=True)
class Category:
    """An exercise category such as `core`; `plugin` names who contributed it."""

    id: str
    name: str
    description: str = ""
    plugin: str = ""


@dataclass(frozen=True)
class Intensity:
    """Load as %1RM, RPE (1-10) and reps in reserve; any may be None."""

    pct_1rm: float | None = None
    rpe: float | None = None
    rir: int | None = None


@dataclass(frozen=True)
class Prescription:
    """A dose: sets of reps, seconds or ground contacts, at an intensity, with rest and tempo."""

    sets: int
    reps: int | tuple[int, int] | None = None  # a fixed count or an inclusive (min, max) range
    seconds: int | None = None
    ground_contacts: int | None = None
    intensity: Intensity = field(default_factory=Intensity)
    rest_s: int = 60
    tempo: str | None = None
    per_side: bool = False


@dataclass(frozen=True)
class Exercise:
    """A catalog entry (design §5); `plugin` records which plugin contributed it."""

    id: str
    name: str
    categories: tuple[str, ...]
    primary_muscles: tuple[str, ...]
    equipment: tuple[str, ...]  # all needed; empty means bodyweight
    impact: str
    level: str
    tags: tuple[str, ...]
    prescription: Prescription
    minutes: float
    instructions: str
    source: str
    contraindications: tuple[str, ...] = ()  # injury conditions and/or sites
    progressions: tuple[str, ...] = ()
    regressions: tuple[str, ...] = ()
    substitutes: tuple[str, ...] = ()
    plugin: str = ""
    rehab_only: bool = False  # only where an injury calls for it (a protocol or by id)


ConstraintCheck = Callable[[Exercise, Mapping[str, Any], Mapping[str, Any]], "str | None"]


@dataclass(frozen=True)
class Constraint:
    """A named, parameterised predicate over (exercise, context).

    `check(exercise, context, params)` returns None when the exercise is allowed, or a short
    reason ("needs barbell") when it is not. `params_schema` is a marshmallow Schema class that
    validates the parameters a rule passes. `always` constraints apply to every request.
    `reads` names the context facts `check` looks at (None: it may look at any); when every
    active constraint declares them, the outcome for the same values is reused across requests
    instead of checking every exercise again.
    """

    name: str
    description: str
    check: ConstraintCheck
    params_schema: type | None = None
    always: bool = False
    plugin: str = ""
    reads: tuple[str, ...] | None = None


@dataclass(frozen=True)
class DirectiveSpec:
    """One `then` key, built-in or from a plugin: everything about it in one object.

    - `name`: the `then` key; `description`: one line for the docs and `stridewise plugins`.
    - `field`: a marshmallow Field instance validating the value when a rule file loads, or
      `field_for(vocabulary)` building one that checks the names in effect (built-ins do).
    - `merge`: the policy that combines the values several fired rules give
      (`stridewise.directives.merge`); None means `CollectMerge`, the `(rule_id, value)` pairs
      in precedence order. `explain(name, resolution)` overrides how `stridewise explain`
      lists the resolved value (default: the policy's).
    - `stage`: where the planner applies it (`stridewise.directives.STAGES`). Built-in stages
      read the value themselves; at stage `plan`, `apply(plan, value, context)` receives the
      plan after every built-in stage and the resolved value, and returns the adjusted plan.
    - `value`, `example`: the value's shape and an example for the generated docs table.
    """

    name: str
    description: str
    field: Any = None  # a marshmallow Field instance validating the value
    apply: Callable[..., Plan] | None = None
    plugin: str = ""
    merge: Any = None  # a stridewise.directives.merge.MergePolicy; None: CollectMerge
    stage: str = "plan"
    explain: Callable[..., list[tuple[str, Any, list[str]]]] | None = None
    field_for: Callable[[Any], Any] | None = None  # Vocabulary -> marshmallow Field
    value: str = ""
    example: str = ""


@dataclass
class PlannedExercise:
    """An exercise placed in a session with its prescription and the rules that put it there."""

    exercise: Exercise
    prescription: Prescription
    because: list[str] = field(default_factory=list)
    bouts_per_day: int = 1  # a twice-daily protocol (Alfredson, Jonsson): 2
    protocol: str | None = None  # the protocol id when a protocol put it there
    load_kg: float | None = None  # from the athlete's log (stridewise.history), else None
    load_basis: str | None = None  # why load_kg is what it is
    minutes: float = 0.0  # what it adds to its session's duration_min (both bouts, if counted)


def session_minutes(exercises: Iterable[PlannedExercise]) -> int:
    """A session's duration_min: the ceiling of its items' minutes."""
    total = sum(e.minutes for e in exercises)
    return int(math.ceil(round(total, 6)))


@dataclass
class Session:
    """One day's strength session."""

    day_offset: int
    date: str
    weekday: str
    after_run: bool
    hours_from_run: int | None
    duration_min: int
    focus: str
    exercises: list[PlannedExercise] = field(default_factory=list)
    home: bool = False  # short protocol work on a day the athlete did not offer


@dataclass(frozen=True)
class Exclusion:
    """An exercise removed from the candidates, why, and by which rule or constraint."""

    exercise_id: str
    reason: str
    by: str


@dataclass
class Plan:
    """Everything the planner decided for one context; dumped as the design §6 response."""

    phase: str | None
    start_date: str
    horizon_days: int
    sessions: list[Session] = field(default_factory=list)
    excluded: list[Exclusion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    weeks: list[dict[str, Any]] = field(default_factory=list)  # response `weeks` entries
    phases: list[dict[str, Any]] = field(default_factory=list)  # response `phases` entries
