"""Hostile payloads (hypothesis-generated garbage, huge and non-finite numbers, wrong JSON types,
10 MB payloads, deep nesting, wrong encodings) and misbehaving clocks, fed mid-set.

Expectation: nothing raises into Home Assistant (no error logged, no exception on the loop),
no count changes, counting resumes afterwards, and a repair issue appears when garbage persists.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import mqtt
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_mqtt_message,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import MqttMockHAClient

from custom_components.rep_coach.const import DOMAIN, INVALID_PAYLOAD_ISSUE_AFTER
from custom_components.rep_coach.engine.protocol import decode_payload, samples_topic
from custom_components.rep_coach.health import ISSUE_INVALID_PAYLOADS
from rep_coach_tools.batches import Batch, plan_batches
from rep_coach_tools.simulator import SimReading
from tests.tools.conftest import synthetic_readings

from .conftest import (
    SENSOR_ID,
    Bench,
    Emulator,
    Home,
    continuation,
    entry_data,
    publish_raw,
)

TOPIC = samples_topic(SENSOR_ID)
TEN_MB = 10 * 1024 * 1024

# --- hostile payloads ---------------------------------------------------------------------


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


_words = st.text(max_size=12).filter(lambda text: not _is_number(text))
_not_a_distance = st.one_of(
    _words,
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
_absurd_distance = st.one_of(
    st.none(),
    st.sampled_from([0, 1, 5, 8190, 8191, 65535, -1, 10**6]),
    st.floats(max_value=-1.0),  # below any valid reading
    st.floats(min_value=1e5, allow_infinity=True),  # beyond any sensor's range
    st.integers(min_value=10**18, max_value=10**400),
)
_wrong_field = st.one_of(
    _words,
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer()),
    st.integers(max_value=-1),
    st.integers(min_value=2**53 + 1, max_value=10**30),
    st.lists(st.integers(), max_size=2),
)


def _json_text(value: Any) -> str:
    return json.dumps(value, allow_nan=True)


_readings = st.fixed_dictionaries(
    {"d": st.one_of(_not_a_distance, _absurd_distance)},
    optional={"t": _wrong_field, "seq": _wrong_field, "status": st.integers(4, 255)},
)
_nested_depth = st.integers(min_value=50, max_value=30_000)

hostile_payloads = st.one_of(
    st.binary(max_size=300),  # garbage bytes
    st.text(min_size=1, max_size=40).map(lambda text: text.encode("utf-16")),  # wrong encoding
    st.text(alphabet="é€漢😀", min_size=1, max_size=20).map(
        lambda t: t.encode("latin-1", "replace")
    ),
    _readings.map(_json_text).map(str.encode),  # one reading, wrong types or absurd values
    st.lists(_readings, min_size=1, max_size=25).map(_json_text).map(str.encode),
    st.lists(_readings, min_size=201, max_size=260).map(_json_text).map(str.encode),  # too many
    st.recursive(
        st.none() | st.booleans() | _absurd_distance | _words,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
        max_leaves=20,
    )
    .map(_json_text)
    .map(str.encode),  # any JSON at all
    _nested_depth.map(lambda depth: b"[" * depth + b"]" * depth),  # deeply nested
    _nested_depth.map(lambda depth: b'{"d":' * depth + b"1" + b"}" * depth),
    st.sampled_from([b"NaN", b"nan", b"inf", b"-inf", b"1e999", b"-1e999", b"None", b""]),
    st.sampled_from([b'{"d": NaN}', b'[{"d": Infinity}]', b'{"d": 1e999, "t": -5}']),
)
FIXED_HOSTILE = (
    b"7" * TEN_MB,  # 10 MB "number"
    b"[" + b'{"d":600,"status":0},' * (TEN_MB // 22) + b"{}]",  # 10 MB of readings
    b"[" * 100_000 + b"]" * 100_000,  # nesting far past Python's recursion limit
    "0,43".encode("utf-16-le"),
    b"\xff\xfe\x00\x00garbage",
)


def hypothesis_examples(strategy: st.SearchStrategy[bytes], count: int) -> list[bytes]:
    """``count`` reproducible examples of ``strategy`` (derandomized: the same every run)."""
    examples: list[bytes] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(strategy)
    def collect(payload: bytes) -> None:
        examples.append(payload)

    collect()
    return examples


def _undecodable(payload: bytes) -> bool:
    return decode_payload(payload).error is not None


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
async def mocked_bench(
    hass: HomeAssistant, enable_custom_integrations: None, mqtt_mock: MqttMockHAClient
) -> MockConfigEntry:
    """Rep Coach on Home Assistant's MQTT test double (messages fired straight into it)."""
    entry = MockConfigEntry(
        domain=DOMAIN, title="Hip thrust bench", unique_id=SENSOR_ID, data=entry_data(SENSOR_ID)
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def _replay(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, batches: Sequence[Batch]
) -> None:
    """Fire batches at their send times (time moves with them, timers fire)."""
    start = batches[0].send_t
    elapsed = 0.0
    for batch in batches:
        if batch.send_t - start > elapsed:
            freezer.tick(timedelta(seconds=batch.send_t - start - elapsed))
            elapsed = batch.send_t - start
            async_fire_time_changed(hass)
        async_fire_mqtt_message(hass, TOPIC, batch.payload)
        await hass.async_block_till_done()


def _counts(hass: HomeAssistant) -> dict[str, str]:
    keys = ("total_reps", "left_reps", "right_reps", "left_sets", "right_sets", "reps_this_set")
    states = {key: hass.states.get(f"sensor.hip_thrust_bench_{key}") for key in keys}
    return {key: state.state for key, state in states.items() if state is not None}


def _no_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelname in {"ERROR", "CRITICAL"}]


