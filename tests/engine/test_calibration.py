"""The calibration model: the range as the median of the last full reps, its saved form."""

from __future__ import annotations

from custom_components.rep_coach.engine import Side
from custom_components.rep_coach.engine.calibration import CalibrationModel


def test_calibration_median_fallback_and_round_trip() -> None:
    model = CalibrationModel()
    assert model.range_for(Side.LEFT) is None
    for rom in (300.0, 310.0, 200.0, 305.0, 298.0, 302.0):
        model.learn_rom(Side.LEFT, rom)
    assert model.range_for(Side.LEFT) == 302.0  # median of the last five
    assert model.range_for(Side.RIGHT) == 302.0  # the other leg's until this one has its own
    model.sign, model.bottom_h = -1, -800.0
    copy = CalibrationModel()
    copy.restore(model.export())
    assert (copy.sign, copy.bottom_h, copy.range_for(Side.LEFT)) == (-1, -800.0, 302.0)
    copy.restore({"sign": 7, "bottom_h": "x", "ranges": {"left": {"roms": ["a", -1, 250.0]}}})
    assert (copy.sign, copy.range_for(Side.LEFT)) == (-1, 250.0)
