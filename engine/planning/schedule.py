"""Day placement: how many strength sessions, on which days, and which may be heavy.

Time model (day granularity): runs, key runs and races happen in the morning (08:00) and a
strength session in the late afternoon (17:00). So a session on the day of a key run is 9 h
after it (`after_run`, `hours_from_run = max(9, after_run.min_hours)`; a rule asking for more
than 12 h makes that day unavailable), and a session on day d is `(e - d) * 24 - 9` hours
before an event on day e. There is never strength work on race day.

Sessions per 7-day week: 2 unless rules bound `sessions_per_week` (clamped into the bounds),
capped by `sessions_per_week_max` and by the days that are available; a partial last week gets
its share. In a season, a week holding the window for the last heavy session before an A race
(`loading.WeekStep.target_days`: days the athlete can train and the rules allow heavy work)
first puts a heavy-capable session in it, and a session less than 4 days (or the heavy
spacing) before that one is light, so the last heavy session lands 7-10 days out. Days are
chosen by what they allow: first no two sessions on consecutive days
(when the offered days permit), then the phase's stimulus — at least one day that allows heavy
work and one that allows plyometrics — then more days that allow heavy work (spaced by
`spacing.heavy_hours`), then the smallest gap between sessions up to 3 days, then more
plyometric days, then (when an `after_run` rule fired: "hard days hard") more
intervals/tempo/hills days, then fewer long-run days, then even spacing, then a stable hash of
athlete_id. When the rules ask for heavy loading and no offered day of a week allows it, a
warning names the key runs and races whose windows block each day. A session is
heavy-capable when no `away_from` window forbids heavy work on its day and it is at least
`spacing.heavy_hours` (default 48) after the previous heavy session; otherwise it is light.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from stridewise.models import WEEKDAYS
from stridewise.planning.resolve import Resolved
from stridewise.planning.windows import (
    NO_RULES,
    SAME_DAY_GAP,
    Windows,
    away_blocks,
    blockers,
    events_of,
    hours_before,
)
from stridewise.tables import Table

__all__ = [
    "DEFAULT_HEAVY_HOURS",
    "DEFAULT_SESSIONS",
    "SEASON",
    "WINDOW",
    "Slot",
    "Window",
    "Windows",
    "away_blocks",
    "blockers",
    "events_of",
    "hours_before",
    "place_sessions",
    "protocol_days",
    "rest_days",
    "stable_unit",
    "stable_units",
    "wants_heavy",
]

LATEST_GAP = 12  # lifting at 20:00 at the latest
DEFAULT_SESSIONS = 2
DEFAULT_HEAVY_HOURS = 48
POST_RACE_DAYS = 7  # sessions this many days after a race are labelled post-race
QUALITY_RUNS = frozenset({"intervals", "tempo", "hills"})  # not long runs: glycogen, fatigue



WINDOW = "_window"  # planner-only key in the facts a plan is built from (never seen by rules)
SEASON = "_season"  # planner-only key: the season's step for this week (planning.loading)


@dataclass
class Window:
    """The days one block of a longer plan covers, and what the blocks before it left.

    Day offsets are from the start of the whole plan: a block plans days `first` up to the
    facts' `horizon_days`. `previous_day` and `last_heavy` (the last session and the last
    heavy-capable session of earlier blocks) keep spacing across block boundaries;
    `place_sessions` updates them for the next block.
    """

    first: int = 0
    previous_day: int | None = None
    last_heavy: int | None = None
    protocol_last: dict[str, int] = field(default_factory=dict)  # protocol id -> last day


def stable_unit(*parts: object) -> float:
    """A deterministic number in [0, 1) from the parts (blake2b, never Python's hash())."""
    text = ":".join(map(str, parts)).encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(text, digest_size=8).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def stable_units(prefix: Sequence[object], lasts: Iterable[object]) -> list[float]:
    """`stable_unit(*prefix, last)` for each of `lasts`, the prefix hashed once."""
    head = hashlib.blake2b(
        (":".join(map(str, prefix)) + ":").encode("utf-8", "surrogatepass"), digest_size=8)
    out = []
    for last in lasts:
        found = head.copy()
        found.update(str(last).encode("utf-8", "surrogatepass"))
        out.append(int.from_bytes(found.digest(), "big") / 2**64)
    return out


@dataclass(slots=True)
class Slot:
    """A day chosen for a strength session and what may happen on it."""

    day_offset: int
    date: str
    weekday: str
    after_run: bool = False
    hours_from_run: int | None = None
    heavy: bool = True
    plyometric: bool = True
    because: list[str] = field(default_factory=list)  # rules that set heavy work's day
    light_because: list[str] = field(default_factory=list)  # rules that made the day light
    plyo_because: list[str] = field(default_factory=list)  # rules that ruled jumps out
    post_race: bool = False  # within a week after a race (inside the plan or last_race)


def rest_days(
    facts: Mapping[str, Any], res: Resolved, windows: Windows | None = None
) -> dict[int, list[str]]:
    """Days (race days aside) on which `away_from` windows forbid any strength work, rehab
    included, with the rules that forbid it (`windows`: this plan's, when already built)."""
    windows = windows or Windows(facts, res)
    if not windows.active:
        return {}
    race_days = {d for d, kind in windows.events if kind == "race"}
    first = getattr(facts.get(WINDOW), "first", 0) or 0
    out: dict[int, list[str]] = {}
    for day in range(first, int(facts["horizon_days"])):
        if day not in race_days and (rules := windows.rules(day, "any")):
            out[day] = rules
    return out


def weekly_target(res: Resolved, facts: Mapping[str, Any], warnings: list[str]) -> int:
    """Sessions per full week: the default clamped into the rules' bounds and the athlete's cap."""
    bound = res.bound("sessions_per_week")
    target = int(bound.clamp(DEFAULT_SESSIONS))
    cap = facts.get("sessions_per_week_max")
    if cap is not None and cap < target:
        if bound.min is not None and cap < bound.min:
            rules = bound.min_because
            warnings.append(
                f"{'Rules' if len(rules) > 1 else 'Rule'} {', '.join(repr(b) for b in rules)} "
                f"{'ask' if len(rules) > 1 else 'asks'} for at least {bound.min:g} sessions per "
                f"week, but sessions_per_week_max is {cap}; planning {cap}."
            )
        target = int(cap)
    return target


def place_sessions(
    facts: Mapping[str, Any], res: Resolved, seed: str, warnings: list[str],
    windows: Windows | None = None,
) -> list[Slot]:
    """Choose the session days of the whole horizon (see the module docstring); `windows`:
    this plan's `away_from` verdicts, when already built."""
    start = dt.date.fromisoformat(str(facts["start_date"]))
    horizon = int(facts["horizon_days"])
    days_given = facts.get("available_days")
    available = set(WEEKDAYS if days_given is None else days_given)
    windows = windows or Windows(facts, res)
    events = windows.events
    race_days = {d for d, t in events if t == "race"}
    key_days = {d for d, t in events if t != "race"}
    # each kind's blocked days (day -> rules), marked once from the events
    any_block = windows.blocked("any")
    heavy_blocked, plyo_blocked = windows.blocked("heavy"), windows.blocked("plyometric")
    after_min = res.after_run_hours or 0
    target = weekly_target(res, facts, warnings)
    heavy_hours = DEFAULT_HEAVY_HOURS if res.heavy_hours is None else res.heavy_hours

    window: Window = facts.get(WINDOW) or Window()
    eligible: list[int] = []
    heavy_block: dict[int, list[str]] = {}
    plyo_block: dict[int, list[str]] = {}
    first = start.weekday()
    allowed = NO_RULES
    for day in range(window.first, horizon):
        if (WEEKDAYS[(first + day) % 7] not in available or day in race_days
                or day in any_block or (day in key_days and after_min > LATEST_GAP)):
            continue
        eligible.append(day)
        heavy_block[day] = heavy_blocked.get(day, allowed)
        plyo_block[day] = plyo_blocked.get(day, allowed)

    prefer: set[int] = set()
    if res.after_run_hours is not None:  # hard days hard: lift after quality sessions
        prefer = {d for d, t in events if t in QUALITY_RUNS}
    avoid = {d for d, t in events if t == "long_run"}  # legs already long-tired
    aim = frozenset(getattr(facts.get(SEASON), "target_days", ()))  # last heavy before a race
    chosen: list[int] = []
    for week_start in range(window.first, horizon, 7):
        days_in_week = min(7, horizon - week_start)
        want = target if days_in_week == 7 else int(target * days_in_week / 7 + 0.5)
        pool = [d for d in eligible if week_start <= d < week_start + 7]
        if want > len(pool):
            warnings.append(
                f"Week starting day {week_start}: {want} sessions wanted but only {len(pool)} "
                f"available day(s) allow strength work; planning {len(pool)}."
            )
            want = len(pool)
        if want:
            picked = _best_days(pool, want, chosen[-1] if chosen else window.previous_day,
                                (heavy_block, plyo_block, heavy_hours), (prefer, avoid), seed, aim)
            chosen.extend(picked)
            if pool and all(heavy_block[d] for d in pool) and wants_heavy(res):
                warnings.append(_no_heavy_day(week_start, pool, windows, start))

    slots: list[Slot] = []
    last_heavy = window.last_heavy
    # the first day of the last-heavy window that gets a session (a later block's counts):
    # nothing heavy before it that would leave it too close to lift heavy (spacing)
    anchor = min((d for d in aim if d in chosen or d >= horizon), default=None)
    for day in chosen:
        date = start + dt.timedelta(days=day)
        after = day in key_days
        away = heavy_block[day]
        spaced = last_heavy is None or (day - last_heavy) * 24 >= heavy_hours
        if anchor is not None and day < anchor and (anchor - day) * 24 < max(heavy_hours, 96):
            spaced = False
        heavy = not away and spaced
        slots.append(Slot(
            day, date.isoformat(), WEEKDAYS[date.weekday()], after,
            max(SAME_DAY_GAP, after_min) if after else None, heavy, not plyo_block[day],
            list(res.after_run_because) if after else [],
            list(away) if away else list(res.heavy_because) if not spaced else [],
            list(plyo_block[day]), any(0 < day - r <= POST_RACE_DAYS for r in race_days)))
        if heavy:
            last_heavy = day
    if chosen:
        window.previous_day = chosen[-1]
    window.last_heavy = last_heavy
    return slots


def wants_heavy(res: Resolved) -> bool:
    """Whether the rules ask for heavy loading (a heavy_capable `prescribe` at >= 80 %1RM or
    RPE >= 8): the phase's stimulus that day choice should make room for."""
    for scoped in res.prescribe:
        if "heavy_capable" not in (scoped.scope.get("tags") or ()):
            continue
        load = scoped.dose.get("intensity") or {}
        if ((load.get("pct_1rm") or {}).get("max") or 0) >= 80 or (
                (load.get("rpe") or {}).get("max") or 0) >= 8:
            return True
    return False


def _no_heavy_day(week_start: int, pool: Sequence[int], windows: Windows, start: dt.date) -> str:
    """A warning naming the key runs (and races) whose windows block heavy work on every
    offered day of a week."""
    parts = []
    for day in pool:
        weekday = WEEKDAYS[(start + dt.timedelta(days=day)).weekday()]
        near = windows.blockers(day, "heavy")
        what = ", ".join(
            f"{kind} on {WEEKDAYS[(start + dt.timedelta(days=d)).weekday()]} (rule(s) "
            f"{', '.join(repr(r) for r in rules)})" for d, kind, rules in near)
        parts.append(f"{weekday} {day} is too close to {what}")
    return (f"Week starting day {week_start}: no offered day allows heavy work: "
            f"{'; '.join(parts)}. Offer a day at least two days before a key run for heavy "
            f"strength.")


def _best_days(
    pool: Sequence[int], want: int, previous: int | None,
    allows: tuple[Mapping[int, list[str]], Mapping[int, list[str]], float],
    days_wanted: tuple[set[int], set[int]], seed: str, aim: frozenset[int] = frozenset(),
) -> list[int]:
    """The `want` days of `pool` that best allow the phase's work (see the module docstring)."""
    prefer, avoid = days_wanted
    heavy_block, plyo_block, heavy_hours = allows
    # per day: (heavy allowed, plyometrics allowed, after a quality run, after a long run)
    worth = tuple((not heavy_block[d], not plyo_block[d], 1 if d in prefer else 0,
                   1 if d in avoid else 0) for d in pool)
    aim = frozenset(d for d in aim if d in heavy_block and not heavy_block[d])
    key = (tuple(pool), want, previous, worth, heavy_hours, aim.intersection(pool))
    ties = _TIES.get(key)
    if ties is None:
        ties = _TIES.put(key, _best_combos(key))
    if len(ties) == 1:
        return list(ties[0])
    draws = stable_units((seed, "days"), ties)  # the athlete's hash breaks the tie
    return list(ties[max(range(len(ties)), key=draws.__getitem__)])


TIES_CACHE = 4096  # day choices remembered (a pure function of days and their flags)
_TIES: Table[tuple[Any, ...], list[tuple[int, ...]]] = Table(TIES_CACHE)


def _best_combos(key: tuple[Any, ...]) -> list[tuple[int, ...]]:
    """Every best-scoring choice of `want` days (the ties the athlete's hash decides), from
    `_best_days`'s key: the days, how many, the previous session's day, each day's flags,
    the heavy spacing and the days of the last heavy session's window among them."""
    pool, want, previous, flags, heavy_hours, aim = key
    worth = dict(zip(pool, flags, strict=True))
    best: tuple[int, ...] | None = None
    ties: list[tuple[int, ...]] = []
    for combo in itertools.combinations(pool, want):
        last = previous if previous is not None else combo[-1] - 7  # wrap from last week
        lo, hi = 99, 0
        heavy = plyo = liked = disliked = 0
        last_heavy: int | None = None
        for day in combo:
            gap = day - last
            if gap < lo:
                lo = gap
            if gap > hi:
                hi = gap
            last = day
            h, p, pr, a = worth[day]
            if h and (last_heavy is None or (day - last_heavy) * 24 >= heavy_hours):
                heavy, last_heavy = heavy + 1, day
            plyo, liked, disliked = plyo + p, liked + pr, disliked + a
        score = (
            1 if aim and not aim.isdisjoint(combo) else 0,  # the last heavy session's window
            lo if lo < 2 else 2,  # never back to back when it can be helped
            min(heavy, 1) + min(plyo, 1),  # the phase's stimulus lands at least once
            heavy,  # heavy work on as many (spaced) days as possible
            lo if lo < 3 else 3,  # beyond 3 days apart, spacing stops mattering
            plyo,
            liked,  # hard days hard: lift after key runs
            -disliked,  # not after a long run
            lo - hi,  # evenness, counting the wrap into next week
        )
        if best is None or score > best:
            best, ties = score, [combo]
        elif score == best:
            ties.append(combo)
    return ties


def protocol_days(
    facts: Mapping[str, Any], per_week: int, session_days: Sequence[int], rest: Iterable[int] = (),
    previous: int | None = None,
) -> list[int]:
    """Days for a protocol done `per_week` times a week (at most 7 days; more is two bouts on
    some days): never on race day nor on a `rest` day (see `rest_days`).

    Up to 4 times a week ("every other day", "3 times a week") the days are never consecutive,
    across week boundaries too, whenever the free days allow it. Among the spacings that hold,
    days with a strength session come first, then other offered days (`available_days`), then
    even spacing; protocol work is short, so it may fall on a day the athlete did not offer —
    the planner marks such a session `home`.
    """
    horizon = int(facts["horizon_days"])
    race_days = {d for d, t in events_of(facts) if t == "race"}
    per_week = min(per_week, 7)
    closed = set(rest)
    sessions = set(session_days)
    start = dt.date.fromisoformat(str(facts["start_date"]))
    offered = set(facts.get("available_days") or WEEKDAYS)
    out: list[int] = []
    window: Window = facts.get(WINDOW) or Window()
    for week_start in range(window.first, horizon, 7):
        end = min(horizon, week_start + 7)
        days = [d for d in range(week_start, end) if d not in race_days and d not in closed]
        if not days:
            continue
        span = end - week_start  # a partial week at the horizon's end
        share = per_week if span == 7 else max(1, int(per_week * span / 7 + 0.5))
        share = min(share, len(days))
        previous = out[-1] if out else previous  # the block before's last day carries over
        offered_days = {d for d in days
                        if WEEKDAYS[(start + dt.timedelta(days=d)).weekday()] in offered}
        key = (tuple(days), share, previous, per_week > 4,
               frozenset(sessions.intersection(days)), frozenset(offered_days))
        best = _PROTOCOL_WEEKS.get(key)
        if best is None:
            best = _PROTOCOL_WEEKS.put(key, _protocol_week(key))
        out.extend(best)
    return out


# A week's protocol days are a pure function of its free days, the share, the last day
# before, whether spacing applies (up to 4 a week) and which days hold a session or are
# offered: kept per those (no athlete data), bounded.
_PROTOCOL_WEEKS: Table[tuple[Any, ...], tuple[int, ...]] = Table(TIES_CACHE)


def _protocol_week(key: tuple[Any, ...]) -> tuple[int, ...]:
    """The best-scoring protocol days of a week, from `protocol_days`'s key alone."""
    days, share, previous, spacing_free, sessions, offered = key
    score = functools.partial(_protocol_score, previous=previous, spacing_free=spacing_free,
                              sessions=sessions, offered=offered)
    return max(itertools.combinations(days, share), key=score)


def _protocol_score(
    combo: tuple[int, ...], previous: int | None, spacing_free: bool,
    sessions: frozenset[int], offered: frozenset[int],
) -> tuple[Any, ...]:
    """How good a week's protocol days are: spaced (up to 4 a week), then on strength-session
    days, then on offered days, then the widest and most even gaps, then earliest."""
    gaps = [b - a for a, b in itertools.pairwise(combo)]
    if previous is not None:
        gaps.append(combo[0] - previous)
    spaced = spacing_free or all(g >= 2 for g in gaps)  # spacing holds up to 4 a week
    return (spaced, sum(d in sessions for d in combo), sum(d in offered for d in combo),
            min(gaps, default=7), -(max(gaps, default=0) - min(gaps, default=0)),
            [-d for d in combo])
