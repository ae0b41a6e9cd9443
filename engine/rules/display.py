"""How a rule file's path is shown in diagnostics, `fired[].file`, responses and rule tests."""

from __future__ import annotations

import functools
import os
from pathlib import Path, PurePosixPath

__all__ = ["display_path"]


def display_path(path: str | os.PathLike[str]) -> str:
    """A file of the bundled default ruleset as `rulesets/default/<file>` wherever we run; a
    file inside the current directory relative to it; any other path as given."""
    return _display(os.fspath(path), os.getcwd())


@functools.lru_cache(maxsize=4096)
def _display(given: str, cwd: str) -> str:
    if not given or given.startswith("<"):  # "<ruleset>", "<string>": not a file
        return given
    from stridewise import rulesets

    absolute = Path(os.path.normpath(os.path.join(cwd, given)))
    if not os.path.isabs(given) and not absolute.exists():
        return PurePosixPath(given).as_posix()  # missing here, or already a displayed path
    candidates = [absolute]
    try:
        candidates.append(absolute.resolve())
    except (OSError, RuntimeError):  # pragma: no cover - a symlink loop
        pass
    default = rulesets.DEFAULT.resolve()
    for candidate in candidates:
        if candidate.is_relative_to(default):
            return str(PurePosixPath("rulesets", "default", *candidate.relative_to(default).parts))
    here = Path(cwd)
    for candidate, root in ((absolute, here), *((c, here.resolve()) for c in candidates)):
        if candidate.is_relative_to(root) and candidate != root:
            return candidate.relative_to(root).as_posix()
    return given
