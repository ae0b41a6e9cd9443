"""Prometheus metrics at /metrics: requests, latency, rules fired, reloads, reload failures.

Each app gets its own registry so several apps (tests) can live in one process. Under gunicorn
with several workers, set PROMETHEUS_MULTIPROC_DIR (an empty, writable directory) before the
server starts: every worker then writes its samples there and /metrics aggregates all workers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from flask import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from . import metric_writes

__all__ = ["Metrics", "multiprocess_enabled"]

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


def multiprocess_enabled() -> bool:
    """Whether prometheus_client writes samples to PROMETHEUS_MULTIPROC_DIR (gunicorn mode)."""
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


class Metrics:
    """The service's metrics and the registry /metrics exposes."""

    def __init__(self) -> None:
        own = CollectorRegistry(auto_describe=True)
        if multiprocess_enabled():
            from stridewise.web.multiproc import TolerantMultiProcessCollector

            self.registry = CollectorRegistry()
            TolerantMultiProcessCollector(self.registry)
        else:
            self.registry = own
        self.requests = Counter(
            "stridewise_http_requests",
            "HTTP requests by endpoint (route rule), method and status.",
            ["endpoint", "method", "status"],
            registry=own,
        )
        self.latency = Histogram(
            "stridewise_http_request_duration_seconds",
            "Time to answer an HTTP request, by endpoint (route rule).",
            ["endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=own,
        )
        self.recommendations = Counter(
            "stridewise_recommendations",
            "Contexts answered with a plan (batch items count one each).",
            registry=own,
        )
        self.rules_fired = Counter(
            "stridewise_rules_fired",
            "Rule firings in answered recommendations, by rule id.",
            ["rule"],
            registry=own,
        )
        self.rule_cycles = Counter(
            "stridewise_rule_cycles",
            "Requests stopped because the active rules kept flipping a fact (422), by rule id.",
            ["rule"],
            registry=own,
        )
        self.reloads = Counter(
            "stridewise_reloads",
            "Ruleset reloads that activated a new version.",
            registry=own,
        )
        self.ruleset_info = Gauge(
            "stridewise_ruleset_info",
            "1 for each ruleset version a live worker serves.",
            ["name", "version"],
            registry=own,
            multiprocess_mode="livemax",
        )
        self.build_info = Gauge(
            "stridewise_build_info",
            "Versions of Stridewise, Python and durable-rules in this server (always 1).",
            ["version", "python", "durable_rules"],
            registry=own,
            multiprocess_mode="livemax",
        )
        self.build_info.labels(*_build()).set(1)
        self._served: tuple[str, str] | None = None
        # label children looked up once: `labels()` validates and locks on every call (~4 µs,
        # 15-20 times a recommendation); the label values are bounded (route rules, methods,
        # statuses, rule ids), as the registry's own children are
        self._request_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self._fired_children: dict[str, Any] = {}
        self.decisions_dropped = Counter(
            "stridewise_decision_log_dropped",
            "Decision-log entries dropped because the writer's queue was full.",
            registry=own,
        )
        self.reload_failures = Counter(
            "stridewise_reload_failures",
            "Ruleset reloads rejected (the last good version kept serving).",
            registry=own,
        )

    def observe_request(self, endpoint: str, method: str, status: int, seconds: float) -> None:
        """Count one answered request (unknown methods fold into `other`: bounded labels)."""
        key = (endpoint, method, status)
        children = self._request_children.get(key)
        if children is None:
            label = method if method in METHODS else "other"
            children = (self.requests.labels(endpoint, label, str(status)),
                        self.latency.labels(endpoint))
            if label != "other":  # an unknown method is not kept: it is the client's choice
                self._request_children[key] = children
        requests, latency = children
        metric_writes.write([(metric_writes.counter_value(requests), 1.0),
                             *metric_writes.observation(latency, seconds)])

    def observe_ruleset(self, name: str | None, version: str | None) -> None:
        """Mark the ruleset version this process serves (the previous one drops to 0)."""
        current = (str(name), str(version))
        if version is None or current == self._served:
            return
        if self._served is not None:
            self.ruleset_info.labels(*self._served).set(0)
        self.ruleset_info.labels(*current).set(1)
        self._served = current

    def observe_recommendation(self, response: dict[str, Any]) -> None:
        """Count one plan and the rules that fired for it."""
        self.observe_recommendations((response,))

    def observe_recommendations(self, responses: Iterable[dict[str, Any]]) -> None:
        """Count plans and the rules that fired for them, each counter moved once (a batch of
        100 plans: ~30 increments, not ~1,700; each one is a locked write under gunicorn)."""
        plans = 0
        fired: dict[str, int] = {}
        for response in responses:
            plans += 1
            for item in response.get("fired") or ():
                rule = item.get("rule") if isinstance(item, dict) else None
                if rule:
                    rule = str(rule)
                    fired[rule] = fired.get(rule, 0) + 1
        if not plans:
            return
        increments = [(metric_writes.counter_value(self.recommendations), float(plans))]
        children = self._fired_children
        for rule, count in fired.items():
            value = children.get(rule)
            if value is None:
                value = children[rule] = metric_writes.counter_value(self.rules_fired.labels(rule))
            increments.append((value, float(count)))
        metric_writes.write(increments)

    def observe_cycle(self, rules: Iterable[str]) -> None:
        """Count one request stopped by a rule cycle, once per rule in the cycle."""
        for rule in rules:
            self.rule_cycles.labels(str(rule)).inc()

    def exposition(self) -> Response:
        """The /metrics response in the Prometheus text format."""
        return Response(generate_latest(self.registry), content_type=CONTENT_TYPE_LATEST)


def _build() -> tuple[str, str, str]:
    import platform
    from importlib import metadata

    versions = []
    for dist in ("stridewise", "durable-rules"):
        try:
            versions.append(metadata.version(dist))
        except metadata.PackageNotFoundError:
            versions.append("none")
    return versions[0], platform.python_version(), versions[1]
