"""HTTP throughput: Stridewise against a bare Flask app, same gunicorn worker class and count.

    python -m stridewise.bench_http [--workers 2] [--concurrency 1,4] [--seconds 10] [--rounds 2]
    python -m stridewise.bench_http --batch 100     # also: a context in :batch vs one request

Starts both servers on 127.0.0.1 (free ports; nothing listens elsewhere), then for each
concurrency runs `wrk` (Debian: apt-get install wrk) against each in turn, `--rounds` times
interleaved, and prints requests/s and latency percentiles as Markdown (or `--json`). Every
run is bounded (`--seconds`; servers are stopped on exit). The bare app answers the same
POSTs with `{}`: the cost of gunicorn + Flask alone, which Stridewise's number is divided by.
Both get the same worker class, count and threads, and both settle their heap after building
the app (`serve.settle_heap`). Single requests post the bench athletes in turn (the same
contexts as the batch), so a context in `:batch` is compared with the same plans one by one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

__all__ = [
    "bare_app", "main", "parse_wrk", "run_wrk", "served_bare_app", "targets", "tree_cpu_seconds",
]

WORKER = "stridewise.commands.worker.StridewiseWorker"
THREADS = 64  # `stridewise serve`'s default, given to both
_LATENCY = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def bare_app() -> Any:
    """The baseline: Flask answering POST /v1/recommendations (and :batch) with `{}`."""
    from flask import Flask, request

    app = Flask("bare")

    @app.post("/v1/recommendations")
    def recommend() -> Any:
        request.get_json()
        return {}

    @app.post("/v1/recommendations:batch")
    def batch() -> Any:
        request.get_json()
        return {}

    @app.get("/healthz")
    def healthz() -> Any:
        return {"status": "ok"}

    return app


def served_bare_app() -> Any:
    """`bare_app()` as gunicorn loads it in each worker: settled as `stridewise serve` does."""
    from stridewise.commands.serve import settle_heap

    app = bare_app()
    settle_heap()
    return app


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system, seconds) of a process and its descendants, from /proc: what a
    server spent, whatever else runs on the machine (0.0 where /proc is not there)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(stat[11]) + int(stat[12])) / tick
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, ValueError, IndexError):
            continue
        pending.extend(int(child) for child in children)
    return total


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _server(argv: list[str], port: int, log: Path) -> Iterator[tuple[str, int]]:
    """A server process on 127.0.0.1:port, ready (GET /healthz answers) or RuntimeError."""
    with log.open("wb") as sink:
        proc = subprocess.Popen(argv, stdout=sink, stderr=sink)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{argv[0]} did not start; see {log}") from None
                time.sleep(0.2)
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def run_wrk(url: str, body: Path, connections: int, seconds: float) -> dict[str, float]:
    """One bounded wrk run posting `body` (a JSON file; a `.jsonl` file: its lines in turn,
    one per request): requests/s and p50/p75/p90/p99 in ms."""
    lines = body.read_text(encoding="utf-8").splitlines()
    bodies = lines if body.suffix == ".jsonl" else ["\n".join(lines)]
    script = body.with_suffix(".lua")
    script.write_text(
        'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
        f"bodies = {{{', '.join(f'[==[{b}]==]' for b in bodies)}}}\n"
        "i = 0\nrequest = function()\n  i = i % #bodies + 1\n"
        "  return wrk.format(nil, nil, nil, bodies[i])\nend\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        ["wrk", "-t", "1", "-c", str(connections), "-d", f"{max(1, round(seconds))}s", "--latency",
         "-s", str(script), url],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    ).stdout
    return parse_wrk(out)


def parse_wrk(out: str) -> dict[str, float]:
    """wrk's report (with --latency) as requests/s, p50...p99 in ms and non-2xx responses."""
    rate = _RATE.search(out)
    if rate is None:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    result = {"rps": float(rate.group(1))}
    for pct, value, unit in _LATENCY.findall(out):
        result[f"p{pct}_ms"] = float(value) * _UNIT[unit]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result["non_2xx"] = float(errors.group(1)) if errors else 0.0
    done = re.search(r"(\d+) requests in", out)
    if done:
        result["requests"] = float(done.group(1))
    return result


def _contexts() -> list[dict[str, Any]]:
    from stridewise.bench import RECOMMEND_CONTEXTS

    return list(RECOMMEND_CONTEXTS)


