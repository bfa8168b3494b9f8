"""The sensor protocol: topics and ids, the announcement, encoding batches, and decoding every
format and every way to be wrong, never with an exception."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from custom_components.rep_coach.engine.protocol import (
    FIRMWARE_BATCH,
    MAX_BATCH,
    PayloadErrorCode,
    PayloadFormat,
    Reading,
    SensorAnnouncement,
    decode_payload,
    detect_format,
    discovery_topic,
    encode_batch,
    encode_plain,
    encode_readings,
    samples_topic,
    sensor_id_from_samples_topic,
    status_topic,
    validate_sensor_id,
)
from custom_components.rep_coach.engine.settings import DistanceUnit

# --- Topics, ids and the announcement -------------------------------------------------------


def test_topics_of_a_sensor() -> None:
    assert discovery_topic("bench_a1b2c3") == "rep_coach/discovery/bench_a1b2c3"
    assert status_topic("bench_a1b2c3") == "rep_coach/bench_a1b2c3/status"
    assert samples_topic("bench_a1b2c3") == "rep_coach/bench_a1b2c3/samples"


def test_announcement_is_the_contract() -> None:
    assert SensorAnnouncement.for_sensor("bench_a1b2c3").payload() == {
        "id": "bench_a1b2c3",
        "name": "Hip thrust bench",
        "model": "VL53L1X",
        "manufacturer": "Rep Coach",
        "sw_version": "1.0.0",
        "state_topic": "rep_coach/bench_a1b2c3/samples",
        "availability_topic": "rep_coach/bench_a1b2c3/status",
        "payload_available": "online",
        "payload_not_available": "offline",
        "format": "json_batch",
        "rate_hz": 50,
    }


@pytest.mark.parametrize("good", ["a", "bench_a1b2c3", "a" * 48, "0_9"])
def test_sensor_ids_of_one_to_48_characters(good: str) -> None:
    assert validate_sensor_id(good) == good
    assert sensor_id_from_samples_topic(samples_topic(good)) == good
    assert SensorAnnouncement.decode(json.dumps({"id": good, "state_topic": "x"})).id == good


@pytest.mark.parametrize("bad", ["", "Bench", "bench-1", "bench/1", "a" * 49, "bench 1"])
def test_bad_sensor_ids_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="lowercase"):
        validate_sensor_id(bad)
    with pytest.raises(ValueError, match="lowercase"):
        SensorAnnouncement.for_sensor(bad)
    with pytest.raises(ValueError, match=r"^id: "):
        SensorAnnouncement.decode(json.dumps({"id": bad, "state_topic": "x"}))
    assert sensor_id_from_samples_topic(f"rep_coach/{bad}/samples") is None


def test_sensor_id_only_from_a_samples_topic() -> None:
    assert sensor_id_from_samples_topic(status_topic("bench_1")) is None
    assert sensor_id_from_samples_topic("esphome/sensor/distance/state") is None


def test_announcement_decodes_with_defaults_and_ignores_the_unknown() -> None:
    announced = SensorAnnouncement.decode(
        '{"id": "bench_1", "state_topic": "rep_coach/bench_1/samples", "sw_version": 2.1,'
        ' "rate_hz": 12.5, "colour": "red"}'
    )
    assert (announced.name, announced.manufacturer) == ("Hip thrust bench", "Rep Coach")
    assert (announced.payload_available, announced.payload_not_available) == ("online", "offline")
    assert (announced.sw_version, announced.rate_hz, announced.format) == ("2.1", 12.5, None)
    assert announced.payload() == {
        "id": "bench_1",
        "name": "Hip thrust bench",
        "manufacturer": "Rep Coach",
        "sw_version": "2.1",
        "state_topic": "rep_coach/bench_1/samples",
        "payload_available": "online",
        "payload_not_available": "offline",
        "rate_hz": 12.5,
    }


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("", "Invalid JSON"),  # a retired sensor's announcement, cleared
        ("[]", "an object"),
        ('{"id": "bench_1"}', "state_topic: Field required"),
        ('{"id": "bench_1", "state_topic": "t", "format": "xml"}', "format: "),
        ('{"id": "bench_1", "state_topic": "t", "rate_hz": 0}', "rate_hz: "),
        ('{"id": "bench_1", "state_topic": "t", "name": ""}', "name: "),
    ],
)
def test_bad_announcements_say_why(payload: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        SensorAnnouncement.decode(payload)


# --- Encoding ---------------------------------------------------------------------------------


def test_batch_encodes_as_the_firmware_writes_it_and_decodes_back() -> None:
    readings = [
        Reading(d=412.04, t=0, seq=7, status=0),
        Reading(d=None, t=20, seq=8, status=4),
        Reading(d=math.nan, t=40, seq=9, status=0),
    ]
    payload = encode_batch(readings)
    assert payload == (
        '[{"d":412.0,"t":0,"seq":7,"status":0},{"d":null,"t":20,"seq":8,"status":4},'
        '{"d":null,"t":40,"seq":9,"status":0}]'
    )
    decoded = decode_payload(payload)
    assert decoded.fmt is PayloadFormat.JSON_BATCH
    assert [(r.d, r.t, r.seq, r.status) for r in decoded.readings] == [
        (412.0, 0, 7, 0),
        (None, 20, 8, 4),
        (None, 40, 9, 0),
    ]


@pytest.mark.parametrize("count", [0, FIRMWARE_BATCH + 1])
def test_firmware_batches_hold_1_to_20_readings(count: int) -> None:
    with pytest.raises(ValueError, match=r"1\.\.20"):
        encode_batch([Reading(d=500.0, t=k, seq=k, status=0) for k in range(count)])


def test_listeners_accept_larger_batches_than_the_firmware_sends() -> None:
    batch = [{"d": 500.0, "t": k, "seq": k, "status": 0} for k in range(MAX_BATCH)]
    assert len(decode_payload(json.dumps(batch)).readings) == MAX_BATCH > FIRMWARE_BATCH
    too_many = decode_payload(json.dumps([*batch, batch[0]]))
    assert too_many.error is not None
    assert too_many.error.code is PayloadErrorCode.BATCH_TOO_LARGE


def test_a_stall_delivers_more_than_a_firmware_batch_in_one_payload() -> None:
    readings = [Reading(d=500.0 + k, t=k, seq=k, status=0) for k in range(FIRMWARE_BATCH + 5)]
    decoded = decode_payload(encode_readings(readings))
    assert [r.seq for r in decoded.readings] == list(range(FIRMWARE_BATCH + 5))
    with pytest.raises(ValueError, match=r"1\.\.200"):
        encode_readings([*readings] * (MAX_BATCH // len(readings) + 1))


@pytest.mark.parametrize(
    ("distance_mm", "decimals", "payload", "read_back_mm"),
    [(431.0, 3, "0.431", 431.0), (436.0, 2, "0.44", 440.0), (None, 2, "nan", None)],
)
def test_plain_payload_is_esphome_metres_and_reads_back(
    distance_mm: float | None, decimals: int, payload: str, read_back_mm: float | None
) -> None:
    assert encode_plain(distance_mm, decimals) == payload
    assert decode_payload(payload).readings[0].d == pytest.approx(read_back_mm)


# --- Decoding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "unit", "expected_mm", "seen"),
    [
        ("0.43", DistanceUnit.AUTO, 430.0, DistanceUnit.METRES),
        (b"0.431", DistanceUnit.AUTO, 431.0, DistanceUnit.METRES),
        ("431", DistanceUnit.AUTO, 431.0, DistanceUnit.MILLIMETRES),
        ("0.5", DistanceUnit.MILLIMETRES, 0.5, DistanceUnit.MILLIMETRES),
        ("12", DistanceUnit.METRES, 12000.0, DistanceUnit.METRES),
    ],
)
def test_plain_numbers_and_units(
    payload: str | bytes, unit: DistanceUnit, expected_mm: float, seen: DistanceUnit
) -> None:
    decoded = decode_payload(payload, unit)
    assert decoded.error is None
    assert decoded.fmt is PayloadFormat.PLAIN
    assert decoded.readings[0].d == pytest.approx(expected_mm)
    assert decoded.unit is seen


@pytest.mark.parametrize("payload", ["nan", "NaN", "None", "unknown", "inf", "-inf"])
def test_esphome_no_reading_words_are_empty_readings(payload: str) -> None:
    decoded = decode_payload(payload)
    assert decoded.error is None
    assert decoded.readings[0].d is None


def test_json_sample_and_batch() -> None:
    single = decode_payload('{"d": 412.5, "t": 1000, "seq": 7, "status": 0}')
    assert single.fmt is PayloadFormat.JSON
    assert (single.readings[0].d, single.readings[0].t, single.readings[0].seq) == (412.5, 1000, 7)
    batch = decode_payload(json.dumps([{"d": 400 + k, "t": 20 * k, "seq": k} for k in range(5)]))
    assert batch.fmt is PayloadFormat.JSON_BATCH
    assert [r.d for r in batch.readings] == [400, 401, 402, 403, 404]
    assert detect_format("[]") is PayloadFormat.JSON_BATCH
    assert detect_format("nonsense") is None


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("", PayloadErrorCode.EMPTY),
        ("   ", PayloadErrorCode.EMPTY),
        ("abc", PayloadErrorCode.NOT_A_NUMBER),
        (b"\xff\xfe", PayloadErrorCode.NOT_TEXT),
        ("{bad json", PayloadErrorCode.BAD_JSON),
        ('{"d": "far"}', PayloadErrorCode.BAD_FIELDS),
        ('{"d": 1, "status": 999}', PayloadErrorCode.BAD_FIELDS),
        ('{"d": 1, "seq": -1}', PayloadErrorCode.BAD_FIELDS),
        ("[1, 2]", PayloadErrorCode.BAD_FIELDS),
        ('"text"', PayloadErrorCode.NOT_A_NUMBER),
        ("x" * 70_000, PayloadErrorCode.TOO_LARGE),
        (json.dumps([{"d": 1}] * 300), PayloadErrorCode.BATCH_TOO_LARGE),
    ],
    ids=lambda value: str(value)[:20],
)
def test_bad_payloads_are_typed_errors(payload: str | bytes, code: PayloadErrorCode) -> None:
    decoded = decode_payload(payload)
    assert decoded.error is not None
    assert decoded.error.code is code
    assert decoded.readings == ()


@pytest.mark.parametrize("depth", [50, 5000, 100_000])
def test_deeply_nested_json_is_rejected(depth: int) -> None:
    decoded = decode_payload("[" * depth + "]" * depth)
    assert decoded.error is not None
    assert decoded.error.code in {
        PayloadErrorCode.BAD_JSON,
        PayloadErrorCode.BAD_FIELDS,
        PayloadErrorCode.TOO_LARGE,
    }


@given(st.one_of(st.binary(max_size=300), st.text(max_size=300)))
def test_decode_never_raises(payload: bytes | str) -> None:
    decoded = decode_payload(payload)
    assert (decoded.error is None) == (decoded.fmt is not None)


@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_decode_never_raises_on_any_json(value: object) -> None:
    decoded = decode_payload(json.dumps(value))
    assert decoded.error is not None or decoded.readings is not None


READING_FIELD = st.one_of(
    st.none(),
    st.integers(min_value=-2, max_value=2**54),
    st.floats(allow_nan=False),
    st.sampled_from(["far", "12", ""]),
)


@given(
    st.lists(
        st.dictionaries(st.sampled_from(["d", "t", "seq", "status", "x"]), READING_FIELD),
        min_size=1,
        max_size=6,
    )
)
def test_a_batch_decodes_as_its_readings_one_by_one(items: list[dict[str, object]]) -> None:
    """Validated together, a batch gives each reading's own validation, or the error of the
    first reading that fails, word for word."""
    decoded = decode_payload(json.dumps(items))
    try:
        expected = tuple(Reading.model_validate(item) for item in items)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        assert decoded.error is not None
        assert decoded.error.detail == (f"{where}: {first['msg']}" if where else first["msg"])
        assert decoded.readings == ()
    else:
        assert decoded.error is None
        assert decoded.readings == expected
