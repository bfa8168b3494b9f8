"""Read-only reports: the session summary and diagnostics, and the typed record of one set that
the summary lists and a restart keeps.

Each report is a frozen pydantic model built from what the engine hands over (its session, the
sets a restart brought back, its figures), never from the engine itself: the engine depends on
this module, not the other way round. ``as_dict()`` is the JSON-ready form Home Assistant and the
CLI publish; a renamed field appears there under its kept name and then under its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from .clock import DeviceClock
from .events import SensorState, SetEndReason
from .feedback import Imbalance
from .health import Counters
from .protocol import PayloadError, PayloadErrorCode, PayloadFormat
from .session import SET_HISTORY, Session, SetRecord
from .settings import DistanceUnit, Side
from .state import Calibration, Phase, SideStats


class Report(BaseModel):
    """A read-only report: frozen, and JSON-ready through :meth:`as_dict`."""

    model_config = ConfigDict(
        frozen=True, validate_by_name=True, validate_by_alias=True, defer_build=True
    )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, each renamed field under its kept name and then its own (nested too)."""
        dumped = self.model_dump(mode="json", by_alias=True)
        data: dict[str, Any] = {}
        for name, field in type(self).model_fields.items():
            key = field.alias or name
            data[key] = value = _as_json(getattr(self, name), dumped[key])
            if field.alias:
                data[name] = value
        return data


def _as_json(value: object, dumped: Any) -> Any:
    """``value`` as published: what pydantic dumped, with nested reports' kept names added."""
    if isinstance(value, Report):
        return value.as_dict()
    if isinstance(value, list | tuple):
        return [
            _as_json(item, item_dumped) for item, item_dumped in zip(value, dumped, strict=True)
        ]
    if isinstance(value, Mapping):
        return {
            key: _as_json(item, dumped[key])
            for key, item in zip(dumped, value.values(), strict=True)
        }
    return dumped


class SetSummary(Report):
    """One set as the summary reports it and a restart keeps it (snapshot format 2).

    The summary publishes the renamed fields under the names of version 1 (the aliases:
    ``eccentric_s``, ``mean_eccentric_s``) and under the lifter's words (``lowering_s``,
    ``mean_lowering_s``). ``started_at``/``ended_at`` are None when the host gave the engine no
    wall clock, and for sets saved in format 1, which had no times.
    """

    side: Side
    set: int = Field(ge=1)
    reps: int = Field(ge=0)
    partial_reps: int = Field(ge=0)
    reason: SetEndReason | None
    holds_s: tuple[float, ...]
    lowering_s: tuple[float, ...] = Field(alias="eccentric_s")
    concentric_s: tuple[float, ...]
    rom_mm: tuple[int, ...]
    mean_hold_s: float  # 0 for a set without timed reps (only reps added by hand)
    mean_lowering_s: float = Field(alias="mean_eccentric_s")
    warnings: dict[str, int]
    started_at: AwareDatetime | None = None
    ended_at: AwareDatetime | None = None

    @classmethod
    def of(cls, record: SetRecord) -> Self:
        """The summary of a set (times to 10 ms, range to the mm)."""
        return cls(
            side=record.side,
            set=record.number,
            reps=record.count,
            partial_reps=record.partial_reps,
            reason=record.reason,
            holds_s=tuple(round(rep.hold_s, 2) for rep in record.reps),
            lowering_s=tuple(round(rep.lowering_s, 2) for rep in record.reps),
            concentric_s=tuple(round(rep.concentric_s, 2) for rep in record.reps),
            rom_mm=tuple(round(rep.rom_mm) for rep in record.reps),
            mean_hold_s=round(record.mean_hold_s, 2),
            mean_lowering_s=round(record.mean_lowering_s, 2),
            warnings={str(warning): count for warning, count in record.warnings.items()},
            started_at=record.started_at,
            ended_at=record.ended_at,
        )

    @property
    def timed(self) -> bool:
        """Whether any rep of the set was timed (its means mean something)."""
        return bool(self.holds_s)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


