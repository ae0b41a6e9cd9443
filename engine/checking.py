"""One validator: what `stridewise check`, `POST /v1/rulesets:validate`, hot reload and the
Engine all run on rule files.

The rule files go through `rules.check_paths` (the loader `Engine` compiles from, static cycle
check included) with the vocabulary of the installed plugins (categories, tags, exercise ids,
constraints and their parameters, plugin directives), so a file `check` passes is a file the
service loads, and a plugin's `foot_strength` category is known to both. Rule-test files beside
the rules (`DIR/tests/*.yaml`) are checked in the same pass.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stridewise.directives import Vocabulary
from stridewise.errors import Diagnostic

__all__ = ["CheckResult", "check_rules", "plugin_vocabulary", "test_files"]


def plugin_vocabulary(env: Mapping[str, str] = os.environ) -> Vocabulary:
    """The names rules may use with the installed plugins: what `Engine.create()` checks with."""
    from stridewise.catalog import build_catalog
    from stridewise.plugin_manager import load_plugins

    return build_catalog(load_plugins(env=env)).vocabulary()


@dataclass
class CheckResult:
    """The files checked and every problem found in them, sorted by file, line and column."""

    files: list[str]
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)


def test_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Rule-test files beside rule directories: `DIR/tests/*.yaml` for each directory given."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted((path / "tests").glob("*.yaml")))
            found.extend(sorted((path / "tests").glob("*.yml")))
    return found


def check_rules(
    paths: Iterable[str | os.PathLike[str]],
    *,
    vocabulary: Vocabulary | None,
    tests: bool = True,
) -> CheckResult:
    """Every problem in the rule files (and their rule-test files) in one pass."""
    from stridewise.rules import check_paths, display_path, rule_files
    from stridewise.ruletests.runner import TestFileError, load_file

    targets = list(paths)
    diagnostics = list(check_paths(targets, vocabulary=vocabulary))
    files = [display_path(p) for p in rule_files(targets)]
    for test in test_files(targets) if tests else ():
        files.append(display_path(test))
        try:
            load_file(test)
        except TestFileError as err:
            diagnostics.extend(err.diagnostics)
    return CheckResult(files, sorted(set(diagnostics)))


def as_sarif(result: CheckResult) -> dict[str, Any]:
    """SARIF 2.1.0 for code scanning (GitHub, GitLab, editors)."""
    results = [
        {
            "ruleId": "stridewise-check",
            "level": "error" if d.severity == "error" else "warning",
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": d.file},
                "region": {"startLine": d.line, "startColumn": d.col},
            }}],
        }
        for d in result.diagnostics
    ]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "stridewise check",
                "informationUri": "https://github.com/stridewise/stridewise/blob/main/docs/rules.md",
                "rules": [{"id": "stridewise-check",
                           "shortDescription": {"text": "Rule file problem"}}],
            }},
            "results": results,
        }],
    }


def as_github(result: CheckResult) -> list[str]:
    """GitHub Actions workflow commands: one annotation per problem."""

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    return [
        f"::{'error' if d.severity == 'error' else 'warning'} file={prop(d.file)},"
        f"line={d.line},col={d.col},title=stridewise check::{data(d.message)}"
        for d in result.diagnostics
    ]
