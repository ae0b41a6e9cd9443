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


def test_lines_are_the_json_dumps_of_each_field_with_the_utc_time():
    """The timestamp text is reused within a second; every line still says its own time."""
    import time

    formatter = JsonFormatter()
    for created in (1_764_600_000.0, 1_764_600_000.999, 1_764_600_001.5, 1_764_599_999.25,
                    1_764_600_001.0):
        record = logging.LogRecord("stridewise.access", logging.INFO, "", 0, "request", (), None)
        record.created, record.msecs = created, int((created - int(created)) * 1000) + 0.0
        record.path, record.size, record.when = "/v1/é", 3, time  # `default=str` for a module
        expected = json.dumps({
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created))
            + f".{int(record.msecs):03d}Z",
            "level": "info", "logger": "stridewise.access", "message": "request",
            "path": "/v1/é", "size": 3, "when": time,
        }, default=str)
        assert formatter.format(record) == expected
