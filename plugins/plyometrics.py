"""Built-in plugin: plyometrics (hops, jumps, bounds and skips for running economy).

Doses are ground contacts per set (per leg when `per_side`). A first block sits around 60-100
contacts a session; every drill is contraindicated for knee-cap pain, Achilles and plantar
heel problems, shin splints, and moderate or severe injuries of the landing joints.
"""

from __future__ import annotations

from typing import Any

from stridewise.hookspecs import hookimpl

from ._entries import entry as _ex
from ._entries import prescription as _rx

__all__ = ["register_exercises"]

PLYO, FS = "plyometrics", "functional_strength"
ECONOMY = ("Spurrs et al. 2003, Eur J Appl Physiol 89:1; Saunders et al. 2006, J Strength Cond "
           "Res 20:947 (plyometrics improve running economy)")
BLAGROVE = "Blagrove et al. 2018, Sports Med 48:1117 (strength training for distance runners)"
RAMIREZ = ("Ramírez-Campillo et al. 2014, J Strength Cond Res 28:97 (drop jumps in middle- and "
           "long-distance runners)")
LANDING = ["patellofemoral_pain", "midportion_tendinopathy", "insertional_tendinopathy",
           "plantar_fasciitis", "mtss", "knee", "achilles", "ankle", "foot", "shin"]
HIGH = LANDING + ["lateral_knee"]


@hookimpl
def register_exercises() -> list[dict[str, Any]]:
    """Return the plyometric drills."""
    lb, sl, dk = "lower_body", "single_leg", "deep_knee_flexion"
    return [
        _ex("skipping", "Skipping (A-skip to power skip)", [PLYO], ["calf", "hip flexors",
            "glutes"], [], "moderate", "beginner", [lb, "hop"], contra=LANDING,
            prog=["bounding", "pogo_hop"], reg=["a_march"], subs=["pogo_hop"],
            rx=_rx(3, contacts=20, rest=60), minutes=5, source=f"{ECONOMY}; {BLAGROVE}",
            how="Skip forward with a quick step-hop rhythm, knee up to hip height and foot "
            "landing under the hip. Start as low A-skips; power skips go for height."),
        _ex("pogo_hop", "Pogo hops", [PLYO], ["calf", "achilles tendon"], [], "moderate",
            "beginner", [lb, "hop"], contra=LANDING, prog=["single_leg_hop", "lateral_line_hop"],
            reg=["calf_raise"], subs=["skipping"], rx=_rx(3, contacts=20, rest=60), minutes=5,
            source=ECONOMY,
            how="Two feet, knees almost straight. Bounce quickly off the balls of the feet like a "
            "spring, heels just kissing the floor, minimal ground time. Stay tall."),
        _ex("lateral_line_hop", "Lateral line hops", [PLYO], ["calf", "ankle stabilisers"], [],
            "moderate", "intermediate", [lb, "hop"], contra=LANDING, prog=["single_leg_hop"],
            reg=["pogo_hop"], subs=["pogo_hop"], rx=_rx(3, contacts=20, rest=60), minutes=5,
            source="Common coaching practice (frontal-plane ankle stiffness)",
            how="Feet together beside a line. Hop side to side over it as quickly as you can with "
            "small, springy contacts, knees soft and trunk still."),
        _ex("box_jump", "Box jump", [PLYO], ["quadriceps", "glutes", "calf"], ["box"],
            "moderate", "beginner", [lb, "jump"], contra=LANDING, prog=["drop_jump"],
            reg=["depth_drop_landing"], subs=["squat_jump"], rx=_rx(3, contacts=5, rest=90),
            minutes=5,
            source=BLAGROVE,
            how="From a quarter squat, swing the arms and jump onto a low-to-mid box, landing "
            "softly in the same athletic position. Step down; never jump down."),
        _ex("squat_jump", "Squat jump", [PLYO], ["quadriceps", "glutes", "calf"], [], "high",
            "intermediate", [lb, "jump"], contra=HIGH, prog=["broad_jump"],
            reg=["box_jump"], subs=["box_jump"], rx=_rx(3, contacts=5, rest=90), minutes=5,
            source=f"Paavolainen et al. 1999, J Appl Physiol 86:1527; {BLAGROVE}",
            how="Dip quickly into a half squat and jump straight up as high as you can with an "
            "arm swing. Land quietly on the balls of the feet and reset before the next rep."),
        _ex("broad_jump", "Standing broad jump", [PLYO], ["glutes", "quadriceps",
            "hamstrings"], [], "high", "intermediate", [lb, "jump"], contra=HIGH,
            prog=["bounding"], reg=["squat_jump"], subs=["box_jump"],
            rx=_rx(3, contacts=5, rest=90), minutes=5, source=ECONOMY,
            how="Swing the arms back, load the hips, and jump forward as far as you can. Stick "
            "the landing with knees over toes before walking back for the next."),
        _ex("split_jump", "Split jump", [PLYO], ["quadriceps", "glutes"], [], "high", "advanced",
            [lb, "jump", dk], contra=HIGH, reg=["reverse_lunge", "squat_jump"],
            subs=["broad_jump"], rx=_rx(3, contacts=8, rest=90), minutes=5, source=BLAGROVE,
            how="From a lunge, jump up and switch legs in the air, landing back in a lunge with "
            "the front knee over the foot. Absorb, then go again."),
        _ex("bounding", "Bounding", [PLYO], ["glutes", "hamstrings", "calf"], [], "high",
            "advanced", [lb, sl, "bound"], contra=HIGH + ["itbs", "hamstring"], reg=["skipping"],
            subs=["single_leg_hop"], rx=_rx(3, contacts=10, rest=120), minutes=6,
            source=f"{ECONOMY}; Paavolainen et al. 1999, J Appl Physiol 86:1527",
            how="Exaggerated running strides: push off one leg, drive the other knee forward and "
            "hang in the air before landing under the hips. About 10 contacts, walk back."),
        _ex("single_leg_hop", "Single-leg hops", [PLYO], ["calf", "quadriceps", "glutes"], [],
            "high", "advanced", [lb, sl, "hop"], contra=HIGH + ["itbs"],
            reg=["hop_and_stick", "pogo_hop"],
            subs=["bounding"], rx=_rx(3, contacts=10, rest=90, per_side=True), minutes=6,
            source=ECONOMY,
            how="Hop forward on one leg with quick, springy contacts and the knee over the toes. "
            "Stop the set as soon as landings get loud or the knee caves in."),
        _ex("drop_jump", "Drop jump", [PLYO], ["calf", "quadriceps", "glutes"], ["box"], "high",
            "advanced", [lb, "jump"], contra=HIGH, reg=["box_jump", "pogo_hop"],
            subs=["squat_jump"], rx=_rx(3, contacts=5, rest=120), minutes=6,
            source=f"{RAMIREZ}; {BLAGROVE}",
            how="Step (do not jump) off a 20-40 cm box, land on both feet and rebound straight up "
            "as fast as possible. Minimal ground time beats maximal height."),
        _ex("depth_drop_landing", "Depth drop landing", [PLYO, "stability_balance"],
            ["quadriceps", "glutes"], ["box"], "moderate", "beginner", [lb], contra=LANDING,
            prog=["box_jump", "drop_jump"], subs=["hop_and_stick"],
            rx=_rx(3, contacts=5, rest=60), minutes=4,
            source="Common coaching practice (landing mechanics before reactive jumps)",
            how="Step off a low box and land on both feet in a quiet half squat, knees over toes, "
            "hips back. Freeze for two seconds. No rebound: this teaches the landing."),
    ]
