"""The rules core: rule files -> validated `Ruleset` -> compiled backend -> `Evaluation`.

    load_ruleset(paths) -> Ruleset               check_paths(paths) -> [Diagnostic]
    display_path(path) -> how a rule file is shown (rulesets/default/…, cwd-relative, or as given)
    compile_ruleset(ruleset, backend="auto") -> CompiledRuleset
    CompiledRuleset.evaluate(facts) -> Evaluation(fired=[FiredRule(rule, read)], facts)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stridewise.rules.display import display_path
from stridewise.rules.expr import parse_expr
from stridewise.rules.parse import parse_text
from stridewise.rules.schema import Rule, Ruleset, check_paths, load_ruleset, rule_files

if TYPE_CHECKING:
    from stridewise.rules.compile import BackendWarning, compile_ruleset, durable_available
    from stridewise.rules.evaluate import CompiledRuleset, Evaluation, FiredRule
    from stridewise.rules.python import PythonRuleset

__all__ = [
    "BackendWarning",
    "CompiledRuleset",
    "Evaluation",
    "FiredRule",
    "PythonRuleset",
    "Rule",
    "Ruleset",
    "check_paths",
    "compile_ruleset",
    "display_path",
    "durable_available",
    "load_ruleset",
    "parse_expr",
    "parse_text",
    "rule_files",
]


def __getattr__(name: str) -> Any:
    """The backends load on first use (PEP 562): checking or loading rule files
    (`stridewise check`) never imports durable-rules or the evaluators."""
    if name in ("BackendWarning", "compile_ruleset", "durable_available"):
        from stridewise.rules import compile as backends

        value = getattr(backends, name)
    elif name in ("CompiledRuleset", "Evaluation", "FiredRule"):
        from stridewise.rules import evaluate

        value = getattr(evaluate, name)
    elif name == "PythonRuleset":
        from stridewise.rules.python import PythonRuleset as value
    else:
        raise AttributeError(f"module 'stridewise.rules' has no attribute {name!r}")
    globals()[name] = value
    return value
