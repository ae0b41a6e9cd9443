"""The docs tables of directives, generated from the registry so they cannot drift.

docs/rules.md and docs/resolution.md hold the tables between marker comments
(`<!-- directives:NAME -->` … `<!-- /directives -->`); a test fails when they differ from
what this module renders. Rewrite them with:

    python -m stridewise.directives.table docs/rules.md docs/resolution.md
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from stridewise.directives.registry import DEFAULT, STAGES, Registry

__all__ = ["TABLES", "combination", "render", "rewrite", "stages", "vocabulary"]

PLUGIN_ROW = ("| plugin directives | their spec's merge policy; by default collected as "
              "`(rule id, value)` pairs in priority order and given to the plugin's `apply` "
              "after every built-in stage |")


def _cell(text: str) -> str:
    return text.replace("|", "\\|") if "\\|" not in text else text


def vocabulary(registry: Registry) -> str:
    """| directive | what it does | value | example | — one row per directive."""
    rows = ["| directive | what it does | value | example |", "|---|---|---|---|"]
    for name, spec in registry.items():
        rows.append(f"| `{name}` | {_cell(spec.description)} | {_cell(spec.value)} | "
                    f"{_cell(spec.example)} |")
    return "\n".join(rows)


def combination(registry: Registry) -> str:
    """| directive | how several fired rules combine | — neighbours with one rule share a row."""
    groups: list[tuple[list[str], str]] = []
    for name, spec in registry.items():
        policy = registry.policy(spec)
        if policy is None:
            continue
        if groups and groups[-1][1] == policy.summary:
            groups[-1][0].append(policy.label(name))
        else:
            groups.append(([policy.label(name)], policy.summary))
    rows = ["| directive | how several fired rules combine |", "|---|---|"]
    rows += [f"| {', '.join(labels)} | {summary} |" for labels, summary in groups]
    rows.append(PLUGIN_ROW)
    return "\n".join(rows)


def stages(registry: Registry) -> str:
    """| stage | where the planner applies it | directives | — in pipeline order."""
    rows = ["| stage | where | directives |", "|---|---|---|"]
    for stage, where in STAGES.items():
        names = [f"`{n}`" for n, spec in registry.items() if spec.stage == stage]
        if stage == "plan":
            names.append("plugin directives with `apply`")
        rows.append(f"| `{stage}` | {where} | {', '.join(names) or '—'} |")
    return "\n".join(rows)


TABLES: dict[str, Callable[[Registry], str]] = {
    "vocabulary": vocabulary,
    "combination": combination,
    "stages": stages,
}
_MARKED = re.compile(r"(<!-- directives:(\w+) -->\n)(.*?)(<!-- /directives -->)", re.S)


def render(text: str, registry: Registry = DEFAULT) -> str:
    """`text` with every marked table replaced by the registry's."""
    def table(match: re.Match[str]) -> str:
        make = TABLES.get(match.group(2))
        if make is None:
            raise ValueError(f"unknown directives table '{match.group(2)}'; "
                             f"known: {', '.join(TABLES)}")
        return match.group(1) + make(registry) + "\n" + match.group(4)

    return _MARKED.sub(table, text)


def rewrite(paths: Sequence[str]) -> list[str]:
    """Regenerate the tables in these files; returns the files that changed."""
    changed = []
    for path in map(Path, paths):
        old = path.read_text(encoding="utf-8")
        new = render(old)
        if new != old:
            path.write_text(new, encoding="utf-8")
            changed.append(str(path))
    return changed


if __name__ == "__main__":
    for changed_path in rewrite(sys.argv[1:]):
        print(f"rewrote {changed_path}")
