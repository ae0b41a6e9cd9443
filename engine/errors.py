"""Every error Stridewise raises, one class per failure kind.

    StridewiseError
    ├── RulesetError          a rule file or ruleset is invalid (carries diagnostics)
    │   ├── ExpressionError   a `when` condition does not parse or type-check (carries the column)
    │   └── TestFileError     a rule-test file is invalid (stridewise.ruletests.runner)
    ├── EvaluationError       the engine could not evaluate a ruleset
    │   └── RuleCycleError    rules kept triggering each other (names the rules)
    ├── PluginError           a plugin failed to load, raised in a hook, or returned bad data
    │   └── CatalogError      contributions conflict (duplicate ids, dangling references)
    ├── ContextError          an athlete context is invalid (carries field messages)
    ├── UnknownRuleError      explain's why-not names a rule the ruleset does not have
    └── ConfigError           a setting is empty or malformed (names the variable)

Every class drawn here is raised somewhere, and every StridewiseError subclass is drawn here
(tests/test_errors.py scans the source for both).

Messages are full sentences a coach or plugin author can act on: they name the
file:line:col, field or plugin, say what is wrong and, where it helps, what would be right.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "CatalogError",
    "ConfigError",
    "ContextError",
    "Diagnostic",
    "EvaluationError",
    "ExpressionError",
    "PluginError",
    "RuleCycleError",
    "RulesetError",
    "StridewiseError",
]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in a rule file, located as precisely as we can (1-based line and column)."""

    file: str
    line: int
    col: int
    message: str
    severity: str = field(default="error", compare=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
        }


class StridewiseError(Exception):
    """Base of every error Stridewise raises on purpose."""


class RulesetError(StridewiseError):
    """A rule file or ruleset is invalid; `diagnostics` lists every problem found."""

    def __init__(self, diagnostics: Sequence[Diagnostic] | str) -> None:
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic("<ruleset>", 1, 1, diagnostics)]
        self.diagnostics: list[Diagnostic] = sorted(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class ExpressionError(RulesetError):
    """A `when` condition does not parse or does not type-check.

    `col` is the 0-based column in the condition's text and `message` says what is wrong;
    `opened` is the column of the bracket a message refers to ("the '(' at column 1"). The
    rule-file loader turns them into a `file:line:col` diagnostic of the file holding it.
    """

    def __init__(self, col: int, message: str, opened: int | None = None) -> None:
        self.col, self.message, self.opened = col, message, opened
        super().__init__([Diagnostic("<condition>", 1, col + 1, message)])


class EvaluationError(StridewiseError):
    """The rules engine could not evaluate a ruleset against a context."""


class RuleCycleError(EvaluationError):
    """Rules kept triggering each other past the firing limit."""

    def __init__(self, message: str, rules: Sequence[str] = ()) -> None:
        self.rules = list(rules)
        super().__init__(message)


class PluginError(StridewiseError):
    """A plugin failed to load, raised in a hook, or returned data that fails its schema."""

    def __init__(self, message: str, *, plugin: str | None = None, hook: str | None = None):
        self.plugin = plugin
        self.hook = hook
        super().__init__(message)


class CatalogError(PluginError):
    """Plugin contributions conflict: duplicate ids or references to ids nobody provides."""


class ContextError(StridewiseError):
    """An athlete context is invalid; `messages` maps field paths to what is wrong with them."""

    def __init__(self, messages: Mapping[str, Any] | str) -> None:
        if isinstance(messages, str):
            messages = {"_schema": [messages]}
        self.messages: dict[str, Any] = dict(messages)
        super().__init__(_flatten_messages(self.messages))


def _flatten_messages(messages: Mapping[str, Any], prefix: str = "") -> str:
    parts: list[str] = []
    for key, value in messages.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            parts.append(_flatten_messages(value, path))
        elif isinstance(value, list | tuple):
            parts.append(f"{path}: {'; '.join(str(v) for v in value)}")
        else:
            parts.append(f"{path}: {value}")
    return "; ".join(parts)


class ConfigError(StridewiseError):
    """A setting is empty or malformed; start-up stops instead of running unprotected."""
