"""The hold-out sensor and Wi-Fi: AR(1) noise, cone mixing, runs of codes; gamma delay with a
bad state; firmware batches on a drifting clock or ESPHome plain messages."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from ..sim.model import NEAREST_MM, Mount, SimReading
from .lifting import Lifting


@dataclass(frozen=True, slots=True)
class Bench:
    """Mount, seated distance, range and what the empty bench shows."""

    mount: Mount
    seat_mm: float
    background_mm: float | None
    max_mm: float

    def distance(self, y: float) -> float:
        return self.seat_mm - y if self.mount is Mount.ABOVE else self.seat_mm + y


def bench(rng: random.Random, mount: Mount, range_mm: float) -> Bench:
    lo = max(80.0, range_mm + 60.0) if mount is Mount.ABOVE else 80.0
    seat = rng.uniform(lo, 1200.0)
    long_mode = rng.random() < 0.6
    max_mm = 3600.0 if long_mode else max(1300.0, seat + range_mm + 200.0)
    if mount is Mount.ABOVE:
        background: float | None = seat + rng.uniform(100.0, 250.0)  # the floor under the hips
    else:
        background = rng.choice([None, rng.uniform(2200.0, 2800.0), seat + range_mm * 2.0])
    if background is not None and background > max_mm:
        background = None
    return Bench(mount, seat, background, max_mm)


@dataclass(slots=True)
class Faults:
    """A stalled driver repeating its last value, rare spikes and short runs of no-target
    codes: Poisson events."""

    stuck_run: int = 0
    last: float | None = None
    code_run: int = 0

    def dropout(self, rng: random.Random) -> bool:
        """In a short run of no-target codes (a missed ranging): Poisson-started, 1-5 long."""
        if self.code_run > 0:
            self.code_run -= 1
            return True
        if rng.random() < 0.0008:
            self.code_run = rng.randint(1, 5)
            return True
        return False

    def apply(self, rng: random.Random, d: float) -> tuple[float, bool]:
        """The reading after the faults, and whether it is a stuck repeat."""
        if self.stuck_run > 0 and self.last is not None:
            self.stuck_run -= 1
            return self.last, True
        if rng.random() < 0.0005:
            self.stuck_run = rng.randint(2, 8)
        if rng.random() < 0.001:
            d = max(NEAREST_MM, d + rng.choice([-1.0, 1.0]) * rng.uniform(100.0, 500.0))
        self.last = d
        return d, False


@dataclass(slots=True)
class Sensor:
    """AR(1) + white noise, cone mixing, whole millimetres, runs of codes, Poisson faults."""

    rng: random.Random
    bench: Bench
    range_mm: float
    null_codes: bool
    rho: float
    sigma_base: float
    mix: float
    ar: float = 0.0
    faults: Faults = field(default_factory=Faults)

    def reading(self, lifting: Lifting, t: float) -> tuple[float | None, int]:
        rng, bench = self.rng, self.bench
        view = lifting.view(t)
        if view == "away":
            target = bench.background_mm
        elif view == "passing":
            target = bench.distance(lifting.seat + rng.uniform(0.5, 4.0) * self.range_mm)
        else:
            target = self._mixed(lifting.path.seen(t) - lifting.seat, lifting.path.seen(t))
        if self.faults.dropout(rng):
            return self._no_target()
        if target is None or target > bench.max_mm:
            return self._no_target()
        sigma = self.sigma_base + 0.004 * target
        self.ar = self.rho * self.ar + math.sqrt(1.0 - self.rho**2) * rng.gauss(0.0, sigma)
        d = float(round(target + self.ar + rng.gauss(0.0, 0.6)))
        if d < NEAREST_MM:
            return None, 4
        d, _ = self.faults.apply(rng, d)
        return d, 0

    def _mixed(self, above_seat: float, y: float) -> float:
        return cone_mixed(self.bench, self.range_mm, self.mix, above_seat, y)

    def _no_target(self) -> tuple[float | None, int]:
        return no_target(null_codes=self.null_codes)


def cone_mixed(bench: Bench, range_mm: float, mix: float, above_seat: float, y: float) -> float:
    """The hips' distance mixed with the background behind them while they are low in the cone
    (weighted by return strength, which falls with the square of the distance)."""
    hips = bench.distance(y)
    background = bench.background_mm
    low = 1.0 - min(1.0, max(0.0, (above_seat / range_mm - 0.15) / 0.15))
    if background is None or low <= 0.0:
        return hips
    weight = mix * low * min(1.0, (hips / background) ** 2)
    return (1.0 - weight) * hips + weight * background


def no_target(*, null_codes: bool) -> tuple[float | None, int]:
    """Nothing in range: the firmware's null with status 4, or the driver's 8190 with status 2."""
    return (None, 4) if null_codes else (8190.0, 2)


@dataclass(slots=True)
class Channel:
    """Gamma-distributed delay; a good/bad two-state channel (bad: 50-400 ms more)."""

    rng: random.Random
    bad: bool = False
    last_arrival: float = 0.0

    def arrival(self, sent: float) -> float:
        rng = self.rng
        if self.bad:
            self.bad = rng.random() > 0.15
        else:
            self.bad = rng.random() < 0.004
        delay = rng.gammavariate(2.0, 0.008) + (rng.uniform(0.05, 0.4) if self.bad else 0.0)
        self.last_arrival = max(self.last_arrival, sent + delay)
        return self.last_arrival


def deliver(
    rng: random.Random, samples: list[tuple[float, float | None, int]], plain: bool
) -> list[SimReading]:
    channel = Channel(rng)
    clock0, ppm, seq = rng.randint(10_000, 90_000_000), rng.uniform(-30.0, 30.0), rng.randint(0, 9)
    readings: list[SimReading] = []
    batch: list[tuple[float, float | None, int]] = []
    window = -1

    def send() -> None:
        nonlocal seq
        arrival = channel.arrival(batch[-1][0] + 0.003)
        for t, d, status in batch:
            seq += 1
            device_ms = clock0 + math.floor(t * 1000.0 * (1.0 + ppm * 1e-6))
            readings.append(SimReading(t, arrival, device_ms, seq, d, status))
        batch.clear()

    for sample in samples:
        this = math.floor(sample[0] * 10.0)
        if batch and (plain or this != window):
            send()
        window = this
        batch.append(sample)
    if batch:
        send()
    return readings
