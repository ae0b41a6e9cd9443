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

__all__ = ["REQUEST_CONTEXT", "JsonFormatter", "configure_logging"]

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

    def _timestamp(self, record: logging.LogRecord) -> str:
        second = int(record.created)
        if self._second[0] != second:  # strftime once a second, not once a line
            self._second = (second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
        return f"{self._second[1]}.{int(record.msecs):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self._timestamp(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in self.RESERVED})
        if entry.get("request_id") is None and getattr(REQUEST_CONTEXT, "request_id", None):
            entry["request_id"] = REQUEST_CONTEXT.request_id
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return _ENCODE(entry)


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
