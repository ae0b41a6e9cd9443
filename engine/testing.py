"""Helpers for plugin authors' tests: plugins and catalogs from exactly the objects given.

Importable without pytest. Typical use in a plugin's own test suite:

    from stridewise.testing import build_catalog
    import my_plugin

    def test_my_exercises_load():
        catalog = build_catalog(my_plugin, strict=True)   # raises CatalogError on any problem
        assert catalog.exercises["a_skip_drill"].plugin == "my_plugin"

`register_plugin` adds a plugin to every `load_plugins()` call (and so every engine built)
while the `with` block runs, the way datasette's tests register plugins on its manager.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from stridewise import plugin_manager as _plugins
from stridewise.catalog import Catalog
from stridewise.catalog import build_catalog as _build_catalog
from stridewise.constraints import ConstraintOutcome, apply_constraints
from stridewise.models import Exercise

__all__ = [
    "build_catalog",
    "build_engine",
    "check_constraint",
    "plugin_manager",
    "plugin_name",
    "register_plugin",
]


def plugin_name(plugin: object) -> str:
    """The name a plugin object gets when none is given: its module or class name."""
    name = getattr(plugin, "__name__", None) or type(plugin).__name__
    return str(name)


def _named(objects: tuple[object, ...]) -> dict[str, object]:
    named: dict[str, object] = {}
    for obj in objects:
        if isinstance(obj, tuple) and len(obj) == 2 and isinstance(obj[0], str):
            named[obj[0]] = obj[1]
        else:
            named[plugin_name(obj)] = obj
    return named


def plugin_manager(*plugins: object, env: Mapping[str, str] | None = None) -> _plugins.Plugins:
    """Plugins loaded from exactly these objects (modules, classes, instances or
    `(name, object)` pairs); no entry points. `env` defaults to empty, not os.environ."""
    return _plugins.load_plugins(env=env or {}, entry_points=False, extra=_named(plugins))


def build_catalog(
    *plugins: object, strict: bool = False, env: Mapping[str, str] | None = None
) -> Catalog:
    """A catalog built from exactly these plugins; `strict=True` raises on any problem.

    Include `plugins.categories` (or your own categories) when your exercises use the
    built-in categories, and `plugins.constraints` for the built-in constraints.
    """
    catalog = _build_catalog(plugin_manager(*plugins, env=env))
    if strict:
        catalog.raise_for_problems()
    return catalog


def build_engine(
    *plugins: object,
    rules: Any = None,
    backend: str = "python",
    env: Mapping[str, str] | None = None,
) -> Any:
    """An `stridewise.service.Engine` built from exactly these plugins (no entry points).

    Pass `rules=` (rule files or directories), or include `plugins.rulesets` to get the default
    ruleset. The pure-Python backend is the default here: fast to build, same results.
    """
    from stridewise.service import Engine  # imported late: plugin-only tests need no rules core

    return Engine.create(rules=rules, plugins=_named(plugins), backend=backend, env=env or {})


def check_constraint(
    catalog: Catalog,
    name: str,
    context: Mapping[str, Any],
    params: Mapping[str, Any] | None = None,
    exercises: list[Exercise] | None = None,
) -> ConstraintOutcome:
    """Apply one constraint (and nothing else, not even `always` ones) to the catalog."""
    constraint = dataclasses.replace(catalog.constraints[name], always=False)
    pool = list(catalog.exercises.values()) if exercises is None else exercises
    return apply_constraints(pool, context, {name: constraint}, {name: params or {}})


@contextmanager
def register_plugin(plugin: object, name: str | None = None) -> Iterator[str]:
    """Add `plugin` to every `load_plugins()` call inside the block; yields its name."""
    key = name or plugin_name(plugin)
    if key in _plugins._EXTRA:
        raise ValueError(f"a test plugin named '{key}' is already registered")
    _plugins._EXTRA[key] = plugin
    try:
        yield key
    finally:
        _plugins._EXTRA.pop(key, None)
