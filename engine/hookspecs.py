"""The hooks a Stridewise plugin can implement (pluggy project name `stridewise`).

Every hook returns plain data validated against a marshmallow schema by the plugin manager, so
a plugin that returns something wrong is reported by name instead of breaking the catalog.
"""

from __future__ import annotations

from typing import Any

import pluggy

__all__ = ["hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("stridewise")
hookimpl = pluggy.HookimplMarker("stridewise")


@hookspec
def register_categories() -> list[dict[str, Any]]:
    """Return exercise categories as dicts: `id` (snake_case), `name`, `description`."""


@hookspec
def register_exercises() -> list[dict[str, Any]]:
    """Return catalog entries as dicts in the exercise schema (design §5, docs/plugins.md)."""


@hookspec
def register_constraints() -> list[Any]:
    """Return `engine.Constraint` objects: named, parameterised (exercise, context) predicates."""


@hookspec
def register_directives() -> list[Any]:
    """Return `engine.DirectiveSpec` objects: new `then` keys, their schema and how they apply."""


@hookspec
def register_rulesets() -> list[dict[str, Any]]:
    """Return rule files shipped by the plugin as dicts: `name` (ruleset) and `path` (dir/file)."""


@hookspec
def prepare_context(context: dict[str, Any]) -> dict[str, Any] | None:
    """Return extra facts for rules (merged under `ext.<key>`) from a validated context."""
