"""The gunicorn worker `stridewise serve` runs: gthread, with a read deadline and buffered bodies.

Why threads (docs/deploying.md, "Serving model"): a sync worker is held by one slow client for
as long as it likes (a byte a second, or a `Content-Length` it never sends), so a handful of
slow connections starved every worker and gunicorn's `--timeout` killed workers for it. Here
each worker process runs gunicorn's threaded worker: idle and kept-alive connections wait in its
poller, and a connection that is sending holds one thread of `--threads`, not the process.
CPU work stays one-at-a-time per compiled ruleset (its lock; durable-rules is not thread-safe),
so threads add waiting capacity, not parallel evaluation; processes still scale the CPU.

Every request must arrive whole, headers and body, within `read_timeout` seconds of the
worker starting on it. The body is read into memory here, before the app runs, so the app
never blocks on a socket; a client past the deadline gets a 408 problem and the connection
closes. Errors gunicorn answers itself (a bad request line, oversized headers) are sent as
RFC 9457 problems instead of gunicorn's HTML.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import time
from typing import Any

from gunicorn import glogging
from gunicorn.http import errors as http_errors
from gunicorn.http.body import Body
from gunicorn.workers.gthread import ThreadWorker

__all__ = ["DeadlineSocket", "JsonLogger", "RequestTimeout", "StridewiseWorker", "problem_bytes"]

READ_TIMEOUT = 10.0
WRITE_TIMEOUT = 30.0
BODY_LIMIT = 8 * 1024 * 1024 + 1  # the largest body any route accepts (batch), plus one byte


def problem_bytes(status: int, reason: str, detail: str) -> bytes:
    """A complete HTTP/1.1 response carrying an RFC 9457 problem, closing the connection."""
    body = json.dumps({
        "type": f"urn:stridewise:problem:{reason.lower().replace(' ', '-')}",  # as web/problems
        "title": reason,
        "status": status,
        "detail": detail,
    }).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/problem+json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body


class RequestTimeout(http_errors.NoMoreData):
    """The client did not send the whole request before the read deadline."""


class DeadlineSocket:
    """A socket whose reads share one deadline per request; writes get a per-call timeout.

    Everything else is the wrapped socket's (gunicorn's poller, close, shutdown, fileno).
    """

    def __init__(self, sock: socket.socket, read_timeout: float, write_timeout: float) -> None:
        self._sock = sock
        self.read_timeout = read_timeout
        self.write_timeout = write_timeout
        self.deadline: float | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def start_request(self) -> None:
        self.deadline = time.monotonic() + self.read_timeout

    def body_read(self) -> None:
        self.deadline = None

    def _expire(self) -> None:
        try:
            self._sock.settimeout(0.5)
            self._sock.sendall(problem_bytes(
                408, "Request Timeout",
                f"The request did not arrive within {self.read_timeout:g} s; send it whole.",
            ))
        except OSError:
            pass
        raise RequestTimeout(b"")

    def recv(self, size: int, *flags: int) -> bytes:
        if self.deadline is None:
            return self._sock.recv(size, *flags)
        left = self.deadline - time.monotonic()
        if left <= 0:
            self._expire()
        previous = self._sock.gettimeout()
        self._sock.settimeout(left)
        try:
            return self._sock.recv(size, *flags)
        except TimeoutError:
            self._expire()
            raise  # pragma: no cover - _expire raised
        finally:
            self._sock.settimeout(previous)

    def sendall(self, data: Any, *flags: int) -> None:
        previous = self._sock.gettimeout()
        self._sock.settimeout(self.write_timeout)
        try:
            self._sock.sendall(data, *flags)
        finally:
            self._sock.settimeout(previous)

    def send(self, data: Any, *flags: int) -> int:
        previous = self._sock.gettimeout()
        self._sock.settimeout(self.write_timeout)
        try:
            return self._sock.send(data, *flags)
        finally:
            self._sock.settimeout(previous)


class _Buffered:
    """A body reader over bytes already received (what gunicorn's Body reads from)."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def read(self, size: int) -> bytes:
        return self._data.read(size)


class StridewiseWorker(ThreadWorker):
    """gunicorn's gthread worker with a whole-request read deadline and buffered bodies."""

    read_timeout = READ_TIMEOUT
    write_timeout = WRITE_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.created = time.monotonic()  # in the master, just before the fork

    def load_wsgi(self) -> None:
        """Build the app (after the fork), then log how long the worker took to be ready:
        wall-clock since the master created it, and CPU time of this process (a fork starts
        its own count at zero)."""
        super().load_wsgi()
        self.log.info(
            "worker ready", extra={
                "event": "worker_ready", "pid": os.getpid(),
                "ready_ms": round((time.monotonic() - self.created) * 1000, 1),
                "cpu_ms": round(time.process_time() * 1000, 1),
            },
        )

    def init_signals(self) -> None:
        super().init_signals()
        signal.signal(signal.SIGINT, self.handle_exit)  # Ctrl-C reaches every process

    def enqueue_req(self, conn: Any) -> None:
        if not isinstance(conn.sock, DeadlineSocket):
            conn.sock = DeadlineSocket(conn.sock, self.read_timeout, self.write_timeout)
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        if isinstance(conn.sock, DeadlineSocket):
            conn.sock.start_request()
        return super().handle(conn)

    def handle_request(self, req: Any, conn: Any) -> Any:
        if req.body is not None and not _declared_too_large(req):
            try:
                data = req.body.read(BODY_LIMIT)
            except RequestTimeout:
                return False
            req.body = Body(_Buffered(data))
        if isinstance(conn.sock, DeadlineSocket):
            conn.sock.body_read()
        return super().handle_request(req, conn)

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        """gunicorn's own error answers, as problems (it logs and counts them as before)."""
        sent: list[bytes] = []

        class _Capture:  # what gunicorn's write_error needs of a socket
            def gettimeout(self) -> float:
                return 0.0

            def sendall(self, data: bytes) -> None:
                sent.append(data)

        super().handle_error(req, _Capture(), addr, exc)
        status, reason, detail = _parse_error(b"".join(sent))
        try:
            client.sendall(problem_bytes(status, reason, detail))
        except OSError:
            self.log.debug("Failed to send error message.")


def _declared_too_large(req: Any) -> bool:
    """A Content-Length over the limit: the app answers 413 without the body being read."""
    for name, value in req.headers:
        if name == "CONTENT-LENGTH":
            try:
                return int(value) >= BODY_LIMIT
            except ValueError:
                return False
    return False


def _parse_error(raw: bytes) -> tuple[int, str, str]:
    """Status, reason and message of the HTML error gunicorn wrote."""
    head, _, body = raw.partition(b"\r\n\r\n")
    first = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
    try:
        status = int(first[1])
        reason = first[2] if len(first) > 2 else "Error"
    except (IndexError, ValueError):
        return 500, "Internal Server Error", ""
    text = body.decode("utf-8", "replace")
    start, end = text.find("</h1>"), text.rfind("</body>")
    detail = text[start + 5:end].strip() if start >= 0 and end > start else ""
    if status >= 500:
        detail = "The server failed to answer; the error is in its log."
    return status, reason, detail or reason


class JsonLogger(glogging.Logger):
    """gunicorn's logger with the app's JSON line format (one log format for the server)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        from stridewise.web.logs import JsonFormatter

        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())
