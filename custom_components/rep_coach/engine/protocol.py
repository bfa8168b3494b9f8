"""The Rep Coach sensor protocol (hardware/PROTOCOL.md): topics, ids, announcement, payloads.

The one definition of what travels over MQTT between a bench sensor and its listeners. The
firmware speaks it, the emulator encodes it, Home Assistant, ``watch`` and the load benchmark
decode it. Decoding also reads ESPHome's plain state topic (``"0.43"`` metres, ``nan``).

Decoding never raises on bad input: every failure is a :class:`PayloadError` with a reason code.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, Self

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from .settings import DistanceUnit

# --- Topics and ids ---------------------------------------------------------------------------

TOPIC_ROOT: Final = "rep_coach"
SENSOR_ID_PATTERN: Final = r"[a-z0-9_]{1,48}"  # appears in topics and Home Assistant unique ids
_SENSOR_ID = re.compile(SENSOR_ID_PATTERN)
_SAMPLES_TOPIC = re.compile(rf"{TOPIC_ROOT}/(?P<sensor_id>{SENSOR_ID_PATTERN})/samples")
PAYLOAD_AVAILABLE: Final = "online"
PAYLOAD_NOT_AVAILABLE: Final = "offline"
DEFAULT_NAME: Final = "Hip thrust bench"  # what a sensor is called unless it says otherwise
MANUFACTURER: Final = "Rep Coach"
WILDCARDS: Final = ("+", "#")  # MQTT subscription wildcards: never part of a topic published to


def validate_sensor_id(sensor_id: str) -> str:
    """The id itself, or ValueError."""
    if not _SENSOR_ID.fullmatch(sensor_id):
        raise ValueError(
            f"sensor id {sensor_id!r} must be 1-48 characters of lowercase a-z, 0-9 and _"
        )
    return sensor_id


def has_wildcard(topic: str) -> bool:
    """Whether ``topic`` holds an MQTT wildcard (fine to subscribe with, never published to)."""
    return any(wildcard in topic for wildcard in WILDCARDS)


def discovery_topic(sensor_id: str) -> str:
    """Retained announcement, published on every connect (QoS 1)."""
    return f"{TOPIC_ROOT}/discovery/{sensor_id}"


def status_topic(sensor_id: str) -> str:
    """Retained ``online``/``offline``; the last will is ``offline`` (QoS 1)."""
    return f"{TOPIC_ROOT}/{sensor_id}/status"


def samples_topic(sensor_id: str) -> str:
    """Batches of readings (QoS 0, never retained)."""
    return f"{TOPIC_ROOT}/{sensor_id}/samples"


def sensor_id_from_samples_topic(topic: str) -> str | None:
    """The sensor id in a ``rep_coach/<id>/samples`` topic, None for any other topic."""
    match = _SAMPLES_TOPIC.fullmatch(topic)
    return match["sensor_id"] if match else None


# --- Limits -----------------------------------------------------------------------------------

MAX_PAYLOAD_BYTES: Final = 64 * 1024  # a 10-sample batch is ~500 bytes; anything this big is wrong
# Two different facts: the firmware (and the emulator) never put more than FIRMWARE_BATCH readings
# in one message (on a Wi-Fi stall it keeps the newest); a listener accepts up to MAX_BATCH, so a
# sensor with a larger buffer still gets through while a runaway array is refused unread.
FIRMWARE_BATCH: Final = 20
MAX_BATCH: Final = 200
BATCH_INTERVAL_S: Final = 0.1  # the firmware publishes what it buffered every 100 ms

# Readings as sensors report them.
STATUS_VALID: Final = 0
STATUS_NO_READING: Final = 4  # sent with ``d: null``: a failure status, never mistaken for valid
NO_TARGET_CODES: Final = frozenset({8190, 8191})  # VL53L0X/L1X "no target" / out of range
TIMEOUT_CODE: Final = 65535  # I2C timeout
METRES_BELOW: Final = 10.0  # a plain number below this is metres (ESPHome publishes metres)


# --- The announcement -------------------------------------------------------------------------


class PayloadFormat(StrEnum):
    """What a topic carries."""

    PLAIN = "plain"  # ESPHome state topic: "0.43", "nan", "None"
    JSON = "json"  # {"d": mm, "t": device_ms, "seq": n, "status": s}
    JSON_BATCH = "json_batch"  # [{...}, {...}]


class SensorAnnouncement(BaseModel):
    """What a sensor publishes, retained, on :func:`discovery_topic` about itself.

    Validation is structural; a listener with its own idea of a valid topic (Home Assistant's
    MQTT validator) checks the topics too.
    """

    model_config = ConfigDict(
        frozen=True, extra="ignore", coerce_numbers_to_str=True, defer_build=True
    )

    id: str = Field(pattern=rf"^{SENSOR_ID_PATTERN}$")
    name: str = Field(default=DEFAULT_NAME, min_length=1, max_length=100)
    model: str | None = None
    manufacturer: str = MANUFACTURER
    sw_version: str | None = None
    state_topic: str = Field(min_length=1)
    availability_topic: str | None = None
    payload_available: str = PAYLOAD_AVAILABLE
    payload_not_available: str = PAYLOAD_NOT_AVAILABLE
    format: PayloadFormat | None = None
    rate_hz: int | float | None = Field(default=None, gt=0)  # nominal sample rate

    @field_validator("state_topic", "availability_topic")
    @classmethod
    def _one_topic(cls, topic: str | None) -> str | None:
        """A sensor publishes to exactly one topic: a wildcard would mix other devices in."""
        if topic is not None and has_wildcard(topic):
            raise ValueError(f"a wildcard in {topic!r}: a sensor publishes to one topic")
        return topic

    @classmethod
    def for_sensor(
        cls,
        sensor_id: str,
        *,
        name: str = DEFAULT_NAME,
        model: str = "VL53L1X",
        sw_version: str = "1.0.0",
        rate_hz: int = 50,
    ) -> Self:
        """What the Rep Coach firmware announces (ValueError for a bad id)."""
        return cls(
            id=validate_sensor_id(sensor_id),
            name=name,
            model=model,
            sw_version=sw_version,
            state_topic=samples_topic(sensor_id),
            availability_topic=status_topic(sensor_id),
            format=PayloadFormat.JSON_BATCH,
            rate_hz=rate_hz,
        )

    @classmethod
    def decode(cls, payload: bytes | str) -> Self:
        """The announcement in a discovery payload; ValueError (with the reason) otherwise."""
        try:
            return cls.model_validate_json(payload)
        except ValidationError as err:
            raise ValueError(_first_error(err)) from err

    def payload(self) -> dict[str, Any]:
        """The JSON object to publish (fields left unset are left out)."""
        return self.model_dump(mode="json", exclude_none=True)


# --- Samples ----------------------------------------------------------------------------------


class PayloadErrorCode(StrEnum):
    """Why a payload was rejected."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_TEXT = "not_text"
    NOT_A_NUMBER = "not_a_number"
    BAD_JSON = "bad_json"
    BAD_FIELDS = "bad_fields"
    BATCH_TOO_LARGE = "batch_too_large"


