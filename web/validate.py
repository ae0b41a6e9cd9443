"""POST /v1/rulesets:validate: check posted rule text with the rules core, never activate it."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from stridewise.service import Engine

__all__ = ["check_rule_texts"]

RULE_SUFFIXES = (".yaml", ".yml")
PREFIX = "stridewise-validate-"
# The temp directory however the rules core shows it (absolute, or relative with ../).
TEMP_DIR = re.compile(r"[^\s'\"]*" + PREFIX + r"[^/\s]*/")


def check_rule_texts(engine: Engine, files: dict[str, str]) -> dict[str, Any]:
    """Diagnostics (file:line:col) for the posted files, checked together as one ruleset."""
    from stridewise.rules import check_paths

    names: list[str] = []
    with tempfile.TemporaryDirectory(prefix=PREFIX) as tmp:
        root = Path(tmp)
        paths = []
        for name, text in files.items():
            safe = name if name.endswith(RULE_SUFFIXES) else f"{name}.yaml"
            path = root / safe
            path.write_text(text, encoding="utf-8")
            paths.append(path)
            names.append(safe)
        diagnostics = check_paths(paths, vocabulary=engine.vocabulary)
        out = []
        for diagnostic in diagnostics:
            entry = diagnostic.to_dict()
            entry["file"] = TEMP_DIR.sub("", str(entry["file"]))
            entry["message"] = TEMP_DIR.sub("", str(entry["message"]))
            entry["text"] = f"{entry['file']}:{entry['line']}:{entry['col']}: {entry['message']}"
            out.append(entry)
    valid = not any(d.get("severity", "error") == "error" for d in out)
    return {"valid": valid, "files": names, "diagnostics": out}
