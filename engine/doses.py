"""One exercise's dose as text ("3 x 8 RPE 7 rest 90s"): the CLI week and calendar events."""

from __future__ import annotations

from typing import Any

__all__ = ["dose_text"]


def dose_text(item: dict[str, Any]) -> str:
    """Sets x reps (or seconds, or ground contacts), intensity and rest of a response exercise."""
    reps = item["reps"]
    if isinstance(reps, dict):
        reps = f"{reps['min']}-{reps['max']}"
    if item["ground_contacts"] is not None:
        amount = f"{item['ground_contacts']} contacts"
    elif item["seconds"] is not None:
        amount = f"{item['seconds']} s"
    else:
        amount = f"{reps}" if reps is not None else "-"
    load = item["intensity"]
    parts = [f"{load['pct_1rm']}%1RM" if load["pct_1rm"] is not None else "",
             f"RPE {load['rpe']}" if load["rpe"] is not None else "",
             f"RIR {load['rir']}" if load["rir"] is not None else ""]
    if item.get("load_kg") is not None:  # present once plans estimate loads
        parts.insert(0, f"@ {item['load_kg']} kg")
    load_text = " ".join(p for p in parts if p)
    rest = f"rest {item['rest_s']}s" if item["rest_s"] else ""
    return " ".join(p for p in (f"{item['sets']} x {amount}", load_text, rest) if p)
