"""RepTracker: presence, both orientation hypotheses and the calibration, on conditioned samples.

Per sample it updates the noise and still-level estimates (:mod:`.presence`), the live hip
speed, and runs one :class:`~.detector.Detector` per orientation. Candidates go to the
:class:`~.calibration.Calibrator`; what it accepts reaches the session as :class:`RepMeasure`
(possibly later than it happened, with its own timestamps). Live cues (squeeze started, hold
reached) come from the hypothesis the evidence favours.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final, NamedTuple

from .calibration import CalibrationModel, Calibrator, Outcome
from .detector import (
    Abort,
    Aborted,
    Candidate,
    Detector,
    Finding,
    History,
    HoldReached,
    HoldStarted,
    Lockout,
    RepInProgress,
    Stage,
)
from .events import CalibrationReason
from .occlusion import Reach
from .presence import NoiseEstimate, Presence, StillLevel, WanderEstimate
from .settings import Side
from .state import Calibration
from .thresholds import (
    ABSENT_AFTER_S,
    DROPOUT_S,
    LEAVING_S,
    MAX_HOLD_S,
    NOISE_START,
    OCCLUDED,
    OCCLUDED_NOISE,
    OCCLUSION_BACK,
    OUT_OF_VIEW_S,
    OVERSIZE,
    PARTIAL,
    PRESENCE_STILL_S,
    QUIET_S,
    RESTED_S,
    SAT_PAST,
    SEAT_TOL,
    SETTLE_S,
    START_OF_PARTIAL,
    STILL_S,
)
from .timing import LiveSpeed


@dataclass(frozen=True, slots=True)
class RepMeasure:
    """Timings and range of one finished rep attempt, as the session counts it."""

    complete: bool
    started_t: float
    end_t: float
    concentric_s: float
    hold_s: float
    eccentric_s: float
    rom_mm: float
    rom_fraction: float  # of the calibrated range
    peak_speed_mm_s: float
    lowering_peak_speed_mm_s: float
    lowering_mean_speed_mm_s: float


@dataclass(frozen=True, slots=True)
class Activity:
    """An attempt grew rep-sized at ``t``: a set under way goes on."""

    t: float


# Attempts that turned out to be no movement of a set: settling on a new level, standing up
# (rose beyond any thrust). Sinking below where one began is getting off (or sitting down) only
# after rising at least a partial rep first (:meth:`RepTracker._no_activity`); a fidget that
# sags a little below the seat mid-set is still a movement of the set.
NO_ACTIVITY: Final = frozenset({Abort.RESEATED, Abort.STOOD_UP})


@dataclass(frozen=True, slots=True)
class Reseated:
    """The attempt last reported as activity settled on a new level at ``t``: it was none."""

    t: float


@dataclass(frozen=True, slots=True)
class RepFound:
    """A rep attempt ended at ``t`` (possibly reported later than it happened)."""

    t: float
    measure: RepMeasure


@dataclass(frozen=True, slots=True)
class PresenceChanged:
    """The lifter arrived (``present``) or left at ``t``; ``unseen``: left only in that the
    sensor stopped seeing anyone (no target), not for an empty bench's level seen."""

    t: float
    present: bool
    unseen: bool = False
    through_beam: bool = False  # present again after the readings jumped (someone came in)


@dataclass(frozen=True, slots=True)
class Loss:
    """How the readings stopped (no target, invalid) ``since`` then: with the lifter
    ``in_place`` (seated, lifting from the seat, or at or past the top of a rep: the sensor
    went blind, nobody left), or just after they ``stood_up`` (a rise from the seat far beyond
    the learned range: they left the beam on their feet)."""

    since: float
    in_place: bool = False
    stood_up: bool = False


class Span(NamedTuple):
    """A recent rep-sized round trip, as the run-opening check reads it."""

    begun: float
    end: float
    sign: int
    top_from: float  # the rest at its top, from ... until
    top_until: float
    drop: float  # how far it came down from that top
    dwell: float  # how long it rested before

    def ran_into(self, t: float) -> bool:
        """It went on until under QUIET_S before ``t`` (a lift at ``t`` does not open a run)."""
        return self.begun < t and self.end > t - QUIET_S


@dataclass(frozen=True, slots=True)
class Calibrated:
    """The calibration settled at ``t`` for ``reason``; ``levels``: each side's, as they were."""

    t: float
    reason: CalibrationReason
    levels: dict[Side, Calibration | None]


# What a tracker call found for the session, in order (the live cues are the detectors').
type Detection = (
    Activity
    | Reseated
    | Lockout
    | HoldStarted
    | HoldReached
    | RepFound
    | PresenceChanged
    | Calibrated
)


