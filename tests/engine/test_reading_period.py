"""The stream's period from the times its readings arrived: Wi-Fi stalls deliver a burst, a
dropout delivers nothing, and neither is the sensor's rate."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest

from custom_components.rep_coach.engine.timing import reading_period, sample_step

PERIOD = 1 / 15  # ESPHome's plain topic at 15 Hz


def _arrivals(
    count: int, *, stalls: tuple[tuple[float, float], ...] = (), lost: tuple[float, float] = (0, 0)
) -> list[float]:
    """Arrival times of ``count`` readings taken every PERIOD, each late by a Wi-Fi delay (or
    held until a stall's end), none of those taken inside ``lost``."""
    rng = random.Random(3)
    out: list[float] = []
    for k in range(count):
        taken = k * PERIOD
        if lost[0] <= taken < lost[1]:
            continue
        arrival = taken + rng.uniform(0.005, 0.03)
        for start, end in stalls:
            if start <= taken < end:
                arrival = end + rng.uniform(0.0, 0.004)
        out.append(max(arrival, out[-1] if out else arrival))
    return out


@pytest.mark.parametrize(
    ("count", "stalls"),
    [(40, ((1.0, 3.0),)), (64, ((0.2, 1.5), (1.7, 3.3))), (24, ((-1.0, 0.9),))],
    ids=["one-stall", "stalls-in-a-row", "starts-in-a-burst"],
)
def test_readings_that_arrive_in_a_burst_after_a_stall_keep_the_period(
    count: int, stalls: tuple[tuple[float, float], ...]
) -> None:
    ts = _arrivals(count, stalls=stalls)
    assert sample_step(ts) < 0.75 * PERIOD  # most steps are a burst's: the median is one
    assert reading_period(ts) == pytest.approx(PERIOD, rel=0.1)


def test_a_dropout_does_not_lengthen_the_period() -> None:
    # 1.2 s of readings lost (no target): nothing arrives later to fill the silence.
    ts = _arrivals(64 + 18, lost=(1.5, 2.7))
    assert max(b - a for a, b in pairwise(ts)) > 1.0
    assert reading_period(ts) == pytest.approx(PERIOD, rel=0.1)


def test_device_timed_readings_read_their_period_exactly() -> None:
    ts = [0.5 + k * 0.04 for k in range(64)]
    assert reading_period(ts) == pytest.approx(0.04, rel=1e-9)
