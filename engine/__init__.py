"""Stridewise: rule files + plugin catalogs + athlete context -> a week of strength work.

The one object most callers need is `Engine` (`Engine.create().recommend(body)`); plugin
authors need `hookimpl` and the data classes; rule tooling needs `load_ruleset`/`check_paths`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Lazy public API: `from stridewise import hookimpl` loads pluggy only; the engine, durable-rules,
# Flask and marshmallow load when a name that needs them is first used (PEP 562). This is the one
# import by name in the package; the TYPE_CHECKING block below names the same edges for mypy
# (tests/test_wiring.py keeps the two equal).
_EXPORTS: dict[str, str] = {
    "Catalog": "stridewise.catalog",
    "CatalogError": "stridewise.errors",
    "Category": "stridewise.models",
    "CompiledRuleset": "stridewise.rules",
    "Constraint": "stridewise.models",
    "ConfigError": "stridewise.errors",
    "ContextError": "stridewise.errors",
    "Diagnostic": "stridewise.errors",
    "DirectiveSpec": "stridewise.models",
    "Engine": "stridewise.service",
    "EngineSpec": "stridewise.batch",
    "Evaluation": "stridewise.rules",
    "EvaluationError": "stridewise.errors",
    "Exclusion": "stridewise.models",
    "Exercise": "stridewise.models",
    "ExpressionError": "stridewise.errors",
    "FiredRule": "stridewise.rules",
    "Intensity": "stridewise.models",
    "Plan": "stridewise.models",
    "PlannedExercise": "stridewise.models",
    "PluginError": "stridewise.errors",
    "Plugins": "stridewise.plugin_manager",
    "Prescription": "stridewise.models",
    "ReloadResult": "stridewise.service",
    "Rule": "stridewise.rules",
    "RuleCycleError": "stridewise.errors",
    "Ruleset": "stridewise.rules",
    "RulesetError": "stridewise.errors",
    "Session": "stridewise.models",
    "StridewiseError": "stridewise.errors",
    "Vocabulary": "stridewise.directives",
    "check_paths": "stridewise.rules",
    "compile_ruleset": "stridewise.rules",
    "derive_facts": "stridewise.context",
    "hookimpl": "stridewise.hookspecs",
    "load_context": "stridewise.context",
    "load_plugins": "stridewise.plugin_manager",
    "load_ruleset": "stridewise.rules",
    "recommend_many": "stridewise.batch",
    "then_schema": "stridewise.directives",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'stridewise' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:
    from stridewise.batch import EngineSpec, recommend_many
    from stridewise.catalog import Catalog
    from stridewise.context import derive_facts, load_context
    from stridewise.directives import Vocabulary, then_schema
    from stridewise.errors import (
        CatalogError,
        ConfigError,
        ContextError,
        Diagnostic,
        EvaluationError,
        ExpressionError,
        PluginError,
        RuleCycleError,
        RulesetError,
        StridewiseError,
    )
    from stridewise.hookspecs import hookimpl
    from stridewise.models import (
        Category,
        Constraint,
        DirectiveSpec,
        Exclusion,
        Exercise,
        Intensity,
        Plan,
        PlannedExercise,
        Prescription,
        Session,
    )
    from stridewise.plugin_manager import Plugins, load_plugins
    from stridewise.rules import (
        CompiledRuleset,
        Evaluation,
        FiredRule,
        Rule,
        Ruleset,
        check_paths,
        compile_ruleset,
        load_ruleset,
    )
    from stridewise.service import Engine, ReloadResult
