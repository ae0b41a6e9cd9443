"""Built-in plugin: stability and balance (single-leg control and landing mechanics).

Balance work is also ankle-sprain rehabilitation, so an ankle injury does not exclude it;
only the landing drill does.
"""

from __future__ import annotations

from typing import Any

from stridewise.hookspecs import hookimpl

from ._entries import entry as _ex
from ._entries import prescription as _rx

__all__ = ["register_exercises"]

SB, PLYO, JM = "stability_balance", "plyometrics", "joint_mobility"
BALANCE = ("Hübscher et al. 2010, Med Sci Sports Exerc 42:413; Emery et al. 2005, CMAJ 172:749 "
           "(balance training reduces lower-limb injuries)")
HIP = ("Fredericson et al. 2000, Clin J Sport Med 10:169; Willy & Davis 2011, J Orthop Sports "
       "Phys Ther 41:625 (hip strength and control in runners)")
LANDING = ["patellofemoral_pain", "midportion_tendinopathy", "insertional_tendinopathy",
           "plantar_fasciitis", "mtss", "knee", "achilles", "ankle", "foot", "shin"]


@hookimpl
def register_exercises() -> list[dict[str, Any]]:
    """Return the balance and single-leg stability exercises."""
    lb, sl = "lower_body", "single_leg"
    return [
        _ex("tandem_stance", "Tandem stance", [SB], ["ankle stabilisers", "hip stabilisers"], [],
            "none", "beginner", [lb], prog=["single_leg_balance"], subs=["single_leg_balance"],
            rx=_rx(3, seconds=30, rest=15, per_side=True), minutes=3,
            source="Fragala et al. 2019, J Strength Cond Res 33:2019 (balance work for older "
            "adults)",
            how="Stand heel-to-toe as if on a tightrope, arms relaxed, near a wall for safety. "
            "Hold steady, then swap which foot is in front."),
        _ex("single_leg_balance", "Single-leg balance", [SB], ["ankle stabilisers",
            "gluteus medius", "foot intrinsics"], [], "none", "beginner", [lb, sl],
            prog=["single_leg_balance_eyes_closed", "star_excursion_reach"],
            reg=["tandem_stance"], subs=["a_march"],
            rx=_rx(3, seconds=30, rest=15, per_side=True), minutes=4, source=BALANCE,
            how="Stand on one foot, knee soft, pelvis level, arch lifted. Keep the foot quiet; "
            "progress by turning your head, catching a ball or standing on a cushion."),
        _ex("single_leg_balance_eyes_closed", "Single-leg balance, eyes closed", [SB],
            ["ankle stabilisers", "foot intrinsics"], [], "none", "intermediate", [lb, sl],
            reg=["single_leg_balance"], subs=["star_excursion_reach"],
            rx=_rx(3, seconds=20, rest=15, per_side=True), minutes=3, source=BALANCE,
            how="As single-leg balance, then close your eyes. Stand next to a wall or chair and "
            "touch it rather than falling; build up to 30 seconds."),
        _ex("star_excursion_reach", "Star excursion reach", [SB], ["gluteus medius",
            "quadriceps", "ankle stabilisers"], [], "none", "intermediate", [lb, sl],
            contra=["knee"], prog=["hip_airplane"], reg=["single_leg_balance"],
            subs=["lateral_step_down"], rx=_rx(2, 6, rest=30, per_side=True), minutes=5,
            source=BALANCE,
            how="Balance on one leg in a quarter squat and reach the other foot as far as you can "
            "forward, sideways and back, tapping lightly. Stance knee stays over the toes."),
        _ex("hip_airplane", "Hip airplane", [SB], ["gluteus medius", "hip rotators"], [], "none",
            "advanced", [lb, sl, "hip_external_rotation"], contra=["hip", "hamstring"],
            reg=["star_excursion_reach", "single_leg_romanian_deadlift"],
            subs=["banded_four_way_hip"], rx=_rx(2, 5, rest=30, tempo="2-1-2-0", per_side=True),
            minutes=4, source=HIP,
            how="Hinge forward on one leg with the body parallel to the floor. Slowly rotate the "
            "pelvis open towards the ceiling and back closed, hands on hips, stance foot still."),
        _ex("banded_four_way_hip", "Banded four-way hip", [SB, "functional_strength"],
            ["gluteus medius", "glutes", "adductors"], ["band"], "none", "beginner",
            [lb, sl, "hip_abduction", "hip_extension"], prog=["hip_airplane"],
            subs=["banded_lateral_walk"], rx=_rx(2, 12, rest=30, per_side=True), minutes=6,
            source=HIP,
            how="Band around the ankles, stand tall on one leg. Push the free leg forward, out, "
            "back and across in turn, 12 each way, while the stance hip stays level and still."),
        _ex("a_march", "A-march", [SB, JM], ["hip flexors", "glutes", "calf"], [], "none",
            "beginner", [lb, sl], prog=["skipping"], subs=["walking_knee_hug"],
            rx=_rx(2, 10, rest=30, per_side=True), minutes=3,
            source="Common coaching practice (running drills for posture and stance control)",
            how="March tall on the balls of the feet, driving one knee to hip height with the toes "
            "pulled up, opposite arm swinging. Stance leg straight; do not lean back."),
        _ex("hop_and_stick", "Hop and stick", [SB, PLYO], ["quadriceps", "glutes", "calf"], [],
            "moderate", "intermediate", [lb, sl, "hop"], contra=LANDING,
            prog=["single_leg_hop"], reg=["single_leg_balance"], subs=["lateral_step_down"],
            rx=_rx(3, contacts=5, rest=60, per_side=True), minutes=5,
            source=f"{BALANCE}; common coaching practice (landing control)",
            how="Small hop forward on one leg and freeze the landing for two seconds: soft knee "
            "over the toes, hips level, quiet foot. Increase distance as landings stay clean."),
    ]
