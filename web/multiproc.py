"""Aggregating the workers' metric files without letting one bad file fail every scrape.

prometheus_client's `MultiProcessCollector` reads every `*.db` file of PROMETHEUS_MULTIPROC_DIR
and raises on the first it cannot read, so /metrics answers 500 for all workers' metrics. A
worker creates its file before sizing it (prometheus/client_python#1199), so a scrape during
a worker's start sees a 0-byte file; a worker killed in that moment leaves it for good. Here a
file that cannot be read yet is left out of this scrape, logged once, and counted in
`stridewise_metrics_unreadable_files`; the other workers' samples are served.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import struct
from collections.abc import Iterable, Iterator
from typing import Any

from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.multiprocess import MultiProcessCollector

__all__ = ["TolerantMultiProcessCollector"]

log = logging.getLogger("stridewise.metrics")
UNREADABLE = (OSError, struct.error, RuntimeError, ValueError, UnicodeDecodeError)
HEADER = 8  # a file shorter than its header has nothing recorded yet
ATTEMPTS = 3


class TolerantMultiProcessCollector(MultiProcessCollector):
    """`MultiProcessCollector` that serves what it can read."""

    def __init__(self, registry: Any, path: str | None = None) -> None:
        super().__init__(registry, path)
        self._reported: set[str] = set()

    def collect(self) -> Iterator[Metric]:
        files = glob.glob(os.path.join(self._path, "*.db"))
        readable, unreadable = _split(files)
        metrics: list[Metric] = []
        for _ in range(ATTEMPTS):
            try:
                metrics = list(self.merge(readable, accumulate=True))
                break
            except UNREADABLE:  # a file changed since it was checked: read each in full
                readable, late = _split(readable, deep=True)
                unreadable += late
        else:  # files kept changing under every read: serve the gauge alone
            unreadable += [os.path.basename(path) for path in readable]
        for name in unreadable:
            if name not in self._reported:
                self._reported.add(name)
                log.warning("metrics file %s cannot be read yet; left out of /metrics", name)
        yield from metrics
        gauge = GaugeMetricFamily(
            "stridewise_metrics_unreadable_files",
            "Workers' metric files left out of this scrape because they could not be read.")
        gauge.add_metric([], len(unreadable))
        yield gauge


def _split(files: Iterable[str], deep: bool = False) -> tuple[list[str], list[str]]:
    """(readable, unreadable) base names as paths; `deep` reads every value of each file."""
    good: list[str] = []
    bad: list[str] = []
    for path in files:
        try:
            if os.path.getsize(path) < HEADER:
                raise ValueError("empty")
            if deep:
                for key, *_ in MmapedDict.read_all_values_from_file(path):
                    json.loads(key)
        except FileNotFoundError:
            continue  # removed since the glob: a live gauge of a worker that ended
        except UNREADABLE:
            bad.append(os.path.basename(path))
            continue
        good.append(path)
    return good, bad
