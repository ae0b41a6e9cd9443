"""Doses: volume_scale applies to the default sets first; the sets bounds are hard limits."""

from __future__ import annotations

from planning_helpers import ex, then
from stridewise.planning.prescribe import Doser
from stridewise.planning.resolve import resolve


def _sets(default: int, *rules: tuple[str, int, dict]) -> tuple[int, tuple[str, ...]]:
    doser = Doser(resolve([(rid, pri, then(body)) for rid, pri, body in rules]))
    dose = doser.dose(ex("squat", ("functional_strength",), sets=default))
    assert dose is not None
    return dose.prescription.sets, dose.because


def test_scale_then_clamp_never_cuts_twice() -> None:
    sets, because = _sets(3, ("taper-volume", 0, {"volume_scale": 0.6}),
                          ("short-sessions", 0, {"sets": {"max": 2}}))
    assert sets == 2  # 3 x 0.6 = 1.8 -> 2, within ..2 (not 2 x 0.6 -> 1)
    assert because == ("taper-volume",)


def test_bounds_are_hard_limits_after_scaling() -> None:
    sets, because = _sets(5, ("taper-volume", 0, {"volume_scale": 0.6}),
                          ("short-sessions", 0, {"sets": {"max": 2}}))
    assert sets == 2 and because == ("taper-volume", "short-sessions")
    sets, because = _sets(4, ("deload", 0, {"volume_scale": 0.25}),
                          ("volume-floor", 0, {"sets": {"min": 2}}))
    assert sets == 2 and because == ("deload", "volume-floor")
    sets, _ = _sets(2, ("big-scale", 0, {"volume_scale": 2.0}),
                    ("cap", 0, {"sets": {"max": 3}}))
    assert sets == 3


def test_at_least_one_set_remains() -> None:
    assert _sets(1, ("deload", 0, {"volume_scale": 0.1}))[0] == 1
    assert _sets(3, ("deload", 0, {"volume_scale": 0.1}))[0] == 1


def test_without_scale_only_bounds_apply() -> None:
    assert _sets(5, ("cap", 0, {"sets": {"max": 3}})) == (3, ("cap",))
    assert _sets(3, ("cap", 0, {"sets": {"max": 3}})) == (3, ())
