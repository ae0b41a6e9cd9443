"""Built-in plugin: functional strength (squats, hinges, lunges, calf and foot work, hip work).

Prescriptions are sensible defaults; the rules scale them by phase and experience.
"""

from __future__ import annotations

from typing import Any

from stridewise.hookspecs import hookimpl

from ._entries import entry as _ex
from ._entries import prescription as _rx

__all__ = ["register_exercises"]

FS, SB = "functional_strength", "stability_balance"
BLAGROVE = "Blagrove et al. 2018, Sports Med 48:1117 (strength training for distance runners)"
BALSALOBRE = "Balsalobre-Fernández et al. 2016, J Strength Cond Res 30:2361 (running economy)"
ACSM = "ACSM 2009 position stand, Med Sci Sports Exerc 41:687 (resistance-training progression)"
COLLINS = "Collins et al. 2018, Br J Sports Med 52:1170 (exercise therapy for patellofemoral pain)"
HIP = ("Fredericson et al. 2000, Clin J Sport Med 10:169; Willy & Davis 2011, J Orthop Sports "
       "Phys Ther 41:625 (hip abductor strengthening in runners)")
ALFREDSON = ("Alfredson et al. 1998, Am J Sports Med 26:360 (3x15 eccentric heel drops, straight "
             "and bent knee, twice daily for 12 weeks)")
SILBERNAGEL = "Silbernagel et al. 2007, Am J Sports Med 35:897 (progressive calf loading)"
NORDIC = ("van der Horst et al. 2015, Am J Sports Med 43:1316; van Dyk et al. 2019, Br J Sports "
          "Med 53:1362 (Nordic hamstring exercise)")
KNEE_DEEP = ["patellofemoral_pain", "knee"]


