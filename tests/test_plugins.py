"""The plugin manager: entry points, isolation, allow/deny lists, tracing and reports."""

from __future__ import annotations

import json
import logging
import types
from typing import Any

import pytest
from click.testing import CliRunner
from plugin_helpers import Categories, Exercises, Misspelled, Raises, make_exercise
from stridewise import hookimpl, hookspecs
from stridewise.catalog import build_catalog
from stridewise.cli import cli
from stridewise.plugin_manager import hook_names, load_plugins
from stridewise.testing import plugin_manager

BUILTIN = "stridewise.constraints"


def test_builtins_load_through_entry_points() -> None:
    plugins = load_plugins(env={})
    report = plugins.reports[BUILTIN]
    assert report.status == "loaded"
    assert report.distribution == "stridewise"
    assert report.version and report.entry_point == "stridewise.plugins.constraints"
    assert report.hooks == ["register_constraints"]
    assert plugins.reports["stridewise.rulesets"].status == "loaded"


def test_every_hook_in_hookspecs_is_known() -> None:
    assert hook_names() == [
        "prepare_context",
        "register_categories",
        "register_constraints",
        "register_directives",
        "register_exercises",
        "register_rulesets",
    ]
    assert hookspecs.PROJECT == "stridewise"


def test_failing_import_is_reported_with_distribution_and_cause(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.metadata as md

    real = md.entry_points

    def entry_points(**kwargs: Any) -> Any:
        found = list(real(**kwargs))
        dist = found[0].dist
        broken = md.EntryPoint("zz.broken", "no_such_module_xyz", "stridewise")
        broken._for(dist)  # type: ignore[attr-defined]
        return [*found, broken]

    monkeypatch.setattr(md, "entry_points", entry_points)
    plugins = load_plugins(env={})
    report = plugins.reports["zz.broken"]
    assert report.status == "failed"
    message = str(report.errors[0])
    assert "zz.broken = no_such_module_xyz" in message
    assert "distribution 'stridewise" in message
    assert "ModuleNotFoundError" in message
    assert plugins.reports[BUILTIN].status == "loaded"


def test_same_entry_point_name_in_two_distributions_loads_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.metadata as md

    real = md.entry_points

    class OtherDist:
        name = "zzz-other"
        version = "9.9"
        metadata = {"Name": "zzz-other"}

    def entry_points(**kwargs: Any) -> Any:
        found = list(real(**kwargs))
        clash = md.EntryPoint(BUILTIN, "no_such_module_xyz", "stridewise")
        clash._for(OtherDist())  # type: ignore[attr-defined]
        return [clash, *found]

    monkeypatch.setattr(md, "entry_points", entry_points)
    plugins = load_plugins(env={})
    report = plugins.reports[BUILTIN]
    assert report.status == "loaded" and report.distribution == "stridewise"
    assert "of distribution 'zzz-other' has the same name as the one from 'stridewise'" in str(
        report.errors[0]
    )


def test_hook_that_raises_is_reported_and_others_still_contribute() -> None:
    plugins = plugin_manager(
        ("cats", Categories()), ("boom", Raises()), ("good", Exercises(make_exercise("plank")))
    )
    catalog = build_catalog(plugins)
    assert list(catalog.exercises) == ["plank"]
    (problem,) = plugins.reports["boom"].errors
    assert problem.hook == "register_exercises"
    assert "RuntimeError: catalog file missing" in str(problem)
    assert "plugin 'boom', hook register_exercises()" in str(problem)


def test_prepare_context_isolates_failures_and_merges_facts() -> None:
    class Weather:
        @hookimpl
        def prepare_context(self, context: dict[str, Any]) -> dict[str, Any]:
            return {"temperature_c": 31, "age_next_year": context["age"] + 1}

    class Clash:
        @hookimpl
        def prepare_context(self, context: dict[str, Any]) -> dict[str, Any]:
            return {"temperature_c": 5}

    plugins = plugin_manager(("a_weather", Weather()), ("boom", Raises()), ("z_clash", Clash()))
    assert plugins.prepare_context({"age": 40}) == {  # each plugin's facts under its own name
        "a_weather": {"temperature_c": 31, "age_next_year": 41},
        "z_clash": {"temperature_c": 5},
    }
    assert "KeyError" in str(plugins.reports["boom"].errors[0])


def test_misspelled_hook_is_reported_per_plugin_with_suggestion() -> None:
    plugins = plugin_manager(("typo", Misspelled()), ("cats", Categories()))
    problems = plugins.reports["typo"].errors
    assert len(problems) == 1
    assert "unknown hook 'register_exercise'" in str(problems[0])
    assert "did you mean 'register_exercises'?" in str(problems[0])
    catalog = build_catalog(plugins)
    assert "running_drills" in catalog.categories  # its valid hook still works
    assert "never_seen" not in catalog.exercises
    assert not plugins.reports["cats"].problems


def test_bad_hook_signature_is_reported_not_raised() -> None:
    class WrongArgs:
        @hookimpl
        def prepare_context(self, ctx: dict[str, Any]) -> None:
            return None

    plugins = plugin_manager(("wrong", WrongArgs()), ("cats", Categories()))
    assert plugins.reports["wrong"].status == "failed"
    assert "ctx" in str(plugins.reports["wrong"].errors[0])
    assert plugins.reports["cats"].status == "loaded"


def test_disable_env_blocks_plugins_before_import() -> None:
    plugins = load_plugins(env={"STRIDEWISE_DISABLE_PLUGINS": f" {BUILTIN} , nope"})
    report = plugins.reports[BUILTIN]
    assert report.status == "disabled"
    assert BUILTIN not in plugins.names()
    assert "constraint" not in build_catalog(plugins).vocabulary().constraints
    assert any("names 'nope'" in w for w in plugins.warnings)


def test_disable_env_matches_distribution_name() -> None:
    plugins = load_plugins(env={"STRIDEWISE_DISABLE_PLUGINS": "Stridewise"})
    assert plugins.names() == []


def test_allow_list_loads_only_named_plugins() -> None:
    plugins = load_plugins(env={"STRIDEWISE_PLUGINS": BUILTIN})
    assert plugins.names() == [BUILTIN]
    assert plugins.reports["stridewise.rulesets"].status == "disabled"
    assert load_plugins(env={"STRIDEWISE_PLUGINS": ""}).names() == []


def test_register_plugin_fixture_adds_to_every_load(register_plugin: Any) -> None:
    register_plugin(Exercises(make_exercise("plank")), name="extra")
    plugins = load_plugins(env={})
    assert "extra" in plugins.names() and BUILTIN in plugins.names()
    assert build_catalog(plugins).exercises["plank"].plugin == "extra"
    disabled = load_plugins(env={"STRIDEWISE_DISABLE_PLUGINS": "extra"})
    assert disabled.reports["extra"].status == "disabled"


def test_register_plugin_is_removed_after_the_test() -> None:
    assert "extra" not in load_plugins(env={}).reports


def test_module_plugins_are_named_after_the_module() -> None:
    module = types.ModuleType("my_drills")
    module.register_categories = Categories().register_categories  # type: ignore[attr-defined]
    plugins = plugin_manager(module)
    assert plugins.names() == ["my_drills"]


def test_trace_env_logs_hook_calls(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="stridewise.hooks"):
        plugins = load_plugins(env={"STRIDEWISE_TRACE_HOOKS": "1"}, entry_points=False,
                               extra={"cats": Categories()})
        build_catalog(plugins)
    traced = "\n".join(r.getMessage() for r in caplog.records if r.name == "stridewise.hooks")
    assert "register_categories" in traced and "finish" in traced


def test_reports_are_json_ready_and_ordered_by_name() -> None:
    plugins = plugin_manager(("z", Categories()), ("a", Raises()))
    build_catalog(plugins)
    data = json.loads(json.dumps(plugins.to_json()))
    assert [r["name"] for r in data] == ["a", "z"]
    assert data[1]["contributed"] == {"category": 2}
    assert data[0]["errors"][0]["hook"] == "register_exercises"


def test_plugins_command_lists_reports_as_json() -> None:
    result = CliRunner().invoke(cli, ["plugins", "--json"], env={"STRIDEWISE_PLUGINS": BUILTIN})
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (report,) = [r for r in data["plugins"] if r["name"] == BUILTIN]
    assert report["contributed"] == {"constraint": 5}
    assert report["hooks"] == ["register_constraints"]


def test_plugins_command_strict_fails_on_errors(register_plugin: Any) -> None:
    register_plugin(Raises(), name="boom")
    result = CliRunner().invoke(cli, ["plugins", "--strict"], env={"STRIDEWISE_PLUGINS": "boom"})
    assert result.exit_code == 1
    assert "plugin 'boom', hook register_exercises(): raised RuntimeError" in result.output


def test_exercises_command_filters_and_rejects_unknown_names(register_plugin: Any) -> None:
    register_plugin(Categories(), name="cats")
    register_plugin(
        Exercises(
            make_exercise("plank"),
            make_exercise("box_jump", categories=["plyometrics"], equipment=["box"], tags=["jump"]),
        ),
        name="moves",
    )
    env = {"STRIDEWISE_PLUGINS": "cats,moves"}
    runner = CliRunner()
    result = runner.invoke(cli, ["exercises", "--json"], env=env)
    assert [e["id"] for e in json.loads(result.output)["exercises"]] == ["box_jump", "plank"]
    result = runner.invoke(cli, ["exercises", "--equipment", "band", "--json"], env=env)
    assert [e["id"] for e in json.loads(result.output)["exercises"]] == ["plank"]
    result = runner.invoke(cli, ["exercises", "--tag", "jump"], env=env)
    assert result.output.startswith("box_jump")
    result = runner.invoke(cli, ["exercises", "--category", "plyometric"], env=env)
    assert result.exit_code == 2 and "unknown category 'plyometric'" in result.output
    assert "did you mean 'plyometrics'?" in result.output


def test_plugin_without_hooks_gets_a_warning() -> None:
    plugins = plugin_manager(("empty", types.ModuleType("empty_module")))
    (problem,) = plugins.reports["empty"].problems
    assert problem.severity == "warning" and "implements no stridewise hooks" in str(problem)
    assert not plugins.reports["empty"].errors


def test_request_time_problems_are_bounded() -> None:
    class Flaky:
        def __init__(self) -> None:
            self.calls = 0

        @hookimpl
        def prepare_context(self, context: dict[str, Any]) -> None:
            self.calls += 1
            raise ValueError(f"call {self.calls}")

    plugins = plugin_manager(("flaky", Flaky()))
    for _ in range(300):
        assert plugins.prepare_context({}) == {}
    assert len(plugins.reports["flaky"].problems) == 100


@pytest.mark.parametrize(
    "name",
    ["stridewise.plugin_manager", "stridewise.catalog", "stridewise.catalog_schema",
     "stridewise.constraints", "stridewise.testing", "stridewise.hookspecs",
     "stridewise.plugins.constraints", "stridewise.plugins.rulesets"],
)
def test_all_is_sorted_and_complete(name: str) -> None:
    import importlib

    module = importlib.import_module(name)
    key = lambda n: (0 if n.isupper() else 1 if n[:1].isupper() else 2, n)  # noqa: E731
    assert list(module.__all__) == sorted(module.__all__, key=key)
    assert all(hasattr(module, attr) for attr in module.__all__)


def test_build_engine_uses_exactly_the_plugins_given(tmp_path: Any) -> None:
    rules = pytest.importorskip("stridewise.rules")
    if not hasattr(rules, "load_ruleset"):
        pytest.skip("the rules core (engine.rules.load_ruleset) is not there yet")
    from stridewise.testing import build_engine

    rule_file = tmp_path / "tiny.yaml"
    rule_file.write_text(
        "ruleset: tiny\nrules:\n  - id: low-impact\n    description: Keep impact low.\n"
        "    when: age >= 50\n    then:\n      constraints: {max_impact: {max: low}}\n"
    )
    from stridewise import plugins

    engine = build_engine(
        plugins.categories, plugins.constraints, ("moves", Exercises(make_exercise("plank"))),
        rules=[rule_file],
    )
    assert list(engine.catalog.exercises) == ["plank"]
    assert engine.catalog.exercises["plank"].plugin == "moves"
    assert [rule.id for rule in engine.ruleset.rules] == ["low-impact"]


def test_every_builtin_plugin_module_has_an_installed_entry_point() -> None:
    import importlib.metadata as md
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    table = tomllib.loads((root / "pyproject.toml").read_text())["project"]["entry-points"]
    declared = table["stridewise"]
    modules = {f"stridewise.plugins.{p.stem}" for p in (root / "plugins").glob("[!_]*.py")}
    assert set(declared.values()) == modules, "add new plugins/*.py modules to pyproject.toml"
    assert all(name == f"stridewise.{value.split('.')[-1]}" for name, value in declared.items())
    installed = {ep.name: ep.value for ep in md.entry_points(group="stridewise")
                 if ep.dist is not None and ep.dist.name == "stridewise"}
    assert installed == declared, "pyproject.toml changed: run `.venv/bin/pip install -e .`"
