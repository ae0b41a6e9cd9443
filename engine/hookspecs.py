"""The hooks a Stridewise plugin can implement (pluggy project name `stridewise`).

Every hook returns plain data that `stridewise.catalog` validates item by item, so a plugin that
returns something wrong is reported by name (plugin, hook, item, field) instead of breaking
the catalog. Returning None contributes nothing. docs/plugins.md documents each hook; a test
fails when one is missing there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from stridewise.models import Constraint, DirectiveSpec

__all__ = ["PROJECT", "hookimpl", "hookspec"]

PROJECT = "stridewise"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_categories() -> list[dict[str, Any]] | None:
    """Return exercise categories as dicts: `id` (snake_case), `name`, `description`."""


@hookspec
def register_exercises() -> list[dict[str, Any]] | None:
    """Return catalog entries as dicts in the exercise schema (architecture.md, plugins.md)."""


@hookspec
def register_constraints() -> list[Constraint] | None:
    """Return `engine.Constraint` objects: named, parameterised (exercise, context) predicates."""


@hookspec
def register_directives() -> list[DirectiveSpec] | None:
    """Return `stridewise.DirectiveSpec` objects: `then` keys with their schema, merge policy,
    explain rendering and planner stage (the built-in directives arrive this way too)."""


@hookspec
def register_rulesets() -> list[dict[str, Any]] | None:
    """Return rule files shipped by the plugin as dicts: `name` (ruleset) and `path` (dir/file)."""


@hookspec
def prepare_context(context: dict[str, Any]) -> dict[str, Any] | None:
    """Return extra facts for rules (`ext.<plugin>.<key>`) from a read-only validated context."""
