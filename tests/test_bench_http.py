"""The HTTP benchmark's parts: the bare baseline app and reading wrk's report."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from stridewise.bench_http import bare_app, parse_wrk, targets, tree_cpu_seconds

WRK = """Running 10s test @ http://127.0.0.1:8123/v1/recommendations
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms  650.00us  25.00ms   90.00%
  Latency Distribution
     50%    1.98ms
     75%    2.30ms
     90%  800.00us
     99%    1.20s
  4000 requests in 10.00s, 60.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:    400.10
Transfer/sec:      6.00MB
"""


def test_wrk_reports_are_read_into_rate_and_percentiles_in_ms() -> None:
    assert parse_wrk(WRK) == {"rps": 400.10, "p50_ms": 1.98, "p75_ms": 2.30, "p90_ms": 0.8,
                              "p99_ms": 1200.0, "non_2xx": 3.0, "requests": 4000.0}
    with pytest.raises(RuntimeError, match="unexpected wrk output"):
        parse_wrk("connection refused")


def test_the_bare_baseline_answers_the_same_post_with_an_empty_object() -> None:
    client = bare_app().test_client()
    response = client.post("/v1/recommendations", json={"age": 40})
    assert response.status_code == 200 and response.get_json() == {}
    assert client.get("/healthz").get_json() == {"status": "ok"}


def _cell(rps: float, p99: float = 5.0) -> dict[str, float]:
    return {"rps": rps, "p50_ms": 1.0, "p99_ms": p99, "non_2xx": 0.0}


def test_targets_divide_by_the_bare_app_and_compare_a_batch_context_with_one_request() -> None:
    summary = {
        "bare recommendations c=1": _cell(2000), "stridewise recommendations c=1": _cell(1000),
        "bare recommendations c=4": _cell(4000), "stridewise recommendations c=4": _cell(1000, 25),
        "stridewise recommendations:batch c=1": _cell(20),  # 100 contexts: 0.5 ms each
    }
    verdict = targets(summary, [1, 4], 100)
    assert verdict["ratio_c1"] == 0.5 and verdict["ratio_c4"] == 0.25
    assert verdict["p99_c4_ms"] == 25 and verdict["batch_ratio"] == pytest.approx(0.5)
    assert verdict["lines"] == [
        "stridewise / bare at 1 connection(s): 0.50x (target >= 0.5x: met)",
        "stridewise / bare at 4 connection(s): 0.25x (target >= 0.5x: not met)",
        "stridewise p99 at 4 connections: 25.00 ms (target <= 20 ms: not met)",
        "a context in :batch (100 per request) costs 0.500 ms against 1.000 ms for one request"
        " (the same contexts): 0.50x (target <= 0.6x: met)",
    ]


def test_server_cpu_counts_the_children_a_server_forked() -> None:
    spin = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n"
    forks = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {spin!r}])"
    parent = subprocess.Popen([sys.executable, "-c", forks])
    try:
        seen = 0.0
        deadline = time.monotonic() + 20
        while parent.poll() is None and time.monotonic() < deadline:
            seen = max(seen, tree_cpu_seconds(parent.pid))
            time.sleep(0.05)
    finally:
        parent.wait(timeout=30)
    assert seen >= 0.2  # the child's spinning, seen through the parent
    assert tree_cpu_seconds(os.getpid()) > 0
