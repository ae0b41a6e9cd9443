"""The last good ruleset survives restarts; reloads read one consistent, settled snapshot."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

import pytest
from stridewise.errors import RulesetError
from stridewise.service import Engine
from stridewise.snapshot import SnapshotStore, Sources, read_sources
from stridewise.web import create_app
from stridewise.web.reload import RulesWatcher
from web_fixtures import CONTEXT

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def rules(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    for source in (ROOT / "rulesets" / "default").glob("*.yaml"):
        shutil.copy(source, folder / source.name)
    return folder


def break_file(path: Path) -> None:
    path.write_text(path.read_text().replace("rules:", "rules: [", 1))


def test_without_a_snapshot_broken_files_stop_a_new_engine(rules):
    """The finding: a replacement worker cannot load broken rules, so it cannot boot."""
    break_file(rules / "base.yaml")
    with pytest.raises(RulesetError, match="base.yaml"):
        Engine.create(rules=rules)


def test_a_new_engine_on_broken_files_serves_the_last_good_snapshot(rules, tmp_path):
    snapshots = tmp_path / "snapshots"
    first = Engine.create(rules=rules, snapshot_dir=snapshots)
    good = first.ruleset.version
    assert (snapshots / "last-good.json").exists()
    break_file(rules / "base.yaml")

    second = Engine.create(rules=rules, snapshot_dir=snapshots)  # a worker started after a crash
    assert second.ruleset.version == good
    assert second.recommend(CONTEXT)["ruleset"]["version"] == good
    status = second.status()
    assert status["status"] == "degraded" and status["from_snapshot"] is True
    assert "base.yaml" in status["last_error"]
    # the response names the live files, not the snapshot
    assert all(not f.startswith(str(snapshots)) for f in status["files"])

    client = create_app({"TESTING": True, "ENGINE": second, "RELOAD": False}).test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["status"] == "degraded"
    assert "base.yaml" in " ".join(ready.get_json()["detail"])


def test_a_reload_after_the_fix_serves_the_live_files_again(rules, tmp_path):
    snapshots = tmp_path / "snapshots"
    Engine.create(rules=rules, snapshot_dir=snapshots)
    text = (rules / "base.yaml").read_text()
    break_file(rules / "base.yaml")
    engine = Engine.create(rules=rules, snapshot_dir=snapshots)
    (rules / "base.yaml").write_text(text + "\n# fixed\n")
    result = engine.reload()
    assert result.ok and result.changed
    assert engine.status()["status"] == "ok" and not engine.status()["from_snapshot"]
    stored = SnapshotStore(snapshots).load()
    assert stored is not None and stored[1] == engine.ruleset.version


def test_a_broken_edit_is_never_stored_as_last_good(rules, tmp_path):
    snapshots = tmp_path / "snapshots"
    engine = Engine.create(rules=rules, snapshot_dir=snapshots)
    good = engine.ruleset.version
    break_file(rules / "race.yaml")
    assert not engine.reload().ok
    stored = SnapshotStore(snapshots).load()
    assert stored is not None and stored[1] == good


def test_an_older_reading_never_replaces_a_newer_snapshot(tmp_path):
    store = SnapshotStore(tmp_path)
    assert store.save(Sources({tmp_path / "a.yaml": b"new"}, newest_ns=200), "sha256:new")
    assert not store.save(Sources({tmp_path / "a.yaml": b"old"}, newest_ns=100), "sha256:old")
    stored = store.load()
    assert stored is not None and stored[1] == "sha256:new"


def test_a_corrupt_snapshot_is_ignored(tmp_path):
    (tmp_path / "last-good.json").write_text("{not json")
    assert SnapshotStore(tmp_path).load() is None


def test_reading_waits_for_files_to_settle(tmp_path):
    (tmp_path / "a.yaml").write_text("x")
    now = time.time()
    slept: list[float] = []
    clock = iter([now, now, now + 10])  # modified just now; then long ago
    sources = read_sources([tmp_path], settle=0.5, clock=lambda: next(clock), sleep=slept.append)
    assert slept and sources.texts == {tmp_path / "a.yaml": b"x"}


def test_files_that_never_settle_are_an_error_not_a_partial_read(tmp_path):
    (tmp_path / "a.yaml").write_text("x")
    with pytest.raises(RulesetError, match="atomically"):
        read_sources([tmp_path], settle=5.0, attempts=3, sleep=lambda s: None)


RULE = """  - id: slow-{n}
    description: Written slowly by the test, one chunk at a time.
    when: age > 200
    then:
      notes: ["rule {n}"]
