"""errors.py draws the tree of every error class Stridewise raises, and nothing else.

A static scan of engine/, web/ and plugins/ (with `ast`): the classes that derive from
StridewiseError, where each is constructed, and the tree in errors.py's docstring.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from stridewise import errors
from stridewise.errors import ExpressionError, RulesetError
from stridewise.rules.expr import parse_expr

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    p for folder in ("engine", "web", "plugins") for p in (ROOT / folder).rglob("*.py")
)
ERRORS = ROOT / "engine" / "errors.py"


def _tree() -> dict[str, str]:
    """Class -> parent as drawn in errors.py's docstring (the root's parent is Exception)."""
    drawn: dict[str, str] = {}
    stack: list[str] = []
    for line in (errors.__doc__ or "").splitlines():
        found = re.match(r"^([ │├└─]*)(\w+Error)\b", line)
        if not found:
            continue
        depth = (len(found.group(1)) - 4) // 4
        del stack[depth:]
        drawn[found.group(2)] = stack[-1] if stack else "Exception"
        stack.append(found.group(2))
    return drawn


def _parsed() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(), str(path)) for path in SOURCES}


def _classes(parsed: dict[Path, ast.Module]) -> dict[str, str]:
    """Every exception-like class defined in our source -> its first base's name."""
    found: dict[str, str] = {}
    for module in parsed.values():
        for node in ast.walk(module):
            if isinstance(node, ast.ClassDef) and node.bases:
                base = node.bases[0]
                name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
                found[node.name] = name
    return found


def _stridewise_errors(classes: dict[str, str]) -> set[str]:
    def derives(name: str) -> bool:
        seen = set()
        while name in classes and name not in seen:
            seen.add(name)
            if name == "StridewiseError":
                return True
            name = classes[name]
        return name == "StridewiseError"

    return {name for name in classes if derives(name)}


def _constructed(parsed: dict[Path, ast.Module]) -> dict[str, list[str]]:
    """Class name -> the places (file:line) that construct or raise it, outside errors.py."""
    places: dict[str, list[str]] = {}
    for path, module in parsed.items():
        if path == ERRORS:
            continue
        for node in ast.walk(module):
            target = node.func if isinstance(node, ast.Call) else (
                node.exc if isinstance(node, ast.Raise) else None
            )
            name = target.id if isinstance(target, ast.Name) else getattr(target, "attr", None)
            if name:
                places.setdefault(name, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return places


def test_the_drawing_matches_the_class_hierarchy():
    drawn = _tree()
    assert drawn["StridewiseError"] == "Exception" and len(drawn) >= 8
    classes = _classes(_parsed())
    mismatched = {name: (parent, classes.get(name)) for name, parent in drawn.items()
                  if classes.get(name) != parent}
    assert not mismatched, "drawn parent != real base: " + repr(mismatched)


def test_every_stridewise_error_subclass_is_drawn():
    defined = _stridewise_errors(_classes(_parsed()))
    assert defined - set(_tree()) == set(), "add these to the tree in engine/errors.py"
    assert set(_tree()) - defined == set(), "the tree draws classes that do not exist"


def test_every_drawn_class_is_raised_somewhere():
    places = _constructed(_parsed())
    never = sorted(name for name in _tree() if name not in places)
    assert not never, f"drawn but never raised (remove them or raise them): {never}"


def test_every_error_class_in_errors_py_is_drawn():
    defined = {name for name, value in vars(errors).items()
               if isinstance(value, type) and issubclass(value, Exception)}
    assert defined <= set(_tree())


def test_a_bad_condition_raises_expression_error_a_ruleset_error():
    with pytest.raises(RulesetError) as info:
        parse_expr("age >")
    assert isinstance(info.value, ExpressionError)
    assert (info.value.col, info.value.message) == (5, "expected a value, a fact or '(', "
                                                       "found the end of the condition")
    assert str(info.value) == f"<condition>:1:6: {info.value.message}"
