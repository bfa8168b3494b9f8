"""The classic family: the simulator the engine was first tuned on, kept seed for seed.

Sensor at 0.9-1.3 m above the floor looking down, or 2-6 cm below the hips looking up; seated
hips 11-22 cm above the floor; ranges 22-42 cm; tidy lifters. Tests, the emulator, the load
benchmark and the demo replay these sessions by seed, so they must not change: the other
families (:mod:`.scenario`) broaden everything this one assumed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from custom_components.rep_coach.engine.settings import PROGRAMS, Program, Side, Variation

from .model import Mount, SimReading, SimSession
from .trajectory import Plan, Segment, Trajectory
from .truth import truth_rep, truth_sets

BAND = {Variation.STABILITY_BALL: 0.14}
DROPOUT_EVERY_S = 60.0  # on average one 0.3-1.2 s hole in the data a minute
RATES_HZ = (10.0, 12.5, 20.0, 25.0, 30.0, 40.0, 50.0)


def _fidget(plan: Plan, duration: float, bottom: float) -> None:
    """Seated: small shifts, never rep-sized."""
    end = plan.t + duration
    rng = plan.rng
    while plan.t < end - 0.3:
        if rng.random() < 0.35:
            span = min(end - plan.t, rng.uniform(0.5, 1.5))
            plan.move(span / 2, bottom + rng.uniform(-15.0, 35.0))
            plan.move(span / 2, bottom)
        else:
            plan.stay(min(end - plan.t, rng.uniform(0.5, 2.5)))
    if plan.t < end:
        plan.stay(end - plan.t)


def _rep(plan: Plan, bottom: float, rom: float, variation: Variation, *, partial: bool) -> None:
    rng = plan.rng
    start_level = plan.h
    start_t = plan.t
    peak = bottom + rom * (rng.uniform(0.40, 0.62) if partial else rng.uniform(0.96, 1.04))
    up = rng.uniform(0.6, 1.4)
    style = rng.random()
    hold = 0.0 if partial else rng.uniform(0.8, 2.6)
    if not partial and style < 0.12:
        hold = rng.uniform(0.0, 0.5)  # missing squeeze
    elif not partial and style > 0.92:
        hold = rng.uniform(3.0, 5.0)  # long isometric hold
    down = rng.uniform(1.6, 3.2)
    if rng.random() < 0.15:
        down = rng.uniform(0.6, 1.2)  # dropped too fast
    wobble = (
        rng.uniform(2.0, 5.0) if variation is Variation.STABILITY_BALL else rng.uniform(0.0, 1.5)
    )
    plan.move(up, peak)
    if hold > 0:
        drift = rng.uniform(-0.03, 0.0) * rom
        plan.move(hold, peak + drift, wobble=wobble, wobble_hz=rng.uniform(0.5, 1.0))
    valley = bottom + rom * rng.uniform(0.0, 0.06)  # "without relaxing at the bottom"
    if not partial and rng.random() < 0.12:
        # jerky: slow, then a drop, then slow again
        top = plan.h
        plan.move(down * 0.45, top - 0.2 * (top - valley))
        plan.move(0.3, top - 0.8 * (top - valley))
        plan.move(down * 0.35, valley)
    else:
        plan.move(down, valley)
    plan.reps.append(
        {"start_level": start_level, "start_t": start_t, "partial": partial, "end_t": plan.t}
    )
    pause = rng.uniform(0.0, 1.2)
    if pause > 0.05:
        plan.stay(pause)


def _arrive(plan: Plan, bottom: float) -> None:
    rng = plan.rng
    # A body passing through the beam: close for a moment, never still.
    plan.h = rng.uniform(650.0, 800.0)
    plan.move(rng.uniform(0.2, 0.5), rng.uniform(850.0, 1000.0), passing=0.0)
    plan.move(rng.uniform(0.2, 0.5), rng.uniform(600.0, 750.0), passing=0.0)
    plan.h = bottom + rng.uniform(60.0, 150.0)
    plan.move(rng.uniform(0.6, 1.2), bottom)


def _leave(plan: Plan, bottom: float) -> None:
    rng = plan.rng
    plan.move(rng.uniform(0.8, 1.5), rng.uniform(750.0, 950.0))
    plan.stay(rng.uniform(0.3, 0.8))
    plan.away.append([plan.t, plan.t])


def _rest(plan: Plan, bottom: float) -> float:
    """Between sets: leave and come back somewhere else, re-seat, or fidget. The new seat."""
    rng = plan.rng
    rest = rng.uniform(20.0, 45.0)
    if rng.random() < 0.3:
        _leave(plan, bottom)
        plan.stay(rest, away=True)
        plan.away[-1][1] = plan.t
        bottom += rng.uniform(-30.0, 30.0)  # sits down somewhere slightly different
        plan.h = bottom
        _arrive(plan, bottom)
        _fidget(plan, rng.uniform(2.0, 5.0), bottom)
        return bottom
    if rng.random() < 0.3:
        bottom += rng.uniform(-40.0, 40.0)  # re-seats
        plan.move(1.0, bottom)
    _fidget(plan, rest, bottom)
    return bottom


def _build(seed: int) -> tuple[Plan, dict[str, Any]]:
    rng = random.Random(seed)
    plan = Plan(rng=rng)
    program = rng.choice(list(Program))
    variation = rng.choice(list(Variation))
    preset = PROGRAMS.get(program)
    target = preset.target_reps if preset else rng.choice([0, 8, 10, 12])
    bottom = rng.uniform(110.0, 220.0)
    rom = rng.uniform(220.0, 360.0) + (60.0 if variation is Variation.ELEVATED else 0.0)
    sets_per_side = rng.choice([1, 2, 2, 3])
    meta = {
        "program": str(program),
        "variation": str(variation),
        "target_reps": target,
        "bottom_mm": bottom,
        "rom_mm": rom,
    }

    plan.h = bottom
    plan.stay(rng.uniform(2.0, 5.0), away=True)
    _arrive(plan, bottom)
    _fidget(plan, rng.uniform(2.0, 6.0), bottom)
    side = Side.LEFT
    first_of_side = {Side.LEFT: True, Side.RIGHT: True}
    for set_index in range(sets_per_side * 2):
        set_start = plan.t
        first_rep = len(plan.reps)
        goal = target if target > 0 else rng.randint(6, 15)
        if rng.random() < 0.2:
            goal = max(3, goal - rng.randint(1, 3))  # stopped short
        done = 0
        while done < goal:
            partial = not first_of_side[side] and done > 0 and rng.random() < 0.07
            _rep(plan, bottom, rom, variation, partial=partial)
            if not partial:
                done += 1
        first_of_side[side] = False
        plan.sets.append(
            {
                "side": str(side),
                "start_t": set_start,
                "end_t": plan.t,
                "reps_from": first_rep,
                "reps_to": len(plan.reps),
            }
        )
        side = side.other
        if set_index == sets_per_side * 2 - 1:
            break
        bottom = _rest(plan, bottom)
    _fidget(plan, rng.uniform(1.0, 3.0), bottom)
    _leave(plan, bottom)
    plan.stay(3.0, away=True)
    plan.away[-1][1] = plan.t
    return plan, meta


@dataclass(slots=True)
class _Link:
    """The firmware's batches over Wi-Fi: lognormal jitter, occasional stalls then a burst."""

    rng: random.Random
    batch_size: int
    seq: int
    device0: int
    link_free: float = 0.0  # Wi-Fi stalls hold everything until then
    batch: list[tuple[float, float | None, int]] = field(default_factory=list)
    readings: list[SimReading] = field(default_factory=list)

    def add(self, t: float, d: float | None, status: int) -> None:
        self.batch.append((t, d, status))
        if len(self.batch) >= self.batch_size:
            self._send()

    def _send(self) -> None:
        rng = self.rng
        publish = self.batch[-1][0] + 0.004
        if rng.random() < 0.004:
            self.link_free = publish + rng.uniform(0.2, 0.6)  # stall, then a burst
        arrival = max(publish + rng.lognormvariate(math.log(0.015), 0.7), self.link_free)
        for bt, bd, bs in self.batch:
            self.seq += 1
            self.readings.append(
                SimReading(
                    t=bt,
                    arrival_t=arrival,
                    device_ms=self.device0 + round(bt * 1000.0),
                    seq=self.seq,
                    distance_mm=bd,
                    status=bs,
                )
            )
        self.batch = []


