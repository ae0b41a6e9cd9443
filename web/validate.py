"""POST /v1/rulesets:validate: check posted rule text with the rules core, never activate it."""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["check_rule_texts"]

RULE_SUFFIXES = (".yaml", ".yml")


def _vocabulary(engine: Any) -> Any:
    """The names rules may use with the engine's plugins (categories, tags, ids, directives)."""
    catalog = getattr(engine, "catalog", None)
    if catalog is not None and hasattr(catalog, "vocabulary"):
        return catalog.vocabulary()
    return getattr(engine, "vocabulary", None)


def check_rule_texts(engine: Any, files: dict[str, str]) -> dict[str, Any]:
    """Diagnostics (file:line:col) for the posted files, checked together as one ruleset."""
    check_paths = importlib.import_module("engine.rules").check_paths
    names: list[str] = []
    with tempfile.TemporaryDirectory(prefix="stridewise-validate-") as tmp:
        root = Path(tmp)
        paths = []
        for name, text in files.items():
            safe = name if name.endswith(RULE_SUFFIXES) else f"{name}.yaml"
            path = root / safe
            path.write_text(text, encoding="utf-8")
            paths.append(path)
            names.append(safe)
        diagnostics = check_paths(paths, vocabulary=_vocabulary(engine))
        prefix = str(root) + "/"
        out = []
        for diagnostic in diagnostics:
            entry = diagnostic.to_dict()
            entry["file"] = str(entry["file"]).replace(prefix, "")
            entry["message"] = str(entry["message"]).replace(prefix, "")
            entry["text"] = f"{entry['file']}:{entry['line']}:{entry['col']}: {entry['message']}"
            out.append(entry)
    valid = not any(d.get("severity", "error") == "error" for d in out)
    return {"valid": valid, "files": names, "diagnostics": out}
