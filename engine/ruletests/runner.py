"""Rule tests: YAML cases beside the rules, run by `stridewise test` and collected by pytest.

The format is documented in docs/rules-testing.md: `base_context`, then `cases` with a `name`,
a `context` and `expect` (fired / not_fired / directives / plan / error). Problems in a test
file are reported as `file:line: message`; failures name the expectation, expected and got.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stridewise.errors import Diagnostic, RulesetError, StridewiseError
from stridewise.rules.display import display_path
from stridewise.rules.parse import read_file
from stridewise.ruletests.checks import PLAN_KEYS, check_case

if TYPE_CHECKING:  # the engine (and durable-rules) loads only when a test runs
    from stridewise.service import Engine

__all__ = [
    "DEFAULT_START",
    "Case",
    "CaseResult",
    "TestFileError",
    "discover",
    "engine_for",
    "forget_engines",
    "load_file",
    "run_case",
    "run_paths",
]

DEFAULT_START = "2026-01-05"  # a Monday: weekdays in tests do not depend on today
TOP_KEYS = {"ruleset", "base_context", "cases"}
CASE_KEYS = {"name", "context", "expect"}
EXPECT_KEYS = {"fired", "not_fired", "directives", "plan", "error"}


class TestFileError(RulesetError):
    """A rule-test file is malformed; `diagnostics` locate each problem (file:line)."""

    __test__ = False  # not a pytest test class


@dataclass
class Case:
    """One test case: where it is, its merged context and expectations."""

    file: str
    line: int
    name: str
    context: dict[str, Any]
    expect: dict[str, Any]
    rules: Path


@dataclass
class CaseResult:
    """A case's outcome: failures (empty when it passed) or an error that stopped it."""

    case: Case
    failures: list[str] = field(default_factory=list)
    error: str | None = None
    trace: Any = field(default=None, repr=False)  # the Engine's trace, for coverage

    @property
    def ok(self) -> bool:
        return not self.failures and self.error is None

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.case.file, "line": self.case.line, "name": self.case.name,
                "ok": self.ok, "failures": self.failures, "error": self.error}

    def report(self) -> str:
        head = f"{'ok  ' if self.ok else 'FAIL'} {self.case.file}:{self.case.line} {self.case.name}"
        lines = [head] + [f"  {f}" for f in self.failures]
        if self.error:
            lines.append(f"  error: {self.error}")
        return "\n".join(lines)


