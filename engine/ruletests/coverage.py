"""Rule coverage of rule tests: which rules no case fires, which conditions never flip.

After `stridewise test` has run the cases, each case's trace says which rules fired and the
facts they saw. A rule is covered when some case fires it. Its condition, and each clause of a
top-level `and`, should be seen both true and false by some case: a clause only ever true
is never tested for what happens without it (OPA's `test --coverage`, per clause).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from stridewise.rules import PythonRuleset, Rule, Ruleset
from stridewise.rules import expr as ex
from stridewise.ruletests.runner import CaseResult, engine_for
from stridewise.workbench import render_condition

__all__ = ["Coverage", "measure"]


@dataclass
class _Clause:
    rule: Rule
    text: str
    seen: set[bool] = field(default_factory=set)


@dataclass
class Coverage:
    """Rules fired by some case, and conditions (per clause) seen true and false."""

    rules: list[Rule]
    fired: dict[str, int]
    clauses: list[_Clause]

    @property
    def percent(self) -> float:
        return 100.0 * sum(1 for r in self.rules if self.fired.get(r.id)) / max(len(self.rules), 1)

    def never_fired(self) -> list[Rule]:
        return [r for r in self.rules if not self.fired.get(r.id)]

    def one_sided(self) -> list[_Clause]:
        return [c for c in self.clauses if len(c.seen) < 2 and self.fired.get(c.rule.id)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": len(self.rules),
            "fired": sum(1 for r in self.rules if self.fired.get(r.id)),
            "percent": round(self.percent, 1),
            "never_fired": [{"rule": r.id, "file": r.file, "line": r.line}
                            for r in self.never_fired()],
            "conditions": [{"rule": c.rule.id, "file": c.rule.file, "line": c.rule.line,
                            "clause": c.text, "seen": sorted(c.seen)}
                           for c in self.one_sided()],
        }

    def report(self) -> str:
        data = self.to_dict()
        lines = [f"rule coverage: {data['fired']}/{data['rules']} rules fired by some test "
                 f"({data['percent']}%)"]
        if data["never_fired"]:
            lines.append("never fired by a test:")
            lines += [f"  {r['file']}:{r['line']} {r['rule']}" for r in data["never_fired"]]
        if data["conditions"]:
            lines.append("conditions never seen both true and false:")
            for c in data["conditions"]:
                only = "true" if c["seen"] == [True] else "false"
                lines.append(f"  {c['file']}:{c['line']} {c['rule']}: {c['clause']} "
                             f"(only {only})")
        return "\n".join(lines)


def _clauses(rule: Rule) -> list[Any]:
    return list(rule.expr.items) if isinstance(rule.expr, ex.And) else [rule.expr]


def measure(results: Iterable[CaseResult]) -> Coverage:
    """Coverage of the rulesets the cases ran against, from their traces."""
    done = [r for r in results if r.trace is not None]
    rules: dict[str, Rule] = {}
    for result in done:
        for rule in engine_for(result.case.rules).ruleset.rules:
            rules.setdefault(rule.id, rule)
    clauses = [_Clause(rule, render_condition(node)) for rule in rules.values()
               for node in _clauses(rule)]
    constant = {i for i, node in enumerate(n for rule in rules.values() for n in _clauses(rule))
                if isinstance(node, ex.Lit)}  # `when: true` cannot be seen false
    probes = PythonRuleset(Ruleset("coverage", "", tuple(
        Rule(id=f"c{i}", section="coverage", file="", line=0, col=0, when="",
             expr=node, then={}, sets={}, index=i)
        for i, node in enumerate(n for rule in rules.values() for n in _clauses(rule))
    )))
    fired: dict[str, int] = {}
    for result in done:
        evaluation = result.trace.evaluation
        for item in evaluation.fired:
            fired[item.rule.id] = fired.get(item.rule.id, 0) + 1
        true = {f.rule.index for f in probes.evaluate(dict(evaluation.facts)).fired}
        for index, clause in enumerate(clauses):
            clause.seen.add(index in true)
    return Coverage(list(rules.values()), fired,
                    [c for i, c in enumerate(clauses) if i not in constant])
