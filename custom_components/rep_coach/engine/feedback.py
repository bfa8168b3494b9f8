"""Form feedback mapped to the guide's common mistakes, per rep and per side."""

from __future__ import annotations

from dataclasses import dataclass

from .events import FormWarning
from .reps import RepMeasure
from .settings import EngineSettings

HOLD_SHORT_RATIO = 0.85  # a squeeze under 85 % of the target is "too short"
LOWERING_FAST_RATIO = 0.75  # lowering under 75 % of the target is "too fast"
IMBALANCE_PCT = 15.0  # left/right difference worth telling the lifter about


def rep_warnings(rep: RepMeasure, settings: EngineSettings) -> tuple[FormWarning, ...]:
    """Warnings for one rep attempt (a partial rep gets only ``partial_range``)."""
    if not rep.complete:
        return (FormWarning.PARTIAL_RANGE,)
    warnings: list[FormWarning] = []
    if rep.hold_s < HOLD_SHORT_RATIO * settings.hold_target_s:
        warnings.append(FormWarning.HOLD_TOO_SHORT)
    if rep.eccentric_s < LOWERING_FAST_RATIO * settings.eccentric_target_s:
        warnings.append(FormWarning.LOWERED_TOO_FAST)
    mean = rep.lowering_mean_speed_mm_s
    if mean > 0 and rep.lowering_peak_speed_mm_s > settings.variation_profile.jerk_ratio * mean:
        warnings.append(FormWarning.JERKY)
    return tuple(warnings)


@dataclass(frozen=True, kw_only=True, slots=True)
class SideMeans:
    """What one side is compared on: reps per set, and range, hold and lowering per rep."""

    reps_per_set: float
    rom_mm: float
    hold_s: float
    lowering_s: float


@dataclass(frozen=True, kw_only=True, slots=True)
class Imbalance:
    """Left-vs-right differences in % of the larger side (positive: left is larger)."""

    reps_pct: float
    rom_pct: float
    hold_pct: float
    lowering_pct: float

    @property
    def largest_pct(self) -> float:
        """The largest difference, signed."""
        return max((self.reps_pct, self.rom_pct, self.hold_pct, self.lowering_pct), key=abs)

    @property
    def worth_telling(self) -> bool:
        """Large enough to flag."""
        return abs(self.largest_pct) >= IMBALANCE_PCT


def _diff_pct(left: float, right: float) -> float:
    larger = max(abs(left), abs(right))
    return 0.0 if larger == 0 else 100.0 * (left - right) / larger


def imbalance(left: SideMeans, right: SideMeans) -> Imbalance:
    """How the two sides differ."""
    return Imbalance(
        reps_pct=_diff_pct(left.reps_per_set, right.reps_per_set),
        rom_pct=_diff_pct(left.rom_mm, right.rom_mm),
        hold_pct=_diff_pct(left.hold_s, right.hold_s),
        lowering_pct=_diff_pct(left.lowering_s, right.lowering_s),
    )
