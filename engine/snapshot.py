"""Rule files read as one consistent snapshot, and the last good snapshot kept on disk.

`read_sources(paths)` waits until no rule file was modified in the last `settle` seconds,
reads every file, then checks that nothing changed while it read (names, sizes, mtimes,
inodes); a change means another attempt. A file written slowly and non-atomically is
therefore never compiled half-written, as long as the writer does not pause longer than
`settle` in the middle of a file (docs/deploying.md).

`SnapshotStore` keeps the texts of the last version that validated and compiled, in one JSON
file replaced atomically (write a temporary file, fsync, rename). `stridewise serve` gives
every worker the same store, so a worker that boots while the live files are broken (after a
crash, a kill or a recycle) serves the last good version instead of failing to boot.

`VALIDATED` remembers, in memory, the last ruleset this process validated and what from, so
that a `stridewise serve` worker, forked from the master that validated the same bytes before
forking, compiles that `Ruleset` instead of parsing and validating the files again.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stridewise.errors import RulesetError

if TYPE_CHECKING:
    from stridewise.directives import Vocabulary
    from stridewise.rules import Ruleset

__all__ = [
    "SNAPSHOT_FILE",
    "VALIDATED",
    "LastValidated",
    "SnapshotStore",
    "Sources",
    "read_sources",
    "signature",
]

SNAPSHOT_FILE = "last-good.json"
FORMAT = 1
Signature = tuple[tuple[str, int, int, int], ...]


@dataclass(frozen=True)
class Sources:
    """The bytes of every rule file, read together; `newest_ns` is the newest mtime among them."""

    texts: Mapping[Path, bytes]
    newest_ns: int = 0

    @property
    def paths(self) -> list[Path]:
        return list(self.texts)


def _files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    from stridewise.rules import rule_files

    return rule_files(paths)


def signature(files: Iterable[Path]) -> Signature:
    """(name, size, mtime, inode) of each file; a missing file shows as size -1."""
    entries = []
    for path in files:
        try:
            st = path.stat()
            entries.append((str(path), st.st_size, st.st_mtime_ns, st.st_ino))
        except OSError:
            entries.append((str(path), -1, 0, 0))
    return tuple(entries)


def read_sources(
    paths: Iterable[str | os.PathLike[str]],
    *,
    settle: float = 1.0,
    attempts: int = 20,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> Sources:
    """Every rule file's bytes, read when the files have settled and unchanged while read."""
    from stridewise.rules.parse import MAX_BYTES

    paths = list(paths)
    for _ in range(max(1, attempts)):
        files = _files(paths)
        before = signature(files)
        newest = max((entry[2] for entry in before), default=0)
        quiet = clock() - newest / 1e9
        if settle > 0 and quiet < settle:
            sleep(min(settle, max(settle - quiet, 0.01)))
            continue
        texts: dict[Path, bytes] = {}
        for path in files:
            try:
                with path.open("rb") as handle:
                    texts[path] = handle.read(MAX_BYTES + 1)
            except OSError:
                texts[path] = b""  # reported by the loader as missing/unreadable below
        if signature(_files(paths)) == before:
            return Sources({p: t for p, t in texts.items() if _present(before, p)}, newest)
        sleep(max(settle, 0.01))
    names = ", ".join(sorted(p.name for p in _files(paths))) or "none"
    raise RulesetError(
        f"the rule files kept changing while being read ({attempts} attempts; files: {names}); "
        "replace rule files atomically (write a temporary file, then rename it)"
    )


def _present(before: Signature, path: Path) -> bool:
    return any(entry[0] == str(path) and entry[1] >= 0 for entry in before)


class SnapshotStore:
    """The last good rule texts in `directory/last-good.json`, shared by a server's workers."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    @property
    def path(self) -> Path:
        return self.directory / SNAPSHOT_FILE

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / ".lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def save(self, sources: Sources, version: str) -> bool:
        """Keep `sources` as the last good version unless the stored one was read from newer
        files (another worker got there first); True when written."""
        entry = {
            "format": FORMAT,
            "version": version,
            "newest_ns": sources.newest_ns,
            "saved_at": time.time(),
            "files": [
                {"path": str(path), "text": text.decode("utf-8")}
                for path, text in sources.texts.items()
            ],
        }
        with self._locked():
            current = self._read()
            if current is not None and int(current.get("newest_ns", 0)) > sources.newest_ns:
                return False
            if current is not None and current.get("version") == version:
                return False
            fd, tmp = tempfile.mkstemp(prefix=".last-good-", dir=self.directory)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(entry, handle)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        return True

    def _read(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        return data

    def load(self) -> tuple[Sources, str] | None:
        """The stored sources and their version, or None when there is no usable snapshot."""
        data = self._read()
        if data is None:
            return None
        try:
            texts = {Path(f["path"]): str(f["text"]).encode("utf-8") for f in data["files"]}
            return Sources(texts, int(data.get("newest_ns", 0))), str(data["version"])
        except (KeyError, TypeError, ValueError):
            return None


class LastValidated:
    """The last ruleset validated in this process, with what it was validated from.

    Validation is a function of the files' bytes, their paths, the rules roots, the working
    directory (how files are shown) and the vocabulary; `get` answers only for equal inputs.
    A `Ruleset` is plain frozen data (no durable-rules state), so a forked worker may compile
    the one its master validated. One entry: a reload replaces it.
    """

    def __init__(self) -> None:
        self._entry: tuple[tuple[Any, ...], Vocabulary, Ruleset] | None = None

    @staticmethod
    def key(name: str, roots: Iterable[Path], sources: Sources) -> tuple[Any, ...]:
        return (name, tuple(roots), os.getcwd(), tuple(sources.texts.items()))

    def get(self, key: tuple[Any, ...], vocabulary: Vocabulary) -> Ruleset | None:
        entry = self._entry  # one read: a reload thread may replace it meanwhile
        if entry is not None and entry[0] == key and entry[1] == vocabulary:
            return entry[2]
        return None

    def put(self, key: tuple[Any, ...], vocabulary: Vocabulary, ruleset: Ruleset) -> None:
        self._entry = (key, vocabulary, ruleset)


VALIDATED = LastValidated()
