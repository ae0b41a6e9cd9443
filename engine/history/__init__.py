"""The athlete's own log: training sessions and wellness in, loads and pain decisions out.

Data flows one way: `schema` validates `training_log` and `wellness` in the context;
`summary` reduces them to what rules and the planner read (per-exercise estimated 1RM and last
working set, session counts, pain and soreness); `loads` turns a planned dose into kilograms
with double progression; `pain` decides whether a rehab protocol may progress; `apply` puts
both onto a plan. A context without a log gives exactly the plan it gave before.
"""

from __future__ import annotations

from stridewise.history.summary import HISTORY_KEYS, LogSummary, history_facts, summarize

# `stridewise.history.apply` (which needs the planner) is imported by the Engine directly, so
# the request schema can read this package without loading the planner.
__all__ = ["HISTORY_KEYS", "LogSummary", "history_facts", "summarize"]
