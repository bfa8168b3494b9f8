"""Payload decoding: every format, every way to be wrong, never an exception."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_components.rep_coach.engine import (
    DistanceUnit,
    PayloadErrorCode,
    PayloadFormat,
    decode_payload,
    detect_format,
)


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
