"""/metrics over several workers' files: one file a worker is still creating (or left empty
when it was killed) must not take every worker's metrics down with a 500."""

from __future__ import annotations

import logging
import struct
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.mmap_dict import MmapedDict, mmap_key
from prometheus_client.multiprocess import MultiProcessCollector
from stridewise.web.multiproc import TolerantMultiProcessCollector


def _counter_file(folder: Path, pid: int, value: float) -> None:
    values = MmapedDict(str(folder / f"counter_{pid}.db"))
    key = mmap_key("stridewise_recommendations", "stridewise_recommendations_total", [], [],
                   "Recommendations answered.")
    values.write_value(key, value, 0.0)
    values.close()


def _scrape(collector_type: type, folder: Path) -> str:
    registry = CollectorRegistry()
    collector_type(registry, path=str(folder))
    return generate_latest(registry).decode()


def _value(text: str, name: str) -> float:
    lines = [line for line in text.splitlines() if line.startswith(name + " ")]
    assert lines, f"{name} not in the scrape"
    return float(lines[0].split()[1])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    _counter_file(tmp_path, 101, 3)
    _counter_file(tmp_path, 102, 4)
    (tmp_path / "counter_103.db").write_bytes(b"")  # a worker between creating and sizing it
    return tmp_path


def test_prometheus_clients_own_collector_fails_the_whole_scrape_on_an_empty_file(
    folder: Path,
) -> None:
    """The reproduction (prometheus/client_python#1199): this was the 500 from /metrics."""
    with pytest.raises(struct.error):
        _scrape(MultiProcessCollector, folder)


def test_an_empty_workers_file_is_left_out_and_the_others_are_served(
    folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="stridewise.metrics"):
        text = _scrape(TolerantMultiProcessCollector, folder)
    assert _value(text, "stridewise_recommendations_total") == 7.0
    assert _value(text, "stridewise_metrics_unreadable_files") == 1.0
    assert "counter_103.db cannot be read yet" in caplog.text


def test_a_corrupt_file_is_left_out_once_found_and_a_file_that_fills_in_counts_again(
    folder: Path,
) -> None:
    (folder / "counter_104.db").write_bytes(struct.pack("i", 4096) + b"\xff" * 60)
    registry = CollectorRegistry()
    TolerantMultiProcessCollector(registry, path=str(folder))
    text = generate_latest(registry).decode()
    assert _value(text, "stridewise_recommendations_total") == 7.0
    assert _value(text, "stridewise_metrics_unreadable_files") == 2.0
    (folder / "counter_103.db").unlink()
    (folder / "counter_104.db").unlink()
    _counter_file(folder, 103, 5)  # the starting worker has sized its file and counted
    text = generate_latest(registry).decode()
    assert _value(text, "stridewise_recommendations_total") == 12.0
    assert _value(text, "stridewise_metrics_unreadable_files") == 0.0
