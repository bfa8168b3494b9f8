"""The user's say over the calibration, applied through one part: ManualCalibration."""

from __future__ import annotations

from custom_components.rep_coach.engine.calibration import CalibrationModel
from custom_components.rep_coach.engine.manual import ManualCalibration
from custom_components.rep_coach.engine.settings import Orientation, Side


def test_a_fixed_orientation_is_applied_and_a_new_one_relearns() -> None:
    model = CalibrationModel()
    manual = ManualCalibration(model, Orientation.NEARER)
    assert (model.sign, model.fixed_sign) == (-1, True)
    model.ranges[Side.LEFT].manual = 150.0
    manual.reorient(Orientation.AUTO)
    assert (model.sign, model.fixed_sign) == (-1, False)
    assert model.ranges[Side.LEFT].manual is None


def test_bottom_then_top_sets_the_levels_and_both_sides_range() -> None:
    model = CalibrationModel()
    manual = ManualCalibration(model, Orientation.AUTO)
    manual.bottom(400.0)  # orientation unknown yet: only remembered
    assert model.bottom_h is None
    assert not manual.top(401.0, noise_sigma=1.0)  # within the noise: not a range
    assert manual.top(550.0, noise_sigma=1.0)
    assert (model.sign, model.manual_bottom) == (1, True)
    assert model.bottom_h == 400.0
    assert [model.ranges[side].manual for side in Side] == [150.0, 150.0]
    manual.auto()
    assert model.ranges[Side.LEFT].manual is None
    assert not manual.top(550.0, noise_sigma=1.0)  # the bottom was forgotten too
