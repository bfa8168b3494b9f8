"""Read-only snapshots of the engine for entities, diagnostics and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .events import FormWarning, RepEvent, SensorState
from .settings import Side


class Phase(StrEnum):
    """Where the lifter is, as a lifter would say it."""

    AWAY = "away"  # nobody on the bench
    READY = "ready"  # seated at the bottom, between reps
    LIFTING = "lifting"
    HOLDING = "holding"
    LOWERING = "lowering"
    RESTING = "resting"  # rest timer running between sets
    RECALIBRATING = "recalibrating"  # reps do not fit what was learned: relearning from them


@dataclass(frozen=True, kw_only=True, slots=True)
class Calibration:
    """Levels as the sensor reads them (mm). ``rising_farther``: distance grows as hips rise."""

    bottom_mm: float
    top_mm: float
    rising_farther: bool
    automatic: bool


@dataclass(frozen=True, kw_only=True, slots=True)
class SideStats:
    """Per-side totals for the session."""

    reps: int = 0
    sets: int = 0  # completed sets
    partial_reps: int = 0
    mean_hold_s: float | None = None
    mean_lowering_s: float | None = None
    mean_rom_mm: float | None = None
    time_under_tension_s: float = 0.0
    # The last finished set with timed reps: changes once per set, for long-term statistics.
    last_set_mean_hold_s: float | None = None
    last_set_mean_lowering_s: float | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class EngineState:
    """Everything an entity shows, taken at one instant."""

    phase: Phase
    present: bool
    side: Side
    set_number: int  # current set on this side (next one when not in a set), 1-based
    in_set: bool
    reps_this_set: int
    left: SideStats
    right: SideStats
    total_reps: int
    last_rep: RepEvent | None
    last_warning: FormWarning | None
    rest_ends_t: float | None
    hold_elapsed_s: float | None  # live squeeze time of the rep in progress
    position_pct: float | None  # hip height as % of the calibrated range
    sensor_state: SensorState
    calibration: Calibration | None  # for the current side
    imbalance_pct: float | None  # (left - right) / max(left, right) reps, in %
    recalibrating_since_t: float | None = None  # relearning since (None when settled)
    totals_since: datetime | None  # wall clock of the last reset (from the host), if known

    def side_stats(self, side: Side) -> SideStats:
        """Stats of one side."""
        return self.left if side is Side.LEFT else self.right
