"""One JSON log format; the request being answered is named in every line, gunicorn's too."""

from __future__ import annotations

import json
import logging

from stridewise.commands.worker import JsonLogger
from stridewise.web.logs import REQUEST_CONTEXT, JsonFormatter


def _line(logger: str, message: str) -> dict:
    record = logging.LogRecord(logger, logging.ERROR, "", 0, message, (), None)
    return json.loads(JsonFormatter().format(record))


def test_a_gunicorn_line_during_a_request_carries_its_request_id():
    REQUEST_CONTEXT.request_id = "req-123"
    try:
        entry = _line("gunicorn.error", "Error handling request /v1/recommendations")
    finally:
        REQUEST_CONTEXT.request_id = None
    assert entry["request_id"] == "req-123" and entry["logger"] == "gunicorn.error"
    assert "request_id" not in _line("gunicorn.error", "Booting worker with pid: 1")


def test_gunicorns_logger_class_formats_its_handlers_as_json():
    from gunicorn.config import Config

    logger = JsonLogger(Config())
    assert logger.error_log.handlers
    assert all(isinstance(h.formatter, JsonFormatter) for h in logger.error_log.handlers)
