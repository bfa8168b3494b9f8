"""What of an engine survives a restart, and how it comes back (see :mod:`.snapshot`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from .feedback import imbalance
from .report import finished_sets
from .session import SET_HISTORY, SetRecord, SideTotals
from .settings import Side
from .snapshot import (
    CalibrationSnapshot,
    OpenSetSnapshot,
    SideTotalsSnapshot,
    Snapshot,
    SnapshotV2,
)

if TYPE_CHECKING:
    from .core import RepEngine


def _totals_snapshot(totals: SideTotals) -> SideTotalsSnapshot:
    return SideTotalsSnapshot.model_validate(asdict(totals))  # the same fields, validated


def _totals_from(snapshot: SideTotalsSnapshot) -> SideTotals:
    return SideTotals(**snapshot.model_dump())


def snapshot(engine: RepEngine) -> Snapshot:
    """Counters, the set under way, side, calibration and the last sets, as the current model."""
    session = engine.session
    current = session.current
    return SnapshotV2(
        side=session.side,
        totals={side: _totals_snapshot(session.totals[side]) for side in Side},
        totals_since=session.totals_since,
        history=finished_sets(engine),
        current=None
        if current is None
        else OpenSetSnapshot(
            side=current.side,
            number=current.number,
            reps=current.count,
            partial_reps=current.partial_reps,
            started_at=current.started_at,
        ),
        calibration=CalibrationSnapshot.model_validate(engine.cal.export()),
    )


def restore(engine: RepEngine, saved: Snapshot) -> None:
    """Bring back what :func:`snapshot` saved (from any format, once migrated)."""
    session = engine.session
    if saved.side is not None:
        session.side = saved.side
    for side in Side:
        if side in saved.totals:
            session.totals[side] = _totals_from(saved.totals[side])
    session.totals_since = saved.totals_since
    engine.restored_history = list(saved.history[-SET_HISTORY:])
    ends = [summary.ended_at for summary in saved.history if summary.ended_at is not None]
    session.last_rep_at = max(ends, default=None)
    if (current := saved.current) is not None:
        record = SetRecord(
            side=current.side,
            number=current.number,
            started_t=0.0,
            started_at=current.started_at,
        )
        record.added = current.reps
        record.partial_reps = current.partial_reps
        session.current = record
        engine.resume_pending = True
    engine.cal.restore(saved.calibration.model_dump(mode="json"))
    left, right = session.totals[Side.LEFT].means(), session.totals[Side.RIGHT].means()
    if left is not None and right is not None:
        session.imbalance = imbalance(left, right)
    engine.tracker.side = session.side
    engine.tracker.restored()  # a saved calibration is a prior for the evidence, not a lock
