"""The sensor: what it reads from the trajectory, its noise, its codes and its faults.

Noise is proportional to distance (1-2 mm plus 0.3-0.8 % of the distance, sigma), on top of a
constant bias (+-15 mm) and a scale error (+-2 %); up to 10 % of the readings per metre carry a
warning status (1 sigma, 2 signal) and twice the noise. No target reads as the session's code style:
the Rep Coach firmware's ``null`` with status 4, or a raw driver's 8190/8191 (status 2); an empty
bench can slip a single 0 or blank among them. Too close (under 4 cm) fails (status 4, with an
absurd 1-30 mm value from a raw driver). Faults: spikes, no-target codes mid-rep, absurd values,
I2C timeouts (65535 or status 255), stuck repeats after a driver timeout, and dropouts (nothing
sent for 0.3-1.2 s, about once every 45-120 s).

Every sample draws the same random numbers whatever it reads, so two sessions that differ only
in geometry (mirrored or shifted) get the same noise, faults and sample times.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .geometry import MIN_MM, Geometry
from .model import NO_TARGET_MM
from .trajectory import Segment, Trajectory, View

Sample = tuple[float, float | None, int]  # true time (s), distance (mm) or None, range status


def _is_distance(d: float, status: int) -> bool:
    """A reading of something in view (not a code, not a failure)."""
    return status < 4 and d not in NO_TARGET_MM


@dataclass(frozen=True, slots=True)
class SensorTraits:
    """One sensor unit on one bench."""

    raw_codes: bool  # raw driver sentinels (8190, 65535, absurd mm) instead of firmware nulls
    no_target_mm: float | None  # 8190.0 / 8191.0 for raw drivers, None for the firmware
    no_target_status: int
    bias_mm: float
    scale: float
    sigma_mm: float
    sigma_per_mm: float
    spike_rate: float
    code_rate: float
    absurd_rate: float
    i2c_rate: float
    stuck_rate: float
    dropout_every_s: float
    flap_rate: float  # share of no-target readings that come as a 0 or a blank instead
    warning_per_m: float  # share of valid readings per metre flagged 1-2 (sigma/signal), noisier


def draw_traits(rng: random.Random, *, flaps: bool) -> SensorTraits:
    """A sensor unit (fixed draw order)."""
    raw = rng.random() < 0.5
    code = rng.choice([8190.0, 8190.0, 8191.0])
    flap = rng.uniform(0.005, 0.03)
    return SensorTraits(
        raw_codes=raw,
        no_target_mm=code if raw else None,
        no_target_status=2 if raw else 4,
        bias_mm=rng.uniform(-15.0, 15.0),
        scale=rng.uniform(0.98, 1.02),
        sigma_mm=rng.uniform(1.0, 2.0),
        sigma_per_mm=rng.uniform(0.003, 0.008),
        spike_rate=rng.uniform(0.0005, 0.003),
        code_rate=rng.uniform(0.0, 0.004),
        absurd_rate=rng.uniform(0.0, 0.0015),
        i2c_rate=rng.uniform(0.0, 0.0005),
        stuck_rate=rng.uniform(0.0, 0.001),
        dropout_every_s=rng.uniform(45.0, 120.0),
        flap_rate=flap if flaps else 0.0,
        warning_per_m=rng.uniform(0.0, 0.1),
    )


@dataclass(slots=True)
class _Draws:
    """The random numbers of one sample, always drawn in full."""

    z: float
    period: float
    fault: float
    cone: float
    dropout: float
    size: float
    flap: float
    warning: float

    @classmethod
    def take(cls, rng: random.Random) -> _Draws:
        return cls(*(rng.gauss(0.0, 1.0), *(rng.random() for _ in range(7))))


@dataclass(slots=True)
class Sensor:
    """Samples a trajectory through a geometry."""

    traits: SensorTraits
    geometry: Geometry
    plain_step_mm: float | None  # quantisation of ESPHome's plain payload; None: firmware 0.1 mm
    stuck_until: float = -1.0
    gap_until: float = -1.0
    last: float | None = None

    def sample_all(
        self, trajectory: Trajectory, rng: random.Random, rate_hz: float, end_t: float
    ) -> list[Sample]:
        """Every reading from 0 to ``end_t`` at ``rate_hz`` (+-1 % sample period)."""
        period = 1.0 / rate_hz
        out: list[Sample] = []
        t = 0.0
        while t < end_t:
            draws = _Draws.take(rng)
            sample = self.sample(trajectory.segment_at(t), t, period, draws)
            if sample is not None:
                out.append(sample)
            t += period * (0.99 + 0.02 * draws.period)
        return out

    def sample(self, segment: Segment, t: float, period: float, draws: _Draws) -> Sample | None:
        """One reading, or None inside a dropout (nothing is sent)."""
        if t < self.gap_until:
            return None
        if draws.dropout < period / self.traits.dropout_every_s:
            self.gap_until = t + 0.3 + 0.9 * draws.size
        d, status = self._measure(self._true_distance(segment, t, draws.cone), draws)
        if d is None or not _is_distance(d, status):
            return t, d, status
        d, status = self._fault(d, t, draws, status)
        if d is None or not _is_distance(d, status):
            return t, d, status
        if t < self.stuck_until and self.last is not None:
            d = self.last
        d = self._quantise(d)
        self.last = d
        return t, d, status

    def _true_distance(self, segment: Segment, t: float, cone: float) -> float | None:
        view = View.AWAY if segment.away else segment.view
        if view is View.AWAY or (view is View.SLIDING and cone >= segment.share(t)):
            return self.geometry.empty_view(segment.h0)
        if view is View.PASSING:
            return self.geometry.distance(segment.height(t))
        return self.geometry.distance(segment.observed(t))

    def _measure(self, true: float | None, draws: _Draws) -> tuple[float | None, int]:
        traits = self.traits
        if true is None:
            return self._no_target(draws)
        sigma = traits.sigma_mm + traits.sigma_per_mm * max(true, 0.0)
        warned = draws.warning < traits.warning_per_m * true / 1000.0
        d = true * traits.scale + traits.bias_mm + draws.z * sigma * (2.0 if warned else 1.0)
        if d < MIN_MM:
            return (1.0 + 29.0 * draws.size, 4) if traits.raw_codes else (None, 4)
        if d > self.geometry.max_range_mm:
            return self._no_target(draws)
        return d, (1 if draws.size < 0.5 else 2) if warned else 0

    def _no_target(self, draws: _Draws) -> tuple[float | None, int]:
        if draws.flap < self.traits.flap_rate:
            return (0.0, 0) if draws.size < 0.5 else (None, 255)
        return self.traits.no_target_mm, self.traits.no_target_status

    def _fault(self, d: float, t: float, draws: _Draws, status: int) -> tuple[float | None, int]:
        traits, roll = self.traits, draws.fault
        edges = (traits.spike_rate, traits.code_rate, traits.absurd_rate, traits.i2c_rate)
        if roll < edges[0]:
            sign = 1.0 if draws.flap < 0.5 else -1.0
            return max(MIN_MM, d + sign * (150.0 + 450.0 * draws.size)), status
        roll -= edges[0]
        if roll < edges[1]:
            return traits.no_target_mm, traits.no_target_status
        roll -= edges[1]
        if roll < edges[2]:
            return (1.0 + 9.0 * draws.size, 4) if traits.raw_codes else (None, 4)
        roll -= edges[2]
        if roll < edges[3]:
            return (65535.0, 0) if traits.raw_codes else (None, 255)
        roll -= edges[3]
        if roll < traits.stuck_rate:
            self.stuck_until = t + 0.1 + 0.2 * draws.size
        return d, status

    def _quantise(self, d: float) -> float:
        if self.plain_step_mm is None:
            return round(d, 1)
        return round(d / self.plain_step_mm) * self.plain_step_mm
