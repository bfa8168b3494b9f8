"""Sample conditioning: validity, ordering, spike rejection and light smoothing.

The output is delayed by exactly one sample (a three-sample median) and keeps the middle sample's
timestamp, so durations measured downstream carry no filter bias.
"""

from __future__ import annotations

import math
from enum import IntEnum

from .protocol import NO_TARGET_CODES, TIMEOUT_CODE

GAP_RESET_S = 0.5  # after a dropout this long the median window starts afresh
MAX_SPEED_MM_S = 1500.0  # faster than any hip thrust (concentric peaks are below 1 m/s)
JUMP_SLACK_MM = 50.0
JUMP_CONFIRM_S = 0.4  # a new level that holds this long is real
FAILED_STATUS = 4  # VL53L1X range status 4 and above are failures


class Validity(IntEnum):
    """What a raw reading was."""

    VALID = 0
    NO_TARGET = 1  # out-of-range code or beyond the sensor's range: nothing in view
    INVALID = 2  # NaN, zero, negative, absurdly close, failed status, timeout code


def classify(
    distance_mm: float | None, status: int | None, min_mm: float, max_mm: float
) -> Validity:
    """Classify one raw reading (mm)."""
    if distance_mm is None or math.isnan(distance_mm):
        return Validity.INVALID
    if distance_mm in NO_TARGET_CODES or math.isinf(distance_mm):
        return Validity.NO_TARGET
    if distance_mm == TIMEOUT_CODE or distance_mm < min_mm:
        return Validity.INVALID
    if status is not None and status >= FAILED_STATUS:
        return Validity.INVALID
    if distance_mm > max_mm:
        return Validity.NO_TARGET
    return Validity.VALID


class Conditioner:
    """Plausibility gate, then a three-sample median over valid readings; resets across dropouts.

    Hips cannot move faster than MAX_SPEED_MM_S: a reading that implies it is held back until the
    new level has held for JUMP_CONFIRM_S (a body passing, the lifter leaving), so bursts of
    spurious values (a spike repeated by a stalled driver) never reach the rep detector.
    """

    __slots__ = (
        "_jump_since",
        "_jump_x",
        "_ref_t",
        "_ref_x",
        "_t1",
        "_t2",
        "_x1",
        "_x2",
        "rejected",
    )

    def __init__(self) -> None:
        self._t1 = self._t2 = -math.inf  # timestamps of the two previous valid readings
        self._x1 = self._x2 = 0.0
        self._ref_t = -math.inf  # last reading let through the gate
        self._ref_x = 0.0
        self._jump_since = math.inf
        self._jump_x = 0.0
        self.rejected = 0

    def reset(self) -> None:
        """Forget the window (after a dropout, a re-seat or a clock jump)."""
        self._t1 = self._t2 = -math.inf
        self._ref_t = -math.inf
        self._jump_since = math.inf

    def _plausible(self, t: float, x: float) -> bool:
        if t - self._ref_t > GAP_RESET_S or abs(
            x - self._ref_x
        ) <= JUMP_SLACK_MM + MAX_SPEED_MM_S * (t - self._ref_t):
            self._jump_since = math.inf
            return True
        if self._jump_since == math.inf or abs(x - self._jump_x) > JUMP_SLACK_MM:
            self._jump_since, self._jump_x = t, x
        if t - self._jump_since >= JUMP_CONFIRM_S:
            self._jump_since = math.inf
            self._t1 = self._t2 = -math.inf  # the old level is gone: restart the median too
            return True
        self.rejected += 1
        return False

    def push(self, t: float, x: float) -> tuple[float, float] | None:
        """Add a valid reading; returns the filtered (t, x) of the previous reading, if any."""
        if not self._plausible(t, x):
            return None
        self._ref_t, self._ref_x = t, x
        if t - self._t1 > GAP_RESET_S:
            self._t2 = -math.inf
            self._t1, self._x1 = t, x
            return None
        t1, x1 = self._t1, self._x1
        if self._t2 == -math.inf:
            # Second reading after a reset: not enough context yet for the first one's median.
            self._t2, self._x2 = t1, x1
            self._t1, self._x1 = t, x
            return None
        lo, hi = (self._x2, x1) if self._x2 <= x1 else (x1, self._x2)
        if x <= lo:
            middle = lo
        elif x >= hi:
            middle = hi
        else:
            middle = x
        self._t2, self._x2 = t1, x1
        self._t1, self._x1 = t, x
        return t1, middle