@dataclass(slots=True)
class _ClassicSensor:
    """The classic sensor: geometry, noise and faults, in the order the seeds were drawn."""

    rng: random.Random
    nearer: bool
    plain: bool
    mount: float = 0.0  # sensor above the floor, looking down
    under: float = 0.0  # sensor below the hips, looking up: lens offset
    ceiling: float | None = None
    noise_bias: float = 0.0
    stuck_until: float = -1.0
    gap_until: float = -1.0
    last: float | None = None

    def __post_init__(self) -> None:
        rng = self.rng
        self.mount = rng.uniform(900.0, 1300.0)
        self.under = rng.uniform(20.0, 60.0)
        self.ceiling = rng.choice([None, rng.uniform(2300.0, 2600.0)])
        self.noise_bias = rng.uniform(-15.0, 15.0)

    def geometry(self) -> dict[str, Any]:
        return {"mount_mm": self.mount, "under_mm": self.under, "ceiling_mm": self.ceiling}

    def true_distance(self, segment: Segment, t: float) -> float | None:
        if segment.away:
            return self.mount if self.nearer else self.ceiling
        h = segment.height(t)
        return self.mount - h if self.nearer else h + self.under

    def noisy(self, d: float | None) -> float | None:
        if d is None:
            return None
        return d + self.noise_bias + self.rng.gauss(0.0, 1.5 + 0.005 * d)

    def in_dropout(self, t: float, period: float) -> bool:
        """True while a hole in the data lasts; may start one (nothing is sent then)."""
        if t < self.gap_until:
            return True
        if self.rng.random() < period / DROPOUT_EVERY_S:
            self.gap_until = t + self.rng.uniform(0.3, 1.2)
        return False

    def fault(self, roll: float, t: float, d: float | None) -> tuple[float | None, int]:
        """Spikes, out-of-range codes, absurd values and stuck repeats (driver timeouts)."""
        rng = self.rng
        status = 0
        if roll < 0.002:
            d = (d or 500.0) + rng.choice([-1, 1]) * rng.uniform(150.0, 600.0)  # spike
        elif roll < 0.005:
            d, status = 8190.0, 2  # out-of-range code
        elif roll < 0.006:
            d, status = rng.uniform(1.0, 8.0), 4  # absurd value with a failure status
        elif roll < 0.0065:
            self.stuck_until = t + rng.uniform(0.1, 0.3)  # driver timeout: repeats
        if t < self.stuck_until and self.last is not None:
            d = self.last
        if d is not None:
            d = round(d, -1) if self.plain else round(d, 1)
        self.last = d
        return d, status


