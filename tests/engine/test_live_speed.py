"""The live speed kept sample by sample (LiveSpeed) is lagged_speed's on the same readings."""

from __future__ import annotations

import random

import pytest

from custom_components.rep_coach.engine.timing import (
    LIVE_HALF_S,
    RATE_REFRESH,
    LiveSpeed,
    half_window,
    lagged_speed,
)


def reference(stream: list[tuple[float, float] | None]) -> list[tuple[float, float]]:
    """lagged_speed on a tail kept as the tracker kept it before LiveSpeed (None: a clear)."""
    tail_t: list[float] = []
    tail_x: list[float] = []
    half, samples, out = 1, 0, []
    for item in stream:
        if item is None:
            tail_t.clear()
            tail_x.clear()
            continue
        t, x = item
        tail_t.append(t)
        tail_x.append(x)
        samples += 1
        if samples % RATE_REFRESH == 1:
            half = half_window(tail_t[-16:] if len(tail_t) >= 16 else tail_t, LIVE_HALF_S)
        kept = max(2 * half + 1, 16)
        del tail_t[: max(0, len(tail_t) - kept)]
        del tail_x[: max(0, len(tail_x) - kept)]
        out.append(lagged_speed(list(tail_t), list(tail_x), half))
    return out


def stream(seed: int) -> list[tuple[float, float] | None]:
    """Readings whose rate changes (so the window does), with jitter, repeats and clears."""
    rng = random.Random(seed)
    out: list[tuple[float, float] | None] = []
    t = 0.0
    for part in range(12):
        period = rng.choice([0.005, 0.01, 0.02, 0.033, 0.05, 0.1])  # (100-200 Hz: wider windows)
        for _ in range(rng.randint(5, 3 * RATE_REFRESH)):
            t += period * rng.choice([0.0, 0.5, 1.0, 1.0, 1.0, 2.5])  # bursts, stalls
            out.append((t, 400.0 + 150.0 * rng.random() + 0.1 * part))
        if rng.random() < 0.4:
            out.append(None)
    return out


@pytest.mark.parametrize("seed", range(8))
def test_live_speed_is_lagged_speed_on_the_same_readings(seed: int) -> None:
    readings = stream(seed)
    live = LiveSpeed()
    got = []
    for item in readings:
        if item is None:
            live.clear()
        else:
            got.append(live.push(*item))
    assert got == reference(readings)  # exactly: the same sums, not merely close ones
