"""Many contexts at once: `stridewise batch`, `recommend_many`, `EngineSpec` and Dask."""

from __future__ import annotations

import json
import os
import pickle
import tempfile
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from stridewise.batch import EngineSpec, recommend_many
from stridewise.cli import cli
from stridewise.samples import load_samples
from stridewise.service import Engine

CONTEXTS = load_samples()[:6]
BAD = {"athlete_id": "bad-age", "age": "forty", "weekly_run_km": 30}


@pytest.fixture(scope="module")
def engine() -> Any:
    built = Engine.create()
    yield built
    built.close()


def _write(path: Path, bodies: list[Any]) -> Path:
    path.write_text("".join(json.dumps(b) + "\n" for b in bodies), encoding="utf-8")
    return path


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _batch(*args: str) -> Any:
    return CliRunner().invoke(cli, ["batch", *args])


def test_batch_writes_one_line_per_context_keyed_by_athlete_and_tagged_with_the_version(
    tmp_path: Path, engine: Any
) -> None:
    source = _write(tmp_path / "in.jsonl", [*CONTEXTS, BAD])
    with source.open("a") as handle:
        handle.write("{not json\n")
    out = tmp_path / "out.jsonl"
    result = _batch(str(source), "--out", str(out), "--workers", "2", "--chunk-size", "2")
    assert result.exit_code == 0, result.output
    items = _lines(out)
    assert [i["athlete_id"] for i in items] == [c["athlete_id"] for c in CONTEXTS] + [
        "bad-age", None]
    version = {"name": "default", "version": engine.ruleset.version}
    assert all(i["ruleset"] == version for i in items)
    for item, context in zip(items, CONTEXTS, strict=False):
        assert item["status"] == 200 and item["recommendation"] == engine.recommend(context)
    bad, torn = items[-2:]
    assert bad["status"] == 422 and bad["problem"]["errors"][0]["pointer"] == "/age"
    assert torn["status"] == 400 and "line 8 is not valid JSON" in torn["problem"]["detail"]
    assert "6 planned, 2 problem(s), 0 skipped" in result.output


def test_batch_refuses_a_line_with_a_duplicate_key_or_nested_too_deeply_and_answers_the_rest(
    tmp_path: Path, engine: Any
) -> None:
    source = tmp_path / "in.jsonl"
    good = json.dumps(CONTEXTS[0])
    twice = good[:-1] + ', "age": 90}'  # json.loads would silently plan a 90-year-old
    source.write_text("\n".join([twice, "[" * 100_000 + "]" * 100_000, good]) + "\n")
    out = tmp_path / "out.jsonl"
    result = _batch(str(source), "--out", str(out))
    assert result.exit_code == 0, result.output
    first, deep, planned = _lines(out)
    assert first["status"] == 400
    assert "line 1 is not acceptable JSON: duplicate key 'age'" in first["problem"]["detail"]
    assert deep["status"] == 400 and "line 2 is not valid JSON" in deep["problem"]["detail"]
    assert planned["status"] == 200 and planned["recommendation"] == engine.recommend(CONTEXTS[0])


def test_batch_resumes_skipping_contexts_already_in_out_and_cuts_a_torn_last_line(
    tmp_path: Path,
) -> None:
    source = _write(tmp_path / "in.jsonl", CONTEXTS)
    out = tmp_path / "out.jsonl"
    assert _batch(str(source), "--out", str(out), "--workers", "1").exit_code == 0
    first = out.read_text(encoding="utf-8").splitlines()
    out.write_text("\n".join(first[:2]) + "\n" + first[2][:40], encoding="utf-8")  # killed
    result = _batch(str(source), "--out", str(out), "--workers", "2")
    assert result.exit_code == 0, result.output
    assert "4 planned, 0 problem(s), 2 skipped" in result.output
    assert out.read_text(encoding="utf-8").splitlines() == first  # same lines, in order


def test_batch_hands_chunks_over_in_spool_files_and_leaves_none_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))  # where TMPDIR would point
    source = _write(tmp_path / "in.jsonl", CONTEXTS)
    out = tmp_path / "out.jsonl"
    result = _batch(str(source), "--out", str(out), "--workers", "2", "--chunk-size", "2")
    assert result.exit_code == 0, result.output
    assert [i["athlete_id"] for i in _lines(out)] == [c["athlete_id"] for c in CONTEXTS]
    assert list(spool.iterdir()) == []


def test_recommend_many_gives_what_single_requests_give_in_one_process_and_in_a_pool(
    engine: Any,
) -> None:
    expected = [engine.recommend(c) for c in CONTEXTS]
    for workers in (1, 2):
        items = recommend_many([*CONTEXTS, BAD], engine=engine, workers=workers, chunksize=2)
        assert [i["recommendation"] for i in items[:-1]] == expected
        assert items[-1]["status"] == 422 and items[-1]["athlete_id"] == "bad-age"


def test_an_engine_spec_pickles_and_builds_the_same_ruleset_where_the_files_are_missing(
    engine: Any,
) -> None:
    spec = EngineSpec.of(engine)
    shipped = pickle.loads(pickle.dumps(spec))
    elsewhere = replace(  # as on a worker machine without these files: the texts are used
        shipped, files=tuple(("/nonexistent" + p, n, t) for p, n, t in shipped.files)
    )
    built = elsewhere.engine()
    try:
        assert built is not engine and built.ruleset.version == engine.ruleset.version
        assert len(built.ruleset.rules) == len(engine.ruleset.rules)
    finally:
        built.close()


def test_an_engine_spec_refuses_a_worker_whose_rules_come_out_different(engine: Any) -> None:
    spec = EngineSpec.of(engine)
    wrong = replace(spec, version="sha256:other", env=(("STRIDEWISE_X", "1"),))
    with pytest.raises(Exception, match="not sha256:other"):
        wrong.engine()


def test_a_dask_bag_of_contexts_planned_on_a_local_cluster_matches_the_local_run(
    engine: Any,
) -> None:
    db = pytest.importorskip("dask.bag")
    distributed = pytest.importorskip("distributed")
    spec = EngineSpec.of(engine)
    local = recommend_many(CONTEXTS, engine=engine)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dask's own deprecation and port notices
        with distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster, distributed.Client(cluster) as client:
            bag = db.from_sequence(CONTEXTS, npartitions=2)
            planned = bag.map_partitions(recommend_many, spec=spec).compute(scheduler=client)
            pids = client.run(os.getpid)
    assert list(planned) == local
    assert pids and os.getpid() not in pids.values()  # planned in another process


def test_batch_with_rules_that_do_not_load_says_where_without_a_traceback(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bad.yaml").write_text("ruleset: x\nrules:\n  - id: a\n    when: age >\n", "utf-8")
    source = _write(tmp_path / "in.jsonl", CONTEXTS[:1])
    result = _batch(str(source), "--out", str(tmp_path / "out.jsonl"), "--rules", str(rules))
    assert result.exit_code == 1 and "the rules do not load" in result.output
    assert "bad.yaml:4" in result.output and "Traceback" not in result.output


def test_a_spec_made_again_from_a_new_engine_uses_the_new_one_not_a_closed_one() -> None:
    old = Engine.create()
    EngineSpec.of(old)
    old.close()
    new = Engine.create()
    try:
        spec = EngineSpec.of(new)
        assert spec.engine() is new
        assert recommend_many(CONTEXTS[:1], spec=spec)[0]["status"] == 200
    finally:
        new.close()
