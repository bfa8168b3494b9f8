"""Presence and the rep/hold state machine, on conditioned samples.

Position bands (fractions of the rep's own range) drive the state machine; the timings come from
:mod:`.timing`, which documents the definitions. Heights grow as the hips rise.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, replace
from enum import IntEnum
from itertools import islice
from typing import Protocol

from .calibration import CalibrationModel
from .settings import Side
from .timing import BOTTOM_BAND, LIVE_HALF_S, STILL_FRACTION, half_window, lagged_speed, measure

LOCKOUT = 0.80  # a rep whose range reaches this fraction of the calibrated range is complete
PARTIAL = 0.30  # smaller excursions are fidgeting, not partial reps
START = 0.25  # a rep attempt starts this far (fraction of calibrated range) above the valley
OVERSHOOT = 1.4  # beyond this the lifter is getting up, not thrusting
SEATED_LOW, SEATED_HIGH = -0.25, 0.3  # still levels in this band re-seat the bottom
# The floor is only ~0.4-0.6 ranges below a seated lifter when the sensor looks down.
ZONE_LOW, ZONE_HIGH = -0.25, 1.6  # still levels outside this band mean nobody is on the bench
STILL_TOL_MM = 20.0  # readings within this of their running mean are "still"
STILL_S = 0.6  # still for this long defines a level
FIRST_BASE_STILL_S = 1.0  # before the first rep, the lifter must have sat still this long
# Mount geometry (hardware/README.md): a sensor below the hips sees a seated lifter within
# ~35 cm; a sensor above must clear the top of the thrust, so it sees seated hips beyond ~45 cm.
BELOW_MAX_REST_MM = 400.0
ABOVE_MIN_REST_MM = 450.0
PRESENCE_STILL_S = 0.8
SEAT_MAX = 0.75  # before calibration, a still level below this fraction of the range is a seat
UNCAL_MAX_AT_PEAK_S = 6.0  # before calibration, a longer plateau is a step (sitting down)
MAX_REP_S = 40.0
MAX_ROM_MM = 550.0  # before calibration, a bigger excursion is someone getting on or off
MIN_REP_S = 0.5
ABSENT_AFTER_S = 1.0  # invalid/no-target readings for this long: lifter gone
DROPOUT_S = 0.25  # a silence this long mid-lowering may hide the bottom of the rep
SETTLE_TIMEOUT_S = 1.5
PLATEAU_S = 0.3  # the lowering ends at the latest this long after the bottom band
HISTORY_LEN = 4096  # samples kept for timing a rep (~80 s at 50 Hz)


class Stage(IntEnum):
    """Internal stages (the public Phase is derived from these)."""

    IDLE = 0
    LIFTING = 1
    HOLDING = 2
    LOWERING = 3
    MOVING = 4  # not a rep (getting up, aborted attempt): wait until still


@dataclass(frozen=True, slots=True)
class RepMeasure:
    """Timings and range of one finished rep attempt."""

    complete: bool
    started_t: float
    end_t: float
    concentric_s: float
    hold_s: float
    eccentric_s: float
    rom_mm: float
    rom_fraction: float  # of the calibrated range (1.0 when calibrated by this rep)
    peak_speed_mm_s: float
    lowering_peak_speed_mm_s: float
    lowering_mean_speed_mm_s: float


class RepSink(Protocol):
    """Receives what the detector finds."""

    def on_attempt(self, t: float) -> None: ...
    def on_lockout(self, t: float) -> None: ...
    def on_hold_started(self, t: float, started_t: float) -> None: ...
    def on_hold_reached(self, t: float) -> None: ...
    def on_rep(self, t: float, rep: RepMeasure) -> None: ...
    def on_presence(self, t: float, present: bool) -> None: ...
    def on_calibrated(self, t: float) -> None: ...


class RepDetector:
    """Turns conditioned distance samples into rep attempts, holds and presence changes."""

    def __init__(
        self,
        sink: RepSink,
        calibration: CalibrationModel,
        *,
        min_rom_mm: float,
        hold_band_fraction: float,
        dip_tolerance_s: float,
        hold_target_s: float,
    ) -> None:
        self.sink = sink
        self.cal = calibration
        self.min_rom = min_rom_mm
        self.band_fraction = hold_band_fraction
        self.dip_tolerance = dip_tolerance_s
        self.hold_target = hold_target_s
        self.side = Side.LEFT
        self.stage = Stage.IDLE
        self.present = False
        self.last_x = math.nan
        self.last_t = -math.inf
        self.last_valid_t = -math.inf
        self._ts: deque[float] = deque(maxlen=HISTORY_LEN)
        self._xs: deque[float] = deque(maxlen=HISTORY_LEN)
        self._count = 0  # samples ever pushed into the history
        self._after_last_rep = 0  # history index where the last rep's samples end
        self._still_mean = math.nan
        self._still_n = 0
        self._still_since = math.inf
        self.valley = math.nan  # lowest height since the last rep (height units)
        self._reset_rep()

    # --- helpers -------------------------------------------------------------------------
    def _reset_rep(self) -> None:
        self.sign = 0
        self.rep_start_t = math.nan
        self.rep_start_index = 0
        self.base = math.nan  # level the rep started from (height units)
        self.peak = -math.inf
        self.peak_t = math.nan
        self.plateau = math.inf  # before calibration: where the hips rested part-way up
        self.hold_level = math.inf  # the peak when the squeeze started
        self.locked_out = False
        self.hold_start_t = math.nan
        self.hold_notified = False
        self.exit_t = math.nan
        self.low = math.inf  # lowest height since leaving the hold band
        self.low_t = math.nan
        self.bottom_t = math.nan  # entered the bottom band; waiting for the hips to settle
        self.up_peak = 0.0
        self.down_peak = 0.0
        self._live_speed = 0.0
        self._lag = self._prev_lag = (-math.inf, 0.0)
        self._tail_t: list[float] = []
        self._tail_h: list[float] = []
        self._half = 1

    @property
    def calibrated_range(self) -> float | None:
        """Calibrated range for the current side."""
        return self.cal.range_for(self.side)

    @property
    def position(self) -> float | None:
        """Last hip height as a fraction of the calibrated range (None if unknown)."""
        rom = self.calibrated_range
        if (
            self.cal.sign == 0
            or rom is None
            or self.cal.bottom_h is None
            or math.isnan(self.last_x)
        ):
            return None
        return (self.cal.sign * self.last_x - self.cal.bottom_h) / rom

    def hold_elapsed(self, t: float) -> float | None:
        """Squeeze time so far in the current rep."""
        if self.stage is Stage.HOLDING and not math.isnan(self.hold_start_t):
            return max(0.0, t - self.hold_start_t)
        return None

    # --- inputs --------------------------------------------------------------------------
    def lost(self, t: float, since: float) -> None:
        """Readings have been invalid or out of range (or missing) since ``since``."""
        if t - max(since, self.last_valid_t) < ABSENT_AFTER_S:
            return
        if self.stage is not Stage.IDLE:
            self.stage = Stage.MOVING
            self._reset_rep()
        if self.present:
            self.present = False
            self.sink.on_presence(t, False)

    def gap(self) -> None:
        """A dropout or clock jump: the history no longer joins up."""
        self._still_since = math.inf
        self._still_n = 0
        if self.stage is not Stage.IDLE:
            self.stage = Stage.MOVING
            self._reset_rep()

    def push(self, t: float, x: float) -> None:
        """One conditioned sample: time (s) and distance (mm)."""
        self.last_t = t
        self.last_valid_t = t
        self.last_x = x
        self._ts.append(t)
        self._xs.append(x)
        self._count += 1
        mean = self._still_mean
        if self._still_n and abs(x - mean) <= STILL_TOL_MM:
            self._still_n += 1
            self._still_mean = mean + (x - mean) / self._still_n
        else:
            self._still_mean = x
            self._still_n = 1
            self._still_since = t
        sign = self.cal.sign
        if self.stage is Stage.IDLE:
            if sign == 0:
                self._idle_unoriented(t, x)
            else:
                self._idle(t, sign * x, sign)
        elif self.stage is Stage.MOVING:
            if self._level_still(t, STILL_S):
                self.stage = Stage.IDLE
                self.valley = math.nan
                if sign:
                    self._idle(t, sign * x, sign)
        else:
            self._in_rep(t, self.sign * x)

    # --- idle: presence, bottom tracking, rep start --------------------------------------
    def _level_still(self, t: float, needed: float) -> bool:
        return self._still_n > 1 and t - self._still_since >= needed

    def _set_present(self, t: float, present: bool) -> None:
        if present is not self.present:
            self.present = present
            self.sink.on_presence(t, present)

    def _idle_unoriented(self, t: float, x: float) -> None:
        """Before the first rep: look for an excursion in either direction."""
        if self._level_still(t, FIRST_BASE_STILL_S):
            self.valley = self._still_mean
            self._set_present(t, True)
        if math.isnan(self.valley):
            return  # with no orientation, attempts only start from a level the hips rested at
        delta = x - self.valley
        if self.present and abs(delta) >= 0.5 * self.min_rom:
            sign = 1 if delta > 0 else -1
            if (sign > 0 and self.valley > BELOW_MAX_REST_MM) or (
                sign < 0 and self.valley < ABOVE_MIN_REST_MM
            ):
                return  # not where a seated lifter's hips can be for a sensor on that side
            self._begin(t, sign, sign * self.valley)
            self._in_rep(t, sign * x)

    def _idle(self, t: float, h: float, sign: int) -> None:
        if math.isnan(self.valley) or h < self.valley:
            self.valley = h
        if self._level_still(t, STILL_S):
            self._still_level(t, sign * self._still_mean)
        if not self.present:
            return
        rom = self.calibrated_range
        start = max(START * rom, 0.5 * self.min_rom) if rom else 0.5 * self.min_rom
        if h - self.valley >= start:
            self._begin(t, sign, self.valley)
            self._in_rep(t, h)

    def _still_level(self, t: float, level: float) -> None:
        """The hips have been still at ``level``: re-seat the bottom or notice an empty bench."""
        self.valley = level
        rom = self.calibrated_range
        bottom = self.cal.bottom_h
        if rom is None or bottom is None:
            if not self.cal.manual_bottom:
                self.cal.bottom_h = level
            self._set_present(t, True)
            return
        p = (level - bottom) / rom
        if SEATED_LOW <= p <= SEATED_HIGH:
            if not self.cal.manual_bottom:
                self.cal.bottom_h = level
            self._set_present(t, True)
        elif (p < ZONE_LOW or p > ZONE_HIGH) and self._level_still(t, PRESENCE_STILL_S):
            self._set_present(t, False)

    def _begin(self, t: float, sign: int, base: float) -> None:
        self._reset_rep()
        self.sign = sign
        self.base = base
        self.rep_start_t = t
        self._half = half_window(
            list(islice(self._ts, max(0, len(self._ts) - 16), None)), LIVE_HALF_S
        )
        # Keep a lead-in: the lift started before the attempt was recognised.
        self.rep_start_index = max(
            self._count - 1 - 100, self._count - len(self._ts), self._after_last_rep
        )
        self.stage = Stage.LIFTING
        self.sink.on_attempt(t)

    # --- during a rep --------------------------------------------------------------------
    def _speed(self, t: float, h: float) -> tuple[float, float]:
        tail_t, tail_h = self._tail_t, self._tail_h
        tail_t.append(t)
        tail_h.append(h)
        if len(tail_t) > 2 * self._half + 1:
            del tail_t[0], tail_h[0]
        return lagged_speed(tail_t, tail_h, self._half)

    def _in_rep(self, t: float, h: float) -> None:
        base = self.base
        rom_cal = self.calibrated_range if self.cal.sign else None
        if self._tail_t and self.stage is Stage.LOWERING and math.isnan(self.bottom_t):
            self._bridge_dropout(t, base)
            if self.stage is not Stage.LOWERING:
                self._in_rep(t, h)  # the next rep may already be under way
                return
        if rom_cal is None and h > self.plateau + 0.5 * self.min_rom:
            # Before calibration: the hips sat still part-way (someone sat down on the bench)
            # and now rise beyond it. That plateau was the seat; the rep starts from there.
            self._begin(t, self.sign, self.plateau)
        self._prev_lag = self._lag
        lag_t, speed = self._speed(t, h)
        self._lag = (lag_t, speed)
        self._live_speed = speed
        if h > self.peak:
            held = self.hold_level
            if not math.isnan(self.hold_start_t) and h > held + self.band_fraction * (held - base):
                self.hold_start_t = math.nan  # that was a pause on the way up, not the top
            self.peak, self.peak_t = h, t
            if not self.locked_out and rom_cal is not None and h - base >= LOCKOUT * rom_cal:
                self.locked_out = True
                self.sink.on_lockout(t)
            elif rom_cal is None:
                self.locked_out = True
        rom = self.peak - base
        limit = OVERSHOOT * rom_cal if rom_cal else MAX_ROM_MM
        if rom > limit or t - self.rep_start_t > MAX_REP_S:
            self._abort()
            return
        band_level = self.peak - self.band_fraction * rom
        bottom_level = base + BOTTOM_BAND * rom
        if (
            rom_cal is None
            and self.stage is Stage.LOWERING
            and bottom_level < self.sign * self._still_mean < base + SEAT_MAX * rom
            and self._level_still(t, FIRST_BASE_STILL_S)
        ):
            # Before calibration, settling at a new level is sitting down, not the end of a rep:
            # remember it; if the hips then rise from it, the rep starts there.
            self.plateau = self.sign * self._still_mean
        stage = self.stage
        if stage is Stage.LIFTING or stage is Stage.HOLDING:
            self._rising(t, h, lag_t, speed, band_level, base, rom, rom_cal)
        if self.stage is Stage.LOWERING:
            self._lowering(t, h, lag_t, speed, band_level, bottom_level, base, rom, rom_cal)

    def _rising(
        self,
        t: float,
        h: float,
        lag_t: float,
        speed: float,
        band_level: float,
        base: float,
        rom: float,
        rom_cal: float | None,
    ) -> None:
        self.up_peak = max(self.up_peak, speed)
        if self.locked_out and h >= band_level:
            self.stage = Stage.HOLDING
            self.exit_t = math.nan
            if math.isnan(self.hold_start_t):
                level = STILL_FRACTION * self.up_peak
                if speed < level:
                    # Interpolate between the last two live estimates: at 10 Hz they are 0.1 s apart.
                    before_t, before = self._prev_lag
                    if before > level and lag_t > before_t:
                        lag_t = before_t + (before - level) / (before - speed) * (lag_t - before_t)
                    self.hold_start_t = lag_t
                elif t - self.peak_t >= PLATEAU_S:
                    # Jittery timestamps can keep the speed estimate up; a peak not bettered
                    # for PLATEAU_S is a plateau all the same.
                    self.hold_start_t = self.peak_t
                if not math.isnan(self.hold_start_t):
                    self.hold_level = self.peak
                    self.sink.on_hold_started(t, self.hold_start_t)
            if (
                rom_cal is None
                and not math.isnan(self.hold_start_t)
                and t - self.hold_start_t > UNCAL_MAX_AT_PEAK_S
            ):
                # A plateau this long before calibration is someone sitting down, not a squeeze.
                self._abort()
                return
            if (
                not self.hold_notified
                and not math.isnan(self.hold_start_t)
                and t - self.hold_start_t >= self.hold_target
                and speed > -STILL_FRACTION * self.up_peak  # not already on the way down
            ):
                self.hold_notified = True
                self.sink.on_hold_reached(t)
        elif self.stage is Stage.HOLDING:
            if math.isnan(self.exit_t):
                self.exit_t = t
            if t - self.exit_t > self.dip_tolerance or h < base + 0.5 * rom:
                self.stage = Stage.LOWERING
                self.low, self.low_t = h, t
        elif h <= base + BOTTOM_BAND * rom:
            # Came back down without reaching lockout: a partial rep (or fidgeting).
            self.stage = Stage.LOWERING
            self.low, self.low_t = h, t

    def _lowering(
        self,
        t: float,
        h: float,
        lag_t: float,
        speed: float,
        band_level: float,
        bottom_level: float,
        base: float,
        rom: float,
        rom_cal: float | None,
    ) -> None:
        if self.locked_out and h >= band_level and math.isnan(self.bottom_t):
            # Back up into the band: the squeeze goes on.
            self.stage = Stage.HOLDING
            self.exit_t = math.nan
            return
        self.down_peak = max(self.down_peak, -speed)
        if h < self.low:
            self.low, self.low_t = h, t
        if math.isnan(self.bottom_t):
            if h <= bottom_level:
                self.bottom_t = t
            elif (
                rom_cal is not None and h - self.low >= 0.25 * rom and self.low <= base + 0.5 * rom
            ):
                # Turned round above the bottom band: the rep ends at the valley.
                self._finish(t, valley=True)
            return
        if h < base + ZONE_LOW * rom:
            self._abort()  # kept going below the seat: getting off the bench, not a rep
            return
        settled = lag_t >= self.bottom_t and -speed < STILL_FRACTION * self.down_peak
        if settled or t - self.bottom_t >= SETTLE_TIMEOUT_S:
            self._finish(t, valley=False)

    def _bridge_dropout(self, t: float, base: float) -> None:
        """Readings stopped mid-lowering: finish the rep if the hips must have reached the bottom."""
        last_t, last_h = self._tail_t[-1], self._tail_h[-1]
        speed = self._live_speed
        if t - last_t < DROPOUT_S or speed >= 0:
            return
        bottom_level = base + BOTTOM_BAND * (self.peak - base)
        arrival = last_t + (bottom_level - last_h) / speed
        if arrival < t:
            self.low, self.low_t = bottom_level, arrival
            self._finish(last_t, valley=True, estimated_end=arrival)

    def _abort(self) -> None:
        self.stage = Stage.MOVING
        self._reset_rep()
        self._after_last_rep = self._count - 1

    def _finish(self, t: float, *, valley: bool, estimated_end: float | None = None) -> None:
        sign, base = self.sign, self.base
        rom = self.peak - base
        rom_cal = self.calibrated_range if self.cal.sign else None
        restart_from = self.low  # the valley: the next rep may already be on its way up
        if (
            rom < self.min_rom
            or (rom_cal is not None and rom < PARTIAL * rom_cal)
            or (t - self.rep_start_t < MIN_REP_S)
        ):
            self.stage = Stage.IDLE  # a small movement that came back: fidgeting
            self._reset_rep()
            self.valley = math.nan
            return
        measure_ = self._measure(sign, base, self.low_t if valley else t, estimated_end)
        calibrated_now = False
        if measure_.complete:
            if self.cal.sign == 0:
                self.cal.sign = sign
            if not self.cal.manual_bottom:
                self.cal.bottom_h = base
            side_range = self.cal.ranges[self.side]
            if side_range.manual is None:
                calibrated_now = side_range.value is None
                self.cal.learn_rom(self.side, measure_.rom_mm)
        self.stage = Stage.IDLE
        self._reset_rep()
        self.valley = restart_from
        self._after_last_rep = self._count - 1
        self.sink.on_rep(t, measure_)
        if calibrated_now:
            self.sink.on_calibrated(t)
        self._set_present(t, True)

    def _measure(
        self, sign: int, base: float, end_t: float, estimated_end: float | None
    ) -> RepMeasure:
        first = max(0, self.rep_start_index - (self._count - len(self._ts)))
        ts = list(islice(self._ts, first, None))
        hs = [sign * x for x in islice(self._xs, first, None)]
        end = len(ts) - 1
        while end > 0 and ts[end] > end_t:
            end -= 1
        begun = next((k for k in range(len(ts)) if ts[k] >= self.rep_start_t), 0)
        timing = measure(ts, hs, base, self.band_fraction, end, begun)
        if estimated_end is not None:
            timing = replace(timing, end_t=max(estimated_end, timing.hold_end_t))
        rom_cal = self.calibrated_range
        return RepMeasure(
            complete=self.locked_out,
            started_t=timing.start_t,
            end_t=timing.end_t,
            concentric_s=max(0.0, timing.hold_start_t - timing.start_t),
            hold_s=max(0.0, timing.hold_end_t - timing.hold_start_t),
            eccentric_s=max(0.0, timing.end_t - timing.hold_end_t),
            rom_mm=timing.rom,
            rom_fraction=timing.rom / rom_cal if rom_cal else 1.0,
            peak_speed_mm_s=timing.peak_speed,
            lowering_peak_speed_mm_s=timing.lowering_peak_speed,
            lowering_mean_speed_mm_s=timing.lowering_mean_speed,
        )
