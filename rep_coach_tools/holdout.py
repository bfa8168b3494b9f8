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

import bisect
import math
import random
from dataclasses import dataclass, field
from typing import Any

from custom_components.rep_coach.engine.settings import PROGRAMS, Program, Side, Variation

from .sim.model import Mount, SimReading, SimSession
from .sim.truth import (
    ends_above_limit,
    fidget_limit_mm,
    partial_shares,
    truth_rep,
    truth_sets,
)

JSON_RATES_HZ = (15.0, 20.0, 33.3, 50.0)
PLAIN_RATES_HZ = (10.0, 15.0)
NEAREST_MM = 40.0
TREMOR_HZ = (6.0, 10.0)


def _min_jerk(s: float) -> float:
    return s * s * s * (10.0 - 15.0 * s + 6.0 * s * s)


@dataclass(slots=True)
class Path:
    """Keyframes ``(t, y)``; between two, a minimum-jerk move (time-warped by ``warp``)."""

    ts: list[float] = field(default_factory=lambda: [0.0])
    ys: list[float] = field(default_factory=lambda: [0.0])
    warps: list[float] = field(default_factory=list)
    tremors: list[tuple[float, float, float, float]] = field(default_factory=list)

    @property
    def t(self) -> float:
        return self.ts[-1]

    @property
    def y(self) -> float:
        return self.ys[-1]

    def go(self, seconds: float, y: float, warp: float = 1.0) -> None:
        self.ts.append(self.ts[-1] + max(seconds, 1e-3))
        self.ys.append(y)
        self.warps.append(warp)

    def wait(self, seconds: float) -> None:
        self.go(seconds, self.ys[-1])

    def jump(self, y: float) -> None:
        """Nobody in view: the next movement starts at ``y`` (no truth needed here)."""
        self.go(1e-3, y)

    def at(self, t: float) -> float:
        k = bisect.bisect_right(self.ts, t)
        if k >= len(self.ts):
            return self.ys[-1]
        if k == 0:
            return self.ys[0]
        t0, t1 = self.ts[k - 1], self.ts[k]
        s = (t - t0) / (t1 - t0)
        s = s ** self.warps[k - 1]
        return self.ys[k - 1] + (self.ys[k] - self.ys[k - 1]) * _min_jerk(s)

    def seen(self, t: float) -> float:
        """What the sensor sees: the movement plus any tremor (tremors are added in order)."""
        y = self.at(t)
        k = bisect.bisect_right(self.tremors, (t, math.inf, 0.0, 0.0)) - 1
        if k >= 0:
            t0, t1, amplitude, hz = self.tremors[k]
            if t < t1:
                y += amplitude * math.sin(2.0 * math.pi * hz * (t - t0))
        return y


@dataclass(frozen=True, slots=True)
class Style:
    """A lifter, drawn once."""

    lift_s: float
    squeeze_s: float
    lower_s: float
    lower_warp: float
    pause_s: float
    sloppy: bool
    variability: float
    ends_above: float
    partial: float
    fidget: float
    tremor: float


def draw_style(rng: random.Random, hold_target_s: float) -> Style:
    """Fast, medium or slow; strict or sloppy."""
    tempo = rng.choice(["fast", "medium", "slow"])
    sloppy = rng.random() < 0.5
    lift, lower, pause = {
        "fast": ((0.5, 0.8), (0.8, 1.5), (0.0, 0.2)),
        "medium": ((0.8, 1.3), (1.5, 2.8), (0.2, 0.8)),
        "slow": ((1.3, 2.0), (2.8, 4.0), (0.5, 1.5)),
    }[tempo]
    squeeze = rng.uniform(0.0, 2.6) if sloppy else hold_target_s + rng.uniform(0.3, 1.5)
    return Style(
        lift_s=rng.uniform(*lift),
        squeeze_s=squeeze,
        lower_s=rng.uniform(*lower),
        lower_warp=rng.uniform(0.7, 1.0),
        pause_s=rng.uniform(*pause),
        sloppy=sloppy,
        variability=0.3 if sloppy else 0.1,
        ends_above=0.4 if sloppy else 0.05,
        partial=0.12 if sloppy else 0.02,
        fidget=rng.uniform(0.05, 0.2) if sloppy else 0.05,
        tremor=0.4 if sloppy else 0.1,
    )


