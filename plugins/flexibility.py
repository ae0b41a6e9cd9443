"""Built-in plugin: flexibility and recovery (static stretching, foam rolling, easy flows).

Static holds stay at 30-60 s per muscle: below about 60 s they do not measurably blunt
performance, so they are safe after runs and before easy sessions (Behm et al. 2016).
"""

from __future__ import annotations

from typing import Any

from stridewise.hookspecs import hookimpl

from ._entries import entry as _ex
from ._entries import prescription as _rx

__all__ = ["register_exercises"]

FR, JM = "flexibility_recovery", "joint_mobility"
BEHM = ("Behm et al. 2016, Appl Physiol Nutr Metab 41:1 (static stretching under 60 s per "
        "muscle has trivial effects on performance)")
ROLL = ("Wiewelhove et al. 2019, Front Physiol 10:376 (foam rolling: small gains in flexibility "
        "and perceived recovery)")


@hookimpl
def register_exercises() -> list[dict[str, Any]]:
    """Return the stretches, foam-rolling drills and recovery flows."""
    lb, fr_ = "lower_body", ["foam_roller"]
    return [
        # -- foam rolling -------------------------------------------------------------------
        _ex("foam_roll_quads", "Foam roll quadriceps", [FR], ["quadriceps"], fr_, "none",
            "beginner", [lb], subs=["standing_quad_stretch"],
            rx=_rx(1, seconds=60, rest=0, per_side=True), minutes=3, source=ROLL,
            how="Face down with the roller under one thigh. Roll slowly from just above the knee "
            "to the hip, pausing on tender spots for a few breaths. Firm, not painful."),
        _ex("foam_roll_calves", "Foam roll calves", [FR], ["gastrocnemius", "soleus"], fr_, "none",
            "beginner", [lb], subs=["calf_wall_stretch", "soleus_stretch"],
            rx=_rx(1, seconds=60, rest=0, per_side=True), minutes=3, source=ROLL,
            how="Sit with the roller under one calf, other leg crossed on top for more pressure. "
            "Roll ankle to knee, turning the foot in and out to reach both sides."),
        _ex("foam_roll_glutes", "Foam roll glutes", [FR], ["glutes", "hip rotators"], fr_,
            "none", "beginner", [lb], subs=["figure_four_stretch"],
            rx=_rx(1, seconds=60, rest=0, per_side=True), minutes=3, source=ROLL,
            how="Sit on the roller, cross one ankle over the other knee and lean towards that "
            "side. Roll slowly over the glute. Skip the IT band itself; roll the muscles instead."),
        _ex("foam_roll_thoracic", "Foam roll upper back", [FR], ["thoracic spine",
            "erector spinae"], fr_, "none", "beginner", ["upper_body"],
            subs=["thoracic_open_book"], rx=_rx(1, seconds=60, rest=0), minutes=2, source=ROLL,
            how="Roller across the upper back, hands behind the head, hips down. Roll between the "
            "shoulder blades and gently extend over the roller. Keep it off the lower back."),
        # -- static stretches ---------------------------------------------------------------
        _ex("calf_wall_stretch", "Calf wall stretch (straight knee)", [FR], ["gastrocnemius"],
            [], "none", "beginner", [lb], contra=["insertional_tendinopathy"],
            prog=["soleus_stretch"], subs=["foam_roll_calves"],
            rx=_rx(2, seconds=30, rest=0, per_side=True), minutes=3, source=BEHM,
            how="Hands on a wall, one leg back with the knee straight and heel down, toes "
            "forward. Lean in until you feel the upper calf and hold, breathing slowly."),
        _ex("soleus_stretch", "Soleus wall stretch (bent knee)", [FR], ["soleus",
            "achilles tendon"], [], "none", "beginner", [lb], contra=["insertional_tendinopathy"],
            subs=["ankle_mobility"],
            rx=_rx(2, seconds=30, rest=0, per_side=True), minutes=3, source=BEHM,
            how="As the calf stretch but step the back foot in and bend the back knee, heel "
            "down, until the stretch moves low in the calf. Hold and breathe."),
        _ex("plantar_fascia_stretch", "Plantar fascia stretch", [FR], ["plantar fascia"], [],
            "none", "beginner", [lb, "toe_dorsiflexion"], subs=["big_toe_mobility"],
            rx=_rx(3, seconds=30, rest=0, per_side=True), minutes=3,
            source="DiGiovanni et al. 2003, J Bone Joint Surg Am 85:1270 (plantar-fascia-specific "
            "stretch)",
            how="Sit with the foot across the other knee. Pull the toes back towards the shin "
            "until the arch feels tight and hold. Best done before the first steps of the day."),
        _ex("kneeling_hip_flexor_stretch", "Kneeling hip flexor stretch", [FR], ["hip flexors",
            "rectus femoris"], [], "none", "beginner", [lb],
            prog=["worlds_greatest_stretch"], subs=["standing_quad_stretch"],
            rx=_rx(2, seconds=45, rest=0, per_side=True), minutes=4, source=BEHM,
            how="Half-kneel on a cushion. Tuck the pelvis under by squeezing the back glute, then "
            "shift forward slightly until the front of the hip stretches. Reach the arm up."),
        _ex("standing_quad_stretch", "Standing quad stretch", [FR], ["quadriceps",
            "hip flexors"], [], "none", "beginner", [lb],
            subs=["kneeling_hip_flexor_stretch", "foam_roll_quads"],
            rx=_rx(2, seconds=30, rest=0, per_side=True), minutes=2, source=BEHM,
            how="Hold a wall, take one ankle in your hand and draw the heel towards the glute, "
            "knees together and pelvis tucked. Ease off if the knee complains."),
        _ex("banded_hamstring_stretch", "Banded hamstring stretch", [FR], ["hamstrings",
            "calf"], ["band"], "none", "beginner", [lb], subs=["worlds_greatest_stretch"],
            rx=_rx(2, seconds=45, rest=0, per_side=True), minutes=4, source=BEHM,
            how="On your back, band around one foot. Raise the straight leg until you feel the "
            "back of the thigh, keep the other leg long on the floor, and hold."),
        _ex("figure_four_stretch", "Figure-four glute stretch", [FR], ["glutes",
            "hip rotators"], [], "none", "beginner", [lb], subs=["hip_90_90", "foam_roll_glutes"],
            rx=_rx(2, seconds=45, rest=0, per_side=True), minutes=4, source=BEHM,
            how="On your back, cross one ankle over the opposite knee and pull that thigh towards "
            "you until the outer hip stretches. Keep the crossed foot flexed."),
        _ex("supine_spinal_twist", "Supine spinal twist", [FR], ["obliques",
            "thoracic spine", "glutes"], [], "none", "beginner", [],
            subs=["thoracic_open_book"], rx=_rx(2, seconds=30, rest=0, per_side=True),
            minutes=3, source=BEHM,
            how="On your back, arms out wide. Let both bent knees fall to one side while the "
            "shoulders stay down; breathe into the stretch, then switch sides."),
        _ex("yoga_flow", "Runner's yoga flow", [FR, JM], ["hip flexors", "hamstrings", "calf",
            "thoracic spine"], [], "none", "beginner", [lb],
            subs=["worlds_greatest_stretch", "supine_spinal_twist"],
            rx=_rx(1, seconds=600, rest=0), minutes=10,
            source="Common coaching practice (easy-day mobility and recovery flow)",
            how="Flow slowly through downward dog, low lunge, half split, pigeon and child's pose "
            "on each side, five breaths per pose. Easy effort; nothing should hurt."),
    ]
