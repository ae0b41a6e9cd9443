"""Contexts per second on one machine: a process pool, Dask, Ray and Spark, same contexts.

    python tests/tools/cluster_throughput.py [--contexts 2000] [--workers 2] [--only pool,dask]

Each engine gets the same N contexts (the bench's 8 athletes with distinct ids, 7-day plans),
JSON text in, the items out, and must give what `recommend_many` gives in this process.
Start-up (cluster and engines) is timed apart from planning: the rate is for planning the
contexts once the workers are up, after one warm-up pass that builds each worker's engine;
`pool` is the `stridewise batch` command, timed whole (its start-up included, ~0.5 s).
Prints one line per engine and the load average; figures go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from collections.abc import Callable
from functools import partial
from typing import Any

import orjson
from stridewise.batch import EngineSpec, recommend_many
from stridewise.bench import RECOMMEND_CONTEXTS
from stridewise.dataframes import SPARK_SCHEMA, plan_columns, plan_frames
from stridewise.service import Engine


def contexts(count: int) -> list[str]:
    base = RECOMMEND_CONTEXTS
    return [json.dumps({**base[i % len(base)], "athlete_id": f"athlete-{i:06d}"})
            for i in range(count)]


def _pool(texts: list[str], spec: EngineSpec, workers: int) -> Callable[[], list[str]]:
    """`stridewise batch IN.jsonl --out OUT.jsonl --workers N`, the command itself."""
    import subprocess
    import tempfile

    folder = tempfile.mkdtemp(prefix="stridewise-throughput-")
    source = os.path.join(folder, "in.jsonl")
    with open(source, "w", encoding="utf-8") as handle:
        handle.write("\n".join(texts) + "\n")
    command = [sys.executable, "-m", "stridewise", "batch", source, "--workers", str(workers),
               "--no-progress", "--out"]

    def run() -> list[str]:
        out = os.path.join(folder, "out.jsonl")
        if os.path.exists(out):
            os.remove(out)
        subprocess.run([*command, out], check=True, capture_output=True)
        with open(out, encoding="utf-8") as handle:
            return handle.read().splitlines()
    return run


def _dask(texts: list[str], spec: EngineSpec, workers: int) -> Callable[[], list[Any]]:
    import dask.bag as db
    import distributed

    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                       processes=True, dashboard_address=None)
    client = distributed.Client(cluster)

    def run() -> list[Any]:
        bag = db.from_sequence(texts, npartitions=workers * 8).map(json.loads)
        return list(bag.map_partitions(recommend_many, spec=spec).compute(scheduler=client))
    return run


def _ray(texts: list[str], spec: EngineSpec, workers: int) -> Callable[[], list[Any]]:
    import ray

    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False,
             configure_logging=False)

    def run() -> list[Any]:
        ds = ray.data.from_items([{"context": t} for t in texts])
        return ds.map_batches(plan_columns, fn_kwargs={"spec": spec},
                              batch_size=256).take_all()
    return run


def _spark(texts: list[str], spec: EngineSpec, workers: int) -> Callable[[], list[Any]]:
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (SparkSession.builder.master(f"local[{workers}]").config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    frame = spark.createDataFrame([(t,) for t in texts], "context string").repartition(
        workers * 4).cache()
    frame.count()

    def run() -> list[Any]:
        return frame.mapInPandas(partial(plan_frames, spec=spec), SPARK_SCHEMA).collect()
    return run


ENGINES = {"pool": _pool, "dask": _dask, "ray": _ray, "spark": _spark}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contexts", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default=",".join(ENGINES))
    args = parser.parse_args()
    texts = contexts(args.contexts)
    engine = Engine.create()
    spec = EngineSpec.of(engine)
    expected = [orjson.dumps(i).decode()
                for i in recommend_many([json.loads(t) for t in texts], engine=engine)]
    for name in args.only.split(","):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            started = time.perf_counter()
            run = ENGINES[name](texts, spec, args.workers)
            run()  # warm-up: each worker builds its engine
            ready = time.perf_counter() - started
            started = time.perf_counter()
            out = run()
            seconds = time.perf_counter() - started
        _check(name, out, expected)
        print(f"{name:6} {args.workers} workers: {len(texts) / seconds:8,.0f} contexts/s "
              f"({len(texts)} in {seconds:.2f} s; up and warm in {ready:.1f} s)", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f}")
    os._exit(0)  # clusters' background threads need not be waited for


def _check(name: str, out: list[Any], expected: list[str]) -> None:
    if name == "pool":
        got = [orjson.dumps({k: v for k, v in json.loads(line).items() if k != "line"}).decode()
               for line in out]
    elif name == "dask":
        got = [orjson.dumps(i).decode() for i in out]
    else:
        by_id = {r["athlete_id"]: r["result"] for r in out}
        got = [by_id[json.loads(e)["athlete_id"]] for e in expected]
    if got != expected:
        raise SystemExit(f"{name}: results differ from the local run")


if __name__ == "__main__":
    main()