@dataclass(slots=True)
class Lifting:
    """The script's state: the path, where the seat is, the labels."""

    rng: random.Random
    style: Style
    range_mm: float
    seat: float = 0.0
    path: Path = field(default_factory=Path)
    reps: list[dict[str, Any]] = field(default_factory=list)
    sets: list[dict[str, Any]] = field(default_factory=list)
    away: list[list[float]] = field(default_factory=list)
    hidden: list[tuple[float, float, str]] = field(default_factory=list)  # away / passing

    def view(self, t: float) -> str:
        """``hips``, ``away`` or ``passing`` at ``t`` (intervals are added in time order)."""
        k = bisect.bisect_right(self.hidden, (t, math.inf, "")) - 1
        if k >= 0 and self.hidden[k][0] <= t < self.hidden[k][1]:
            return self.hidden[k][2]
        return "hips"

    def vary(self, value: float) -> float:
        return value * (1.0 + self.rng.uniform(-1.0, 1.0) * self.style.variability)

    def one_rep(self, *, partial: bool, last: bool, warm_up: bool, tremor: bool) -> None:
        rng, path, style, full = self.rng, self.path, self.style, self.range_mm
        start_t, start_y = path.t, path.y
        if partial:
            top = start_y + full * rng.uniform(*partial_shares(full, 0.35, 0.72))
        else:
            top = self.seat + full * rng.uniform(0.98, 1.02)
        path.go(max(self.vary(style.lift_s), 0.4), top)
        squeeze = 0.0 if warm_up or partial else max(0.0, self.vary(style.squeeze_s))
        if squeeze > 0.05:
            if tremor:
                amplitude, hz = rng.uniform(0.5, 3.0), rng.uniform(*TREMOR_HZ)
                self.path.tremors.append((path.t, path.t + squeeze, amplitude, hz))
            path.go(squeeze, top - rng.uniform(0.0, 0.025) * full)
        highest = min(0.12, ends_above_limit(full, 0.98))
        above = not last and rng.random() < style.ends_above and highest > 0.03
        bottom = self.seat + full * (
            rng.uniform(0.03, highest) if above else rng.uniform(0.0, 0.01)
        )
        lowering = self.vary(style.lower_s) * (0.7 if warm_up or partial else 1.0)
        path.go(max(lowering, 0.5), bottom, warp=style.lower_warp)
        self.reps.append(
            {
                "start_t": start_t,
                "end_t": path.t,
                "start_level": start_y,
                "partial": partial,
                "seat_level": self.seat,
                "full_range": full,
            }
        )
        if style.pause_s > 0.02:
            path.wait(self.vary(style.pause_s))

    def fidgets(self, seconds: float) -> None:
        rng, path = self.rng, self.path
        end = path.t + seconds
        while path.t < end - 0.5:
            if rng.random() < 0.4:
                limit = fidget_limit_mm(self.range_mm)
                size = min(45.0, self.style.fidget * self.range_mm, limit)
                path.go(rng.uniform(0.3, 0.8), self.seat + rng.uniform(-0.3, 1.0) * size)
                path.go(rng.uniform(0.3, 0.8), self.seat)
            else:
                path.wait(min(end - path.t, rng.uniform(0.5, 3.0)))
        path.wait(max(0.05, end - path.t))

    def leave_and_return(self, seconds: float, new_seat: float) -> None:
        rng, path = self.rng, self.path
        path.go(rng.uniform(0.9, 1.6), self.seat + self.range_mm * rng.uniform(1.6, 3.0))
        self.hidden.append((path.t, path.t + rng.uniform(0.4, 1.0), "passing"))
        path.wait(self.hidden[-1][1] - path.t)
        self.seat = new_seat
        path.jump(new_seat)
        self.gone(seconds)
        self.arrive()

    def gone(self, seconds: float) -> None:
        start = self.path.t
        self.path.wait(seconds)
        self.hidden.append((start, self.path.t, "away"))
        self.away.append([start, self.path.t])

    def arrive(self) -> None:
        rng, path = self.rng, self.path
        self.hidden.append((path.t, path.t + rng.uniform(0.4, 1.2), "passing"))
        path.wait(self.hidden[-1][1] - path.t)
        path.jump(self.seat + self.range_mm * rng.uniform(0.4, 1.0))
        path.go(rng.uniform(0.6, 1.2), self.seat)

    def work_set(self, side: Side, goal: int, outcome: str, *, warm_up: bool) -> None:
        rng = self.rng
        first, start = len(self.reps), self.path.t
        tremor_from = rng.randint(1, max(1, goal)) if rng.random() < self.style.tremor else goal + 1
        done = 0
        while done < goal:
            partial = not warm_up and done >= 3 and rng.random() < self.style.partial
            self.one_rep(
                partial=partial,
                last=done == goal - 1 and not partial,
                warm_up=warm_up,
                tremor=done >= tremor_from,
            )
            done += not partial
        self.sets.append(
            {
                "side": str(side),
                "start_t": start,
                "end_t": self.path.t,
                "reps_from": first,
                "reps_to": len(self.reps),
                "goal": goal,
                "goal_outcome": outcome,
            }
        )


