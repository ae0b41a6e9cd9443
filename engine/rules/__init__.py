"""The rules core: rule files -> validated `Ruleset` -> compiled backend -> `Evaluation`.

    load_ruleset(paths) -> Ruleset               check_paths(paths) -> [Diagnostic]
    display_path(path) -> how a rule file is shown (rulesets/default/…, cwd-relative, or as given)
    compile_ruleset(ruleset, backend="auto") -> CompiledRuleset
    CompiledRuleset.evaluate(facts) -> Evaluation(fired=[FiredRule(rule, read)], facts)
"""

from __future__ import annotations

from stridewise.rules.compile import BackendWarning, compile_ruleset, durable_available
from stridewise.rules.display import display_path
from stridewise.rules.evaluate import CompiledRuleset, Evaluation, FiredRule
from stridewise.rules.expr import parse_expr
from stridewise.rules.parse import parse_text
from stridewise.rules.python import PythonRuleset
from stridewise.rules.schema import Rule, Ruleset, check_paths, load_ruleset, rule_files

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
