"""One JSON log format for every line: the app's, and gunicorn's own (serve's logger class).

`JsonFormatter` writes one object per line (time, level, logger, message, any `extra`
fields) and adds the request id of the request being handled by this thread
(`REQUEST_CONTEXT`, set by the app at the start of each request), so a gunicorn line about a
request carries the same `request_id` as the app's lines.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from typing import Any

__all__ = ["REQUEST_CONTEXT", "JsonFormatter", "configure_logging", "log_info"]

REQUEST_CONTEXT = threading.local()  # .request_id: the request this thread is answering


# `json.dumps(entry, default=str)` builds a new encoder for every call (its `default` is not
# the module's); one built once writes the same text
_ENCODE = json.JSONEncoder(default=str).encode


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any `extra` fields."""

    RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._second: tuple[int, str] = (-1, "")  # the last second written, as text

    def _timestamp(self, created: float, msecs: int) -> str:
        second = int(created)
        if self._second[0] != second:  # strftime once a second, not once a line
            self._second = (second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
        return f"{self._second[1]}.{msecs:03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        entry = self._entry(
            record.created, int(record.msecs), record.levelname.lower(), record.name,
            record.getMessage(), {k: v for k, v in vars(record).items() if k not in self.RESERVED},
        )
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return _ENCODE(entry)

    def info_line(self, created: float, logger: str, message: str, fields: dict[str, Any]) -> str:
        """The line `format` writes for an INFO record of `logger` made at `created` (as
        `time.time()` gives it) with `fields` as its `extra`."""
        msecs = int((created - int(created)) * 1000)  # as LogRecord computes it
        return _ENCODE(self._entry(created, msecs, "info", logger, message, fields))

    def _entry(self, created: float, msecs: int, level: str, logger: str, message: str,
               fields: dict[str, Any]) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "ts": self._timestamp(created, msecs), "level": level, "logger": logger,
            "message": message,
        }
        entry.update(fields)
        if entry.get("request_id") is None and getattr(REQUEST_CONTEXT, "request_id", None):
            entry["request_id"] = REQUEST_CONTEXT.request_id
        return entry


def log_info(logger: logging.Logger, message: str, fields: dict[str, Any]) -> None:
    """`logger.info(message, extra=fields)` for a line written on every request.

    When the record would reach nothing but our own stderr handler (no handler or filter on
    `logger`, `stridewise`'s one handler ours with our formatter, the standard record
    factory), the line is written directly: making a LogRecord and passing it through the
    logger, handler and formatter cost ~15 µs a request. Otherwise, or if `fields` names a
    record attribute (which `extra` refuses), the record goes through logging as before. The
    line is the same either way (tests/test_logs.py); the record is made here, not by
    `.info()`, whose caller lookup walked the ~40 frames of Flask's stack.
    """
    def record() -> logging.LogRecord:
        return logger.makeRecord(
            logger.name, logging.INFO, __file__, 0, message, (), None, extra=fields)

    handler = _sole_handler(logger)
    if handler is None or not JsonFormatter.RESERVED.isdisjoint(fields):
        logger.handle(record())
        return
    formatter: JsonFormatter = handler.formatter  # type: ignore[assignment]
    created = time.time()
    line = formatter.info_line(created, logger.name, message, fields)
    handler.acquire()
    try:  # StreamHandler.emit, once the line is made
        handler.stream.write(line + handler.terminator)
        handler.flush()
    except RecursionError:  # pragma: no cover - as StreamHandler.emit
        raise
    except Exception:
        handler.handleError(record())
    finally:
        handler.release()


def _sole_handler(logger: logging.Logger) -> _StderrHandler | None:
    """Our stderr handler when it is the one place an INFO record of `logger` would go."""
    parent = logger.parent
    if (logger.handlers or logger.filters or logger.disabled or not logger.propagate
            or parent is None or parent.name != "stridewise" or parent.propagate
            or parent.filters or parent.disabled or len(parent.handlers) != 1
            or logging.getLogRecordFactory() is not logging.LogRecord):
        return None
    handler = parent.handlers[0]
    if (type(handler) is not _StderrHandler or handler.filters or handler.level > logging.INFO
            or type(handler.formatter) is not JsonFormatter):
        return None
    return handler


class _StderrHandler(logging.StreamHandler):
    """A StreamHandler that writes to whatever sys.stderr is at the time of each record."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


def configure_logging(level: str = "INFO") -> None:
    """Send stridewise.* logs to stderr as JSON lines (once per process)."""
    root = logging.getLogger("stridewise")
    root.setLevel(level.upper())
    if not any(getattr(h, "_stridewise", False) for h in root.handlers):
        handler = _StderrHandler()
        handler.setFormatter(JsonFormatter())
        handler._stridewise = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        root.propagate = False