class RepTracker:
    """Turns conditioned distance samples into reps, cues, presence and calibration."""

    def __init__(
        self,
        model: CalibrationModel,
        side: Side,
        *,
        partial: float,
        hold_band_fraction: float,
        dip_tolerance_s: float,
        hold_target_s: float,
    ) -> None:
        self.history = History()
        self.noise = NoiseEstimate()
        self.wander = WanderEstimate()
        self.still = StillLevel()
        self.presence = Presence()
        self.calibrator = Calibrator(model, side, partial=partial)
        self.detectors = tuple(
            Detector(
                sign,
                self.history,
                band_fraction=hold_band_fraction,
                dip_tolerance_s=dip_tolerance_s,
                hold_target_s=hold_target_s,
                max_hold_s=max(MAX_HOLD_S, 3.0 * hold_target_s),
                start_fraction=START_OF_PARTIAL * partial,
            )
            for sign in (1, -1)
        )
        self.last_x: float | None = None
        self.last_t = -float("inf")
        self._live = LiveSpeed()
        self._samples = 0
        self._lag = (-float("inf"), 0.0)
        self._settled_from = -float("inf")  # the data joins up (and has settled) from then on
        self._noise_settled = True  # the noise was read afresh once the data settled
        self._far_since: float | None = None  # readings far beyond the seat's zone since then
        # The loss of the readings under way: since when, and where it left the lifter (see
        # :meth:`lost`).
        self._loss = Loss(-float("inf"))
        self._came_through = False  # nobody seen since the readings jumped (someone coming in)
        self._stood: tuple[int, float] | None = None  # (sign, t): rose beyond any thrust
        # Once the lifter stood up from the seat (settled): (height, margin) past which a rest is
        # nobody on the bench (see :meth:`_rest`), until someone sits down; None: not since.
        self._vacant: tuple[float, float] | None = None
        # The distance an empty bench read still at, past that height, and how near another
        # level must be to be it: nobody sits down there; None: none (or someone seen since).
        self._floor: tuple[float, float] | None = None
        self._spans: deque[Span] = deque(maxlen=8)  # recent rep-sized candidates
        # When the data resumed mid-set on a learned model (a restart): until a movement is seen
        # after it, the rest the readings show may be the top of a rep under way, not the seat.
        self._found_at: float | None = None
        # While the orientation is learned: the seat as motion shows it, (distance, sign) of the
        # rest the last lift away from it left (see :meth:`_seat_from`); None: not seen yet.
        self._seat: tuple[float, int] | None = None
        self._found: list[Detection] = []  # what the call under way found, handed back at its end
        # The seat as the last counted rep from it showed it (height: the lowest of where it
        # started and where it came down to), since someone sat down or the calibration changed;
        # None: not shown since.
        # Readings well beyond it are something in the beam (see :meth:`reach`).
        self._seat_shown: float | None = None
        self._scaled_side = side  # the side the detectors' scale is for
        self._scale: float | None = None  # that scale (None: no orientation known)
        self._sync_scale(side)

    # --- settings ------------------------------------------------------------------------
    def configure(
        self,
        *,
        partial: float,
        hold_band_fraction: float,
        dip_tolerance_s: float,
        hold_target_s: float,
    ) -> None:
        """Apply new settings to both hypotheses."""
        self.calibrator.partial = partial
        for detector in self.detectors:
            detector.band_fraction = hold_band_fraction
            detector.dip_tolerance = dip_tolerance_s
            detector.hold_target = hold_target_s
            detector.max_hold = max(MAX_HOLD_S, 3.0 * hold_target_s)
            detector.start_fraction = START_OF_PARTIAL * partial

    def rescale(self, side: Side) -> None:
        """Scale both hypotheses with ``side``'s range (the session's working side, now).

        Every change of the model (a calibration, a counted rep, a restore, a manual step) is
        followed by :meth:`_sync_scale`: only a change of side is left to catch here."""
        if side is not self._scaled_side:
            self._sync_scale(side)

    def restored(self, side: Side, *, mid_set: bool = False) -> None:
        """The calibration model was replaced (restored, reset or set by hand); ``side`` works;
        ``mid_set``: restored with a set under way, so the lifter may be anywhere in a rep."""
        self.calibrator.restored(side)
        self._sync_scale(side)
        self._seat = None
        self._seat_shown = None
        self._vacant = self._floor = None
        self._found_at = self.last_t if mid_set and self.calibrator.settled else None

    def _sync_scale(self, side: Side) -> None:
        self._scaled_side = side
        scale = self.calibrator.rom(side) if self.calibrator.model.sign else None
        self._scale = scale
        for detector in self.detectors:
            detector.scale = scale

    def _rom(self, side: Side) -> float | None:
        """``side``'s range, once the orientation is known (``model.sign``): the scale kept for
        the detectors when it is that side's (every change of the model syncs it), read for
        every reading without the calibrator's lookups."""
        return self._scale if side is self._scaled_side else self.calibrator.rom(side)

    # --- views ---------------------------------------------------------------------------
    @property
    def present(self) -> bool:
        """Someone is on the bench."""
        return self.presence.present

    def recalibrating(self, side: Side) -> bool:
        """Reps stopped fitting what was learned and are being relearned (or one is under way
        that does not fit what was learned for ``side``)."""
        calibrator = self.calibrator
        if calibrator.learning not in (None, CalibrationReason.INITIAL):
            return bool(calibrator.pending)
        detector = self.cue_detector()
        if detector is None or detector.rep is None:
            return False
        return calibrator.misfit(detector.sign, detector.rep.base, detector.rep.rise, side)

    @property
    def recalibrating_since(self) -> float | None:
        """When relearning started (None when settled or learning for the first time)."""
        calibrator = self.calibrator
        if calibrator.learning in (None, CalibrationReason.INITIAL) or not calibrator.pending:
            return None
        return calibrator.learning_since

    def _at_rest(self) -> bool:
        """No attempt under way: the settled orientation's, or either way up while learning
        (the other way up, a rest on the seat is the top of an "attempt")."""
        calibrator = self.calibrator
        if calibrator.settled and calibrator.model.sign:
            return self._of_sign(calibrator.model.sign).rep is None
        return all(d.rep is None for d in self.detectors)

    def cue_detector(self) -> Detector | None:
        """The hypothesis live cues and the phase follow."""
        calibrator = self.calibrator
        if calibrator.settled and calibrator.model.sign:
            return self._of_sign(calibrator.model.sign)
        holding = [d for d in self.detectors if d.rep is not None and d.rep.stage is Stage.HOLDING]
        rep = holding[0].rep if len(holding) == 1 else None
        seat = self._seat
        if (
            rep is not None
            and (seat is None or seat[1] == holding[0].sign)
            and all(d.rep is None for d in self.detectors if d is not holding[0])
            and self._quiet(holding[0], rep.begun_t, cue=True)
        ):
            # The first lift of a run, from a quiet rest, leaves the seat: its top is the
            # squeeze whichever way the evidence leans so far (that may rest on the arrival
            # alone, or on what was learned before the sensor was re-clamped), unless the run's
            # rest showed the seat the other way up or the other way up sees a movement under
            # way (someone settling, a passer-by).
            return holding[0]
        sign = calibrator.provisional_sign()
        if sign:
            return self._of_sign(sign)
        if rep is not None and self._quiet(holding[0], rep.begun_t, cue=True):
            return holding[0]  # (a seat shown the other way up: the evidence is silent)
        if (
            rep is not None
            and (seat is None or seat[1] == holding[0].sign)
            and calibrator.squeezed_at_top(holding[0].sign, rep.begun_t)
        ):
            # The evidence is silent (a first lift unseen, or taken for the arrival, can leave
            # the other way up a "run" from the squeeze), but the rep before this one, in the
            # same run, dwelt at this top and touched the bottom: this top is the squeeze.
            return holding[0]
        if seat is not None:
            level, sign = seat
            detector = self._of_sign(sign)
            rep = detector.rep
            if (
                rep is not None
                and rep.stage is Stage.HOLDING
                and rep.locked_out
                and abs(sign * rep.base - level) <= SEAT_TOL * rep.rise
            ):
                return detector  # a lift away from the seat the run's rest showed, held there
        return None

    def _of_sign(self, sign: int) -> Detector:
        """The hypothesis in which the distance grows (``sign`` > 0) or shrinks as hips rise."""
        return self.detectors[0] if sign > 0 else self.detectors[1]

    def _seat_from(self, detector: Detector, rep: RepInProgress) -> None:
        """While learning: the squeeze of ``rep`` began. A lift that left a rest (the hips still
        near its start for RESTED_S, longer than a pause between reps) marks that rest as the
        seat, whichever way the sensor looks: the lifts from there, away from it, are squeezes
        (:meth:`cue_detector`). A movement that ends at the seat is a lowering with a bottom
        pause (the other way up), never a new seat; a lift that began as the lifter appeared is
        the arrival."""
        if self.calibrator.settled or rep.begun_t < self._settled_from:
            return
        sign = detector.sign
        seat = self._seat
        if seat is not None and abs(sign * rep.peak - seat[0]) <= SEAT_TOL * rep.rise:
            return
        if detector.dwell_before(rep) >= RESTED_S:
            self._seat = (sign * rep.base, sign)

    def _quiet(self, detector: Detector, begun_t: float, *, cue: bool = False) -> bool:
        """Nothing rep-sized went on just before ``begun_t``: a lift then opens a run.

        ``cue``: asked for the cue, while the lift is under way. The other way up, a lowering
        at least lift-sized from a rest at its top that lasted RESTED_S (a seat rest) and until
        QUIET_S before the lift is that lift, if that "rep" rose straight from a movement that
        was no rep (the lifter sitting down), not from a rest or the reps of a run (then its top
        is a squeeze): no movement before it."""
        if begun_t < self._settled_from:
            return False  # the lifter just appeared, or the data just resumed
        found = self._found_at
        if found is not None and not any(span.begun >= found for span in self._spans):
            return False  # a rest the data resumed on: the seat, or the squeeze of a rep
        quiet_from = begun_t - QUIET_S
        lift = detector.reported()
        for span in self._spans:
            if span.ran_into(begun_t):
                mirror = (
                    cue
                    and span.sign != detector.sign
                    and span.top_from <= quiet_from <= span.top_until
                    and span.top_until - span.top_from >= RESTED_S
                    and span.drop >= lift
                    and span.dwell < QUIET_S
                    and not self._run_before(span.begun)
                )
                if not mirror:
                    return False
        other = self.detectors[1] if detector is self.detectors[0] else self.detectors[0]
        rep = other.rep
        # The other way up, a "squeeze" that stayed still since well before this lift is the
        # rest this lift leaves (sitting down after arriving reads as a rise one way up).
        resting = (
            rep is not None
            and rep.hold_start_t is not None
            and rep.hold_start_t <= quiet_from
            and (
                rep.stage is Stage.HOLDING
                or (
                    cue
                    and rep.stage is Stage.LOWERING
                    and rep.exit_t is not None
                    and rep.exit_t >= quiet_from
                    and rep.exit_t - rep.hold_start_t >= RESTED_S
                    and rep.low is not None
                    and rep.peak - rep.low >= lift
                    and other.dwell_before(rep) < QUIET_S
                    and not self._run_before(rep.begun_t)
                )
            )
        )
        return rep is None or rep.begun_t >= begun_t or resting or not other.busy

    def _run_before(self, begun_t: float) -> bool:
        """A rep-sized movement went on until under QUIET_S before ``begun_t``."""
        return any(span.ran_into(begun_t) for span in self._spans)

    @property
    def stage(self) -> Stage:
        """Where the hips are, per the favoured hypothesis."""
        detector = self.cue_detector()
        if detector is None or detector.rep is None:
            return Stage.IDLE
        return detector.rep.stage

    @property
    def squeezing(self) -> bool:
        """The squeeze is being timed."""
        detector = self.cue_detector()
        return (
            detector is not None
            and detector.rep is not None
            and detector.rep.hold_start_t is not None
        )

    def hold_elapsed(self, t: float) -> float | None:
        """Squeeze time so far in the current rep."""
        detector = self.cue_detector()
        rep = None if detector is None else detector.rep
        if rep is None or rep.stage is not Stage.HOLDING or rep.hold_start_t is None:
            return None
        return max(0.0, t - rep.hold_start_t)

    def position(self, side: Side) -> float | None:
        """Last hip height as a fraction of ``side``'s calibrated range (None if unknown)."""
        model = self.calibrator.model
        rom = self.calibrator.rom(side)
        if (
            not self.calibrator.settled
            or rom is None
            or model.bottom_h is None
            or self.last_x is None
        ):
            return None
        return (model.sign * self.last_x - model.bottom_h) / rom

    def reach(self, x: float, side: Side) -> Reach | None:
        """Where a reading of ``x`` lies against the seat: well beyond it on the side away from
        the lift (OCCLUDED of the range, OCCLUDED_NOISE sigma at least), where the seated
        lifter's hips cannot be (something between the lens and the hips, or no hips in the
        beam); back on the hips' track (within OCCLUSION_BACK of that margin, up to OVERSIZE of
        the range above); or neither. None when there is no seat to judge by: nothing settled,
        nobody on the bench, or no rep has left the seat since someone sat down or the
        calibration changed."""
        shown = self._seat_shown
        if shown is None or not self.presence.present:  # (read for every reading: cheap first)
            return None
        calibrator = self.calibrator
        model = calibrator.model
        learned = model.bottom_h
        if learned is None or not (model.sign and calibrator.settled):
            return None
        rom = self._rom(side)
        if not rom or calibrator.range_in_doubt(side):
            return None
        # The lower of the two: the learned seat may sit a little high on a sagging rest. (min
        # and max written out here: for every reading, their calls cost more than the sums.)
        seat = learned if learned < shown else shown
        by_range, by_noise = OCCLUDED * rom, OCCLUDED_NOISE * self.noise.sigma
        margin = by_noise if by_noise > by_range else by_range
        h = model.sign * x
        if h < seat - margin:
            return Reach.BEYOND
        if h < seat - OCCLUSION_BACK * margin:
            return Reach.BAND
        return Reach.TRACK if h <= seat + OVERSIZE * rom else Reach.AWAY

    def seat_in_doubt(self) -> None:
        """Readings stayed beyond the seat for longer than anyone takes to pass (the lifter
        moved down the bench, a new lifter sat farther off): until a rep leaves the seat again,
        beyond it may be the hips."""
        self._seat_shown = None

    # --- inputs --------------------------------------------------------------------------
    def interrupt(self, t: float, side: Side) -> Sequence[Detection]:
        """The data stopped joining up (dropout, jump, restart): no attempt survives it (a rep
        already back at the bottom is finished); what that changed, in order."""
        self._interrupt(t, side)
        return self._take()

    def silent(self, t: float, since: float, side: Side) -> Sequence[Detection]:
        """No reading came from ``since`` to ``t`` (a Wi-Fi outage, a reboot): as
        :meth:`interrupt`, except that a rep of the settled orientation at or past its top,
        silent for less than a hold can last, waits for where the readings resume (the hips
        back at the top, or down at the bottom: it was lowered meanwhile)."""
        settled = self.calibrator.model.sign
        for detector in self.detectors:
            if detector.sign == settled and t - since < detector.max_hold:
                self._hear(detector, detector.resume_after(t, t - since), side)
            else:
                self._hear(detector, detector.interrupt(t), side)
        self._interrupt(t, side, detectors=())
        return self._take()

    def _interrupt(
        self, t: float, side: Side, *, detectors: tuple[Detector, ...] | None = None
    ) -> None:
        if detectors is None:
            self._stood_up(t, side)
        for detector in self.detectors if detectors is None else detectors:
            self._hear(detector, detector.interrupt(t), side)
        self.still.reset()
        self._live.clear()
        self._settle_from(t)
        if not self.presence.present:
            # Nobody was seen on the bench: whoever the readings find next may sit elsewhere.
            # A gap with the lifter there (a sensor reboot, a Wi-Fi outage) changed nothing
            # of the scene by itself; if the bench did move, the reps after it tell (relearn).
            self.calibrator.scene_changed()
            self._seat = None

    def jumped(self, t: float, side: Side) -> Sequence[Detection]:
        """The readings jumped to a level hips cannot reach smoothly (a body in the beam, an
        arrival): levels start afresh; an attempt under way survives a glitch mid-lift, and a
        rep of the learned size past its lift waits for where the readings land (a rep already
        back at the bottom is finished); what that changed, in order."""
        calibrator = self.calibrator
        self._stood_up(t, side)
        learned = calibrator.model.sign  # settled, or the prior while relearning
        if not self.presence.present:
            self._came_through = True
        for detector in self.detectors:
            rep = detector.rep
            if rep is None:
                detector.disjoin()
            elif (
                detector.sign == learned
                # relearning: only a rep begun once the scene had settled (not one rising from
                # the level a body in the beam left)
                and (calibrator.settled or rep.begun_t >= self._settled_from)
                and rep.bottom_t is None  # (one back at the bottom is finished, as it was)
                and detector.locked_out_of_size()
                and not calibrator.misfit(learned, rep.base, rep.rise, side)
            ):
                # A rep from the seat, at its top or on its way down: a stuck repeat, a glitch
                # near the lens or a lowering faster than the gate jumps as a body in the beam
                # does. Landing where this rep's hips can be, it goes on; beyond (standing up,
                # leaving) it is over.
                rep.landing = True
            elif (
                rep.stage is not Stage.LIFTING
                or detector.oversized()
                or (
                    detector.sign != learned
                    and rep.rise < detector.reported()
                    and detector.dwell_before(rep) >= QUIET_S
                )
            ):
                # past the lift, standing up, or (the way up not learned) no lift yet, only a
                # stir of the still level the body in the beam left: the scene changed
                self._interrupt_attempt(detector, t, side)
        self.still.reset()
        self._settle_from(t)
        self.calibrator.scene_changed()
        self._seat = None
        return self._take()

    def lost(self, t: float, since: float, side: Side) -> Sequence[Detection]:
        """Readings have been invalid or out of range (or missing) since ``since``: what that
        changed (the lifter left), in order."""
        lost_for = t - max(since, self.last_t)
        if self._loss.since != since:
            self._loss = self._loss_from(since, side)
            if self._loss.stood_up:
                self._seat_shown = None  # they left it: whoever is seen there next shows it
        loss = self._loss
        hidden = self._top_hidden()
        if lost_for >= OUT_OF_VIEW_S and any(d.rep is not None for d in self.detectors):
            for detector in self.detectors:
                rep = detector.rep
                if rep is not None and rep.locked_out and rep.hold_start_t is not None:
                    if detector.sign == self.calibrator.model.sign and loss.in_place:
                        detector.went_blind()
                    continue  # the squeeze was seen: where the readings resume tells the rest
                if detector is hidden and rep is not None:
                    rep.top_hidden = True  # where the readings resume tells
                    continue
                if (
                    rep is not None
                    and detector.sign == self.calibrator.model.sign
                    and detector.rising_out_of_view()
                ):
                    # Out of view on the way up (no further than a glitch lasts): back in view
                    # higher up, the lift went on; anywhere else it was not a rep.
                    rep.top_hidden = rep.lift_hidden = True
                    continue
                if rep is None and loss.in_place:
                    continue  # the lifter in place: the readings resume from where they were
                # the hips left the beam mid-movement: not a rep (one back at the bottom is)
                self._interrupt_attempt(detector, t, side)
        if lost_for >= OUT_OF_VIEW_S and not loss.in_place:
            # Out of view with no lift under way (an empty bench, or one that only looked like
            # a seated lifter, then someone stepping into the beam): where the readings resume
            # does not join up with the level before, no lift rose from it. (A lift seen under
            # way goes on where they resume, above.)
            for detector in self.detectors:
                if detector.rep is None:
                    detector.valley = None
        if lost_for < ABSENT_AFTER_S:
            return self._take()
        if hidden is not None and lost_for < hidden.max_hold:
            return self._take()  # the squeeze goes on where the sensor cannot see (near the lens)
        if loss.in_place and lost_for < self._of_sign(self.calibrator.model.sign).max_hold:
            # The readings stopped with the lifter in place, not on the way off the bench: hips
            # leave the beam by moving (standing up, sliding off), so until the loss outlasts
            # a hold, it is the sensor's (sunlight, a dark cloth), and whoever the readings
            # find again is the same lifter. A rep already back at the bottom is over (only
            # the end of its timing was being read): it counts now, not after the wait.
            for detector in self.detectors:
                rep = detector.rep
                if rep is not None and rep.stage is Stage.LOWERING and rep.bottom_t is not None:
                    self._hear(detector, detector.interrupt(t), side)
            return self._take()
        self._interrupt(t, side)  # whatever comes next starts afresh and must settle first
        if self.presence.present:
            # Out of sight just after standing up: they left (seen leaving, not only unseen).
            # Out of sight for longer than a hold from in place: gone since the readings
            # stopped (as far as anyone can tell), dated then.
            left_t = loss.since if loss.in_place else t
            self._set_present(left_t, False, unseen=not loss.stood_up)
        return self._take()

    def _loss_from(self, since: float, side: Side) -> Loss:
        """The loss beginning ``since``, as the last reading before it left the lifter: in
        place (at the seat a counted rep left from, no lift under way; on a lift from that
        seat within the learned range; at or past the top of a rep of the learned size; while
        learning, within a rep-like round trip under way) or standing up (the hips above the
        seat farther than any thrust of the learned range reaches)."""
        calibrator = self.calibrator
        if not (self.presence.present and calibrator.settled and calibrator.model.sign):
            if self.presence.present and not calibrator.settled and self._amid_a_rep():
                return Loss(since, in_place=True)
            return Loss(since)
        position = self.position(side)
        if position is not None and position > OVERSIZE:
            return Loss(since, stood_up=True)
        detector = self._of_sign(calibrator.model.sign)
        if detector.past_the_top():
            return Loss(since, in_place=True)
        rep = detector.rep
        if (
            rep is not None
            and self._from_seat(detector.sign, rep.base, side)
            and detector.rising_out_of_view()
        ):
            # On the way up from the seat, within the learned range: the lifter is on the bench
            # (leaving, the hips rise beyond the range first: stood_up above).
            return Loss(since, in_place=True)
        # (Seated only where a counted rep since someone sat down left from: a still level
        # there may be an empty bench's floor or bench top, with no one on it.)
        seated = self._seat_shown is not None and position is not None and abs(position) <= SEAT_TOL
        return Loss(since, in_place=seated and (rep is None or rep.stage is not Stage.LIFTING))

    def _amid_a_rep(self) -> bool:
        """Learning the orientation, the last reading lies within a rep-like round trip under
        way (one way up it is a rep's squeeze or lowering, the other a rest at its seat)."""
        last_x = self.last_x
        return last_x is not None and any(
            d.rep is not None and d.rep.locked_out and d.within_rep(d.sign * last_x)
            for d in self.detectors
        )

    def _stood_up(self, t: float, side: Side) -> None:
        """The lifter is gone at ``t`` (the readings jumped or stopped) while the way up is
        being learned: a lift under way, from a rest, far beyond every rep-like round trip seen
        was them standing up from the seat, a hard clue to the way up (the other way up, the
        same movement sank through the seat). Both ways up at once, or neither: no clue."""
        calibrator = self.calibrator
        if calibrator.settled or not self.presence.present:
            return
        signs = {
            detector.sign
            for detector in self.detectors
            if (rep := detector.rep) is not None
            and rep.stage <= Stage.HOLDING
            and calibrator.standing(rep.rise)
            and detector.dwell_before(rep) >= QUIET_S
        }
        stood, self._stood = self._stood, None
        if stood is not None and t - stood[1] <= LEAVING_S:
            signs.add(stood[0])  # (risen beyond any thrust just before: that attempt is over)
        if len(signs) == 1:
            self._apply(t, calibrator.stood_up(signs.pop(), t, side), side)

    def _interrupt_attempt(self, detector: Detector, t: float, side: Side) -> None:
        """Drop ``detector``'s attempt as the readings stop joining up. One of the settled
        orientation that had risen from the seat far beyond the learned range was someone
        standing up and leaving the beam, and one that rose from far off the learned seat
        (where a body passing the beam left the readings) no lift of the set either: no
        activity of the set (its pause counts from the last rep, as for a movement that
        settled on a new level)."""
        rep = detector.rep
        stood_up = (
            rep is not None
            and self.calibrator.settled
            and detector.sign == self.calibrator.model.sign
            and (
                detector.oversized()
                or self.calibrator.misfit(detector.sign, rep.base, rep.rise, side)
            )
        )
        if stood_up and rep is not None:
            self._stood_from(detector.sign, rep.base, rep.rise, side)
        self._hear(detector, detector.interrupt(t), side)
        if stood_up:
            self._found.append(Reseated(t))

    def _stood_from(self, sign: int, base: float, rise: float, side: Side) -> None:
        """An attempt of orientation ``sign`` rose ``rise`` from ``base``: from the seat and
        beyond any thrust of the learned range, the lifter stood up. Hips rest on the seat,
        never past it: a rest past it from now on is nobody there (the near floor of an empty
        bench), until someone sits down."""
        model = self.calibrator.model
        rom = self._rom(side)
        if (
            rom is not None
            and model.bottom_h is not None
            and self.presence.present
            and self.calibrator.settled
            and rise > OVERSIZE * rom
            and self._from_seat(sign, base, side)
        ):
            margin = max(SAT_PAST * rom, NOISE_START * self.noise.sigma)
            self._vacant = (model.bottom_h - margin, margin)

    def _take(self) -> Sequence[Detection]:
        found = self._found
        if not found:
            return ()  # (most calls: no list to allocate)
        self._found = []
        return found

    def _top_hidden(self) -> Detector | None:
        """The settled orientation's detector if the readings stopped while its rep, locked
        out and of the learned size, was at its top: the squeeze went where the sensor cannot
        range (hips within a few centimetres of the lens), not out of the room."""
        detector = self.cue_detector()
        if detector is None or detector.sign != self.calibrator.model.sign:
            return None  # (learned once at least: relearning a moved seat still counts)
        return detector if detector.top_out_of_view() else None

    def _settle_from(self, t: float) -> None:
        """The readings from ``t`` on do not join up with those before: levels mean something
        again SETTLE_S later, and the noise is read afresh then."""
        self._settled_from = t + SETTLE_S
        self._noise_settled = False

    def push(self, t: float, x: float, side: Side) -> Sequence[Detection]:
        """One conditioned sample: time (s) and distance (mm), while ``side`` works; what it
        found, in order."""
        last_t, self.last_t, self.last_x = self.last_t, t, x
        self.history.add(t, x)
        self.noise.push(t, x)
        if self.presence.present and self._at_rest():
            self.wander.push(t, x)
        else:
            self.wander.moved()
        self._samples += 1
        if self._samples == 1:
            self._settle_from(t)  # what came before is unknown
        elif not self._noise_settled and t >= self._settled_from:
            self._noise_settled = True
            self.noise.settled()
        sigma = self.noise.sigma
        before = self._lag
        self._lag = lag_t, speed = self._live.push(t, x)
        still = self.still
        if t - last_t >= DROPOUT_S and still.still_for(last_t) < RESTED_S:
            still.reset()  # not resting when the readings stopped: nobody saw the hips stay put
        still.push(t, x, self.noise.still_tolerance)
        still_s = still.still_for(t)
        if still_s >= STILL_S:
            self._rest(t, still.mean, still_s, side)
        if self.presence.present:
            self._far_from_seat(t, x, side)
        doubt = self.calibrator.range_in_doubt(side)
        model_sign = self.calibrator.model.sign
        wander = self.wander.sigma
        for detector in self.detectors:
            detector.sigma = sigma
            detector.wander = wander
            sign = detector.sign
            detector.range_in_doubt = doubt and sign == model_sign
            rep = detector.rep
            if rep is not None and rep.landing:
                rep.landing = False
                if not detector.within_rep(sign * x):
                    self._hear(detector, detector.interrupt(t), side)
            rep = detector.rep
            if rep is not None and rep.stage is Stage.LOWERING:  # (only a lowering is bridged)
                bridged = detector.bridge(t, sign * x)
                if bridged:
                    self._hear(detector, bridged, side)
            # heights, speeds: this hypothesis' way up (negating is exact, as is 1 * x)
            if sign > 0:
                found = detector.step(t, x, lag_t, speed, before)
            else:
                found = detector.step(t, -x, lag_t, -speed, (before[0], -before[1]))
            if found:
                self._hear(detector, found, side)
        first, second = self.detectors
        if (first.rep is not None and not first.rep.active) or (
            second.rep is not None and not second.rep.active
        ):
            self._report_activity(t)  # (an attempt not reported yet: seldom)
        detections = self._found  # (as _take, without a call for every sample)
        if not detections:
            return ()
        self._found = []
        return detections

    def _report_activity(self, t: float) -> None:
        """An attempt under way not reported yet grew rep-sized: activity (asked only while
        one is unreported, most readings have none: no need to ask who leads the cues)."""
        cue = self.cue_detector()
        for detector in self.detectors if cue is None else (cue,):
            rep = detector.rep
            if rep is not None and not rep.active:
                scale = detector.scale
                needed = self.calibrator.partial * scale if scale else detector.rep_like()
                if rep.rise >= needed:
                    rep.active = True
                    self._found.append(Activity(t))

    def _rest(self, t: float, level_x: float, still_s: float, side: Side) -> None:
        for detector in self.detectors:
            detector.rest(detector.sign * level_x, still_s)
        calibrator = self.calibrator
        sign = calibrator.model.sign
        # (Part-way up an attempt the detector kept, the hips squeeze: that is no seat, and no
        # rest after a held-back short lift either: the rep under way tells what that was.)
        resting = not sign or self._of_sign(sign).rep is None
        present = self.presence.present
        vacant, floor = self._vacant, self._floor
        # (set only when settled: ``sign`` is the learned way up)
        past = present and vacant is not None and sign * level_x < vacant[0]
        on_floor = not present and floor is not None and abs(level_x - floor[0]) <= floor[1]
        if resting and not (past or on_floor):
            calibrator.rest(level_x, side)
        held = calibrator.suspect is not None or calibrator.swift_trip is not None
        if still_s >= RESTED_S and held and resting:
            self._apply(t, calibrator.release(side), side)
        if t < self._settled_from:
            return  # just arrived: the level means nothing yet
        if past or on_floor:
            # Stood up, then still past the seat: the floor of an empty bench, however near
            # (or that floor again: nobody sat down).
            if vacant is not None and past and still_s >= PRESENCE_STILL_S:
                self._set_present(t, False)
                self._floor = (level_x, vacant[1])
            return
        model = calibrator.model
        settled = calibrator.settled and model.sign != 0
        seated = self.presence.at_rest(
            model.sign * level_x,
            still_s,
            model.bottom_h if settled else None,
            self._rom(side) if settled else None,
        )
        if seated:
            self._vacant = None  # on the seat (again): someone sat down
        if seated is not None and seated is not present:
            self._set_present(t, seated)

    def _far_from_seat(self, t: float, x: float, side: Side) -> None:
        """Readings that stay far beyond the seat's zone (the ceiling or floor of an empty
        bench, in sunlight never still) say nobody is seated, as a still level there does."""
        calibrator = self.calibrator
        model = calibrator.model
        if not calibrator.settled or not model.sign or model.bottom_h is None:
            return
        rom = self._rom(side)
        if not rom:
            return
        if not self.presence.far_from_seat(model.sign * x, model.bottom_h, rom):
            self._far_since = None
        elif self._far_since is None:
            self._far_since = t
        elif t - self._far_since >= PRESENCE_STILL_S:
            self._far_since = None
            self._set_present(t, False)

    def _from_seat(self, sign: int, base: float, side: Side) -> bool:
        """A rep of orientation ``sign`` from ``base`` began at the learned seat."""
        model = self.calibrator.model
        rom = self.calibrator.rom(side)
        seat = model.bottom_h
        return (
            seat is not None
            and rom is not None
            and sign == model.sign
            and abs(base - seat) <= SEAT_TOL * rom
        )

    def _set_present(self, t: float, present: bool, *, unseen: bool = False) -> None:
        if present is not self.presence.present:
            self.presence.present = present
            self._seat = None  # whoever sits down next shows their seat afresh
            self._seat_shown = None
            through_beam, self._came_through = self._came_through, False
            self._vacant = None
            if present:
                self._floor = None
                self.calibrator.scene_changed()
                self.calibrator.lifter_arrived()
                for detector in self.detectors:
                    detector.lifter_arrived()
            else:
                self.calibrator.lifter_left(t)
                self._found_at = None  # whoever comes next is seen sitting down
            self._found.append(PresenceChanged(t, present, unseen, present and through_beam))

    # --- what the detectors found ------------------------------------------------------------
    def _hear(self, detector: Detector, findings: Sequence[Finding], side: Side) -> None:
        """Act on what one call of ``detector`` found, in order, while ``side`` works."""
        for finding in findings:
            if isinstance(finding, Candidate):
                self.candidate(detector, finding, side)
            elif isinstance(finding, Aborted):
                self.aborted(detector, finding, side)
            elif isinstance(finding, Lockout):
                self.lockout(detector, finding)
            else:
                self.cue(detector, finding)

    def _leads(self, detector: Detector, rep: RepInProgress) -> bool:
        """Whether ``detector`` leads the cues as it was when it found a cue in ``rep``: the rest
        of that call may have dropped the attempt since, and the cue came before."""
        current, detector.rep = detector.rep, rep
        try:
            return detector is self.cue_detector()
        finally:
            detector.rep = current

    def lockout(self, detector: Detector, found: Lockout) -> None:
        """The favoured hypothesis reached lockout: a set is under way."""
        if self.calibrator.settled and self._leads(detector, found.rep):
            self._found.append(found)

    def cue(self, detector: Detector, found: HoldStarted | HoldReached) -> None:
        """The hips stopped rising at the top, or the squeeze reached the target."""
        if isinstance(found, HoldStarted) and found.rep.locked_out:
            self._seat_from(detector, found.rep)
        if self._leads(detector, found.rep):
            self._found.append(found)

    def candidate(self, detector: Detector, candidate: Candidate, side: Side) -> None:
        """A round trip: evidence, and maybe reps."""
        self.calibrator.sigma = self.noise.sigma
        quiet = candidate.dwell_before >= QUIET_S and self._quiet(detector, candidate.begun_t)
        candidate = replace(candidate, quiet=quiet)
        # Any reportable movement is activity: the next lift does not open a run. Before
        # anything is learned, one that began moving as the lifter appeared is the arrival
        # itself; one that left a rest (the stream began with the lifter seated) is a lift.
        arrival = (
            candidate.begun_t < self._settled_from
            and not self.calibrator.settled
            and candidate.dwell_before < QUIET_S
        )
        if candidate.rom >= detector.reported() and not arrival:
            timing = candidate.timing
            self._spans.append(
                Span(
                    candidate.begun_t,
                    candidate.end_t,
                    candidate.sign,
                    timing.hold_start_t,
                    timing.hold_end_t,
                    candidate.base + candidate.rom - candidate.low,
                    candidate.dwell_before,
                )
            )
        self._apply(candidate.end_t, self.calibrator.add(candidate, side), side)

    def aborted(self, detector: Detector, found: Aborted, side: Side) -> None:
        """An attempt was dropped; a rest at the top is evidence."""
        if found.why is Abort.RESTED_AT_TOP:
            t = found.t
            self._apply(t, self.calibrator.rested_at_top(detector.sign, t, side), side)
        elif self._no_activity(detector, found):
            self._found.append(Reseated(found.t))
        if found.base is not None:
            self._stood_from(detector.sign, found.base, found.rise, side)
        if (
            found.why is Abort.STOOD_UP
            and found.rested >= QUIET_S
            and not self.calibrator.settled
            and self.calibrator.standing(found.rise)
        ):
            self._stood = (detector.sign, found.t)  # from a rest: leaving, if they go now

    def _no_activity(self, detector: Detector, found: Aborted) -> bool:
        """Whether an attempt of the learned orientation, dropped, was no movement of the set."""
        if detector.sign != self.calibrator.model.sign:
            return False
        if found.why in NO_ACTIVITY:
            return True
        return (
            found.why is Abort.BELOW_SEAT
            and detector.scale is not None
            and found.rise >= PARTIAL * detector.scale
        )

    def _apply(self, t: float, outcome: Outcome, side: Side) -> None:
        if outcome.calibrated is not None:
            self._seat_shown = None  # (learned anew: shown by the next rep from it)
            self._vacant = None
            self._sync_scale(side)
            model = self.calibrator.model
            levels = {each: model.levels(each) for each in Side}
            self._found.append(Calibrated(t, outcome.calibrated, levels))
        if outcome.verdicts and not self.presence.present:
            self._set_present(outcome.verdicts[0].candidate.begun_t, True)
        for verdict in outcome.verdicts:
            candidate = verdict.candidate
            if verdict.complete and self._from_seat(candidate.sign, candidate.base, side):
                self._seat_shown = min(candidate.base, candidate.low)
            measure = _measure(candidate, verdict.complete, verdict.rom_fraction)
            self._found.append(RepFound(candidate.end_t, measure))
        if outcome.verdicts:
            self._sync_scale(side)


def _measure(c: Candidate, complete: bool, rom_fraction: float) -> RepMeasure:
    timing = c.timing
    return RepMeasure(
        complete=complete,
        started_t=timing.start_t,
        end_t=timing.end_t,
        concentric_s=c.concentric_s,
        hold_s=c.hold_s,
        eccentric_s=c.eccentric_s,
        rom_mm=timing.rom,
        rom_fraction=rom_fraction,
        peak_speed_mm_s=timing.peak_speed,
        lowering_peak_speed_mm_s=timing.lowering_peak_speed,
        lowering_mean_speed_mm_s=timing.lowering_mean_speed,
    )
