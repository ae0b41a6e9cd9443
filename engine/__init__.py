"""Stridewise engine: rule files + plugin catalogs + athlete context -> a week of strength work."""

from __future__ import annotations

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
from .models import Category, Constraint, DirectiveSpec, Exercise, Intensity, Prescription

__all__ = [
    "CatalogError",
    "Category",
    "Constraint",
    "ContextError",
    "Diagnostic",
    "DirectiveSpec",
    "EvaluationError",
    "Exercise",
    "ExpressionError",
    "Intensity",
    "PlanError",
    "PluginError",
    "Prescription",
    "RuleActionError",
    "RuleCycleError",
    "RulesetError",
    "StridewiseError",
    "hookimpl",
]