"""

# A writer in its own process, as an editor, `cp` or a config agent is: writing one rule at a
# time with a flush and a pause after each (every pause leaves a valid, partial file), it
# prints the longest pause it actually made. Written from the test's own process, the request
# threads held the GIL and stretched its 10 ms pauses past the 1 s settle time, so a valid
# partial file was served (reproduced after the Ray and Spark tests: 93, 106, 133 rules seen).
# A writer in another process does not wait for our GIL.
WRITER = """
import sys, time
path, pause, chunks = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
longest, last = 0.0, time.monotonic()
with open(path, "w") as handle:
    for chunk in chunks:
        handle.write(chunk)
        handle.flush()
        now = time.monotonic()
        longest, last = max(longest, now - last), now
        time.sleep(pause)
print(longest)
"""


def test_a_file_written_slowly_and_non_atomically_is_never_served_half_written(rules):
    """Under concurrent requests, a file rewritten in small chunks with pauses (shorter than the
    settle time) by another process is only ever served whole: the rule count is the old or
    the new, never between.
    """
    settle = 1.0
    engine = Engine.create(rules=rules, settle=settle)
    base = len(engine.ruleset.rules)
    count = 40
    chunks = ["ruleset: slow\nrules:\n", *(RULE.format(n=n) for n in range(count))]
    watcher = RulesWatcher(engine, [rules], interval=0.01, background=True)
    seen: set[int] = set()
    stop = threading.Event()

    def requests() -> None:
        deadline = time.monotonic() + 120  # bounded even if the writer fails
        while not stop.is_set() and time.monotonic() < deadline:
            watcher.poll()
            engine.recommend(CONTEXT)
            seen.add(len(engine.ruleset.rules))
            # A request thread waits on its socket between requests; two threads that never
            # wait kept the reload thread from the GIL for over 30 s (the CI failure).
            time.sleep(0.001)

    readers = [threading.Thread(target=requests) for _ in range(2)]
    for reader in readers:
        reader.start()
    pauses: list[float] = []
    try:
        for _ in range(3):  # write, settle, remove, settle: three times
            target = rules / "slow.yaml"
            written = subprocess.run(
                [sys.executable, "-c", WRITER, str(target), "0.01", *chunks],
                capture_output=True, text=True, timeout=60, check=True,
            )
            pauses.append(float(written.stdout))
            _wait_for(lambda: len(engine.ruleset.rules) == base + count and not watcher.reloading,
                      state=lambda: _watcher_state(watcher, engine, seen, pauses))
            target.unlink()
            _wait_for(lambda: len(engine.ruleset.rules) == base and not watcher.reloading,
                      state=lambda: _watcher_state(watcher, engine, seen, pauses))
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=30)
        watcher.wait(10)
    assert max(pauses) < settle, f"the writer paused {max(pauses):.2f} s: the test needs < {settle}"
    assert seen <= {base, base + count}, f"partial rulesets served: {sorted(seen)}"
    assert {base, base + count} <= seen


def _wait_for(predicate, timeout: float = 30.0, state=lambda: "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for the reload\n{state()}")


def _watcher_state(watcher: RulesWatcher, engine: Engine, seen: set[int], pauses) -> str:
    """What a timed-out wait needs to be diagnosed: watcher, engine, writer, every thread."""
    frames = sys._current_frames()
    stacks = "\n".join(
        f"--- {t.name}\n" + "".join(traceback.format_stack(frames[t.ident]))
        for t in threading.enumerate() if t.ident in frames
    )
    return (f"rules {len(engine.ruleset.rules)}, seen {sorted(seen)}, reloading "
            f"{watcher.reloading}, activated {watcher.activated}, failures {watcher.failures}, "
            f"last error {watcher.last_error!r}, writer pauses {pauses}\n"
            f"signature then {watcher._signature}\nfiles now {watcher.signature()}\n{stacks}")
