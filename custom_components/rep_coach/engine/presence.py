"""Presence, still levels and the stream's noise: what the engine learns without orientation.

Everything here works on distances as read (mm) and is symmetric: mirroring or shifting the
stream changes nothing but the levels themselves.

- :class:`NoiseEstimate`: sigma of the readings from their second differences (a running
  median, so motion and rare spikes do not count), and the quantum of the readings (1 cm for
  ESPHome's default two decimals). It scales with distance as ToF noise does.
- :class:`WanderEstimate`: how far readings of hips at rest wander over half a second (the slow,
  correlated part of the noise - a drifting bias, AR noise - that second differences miss).
- :class:`StillLevel`: the running level the readings stay at, and for how long.
- :class:`Presence`: is someone on the bench? Away after invalid/no-target readings or a still
  level far from the seat, or readings far beyond it for a while; back with a rep-like movement
  or a rest on the seat.
"""

from __future__ import annotations

import math
from collections import deque
from statistics import median_low

from .thresholds import (
    FAR_BEYOND,
    NOISE_SEED,
    PRESENCE_STILL_S,
    QUANTUM_SIGMA,
    RESEED_RATIO,
    SEAT_TOL,
    SIGMA_FLOOR_MM,
    STILL_NOISE,
    WANDER_LAG_S,
    ZONE_HIGH,
    ZONE_LOW,
)

MEDIAN_STEP = 0.03  # the running median moves by 3 % per reading: settles in ~100 readings
SECOND_DIFF_SCALE = 0.6745 * math.sqrt(6.0)  # median |x[k] - 2x[k-1] + x[k-2]| of white noise
GAP_S = 0.5  # readings farther apart do not form a difference
LAG_DIFF_SCALE = 0.6745 * math.sqrt(2.0)  # median |x[t] - x[t - lag]| of independent readings
# Differences are taken between readings at least this far apart: ToF noise is correlated over a
# few samples at high rates (the sensor's own averaging, sunlight), and differences of adjacent
# readings would see only its fast part; at 10-20 Hz every reading is used.
NOISE_LAG_S = 0.045


class NoiseEstimate:
    """Robust noise (sigma, mm) and quantum of the accepted raw readings."""

    __slots__ = (
        "_median",
        "_reseed",
        "_seed",
        "_t1",
        "_x1",
        "_x2",
        "quantum",
        "sigma",
        "still_tolerance",
    )

    def __init__(self) -> None:
        self._median = 0.0
        self._seed: list[float] | None = []  # the first differences, until the median is seeded
        # The differences since the scene settled, until there are enough to read the noise
        # from them afresh (see :meth:`settled`); None: not asked.
        self._reseed: list[float] | None = None
        self._x1 = self._x2 = math.nan
        self._t1 = -math.inf
        self.quantum = 0.0
        # Read for every reading, changed only by a difference: kept, not computed per read.
        self.sigma = self.still_tolerance = 0.0
        self._derive()

    def push(self, t: float, x: float) -> None:
        """One accepted reading (mm)."""
        if 0.0 <= t - self._t1 < NOISE_LAG_S and not math.isnan(self._x2):
            return  # too close to the previous one: its noise is mostly the same
        if t - self._t1 > GAP_S:
            self._x2 = math.nan
        elif not math.isnan(self._x2):
            step = abs(x - self._x1)
            if step > 0 and (self.quantum == 0.0 or step < self.quantum):
                self.quantum = step
            d2 = abs(x - 2.0 * self._x1 + self._x2)
            median = self._median
            seed = self._seed
            if seed is not None:
                # The running median starts from the median of the first few differences, not
                # from the first one: a lifter arriving (a jump of decimetres) would otherwise
                # set it, and it would take many seconds to come down to the sensor's noise.
                seed.append(d2)
                self._median = max(median_low(seed), 0.1) if len(seed) >= 3 else 0.0
                if len(seed) >= NOISE_SEED:
                    self._seed = None
            elif d2 > median:
                self._median = median * (1.0 + MEDIAN_STEP)
            else:
                self._median = median / (1.0 + MEDIAN_STEP)
            reseed = self._reseed
            if reseed is not None:
                reseed.append(d2)
                if len(reseed) >= NOISE_SEED:
                    self._reseed = None
                    # (readings in whole quanta differ by 0 or a quantum: the median lies
                    # between, not at 0, where the running median would stay stuck)
                    fresh = max(median_low(reseed), 0.5 * self.quantum, 0.1)
                    if fresh * RESEED_RATIO < self._median:
                        self._median = fresh
            self._x2 = self._x1
            self._derive()
        else:
            self._x2 = self._x1
        self._x1, self._t1 = x, t

    def settled(self) -> None:
        """The scene has settled (someone sat down, the readings joined up again): the noise is
        read afresh from the next few differences, as when seeded. Only ever lower: the
        movement before (a body entering the beam, legs and hips mixed in the cone) can only
        have added to it, and at 3 % a reading the running median takes seconds to forget it,
        while a first rep's rise is measured against it. Only a fresh reading under a third of
        the running one replaces it (RESEED_RATIO)."""
        if self._seed is None:
            self._reseed = []

    def _derive(self) -> None:
        """``sigma``: noise of one reading (mm), never below the sensor's floor or the rounding
        noise. ``still_tolerance``: how far a still reading may stray from its level (noise, or
        flipping between two quanta of a coarse stream)."""
        self.sigma = max(
            SIGMA_FLOOR_MM, self._median / SECOND_DIFF_SCALE, QUANTUM_SIGMA * self.quantum
        )
        self.still_tolerance = max(
            STILL_NOISE * max(SIGMA_FLOOR_MM, self._median / SECOND_DIFF_SCALE), 1.5 * self.quantum
        )


