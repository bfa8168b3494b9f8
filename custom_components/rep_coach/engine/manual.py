"""The user's say over the calibration: a fixed orientation, and calibrating by hand (hold still
at the bottom, then at the top), applied to the calibration model in one place."""

from __future__ import annotations

from .calibration import CalibrationModel
from .settings import Orientation, Side

MANUAL_RANGE_SIGMAS = 4.0  # top and bottom closer than this many noise sigmas: not a range


class ManualCalibration:
    """Applies the orientation setting and the manual steps to one calibration model."""

    def __init__(self, model: CalibrationModel, orientation: Orientation) -> None:
        """Take the model and apply the orientation the engine starts with."""
        self.model = model
        self._bottom_x: float | None = None  # the level the bottom step saw
        self._orient(orientation)

    def _orient(self, orientation: Orientation) -> None:
        model = self.model
        model.fixed_sign = orientation is not Orientation.AUTO
        if orientation is Orientation.FARTHER:
            model.sign = 1
        elif orientation is Orientation.NEARER:
            model.sign = -1

    def reorient(self, orientation: Orientation) -> None:
        """A new orientation setting: what was learned under the old one is learned again."""
        self.model.reset()
        self._orient(orientation)

    def auto(self) -> None:
        """Back to automatic learning: forget the levels (a fixed orientation stays)."""
        self.model.reset()
        self._bottom_x = None

    def bottom(self, level_x: float) -> None:
        """The lifter holds still at the bottom, at ``level_x`` (mm as read)."""
        self._bottom_x = level_x
        model = self.model
        if model.sign:
            model.bottom_h = model.sign * level_x
            model.manual_bottom = True

    def top(self, level_x: float, noise_sigma: float) -> bool:
        """The lifter holds still at the top: True when that sets the range of both sides."""
        model = self.model
        bottom_x = self._bottom_x
        if bottom_x is None and model.bottom_h is not None and model.sign:
            bottom_x = model.sign * model.bottom_h
        if bottom_x is None or abs(level_x - bottom_x) < MANUAL_RANGE_SIGMAS * noise_sigma:
            return False
        if not model.fixed_sign:
            model.sign = 1 if level_x > bottom_x else -1
        model.bottom_h = model.sign * bottom_x
        model.manual_bottom = True
        for side in Side:
            model.ranges[side].manual = abs(level_x - bottom_x)
        return True
