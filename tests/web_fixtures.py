"""Fixtures for the web tests: the real Engine, and a fake one that forces failures on demand."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from stridewise.catalog import Catalog
from stridewise.context import load_context
from stridewise.errors import ContextError, RuleCycleError
from stridewise.models import Category, Exercise, Prescription

CONTEXT: dict[str, Any] = {
    "athlete_id": "a-1",
    "start_date": "2026-11-30",
    "age": 34,
    "running_experience_years": 6,
    "strength_training_experience": "intermediate",
    "weekly_run_km": 55,
    "race": {"distance_km": 42.2, "days_until": 30, "priority": "A"},
    "available_days": ["mon", "wed", "fri"],
    "equipment": ["dumbbell", "band"],
}


def _exercise(ex_id: str, categories: tuple[str, ...], equipment: tuple[str, ...], tags=()):
    return Exercise(
        id=ex_id,
        name=ex_id.replace("_", " ").capitalize(),
        categories=categories,
        primary_muscles=("glutes",),
        equipment=equipment,
        impact="low",
        level="beginner",
        tags=tuple(tags),
        prescription=Prescription(sets=3, reps=10),
        minutes=5,
        instructions="Do it.",
        source="test",
        plugin="fake",
    )


def fake_catalog() -> Catalog:
    catalog = Catalog(
        categories={
            "core": Category("core", "Core", plugin="fake"),
            "functional_strength": Category("functional_strength", "Strength", plugin="fake"),
        },
        exercises={
            "goblet_squat": _exercise(
                "goblet_squat", ("functional_strength",), ("dumbbell",), ("lower_body", "loaded")
            ),
            "plank": _exercise("plank", ("core",), (), ("anti_extension", "isometric")),
            "back_squat": _exercise(
                "back_squat", ("functional_strength",), ("barbell",), ("lower_body", "loaded")
            ),
        },
    )
    catalog.index()
    return catalog


class FakeRuleset(SimpleNamespace):
    """A ruleset's name and version, and `ref()` as `stridewise.rules.Ruleset` gives it."""

    def __init__(self, name: str, version: str) -> None:
        super().__init__(name=name, version=version)

    def ref(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version}


class FakeEngine:
    """Follows the architecture.md Engine API; special athlete_ids force failures."""

    def __init__(self, rules_dir: Path | None = None) -> None:
        self.rules_dir = rules_dir
        self.paths = [rules_dir] if rules_dir else []
        self.catalog = fake_catalog()
        self.vocabulary = self.catalog.vocabulary()
        self.plugins = SimpleNamespace(
            to_json=lambda: [{"name": "fake", "status": "loaded", "hooks": [], "errors": []}]
        )
        self.last_error: str | None = None
        self.reloads = 0
        self.ruleset = FakeRuleset("default", self._hash() or "sha256:fake")

    def _hash(self) -> str | None:
        if self.rules_dir is None:
            return None
        digest = hashlib.sha256()
        for path in sorted(self.rules_dir.glob("*.yaml")):
            digest.update(path.name.encode() + path.read_bytes())
        return "sha256:" + digest.hexdigest()

    def recommend(self, body: Any) -> dict[str, Any]:
        context = load_context(body)
        special = context.get("athlete_id")
        if special == "boom":
            raise RuntimeError("secret internal detail /etc/passwd")
        if special == "cycle":
            raise RuleCycleError("rules a and b keep setting phase", ["a", "b"])
        if special == "context-error":
            raise ContextError({"race": {"days_until": ["Must be at most 730."]}})
        return {
            "ruleset": self.ruleset.ref(),
            "phase": "build",
            "start_date": context["start_date"].isoformat(),
            "horizon_days": context["horizon_days"],
            "sessions": [],
            "fired": [{"rule": "base-rule", "ruleset": "base", "file": "base.yaml", "line": 3}],
            "excluded": [],
            "warnings": [],
            "notes": [],
        }

    def reload(self) -> SimpleNamespace:
        self.reloads += 1
        text = "".join(p.read_text() for p in sorted(self.rules_dir.glob("*.yaml")))
        if "BROKEN" in text:
            self.last_error = "rules.yaml:1:1: BROKEN is not a rule"
            return SimpleNamespace(ok=False, error=self.last_error, diagnostics=None)
        self.last_error = None
        self.ruleset = FakeRuleset("default", self._hash() or "sha256:fake")
        return SimpleNamespace(ok=True, error=None, diagnostics=None)

    def status(self) -> dict[str, Any]:
        files = sorted(str(p) for p in self.rules_dir.glob("*.yaml")) if self.rules_dir else []
        return {
            "name": self.ruleset.name,
            "version": self.ruleset.version,
            "files": files,
            "status": "ok",
            "last_error": self.last_error,
            "plugins": self.plugins.to_json(),
        }


@pytest.fixture(scope="session")
def real_engine():
    """One real Engine (bundled plugins and default rulesets) shared by the web tests."""
    from stridewise.service import Engine

    return Engine.create()


@pytest.fixture
def app(real_engine):
    from stridewise.web import create_app

    return create_app({"TESTING": True, "ENGINE": real_engine, "RELOAD": False})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def fake_client(fake_engine):
    from stridewise.web import create_app

    return create_app({"TESTING": True, "ENGINE": fake_engine, "RELOAD": False}).test_client()
