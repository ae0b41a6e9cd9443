"""What one app instance holds between requests: the engine, its watcher and its metrics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from stridewise.service import Engine

from .metrics import Metrics
from .reload import RulesWatcher

__all__ = ["WebState", "state"]


@dataclass
class WebState:
    """The engine the views call, the rules watcher (None when reload is off), the metrics."""

    engine: Engine
    watcher: RulesWatcher | None
    metrics: Metrics
    decisions: Any = None  # a stridewise.decisions.DecisionLog when decision logging is on
    plugin_versions: list[dict[str, Any]] = field(default_factory=list)

    def ruleset_version(self) -> str:
        """The version of the active ruleset ("sha256:…")."""
        return self.engine.ruleset.version

    def record_decision(self, context: Any, result: dict[str, Any],
                        request_id: str | None) -> str | None:
        """Log one plan as a decision (a single request's, or a batch item's); its id, or
        None when decision logging is off."""
        if self.decisions is None:
            return None
        decision: str = self.decisions.record(
            context if isinstance(context, dict) else {}, result,
            plugins=self.plugin_versions, request_id=request_id,
        )
        return decision


def state() -> WebState:
    """The WebState of the current app."""
    found: WebState = current_app.extensions["stridewise"]
    return found
