"""Built-in plugin: upper body (one push and one pull per session is plenty for runners).

Anything that loads the shoulder overhead or in a press is contraindicated for a moderate or
severe shoulder injury; rows and scapular work stay available.
"""

from __future__ import annotations

from typing import Any

from stridewise.hookspecs import hookimpl

from ._entries import entry as _ex
from ._entries import prescription as _rx

__all__ = ["register_exercises"]

UB = "upper_body"
ACSM = "ACSM 2009 position stand, Med Sci Sports Exerc 41:687 (resistance-training progression)"
BLAGROVE = "Blagrove et al. 2018, Sports Med 48:1117 (strength training for distance runners)"
SCAP = "Common coaching practice (scapular and rotator-cuff endurance)"


@hookimpl
def register_exercises() -> list[dict[str, Any]]:
    """Return the upper-body push, pull and scapular exercises."""
    ub, ld = "upper_body", "loaded"
    return [
        # -- push ---------------------------------------------------------------------------
        _ex("incline_push_up", "Incline push-up", [UB], ["pectorals", "triceps",
            "anterior deltoid"], [], "none", "beginner", [ub], prog=["push_up"],
            subs=["dumbbell_bench_press"], rx=_rx(3, (8, 15), rir=3, rest=60),
            minutes=5, source=ACSM,
            how="Hands on a wall, kitchen counter or bench, body in one straight line. Lower the "
            "chest to the edge and press away; lower the hands as you get stronger."),
        _ex("push_up", "Push-up", [UB], ["pectorals", "triceps", "anterior deltoid"], [],
            "none", "beginner", [ub, "anti_extension"], contra=["shoulder"],
            reg=["incline_push_up"], subs=["dumbbell_bench_press"],
            rx=_rx(3, (8, 15), rir=2, rest=60, tempo="2-0-1-0"), minutes=5, source=ACSM,
            how="Hands under the shoulders, body rigid from head to heels. Lower until the chest "
            "nearly touches, elbows about 45 degrees from the body, and press up."),
        _ex("dumbbell_bench_press", "Dumbbell bench press", [UB], ["pectorals", "triceps",
            "anterior deltoid"], ["dumbbell", "bench"], "none", "beginner", [ub, ld],
            contra=["shoulder"], reg=["push_up"], subs=["push_up"],
            rx=_rx(3, (8, 10), rpe=7, rir=3, rest=90), minutes=7, source=ACSM,
            how="Lie on a bench with dumbbells over the chest. Lower them to the sides of the "
            "chest with elbows slightly tucked, then press up and together."),
        _ex("pike_push_up", "Pike push-up", [UB], ["deltoids", "triceps"], [], "none",
            "intermediate", [ub], contra=["shoulder"], reg=["incline_push_up"],
            subs=["overhead_press"], rx=_rx(3, (6, 10), rir=2, rest=60), minutes=5, source=ACSM,
            how="Hips high in an upside-down V, hands shoulder-width. Bend the elbows to bring the "
            "top of the head towards the floor between the hands, then press back up."),
        _ex("overhead_press", "Standing overhead press", [UB], ["deltoids", "triceps",
            "upper trapezius"], ["barbell"], "none", "intermediate", [ub, ld],
            contra=["shoulder"], reg=["pike_push_up"], subs=["dumbbell_bench_press"],
            rx=_rx(3, (5, 8), pct=75, rpe=8, rir=2, rest=120), minutes=8, source=ACSM,
            how="Bar at the collarbones, glutes and trunk braced. Press straight up, moving the "
            "head back then through so the bar finishes over the mid-foot. No leaning back."),
        # -- pull ---------------------------------------------------------------------------
        _ex("inverted_row", "Inverted row", [UB], ["latissimus dorsi", "rhomboids", "biceps"],
            ["barbell"], "none", "beginner", [ub], prog=["pull_up"], subs=["dumbbell_row"],
            rx=_rx(3, (8, 12), rir=2, rest=60), minutes=5, source=ACSM,
            how="Hang under a bar racked at hip height, heels on the floor, body straight. Pull "
            "the chest to the bar, squeeze the shoulder blades, lower slowly."),
        _ex("pull_up", "Pull-up", [UB], ["latissimus dorsi", "biceps", "rhomboids"],
            ["pullup_bar"], "none", "intermediate", [ub], contra=["shoulder"],
            reg=["lat_pulldown", "inverted_row"], subs=["lat_pulldown"],
            rx=_rx(3, (3, 8), rir=2, rest=120), minutes=7, source=ACSM,
            how="Hang with hands just wider than shoulders. Pull the chest towards the bar by "
            "driving the elbows down, chin over the bar, and lower all the way under control."),
        _ex("lat_pulldown", "Lat pulldown", [UB], ["latissimus dorsi", "biceps"], ["machine"],
            "none", "beginner", [ub, ld], contra=["shoulder"], prog=["pull_up"],
            subs=["row_machine"], rx=_rx(3, (8, 12), rpe=7, rir=3, rest=75), minutes=6,
            source=ACSM,
            how="Thighs under the pad, hands wide. Pull the bar to the top of the chest leading "
            "with the elbows, without leaning far back, and let it rise slowly."),
        _ex("bent_over_row", "Barbell bent-over row", [UB], ["latissimus dorsi", "rhomboids",
            "erector spinae"], ["barbell"], "none", "intermediate", [ub, ld, "heavy_capable"],
            contra=["low_back"], reg=["dumbbell_row"], subs=["row_machine", "dumbbell_row"],
            rx=_rx(3, (6, 8), pct=75, rpe=8, rir=2, rest=120), minutes=8,
            source=f"{ACSM}; {BLAGROVE}",
            how="Hinge to about 45 degrees with a flat back and soft knees. Row the bar to the "
            "lower ribs, pause, and lower it without the torso rising."),
        _ex("dumbbell_row", "One-arm dumbbell row", [UB], ["latissimus dorsi", "rhomboids"],
            ["dumbbell", "bench"], "none", "beginner", [ub, ld], prog=["bent_over_row"],
            subs=["row_machine", "inverted_row"],
            rx=_rx(3, (8, 12), rpe=7, rir=3, rest=60, per_side=True), minutes=7, source=ACSM,
            how="One hand and knee on a bench, back flat. Row the dumbbell towards the hip, "
            "elbow close to the body, and lower with a full stretch."),
        _ex("row_machine", "Seated machine row", [UB], ["latissimus dorsi", "rhomboids",
            "rear deltoids"], ["machine"], "none", "beginner", [ub, ld], prog=["bent_over_row"],
            subs=["dumbbell_row", "inverted_row"], rx=_rx(3, (8, 12), rpe=7, rir=3, rest=75),
            minutes=6, source=ACSM,
            how="Chest against the pad, arms long. Pull the handles to the ribs by squeezing the "
            "shoulder blades together, then return slowly without shrugging."),
        # -- scapular and shoulder health ---------------------------------------------------
        _ex("face_pull", "Cable face pull", [UB], ["rear deltoids", "rotator cuff",
            "middle trapezius"], ["cable"], "none", "beginner", [ub, ld],
            subs=["band_pull_apart", "prone_y_t_raise"], rx=_rx(3, (12, 15), rpe=7, rest=45),
            minutes=5, source=SCAP,
            how="Rope at forehead height. Pull towards the eyes, elbows high and wide, and finish "
            "with the knuckles turned back. Light weight, smooth reps."),
        _ex("band_pull_apart", "Band pull-apart", [UB], ["rear deltoids", "rhomboids"], ["band"],
            "none", "beginner", [ub], prog=["face_pull"], subs=["prone_y_t_raise"],
            rx=_rx(3, 15, rest=30), minutes=3, source=SCAP,
            how="Hold a light band at shoulder height with straight arms. Pull it apart to the "
            "chest by squeezing the shoulder blades, then return slowly."),
        _ex("prone_y_t_raise", "Prone Y-T raise", [UB], ["lower trapezius", "middle trapezius",
            "rear deltoids"], [], "none", "beginner", [ub], prog=["band_pull_apart"],
            subs=["face_pull"], rx=_rx(2, 10, rest=30, tempo="1-2-1-0"), minutes=3, source=SCAP,
            how="Face down, thumbs up. Lift the arms into a Y, hold 2 seconds, lower; then into a "
            "T. Lead with the shoulder blades, not the neck."),
    ]
