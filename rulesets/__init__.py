"""Bundled rulesets and sample data.

`DEFAULT` is the directory of the evidence-based default rules; `SAMPLES` the sample athlete
corpus (one context per line) used by `stridewise diff`, the docs and the workbench.
"""

from pathlib import Path

DEFAULT = Path(__file__).resolve().parent / "default"
SAMPLES = Path(__file__).resolve().parent / "samples" / "athletes.jsonl"

__all__ = ["DEFAULT", "SAMPLES"]
