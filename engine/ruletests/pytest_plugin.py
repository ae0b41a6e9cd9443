"""The pytest plugin (entry point `pytest11: stridewise`): rule tests collected by plain pytest.

Installed with Stridewise, so any repository (a coach's rules, a plugin's) runs its rule tests
with `pytest`: every `tests/*.yaml` file that holds `cases:` is a rule-test file and each case
one item named by its case. The format is docs/rules-testing.md; `stridewise test` runs the same
cases. Opt out with `-p no:stridewise` or the ini option `stridewise_rule_tests = false`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from stridewise.ruletests.runner import Case, CaseResult, TestFileError, load_file, run_case

__all__ = ["RuleCase", "RuleTestFile", "pytest_addoption", "pytest_collect_file"]

_CASES = re.compile(r"^cases\s*:", re.MULTILINE)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("stridewise_rule_tests", "Collect Stridewise rule tests (tests/*.yaml).",
                  type="bool", default=True)


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """A YAML file in a `tests/` directory with a top-level `cases:` is a rule-test file."""
    if file_path.suffix not in {".yaml", ".yml"} or file_path.parent.name != "tests":
        return None
    if not parent.config.getini("stridewise_rule_tests"):
        return None
    try:
        head = file_path.read_text(encoding="utf-8", errors="replace")[:200_000]
    except OSError:
        return None
    if not _CASES.search(head):
        return None  # some other YAML that happens to live in tests/
    return RuleTestFile.from_parent(parent, path=file_path)


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
