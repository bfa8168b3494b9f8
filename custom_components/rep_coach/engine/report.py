"""Read-only reports on an engine: the session summary and diagnostics (JSON-ready)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .settings import Side

if TYPE_CHECKING:
    from .core import RepEngine


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def summary(engine: RepEngine) -> dict[str, Any]:
    """JSON-ready session summary: sets per side with reps, holds, tempo, warnings."""
    session = engine.session
    sets = [*engine.restored_history, *(record.as_dict() for record in session.history)]
    if session.current is not None:
        sets.append(session.current.as_dict())
    imbalance = session.imbalance
    return {
        "side": str(session.side),
        "total_reps": session.total_reps,
        "sides": {
            str(side): {
                "reps": stats.reps,
                "sets": stats.sets,
                "partial_reps": stats.partial_reps,
                "mean_hold_s": _round(stats.mean_hold_s),
                "mean_eccentric_s": _round(stats.mean_eccentric_s),
                "mean_rom_mm": _round(stats.mean_rom_mm),
                "time_under_tension_s": round(stats.time_under_tension_s, 1),
            }
            for side in Side
            for stats in (engine.side_stats(side),)
        },
        "sets": sets,
        "imbalance_pct": None
        if imbalance is None
        else {
            "reps": round(imbalance.reps_pct, 1),
            "range": round(imbalance.rom_pct, 1),
            "hold": round(imbalance.hold_pct, 1),
            "eccentric": round(imbalance.eccentric_pct, 1),
        },
    }


def diagnostics(engine: RepEngine) -> dict[str, Any]:
    """JSON-ready internals for HA diagnostics (no personal data)."""
    calibration = engine.current_calibration()
    return {
        "sensor_state": str(engine.sensor_state),
        "payload_format": None if engine.payload_format is None else str(engine.payload_format),
        "detected_unit": None if engine.detected_unit is None else str(engine.detected_unit),
        "last_error": None
        if engine.last_error is None
        else {"code": str(engine.last_error.code), "detail": engine.last_error.detail},
        "counters": {
            name: getattr(engine.counters, name) for name in type(engine.counters).__slots__
        },
        "device_clock_resets": engine.clock.resets,
        "phase": str(engine.phase()),
        "calibration": None
        if calibration is None
        else {
            "bottom_mm": round(calibration.bottom_mm, 1),
            "top_mm": round(calibration.top_mm, 1),
            "rising_farther": calibration.rising_farther,
            "automatic": calibration.automatic,
        },
    }
