"""Many recommendations at once: `recommend_many`, in this process, a process pool, or on the
workers of a cluster engine (Dask, Ray, Spark), with `EngineSpec` to build the same engine there.

Each context gets one item, in input order: `{"athlete_id", "ruleset", "status": 200,
"recommendation"}`, or `{"athlete_id", "ruleset", "status", "problem"}` with the problem object
the HTTP endpoint would have answered. `ruleset` is the name and version that planned it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stridewise.errors import ContextError, RuleCycleError, StridewiseError
from stridewise.jsonstrict import BodyError, loads_strict
from stridewise.problem_details import (
    context_problem,
    cycle_problem,
    failure_problem,
    problem_body,
    problem_type,
)
from stridewise.service import Engine

__all__ = ["EngineSpec", "answer", "answer_text", "recommend_many", "worker_engine"]

ENV_PREFIX = "STRIDEWISE_"
log = logging.getLogger("stridewise.batch")


@dataclass(frozen=True)
class EngineSpec:
    """What a worker needs to build the engine this one is: the rule files (path here, name,
    text), the plugins (None: the worker's installed entry points), backend and environment.

    It pickles (plugin objects by reference, as cloudpickle and pickle do), so a Dask, Ray or
    Spark task can carry it; `engine()` builds the engine once per process. A worker that has
    the same files at the same paths loads them there; one that has not writes the shipped
    texts to a private directory. Either way the ruleset version must come out the same.
    """

    name: str
    version: str
    files: tuple[tuple[str, str, str], ...]
    plugins: tuple[tuple[str, object], ...] | None = None
    backend: str = "auto"
    env: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(
        cls,
        engine: Engine,
        *,
        plugins: Mapping[str, object] | Iterable[tuple[str, object]] | None = None,
        env: Mapping[str, str] = os.environ,
    ) -> EngineSpec:
        """The spec of `engine`; pass the `plugins` it was created with, if any."""
        from stridewise.rules import rule_files

        files = tuple(
            (str(path), path.name, path.read_text(encoding="utf-8"))
            for path in rule_files(engine.paths)
        )
        given = None if plugins is None else tuple(
            plugins.items() if isinstance(plugins, Mapping) else plugins
        )
        spec = cls(
            engine.ruleset.name, engine.ruleset.version, files, given, engine.backend,
            tuple(sorted((k, v) for k, v in env.items() if k.startswith(ENV_PREFIX))),
        )
        _ENGINES[spec.key] = engine  # this process has it: the latest engine for the spec
        return spec

    @property
    def key(self) -> tuple[Any, ...]:
        plugins = None if self.plugins is None else tuple(n for n, _ in self.plugins)
        paths = tuple(path for path, _, _ in self.files)
        return (self.name, self.version, paths, self.backend, plugins, self.env)

    def engine(self) -> Engine:
        """This spec's engine in this process, built on first use."""
        found = _ENGINES.get(self.key)
        if found is None:
            found = _ENGINES[self.key] = self._build()
        return found

    def _build(self) -> Engine:
        from stridewise.catalog import build_catalog
        from stridewise.plugin_manager import load_plugins

        env = {**os.environ, **dict(self.env)}
        if self.plugins is None:
            loaded = load_plugins(env=env)
        else:
            loaded = load_plugins(env=env, entry_points=False, extra=self.plugins)
        engine = Engine(plugins=loaded, catalog=build_catalog(loaded), paths=self._paths(),
                        name=self.name, backend=self.backend)
        if engine.ruleset.version != self.version:
            engine.close()
            raise StridewiseError(
                f"the worker built ruleset {self.name} {engine.ruleset.version}, not "
                f"{self.version}: its plugins differ from the ones the spec was made with."
            )
        return engine

    def _paths(self) -> list[Path]:
        """The rule files here when they are the shipped ones, else the shipped texts in a
        private directory (same file names in the same order, so the same version)."""
        if all(_has(path, text) for path, _, text in self.files):
            return [Path(path) for path, _, _ in self.files]
        root = Path(tempfile.mkdtemp(prefix="stridewise-rules-"))
        out = []
        for number, (_, name, text) in enumerate(self.files):
            folder = root / f"{number:05d}"
            folder.mkdir()
            (folder / name).write_text(text, encoding="utf-8")
            out.append(folder / name)
        return out


_ENGINES: dict[tuple[Any, ...], Engine] = {}


def _has(path: str, text: str) -> bool:
    try:
        return Path(path).read_text(encoding="utf-8") == text
    except OSError:
        return False


def answer(engine: Engine, context: Any) -> dict[str, Any]:
    """One batch item for one context: its recommendation or its problem object."""
    athlete = context.get("athlete_id") if isinstance(context, dict) else None
    item: dict[str, Any] = {
        "athlete_id": athlete if isinstance(athlete, str) else None,
        "ruleset": engine.ruleset.ref(),
    }
    try:
        recommendation = engine.recommend(context)
    except ContextError as exc:
        problem = context_problem(exc)
    except RuleCycleError as exc:
        problem = cycle_problem(exc)
    except Exception as exc:  # one bad context must not cost the others their answers
        log.exception("context for athlete %r failed", item["athlete_id"])
        problem = failure_problem(exc)
    else:
        item.update(status=200, recommendation=recommendation)
        return item
    item.update(status=problem["status"], problem=problem)
    return item


def answer_text(engine: Engine, text: str | bytes, where: str) -> dict[str, Any]:
    """One batch item for one context given as JSON text; `where` names it in the problem a
    text that is not JSON gets (`line 7`, `row 3`)."""
    try:
        context = loads_strict(text)
    except BodyError as err:
        detail = f"{where} is not acceptable JSON: {err}"
    except (ValueError, RecursionError) as err:
        detail = f"{where} is not valid JSON: {err}"
    else:
        return answer(engine, context)
    return {"athlete_id": None, "ruleset": engine.ruleset.ref(),
            "status": 400, "problem": problem_body(
                400, title="Invalid JSON", type_=problem_type("invalid-json"), detail=detail)}


def recommend_many(
    contexts: Iterable[Any],
    *,
    engine: Engine | None = None,
    spec: EngineSpec | None = None,
    workers: int = 1,
    chunksize: int = 64,
) -> list[dict[str, Any]]:
    """One item per context, in order (see the module docstring), planned by `engine`, or the
    engine `spec` describes (built once per process: the form a cluster task calls), or the
    default engine; `workers` > 1 spreads chunks over a pool of processes, one engine each."""
    if workers <= 1:
        here = engine or (spec.engine() if spec is not None else _default_engine())
        return [answer(here, context) for context in contexts]
    if spec is None:
        spec = EngineSpec.of(engine or _default_engine())
    chunks = _chunks(list(contexts), chunksize)
    with worker_pool(spec, workers) as pool:
        return [item for part in pool.imap(_answer_chunk, chunks) for item in part]


def _default_engine() -> Engine:
    spec = _DEFAULT.get("spec")
    if spec is None:
        engine = Engine.create()
        _DEFAULT["spec"] = spec = EngineSpec.of(engine)
    return spec.engine()


_DEFAULT: dict[str, EngineSpec] = {}


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def worker_pool(spec: EngineSpec, workers: int) -> Any:
    """A process pool whose every process has `spec`'s engine (forked with it where the
    platform forks: a worker is ready at once; elsewhere each builds it on start)."""
    spec.engine()  # forked workers inherit it, built once
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    return context.Pool(workers, initializer=_start_worker, initargs=(spec,))


_WORKER: dict[str, Engine] = {}


def _start_worker(spec: EngineSpec) -> None:
    _WORKER["engine"] = spec.engine()


def worker_engine() -> Engine:
    """The engine of this pool worker (set when the worker started)."""
    return _WORKER["engine"]


def _answer_chunk(contexts: Sequence[Any]) -> list[dict[str, Any]]:
    engine = worker_engine()
    return [answer(engine, context) for context in contexts]
