"""Getting readings to Home Assistant: firmware JSON batches or ESPHome's plain topic, over Wi-Fi.

The firmware stamps each reading with its own clock (a crystal off by up to +-40 ppm) and
publishes what it buffered every 100 ms of that clock. ESPHome's plain topic sends one reading
per message with no time in it. Wi-Fi delays each message (lognormal, median 15 ms, p95 about
50 ms), now and then stalls for 0.2-1.5 s and then delivers everything at once; one TCP
connection keeps the order.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from .model import SimReading
from .sensor import Sample

BATCH_MS = 100.0
MAX_BATCH = 20
PUBLISH_S = 0.004  # from the last reading of a batch to the message leaving the ESP32


@dataclass(frozen=True, slots=True)
class Link:
    """A Wi-Fi link's habits."""

    median_s: float
    spread: float  # lognormal sigma
    stall_rate: float  # per message
    stall_s: tuple[float, float]


def draw_link(rng: random.Random) -> Link:
    """A Wi-Fi link (fixed draw order)."""
    return Link(
        median_s=rng.uniform(0.010, 0.020),
        spread=rng.uniform(0.5, 0.8),
        stall_rate=rng.uniform(0.001, 0.006),
        stall_s=(0.2, rng.uniform(0.6, 1.5)),
    )


def deliver(
    samples: list[Sample],
    rng: random.Random,
    link: Link,
    *,
    plain: bool,
    device0_ms: int,
    seq0: int,
    drift_ppm: float,
) -> list[SimReading]:
    """The readings with device time, sequence numbers and arrival times."""
    groups = [[s] for s in samples] if plain else _batches(samples, device0_ms, drift_ppm)
    readings: list[SimReading] = []
    arrived = link_free = -math.inf
    seq = seq0
    for group in groups:
        publish = group[-1][0] + PUBLISH_S
        if rng.random() < link.stall_rate:
            link_free = publish + rng.uniform(*link.stall_s)
        delay = rng.lognormvariate(math.log(link.median_s), link.spread)
        arrived = max(arrived, link_free, publish + delay)
        for t, d, status in group:
            seq += 1
            device_ms = _device_ms(t, device0_ms, drift_ppm)
            readings.append(SimReading(t, arrived, device_ms, seq, d, status))
    return readings


def firmware_batches(readings: Sequence[SimReading]) -> list[list[SimReading]]:
    """The firmware's messages: readings of one 100 ms window of device time, at most 20."""
    groups: list[list[SimReading]] = []
    window: int | None = None
    for reading in readings:
        this = math.floor(reading.device_ms / BATCH_MS)
        if this != window or len(groups[-1]) >= MAX_BATCH:
            groups.append([])
            window = this
        groups[-1].append(reading)
    return groups


def _device_ms(t: float, device0_ms: int, drift_ppm: float) -> int:
    return device0_ms + round(t * 1000.0 * (1.0 + drift_ppm * 1e-6))


def _batches(samples: list[Sample], device0_ms: int, drift_ppm: float) -> list[list[Sample]]:
    groups: list[list[Sample]] = []
    window: int | None = None
    for sample in samples:
        this = math.floor(_device_ms(sample[0], device0_ms, drift_ppm) / BATCH_MS)
        if this != window or len(groups[-1]) >= MAX_BATCH:
            groups.append([])
            window = this
        groups[-1].append(sample)
    return groups
