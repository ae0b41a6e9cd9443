"""Stridewise engine: rule files + plugin catalogs + athlete context -> a week of strength work.

The one object most callers need is `Engine` (`Engine.create().recommend(body)`); plugin
authors need `hookimpl` and the data classes; rule tooling needs `load_ruleset`/`check_paths`.
"""

from __future__ import annotations

from .catalog import Catalog
from .context import derive_facts, load_context
from .directives import Vocabulary, then_schema
from .errors import (
    CatalogError,
    ContextError,
    Diagnostic,
    EvaluationError,
    ExpressionError,
    PlanError,
    PluginError,
    RuleActionError,
    RuleCycleError,
    RulesetError,
    StridewiseError,
)
from .hookspecs import hookimpl
from .models import (
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
from .plugins import Plugins, load_plugins
from .rules import (
    CompiledRuleset,
    Evaluation,
    FiredRule,
    Rule,
    Ruleset,
    check_paths,
    compile_ruleset,
    load_ruleset,
)
from .service import Engine, ReloadResult

__all__ = [
    "Catalog",
    "CatalogError",
    "Category",
    "CompiledRuleset",
    "Constraint",
    "ContextError",
    "Diagnostic",
    "DirectiveSpec",
    "Engine",
    "Evaluation",
    "EvaluationError",
    "Exclusion",
    "Exercise",
    "ExpressionError",
    "FiredRule",
    "Intensity",
    "Plan",
    "PlanError",
    "PlannedExercise",
    "PluginError",
    "Plugins",
    "Prescription",
    "ReloadResult",
    "Rule",
    "RuleActionError",
    "RuleCycleError",
    "Ruleset",
    "RulesetError",
    "Session",
    "StridewiseError",
    "Vocabulary",
    "check_paths",
    "compile_ruleset",
    "derive_facts",
    "hookimpl",
    "load_context",
    "load_plugins",
    "load_ruleset",
    "then_schema",
]
