"""The rep state machine for one orientation hypothesis: lifts from a valley, holds, lowerings.

Heights are ``h = sign * distance``: they grow as the hips rise if the hypothesis is right. The
tracker runs one detector per sign on the same samples; each reports *candidates* (round trips
that left a valley, turned at a top and came back) and live cues, and the calibration decides
which hypothesis is the lifter. Thresholds scale with the range learned for this hypothesis
(``scale``) or, before one is learned, with the stream's noise.

Stages: ``IDLE`` (tracking the valley) -> ``LIFTING`` -> ``HOLDING`` (from the top band; the
squeeze is timed once the hips stop rising) -> ``LOWERING`` -> candidate, back to ``IDLE`` at the
valley. After something that was not a rep (standing up, a jump) the valley is tracked afresh.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import IntEnum, StrEnum
from itertools import islice
from statistics import median

from .thresholds import (
    AT_BOTTOM_S,
    BELOW_SEAT,
    BURST_STEP,
    CUE_NOISE,
    CUE_SLACK,
    DOWN_AND_UP,
    DROPOUT_S,
    DWELL_FRACTION,
    DWELL_SCAN_S,
    FINISH_WAIT_S,
    HALFWAY,
    HOLD_BAND_NOISE,
    LOCKOUT,
    MAX_REP_S,
    MAX_THRUST_MM,
    MIN_REP_S,
    NOISE_MIN_ROM,
    NOISE_PARTIAL,
    NOISE_START,
    OVERSIZE,
    PLATEAU_S,
    REBOUND,
    REST_BEFORE_LIFT_S,
    RESTED_S,
    RESUMED_LIFT,
    RETURNED,
    SETTLE_S,
    SETTLE_TIMEOUT_S,
    STEADY_NOISE,
    STOP_FRACTION,
    SWIFT_S,
    TURN_BACK,
)
from .timing import (
    BOTTOM_BAND,
    BOTTOM_REGION,
    CUE_HALF_S,
    RATE_REFRESH,
    STILL_FRACTION,
    Lowering,
    RepTiming,
    lagged_speed,
    measure,
    read_lowering,
    recent_step,
    sample_step,
    taken_times,
)

HISTORY_LEN = 4096  # samples kept for timing a rep (~80 s at 50 Hz)
LEAD_IN = 100  # samples before a recognised attempt that may hold the start of the lift


class Stage(IntEnum):
    """Where one hypothesis thinks the hips are."""

    IDLE = 0
    LIFTING = 1
    HOLDING = 2
    LOWERING = 3


class Abort(StrEnum):
    """Why an attempt was dropped."""

    STOOD_UP = "stood_up"  # rose beyond any thrust
    RESTED_AT_TOP = "rested_at_top"  # "held" so long it was a rest: this hypothesis is upside down
    TOO_LONG = "too_long"
    BELOW_SEAT = "below_seat"  # sank below where it started: getting off the bench
    RESEATED = "reseated"  # a movement reported as activity settled on a new level: no rep
    INTERRUPTED = "interrupted"  # a gap, a jump or no target


class History:
    """The recent samples (time, distance) both hypotheses time their reps on."""

    __slots__ = ("count", "ts", "xs")

    def __init__(self) -> None:
        self.ts: deque[float] = deque(maxlen=HISTORY_LEN)
        self.xs: deque[float] = deque(maxlen=HISTORY_LEN)
        self.count = 0  # samples ever added

    def add(self, t: float, x: float) -> None:
        """Append one conditioned sample."""
        self.ts.append(t)
        self.xs.append(x)
        self.count += 1

    def since(self, index: int) -> tuple[list[float], list[float]]:
        """Samples from absolute ``index`` on (or from the oldest kept)."""
        first = max(0, index - (self.count - len(self.ts)))
        if not first:
            return list(self.ts), list(self.xs)
        # from the right: only the samples wanted are stepped through, not the whole deque
        wanted = max(0, len(self.ts) - first)
        ts = list(islice(reversed(self.ts), wanted))
        xs = list(islice(reversed(self.xs), wanted))
        ts.reverse()
        xs.reverse()
        return ts, xs


@dataclass(slots=True)
class RepInProgress:
    """The attempt being tracked; ``None`` means not reached yet."""

    begun_t: float  # when the rise was recognised
    begun_index: int  # history index of that sample
    first_index: int  # history index where its samples (with the lead-in) start
    base: float  # the valley it rose from
    peak: float
    peak_t: float
    # The peak as it last rose by more than the noise (STEADY_NOISE sigma), and when: a still
    # level's noisy readings better the peak by a quantum now and then, never by that much.
    peak_mark: float = -math.inf
    peak_mark_t: float = -math.inf
    stage: Stage = Stage.LIFTING
    locked_out: bool = False
    hold_start_t: float | None = None  # the hips stopped rising at the top
    hold_level: float | None = None  # where the squeeze is: its top, or higher where it stayed
    hold_notified: bool = False
    slowest_descent: float | None = None  # slowest descent read in the band past the target
    exit_t: float | None = None  # left the hold band (a dip, or the lowering)
    exit_index: int = 0  # history count at the first reading out of the band then
    low: float | None = None  # lowest point since leaving the top
    low_t: float | None = None
    bottom_t: float | None = None  # reached the bottom region
    settled_t: float | None = None  # the lowering's speed settled there
    up_peak: float = 0.0  # fastest rise (mm/s)
    down_peak: float = 0.0  # fastest descent (mm/s)
    active: bool = False  # reported to the session as activity (rep-sized)
    rest_level: float | None = None  # a level held for long on the way up (maybe a seat)
    top_hidden: bool = False  # the readings stopped at the top: they must resume there
    top_may_resume: bool = True  # resuming in the band continues the squeeze (a short stop)
    lift_hidden: bool = False  # the readings stopped on the way up: they must resume higher
    left_top: bool = False  # the silence hid the way down: the readings stopped below the
    # squeeze's band, or the squeeze held through the silence would outlast the lifter's own
    landing: bool = False  # the readings jumped past the lift: they must land within the rep
    at_bottom: tuple[float, float] | None = None  # (t, height) since when the lowering has
    # stayed in the bottom band
    base_seen: bool = True  # False: the lift was under way when the readings (re)started
    lowered_unseen: bool = False  # the readings resumed part-way down after a seen squeeze
    low_unseen: bool = False  # ``low`` is the first reading after a silence (DROPOUT_S): the
    # bottom may have been in it
    blind_from: float | None = None  # the sensor saw nothing (no target) from the squeeze
    # of this rep on, since its last reading then (see :meth:`Detector.went_blind`)

    @property
    def rise(self) -> float:
        """Highest point so far above the valley."""
        return self.peak - self.base


@dataclass(frozen=True, slots=True)
class Candidate:
    """A round trip one hypothesis saw: what the calibration weighs and the session counts."""

    sign: int
    begun_t: float
    end_t: float  # the sample that finished it (the rep event's time)
    base: float  # height of the valley it started from
    timing: RepTiming
    quiet: bool  # opened a run: began after a quiet rest (set by the tracker)
    dwell_before: float  # s the hips stayed near the base before the lift
    dwell_top: float  # s the hips stayed near the top (same band as ``dwell_before``)
    low: float  # height the lowering came down to (where the next lift starts)
    locked_out: bool  # reached LOCKOUT of the scale it was tracked with (True when unscaled)
    # The least share of the range that the lift or the lowering covered within SWIFT_S (see
    # :func:`swift_share`): near 1, something entered and left the beam, or a very fast lift.
    swift: float = 0.0

    @property
    def rom(self) -> float:
        """The rep's range (its highest point above where it started)."""
        return self.timing.rom

    @property
    def returned(self) -> bool:
        """Came back down to about where it started, as a rep does: not someone settling on
        another level (sitting down from standing, onto the still empty bench)."""
        return self.low - self.base <= RETURNED * self.rom

    @property
    def rested(self) -> bool:
        """Lifted after a real rest (not a pause between reps): it opens a run."""
        return self.quiet and self.dwell_before >= RESTED_S

    @property
    def concentric_s(self) -> float:
        """Lift time."""
        return max(0.0, self.timing.hold_start_t - self.timing.start_t)

    @property
    def hold_s(self) -> float:
        """Squeeze time."""
        return max(0.0, self.timing.hold_end_t - self.timing.hold_start_t)

    @property
    def eccentric_s(self) -> float:
        """Lowering time."""
        return max(0.0, self.timing.end_t - self.timing.hold_end_t)


