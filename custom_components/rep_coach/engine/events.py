"""Immutable event records: the engine's only output.

Home Assistant entities and bus events, the CLI's JSON lines and the benchmark all consume these.
Every event carries ``t``, the timestamp (s) of the sample or tick that produced it.

Each class also carries its names, so every consumer calls it the same: ``kind`` (the CLI's
``event``), ``bus_type`` (the ``type`` of Home Assistant's ``rep_coach_event`` and of the device
triggers) and, for the events an event entity reports, ``entity`` and ``entity_type``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, ClassVar

from .settings import Side


class EventKind(StrEnum):
    """What happened, in a lifter's words."""

    REP = "rep"  # a rep ended: counted when ``complete``, a partial rep otherwise
    HOLD_STARTED = "hold_started"  # the hips stopped rising at the top: the squeeze begins
    HOLD_REACHED = "hold_reached"  # the squeeze at the top reached the hold target
    SET_START = "set_start"
    SET_END = "set_end"
    SIDE_SWITCHED = "side_switched"
    REST_STARTED = "rest_started"
    REST_FINISHED = "rest_finished"
    FORM_WARNING = "form_warning"
    PRESENCE = "presence"  # lifter arrived on / left the bench
    SENSOR = "sensor"  # sensor state changed (ok, no target, invalid data, stale)
    CALIBRATED = "calibrated"  # seat, range or orientation learned or relearned (``reason``)
    TARGET_REACHED = "target_reached"  # the set's rep target was reached; the set goes on
    SESSION_RESET = "session_reset"
    REPS_ADJUSTED = "reps_adjusted"


class FormWarning(StrEnum):
    """Feedback mapped to the guide's common mistakes."""

    HOLD_TOO_SHORT = "hold_too_short"  # "Lack of glute squeeze at the top"
    LOWERED_TOO_FAST = "lowered_too_fast"  # "Too fast or jerky movements": 2-3 s lower
    JERKY = "jerky"  # bouncing or uneven lowering
    PARTIAL_RANGE = "partial_range"  # hips not driven to full extension
    IMBALANCE = "imbalance"  # left/right difference (unilateral work finds it)


class SensorState(StrEnum):
    """Health of the distance stream."""

    OK = "ok"
    NO_TARGET = "no_target"  # out of range readings: nobody or nothing in view
    INVALID = "invalid"  # only invalid readings or undecodable payloads
    STALE = "stale"  # no data for ``stale_after_s``


class CalibrationReason(StrEnum):
    """Why the calibration changed."""

    INITIAL = "initial"  # learned from the first reps
    SEAT_MOVED = "seat_moved"  # reps now start from another level (bench moved, re-seated)
    RANGE_CHANGED = "range_changed"  # reps now travel much more or less (another lifter)
    ORIENTATION = "orientation"  # the sensor now looks the other way (re-clamped)
    MANUAL = "manual"  # set with the calibrate command


class SetEndReason(StrEnum):
    """Why a set ended."""

    TARGET = "target"
    IDLE = "idle"
    LEFT_BENCH = "left_bench"
    MANUAL = "manual"
    SENSOR_LOST = "sensor_lost"


def _plain(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return str(value)
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 3)
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