def _script(rng: random.Random, lifting: Lifting, target: int, sets_per_side: int) -> None:
    already_seated = rng.random() < 0.25
    if not already_seated:
        lifting.gone(rng.uniform(2.0, 6.0))
        lifting.arrive()
    lifting.path.wait(rng.uniform(0.5, 4.0))
    plan: list[tuple[Side, bool]] = []
    if rng.random() < 0.5:
        plan += [(Side.LEFT, True), (Side.RIGHT, True)]
    sides = [Side.LEFT, Side.RIGHT] * sets_per_side
    if rng.random() < 0.3:
        sides = sorted(sides, key=lambda s: s is Side.RIGHT)  # all left sets, then all right
    plan += [(side, False) for side in sides]
    for index, (side, warm_up) in enumerate(plan):
        goal, outcome = _goal(rng, target, warm_up=warm_up)
        lifting.work_set(side, goal, outcome, warm_up=warm_up)
        if index == len(plan) - 1:
            break
        rest = rng.uniform(20.0, 90.0)
        if rng.random() < 0.4:
            lifting.leave_and_return(rest, lifting.seat + rng.uniform(-40.0, 40.0))
        else:
            lifting.fidgets(rest)
        lifting.path.wait(rng.uniform(0.5, 3.0))
    lifting.fidgets(rng.uniform(1.0, 4.0))
    path = lifting.path
    path.go(rng.uniform(0.9, 1.6), lifting.seat + lifting.range_mm * rng.uniform(1.6, 3.0))
    lifting.hidden.append((path.t, path.t + rng.uniform(0.4, 1.0), "passing"))
    path.wait(lifting.hidden[-1][1] - path.t)
    lifting.gone(rng.uniform(2.0, 5.0))


def _goal(rng: random.Random, target: int, *, warm_up: bool) -> tuple[int, str]:
    if warm_up:
        return rng.randint(5, 8), "warm_up"
    if target <= 0:
        return rng.randint(8, 14), "no_target"
    roll = rng.random()
    if roll < 0.15:
        return target + rng.randint(1, 2), "exceeded"
    if roll < 0.30:
        return max(3, target - rng.randint(1, 3)), "short"
    return target, "met"


# --- the sensor ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bench:
    """Mount, seated distance, range and what the empty bench shows."""

    mount: Mount
    seat_mm: float
    background_mm: float | None
    max_mm: float

    def distance(self, y: float) -> float:
        return self.seat_mm - y if self.mount is Mount.ABOVE else self.seat_mm + y


def _bench(rng: random.Random, mount: Mount, range_mm: float) -> Bench:
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
    code_run: int = 0
    stuck_run: int = 0
    last: float | None = None

    def reading(self, lifting: Lifting, t: float) -> tuple[float | None, int]:
        rng, bench = self.rng, self.bench
        view = lifting.view(t)
        if view == "away":
            target = bench.background_mm
        elif view == "passing":
            target = bench.distance(lifting.seat + rng.uniform(0.5, 4.0) * self.range_mm)
        else:
            target = self._mixed(lifting.path.seen(t) - lifting.seat, lifting.path.seen(t))
        if self.code_run > 0:
            self.code_run -= 1
            return self._no_target()
        if rng.random() < 0.0008:
            self.code_run = rng.randint(1, 5)
            return self._no_target()
        if target is None or target > bench.max_mm:
            return self._no_target()
        sigma = self.sigma_base + 0.004 * target
        self.ar = self.rho * self.ar + math.sqrt(1.0 - self.rho**2) * rng.gauss(0.0, sigma)
        d = float(round(target + self.ar + rng.gauss(0.0, 0.6)))
        if d < NEAREST_MM:
            return None, 4
        if self.stuck_run > 0 and self.last is not None:
            self.stuck_run -= 1
            return self.last, 0
        if rng.random() < 0.0005:
            self.stuck_run = rng.randint(2, 8)
        if rng.random() < 0.001:
            d = max(NEAREST_MM, d + rng.choice([-1.0, 1.0]) * rng.uniform(100.0, 500.0))
        self.last = d
        return d, 0

    def _mixed(self, above_seat: float, y: float) -> float:
        hips = self.bench.distance(y)
        background = self.bench.background_mm
        low = 1.0 - min(1.0, max(0.0, (above_seat / self.range_mm - 0.15) / 0.15))
        if background is None or low <= 0.0:
            return hips
        weight = self.mix * low * min(1.0, (hips / background) ** 2)
        return (1.0 - weight) * hips + weight * background

    def _no_target(self) -> tuple[float | None, int]:
        return (None, 4) if self.null_codes else (8190.0, 2)


