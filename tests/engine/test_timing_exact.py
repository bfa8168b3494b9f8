"""The timing's faster helpers give exactly what the plain formulations they replace give."""

from __future__ import annotations

import random
from itertools import pairwise
from statistics import median

import pytest

from custom_components.rep_coach.engine.timing import (
    _first_max,
    _first_min,
    _last_min,
    _monotone,
    _noise,
    _smoothed,
    _start_level,
    prefix_sums,
    sharpened_speeds,
    speeds,
)


def values(seed: int) -> list[float]:
    """Speeds or levels with ties (quantised readings repeat) and runs either way."""
    rng = random.Random(seed)
    out: list[float] = []
    level = 0.0
    for _ in range(rng.randint(1, 120)):
        level += rng.choice([-2.0, -1.0, 0.0, 0.0, 1.0, 3.0]) * rng.choice([1.0, 0.5])
        out.append(level)
    return out


def pooled(values: list[float]) -> list[tuple[float, int]]:
    """Pool adjacent violators as first written: two lists, the newest block in locals."""
    sums: list[float] = []
    counts: list[int] = []
    for v in values:
        total, count = v, 1
        while sums and sums[-1] * count > total * counts[-1]:
            total = sums.pop() + total
            count = counts.pop() + count
        sums.append(total)
        counts.append(count)
    return [(total / count, count) for total, count in zip(sums, counts, strict=True)]


@pytest.mark.parametrize("seed", range(40))
def test_the_index_helpers_pick_the_samples_max_and_min_with_a_key_pick(seed: int) -> None:
    vs = values(seed)
    rng = random.Random(seed)
    lo = rng.randrange(len(vs))
    hi = rng.randrange(lo, len(vs))
    assert _first_max(vs, lo, hi) == max(range(lo, hi + 1), key=vs.__getitem__)
    assert _first_min(vs, lo, hi) == min(range(lo, hi + 1), key=vs.__getitem__)
    assert _last_min(vs, hi) == min(range(hi + 1), key=lambda k: (vs[k], -k))


@pytest.mark.parametrize("seed", range(40))
def test_the_monotone_fit_is_the_pooled_one_exactly(seed: int) -> None:
    vs = [v * 1.37 for v in values(seed)]  # (not exactly representable: rounding must agree)
    assert _monotone(vs) == pooled(vs)


@pytest.mark.parametrize("seed", range(40))
def test_the_start_level_reads_the_rests_windows_of_the_moving_average(seed: int) -> None:
    rng = random.Random(seed)
    a = rng.randint(1, 6)
    rest = [100.0 + rng.gauss(0.0, 2.0) for _ in range(rng.randint(a, 60))]
    hs = rest + [100.0 + 8.0 * k for k in range(1, 30)]
    sums = prefix_sums(hs)
    level = _smoothed(hs, max(1, a // 2), sums)
    k_peak = len(hs) - 1
    base = min(rest)
    # the rest's last two windows, read on the whole moving average as first written
    bottom = base + 0.10 * (level[k_peak] - base)
    i = k_peak
    while i > 0 and level[i - 1] > bottom:
        i -= 1
    lo = i
    while lo > 0 and level[lo - 1] <= bottom:
        lo -= 1
    wide = _smoothed(hs, a, sums)
    expected = base if i - lo < 2 * a else min(wide[max(lo + a, i - 3 * a) : i - a + 1])
    assert _start_level(level, sums, a, base, k_peak) == expected


def speeds_one_by_one(
    sum_t: list[float], sum_h: list[float], a: int, lo: int, hi: int
) -> list[float]:
    """Each sample's speed from its own two windows' means, as first written (0 outside)."""
    n = len(sum_h) - 1
    last = n - 1
    out = [0.0] * n
    for k in range(lo, min(hi, last) + 1):
        before = max(k - a, 0)
        after = min(k + a, last)
        if k in (before, after):
            before, after = max(k - 1, 0), min(k + 1, last)
        t_before = (sum_t[k + 1] - sum_t[before]) / (k - before + 1)
        t_after = (sum_t[after + 1] - sum_t[k]) / (after - k + 1)
        if t_after > t_before:
            h_before = (sum_h[k + 1] - sum_h[before]) / (k - before + 1)
            h_after = (sum_h[after + 1] - sum_h[k]) / (after - k + 1)
            out[k] = (h_after - h_before) / (t_after - t_before)
    return out


@pytest.mark.parametrize("seed", range(60))
def test_the_speeds_read_each_window_mean_once_and_give_each_samples_own_speed(
    seed: int,
) -> None:
    rng = random.Random(seed)
    hs = [v * 1.37 for v in values(seed)]
    ts: list[float] = []
    t = 0.0
    for _ in hs:
        t += rng.choice([0.0, 0.0, 0.02, 0.033, 0.05]) * 1.01  # bursts: windows with no time
        ts.append(t)
    a = rng.randint(1, 8)
    lo = rng.randrange(len(hs))
    hi = rng.randrange(lo, len(hs) + 3)
    sum_t, sum_h = prefix_sums(ts), prefix_sums(hs)
    assert speeds(sum_t, sum_h, a, lo, hi) == speeds_one_by_one(sum_t, sum_h, a, lo, hi)


def noise_as_written(hs: list[float]) -> float:
    """The noise of one reading as first written: a loop over each three readings in a row."""
    steps = [abs(b - a) for a, b in pairwise(hs)]
    quantum = min((x for x in steps if x > 1e-6), default=0.0)
    curvature = [
        abs(x - 2.0 * x1 + x2) for x2, x1, x in zip(hs[:-2], hs[1:-1], hs[2:], strict=True)
    ]
    sigma = median(curvature) / (0.6745 * 6**0.5) if curvature else 0.0
    return max(sigma, quantum * 12**-0.5)


@pytest.mark.parametrize("seed", range(60))
def test_the_noise_reads_the_same_second_differences_as_a_loop(seed: int) -> None:
    rng = random.Random(seed)
    hs = [v * 1.37 + rng.gauss(0.0, 3.0) for v in values(seed)][: rng.randint(0, 120)]
    assert _noise(hs) == noise_as_written(hs)


@pytest.mark.parametrize("seed", range(60))
def test_the_sharpened_speeds_combine_only_the_samples_read(seed: int) -> None:
    """Outside ``lo`` to ``hi`` both speeds read 0 and so does their extrapolation: combining
    every sample, as first written, gives the same list."""
    rng = random.Random(seed)
    hs = [v * 1.37 for v in values(seed)]
    ts = [0.02 * k * 1.01 for k in range(len(hs))]
    a = rng.randint(1, 6)
    lo = rng.randrange(len(hs))
    hi = rng.choice([None, rng.randrange(lo, len(hs) + 3)])
    sum_t, sum_h = prefix_sums(ts), prefix_sums(hs)
    near, far = speeds(sum_t, sum_h, a, lo, hi), speeds(sum_t, sum_h, 2 * a, lo, hi)
    bend = 2.0 * (2 * a + 1) / (a + 1)
    whole = [(bend * x - y) / (bend - 1.0) for x, y in zip(near, far, strict=True)]
    assert sharpened_speeds(sum_t, sum_h, a, lo, hi) == whole
