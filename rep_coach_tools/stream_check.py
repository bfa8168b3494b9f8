"""What a sensor's stream really delivers: the rate by its own clock, lost readings, failures.

Fed the decoded readings of each samples payload (``rep-coach watch`` does this for every
message), it counts:

- readings and the rate by the device's clock (``t``): what the board delivers, free of Wi-Fi
  jitter;
- lost readings: ``seq`` gaps (overwritten in the sensor before the ESP32 read them, pushed out of
  the firmware's buffer while MQTT was not taking batches, or a batch that never arrived: QoS 0);
- failure readings by status (4+: no distance; 254: sensor stalled; 255: I2C failure);
- restarts (``seq`` going back: the ESP32 rebooted).

ESPHome's plain state topic carries neither ``t`` nor ``seq``: only the arrival rate is known.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from custom_components.rep_coach.engine.protocol import Reading

FAILURE_STATUS = 4


@dataclass(slots=True)
class StreamCheck:
    """Counters over a samples stream, fed one payload's readings at a time."""

    readings: int = 0
    lost: int = 0
    gaps: int = 0
    restarts: int = 0
    failures: Counter[int] = field(default_factory=Counter)
    first_t: int | None = None
    last_t: int | None = None
    last_seq: int | None = None
    run_readings: int = 0  # timed readings since the first of the current run (after a restart)

    def feed(self, readings: Iterable[Reading]) -> None:
        """Count one payload's readings."""
        for reading in readings:
            self._count_seq(reading.seq)
            self.readings += 1
            if reading.status is not None and reading.status >= FAILURE_STATUS:
                self.failures[reading.status] += 1
            if reading.t is not None:
                self.run_readings += 1
                if self.first_t is None:
                    self.first_t = reading.t
                self.last_t = reading.t

    def _count_seq(self, seq: int | None) -> None:
        if seq is None:
            return
        last = self.last_seq
        if last is not None and seq <= last:
            self.restarts += 1
            self.first_t, self.last_t, self.run_readings = None, None, 0
        elif last is not None and seq > last + 1:
            self.lost += seq - last - 1
            self.gaps += 1
        self.last_seq = seq

    @property
    def device_timed(self) -> bool:
        """Whether the stream carries the device's clock."""
        return self.first_t is not None

    @property
    def span_s(self) -> float:
        """Device time from the first to the last reading of the current run."""
        if self.first_t is None or self.last_t is None:
            return 0.0
        return (self.last_t - self.first_t) / 1000

    def rate_hz(self) -> float | None:
        """Readings per second of device time since the first reading (of this run)."""
        if self.run_readings < 2 or self.span_s <= 0:
            return None
        return (self.run_readings - 1) / self.span_s

    def report(self) -> str:
        """One line: span, readings, rate, lost readings, failures, restarts."""
        if not self.device_timed:
            return f"{self.readings} readings (no device clock or seq: rate by arrival only)"
        rate = self.rate_hz()
        parts = [
            f"{self.span_s:.1f} s by the sensor's clock",
            f"{self.readings} readings",
            f"{rate:.2f} Hz" if rate is not None else "rate unknown",
            f"{self.lost} lost in {self.gaps} seq gaps",
        ]
        failures = ", ".join(f"{count} x status {s}" for s, count in sorted(self.failures.items()))
        parts.append(f"failures: {failures or 'none'}")
        if self.restarts:
            parts.append(f"{self.restarts} restarts")
        return ", ".join(parts)
