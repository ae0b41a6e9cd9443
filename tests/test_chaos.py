"""Chaos run (`pytest -m slow`): 60 s of load, hot reloads with broken and slow non-atomic
edits, `kill -9` of workers and slow clients, against `stridewise serve` on 127.0.0.1 only.

Asserts: no 5xx, every response from a complete ruleset version (never a half-written file),
/readyz 200 throughout (ready or degraded), and the service answering throughout (no gap
between successful answers longer than a few seconds; connection resets only around kills).
"""

from __future__ import annotations

import http.client
import os
import random
import shutil
import signal
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import slow_clients
from serve_helpers import OPENER, copy_default_rules, serving
from stridewise.service import Engine
from web_fixtures import CONTEXT

pytestmark = pytest.mark.slow

SECONDS = 60.0
RULE = """  - id: chaos-{n}
    description: Written by the chaos run.
    when: age > 200
    then:
      notes: ["chaos {n}"]
"""


def _variant(count: int) -> list[str]:
    return ["ruleset: chaos\nrules:\n", *(RULE.format(n=n) for n in range(count))]


def _version_of(rules: Path, extra: list[str] | None, tmp: Path) -> str:
    folder = tmp / f"variant-{len(extra or [])}"
    shutil.copytree(rules, folder)
    if extra is not None:
        (folder / "chaos.yaml").write_text("".join(extra))
    return str(Engine.create(rules=folder, backend="python").ruleset.version)


PAUSES: list[float] = []  # the writer's longest pause per slow write (starvation under load)


def _slow_write(path: Path, chunks: list[str]) -> None:
    longest, last = 0.0, time.monotonic()
    with path.open("w") as handle:  # non-atomic, one rule at a time
        for chunk in chunks:
            handle.write(chunk)
            handle.flush()
            now = time.monotonic()
            longest, last = max(longest, now - last), now
            time.sleep(0.01)
    PAUSES.append(longest)


def _atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def test_chaos(tmp_path):
    rules = copy_default_rules(tmp_path / "rules")
    small, large = _variant(20), _variant(35)
    good = {
        _version_of(rules, None, tmp_path),
        _version_of(rules, small, tmp_path),
        _version_of(rules, large, tmp_path),
    }
    env = {"STRIDEWISE_RELOAD_INTERVAL": "0.2"}
    args = ("--rules", str(rules), "--read-timeout", "2")
    with serving(tmp_path, *args, env=env, workers=2) as server:
        stop = time.monotonic() + SECONDS
        lock = threading.Lock()
        statuses: dict[int, int] = {}
        versions: set[str] = set()
        errors: list[str] = []
        successes: list[float] = []
        ready: list[int] = []
        kills: list[float] = []

        def load() -> None:
            for _ in range(100_000):
                if time.monotonic() >= stop:
                    return
                request = urllib.request.Request(
                    server.base + "/v1/recommendations", data=_body(), method="POST",
                    headers={"Content-Type": "application/json"},
                )
                try:
                    with OPENER.open(request, timeout=10) as response:
                        response.read()
                        status, version = response.status, response.headers.get(
                            "X-Stridewise-Ruleset-Version")
                except urllib.error.HTTPError as err:
                    status, version = err.code, None
                except (OSError, http.client.HTTPException) as err:  # a killed worker's socket
                    with lock:
                        errors.append(f"{time.monotonic():.1f} {type(err).__name__}")
                    continue
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    if version:
                        versions.add(version)
                    if status == 200:
                        successes.append(time.monotonic())

        def edit() -> None:
            target = rules / "chaos.yaml"
            base = (rules / "base.yaml").read_text()
            for step in range(1000):
                if time.monotonic() >= stop - 3:
                    return
                kind = step % 4
                if kind == 0:
                    _slow_write(target, small)
                elif kind == 1:
                    _atomic(rules / "base.yaml", base.replace("rules:", "rules: [", 1))
                elif kind == 2:
                    _atomic(rules / "base.yaml", base)
                    _slow_write(target, large)
                else:
                    target.unlink(missing_ok=True)
                time.sleep(1.5)
            # leave the rules good
            _atomic(rules / "base.yaml", base)

        def kill() -> None:
            for _ in range(10):
                if time.monotonic() + 10 >= stop:
                    return
                time.sleep(10)
                workers = server.workers()
                if workers:
                    os.kill(random.choice(workers), signal.SIGKILL)
                    kills.append(time.monotonic())

        def probe() -> None:
            for _ in range(1000):
                if time.monotonic() >= stop:
                    return
                try:
                    with OPENER.open(server.base + "/readyz", timeout=10) as response:
                        ready.append(response.status)
                except urllib.error.HTTPError as err:
                    ready.append(err.code)
                except (OSError, http.client.HTTPException):
                    pass  # a killed worker's connection: counted by the load threads' gaps
                time.sleep(0.5)

        slow = threading.Thread(
            target=slow_clients.run, args=(server.port, 20, SECONDS - 10, 1.0), daemon=True
        )
        threads = [threading.Thread(target=f) for f in (load, load, edit, kill, probe)]
        slow.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=SECONDS + 60)
        slow.join(timeout=30)
        assert server.alive(), server.output()[-3000:]

    assert statuses.get(200, 0) > 100, statuses
    assert not {s for s in statuses if s >= 500}, statuses
    assert versions <= good, (
        f"a partial ruleset was served: {versions - good}; the writer's longest pause was "
        f"{max(PAUSES):.2f} s (the settle time is 1 s)"
    )
    assert ready and set(ready) == {200}, ready
    assert len(errors) <= 3 * max(1, len(kills)), (errors, kills)
    gaps = [b - a for a, b in zip(successes, successes[1:], strict=False)]
    assert max(gaps) < 5.0, f"no answer for {max(gaps):.1f} s"


def _body() -> bytes:
    import json

    return json.dumps(CONTEXT).encode()
