"""What every generator produces: readings as the firmware sends them, and the session's truth."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from custom_components.rep_coach.engine.settings import (
    EngineSettings,
    Orientation,
    Program,
    SideMode,
    Variation,
)


class Mount(StrEnum):
    """Where the sensor sits relative to the hips."""

    ABOVE = "above"  # looking down: the distance shrinks as the hips rise ("nearer")
    BELOW = "below"  # looking up: the distance grows as the hips rise ("farther")

    @property
    def other(self) -> Mount:
        """The mount the other way round."""
        return Mount.BELOW if self is Mount.ABOVE else Mount.ABOVE

    @property
    def orientation(self) -> str:
        """The engine's name for this mount (``nearer``/``farther``)."""
        return str(Orientation.NEARER if self is Mount.ABOVE else Orientation.FARTHER)

    @classmethod
    def from_orientation(cls, orientation: str) -> Mount:
        """The mount an orientation name describes."""
        return cls.ABOVE if orientation == Orientation.NEARER else cls.BELOW


NO_TARGET_MM = frozenset({0.0, 8190.0, 8191.0, 65535.0})  # sentinels, never a distance
NEAREST_MM = 40.0  # closer than this the sensor fails (VL53L1X minimum)


@dataclass(frozen=True, slots=True)
class SimReading:
    """One reading as the firmware would send it.

    ``t``: true sample time (s); ``arrival_t``: when it reaches the subscriber after Wi-Fi jitter
    and batching (s); ``device_ms``: the device clock (ms); ``distance_mm``: None for no reading
    (NaN on the wire); ``status``: VL53L1X range status (0 valid, 1-2 warning, 4+ failure).
    """

    t: float
    arrival_t: float
    device_ms: int
    seq: int
    distance_mm: float | None
    status: int

    def sees_target(self) -> bool:
        """A distance to something in view: not a sentinel, not a failed or absurd reading."""
        d = self.distance_mm
        return d is not None and self.status < 4 and d not in NO_TARGET_MM and d >= NEAREST_MM


@dataclass(frozen=True, slots=True)
class SimSession:
    """A generated session: the readings and what truly happened (JSON-ready ``truth``)."""

    name: str
    seed: int
    rate_hz: float
    readings: tuple[SimReading, ...]
    truth: dict[str, Any]

    @property
    def plain(self) -> bool:
        """Delivered as ESPHome's plain state topic (one reading per message, metres)."""
        return bool(self.truth["plain"])

    @property
    def plain_decimals(self) -> int:
        """Decimals of the plain payload in metres (2: 1 cm steps, 3: 1 mm steps)."""
        return int(self.truth.get("plain_decimals", 2))

    @property
    def mount(self) -> Mount:
        """The sensor's mount at the start of the session."""
        return Mount.from_orientation(self.truth["orientation"])

    @property
    def family(self) -> str:
        """The scenario family that generated the session."""
        return str(self.truth.get("family", "classic"))

    def settings(self) -> EngineSettings:
        """The engine settings a user of this session would have chosen."""
        data = self.truth["settings"]
        base = EngineSettings(variation=Variation(data["variation"])).with_program(
            Program(data["program"])
        )
        return EngineSettings(
            program=base.program,
            variation=base.variation,
            target_reps=int(data["target_reps"]),
            sets_per_side=base.sets_per_side,
            hold_target_s=base.hold_target_s,
            eccentric_target_s=base.eccentric_target_s,
            rest_s=base.rest_s,
            side_mode=SideMode(data.get("side_mode", SideMode.ALTERNATE)),
            orientation=Orientation.AUTO,
        )
