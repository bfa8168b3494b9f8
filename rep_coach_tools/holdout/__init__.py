"""A second, independent session generator: the benchmark's hold-out corpus.

Written differently from :mod:`.sim` on purpose, so tuning against one does not pass the other:

- movement: keyframes joined by minimum-jerk moves (``10s^3 - 15s^4 + 6s^5``), lowering skewed
  (faster start, long braking) by a per-lifter time warp, not cosine segments;
- lifters: a style drawn once per session (fast, medium or slow; strict or sloppy) that sets
  every rep's tempo, squeeze, ends above the seat, partial reps, fidgeting and tremor;
- script: optional warm-up sets, then work sets with sides alternating or in blocks, the target
  met, exceeded or missed; sessions may start with the lifter already on the bench; rests
  seated or away (coming back to a slightly different seat);
- sensor: AR(1) correlated noise plus white noise, whole-millimetre ranging, cone mixing toward
  the floor or bench when the hips are low (weighted by return strength), no-target codes in
  short runs, stuck repeats and spikes as Poisson events; short (1.3 m) or long (3.6 m) mode;
- delivery: gamma-distributed Wi-Fi delay with a good/bad two-state channel (bad: 50-400 ms);
  firmware batches every 100 ms of a drifting device clock, or ESPHome plain messages.

Ground truth applies the same documented timing definition (:mod:`.sim.truth`) to this
generator's own clean trajectory.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from custom_components.rep_coach.engine.settings import PROGRAMS, Program, Variation

from ..sim.model import Mount, SimReading, SimSession
from ..sim.truth import truth_rep, truth_sets
from .lifting import Lifting, Path, draw_style, script
from .sensing import Bench, Sensor, bench, deliver

__all__ = [
    "Path",
    "Shared",
    "draw_range",
    "draw_sensor",
    "draw_training",
    "holdout_session",
    "site_truth",
    "stepped",
    "truth_band",
]

JSON_RATES_HZ = (15.0, 20.0, 33.3, 50.0)
PLAIN_RATES_HZ = (10.0, 15.0)


@dataclass(frozen=True, slots=True)
class Shared:
    """What the sessions of one stream share: the user's configuration (program, variation, rep
    and hold targets) and the sensor's delivery (format, rate, plain steps)."""

    program: Program
    variation: Variation
    target_reps: int
    hold_target_s: float
    plain: bool
    rate_hz: float
    step_mm: float

    @classmethod
    def draw(cls, rng: random.Random) -> Shared:
        """A configuration and a delivery as :func:`holdout_session` draws them."""
        program, variation, target, hold_target, _ = draw_training(rng)
        plain = rng.random() < 0.3
        rate = rng.choice(PLAIN_RATES_HZ if plain else JSON_RATES_HZ)
        return cls(program, variation, target, hold_target, plain, rate, rng.choice([10.0, 1.0]))


def holdout_session(
    seed: int,
    *,
    mount: Mount | None = None,
    shared: Shared | None = None,
    tail_away_s: float | None = None,
) -> SimSession:
    """A hold-out session, fully determined by ``seed`` (and ``mount`` when given).

    ``shared``: the configuration and delivery of the stream the session is part of (the
    session's own draws are made all the same, then replaced; its range is drawn again for the
    shared variation); ``tail_away_s``: the empty bench after the lifter left (default 2-5 s).
    """
    rng = random.Random(f"holdout:{seed}")
    program, variation, target, hold_target, range_mm = draw_training(rng)
    if shared is not None:
        program, variation = shared.program, shared.variation
        target, hold_target = shared.target_reps, shared.hold_target_s
        range_mm = draw_range(rng, variation)
    chosen_mount = mount or rng.choice(list(Mount))
    site = bench(rng, chosen_mount, range_mm)
    lifting = Lifting(rng, draw_style(rng, hold_target), range_mm)
    script(rng, lifting, target, rng.choice([2, 2, 3]), tail_away_s=tail_away_s)

    plain = rng.random() < 0.3
    rate = rng.choice(PLAIN_RATES_HZ if plain else JSON_RATES_HZ)
    if shared is not None:
        plain, rate = shared.plain, shared.rate_hz
    sensor = draw_sensor(rng, site, range_mm)
    samples = []
    for k in range(int(lifting.path.t * rate)):
        t = max(0.0, (k + rng.uniform(-0.1, 0.1)) / rate)
        samples.append((t, *sensor.reading(lifting, t)))
    readings = deliver(rng, samples, plain)
    step = rng.choice([10.0, 1.0])
    if shared is not None:
        step = shared.step_mm
    if plain:
        readings = stepped(readings, step)
    band = truth_band(variation)
    reps = [
        truth_rep(lifting.path.at, r, band, full_range_mm=range_mm, hold_target_s=hold_target)
        for r in lifting.reps
    ]
    truth = {
        **site_truth(seed, "holdout", rate, site, plain=plain, step=step, lifting=lifting),
        "settings": {"program": str(program), "variation": str(variation), "target_reps": target},
        "hold_target_s": hold_target,
        "rom_mm": range_mm,
        "lifter": {"sloppy": lifting.style.sloppy, "lift_s": lifting.style.lift_s},
        "sets": truth_sets(reps, lifting.sets),
        "away": lifting.away,
    }
    name = f"holdout-{seed}-{variation}-{site.mount}-{site.seat_mm / 10:.0f}cm-{'plain' if plain else 'json'}-{rate:g}hz"
    return SimSession(name=name, seed=seed, rate_hz=rate, readings=tuple(readings), truth=truth)


