"""The app factory: config, engine, blueprints, problems, auth, metrics, logs and reload.

Configuration comes from DEFAULTS, then `STRIDEWISE_*` environment variables (values parsed as
JSON when they parse, so STRIDEWISE_RELOAD=false is a boolean), then the mapping passed to
`create_app` (tests, `stridewise serve` flags). docs/configuration.md lists every key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from flask import Flask
from flask_smorest import Api
from stridewise.service import Engine

from .auth import install_auth
from .hooks import install_hooks
from .jsonout import FastJSONProvider
from .logs import configure_logging
from .metrics import Metrics
from .problems import register_error_handlers
from .reload import RulesWatcher, gunicorn_recycle, watched_dirs
from .schemas import ProblemSchema
from .state import WebState

__all__ = ["DEFAULTS", "create_app"]

KIB = 1024
DEFAULTS: dict[str, Any] = {
    "RULES": None,  # rule directories (os.pathsep-separated); None = bundled + plugin rulesets
    "BACKEND": "auto",
    "ENGINE": None,  # a ready Engine (tests); otherwise Engine.create() from the keys above
    "API_KEYS": None,  # None = the API is open; see web/auth.py for what a value may be
    "METRICS_REQUIRE_KEY": False,  # also require an API key on /metrics
    "RELOAD": True,
    "RELOAD_INTERVAL": 1.0,
    "RELOAD_SETTLE": 1.0,   # seconds rule files must be unmodified before a reload reads them
    "RELOAD_BACKGROUND": True,  # compile edits in a background thread, never in a request
    "DECISION_LOG": None,  # None = off; "stdout", or a file path (rotated by size)
    "DECISION_LOG_MAX_BYTES": 10 * 1024 * 1024,
    "DECISION_LOG_BACKUPS": 5,
    "DECISION_LOG_QUEUE": 1000,  # entries waiting for the writer; beyond it they are dropped
    "SNAPSHOT_DIR": None,  # where the last good ruleset is kept (`stridewise serve` sets it)
    "RECYCLE_AFTER_RELOADS": 50,
    "SERVER": None,  # "gunicorn" under `stridewise serve`: enables worker recycling
    "MAX_CONTENT_LENGTH": 256 * KIB,
    "BATCH_MAX_CONTENT_LENGTH": 8 * KIB * KIB,
    "BATCH_MAX_ITEMS": 1000,
    "ACCESS_LOG": True,
    "LOG_LEVEL": "INFO",
    "API_TITLE": "Stridewise",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/docs/assets/",
}
RAW_STRINGS = ("API_KEYS",)  # env values never parsed as JSON


class ProblemApi(Api):
    """flask-smorest's Api, documenting errors as RFC 9457 problems."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        register_error_handlers(self._app)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Stridewise web app (see module docstring for where config comes from)."""
    app = Flask("web")
    app.json = FastJSONProvider(app)
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env("STRIDEWISE")
    for key in RAW_STRINGS:  # taken as typed: "1.50" must not become the number 1.5
        if f"STRIDEWISE_{key}" in os.environ:
            app.config[key] = os.environ[f"STRIDEWISE_{key}"]
    if config:
        app.config.update(config)
    app.json.sort_keys = False
    _configure_logging(app)

    engine = app.config["ENGINE"] or _build_engine(app.config)
    metrics = Metrics()
    watcher = None
    if app.config["RELOAD"]:
        watcher = RulesWatcher(
            engine,
            watched_dirs(app.config["RULES"], engine),
            interval=float(app.config["RELOAD_INTERVAL"]),
            recycle_after=int(app.config["RECYCLE_AFTER_RELOADS"]),
            recycle=gunicorn_recycle if app.config["SERVER"] == "gunicorn" else None,
            metrics=metrics,
            background=bool(app.config["RELOAD_BACKGROUND"]),
        )
    app.extensions["stridewise"] = WebState(
        engine, watcher, metrics, _decision_log(app.config, metrics), _plugin_versions(engine)
    )

    api = ProblemApi(app, spec_kwargs={"info": {"description": _description()}})
    from . import explain, impact, workbench
    from .api import blueprints, register_plain_routes

    for blueprint in blueprints():
        api.register_blueprint(blueprint)
    api.register_blueprint(workbench.api)
    api.register_blueprint(impact.api)
    api.register_blueprint(explain.api)
    app.register_blueprint(workbench.page)  # the page at / (Swagger UI stays at /docs)
    register_plain_routes(app)
    install_hooks(app)
    install_auth(app)  # after the request-id hook, so a 401 carries the id too
    return app


def _build_engine(config: Mapping[str, Any]) -> Engine:
    rules = config["RULES"]
    if isinstance(rules, str):
        rules = [Path(p) for p in rules.split(os.pathsep) if p]
    return Engine.create(
        rules=rules or None,
        backend=str(config["BACKEND"]),
        snapshot_dir=config["SNAPSHOT_DIR"] or None,
        settle=float(config["RELOAD_SETTLE"]),
    )


def _decision_log(config: Mapping[str, Any], metrics: Metrics) -> Any:
    """The decision log when STRIDEWISE_DECISION_LOG names a sink (else None: off)."""
    sink = config["DECISION_LOG"]
    if not sink:
        return None
    from stridewise.decisions import DecisionLog

    return DecisionLog(
        str(sink),
        max_bytes=int(config["DECISION_LOG_MAX_BYTES"]),
        backups=int(config["DECISION_LOG_BACKUPS"]),
        queue_size=int(config["DECISION_LOG_QUEUE"]),
        on_drop=metrics.decisions_dropped.inc,
    )


def _plugin_versions(engine: Engine) -> list[dict[str, Any]]:
    listing = engine.plugins.to_json()
    return [{"name": p.get("name"), "version": p.get("version")} for p in listing
            if p.get("status") == "loaded"]


def _description() -> str:
    try:
        version = metadata.version("stridewise")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return (
        f"Stridewise {version}: periodized strength training for runners. "
        "Errors are RFC 9457 application/problem+json."
    )


def _configure_logging(app: Flask) -> None:
    """Send stridewise.* logs to stderr as JSON lines (once per process)."""
    configure_logging(str(app.config["LOG_LEVEL"]))
