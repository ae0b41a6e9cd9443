"""Explain one recommendation through the Engine: what fired, what it read, and why not.

`explain(engine, body, why_not=[...] | all_rules=True)` runs the context exactly as the
service does (`Engine.trace`: plugins, their facts, the same resolution) and reports the fired
rules, the facts `set` changed and the resolved directives with the rules behind each. For a
rule that did not fire it names the first clause of its condition that was false with the
values it read (`race.days_until = 18, needs <= 14`), and whether a `set` (or the phase derived
from the race date) had already changed a fact the clause reads. For a rule that fired but
whose directive lost, it names the rules whose value won. `stridewise explain` and
`POST /v1/explanations` print this.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from stridewise.errors import StridewiseError
from stridewise.rules import PythonRuleset, Rule, Ruleset
from stridewise.rules import expr as ex
from stridewise.rules.evaluate import MISSING, fact_at, paths_read
from stridewise.service import Engine, Trace
from stridewise.workbench import render_condition

__all__ = ["UnknownRuleError", "explain", "why_not"]


class UnknownRuleError(StridewiseError):
    """`--why-not` named a rule the ruleset does not have."""


def explain(
    engine: Engine, body: Any, *, why_not: Sequence[str] = (), all_rules: bool = False
) -> dict[str, Any]:
    """The explanation of `body` (an athlete context) as JSON-ready data."""
    rules = {rule.id: rule for rule in engine.ruleset.rules}
    for name in why_not:
        if name not in rules:
            import difflib

            close = difflib.get_close_matches(name, list(rules), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise UnknownRuleError(f"no rule '{name}' in ruleset '{engine.ruleset.name}'{hint}")
    trace = engine.trace(body)
    evaluation = trace.evaluation
    start = trace.facts
    changed = {k: {"from": _plain(start.get(k)), "to": _plain(v)}
               for k, v in evaluation.facts.items() if start.get(k) != v}
    wanted = [r for r in engine.ruleset.rules
              if (all_rules and r.id not in _fired(trace)) or r.id in why_not]
    return {
        "ruleset": engine.ruleset.ref(),
        "backend": engine.status()["backend"],
        "rules": len(engine.ruleset.rules),
        "fired": [_plain(f.to_dict()) for f in evaluation.fired],
        "changed": changed,
        "directives": [{"directive": label, "value": _plain(value), "rules": list(by)}
                       for label, value, by in trace.resolved.entries()],
        "warnings": list(trace.resolved.warnings),
        "why_not": [why_not_rule(rule, trace) for rule in wanted],
    }


def _fired(trace: Trace) -> dict[str, Any]:
    return {f.rule.id: f for f in trace.evaluation.fired}


def why_not(engine: Engine, body: Any, rule_id: str) -> dict[str, Any]:
    """Why one rule did not fire (or did not take effect) for `body`."""
    (entry,) = explain(engine, body, why_not=[rule_id])["why_not"]
    return entry


def why_not_rule(rule: Rule, trace: Trace) -> dict[str, Any]:
    """Why `rule` did not fire, or fired and was overridden, in this trace."""
    base = {"rule": rule.id, "file": rule.file, "line": rule.line, "when": rule.when.strip(),
            "priority": rule.priority}
    fired = _fired(trace)
    if rule.id in fired:
        lost = _overridden(rule, trace)
        if not lost:
            return {**base, "fired": True, "reason": "fired",
                    "message": "it fired and every directive it gives took effect"}
        message = "; ".join(
            f"{d['directive']}: overridden by {', '.join(repr(r) for r in d['by'])}"
            for d in lost)
        return {**base, "fired": True, "reason": "overridden", "overridden": lost,
                "message": f"it fired, but {message}"}
    facts = trace.evaluation.facts
    clause = _first_false(rule.expr, facts)
    read = _read(clause, facts)
    message = _needs(clause, read)
    notes = _history(clause, trace)
    reason = "condition" if not notes else ("set" if any(n["by"] for n in notes) else "derived")
    if notes:
        message += "; " + "; ".join(n["message"] for n in notes)
    return {**base, "fired": False, "reason": reason,
            "clause": render_condition(clause), "read": read, "message": message,
            "changed_by": notes}


def _overridden(rule: Rule, trace: Trace) -> list[dict[str, Any]]:
    out = []
    values = trace.resolved.to_dict()  # the `then`-shaped resolved values
    for key in rule.then:
        if key in trace.resolved and rule.id not in trace.resolved.because(key):
            out.append({"directive": key, "by": trace.resolved.because(key),
                        "value": _plain(values.get(key))})
    return out


def _first_false(node: Any, facts: Mapping[str, Any]) -> Any:
    """The first conjunct (recursively through `and`) that does not hold on `facts`."""
    parts = list(node.items) if isinstance(node, ex.And) else [node]
    for part in parts:
        if not _holds(part, facts):
            return _first_false(part, facts) if isinstance(part, ex.And) else part
    return node


def _holds(node: Any, facts: Mapping[str, Any]) -> bool:
    probe = Rule(id="probe", section="why-not", file="", line=0, col=0, when="", expr=node,
                 then={}, sets={})
    return bool(PythonRuleset(Ruleset("why-not", "", (probe,))).evaluate(dict(facts)).fired)


def _read(node: Any, facts: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for path in paths_read(node):
        value = fact_at(facts, tuple(path.split(".")))
        out[path] = None if value is MISSING else _plain(value)
    return out


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _needs(node: Any, read: Mapping[str, Any]) -> str:
    """`race.days_until = 18, needs <= 14`: the clause's values against what it needs."""
    if isinstance(node, ex.Compare) and isinstance(node.left, ex.Path) and \
            isinstance(node.right, ex.Lit):
        return f"{node.left.text} = {_show(read.get(node.left.text))}, needs {node.op} " \
               f"{_show(node.right.value)}"
    if isinstance(node, ex.Compare) and isinstance(node.right, ex.Path) and \
            isinstance(node.left, ex.Lit):
        return f"{node.right.text} = {_show(read.get(node.right.text))}, needs " \
               f"{_show(node.left.value)} {node.op} it"
    if isinstance(node, ex.Member) and isinstance(node.item, ex.Path):
        return f"{node.item.text} = {_show(read.get(node.item.text))}, needs to be in " \
               f"{render_condition(node.items)}"
    if isinstance(node, ex.Member) and isinstance(node.items, ex.Path):
        return f"{node.items.text} = {_show(read.get(node.items.text))}, needs to contain " \
               f"{render_condition(node.item)}"
    if isinstance(node, ex.Not) and isinstance(node.expr, ex.Member):
        return f"{render_condition(node)} is false: {_values(read)}"
    values = _values(read)
    return f"{render_condition(node)} is false" + (f": {values}" if values else "")


def _values(read: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} = {_show(v)}" for k, v in read.items())


def _history(node: Any, trace: Trace) -> list[dict[str, Any]]:
    """How the facts the clause reads came to be: a rule's `set`, or derived from the race."""
    start, final = trace.facts, trace.evaluation.facts
    out: list[dict[str, Any]] = []
    for path in paths_read(node):
        top = path.split(".")[0]
        if top in start and start.get(top) != final.get(top):
            setters = [f.rule.id for f in trace.evaluation.fired if top in f.rule.sets]
            out.append({"fact": top, "from": _plain(start.get(top)), "to": _plain(final[top]),
                        "by": setters,
                        "message": f"{top} was {_show(start.get(top))} before "
                                   f"{', '.join(repr(s) for s in setters)} set it to "
                                   f"{_show(final[top])}"})
        elif top == "phase" and start.get("phase_source") == "race_date":
            out.append({"fact": "phase", "from": None, "to": _plain(start.get("phase")),
                        "by": [], "message": f"phase {_show(start.get('phase'))} was derived "
                                             f"from the race date (no phase in the request)"})
    return out


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))
