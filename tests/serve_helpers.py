"""Run `stridewise serve` for real on a free loopback port, and talk to it (tests only).

Every address here is 127.0.0.1: these helpers never reach any other host.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, no proxy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def copy_default_rules(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for source in (ROOT / "rulesets" / "default").glob("*.yaml"):
        shutil.copy(source, folder / source.name)
    return folder


def call(
    base: str, path: str, body: object | None = None, timeout: float = 10,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method="POST" if data else "GET")
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with OPENER.open(request, timeout=timeout) as response:
            raw = response.read()
            return response.status, dict(response.headers), _json(raw)
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), _json(err.read())


def _json(raw: bytes) -> dict:
    try:
        found = json.loads(raw)
    except ValueError:
        return {"_text": raw.decode("utf-8", "replace")}
    return found if isinstance(found, dict) else {"_json": found}


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            found = predicate()
        except (OSError, urllib.error.URLError):
            found = None
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def workers(self) -> list[int]:
        """The pids of the gunicorn workers (children of the master)."""
        pid = self.process.pid
        try:
            text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None


@contextlib.contextmanager
def serving(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None, workers: int = 1
) -> Iterator[Server]:
    """`stridewise serve` on a free loopback port; stopped with SIGTERM afterwards."""
    port = free_port()
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("STRIDEWISE_", "PROMETHEUS"))}
    clean.update(env or {})
    log_path = tmp_path / f"server-{port}.log"
    command = "from stridewise.cli import main; main()"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", command, "serve", "--host", LOOPBACK, "--port", str(port),
             "--workers", str(workers), *args],
            cwd=tmp_path, env=clean, stdout=log, stderr=subprocess.STDOUT,
        )
        server = Server(process, port, log_path)
        try:
            wait_for(lambda: not server.alive() or call(server.base, "/healthz")[0] == 200,
                     60, "the server to answer /healthz")
            yield server
        finally:
            if server.alive():
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
