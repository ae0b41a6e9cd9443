"""`stridewise serve`: the HTTP API under gunicorn, one threaded worker process per CPU.

The serving model (docs/deploying.md, "Serving model"): processes for CPU, a few dozen threads
each for waiting clients, every request read whole under a deadline before the app runs
(`stridewise.commands.worker`). The app is built in every worker after the fork (no preload),
so no durable-rules state crosses a fork. Before forking, the master validates the rules once
(pure-Python backend) and seeds the last good snapshot every worker falls back to when the live
files are broken. SIGTERM and SIGINT both stop gracefully: the arbiter stops accepting, lets
workers finish their requests (up to --graceful-timeout) and exits 0.
"""

from __future__ import annotations

import gc
import math
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import click
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter

from .worker import StridewiseWorker

__all__ = [
    "StridewiseServer", "StridewiseWorker", "cpu_quota", "default_workers", "serve", "settle_heap",
]

CGROUP_ROOT = Path("/sys/fs/cgroup")


def cpu_quota(root: Path = CGROUP_ROOT) -> int | None:
    """CPUs the container may use by its cgroup quota (cgroup v2 `cpu.max`, v1 `cpu.cfs_*`),
    rounded up; None when there is no quota."""
    try:
        text = (root / "cpu.max").read_text().split()
        if text and text[0] != "max":
            return max(1, math.ceil(int(text[0]) / int(text[1])))
        if text:
            return None
    except (OSError, ValueError, IndexError):
        pass
    try:
        quota = int((root / "cpu" / "cpu.cfs_quota_us").read_text())
        period = int((root / "cpu" / "cpu.cfs_period_us").read_text())
    except (OSError, ValueError):
        return None
    return max(1, math.ceil(quota / period)) if quota > 0 and period > 0 else None


def default_workers(root: Path = CGROUP_ROOT) -> int:
    """One worker per CPU this process may use: its cores, capped by the cgroup CPU quota."""
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        cores = max(1, os.cpu_count() or 1)
    quota = cpu_quota(root)
    return min(cores, quota) if quota else cores


class _GracefulArbiter(Arbiter):
    """An arbiter that treats SIGINT like SIGTERM: finish in-flight requests, then exit."""

    def handle_int(self) -> None:
        self.handle_term()


def _on_starting(server: Any) -> None:
    """Start multiprocess metrics from zero: remove samples a previous run left behind."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            if name.endswith(".db"):
                os.remove(os.path.join(directory, name))


def _child_exit(server: Any, worker: Any) -> None:
    """Tell prometheus_client a worker is gone (multiprocess mode only)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


class StridewiseServer(BaseApplication):
    """gunicorn configured from a dict, serving `web.create_app(app_config)` in each worker."""

    def __init__(self, options: dict[str, Any], app_config: dict[str, Any]) -> None:
        self.options = options
        self.app_config = app_config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)

    def load(self) -> Any:
        from stridewise.web import create_app

        app = create_app(self.app_config)
        settle_heap()
        return app

    def run(self) -> None:
        _GracefulArbiter(self).run()


def settle_heap() -> None:
    """Move what the worker has built (engine, catalog, app) out of the garbage collector's
    reach: a full collection over it took 10-16 ms, a request's p99 (docs/performance.md)."""
    gc.collect()
    gc.freeze()


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, envvar="STRIDEWISE_HOST",
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=8000, show_default=True, type=int, envvar="STRIDEWISE_PORT",
              help="TCP port to listen on.")
@click.option("--workers", type=click.IntRange(min=1), default=None, envvar="STRIDEWISE_WORKERS",
              help="Worker processes (default: one per CPU, capped by the cgroup CPU quota).")
@click.option("--threads", type=click.IntRange(min=1), default=64, show_default=True,
              envvar="STRIDEWISE_THREADS",
              help="Threads per worker: connections one worker serves at once.")
@click.option("--read-timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              envvar="STRIDEWISE_READ_TIMEOUT",
              help="Seconds a client gets to send a whole request (else 408).")
@click.option("--rules", type=click.Path(exists=True, file_okay=False), default=None,
              help="Ruleset directory to serve instead of the bundled and plugin rulesets.")
@click.option("--reload/--no-reload", "reload_", default=None,
              help="Watch the rule files and swap in valid edits (default: on).")
