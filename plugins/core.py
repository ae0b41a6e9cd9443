"""Built-in plugin: core (anti-extension, anti-rotation, side bridging, controlled flexion).

Holds follow McGill's advice of quality over duration: short, hard holds, repeated.
"""

from __future__ import annotations

from typing import Any

from stridewise.hookspecs import hookimpl

from ._entries import entry as _ex
from ._entries import prescription as _rx

__all__ = ["register_exercises"]

CORE, FS, SB, UB = "core", "functional_strength", "stability_balance", "upper_body"
MCGILL = "McGill 2010, Strength Cond J 32:33 (core training: plank, side bridge, bird dog)"
ACSM = "ACSM 2009 position stand, Med Sci Sports Exerc 41:687 (resistance-training progression)"


@hookimpl
def register_exercises() -> list[dict[str, Any]]:
    """Return the core exercises."""
    iso, ae, ar = "isometric", "anti_extension", "anti_rotation"
    return [
        _ex("plank", "Front plank", [CORE], ["rectus abdominis", "obliques", "transversus"], [],
            "none", "beginner", [ae, iso], prog=["stability_ball_rollout", "hollow_hold"],
            reg=["dead_bug"], subs=["dead_bug"], rx=_rx(3, seconds=30, rest=30), minutes=3,
            source=MCGILL,
            how="Forearms under the shoulders, body straight from head to heels. Squeeze glutes "
            "and brace as if about to be poked in the stomach; stop when the hips sag."),
        _ex("side_plank", "Side plank", [CORE], ["obliques", "quadratus lumborum",
            "gluteus medius"], [], "none", "beginner", [iso], contra=["shoulder"],
            prog=["copenhagen_plank"], subs=["suitcase_carry"],
            rx=_rx(3, seconds=25, rest=30, per_side=True), minutes=4, source=MCGILL,
            how="On one forearm, elbow under the shoulder, feet stacked. Lift the hips so the "
            "body is one straight line; drop to the knees if that is too hard."),
        _ex("dead_bug", "Dead bug", [CORE], ["rectus abdominis", "transversus"], [], "none",
            "beginner", [ae], prog=["hollow_hold", "lying_leg_raise"], subs=["plank"],
            rx=_rx(3, (8, 10), rest=30, tempo="3-1-3-0", per_side=True), minutes=4,
            source=MCGILL,
            how="On your back, arms up, hips and knees at 90 degrees. Press the low back into the "
            "floor and slowly lower the opposite arm and leg, breathing out. Alternate sides."),
        _ex("bird_dog", "Bird dog", [CORE, SB], ["erector spinae", "glutes", "obliques"], [],
            "none", "beginner", [ar, "hip_extension"], prog=["plank_shoulder_tap"],
            subs=["dead_bug"], rx=_rx(3, 6, rest=30, tempo="2-8-2-0", per_side=True), minutes=4,
            source=MCGILL,
            how="On hands and knees, reach one arm forward and the opposite leg back until level, "
            "hold about 8 seconds without the hips twisting, then sweep back in."),
        _ex("pallof_press", "Pallof press", [CORE], ["obliques", "transversus"], ["band"], "none",
            "beginner", [ar], prog=["cable_chop"], subs=["bird_dog", "side_plank"],
            rx=_rx(3, 10, rest=45, tempo="1-2-1-0", per_side=True), minutes=5,
            source=f"{MCGILL}; common coaching practice",
            how="Stand side-on to a band anchored at chest height. Press the hands straight out, "
            "hold 2 seconds without letting the band turn you, and bring them back."),
        _ex("cable_chop", "Half-kneeling cable chop", [CORE], ["obliques", "transversus"],
            ["cable"], "none", "intermediate", ["loaded", ar], reg=["pallof_press"],
            subs=["pallof_press", "russian_twist"], rx=_rx(3, 10, rpe=7, rest=45, per_side=True),
            minutes=5, source=MCGILL,
            how="Half-kneeling side-on to a high cable. Pull the handle down and across to the "
            "opposite hip with straight arms, keeping hips and ribs facing forward."),
        _ex("russian_twist", "Weighted Russian twist", [CORE], ["obliques", "rectus abdominis"],
            ["dumbbell"], "none", "intermediate", ["loaded", "loaded_spinal_flexion"],
            contra=["low_back_pain", "low_back"], reg=["dead_bug"],
            subs=["pallof_press", "cable_chop"], rx=_rx(3, 10, rest=45, per_side=True),
            minutes=4, source="Common coaching practice",
            how="Sit leaning back at about 45 degrees, feet down or lifted, holding a light "
            "dumbbell. Turn the ribs side to side and tap the weight beside each hip."),
        _ex("lying_leg_raise", "Lying leg raise", [CORE], ["rectus abdominis", "hip flexors"], [],
            "none", "intermediate", [ae], contra=["low_back"], prog=["hanging_leg_raise"],
            reg=["dead_bug"], subs=["hollow_hold"], rx=_rx(3, (8, 12), rest=45, tempo="3-0-1-0"),
            minutes=4, source=ACSM,
            how="On your back, hands under the hips, legs straight. Lower the legs only as far as "
            "you can keep the low back on the floor, then raise them back to vertical."),
        _ex("hanging_leg_raise", "Hanging leg raise", [CORE], ["rectus abdominis", "hip flexors",
            "obliques"], ["pullup_bar"], "none", "advanced", ["loaded_spinal_flexion"],
            contra=["low_back_pain", "low_back", "shoulder"], reg=["lying_leg_raise"],
            subs=["stability_ball_rollout"], rx=_rx(3, (6, 10), rest=60, tempo="2-0-2-0"),
            minutes=5, source=ACSM,
            how="Hang from the bar with active shoulders. Curl the knees or straight legs up by "
            "rolling the pelvis under, no swinging, and lower slowly."),
        _ex("hollow_hold", "Hollow hold", [CORE], ["rectus abdominis", "transversus"], [], "none",
            "intermediate", [ae, iso], reg=["dead_bug"], subs=["plank"],
            rx=_rx(3, seconds=20, rest=40), minutes=3, source="Common coaching practice",
            how="On your back, press the low back flat, lift shoulders and straight legs a few "
            "centimetres off the floor and hold. Bend the knees to make it easier."),
        _ex("stability_ball_rollout", "Stability-ball rollout", [CORE], ["rectus abdominis",
            "latissimus dorsi"], ["stability_ball"], "none", "intermediate", [ae],
            contra=["low_back", "shoulder"], reg=["plank"], subs=["hollow_hold"],
            rx=_rx(3, (8, 10), rest=45, tempo="3-1-1-0"), minutes=4, source=MCGILL,
            how="Kneel with forearms on a ball. Roll it forward by reaching the arms while the "
            "trunk stays rigid and the low back does not sag, then pull it back."),
        _ex("plank_shoulder_tap", "Plank shoulder tap", [CORE, UB], ["obliques", "deltoids",
            "serratus anterior"], [], "none", "intermediate", ["upper_body", ae, ar],
            contra=["shoulder"], reg=["plank"], subs=["bird_dog"],
            rx=_rx(3, 10, rest=30, per_side=True), minutes=4, source="Common coaching practice",
            how="High plank with feet wide. Tap one hand to the opposite shoulder without the "
            "hips rocking; narrow the feet as it gets easy."),
        _ex("suitcase_carry", "Suitcase carry", [CORE, SB], ["obliques", "quadratus lumborum",
            "forearms"], ["kettlebell"], "low", "beginner", ["loaded"],
            subs=["side_plank", "pallof_press"], rx=_rx(3, seconds=30, rpe=7, rest=45,
            per_side=True), minutes=5, source=MCGILL,
            how="Carry a heavy kettlebell in one hand and walk tall for the set time, shoulders "
            "level, no leaning. Switch hands."),
        _ex("copenhagen_plank", "Copenhagen plank", [CORE, FS], ["adductors", "obliques"],
            ["bench"], "none", "intermediate", ["lower_body", iso], contra=["hip", "shoulder"],
            reg=["side_plank"], subs=["lateral_lunge"],
            rx=_rx(3, seconds=20, rest=45, per_side=True), minutes=5,
            source="Harøy et al. 2019, Br J Sports Med 53:150; Ishøi et al. 2016, Scand J Med "
            "Sci Sports 26:1334 (Copenhagen adduction)",
            how="Side plank with the top leg on a bench and the bottom leg hanging free. Lift the "
            "hips in line and hold. Short lever first: knee rather than ankle on the bench."),
    ]
