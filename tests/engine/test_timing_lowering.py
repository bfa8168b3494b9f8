"""A rep's lowering read first (``read_lowering``), the rest of its timing from it
(``Lowering.timing``): exactly what one pass over the rep gave, whether the end is read yet or
not, and what the detector asks of a lowering read again and again before its end is in."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import pytest

from custom_components.rep_coach.engine.timing import (
    BAND_NOISE,
    BOTTOM_BAND,
    SPEED_HALF_S,
    STILL_FRACTION,
    RepTiming,
    _crossing,
    _descent_onset,
    _first_max,
    _first_min,
    _half,
    _last_min,
    _move_window,
    _noise_parts,
    _smoothed,
    _squeeze_start,
    _start_level,
    _unseen_arrival,
    measure,
    prefix_sums,
    read_lowering,
    sample_step,
    sample_times,
    sharpened_speeds,
    speeds,
)


def one_pass(
    ts: Sequence[float],
    hs: Sequence[float],
    base: float,
    band_fraction: float,
    end: int,
    begun: int,
) -> tuple[RepTiming, bool]:
    """``measure`` as one pass over the rep (before its lowering was read apart), and whether
    the lowering's start was read on speeds before where the hips last left the band."""
    end = min(end, len(hs) - 1)
    taken = sample_times(ts)
    origin = taken[0]
    ts = [t - origin for t in taken]
    step = sample_step(ts) if len(ts) >= 3 else 0.0
    a = _half(step, SPEED_HALF_S)
    sum_h = prefix_sums(hs)
    sum_t = prefix_sums(ts)
    level = _smoothed(hs, max(1, a // 2), sum_h)
    k_peak = _first_max(level, min(begun, end), end)
    base = _start_level(level, sum_h, a, base, k_peak)
    peak = level[k_peak]
    rom = peak - base
    sigma, rounding = _noise_parts(hs)
    noise = max(sigma, rounding)
    band_level = peak - max(band_fraction * rom, BAND_NOISE * noise)
    bottom_level = base + BOTTOM_BAND * rom
    i = k_peak
    while i > 0 and level[i - 1] > bottom_level:
        i -= 1
    j = i
    while j < k_peak and level[j] < band_level:
        j += 1
    m = end
    while m > k_peak and level[m] < band_level:
        m -= 1
    q = m
    while q < end and level[q] > bottom_level:
        q += 1
    if level[q] > bottom_level:
        lowest = min(level[m : end + 1])
        region = lowest + BOTTOM_BAND * (peak - lowest)
        q = m
        while q < end and level[q] > region:
            q += 1
    a_up, a_down = _move_window(ts, i, j, a, step), _move_window(ts, m, q, a, step)
    valley = _last_min(level, i)
    still = j
    while still < m and level[still] >= band_level:
        still += 1
    vs = sharpened_speeds(sum_t, sum_h, a_up, valley, still)
    k_up = _first_max(vs, i, j)
    up_peak = max(vs[k_up], 0.0)
    up_level = STILL_FRACTION * up_peak
    start_t = min(ts[i], _crossing(ts, vs, valley, k_up, up_level, rising=True))
    arrival = _crossing(ts, vs, k_up, max(still, k_up), up_level, rising=False)
    rise_half = i
    while rise_half < k_peak and level[rise_half] < 0.5 * (peak + base):
        rise_half += 1
    arrived = _squeeze_start(ts, hs, min(rise_half, k_up), still, arrival, up_level, noise)
    hold_start_t = max(ts[j], arrival if arrived is None else arrived)
    unseen = _unseen_arrival(ts, hs, i, still, a, band_level, up_level, peak)
    if unseen is not None:
        hold_start_t = unseen
    back = m
    while back > j and level[back - 1] >= band_level and ts[back - 1] > hold_start_t:
        back -= 1
    vd = speeds(sum_t, sum_h, a_down, back, end)
    k_down = _first_min(vd, m, q)
    down_peak = max(-vd[k_down], 0.0)
    down_level = STILL_FRACTION * down_peak
    half = m
    while half < q and level[half] > 0.5 * (peak + base):
        half += 1
    crossing = _crossing(ts, vd, back, k_down, down_level, rising=True, sign=-1.0)
    onset = _descent_onset(ts, hs, back, max(half, k_down), crossing, down_level, noise)
    if onset is None:
        onset = crossing
    hold_end_t = max(min(ts[m], onset), hold_start_t)
    settling = _crossing(ts, vd, k_down, end, down_level, rising=False, sign=-1.0)
    settled = _squeeze_start(
        ts, [-h for h in hs], min(half, k_down), end, settling, down_level, noise
    )
    end_t = max(ts[q], settling if settled is None else settled)
    end_read = end > q and max(ts[q], settling) <= ts[max(q, end - a_down)]
    lowering_span = ts[q] - ts[m]
    lowering_mean = (level[m] - level[q]) / lowering_span if lowering_span > 0 else 0.0
    timing = RepTiming(
        start_t=origin + start_t,
        hold_start_t=origin + hold_start_t,
        hold_end_t=origin + hold_end_t,
        end_t=origin + max(end_t, hold_end_t),
        rom=rom,
        peak_speed=max(up_peak, down_peak),
        lowering_peak_speed=down_peak,
        lowering_mean_speed=lowering_mean,
        end_read=end_read,
    )
    return timing, back < m


def rep_readings(seed: int) -> tuple[list[float], list[float], float, int]:
    """One rep as a detector times it: a rest, a lift, a squeeze that may dip and sag, a
    lowering (sometimes ending above the seat), a rest; noisy, sometimes in whole centimetres,
    at 10-50 Hz, timed on the device or on arrival (jitter, a stall's burst). Times, heights,
    the detector's valley and the index where the rise was recognised."""
    rng = random.Random(seed)
    period = rng.choice([0.02, 0.033, 0.05, 0.1])
    rise = rng.uniform(60.0, 250.0)
    lift, hold, lower = rng.uniform(0.4, 1.5), rng.uniform(0.0, 2.5), rng.uniform(0.5, 3.5)
    rest_before, rest_after = rng.uniform(0.0, 2.0), rng.uniform(0.0, 1.5)
    ends_above = rng.random() < 0.25
    dip = rng.random() < 0.4
    sigma = rng.choice([0.5, 2.0, 5.0])
    coarse = rng.random() < 0.3
    arrival = rng.random() < 0.5
    bottom = rise * rng.uniform(0.1, 0.3) if ends_above else 0.0
    ts: list[float] = []
    hs: list[float] = []
    t = 0.0
    total = rest_before + lift + hold + lower + rest_after
    while t < total:
        u = t - rest_before
        if u < 0:
            h = 0.0
        elif u < lift:
            h = rise * 0.5 * (1 - math.cos(math.pi * u / lift))
        elif u < lift + hold:
            w = (u - lift) / max(hold, 1e-9)
            h = rise - (0.15 * rise * math.sin(math.pi * w) if dip else 0.02 * rise * w)
        elif u < lift + hold + lower:
            v = (u - lift - hold) / lower
            top = rise - (0.0 if dip else 0.02 * rise)
            h = bottom + (top - bottom) * 0.5 * (1 + math.cos(math.pi * v))
        else:
            h = bottom
        h = 400.0 + h + rng.gauss(0.0, sigma)
        hs.append(round(h, -1) if coarse else h)
        ts.append(t)
        t += period
    if arrival:
        ts = [x + rng.uniform(0.0, 0.06) for x in ts]
        burst = rng.randrange(len(ts))
        for k in range(burst, min(len(ts), burst + 6)):
            ts[k] = ts[min(len(ts) - 1, burst + 6)]
        ts.sort()
    rest = hs[: max(1, int(rest_before / period))]
    begun = next((k for k, h in enumerate(hs) if h > min(rest) + 0.1 * rise), 0)
    return ts, hs, min(rest), begun


@pytest.mark.parametrize("seed", range(60))
def test_the_lowering_read_apart_times_the_rep_as_one_pass(seed: int) -> None:
    ts, hs, base, begun = rep_readings(seed)
    band = random.Random(seed).choice([0.10, 0.14])
    back_before_m = 0
    # Every length the detector may read it at: mid-lift, at the top, down the lowering, after.
    for end in range(max(3, begun), len(ts), 4):
        expected, earlier = one_pass(ts[: end + 1], hs[: end + 1], base, band, end, begun)
        lowering = read_lowering(ts[: end + 1], hs[: end + 1], base, band, end, begun)
        assert lowering.end_read == expected.end_read
        assert lowering.timing() == expected  # exactly: the same arithmetic, not a close one
        assert lowering.timing() == expected  # (and again: reading it changes nothing)
        assert measure(ts[: end + 1], hs[: end + 1], base, band, end, begun) == expected
        back_before_m += earlier
    # (at the whole rep, one that ends before the newest sample too)
    end = len(ts) - 1 - len(ts) // 10
    assert (
        read_lowering(ts, hs, base, band, end, begun).timing()
        == one_pass(ts, hs, base, band, end, begun)[0]
    )


def test_the_reps_read_include_lowerings_begun_before_the_hips_last_left_the_band() -> None:
    """(The speeds before where the hips last left the band are read only for the timing: the
    cases above must include such lowerings, or the part read later would go untested.)"""
    count = 0
    for seed in range(60):
        ts, hs, base, begun = rep_readings(seed)
        count += sum(
            one_pass(ts[: end + 1], hs[: end + 1], base, 0.10, end, begun)[1]
            for end in range(max(3, begun), len(ts), 3)
        )
    assert count > 50
