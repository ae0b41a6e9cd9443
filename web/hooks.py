"""What every request gets around its view: a request id, the reload poll, the version
headers, an ETag, its metrics and its access-log line.

These run on every request, so they touch Flask's `request` and `g` proxies once each (a proxy
access costs ~1 µs; the hooks made ~35) and do nothing a response or a log line does not show.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

from .logs import REQUEST_CONTEXT, log_info
from .state import WebState

__all__ = ["install_hooks"]

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
access_log = logging.getLogger("stridewise.access")


def install_hooks(app: Flask) -> None:
    """Request id, reload poll, version headers, ETag, metrics and the access log."""

    extensions = app.extensions
    config = app.config

    @app.before_request
    def _start() -> None:
        # the request and g looked up once each: every access through Flask's proxies costs
        # ~1 µs, and a request made ~35 of them
        req = request._get_current_object()  # type: ignore[attr-defined]
        ctx = g._get_current_object()
        incoming = req.headers.get("X-Request-ID", "")
        ctx.request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        REQUEST_CONTEXT.request_id = ctx.request_id  # for log lines outside Flask (gunicorn's)
        ctx.started = time.perf_counter()
        watcher = extensions["stridewise"].watcher
        if watcher is not None:
            watcher.poll()

    @app.teardown_request
    def _forget(_exc: BaseException | None) -> None:
        REQUEST_CONTEXT.request_id = None

    @app.after_request
    def _finish(response: Response) -> Response:
        web: WebState = extensions["stridewise"]
        req = request._get_current_object()  # type: ignore[attr-defined]
        ctx = g._get_current_object()
        version = web.ruleset_version()
        request_id = getattr(ctx, "request_id", None)
        response.headers["X-Request-ID"] = request_id or ""
        if version:
            response.headers["X-Stridewise-Ruleset-Version"] = version
            web.metrics.observe_ruleset(getattr(web.engine.ruleset, "name", None), version)
        if response.status_code == 200 and response.is_json and not response.is_streamed:
            response.add_etag()  # werkzeug: the SHA-1 of the body, unless one is set
            if req.method == "GET":
                response.make_conditional(req)
        seconds = time.perf_counter() - getattr(ctx, "started", time.perf_counter())
        endpoint = req.url_rule.rule if req.url_rule else "<unmatched>"
        web.metrics.observe_request(endpoint, req.method, response.status_code, seconds)
        if config["ACCESS_LOG"] and access_log.isEnabledFor(logging.INFO):
            log_info(access_log, "request", {
                "event": "request",
                "request_id": request_id,
                "method": req.method,
                "path": req.path,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 3),
                # a streamed body (NDJSON batch) is not known yet; asking would buffer it
                "bytes": None if response.is_streamed else response.calculate_content_length(),
                "remote_addr": req.remote_addr,
                "ruleset_version": version,
            })
        if web.watcher is not None:
            recycle = web.watcher.take_recycle()
            if recycle is not None:
                response.call_on_close(recycle)
        return response
