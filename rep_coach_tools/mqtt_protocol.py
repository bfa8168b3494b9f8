"""The Rep Coach firmware's MQTT protocol (hardware/PROTOCOL.md) as pure functions.

Topics, the retained discovery announcement, availability payloads and the batched samples
payload. The emulator speaks it, ``watch`` listens to it, and the firmware test checks that the
ESPHome configuration announces exactly what :func:`discovery_payload` builds.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .simulator import SimReading

TOPIC_ROOT = "rep_coach"
DISCOVERY_PREFIX = f"{TOPIC_ROOT}/discovery"
PAYLOAD_AVAILABLE = "online"
PAYLOAD_NOT_AVAILABLE = "offline"
MAX_BATCH = 20  # readings per samples message (the firmware's limit)
BATCH_INTERVAL_S = 0.1  # the firmware publishes what it buffered every 100 ms
STATUS_VALID = 0
STATUS_NO_READING = 4  # sent with ``d: null``: a failure status, never mistaken for valid
SENSOR_ID_PATTERN = re.compile(r"[a-z0-9_]{1,48}")
SAMPLES_TOPIC_PATTERN = re.compile(rf"{TOPIC_ROOT}/(?P<sensor_id>[a-z0-9_]+)/samples")


def validate_sensor_id(sensor_id: str) -> str:
    """The id itself, or ValueError: ids appear in topics and Home Assistant unique ids."""
    if not SENSOR_ID_PATTERN.fullmatch(sensor_id):
        raise ValueError(
            f"sensor id {sensor_id!r} must be 1-48 characters of lowercase a-z, 0-9 and _"
        )
    return sensor_id


def samples_topic(sensor_id: str) -> str:
    """Where the sensor publishes its batches (not retained, QoS 0)."""
    return f"{TOPIC_ROOT}/{sensor_id}/samples"


def status_topic(sensor_id: str) -> str:
    """Retained ``online``/``offline``; the last will is ``offline``."""
    return f"{TOPIC_ROOT}/{sensor_id}/status"


def discovery_topic(sensor_id: str) -> str:
    """Retained announcement, published on every connect."""
    return f"{DISCOVERY_PREFIX}/{sensor_id}"


def sensor_id_from_samples_topic(topic: str) -> str | None:
    """The sensor id in a ``rep_coach/<id>/samples`` topic, None for any other topic."""
    match = SAMPLES_TOPIC_PATTERN.fullmatch(topic)
    return match["sensor_id"] if match else None


@dataclass(frozen=True, kw_only=True, slots=True)
class SensorIdentity:
    """What a sensor announces about itself."""

    sensor_id: str
    name: str = "Hip thrust bench"
    model: str = "VL53L1X"
    manufacturer: str = "Rep Coach"
    sw_version: str = "1.0.0"
    rate_hz: int = 50

    def __post_init__(self) -> None:
        validate_sensor_id(self.sensor_id)


def discovery_payload(identity: SensorIdentity) -> dict[str, Any]:
    """The retained announcement on :func:`discovery_topic`."""
    return {
        "id": identity.sensor_id,
        "name": identity.name,
        "model": identity.model,
        "manufacturer": identity.manufacturer,
        "sw_version": identity.sw_version,
        "state_topic": samples_topic(identity.sensor_id),
        "availability_topic": status_topic(identity.sensor_id),
        "payload_available": PAYLOAD_AVAILABLE,
        "payload_not_available": PAYLOAD_NOT_AVAILABLE,
        "format": "json_batch",
        "rate_hz": identity.rate_hz,
    }


def reading_json(reading: SimReading) -> dict[str, Any]:
    """One reading as the firmware writes it: ``d`` in mm with 0.1 mm precision or null."""
    distance = reading.distance_mm
    valid = distance is not None and math.isfinite(distance)
    return {
        "d": round(distance, 1) if valid and distance is not None else None,
        "t": reading.device_ms,
        "seq": reading.seq,
        "status": reading.status,
    }


def encode_batch(readings: Sequence[SimReading]) -> str:
    """A samples payload: a compact JSON array of 1..MAX_BATCH readings, oldest first."""
    if not 1 <= len(readings) <= MAX_BATCH:
        raise ValueError(f"a batch holds 1..{MAX_BATCH} readings, not {len(readings)}")
    return json.dumps([reading_json(r) for r in readings], separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Batch:
    """One samples message and when it reaches the broker (s, on the session's clock)."""

    send_t: float
    readings: tuple[SimReading, ...]

    @property
    def payload(self) -> str:
        """The JSON text to publish."""
        return encode_batch(self.readings)


def plan_batches(
    readings: Iterable[SimReading],
    *,
    interval_s: float = BATCH_INTERVAL_S,
    max_batch: int = MAX_BATCH,
) -> list[Batch]:
    """Group readings into messages the way the firmware does.

    The firmware publishes whatever it buffered every ``interval_s`` of its own clock, so
    readings whose device time falls in the same interval share a message (split when longer
    than ``max_batch``). A message leaves when its last reading has arrived, and never before
    the previous one: MQTT over one TCP connection keeps order.
    """
    if interval_s <= 0:
        raise ValueError("interval_s must be positive")
    if not 1 <= max_batch <= MAX_BATCH:
        raise ValueError(f"max_batch must be 1..{MAX_BATCH}")
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
