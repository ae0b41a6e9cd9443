"""Draft rules for the workbench page: plan and explain with rule text that is never activated.

A draft is a `{file name: rule text}` mapping, normally the active ruleset's files with the
coach's edits. `draft_engine` compiles it (pure-Python backend: drafts come and go, and
durable-rules never frees a compiled ruleset) into an `Engine` that shares the served engine's
plugins and catalog; the text lives in a temporary directory only while it is compiled. The
served engine, its rule directories and its version are never touched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from stridewise.doses import dose_text
from stridewise.errors import RulesetError
from stridewise.rules import Ruleset, rule_files
from stridewise.rules import expr as ex
from stridewise.service import Engine, Trace

__all__ = ["active_files", "draft_engine", "explain_rules", "render_condition", "run_draft"]

PREFIX = "stridewise-draft-"
SUFFIXES = (".yaml", ".yml")


def active_files(engine: Engine) -> list[dict[str, str]]:
    """The served ruleset's files as `{name, path, text}` (names unique, for a draft)."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for path in rule_files(engine.paths):
        name = path.name
        if name in seen:  # two rule directories with the same file name
            name = f"{path.parent.name}-{path.name}"
        seen.add(name)
        out.append({"name": name, "path": str(path), "text": path.read_text(encoding="utf-8")})
    return out


@contextlib.contextmanager
def draft_engine(engine: Engine, files: Mapping[str, str]) -> Iterator[Engine]:
    """An Engine over the draft files with `engine`'s plugins and catalog; RulesetError with
    diagnostics (file names as posted) when the draft does not load."""
    with tempfile.TemporaryDirectory(prefix=PREFIX) as tmp:
        root = Path(tmp)
        for name, text in files.items():
            (root / (name if name.endswith(SUFFIXES) else f"{name}.yaml")).write_text(
                text, encoding="utf-8")
        try:
            draft = Engine(plugins=engine.plugins, catalog=engine.catalog, paths=[root],
                           name=engine.ruleset.name, backend="python")
        except RulesetError as err:
            raise RulesetError([_renamed(d) for d in err.diagnostics]) from None
    try:
        yield draft
    finally:
        draft.close()


def _renamed(diagnostic: Any) -> Any:
    """The diagnostic with the temporary directory taken out of its file name."""
    return dataclasses.replace(diagnostic, file=Path(str(diagnostic.file)).name)


def run_draft(engine: Engine, files: Mapping[str, str], context: Any) -> dict[str, Any]:
    """The week the draft gives for `context` (each exercise with its `dose` text too), and
    every draft rule explained."""
    with draft_engine(engine, files) as draft:
        trace = draft.trace(context)
        response = trace.response
        for entry in response["fired"]:
            entry["file"] = Path(str(entry["file"])).name
        for session in response["sessions"]:
            for item in session["exercises"]:
                item["dose"] = dose_text(item)  # shown as the CLI and the calendar show it
        return {
            "ruleset": response["ruleset"],
            "active_version": engine.ruleset.version,
            "recommendation": response,
            "rules": explain_rules(draft.ruleset, trace),
        }


def explain_rules(ruleset: Ruleset, trace: Trace) -> list[dict[str, Any]]:
    """Per rule in file order: fired or not, the values its condition read, and `why_not`:
    `stridewise explain --why-not`'s answer (the first false clause with its values and what
    changed those facts, or the rules that overrode a directive of a rule that fired), for the
    first 7-day block of a longer plan."""
    from stridewise.explaining import why_not_rule  # it renders with render_condition below

    fired = {f.rule.id: f for f in trace.evaluation.fired}
    out = []
    for rule in ruleset.rules:
        why = why_not_rule(rule, trace)
        why["file"] = Path(rule.file).name
        out.append({
            "rule": rule.id, "ruleset": rule.section, "file": Path(rule.file).name,
            "line": rule.line, "description": rule.description, "source": rule.source,
            "priority": rule.priority, "when": rule.when, "then": _plain(rule.then),
            "set": _plain(rule.sets), "fired": rule.id in fired,
            "read": _plain(fired[rule.id].read) if rule.id in fired else why.get("read", {}),
            "why_not": why,
        })
    return out


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def render_condition(node: Any, parent: type | None = None) -> str:
    """A condition tree back as rule-language text (parenthesised where needed)."""
    if isinstance(node, ex.Lit):
        return json.dumps(node.value)
    if isinstance(node, ex.ListLit):
        return "[" + ", ".join(render_condition(i) for i in node.items) + "]"
    if isinstance(node, ex.Path):
        return node.text
    if isinstance(node, ex.Compare):
        return f"{render_condition(node.left)} {node.op} {render_condition(node.right)}"
    if isinstance(node, ex.Member):
        return f"{render_condition(node.item)} in {render_condition(node.items)}"
    if isinstance(node, ex.Exists):
        return f"exists({node.path.text})"
    if isinstance(node, ex.Empty):
        return f"empty({node.path.text})"
    if isinstance(node, ex.Quant):
        return f"{node.kind}({node.items.text}, {render_condition(node.cond)})"
    if isinstance(node, ex.Not):
        return f"not {render_condition(node.expr, ex.Not)}"
    if isinstance(node, ex.And | ex.Or):
        word = " and " if isinstance(node, ex.And) else " or "
        text = word.join(render_condition(i, type(node)) for i in node.items)
        return f"({text})" if parent is not None and parent is not type(node) else text
    raise TypeError(f"not a condition node: {node!r}")
