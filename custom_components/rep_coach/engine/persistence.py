"""What of an engine survives a Home Assistant restart, and how it comes back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .report import SetSummary, set_summaries
from .session import SET_HISTORY, SetRecord
from .settings import Side

if TYPE_CHECKING:
    from .core import RepEngine

EXPORT_VERSION = 1


def export_state(engine: RepEngine) -> dict[str, Any]:
    """JSON-ready state that survives a restart: counters, session, calibration, side."""
    session = engine.session
    current = session.current
    finished = set_summaries(engine)[: None if current is None else -1]
    return {
        "version": EXPORT_VERSION,
        "side": str(session.side),
        "totals": {str(side): session.totals[side].export() for side in Side},
        "history": [summary.saved() for summary in finished[-SET_HISTORY:]],
        "current": None
        if current is None
        else {
            "side": str(current.side),
            "number": current.number,
            "reps": current.count,
            "partial_reps": current.partial_reps,
        },
        "calibration": engine.cal.export(),
    }


def restore_state(engine: RepEngine, data: dict[str, Any]) -> None:
    """Restore what :func:`export_state` produced; ignores unknown/invalid parts."""
    if not isinstance(data, dict) or data.get("version") != EXPORT_VERSION:
        return
    session = engine.session
    if data.get("side") in {s.value for s in Side}:
        session.side = Side(data["side"])
    totals = data.get("totals")
    if isinstance(totals, dict):
        for side in Side:
            if isinstance(totals.get(str(side)), dict):
                session.totals[side].restore(totals[str(side)])
    history = data.get("history")
    if isinstance(history, list):
        restored = (SetSummary.restore(saved) for saved in history[-SET_HISTORY:])
        engine.restored_history = [summary for summary in restored if summary is not None]
    current = data.get("current")
    if isinstance(current, dict) and current.get("side") in {s.value for s in Side}:
        number, reps = current.get("number"), current.get("reps")
        if isinstance(number, int) and isinstance(reps, int) and number > 0 and reps >= 0:
            record = SetRecord(side=Side(current["side"]), number=number, started_t=0.0)
            record.added = reps
            partial = current.get("partial_reps")
            record.partial_reps = partial if isinstance(partial, int) and partial >= 0 else 0
            session.current = record
            engine.resume_pending = True
    calibration = data.get("calibration")
    if isinstance(calibration, dict):
        engine.cal.restore(calibration)
    engine.tracker.side = session.side
    engine.tracker.restored()  # a saved calibration is a prior for the evidence, not a lock
