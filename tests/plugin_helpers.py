"""Small plugin objects and a valid catalog-entry factory for the plugin and catalog tests."""

from __future__ import annotations

from typing import Any

from stridewise import hookimpl


def make_exercise(id_: str, **overrides: Any) -> dict[str, Any]:
    """A complete, valid catalog entry (architecture.md format) with `overrides` applied."""
    entry: dict[str, Any] = {
        "id": id_,
        "name": id_.replace("_", " ").capitalize(),
        "categories": ["core"],
        "primary_muscles": ["rectus_abdominis"],
        "equipment": [],
        "impact": "none",
        "level": "beginner",
        "tags": ["anti_extension"],
        "contraindications": [],
        "progressions": [],
        "regressions": [],
        "substitutes": [],
        "prescription": {"sets": 3, "seconds": 30, "rest_s": 45},
        "minutes": 4,
        "instructions": "Hold a straight line from head to heels.",
        "source": "test",
    }
    entry.update(overrides)
    return entry


class Categories:
    """Two categories: core and plyometrics."""

    @hookimpl
    def register_categories(self) -> list[dict[str, Any]]:
        return [
            {"id": "plyometrics", "name": "Plyometrics"},
            {"id": "core", "name": "Core", "description": "Trunk control."},
        ]


class Exercises:
    """A plugin whose exercises are given at construction (name it with `name=`)."""

    def __init__(self, *entries: dict[str, Any]) -> None:
        self.entries = list(entries)

    @hookimpl
    def register_exercises(self) -> list[dict[str, Any]]:
        return list(self.entries)


class Raises:
    """A plugin whose hooks raise."""

    @hookimpl
    def register_exercises(self) -> list[dict[str, Any]]:
        raise RuntimeError("catalog file missing")

    @hookimpl
    def prepare_context(self, context: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("weather")


class Misspelled:
    """A plugin with a misspelled hook next to a valid one."""

    @hookimpl
    def register_exercise(self) -> list[dict[str, Any]]:
        return [make_exercise("never_seen")]

    @hookimpl
    def register_categories(self) -> list[dict[str, Any]]:
        return [{"id": "running_drills", "name": "Running drills"}]
