#!/usr/bin/env python3
"""Check a bench sensor's samples stream on real hardware: rate, lost readings, failures.

Reads the samples batches one per line, as ``mosquitto_sub`` prints them, and reports every
``--every`` seconds of the sensor's own clock and at the end (Ctrl-C or end of input):

    mosquitto_sub -h homeassistant.local -t rep_coach/bench_a1b2c3/samples \\
        | python3 hardware/check_stream.py

- readings and the rate by the device's clock (``t``): what the board really delivers, free of
  Wi-Fi jitter;
- lost readings: ``seq`` gaps (overwritten in the sensor before the ESP32 read them, pushed out of
  the firmware's buffer while MQTT was not taking batches, or a queued batch that never arrived);
- failure readings by status (4+: no distance; 254: sensor stalled, 255: I2C failure);
- restarts (``seq`` going back: the ESP32 rebooted).

Standard library only, so it runs wherever Python 3 does.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

FAILURE_STATUS = 4


@dataclass
class StreamCheck:
    """Counters over a samples stream, fed one payload at a time."""

    readings: int = 0
    lost: int = 0
    gaps: int = 0
    restarts: int = 0
    bad_payloads: int = 0
    failures: Counter[int] = field(default_factory=Counter)
    first_t: int | None = None
    last_t: int | None = None
    last_seq: int | None = None
    run_readings: int = 0  # since the first reading of the current run (after a restart)

    def feed(self, line: str) -> None:
        try:
            batch = json.loads(line)
            readings = [(int(r["seq"]), int(r["t"]), int(r["status"])) for r in batch]
        except (ValueError, TypeError, KeyError):
            self.bad_payloads += 1
            return
        for seq, t, status in readings:
            if self.last_seq is not None and seq <= self.last_seq:
                self.restarts += 1
                self.first_t, self.run_readings = None, 0
            elif self.last_seq is not None and seq > self.last_seq + 1:
                self.lost += seq - self.last_seq - 1
                self.gaps += 1
            self.last_seq = seq
            self.readings += 1
            self.run_readings += 1
            if status >= FAILURE_STATUS:
                self.failures[status] += 1
            if self.first_t is None:
                self.first_t = t
            self.last_t = t

    @property
    def span_s(self) -> float:
        if self.first_t is None or self.last_t is None:
            return 0.0
        return (self.last_t - self.first_t) / 1000

    def rate_hz(self) -> float | None:
        """Readings per second of device time since the first reading (of this run)."""
        if self.run_readings < 2 or self.span_s <= 0:
            return None
        return (self.run_readings - 1) / self.span_s

    def report(self) -> str:
        rate = self.rate_hz()
        parts = [
            f"{self.span_s:.1f} s",
            f"{self.readings} readings",
            f"{rate:.2f} Hz" if rate is not None else "rate unknown",
            f"{self.lost} lost in {self.gaps} seq gaps",
        ]
        failures = ", ".join(f"{count} x status {s}" for s, count in sorted(self.failures.items()))
        parts.append(f"failures: {failures or 'none'}")
        if self.restarts:
            parts.append(f"{self.restarts} restarts")
        if self.bad_payloads:
            parts.append(f"{self.bad_payloads} bad payloads")
        return ", ".join(parts)


def run(stream: TextIO, out: TextIO, every_s: float) -> StreamCheck:
    check = StreamCheck()
    next_report = every_s
    try:
        for line in stream:
            if not line.strip():
                continue
            check.feed(line)
            if every_s > 0 and check.span_s >= next_report:
                print(check.report(), file=out, flush=True)
                next_report = check.span_s + every_s
    except KeyboardInterrupt:
        pass
    print(check.report(), file=out, flush=True)
    return check


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--every", type=float, default=10.0, help="report every this many seconds (0: at the end)"
    )
    args = parser.parse_args(argv)
    run(sys.stdin, sys.stdout, args.every)
    return 0


if __name__ == "__main__":
    sys.exit(main())
