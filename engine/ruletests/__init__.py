"""Rule tests: YAML cases beside the rules (`runner`) and the checks behind `expect` (`checks`)."""

from __future__ import annotations

from stridewise.ruletests.runner import (
    CaseResult,
    discover,
    run_paths,
)

__all__ = ["CaseResult", "discover", "run_paths"]
