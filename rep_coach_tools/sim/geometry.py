"""Where the sensor is: mount, distance to the seated hips, and what it sees with nobody there.

Positions are millimetres of hip height above the first seat level (``y``); a geometry maps them
to distances from the lens. Seated hips are 8 cm to 1.2 m from the lens in either mount; with
the sensor above, the top of the lift stays at least 4 cm from the lens.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from enum import StrEnum

from .model import NEAREST_MM, Mount

SEAT_MM = (80.0, 1200.0)  # lens to seated hips, either mount
MIN_MM = NEAREST_MM
SEAT_BANDS = ((80.0, 250.0, "8-25 cm"), (250.0, 600.0, "25-60 cm"), (600.0, 1201.0, "60-120 cm"))


class Background(StrEnum):
    """What the sensor sees when the bench is empty."""

    FLOOR = "floor"  # sensor above: the floor or mat where the hips sat
    BENCH = "bench"  # a bench edge, box or shelf in the beam
    CEILING = "ceiling"  # sensor below: the ceiling
    NOTHING = "nothing"  # out of range: no-target codes


BACKGROUNDS: dict[Mount, tuple[tuple[Background, ...], tuple[float, ...]]] = {
    Mount.ABOVE: ((Background.FLOOR, Background.BENCH, Background.NOTHING), (0.5, 0.2, 0.3)),
    Mount.BELOW: ((Background.CEILING, Background.BENCH, Background.NOTHING), (0.45, 0.15, 0.4)),
}


@dataclass(frozen=True, slots=True)
class Geometry:
    """A mount, the seated hips' distance at ``y = 0`` and the empty-bench view."""

    mount: Mount
    seat_mm: float
    background: Background
    background_mm: float | None  # FLOOR: beyond the hips; others: from the lens; NOTHING: None
    max_range_mm: float  # beyond this the sensor reports no target

    @property
    def sign(self) -> float:
        """How the distance moves when the hips rise: -1 above, +1 below."""
        return -1.0 if self.mount is Mount.ABOVE else 1.0

    def distance(self, y: float) -> float:
        """Lens to the hips at height ``y`` above the first seat."""
        return self.seat_mm + self.sign * y

    def empty_view(self, seat_y: float) -> float | None:
        """What the sensor reads (before noise) with nobody on a bench seated at ``seat_y``."""
        if self.background is Background.NOTHING or self.background_mm is None:
            return None
        if self.background is Background.FLOOR:
            return self.distance(seat_y) + self.background_mm
        return self.background_mm

    def seat_levels(self, range_mm: float) -> tuple[float, float]:
        """The seat heights ``y`` this geometry allows for a lift of ``range_mm``."""
        lo_mm = max(SEAT_MM[0], MIN_MM + range_mm) if self.mount is Mount.ABOVE else SEAT_MM[0]
        hi_mm = SEAT_MM[1]
        ys = sorted(((lo_mm - self.seat_mm) * self.sign, (hi_mm - self.seat_mm) * self.sign))
        return ys[0], ys[1]


def seat_band(seat_mm: float) -> str:
    """The report's name for a seated distance."""
    return next(name for lo, hi, name in SEAT_BANDS if lo <= seat_mm < hi)


def draw_geometry(
    rng: random.Random,
    mount: Mount,
    range_mm: float,
    *,
    seat_mm: float | None = None,
    background: Background | None = None,
) -> Geometry:
    """Seat distance log-uniform over 8 cm-1.2 m (above: the top of the lift at least 4 cm away)."""
    lo = max(SEAT_MM[0], MIN_MM + 20.0 + range_mm) if mount is Mount.ABOVE else SEAT_MM[0]
    drawn = math.exp(rng.uniform(math.log(lo), math.log(SEAT_MM[1])))
    seat = drawn if seat_mm is None else seat_mm
    kinds, weights = BACKGROUNDS[mount]
    drawn_background = rng.choices(kinds, weights)[0]
    view = drawn_background if background is None else background
    far = seat + range_mm if mount is Mount.BELOW else seat
    max_range = max(far + 300.0, rng.uniform(1300.0, 3600.0))
    distances = {
        Background.FLOOR: rng.uniform(80.0, 300.0),
        Background.BENCH: _bench_distance(rng, mount, seat, range_mm),
        Background.CEILING: rng.uniform(1800.0, 3000.0),
        Background.NOTHING: None,
    }
    return Geometry(mount, seat, view, distances[view], max_range)


def _bench_distance(rng: random.Random, mount: Mount, seat: float, range_mm: float) -> float:
    if mount is Mount.ABOVE:
        # A bench edge or box between the lens and the seat, never nearer than the lens allows.
        return max(MIN_MM + 10.0, seat - rng.uniform(0.0, 0.6) * range_mm)
    return seat + range_mm * rng.uniform(1.2, 2.5)
