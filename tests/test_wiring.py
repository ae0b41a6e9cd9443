"""No hidden wiring: plain imports and typed parameters, so grep, editors and mypy see every edge.

Static scans (with `ast`) of engine/, web/ and plugins/.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    p for folder in ("engine", "web", "plugins") for p in (ROOT / folder).rglob("*.py")
)
INIT = ROOT / "engine" / "__init__.py"
# Parameters that hold the engine's own objects; each has a real type.
TYPED = {"engine", "plugins", "catalog", "compiled", "ruleset", "evaluation", "web"}


def _trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(), str(path)) for path in SOURCES}


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"


def test_no_module_is_imported_by_name_except_by_the_lazy_package_init():
    found = []
    for path, tree in _trees().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in {"import_module", "__import__"} and path != INIT:
                    found.append(_where(path, node))
    assert not found, f"import by name (use a plain import): {found}"


def test_every_lazy_name_is_also_imported_for_type_checkers():
    tree = ast.parse(INIT.read_text())
    table: dict[str, str] = {}
    typed: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "_EXPORTS":
            assert isinstance(node.value, ast.Dict)
            table = {ast.literal_eval(k): ast.literal_eval(v)  # type: ignore[arg-type]
                     for k, v in zip(node.value.keys, node.value.values, strict=True)}
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom)
                typed.update({alias.name: str(imp.module) for alias in imp.names})
    assert table and table == typed


def test_the_engines_objects_are_never_typed_any():
    found = []
    for path, tree in _trees().items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for arg in [*node.args.args, *node.args.kwonlyargs]:
                note = arg.annotation
                if arg.arg in TYPED and isinstance(note, ast.Name) and note.id == "Any":
                    found.append(f"{_where(path, node)} {node.name}({arg.arg}: Any)")
    assert not found, found
