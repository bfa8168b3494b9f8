"""Session: sets, sides, rest, targets, per-side statistics and feedback events."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise

from .events import (
    EngineEvent,
    FormWarning,
    FormWarningEvent,
    HoldReachedEvent,
    HoldStartedEvent,
    PresenceEvent,
    RepEvent,
    RepsAdjustedEvent,
    RestFinishedEvent,
    RestStartedEvent,
    SessionResetEvent,
    SetEndEvent,
    SetEndReason,
    SetStartEvent,
    SideSwitchedEvent,
    TargetReachedEvent,
)
from .feedback import Imbalance, SideMeans, imbalance, rep_warnings
from .reps import RepMeasure
from .settings import EngineSettings, Side, SideMode

SET_HISTORY = 50  # sets kept in detail (memory stays bounded); totals are kept forever
TARGET_PAUSE_S = 4.0  # past the target, a pause this long (or twice the rep cadence) ends the set
CADENCE_PAUSES = 2.0  # a pause of this many typical rep-to-rep intervals is not the next rep

# The wall-clock instant of an engine time, given by the host: the engine never reads the clock.
type WallClock = Callable[[float], datetime]


@dataclass(slots=True)
class SetRecord:
    """One set, as the summary reports it."""

    side: Side
    number: int
    started_t: float
    reps: list[RepEvent] = field(default_factory=list)
    partial_reps: int = 0
    added: int = 0  # reps the user added by hand (no timings)
    reason: SetEndReason | None = None
    target_reached: bool = False

    def pause_limit(self, idle_s: float) -> float:
        """Past the target: a pause clearly longer than this lifter's rep cadence ends the set."""
        ends = [rep.t for rep in self.reps[-8:]]
        gaps = sorted(b - a for a, b in pairwise(ends))
        cadence = gaps[len(gaps) // 2] if gaps else 0.0
        return min(idle_s, max(TARGET_PAUSE_S, CADENCE_PAUSES * cadence))

    started_at: datetime | None = None  # wall clock, when the host gives one
    ended_at: datetime | None = None

    @property
    def count(self) -> int:
        """Counted reps."""
        return len(self.reps) + self.added

    @property
    def mean_hold_s(self) -> float:
        """Mean squeeze of the timed reps (0 when none)."""
        return _mean([rep.hold_s for rep in self.reps])

    @property
    def mean_lowering_s(self) -> float:
        """Mean lowering time of the timed reps (0 when none)."""
        return _mean([rep.lowering_s for rep in self.reps])

    @property
    def mean_rom_mm(self) -> float:
        """Mean range of the timed reps (0 when none)."""
        return _mean([rep.rom_mm for rep in self.reps])

    @property
    def time_under_tension_s(self) -> float:
        """Lifting, holding and lowering of the timed reps."""
        return sum(rep.time_under_tension_s for rep in self.reps)

    @property
    def warnings(self) -> dict[FormWarning, int]:
        """How often each warning came up (a partial rep is a ``partial_range``)."""
        counts: dict[FormWarning, int] = {}
        for rep in self.reps:
            for warning in rep.warnings:
                counts[warning] = counts.get(warning, 0) + 1
        if self.partial_reps:
            counts[FormWarning.PARTIAL_RANGE] = self.partial_reps
        return counts


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


@dataclass(slots=True)
class SideTotals:
    """Running totals for one side (constant memory)."""

    reps: int = 0
    sets: int = 0
    partial_reps: int = 0
    hold_sum: float = 0.0
    lowering_sum: float = 0.0
    rom_sum: float = 0.0
    timed_reps: int = 0  # reps whose timings are in the sums (undo keeps the sums honest)
    tut: float = 0.0

    def means(self) -> SideMeans | None:
        """Per-set and per-rep means, None before a set with timed reps."""
        if self.sets == 0 or self.timed_reps == 0:
            return None
        n = self.timed_reps
        return SideMeans(
            reps_per_set=self.reps / self.sets,
            rom_mm=self.rom_sum / n,
            hold_s=self.hold_sum / n,
            lowering_s=self.lowering_sum / n,
        )

    def mean(self, total: float) -> float | None:
        """Mean over timed reps."""
        return total / self.timed_reps if self.timed_reps else None

    def add(self, rep: RepEvent) -> None:
        """Count one rep."""
        self.reps += 1
        self.timed_reps += 1
        self.hold_sum += rep.hold_s
        self.lowering_sum += rep.lowering_s
        self.rom_sum += rep.rom_mm
        self.tut += rep.time_under_tension_s

    def remove(self, rep: RepEvent | None) -> None:
        """Uncount one rep (its timings too, when known)."""
        self.reps = max(0, self.reps - 1)
        if rep is not None and self.timed_reps:
            self.timed_reps -= 1
            self.hold_sum -= rep.hold_s
            self.lowering_sum -= rep.lowering_s
            self.rom_sum -= rep.rom_mm
            self.tut -= rep.time_under_tension_s


class Session:
    """Sets, sides and rest around the rep detector.

    Every method that changes the session returns the events it produced, in order; the
    session keeps no outbox and knows nothing of who calls it.
    """

    def __init__(self, settings: EngineSettings, wall_clock: WallClock | None = None) -> None:
        self.settings = settings
        self.wall_clock = wall_clock
        self.totals_since: datetime | None = None  # wall clock of the last reset
        self.side = settings.start_side
        self.totals = {Side.LEFT: SideTotals(), Side.RIGHT: SideTotals()}
        self.history: deque[SetRecord] = deque(maxlen=SET_HISTORY)
        self.current: SetRecord | None = None
        self.last_activity_t = -math.inf
        self._activity_before = -math.inf  # the last activity before the newest attempt's
        # The last counted rep (engine time, and wall clock when the host gives one, which also
        # survives a restart): a set long after it starts a new workout.
        self.last_rep_t = -math.inf
        self.last_rep_at: datetime | None = None
        self.rest_ends_t: float | None = None
        self.unseen_since: float | None = None  # the open set's lifter went out of sight then
        self.last_rep: RepEvent | None = None
        self.last_warning: FormWarning | None = None
        self.imbalance: Imbalance | None = None
        if settings.side_mode is not SideMode.ALTERNATE:
            self.side = Side(settings.side_mode.value)

    # --- derived -------------------------------------------------------------------------
    @property
    def in_set(self) -> bool:
        """A set is under way."""
        return self.current is not None

    @property
    def set_number(self) -> int:
        """Current set on this side, or the next one."""
        if self.current is not None:
            return self.current.number
        return self.totals[self.side].sets + 1

    @property
    def total_reps(self) -> int:
        """Counted reps, both sides."""
        return self.totals[Side.LEFT].reps + self.totals[Side.RIGHT].reps

    # --- what the detector found ----------------------------------------------------------
    def on_attempt(self, t: float) -> list[EngineEvent]:
        """A rep attempt started: keeps a running set alive.

        It does not open a set: getting up from the bench starts like a rep. The set opens at
        lockout (or with the first rep, before calibration) so that leaving never starts one.
        """
        self._activity_before = self.last_activity_t
        self.last_activity_t = t
        return []

    def on_reseated(self, t: float) -> list[EngineEvent]:
        """The attempt last heard of settled on a new level at ``t`` (shifting on the seat
        between sets): no activity after all. The set's pause counts from before it, and ends
        now if it is over."""
        before = self._activity_before
        if self.current is not None:  # (never before the set began: not known after a restore)
            before = max(before, self.current.started_t)
        self.last_activity_t = min(self.last_activity_t, before)
        return self.catch_up(t)

    def on_lockout(self, t: float) -> list[EngineEvent]:
        """The hips reached full extension: this is a rep, so a set is under way."""
        self.last_activity_t = t
        return self._start_set(t) if self.current is None else []

    @property
    def _next_rep(self) -> int:
        return 1 if self.current is None else self.current.count + 1

    def on_hold_started(self, t: float, started_t: float) -> list[EngineEvent]:
        """The squeeze began (a cue; counting waits until the rep is certain)."""
        return [
            HoldStartedEvent(
                t=t, side=self.side, set=self.set_number, rep=self._next_rep, started_t=started_t
            )
        ]

    def on_hold_reached(self, t: float) -> list[EngineEvent]:
        """The squeeze reached the target."""
        return [
            HoldReachedEvent(
                t=t,
                side=self.side,
                set=self.set_number,
                rep=self._next_rep,
                hold_target_s=self.settings.hold_target_s,
            )
        ]

    def on_rep(self, t: float, measure: RepMeasure) -> list[EngineEvent]:
        """A rep attempt ended."""
        self.last_activity_t = t
        events = self._start_set(t) if self.current is None else []
        self.last_rep_t, self.last_rep_at = t, self.wall_time(t)
        current = self.current
        assert current is not None
        warnings = rep_warnings(measure, self.settings)
        if measure.complete:
            rep_number = current.count + 1
        else:
            rep_number = current.count
            current.partial_reps += 1
            self.totals[self.side].partial_reps += 1
        rep = RepEvent(
            t=t,
            complete=measure.complete,
            side=self.side,
            set=current.number,
            rep=rep_number,
            started_t=measure.started_t,
            concentric_s=measure.concentric_s,
            hold_s=measure.hold_s,
            lowering_s=measure.eccentric_s,
            rom_mm=measure.rom_mm,
            rom_pct=100.0 * measure.rom_fraction,
            peak_speed_mm_s=measure.peak_speed_mm_s,
            warnings=warnings,
        )
        if measure.complete:
            current.reps.append(rep)
            self.totals[self.side].add(rep)
        self.last_rep = rep
        events.append(rep)
        for warning in warnings:
            events.append(self._warn(t, warning, rep))
        if measure.complete:
            events.extend(self._check_target(t))
        return events

    def _check_target(self, t: float) -> list[EngineEvent]:
        current, target = self.current, self.settings.target_reps
        if current is None or current.target_reached or target <= 0 or current.count < target:
            return []
        current.target_reached = True
        return [
            TargetReachedEvent(
                t=t, side=current.side, set=current.number, rep=current.count, target_reps=target
            )
        ]

    def on_presence(
        self, t: float, present: bool, *, unseen: bool = False, through_beam: bool = False
    ) -> list[EngineEvent]:
        """Lifter arrived or left; leaving ends the set. Gone out of the sensor's sight only
        (``unseen``: no target, no empty bench seen), the lifter may still be there (sunlight,
        dark clothing blind the sensor for seconds): as for a silent sensor, the set waits as
        for a pause; if no rep comes first, it ends at its idle time for the leaving, dated
        when the lifter went out of sight (the rest counts from there). Someone seated again
        ``through_beam`` (the readings jumped on the way: a body coming in, not hips seen
        again where they were) arrived: the lifter out of sight had left then."""
        events: list[EngineEvent] = [PresenceEvent(t=t, present=present)]
        if present and through_beam and self.current is not None and self.unseen_since is not None:
            events.extend(self._end_set(self.unseen_since, SetEndReason.LEFT_BENCH))
        gone = not present and unseen and self.current is not None
        self.unseen_since = t if gone else None
        if not present and self.current is not None and not unseen:
            events.extend(self._end_set(t, SetEndReason.LEFT_BENCH))
        return events

    def apply_settings(self, settings: EngineSettings, t: float) -> list[EngineEvent]:
        """New settings: a fixed side applies now; a target already met is reached now."""
        old, self.settings = self.settings, settings
        events: list[EngineEvent] = []
        if settings.side_mode is not old.side_mode and settings.side_mode is not SideMode.ALTERNATE:
            events.extend(self.switch_side(t, Side(settings.side_mode.value)))
        if self.current is not None and settings.target_reps != old.target_reps:
            self.current.target_reached = False
            events.extend(self._check_target(t))
        return events

    # --- timers --------------------------------------------------------------------------
    def advance(self, t: float, *, silent: bool = False) -> list[EngineEvent]:
        """Set end (a pause past the target, or idle) and rest end; ``silent``: the sensor has
        said nothing for a while, so a set that ends ends for that (``sensor_lost``)."""
        events: list[EngineEvent] = []
        reason = self._pause_ends(t - self.last_activity_t)
        if reason is SetEndReason.LEFT_BENCH and self.unseen_since is not None:
            events.extend(self._end_set(self.unseen_since, reason))
        elif reason is not None:
            events.extend(self._end_set(t, SetEndReason.SENSOR_LOST if silent else reason))
        if self.rest_ends_t is not None and t >= self.rest_ends_t:
            self.rest_ends_t = None
            events.append(
                RestFinishedEvent(
                    t=t, next_side=self.side, next_set=self.set_number, interrupted=False
                )
            )
        return events

    def _pause_limit(self) -> float:
        """How long a pause ends the set under way."""
        current = self.current
        assert current is not None
        idle = self.settings.idle_end_set_s
        return current.pause_limit(idle) if current.target_reached else idle

    def _pause_ends(self, pause: float) -> SetEndReason | None:
        """Why a pause this long ends the set under way (None: it does not, or no set)."""
        current = self.current
        if current is None or (pause < TARGET_PAUSE_S and pause < self.settings.idle_end_set_s):
            return None  # shorter than any limit (most readings): no limit to work out
        if pause < self._pause_limit():
            return None
        if current.target_reached:
            return SetEndReason.TARGET
        return SetEndReason.IDLE if self.unseen_since is None else SetEndReason.LEFT_BENCH

    def catch_up(self, t: float) -> list[EngineEvent]:
        """A rep begun at ``t`` is counted late (held back while the calibration learned): the
        timers run up to its start first, so that a pause between held-back reps long enough to
        end a set ended it then, as it would have live."""
        reason = self._pause_ends(t - self.last_activity_t)
        if reason is None:
            return []
        events = self._end_set(self.last_activity_t + self._pause_limit(), reason)
        if self.rest_ends_t is not None and t >= self.rest_ends_t:
            events.extend(self.advance(self.rest_ends_t))
        return events

    # --- commands ------------------------------------------------------------------------
    def start_set(self, t: float) -> list[EngineEvent]:
        """Start a set now (no-op when one is running)."""
        if self.current is not None:
            return []
        self.last_activity_t = t
        return self._start_set(t)

    def end_set(self, t: float, reason: SetEndReason = SetEndReason.MANUAL) -> list[EngineEvent]:
        """End the running set."""
        return [] if self.current is None else self._end_set(t, reason)

    def switch_side(self, t: float, side: Side | None = None) -> list[EngineEvent]:
        """Switch legs (ends a running set first)."""
        target = side or self.side.other
        events: list[EngineEvent] = []
        if self.current is not None:
            events.extend(self._end_set(t, SetEndReason.MANUAL, next_side=target))
        if target is not self.side:
            previous, self.side = self.side, target
            events.append(SideSwitchedEvent(t=t, side=target, previous=previous))
        return events

    def adjust_reps(self, t: float, delta: int) -> list[EngineEvent]:
        """Add or remove counted reps in the running set (or the last one)."""
        record = self.current or (self.history[-1] if self.history else None)
        if record is None or delta == 0:
            return []
        totals = self.totals[record.side]
        applied = 0
        if delta > 0:
            record.added += delta
            totals.reps += delta
            applied = delta
        while applied > delta and record.count:
            if record.added:
                record.added -= 1
                totals.remove(None)
            else:
                totals.remove(record.reps.pop())
            applied -= 1
        if not applied:
            return []
        events: list[EngineEvent] = [
            RepsAdjustedEvent(
                t=t, side=record.side, set=record.number, reps=record.count, delta=applied
            )
        ]
        if record is self.current and applied > 0:
            events.extend(self._check_target(t))
        return events

    def reset(self, t: float) -> list[EngineEvent]:
        """Clear counters and history; keep settings."""
        self.history.clear()
        return self._clear_counters(t, new_workout=False)

    def new_workout_due(self, t: float) -> bool:
        """A set starting at ``t`` is the first of a new workout: the last rep was longer ago
        than ``new_workout_after_min`` (by the engine's clock, or by the wall clock across a
        restart), and there are counts to start afresh from."""
        gap_s = self.settings.new_workout_after_min * 60.0
        if gap_s <= 0 or not any(totals.sets or totals.reps for totals in self.totals.values()):
            return False
        if self.last_rep_t > -math.inf:
            return t - self.last_rep_t >= gap_s
        now = self.wall_time(t)
        return (
            now is not None
            and self.last_rep_at is not None
            and (now - self.last_rep_at).total_seconds() >= gap_s
        )

    def _clear_counters(self, t: float, *, new_workout: bool) -> list[EngineEvent]:
        """Counters, side and rest back to the start; the set history stays."""
        self.totals = {Side.LEFT: SideTotals(), Side.RIGHT: SideTotals()}
        self.current = None
        self.rest_ends_t = None
        self.last_rep = None
        self.last_warning = None
        self.imbalance = None
        self.side = self.settings.start_side
        if self.settings.side_mode is not SideMode.ALTERNATE:
            self.side = Side(self.settings.side_mode.value)
        self.totals_since = self.wall_time(t)
        return [SessionResetEvent(t=t, new_workout=new_workout)]

    def wall_time(self, t: float) -> datetime | None:
        """The wall-clock instant of engine time ``t``, when the host gave a clock."""
        return None if self.wall_clock is None else self.wall_clock(t)

    # --- internals -----------------------------------------------------------------------
    def _start_set(self, t: float) -> list[EngineEvent]:
        events = self._clear_counters(t, new_workout=True) if self.new_workout_due(t) else []
        if self.rest_ends_t is not None:
            self.rest_ends_t = None
            events.append(
                RestFinishedEvent(
                    t=t, next_side=self.side, next_set=self.set_number, interrupted=True
                )
            )
        self.current = SetRecord(
            side=self.side,
            number=self.totals[self.side].sets + 1,
            started_t=t,
            started_at=self.wall_time(t),
        )
        events.append(SetStartEvent(t=t, side=self.side, set=self.current.number))
        return events

    def _end_set(
        self, t: float, reason: SetEndReason, *, next_side: Side | None = None
    ) -> list[EngineEvent]:
        current = self.current
        assert current is not None
        self.current = None
        self.unseen_since = None
        current.reason = reason
        current.ended_at = self.wall_time(t)
        totals = self.totals[current.side]
        if current.count == 0:
            # Nothing counted: not a set. Nothing to rest from either.
            return []
        totals.sets += 1
        self.history.append(current)
        events: list[EngineEvent] = [
            SetEndEvent(
                t=t,
                side=current.side,
                set=current.number,
                reps=current.count,
                partial_reps=current.partial_reps,
                reason=reason,
                target_reps=self.settings.target_reps,
                mean_hold_s=current.mean_hold_s,
                mean_lowering_s=current.mean_lowering_s,
                mean_rom_mm=current.mean_rom_mm,
                time_under_tension_s=current.time_under_tension_s,
            )
        ]
        events.extend(self._check_imbalance(t, current))
        if next_side is None and self.settings.side_mode is SideMode.ALTERNATE:
            next_side = self.side.other
        if next_side is not None and next_side is not self.side:
            previous, self.side = self.side, next_side
            events.append(SideSwitchedEvent(t=t, side=self.side, previous=previous))
        if self.settings.rest_s > 0:
            self.rest_ends_t = t + self.settings.rest_s
            events.append(
                RestStartedEvent(
                    t=t,
                    duration_s=self.settings.rest_s,
                    ends_t=self.rest_ends_t,
                    next_side=self.side,
                    next_set=self.set_number,
                )
            )
        return events

    def _check_imbalance(self, t: float, finished: SetRecord) -> list[EngineEvent]:
        left, right = self.totals[Side.LEFT].means(), self.totals[Side.RIGHT].means()
        if left is None or right is None:
            return []
        self.imbalance = imbalance(left, right)
        if not self.imbalance.worth_telling:
            return []
        self.last_warning = FormWarning.IMBALANCE
        return [
            FormWarningEvent(
                t=t,
                warning=FormWarning.IMBALANCE,
                side=finished.side,
                set=finished.number,
                rep=finished.count,
                value=self.imbalance.largest_pct,
                target=0.0,
            )
        ]

    def _warn(self, t: float, warning: FormWarning, rep: RepEvent) -> FormWarningEvent:
        self.last_warning = warning
        target = {
            FormWarning.HOLD_TOO_SHORT: (rep.hold_s, self.settings.hold_target_s),
            FormWarning.LOWERED_TOO_FAST: (rep.lowering_s, self.settings.eccentric_target_s),
            FormWarning.PARTIAL_RANGE: (rep.rom_pct, 100.0),
            FormWarning.JERKY: (rep.lowering_s, self.settings.eccentric_target_s),
        }.get(warning, (0.0, 0.0))
        return FormWarningEvent(
            t=t,
            warning=warning,
            side=rep.side,
            set=rep.set,
            rep=rep.rep,
            value=target[0],
            target=target[1],
        )
