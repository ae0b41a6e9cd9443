"""Contexts as columns (`stridewise.dataframes`): what Ray Data's `map_batches` and Spark's
`mapInPandas` run, checked as functions and on a real local Ray and Spark, plus the recipes of
docs/deploying.md naming only what exists."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import sys
import warnings
from functools import partial
from pathlib import Path
from typing import Any

import orjson
import pytest
from stridewise.batch import EngineSpec, recommend_many
from stridewise.dataframes import COLUMNS, SPARK_SCHEMA, plan_columns, plan_frames
from stridewise.samples import load_samples
from stridewise.service import Engine

CONTEXTS = load_samples()[:8]
DOCS = Path(__file__).resolve().parent.parent / "docs" / "deploying.md"


def _unavailable(reason: str, install: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the cluster recipes must run; {install})")
    pytest.skip(f"{reason}; {install}")


@pytest.fixture(scope="module")
def engine() -> Any:
    built = Engine.create()
    yield built
    built.close()


@pytest.fixture(scope="module")
def spec(engine: Any) -> EngineSpec:
    return EngineSpec.of(engine)


@pytest.fixture(scope="module")
def local(engine: Any) -> list[str]:
    """Each context's item as `recommend_many` gives it in this process, as JSON text."""
    return [orjson.dumps(item).decode() for item in recommend_many(CONTEXTS, engine=engine)]


def test_a_batch_of_json_texts_gives_one_row_per_context_in_order_as_recommend_many_does(
    spec: EngineSpec, local: list[str], engine: Any
) -> None:
    out = plan_columns({"context": [json.dumps(c) for c in CONTEXTS]}, spec=spec)
    assert list(out) == list(COLUMNS)
    assert out["result"] == local
    assert out["athlete_id"] == [c["athlete_id"] for c in CONTEXTS]
    assert set(out["status"]) == {200}
    assert set(out["ruleset_version"]) == {engine.ruleset.version}


def test_parsed_contexts_and_bytes_plan_the_same_as_text(
    spec: EngineSpec, local: list[str]
) -> None:
    mixed = [c if i % 2 else json.dumps(c).encode() for i, c in enumerate(CONTEXTS)]
    assert plan_columns({"context": mixed}, spec=spec)["result"] == local


def test_a_row_that_is_not_json_or_not_valid_gets_its_problem_and_the_others_their_plans(
    spec: EngineSpec,
) -> None:
    rows = [json.dumps(CONTEXTS[0]), "{torn", json.dumps({"athlete_id": "a", "age": "forty"})]
    out = plan_columns({"context": rows}, spec=spec)
    assert out["status"] == [200, 400, 422]
    torn, invalid = (json.loads(r) for r in out["result"][1:])
    assert "row 1 of the batch is not valid JSON" in torn["problem"]["detail"]
    assert out["athlete_id"][2] == "a"
    assert "/age" in json.dumps(invalid["problem"])


def test_a_batch_without_the_context_column_says_which_columns_it_has(spec: EngineSpec) -> None:
    with pytest.raises(KeyError, match=r"no column 'context' \(it has \['text'\]\).*column="):
        plan_columns({"text": ["{}"]}, spec=spec)
    assert plan_columns({"text": [json.dumps(CONTEXTS[0])]}, spec=spec,
                        column="text")["status"] == [200]


def test_pandas_frames_as_map_in_pandas_passes_them_come_back_as_frames_of_the_schema_columns(
    spec: EngineSpec, local: list[str]
) -> None:
    pandas = pytest.importorskip("pandas")
    texts = [json.dumps(c) for c in CONTEXTS]
    frames = [pandas.DataFrame({"context": texts[:3]}), pandas.DataFrame({"context": texts[3:]})]
    out = list(plan_frames(iter(frames), spec=spec))
    assert [len(f) for f in out] == [3, len(texts) - 3]
    assert all(list(f.columns) == list(COLUMNS) for f in out)
    assert [r for f in out for r in f["result"]] == local
    schema_columns = [part.split()[0] for part in SPARK_SCHEMA.split(",")]
    assert schema_columns == list(COLUMNS)


def test_a_ray_dataset_planned_with_map_batches_on_a_local_ray_matches_the_local_run(
    spec: EngineSpec, local: list[str]
) -> None:
    if sys.version_info >= (3, 14):
        pytest.skip("the test extra installs ray only below Python 3.14 (no wheels yet)")
    try:
        import ray
    except ImportError:
        _unavailable("ray is not installed", "pip install -e '.[test]' installs ray[data]")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Ray's own deprecation notices about its options
        rows, pids = _on_ray(ray, spec)
    assert [r["result"] for r in rows] == local
    assert os.getpid() not in pids  # planned in Ray's worker processes


def _on_ray(ray: Any, spec: EngineSpec) -> tuple[list[Any], list[int]]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             configure_logging=False)
    try:  # blocks run in parallel; without preserve_order take_all gives them as they finish
        ray.data.DataContext.get_current().execution_options.preserve_order = True
        ds = ray.data.from_items([{"context": json.dumps(c)} for c in CONTEXTS])
        rows = ds.map_batches(plan_columns, fn_kwargs={"spec": spec}, batch_size=3).take_all()
        pid = ray.remote(lambda: os.getpid())
        pids = ray.get([pid.remote() for _ in range(2)])
    finally:
        ray.shutdown()
    return rows, pids


def test_a_spark_frame_planned_with_map_in_pandas_on_local_spark_matches_the_local_run(
    spec: EngineSpec, local: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        _unavailable("pyspark is not installed", "pip install -e '.[test]' installs pyspark")
    if not shutil.which("java"):
        _unavailable("Spark needs Java and there is no `java`",
                     "apt-get install -y default-jre-headless (.ci/run does)")
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)  # Spark's workers run this venv
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Spark's notices about pandas and Java versions
        rows = _on_spark(SparkSession, spec)
    by_athlete = {r.athlete_id: r.result for r in rows}
    assert len(rows) == len(CONTEXTS)
    assert [by_athlete[c["athlete_id"]] for c in CONTEXTS] == local
    assert {r.status for r in rows} == {200}


def _on_spark(session: Any, spec: EngineSpec) -> list[Any]:
    spark = (session.builder.master("local[2]").appName("stridewise-test")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    try:
        spark.sparkContext.setLogLevel("ERROR")
        frame = spark.createDataFrame([(json.dumps(c),) for c in CONTEXTS], "context string")
        rows = frame.repartition(2).mapInPandas(partial(plan_frames, spec=spec),
                                                SPARK_SCHEMA).collect()
    finally:
        spark.stop()
    return rows


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_cluster_recipes_in_the_deploying_guide_parse_and_name_only_what_exists() -> None:
    import stridewise
    import stridewise.batch
    import stridewise.dataframes

    blocks = _python_blocks(DOCS.read_text(encoding="utf-8"))
    assert len(blocks) >= 4, "the Dask, Ray and Spark recipes are python blocks"
    named, imported = set(), set()
    for block in blocks:
        for node in ast.walk(ast.parse(block)):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id == "stridewise":
                named.add(node.attr)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("stridewise"):
                module = sys.modules[node.module or ""]
                for alias in node.names:
                    assert hasattr(module, alias.name), f"{node.module}.{alias.name}"
                    imported.add(alias.name)
    assert "recommend_many" in named
    assert {"EngineSpec", "plan_columns", "plan_frames", "SPARK_SCHEMA"} <= imported
    for name in named:
        assert getattr(stridewise, name, None) is not None, f"stridewise.{name}"
