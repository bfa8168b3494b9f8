"""Hip-height trajectories built from segments, and the labels a script attaches to them.

Heights are millimetres above a fixed reference (the floor for the classic sessions, the first
seat for the others). A segment is a cosine move from ``h0`` to ``h1`` with an optional slow sway
(``wobble``: part of the movement, ground truth sees it) and an optional physiological tremor
(``tremor``: 6-10 Hz, a few mm; the sensor sees it, the timing truth does not, as the timing
definition's 0.15 s speed windows average it out). Segments that are not the hips carry a
``view``: nobody there (the sensor sees the empty bench), a body passing through the beam, or the
cone half on the hips and half on the background while someone slides in or off.
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class View(StrEnum):
    """What the sensor looks at during a segment."""

    HIPS = "hips"
    AWAY = "away"  # nobody on the bench: the background (floor, bench, ceiling or nothing)
    PASSING = "passing"  # a body passing through the beam, never still
    SLIDING = "sliding"  # hips entering or leaving the cone: hips or background, sample by sample


@dataclass(slots=True)
class Segment:
    """A piece of trajectory between ``t0`` and ``t1``."""

    t0: float
    t1: float
    h0: float
    h1: float
    wobble: float = 0.0  # amplitude (mm) of a slow sway on top
    wobble_hz: float = 0.0
    away: bool = False  # nobody on the bench (classic name of View.AWAY)
    passing: float | None = None  # a body passing through the beam (classic)
    tremor: float = 0.0  # amplitude (mm) of a fast tremor the sensor sees
    tremor_hz: float = 0.0
    view: View = View.HIPS
    hips_share: tuple[float, float] = (1.0, 1.0)  # SLIDING: share of the cone on the hips

    def height(self, t: float) -> float:
        """The hips' height (mm) as the lifter moves them: what the timing truth uses."""
        f = 0.0 if self.t1 <= self.t0 else min(1.0, max(0.0, (t - self.t0) / (self.t1 - self.t0)))
        h = self.h0 + (self.h1 - self.h0) * (1.0 - math.cos(math.pi * f)) / 2.0
        if self.wobble:
            h += self.wobble * math.sin(2.0 * math.pi * self.wobble_hz * (t - self.t0))
        return h

    def observed(self, t: float) -> float:
        """The height the sensor sees: the movement plus the tremor."""
        h = self.height(t)
        if self.tremor:
            h += self.tremor * math.sin(2.0 * math.pi * self.tremor_hz * (t - self.t0))
        return h

    def share(self, t: float) -> float:
        """SLIDING: the share (0-1) of the cone on the hips at ``t``."""
        a, b = self.hips_share
        f = 0.0 if self.t1 <= self.t0 else min(1.0, max(0.0, (t - self.t0) / (self.t1 - self.t0)))
        return a + (b - a) * f


@dataclass(slots=True)
class Plan:
    """The trajectory being built, and its labels."""

    rng: random.Random
    segments: list[Segment] = field(default_factory=list)
    t: float = 0.0
    h: float = 0.0
    reps: list[dict[str, Any]] = field(default_factory=list)
    sets: list[dict[str, Any]] = field(default_factory=list)
    away: list[list[float]] = field(default_factory=list)

    def move(self, duration: float, to: float, **kw: Any) -> None:
        """A cosine move to height ``to`` over ``duration`` s."""
        self.segments.append(Segment(self.t, self.t + duration, self.h, to, **kw))
        self.t += duration
        self.h = to

    def stay(self, duration: float, **kw: Any) -> None:
        """Stay at the current height."""
        self.move(duration, self.h, **kw)


class Trajectory:
    """Fast lookup of the segment at a time."""

    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments
        self._ends = [s.t1 for s in segments]

    def segment_at(self, t: float) -> Segment:
        """The segment covering ``t`` (the last one after the end)."""
        k = bisect.bisect_right(self._ends, t)
        return self.segments[min(k, len(self.segments) - 1)]

    def height(self, t: float) -> float:
        """The movement's height at ``t`` (tremor excluded): the truth's trajectory."""
        return self.segment_at(t).height(t)
