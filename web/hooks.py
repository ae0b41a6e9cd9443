"""What every request gets around its view: a request id, the reload poll, the version
headers, an ETag, its metrics and its access-log line.

These run on every request, so they touch Flask's `request` and `g` proxies once each (a proxy
access costs ~1 µs; the hooks made ~35) and do nothing a response or a log line does not show.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from typing import Any

from flask import Flask, Response, g, request

from .logs import REQUEST_CONTEXT, log_info
from .state import WebState

__all__ = ["add_etag", "install_hooks", "log_access", "new_request_id"]

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
access_log = logging.getLogger("stridewise.access")


def new_request_id() -> str:
    """`uuid.uuid4().hex`, without building the UUID object: 16 random bytes with the
    version (4) and variant (RFC 4122) bits set as `uuid.UUID(..., version=4)` sets them."""
    value = int.from_bytes(os.urandom(16), "big")
    value = (value & ~(0xC000 << 48)) | (0x8000 << 48)
    value = (value & ~(0xF000 << 64)) | (4 << 76)
    return f"{value:032x}"


def add_etag(response: Response) -> None:
    """`response.add_etag()`: the SHA-1 of the body (werkzeug's `generate_etag`) unless the
    response has an ETag already, hashed from the body's one chunk instead of a joined copy."""
    if "ETag" in response.headers:
        return
    body = response.response
    if isinstance(body, list) and len(body) == 1 and type(body[0]) is bytes:
        data = body[0]
    else:
        data = response.get_data()
    response.set_etag(hashlib.sha1(data).hexdigest())


def log_access(fields: dict[str, Any]) -> None:
    """Write the access-log line of a request (`stridewise.access`, INFO, "request")."""
    log_info(access_log, "request", fields)


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
        ctx.request_id = incoming if REQUEST_ID.match(incoming) else new_request_id()
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
            add_etag(response)
            if req.method == "GET":
                response.make_conditional(req)
        seconds = time.perf_counter() - getattr(ctx, "started", time.perf_counter())
        endpoint = req.url_rule.rule if req.url_rule else "<unmatched>"
        web.metrics.observe_request(endpoint, req.method, response.status_code, seconds)
        if config["ACCESS_LOG"] and access_log.isEnabledFor(logging.INFO):
            log_access({
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
