"""Rep timing by one documented definition (the simulator's ground truth uses the same one).

Position bands *find* the phases; hip speed *times* them, the way velocity-based training
devices do:

- the rep's range is its highest point minus the level it started from;
- the hold band is the top 10 % of that range (14 % on a stability ball), the bottom band the
  lowest 10 %;
- hip speed is the slope between the mean positions before and after a moment, over 15 % of
  the move's duration either side (0.15 s at least, 0.5 s at most); the lift's is that slope
  extrapolated to a window of no width from the same slope over twice the window
  (:func:`sharpened_speeds`), so the squeeze is not read late where the hips brake;
- the lift starts when, going back from where the hips leave the bottom band, the upward speed
  was last below 15 % of the lift's peak speed; the squeeze (hold) starts when, going forward
  from the hold band entry, the upward speed first falls below that; the lowering starts when,
  going back from the hold band exit, the downward speed was last below 15 % of the lowering's
  peak speed, and ends when, going forward from the bottom band entry, it first falls below it;
- where the descent leaves the squeeze, that speed is read on the drop fitted to every reading
  from there to halfway down (``h = c + b t - A (t - t0)^p``: :func:`_descent_onset`), not on
  one window's few readings; where the lift reaches it, on the lift from halfway up, run
  backwards (:func:`_squeeze_start`); where the lowering reaches its rest, on the lowering from
  halfway down, the same upside down (all three on readings in whole centimetres too);
- a lowering that never re-enters the bottom band (the rep ends above the seat, the next one
  starts from there) has its own bottom band: the lowest 10 % of the lowering itself.

The lowering's end is read only once the readings go on for a whole speed window past it
(``RepTiming.end_read``): the detector keeps a rep open until then, rather than timing it on
readings that stop in the middle of a slow braking.

Where a speed passes its level is read on a monotone fit of the speeds between the still
phase and the move's peak, not on the first reading past it: with noise one reading passes
early, always on the side the search starts from, and the error grows as moves get slower.

So ``hold_s`` is the time the hips stay (nearly) still at the top and ``eccentric_s`` the whole
controlled descent, which is what the guide's "hold 1-2 s" and "lower in 2-3 s" mean.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add, mul, sub, truediv
from statistics import median

SPEED_HALF_S = 0.15  # measuring: wide enough to keep 5-8 mm sensor noise out of the speed
LIVE_HALF_S = 0.1  # deciding live that a phase is over: short, so events are prompt
STILL_FRACTION = 0.15
UNSEEN_S = 2 * SPEED_HALF_S  # no reading for longer than a speed window: that move went unseen
MOVE_SHARE = 0.15  # a move's speed is read over this share of its duration either side ...
MAX_HALF_S = 0.5  # ... up to this (and from SPEED_HALF_S): the speed of a slow move
CUE_HALF_S = 0.15  # the hold cue reads the speed at the target moment over this either side
BOTTOM_BAND = 0.10
BOTTOM_REGION = 0.30  # live: a lowering that stops below this fraction has reached the bottom
STEADY = 0.05  # steps within 5 % of the period: the sensor's own clock (device time), kept as is
RATE_REFRESH = 64  # live: re-estimate the speed window every this many samples
LOOKAHEAD = 16  # later readings bounding when one was taken: spans a stall's burst at 10-20 Hz
BAND_NOISE = 4.0  # the hold band is never under 4 sigma of the readings (the detector's floor)
SECOND_DIFF_SCALE = 0.6745 * 6**0.5  # median |second difference| of white noise, in sigma
BURST_STEP = 0.5  # a reading that arrived within half a period of the one before came in
# a burst (after a Wi-Fi stall): when it was taken is known only once the stream steps again
LOST_STEP = 1.5  # a step over 1.5 periods with no burst after it lost a reading (a dropout):
# nothing arrives later to fill it, so it is no time the stream's readings took
PERIOD_ROUNDS = 4  # the period is worked out again on what the last estimate told apart
# How the hips leave the squeeze, fitted from the squeeze to halfway down, D = A (t - t0)^p: the
# fit, weighted to the larger drops, is decided near halfway, where a smooth move's drop has the
# local power v (t - t0) / D = pi/2 (a harmonic move's: its peak speed over its mean speed)
ONSET_POWER = math.pi / 2
SQUEEZE_SPAN = 2.0  # the squeeze's level is read over twice as long before the crossing as the
# drop after it: enough readings to know it, clear of where the hips arrived or began to sink
FIT_NOISE = 2.0  # a drop fits when its readings stray from it by 2 sigma at most (RMS)


def sample_step(ts: Sequence[float]) -> float:
    """This stream's period: the median step between readings (of the first 64)."""
    steps: list[float] = list(map(sub, ts[1:65], ts[:64], strict=False))  # (n - 1 of n)
    return median(steps)