@dataclass(frozen=True, slots=True)
class PayloadError:
    """A rejected payload and why."""

    code: PayloadErrorCode
    detail: str


class Reading(BaseModel):
    """One reading as the firmware sends it. ``d`` is millimetres; ``None`` means no reading."""

    model_config = ConfigDict(frozen=True, extra="ignore", allow_inf_nan=True, defer_build=True)

    d: float | None = Field(default=None, description="distance, mm")
    t: int | None = Field(default=None, ge=0, le=2**53, description="device time, ms")
    seq: int | None = Field(default=None, ge=0, le=2**53)
    status: int | None = Field(default=None, ge=0, le=255, description="range status")


# Built on first use, as Reading is (the integration's start does not wait for it).
_READINGS: Final = TypeAdapter(list[Reading], config=ConfigDict(defer_build=True))


@dataclass(frozen=True, slots=True)
class Decoded:
    """Readings from one payload (empty when rejected), the format seen, and the error if any."""

    readings: tuple[Reading, ...]
    fmt: PayloadFormat | None
    error: PayloadError | None = None
    unit: DistanceUnit | None = None  # unit a plain number was read in


def _first_error(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def _error(code: PayloadErrorCode, detail: str) -> Decoded:
    return Decoded((), None, PayloadError(code, detail))


def _plain_number(text: str, unit: DistanceUnit) -> Decoded:
    lowered = text.lower()
    if lowered in {"nan", "none", "null", "unknown", "unavailable", "-nan", "inf", "-inf"}:
        return Decoded((Reading(d=None),), PayloadFormat.PLAIN)
    try:
        value = float(text)
    except ValueError:
        return _error(PayloadErrorCode.NOT_A_NUMBER, text[:40])
    if not math.isfinite(value):
        return Decoded((Reading(d=None),), PayloadFormat.PLAIN)
    seen = unit
    if seen is DistanceUnit.AUTO:
        seen = DistanceUnit.METRES if abs(value) < METRES_BELOW else DistanceUnit.MILLIMETRES
    millimetres = value * 1000.0 if seen is DistanceUnit.METRES else value
    return Decoded((Reading(d=millimetres),), PayloadFormat.PLAIN, unit=seen)


def _readings_from_json(data: Any) -> Decoded:
    if isinstance(data, dict):
        items: list[Any] = [data]
        fmt = PayloadFormat.JSON
    elif isinstance(data, list):
        if len(data) > MAX_BATCH:
            return _error(PayloadErrorCode.BATCH_TOO_LARGE, f"{len(data)} readings")
        items = data
        fmt = PayloadFormat.JSON_BATCH
    else:
        return _error(PayloadErrorCode.BAD_FIELDS, f"JSON {type(data).__name__}")
    try:
        # A batch in one call (one loop in pydantic-core, not one call per reading) ...
        readings = tuple(_READINGS.validate_python(items))
    except ValidationError:
        try:  # ... and one by one when it fails, for the first bad reading's own error
            readings = tuple(Reading.model_validate(item) for item in items)
        except ValidationError as err:
            return _error(PayloadErrorCode.BAD_FIELDS, _first_error(err))
    return Decoded(readings, fmt)


def decode_payload(payload: bytes | str, unit: DistanceUnit = DistanceUnit.AUTO) -> Decoded:
    """Decode one samples payload into readings; never raises."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        return _error(PayloadErrorCode.TOO_LARGE, f"{len(payload)} bytes")
    if isinstance(payload, bytes):
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            return _error(PayloadErrorCode.NOT_TEXT, "not UTF-8")
    else:
        text = payload
    text = text.strip()
    if not text:
        return _error(PayloadErrorCode.EMPTY, "empty payload")
    if text[0] not in "[{":
        return _plain_number(text, unit)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as err:
        return _error(PayloadErrorCode.BAD_JSON, str(err)[:80])
    return _readings_from_json(data)


def detect_format(payload: bytes | str) -> PayloadFormat | None:
    """The format of a sample payload, or None when it is not one we read."""
    return decode_payload(payload).fmt


def reading_json(reading: Reading) -> dict[str, Any]:
    """One reading as the firmware writes it: ``d`` in mm with 0.1 mm precision, or null."""
    distance = reading.d
    return {
        "d": round(distance, 1) if distance is not None and math.isfinite(distance) else None,
        "t": reading.t,
        "seq": reading.seq,
        "status": reading.status,
    }


def encode_readings(readings: Sequence[Reading]) -> str:
    """A samples payload a listener reads: compact JSON, 1..MAX_BATCH readings, oldest first
    (several firmware batches that a stall delivered at once, for instance)."""
    if not 1 <= len(readings) <= MAX_BATCH:
        raise ValueError(f"a payload holds 1..{MAX_BATCH} readings, not {len(readings)}")
    return json.dumps([reading_json(r) for r in readings], separators=(",", ":"))


def encode_batch(readings: Sequence[Reading]) -> str:
    """A samples payload as the firmware sends it: compact JSON, 1..FIRMWARE_BATCH readings,
    oldest first."""
    if not 1 <= len(readings) <= FIRMWARE_BATCH:
        raise ValueError(f"a batch holds 1..{FIRMWARE_BATCH} readings, not {len(readings)}")
    return encode_readings(readings)


def encode_plain(distance_mm: float | None, decimals: int = 2) -> str:
    """ESPHome's plain state payload: metres to ``decimals`` places, ``nan`` for no reading."""
    if distance_mm is None or not math.isfinite(distance_mm):
        return "nan"
    return f"{distance_mm / 1000.0:.{decimals}f}"
