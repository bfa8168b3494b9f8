"""Read-only reports: the session summary and diagnostics (JSON-ready), and the typed record of
one set that the summary lists and a restart keeps.

Built from what the engine hands over (its session, the sets a restart brought back, its figures),
never from the engine itself: the engine depends on this module, not the other way round.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from .clock import DeviceClock
from .events import SensorState, SetEndReason
from .health import Counters
from .protocol import PayloadError, PayloadFormat
from .session import SET_HISTORY, Session, SetRecord
from .settings import DistanceUnit, Side
from .state import Calibration, Phase, SideStats


class SetSummary(BaseModel):
    """One set as the summary reports it and a restart keeps it (snapshot format 2).

    The summary publishes the renamed fields under the names of version 1 (the aliases:
    ``eccentric_s``, ``mean_eccentric_s``) and under the lifter's words (``lowering_s``,
    ``mean_lowering_s``). ``started_at``/``ended_at`` are None when the host gave the engine no
    wall clock, and for sets saved in format 1, which had no times.
    """

    model_config = ConfigDict(
        frozen=True, validate_by_name=True, validate_by_alias=True, defer_build=True
    )

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

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, each renamed field under its kept name and then its own."""
        renamed = {
            field.alias: name for name, field in type(self).model_fields.items() if field.alias
        }
        data: dict[str, Any] = {}
        for key, value in self.model_dump(mode="json", by_alias=True).items():
            data[key] = value
            if key in renamed:
                data[renamed[key]] = value
        return data


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _side(stats: SideStats) -> dict[str, Any]:
    mean_lowering_s = _round(stats.mean_lowering_s)
    return {
        "reps": stats.reps,
        "sets": stats.sets,
        "partial_reps": stats.partial_reps,
        "mean_hold_s": _round(stats.mean_hold_s),
        "mean_eccentric_s": mean_lowering_s,  # kept name
        "mean_lowering_s": mean_lowering_s,
        "mean_rom_mm": _round(stats.mean_rom_mm),
        "time_under_tension_s": round(stats.time_under_tension_s, 1),
    }


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
) -> dict[str, Any]:
    """JSON-ready session summary: sets per side with reps, holds, tempo, warnings."""
    imbalance = session.imbalance
    return {
        "side": str(session.side),
        "total_reps": session.total_reps,
        "sides": {str(side): _side(sides[side]) for side in Side},
        "sets": [summary.as_dict() for summary in set_summaries(session, restored)],
        "imbalance_pct": None
        if imbalance is None
        else {
            "reps": round(imbalance.reps_pct, 1),
            "range": round(imbalance.rom_pct, 1),
            "hold": round(imbalance.hold_pct, 1),
            "eccentric": round(imbalance.lowering_pct, 1),  # kept name
            "lowering": round(imbalance.lowering_pct, 1),
        },
    }


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
) -> dict[str, Any]:
    """JSON-ready internals for HA diagnostics (no personal data)."""
    return {
        "sensor_state": str(sensor_state),
        "payload_format": None if payload_format is None else str(payload_format),
        "detected_unit": None if detected_unit is None else str(detected_unit),
        "last_error": None
        if last_error is None
        else {"code": str(last_error.code), "detail": last_error.detail},
        "counters": counters.as_dict(),
        "device_clock_resets": clock.resets,
        "phase": str(phase),
        "calibration": None
        if calibration is None
        else {
            "bottom_mm": round(calibration.bottom_mm, 1),
            "top_mm": round(calibration.top_mm, 1),
            "rising_farther": calibration.rising_farther,
            "automatic": calibration.automatic,
        },
    }
