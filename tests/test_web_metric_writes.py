"""A request's metric increments written in one go count exactly what prometheus_client's own
`inc()`/`observe()` count, in gunicorn's multiprocess files, down to a worker's last request.

Multiprocess mode is chosen when prometheus_client is imported, so each check runs in a fresh
interpreter with PROMETHEUS_MULTIPROC_DIR set, and the parent reads the files it left.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from web_fixtures import CONTEXT


def _run(code: str, folder: Path) -> str:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, cwd=folder,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _samples(folder: Path) -> dict[str, float]:
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(folder))
    found = {}
    for line in generate_latest(registry).decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            found[name] = float(value)
    return found


def test_the_installed_prometheus_client_is_written_under_one_lock(tmp_path):
    """The fast path is in use with the installed version (the fallback counts the same, at
    ~5x the cost a value); the single-process values take each value's own inc()."""
    out = _run("""
        from prometheus_client import values
        from stridewise.web.metric_writes import uses_one_lock
        print(uses_one_lock(values.ValueClass), uses_one_lock(values.MutexValue))
    """, tmp_path)
    assert out.split() == ["True", "False"]


def test_writes_count_what_inc_and_observe_count_across_a_fork(tmp_path):
    _run("""
        import os, random
        from prometheus_client import CollectorRegistry, Counter, Histogram
        from stridewise.web import metric_writes as w

        registry = CollectorRegistry()
        def pair(kind, name, **kw):
            return [kind(f"{side}_{name}", "h", ["k"], registry=registry, **kw)
                    for side in ("ours", "theirs")]
        counters = pair(Counter, "c")
        histograms = pair(Histogram, "h", buckets=(0.001, 0.01, 0.1, 1.0))
        rng = random.Random(7)

        def step():
            key = rng.choice("abc")
            amount = rng.choice([1, 2, 5])
            seconds = rng.choice([0.0, 0.0005, 0.001, 0.02, 0.5, 1.0, 3.0])
            ours_c, theirs_c = (c.labels(key) for c in counters)
            ours_h, theirs_h = (h.labels(key) for h in histograms)
            w.write([(w.counter_value(ours_c), float(amount)), *w.observation(ours_h, seconds)])
            theirs_c.inc(amount)
            theirs_h.observe(seconds)

        for _ in range(300):
            step()
        child = os.fork()
        if child == 0:  # a forked worker writes to its own file, from its parent's values
            for _ in range(200):
                step()
            os._exit(0)
        os.waitpid(child, 0)
        for _ in range(100):
            step()
    """, tmp_path)
    samples = _samples(tmp_path)
    ours = {name[len("ours_"):]: v for name, v in samples.items() if name.startswith("ours_")}
    theirs = {name[len("theirs_"):]: v for name, v in samples.items()
              if name.startswith("theirs_")}
    assert ours == theirs
    assert len(list(tmp_path.glob("counter_*.db"))) == 2  # the parent's file and the child's
    assert sum(v for name, v in ours.items() if name.startswith("c_total")) > 600


def test_every_request_and_firing_is_in_the_files_when_a_worker_exits(tmp_path):
    """Four threads answer 40 recommendations and the process exits straight after the last:
    the files it leaves hold every request, plan and rule firing."""
    out = _run(f"""
        import collections, json, threading
        from stridewise.web import create_app

        app = create_app({{"RELOAD": False, "ACCESS_LOG": False}})
        context = json.loads({json.dumps(json.dumps(CONTEXT))})
        fired = collections.Counter()
        lock = threading.Lock()

        def post():
            client = app.test_client()
            for _ in range(10):
                body = client.post("/v1/recommendations", json=context).get_json()
                with lock:
                    fired.update(item["rule"] for item in body["fired"])

        threads = [threading.Thread(target=post) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(json.dumps(fired))
    """, tmp_path)
    fired = json.loads(out)
    samples = _samples(tmp_path)
    endpoint = 'endpoint="/v1/recommendations"'
    assert samples[f'stridewise_http_requests_total{{{endpoint},method="POST",status="200"}}'] \
        == 40
    assert samples[f"stridewise_http_request_duration_seconds_count{{{endpoint}}}"] == 40
    assert samples[f'stridewise_http_request_duration_seconds_bucket{{{endpoint},le="+Inf"}}'] \
        == 40
    assert samples[f"stridewise_http_request_duration_seconds_sum{{{endpoint}}}"] > 0
    assert samples["stridewise_recommendations_total"] == 40
    counted = {name.split('"')[1]: value for name, value in samples.items()
               if name.startswith("stridewise_rules_fired_total{")}
    assert fired and counted == {rule: float(n) for rule, n in fired.items()}


class _Child:
    """A metric child of some other prometheus_client: only its public calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, float]] = []

    def inc(self, amount: float = 1) -> None:
        self.calls.append(("inc", amount))

    def observe(self, amount: float) -> None:
        self.calls.append(("observe", amount))


def test_children_without_the_known_internals_are_moved_by_their_public_calls():
    from prometheus_client import Counter, Histogram
    from stridewise.web import metric_writes as w

    registry = CollectorRegistry()
    known = Counter("known", "h", registry=registry)
    timed = Histogram("timed", "h", registry=registry, buckets=(0.1, 1.0))
    other = _Child()
    w.write([(w.counter_value(other), 2.0), *w.observation(other, 0.5),
             (w.counter_value(known), 3.0), *w.observation(timed, 0.5)])
    assert other.calls == [("inc", 2.0), ("observe", 0.5)]
    text = generate_latest(registry).decode()
    assert "known_total 3.0" in text and 'timed_bucket{le="1.0"} 1.0' in text
    assert 'timed_bucket{le="0.1"} 0.0' in text and "timed_sum 0.5" in text


def test_a_mixed_batch_in_multiprocess_mode_counts_every_value(tmp_path):
    out = _run("""
        from prometheus_client import CollectorRegistry, Counter
        from stridewise.web import metric_writes as w

        class Other:
            def __init__(self):
                self.total = 0.0
            def inc(self, amount=1):
                self.total += amount

        other = Other()
        known = Counter("known", "h", registry=CollectorRegistry())
        w.write([(w.counter_value(known), 2.0), (w.counter_value(other), 5.0),
                 (w.counter_value(known), 1.0)])
        print(other.total)
    """, tmp_path)
    assert out.split() == ["5.0"]
    assert _samples(tmp_path)["known_total"] == 3.0
