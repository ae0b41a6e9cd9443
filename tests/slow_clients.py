"""Open N slow connections to a loopback Stridewise server and probe it meanwhile.

    python tests/slow_clients.py --port 8000 [--connections 50] [--seconds 20]

Each slow connection sends a request a byte at a time (one byte every `--interval` seconds:
the headers, or a body shorter than its Content-Length). While they are open, the script
probes /healthz, /readyz and POST /v1/recommendations and prints how many probes succeeded.
Every loop is bounded in count and time, and the only target is 127.0.0.1: the host is fixed,
not an option.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

HOST = "127.0.0.1"  # loopback only, by construction
MAX_CONNECTIONS = 200
MAX_SECONDS = 120.0
CONTEXT = {
    "age": 34, "running_experience_years": 6, "strength_training_experience": "intermediate",
    "weekly_run_km": 55, "race": {"distance_km": 42.2, "days_until": 30, "priority": "A"},
}
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Report:
    probes: int = 0
    ok: int = 0
    failures: list[str] = field(default_factory=list)
    opened: int = 0

    def to_dict(self) -> dict[str, object]:
        return {"probes": self.probes, "ok": self.ok, "opened": self.opened,
                "failures": self.failures[:20]}


def _slow(port: int, index: int, stop: threading.Event, interval: float, report: Report,
          lock: threading.Lock) -> None:
    """One slow client: headers a byte at a time (even index) or a short body (odd index)."""
    if index % 2:
        payload = (f"POST /v1/recommendations HTTP/1.1\r\nHost: {HOST}\r\n"
                   "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{}").encode()
        head, tail = payload[:-2], payload[-2:]
    else:
        head, tail = b"", f"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\nX-Slow: ".encode() + b"a" * 400
    try:
        sock = socket.create_connection((HOST, port), timeout=5)
    except OSError:
        return
    with lock:
        report.opened += 1
    try:
        if head:
            sock.sendall(head)
        for byte in tail[:1000]:  # bounded: at most 1,000 bytes per connection
            if stop.wait(interval):
                break
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break  # the server gave up on us (408): what it should do
    finally:
        sock.close()


def _probe(port: int, path: str, body: object | None, timeout: float) -> str | None:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", data=data,
                                     method="POST" if data else "GET")
    request.add_header("Content-Type", "application/json")
    try:
        with OPENER.open(request, timeout=timeout) as response:
            response.read()
            return None if response.status == 200 else f"{path}: {response.status}"
    except urllib.error.HTTPError as err:
        return f"{path}: {err.code}"
    except OSError as err:
        return f"{path}: {type(err).__name__}: {err}"


def run(port: int, connections: int = 50, seconds: float = 20.0, interval: float = 1.0,
        probe_timeout: float = 5.0) -> Report:
    """Hold `connections` slow clients open for `seconds` while probing; the probe report."""
    connections = min(connections, MAX_CONNECTIONS)
    seconds = min(seconds, MAX_SECONDS)
    report, lock, stop = Report(), threading.Lock(), threading.Event()
    threads = [threading.Thread(target=_slow, args=(port, i, stop, interval, report, lock),
                                daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    time.sleep(min(2.0, seconds / 4))  # let them connect and start trickling
    deadline = time.monotonic() + seconds
    probes = [("/healthz", None), ("/readyz", None), ("/v1/recommendations", CONTEXT)]
    for _ in range(1000):  # bounded in count as well as time
        if time.monotonic() >= deadline:
            break
        for path, body in probes:
            failure = _probe(port, path, body, probe_timeout)
            report.probes += 1
            if failure is None:
                report.ok += 1
            else:
                report.failures.append(failure)
        time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=5)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True, help="loopback port of the server")
    parser.add_argument("--connections", type=int, default=50, help="slow connections (<= 200)")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to probe (<= 120)")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between bytes")
    args = parser.parse_args(argv)
    report = run(args.port, args.connections, args.seconds, args.interval)
    print(json.dumps(report.to_dict(), indent=2))
    return 0 if report.probes and report.ok == report.probes else 1


if __name__ == "__main__":
    sys.exit(main())
