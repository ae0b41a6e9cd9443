"""`away_from` windows per day: `Windows` gives what `blockers` gives over every event.

`Windows` looks only at the events within the directive's longest reach of a day and
remembers each (day, kind); the plan's day placement, protocols and honest notes all ask it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from planning_helpers import facts_for, then
from stridewise.planning.resolve import resolve
from stridewise.planning.windows import WINDOW_KINDS, Windows, blockers, events_of

EVENTS = ["intervals", "tempo", "long_run", "hills"]
RULES = [
    ("race-taper", 90, then({"away_from": {"events": ["race"], "kinds": ["heavy", "plyometric"],
                                           "hours_before": 504, "hours_after": 168}})),
    ("no-lifting-before-race", 80, then({"away_from": {"events": ["race"], "kinds": ["any"],
                                                       "hours_before": 39}})),
    ("fresh-for-intervals", 50, then({"away_from": {"events": ["intervals", "tempo"],
                                                    "kinds": ["heavy"], "hours_before": 48,
                                                    "hours_after": 24}})),
    ("long-run-legs", 40, then({"away_from": {"events": ["long_run"], "kinds": ["plyometric"],
                                              "hours_after": 33}})),
]


@settings(max_examples=60, deadline=None)
@given(runs=st.lists(st.tuples(st.integers(0, 160), st.sampled_from(EVENTS)), max_size=40,
                     unique_by=lambda r: r[0]),
       race=st.one_of(st.none(), st.integers(1, 200)),
       rules=st.lists(st.sampled_from(RULES), min_size=1, unique_by=lambda r: r[0]))
def test_windows_give_what_blockers_give_over_every_event(runs, race, rules):
    facts = facts_for(
        horizon_days=28,
        key_run_sessions=[{"day_offset": d, "type": t} for d, t in runs if d < 28],
        race=None if race is None else {"distance_km": 21.1, "days_until": race},
    )
    facts["key_run_sessions"] = [{"day_offset": d, "type": t} for d, t in runs]  # a season's
    res = resolve(rules)
    events = events_of(facts)
    windows = Windows(facts, res)
    for day in range(-10, 190):
        for kind in WINDOW_KINDS:
            full = blockers(day, events, res, kind)
            assert windows.blockers(day, kind) == full
            flat: list[str] = []
            for _, _, named in full:
                flat.extend(r for r in named if r not in flat)
            assert windows.rules(day, kind) == flat
            assert windows.rules(day, kind) == flat  # remembered: the same answer again


def test_without_away_from_rules_no_day_is_blocked():
    facts = facts_for(key_run_sessions=[{"day_offset": 1, "type": "intervals"}])
    windows = Windows(facts, resolve([]))
    assert not windows.active
    assert all(windows.rules(d, k) == [] for d in range(7) for k in WINDOW_KINDS)