def reading_period(ts: Sequence[float]) -> float:
    """This stream's period from the times of its last readings, whatever the Wi-Fi did.

    The median step is wrong after a stall: its readings arrive in a burst, most steps are a
    few milliseconds, and the median is one of them. The time per reading over the span is
    right there (a stall's readings were taken during it), but a dropout lengthens it: no
    reading ever fills that silence. So: time per reading over the span, less the steps
    before the first one of half a period or more (the tail of a burst whose stall came
    before the span), less a burst at the end with its stall, less every step longer than
    LOST_STEP periods that no burst followed. Each estimate tells those steps apart for the
    next (PERIOD_ROUNDS), from one neither a burst nor a silence bends far."""
    steps: list[float] = list(map(sub, ts[1:], ts[:-1], strict=True))
    if not steps:
        return 0.0
    # A start neither a burst nor a silence bends far: the time per reading (a silence
    # lengthens it), or the upper quartile step if shorter (bursts shorten that).
    period = min((ts[-1] - ts[0]) / len(steps), sorted(steps)[(3 * len(steps)) // 4])
    # the tail of a burst whose stall came before the span
    first = next((k for k, s in enumerate(steps) if s >= BURST_STEP * period), len(steps) - 1)
    steps = steps[first:]
    # A burst at the end: its stall may have outlasted the readings taken in it (they were
    # taken earlier than its end), so the stall and the burst are left out too.
    end = len(steps)
    while end > 1 and steps[end - 1] < BURST_STEP * period:
        end -= 1
    if end < len(steps) and end > 1:
        steps = steps[: end - 1]
    last = len(steps) - 1
    period = min(sum(steps) / len(steps), sorted(steps)[(3 * len(steps)) // 4])
    for _ in range(PERIOD_ROUNDS):
        burst, lost = BURST_STEP * period, LOST_STEP * period
        kept = [s for k, s in enumerate(steps) if s <= lost or (k < last and steps[k + 1] < burst)]
        estimate = sum(kept) / len(kept) if kept else period
        if estimate == period:
            break
        period = estimate
    return period


def recent_step(ts: Sequence[float]) -> float:
    """The step the speed windows are sized on: the median step of the last 16 readings, as
    ever, unless bursts made most of them (the median under half of :func:`reading_period` over
    all of ``ts``): then that period. Read on arrival, the median is a little under the period
    (pairs arriving together), and windows sized on the period itself missed more cues."""
    step = sample_step(ts[-16:])
    if len(ts) < 3:
        return step
    period = reading_period(ts)
    return period if step < BURST_STEP * period else step


def half_window(ts: Sequence[float], span: float = SPEED_HALF_S) -> int:
    """Samples spanning ``span`` seconds at this stream's rate."""
    if len(ts) < 3:
        return 1
    return _half(sample_step(ts), span)


def _half(step: float, span: float) -> int:
    """Samples spanning ``span`` seconds at a period of ``step``."""
    return max(1, round(span / step)) if step > 0 else 1


def sample_times(ts: Sequence[float]) -> list[float]:
    """When readings were taken, from when they arrived (ESPHome's plain topic has no timestamp).

    The sensor samples at a steady rate and each reading arrives late by a Wi-Fi delay; after a
    stall a burst arrives at one moment. So a reading was taken no later than any later reading's
    arrival less the periods between them, and the lowest of those bounds is its time: jitter
    and bursts no longer bend the speeds. A dropout between two readings only raises the bound.
    Steady steps (device time) are returned unchanged.
    """
    if len(ts) < 4:
        return list(ts)
    steps = sorted(map(sub, ts[1:], ts[:-1], strict=True))
    return taken_times(ts, steps[len(steps) // 2], steps)


def taken_times(
    ts: Sequence[float],
    period: float,
    steps: Sequence[float] | None = None,
    *,
    burst: bool = False,
) -> list[float]:
    """:func:`sample_times` for a stream whose ``period`` is known (a few readings, which may
    all have arrived in one burst); ``steps``: the sorted steps between them, if at hand;
    ``burst``: the caller saw a burst among them, so even steps are no steady clock (a
    stretch inside one burst has steps all 0, as even as a device's)."""
    n = len(ts)
    if n < 2 or period <= 0:
        return list(ts)
    if not burst:
        if steps is None:
            steps = sorted(map(sub, ts[1:], ts[:-1], strict=True))
        spread = steps[(9 * len(steps)) // 10] - steps[len(steps) // 10]
        if spread <= 2 * STEADY * period:
            return list(ts)
    out = list(ts)
    behind = [j * period for j in range(1, LOOKAHEAD + 1)]  # j readings later: j periods
    for k in range(n - 1):
        # the lowest of the later readings' arrivals less the periods between (one C loop)
        # (fewer than LOOKAHEAD later readings near the end)
        bound = min(map(sub, ts[k + 1 : k + 1 + LOOKAHEAD], behind, strict=False))
        out[k] = min(out[k], bound)
    for k in range(1, n):
        out[k] = max(out[k], out[k - 1] + 1e-6 * period)  # keep the order
    return out


def prefix_sums(values: Sequence[float]) -> list[float]:
    """``sums[k]``: the sum of the first ``k`` values (the same sums, in the same order, as a
    loop of ``sums[k + 1] = sums[k] + values[k]``), for window means in O(1) each."""
    return list(accumulate(values, initial=0.0))


def speeds(
    sum_t: Sequence[float], sum_h: Sequence[float], a: int, lo: int = 0, hi: int | None = None
) -> list[float]:
    """Hip speed (mm/s, positive rising) at samples ``lo`` to ``hi`` (all by default; the
    others read 0), from the :func:`prefix_sums` of the times and heights: O(n)."""
    n = len(sum_h) - 1
    out = [0.0] * n
    last = n - 1
    top = last if hi is None else min(hi, last)
    # Samples with a whole window either side (k - a >= 0, k + a <= last) in one pass over the
    # sums they read; the few near the ends, whose windows are cut short, one by one.
    first, stop = (max(lo, a), min(top, last - a) + 1) if a >= 1 else (lo, lo)
    if first >= stop:
        first = stop = top + 1
    for k in (*range(lo, first), *range(stop, top + 1)):
        before = k - a if k - a > 0 else 0
        after = k + a if k + a < last else last
        if k in (before, after):
            before = k - 1 if k - 1 > 0 else 0
            after = k + 1 if k + 1 < last else last
        before_n, after_n = k - before + 1, after - k + 1
        t_before = (sum_t[k + 1] - sum_t[before]) / before_n
        t_after = (sum_t[after + 1] - sum_t[k]) / after_n
        if t_after > t_before:
            h_before = (sum_h[k + 1] - sum_h[before]) / before_n
            h_after = (sum_h[after + 1] - sum_h[k]) / after_n
            out[k] = (h_after - h_before) / (t_after - t_before)
    if first < stop:
        # The mean of every window of a + 1 samples these read, each worked out once: the
        # window before sample k is the one from k - a, the window after it the one from k
        # (which is the window before sample k + a). The same sums and divisions as each
        # sample's own two windows, so the same speeds.
        w, count = a + 1, stop - first
        mean_t = _window_means(sum_t, first - a, stop, w)
        mean_h = _window_means(sum_h, first - a, stop, w)
        out[first:stop] = [
            (h_after - h_before) / (t_after - t_before) if t_after > t_before else 0.0
            for t_after, t_before, h_after, h_before in zip(
                mean_t[a:], mean_t[:count], mean_h[a:], mean_h[:count], strict=True
            )
        ]
    return out


def _window_means(sums: Sequence[float], lo: int, hi: int, w: int) -> list[float]:
    """The mean of each window of ``w`` samples that starts at sample ``lo`` to ``hi - 1``,
    from the :func:`prefix_sums` (one C loop: the same subtraction and division each)."""
    return list(map(truediv, map(sub, sums[lo + w : hi + w], sums[lo:hi], strict=True), repeat(w)))


def sharpened_speeds(
    sum_t: Sequence[float], sum_h: Sequence[float], a: int, lo: int = 0, hi: int | None = None
) -> list[float]:
    """:func:`speeds` without the window's own rounding: the speed a window of no width reads.

    The slope between the means of ``a`` samples either side adds the move's third derivative
    times ``dt**2 * a * (a + 1) / 12`` to the speed (for a move smooth over the window): where
    the hips brake into the squeeze it keeps the speed up, and the squeeze is read late, by
    0.02-0.03 s on a clean minimum-jerk lift and more with noise. The slope over ``2a`` samples
    either side adds ``2 (2a + 1) / (a + 1)`` times as much, so the two together give the
    speed without it (Richardson's extrapolation to a window of no width).
    """
    near = speeds(sum_t, sum_h, a, lo, hi)
    far = speeds(sum_t, sum_h, 2 * a, lo, hi)
    bend = 2.0 * (2 * a + 1) / (a + 1)
    # Outside ``lo`` to ``hi`` both read 0, and so does their extrapolation: only the samples
    # read are combined.
    top = len(near) - 1 if hi is None else min(hi, len(near) - 1)
    near[lo : top + 1] = [
        (bend * x - y) / (bend - 1.0)
        for x, y in zip(near[lo : top + 1], far[lo : top + 1], strict=True)
    ]
    return near


@dataclass(frozen=True, slots=True)
class RepTiming:
    """Phase boundaries (s) and speeds (mm/s) of one rep."""

    start_t: float
    hold_start_t: float
    hold_end_t: float
    end_t: float
    rom: float
    peak_speed: float
    lowering_peak_speed: float
    lowering_mean_speed: float
    # The readings go on for a whole speed window past the lowering's end: the end is read,
    # not where the readings happen to stop (False: more readings may move it).
    end_read: bool = True


def _smoothed(hs: Sequence[float], a: int, sums: Sequence[float]) -> list[float]:
    """Centred moving average over 2a+1 samples: the level of the hips, not of one reading
    (``sums``: the heights' :func:`prefix_sums`)."""
    n = len(hs)
    if a < 1 or n < 3:
        return list(hs)
    out = [0.0] * n
    last = n - 1
    # whole windows (a <= k <= last - a) in one pass; those cut short by the ends one by one
    whole = 2 * a + 1
    out[a : last - a + 1] = _window_means(sums, 0, max(0, n - 2 * a), whole)
    for k in (*range(min(a, n)), *range(max(a, last - a + 1), n)):
        lo = k - a if k - a > 0 else 0
        hi = k + a if k + a < last else last
        out[k] = (sums[hi + 1] - sums[lo]) / (hi + 1 - lo)
    return out


def measure(
    ts: Sequence[float],
    hs: Sequence[float],
    base: float,
    band_fraction: float,
    end: int,
    begun: int = 0,
) -> RepTiming:
    """Time one rep in heights ``hs`` (rising positive) from ``base``.

    Samples before ``begun`` are lead-in (where the lift may have started), up to ``end`` count.
    Levels are read on the hips' smoothed position, so one noisy reading or a tremor at the top
    does not move the top (nor the bands hung from it). A lowering that comes to rest above the
    bottom band (the next rep starting from there) ends in the lowest 10 % of the lowering.
    """
    return read_lowering(ts, hs, base, band_fraction, end, begun).timing()


@dataclass(frozen=True, slots=True)
class Lowering:
    """A rep's levels and its lowering's end, read (:func:`read_lowering`): whether that end is
    read yet (:attr:`end_read`) needs no more; :meth:`timing` times the rest of the rep from it.
    A rep's lowering is read again and again until its end is (the detector asks every
    FINISH_WAIT_S): the lift's speeds and crossings are worked out once, for the rep taken."""

    origin: float  # when the first reading was taken: ``ts`` count from it
    ts: list[float]  # when the readings were taken (:func:`sample_times`), from ``origin``
    hs: Sequence[float]  # the heights
    noise: float  # of one reading (:func:`_noise_parts`)
    level: list[float]  # the hips' smoothed level
    sum_t: list[float]  # prefix sums of ``ts`` and of the heights
    sum_h: list[float]
    step: float  # the stream's period
    a: int  # half window of a speed (samples)
    k_peak: int
    base: float
    peak: float
    band_level: float
    bottom_level: float
    m: int  # where the hips last leave the hold band
    q: int  # where the lowering reaches its bottom band
    half: int  # where the lowering passes halfway down (``q`` at the latest)
    vd: list[float]  # the lowering's speeds (read from ``m`` on; 0 before)
    a_down: int
    k_down: int
    down_peak: float
    end_t: float  # where the lowering's speed settles (before the hold's end bounds it)
    end_read: bool  # a whole speed window of readings is in past ``end_t``

    def timing(self) -> RepTiming:
        """The rep's timing: the lift, the squeeze and the lowering's start, from these."""
        ts, level, sum_t, sum_h = self.ts, self.level, self.sum_t, self.sum_h
        k_peak, band_level, bottom_level, m, q = (
            self.k_peak,
            self.band_level,
            self.bottom_level,
            self.m,
            self.q,
        )
        i = k_peak
        while i > 0 and level[i - 1] > bottom_level:
            i -= 1
        j = i
        while j < k_peak and level[j] < band_level:
            j += 1
        a_up = _move_window(ts, i, j, self.a, self.step)
        valley = _last_min(level, i)
        still = j
        while still < m and level[still] >= band_level:
            still += 1
        # The lift's speeds are read from the valley to where the hips first leave the band, the
        # lowering's from where they last came back into it (at ``m`` at the latest) to the end.
        vs = sharpened_speeds(sum_t, sum_h, a_up, valley, still)
        k_up = _first_max(vs, i, j)
        up_peak = max(vs[k_up], 0.0)
        up_level = STILL_FRACTION * up_peak
        # The lift starts where the speed, rising from the valley to its peak, passes the level.
        start_t = min(ts[i], _crossing(ts, vs, valley, k_up, up_level, rising=True))
        # The squeeze starts where the speed, falling from the lift's peak, passes it (read up
        # to ``still``, where the hips first leave the band: a dip comes later).
        # Read, like the squeeze's end, on the lift fitted from halfway up to the squeeze.
        arrival = _crossing(ts, vs, k_up, max(still, k_up), up_level, rising=False)
        rise_half = i  # halfway up
        while rise_half < k_peak and level[rise_half] < 0.5 * (self.peak + self.base):
            rise_half += 1
        arrived = _squeeze_start(
            ts, self.hs, min(rise_half, k_up), still, arrival, up_level, self.noise
        )
        hold_start_t = max(ts[j], arrival if arrived is None else arrived)
        unseen = _unseen_arrival(ts, self.hs, i, still, self.a, band_level, up_level, self.peak)
        if unseen is not None:
            hold_start_t = unseen
        # The lowering starts where the descent, rising towards its peak, passes the level (read
        # from where the hips last came back into the band: a dip before that is part of the
        # hold). Each sample's speed is its own, whichever samples are read with it.
        back = m
        while back > j and level[back - 1] >= band_level and ts[back - 1] > hold_start_t:
            back -= 1
        vd = self.vd
        if back < m:
            vd = list(vd)
            vd[back:m] = speeds(sum_t, sum_h, self.a_down, back, m - 1)[back:m]
        down_peak = self.down_peak
        down_level = STILL_FRACTION * down_peak
        # The squeeze ends where the descent's speed passes the level: read on the drop fitted
        # from the squeeze (since the hips last came back into the band) to the lowering's peak
        # speed, every reading of it at once, rather than on one speed window's few readings.
        half = self.half  # halfway down, where a smooth lowering moves fastest
        crossing = _crossing(ts, vd, back, self.k_down, down_level, rising=True, sign=-1.0)
        onset = _descent_onset(
            ts, self.hs, back, max(half, self.k_down), crossing, down_level, self.noise
        )
        if onset is None:  # no descent fits (too few readings): where the speeds pass the level
            onset = crossing
        hold_end_t = max(min(ts[m], onset), hold_start_t)
        lowering_span = ts[q] - ts[m]
        lowering_mean = (level[m] - level[q]) / lowering_span if lowering_span > 0 else 0.0
        origin = self.origin
        return RepTiming(
            start_t=origin + start_t,
            hold_start_t=origin + hold_start_t,
            hold_end_t=origin + hold_end_t,
            end_t=origin + max(self.end_t, hold_end_t),
            rom=self.peak - self.base,
            peak_speed=max(up_peak, down_peak),
            lowering_peak_speed=down_peak,
            lowering_mean_speed=lowering_mean,
            end_read=self.end_read,
        )


def read_lowering(
    ts: Sequence[float],
    hs: Sequence[float],
    base: float,
    band_fraction: float,
    end: int,
    begun: int = 0,
) -> Lowering:
    """The first part of :func:`measure` (same arguments): the rep's levels and where its
    lowering ends."""
    end = min(end, len(hs) - 1)
    # Times from the first reading: the speeds' sums do not depend on where the clock's zero
    # is (epoch seconds, a device clock's anchor set by the first payload's delay).
    taken = sample_times(ts)
    origin = taken[0]
    ts = [t - origin for t in taken]
    step = sample_step(ts) if len(ts) >= 3 else 0.0  # (read by every window below)
    a = _half(step, SPEED_HALF_S)
    # The heights' and times' prefix sums, summed once: every level and speed below reads them.
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
    m = end
    while m > k_peak and level[m] < band_level:
        m -= 1
    q = m
    while q < end and level[q] > bottom_level:
        q += 1
    if level[q] > bottom_level:
        # Never reached the bottom band (the rep ended above the seat, the next one starts from
        # there): the lowering's own bottom band is the lowest 10 % of the lowering.
        lowest = min(level[m : end + 1])
        region = lowest + BOTTOM_BAND * (peak - lowest)
        q = m
        while q < end and level[q] > region:
            q += 1
    # Each move's speed is read over a window scaled to the move: a slow lowering averages
    # enough readings that noise does not decide where it began or ended.
    a_down = _move_window(ts, m, q, a, step)
    vd = speeds(sum_t, sum_h, a_down, m, end)
    k_down = _first_min(vd, m, q)
    down_peak = max(-vd[k_down], 0.0)
    down_level = STILL_FRACTION * down_peak
    # It ends where the descent, falling from its peak, passes the level again: read, as the
    # squeeze's start is, on the lowering fitted from halfway down (or its peak speed, if
    # earlier) to the rest after it, upside down (the hips sink into the rest as they rise
    # into the squeeze).
    crossing = _crossing(ts, vd, k_down, end, down_level, rising=False, sign=-1.0)
    half = m
    while half < q and level[half] > 0.5 * (peak + base):
        half += 1
    first = min(half, k_down)
    settled = _squeeze_start(
        ts[first : end + 1],
        [-h for h in hs[first : end + 1]],
        0,
        end - first,
        crossing,
        down_level,
        noise,
    )
    end_t = max(ts[q], crossing if settled is None else settled)
    return Lowering(
        origin=origin,
        ts=ts,
        hs=hs,
        noise=noise,
        level=level,
        sum_t=sum_t,
        sum_h=sum_h,
        step=step,
        a=a,
        k_peak=k_peak,
        base=base,
        peak=peak,
        band_level=band_level,
        bottom_level=bottom_level,
        m=m,
        q=q,
        vd=vd,
        a_down=a_down,
        half=half,
        k_down=k_down,
        down_peak=down_peak,
        end_t=end_t,
        # (whether it is read goes by the speeds: the fit reads the rest that is in by then)
        end_read=end > q and max(ts[q], crossing) <= ts[max(q, end - a_down)],
    )


def _unseen_arrival(
    ts: Sequence[float],
    hs: Sequence[float],
    i: int,
    still: int,
    a: int,
    band_level: float,
    up_level: float,
    peak: float,
) -> float | None:
    """When the squeeze began if the readings stopped on the lift's way into it (from ``i``,
    up to ``still``, before any reading in the hold band): the hips too near the lens to be
    ranged, sunlight. Still lifting at the last reading, the lift went on unseen, braking
    from its last speed to a stop at the top: twice the rest of the way at that speed (the
    first reading back at the latest). None if the squeeze was seen, or no such silence."""
    gap = None
    for k in range(i + 1, still + 1):
        if hs[k - 1] >= band_level:
            return None  # a reading in the band before any silence: the squeeze was seen
        if ts[k] - ts[k - 1] > UNSEEN_S:
            gap = k
            break
    if gap is None:
        return None
    last = gap - 1
    first = max(i, last - a)
    if ts[last] <= ts[first]:
        return None  # (readings taken at one time: no speed to read)
    speed = (hs[last] - hs[first]) / (ts[last] - ts[first])
    if speed <= up_level:
        return None
    return min(ts[last] + 2.0 * max(0.0, peak - hs[last]) / speed, ts[gap])


def _first_max(values: list[float], lo: int, hi: int) -> int:
    """Index of the first highest of ``values[lo]`` to ``values[hi]``."""
    part = values[lo : hi + 1]
    return lo + part.index(max(part))


def _first_min(values: list[float], lo: int, hi: int) -> int:
    """Index of the first lowest of ``values[lo]`` to ``values[hi]``."""
    part = values[lo : hi + 1]
    return lo + part.index(min(part))


def _last_min(values: list[float], hi: int) -> int:
    """Index of the last lowest of ``values[0]`` to ``values[hi]``."""
    back = values[hi::-1]
    return hi - back.index(min(back))


def _start_level(
    level: Sequence[float], sums: Sequence[float], a: int, base: float, k_peak: int
) -> float:
    """The level the lift started from: the hips' level averaged over a speed window, at its
    lowest in the rest before the lift (the stretch in the bottom band of ``base``), rather than
    ``base``, the detector's valley: the lowest single reading, a noise's depth under the seat
    by an amount that changes with every reading. (``sums``: the heights' prefix sums.)"""
    bottom_level = base + BOTTOM_BAND * (level[k_peak] - base)
    i = k_peak
    while i > 0 and level[i - 1] > bottom_level:
        i -= 1
    lo = i
    while lo > 0 and level[lo - 1] <= bottom_level:
        lo -= 1
    if i - lo < 2 * a:
        return base  # no rest at the bottom (touch and go): the turnaround is the valley
    # The rest's last two windows, each whole (a <= k, k + a < i): :func:`_smoothed` over a.
    whole = 2 * a + 1
    return min(
        (sums[k + a + 1] - sums[k - a]) / whole for k in range(max(lo + a, i - 3 * a), i - a + 1)
    )


def _noise_parts(hs: Sequence[float]) -> tuple[float, float]:
    """Noise of one reading (mm), the larger of two parts: robust, from second differences
    (motion barely bends them), and the rounding of the readings (1 cm on ESPHome's default
    plain topic)."""
    steps = map(abs, map(sub, hs[1:], hs[:-1], strict=True))
    quantum = min(filter((1e-6).__lt__, steps), default=0.0)  # (the steps over 1e-6)
    # |x - 2 x1 + x2| of each three readings in a row, summed in that order: the same values as
    # a loop over them would give, in C loops
    twice = map(mul, hs[1:-1], repeat(2.0))
    curvature = list(map(abs, map(add, map(sub, hs[2:], twice, strict=True), hs[:-2], strict=True)))
    sigma = median(curvature) / SECOND_DIFF_SCALE if curvature else 0.0
    return sigma, quantum * 12**-0.5


def _noise(hs: Sequence[float]) -> float:
    """Noise of one reading (mm): the larger of :func:`_noise_parts`."""
    sigma, rounding = _noise_parts(hs)
    return max(sigma, rounding)


def _move_window(ts: Sequence[float], k0: int, k1: int, a: int, step: float) -> int:
    """Half window (samples) for the speed of the move from sample ``k0`` to ``k1`` (``step``:
    the stream's period)."""
    span = min(MAX_HALF_S, MOVE_SHARE * (ts[k1] - ts[k0]))
    return max(a, _half(step, span)) if span > SPEED_HALF_S else a


def _descent_onset(
    ts: Sequence[float],
    hs: Sequence[float],
    lo: int,
    hi: int,
    crossing: float,
    level: float,
    noise: float,
) -> float | None:
    """When the hips, in the squeeze from sample ``lo`` and dropping by sample ``hi``, first sink
    at ``level`` (mm/s), read on the drop fitted to every reading from ``crossing`` (where the
    speeds pass the level) to ``hi``. None when too few readings, or no drop, are there.

    The squeeze's level is fitted to the readings before ``crossing``: still, or sagging,
    ``c + b t``, where the sag explains more than its one more parameter would of noise alone
    (Schwarz's criterion). Below it, the drop ``D = A (t - t0)^p`` is a straight line in
    ``D^(1/p) = A^(1/p) (t - t0)``: one weighted least-squares line (weights ``D^(2 - 2/p)``, to
    which a reading's noise in those units is inverse), in closed form, once per rep. A speed
    read over one window near the level sees a few readings whose noise, at a speed that small,
    moves the crossing by a tenth of a second; the fitted drop reads every reading to halfway.
    """
    # The squeeze is read over as long before the crossing as the drop after it: nearer, its
    # far end (where the hips arrived, or a dip before they left) is no part of this level.
    reach = crossing - SQUEEZE_SPAN * (ts[hi] - crossing)
    while lo < hi and ts[lo] < reach:
        lo += 1
    n = hi - lo + 1
    t_lo, h_lo = ts[lo], hs[lo]
    # times and heights from the squeeze's first: sums of small numbers, whatever the distances
    tt = [t - t_lo for t in ts[lo : hi + 1]]
    hh = [y - h_lo for y in hs[lo : hi + 1]]
    f = 0  # the first reading at or past the crossing
    while f < n and tt[f] < crossing - t_lo:
        f += 1
    if f < 3 or n - f < 3:
        return None
    mean_t, mean_h = sum(tt[:f]) / f, sum(hh[:f]) / f
    stt = sum((t - mean_t) ** 2 for t in tt[:f])
    sth = sum((t - mean_t) * (y - mean_h) for t, y in zip(tt[:f], hh[:f], strict=True))
    shh = sum((y - mean_h) ** 2 for y in hh[:f])
    sag = sth / stt if stt > 0.0 else 0.0
    sagging = shh - sag * sth
    if not (sagging > 0.0 and f * math.log(shh / sagging) > math.log(f)):
        sag = 0.0
    top = mean_h - sag * mean_t
    squeeze_rss = sagging if sag else shh
    sw = swt = swu = swtt = swtu = swuu = 0.0
    used = 0
    root = 1.0 / ONSET_POWER
    for t, y in zip(tt[f:], hh[f:], strict=True):
        drop = top + sag * t - y
        if drop > 0.0:
            u = drop**root
            w = (drop / u) ** 2
            sw += w
            swt += w * t
            swu += w * u
            swtt += w * t * t
            swtu += w * t * u
            swuu += w * u * u
            used += 1
    det = sw * swtt - swt * swt
    if det <= 0.0:
        return None
    rate = (sw * swtu - swt * swu) / det  # of D^(1/p): A^(1/p)
    if rate <= 0.0:
        return None
    t0 = (rate * swt - swu) / (rate * sw)
    # the drop's residual in heights: a reading's error in D^(1/p) is its own over p D^(1-1/p)
    drop_rss = ONSET_POWER**2 * (swuu - rate * swtu - (swu - rate * swt) / sw * swu)
    if squeeze_rss + drop_rss > (f + used - 4) * (FIT_NOISE * noise) ** 2:
        return None  # not a squeeze and a smooth drop (a sink, then the lowering): no fit
    # the fitted speed down, A p (t - t0)^(p - 1) - b, reaches the level
    beyond = max(level + sag, 0.0) / (rate**ONSET_POWER * ONSET_POWER)
    rise: float = beyond ** (1.0 / (ONSET_POWER - 1.0))
    return t_lo + t0 + rise


def _squeeze_start(
    ts: Sequence[float],
    hs: Sequence[float],
    lo: int,
    hi: int,
    crossing: float,
    level: float,
    noise: float,
) -> float | None:
    """When the hips, rising at sample ``lo`` and in the squeeze at sample ``hi``, last rose at
    ``level`` (mm/s): the squeeze's end as :func:`_descent_onset` reads it, on the lift run
    backwards (from the squeeze, the hips sink into the past as they sink into the lowering).
    None where that reads nothing."""
    back = range(hi, lo - 1, -1)
    onset = _descent_onset(
        [-ts[k] for k in back], [hs[k] for k in back], 0, hi - lo, -crossing, level, noise
    )
    return None if onset is None else -onset


def _monotone(values: Sequence[float]) -> list[tuple[float, int]]:
    """Least-squares non-decreasing fit (pool adjacent violators): O(n). The fit as its blocks,
    in order: (value, samples), each value ``total / count`` of the samples pooled in it."""
    blocks: list[tuple[float, int]] = []  # (total, count) of the blocks before the newest
    for v in values:
        # the newest block stays in locals while it pools the blocks it violates
        total, count = v, 1
        while blocks:
            last_total, last_count = blocks[-1]
            if last_total * count <= total * last_count:
                break
            del blocks[-1]
            total = last_total + total
            count = last_count + count
        blocks.append((total, count))
    return [(total / count, count) for total, count in blocks]


def _crossing(
    ts: Sequence[float],
    vs: Sequence[float],
    lo: int,
    hi: int,
    level: float,
    *,
    rising: bool,
    sign: float = 1.0,
) -> float:
    """When the speed ``sign * vs``, monotone between samples ``lo`` and ``hi`` (rising or
    falling), passes ``level``.

    Read on the monotone fit of the speeds, not on the first reading past the level: noise
    makes single readings cross early, and always towards where the search starts. The fit is
    constant within a block, so the first sample past the level is the first of a block, and
    the one before it the last of the block before.
    """
    if hi <= lo:
        return ts[lo]
    part = vs[lo : hi + 1]
    if (sign < 0) == rising:  # (sign is +-1: the fit reads exactly the speeds or their negatives)
        part = [-v for v in part]
    blocks = _monotone(part)
    if not rising:
        blocks = [(-value, count) for value, count in blocks]
    n = 0  # the first sample of the block
    before = 0.0  # the fit's value at sample n - 1
    for value, count in blocks:
        if (value >= level) if rising else (value < level):
            if n == 0:
                return ts[lo]
            frac = (level - before) / (value - before) if value != before else 1.0
            return ts[lo + n - 1] + min(1.0, max(0.0, frac)) * (ts[lo + n] - ts[lo + n - 1])
        before = value
        n += count
    return ts[hi]


def lagged_speed(ts: Sequence[float], hs: Sequence[float], a: int) -> tuple[float, float]:
    """(time, speed) at the newest sample that has ``a`` samples after it; for live use."""
    n = len(hs)
    k = n - 1 - a
    if k < a:
        return (ts[-1], 0.0)
    before_t = sum(ts[k - a : k + 1]) / (a + 1)
    after_t = sum(ts[k:n]) / (a + 1)
    if after_t <= before_t:
        return (ts[k], 0.0)
    before_h = sum(hs[k - a : k + 1]) / (a + 1)
    after_h = sum(hs[k:n]) / (a + 1)
    return (ts[k], (after_h - before_h) / (after_t - before_t))


class LiveSpeed:
    """:func:`lagged_speed` over LIVE_HALF_S on a stream, sample by sample, on the newest
    readings (the window re-estimated every RATE_REFRESH samples).

    The window after the lagged sample is, ``a`` samples later, the window before it: its sums
    are kept and read again then (the same numbers, summed once), so each sample sums one
    window, not two. The results are :func:`lagged_speed`'s on the same readings, exactly."""

    __slots__ = ("_half", "_kept", "_samples", "_sums", "ts", "xs")

    def __init__(self) -> None:
        self.ts: list[float] = []
        self.xs: list[float] = []
        self._half = 1
        self._kept = 16  # readings kept: a window either side, and 16 to re-estimate it on
        self._samples = 0  # samples ever pushed (not reset by :meth:`clear`)
        # sums (time, distance) of the last ``a + 1`` samples, as each sample made them (None:
        # fewer were in); the oldest is the window before the lagged sample, once ``a + 1`` are
        self._sums: deque[tuple[float, float] | None] = deque(maxlen=2)

    def clear(self) -> None:
        """What follows does not join up with what came before (a gap, a restart)."""
        self.ts.clear()
        self.xs.clear()
        self._sums.clear()  # (a window is read only once 2a + 1 new samples are in: tidiness)

    def _refresh(self) -> None:
        """Re-estimate the window on the newest readings; keep what it reads."""
        ts = self.ts
        half = half_window(ts[-16:] if len(ts) >= 16 else ts, LIVE_HALF_S)
        if half != self._half or self._sums.maxlen != half + 1:
            self._half = half
            self._kept = max(2 * half + 1, 16)
            self._sums = deque(maxlen=half + 1)
        excess = len(ts) - self._kept
        if excess > 0:  # (a narrower window keeps fewer)
            del ts[:excess]
            del self.xs[:excess]

    def push(self, t: float, x: float) -> tuple[float, float]:
        """Add a sample; (time, speed) at the newest sample that has ``a`` samples after it."""
        ts, xs = self.ts, self.xs
        ts.append(t)
        xs.append(x)
        self._samples += 1
        if self._samples % RATE_REFRESH == 1:
            self._refresh()
        elif len(ts) > self._kept:
            del ts[0], xs[0]  # (the window kept its width: one in, one out)
        a = self._half
        k = len(ts) - 1 - a
        sums = self._sums
        if k < a:
            sums.append((sum(ts[k:]), sum(xs[k:])) if k >= 0 else None)
            return (t, 0.0)
        after_t, after_x = sum(ts[k:]), sum(xs[k:])
        sums.append((after_t, after_x))
        before = sums[0] if len(sums) > a else None
        if before is None:
            before = (sum(ts[k - a : k + 1]), sum(xs[k - a : k + 1]))
        w = a + 1
        before_t, after_t = before[0] / w, after_t / w
        if after_t <= before_t:
            return (ts[k], 0.0)
        return (ts[k], (after_x / w - before[1] / w) / (after_t - before_t))