class SideSummary(Report):
    """One side's totals as the summary reports them (means to 10 ms, or None before any timed
    rep); ``mean_lowering_s`` is published as ``mean_eccentric_s`` too (its kept name)."""

    reps: int
    sets: int
    partial_reps: int
    mean_hold_s: float | None
    mean_lowering_s: float | None = Field(alias="mean_eccentric_s")
    mean_rom_mm: float | None
    time_under_tension_s: float

    @classmethod
    def of(cls, stats: SideStats) -> Self:
        """The summary of a side's totals."""
        return cls(
            reps=stats.reps,
            sets=stats.sets,
            partial_reps=stats.partial_reps,
            mean_hold_s=_round(stats.mean_hold_s),
            mean_lowering_s=_round(stats.mean_lowering_s),
            mean_rom_mm=_round(stats.mean_rom_mm),
            time_under_tension_s=round(stats.time_under_tension_s, 1),
        )


class ImbalanceSummary(Report):
    """Left-vs-right differences in % (to 0.1); ``lowering`` is published as ``eccentric`` too."""

    reps: float
    range: float
    hold: float
    lowering: float = Field(alias="eccentric")

    @classmethod
    def of(cls, imbalance: Imbalance) -> Self:
        """The summary of the imbalance."""
        return cls(
            reps=round(imbalance.reps_pct, 1),
            range=round(imbalance.rom_pct, 1),
            hold=round(imbalance.hold_pct, 1),
            lowering=round(imbalance.lowering_pct, 1),
        )


class SessionSummary(Report):
    """The session summary: sets per side with reps, holds, tempo, warnings."""

    side: Side
    total_reps: int
    sides: dict[Side, SideSummary]
    sets: tuple[SetSummary, ...]
    imbalance_pct: ImbalanceSummary | None


def finished_sets(history: Iterable[SetRecord], restored: Sequence[SetSummary]) -> list[SetSummary]:
    """The finished sets kept in detail (the last 50), oldest first: restored ones, then new."""
    finished = (SetSummary.of(record) for record in history)
    return [*restored, *finished][-SET_HISTORY:]


def set_summaries(session: Session, restored: Sequence[SetSummary]) -> list[SetSummary]:
    """Every set kept in detail, oldest first, and the running one."""
    sets = finished_sets(session.history, restored)
    if (current := session.current) is not None:
        sets.append(SetSummary.of(current))
    return sets


def summary(
    session: Session, restored: Sequence[SetSummary], sides: Mapping[Side, SideStats]
) -> SessionSummary:
    """The session summary, from the session, the sets a restart brought back and side totals."""
    imbalance = session.imbalance
    return SessionSummary(
        side=session.side,
        total_reps=session.total_reps,
        sides={side: SideSummary.of(sides[side]) for side in Side},
        sets=tuple(set_summaries(session, restored)),
        imbalance_pct=None if imbalance is None else ImbalanceSummary.of(imbalance),
    )


class ErrorReport(Report):
    """The last payload that could not be read."""

    code: PayloadErrorCode
    detail: str


class CalibrationReport(Report):
    """The current side's levels as the sensor reads them (mm, to 0.1)."""

    bottom_mm: float
    top_mm: float
    rising_farther: bool
    automatic: bool

    @classmethod
    def of(cls, calibration: Calibration) -> Self:
        """The report of a calibration."""
        return cls(
            bottom_mm=round(calibration.bottom_mm, 1),
            top_mm=round(calibration.top_mm, 1),
            rising_farther=calibration.rising_farther,
            automatic=calibration.automatic,
        )


class Diagnostics(Report):
    """The engine's internals for Home Assistant's diagnostics (no personal data)."""

    sensor_state: SensorState
    payload_format: PayloadFormat | None
    detected_unit: DistanceUnit | None
    last_error: ErrorReport | None
    counters: Counters
    device_clock_resets: int
    phase: Phase
    calibration: CalibrationReport | None


def diagnostics(
    *,
    sensor_state: SensorState,
    counters: Counters,
    clock: DeviceClock,
    payload_format: PayloadFormat | None,
    detected_unit: DistanceUnit | None,
    last_error: PayloadError | None,
    phase: Phase,
    calibration: Calibration | None,
) -> Diagnostics:
    """The engine's internals, from its figures (the counters as they are now)."""
    return Diagnostics(
        sensor_state=sensor_state,
        payload_format=payload_format,
        detected_unit=detected_unit,
        last_error=None
        if last_error is None
        else ErrorReport(code=last_error.code, detail=last_error.detail),
        counters=replace(counters),
        device_clock_resets=clock.resets,
        phase=phase,
        calibration=None if calibration is None else CalibrationReport.of(calibration),
    )
