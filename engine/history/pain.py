"""Pain monitoring for rehab protocols (Silbernagel et al. 2007; Thomeé 1997).

The pain-monitoring model lets an athlete load a painful tendon while pain during the
exercise stays at or below 5/10 and has settled by the next morning. Here, per injured site,
over the last 7 days of `wellness`:

- pain during above 5, or next-morning pain above 5: the protocol is held back (one set
  fewer than planned, never more than planned) and the plan says why;
- next-morning pain climbing over the week (the last of 3+ readings 2 or more points above the
  first): a note to see a clinician as well;
- otherwise the protocol goes on as planned.

A protocol belongs to a site through the muscles its exercises load (`SITE_MUSCLES`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["PAIN_LIMIT", "SITE_MUSCLES", "PainCall", "pain_calls", "site_of"]

PAIN_LIMIT = 5

SITE_MUSCLES: dict[str, frozenset[str]] = {
    "achilles": frozenset({"achilles tendon", "gastrocnemius", "soleus", "calf"}),
    "foot": frozenset({"plantar fascia", "foot intrinsics", "toe flexors", "gastrocnemius",
                       "soleus", "calf"}),
    "ankle": frozenset({"ankle stabilisers", "ankle joint", "soleus", "gastrocnemius", "calf",
                        "tibialis anterior"}),
    "shin": frozenset({"tibialis anterior", "soleus", "gastrocnemius", "calf"}),
    "knee": frozenset({"quadriceps", "rectus femoris"}),
    "lateral_knee": frozenset({"gluteus medius", "hip rotators", "hip external rotators",
                               "hip stabilisers"}),
    "hamstring": frozenset({"hamstrings"}),
    "hip": frozenset({"glutes", "gluteus medius", "hip rotators", "hip flexors", "adductors",
                      "hip external rotators", "hip stabilisers"}),
    "low_back": frozenset({"erector spinae", "quadratus lumborum", "spine", "transversus"}),
    "shoulder": frozenset({"rotator cuff", "deltoids", "anterior deltoid", "rear deltoids"}),
}


@dataclass(frozen=True)
class PainCall:
    """What the week's pain says for one site."""

    site: str
    hold: bool  # above the limit: no progression, one set fewer
    see_clinician: bool
    reason: str


def site_of(muscles: tuple[str, ...], sites: list[str]) -> str | None:
    """The first of `sites` whose muscles the exercise loads."""
    loaded = set(muscles)
    for site in sites:
        if loaded & SITE_MUSCLES.get(site, frozenset()):
            return site
    return None


def pain_calls(pain: Mapping[str, Mapping[str, Any]]) -> dict[str, PainCall]:
    """Per site with readings, the call for its protocol."""
    calls: dict[str, PainCall] = {}
    for site, facts in sorted(pain.items()):
        during, morning = facts["max_during_7d"], facts["max_next_morning_7d"]
        over = []
        if during is not None and during > PAIN_LIMIT:
            over.append(f"pain during {during}/10")
        if morning is not None and morning > PAIN_LIMIT:
            over.append(f"next-morning pain {morning}/10")
        reason = (f"{site.replace('_', ' ')}: {' and '.join(over)} in the last 7 days, above "
                  f"{PAIN_LIMIT}/10" if over else
                  f"{site.replace('_', ' ')}: pain within {PAIN_LIMIT}/10 and settling")
        calls[site] = PainCall(site, bool(over), bool(facts["worsening"]), reason)
    return calls
