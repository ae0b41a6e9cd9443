"""Collect rule tests: every rulesets/*/tests/*.yaml case is one pytest item named by its case.

The format is docs/rules-testing.md; `stridewise test` runs the same cases.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from stridewise.ruletests.runner import Case, CaseResult, TestFileError, load_file, run_case


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """A YAML file under a `tests/` directory of a ruleset is a rule-test file."""
    if file_path.suffix in {".yaml", ".yml"} and file_path.parent.name == "tests":
        return RuleTestFile.from_parent(parent, path=file_path)
    return None


class RuleTestFile(pytest.File):
    """One rule-test file; a malformed file is one failing item with file:line messages."""

    def collect(self) -> Iterator[pytest.Item]:
        try:
            cases = load_file(self.path)
        except TestFileError as err:
            yield BrokenFile.from_parent(self, name="<file>", error=err)
            return
        for case in cases:
            yield RuleCase.from_parent(self, name=case.name, case=case)


class RuleCaseFailure(Exception):
    """Raised by a failing case; carries the readable result."""


class RuleCase(pytest.Item):
    """One case: run it and report every failed expectation."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        result: CaseResult = run_case(self.case)
        if not result.ok:
            raise RuleCaseFailure(result.report())

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, RuleCaseFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.case.line - 1, f"rule case: {self.case.name}"


class BrokenFile(pytest.Item):
    """A test file that does not parse."""

    def __init__(self, *, error: TestFileError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise RuleCaseFailure("\n".join(str(d) for d in self.error.diagnostics))

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        return str(excinfo.value)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, "rule-test file"
