"""Engine objects as JSON for the read-only endpoints (catalog, plugins, readiness)."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask_smorest import abort
from stridewise.service import Engine

__all__ = ["category_listing", "exercise_listing", "plugin_listing", "readiness_problems"]


def exercise_listing(engine: Engine, filters: dict[str, Any]) -> dict[str, Any]:
    """Exercises matching the query, through `Catalog.select`; unknown names are a 422."""
    from stridewise.catalog import exercise_to_dict

    catalog = engine.catalog
    problems = catalog.unknown_filters(
        categories=filters.get("category") or (), tags=filters.get("tag") or ()
    )
    if problems:  # an unknown name would silently match nothing
        abort(422, messages={"query": problems})
    found = catalog.select(
        categories=filters.get("category"),
        tags=filters.get("tag"),
        uses=filters.get("uses"),
        available=filters.get("equipment"),
    )
    return {"count": len(found), "exercises": [exercise_to_dict(e) for e in found]}


def category_listing(engine: Engine) -> dict[str, Any]:
    """Every category with the number of exercises in it."""
    catalog = engine.catalog
    items = []
    for category in catalog.categories.values():
        entry = dataclasses.asdict(category)
        entry["exercises"] = len(catalog.by_category.get(category.id, ()))
        items.append(entry)
    return {"count": len(items), "categories": items}


def plugin_listing(engine: Engine) -> dict[str, Any]:
    """Plugins as `stridewise plugins --json` shows them, plus catalog problems."""
    listing = engine.plugins.to_json()
    return {
        "count": len(listing),
        "plugins": listing,
        "problems": [p.to_dict() for p in engine.catalog.problems],
    }


def readiness_problems(status: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(why nothing good can be served, what is wrong while a good version serves).

    A broken rule edit is a degradation, not unreadiness: the last good version keeps
    answering, and every replica sharing the rules would otherwise leave the load balancer at
    once. A plugin that failed to load makes every answer miss its exercises or constraints,
    so that replica is not ready.
    """
    fatal: list[str] = []
    degraded: list[str] = []
    load_status = str(status.get("status") or "ok")
    if status.get("last_error"):
        degraded.append(
            f"the rule files on disk are broken; still serving {status.get('version')}: "
            f"{status['last_error']}"
        )
    elif load_status not in {"ok", "loaded", "ready", "degraded"}:
        fatal.append(f"ruleset status is '{load_status}'")
    engine = status.get("engine") or {}
    for plugin in engine.get("plugins") or ():
        if isinstance(plugin, dict) and plugin.get("status") == "failed":
            fatal.append(f"plugin '{plugin.get('name')}' failed to load")
    return fatal, degraded
