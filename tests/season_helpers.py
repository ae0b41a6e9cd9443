"""Generated seasons for the property tests, and what a coach reads off them."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from stridewise.models import WEEKDAYS
from stridewise.planning.prescribe import is_heavy, is_plyometric
from stridewise.planning.season import is_main_lift, is_main_lower

EQUIPMENT = (
    ["barbell", "dumbbell", "kettlebell", "band", "bench", "box", "step", "machine"],
    ["barbell", "bench", "box"],
    ["dumbbell", "bench", "step", "band"],
    ["kettlebell", "band"],
    [],
)


@st.composite
def seasons(draw: Any, *, race: bool | None = None, horizon: tuple[int, int] = (21, 182),
            heavy: bool = False) -> dict[str, Any]:
    """An athlete context for a plan of several weeks (`heavy`: one who lifts heavy)."""
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=2, max_size=7, unique=True))
    length = draw(st.integers(*horizon))
    body: dict[str, Any] = {
        "athlete_id": draw(st.sampled_from(["a", "b", "runner-7", "zz"])),
        "age": draw(st.integers(18, 70)),
        "running_experience_years": draw(st.sampled_from([0.5, 2, 6, 15])),
        "strength_training_experience": draw(st.sampled_from(
            ["intermediate", "advanced"] if heavy else ["novice", "intermediate", "advanced"])),
        "weekly_run_km": draw(st.sampled_from([25, 50, 80, 110])),
        "start_date": draw(st.sampled_from(["2026-01-05", "2026-03-18", "2026-06-06"])),
        "horizon_days": length,
        "available_days": sorted(days, key=WEEKDAYS.index),
        "equipment": draw(st.sampled_from(EQUIPMENT[:3] if heavy else EQUIPMENT)),
        "session_minutes_max": draw(st.sampled_from([30, 45, 60, 90])),
    }
    with_race = draw(st.booleans()) if race is None else race
    if with_race:
        body["race"] = {
            "distance_km": draw(st.sampled_from([5, 10, 21.1, 42.2])),
            "days_until": draw(st.integers(10, length - 1)) if length > 11 else length - 1,
            "priority": "A" if race else draw(st.sampled_from(["A", "B", "C"])),
        }
    runs = draw(st.lists(st.tuples(st.integers(0, length - 1),
                                   st.sampled_from(["intervals", "tempo", "long_run"])),
                         max_size=6, unique_by=lambda r: r[0]))
    body["key_run_sessions"] = [{"day_offset": d, "type": t} for d, t in runs]
    return body


def week_sessions(trace: Any, week: Any) -> list[Any]:
    return [s for s in trace.plan.sessions if week.first <= s.day_offset < week.first + week.days]


def heavy_day(session: Any) -> bool:
    """A session on a day heavy work was allowed (light days say so in their focus)."""
    return not session.focus.startswith("light: ")


def lift_doses(sessions: list[Any], *, heavy_days_only: bool = False) -> dict[str, Any]:
    """Main lift -> its heaviest prescription of the week (rehab protocols left out)."""
    out: dict[str, Any] = {}
    for sess in sessions:
        if heavy_days_only and not heavy_day(sess):
            continue
        for pe in sess.exercises:
            if pe.protocol or not is_main_lift(pe.exercise):
                continue
            rx = pe.prescription
            old = out.get(pe.exercise.id)
            if old is None or (rx.intensity.pct_1rm or 0) > (old.intensity.pct_1rm or 0):
                out[pe.exercise.id] = rx
    return out


def lower_lifts(sessions: list[Any]) -> set[str]:
    """The week's lower-body main lifts (calf raises are accessory work)."""
    return {pe.exercise.id for s in sessions for pe in s.exercises
            if not pe.protocol and is_main_lift(pe.exercise) and is_main_lower(pe.exercise)}


def heavy_lower_days(trace: Any) -> list[int]:
    return [s.day_offset for s in trace.plan.sessions
            if any(not pe.protocol and is_main_lift(pe.exercise) and is_main_lower(pe.exercise)
                   and is_heavy(pe.exercise, pe.prescription) for pe in s.exercises)]


def kinds_on(session: Any) -> set[str]:
    """'heavy' and/or 'plyometric' when the session holds such work."""
    out = set()
    for pe in session.exercises:
        if is_heavy(pe.exercise, pe.prescription):
            out.add("heavy")
        if is_plyometric(pe.exercise):
            out.add("plyometric")
    return out