def _context(index: int = 0) -> dict[str, Any]:
    """The bench athletes in turn, each with its own id (the recommend suite's contexts)."""
    body = _contexts()[index % len(_contexts())]
    return {**body, "athlete_id": f"http-{index}", "start_date": "2026-11-30"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for both")
    parser.add_argument("--concurrency", default="1,4", help="wrk connections, comma-separated")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved runs per cell")
    parser.add_argument("--batch", type=int, default=0,
                        help="also post :batch with this many contexts (per-context cost)")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    args = parser.parse_args(argv)
    levels = [int(c) for c in args.concurrency.split(",") if c.strip()]
    results: dict[str, list[dict[str, float]]] = {}
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sw-http-")))
        contexts = [_context(i) for i in range(max(args.batch, len(_contexts())))]
        single = tmp / "contexts.jsonl"  # one context a request, in turn: the batch's contexts
        single.write_text("".join(json.dumps(c) + "\n" for c in contexts), encoding="utf-8")
        gunicorn = [sys.executable, "-m", "gunicorn", "-k", WORKER, "-w", str(args.workers),
                    "--threads", str(THREADS), "--log-level", "warning"]
        ports = {"bare": _free_port(), "stridewise": _free_port()}
        servers = {
            "bare": stack.enter_context(_server(
                [*gunicorn, "-b", f"127.0.0.1:{ports['bare']}",
                 "stridewise.bench_http:served_bare_app()"],
                ports["bare"], tmp / "bare.log")),
            "stridewise": stack.enter_context(_server(
                [sys.executable, "-m", "stridewise", "serve", "--port", str(ports["stridewise"]),
                 "--workers", str(args.workers), "--threads", str(THREADS), "--no-reload",
                 "--log-level", "warning"], ports["stridewise"], tmp / "stridewise.log")),
        }
        cells = [(name, c, "/v1/recommendations", single) for c in levels for name in servers]
        if args.batch:
            batch = tmp / "batch.json"
            batch.write_text(json.dumps({"contexts": contexts[:args.batch]}), encoding="utf-8")
            cells.append(("stridewise", 1, "/v1/recommendations:batch", batch))
        for name, _, path, body in cells:  # warm up every server and path
            run_wrk(servers[name][0] + path, body, 1, 2)
        for _ in range(args.rounds):
            for name, c, path, body in cells:
                key = f"{name} {path.rsplit('/', 1)[1]} c={c}"
                url, pid = servers[name]
                before = tree_cpu_seconds(pid)
                run = run_wrk(url + path, body, c, args.seconds)
                spent = tree_cpu_seconds(pid) - before
                run["cpu_ms"] = spent * 1000 / max(1.0, run.get("requests", 0.0))
                results.setdefault(key, []).append(run)
    summary = {key: {k: statistics.median(r[k] for r in runs) for k in runs[0]}
               for key, runs in results.items()}
    meta = {"workers": args.workers, "threads": THREADS, "seconds": args.seconds,
            "rounds": args.rounds, "load_average": os.getloadavg()[0], "batch": args.batch,
            "contexts": len(contexts)}
    verdict = targets(summary, levels, args.batch)
    if args.json:
        print(json.dumps({"meta": meta, "results": summary, "targets": verdict}, indent=2))
        return 0
    print(f"{args.workers} workers x {THREADS} threads ({WORKER}); wrk -t1, {args.seconds:g} s "
          f"x {args.rounds} rounds interleaved; {len(contexts)} contexts posted in turn; "
          f"load average {meta['load_average']:.2f}")
    print("| server | path | connections | requests/s | p50 ms | p99 ms | server CPU ms/request |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for key, cell in summary.items():
        name, path, conn = key.split(" ")
        print(f"| {name} | {path} | {conn[2:]} | {cell['rps']:,.0f} | {cell.get('p50_ms', 0):.2f} "
              f"| {cell.get('p99_ms', 0):.2f} | {cell.get('cpu_ms', 0):.3f} |")
    for line in verdict["lines"]:
        print(line)
    return 0


def targets(summary: dict[str, dict[str, float]], levels: list[int], batch: int) -> dict[str, Any]:
    """Issue 13's HTTP targets from a summary: ratios to bare Flask, p99, the batch ratio."""
    out: dict[str, Any] = {"lines": []}
    for c in levels:
        ours, bare = summary[f"stridewise recommendations c={c}"], summary[
            f"bare recommendations c={c}"]
        ratio = ours["rps"] / bare["rps"]
        out[f"ratio_c{c}"] = ratio
        out["lines"].append(f"stridewise / bare at {c} connection(s): {ratio:.2f}x "
                            f"(target >= 0.5x: {'met' if ratio >= 0.5 else 'not met'})")
        if ours.get("cpu_ms") and bare.get("cpu_ms"):
            out[f"cpu_ratio_c{c}"] = bare["cpu_ms"] / ours["cpu_ms"]
            out["lines"].append(
                f"  server CPU per request at {c}: bare {bare['cpu_ms']:.3f} ms, stridewise "
                f"{ours['cpu_ms']:.3f} ms ({bare['cpu_ms'] / ours['cpu_ms']:.2f}x)")
        if c == 4:
            p99 = ours.get("p99_ms", 0.0)
            out["p99_c4_ms"] = p99
            out["lines"].append(f"stridewise p99 at 4 connections: {p99:.2f} ms "
                                f"(target <= 20 ms: {'met' if p99 <= 20 else 'not met'})")
    if batch:
        per_context = 1 / (summary["stridewise recommendations:batch c=1"]["rps"] * batch)
        one = 1 / summary["stridewise recommendations c=1"]["rps"]
        out["batch_ratio"] = per_context / one
        cpu_batch = summary["stridewise recommendations:batch c=1"].get("cpu_ms", 0.0) / batch
        cpu_one = summary["stridewise recommendations c=1"].get("cpu_ms", 0.0)
        out["lines"].append(
            f"a context in :batch ({batch} per request) costs {per_context * 1e3:.3f} ms against "
            f"{one * 1e3:.3f} ms for one request (the same contexts): {per_context / one:.2f}x "
            f"(target <= 0.6x: {'met' if per_context / one <= 0.6 else 'not met'})")
        if cpu_batch and cpu_one:
            out["cpu_batch_ratio"] = cpu_batch / cpu_one
            out["lines"].append(f"  server CPU: {cpu_batch:.3f} ms a context in :batch, "
                                f"{cpu_one:.3f} ms a request ({cpu_batch / cpu_one:.2f}x)")
    return out


if __name__ == "__main__":
    sys.exit(main())
