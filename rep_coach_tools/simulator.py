"""Synthetic sessions with ground truth, for tests, the benchmark, the emulator and the demo.

A session is a hip-height trajectory built from segments (cosine moves, holds with drift and
wobble, fidgets, re-seats, arriving and leaving the bench), seen through a sensor model (both
mount orientations, distance-proportional noise, quantisation, spikes, invalid codes, stuck
repeats, dropouts) and delivered as the firmware would (device clock, sequence numbers, batches,
Wi-Fi jitter with stalls and bursts) or as ESPHome's plain state topic (metres, arrival time only).

Ground truth is computed from the clean trajectory at 1 kHz by an implementation of the timing
definition (:mod:`.timing`) that shares no code with the engine: exact derivatives, no smoothing.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from custom_components.rep_coach.engine.settings import (
    PROGRAMS,
    EngineSettings,
    Orientation,
    Program,
    Side,
    Variation,
)

TRUTH_HZ = 1000.0
STILL_FRACTION = 0.15  # same definition as timing.py, implemented independently below
BAND = {Variation.STABILITY_BALL: 0.14}
DROPOUT_EVERY_S = 60.0  # on average one 0.3-1.2 s hole in the data a minute


@dataclass(frozen=True, slots=True)
class SimReading:
    """One reading as the firmware would send it.

    ``t``: true sample time (s); ``arrival_t``: when it reaches the subscriber after Wi-Fi jitter
    and batching (s); ``device_ms``: the device clock (ms); ``distance_mm``: None for no reading
    (NaN on the wire); ``status``: VL53L1X range status (0 valid, 1-2 warning, 4+ failure).
    """

    t: float
    arrival_t: float
    device_ms: int
    seq: int
    distance_mm: float | None
    status: int


@dataclass(frozen=True, slots=True)
class SimSession:
    """A generated session: the readings and what truly happened (JSON-ready ``truth``)."""

    name: str
    seed: int
    rate_hz: float
    readings: tuple[SimReading, ...]
    truth: dict[str, Any]

    @property
    def plain(self) -> bool:
        """Delivered as ESPHome's plain state topic (one reading per message, metres)."""
        return bool(self.truth["plain"])

    def settings(self) -> EngineSettings:
        """The engine settings a user of this session would have chosen."""
        data = self.truth["settings"]
        base = EngineSettings(variation=Variation(data["variation"])).with_program(
            Program(data["program"])
        )
        return EngineSettings(
            program=base.program,
            variation=base.variation,
            target_reps=int(data["target_reps"]),
            sets_per_side=base.sets_per_side,
            hold_target_s=base.hold_target_s,
            eccentric_target_s=base.eccentric_target_s,
            rest_s=base.rest_s,
            orientation=Orientation.AUTO,
        )


@dataclass(slots=True)
class _Segment:
    t0: float
    t1: float
    h0: float
    h1: float
    wobble: float = 0.0  # amplitude (mm) of a slow sway on top
    wobble_hz: float = 0.0
    away: bool = False  # nobody on the bench: the sensor sees the floor/ceiling or nothing
    passing: float | None = None  # a body passing through the beam at this height

    def height(self, t: float) -> float:
        f = 0.0 if self.t1 <= self.t0 else min(1.0, max(0.0, (t - self.t0) / (self.t1 - self.t0)))
        h = self.h0 + (self.h1 - self.h0) * (1.0 - math.cos(math.pi * f)) / 2.0
        if self.wobble:
            h += self.wobble * math.sin(2.0 * math.pi * self.wobble_hz * (t - self.t0))
        return h


@dataclass(slots=True)
class _Plan:
    """The trajectory being built, and its labels."""

    rng: random.Random
    segments: list[_Segment] = field(default_factory=list)
    t: float = 0.0
    h: float = 0.0
    reps: list[dict[str, Any]] = field(default_factory=list)
    sets: list[dict[str, Any]] = field(default_factory=list)
    away: list[list[float]] = field(default_factory=list)

    def move(self, duration: float, to: float, **kw: Any) -> None:
        self.segments.append(_Segment(self.t, self.t + duration, self.h, to, **kw))
        self.t += duration
        self.h = to

    def stay(self, duration: float, **kw: Any) -> None:
        self.move(duration, self.h, **kw)


def _fidget(plan: _Plan, duration: float, bottom: float) -> None:
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


def _rep(plan: _Plan, bottom: float, rom: float, variation: Variation, *, partial: bool) -> None:
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
        {
            "start_level": start_level,
            "start_t": start_t,
            "partial": partial,
            "index": len(plan.segments) - 1,
            "end_t": plan.t,
        }
    )
    pause = rng.uniform(0.0, 1.2)
    if pause > 0.05:
        plan.stay(pause)


