"""The one trajectory builder for engine tests: hand-shaped hip paths seen through a mount.

A :class:`Track` is built from segments of hip height (mm above the seated level): cosine moves,
stays with tremor or sag, reps with dips or ending above the seat, arriving and leaving, and raw
sensor codes. The mount turns heights into distances (sensor above: nearer as the hips rise;
below: farther), optionally with distance-proportional noise, then mirrored (d -> C - d) or
shifted (d + k). Streams are fed sample by sample, or encoded as firmware JSON batches (device
time, sequence numbers, delivery delay) or ESPHome plain payloads (metres, arrival time only).
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from custom_components.rep_coach.engine import EngineEvent, RepEngine, RepEvent
from rep_coach_tools.scoring import set_windows
from rep_coach_tools.sim.model import SimSession

NO_TARGET = 8190.0


@dataclass(frozen=True, slots=True)
class Point:
    """One sample: a hip height (mm above the seat) or a raw reading that bypasses the mount."""

    t: float
    height: float | None = None
    raw: float | None = None  # a code (8190, 0, ...) or a distance the mount does not move


@dataclass
class Track:
    """Hip height over time and the mount that sees it; ``nearer``: sensor above the hips."""

    rate: float = 25.0
    seated_mm: float = 0.0  # 0: a realistic default for the mount (800 above, 200 below)
    nearer: bool = True
    t: float = 0.0
    noise: bool = False  # ToF noise: 1.5 mm + 0.5 % of the distance, seeded
    seed: int = 0
    mirror: float | None = None  # report C - d instead of d
    shift: float = 0.0  # added to every valid distance
    points: list[Point] = field(default_factory=list)
    _h: float = 0.0  # hip height above the seated level

    def __post_init__(self) -> None:
        if not self.seated_mm:
            self.seated_mm = 800.0 if self.nearer else 200.0

    # --- geometry ------------------------------------------------------------------------
    def distance(self, h: float) -> float:
        """What the sensor reads for hips at height ``h`` (before noise and transforms)."""
        return self.seated_mm - h if self.nearer else self.seated_mm + h

    def seen_as(self, *, mirror: float | None = None, shift: float = 0.0) -> Track:
        """The same hips and noise, read as ``C - d`` (mirror) and/or ``d + shift``."""
        return replace(self, mirror=mirror, shift=shift, points=list(self.points))

    # --- segments ------------------------------------------------------------------------
    def _emit(self, duration: float, height: Callable[[float], float]) -> Track:
        steps = max(1, round(duration * self.rate))
        for k in range(steps):
            self.points.append(Point(round(self.t + k / self.rate, 6), height(k / self.rate)))
        self.t += steps / self.rate
        return self

    def move(
        self, duration: float, to: float, *, tremor: tuple[float, float] | None = None
    ) -> Track:
        """Cosine move of the hips to height ``to`` over ``duration`` s (optional tremor)."""
        start = self._h

        def height(s: float) -> float:
            f = min(1.0, s / duration)
            return start + (to - start) * (1 - math.cos(math.pi * f)) / 2 + _wave(tremor, s)

        self._emit(duration, height)
        self._h = to
        return self

    def stay(
        self,
        duration: float,
        *,
        tremor: tuple[float, float] | None = None,
        sag: float = 0.0,
        dip: tuple[float, float] | None = None,
    ) -> Track:
        """Stay at the current height; ``sag`` mm sink linearly over the stay; ``dip``:
        (depth mm, duration s) down and back up in the middle of the stay."""
        level = self._h

        def height(s: float) -> float:
            h = level - sag * s / duration + _wave(tremor, s)
            if dip is not None:
                depth, span = dip
                mid = duration / 2
                if abs(s - mid) < span / 2:
                    h -= depth * (1 + math.cos(2 * math.pi * (s - mid) / span)) / 2
            return h

        self._emit(duration, height)
        self._h = level - sag
        return self

    def rep(
        self,
        rom: float = 300.0,
        up: float = 1.0,
        hold: float = 1.5,
        down: float = 2.0,
        pause: float = 0.6,
        *,
        tremor: tuple[float, float] | None = None,
        sag: float = 0.0,
        dip: tuple[float, float] | None = None,
        end_at: float = 0.0,
    ) -> Track:
        """One rep from the current level to ``rom`` above the seat and back to ``end_at``."""
        self.move(up, rom)
        if hold:
            self.stay(hold, tremor=tremor, sag=sag, dip=dip)
        self.move(down, end_at)
        if pause:
            self.stay(pause)
        return self

    def arrive(
        self, duration: float = 1.0, *, from_height: float = 120.0, onto: float = 0.0
    ) -> Track:
        """The lifter appears in the beam above the seat and settles down onto it (``onto``: a
        seat at that height instead)."""
        self._h = from_height
        return self.move(duration, onto)

    def leave(self, duration: float = 1.2, *, to_height: float = 750.0) -> Track:
        """The lifter stands up (hips far above the seat) and walks out of the beam."""
        return self.move(duration, to_height).stay(0.4)

    def readings(self, value: float | None, duration: float) -> Track:
        """Raw readings (codes, None, or a distance the mount does not move) for ``duration`` s."""
        steps = round(duration * self.rate)
        for k in range(steps):
            self.points.append(Point(round(self.t + k / self.rate, 6), raw=value))
        self.t += steps / self.rate
        return self

    def unseen_move(self, duration: float, to: float, *, value: float | None = None) -> Track:
        """The hips move to height ``to`` while the sensor reads ``value`` (nothing by default:
        a reflection, a signal failure) for ``duration`` s."""
        self.readings(value, duration)
        self._h = to
        return self

    def passing(
        self, duration: float, distance_mm: float, *, to: float, sway_mm: float = 40.0
    ) -> Track:
        """Someone crosses the beam between the lens and the hips for ``duration`` s: valid
        readings of them (about ``distance_mm`` from the lens, leaning in by up to ``sway_mm``
        and read with 6 mm of noise, seen as the hips are: mirrored or shifted with them), while
        the hips move on unseen to height ``to``."""
        rng = random.Random(self.seed + 1)
        steps = round(duration * self.rate)
        for k in range(steps):
            d = distance_mm - sway_mm * math.sin(math.pi * k / steps) + rng.gauss(0.0, 6.0)
            # as a height, so the mount's transforms (mirror, shift) move it with the hips
            h = self.seated_mm - d if self.nearer else d - self.seated_mm
            self.points.append(Point(round(self.t + k / self.rate, 6), h))
        self.t += steps / self.rate
        self._h = to
        return self

    def empty(self, duration: float, *, level: float | None = None) -> Track:
        """Nobody on the bench: no target, or a still surface at height ``level`` (the floor
        below the seat for a sensor above, or the ceiling far above one below)."""
        if level is None:
            return self.readings(NO_TARGET, duration)
        self._h = level
        return self.stay(duration)

    # --- output --------------------------------------------------------------------------
    @property
    def samples(self) -> list[tuple[float, float | None]]:
        """(t, distance mm) as the sensor reports them: codes and None pass through."""
        rng = random.Random(self.seed)
        out: list[tuple[float, float | None]] = []
        for point in self.points:
            if point.height is None:
                out.append((point.t, point.raw))
                continue
            d = self.distance(point.height)
            if self.noise:
                d += rng.gauss(0.0, 1.5 + 0.005 * d)
            if self.mirror is not None:
                d = self.mirror - d
            out.append((point.t, round(d + self.shift, 1)))
        return out

    def json_payloads(
        self,
        delay: Callable[[int], float] = lambda _k: 0.0,
        *,
        batch_s: float = 0.1,
        device0_ms: int = 50_000,
        seq0: int = 1,
    ) -> list[tuple[float, str]]:
        """Firmware JSON batches (device time, seq) as (arrival s, payload), in publish order.

        ``delay(k)`` is the delivery delay of batch k; the link keeps order (MQTT over TCP).
        """
        out: list[tuple[float, str]] = []
        batch: list[dict[str, float | int | None]] = []
        batch_end = batch_s
        arrival = -math.inf
        for k, (t, d) in enumerate(self.samples):
            if t >= batch_end and batch:
                arrival = max(arrival, batch_end + delay(len(out)))
                out.append((arrival, json.dumps(batch)))
                batch = []
                while batch_end <= t:
                    batch_end += batch_s
            batch.append({"d": d, "t": device0_ms + round(t * 1000), "seq": seq0 + k, "status": 0})
        if batch:
            out.append((max(arrival, batch_end + delay(len(out))), json.dumps(batch)))
        return out

    def plain_payloads(
        self, delay: Callable[[int], float] = lambda _k: 0.0
    ) -> list[tuple[float, str]]:
        """ESPHome plain state payloads (metres, 2 decimals; ``nan`` for no reading)."""
        out: list[tuple[float, str]] = []
        arrival = -math.inf
        for k, (t, d) in enumerate(self.samples):
            arrival = max(arrival, t + delay(k))
            text = "nan" if d is None or d in (NO_TARGET, 8191.0) else f"{d / 1000.0:.2f}"
            out.append((arrival, text))
        return out


def _wave(tremor: tuple[float, float] | None, s: float) -> float:
    if tremor is None:
        return 0.0
    hz, amplitude = tremor
    return amplitude * math.sin(2 * math.pi * hz * s)


def run(engine: RepEngine, track: Track, *, tail_s: float = 0.0) -> list[EngineEvent]:
    """Feed every sample, then tick ``tail_s`` later; all events in order."""
    events: list[EngineEvent] = []
    for t, d in track.samples:
        events.extend(engine.feed(t, d))
    if tail_s:
        events.extend(engine.tick(track.t + tail_s))
    return events


def run_payloads(
    engine: RepEngine, payloads: Iterable[tuple[float, str]], *, tail_s: float = 0.0
) -> list[EngineEvent]:
    """Feed payloads at their arrival times with a tick every second, as Home Assistant does."""
    events: list[EngineEvent] = []
    next_tick = 1.0
    last = 0.0
    for arrival, payload in payloads:
        while next_tick <= arrival:
            events.extend(engine.tick(next_tick))
            next_tick += 1.0
        events.extend(engine.feed_payload(payload, arrival).events)
        last = arrival
    if tail_s:
        events.extend(engine.tick(last + tail_s))
    return events


def kinds(events: list[EngineEvent]) -> list[str]:
    """Event kinds in order."""
    return [str(e.kind) for e in events]


def full_reps_per_set(session: SimSession, reps: list[RepEvent]) -> list[int]:
    """The full reps counted within each true set of ``session``, in the window the benchmark
    scores it by (give or take the rep event's delay)."""
    return [
        sum(start <= r.t <= end for r in reps if r.complete)
        for start, end, _ in set_windows(session.truth)
    ]