class WanderEstimate:
    """Sigma (mm) of how far a reading moves over WANDER_LAG_S while the hips rest: a running
    median of those differences, fed only while nothing moves (the tracker says when), so the
    noise that second differences see only in part (correlated over many readings: a sensor's
    slowly drifting error, the cone taking in more or less of the thighs) is measured too."""

    __slots__ = ("_median", "_recent", "_seed", "sigma")

    def __init__(self) -> None:
        self._median = 0.0
        self._seed: list[float] | None = []  # the first differences, until the median is seeded
        self._recent: deque[tuple[float, float]] = deque()  # (t, x) of the resting readings
        self.sigma = 0.0

    def push(self, t: float, x: float) -> None:
        """A reading of hips at rest, following the one before without a movement between."""
        recent = self._recent
        recent.append((t, x))
        if t - recent[0][0] < WANDER_LAG_S:
            return
        while t - recent[1][0] >= WANDER_LAG_S:
            recent.popleft()
        if t - recent[0][0] > GAP_S + WANDER_LAG_S:
            recent.clear()  # a gap in the data: the difference spans what was not seen
            recent.append((t, x))
            return
        d = abs(x - recent[0][1])
        seed = self._seed
        if seed is not None:
            seed.append(d)
            if len(seed) >= NOISE_SEED:
                self._median = median_low(seed)
                self._seed = None
        elif d > self._median:
            self._median = max(self._median, 0.1) * (1.0 + MEDIAN_STEP)
        else:
            self._median /= 1.0 + MEDIAN_STEP
        self.sigma = self._median / LAG_DIFF_SCALE

    def moved(self) -> None:
        """Something moved (or nothing rests): the next difference starts after it."""
        self._recent.clear()


class StillLevel:
    """Where the readings rest: a running mean that restarts when a reading leaves it."""

    __slots__ = ("mean", "n", "since")

    def __init__(self) -> None:
        self.mean = math.nan
        self.n = 0
        self.since = math.inf

    def push(self, t: float, x: float, tolerance: float) -> bool:
        """Add a reading; False when it left the level (a new one starts at it)."""
        if self.n and abs(x - self.mean) <= tolerance:
            self.n += 1
            self.mean += (x - self.mean) / self.n
            return True
        self.mean, self.n, self.since = x, 1, t
        return False

    def reset(self) -> None:
        """Forget the level (a dropout or a jump: what follows does not join up)."""
        self.n = 0
        self.since = math.inf

    def still_for(self, t: float) -> float:
        """How long the readings have stayed at the level (0 when just left)."""
        return t - self.since if self.n > 1 else 0.0


class Presence:
    """Someone on the bench, from the data (not from fixed distances)."""

    __slots__ = ("present",)

    def __init__(self) -> None:
        self.present = False

    @staticmethod
    def at_rest(level: float, still_s: float, seat: float | None, rom: float | None) -> bool | None:
        """Still at ``level`` (height) for ``still_s``: seated (True), nobody there (False: far
        outside the zone around the seat, like the floor or someone standing), or no telling."""
        if seat is None or rom is None:
            return True  # nothing learned yet: a still body in view is someone
        p = (level - seat) / rom
        if abs(p) <= SEAT_TOL:
            return True
        if still_s >= PRESENCE_STILL_S and (p < ZONE_LOW or p > ZONE_HIGH):
            return False
        return None

    @staticmethod
    def far_from_seat(height: float, seat: float, rom: float) -> bool:
        """A reading at ``height`` lies a full range beyond the zone around the seat: no hips
        seated or lifting there, still or not (the far background of an empty bench)."""
        p = (height - seat) / rom
        return p < ZONE_LOW - FAR_BEYOND or p > ZONE_HIGH + FAR_BEYOND