@click.option("--timeout", type=int, default=30, show_default=True,
              help="Seconds a worker may go without a heartbeat before gunicorn replaces it.")
@click.option("--graceful-timeout", type=int, default=20, show_default=True,
              help="Seconds workers get to finish requests on shutdown or recycle.")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["debug", "info", "warning", "error"]),
              help="gunicorn's own log level (the app logs JSON lines to stderr).")
def serve(
    host: str,
    port: int,
    workers: int | None,
    threads: int,
    read_timeout: float,
    rules: str | None,
    reload_: bool | None,
    timeout: int,
    graceful_timeout: int,
    log_level: str,
) -> None:
    """Serve the HTTP API with gunicorn (Ctrl-C or SIGTERM stops it gracefully)."""
    temporary: list[str] = []
    master = os.getpid()  # workers are forks that leave through this frame too: not theirs
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # before any worker imports the client
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = _tempdir("stridewise-metrics-", temporary)
    app_config: dict[str, Any] = {"SERVER": "gunicorn"}
    if rules is not None:
        app_config["RULES"] = os.path.abspath(rules)
    if reload_ is not None:
        app_config["RELOAD"] = reload_
    app_config["SNAPSHOT_DIR"] = os.environ.get("STRIDEWISE_SNAPSHOT_DIR") or _tempdir(
        "stridewise-snapshot-", temporary
    )
    from stridewise.web.logs import configure_logging

    configure_logging()  # the master's own lines (preflight, plugin problems) are JSON too
    try:
        _preflight(app_config)
        _share_with_workers()
        StridewiseWorker.read_timeout = read_timeout
        _run(app_config, host, port, workers, threads, timeout, graceful_timeout, log_level)
    finally:
        if os.getpid() == master:
            for directory in temporary:
                shutil.rmtree(directory, ignore_errors=True)


def _tempdir(prefix: str, created: list[str]) -> str:
    directory = tempfile.mkdtemp(prefix=prefix)
    created.append(directory)
    return directory


def _preflight(app_config: dict[str, Any]) -> None:
    """Validate the rules in the master (pure-Python backend: no durable state crosses the
    fork) and seed the last good snapshot; broken rules at start-up stop with the diagnostics."""
    from stridewise.errors import StridewiseError
    from stridewise.service import Engine
    from stridewise.web.auth import KEYS_ENV, parse_keys

    rules = app_config.get("RULES")
    try:
        parse_keys(os.environ.get(KEYS_ENV))  # fails closed: a malformed value stops here
        engine = Engine.create(
            rules=rules, backend="python", snapshot_dir=app_config["SNAPSHOT_DIR"]
        )
    except StridewiseError as err:
        raise click.ClickException(f"cannot serve: {err}") from None
    engine.close()


def _share_with_workers() -> None:
    """Import in the master every module a worker's app uses, then freeze the heap.

    Modules are code and constants: safe to share across the fork, and a worker then spends
    its start-up building its app and engine, not compiling and executing imports (durable
    rulesets are still only ever created after the fork). `gc.freeze()` moves what the master
    holds out of the collector's reach, so a worker's collections do not walk (and copy, page
    by page) the inherited heap.
    """
    import stridewise.web.multiproc  # noqa: F401 - the collector of every worker's /metrics
    from stridewise.web import api, explain, ical, impact, workbench  # noqa: F401

    settle_heap()


def _run(
    app_config: dict[str, Any], host: str, port: int, workers: int | None, threads: int,
    timeout: int, graceful_timeout: int, log_level: str,
) -> None:
    options = {
        "bind": _bind(host, port),
        "workers": workers or default_workers(),
        "worker_class": "stridewise.commands.worker.StridewiseWorker",
        "threads": threads,
        "worker_connections": max(1000, threads * 4),
        "timeout": timeout,
        "graceful_timeout": graceful_timeout,
        "preload_app": False,
        "accesslog": None,
        "errorlog": "-",
        "logger_class": "stridewise.commands.worker.JsonLogger",
        "loglevel": log_level,
        "proc_name": "stridewise",
        "on_starting": _on_starting,
        "child_exit": _child_exit,
        "control_socket_disable": True,  # gunicorn >= 24's control socket: not used by us
    }
    StridewiseServer(options, app_config).run()
