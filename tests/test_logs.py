"""One JSON log format; the request being answered is named in every line, gunicorn's too."""

from __future__ import annotations

import contextlib
import json
import logging

import pytest
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


FIELDS = {"event": "request", "request_id": None, "method": "POST", "path": "/v1/x é",
          "status": 200, "duration_ms": 1.25, "bytes": None, "remote_addr": "127.0.0.1"}


def _written(capsys, logger: logging.Logger, fields: dict) -> str:
    from stridewise.web.logs import log_info

    capsys.readouterr()
    log_info(logger, "request", fields)
    return capsys.readouterr().err


@pytest.fixture
def standard_records():
    """The standard LogRecord factory for the test (Ray, imported by another test, sets one
    that adds a field of its own to every line)."""
    factory = logging.getLogRecordFactory()
    logging.setLogRecordFactory(logging.LogRecord)
    yield
    logging.setLogRecordFactory(factory)


@contextlib.contextmanager
def _served_logging():
    """`stridewise`'s handlers as `stridewise serve` has them: ours alone (pytest attaches its
    capture handlers to every logger that does not propagate, for each test's call)."""
    from stridewise.web.logs import configure_logging

    configure_logging()
    parent = logging.getLogger("stridewise")
    handlers = list(parent.handlers)
    parent.handlers = [h for h in handlers if getattr(h, "_stridewise", False)]
    try:
        yield
    finally:
        parent.handlers = handlers


def test_a_line_written_directly_is_the_line_the_logging_path_writes(capsys, monkeypatch,
                                                                      standard_records):
    from stridewise.web.logs import _sole_handler

    logger = logging.getLogger("stridewise.access")
    monkeypatch.setattr("time.time", lambda: 1_764_600_123.4567)  # LogRecord's clock too
    REQUEST_CONTEXT.request_id = "from-the-thread"
    try:
        with _served_logging():
            assert _sole_handler(logger) is not None  # the direct path is taken
            direct = _written(capsys, logger, FIELDS)
        with _served_logging():
            logger.addFilter(lambda record: True)  # a filter sends the record through logging
            try:
                through_logging = _written(capsys, logger, FIELDS)
            finally:
                logger.filters.clear()
    finally:
        REQUEST_CONTEXT.request_id = None
    assert direct == through_logging and direct.endswith("}\n") and direct.count("\n") == 1
    assert json.loads(direct)["ts"] == "2025-12-01T14:42:03.456Z"
    assert json.loads(direct)["request_id"] == "from-the-thread"


def test_a_handler_or_record_factory_of_the_users_still_gets_the_record(capsys, standard_records):
    logger = logging.getLogger("stridewise.access")
    seen: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = seen.append  # type: ignore[method-assign]
    logger.addHandler(handler)
    try:
        with _served_logging():
            line = _written(capsys, logger, FIELDS)
    finally:
        logger.removeHandler(handler)
    assert [(r.getMessage(), r.status, r.path) for r in seen] == [("request", 200, "/v1/x é")]
    assert json.loads(line)["status"] == 200  # and the stderr line is still written

    factory = logging.getLogRecordFactory()

    def tagged(*args, **kwargs):
        record = factory(*args, **kwargs)
        record.tag = "theirs"
        return record

    logging.setLogRecordFactory(tagged)
    try:
        with _served_logging():
            assert json.loads(_written(capsys, logger, FIELDS))["tag"] == "theirs"
    finally:
        logging.setLogRecordFactory(factory)


def test_a_field_that_names_a_record_attribute_is_refused_as_extra_refuses_it(capsys):
    with pytest.raises(KeyError, match="Attempt to overwrite 'name'"):
        _written(capsys, logging.getLogger("stridewise.access"), {"name": "x"})
