"""Bundled rulesets; `DEFAULT` is the directory of the evidence-based default rules."""

from pathlib import Path

DEFAULT = Path(__file__).resolve().parent / "default"

__all__ = ["DEFAULT"]
