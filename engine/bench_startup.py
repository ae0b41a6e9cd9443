"""The `startup` bench suite: how long until a command or a server worker is useful.

`stridewise bench --suite startup` times, in one run, interleaved:

- `check`: `python -m stridewise check` on the bundled default rules, process start to exit
  (what `time stridewise check rulesets/default` shows);
- `interpreter`: `python -c pass`, the floor any command starts from;
- `worker-ready`: a `stridewise serve` worker from its fork to its `worker_ready` log line
  (app and engine built, accepting). Each iteration stops one worker of the running server
  (SIGTERM), the master forks a new one, and the figure is the one the worker logs itself;
- `worker-cpu`: the CPU time that worker spent to get there (less sensitive to other load);
- `first-answer`: the same, until the new worker has answered its first recommendation (its
  fork-to-ready time plus the request sent as soon as the line is seen; one worker only, so
  the request cannot go to a sibling).

Every child runs with a private bytecode cache (`PYTHONPYCACHEPREFIX`, written by the warm-up),
as an installed package runs from compiled bytecode whatever the development environment's
`PYTHONDONTWRITEBYTECODE` says. Servers listen on 127.0.0.1 only and are stopped on clean-up.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

__all__ = ["STARTUP_DESCRIPTION", "Measured", "startup_runners"]

STARTUP_DESCRIPTION = (
    "`stridewise check` of the default rules and a bare interpreter, start to exit; a "
    "`stridewise serve` worker (N workers, one re-forked per iteration) from fork to ready "
    "(wall clock, and its CPU time) and to its first answer"
)
READY_EVENT = "worker_ready"
TIMEOUT = 60.0  # seconds any one step may take before the suite gives up
_CONTEXT = {"age": 35, "running_experience_years": 8,
            "strength_training_experience": "intermediate", "weekly_run_km": 60,
            "equipment": ["barbell", "dumbbell"], "start_date": "2026-11-30"}


@dataclass(frozen=True)
class Measured:
    """What a runner measured itself, reported instead of the duration of the call."""

    seconds: float

    @property
    def us(self) -> float:
        return self.seconds * 1e6


def _child_env(cache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache
    return env


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: "
                           f"{done.stderr.decode(errors='replace')[-500:]}")


class _Server:
    """`stridewise serve` on a free loopback port, its `worker_ready` lines read as they come."""

    def __init__(self, python: str, workers: int, env: dict[str, str]) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        self.proc = subprocess.Popen(
            [python, "-m", "stridewise", "serve", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", str(workers), "--no-reload"],
            env={**env, "STRIDEWISE_ACCESS_LOG": "false"},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        self.ready: queue.Queue[dict[str, Any]] = queue.Queue()
        self.live: list[int] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        for _ in range(workers):
            self.live.append(self._next()["pid"])

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and entry.get("event") == READY_EVENT:
                self.ready.put(entry)

    def _next(self) -> dict[str, Any]:
        try:
            return self.ready.get(timeout=TIMEOUT)
        except queue.Empty:
            raise RuntimeError(f"no {READY_EVENT} line from the server in {TIMEOUT:g} s") from None

    def refork(self) -> dict[str, Any]:
        """Stop the oldest worker; the master forks a new one: its `worker_ready` entry."""
        os.kill(self.live.pop(0), signal.SIGTERM)
        entry = self._next()
        self.live.append(entry["pid"])
        return entry

    def recommend(self) -> None:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/v1/recommendations",
            data=json.dumps(_CONTEXT).encode(), headers={"Content-Type": "application/json"},
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only
        with opener.open(request, timeout=TIMEOUT) as response:
            if response.status != 200:
                raise RuntimeError(f"the first request got {response.status}")
            response.read()

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=TIMEOUT)  # it ends at the pipe's end of file
        if self.proc.stderr is not None:
            self.proc.stderr.close()


def startup_runners(
    size: int, stack: ExitStack, python: str = sys.executable, rules: str | None = None
) -> dict[str, Any]:
    """The startup runners for the interpreter `python` (a venv with a tree installed:
    tests/tools/compare_startup.py times two trees this way); `rules` defaults to the
    bundled default rules."""
    if rules is None:
        from stridewise import rulesets

        rules = str(rulesets.DEFAULT)
    cache = stack.enter_context(tempfile.TemporaryDirectory(prefix="stridewise-pycache-"))
    env = _child_env(cache)
    check = [python, "-m", "stridewise", "check", rules]
    bare = [python, "-c", "pass"]
    server = _Server(python, size, env)
    stack.callback(server.stop)
    single = server if size == 1 else _Server(python, 1, env)
    if single is not server:
        stack.callback(single.stop)

    last: dict[str, Any] = {}

    def ready() -> Measured:
        last.update(server.refork())
        return Measured(last["ready_ms"] / 1000)

    def first_answer() -> Measured:
        entry = single.refork()
        seen = time.perf_counter()
        single.recommend()
        return Measured(entry["ready_ms"] / 1000 + time.perf_counter() - seen)

    return {
        "check": lambda: _run(check, env),
        "interpreter": lambda: _run(bare, env),
        "worker-ready": ready,
        "worker-cpu": lambda: Measured(last["cpu_ms"] / 1000),  # that worker's own CPU time
        "first-answer": first_answer,
    }
