"""The sample athlete corpus: valid, varied, and served by the default engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from stridewise.context import derive_facts, load_context
from stridewise.errors import StridewiseError
from stridewise.models import INJURY_CONDITIONS, PHASES
from stridewise.samples import load_contexts, load_samples
from stridewise.service import Engine

SAMPLES = load_samples()


def test_corpus_has_at_least_50_athletes_with_unique_descriptive_ids() -> None:
    ids = [s["athlete_id"] for s in SAMPLES]
    assert len(ids) >= 50
    assert len(set(ids)) == len(ids)
    assert all("-" in i and i == i.lower() for i in ids)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s["athlete_id"])
def test_every_sample_validates_against_the_context_schema(sample: dict) -> None:
    load_context(sample)


def test_corpus_covers_every_phase_condition_age_level_and_equipment_range() -> None:
    facts = [derive_facts(load_context(s)) for s in SAMPLES]
    assert {f["phase"] for f in facts} == set(PHASES)
    conditions = {i.get("condition") for f in facts for i in f["injuries"]}
    assert set(INJURY_CONDITIONS) <= conditions
    ages = [f["age"] for f in facts]
    assert min(ages) <= 16 and max(ages) >= 75
    assert {f["strength_training_experience"] for f in facts} == {
        "novice", "intermediate", "advanced"
    }
    assert any(f["bodyweight_only"] for f in facts)
    assert any(len(f["equipment"]) == 12 for f in facts)
    assert any(f["key_run_sessions"] for f in facts) and any(
        not f["key_run_sessions"] for f in facts
    )
    assert any(f["race"] for f in facts) and any(not f["race"] for f in facts)
    assert {"request", "race_date"} <= {f["phase_source"] for f in facts}


def test_every_sample_gets_a_recommendation_from_the_default_engine() -> None:
    engine = Engine.create()
    for sample in SAMPLES:
        response = engine.recommend(sample)
        assert response["fired"] and "sessions" in response, sample["athlete_id"]


def test_load_contexts_reads_a_directory_and_names_a_bad_line(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(SAMPLES[0]))
    (tmp_path / "b.jsonl").write_text(json.dumps(SAMPLES[1]) + "\n\n" + json.dumps(SAMPLES[2]))
    assert [c["athlete_id"] for c in load_contexts(tmp_path)] == [
        s["athlete_id"] for s in SAMPLES[:3]
    ]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(SAMPLES[0]) + "\n{not json\n")
    with pytest.raises(StridewiseError, match=r"bad.jsonl:2: not valid JSON"):
        load_contexts(bad)
