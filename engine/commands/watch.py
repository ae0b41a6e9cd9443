"""`--watch` for check and test: run once, then again whenever a watched file changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import click

__all__ = ["watch_paths"]

SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")


def _watched(change: object, path: str) -> bool:
    return path.endswith(SUFFIXES)


def watch_paths(
    paths: Iterable[str], run: Callable[[], object], *, stop: object = None
) -> None:
    """Call `run()` now and after each batch of changes under `paths`, until Ctrl-C.

    `stop` (a threading.Event) ends the loop; tests use it, people press Ctrl-C.
    """
    from watchfiles import watch

    roots = [str(Path(p).resolve()) for p in paths if Path(p).exists()]
    if not roots:
        raise click.ClickException("nothing to watch: none of the given paths exists")
    run()
    click.echo(f"watching {', '.join(roots)} (Ctrl-C to stop)", err=True)
    try:
        for changes in watch(*roots, watch_filter=_watched, stop_event=stop,  # type: ignore[arg-type]
                             debounce=200, raise_interrupt=False, rust_timeout=500):
            names = sorted({Path(path).name for _, path in changes})
            click.echo(f"changed: {', '.join(names)}", err=True)
            run()
    except KeyboardInterrupt:  # pragma: no cover - interactive
        pass