def _build(seed: int) -> tuple[_Plan, dict[str, Any]]:
    rng = random.Random(seed)
    plan = _Plan(rng=rng)
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
        rest = rng.uniform(20.0, 45.0)
        if rng.random() < 0.3:
            _leave(plan, bottom)
            plan.stay(rest, away=True)
            plan.away[-1][1] = plan.t
            bottom += rng.uniform(-30.0, 30.0)  # sits down somewhere slightly different
            plan.h = bottom
            _arrive(plan, bottom)
            _fidget(plan, rng.uniform(2.0, 5.0), bottom)
        else:
            if rng.random() < 0.3:
                bottom += rng.uniform(-40.0, 40.0)  # re-seats
                plan.move(1.0, bottom)
            _fidget(plan, rest, bottom)
    _fidget(plan, rng.uniform(1.0, 3.0), bottom)
    _leave(plan, bottom)
    plan.stay(3.0, away=True)
    plan.away[-1][1] = plan.t
    return plan, meta


def _arrive(plan: _Plan, bottom: float) -> None:
    rng = plan.rng
    # A body passing through the beam: close for a moment, never still.
    plan.h = rng.uniform(650.0, 800.0)
    plan.move(rng.uniform(0.2, 0.5), rng.uniform(850.0, 1000.0), passing=0.0)
    plan.move(rng.uniform(0.2, 0.5), rng.uniform(600.0, 750.0), passing=0.0)
    plan.h = bottom + rng.uniform(60.0, 150.0)
    plan.move(rng.uniform(0.6, 1.2), bottom)


def _leave(plan: _Plan, bottom: float) -> None:
    rng = plan.rng
    plan.move(rng.uniform(0.8, 1.5), rng.uniform(750.0, 950.0))
    plan.stay(rng.uniform(0.3, 0.8))
    plan.away.append([plan.t, plan.t])


def _truth_rep(
    plan: _Plan, rep: dict[str, Any], height: Callable[[float], float], start_t: float, band: float
) -> dict[str, Any]:
    """Phase times on the clean trajectory, by the documented definition, at 1 kHz."""
    dt = 1.0 / TRUTH_HZ
    end_t = rep["end_t"]
    n = int((end_t - start_t) / dt) + 1
    ts = [start_t + k * dt for k in range(n)]
    hs = [height(t) for t in ts]
    vs = [0.0] + [(hs[k + 1] - hs[k - 1]) / (2 * dt) for k in range(1, n - 1)] + [0.0]
    base = rep["start_level"]
    k_peak = max(range(n), key=hs.__getitem__)
    peak = hs[k_peak]
    rom = peak - base
    band_level = peak - band * rom
    bottom_level = base + 0.1 * rom
    i = k_peak
    while i > 0 and hs[i - 1] > bottom_level:
        i -= 1
    j = next(k for k in range(i, k_peak + 1) if hs[k] >= band_level)
    m = max(k for k in range(k_peak, n) if hs[k] >= band_level)
    q = next((k for k in range(m, n) if hs[k] <= bottom_level), n - 1)
    up = STILL_FRACTION * max(vs[i : j + 1])
    down = STILL_FRACTION * max(-v for v in vs[m : q + 1])
    k0 = i
    while k0 > 0 and vs[k0 - 1] >= up:
        k0 -= 1
    k1 = j
    while k1 < m and vs[k1] >= up:
        k1 += 1
    k2 = m
    while k2 > k1 and -vs[k2] >= down:
        k2 -= 1
    k3 = q
    while k3 < n - 1 and -vs[k3] >= down:
        k3 += 1
    return {
        "complete": not rep["partial"],
        "start_t": ts[k0],
        "hold_start_t": ts[k1],
        "end_t": ts[k3],
        "concentric_s": ts[k1] - ts[k0],
        "hold_s": max(0.0, ts[k2] - ts[k1]),
        "eccentric_s": ts[k3] - ts[k2],
        "rom_mm": rom,
    }


