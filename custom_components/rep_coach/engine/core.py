"""RepEngine: the facade that composes decoding, conditioning, presence, calibration,
the rep state machine, the session and feedback. Pure and deterministic: time comes from
the caller (sample arrival or device time), never from the wall clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .events import EngineEvent
from .payload import PayloadError
from .settings import EngineSettings, Side
from .state import EngineState


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


class RepEngine:
    """One bench sensor's engine. Not thread-safe; call from one thread/event loop."""

    def __init__(self, settings: EngineSettings | None = None) -> None:
        raise NotImplementedError

    @property
    def settings(self) -> EngineSettings:
        raise NotImplementedError

    def update_settings(self, settings: EngineSettings, t: float) -> list[EngineEvent]:
        """Apply new settings (targets, program, side mode...) without losing counts."""
        raise NotImplementedError

    def feed_payload(self, payload: bytes | str, arrival_t: float) -> FeedResult:
        """Decode one MQTT payload that arrived at ``arrival_t`` and run its readings."""
        raise NotImplementedError

    def feed(self, t: float, distance_mm: float | None, status: int | None = None) -> list[EngineEvent]:
        """Run one reading (mm; None/NaN for no reading) taken at ``t`` seconds."""
        raise NotImplementedError

    def tick(self, t: float) -> list[EngineEvent]:
        """Advance timers (rest, idle set end, staleness) to ``t`` without a sample."""
        raise NotImplementedError

    # Commands (buttons and services). Each returns the events it caused.
    def start_set(self, t: float) -> list[EngineEvent]:
        raise NotImplementedError

    def end_set(self, t: float) -> list[EngineEvent]:
        raise NotImplementedError

    def switch_side(self, t: float, side: Side | None = None) -> list[EngineEvent]:
        raise NotImplementedError

    def undo_last_rep(self, t: float) -> list[EngineEvent]:
        raise NotImplementedError

    def adjust_reps(self, t: float, delta: int) -> list[EngineEvent]:
        raise NotImplementedError

    def reset_session(self, t: float) -> list[EngineEvent]:
        raise NotImplementedError

    def calibrate(self, t: float, step: CalibrationStep) -> list[EngineEvent]:
        raise NotImplementedError

    @property
    def state(self) -> EngineState:
        raise NotImplementedError

    def summary(self) -> dict[str, Any]:
        """JSON-ready session summary: sets per side with reps, holds, tempo, warnings."""
        raise NotImplementedError

    def diagnostics(self) -> dict[str, Any]:
        """JSON-ready internals for HA diagnostics (no personal data)."""
        raise NotImplementedError

    def export_state(self) -> dict[str, Any]:
        """JSON-ready state that survives a restart: counters, session, calibration, side."""
        raise NotImplementedError

    def restore_state(self, data: dict[str, Any]) -> None:
        """Restore what :meth:`export_state` produced; ignores unknown/invalid parts."""
        raise NotImplementedError
