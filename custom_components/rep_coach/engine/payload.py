"""Payload decoding: ESPHome plain numbers, JSON samples and JSON batches.

Never raises on bad input: every failure is a :class:`PayloadError` with a reason code.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .settings import DistanceUnit

MAX_PAYLOAD_BYTES = 64 * 1024  # a 10-sample batch is ~500 bytes; anything this big is wrong
MAX_BATCH = 200
NO_TARGET_CODES = frozenset({8190, 8191})  # VL53L0X/L1X "no target" / out of range
TIMEOUT_CODE = 65535  # I2C timeout
METRES_BELOW = 10.0  # a plain number below this is metres (ESPHome publishes metres)


class PayloadFormat(StrEnum):
    """What a topic carries."""

    PLAIN = "plain"  # ESPHome state topic: "0.43", "nan", "None"
    JSON = "json"  # {"d": mm, "t": device_ms, "seq": n, "status": s}
    JSON_BATCH = "json_batch"  # [{...}, {...}]


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

    model_config = ConfigDict(frozen=True, extra="ignore", allow_inf_nan=True)

    d: float | None = Field(default=None, description="distance, mm")
    t: int | None = Field(default=None, ge=0, le=2**53, description="device time, ms")
    seq: int | None = Field(default=None, ge=0, le=2**53)
    status: int | None = Field(default=None, ge=0, le=255, description="range status")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Readings from one payload (empty when rejected), the format seen, and the error if any."""

    readings: tuple[Reading, ...]
    fmt: PayloadFormat | None
    error: PayloadError | None = None
    unit: DistanceUnit | None = None  # unit a plain number was read in


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
        readings = tuple(Reading.model_validate(item) for item in items)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return _error(PayloadErrorCode.BAD_FIELDS, f"{where}: {first['msg']}")
    return Decoded(readings, fmt)


def decode_payload(payload: bytes | str, unit: DistanceUnit = DistanceUnit.AUTO) -> Decoded:
    """Decode one MQTT payload into readings; never raises."""
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
