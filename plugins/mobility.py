"""Built-in plugin: joint mobility (active range-of-motion drills, warm-ups and resets).

Dynamic drills before running or lifting; long static holds live in flexibility_recovery.
"""

from __future__ import annotations

from typing import Any

from stridewise.hookspecs import hookimpl

from ._entries import entry as _ex
from ._entries import prescription as _rx

__all__ = ["register_exercises"]

JM, FR = "joint_mobility", "flexibility_recovery"
BEHM = ("Behm et al. 2016, Appl Physiol Nutr Metab 41:1 (dynamic range-of-motion work before "
        "exercise does not impair performance)")
PRACTICE = "Common coaching practice (dynamic warm-up for runners)"


@hookimpl
def register_exercises() -> list[dict[str, Any]]:
    """Return the joint-mobility drills."""
    lb = "lower_body"
    return [
        _ex("leg_swings", "Leg swings", [JM], ["hip flexors", "hamstrings", "adductors"], [],
            "none", "beginner", [lb], prog=["walking_knee_hug"], subs=["hip_circles"],
            rx=_rx(2, (10, 15), rest=0, per_side=True), minutes=3, source=f"{BEHM}; {PRACTICE}",
            how="Hold a wall and swing one leg forward and back, growing the range gradually, then "
            "side to side across the body. Stay tall; the stance leg stays still."),
        _ex("hip_circles", "Standing hip circles", [JM], ["hip flexors", "glutes",
            "hip rotators"], [], "none", "beginner", [lb], prog=["hip_90_90"],
            subs=["leg_swings"], rx=_rx(2, 6, rest=0, per_side=True), minutes=3,
            source=PRACTICE,
            how="Hand on a wall, lift one knee to hip height and draw the biggest slow circle you "
            "can with it, out and round and back. Reverse direction. The pelvis stays still."),
        _ex("ankle_mobility", "Knee-to-wall ankle mobility", [JM], ["calf", "ankle joint"], [],
            "none", "beginner", [lb], contra=["insertional_tendinopathy"],
            prog=["banded_ankle_mobilization"],
            subs=["soleus_stretch"], rx=_rx(2, (10, 12), rest=0, per_side=True), minutes=3,
            source=f"{PRACTICE}; {BEHM}",
            how="Facing a wall in a short split stance, drive the front knee forward over the "
            "middle toes to touch the wall with the heel down. Inch the foot back as range grows."),
        _ex("banded_ankle_mobilization", "Banded ankle mobilisation", [JM],
            ["calf", "ankle joint"], ["band"], "none", "beginner", [lb],
            contra=["insertional_tendinopathy"], reg=["ankle_mobility"], subs=["ankle_mobility"],
            rx=_rx(2, 10, rest=0, per_side=True), minutes=4, source=PRACTICE,
            how="Band anchored behind you and looped low across the front of the ankle. In a half "
            "kneel, rock the knee forward over the toes with the heel down, then ease back."),
        _ex("big_toe_mobility", "Big-toe mobility", [JM], ["plantar fascia", "toe flexors"], [],
            "none", "beginner", [lb, "toe_dorsiflexion"], subs=["plantar_fascia_stretch"],
            rx=_rx(2, 10, rest=0, per_side=True), minutes=3,
            source="Common coaching practice (first-toe extension for push-off)",
            how="Kneel-stand or lunge with the toes of the back foot bent up, then gently rock "
            "your weight over them and back. Or lift the big toe by hand and ease it up and down."),
        _ex("walking_knee_hug", "Walking knee hug", [JM], ["glutes", "hamstrings"], [], "none",
            "beginner", [lb, "single_leg"], reg=["leg_swings"], subs=["leg_swings"],
            rx=_rx(2, 8, rest=0, per_side=True), minutes=3, source=PRACTICE,
            how="Walk forward, pulling one knee to the chest with both hands while rising onto the "
            "toes of the standing foot. Release, step, and switch legs."),
        _ex("hip_90_90", "90/90 hip switches", [JM], ["hip rotators", "glutes"], [], "none",
            "beginner", [lb], reg=["hip_circles"], subs=["figure_four_stretch"],
            rx=_rx(2, 8, rest=0, per_side=True), minutes=4, source=PRACTICE,
            how="Sit with both knees bent to 90 degrees, one leg in front and one to the side. "
            "Rotate both knees over to the other side without using your hands if you can."),
        _ex("cossack_squat", "Cossack squat", ["functional_strength"],
            ["adductors", "glutes", "quadriceps"], [], "low", "intermediate",
            [lb, "deep_knee_flexion"], contra=["patellofemoral_pain", "knee", "hip"],
            reg=["lateral_lunge"], subs=["lateral_lunge"],
            rx=_rx(2, 6, rest=45, per_side=True), minutes=4, source=PRACTICE,
            how="Very wide stance. Sit down over one foot, heel flat, while the other leg "
            "straightens with toes up. Shift across low to the other side, chest tall."),
        _ex("cat_camel", "Cat-camel", [JM], ["erector spinae", "spine"], [], "none", "beginner",
            [], subs=["thoracic_open_book"], rx=_rx(1, (6, 8), rest=0), minutes=2,
            source="McGill 2010, Strength Cond J 32:33 (cat-camel as spine motion, not a stretch)",
            how="On hands and knees, slowly round the whole spine up, then let it sag gently. "
            "Move through the easy middle range; this is for motion, not to force end range."),
        _ex("thoracic_open_book", "Thoracic open book", [JM], ["thoracic spine", "pectorals"],
            [], "none", "beginner", ["upper_body"], subs=["cat_camel"],
            rx=_rx(2, 8, rest=0, per_side=True), minutes=3, source=PRACTICE,
            how="Side-lying with knees bent and stacked, arms forward. Sweep the top arm over to "
            "the other side, following it with your eyes, knees stay together. Breathe out."),
        _ex("worlds_greatest_stretch", "World's greatest stretch", [JM, FR],
            ["hip flexors", "hamstrings", "thoracic spine", "adductors"], [], "none",
            "beginner", [lb], reg=["kneeling_hip_flexor_stretch"],
            subs=["leg_swings", "thoracic_open_book"], rx=_rx(2, 5, rest=0, per_side=True),
            minutes=4, source=f"{PRACTICE}; {BEHM}",
            how="Step into a long lunge, same-side elbow to the inside of the front foot, then "
            "rotate and reach that arm to the ceiling. Straighten the front leg, step through."),
    ]