@hookimpl
def register_exercises() -> list[dict[str, Any]]:
    """Return the squat, hinge, lunge, calf, foot and hip exercises."""
    lb, ld, dk, hv, sl = "lower_body", "loaded", "deep_knee_flexion", "heavy_capable", "single_leg"
    return [
        # -- squats and knee-dominant work -------------------------------------------------
        _ex("bodyweight_squat", "Bodyweight squat", [FS], ["quadriceps", "glutes"], [], "low",
            "beginner", [lb, dk, "bilateral_squat"], contra=KNEE_DEEP, prog=["goblet_squat"],
            subs=["glute_bridge", "wall_sit"], rx=_rx(2, (12, 15), rpe=6, rest=60, tempo="2-0-1-0"),
            minutes=4, source=ACSM,
            how="Feet shoulder-width, sit your hips back and down as far as you can keep heels "
            "down and chest tall, then stand up tall."),
        _ex("goblet_squat", "Goblet squat", [FS], ["quadriceps", "glutes", "adductors"],
            ["dumbbell"], "low", "beginner", [lb, ld, dk, "bilateral_squat"], contra=KNEE_DEEP,
            prog=["back_squat", "front_squat"], reg=["bodyweight_squat"], subs=["leg_press"],
            rx=_rx(3, (8, 10), rpe=7, rir=3, rest=90, tempo="3-1-1-0"), minutes=7,
            source=BLAGROVE,
            how="Hold a dumbbell at your chest, elbows inside the knees at the bottom. Sit "
            "straight down with knees tracking over the toes, pause, drive up."),
        _ex("back_squat", "Back squat", [FS], ["quadriceps", "glutes", "adductors"], ["barbell"],
            "low", "intermediate", [lb, ld, dk, hv, "bilateral_squat"],
            contra=KNEE_DEEP + ["low_back"],
            prog=["front_squat"], reg=["goblet_squat"], subs=["hex_bar_deadlift", "leg_press"],
            rx=_rx(3, 5, pct=80, rpe=8, rir=2, rest=180, tempo="2-0-1-0"), minutes=12,
            source=f"{BLAGROVE}; Rønnestad & Mujika 2014, Scand J Med Sci Sports 24:603",
            how="Bar across the upper back, brace before each rep, squat to at least parallel "
            "and drive up fast without letting the chest drop."),
        _ex("front_squat", "Front squat", [FS], ["quadriceps", "glutes"], ["barbell"], "low",
            "advanced", [lb, ld, dk, hv, "bilateral_squat"],
            contra=KNEE_DEEP + ["low_back", "shoulder"],
            reg=["goblet_squat", "back_squat"], subs=["leg_press"],
            rx=_rx(3, 5, pct=75, rpe=8, rir=2, rest=180, tempo="2-0-1-0"), minutes=12, source=ACSM,
            how="Bar resting on the front of the shoulders, elbows high. Squat straight down with "
            "an upright torso and stand up without the elbows dropping."),
        _ex("leg_press", "Leg press", [FS], ["quadriceps", "glutes"], ["machine"], "none",
            "beginner", [lb, ld, dk, hv, "bilateral_squat"], contra=KNEE_DEEP, prog=["back_squat"],
            reg=["goblet_squat"], subs=["back_squat", "split_squat"],
            rx=_rx(3, (6, 10), pct=75, rpe=8, rir=2, rest=120), minutes=9, source=BLAGROVE,
            how="Feet hip-width mid-platform. Lower until the knees reach about 90 degrees without "
            "the lower back peeling off the pad, then press without locking the knees hard."),
        _ex("split_squat", "Split squat", [FS], ["quadriceps", "glutes"], ["dumbbell"], "low",
            "intermediate", [lb, ld, dk, sl, hv], contra=KNEE_DEEP, prog=["bulgarian_split_squat"],
            reg=["reverse_lunge"], subs=["step_up", "leg_press"],
            rx=_rx(3, (6, 8), pct=75, rpe=8, rir=2, rest=90, per_side=True), minutes=10,
            source=BLAGROVE,
            how="Long split stance with dumbbells at your sides. Drop the back knee straight "
            "down towards the floor, front shin near vertical, push up through the front foot."),
        _ex("bulgarian_split_squat", "Bulgarian split squat", [FS], ["quadriceps", "glutes"],
            ["dumbbell", "bench"], "low", "intermediate", [lb, ld, dk, sl, hv],
            contra=KNEE_DEEP + ["hip"], prog=["single_leg_squat"], reg=["split_squat"],
            subs=["step_up"], rx=_rx(3, (6, 10), rpe=8, rir=2, rest=90, per_side=True),
            minutes=10, source=BLAGROVE,
            how="Rear foot laces-down on a bench, dumbbells in hand. Lower until the front thigh "
            "is about parallel, keep the front knee over the foot, drive back up."),
        _ex("walking_lunge", "Walking lunge", [FS], ["quadriceps", "glutes"], [], "low",
            "beginner", [lb, dk, sl], contra=KNEE_DEEP, prog=["split_squat"],
            reg=["reverse_lunge"], subs=["step_up"], rx=_rx(3, (8, 12), rest=60, per_side=True),
            minutes=6, source=ACSM,
            how="Step forward into a lunge until the back knee nearly touches down, then step "
            "through into the next lunge. Stay tall and keep the front knee over the foot."),
        _ex("reverse_lunge", "Reverse lunge", [FS], ["quadriceps", "glutes"], [], "low",
            "beginner", [lb, dk, sl], contra=KNEE_DEEP, prog=["walking_lunge", "split_squat"],
            subs=["step_up"], rx=_rx(3, (8, 10), rest=60, per_side=True), minutes=6, source=ACSM,
            how="Step one foot back and lower the back knee towards the floor, weight in the "
            "front heel. Push through the front foot to return. Gentler on the knee than forward."),
        _ex("lateral_lunge", "Lateral lunge", [FS], ["adductors", "glutes", "quadriceps"], [],
            "low", "intermediate", [lb, dk], contra=KNEE_DEEP + ["hip"], reg=["reverse_lunge"],
            subs=["banded_lateral_walk"], rx=_rx(2, (8, 10), rest=60, per_side=True), minutes=5,
            source="Common coaching practice (frontal-plane strength for runners)",
            how="Step wide to one side and sit back over that foot, other leg straight, both feet "
            "flat. Push back to the middle. Keep the bent knee in line with the toes."),
        _ex("step_up", "Step-up", [FS], ["quadriceps", "glutes"], ["box"], "low", "beginner",
            [lb, dk, sl], contra=KNEE_DEEP, prog=["bulgarian_split_squat", "single_leg_squat"],
            reg=["lateral_step_down"], subs=["reverse_lunge"],
            rx=_rx(3, (8, 10), rest=60, per_side=True), minutes=6, source=BLAGROVE,
            how="Whole foot on a knee-height box. Drive up through that foot without pushing off "
            "the back leg, stand tall, then lower slowly under control."),
        _ex("lateral_step_down", "Lateral step-down", [FS, SB], ["quadriceps", "gluteus medius"],
            ["step"], "low", "beginner", [lb, sl], prog=["step_up", "single_leg_squat"],
            subs=["wall_sit"],
            rx=_rx(3, (10, 12), rest=45, tempo="3-0-1-0", per_side=True), minutes=6,
            source=COLLINS,
            how="Stand side-on at the edge of a low step. Slowly lower the free heel to tap the "
            "floor, keeping the standing knee over the second toe and the pelvis level."),
        _ex("single_leg_squat", "Single-leg squat", [FS, SB], ["quadriceps", "glutes"], [], "low",
            "advanced", [lb, dk, sl], contra=KNEE_DEEP + ["ankle"],
            reg=["bulgarian_split_squat", "lateral_step_down"], subs=["step_up"],
            rx=_rx(3, (5, 6), rest=90, tempo="3-0-1-0", per_side=True), minutes=7,
            source=f"{COLLINS}; Willy & Davis 2011, J Orthop Sports Phys Ther 41:625",
            how="On one leg, arms forward, squat as low as you can control with the knee over the "
            "toes and the pelvis level; sit to a chair behind you until you own the depth."),
        _ex("wall_sit", "Wall sit", [FS], ["quadriceps"], [], "none", "beginner", [lb, "isometric"],
            prog=["split_squat"], subs=["lateral_step_down"], rx=_rx(3, seconds=45, rest=60),
            minutes=4,
            source=f"Rio et al. 2015, Br J Sports Med 49:1277 (isometric loading); {COLLINS}",
            how="Back flat on a wall, slide down until the knees bend to roughly 60-70 degrees "
            "(well above a chair) and hold, weight through the heels. Should stay pain-free."),
        # -- hinges and hip extension ------------------------------------------------------
        _ex("kettlebell_deadlift", "Kettlebell deadlift", [FS], ["glutes", "hamstrings"],
            ["kettlebell"], "none", "beginner", [lb, ld, "hip_extension", "bilateral_hinge"],
            prog=["romanian_deadlift", "hex_bar_deadlift", "kettlebell_swing"],
            subs=["glute_bridge"], rx=_rx(3, (8, 10), rpe=7, rir=3, rest=75), minutes=6,
            source=ACSM,
            how="Kettlebell between the feet. Push the hips back with a flat back, grip the "
            "handle, and stand up by driving the hips forward. Lower the same way."),
        _ex("romanian_deadlift", "Romanian deadlift", [FS], ["hamstrings", "glutes"], ["barbell"],
            "none", "intermediate",
            [lb, ld, hv, "hip_extension", "eccentric_hamstring", "bilateral_hinge"],
            contra=["low_back", "hamstring"], prog=["single_leg_romanian_deadlift"],
            reg=["kettlebell_deadlift"], subs=["hip_thrust", "hex_bar_deadlift"],
            rx=_rx(3, (6, 8), pct=75, rpe=8, rir=2, rest=120, tempo="3-0-1-0"), minutes=10,
            source=BLAGROVE,
            how="Soft knees, slide the bar down the thighs by pushing the hips back until you "
            "feel a strong hamstring stretch, back flat. Squeeze the glutes to stand."),
        _ex("single_leg_romanian_deadlift", "Single-leg Romanian deadlift", [FS, SB],
            ["hamstrings", "glutes"], ["dumbbell"], "none", "intermediate",
            [lb, ld, sl, "hip_extension"], contra=["hamstring"], reg=["kettlebell_deadlift"],
            subs=["romanian_deadlift", "single_leg_glute_bridge"],
            rx=_rx(3, 8, rpe=7, rir=3, rest=60, tempo="3-0-1-0", per_side=True), minutes=8,
            source=BLAGROVE,
            how="Dumbbell in the opposite hand to the standing leg. Hinge forward as the free leg "
            "reaches back, hips square to the floor, then stand tall through the standing glute."),
        _ex("hex_bar_deadlift", "Hex-bar deadlift", [FS], ["glutes", "quadriceps", "hamstrings"],
            ["barbell"], "none", "intermediate", [lb, ld, hv, "hip_extension", "bilateral_hinge"],
            contra=["low_back"], reg=["kettlebell_deadlift"], subs=["back_squat", "leg_press"],
            rx=_rx(3, 5, pct=82, rpe=8, rir=2, rest=180), minutes=12,
            source=f"{BLAGROVE}; {BALSALOBRE}",
            how="Stand in the hex bar, hips back and chest up, brace hard and push the floor "
            "away until you stand tall. Lower with the same flat back."),
        _ex("kettlebell_swing", "Kettlebell swing", [FS], ["glutes", "hamstrings"], ["kettlebell"],
            "low", "intermediate", [lb, ld, "hip_extension"], contra=["low_back", "hamstring"],
            reg=["kettlebell_deadlift"], subs=["hip_thrust"],
            rx=_rx(3, 15, rpe=7, rest=60), minutes=6,
            source="Common coaching practice (ballistic hip extension)",
            how="Hike the bell back between the legs, then snap the hips forward so it floats to "
            "chest height. The arms only guide it; finish each rep standing tall."),
        _ex("glute_bridge", "Glute bridge", [FS], ["glutes", "hamstrings"], [], "none", "beginner",
            [lb, "hip_extension"], prog=["single_leg_glute_bridge", "hip_thrust"],
            subs=["kettlebell_deadlift"], rx=_rx(3, (12, 15), rest=45, tempo="2-1-1-0"),
            minutes=5, source="McGill 2010, Strength Cond J 32:33; common coaching practice",
            how="On your back, knees bent, feet flat. Drive through the heels to lift the hips "
            "until knees, hips and shoulders line up, squeeze the glutes, lower slowly."),
        _ex("single_leg_glute_bridge", "Single-leg glute bridge", [FS], ["glutes", "hamstrings"],
            [], "none", "beginner", [lb, sl, "hip_extension"], prog=["hip_thrust"],
            reg=["glute_bridge"], subs=["single_leg_romanian_deadlift"],
            rx=_rx(3, (10, 12), rest=45, tempo="2-1-1-0", per_side=True), minutes=6,
            source="Common coaching practice",
            how="Bridge position with one knee hugged or held straight. Push through the planted "
            "heel to lift the hips level, hold a second, lower without the pelvis dropping."),
        _ex("hip_thrust", "Barbell hip thrust", [FS], ["glutes", "hamstrings"],
            ["barbell", "bench"], "none", "intermediate", [lb, ld, hv, "hip_extension"],
            reg=["single_leg_glute_bridge", "glute_bridge"], subs=["romanian_deadlift"],
            rx=_rx(3, (6, 8), pct=80, rpe=8, rir=2, rest=120), minutes=10,
            source=f"Contreras et al. 2015, J Appl Biomech 31:452; {BLAGROVE}",
            how="Upper back on a bench, padded bar over the hips. Drive the hips up until the "
            "shins are vertical and the torso level, chin tucked; lower under control."),
        _ex("nordic_hamstring", "Nordic hamstring curl", [FS], ["hamstrings"], [], "none",
            "intermediate", [lb, "eccentric_hamstring", "high_eccentric"], contra=["hamstring"],
            reg=["stability_ball_hamstring_curl"], subs=["romanian_deadlift"],
            rx=_rx(2, (4, 6), rest=120, tempo="4-0-X-0"), minutes=6, source=NORDIC,
            how="Kneel with a partner or a solid anchor holding your ankles. Lower your straight "
            "body forward as slowly as you can, catch yourself with your hands, push back up."),
        _ex("stability_ball_hamstring_curl", "Stability-ball hamstring curl", [FS, SB],
            ["hamstrings", "glutes"], ["stability_ball"], "none", "beginner",
            [lb, "hip_extension", "eccentric_hamstring"], contra=["hamstring"],
            prog=["nordic_hamstring"], subs=["single_leg_glute_bridge"],
            rx=_rx(3, (8, 12), rest=60, tempo="3-0-1-0"), minutes=6,
            source="Common coaching practice (hamstring strength with hip extension)",
            how="Heels on a ball, hips lifted into a bridge. Curl the ball in, then roll it out "
            "slowly while keeping the hips high."),
        # -- calf, Achilles and foot -------------------------------------------------------
        _ex("calf_raise", "Calf raise", [FS], ["gastrocnemius", "soleus"], [], "low", "beginner",
            [lb, "calf_raise", "knee_straight"], prog=["single_leg_calf_raise"],
            subs=["bent_knee_calf_raise"], rx=_rx(3, (15, 20), rest=45, tempo="2-1-2-0"),
            minutes=5, source=SILBERNAGEL,
            how="Both feet, knees straight. Rise as high as you can onto the big toes, pause, and "
            "lower slowly to the floor."),
        _ex("single_leg_calf_raise", "Single-leg calf raise", [FS], ["gastrocnemius", "soleus"],
            [], "low", "beginner", [lb, sl, "calf_raise", "knee_straight"],
            prog=["weighted_single_leg_calf_raise"], reg=["calf_raise"],
            subs=["bent_knee_calf_raise"],
            rx=_rx(3, (12, 15), rest=60, tempo="2-1-2-0", per_side=True), minutes=6,
            source=f"{SILBERNAGEL}; {BLAGROVE}",
            how="On one foot, knee straight, fingertips on a wall for balance. Full rise, brief "
            "hold at the top, slow lower. Build towards 25 clean reps each side."),
        _ex("weighted_single_leg_calf_raise", "Weighted single-leg calf raise", [FS],
            ["gastrocnemius", "soleus"], ["dumbbell", "step"], "low", "intermediate",
            [lb, ld, hv, sl, "calf_raise", "knee_straight"], reg=["single_leg_calf_raise"],
            subs=["seated_calf_raise"], rx=_rx(3, (6, 8), rpe=8, rir=2, rest=90, per_side=True),
            minutes=7, source=f"{SILBERNAGEL}; {BLAGROVE}",
            how="Ball of one foot on a step, heavy dumbbell in the same-side hand. Rise as high as "
            "possible and lower over 2-3 s until the heel is level with the step, no lower."),
        _ex("seated_calf_raise", "Seated calf raise", [FS], ["soleus"], ["machine"], "none",
            "beginner", [lb, ld, hv, "calf_raise", "knee_bent"], reg=["bent_knee_calf_raise"],
            subs=["weighted_single_leg_calf_raise"],
            rx=_rx(3, (8, 12), rpe=8, rir=2, rest=90, tempo="2-1-2-0"), minutes=7,
            source="Dorn et al. 2012, J Exp Biol 215:1944 (soleus force in running); "
            "common coaching practice",
            how="Pad across the lower thighs, balls of the feet on the platform. Lower the heels, "
            "then press up as high as you can and pause. Knees bent shifts work to soleus."),
        _ex("bent_knee_calf_raise", "Bent-knee calf raise", [FS], ["soleus"], [], "low",
            "beginner", [lb, sl, "calf_raise", "knee_bent"], prog=["seated_calf_raise"],
            subs=["single_leg_calf_raise"],
            rx=_rx(3, (15, 20), rest=45, tempo="2-1-2-0", per_side=True), minutes=6,
            source="Dorn et al. 2012, J Exp Biol 215:1944; common coaching practice",
            how="On one foot with the knee bent about 30 degrees and held there, rise onto the "
            "ball of the foot and lower slowly. Hands on a wall for balance."),
        _ex("single_leg_heel_raise_towel", "Single-leg heel raise with towel under toes", [FS],
            ["gastrocnemius", "soleus", "foot intrinsics"], ["step"], "low", "beginner",
            [lb, sl, "calf_raise", "knee_straight", "toe_dorsiflexion"],
            contra=["insertional_tendinopathy"], reg=["single_leg_calf_raise"],
            subs=["weighted_single_leg_calf_raise"],
            rx=_rx(3, 12, rpe=9, rir=1, rest=120, tempo="3-0-3-2", per_side=True), minutes=9,
            source="Rathleff et al. 2015, Scand J Med Sci Sports 25:e292 (high-load heel raise "
            "for plantar fasciitis, every second day)",
            rehab_only=True,
            how="Rolled towel under the toes on a step so they bend up. Rise over 3 s, hold 2 s at "
            "the top, lower over 3 s. Add a loaded backpack once 12 reps get easy."),
        _ex("eccentric_heel_drop_straight_knee", "Eccentric heel drop, straight knee", [FS],
            ["gastrocnemius", "achilles tendon"], ["step"], "low", "beginner",
            [lb, sl, "calf_raise", "knee_straight"], contra=["insertional_tendinopathy"],
            reg=["eccentric_heel_drop_floor"], subs=["eccentric_heel_drop_bent_knee"],
            rx=_rx(3, 15, rest=60, tempo="3-0-X-0", per_side=True), minutes=6, source=ALFREDSON,
            rehab_only=True,
            how="Rise on both feet at a step edge, shift onto the working leg and lower the heel "
            "slowly below the step with the knee straight. Return using the other leg."),
        _ex("eccentric_heel_drop_bent_knee", "Eccentric heel drop, bent knee", [FS],
            ["soleus", "achilles tendon"], ["step"], "low", "beginner",
            [lb, sl, "calf_raise", "knee_bent"], contra=["insertional_tendinopathy"],
            reg=["eccentric_heel_drop_floor"], subs=["eccentric_heel_drop_straight_knee"],
            rx=_rx(3, 15, rest=60, tempo="3-0-X-0", per_side=True), minutes=6, source=ALFREDSON,
            rehab_only=True,
            how="As the straight-knee drop but with the working knee bent and kept bent, so the "
            "soleus takes the load. Lower slowly below the step, come up on both legs."),
        _ex("eccentric_heel_drop_floor", "Eccentric heel drop to floor level", [FS],
            ["gastrocnemius", "achilles tendon"], [], "low", "beginner",
            [lb, sl, "calf_raise", "knee_straight"],
            prog=["eccentric_heel_drop_straight_knee", "eccentric_heel_drop_bent_knee"],
            subs=["single_leg_calf_raise"],
            rx=_rx(3, 15, rest=60, tempo="3-0-X-0", per_side=True), minutes=6,
            source="Jonsson et al. 2008, Br J Sports Med 42:746 (floor-level eccentrics for "
            "insertional Achilles tendinopathy)",
            rehab_only=True,
            how="Rise on both feet on flat ground, shift onto one leg and lower slowly until the "
            "heel touches the floor, no lower. The version for pain at the heel bone."),
        _ex("tibialis_raise", "Tibialis raise", [FS], ["tibialis anterior"], [], "none",
            "beginner", [lb], subs=["ankle_mobility"], rx=_rx(2, (15, 20), rest=45), minutes=4,
            source="Common coaching practice (shin and ankle dorsiflexor strength)",
            how="Lean your back on a wall with heels a foot in front of you. Lift the toes and "
            "forefoot as high as you can, lower slowly, keep the knees straight."),
        # -- hip abductors and rotators ----------------------------------------------------
        _ex("side_lying_hip_abduction", "Side-lying hip abduction", [FS], ["gluteus medius"], [],
            "none", "beginner", [lb, "hip_abduction"], prog=["banded_lateral_walk"],
            subs=["clamshell"], rx=_rx(3, 15, rest=45, tempo="2-1-2-0", per_side=True), minutes=5,
            source=f"{HIP}; Distefano et al. 2009, J Orthop Sports Phys Ther 39:532",
            how="Lie on your side, bottom knee bent, top leg straight and slightly behind you, "
            "toes forward. Lift the top leg about 30 cm without rolling back, lower slowly."),
        _ex("clamshell", "Clamshell", [FS], ["gluteus medius", "hip external rotators"], [],
            "none", "beginner", [lb, "hip_abduction", "hip_external_rotation"],
            prog=["side_lying_hip_abduction", "banded_lateral_walk"],
            subs=["side_lying_hip_abduction"],
            rx=_rx(3, 15, rest=45, tempo="2-1-2-0", per_side=True), minutes=5,
            source=f"{HIP}; Distefano et al. 2009, J Orthop Sports Phys Ther 39:532",
            how="Side-lying, hips and knees bent, heels together. Open the top knee like a clam "
            "without letting the pelvis roll back, pause, close slowly."),
        _ex("banded_lateral_walk", "Banded lateral walk", [FS, SB], ["gluteus medius"], ["band"],
            "low", "beginner", [lb, "hip_abduction"], reg=["side_lying_hip_abduction"],
            subs=["clamshell"], rx=_rx(3, 12, rest=45, per_side=True), minutes=5, source=HIP,
            how="Band just above the knees or around the ankles, quarter squat. Step sideways "
            "with steady tension, toes forward, no bouncing the trunk. Walk back the other way."),
    ]