@dataclass(frozen=True, slots=True)
class Lockout:
    """The attempt ``rep`` reached lockout of the learned range at ``t``."""

    t: float
    rep: RepInProgress


@dataclass(frozen=True, slots=True)
class HoldStarted:
    """The hips stopped rising at the top of ``rep`` (the squeeze is timed from ``started_t``)."""

    t: float
    started_t: float
    rep: RepInProgress


@dataclass(frozen=True, slots=True)
class HoldReached:
    """The squeeze of ``rep`` reached the target."""

    t: float
    rep: RepInProgress


@dataclass(frozen=True, slots=True)
class Aborted:
    """An attempt was dropped at ``t``, having risen ``rise`` (mm) from where it began."""

    t: float
    why: Abort
    rise: float = 0.0
    rested: float = 0.0  # (STOOD_UP) how long the hips stayed at the base before it rose
    base: float | None = None  # (STOOD_UP) the height it rose from


@dataclass(frozen=True, slots=True)
class _Timed:
    """A rep's lowering read on the history's samples from ``key[0]`` up to the newest
    (``key[1]`` samples ever added); ``key`` also holds what else the timing read (start, base,
    band)."""

    key: tuple[int, int, float, float, float]
    ts: list[float]
    hs: list[float]  # heights, this hypothesis' way up
    begun: int  # index in ``ts`` of the sample where the rise was recognised
    lowering: Lowering  # (its :meth:`~.Lowering.timing` times the rep once it is taken)


# What a detector's call found, in order: live cues, dropped attempts and round trips.
type Finding = Lockout | HoldStarted | HoldReached | Aborted | Candidate


