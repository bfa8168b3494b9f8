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
SPEED_BASE_S = 0.1  # the hips' current speed is measured over at least this long
MAX_ACCEL_MM_S2 = 5000.0  # a thrust starts and stops within about half a g
PASSING_S = 0.2  # rejected this long: something else was in the beam (a body passing)
STUCK_MAX_S = 0.4  # a driver timeout repeats its last value for up to ~0.3 s; longer runs
# of one value are a clean, still reading (a noise-free stream, a quiet floor)
STUCK_QUANTUM_MM = 1.0  # readings this fine repeat thrice running (noise >= 2 mm) only when stuck
STUCK_REPEATS = 3
QUANTUM_CREEP = 1.01  # per reading: the resolution estimate forgets a finer past in ~250 readings
FAILED_STATUS = 4  # VL53L1X range status 4 and above are failures
# Statuses of a reading without a distance that mean "nothing in range" (None: not given).
NO_READING_STATUSES = frozenset({None, 0, 2, 4, 7})


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
        # ESPHome publishes nan for out of range, the firmware null with status 2/4/7: the
        # sensor worked and saw nothing. A failed read (status 255, 5, ...) is invalid.
        return Validity.NO_TARGET if status in NO_READING_STATUSES else Validity.INVALID
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
        "_base_t",
        "_base_x",
        "_codes",
        "_codes_from",
        "_jump_readings",
        "_jump_since",
        "_jump_x",
        "_paired",
        "_period",
        "_quantum",
        "_ref_first_t",
        "_ref_repeats",
        "_ref_t",
        "_ref_v",
        "_ref_x",
        "_rejected_from",
        "_rejected_run",
        "_since_ref",
        "_t1",
        "_t2",
        "_x1",
        "_x2",
        "jumps",
        "rejected",
    )

    def __init__(self) -> None:
        self._t1 = self._t2 = -math.inf  # timestamps of the two previous valid readings
        self._x1 = self._x2 = 0.0
        self._ref_t = -math.inf  # last reading let through the gate
        self._ref_x = 0.0
        self._ref_first_t = -math.inf  # when the reference's value was first read (stuck repeats)
        self._ref_repeats = 0  # exact repeats of it since
        self._ref_v = 0.0  # speed there (mm/s), over at least SPEED_BASE_S
        self._quantum = math.inf  # smallest step between accepted readings (their resolution)
        self._base_t = -math.inf
        self._base_x = 0.0
        self._jump_since = math.inf
        self._rejected_run = 0  # readings rejected since the last one let through
        self._rejected_from = math.inf
        # Rejected readings before a move too fast for the hips counts as a jump: with device
        # time one is enough; arrival times (a stalled burst) cannot tell, so only a body
        # passing (PASSING_S) or a confirmed new level counts there.
        self._jump_readings = 1
        self._jump_x = 0.0
        # The last reading (t, x), when it was rejected as the second half of a spike pair.
        self._paired: tuple[float, float] | None = None
        self.rejected = 0
        self.jumps = 0  # new levels accepted after a jump (a body entering or leaving the beam)
        self._period = 0.0  # typical time between readings (running median)
        self._since_ref = 0  # readings since the last one let through
        self._codes = 0  # of them, readings that saw no target (or failed)
        self._codes_from = math.inf  # when the first of those came

    def reset(self) -> None:
        """Forget the window (after a dropout, a re-seat or a clock jump)."""
        self._t1 = self._t2 = -math.inf
        self._ref_t = self._base_t = -math.inf
        self._ref_v = 0.0
        self._ref_repeats = 0  # no stuck driver across a reset (its span would be unbounded)
        self._jump_since = math.inf
        self._rejected_run = 0
        self._codes = 0

    def missed(self, t: float) -> None:
        """A reading without a distance (no target, a failed ranging) between valid ones."""
        self._since_ref += 1
        if not self._codes:
            self._codes_from = t
        self._codes += 1

    def _plausible(self, t: float, x: float) -> bool:
        """Whether ``x``, beyond the slack of the reference (:meth:`push` lets those within
        it through), is a move the hips could make, or a new level confirmed."""
        # Readings that arrive in a burst after a Wi-Fi stall share one arrival time: budget
        # the motion by how many readings passed as well as by the clock.
        self._since_ref += 1
        paired, self._paired = self._paired, None
        moved = abs(x - self._ref_x)
        dt = max(t - self._ref_t, self._since_ref * self._period) + self._stuck_for()
        run = self._rejected_run
        carried = JUMP_SLACK_MM + abs(self._ref_v) * dt + 0.5 * MAX_ACCEL_MM_S2 * dt * dt
        passing = run and t - self._rejected_from >= PASSING_S and moved > JUMP_SLACK_MM
        # Like rejected readings, a stretch of readings that saw nothing (as long as a body
        # passing) is time the hips were not seen in: a level beyond where their own motion
        # could have carried them is a body entering or leaving the beam. One missed ranging
        # in a fast lowering is not.
        unseen = self._codes > 0 and t - self._codes_from >= PASSING_S
        uncarried = (run >= self._jump_readings or unseen) and moved > carried
        # Right after one rejected reading, on the other side of the reference: a second spike
        # (spikes come in pairs, one high, one low), not a new level. A new level stays on the
        # side it jumped to, however widely its readings scatter (sunlight on a far background).
        spike = (
            uncarried
            and not passing
            and run == 1
            and (x - self._ref_x) * (self._jump_x - self._ref_x) < 0
        )
        if (moved <= JUMP_SLACK_MM + MAX_SPEED_MM_S * dt or dt > GAP_RESET_S) and not spike:
            if (
                self._ref_t > -math.inf
                and (passing or uncarried)
                and not self._continues(t, x, paired)
            ):
                # Implausible readings, then a level the hips' own motion could not have
                # carried them to: a body passed through the beam, someone arrived or left.
                self.jumps += 1
                self._t1 = self._t2 = -math.inf  # nothing from before may come out after it
            self._jump_since = math.inf
            self._rejected_run = 0
            return True
        if spike:
            self._paired = (t, x)
        if not self._rejected_run:
            self._rejected_from = t
        self._rejected_run += 1
        if self._jump_since == math.inf or abs(x - self._jump_x) > JUMP_SLACK_MM:
            self._jump_since, self._jump_x = t, x
        if t - self._jump_since >= JUMP_CONFIRM_S:
            self._jump_since = math.inf
            self._rejected_run = 0
            self._t1 = self._t2 = -math.inf  # the old level is gone: restart the median too
            self.jumps += 1
            return True
        self.rejected += 1
        return False

    def _continues(self, t: float, x: float, paired: tuple[float, float] | None) -> bool:
        """Whether ``x`` carries on from the reading just before it, rejected as a spike pair's
        second half: a spike comes back toward the reference, a fast real move (a dumbbell drop
        at 15 Hz) keeps going the same way at a like speed, so it was motion, not a body in the
        beam. Hips that stop dead within one reading are neither: a new level (someone sat)."""
        if paired is None:
            return False
        paired_t, paired_x = paired
        jumped, went_on = paired_x - self._ref_x, x - paired_x
        if jumped * went_on <= 0.0 or not self._ref_t < paired_t < t:
            return False
        return abs(went_on) / (t - paired_t) >= 0.5 * abs(jumped) / (paired_t - self._ref_t)

    def _stuck_for(self) -> float:
        """How long the reference value had been repeated exactly on a fine-grained stream: a
        stuck driver, during which the hips moved on unseen (the next real reading catches up)."""
        if self._quantum > STUCK_QUANTUM_MM or self._ref_repeats < STUCK_REPEATS:
            return 0.0  # coarse readings (ESPHome's 1 cm) repeat while the hips are still
        stuck = self._ref_t - self._ref_first_t
        return stuck if stuck <= STUCK_MAX_S else 0.0  # longer: a clean still reading

    def push(self, t: float, x: float, *, device_timed: bool = False) -> tuple[float, float] | None:
        """Add a valid reading; returns the filtered (t, x) of the previous reading, if any.

        ``device_timed``: ``t`` comes from the device clock (exact spacing, no delivery jitter).
        """
        self._jump_readings = 1 if device_timed else 1_000_000
        if abs(x - self._ref_x) <= JUMP_SLACK_MM:
            # Within the slack of the reference (most readings): plausible however little time
            # passed, and no spike, body passing or jump (each needs a move beyond the slack).
            self._since_ref += 1
            self._paired = None
            self._jump_since = math.inf
            self._rejected_run = 0
        elif not self._plausible(t, x):
            return None
        step = t - self._ref_t
        if 0.0 < step < GAP_RESET_S and self._since_ref == 1:
            period = self._period
            self._period = step if period == 0.0 else period * (1.02 if step > period else 1 / 1.02)
        self._since_ref = 0
        self._codes = 0
        if t - self._base_t > GAP_RESET_S:
            self._base_t, self._base_x, self._ref_v = t, x, 0.0
        elif t - self._base_t >= SPEED_BASE_S and x != self._ref_x:
            # An exact repeat is a stuck driver, not hips at rest: it says nothing of speed.
            self._ref_v = (x - self._base_x) / (t - self._base_t)
            self._base_t, self._base_x = t, x
        step = abs(x - self._ref_x)
        self._ref_repeats += 1
        if step > 0.0 or self._ref_t == -math.inf:
            self._ref_first_t = t
            self._ref_repeats = 0
            if self._ref_t > -math.inf:
                # The finest recent step: it creeps up unless confirmed, so a stream that turns
                # coarse (another firmware, ESPHome's 1 cm) is soon known as coarse.
                crept = self._quantum * QUANTUM_CREEP
                self._quantum = crept if crept < step else step  # (min(), without its call)
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
