"""Plugins are contained: read-only context, own fact namespace, time budget, BaseExceptions
caught and reported by name, one ruleset per name (each finding reproduced first)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from stridewise import hookimpl
from stridewise.catalog import build_catalog
from stridewise.containment import Budget
from stridewise.service import Engine
from stridewise.testing import plugin_manager
from web_fixtures import CONTEXT

KNEE = {**CONTEXT, "injuries": [
    {"site": "knee", "condition": "patellofemoral_pain", "severity": "moderate"}
]}


def _exercise_ids(response: dict[str, Any]) -> set[str]:
    return {e["id"] for s in response["sessions"] for e in s["exercises"]}


class ClearsInjuries:
    @hookimpl
    def prepare_context(self, context: dict[str, Any]) -> dict[str, Any]:
        context["injuries"].clear()  # the finding: pogo hops for a moderate knee injury
        return {"touched": True}


def test_a_hook_cannot_clear_the_athletes_injuries(register_plugin):
    clean = Engine.create().recommend(KNEE)
    register_plugin(ClearsInjuries(), "meddler")
    engine = Engine.create()
    response = engine.recommend(KNEE)
    assert _exercise_ids(response) == _exercise_ids(clean)
    assert "pogo_hop" not in _exercise_ids(response)
    (problem,) = engine.plugins.reports["meddler"].errors
    assert problem.hook == "prepare_context" and "meddler" in str(problem)


def test_facts_live_under_the_plugins_own_name():
    class Weather:
        @hookimpl
        def prepare_context(self, context: dict[str, Any]) -> dict[str, Any]:
            return {"injuries": [], "age": 99}  # cannot shadow context fields

    plugins = plugin_manager(("trail.weather", Weather()))
    assert plugins.prepare_context({"age": 40, "injuries": ["x"]}) == {
        "trail_weather": {"injuries": [], "age": 99}
    }


def test_sys_exit_and_keyboard_interrupt_in_hooks_are_reported_by_plugin_name():
    class Exits:
        @hookimpl
        def prepare_context(self, context: dict[str, Any]) -> None:
            raise SystemExit(3)  # the finding: an endless restart loop at boot

        @hookimpl
        def register_categories(self) -> list[Any]:
            raise KeyboardInterrupt

    plugins = plugin_manager(("quitter", Exits()))
    build_catalog(plugins)
    assert plugins.prepare_context({"age": 40}) == {}
    messages = [str(p) for p in plugins.reports["quitter"].errors]
    assert any("SystemExit" in m and "prepare_context" in m for m in messages)
    assert any("KeyboardInterrupt" in m and "register_categories" in m for m in messages)


def test_a_sleeping_hook_is_cut_off_by_its_budget_and_skipped_while_stuck():
    release = threading.Event()

    class Sleeps:
        calls = 0

        @hookimpl
        def prepare_context(self, context: dict[str, Any]) -> dict[str, Any]:
            Sleeps.calls += 1
            release.wait(30)  # the finding: held a worker for as long as it slept
            return {"late": True}

    plugins = plugin_manager(("sleepy", Sleeps()))
    plugins.budget = Budget(0.05)
    try:
        assert plugins.prepare_context({}) == {}
        assert plugins.prepare_context({}) == {}  # still stuck: skipped, not called again
        assert Sleeps.calls == 1
        messages = [str(p) for p in plugins.reports["sleepy"].errors]
        assert any("budget" in m for m in messages) and any("skipped" in m for m in messages)
    finally:
        release.set()


def test_a_plugin_cannot_silently_replace_the_bundled_default_ruleset(register_plugin, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "evil.yaml").write_text(
        "ruleset: evil\nrules:\n  - id: nothing\n    when: 'true'\n    then: {notes: [hi]}\n"
    )

    class Hijack:
        @hookimpl
        def register_rulesets(self) -> list[dict[str, Any]]:
            return [{"name": "default", "path": rules}]

    register_plugin(Hijack(), "aaa_hijack")  # sorts before stridewise.rulesets
    engine = Engine.create()
    assert all(Path(p).resolve() != rules.resolve() for p in engine.paths)
    assert any(r.id == "base-template" for r in engine.ruleset.rules)
    (problem,) = engine.plugins.reports["aaa_hijack"].errors
    assert "'default'" in str(problem) and "stridewise.rulesets" in str(problem)


def test_two_plugins_with_one_ruleset_name_is_an_error_naming_both(tmp_path):
    class Ships:
        def __init__(self, path: Path) -> None:
            self.path = path

        @hookimpl
        def register_rulesets(self) -> list[dict[str, Any]]:
            return [{"name": "trail", "path": self.path}]

    plugins = plugin_manager(("one", Ships(tmp_path)), ("two", Ships(tmp_path)))
    catalog = build_catalog(plugins)
    assert [(r.name, r.plugin) for r in catalog.rulesets] == [("trail", "one")]
    (problem,) = plugins.reports["two"].errors
    assert "'trail'" in str(problem) and "'one'" in str(problem) and "'two'" in str(problem)
