"""Plans a coach would sign (issue 15): each test reproduces one problem a coach found in the
default rules' plans, with the real catalog and rules (`tests/data/coach_contexts/`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from stridewise.service import Engine

CONTEXTS = Path(__file__).parent / "data" / "coach_contexts"
PLYO_TAGS = {"jump", "hop", "bound"}


def context(name: str, **changes: Any) -> dict[str, Any]:
    body = json.loads((CONTEXTS / f"{name}.json").read_text())
    body.update(changes)
    return body


@pytest.fixture(scope="module")
def engine():
    built = Engine.create(backend="python")
    yield built
    built.close()


def strength_sessions(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in body["sessions"] if not s["focus"].startswith("rehab protocol")]


def is_heavy(ex: dict[str, Any]) -> bool:
    load = ex["intensity"]
    return "heavy_capable" in ex["tags"] and (
        (load["pct_1rm"] or 0) >= 80 or (load["rpe"] or 0) >= 8)


def is_plyo(ex: dict[str, Any]) -> bool:
    return "plyometrics" in ex["categories"] or bool(PLYO_TAGS & set(ex["tags"]))


def ids(session: dict[str, Any]) -> list[str]:
    return [e["id"] for e in session["exercises"]]


# -- 1. day choice ------------------------------------------------------------------------------


def test_days_are_chosen_by_what_they_allow_around_key_runs(engine) -> None:
    # mon/wed/fri offered, intervals tue and long run sat: only wed allows heavy or jumps.
    body = engine.recommend(context("c01_intermediate_base_mwf"))
    for week in range(4):
        days = [s for s in body["sessions"] if s["day_offset"] // 7 == week]
        assert "wed" in [s["weekday"] for s in days]
        assert any(is_heavy(e) for s in days for e in s["exercises"]), week
        assert any(is_plyo(e) for s in days for e in s["exercises"]), week


def test_a_warning_names_the_key_runs_when_no_offered_day_allows_heavy_work(engine) -> None:
    body = engine.recommend(context(
        "c01_intermediate_base_mwf", available_days=["mon", "fri"], horizon_days=7,
        key_run_sessions=[{"day_offset": 1, "type": "intervals"},
                          {"day_offset": 5, "type": "long_run"}]))
    assert not any(is_heavy(e) for s in body["sessions"] for e in s["exercises"])
    blocked = [w for w in body["warnings"] if "no offered day allows heavy" in w]
    assert blocked and "intervals" in blocked[0] and "long_run" in blocked[0]
