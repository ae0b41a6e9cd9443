"""The layering docs/architecture.md draws holds in the code, and its import graph is current.

The graph is read from the source by tests/tools/import_graph.py (`ast`, every import, including
lazy and TYPE_CHECKING ones), so the rules below see every edge.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "tools"))
import import_graph  # noqa: E402

DOC = ROOT / "docs" / "architecture.md"
EDGES = import_graph.graph()


def _importers(prefixes: tuple[str, ...]) -> set[str]:
    """Modules importing any of `prefixes` (our own modules or third-party top names)."""
    return {m for m, targets in EDGES.items()
            if any(t == p or t.startswith(f"{p}.") for t in targets for p in prefixes)}


def _in(modules: set[str], *steps: str) -> set[str]:
    return {m for m in modules if import_graph.component(m) in steps}


def test_the_graph_sees_every_module_and_lazy_imports():
    assert len(EDGES) > 60
    # commands are imported inside the cli's loader functions: still edges
    assert "stridewise.commands.serve" in EDGES["stridewise.cli"]


@pytest.mark.parametrize(("step", "forbidden"), [
    ("rules", ("stridewise.planning", "stridewise.web", "stridewise.service",
               "stridewise.context", "stridewise.commands", "stridewise.catalog",
               "stridewise.plugin_manager")),
    ("planning", ("stridewise.web", "stridewise.commands", "stridewise.service")),
    ("facts", ("stridewise.context", "stridewise.rules", "marshmallow")),
    ("errors", ("stridewise",)),
    ("models", ("stridewise.rules", "stridewise.planning", "stridewise.service")),
])
def test_data_flows_one_way(step, forbidden):
    offenders = _in(_importers(forbidden), step)
    assert not offenders, f"{step} must not import {forbidden}: {sorted(offenders)}"


def test_only_the_compile_step_touches_durable_rules():
    # bench/bench_peer time hand-written durable-rules as the baseline (docs/performance.md)
    assert _importers(("durable",)) == {
        "stridewise.rules.compile", "stridewise.bench", "stridewise.bench_peer"
    }


def test_only_web_and_serving_touch_flask_and_gunicorn():
    served = _importers(("flask", "flask_smorest", "werkzeug", "gunicorn"))
    outside = {m for m in served if import_graph.component(m) != "web"}
    # bench_http serves a bare Flask app on the same gunicorn workers as the baseline
    assert outside == {
        "stridewise.commands.serve", "stridewise.commands.worker", "stridewise.bench_http"
    }


def test_only_the_plugin_manager_loads_entry_points():
    callers = set()
    for name, path in import_graph.modules().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called == "entry_points":
                    callers.add(name)
    assert callers == {"stridewise.plugin_manager"}


def test_the_documented_import_graph_is_current():
    text = DOC.read_text()
    assert "<!-- import-graph -->" in text
    assert import_graph.rewrite(text, EDGES) == text, (
        "run: python tests/tools/import_graph.py docs/architecture.md"
    )