def _sensor(
    plan: Plan, rng: random.Random, rate: float, nearer: bool, plain: bool
) -> tuple[list[SimReading], dict[str, Any]]:
    sensor = _ClassicSensor(rng, nearer, plain)
    period = 1.0 / rate
    device0 = rng.randint(5_000, 4_000_000)
    link = _Link(rng, 1 if plain else max(1, round(rate / 10)), rng.randint(0, 50_000), device0)
    trajectory = Trajectory(plan.segments)
    t = 0.0
    while t < plan.t:
        d = sensor.noisy(sensor.true_distance(trajectory.segment_at(t), t))
        roll = rng.random()
        if not sensor.in_dropout(t, period):
            link.add(t, *sensor.fault(roll, t, d))
        t += period * (1 + rng.uniform(-0.01, 0.01))
    return link.readings, sensor.geometry()


def simulate_classic(seed: int, *, rate_hz: float | None = None) -> SimSession:
    """A classic session, fully determined by ``seed`` (rate drawn from 10-50 Hz if None)."""
    plan, meta = _build(seed)
    rng = random.Random(seed * 7919 + 1)
    rate = rate_hz or rng.choice(RATES_HZ)
    nearer = rng.random() < 0.5
    plain = rate <= 20.0 and rng.random() < 0.5
    readings, geometry = _sensor(plan, rng, rate, nearer, plain)
    band = BAND.get(Variation(meta["variation"]), 0.10)
    trajectory = Trajectory(plan.segments)
    reps = [truth_rep(trajectory.height, rep, band) for rep in plan.reps]
    orientation = Mount.ABOVE.orientation if nearer else Mount.BELOW.orientation
    truth = {
        "seed": seed,
        "rate_hz": rate,
        "orientation": orientation,
        "plain": plain,
        "duration_s": plan.t,
        "settings": {k: meta[k] for k in ("program", "variation", "target_reps")},
        "bottom_mm": meta["bottom_mm"],
        "rom_mm": meta["rom_mm"],
        "geometry": geometry,
        "sets": truth_sets(reps, plan.sets),
        "away": plan.away,
    }
    name = f"session-{seed}-{meta['variation']}-{orientation}-{rate:g}hz"
    return SimSession(name=name, seed=seed, rate_hz=rate, readings=tuple(readings), truth=truth)
