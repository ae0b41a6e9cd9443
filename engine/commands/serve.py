"""`stridewise serve`: the HTTP API under gunicorn, one sync worker process per core.

durable-rules is not thread-safe (design §3), so we scale with processes: sync workers, one
request at a time each, the app built in every worker after the fork (no preload). SIGTERM and
SIGINT both stop gracefully: the arbiter stops accepting, lets workers finish their requests
(up to --graceful-timeout) and exits 0.
"""

from __future__ import annotations

import os
import signal
from typing import Any

import click
from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.workers.sync import SyncWorker

__all__ = ["GracefulSyncWorker", "StridewiseServer", "serve"]


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class GracefulSyncWorker(SyncWorker):
    """gunicorn's sync worker, with SIGINT (Ctrl-C reaches every process) made graceful."""

    def init_signals(self) -> None:
        super().init_signals()
        signal.signal(signal.SIGINT, self.handle_exit)


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

        return create_app(self.app_config)

    def run(self) -> None:
        _GracefulArbiter(self).run()


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, envvar="STRIDEWISE_HOST",
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=8000, show_default=True, type=int, envvar="STRIDEWISE_PORT",
              help="TCP port to listen on.")
@click.option("--workers", type=click.IntRange(min=1), default=None, envvar="STRIDEWISE_WORKERS",
              help="Worker processes (default: one per core).")
@click.option("--rules", type=click.Path(exists=True, file_okay=False), default=None,
              help="Ruleset directory to serve instead of the bundled and plugin rulesets.")
@click.option("--reload/--no-reload", "reload_", default=None,
              help="Watch the rule files and swap in valid edits (default: on).")
@click.option("--timeout", type=int, default=30, show_default=True,
              help="Seconds a request may take before gunicorn restarts its worker.")
@click.option("--graceful-timeout", type=int, default=20, show_default=True,
              help="Seconds workers get to finish requests on shutdown or recycle.")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["debug", "info", "warning", "error"]),
              help="gunicorn's own log level (the app logs JSON lines to stderr).")
def serve(
    host: str,
    port: int,
    workers: int | None,
    rules: str | None,
    reload_: bool | None,
    timeout: int,
    graceful_timeout: int,
    log_level: str,
) -> None:
    """Serve the HTTP API with gunicorn (Ctrl-C or SIGTERM stops it gracefully)."""
    app_config: dict[str, Any] = {"SERVER": "gunicorn"}
    if rules is not None:
        app_config["RULES"] = os.path.abspath(rules)
    if reload_ is not None:
        app_config["RELOAD"] = reload_
    options = {
        "bind": _bind(host, port),
        "workers": workers or default_workers(),
        "worker_class": "stridewise.commands.serve.GracefulSyncWorker",
        "timeout": timeout,
        "graceful_timeout": graceful_timeout,
        "preload_app": False,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": log_level,
        "proc_name": "stridewise",
        "on_starting": _on_starting,
        "child_exit": _child_exit,
        "control_socket_disable": True,  # gunicorn >= 24's control socket: not used by us
    }
    StridewiseServer(options, app_config).run()