# --- delivery --------------------------------------------------------------------------------


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


def _deliver(
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


# --- the session -----------------------------------------------------------------------------


def holdout_session(seed: int, *, mount: Mount | None = None) -> SimSession:
    """A hold-out session, fully determined by ``seed`` (and ``mount`` when given)."""
    rng = random.Random(f"holdout:{seed}")
    program = rng.choice(list(Program))
    variation = rng.choice(list(Variation))
    preset = PROGRAMS.get(program)
    target = preset.target_reps if preset else rng.choice([0, 10])
    hold_target = preset.hold_target_s if preset else 1.0
    small = variation in (Variation.STABILITY_BALL, Variation.BANDED)
    range_mm = rng.uniform(80.0, 250.0) if small else rng.uniform(120.0, 450.0)
    chosen_mount = mount or rng.choice(list(Mount))
    bench = _bench(rng, chosen_mount, range_mm)
    lifting = Lifting(rng, draw_style(rng, hold_target), range_mm)
    _script(rng, lifting, target, rng.choice([2, 2, 3]))

    plain = rng.random() < 0.3
    rate = rng.choice(PLAIN_RATES_HZ if plain else JSON_RATES_HZ)
    sensor = Sensor(
        rng,
        bench,
        range_mm,
        null_codes=rng.random() < 0.5,
        rho=rng.uniform(0.5, 0.9),
        sigma_base=rng.uniform(0.8, 2.0),
        mix=rng.uniform(0.05, 0.2),
    )
    samples = []
    for k in range(int(lifting.path.t * rate)):
        t = max(0.0, (k + rng.uniform(-0.1, 0.1)) / rate)
        samples.append((t, *sensor.reading(lifting, t)))
    readings = _deliver(rng, samples, plain)
    step = rng.choice([10.0, 1.0])
    if plain:
        readings = [r if r.distance_mm is None or r.status else _step(r, step) for r in readings]
    band = 0.14 if variation is Variation.STABILITY_BALL else 0.10
    reps = [
        truth_rep(lifting.path.at, r, band, full_range_mm=range_mm, hold_target_s=hold_target)
        for r in lifting.reps
    ]
    truth = {
        "seed": seed,
        "family": "holdout",
        "rate_hz": rate,
        "orientation": bench.mount.orientation,
        "mount": str(bench.mount),
        "plain": plain,
        "plain_decimals": 2 if step == 10.0 else 3,
        "duration_s": lifting.path.t,
        "settings": {"program": str(program), "variation": str(variation), "target_reps": target},
        "hold_target_s": hold_target,
        "bottom_mm": bench.seat_mm,
        "rom_mm": range_mm,
        "geometry": {
            "mount": str(bench.mount),
            "seat_mm": bench.seat_mm,
            "range_mm": range_mm,
            "background_mm": bench.background_mm,
            "max_range_mm": bench.max_mm,
        },
        "lifter": {"sloppy": lifting.style.sloppy, "lift_s": lifting.style.lift_s},
        "sets": truth_sets(reps, lifting.sets),
        "away": lifting.away,
    }
    name = f"holdout-{seed}-{variation}-{bench.mount}-{bench.seat_mm / 10:.0f}cm-{'plain' if plain else 'json'}-{rate:g}hz"
    return SimSession(name=name, seed=seed, rate_hz=rate, readings=tuple(readings), truth=truth)


def _step(reading: SimReading, step: float) -> SimReading:
    d = reading.distance_mm
    assert d is not None
    return SimReading(
        reading.t, reading.arrival_t, reading.device_ms, reading.seq, round(d / step) * step, 0
    )
