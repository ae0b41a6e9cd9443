"""How a rule file's path is shown in diagnostics, `fired[].file`, responses and rule tests."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path, PurePosixPath

__all__ = ["display_path", "rules_roots"]

# The rule directories of the engine at work (set around its loading and status): a file under
# one of them that is neither bundled nor under the current directory is shown relative to it,
# so a response never carries a server path. A context variable, so engines never leak roots.
_ROOTS: ContextVar[tuple[Path, ...]] = ContextVar("stridewise_rules_roots", default=())


@contextlib.contextmanager
def rules_roots(paths: Iterable[str | os.PathLike[str]]) -> Iterator[None]:
    """Show rule files relative to these rule files' or directories' roots while inside."""
    roots = []
    for path in paths:
        root = Path(path).resolve()
        roots.append(root.parent if root.is_file() else root)
    token = _ROOTS.set(tuple(roots))
    try:
        yield
    finally:
        _ROOTS.reset(token)


def display_path(path: str | os.PathLike[str]) -> str:
    """A file of the bundled default ruleset as `rulesets/default/<file>` wherever we run; a
    file inside the current directory relative to it; inside `rules_roots`, a file under a
    root relative to that root (the root itself by its name); any other path as given."""
    return _display(os.fspath(path), os.getcwd(), _ROOTS.get())


@functools.lru_cache(maxsize=4096)
def _display(given: str, cwd: str, roots: tuple[Path, ...] = ()) -> str:
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
    for candidate in candidates:
        for root in roots:
            if candidate == root:
                return root.name
            if candidate.is_relative_to(root):
                return candidate.relative_to(root).as_posix()
    return given
