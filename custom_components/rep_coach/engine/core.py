"""RepEngine: the facade that composes decoding, conditioning, presence, calibration,
the rep state machine, the session and feedback. Pure and deterministic: time comes from
the caller (sample arrival or device time), never from the wall clock."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter
from typing import Any, TypedDict

from . import persistence, report
from .calibration import CalibrationModel
from .clock import DeviceClock
from .conditioning import GAP_RESET_S, Conditioner, Validity, classify
from .detector import HoldReached, HoldStarted, Lockout, Stage
from .events import (
    CalibratedEvent,
    CalibrationReason,
    EngineEvent,
    SensorEvent,
    SensorState,
    SetEndReason,
)
from .health import Counters
from .manual import ManualCalibration
from .occlusion import Occlusion, Reach, Released
from .protocol import PayloadError, PayloadFormat, decode_payload
from .reps import (
    Activity,
    Detection,
    PresenceChanged,
    RepFound,
    RepMeasure,
    RepTracker,
    Reseated,
)
from .session import Session, WallClock
from .settings import DistanceUnit, EngineSettings, Side
from .snapshot import Snapshot, load_snapshot
from .state import Calibration, EngineState, Phase, SideStats
from .thresholds import PARTIAL_BY_SENSITIVITY

NO_TARGET_AFTER_S = 1.0  # out-of-range readings this long: report "no target"
INVALID_AFTER_S = 2.0  # only invalid readings (no no-target among them) this long: "invalid"
SEQ_RESTART = 1000  # a sequence number this far behind means the device restarted
TICK_LAG_S = 1.0  # a tick acts only once readings are this overdue: delivery never decides


class CalibrationStep(StrEnum):
    """Manual calibration: hold still at the bottom, then at the top; or go back to auto."""

    AUTO = "auto"
    BOTTOM = "bottom"
    TOP = "top"


@dataclass(slots=True)
class FeedResult:
    """What one payload produced."""

    events: list[EngineEvent] = field(default_factory=list)
    error: PayloadError | None = None
    readings: int = 0
    invalid: int = 0


def calibrated_events(
    calibration: Calibration | None,
    side: Side,
    t: float,
    *,
    automatic: bool,
    reason: CalibrationReason,
) -> list[EngineEvent]:
    """The calibration event for ``side`` at these levels (none while they are being learned)."""
    if calibration is None:
        return []
    return [
        CalibratedEvent(
            t=t,
            side=side,
            bottom_mm=calibration.bottom_mm,
            top_mm=calibration.top_mm,
            automatic=automatic,
            reason=reason,
        )
    ]


class TrackerOptions(TypedDict):
    """What of the settings the tracker works with (see :meth:`.RepTracker.configure`)."""

    partial: float
    hold_band_fraction: float
    dip_tolerance_s: float
    hold_target_s: float


def _tracker_options(settings: EngineSettings) -> TrackerOptions:
    profile = settings.variation_profile
    return TrackerOptions(
        partial=PARTIAL_BY_SENSITIVITY[settings.sensitivity],
        hold_band_fraction=profile.hold_band_fraction,
        dip_tolerance_s=profile.dip_tolerance_s,
        hold_target_s=settings.hold_target_s,
    )


class RepEngine:
    """One bench sensor's engine. Not thread-safe; call from one thread/event loop."""

    def __init__(
        self, settings: EngineSettings | None = None, *, wall_clock: WallClock | None = None
    ) -> None:
        """``wall_clock`` maps engine time to the wall clock; without it sets carry no dates."""
        self._settings = settings or EngineSettings()
        self.cal = CalibrationModel()
        self._manual = ManualCalibration(self.cal, self._settings.orientation)
        self.session = Session(self._settings, wall_clock)
        self.tracker = self._new_tracker()
        self.conditioner = Conditioner()
        self._occlusion = Occlusion()  # readings beyond the seat, held back until they tell
        self.clock = DeviceClock()
        self.counters = Counters()
        self.sensor_state = SensorState.OK
        self.detected_unit: DistanceUnit | None = None
        self.payload_format: PayloadFormat | None = None
        self.last_error: PayloadError | None = None
        self._last_t = -math.inf  # newest sample time
        self._last_arrival = -math.inf  # when the newest data arrived (receiver clock)
        self._device_timed = False  # the newest payload carried device time
        self._last_seq: int | None = None
        self._bad_since: float | None = None  # first of the current run of unusable readings
        self._invalid_since: float | None = None  # first invalid one with no no-target since
        # The first unusable reading after the last one the rep detector got (its ``last_t``):
        # a valid reading rejected as a spike among unusable ones shows nobody either.
        self._unseen_since = -math.inf
        self.restored_history: list[report.SetSummary] = []
        self.resume_pending = False

    # --- construction helpers -----------------------------------------------------------
    def _new_tracker(self) -> RepTracker:
        return RepTracker(self.cal, self.session.side, **_tracker_options(self._settings))

    @property
    def settings(self) -> EngineSettings:
        """Current settings."""
        return self._settings

    def update_settings(self, settings: EngineSettings, t: float) -> list[EngineEvent]:
        """Apply new settings (targets, program, side mode...) without losing counts."""
        old = self._settings
        self._settings = settings
        self.tracker.configure(**_tracker_options(settings))
        if settings.orientation is not old.orientation:
            self._manual.reorient(settings.orientation)
            self.tracker.restored(self.session.side)
        return self._settle(self.session.apply_settings(settings, t))

    # --- input ---------------------------------------------------------------------------
    def _heard(self, detections: Sequence[Detection]) -> list[EngineEvent]:
        """What the session made of the tracker's findings, handed to it in order."""
        session = self.session
        events: list[EngineEvent] = []
        for found in detections:
            if isinstance(found, Activity):
                events.extend(session.on_attempt(found.t))
            elif isinstance(found, Reseated):
                events.extend(session.on_reseated(found.t))
            elif isinstance(found, Lockout):
                events.extend(session.on_lockout(found.t))
            elif isinstance(found, HoldStarted):
                events.extend(session.on_hold_started(found.t, found.started_t))
            elif isinstance(found, HoldReached):
                events.extend(session.on_hold_reached(found.t))
            elif isinstance(found, RepFound):
                if found.t < self._last_t:
                    # Counted late (held back until the calibration settled). A live rep
                    # found on a lagged sample also passes here: its timers are up to date,
                    # so catching up changes nothing.
                    events.extend(session.catch_up(found.measure.started_t))
                events.extend(session.on_rep(found.t, found.measure))
            elif isinstance(found, PresenceChanged):
                events.extend(
                    session.on_presence(
                        found.t, found.present, unseen=found.unseen, through_beam=found.through_beam
                    )
                )
            else:  # the calibration settled: its levels for the side the session is on now
                side = session.side
                events.extend(
                    calibrated_events(
                        found.levels[side], side, found.t, automatic=True, reason=found.reason
                    )
                )
        return events

    def _settle(self, events: list[EngineEvent]) -> list[EngineEvent]:
        """End of a step: the tracker scales with the session's side from now on."""
        self.tracker.rescale(self.session.side)
        return events

    def feed_payload(self, payload: bytes | str, arrival_t: float) -> FeedResult:
        """Decode one MQTT payload that arrived at ``arrival_t`` and run its readings.

        Not for a retained payload (an old value the broker replays on subscribe): it would
        invent a movement, so whoever reads MQTT drops it.
        """
        counters = self.counters
        counters.payloads += 1
        decoded = decode_payload(payload, self._settings.unit)
        result = FeedResult(error=decoded.error)
        if decoded.error is not None:
            counters.payload_errors += 1
            self.last_error = decoded.error
            result.events = self._settle(self._note_bad(arrival_t, Validity.INVALID))
            return result
        self.payload_format = decoded.fmt
        if decoded.unit is not None and self.detected_unit is None:
            self.detected_unit = decoded.unit
        events: list[EngineEvent] = []
        readings = decoded.readings
        if len(readings) > 1 and all(r.seq is not None for r in readings):
            readings = tuple(sorted(readings, key=attrgetter("seq")))  # (every one has one)
        device_times = [r.t for r in readings if r.t is not None]
        self._device_timed = bool(device_times)
        if device_times:
            clock = self.clock
            reboots = clock.reboots
            clock.observe(
                max(device_times) / 1000.0, min(device_times) / 1000.0, arrival_t, self._last_t
            )
            if clock.reboots != reboots:
                self._last_seq = None  # a rebooted device counts its readings from 0 again
        self._last_arrival = arrival_t
        for reading in readings:
            if reading.seq is not None:
                last = self._last_seq
                if last is not None and reading.seq <= last and last - reading.seq < SEQ_RESTART:
                    counters.duplicates += 1
                    continue
                self._last_seq = reading.seq
            # Device time when the reading has it: delivery jitter then changes no figure.
            t = arrival_t if reading.t is None else self.clock.to_local(reading.t / 1000.0)
            result.readings += 1
            before = counters.valid
            events.extend(self._feed(t, reading.d, reading.status))
            if counters.valid == before:
                result.invalid += 1
        result.events = events
        return result

    def feed(
        self, t: float, distance_mm: float | None, status: int | None = None
    ) -> list[EngineEvent]:
        """Run one reading (mm; None/NaN for no reading) taken (and received) at ``t`` s."""
        if t >= self._last_arrival:
            self._last_arrival = t
            self._device_timed = False
        return self._feed(t, distance_mm, status)

    def _feed(
        self, t: float, distance_mm: float | None, status: int | None = None
    ) -> list[EngineEvent]:
        counters = self.counters
        counters.readings += 1
        if not t >= self._last_t:  # also rejects NaN timestamps
            counters.out_of_order += 1
            return []
        events: list[EngineEvent] = []
        if t - self._last_t > GAP_RESET_S * 4 and self._last_t > -math.inf:
            counters.gaps += 1
            for held in self._occlusion.clear():  # beyond the seat, then silence: no
                events.extend(self._reading(*held))  # return to the hips was seen
            events.extend(self._heard(self.tracker.silent(t, self._last_t, self.session.side)))
            self.conditioner.reset()
            if self.session.current is not None:
                # Nobody saw what the lifter did meanwhile: the set's pause counts from here,
                # as after a restart, not from the last rep before the silence.
                self.session.last_activity_t = max(self.session.last_activity_t, t)
        self._last_t = t
        if self.resume_pending:
            self.resume_pending = False
            self.session.last_activity_t = t
        settings = self._settings
        validity = classify(distance_mm, status, settings.min_valid_mm, settings.max_range_mm)
        occlusion = self._occlusion
        released: Released | None = None
        if validity is Validity.VALID:
            assert distance_mm is not None
            counters.valid += 1
            reach = self.tracker.reach(distance_mm, self.session.side)
            if occlusion.held or occlusion.lasting or reach is Reach.BEYOND:
                released = occlusion.offer(t, distance_mm, reach)
            # (else the gate has nothing held and would let the reading through as it came)
        else:
            if validity is Validity.NO_TARGET:
                counters.no_target += 1
            else:
                counters.invalid += 1
            if occlusion.held:
                released = occlusion.unseen(t, validity)
        if released is None:
            if events:
                events.extend(self._reading(t, distance_mm, validity))
            else:
                events = self._reading(t, distance_mm, validity)  # (its list: most readings)
        else:
            if released.lasted:
                self.tracker.seat_in_doubt()
            if released.dropped:
                # A blind spell: the hips moved unseen, the gate has nothing to judge them by.
                self.conditioner.reset()
            for held in released.run:
                events.extend(self._reading(*held))
        session = self.session
        if session.current is not None or session.rest_ends_t is not None:
            events.extend(session.advance(t))
        self.tracker.rescale(session.side)  # (as _settle, without a call for every reading)
        return events

    def _reading(
        self, t: float, distance_mm: float | None, validity: Validity
    ) -> list[EngineEvent]:
        """One reading, not held back as an occlusion (or let go as it came): a valid one
        through the gate and the median to the tracker, a missing one to what it tells."""
        if validity is not Validity.VALID or distance_mm is None:
            self.conditioner.missed(t)
            return self._note_bad(t, validity)
        events: list[EngineEvent] = []
        self._bad_since = self._invalid_since = None
        if self.sensor_state is not SensorState.OK:
            events.extend(self._set_sensor_state(t, SensorState.OK))
        conditioner = self.conditioner
        jumps = conditioner.jumps
        out = conditioner.push(t, distance_mm, device_timed=self._device_timed)
        if conditioner.jumps != jumps:
            # a body entered or left the beam
            events.extend(self._heard(self.tracker.jumped(t, self.session.side)))
        if out is not None:
            found = self.tracker.push(out[0], out[1], self.session.side)
            if found:
                events.extend(self._heard(found))
        return events

    def _note_bad(self, t: float, validity: Validity) -> list[EngineEvent]:
        if self._bad_since is None:
            self._bad_since = t
        if validity is Validity.NO_TARGET:
            # The sensor ranges fine and sees nothing: an odd blank among these is not a fault.
            self._invalid_since = None
        elif self._invalid_since is None:
            self._invalid_since = t
        if self._unseen_since <= self.tracker.last_t:
            self._unseen_since = t
        events = self._heard(self.tracker.lost(t, self._unseen_since, self.session.side))
        if validity is Validity.NO_TARGET:
            if t - self._bad_since >= NO_TARGET_AFTER_S:
                events.extend(self._set_sensor_state(t, SensorState.NO_TARGET))
        elif self._invalid_since is not None and t - self._invalid_since >= INVALID_AFTER_S:
            events.extend(self._set_sensor_state(t, SensorState.INVALID))
        return events

    def _set_sensor_state(self, t: float, state: SensorState) -> list[EngineEvent]:
        if state is self.sensor_state:
            return []
        previous, self.sensor_state = self.sensor_state, state
        return [SensorEvent(t=t, state=state, previous=previous)]

    def tick(self, t: float) -> list[EngineEvent]:
        """Advance timers (rest, idle set end, staleness) at receiver time ``t``.

        While readings flow, their own timestamps drive every timer; a tick acts only once they
        are overdue (TICK_LAG_S), so delivery never changes what is counted or when.
        """
        if not t >= self._last_arrival:
            return []
        now = self.clock.now(t) if self._device_timed else t
        if self.resume_pending:
            self.resume_pending = False
            self.session.last_activity_t = now
        stale = (
            self._last_arrival > -math.inf
            and t - self._last_arrival >= self._settings.stale_after_s
        )
        events: list[EngineEvent] = []
        if stale and self.sensor_state is not SensorState.STALE:
            events.extend(self._set_sensor_state(now, SensorState.STALE))
        if now - TICK_LAG_S > self._last_t:
            # A silent sensor (a reboot, an outage) is no sign the lifter left: an open set
            # waits for the readings as for a pause, and closes for the silence at its end.
            events.extend(self.session.advance(now - TICK_LAG_S, silent=stale))
        if stale and self.session.current is None and self.tracker.presence.present:
            events.extend(self._heard(self.tracker.lost(now, self._last_t, self.session.side)))
        return self._settle(events)

    # --- commands ------------------------------------------------------------------------
    def start_set(self, t: float) -> list[EngineEvent]:
        """Start a set now."""
        return self._settle(self.session.start_set(t))

    def end_set(self, t: float) -> list[EngineEvent]:
        """End the running set."""
        return self._settle(self.session.end_set(t))

    def switch_side(self, t: float, side: Side | None = None) -> list[EngineEvent]:
        """Switch legs (to ``side``, or the other one)."""
        return self._settle(self.session.switch_side(t, side))

    def sensor_offline(self, t: float) -> list[EngineEvent]:
        """The sensor said it went away (MQTT last will): close the set now, keep its count."""
        events = self.session.end_set(t, SetEndReason.SENSOR_LOST)
        events.extend(self._heard(self.tracker.interrupt(t, self.session.side)))
        return self._settle(events)

    def undo_last_rep(self, t: float) -> list[EngineEvent]:
        """Remove the last counted rep."""
        return self._settle(self.session.adjust_reps(t, -1))

    def adjust_reps(self, t: float, delta: int) -> list[EngineEvent]:
        """Add (or with a negative delta remove) counted reps."""
        return self._settle(self.session.adjust_reps(t, delta))

    def reset_session(self, t: float) -> list[EngineEvent]:
        """Clear all counters; calibration stays."""
        events = self.session.reset(t)
        self.restored_history.clear()
        return self._settle(events)

    def calibrate(self, t: float, step: CalibrationStep) -> list[EngineEvent]:
        """Manual calibration (bottom, then top) or back to automatic learning."""
        tracker = self.tracker
        if step is CalibrationStep.AUTO:
            self._manual.auto()
            tracker.restored(self.session.side)
            return self._settle([])
        level = tracker.last_x
        if level is None:
            return self._settle([])
        if step is CalibrationStep.BOTTOM:
            self._manual.bottom(level)
            return self._settle([])
        if not self._manual.top(level, tracker.noise.sigma):
            return self._settle([])
        tracker.restored(self.session.side)
        side = self.session.side
        return self._settle(
            calibrated_events(
                self.cal.levels(side), side, t, automatic=False, reason=CalibrationReason.MANUAL
            )
        )

    # --- views ---------------------------------------------------------------------------
    def current_calibration(self) -> Calibration | None:
        """The current side's calibration, or None while it is still being learned."""
        return self.cal.levels(self.session.side)

    def phase(self) -> Phase:
        """Where the lifter is now."""
        tracker, session = self.tracker, self.session
        if tracker.recalibrating(session.side):
            return Phase.RECALIBRATING
        if not tracker.present:
            return Phase.AWAY
        stage = tracker.stage
        if stage is Stage.LIFTING:
            return Phase.LIFTING
        if stage is Stage.HOLDING:
            # Holding from the moment the hips stop rising (the timed squeeze), not band entry.
            return Phase.HOLDING if tracker.squeezing else Phase.LIFTING
        if stage is Stage.LOWERING:
            return Phase.LOWERING
        return Phase.RESTING if session.rest_ends_t is not None else Phase.READY

    def last_set_means(self, side: Side) -> tuple[float, float] | None:
        """(hold, lowering) means of the last finished set on ``side`` that had timed reps.

        Rounded as the set is kept, so the figure is the same before and after a restart.
        """
        for record in reversed(self.session.history):
            if record.side is side and record.reps:
                return round(record.mean_hold_s, 2), round(record.mean_lowering_s, 2)
        for kept in reversed(self.restored_history):
            if kept.side is side and kept.timed:
                return kept.mean_hold_s, kept.mean_lowering_s
        return None

    def side_stats(self, side: Side) -> SideStats:
        """Totals of one side."""
        totals = self.session.totals[side]
        last_set = self.last_set_means(side)
        return SideStats(
            reps=totals.reps,
            sets=totals.sets,
            partial_reps=totals.partial_reps,
            mean_hold_s=totals.mean(totals.hold_sum),
            mean_lowering_s=totals.mean(totals.lowering_sum),
            mean_rom_mm=totals.mean(totals.rom_sum),
            time_under_tension_s=totals.tut,
            last_set_mean_hold_s=None if last_set is None else last_set[0],
            last_set_mean_lowering_s=None if last_set is None else last_set[1],
        )

    @property
    def state(self) -> EngineState:
        """Everything an entity shows, now."""
        session, tracker = self.session, self.tracker
        current = session.current
        position = tracker.position(session.side)
        return EngineState(
            phase=self.phase(),
            present=tracker.present,
            side=session.side,
            set_number=session.set_number,
            in_set=current is not None,
            reps_this_set=current.count if current is not None else 0,
            left=self.side_stats(Side.LEFT),
            right=self.side_stats(Side.RIGHT),
            total_reps=session.total_reps,
            last_rep=session.last_rep,
            last_warning=session.last_warning,
            rest_ends_t=session.rest_ends_t,
            hold_elapsed_s=tracker.hold_elapsed(self._last_t),
            position_pct=None if position is None else 100.0 * position,
            sensor_state=self.sensor_state,
            calibration=self.current_calibration(),
            imbalance_pct=None if session.imbalance is None else session.imbalance.largest_pct,
            recalibrating_since_t=tracker.recalibrating_since,
            totals_since=session.totals_since,
        )

    def summary_report(self) -> report.SessionSummary:
        """The session summary: sets per side with reps, holds, tempo, warnings."""
        sides = {side: self.side_stats(side) for side in Side}
        return report.summary(self.session, self.restored_history, sides)

    def summary(self) -> dict[str, Any]:
        """The session summary, JSON-ready (what services and the CLI return)."""
        return self.summary_report().as_dict()

    def diagnostics_report(self) -> report.Diagnostics:
        """Internals for HA diagnostics (no personal data)."""
        return report.diagnostics(
            sensor_state=self.sensor_state,
            counters=self.counters,
            clock=self.clock,
            payload_format=self.payload_format,
            detected_unit=self.detected_unit,
            last_error=self.last_error,
            phase=self.phase(),
            calibration=self.current_calibration(),
        )

    def diagnostics(self) -> dict[str, Any]:
        """The internals, JSON-ready (what Home Assistant's diagnostics show)."""
        return self.diagnostics_report().as_dict()

    # --- persistence ---------------------------------------------------------------------
    def set_history(self) -> list[report.SetSummary]:
        """The finished sets kept in detail (the last 50), oldest first."""
        return report.finished_sets(self.session.history, self.restored_history)

    def snapshot(self) -> Snapshot:
        """What survives a restart: counters, the set under way, side, calibration, last sets."""
        return persistence.snapshot(self.session, self.restored_history, self.cal)

    def restore(self, saved: Snapshot) -> None:
        """Continue from a snapshot (see :func:`.snapshot.load_snapshot` for saved data)."""
        self.restored_history = persistence.restored_sets(saved)
        if persistence.restore_session(self.session, saved):
            self.resume_pending = True
        self.cal.restore(saved.calibration.model_dump(mode="json"))
        # A saved calibration is a prior, not a lock.
        self.tracker.restored(self.session.side, mid_set=self.resume_pending)

    def export_state(self) -> dict[str, Any]:
        """The snapshot, JSON-ready."""
        return self.snapshot().model_dump(mode="json")

    def restore_state(self, data: object) -> None:
        """Restore saved data of any released format; raises ``SnapshotError`` if unreadable."""
        self.restore(load_snapshot(data))


__all__ = ["CalibrationStep", "FeedResult", "RepEngine", "RepMeasure"]
