"""Typed engine settings, programs and variations (units: millimetres and seconds).

Defaults trace back to the exercise guide: hold and squeeze 1-2 s at the top, lower in 2-3 s,
all reps on one side before switching, and the per-goal programs (warm-up 2-3 x 10-15,
strength 3-4 x 6-10, hypertrophy 3-4 x 10-15 per side).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Side(StrEnum):
    """The working leg (the one whose foot is planted)."""

    LEFT = "left"
    RIGHT = "right"

    @property
    def other(self) -> Side:
        """The opposite leg."""
        return Side.RIGHT if self is Side.LEFT else Side.LEFT


class SideMode(StrEnum):
    """How the working side is chosen."""

    LEFT = "left"
    RIGHT = "right"
    ALTERNATE = "alternate"


class Program(StrEnum):
    """Program presets from the guide; ``custom`` keeps the user's own targets."""

    CUSTOM = "custom"
    WARM_UP = "warm_up"
    STRENGTH = "strength"
    HYPERTROPHY = "hypertrophy"
    BALANCE = "balance"


class Variation(StrEnum):
    """Exercise variations from the guide."""

    STANDARD = "standard"
    ELEVATED = "elevated"
    DUMBBELL = "dumbbell"
    BANDED = "banded"
    STABILITY_BALL = "stability_ball"


class Orientation(StrEnum):
    """How the distance moves when the hips rise."""

    AUTO = "auto"
    NEARER = "nearer"  # sensor above the hips, looking down: distance shrinks as hips rise
    FARTHER = "farther"  # sensor below the hips, looking up: distance grows as hips rise


class DistanceUnit(StrEnum):
    """Unit of plain numeric payloads (JSON payloads are always millimetres)."""

    AUTO = "auto"
    MILLIMETRES = "mm"
    METRES = "m"


class Sensitivity(StrEnum):
    """How small a movement still counts as a rep attempt."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


MIN_ROM_MM: dict[Sensitivity, float] = {
    Sensitivity.LOW: 120.0,
    Sensitivity.NORMAL: 80.0,
    Sensitivity.HIGH: 50.0,
}


@dataclass(frozen=True, kw_only=True, slots=True)
class ProgramPreset:
    """The targets a program sets."""

    sets_per_side: int
    target_reps: int
    hold_target_s: float
    eccentric_target_s: float
    rest_s: float


PROGRAMS: dict[Program, ProgramPreset] = {
    # "2-3 sets of 10-15 reps per side with a focus on mind-muscle connection"
    Program.WARM_UP: ProgramPreset(
        sets_per_side=2,
        target_reps=12,
        hold_target_s=1.0,
        eccentric_target_s=2.0,
        rest_s=45.0,
    ),
    # "3-4 sets of 6-10 repetitions per side, focusing on heavy, controlled movements"
    Program.STRENGTH: ProgramPreset(
        sets_per_side=3,
        target_reps=8,
        hold_target_s=1.0,
        eccentric_target_s=2.0,
        rest_s=120.0,
    ),
    # "3-4 sets of 10-15 ... emphasizing time under tension and a strong peak contraction"
    Program.HYPERTROPHY: ProgramPreset(
        sets_per_side=3,
        target_reps=12,
        hold_target_s=2.0,
        eccentric_target_s=3.0,
        rest_s=90.0,
    ),
    # Stability-ball / bodyweight balance work (8-12 reps): moderate volume, slow and controlled.
    Program.BALANCE: ProgramPreset(
        sets_per_side=2,
        target_reps=10,
        hold_target_s=2.0,
        eccentric_target_s=2.0,
        rest_s=60.0,
    ),
}


@dataclass(frozen=True, kw_only=True, slots=True)
class VariationProfile:
    """How a variation changes what the engine tolerates."""

    hold_band_fraction: float  # hold band, as a fraction of the rep's range below its peak
    jerk_ratio: float  # peak/mean lowering speed above which lowering counts as jerky
    dip_tolerance_s: float  # a dip out of the hold band shorter than this is not lowering


_FIRM_GROUND = VariationProfile(hold_band_fraction=0.10, jerk_ratio=2.6, dip_tolerance_s=0.35)

VARIATIONS: dict[Variation, VariationProfile] = {
    Variation.STANDARD: _FIRM_GROUND,
    Variation.ELEVATED: _FIRM_GROUND,
    Variation.DUMBBELL: _FIRM_GROUND,
    Variation.BANDED: _FIRM_GROUND,
    # The ball wobbles: a wider hold band and more tolerance for uneven lowering.
    Variation.STABILITY_BALL: VariationProfile(
        hold_band_fraction=0.14, jerk_ratio=3.2, dip_tolerance_s=0.5
    ),
}


@dataclass(frozen=True, kw_only=True, slots=True)
class EngineSettings:
    """Everything the engine can be told. Distances in mm, times in s."""

    program: Program = Program.CUSTOM
    variation: Variation = Variation.STANDARD
    target_reps: int = 10  # 0: no rep target, sets end on idle or when the lifter leaves
    sets_per_side: int = 3
    hold_target_s: float = 1.0
    eccentric_target_s: float = 2.0  # the lowering target, named as entries store it (options)
    rest_s: float = 60.0
    side_mode: SideMode = SideMode.ALTERNATE
    start_side: Side = Side.LEFT
    idle_end_set_s: float = 12.0  # no rep for this long ends the set
    new_workout_after_min: float = 120.0  # a set this long after the last rep: new workout
    sensitivity: Sensitivity = Sensitivity.NORMAL
    orientation: Orientation = Orientation.AUTO
    unit: DistanceUnit = DistanceUnit.AUTO
    min_valid_mm: float = 20.0  # closer readings are sensor artefacts
    max_range_mm: float = 4000.0  # beyond this the reading is out of range
    stale_after_s: float = 5.0  # no sample for this long: sensor problem

    @property
    def min_rom_mm(self) -> float:
        """Smallest hip movement that is a rep attempt rather than fidgeting."""
        return MIN_ROM_MM[self.sensitivity]

    @property
    def variation_profile(self) -> VariationProfile:
        """Tolerances of the selected variation."""
        return VARIATIONS[self.variation]

    def with_program(self, program: Program) -> EngineSettings:
        """These settings with a program's targets applied (``custom`` keeps the current ones)."""
        if program is Program.CUSTOM:
            return replace(self, program=program)
        preset = PROGRAMS[program]
        return replace(
            self,
            program=program,
            target_reps=preset.target_reps,
            sets_per_side=preset.sets_per_side,
            hold_target_s=preset.hold_target_s,
            eccentric_target_s=preset.eccentric_target_s,
            rest_s=preset.rest_s,
        )
