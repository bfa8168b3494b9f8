"""Clean, hand-shaped trajectories for engine tests (the simulator covers the messy ones)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from custom_components.rep_coach.engine import EngineEvent, RepEngine


@dataclass
class Track:
    """Hip distance over time, built from cosine moves; ``nearer``: sensor above the hips."""

    rate: float = 25.0
    seated_mm: float = 0.0  # 0: a realistic default for the mount (800 above, 200 below)
    nearer: bool = True
    t: float = 0.0
    samples: list[tuple[float, float | None]] = field(default_factory=list)
    _h: float = 0.0  # hip height above the seated level

    def __post_init__(self) -> None:
        if not self.seated_mm:
            self.seated_mm = 800.0 if self.nearer else 200.0

    def _distance(self, h: float) -> float:
        return self.seated_mm - h if self.nearer else self.seated_mm + h

    def move(self, duration: float, to: float) -> Track:
        """Cosine move of the hips to height ``to`` (mm above seated) over ``duration`` s."""
        steps = max(1, round(duration * self.rate))
        start = self._h
        for k in range(steps):
            f = k / steps
            h = start + (to - start) * (1 - math.cos(math.pi * f)) / 2
            self.samples.append((round(self.t + k / self.rate, 6), self._distance(h)))
        self.t += steps / self.rate
        self._h = to
        return self

    def stay(self, duration: float) -> Track:
        """Stay at the current height."""
        return self.move(duration, self._h)

    def rep(
        self,
        rom: float = 300.0,
        up: float = 1.0,
        hold: float = 1.5,
        down: float = 2.0,
        pause: float = 0.6,
    ) -> Track:
        """One rep from the seated level."""
        self.move(up, rom)
        if hold:
            self.stay(hold)
        self.move(down, 0.0)
        if pause:
            self.stay(pause)
        return self

    def readings(self, value: float | None, duration: float) -> Track:
        """Raw readings (e.g. invalid codes or None) for ``duration`` s."""
        steps = round(duration * self.rate)
        for k in range(steps):
            self.samples.append((round(self.t + k / self.rate, 6), value))
        self.t += steps / self.rate
        return self


def run(engine: RepEngine, track: Track, *, tail_s: float = 0.0) -> list[EngineEvent]:
    """Feed every sample, then tick ``tail_s`` later; all events in order."""
    events: list[EngineEvent] = []
    for t, d in track.samples:
        events.extend(engine.feed(t, d))
    if tail_s:
        events.extend(engine.tick(track.t + tail_s))
    return events


def kinds(events: list[EngineEvent]) -> list[str]:
    """Event kinds in order."""
    return [str(e.kind) for e in events]
