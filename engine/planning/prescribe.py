"""Doses: an exercise's default prescription clamped by the resolved ranges and scaled.

Per exercise, the global ranges (`sets`, `reps`, `rest_s`, `intensity`) and every `prescribe`
entry whose scope matches the exercise are intersected in precedence order: higher priority
first, and at equal priority a scoped entry before a global one (the more specific rule wins a
conflict). `volume_scale` multiplies the default sets first (rounded, at least 1); the result
is then clamped into the sets range, so the ranges are the hard limits.
A *heavy* exercise is a `heavy_capable` one at >= 80 %1RM or RPE >= 8; on a light day (spacing
or `away_from` forbid heavy work) its load is capped at 75 %1RM / RPE 7 / RIR >= 3.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from stridewise.models import Exercise, Intensity, Prescription
from stridewise.planning.resolve import INTENSITY_KEYS, Bound, Resolved, combine
from stridewise.tables import Table

__all__ = [
    "HEAVY_PCT_1RM",
    "HEAVY_RPE",
    "PLYO_TAGS",
    "Dose",
    "Doser",
    "is_heavy",
    "is_plyometric",
    "knows_1rm",
    "matches_scope",
    "protocol_dose",
    "scope_matcher",
]

HEAVY_PCT_1RM = 80.0
HEAVY_RPE = 8.0
LIGHT_CAP = {"pct_1rm": 75.0, "rpe": 7.0}
LIGHT_MIN_RIR = 3
DOSE_KEYS = ("sets", "reps", "seconds", "ground_contacts", "rest_s", *INTENSITY_KEYS)


def matches_scope(exercise: Exercise, scope: Mapping[str, Any]) -> bool:
    """Whether the exercise is one of `exercises` or has any of `categories` or `tags`."""
    return scope_matcher(scope)(exercise)


MATCHERS_CACHE = 4096  # bounded: scopes come from rule files, not requests
_MATCHERS: Table[tuple[frozenset[str], ...], Callable[[Exercise], bool]] = Table(MATCHERS_CACHE)


def scope_matcher(scope: Mapping[str, Any]) -> Callable[[Exercise], bool]:
    """A fast predicate for `matches_scope` with this scope (cached by its names)."""
    key = tuple(frozenset(scope.get(k) or ()) for k in ("exercises", "categories", "tags"))
    found = _MATCHERS.get(key)
    if found is not None:
        return found
    ids, cats, tags = key

    def match(exercise: Exercise) -> bool:
        return (
            exercise.id in ids
            or not cats.isdisjoint(exercise.categories)
            or not tags.isdisjoint(exercise.tags)
        )

    return _MATCHERS.put(key, match)


def is_heavy(exercise: Exercise, prescription: Prescription) -> bool:
    """Heavy work: a heavy_capable exercise at >= 80 %1RM or RPE >= 8."""
    if "heavy_capable" not in exercise.tags:
        return False
    load = prescription.intensity
    return (load.pct_1rm is not None and load.pct_1rm >= HEAVY_PCT_1RM) or (
        load.rpe is not None and load.rpe >= HEAVY_RPE
    )


@dataclass(frozen=True)
class Dose:
    """A prescription, its estimated minutes and the rules that shaped it."""

    prescription: Prescription
    minutes: float
    because: tuple[str, ...]


class Doser:
    """Computes doses for one resolved prescription, caching per (exercise, light).

    A dose depends only on the exercise and the resolved directives, so one Doser is kept on
    the `Resolved` (`Doser.of`) and reused by every plan built from the same fired rules.
    """

    @classmethod
    def of(cls, resolved: Resolved) -> Doser:
        """The Doser memoised on this Resolved."""
        doser = resolved.memo.get("doser")
        if doser is None:
            doser = resolved.memo["doser"] = cls(resolved)
        return doser

    def __init__(self, resolved: Resolved) -> None:
        self.resolved = resolved
        self.warnings: dict[str, list[str]] = {}  # exercise id -> conflicts in its doses
        self._cache: dict[tuple[str, bool], Dose | None] = {}
        self._bounds: dict[str, dict[str, Bound]] = {}
        self._scoped = [(s, scope_matcher(s.scope)) for s in resolved.prescribe]

    def bounds(self, exercise: Exercise) -> dict[str, Bound]:
        """The dose ranges that apply to this exercise, by key."""
        cached = self._bounds.get(exercise.id)
        if cached is not None:
            return cached
        res = self.resolved
        scoped = [s for s, match in self._scoped if match(exercise)]
        out: dict[str, Bound] = {}
        for key in DOSE_KEYS:
            items: list[tuple[int, int, int, str, Mapping[str, Any]]] = []
            for order, s in enumerate(scoped):
                rng = (s.dose.get("intensity") or {}).get(key) if key in INTENSITY_KEYS else (
                    s.dose.get(key)
                )
                if rng:
                    items.append((-s.priority, 0, order, s.rule, rng))
            glob = res.intensity.get(key) if key in INTENSITY_KEYS else res.bounds.get(key)
            if not items:  # only global ranges: already combined (and warned) by resolve
                if glob is not None:
                    out[key] = glob
                continue
            for order, (rid, pri, rng) in enumerate(res.dose_rules.get(key, ())):
                items.append((-pri, 1, order, rid, rng))
            items.sort(key=lambda i: i[:3])
            local: list[str] = []
            out[key] = combine([(i[3], i[4]) for i in items], key, local)
            mine = [f"'{s.rule}'" for s in scoped]
            for message in local:
                if any(name in message for name in mine):  # global-only: warned by resolve
                    self.warnings.setdefault(exercise.id, []).append(
                        f"prescribe for '{exercise.id}': {message}"
                    )
        self._bounds[exercise.id] = out
        return out

    def dose(self, exercise: Exercise, *, light: bool = False) -> Dose | None:
        """The dose for this exercise; None when a light day cannot honour its intensity floor."""
        key = (exercise.id, light)
        if key in self._cache:
            return self._cache[key]
        result = self._dose(exercise, light)
        self._cache[key] = result
        return result

    def _dose(self, exercise: Exercise, light: bool) -> Dose | None:
        base = exercise.prescription
        bounds = self.bounds(exercise)
        because: list[str] = []

        def clamp(key: str, value: float | None) -> float | None:
            bound = bounds.get(key)
            if value is None or bound is None:
                return value
            new = bound.clamp(value)
            if new != value:
                because.extend(r for r in bound.because if r not in because)
            return new

        sets = self._sets(base.sets, bounds.get("sets"), because)
        reps = self._reps(base.reps, bounds.get("reps"), because)
        seconds = _int(clamp("seconds", base.seconds))
        contacts = _int(clamp("ground_contacts", base.ground_contacts))
        rest = _int(clamp("rest_s", base.rest_s)) or 0
        load = base.intensity
        pct, rpe, rir = clamp("pct_1rm", load.pct_1rm), clamp("rpe", load.rpe), load.rir
        rir = _int(clamp("rir", rir))
        if light and "heavy_capable" in exercise.tags:
            floor = {k: (bounds.get(k) or Bound()).min for k in LIGHT_CAP}
            if any(f is not None and f > LIGHT_CAP[k] for k, f in floor.items()):
                return None  # the rules insist on heavy loading: not on this day
            pct = None if pct is None else min(pct, LIGHT_CAP["pct_1rm"])
            rpe = None if rpe is None else min(rpe, LIGHT_CAP["rpe"])
            rir = None if rir is None else max(rir, LIGHT_MIN_RIR)
        if pct is not None and not knows_1rm(exercise):  # dose it by effort instead
            if rpe is None:
                rpe = clamp("rpe", float(min(10, max(5, round(pct / 10)))))
            pct = None
        same = (pct, rpe, rir) == (load.pct_1rm, load.rpe, load.rir)
        intensity = load if same else Intensity(pct, rpe, rir)
        prescription = Prescription(
            sets, reps, seconds, contacts, intensity, rest, base.tempo, base.per_side
        )
        minutes = max(1.0, exercise.minutes * sets / max(1, base.sets))
        if base.rest_s and rest != base.rest_s:
            minutes = max(1.0, minutes + (rest - base.rest_s) * max(0, sets - 1) / 60)
        return Dose(prescription, round(minutes, 1), tuple(because))

    def _sets(self, default: int, bound: Bound | None, because: list[str]) -> int:
        """Sets: the default scaled by `volume_scale` (rounded, at least 1), then clamped into
        the resolved `sets` range; the range is the hard limit, so a rule using both never
        cuts twice. Volume rules are named when scaling changed the sets, bound rules when
        clamping then did."""
        scale = self.resolved.volume_scale
        sets = default
        if scale is not None and scale != 1.0:
            sets = max(1, round(default * scale))
        if sets != default:
            because.extend(r for r in self.resolved.volume_because if r not in because)
        clamped = sets if bound is None else int(bound.clamp(sets))
        if bound is not None and clamped != sets:
            because.extend(r for r in bound.because if r not in because)
        return max(1, clamped)

    @staticmethod
    def _reps(
        reps: int | tuple[int, int] | None, bound: Bound | None, because: list[str]
    ) -> int | tuple[int, int] | None:
        if reps is None or bound is None:
            return reps
        if isinstance(reps, tuple):
            lo, hi = int(bound.clamp(reps[0])), int(bound.clamp(reps[1]))
            new: int | tuple[int, int] = (lo, hi) if lo != hi else lo
        else:
            new = int(bound.clamp(reps))
        if new != reps:
            because.extend(r for r in bound.because if r not in because)
        return new


def knows_1rm(exercise: Exercise) -> bool:
    """Whether an athlete can know this lift's 1RM: a bilateral barbell or machine lift.

    Single-leg, dumbbell, kettlebell and bodyweight work is dosed by RPE/RIR, never %1RM.
    """
    return ("barbell" in exercise.equipment or "machine" in exercise.equipment) and (
        "single_leg" not in exercise.tags)


def _int(value: float | None) -> int | None:
    return None if value is None else int(round(value))


def is_plyometric(exercise: Exercise) -> bool:
    """Plyometric work: the category, or a jump, hop or bound tag."""
    return "plyometrics" in exercise.categories or not PLYO_TAGS.isdisjoint(exercise.tags)


PLYO_TAGS = frozenset(("jump", "hop", "bound"))  # rule-test checks read the same set


def protocol_dose(exercise: Exercise, proto: Mapping[str, Any], *, light: bool = False) -> Dose:
    """A rehab protocol's own dose: its sets/reps/seconds over the exercise's defaults.

    `light` (a day inside a heavy-work window) caps a heavy_capable exercise's load as on any
    light day; the protocol's volume stays.
    """
    base = exercise.prescription
    sets = int(proto.get("sets") or base.sets)
    reps: int | tuple[int, int] | None = proto.get("reps") or (
        None if proto.get("seconds") else base.reps
    )
    seconds = proto.get("seconds") or (None if proto.get("reps") else base.seconds)
    load = base.intensity
    if light and "heavy_capable" in exercise.tags:
        load = Intensity(
            None if load.pct_1rm is None else min(load.pct_1rm, LIGHT_CAP["pct_1rm"]),
            None if load.rpe is None else min(load.rpe, LIGHT_CAP["rpe"]),
            None if load.rir is None else max(load.rir, LIGHT_MIN_RIR),
        )
    prescription = dataclasses.replace(
        base, sets=sets, reps=reps, seconds=seconds, intensity=load
    )
    minutes = max(1.0, exercise.minutes * sets / max(1, base.sets))
    return Dose(prescription, round(minutes, 1), ())