class Detector:
    """One orientation hypothesis' rep state machine."""

    def __init__(
        self,
        sign: int,
        history: History,
        *,
        band_fraction: float,
        dip_tolerance_s: float,
        hold_target_s: float,
        max_hold_s: float,
        start_fraction: float,
    ) -> None:
        self.sign = sign
        self.history = history
        self.band_fraction = band_fraction
        self.dip_tolerance = dip_tolerance_s
        self.hold_target = hold_target_s
        self.max_hold = max_hold_s
        self.start_fraction = start_fraction
        self.scale: float | None = None  # learned range for this hypothesis (mm)
        self.sigma = 2.0  # the stream's noise (mm), kept current by the tracker
        self.wander = 0.0  # how far resting readings wander (mm, sigma), kept by the tracker
        self.range_in_doubt = False  # the scale may not be this lifter's (kept by the tracker)
        self.stage = Stage.IDLE
        self.rep: RepInProgress | None = None
        self.valley: float | None = None
        # False while the valley is only the first reading after a silence that began with a
        # rep at its top (no reading saw the hips turn or rest there: the next lift may have
        # been under way); ``after_silence`` says so until the next reading.
        self.valley_seen = True
        self.after_silence = False
        self.seat_before_silence: float | None = None  # where a silence left the hips at rest
        self._after_last_rep = 0  # history index where the last rep's samples end
        self._last_t = -float("inf")
        self._last_h = 0.0
        self._live_speed = 0.0
        self._cue_half = 0  # samples either side of the speed the hold cue reads
        self._cue_half_at = 0  # history count when it was last worked out
        self._cue_step = 0.0  # the stream's period then (s)
        self._cue_skipped = 0  # readings of a burst whose speed the hold cue could not read yet
        self._lowering_peaks: deque[float] = deque(maxlen=5)  # this lifter's recent lowerings
        # Their median (None: none yet), kept with them: the hold cue reads it every reading.
        self._lowering_median: float | None = None
        self._holds: deque[float] = deque(maxlen=5)  # this lifter's recent squeezes (s)
        self._hold_median: float | None = None  # their median (None: none yet)
        # Someone sat down since they were learned: maybe another lifter. Read until the first
        # rep of whoever it is replaces them (a guess better than none for that rep).
        self._habits_stale = False
        self._found: list[Finding] = []  # what the call under way found, handed back at its end
        self._timed: _Timed | None = None  # the rep under way, timed on this sample

    # --- thresholds ------------------------------------------------------------------------
    def start_threshold(self) -> float:
        """Rise above the valley that begins an attempt."""
        noise = NOISE_START * self.sigma
        return max(self.start_fraction * self.scale, noise) if self.scale else noise

    def rep_like(self) -> float:
        """Rise that makes an attempt matter (a cue may follow, the run is busy)."""
        if self.scale:
            return max(LOCKOUT * self.scale, NOISE_MIN_ROM * self.sigma)
        return NOISE_MIN_ROM * self.sigma

    def reported(self) -> float:
        """Rise of the smallest movement the session hears of (a partial rep)."""
        if self.scale:
            return max(2.0 * self.start_fraction * self.scale, NOISE_PARTIAL * self.sigma)
        return NOISE_MIN_ROM * self.sigma

    def band(self, rise: float) -> float:
        """Depth of the hold band under the peak: a fraction of the rise, never narrower than
        the noise (readings flipping between two quanta of a coarse stream stay in it)."""
        by_rise, by_noise = self.band_fraction * rise, HOLD_BAND_NOISE * self.sigma
        return by_noise if by_noise > by_rise else by_rise  # (max(), without a call per reading)

    @property
    def busy(self) -> bool:
        """An attempt of reportable size is under way."""
        rep = self.rep
        return rep is not None and rep.rise >= self.reported()

    def oversized(self) -> bool:
        """The attempt under way rose beyond any thrust of the learned range (OVERSIZE):
        standing up, or the range changed."""
        rep, scale = self.rep, self.scale
        return rep is not None and scale is not None and rep.rise > OVERSIZE * scale

    def top_out_of_view(self) -> bool:
        """The last reading was at the top of a locked-out rep of the learned size, still in
        the hold band: if the readings stop now, the top went out of view."""
        rep, scale = self.rep, self.scale
        if rep is None or scale is None or not rep.locked_out or rep.stage > Stage.HOLDING:
            return False
        return rep.rise <= OVERSIZE * scale and self._last_h >= rep.peak - self.band(rep.rise)

    def rising_out_of_view(self) -> bool:
        """The last reading was on a lift under way (rising, not beyond the learned range): if
        the readings stop now, the hips may have risen where the sensor cannot range (near the
        lens, a reflection) and where they come back in view tells whether the lift went on."""
        rep, scale = self.rep, self.scale
        if rep is None or scale is None or rep.stage is not Stage.LIFTING:
            return False
        return self._live_speed > 0 and rep.rise <= OVERSIZE * scale

    def locked_out_of_size(self) -> bool:
        """A rep of the learned size is past its lift: at its top, leaving it, or lowering."""
        rep, scale = self.rep, self.scale
        return (
            rep is not None
            and scale is not None
            and rep.locked_out
            and rep.stage is not Stage.LIFTING
            and rep.rise <= OVERSIZE * scale
        )

    def within_rep(self, h: float) -> bool:
        """Height ``h`` lies where the rep under way's hips can be: between where it started and
        its top, give or take a band (the floor or someone standing lie beyond)."""
        rep = self.rep
        if rep is None:
            return False
        band = self.band(rep.rise)
        return rep.base - band <= h <= rep.peak + band

    def past_the_top(self) -> bool:
        """A locked-out rep of the learned size is in its squeeze (in its band or leaving it)
        or on its way down, not yet at the bottom: if the readings stop now, where they resume
        tells whether it went on."""
        rep = self.rep
        if rep is None or (rep.stage is Stage.LOWERING and rep.bottom_t is not None):
            return False
        return self.top_out_of_view() or (
            rep.stage >= Stage.HOLDING
            and self.scale is not None
            and rep.locked_out
            and rep.rise <= OVERSIZE * self.scale
        )

    def went_blind(self) -> None:
        """The sensor sees no target (sunlight, dark clothing) since the last reading, which
        was at the top of a rep of the learned size whose squeeze was seen: where the readings
        come back tells whether that squeeze went on or the next rep's began (:meth:`step`)."""
        rep = self.rep
        if (
            rep is not None
            and rep.blind_from is None
            and self._squeezed(rep)
            and self.top_out_of_view()
        ):
            rep.blind_from = self._last_t

    def resume_after(self, t: float, silent_s: float) -> Sequence[Finding]:
        """The readings resume at ``t`` after ``silent_s`` of silence (a gap, not the lifter
        leaving): a rep at or past its top waits for where they are (back in the band, or down
        at the bottom); any other attempt is dropped as :meth:`interrupt` drops it. Back in the
        band continues the squeeze only if the silence was too short to hide a lowering and
        another lift."""
        rep = self.rep
        if rep is not None and self.past_the_top():
            rep.top_hidden = True
            lift_s = (rep.hold_start_t or rep.peak_t) - rep.begun_t
            rep.top_may_resume = silent_s < DOWN_AND_UP * lift_s
            rep.left_top = self._last_h < rep.peak - self.band(rep.rise) or self._outlasted(
                rep, t, self._last_t
            )
            self.valley = None
            self.after_silence = True
            return self._take()
        seat = self.valley if rep is None and self.valley_seen else None
        found = self.interrupt(t)
        self.seat_before_silence = seat if rep is None else rep.base
        return found

    # --- inputs --------------------------------------------------------------------------
    def _take(self) -> Sequence[Finding]:
        found = self._found
        if not found:
            return ()  # (most calls: no list to allocate)
        self._found = []
        return found

    def interrupt(self, t: float) -> Sequence[Finding]:
        """The data stopped joining up (gap, jump, nobody there): drop the attempt, or finish a
        rep that was back at the bottom (only the end of its timing was still being read)."""
        rep = self.rep
        if rep is not None and rep.stage is Stage.LOWERING and rep.bottom_t is not None:
            self._finish(self._last_t, at_valley=False)
        elif rep is not None:
            self._abort(t, Abort.INTERRUPTED)
        self.stage = Stage.IDLE
        self.disjoin()
        return self._take()

    def disjoin(self) -> None:
        """The readings from here on do not join up with those before (a gap, a jump): the
        next lift rises from a valley found afresh, and its timing reads no sample from before
        (a lead-in across the jump would time someone sitting down as the start of the lift)."""
        self.valley = None
        self._after_last_rep = self.history.count

    def lifter_arrived(self) -> None:
        """Someone sat down: this lifter's habits (lowering speed, squeeze) may be another's.
        They stand until this lifter's first rep replaces them: a lifter who took a turn after
        another was judged by the other's lowering speed for three reps (the median of five),
        and a slow lowering start passed for still under a quicker lowerer's 15 % (false cues)."""
        self._habits_stale = True

    def rest(self, level: float, still_s: float) -> None:
        """The hips have been still at ``level`` (height) for ``still_s`` seconds."""
        rep = self.rep
        if rep is None:
            # A level below the valley is the new valley; one above only once settled on it
            # (re-seated), not on the way up of a slow turn.
            if self.valley is None or level < self.valley or still_s >= SETTLE_S:
                self.valley = level
                self.valley_seen = True
        elif rep.stage is Stage.LIFTING and rep.rise < self.rep_like():
            # Settled part-way. Below a partial's size that is fidgeting or re-seating; a
            # partial-sized top may be a squeeze (or a shorter range): only a stay longer than
            # any hold makes it a new level. (Still now and its peak not bettered for that
            # long counts too: a seated lifter's stray reading restarts the still time.)
            if (
                rep.rise < self.reported()
                or still_s > self.max_hold
                or self._last_t - rep.peak_t > self.max_hold
            ):
                self._reseat(rep, level)
        elif (
            rep.stage is Stage.LOWERING
            and rep.bottom_t is None
            and level > rep.base + BOTTOM_REGION * rep.rise
            and still_s >= SETTLE_S
            and (not self._sagging(rep, level, still_s) or self._outstayed(rep))
        ):
            self._drop(level)  # came down to rest on a new level: sitting down, not a rep
        elif rep.stage is Stage.HOLDING and rep.hold_level is not None and level > rep.hold_level:
            # The squeeze settled higher than where it began (the last of the lift, a creep): a
            # rise on is measured from where the hips stay, or one noisy reading a quantum above
            # them passed for rising on and restarted the squeeze.
            rep.hold_level = level

    def _outstayed(self, rep: RepInProgress) -> bool:
        """A partial-sized attempt's peak has not been bettered by more than the noise for
        longer than any squeeze (readings in whole centimetres better it by one now and then,
        and restart the still time): no top of a partial rep lasts that long, the level the
        hips came down to is a new one (the lifter shifted on the seat)."""
        return not rep.locked_out and self._last_t - rep.peak_mark_t > self.max_hold

    def _sagging(self, rep: RepInProgress, level: float, still_s: float) -> bool:
        """The hips have been at ``level`` since before they left the top: a squeeze sagging into
        a slow lowering, not a new level to sit on. Only a squeeze sags: a rise that overshot
        and settled back a little, never still at its peak, is someone sitting down. (Once a range
        is learned, a partial rep's squeeze is no hold: still since before its peak, the level
        is its top.)"""
        since = self._last_t - still_s
        if rep.hold_start_t is not None and rep.exit_t is not None:
            return since < rep.exit_t
        return (
            self.scale is not None
            and not rep.locked_out
            and rep.rise >= self.reported()
            and since <= rep.peak_t
        )

    def _reseat(self, rep: RepInProgress, level: float) -> None:
        """The hips rose part-way and settled on ``level`` for longer than any squeeze: no rep.
        If it was reported as activity, say it was none (the set's pause did not stop for it).
        (A lowering that comes to rest above the bottom stays activity: it may be a rep that
        ends above the seat, counted all the same.)"""
        self._drop(level)
        if rep.active:
            self._found.append(Aborted(self._last_t, Abort.RESEATED))

    def _drop(self, level: float) -> None:
        self.rep = None
        self.stage = Stage.IDLE
        self.valley = level
        self.valley_seen = True
        self._after_last_rep = self.history.count - 1

    def bridge(self, t: float, h: float) -> Sequence[Finding]:
        """Before the sample at ``t`` (height ``h``): if the readings stopped mid-lowering, the
        rep may be over. Its findings come before the sample's, which is measured against what
        they change."""
        rep = self.rep
        if rep is None or rep.stage is not Stage.LOWERING or t - self._last_t < DROPOUT_S:
            return ()  # (almost every sample)
        if rep.bottom_t is None:
            if not self._going_on_down(rep, t, h):
                self._bridge_dropout(t)
        else:
            self._finish(self._last_t, at_valley=False)  # the readings before time it
        return self._take()

    def step(
        self, t: float, h: float, lag_t: float, speed: float, before: tuple[float, float]
    ) -> Sequence[Finding]:
        """One sample (after :meth:`bridge`): height ``h`` at ``t``; live ``speed`` (mm/s, rising
        positive) at ``lag_t``; ``before``: the previous (lag time, speed), for interpolation."""
        rep = self.rep
        if rep is not None and rep.blind_from is not None:
            blind_from, rep.blind_from = rep.blind_from, None
            if self._outlasted(rep, t, blind_from):
                band = self.band(rep.rise)
                if rep.peak - band <= h <= rep.peak + band:
                    # Back at the top: the next rep's squeeze (not above it: someone standing,
                    # sitting down through the beam). This rep was lowered unseen.
                    self._finish(blind_from, at_valley=False)
                    self._begin(t, rep.base)
                    rep = self.rep
                elif rep.base + BOTTOM_REGION * rep.rise < h < rep.peak - band:
                    # Back part-way: going on down, this is the lowering; rising again, the
                    # rep was lowered unseen and the next lift is under way (as after a
                    # silence, :meth:`resume_after`).
                    rep.stage = Stage.LOWERING
                    rep.lowered_unseen = True
                    rep.low, rep.low_t = h, t
        if rep is not None and rep.top_hidden:
            rep.top_hidden = False
            at_top = h >= rep.peak - self.band(rep.rise)
            lift_lost, rep.lift_hidden = rep.lift_hidden and not at_top, False
            part_way = not at_top and h > rep.base + BOTTOM_REGION * rep.rise
            if part_way and not lift_lost and self._squeezed(rep):
                # Back in view part-way down after a silence, the squeeze seen before it: the
                # hips left the top meanwhile. Going on down, this is the lowering; rising
                # again, the rep was lowered unseen and the next lift is under way.
                rep.stage = Stage.LOWERING
                rep.lowered_unseen = True
                rep.low, rep.low_t = h, t
            elif at_top and not rep.top_may_resume and self._top_of_a_rep(rep.base, h):
                # Back at a top of the learned size after a silence a lowering and another lift
                # could fill: a rep is at its top now, its lift unseen. The one before counts
                # if it left its top meanwhile (else it may be this one: nothing is known).
                self._restart_at_top(t, rep)
                rep = self.rep
            elif lift_lost or (at_top and not rep.top_may_resume) or part_way:
                # Back in view neither at the top nor back down where the lift left: not the
                # squeeze that went out of view (someone stood up out of range and is sitting
                # down again). Back at the bottom, the rep was lowered while the sensor saw
                # nothing (sunlight, dark clothing): the lowering goes on from there. Back at
                # the top after a silence a lowering and a lift could fill: unknown.
                self._abort(t, Abort.INTERRUPTED)
                rep = None
        seat = self.seat_before_silence
        if seat is not None:  # (the first reading after a silence)
            self.seat_before_silence = None
            if rep is None and self._top_of_a_rep(seat, h):
                # Back at a rep's top over the seat the readings left: a lift went on unseen.
                self.valley_seen = False
                self._begin(t, seat)
                rep = self.rep
        if rep is None:
            # Idle (most samples): tracking the valley, here without a call.
            valley = self.valley
            if valley is None:
                self.valley = valley = h
                self.valley_seen = not self.after_silence
            elif h < valley:
                self.valley = valley = h
                self.valley_seen = True
            # (the start threshold is never under the noise's: most readings fall short of that)
            if h - valley >= NOISE_START * self.sigma:
                self._maybe_begin(t, h, valley)
        else:
            self._in_rep(t, h, lag_t, speed, before)
        self._last_t, self._last_h, self._live_speed = t, h, speed
        self.after_silence = False
        found = self._found  # (as _take, without a call for every sample)
        if not found:
            return ()
        self._found = []
        return found

    # --- idle ----------------------------------------------------------------------------
    def _maybe_begin(self, t: float, h: float, valley: float) -> None:
        """Idle at ``h``, risen above the noise from ``valley``: an attempt begins once the
        rise reaches the start threshold."""
        if h - valley >= self.start_threshold():
            self._begin(t, valley)
            self._in_rep(t, h, t, 0.0, (t, 0.0))

    def _begin(self, t: float, base: float) -> None:
        history = self.history
        first = max(
            history.count - 1 - LEAD_IN, history.count - len(history.ts), self._after_last_rep
        )
        self.rep = RepInProgress(
            begun_t=t,
            begun_index=history.count - 1,
            first_index=first,
            base=base,
            peak=base,
            peak_t=t,
            base_seen=self.valley_seen,
        )
        self.stage = Stage.LIFTING

    # --- during a rep --------------------------------------------------------------------
    def _in_rep(
        self, t: float, h: float, lag_t: float, speed: float, before: tuple[float, float]
    ) -> None:
        rep = self.rep
        assert rep is not None
        base = rep.base
        if h > rep.peak:
            if rep.stage is Stage.LOWERING and rep.bottom_t is not None and self._rebounded(rep, h):
                # Back down at the bottom and now past the top: what rises (the next lift, or
                # someone standing up) is another movement, and the rep ended at the valley.
                # (Read before the top is raised: a squeeze and then more rise would be a pause
                # on the way up, and the rep would be lost.)
                self._finish(t, at_valley=True)
                return
            if (
                rep.stage is Stage.LOWERING
                and rep.bottom_t is None
                and not rep.locked_out
                and not self._rebounded(rep, h)
            ):
                # Turned back, never halfway down, and now past the top: a hitch on the way
                # up, not a partial rep and the next lift (read so, the rise grew under the
                # dip's valley, which passed for halfway down).
                rep.stage = Stage.LIFTING
                rep.low = rep.low_t = None
            hold_level = rep.hold_level
            # Higher than a band above where the squeeze began, *and rising* (the definition's
            # speed): a creep or noisy readings at the top are still the same squeeze. So is a
            # rise that resting readings make by themselves (the sensor's slow wander).
            if (
                hold_level is not None
                and h > hold_level + self.band(hold_level - base)
                and speed >= STILL_FRACTION * rep.up_peak
                and (
                    h > hold_level + NOISE_START * self.wander
                    or self._lift_went_on(rep, hold_level, h, lag_t, speed)
                )
            ):
                hold_start = rep.hold_start_t
                if hold_start is not None and t - hold_start >= REST_BEFORE_LIFT_S:
                    # A long stay there, then rising on: the level is where the hips stayed
                    # (the lowest since the stay began, as a valley is), not the first height
                    # of it (someone sitting down reaches the seat from above and sinks onto it).
                    rep.rest_level = self._lowest_since(hold_start)
                rep.hold_start_t = None  # that was a pause on the way up, not the top
                rep.hold_level = None
            rest_level = rep.rest_level
            if rest_level is not None and h - rest_level >= self.rep_like():
                # A whole rep's rise above a level the hips stayed at for long: that level was
                # a seat (sitting down after arriving reads as a rise), the lift starts there.
                self._drop(rest_level)
                self._begin(t, rest_level)
                rep = self.rep
                assert rep is not None
                base = rep.base
            rep.peak, rep.peak_t = h, t
            if h > rep.peak_mark + STEADY_NOISE * self.sigma:
                rep.peak_mark, rep.peak_mark_t = h, t
            scale = self.scale
            if not rep.locked_out and (scale is None or rep.rise >= LOCKOUT * scale):
                rep.locked_out = rep.rise >= self.rep_like() if scale is None else True
                if rep.locked_out and scale is not None:
                    self._found.append(Lockout(t, rep))
        rise = rep.rise
        if rise > MAX_THRUST_MM:
            self._abort(t, Abort.STOOD_UP)
            return
        if t - rep.begun_t > MAX_REP_S:
            self._abort(t, Abort.TOO_LONG)
            return
        if rep.stage is Stage.LIFTING or rep.stage is Stage.HOLDING:
            self._rising(t, h, lag_t, speed, before, rep)
        if self.rep is rep and rep.stage is Stage.LOWERING:
            self._lowering(t, h, lag_t, speed, rep)

    def _lift_went_on(
        self, rep: RepInProgress, hold_level: float, h: float, lag_t: float, speed: float
    ) -> bool:
        """The squeeze timed from ``hold_level`` was a pause on the way up: within the dip
        tolerance of it the hips rose on at the lift's pace (RESUMED_LIFT of its still speed)
        past the noise and out of the band of where they are now, so the pause lay below the
        top band, where the definition's squeeze cannot start. Slow rises above a squeeze wait
        for six of the resting readings' wander instead (:meth:`_in_rep`): a wobbling ball
        wanders further than the rest of a lift."""
        hold_start = rep.hold_start_t
        return (
            hold_start is not None
            and lag_t - hold_start <= self.dip_tolerance
            and speed >= RESUMED_LIFT * STILL_FRACTION * rep.up_peak
            and h - hold_level > max(self.band(h - rep.base), NOISE_START * self.sigma)
        )

    def _lowest_since(self, t: float) -> float:
        """The lowest height of the readings from ``t`` on (the newest included)."""
        ts, xs, sign = self.history.ts, self.history.xs, self.sign
        k = len(ts) - 1
        lowest = sign * xs[k]
        while k > 0 and ts[k - 1] >= t:
            k -= 1
            lowest = min(lowest, sign * xs[k])
        return lowest

    def _rising(
        self,
        t: float,
        h: float,
        lag_t: float,
        speed: float,
        before: tuple[float, float],
        rep: RepInProgress,
    ) -> None:
        rep.up_peak = max(rep.up_peak, speed)
        rise = rep.rise
        band_level = rep.peak - self.band(rise)
        if not rep.locked_out:
            if rep.rise >= self.rep_like() and self.scale is None:
                rep.locked_out = True
            elif h < rep.peak - TURN_BACK * rise and speed < 0:
                # Came back down before lockout: a partial rep (or a fidget, if small).
                rep.stage = Stage.LOWERING
                self._set_low(rep, t, h)
                return
        if not rep.locked_out:
            if self.range_in_doubt and rise >= self.reported() and h >= band_level:
                self._provisional_squeeze(t, lag_t, speed, before, rep)
            return
        if h >= band_level:
            rep.stage = Stage.HOLDING
            rep.exit_t = None
            if rep.hold_start_t is None:
                self._maybe_start_hold(t, lag_t, speed, before, rep)
            hold_start = rep.hold_start_t
            if hold_start is None:
                return
            if t - hold_start > self.max_hold:
                self._abort(t, Abort.RESTED_AT_TOP)
                return
            if not rep.hold_notified and self._held_until(hold_start + self.hold_target, rep):
                rep.hold_notified = True
                self._found.append(HoldReached(t, rep))
        elif rep.stage is Stage.HOLDING:
            if rep.exit_t is None:
                rep.exit_t = t
                rep.exit_index = self.history.count
            hold_start = rep.hold_start_t
            if (
                hold_start is not None
                and not rep.hold_notified
                and self._cue_skipped
                and self._held_until(
                    hold_start + self.hold_target, rep, self.history.count - rep.exit_index + 1
                )
            ):
                rep.hold_notified = True
                self._found.append(HoldReached(t, rep))
            self._confirm_hold(t, rep)
            if t - rep.exit_t > self.dip_tolerance or h < rep.base + HALFWAY * rise:
                rep.stage = Stage.LOWERING
                self._set_low(rep, t, h)
        elif h < rep.peak - TURN_BACK * rise and speed < 0:
            rep.stage = Stage.LOWERING  # turned back below the band without a squeeze
            self._set_low(rep, t, h)

    def _set_low(self, rep: RepInProgress, t: float, h: float) -> None:
        """The lowering is at its lowest yet: ``h`` at ``t`` (the first reading after a
        silence of DROPOUT_S or more: the bottom may have been in it)."""
        rep.low, rep.low_t = h, t
        rep.low_unseen = t - self._last_t >= DROPOUT_S

    def _held_until(self, reach_t: float, rep: RepInProgress, newest: int = 0) -> bool:
        """Whether the squeeze lasted until ``reach_t``: the hips' speed *at* that moment, read
        once CUE_HALF_S of readings after it are in, is under 15 % of the speed this lifter
        lowers at (the definition's level; the lift's before any lowering was seen).

        Read on readings before the target moment only, a lowering that began just before it
        (still slow, and still in the band) passed for a squeeze: the cue came early on reps
        that fell short. The price is CUE_HALF_S more delay.

        Each moment is read on the reading CUE_HALF_S after it, while that reading is in the
        band; ``newest``: how many of the latest readings are not (the hips left it).

        Read once it lands, a burst may have left the band with its last readings, or the
        stream's next step may: the moments of its readings that were in it are read all the
        same (read only while the newest reading was in the band, a stall over the target
        moment into the lowering cost the squeeze its cue)."""
        history = self.history
        if history.ts[-1] < reach_t:
            return False
        # The readings of a burst are read only once the stream steps again (when they were
        # taken is unknown before): the moments they bring, from the target on, are read then,
        # oldest first, not only the newest (by then the lowering may be under way).
        skipped = self._cue_skipped
        read = self._cue_speed()
        if read is None:
            return False  # (a reading of a burst: counted among those skipped)
        self._cue_skipped = 0
        for back in range(min(skipped, len(history.ts)), max(newest, 1) - 1, -1):
            earlier = self._cue_speed(back)
            if earlier is not None and self._still_at(reach_t, earlier, rep):
                return True
        return newest == 0 and self._still_at(reach_t, read, rep)

    def _still_at(
        self, reach_t: float, read: tuple[float, float, float], rep: RepInProgress
    ) -> bool:
        """Whether one speed read, at or past ``reach_t``, says the hips were still there."""
        lag_t, speed, noise = read
        if lag_t < reach_t:
            return False
        descent = -speed
        if rep.slowest_descent is None or descent < rep.slowest_descent:
            rep.slowest_descent = descent
        lowering = self._lowering_median
        if lowering is None:
            lowering = rep.up_peak
        # A speed within its own noise is no movement: slow lowerers' 15 % is below it on a
        # noisy sensor.
        return descent < max(STILL_FRACTION * lowering, CUE_NOISE * noise)

    def _cue_speed(self, back: int = 0) -> tuple[float, float, float] | None:
        """(time, speed, noise) of the hips over CUE_HALF_S either side of the newest reading
        that has that much after it (``back`` readings before it); the noise is the sigma of
        that speed (two means of a + 1 readings, a window apart). None while too few readings
        are in."""
        history = self.history
        ts, xs = history.ts, history.xs
        n = len(ts)
        if n < 3:
            return None
        a = self._cue_half
        if a == 0 or history.count - self._cue_half_at >= RATE_REFRESH:
            self._cue_step = recent_step([ts[k] for k in range(max(0, n - RATE_REFRESH), n)])
            a = self._cue_half = _cue_window(self._cue_step)
            self._cue_half_at = history.count
        keep = 2 * a + 1
        if n < keep + back:
            return None
        step = self._cue_step
        if ts[n - 1] - ts[n - 2] < BURST_STEP * step:
            self._cue_skipped += back == 0
            return None  # came with the reading before (a burst): when it was taken is unknown
        window = range(n - keep - back, n)
        # Readings timed on arrival that came in a burst after a stall carry one time: spread
        # back to when they were taken (once the stream steps again), or a window inside the
        # burst spans no time and reads no speed: still. Only a window with a burst in it:
        # re-timing mere arrival jitter moved reads' moments to before the target.
        wts = [ts[k] for k in window]
        if any(wts[k + 1] - wts[k] < BURST_STEP * step for k in range(len(wts) - 1)):
            wts = taken_times(wts, step, burst=True)
        if back:
            wts = wts[:keep]
        lag_t, speed = lagged_speed(
            wts, [self.sign * xs[k] for k in range(n - keep - back, n - back)], a
        )
        span = wts[-1] - wts[0]
        noise = self.sigma * (2.0 / (a + 1)) ** 0.5 / (span / 2.0) if span > 0 else 0.0
        return lag_t, speed, noise

    def _confirm_hold(self, t: float, rep: RepInProgress) -> None:
        """The lowering under way says the squeeze did last the target after all.

        The definition ends the squeeze where the descent passes 15 % of *this* rep's lowering
        peak, which no reading at the target moment can know: a rep lowered faster than this
        lifter's usual was refused the cue while its hips, barely moving, were still squeezing
        by the definition. Once the descent is fast enough that the slowest speed read in the
        band from the target moment on is under 15 % of it, the squeeze did last the target.
        Only in the upper half of the lowering: later the cue is no use to the lifter. The
        speed read is the hips' CUE_HALF_S ago, so it is judged where they were then: on a
        quick lowering they had left the upper half before a read of its speed was in."""
        slowest = rep.slowest_descent
        if rep.hold_notified or slowest is None:
            return
        read = self._cue_speed()
        if read is None:
            return
        xs = self.history.xs
        then = self.sign * xs[len(xs) - 1 - self._cue_half]  # the hips at the read's moment
        if then >= rep.base + HALFWAY * rep.rise and STILL_FRACTION * -read[1] > slowest:
            rep.hold_notified = True
            self._found.append(HoldReached(t, rep))

    def _provisional_squeeze(
        self, t: float, lag_t: float, speed: float, before: tuple[float, float], rep: RepInProgress
    ) -> None:
        """A lift that stopped short of the learned range's lockout while that range is in doubt
        (a new lifter sat down, the seat or the range is being relearned) may be a full rep of
        the new range. The hold band is the top of the rep's own range (the timing definition),
        so its squeeze is timed there for the cue alone: the stage, and whether the rep counts,
        stay the calibration's to decide."""
        if rep.hold_start_t is None:
            self._maybe_start_hold(t, lag_t, speed, before, rep)
        hold_start = rep.hold_start_t
        if (
            hold_start is not None
            and not rep.hold_notified
            and self._held_until(hold_start + self.hold_target, rep)
        ):
            rep.hold_notified = True
            self._found.append(HoldReached(t, rep))

    def _maybe_start_hold(
        self, t: float, lag_t: float, speed: float, before: tuple[float, float], rep: RepInProgress
    ) -> None:
        level = STILL_FRACTION * rep.up_peak
        if speed < level:
            # Interpolate between the last two live estimates: at 10 Hz they are 0.1 s apart.
            before_t, before_speed = before
            if before_speed > level and lag_t > before_t:
                lag_t = before_t + (before_speed - level) / (before_speed - speed) * (
                    lag_t - before_t
                )
            rep.hold_start_t = lag_t
        elif t - rep.peak_t >= PLATEAU_S:
            # Jittery timestamps can keep the speed estimate up; a peak not bettered for
            # PLATEAU_S is a plateau all the same.
            rep.hold_start_t = rep.peak_t
        if rep.hold_start_t is not None:
            rep.hold_level = rep.peak
            self._found.append(HoldStarted(t, rep.hold_start_t, rep))

    def _lowering(self, t: float, h: float, lag_t: float, speed: float, rep: RepInProgress) -> None:
        rise = rep.rise
        if rep.locked_out and rep.bottom_t is None and h >= rep.peak - self.band(rise):
            if rep.lowered_unseen:
                # Back in view part-way down, then up at the top again: the rep was lowered
                # unseen and this is the next lift's top (from the seat, or below: its lowering
                # tells).
                self._finish(t, at_valley=True)
                self.valley_seen = False
                self._begin(t, rep.base)
                self._in_rep(t, h, lag_t, speed, (lag_t, speed))
                return
            rep.stage = Stage.HOLDING  # back up into the band: the squeeze goes on
            rep.exit_t = None
            return
        self._confirm_hold(t, rep)
        rep.down_peak = max(rep.down_peak, -speed)
        low = rep.low
        if low is None or h < low:
            self._set_low(rep, t, h)
            low = h
        base = rep.base
        if h < base and not rep.base_seen and self._lowered_to_its_start(rep, h):
            # The readings (re)started part-way up this lift: it rose from where it comes back
            # down to, not from the first reading (which it would seem to sink below, as
            # someone getting off the bench).
            rep.base = base = h
            rep.bottom_t = rep.settled_t = rep.at_bottom = None
            rise = rep.rise
            rep.locked_out = rep.locked_out or rise >= LOCKOUT * (self.scale or 0.0)
        if h < base - BELOW_SEAT * rise:
            if rep.settled_t is not None or self._came_to_rest(rep):
                # It had come to rest at the bottom (only the timing was still reading its
                # end): a rep, then the lifter slid off or left the beam.
                self._finish(self._last_t, at_valley=False)
            else:
                self._abort(t, Abort.BELOW_SEAT)  # kept going below the seat: getting off
            return
        if abs(h - base) > BOTTOM_BAND * rise:
            rep.at_bottom = None
        elif rep.at_bottom is None:
            rep.at_bottom = (t, h)
        if self._rebounded(rep, h):
            self._finish(t, at_valley=True)  # turned round: the next rep is under way
            if rep.lowered_unseen or rep.low_unseen:
                # The next lift began somewhere below, unseen (the readings resumed on it):
                # it rose from where its own lowering comes back down to.
                self.valley_seen = False
            return
        if rep.bottom_t is None:
            in_band = h <= base + BOTTOM_BAND * rise
            stopped = (
                h <= base + BOTTOM_REGION * rise
                and lag_t >= (rep.low_t or t) - 0.5
                and -speed < STOP_FRACTION * rep.down_peak
            )
            if in_band or stopped:
                rep.bottom_t = t
            else:
                return
        if (
            rep.settled_t is None
            and lag_t >= rep.bottom_t
            and -speed < STILL_FRACTION * rep.down_peak
        ):
            rep.settled_t = t
        settled = rep.settled_t is not None and t - rep.settled_t >= FINISH_WAIT_S
        timed_out = t - rep.bottom_t >= SETTLE_TIMEOUT_S
        if settled and not timed_out and not self._end_read(rep):
            rep.settled_t = t  # the timing has not read the end yet: look again a little later
            return
        if settled or timed_out:
            self._finish(t, at_valley=False)

    def _squeezed(self, rep: RepInProgress) -> bool:
        """Whether ``rep`` locked out at the learned size and its squeeze was seen."""
        return self.scale is not None and rep.locked_out and rep.hold_start_t is not None

    def _outlasted(self, rep: RepInProgress, t: float, blind_from: float) -> bool:
        """Whether the readings back at ``t``, after none since ``blind_from`` (no target, or
        a silence) in the squeeze of ``rep``, may be of the next rep: the gap could hide a
        lowering and a lift (DOWN_AND_UP of this rep's lift), and the squeeze seen before it
        plus the gap outlast this lifter's usual squeeze by more than a lift (a squeeze that
        merely went unseen for a while lasts no longer than theirs)."""
        usual = self._hold_median
        hold_start = rep.hold_start_t
        if usual is None or hold_start is None or not self._squeezed(rep):
            return False
        lift_s = hold_start - rep.begun_t
        return t - blind_from >= DOWN_AND_UP * lift_s and t - hold_start >= usual + lift_s

    def _lowered_seen(self, rep: RepInProgress) -> bool:
        """Whether ``rep``'s squeeze was seen and it left its top while no reading came."""
        return rep.left_top and self._squeezed(rep)

    def _top_of_a_rep(self, base: float, h: float) -> bool:
        """Whether ``h`` lies where a rep of the learned size from ``base`` locks out."""
        scale = self.scale
        return scale is not None and LOCKOUT * scale <= h - base <= OVERSIZE * scale

    def _restart_at_top(self, t: float, rep: RepInProgress) -> None:
        """The readings resumed at ``t`` on a rep's top after a long silence: finish ``rep``
        if it was lowered meanwhile (else drop it), and begin the rep at the top, risen from
        where ``rep`` did as far as anyone can tell (its own lowering will say where)."""
        base = rep.base
        if self._lowered_seen(rep):
            speed = self._live_speed
            bottom = base + BOTTOM_BAND * rep.rise
            # The lowering's end, if it went on as it left: no later than the readings' return.
            end = None if speed >= 0 else min(t, self._last_t + (bottom - self._last_h) / speed)
            self._finish(self._last_t, at_valley=False, estimated_end=end)
        else:
            self._abort(t, Abort.INTERRUPTED)
        self.valley_seen = False
        self._begin(t, base)

    def _lowered_to_its_start(self, rep: RepInProgress, h: float) -> bool:
        """Whether a lowering at ``h`` may still be on its way to where its lift (whose start no
        reading saw) began: its rise would stay within a rep of the learned range."""
        scale = self.scale
        return scale is not None and rep.peak - h <= OVERSIZE * scale

    def _came_to_rest(self, rep: RepInProgress) -> bool:
        """A rep of the learned size came back down and stopped in the bottom band (still there
        for AT_BOTTOM_S up to the last reading), before the speed estimate could say it settled:
        it was over. (With nothing learned, a sit-down read the other way up passes through.)"""
        since = rep.at_bottom
        if since is None or not self.locked_out_of_size():
            return False
        t0, h0 = since
        stayed = self._last_t - t0
        drift = abs(self._last_h - h0)
        return stayed >= AT_BOTTOM_S and drift <= (
            STILL_FRACTION * rep.down_peak * stayed + STEADY_NOISE * self.sigma
        )

    def _end_read(self, rep: RepInProgress) -> bool:
        """Whether the readings so far time the lowering's end (a speed window past it)."""
        timed = self._timed_to_now(rep, rep.first_index)
        return timed is None or timed.lowering.end_read

    def _timed_to_now(self, rep: RepInProgress, first: int) -> _Timed | None:
        """``rep``'s lowering read on its samples from ``first`` up to the newest (None: too
        few).

        Kept for the sample under way: the rep that :meth:`_end_read` found read is finished
        on that same sample, on the same samples, and is not timed twice."""
        history = self.history
        key = (first, history.count, rep.begun_t, rep.base, self.band_fraction)
        timed = self._timed
        if timed is not None and timed.key == key:
            return timed
        ts, xs = history.since(first)
        if len(ts) < 3:
            return None
        hs = [self.sign * x for x in xs]
        begun = _first_at(ts, rep.begun_t)
        lowering = read_lowering(ts, hs, rep.base, self.band_fraction, len(ts) - 1, begun)
        self._timed = _Timed(key, ts, hs, begun, lowering)
        return self._timed

    def _going_on_down(self, rep: RepInProgress, t: float, h: float) -> bool:
        """Whether the sample after a stop mid-lowering (``h`` at ``t``) is the same lowering
        going on: still above the bottom, no higher than where it left off, sooner than the
        hips could have reached the bottom and risen back there (which takes more than their
        lift). A speed read on a burst (readings timed on arrival) can say otherwise."""
        lift_s = (rep.hold_start_t or rep.peak_t) - rep.begun_t
        return (
            rep.base + BOTTOM_BAND * rep.rise < h <= self._last_h + NOISE_START * self.sigma
            and t - self._last_t < lift_s
        )

    def _bridge_dropout(self, t: float) -> None:
        """Readings stopped mid-lowering: finish the rep if the hips must have reached the bottom."""
        rep = self.rep
        assert rep is not None
        speed = self._live_speed
        if speed >= 0:
            return
        bottom_level = rep.base + BOTTOM_BAND * rep.rise
        arrival = self._last_t + (bottom_level - self._last_h) / speed
        if arrival < t:
            rep.low, rep.low_t = bottom_level, arrival
            self._finish(self._last_t, at_valley=True, estimated_end=arrival)

    def _abort(self, t: float, why: Abort) -> None:
        rep = self.rep
        rise = 0.0 if rep is None else rep.rise
        rested, base = 0.0, None
        if rep is not None and why is Abort.STOOD_UP:
            rested, base = self.dwell_before(rep), rep.base
        self.rep = None
        self.stage = Stage.IDLE
        self.valley = None
        self._after_last_rep = self.history.count - 1
        self._found.append(Aborted(t, why, rise, rested, base))

    def _finish(self, t: float, *, at_valley: bool, estimated_end: float | None = None) -> None:
        rep = self.rep
        assert rep is not None
        restart_from = rep.low
        end_t = rep.low_t if at_valley and rep.low_t is not None else t
        self.rep = None
        self.stage = Stage.IDLE
        self.valley = restart_from
        self.valley_seen = True
        first = rep.first_index
        self._after_last_rep = self.history.count - 1
        if rep.rise < NOISE_START * self.sigma or t - rep.begun_t < MIN_REP_S:
            return  # a bump, not a round trip
        candidate = self._measure(rep, first, end_t, t, estimated_end)
        if candidate is not None:
            self._found.append(candidate)

    @staticmethod
    def _rebounded(rep: RepInProgress, h: float) -> bool:
        """Lowering, the hips at ``h`` rose again a quarter of the rise from a valley at least
        halfway down (or wherever the readings resumed on a rep lowered unseen): the next rep
        is under way from that valley."""
        low = rep.low
        return (
            low is not None
            and h - low >= REBOUND * rep.rise
            and (low <= rep.base + HALFWAY * rep.rise or rep.lowered_unseen)
        )

    def _measure(
        self, rep: RepInProgress, first: int, end_t: float, t: float, estimated_end: float | None
    ) -> Candidate | None:
        history = self.history
        sign = self.sign
        if history.ts and end_t >= history.ts[-1]:  # up to the newest sample: maybe timed already
            timed = self._timed_to_now(rep, first)
            self._timed = None  # (the rep is over)
            if timed is None:
                return None
            ts, hs, begun, timing = timed.ts, timed.hs, timed.begun, timed.lowering.timing()
            end = len(ts) - 1
        else:
            ts, xs = history.since(first)
            if len(ts) < 3:
                return None
            hs = [sign * x for x in xs]
            end = max(0, bisect_right(ts, end_t) - 1)  # the last sample by end_t (or the first)
            begun = _first_at(ts, rep.begun_t)
            timing = measure(ts, hs, rep.base, self.band_fraction, end, begun)
        if estimated_end is not None:
            timing = replace(timing, end_t=max(estimated_end, timing.hold_end_t))
        top_level = rep.base + timing.rom - self._dwell_band(timing.rom)
        dwell_top = sum(
            ts[k + 1] - ts[k]
            for k in range(begun, end)
            if hs[k] >= top_level and hs[k + 1] >= top_level
        )
        if rep.locked_out and self._habits_stale:
            self._habits_stale = False
            self._lowering_peaks.clear()
            self._holds.clear()
        if rep.locked_out and timing.lowering_peak_speed > 0:
            self._lowering_peaks.append(timing.lowering_peak_speed)
            self._lowering_median = median(self._lowering_peaks)
        if rep.locked_out:
            self._holds.append(timing.hold_end_t - timing.hold_start_t)
            self._hold_median = median(self._holds)
        return Candidate(
            sign=sign,
            begun_t=rep.begun_t,
            end_t=t,
            base=rep.base,
            timing=timing,
            quiet=False,  # the tracker knows what else was going on
            dwell_before=self._dwell_before(rep, timing.rom),
            dwell_top=dwell_top,
            low=rep.base if rep.low is None else rep.low,
            locked_out=rep.locked_out,
            swift=swift_share(ts[: end + 1], hs[: end + 1], timing),
        )

    def _dwell_band(self, rom: float) -> float:
        """How near a level the hips dwell at it: a tenth of the range, plus the noise (the
        valley is the lowest reading: a still seat reads up to several sigma above it)."""
        return DWELL_FRACTION * rom + NOISE_START * self.sigma

    def dwell_before(self, rep: RepInProgress) -> float:
        """How long the hips stayed near the base before the attempt ``rep`` (its rise so far)."""
        return self._dwell_before(rep, rep.rise)

    def _dwell_before(self, rep: RepInProgress, rom: float) -> float:
        """How long the hips stayed near the base before this lift (fidgets included)."""
        history = self.history
        ts, xs = history.ts, history.xs
        n = len(ts)
        k = min(n - 1, max(0, n - 1 - (history.count - 1 - rep.begun_index)))
        tolerance = self._dwell_band(rom)
        sign, base = self.sign, rep.base
        # Back to where the lift left the base, then on through the dwell.
        while k > 0 and sign * xs[k] - base > tolerance:
            k -= 1
        end_t = ts[k]
        limit = end_t - DWELL_SCAN_S
        while k > 0 and abs(sign * xs[k - 1] - base) <= tolerance and ts[k - 1] >= limit:
            if ts[k] - ts[k - 1] > DROPOUT_S * 2:
                break
            k -= 1
        return end_t - ts[k]


