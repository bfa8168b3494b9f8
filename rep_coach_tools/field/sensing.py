"""The field sensor: the hold-out's sensor model, with the light layer and a VL53L0X profile.

The model is the hold-out's (:mod:`..holdout.sensing`): AR(1) correlated plus white noise,
whole-millimetre ranging, cone mixing toward the background when the hips are low, no-target
codes in short runs, stuck repeats and spikes. It reads the scene through the layers of
:mod:`.scene` and adds, as layers of its own:

- :class:`Light` (sunlight, dark clothing): the noise 1.5-2x higher, a slow bias of 5-15 mm
  (periods of 1-4 min: the sun moving, clouds), range status 1-2 (sigma/signal warnings) on
  5-20 % of readings, and 1-3 runs of 0.8-3 s of no-target readings, at least one in a set;
- :class:`Profile` VL53L0X: 1.1-1.3 m maximum range (readings fail more often in its last
  15 %), noise 1.5-3 mm + 0.5-1 % of the distance (about twice the VL53L1X's), a constant bias
  up to +-25 mm, a missed measurement now and then (NaN: the ESP32's loop was busy); its
  firmware stamps readings when it collects them (10-14 ms after the middle of the 20 ms
  budget), on the ESP32's clock.
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass, field

from ..holdout.lifting import Lifting
from ..holdout.sensing import Bench, Faults, cone_mixed, no_target
from ..sim.model import NEAREST_MM, Mount
from .scene import Passers, Slip, Tilt, seat_at

NOISE_GAIN = (1.5, 2.0)
BIAS_MM = (5.0, 15.0)
BIAS_PERIOD_S = (60.0, 240.0)
WARN_SHARE = (0.05, 0.2)
DARK_S = (0.8, 3.0)
L0X_MAX_MM = (1100.0, 1300.0)
L0X_FAR_SHARE = 0.85  # beyond this share of the maximum range, readings fail more often
L0X_SEAT_MARGIN_MM = 150.0  # users place it so the hips stay this far inside its range


@dataclass(frozen=True, slots=True)
class Profile:
    """One ranging sensor's noise and limits."""

    model: str
    sigma_base: float
    sigma_per_mm: float
    rho: float
    white: float
    bias_mm: float
    far_fail: float  # failure share of readings beyond L0X_FAR_SHARE of the maximum range
    missed: float  # share of measurements missed (NaN)


def vl53l1x(rng: random.Random) -> Profile:
    """The hold-out's sensor (its bias is in the bench)."""
    return Profile(
        "VL53L1X", rng.uniform(0.8, 2.0), 0.004, rng.uniform(0.5, 0.9), 0.6, 0.0, 0.0, 0.0
    )


def vl53l0x(rng: random.Random) -> Profile:
    """Shorter, noisier: the VL53L0X at a 20 ms budget."""
    return Profile(
        "VL53L0X",
        rng.uniform(1.5, 3.0),
        rng.uniform(0.005, 0.010),
        rng.uniform(0.3, 0.7),
        1.0,
        rng.uniform(-25.0, 25.0),
        0.2,
        0.003,
    )


def l0x_bench(rng: random.Random, mount: Mount, range_mm: float) -> Bench:
    """Placed within the VL53L0X's range: the hips stay 15 cm inside it."""
    max_mm = rng.uniform(*L0X_MAX_MM)
    if mount is Mount.ABOVE:
        seat = rng.uniform(max(80.0, range_mm + 60.0), max_mm - L0X_SEAT_MARGIN_MM)
        background: float | None = seat + rng.uniform(100.0, 250.0)  # the floor
    else:
        seat = rng.uniform(80.0, max(80.0, max_mm - L0X_SEAT_MARGIN_MM - range_mm))
        background = None  # the ceiling is out of its range
    if background is not None and background > max_mm:
        background = None
    return Bench(mount, seat, background, max_mm)


@dataclass(frozen=True, slots=True)
class Light:
    """Sunlight or dark clothing: more noise, a slow bias, warnings, seconds of no target."""

    noise_gain: float
    bias_mm: float
    bias_period_s: float
    bias_phase: float
    warn_share: float
    dark: tuple[tuple[float, float], ...]  # no-target runs (start, end), in time order

    def bias(self, t: float) -> float:
        return self.bias_mm * math.sin(2.0 * math.pi * t / self.bias_period_s + self.bias_phase)

    def is_dark(self, t: float) -> bool:
        k = bisect.bisect_right(self.dark, (t, math.inf)) - 1
        return k >= 0 and t < self.dark[k][1]


