"""CPU per request of the HTTP layer, in-process: POST /v1/recommendations through the WSGI app.

    .venv/bin/python tests/tools/http_cpu.py [LABEL]
    # before/after: run it with each tree's interpreter in turn, e.g.
    # BEFORE/.venv/bin/python tests/tools/http_cpu.py before; .venv/bin/python ... after

The 100 bench contexts in turn, single requests and one `:batch` of them, multiprocess metrics
on (as under `stridewise serve`), the access log on (stderr: redirect it), `time.process_time`,
median of 7 rounds; `Engine.recommend` on the same contexts is subtracted for the HTTP layer's
own share (`http_layer`). That difference moves with planning's cache footprint, so the HTTP
layer is also timed alone (`http_only`): the same requests with `Engine.recommend` answering
from a table of its answers, computed beforehand (a measurement device: the service never
answers from memory). Prints one dict of microseconds.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
import time
from typing import Any

os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="sw-http-cpu-"))

from stridewise.bench import RECOMMEND_CONTEXTS  # noqa: E402
from stridewise.web import create_app  # noqa: E402

ROUNDS = 7


def main() -> None:
    app = create_app({"RELOAD": False})
    engine = app.extensions["stridewise"].engine
    contexts = [{**RECOMMEND_CONTEXTS[i % len(RECOMMEND_CONTEXTS)], "athlete_id": f"http-{i}",
                 "start_date": "2026-11-30"} for i in range(100)]
    bodies = [json.dumps(c).encode() for c in contexts]
    batch = json.dumps({"contexts": contexts}).encode()

    def call(body: bytes, path: str = "/v1/recommendations") -> None:
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "POST", "PATH_INFO": path, "SERVER_NAME": "localhost",
            "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
            "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/json",
            "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "localhost", "HTTP_ACCEPT": "*/*",
        }
        out = app(environ, lambda status, headers, exc_info=None: None)
        b"".join(out)
        getattr(out, "close", lambda: None)()

    answers = {c["athlete_id"]: engine.recommend(c) for c in contexts}
    recommend = engine.recommend

    def http_only() -> None:
        engine.recommend = lambda context: answers[context["athlete_id"]]
        try:
            for b in bodies:
                call(b)
        finally:
            engine.recommend = recommend

    runs = {
        "single": lambda: [call(b) for b in bodies],
        "batch": lambda: call(batch, "/v1/recommendations:batch"),
        "engine": lambda: [engine.recommend(c) for c in contexts],
        "http_only": http_only,
    }
    for run in runs.values():  # warm up
        run()
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(ROUNDS):
        for name, run in runs.items():
            start = time.process_time()
            run()
            times[name].append((time.process_time() - start) / len(contexts) * 1e6)
    median = {name: round(sorted(t)[ROUNDS // 2]) for name, t in times.items()}
    median["http_layer"] = median["single"] - median["engine"]
    print(sys.argv[1] if len(sys.argv) > 1 else "", median, file=sys.__stdout__)


if __name__ == "__main__":
    main()
