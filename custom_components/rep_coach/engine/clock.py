"""Device-clock mapping: place device timestamps on the receiver's time line.

Wi-Fi delivery adds 13-110 ms of jitter (sensor-notes.md); the device's own clock does not. The
offset ``arrival - device`` is tracked as a running minimum (the fastest delivery seen), allowed to
creep up slowly for crystal drift, and reset when the device clock restarts or jumps.
"""

from __future__ import annotations

import math

DRIFT_ALLOWANCE = 2e-4  # 200 ppm: crystals drift far less
CLOCK_RESET_S = 1.0  # device time going back more than this: the device restarted
CLOCK_JUMP_S = 30.0  # device time running ahead of arrival by this much: re-anchor


class DeviceClock:
    """Maps device milliseconds to receiver seconds."""

    __slots__ = ("_last_arrival", "_last_device", "_offset", "resets")

    def __init__(self) -> None:
        self._offset = math.nan
        self._last_device = -math.inf
        self._last_arrival = -math.inf
        self.resets = 0

    def observe(self, device_s: float, arrival_t: float) -> None:
        """Update the offset with the newest reading of a payload that arrived at ``arrival_t``."""
        candidate = arrival_t - device_s
        if math.isnan(self._offset) or device_s < self._last_device - CLOCK_RESET_S:
            self._anchor(candidate)
        else:
            allowed = self._offset + DRIFT_ALLOWANCE * max(0.0, arrival_t - self._last_arrival)
            if candidate < self._offset - CLOCK_JUMP_S:
                self._anchor(candidate)
            else:
                self._offset = min(allowed, candidate)
        self._last_device = device_s
        self._last_arrival = arrival_t

    def _anchor(self, candidate: float) -> None:
        if not math.isnan(self._offset):
            self.resets += 1
        self._offset = candidate

    def to_local(self, device_s: float) -> float:
        """Receiver time of a device timestamp (call :meth:`observe` first)."""
        return device_s + self._offset
