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
from stridewise.rules import Evaluation, PythonRuleset, Rule, Ruleset, rule_files
from stridewise.rules import expr as ex
from stridewise.rules.evaluate import MISSING, fact_at, paths_read
from stridewise.service import Engine

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
            "rules": explain_rules(draft.ruleset, trace.evaluation),
        }


def explain_rules(ruleset: Ruleset, evaluation: Evaluation) -> list[dict[str, Any]]:
    """Per rule in file order: fired or not, the values its condition read, and for a rule
    that did not fire, the parts of its condition that were false (first 7-day block)."""
    facts = evaluation.facts
    fired = {f.rule.id: f for f in evaluation.fired}
    out = []
    for rule in ruleset.rules:
        entry: dict[str, Any] = {
            "rule": rule.id, "ruleset": rule.section, "file": Path(rule.file).name,
            "line": rule.line, "description": rule.description, "source": rule.source,
            "priority": rule.priority, "when": rule.when, "then": _plain(rule.then),
            "set": _plain(rule.sets), "fired": rule.id in fired,
        }
        if rule.id in fired:
            entry["read"] = fired[rule.id].read
            entry["why_not"] = []
        else:
            entry["read"] = _read(rule.expr, facts)
            entry["why_not"] = [{"condition": render_condition(part), "read": _read(part, facts)}
                                for part in _false_parts(rule, facts)]
        out.append(entry)
    return out


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _read(node: Any, facts: Mapping[str, Any]) -> dict[str, Any]:
    values = {}
    for path in paths_read(node):
        value = fact_at(facts, tuple(path.split(".")))
        values[path] = None if value is MISSING else value
    return _plain(values)


def _false_parts(rule: Rule, facts: Mapping[str, Any]) -> list[Any]:
    """The conjuncts of the rule's condition that do not hold (the whole condition if it is
    not a conjunction), each checked by the pure-Python evaluator."""
    parts = list(rule.expr.items) if isinstance(rule.expr, ex.And) else [rule.expr]
    probes = tuple(
        Rule(id=f"part-{i}", section="why-not", file=rule.file, line=rule.line, col=rule.col,
             when="", expr=part, then={}, sets={}, index=i)
        for i, part in enumerate(parts)
    )
    held = {f.rule.index for f in PythonRuleset(Ruleset("why-not", "", probes)).evaluate(
        dict(facts)).fired}
    return [part for i, part in enumerate(parts) if i not in held]


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
