"""Built-in plugin: the seven seed exercise categories of design §5."""

from __future__ import annotations

from typing import Any

from stridewise.hookspecs import hookimpl

__all__ = ["register_categories"]

_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    (
        "core",
        "Core",
        "Trunk control that keeps the pelvis and ribcage stacked while the legs work: "
        "anti-extension, anti-rotation and side-bridge holds, plus a little controlled flexion.",
    ),
    (
        "upper_body",
        "Upper body",
        "Pushing and pulling for posture, arm drive and a body that tolerates running volume; "
        "kept brief for runners, usually one push and one pull per session.",
    ),
    (
        "joint_mobility",
        "Joint mobility",
        "Active range-of-motion drills for ankles, hips and the thoracic spine, used as a "
        "warm-up or between heavy sets; moves joints through range rather than holding stretches.",
    ),
    (
        "functional_strength",
        "Functional strength",
        "The backbone of a runner's strength work: squats, hinges, lunges and step-ups, calf and "
        "foot loading, and hip abductor and hamstring work, from bodyweight to heavy lifts.",
    ),
    (
        "stability_balance",
        "Stability and balance",
        "Single-leg control, balance and landing mechanics that carry over to stance phase and "
        "help prevent ankle and knee problems.",
    ),
    (
        "flexibility_recovery",
        "Flexibility and recovery",
        "Static stretches, foam rolling and gentle flows for after runs and on easy days; static "
        "holds stay under 60 seconds per muscle before hard efforts.",
    ),
    (
        "plyometrics",
        "Plyometrics",
        "Hops, jumps, bounds and skips that train fast stretch-shortening cycles for running "
        "economy; dosed in ground contacts and kept away from key runs and races.",
    ),
)


@hookimpl
def register_categories() -> list[dict[str, Any]]:
    """Return the seed categories: core, upper body, mobility, strength, balance, recovery, plyo."""
    return [
        {"id": cid, "name": name, "description": description}
        for cid, name, description in _CATEGORIES
    ]