def _plain(value: Any) -> Any:
    """YAML dates as ISO strings, mappings as dicts (a context is JSON-shaped)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def load_file(path: str | Path) -> list[Case]:
    """Parse and check one test file; raise TestFileError listing every located problem."""
    path = Path(path)
    shown = display_path(path)
    problems: list[Diagnostic] = []

    parsed = read_file(path, display=shown)  # the rules' own bounded, safe YAML reader
    if isinstance(parsed, list):
        raise TestFileError(parsed)

    def bad(where: tuple[Any, ...], message: str, *, key: bool = False) -> None:
        problems.append(parsed.diagnostic(where, message, key=key))

    doc = parsed.data
    if not isinstance(doc, dict):
        raise TestFileError([Diagnostic(shown, 1, 1, "a test file is a mapping with `cases:`")])
    for key in doc:
        if key not in TOP_KEYS:
            bad((key,), _unknown("key", key, TOP_KEYS), key=True)
    rules = (path.parent / doc.get("ruleset", "..")).resolve()
    base = doc.get("base_context") or {}
    if not isinstance(base, Mapping):
        bad(("base_context",), "base_context must be a mapping")
        base = {}
    cases_node = doc.get("cases")
    if not isinstance(cases_node, list) or not cases_node:
        bad(("cases",), "`cases` must be a non-empty list", key=True)
        cases_node = []
    cases: list[Case] = []
    seen: set[str] = set()
    for index, node in enumerate(cases_node):
        here: tuple[Any, ...] = ("cases", index)
        if not isinstance(node, dict):
            bad(here, f"case {index + 1} must be a mapping")
            continue
        for key in node:
            if key not in CASE_KEYS:
                bad((*here, key), _unknown("case key", key, CASE_KEYS), key=True)
        name = str(node.get("name") or "")
        if not name:
            bad(here, f"case {index + 1} has no `name`")
        elif name in seen:
            bad(here, f"case name '{name}' is used twice in this file")
        seen.add(name)
        expect = node.get("expect")
        if expect is None and any(_close(k, CASE_KEYS) == "expect" for k in node
                                  if k not in CASE_KEYS):
            continue  # `expct:` was reported above with its fix; "needs expect" would be noise
        if not isinstance(expect, dict) or not expect:
            bad(here, f"case '{name}' needs an `expect` mapping")
            continue
        for key in expect:
            if key not in EXPECT_KEYS:
                bad((*here, "expect", key), _unknown("expectation", key, EXPECT_KEYS), key=True)
        plan = expect.get("plan") or {}
        for key in plan if isinstance(plan, Mapping) else ():
            if key not in PLAN_KEYS:
                bad((*here, "expect", "plan", key), _unknown("plan expectation", key, PLAN_KEYS),
                    key=True)
        context = _merge(base, node.get("context") or {})
        context.setdefault("start_date", DEFAULT_START)
        line = parsed.mark(here).line
        cases.append(Case(shown, line, name, _plain(context), _plain(expect), rules))
    if problems:
        raise TestFileError(problems)
    return cases


def _close(key: Any, known: Any) -> str | None:
    import difflib

    found = difflib.get_close_matches(str(key), sorted(known), n=1)
    return found[0] if found else None


def _unknown(kind: str, key: Any, known: Any) -> str:
    """`unknown case key 'expct'; did you mean 'expect'?` (or the known keys)."""
    close = _close(key, known)
    if close:
        return f"unknown {kind} '{key}'; did you mean '{close}'?"
    return f"unknown {kind} '{key}'; known: {', '.join(sorted(known))}"


_ENGINES: dict[Path, Engine] = {}


def forget_engines() -> None:
    """Drop the cached engines so edited rule files load afresh (`stridewise test --watch`)."""
    for engine in _ENGINES.values():
        engine.close()
    _ENGINES.clear()


def engine_for(rules: Path) -> Engine:
    """An Engine serving the rule directory under test (cached per directory)."""
    engine = _ENGINES.get(rules)
    if engine is None:
        from stridewise.service import Engine

        engine = _ENGINES[rules] = Engine.create(rules=rules)
    return engine


def run_case(case: Case) -> CaseResult:
    """Run one case against its ruleset and check every expectation."""
    result = CaseResult(case)
    expected_error = case.expect.get("error")
    try:
        engine = engine_for(case.rules)
    except RulesetError as err:
        result.error = f"the ruleset under test does not load: {err}"
        return result
    except Exception as err:  # noqa: BLE001 - a broken install must read as one clear error
        result.error = f"no engine for {case.rules}: {type(err).__name__}: {err}"
        return result
    try:
        trace = engine.trace(case.context)
    except StridewiseError as err:
        if expected_error is not None and str(expected_error).lower() in str(err).lower():
            return result
        if expected_error is not None:
            result.failures.append(f"error: expected an error containing {expected_error!r}, "
                                   f"got {err}")
        else:
            result.error = f"{type(err).__name__}: {err}"
        return result
    if expected_error is not None:
        result.failures.append(f"error: expected an error containing {expected_error!r}, "
                               f"but the context was accepted")
        return result
    result.trace = trace
    result.failures = _unknown_rules(case.expect, engine) + check_case(case.expect, trace)
    return result


def _unknown_rules(expect: Mapping[str, Any], engine: Engine) -> list[str]:
    """A typo in `not_fired` would pass silently: every named rule must exist."""
    import difflib

    known = [rule.id for rule in engine.ruleset.rules]
    if not known:
        return []
    out = []
    for key in ("fired", "not_fired"):
        for rule in expect.get(key) or ():
            if rule not in known:
                close = difflib.get_close_matches(str(rule), known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                out.append(f"{key}: no rule '{rule}' in the ruleset{hint}")
    return out


def discover(path: str | Path | None = None) -> list[Path]:
    """Test files under PATH (a file or directory), default `rulesets/*/tests/*.yaml`."""
    if path is None:
        root = Path("rulesets")
        if not root.is_dir():
            from stridewise import rulesets

            root = Path(rulesets.__file__).parent
        return sorted(root.glob("*/tests/*.yaml"))
    target = Path(path)
    if target.is_file():
        return [target]
    found = sorted(target.glob("tests/*.yaml")) or sorted(target.rglob("*.yaml"))
    return [p for p in found if "tests" in p.parts]


def run_paths(path: str | Path | None = None) -> Iterator[CaseResult | TestFileError]:
    """Run every case of every test file found; a bad file yields its TestFileError."""
    for file in discover(path):
        try:
            cases = load_file(file)
        except TestFileError as err:
            yield err
            continue
        for case in cases:
            yield run_case(case)
