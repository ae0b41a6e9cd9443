"""Ranked picks: the planner's precomputed checks pick exactly what `fits_session` allows.

`planning.ranking.rank` reads each exercise's session traits from a table built once per
catalog instead of calling `sessions.fits_session` per exercise and per pick; these tests
hold it to the reference: the walk written with `fits_session`, as the planner had it.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from stridewise.catalog import build_catalog
from stridewise.models import Exercise
from stridewise.planning.prescribe import Doser
from stridewise.planning.ranking import Scores, rank, week_scores
from stridewise.planning.resolve import resolve
from stridewise.planning.schedule import Slot
from stridewise.planning.selection import Candidates, Pool, filter_candidates
from stridewise.planning.sessions import Draft, Item, fits_session
from stridewise.plugin_manager import load_plugins

EVERY = sorted(build_catalog(load_plugins(env={})).exercises.values(),
               key=lambda e: e.id)
RES = resolve([])
DOSER = Doser.of(RES)


def _candidates() -> Candidates:
    return filter_candidates(Pool(EVERY), {"equipment": []}, RES, {}, [])


CANDS = _candidates()


def reference(sess: Draft, pool: list[Exercise], scores: Scores, used: set[str], limit: int,
              named: frozenset[str]) -> list[tuple[Exercise, Any]]:
    """The walk as the planner wrote it before the trait table: `fits_session` per step."""
    if limit <= 0:
        return []
    taken = sess.ids()
    light = not sess.slot.heavy
    out: list[tuple[Exercise, Any]] = []
    stale: list[Exercise] = []

    def take(ex: Exercise) -> bool:
        if not fits_session(sess, ex, scores.history, named, (e for e, _ in out)):
            return False
        dose = DOSER.dose(ex, light=light)
        if dose is not None:
            out.append((ex, dose))
        return len(out) >= limit

    for ex in scores.ordered(pool):
        if ex.id in taken or not fits_session(sess, ex, scores.history, named):
            continue
        if ex.id in used:
            stale.append(ex)
            continue
        while stale and scores[stale[0].id] * 0.3 > scores[ex.id]:
            if take(stale.pop(0)):
                return out
        if take(ex):
            return out
    for ex in stale:
        if take(ex):
            break
    return out


def _session(heavy: bool, plyometric: bool, items: list[Exercise], protocol: bool) -> Draft:
    sess = Draft(Slot(0, "2026-11-30", "mon", heavy=heavy, plyometric=plyometric))
    for ex in items:
        dose = DOSER.dose(ex)
        assert dose is not None
        sess.items.append(Item(ex, dose, 1.0, [], "some-protocol" if protocol else ""))
    return sess


ALLOWED = CANDS.allowed
# exercises with a trait `fits_session` reads: plyometric, high-eccentric, rehab-only, patterns
SPECIAL = [e for e in ALLOWED if e.rehab_only or {"high_eccentric", "calf_raise", "jump", "hop",
           "bound", "bilateral_squat", "bilateral_hinge"} & set(e.tags)
           or "plyometrics" in e.categories]
exercises = st.one_of(st.sampled_from(SPECIAL), st.sampled_from(ALLOWED))
picks = st.lists(exercises, max_size=4, unique_by=lambda e: e.id)


@settings(max_examples=300, deadline=None)
@given(heavy=st.booleans(), plyometric=st.booleans(), protocol=st.booleans(),
       items=picks, pool=st.lists(exercises, min_size=1, max_size=40, unique_by=lambda e: e.id),
       used=st.sets(st.sampled_from([e.id for e in ALLOWED]), max_size=20),
       limit=st.integers(0, 5), named=st.sets(st.sampled_from([e.id for e in SPECIAL])),
       history=st.sets(st.sampled_from([e.id for e in SPECIAL])),
       week=st.integers(0, 3), seed=st.sampled_from(["a", "bench-3", "zz"]))
def test_rank_picks_what_the_reference_walk_with_fits_session_picks(
    heavy, plyometric, protocol, items, pool, used, limit, named, history, week, seed,
):
    sess = _session(heavy, plyometric, items, protocol)
    scores = week_scores(CANDS, RES, seed, week, frozenset(history))
    ordered = sorted(pool, key=lambda e: e.id)
    want = reference(sess, ordered, scores, set(used), limit, frozenset(named))
    got = rank(sess, ordered, DOSER, scores, set(used), limit, named=frozenset(named))
    assert [(e.id, d) for e, d in got] == [(e.id, d) for e, d in want]


def test_rank_never_puts_two_exercises_of_a_one_per_session_pattern_in_a_session():
    calf = [e for e in ALLOWED if "calf_raise" in e.tags]
    assert len(calf) >= 2  # the built-in catalog has several calf raises
    sess = _session(True, True, [], False)
    scores = week_scores(CANDS, RES, "a", 0, frozenset())
    got = rank(sess, calf, DOSER, scores, set(), 5)
    assert len(got) == 1
    sess = _session(True, True, calf[:1], False)  # general work already holds one
    assert rank(sess, calf, DOSER, scores, set(), 5) == []
    sess = _session(True, True, calf[:1], True)  # a protocol's calf raise does not count
    assert len(rank(sess, calf[1:], DOSER, scores, set(), 5)) == 1


# tag emphasis 0 scores some exercises 0: they are left out of every pool
ZEROED = resolve([("zeroed", 0, {"emphasis": {"single_leg": 0.0, "loaded": 2.0}})])
ZEROED_CANDS = filter_candidates(Pool(EVERY), {"equipment": []}, ZEROED, {}, [])


@settings(max_examples=30, deadline=None)
@given(week=st.integers(0, 5), seed=st.sampled_from(["a", "bench-3", "zz", "q-17"]),
       zeroed=st.booleans())
def test_each_categorys_pool_is_ranked_as_that_pool_sorted_on_its_own(week, seed, zeroed):
    # the category pools are sorted once a week; each must equal the pool ranked by itself
    # (positive scores, best first, ties by id)
    res, cands = (ZEROED, ZEROED_CANDS) if zeroed else (RES, CANDS)
    scores = week_scores(cands, res, seed, week, frozenset())
    assert not zeroed or any(scores[e.id] == 0 for e in cands.allowed)
    for cat in sorted({c for e in cands.allowed for c in e.categories}) + ["no_such_category"]:
        pool = cands.having("categories", cat)
        alone = sorted((e for e in pool if scores[e.id] > 0), key=lambda e: (-scores[e.id], e.id))
        assert scores.ordered(pool, ("categories", cat)) == alone
        assert scores.ordered(pool) == alone
