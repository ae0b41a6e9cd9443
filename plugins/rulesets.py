"""Built-in plugin shipping the evidence-based default ruleset (`rulesets/default/`)."""

from __future__ import annotations

from typing import Any

from stridewise import hookimpl, rulesets

__all__ = ["register_rulesets"]


@hookimpl
def register_rulesets() -> list[dict[str, Any]]:
    """The default ruleset directory, as the ruleset named `default`."""
    return [{"name": "default", "path": rulesets.DEFAULT}]