@dataclass(frozen=True, kw_only=True, slots=True)
class EngineEvent:
    """Base record."""

    kind: ClassVar[EventKind]
    bus_types: ClassVar[tuple[str, ...]]  # every bus type the class fires; the first by default
    entity: ClassVar[str | None] = None  # the event entity that reports it, if any
    entity_types: ClassVar[tuple[str, ...]] = ()  # its event types there; the first by default
    # Fields published under an older name too (field -> kept name): users' automations and
    # external tools parse the event data, so a renamed field keeps its first name beside it.
    kept_names: ClassVar[Mapping[str, str]] = {}
    t: float

    @property
    def bus_type(self) -> str:
        """The ``type`` of this event on Home Assistant's bus."""
        return self.bus_types[0]

    @property
    def entity_type(self) -> str | None:
        """The event type the event entity ``entity`` shows for it (None: no entity reports it)."""
        return self.entity_types[0] if self.entity_types else None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with ``event`` first (floats rounded to ms/mm precision); a renamed
        field comes under its kept name first, then its own."""
        data: dict[str, Any] = {"event": str(self.kind)}
        for field in fields(self):
            value = _plain(getattr(self, field.name))
            if kept := self.kept_names.get(field.name):
                data[kept] = value
            data[field.name] = value
        return data


@dataclass(frozen=True, kw_only=True, slots=True)
class RepEvent(EngineEvent):
    """A rep ended. Partial reps (``complete`` false) are reported, not counted.

    Timing definitions (one band rule, used identically by the simulator's ground truth):
    the rep's range is ``rom_mm`` = its highest point minus the level it started from;
    ``hold_s`` runs from the first to the last moment the hips are within the hold band
    (10 % of the range, 14 % on a stability ball) of the highest point; ``concentric_s`` from
    leaving the bottom band (lowest 10 % of the range) to entering the hold band;
    ``lowering_s`` from leaving the hold band to re-entering the bottom band (published as
    ``eccentric_s`` too, its first name).
    """

    kind: ClassVar[EventKind] = EventKind.REP
    bus_types: ClassVar[tuple[str, ...]] = ("rep_completed", "partial_rep")
    entity: ClassVar[str | None] = "rep"
    entity_types: ClassVar[tuple[str, ...]] = ("completed", "partial")
    kept_names: ClassVar[Mapping[str, str]] = {"lowering_s": "eccentric_s"}
    complete: bool
    side: Side
    set: int  # set number on this side, 1-based
    rep: int  # counted reps in this set after this one (unchanged by a partial rep)
    started_t: float
    concentric_s: float
    hold_s: float
    lowering_s: float
    rom_mm: float
    rom_pct: float  # range as % of the calibrated range for this side
    peak_speed_mm_s: float
    warnings: tuple[FormWarning, ...] = ()

    @property
    def eccentric_s(self) -> float:
        """``lowering_s`` under its first name (``scoring.py`` and ``bench_suite.py`` read it)."""
        return self.lowering_s

    @property
    def time_under_tension_s(self) -> float:
        """Lifting, holding and lowering."""
        return self.concentric_s + self.hold_s + self.lowering_s

    @property
    def bus_type(self) -> str:
        """``rep_completed`` for a counted rep, ``partial_rep`` otherwise."""
        return self.bus_types[0 if self.complete else 1]

    @property
    def entity_type(self) -> str:
        """``completed`` or ``partial``."""
        return self.entity_types[0 if self.complete else 1]


@dataclass(frozen=True, kw_only=True, slots=True)
class HoldStartedEvent(EngineEvent):
    """The hips reached the top and stopped rising (emitted ~0.1 s later, when it is certain)."""

    kind: ClassVar[EventKind] = EventKind.HOLD_STARTED
    bus_types: ClassVar[tuple[str, ...]] = ("hold_started",)
    entity: ClassVar[str | None] = "hold"
    entity_types: ClassVar[tuple[str, ...]] = ("started",)
    side: Side
    set: int
    rep: int  # the number this rep will get when it completes
    started_t: float


@dataclass(frozen=True, kw_only=True, slots=True)
class HoldReachedEvent(EngineEvent):
    """The squeeze reached the hold target; emitted the moment it happens."""

    kind: ClassVar[EventKind] = EventKind.HOLD_REACHED
    bus_types: ClassVar[tuple[str, ...]] = ("hold_reached",)
    entity: ClassVar[str | None] = "hold"
    entity_types: ClassVar[tuple[str, ...]] = ("reached",)
    side: Side
    set: int
    rep: int  # the number this rep will get when it completes
    hold_target_s: float


@dataclass(frozen=True, kw_only=True, slots=True)
class SetStartEvent(EngineEvent):
    """A set began (first rep attempt or the start-set command)."""

    kind: ClassVar[EventKind] = EventKind.SET_START
    bus_types: ClassVar[tuple[str, ...]] = ("set_started",)
    side: Side
    set: int


@dataclass(frozen=True, kw_only=True, slots=True)
class SetEndEvent(EngineEvent):
    """A set ended."""

    kind: ClassVar[EventKind] = EventKind.SET_END
    bus_types: ClassVar[tuple[str, ...]] = ("set_completed",)
    entity: ClassVar[str | None] = "set"
    entity_types: ClassVar[tuple[str, ...]] = ("completed",)
    kept_names: ClassVar[Mapping[str, str]] = {"mean_lowering_s": "mean_eccentric_s"}
    side: Side
    set: int
    reps: int
    partial_reps: int
    reason: SetEndReason
    target_reps: int
    mean_hold_s: float
    mean_lowering_s: float
    mean_rom_mm: float
    time_under_tension_s: float


@dataclass(frozen=True, kw_only=True, slots=True)
class SideSwitchedEvent(EngineEvent):
    """The working side changed."""

    kind: ClassVar[EventKind] = EventKind.SIDE_SWITCHED
    bus_types: ClassVar[tuple[str, ...]] = ("side_switched",)
    side: Side
    previous: Side


@dataclass(frozen=True, kw_only=True, slots=True)
class RestStartedEvent(EngineEvent):
    """The rest timer started."""

    kind: ClassVar[EventKind] = EventKind.REST_STARTED
    bus_types: ClassVar[tuple[str, ...]] = ("rest_started",)
    duration_s: float
    ends_t: float
    next_side: Side
    next_set: int


@dataclass(frozen=True, kw_only=True, slots=True)
class RestFinishedEvent(EngineEvent):
    """Rest is over (or was cut short by a new set)."""

    kind: ClassVar[EventKind] = EventKind.REST_FINISHED
    bus_types: ClassVar[tuple[str, ...]] = ("rest_finished",)
    entity: ClassVar[str | None] = "rest"
    entity_types: ClassVar[tuple[str, ...]] = ("finished",)
    next_side: Side
    next_set: int
    interrupted: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class FormWarningEvent(EngineEvent):
    """One piece of form feedback, per rep or per side."""

    kind: ClassVar[EventKind] = EventKind.FORM_WARNING
    bus_types: ClassVar[tuple[str, ...]] = ("form_warning",)
    entity: ClassVar[str | None] = "form"
    entity_types: ClassVar[tuple[str, ...]] = tuple(str(warning) for warning in FormWarning)
    warning: FormWarning
    side: Side
    set: int
    rep: int
    value: float  # the measured figure (s, %, ...)
    target: float  # what the guide asks for

    @property
    def entity_type(self) -> str:
        """The warning itself."""
        return str(self.warning)


@dataclass(frozen=True, kw_only=True, slots=True)
class PresenceEvent(EngineEvent):
    """The lifter arrived on or left the bench."""

    kind: ClassVar[EventKind] = EventKind.PRESENCE
    bus_types: ClassVar[tuple[str, ...]] = ("lifter_arrived", "lifter_left")
    present: bool

    @property
    def bus_type(self) -> str:
        """``lifter_arrived`` or ``lifter_left``."""
        return self.bus_types[0 if self.present else 1]


@dataclass(frozen=True, kw_only=True, slots=True)
class SensorEvent(EngineEvent):
    """The distance stream changed health."""

    kind: ClassVar[EventKind] = EventKind.SENSOR
    bus_types: ClassVar[tuple[str, ...]] = ("sensor_state",)
    state: SensorState
    previous: SensorState


@dataclass(frozen=True, kw_only=True, slots=True)
class CalibratedEvent(EngineEvent):
    """Bottom/top levels (mm, as the sensor reads them) were learned, relearned or set."""

    kind: ClassVar[EventKind] = EventKind.CALIBRATED
    bus_types: ClassVar[tuple[str, ...]] = ("calibrated",)
    side: Side
    bottom_mm: float
    top_mm: float
    automatic: bool
    reason: CalibrationReason = CalibrationReason.INITIAL


@dataclass(frozen=True, kw_only=True, slots=True)
class TargetReachedEvent(EngineEvent):
    """The set reached its rep target (a cue: reps without a pause still count in this set)."""

    kind: ClassVar[EventKind] = EventKind.TARGET_REACHED
    bus_types: ClassVar[tuple[str, ...]] = ("target_reached",)
    entity: ClassVar[str | None] = "set"
    entity_types: ClassVar[tuple[str, ...]] = ("target_reached",)
    side: Side
    set: int
    rep: int
    target_reps: int


@dataclass(frozen=True, kw_only=True, slots=True)
class SessionResetEvent(EngineEvent):
    """Counters were cleared: by command, or because a set began a new workout."""

    kind: ClassVar[EventKind] = EventKind.SESSION_RESET
    bus_types: ClassVar[tuple[str, ...]] = ("session_reset",)
    new_workout: bool = False  # True: automatic, the first set after a long break


@dataclass(frozen=True, kw_only=True, slots=True)
class RepsAdjustedEvent(EngineEvent):
    """The user corrected the count (undo or adjust)."""

    kind: ClassVar[EventKind] = EventKind.REPS_ADJUSTED
    bus_types: ClassVar[tuple[str, ...]] = ("reps_adjusted",)
    side: Side
    set: int
    reps: int
    delta: int


EVENT_CLASSES: tuple[type[EngineEvent], ...] = (
    RepEvent,
    HoldStartedEvent,
    HoldReachedEvent,
    SetStartEvent,
    SetEndEvent,
    TargetReachedEvent,
    SideSwitchedEvent,
    RestStartedEvent,
    RestFinishedEvent,
    FormWarningEvent,
    PresenceEvent,
    SensorEvent,
    CalibratedEvent,
    SessionResetEvent,
    RepsAdjustedEvent,
)


# The event entities, in the order their events were declared: rep, hold, set, rest, form.
EVENT_ENTITIES: tuple[str, ...] = tuple(
    dict.fromkeys(cls.entity for cls in EVENT_CLASSES if cls.entity is not None)
)


def entity_event_types(entity: str) -> list[str]:
    """Every event type the event entity ``entity`` can show, in a stable order."""
    return [kind for cls in EVENT_CLASSES if cls.entity == entity for kind in cls.entity_types]
