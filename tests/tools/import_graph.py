"""The import graph of the `stridewise` package, read from the source with `ast`.

Every module under the package-dir mapping (engine/ -> stridewise, web/ -> stridewise.web, ...)
is parsed; every `import`/`from ... import` inside it (module level, in functions, under
TYPE_CHECKING) is an edge. `components()` folds modules into the steps docs/architecture.md
names (a subpackage is one step; a top-level module is its own). tests/test_architecture.py
checks the layer rules on the module graph and that the generated section of
docs/architecture.md is current; rewrite it with:

    python tests/tools/import_graph.py docs/architecture.md
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from typecheck import ROOT, package_dirs  # noqa: E402

PACKAGE = "stridewise"


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Import name -> source file, for every module of the package."""
    found: dict[str, Path] = {}
    for name, folder in package_dirs(root).items():
        for path in sorted(folder.rglob("*.py")):
            parts = [*name.split("."), *path.relative_to(folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path) -> set[str]:
    """Every module `name` imports (absolute names; relative imports resolved)."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            out.add(module)
            # `from stridewise.rules import expr` imports the submodule stridewise.rules.expr
            out.update(f"{module}.{alias.name}" for alias in node.names)
    return out


def graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the package's modules it imports (third-party imports kept as top names)."""
    mods = modules(root)
    edges: dict[str, set[str]] = {}
    for name, path in mods.items():
        targets = set()
        for target in imports_of(name, path):
            if target.split(".")[0] != PACKAGE:
                targets.add(target.split(".")[0])
            elif target in mods and target != name:
                targets.add(target)
        edges[name] = targets
    return edges


def component(module: str) -> str:
    """The step a module belongs to: `rules` for stridewise.rules.*, `cli` for stridewise.cli."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "(package)"


def components(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph folded into steps; only edges between different steps of the package."""
    folded: dict[str, set[str]] = {}
    for module, targets in edges.items():
        mine = component(module)
        steps = folded.setdefault(mine, set())
        steps.update(component(t) for t in targets if t.startswith(f"{PACKAGE}."))
        steps.discard(mine)
    return folded


def render(edges: dict[str, set[str]]) -> str:
    """The generated section: each step and the steps it imports, as a Markdown table."""
    folded = components(edges)
    rows = ["| step | imports (steps of `stridewise`) |", "|---|---|"]
    for step in sorted(folded):
        rows.append(f"| `{step}` | {', '.join(f'`{t}`' for t in sorted(folded[step])) or '—'} |")
    return "\n".join(rows)


_MARKED = re.compile(r"(<!-- import-graph -->\n)(.*?)(<!-- /import-graph -->)", re.S)


def rewrite(text: str, edges: dict[str, set[str]]) -> str:
    """`text` with the section between the import-graph markers regenerated."""
    return _MARKED.sub(lambda m: m.group(1) + render(edges) + "\n" + m.group(3), text)


if __name__ == "__main__":
    current = graph()
    for arg in sys.argv[1:]:
        doc = Path(arg)
        doc.write_text(rewrite(doc.read_text(), current))
