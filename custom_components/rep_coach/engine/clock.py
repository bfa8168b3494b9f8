"""Device-clock mapping: place device timestamps on the receiver's time line.

Readings that carry device time are timed by it alone: the mapping is ``device + anchor`` with
the anchor fixed when the device clock is first seen (and again only when it restarts, leaps, or
falls behind readings timed otherwise), so Wi-Fi delivery jitter changes no duration and no
decision; a replay sent faster than real time keeps its true timing. Re-anchoring never moves the
time line back. The fastest delivery seen (a running
minimum of ``arrival - device``, allowed to creep for crystal drift) tells what device time it is
*now* when only the receiver's clock is known (timers, staleness).
"""

from __future__ import annotations

import math

DRIFT_ALLOWANCE = 2e-4  # 200 ppm: crystals drift far less
CLOCK_RESET_S = 1.0  # device time going back more than this: the device restarted
STEP_S = 1e-3  # after a re-anchor, the first reading comes at least this after the last one
CLOCK_JUMP_S = 5.0  # device time running this much further than delivery at once: re-anchor


class DeviceClock:
    """Maps device seconds to receiver seconds."""

    __slots__ = ("_anchor", "_fastest", "_last_arrival", "_last_device", "reboots", "resets")

    def __init__(self) -> None:
        self._anchor = math.nan  # device -> local, fixed between restarts
        self._fastest = math.nan  # running minimum of arrival - device
        self._last_device = -math.inf
        self._last_arrival = -math.inf
        self.resets = 0
        self.reboots = 0  # device time went back: the device restarted (and its ``seq``)

    @property
    def anchor(self) -> float:
        """Local time minus device time for every reading of this device epoch."""
        return self._anchor

    def observe(self, newest_s: float, oldest_s: float, arrival_t: float, last_t: float) -> None:
        """Account for a payload that arrived at ``arrival_t`` with readings taken from device
        time ``oldest_s`` to ``newest_s``; ``last_t``: the newest local time already used."""
        candidate = arrival_t - newest_s
        restarted = oldest_s < self._last_device - CLOCK_RESET_S
        # Readings timed otherwise (a plain number on the same topic) got ahead of this clock.
        overtaken = oldest_s + self._anchor < last_t - CLOCK_RESET_S
        # Device time leaping ahead of the time delivery took: a bad timestamp, not a clock.
        leapt = candidate < self._fastest - CLOCK_JUMP_S
        if math.isnan(self._anchor) or restarted or overtaken or leapt:
            if not math.isnan(self._anchor):
                self.resets += 1
                if restarted:
                    self.reboots += 1
            # Never back in time: the readings of a new epoch follow those already placed.
            self._anchor = max(candidate, last_t + STEP_S - oldest_s)
            self._fastest = candidate
        else:
            allowed = self._fastest + DRIFT_ALLOWANCE * max(0.0, arrival_t - self._last_arrival)
            self._fastest = min(allowed, candidate)
        self._last_device = newest_s
        self._last_arrival = arrival_t

    def to_local(self, device_s: float) -> float:
        """Local time of a device timestamp (call :meth:`observe` first)."""
        return device_s + self._anchor

    def now(self, arrival_t: float) -> float:
        """Local time, on the readings' time line, of receiver time ``arrival_t``."""
        if math.isnan(self._anchor):
            return arrival_t
        return arrival_t - self._fastest + self._anchor