def draw_light(rng: random.Random, lifting: Lifting) -> Light:
    """At least one no-target run inside a set, up to two more anywhere."""
    runs = []
    for _ in range(rng.choice([1, 1, 2])):
        record = rng.choice(lifting.sets)
        runs.append((rng.uniform(record["start_t"], record["end_t"]), rng.uniform(*DARK_S)))
    for _ in range(rng.choice([0, 1])):
        runs.append((rng.uniform(0.0, lifting.path.t), rng.uniform(*DARK_S)))
    return Light(
        noise_gain=rng.uniform(*NOISE_GAIN),
        bias_mm=rng.uniform(*BIAS_MM),
        bias_period_s=rng.uniform(*BIAS_PERIOD_S),
        bias_phase=rng.uniform(0.0, 2.0 * math.pi),
        warn_share=rng.uniform(*WARN_SHARE),
        dark=tuple(sorted((a, a + s) for a, s in runs)),
    )


@dataclass(slots=True)
class FieldSensor:
    """Reads the scene (hips through the layers) like the hold-out's sensor, plus the light."""

    rng: random.Random
    bench: Bench
    range_mm: float
    profile: Profile
    null_codes: bool
    mix: float
    seats: tuple[tuple[float, float], ...]  # seat level from each moment on (scene.seat_levels)
    tilt: Tilt | None = None
    passers: Passers | None = None
    slip: Slip | None = None
    light: Light | None = None
    ar: float = 0.0
    faults: Faults = field(default_factory=Faults)

    def target(self, lifting: Lifting, t: float) -> float | None:
        """The true distance to what is in the beam (None: nothing in range)."""
        rng, bench = self.rng, self.bench
        view = lifting.view(t)
        behind: float | None
        if view == "away":
            behind = bench.background_mm
        elif view == "passing":
            behind = bench.distance(lifting.seat + rng.uniform(0.5, 4.0) * self.range_mm)
        else:
            seen = lifting.path.seen(t)
            y = self.tilt.apparent(t, seen) if self.tilt is not None else seen
            seat = seat_at(self.seats, t)
            behind = self._mixed(y - seat, y)
        passer = self.passers.at(t) if self.passers is not None else None
        target = passer.distance(t, behind) if passer is not None else behind
        if target is not None and self.slip is not None:
            target += self.slip.offset(t)
        return target

    def reading(self, lifting: Lifting, t: float) -> tuple[float | None, int]:
        rng, bench, profile, light = self.rng, self.bench, self.profile, self.light
        target = self.target(lifting, t)
        if self.faults.dropout(rng):
            return self._no_target()
        if light is not None and light.is_dark(t):
            return self._no_target()
        if target is None or target > bench.max_mm:
            return self._no_target()
        if target > L0X_FAR_SHARE * bench.max_mm and rng.random() < profile.far_fail:
            return self._no_target()
        if rng.random() < profile.missed:
            return None, 4
        gain = light.noise_gain if light is not None else 1.0
        sigma = (profile.sigma_base + profile.sigma_per_mm * target) * gain
        self.ar = profile.rho * self.ar + math.sqrt(1.0 - profile.rho**2) * rng.gauss(0.0, sigma)
        bias = profile.bias_mm + (light.bias(t) if light is not None else 0.0)
        d = float(round(target + bias + self.ar + rng.gauss(0.0, profile.white * gain)))
        if d < NEAREST_MM:
            return None, 4
        d, stuck = self.faults.apply(rng, d)
        if stuck:
            return d, 0
        status = 0
        if light is not None and rng.random() < light.warn_share:
            status = rng.choice([1, 2])
        return d, status

    def _mixed(self, above_seat: float, y: float) -> float:
        return cone_mixed(self.bench, self.range_mm, self.mix, above_seat, y)

    def _no_target(self) -> tuple[float | None, int]:
        return no_target(null_codes=self.null_codes)
