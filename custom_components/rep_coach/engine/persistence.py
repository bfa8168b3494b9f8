"""What of a session survives a restart, and how it comes back (the models: :mod:`.snapshot`).

Works on the engine's parts (session, calibration model, the sets a restart brought back), never
on the engine itself: the engine produces and restores its snapshot through these functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from .calibration import CalibrationModel
from .feedback import imbalance
from .report import SetSummary, finished_sets
from .session import SET_HISTORY, Session, SetRecord, SideTotals
from .settings import Side
from .snapshot import (
    CalibrationSnapshot,
    OpenSetSnapshot,
    SideTotalsSnapshot,
    Snapshot,
    SnapshotV2,
)


def _totals_snapshot(totals: SideTotals) -> SideTotalsSnapshot:
    return SideTotalsSnapshot.model_validate(asdict(totals))  # the same fields, validated


def _totals_from(snapshot: SideTotalsSnapshot) -> SideTotals:
    return SideTotals(**snapshot.model_dump())


def snapshot(
    session: Session, restored: Sequence[SetSummary], calibration: CalibrationModel
) -> Snapshot:
    """Counters, the set under way, side, calibration and the last sets, as the current model."""
    current = session.current
    return SnapshotV2(
        side=session.side,
        totals={side: _totals_snapshot(session.totals[side]) for side in Side},
        totals_since=session.totals_since,
        history=finished_sets(session.history, restored),
        current=None
        if current is None
        else OpenSetSnapshot(
            side=current.side,
            number=current.number,
            reps=current.count,
            partial_reps=current.partial_reps,
            started_at=current.started_at,
        ),
        calibration=CalibrationSnapshot.model_validate(calibration.export()),
    )


def restore_session(session: Session, saved: Snapshot) -> bool:
    """Bring back the session part of what :func:`snapshot` saved (from any format, once
    migrated); True when a set under way resumes (its pause starts at the next reading)."""
    if saved.side is not None:
        session.side = saved.side
    for side in Side:
        if side in saved.totals:
            session.totals[side] = _totals_from(saved.totals[side])
    session.totals_since = saved.totals_since
    ends = [summary.ended_at for summary in saved.history if summary.ended_at is not None]
    session.last_rep_at = max(ends, default=None)
    resumes = False
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
        resumes = True
    left, right = session.totals[Side.LEFT].means(), session.totals[Side.RIGHT].means()
    if left is not None and right is not None:
        session.imbalance = imbalance(left, right)
    return resumes


def restored_sets(saved: Snapshot) -> list[SetSummary]:
    """The finished sets a snapshot brings back (the last 50)."""
    return list(saved.history[-SET_HISTORY:])