def _sensor(
    plan: _Plan, rng: random.Random, rate: float, nearer: bool, plain: bool
) -> tuple[list[SimReading], dict[str, Any]]:
    mount = rng.uniform(900.0, 1300.0)  # sensor above the floor, looking down
    under = rng.uniform(20.0, 60.0)  # sensor below the hips, looking up: lens offset
    ceiling = rng.choice([None, rng.uniform(2300.0, 2600.0)])
    noise_bias = rng.uniform(-15.0, 15.0)
    segments = plan.segments
    readings: list[SimReading] = []
    period = 1.0 / rate
    device0 = rng.randint(5_000, 4_000_000)
    seq0 = rng.randint(0, 50_000)
    t = 0.0
    seg = 0
    stuck_until = -1.0
    gap_until = -1.0
    last: float | None = None
    end = plan.t
    batch: list[tuple[float, float | None, int]] = []
    batch_size = 1 if plain else max(1, round(rate / 10))
    link_free = 0.0  # Wi-Fi stalls hold everything until then
    seq = seq0
    while t < end:
        while seg < len(segments) - 1 and t >= segments[seg].t1:
            seg += 1
        s = segments[seg]
        h = s.height(t)
        if s.away:
            d: float | None = mount if nearer else ceiling
        elif s.passing is not None:
            d = mount - h if nearer else h + under
        else:
            d = mount - h if nearer else h + under
        status = 0
        if d is not None:
            sigma = 1.5 + 0.005 * d
            d = d + noise_bias + rng.gauss(0.0, sigma)
        roll = rng.random()
        if t < gap_until:
            t += period * (1 + rng.uniform(-0.01, 0.01))
            continue
        if rng.random() < period / DROPOUT_EVERY_S:
            gap_until = t + rng.uniform(0.3, 1.2)  # dropout: nothing sent
        if roll < 0.002:
            d = (d or 500.0) + rng.choice([-1, 1]) * rng.uniform(150.0, 600.0)  # spike
        elif roll < 0.005:
            d, status = 8190.0, 2  # out-of-range code
        elif roll < 0.006:
            d, status = rng.uniform(1.0, 8.0), 4  # absurd value with a failure status
        elif roll < 0.0065:
            stuck_until = t + rng.uniform(0.1, 0.3)  # driver timeout: repeats
        if t < stuck_until and last is not None:
            d = last
        if d is not None:
            d = round(d, -1) if plain else round(d, 1)
        last = d
        batch.append((t, d, status))
        if len(batch) >= batch_size:
            publish = batch[-1][0] + 0.004
            if rng.random() < 0.004:
                link_free = publish + rng.uniform(0.2, 0.6)  # stall, then a burst
            arrival = max(publish + rng.lognormvariate(math.log(0.015), 0.7), link_free)
            for bt, bd, bs in batch:
                seq += 1
                readings.append(
                    SimReading(
                        t=bt,
                        arrival_t=arrival,
                        device_ms=device0 + round(bt * 1000.0),
                        seq=seq,
                        distance_mm=bd,
                        status=bs,
                    )
                )
            batch = []
        t += period * (1 + rng.uniform(-0.01, 0.01))
    geometry = {"mount_mm": mount, "under_mm": under, "ceiling_mm": ceiling}
    return readings, geometry


def simulate_session(seed: int, *, rate_hz: float | None = None) -> SimSession:
    """A realistic session, fully determined by ``seed`` (rate drawn from 10-50 Hz if None)."""
    plan, meta = _build(seed)
    rng = random.Random(seed * 7919 + 1)
    rate = rate_hz or rng.choice([10.0, 12.5, 20.0, 25.0, 30.0, 40.0, 50.0])
    nearer = rng.random() < 0.5
    plain = rate <= 20.0 and rng.random() < 0.5
    readings, geometry = _sensor(plan, rng, rate, nearer, plain)
    variation = Variation(meta["variation"])
    band = BAND.get(variation, 0.10)
    segments = plan.segments

    def height(t: float) -> float:
        lo, hi = 0, len(segments) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if segments[mid].t1 <= t:
                lo = mid + 1
            else:
                hi = mid
        return segments[lo].height(t)

    truth_reps = [_truth_rep(plan, rep, height, rep["start_t"], band) for rep in plan.reps]
    sets = []
    for record in plan.sets:
        reps = truth_reps[record["reps_from"] : record["reps_to"]]
        sets.append(
            {
                "side": record["side"],
                "start_t": reps[0]["start_t"],
                "end_t": reps[-1]["end_t"],
                "reps": sum(1 for r in reps if r["complete"]),
                "partial_reps": sum(1 for r in reps if not r["complete"]),
                "rep_details": reps,
            }
        )
    truth = {
        "seed": seed,
        "rate_hz": rate,
        "orientation": "nearer" if nearer else "farther",
        "plain": plain,
        "duration_s": plan.t,
        "settings": {k: meta[k] for k in ("program", "variation", "target_reps")},
        "bottom_mm": meta["bottom_mm"],
        "rom_mm": meta["rom_mm"],
        "geometry": geometry,
        "sets": sets,
        "away": plan.away,
    }
    name = f"session-{seed}-{meta['variation']}-{'nearer' if nearer else 'farther'}-{rate:g}hz"
    return SimSession(name=name, seed=seed, rate_hz=rate, readings=tuple(readings), truth=truth)


def corpus(seed: int = 2026, count: int = 48) -> list[SimSession]:
    """The benchmark corpus: ``count`` varied sessions from one seed."""
    rng = random.Random(seed)
    return [simulate_session(rng.randrange(1, 2**31)) for _ in range(count)]
