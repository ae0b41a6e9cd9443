"""`stridewise fmt`: one canonical layout for rule files and rule-test files, comments kept.

ruamel.yaml's round trip keeps comments, quoting, flow style and block scalars; we add the
canonical key order (a file reads ruleset, description, rules; a rule id, description, source,
priority, when, then; a test case name, context, expect) and the house indentation (two
spaces, list dashes indented under their key). Directives inside `then` keep the author's
order: they have no order of their own, and a coach groups them to be read. Formatting is
idempotent: a formatted file formats to itself, so `fmt --check` in CI only fails on real
drift.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stridewise.errors import Diagnostic

__all__ = ["FormatResult", "format_paths", "format_text", "yaml_files"]

RULE_FILE = ("ruleset", "description", "rules")
RULE = ("id", "description", "source", "priority", "when", "then")
TEST_FILE = ("ruleset", "base_context", "cases")
CASE = ("name", "context", "expect")
EXPECT = ("fired", "not_fired", "directives", "plan", "error")
_CASES = re.compile(r"^cases\s*:", re.MULTILINE)


@dataclass(frozen=True)
class FormatResult:
    """One file: its formatted text, whether that differs, or the problem that stopped it."""

    path: Path
    original: str
    formatted: str | None
    problem: Diagnostic | None = None

    @property
    def changed(self) -> bool:
        return self.formatted is not None and self.formatted != self.original


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap a coach's long lines
    return yaml


def _order(node: Any, order: Iterable[str]) -> None:
    """Move the keys of a mapping into `order` (unknown keys after, as they were)."""
    if not isinstance(node, Mapping):
        return
    keys = list(node.keys())
    rank = {key: index for index, key in enumerate(order)}
    wanted = sorted(keys, key=lambda k: (rank.get(k, len(rank)), keys.index(k)))
    if wanted != keys:
        for key in wanted:
            node.move_to_end(key)  # type: ignore[attr-defined]


def _canonical(data: Any, tests: bool) -> None:
    if not isinstance(data, Mapping):
        return
    if tests:
        _order(data, TEST_FILE)
        for case in data.get("cases") or ():
            _order(case, CASE)
            if isinstance(case, Mapping):
                _order(case.get("expect"), EXPECT)
        return
    _order(data, RULE_FILE)
    for rule in data.get("rules") or ():
        _order(rule, RULE)


def format_text(text: str, *, tests: bool | None = None, file: str = "<string>") -> str:
    """The canonical text of one rule file (or rule-test file, with `cases:`)."""
    yaml = _yaml()
    data = yaml.load(text)
    _canonical(data, bool(_CASES.search(text)) if tests is None else tests)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def yaml_files(paths: Iterable[str | Path]) -> list[Path]:
    """Rule files of each directory (and its tests/), or the files given."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for folder in (path, path / "tests"):
                found.extend(sorted(p for p in folder.glob("*.y*ml") if p.is_file()))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def format_paths(paths: Iterable[str | Path]) -> list[FormatResult]:
    """Format every YAML file under `paths` in memory; nothing is written here."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from stridewise.rules import display_path

    out = []
    for path in yaml_files(paths):
        shown = display_path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            out.append(FormatResult(path, "", None, Diagnostic(shown, 1, 1, f"cannot read: {err}")))
            continue
        try:
            out.append(FormatResult(path, text, format_text(text, file=shown)))
        except MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            message = f"not formatted: invalid YAML: {err.problem or err.context}"
            out.append(FormatResult(path, text, None, Diagnostic(shown, line, col, message)))
        except YAMLError as err:
            out.append(FormatResult(path, text, None,
                                    Diagnostic(shown, 1, 1, f"not formatted: {err}")))
    return out
