"""How the firmware groups readings into samples messages, for tools that play its part.

The payloads themselves are the protocol's (:mod:`custom_components.rep_coach.engine.protocol`);
this module adds the firmware's timing: one message per 100 ms of device clock, sent once its
last reading is there, never overtaking the previous one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from custom_components.rep_coach.engine.protocol import (
    BATCH_INTERVAL_S,
    FIRMWARE_BATCH,
    Reading,
    encode_batch,
)

from .simulator import SimReading


def wire_reading(reading: SimReading) -> Reading:
    """A simulated reading as the firmware puts it on the wire."""
    return Reading(
        d=reading.distance_mm, t=reading.device_ms, seq=reading.seq, status=reading.status
    )


def encode_readings(readings: Sequence[SimReading]) -> str:
    """The samples payload of some simulated readings (1..FIRMWARE_BATCH of them)."""
    return encode_batch([wire_reading(reading) for reading in readings])


@dataclass(frozen=True, slots=True)
class Batch:
    """One samples message and when it reaches the broker (s, on the session's clock)."""

    send_t: float
    readings: tuple[SimReading, ...]

    @property
    def payload(self) -> str:
        """The JSON text to publish."""
        return encode_readings(self.readings)


def plan_batches(
    readings: Iterable[SimReading],
    *,
    interval_s: float = BATCH_INTERVAL_S,
    max_batch: int = FIRMWARE_BATCH,
) -> list[Batch]:
    """Group readings into messages the way the firmware does.

    The firmware publishes whatever it buffered every ``interval_s`` of its own clock, so
    readings whose device time falls in the same interval share a message (split when longer
    than ``max_batch``). A message leaves when its last reading has arrived, and never before
    the previous one: MQTT over one TCP connection keeps order.
    """
    if interval_s <= 0:
        raise ValueError("interval_s must be positive")
    if not 1 <= max_batch <= FIRMWARE_BATCH:
        raise ValueError(f"max_batch must be 1..{FIRMWARE_BATCH}")
    interval_ms = interval_s * 1000.0
    batches: list[Batch] = []
    group: list[SimReading] = []
    window: int | None = None
    last_send = -math.inf

    def flush() -> None:
        nonlocal last_send
        if group:
            last_send = max(last_send, *(r.arrival_t for r in group))
            batches.append(Batch(last_send, tuple(group)))
            group.clear()

    for reading in readings:
        reading_window = math.floor(reading.device_ms / interval_ms)
        if reading_window != window or len(group) >= max_batch:
            flush()
            window = reading_window
        group.append(reading)
    flush()
    return batches