def _two_parts() -> tuple[list[SimReading], list[SimReading]]:
    before = synthetic_readings(reps=3)
    return before, continuation(before, synthetic_readings(reps=3, away_s=0.0), 1.0)


# --- tests -----------------------------------------------------------------------------------


async def test_hostile_payloads_mid_set_change_no_count(
    hass: HomeAssistant,
    mocked_bench: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Hundreds of generated hostile payloads between two reps of a set: no error, every count
    as it was, and the reps after them are counted as if nothing had happened."""
    before, after = _two_parts()
    await _replay(hass, freezer, plan_batches(before))
    counts = _counts(hass)
    assert counts["reps_this_set"] == "3"
    engine = mocked_bench.runtime_data.engine

    hostile = [*hypothesis_examples(hostile_payloads, 250), *FIXED_HOSTILE]
    for payload in hostile:
        async_fire_mqtt_message(hass, TOPIC, payload)
        await hass.async_block_till_done()
        assert _counts(hass) == counts, f"count changed by {payload[:80]!r}"
    rejected = engine.counters.payload_errors
    print(
        f"\n{len(hostile)} hostile payloads: {rejected} rejected by the decoder, "
        f"{len(hostile) - rejected} decoded into unusable readings"
    )
    assert _no_errors(caplog) == []

    await _replay(hass, freezer, plan_batches(after))
    assert _counts(hass)["reps_this_set"] == "6"
    assert _counts(hass)["total_reps"] == "6"


async def test_persistent_garbage_raises_a_repair_issue(
    hass: HomeAssistant, mocked_bench: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    """A topic that carries nothing but garbage gets a repair issue; one warning in the log;
    the first usable payload clears the issue."""
    garbage = [p for p in hypothesis_examples(hostile_payloads, 400) if _undecodable(p)]
    assert len(garbage) > INVALID_PAYLOAD_ISSUE_AFTER
    issues = ir.async_get(hass)
    issue_id = f"{ISSUE_INVALID_PAYLOADS}_{mocked_bench.entry_id}"
    for index, payload in enumerate(garbage[: INVALID_PAYLOAD_ISSUE_AFTER + 5]):
        async_fire_mqtt_message(hass, TOPIC, payload)
        await hass.async_block_till_done()
        raised = issues.async_get_issue(DOMAIN, issue_id) is not None
        assert raised == (index + 1 >= INVALID_PAYLOAD_ISSUE_AFTER)
    warnings = [r for r in caplog.records if "unusable payload" in r.getMessage()]
    assert len([r for r in warnings if r.levelname == "WARNING"]) == 1
    assert _no_errors(caplog) == []

    async_fire_mqtt_message(hass, TOPIC, json.dumps([{"d": 600.0, "status": 0}]))
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, issue_id) is None


def _shifted_clock(readings: Sequence[SimReading], *, device_ms: int, seq: int) -> list[SimReading]:
    """The same readings with the device clock and sequence number restarted at new values."""
    first = readings[0]
    return [
        replace(r, device_ms=device_ms + r.device_ms - first.device_ms, seq=seq + r.seq - first.seq)
        for r in readings
    ]


@pytest.mark.parametrize(
    ("device_ms", "seq", "what"),
    [
        (0, 0, "device rebooted: clock and sequence from zero"),
        (2_000, 50_000, "device clock stepped back 10 s, sequence ran on"),
        (600_000, 0, "clock jumped ahead 10 min, sequence reset"),
    ],
)
async def test_device_clock_reset_mid_set(
    hass: HomeAssistant,
    mocked_bench: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    device_ms: int,
    seq: int,
    what: str,
) -> None:
    """Device time going backwards (or jumping) mid-set loses and duplicates no rep."""
    before, after = _two_parts()
    after = _shifted_clock(after, device_ms=device_ms, seq=seq)
    await _replay(hass, freezer, plan_batches(before))
    await _replay(hass, freezer, plan_batches(after))
    engine = mocked_bench.runtime_data.engine
    print(f"\n{what}: clock resets {engine.clock.resets}, counters {engine.counters}")
    assert _counts(hass)["total_reps"] == "6"
    assert _counts(hass)["reps_this_set"] == "6"
    assert _no_errors(caplog) == []


# --- the same through the real broker --------------------------------------------------------


@pytest.fixture
def mosquitto_extra_config() -> tuple[str, ...]:
    """Let 10 MB messages through (Mosquitto's own default has no lower limit; say it)."""
    return ("message_size_limit 0",)


@pytest.mark.e2e
async def test_hostile_payloads_through_the_broker(
    home: Home, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Hostile payloads over a real connection, 10 MB included: Home Assistant stays connected,
    logs no error, counts stay; the reps that follow are counted."""
    bench: Bench = await home.add_bench()
    emulator.connect()
    before, after = _two_parts()
    await emulator.send(before)
    await bench.wait_for_payloads(len(emulator.sent))
    # Rep counts only: garbage carries no usable readings, so at SPEED the sensor soon counts as
    # silent and the open set may close for that (sensor_lost); a decodable absurd distance reads
    # as out of range, i.e. nobody on the bench (left_bench). Either way its reps are kept.
    counts = {key: bench.value(key) for key in ("total_reps", "left_reps", "right_reps")}

    hostile = [*hypothesis_examples(hostile_payloads, 40), *FIXED_HOSTILE]
    hostile_started = time.monotonic()
    await asyncio.to_thread(publish_raw, emulator.broker, TOPIC, hostile)
    await bench.wait_for_payloads(len(emulator.sent) + len(hostile))
    # A real sensor's clock runs on while Home Assistant digests 20 MB of garbage (longer on
    # some releases); the emulator's paused, so move it on by that time.
    paused_ms = round((time.monotonic() - hostile_started) * emulator.speed * 1000)
    after = _shifted_clock(after, device_ms=after[0].device_ms + paused_ms, seq=after[0].seq)
    assert {key: bench.value(key) for key in counts} == counts
    closed = [e.data for e in bench.events if e.data["type"] == "set_completed"]
    assert all(c["reason"] in {"sensor_lost", "left_bench"} and c["reps"] == 3 for c in closed), [
        (c["reason"], c["reps"]) for c in closed
    ]
    assert _no_errors(caplog) == []
    assert mqtt.is_connected(home.hass)

    await emulator.send(after)
    await bench.wait_for_payloads(len(emulator.sent) + len(hostile))
    assert bench.value("total_reps") == "6"