def draw_training(
    rng: random.Random, *, min_range_mm: float | None = None
) -> tuple[Program, Variation, int, float, float]:
    """Program, variation, rep target, hold target and range of motion of one session (a
    stability ball or a band moves the hips less)."""
    program = rng.choice(list(Program))
    variation = rng.choice(list(Variation))
    preset = PROGRAMS.get(program)
    target = preset.target_reps if preset else rng.choice([0, 10])
    hold_target = preset.hold_target_s if preset else 1.0
    return program, variation, target, hold_target, draw_range(rng, variation, min_range_mm)


def draw_range(
    rng: random.Random, variation: Variation, min_range_mm: float | None = None
) -> float:
    """A lifter's range of motion for ``variation`` (a stability ball or a band moves less)."""
    small = variation in (Variation.STABILITY_BALL, Variation.BANDED)
    low = min_range_mm or (80.0 if small else 120.0)
    return rng.uniform(low, 250.0) if small else rng.uniform(low, 450.0)


def site_truth(
    seed: int,
    family: str,
    rate: float,
    site: Bench,
    *,
    plain: bool,
    step: float,
    lifting: Lifting,
) -> dict[str, Any]:
    """The truth every hold-out-style session shares: stream, mount, seat and geometry."""
    return {
        "seed": seed,
        "family": family,
        "rate_hz": rate,
        "orientation": site.mount.orientation,
        "mount": str(site.mount),
        "plain": plain,
        "plain_decimals": 2 if step == 10.0 else 3,
        "duration_s": lifting.path.t,
        "bottom_mm": site.seat_mm,
        "geometry": {
            "mount": str(site.mount),
            "seat_mm": site.seat_mm,
            "range_mm": lifting.range_mm,
            "background_mm": site.background_mm,
            "max_range_mm": site.max_mm,
        },
    }


def draw_sensor(rng: random.Random, site: Bench, range_mm: float) -> Sensor:
    """The hold-out's sensor on ``site``: raw codes or nulls, AR(1) noise, cone mixing."""
    return Sensor(
        rng,
        site,
        range_mm,
        null_codes=rng.random() < 0.5,
        rho=rng.uniform(0.5, 0.9),
        sigma_base=rng.uniform(0.8, 2.0),
        mix=rng.uniform(0.05, 0.2),
    )


def stepped(readings: list[SimReading], step: float) -> list[SimReading]:
    """ESPHome's plain topic: every valid reading rounded to ``step`` (mm)."""
    return [r if r.distance_mm is None or r.status else _step(r, step) for r in readings]


def truth_band(variation: Variation) -> float:
    """The hold band of the truth's timing: wider on a stability ball, which wobbles."""
    return 0.14 if variation is Variation.STABILITY_BALL else 0.10


def _step(reading: SimReading, step: float) -> SimReading:
    d = reading.distance_mm
    assert d is not None
    return SimReading(
        reading.t, reading.arrival_t, reading.device_ms, reading.seq, round(d / step) * step, 0
    )
