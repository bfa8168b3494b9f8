"""Calibration: mount orientation, bottom level and range of motion per side.

Heights are distances turned so that they grow as the hips rise: ``h = sign * distance``.
Automatic calibration learns the range from completed reps (median of the last five, per side),
the bottom from where the lifter sits still, and the orientation from the first full rep.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from .settings import Side

HISTORY = 5


@dataclass(slots=True)
class SideRange:
    """Learned range of motion (mm) for one side."""

    roms: deque[float] = field(default_factory=lambda: deque(maxlen=HISTORY))
    manual: float | None = None

    @property
    def value(self) -> float | None:
        """The calibrated range, or None before the first rep."""
        if self.manual is not None:
            return self.manual
        return median(self.roms) if self.roms else None


@dataclass(slots=True)
class CalibrationModel:
    """Everything the detector knows about the geometry."""

    sign: int = 0  # +1: distance grows as hips rise; -1: shrinks; 0: not known yet
    fixed_sign: bool = False  # orientation set by the user, never relearned
    bottom_h: float | None = None  # seated level, in height units
    manual_bottom: bool = False
    ranges: dict[Side, SideRange] = field(
        default_factory=lambda: {Side.LEFT: SideRange(), Side.RIGHT: SideRange()}
    )

    def range_for(self, side: Side) -> float | None:
        """This side's range, falling back to the other side's (legs are similar)."""
        own = self.ranges[side].value
        return own if own is not None else self.ranges[side.other].value

    def learn_rom(self, side: Side, rom: float) -> None:
        """Add one complete rep's range."""
        self.ranges[side].roms.append(rom)

    def reset(self) -> None:
        """Forget everything learned automatically (the user's fixed orientation stays)."""
        if not self.fixed_sign:
            self.sign = 0
        self.bottom_h = None
        self.manual_bottom = False
        for side_range in self.ranges.values():
            side_range.roms.clear()
            side_range.manual = None

    def export(self) -> dict[str, Any]:
        """JSON-ready copy for persistence."""
        return {
            "sign": self.sign,
            "bottom_h": self.bottom_h,
            "manual_bottom": self.manual_bottom,
            "ranges": {
                str(side): {"roms": list(r.roms), "manual": r.manual}
                for side, r in self.ranges.items()
            },
        }

    def restore(self, data: dict[str, Any]) -> None:
        """Load what :meth:`export` wrote; bad values are ignored."""
        sign = data.get("sign")
        if not self.fixed_sign and sign in (-1, 0, 1):
            self.sign = int(sign)
        bottom = data.get("bottom_h")
        if isinstance(bottom, int | float):
            self.bottom_h = float(bottom)
        self.manual_bottom = bool(data.get("manual_bottom", False))
        ranges = data.get("ranges")
        if not isinstance(ranges, dict):
            return
        for side in Side:
            entry = ranges.get(str(side))
            if not isinstance(entry, dict):
                continue
            roms = [float(v) for v in entry.get("roms", []) if isinstance(v, int | float) and v > 0]
            self.ranges[side].roms.clear()
            self.ranges[side].roms.extend(roms[-HISTORY:])
            manual = entry.get("manual")
            self.ranges[side].manual = float(manual) if isinstance(manual, int | float) else None
