"""Timing does not depend on when readings arrive: ESPHome's plain topic carries no timestamp,
so its readings are timed on arrival, late by Wi-Fi jitter and bunched after a stall."""

from __future__ import annotations

import random

from custom_components.rep_coach.engine.timing import sample_times


def test_arrival_times_give_back_when_readings_were_taken() -> None:
    rng = random.Random(2)
    taken = [k * 0.1 for k in range(200)]
    arrived = [t + rng.uniform(0.0, 0.05) for t in taken]
    arrived[80:90] = [taken[89] + 0.03] * 10  # a stall: 1 s of readings at one moment
    timed = sample_times(arrived)
    # the newest readings have no later ones to bound them: they keep their own delay
    assert max(abs(a - b) for a, b in zip(timed[:-8], taken[:-8], strict=True)) < 0.03
    assert sample_times(taken) == taken  # device time: steady steps are kept
