"""Timing does not depend on when readings arrive: ESPHome's plain topic carries no timestamp,
so its readings are timed on arrival, late by Wi-Fi jitter and bunched after a stall."""

from __future__ import annotations

import math
import random

from custom_components.rep_coach.engine.timing import measure, sample_times


def test_arrival_times_give_back_when_readings_were_taken() -> None:
    rng = random.Random(2)
    taken = [k * 0.1 for k in range(200)]
    arrived = [t + rng.uniform(0.0, 0.05) for t in taken]
    arrived[80:90] = [taken[89] + 0.03] * 10  # a stall: 1 s of readings at one moment
    timed = sample_times(arrived)
    # the newest readings have no later ones to bound them: they keep their own delay
    assert max(abs(a - b) for a, b in zip(timed[:-8], taken[:-8], strict=True)) < 0.03
    assert sample_times(taken) == taken  # device time: steady steps are kept


def test_a_rep_times_the_same_whatever_the_clocks_zero() -> None:
    # Home Assistant times readings in epoch seconds (1.8e9): a rep's readings summed on that
    # scale keep only 0.2 ms of each time, and the speeds, read on differences of those sums,
    # moved by 0.007 mm/s - a different figure from the same readings timed on a device clock.
    rng = random.Random(3)

    def height(t: float) -> float:
        if t < 1.0 or t > 5.5:
            return 0.0
        if t < 2.0:
            return 150.0 * (1 - math.cos(math.pi * (t - 1.0)))
        if t < 3.5:
            return 300.0
        return 150.0 * (1 + math.cos(math.pi * (t - 3.5) / 2.0))

    ts = [k / 25.0 for k in range(175)]
    hs = [height(t) + rng.gauss(0.0, 3.0) for t in ts]
    timings = [measure([zero + t for t in ts], hs, 0.0, 0.10, len(ts) - 1) for zero in (0.0, 1.8e9)]
    phases = [
        (t.hold_start_t - t.start_t, t.hold_end_t - t.hold_start_t, t.end_t - t.hold_end_t)
        for t in timings
    ]
    assert all(abs(x - y) < 1e-6 for x, y in zip(*phases, strict=True))
    assert abs(timings[0].peak_speed - timings[1].peak_speed) < 1e-4
    assert abs(timings[1].start_t - 1.8e9 - timings[0].start_t) < 1e-6
