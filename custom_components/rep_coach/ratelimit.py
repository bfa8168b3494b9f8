"""A ceiling on the message rate of one sensor topic.

A sensor misconfigured to publish every reading at 1 kHz (or a loop in someone's automation)
would otherwise have Home Assistant decode and run the engine on every message. A token bucket
lets normal traffic through untouched, bursts after a Wi-Fi stall included, and drops the excess
before it is decoded. One warning when a flood starts, one line when it is over.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .const import LOGGER

# The firmware sends 10 messages/s; ESPHome's plain state topic one per reading (<= 100 Hz for
# the fastest ToF sensors). A 4 s Wi-Fi stall at 100 Hz arrives as a 400-message burst.
MAX_MESSAGES_PER_S = 200.0
BURST_MESSAGES = 400.0


def _monotonic() -> float:
    return time.monotonic()


class MessageRateLimiter:
    """Token bucket over real (monotonic) time, with counters for diagnostics."""

    def __init__(
        self,
        name: str,
        topic: str,
        *,
        rate: float = MAX_MESSAGES_PER_S,
        burst: float = BURST_MESSAGES,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """Start with a full bucket. ``clock``: monotonic seconds (looked up at each call by
        default, so a test that moves time moves the bucket too)."""
        self._name = name
        self._topic = topic
        self._rate = rate
        self._burst = burst
        self._clock = clock or _monotonic
        self._tokens = burst
        self._last = self._clock()
        self.dropped = 0
        self.floods = 0
        self._flood_dropped = 0
        self._dropped_at_last_tick = 0

    @property
    def flooding(self) -> bool:
        """Messages are being dropped right now."""
        return self._flood_dropped > 0

    def allow(self) -> bool:
        """Whether one more message may go to the engine now."""
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + max(0.0, now - self._last) * self._rate)
        self._last = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        self.dropped += 1
        if not self._flood_dropped:
            self.floods += 1
            LOGGER.warning(
                "%s: more than %d messages/s on %s; dropping the excess until the rate is "
                "normal again (is the sensor publishing every reading, or too fast?)",
                self._name,
                round(self._rate),
                self._topic,
            )
        self._flood_dropped += 1
        return False

    def tick(self) -> None:
        """Call about once a second: a flood with no drop since the last call is over."""
        if self._flood_dropped and self.dropped == self._dropped_at_last_tick:
            LOGGER.info(
                "%s: message rate on %s is normal again; %d messages were dropped",
                self._name,
                self._topic,
                self._flood_dropped,
            )
            self._flood_dropped = 0
        self._dropped_at_last_tick = self.dropped

    def as_dict(self) -> dict[str, object]:
        """Counters for diagnostics."""
        return {
            "max_messages_per_s": self._rate,
            "burst": self._burst,
            "dropped": self.dropped,
            "floods": self.floods,
            "flooding": self.flooding,
        }
