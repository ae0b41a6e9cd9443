"""Builders for built-in catalog entries: one complete entry dict per call, in the
architecture.md format, so each exercise family module reads as a list of exercises."""

from __future__ import annotations

from typing import Any

__all__ = ["entry", "prescription"]


def prescription(
    sets: int,
    reps: int | tuple[int, int] | None = None,
    *,
    seconds: int | None = None,
    contacts: int | None = None,
    pct: float | None = None,
    rpe: float | None = None,
    rir: int | None = None,
    rest: int = 60,
    tempo: str | None = None,
    per_side: bool = False,
) -> dict[str, Any]:
    """Build a prescription dict; a (min, max) tuple of reps becomes a range."""
    rx: dict[str, Any] = {"sets": sets, "rest_s": rest, "per_side": per_side}
    if isinstance(reps, tuple):
        rx["reps"] = {"min": reps[0], "max": reps[1]}
    elif reps is not None:
        rx["reps"] = reps
    if seconds is not None:
        rx["seconds"] = seconds
    if contacts is not None:
        rx["ground_contacts"] = contacts
    intensity = {k: v for k, v in (("pct_1rm", pct), ("rpe", rpe), ("rir", rir)) if v is not None}
    if intensity:
        rx["intensity"] = intensity
    if tempo:
        rx["tempo"] = tempo
    return rx


def entry(id_: str, name: str, categories: list[str], muscles: list[str], equipment: list[str],
        impact: str, level: str, tags: list[str], *, rx: dict[str, Any], minutes: float,
        how: str, source: str, contra: list[str] | None = None, prog: list[str] | None = None,
        reg: list[str] | None = None, subs: list[str] | None = None,
        rehab_only: bool = False) -> dict[str, Any]:
    """Build one complete catalog entry in the architecture.md format (lists are copied)."""
    return {
        "id": id_, "name": name, "categories": list(categories), "primary_muscles": list(muscles),
        "equipment": list(equipment), "impact": impact, "level": level, "tags": list(tags),
        "contraindications": list(contra or ()), "progressions": list(prog or ()),
        "regressions": list(reg or ()), "substitutes": list(subs or ()), "prescription": rx,
        "minutes": minutes, "instructions": how, "source": source, "rehab_only": rehab_only,
    }