def _first_at(ts: Sequence[float], t: float) -> int:
    """The first of the samples ``ts`` (in time order, as the history keeps them) at or after
    ``t``; 0 when none is."""
    k = bisect_left(ts, t)
    return k if k < len(ts) else 0


def swift_share(ts: Sequence[float], hs: Sequence[float], timing: RepTiming) -> float:
    """The least share of the rep's range that its lift (rising) or its lowering (falling)
    covered within SWIFT_S, over readings ``ts``/``hs`` (heights). The window is counted in
    readings at the stream's period, not in arrival times: readings that arrived in one burst
    after a stall were taken a period apart."""
    if timing.rom <= 0 or len(ts) < 3:
        return 0.0
    step = sample_step(ts)
    if step <= 0:  # most readings came in bursts: their mean spacing is the period
        step = (ts[-1] - ts[0]) / (len(ts) - 1)
    if step <= 0:
        return 0.0  # one burst: when they were taken is unknown
    reach = max(1, round(SWIFT_S / step))
    lift = _covered(
        hs, bisect_left(ts, timing.start_t), bisect_right(ts, timing.hold_start_t), reach, 1
    )
    lowering = _covered(
        hs, bisect_left(ts, timing.hold_end_t), bisect_right(ts, timing.end_t), reach, -1
    )
    return min(lift, lowering) / timing.rom


def _covered(hs: Sequence[float], first: int, last: int, reach: int, way: int) -> float:
    """The largest move ``way`` up (1) or down (-1) between readings at most ``reach`` apart,
    from index ``first - 1`` to ``last`` (a reading either side: the move may straddle them).

    Each reading ``j`` is set against the lowest (up) or highest (down) of the ``reach``
    readings before it, in one pass: subtraction rounds monotonically, so that difference is
    the largest of the pairwise ones, exactly."""
    lo, hi = max(0, first - 1), min(len(hs) - 1, last)
    best = 0.0
    extreme = min if way > 0 else max
    for j in range(lo + 1, hi + 1):
        best = max(best, way * (hs[j] - extreme(hs[max(lo, j - reach) : j])))
    return best


def _cue_window(step: float) -> int:
    """Readings either side of the hold cue's speed: CUE_HALF_S at this stream's rate (its
    period ``step``), a half reading rounded up whatever the arrival jitter (CUE_SLACK of a
    reading)."""
    return max(1, math.floor(CUE_HALF_S / step + 0.5 + CUE_SLACK)) if step > 0 else 1
