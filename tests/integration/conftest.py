"""Fixtures for the integration tests: a real Home Assistant with a mocked MQTT broker."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from pathlib import Path
from typing import Any
from unittest.mock import PropertyMock, patch

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_mqtt_message,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import MqttMockHAClient

from custom_components.rep_coach.const import (
    CONF_AVAILABILITY_TOPIC,
    CONF_MANUFACTURER,
    CONF_MODEL,
    CONF_PAYLOAD_AVAILABLE,
    CONF_PAYLOAD_FORMAT,
    CONF_PAYLOAD_NOT_AVAILABLE,
    CONF_SENSOR_ID,
    CONF_STATE_TOPIC,
    CONF_SW_VERSION,
    DOMAIN,
)
from custom_components.rep_coach.engine.protocol import (
    SensorAnnouncement,
    samples_topic,
    status_topic,
)
from rep_coach_tools.batches import encode_readings
from rep_coach_tools.simulator import simulate_session
from tests.hass_fixtures import (  # noqa: F401 - pytest finds fixtures by their name here
    auto_enable_custom_integrations,
    own_config_dir,
)

SENSOR_ID = "bench_a1b2c3"
STATE_TOPIC = samples_topic(SENSOR_ID)
STATUS_TOPIC = status_topic(SENSOR_ID)
ANNOUNCEMENT: dict[str, Any] = SensorAnnouncement.for_sensor(SENSOR_ID).payload()
ENTRY_DATA: dict[str, Any] = {
    CONF_SENSOR_ID: SENSOR_ID,
    CONF_STATE_TOPIC: STATE_TOPIC,
    CONF_AVAILABILITY_TOPIC: STATUS_TOPIC,
    CONF_PAYLOAD_AVAILABLE: "online",
    CONF_PAYLOAD_NOT_AVAILABLE: "offline",
    CONF_PAYLOAD_FORMAT: "json_batch",
    CONF_MODEL: "VL53L1X",
    CONF_MANUFACTURER: "Rep Coach",
    CONF_SW_VERSION: "1.0.0",
}
SESSION_SEED = 7
SESSION_RATE_HZ = 10.0
BATCH = 5

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

type FeedSession = Callable[..., Awaitable[int]]
type Replay = Callable[[list[tuple[float, str]]], Awaitable[int]]


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Enable the entities that are disabled by default (as Home Assistant core's fixture does)."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


@pytest.fixture
def mock_setup_entry() -> Generator[None]:
    """Keep config flow tests from setting the entry up."""
    with patch("custom_components.rep_coach.async_setup_entry", return_value=True):
        yield


@pytest.fixture
def mock_config_entry() -> MockConfigEntry:
    """A bench sensor's config entry, as discovery creates it."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Hip thrust bench",
        unique_id=SENSOR_ID,
        data=dict(ENTRY_DATA),
        entry_id="01JREPCOACHENTRY0000000000",
    )


@pytest.fixture
def platforms() -> list[str] | None:
    """Platforms to set up (None: all of them)."""
    return None


@pytest.fixture
async def init_integration(
    hass: HomeAssistant,
    mqtt_mock: MqttMockHAClient,
    mock_config_entry: MockConfigEntry,
    platforms: list[str] | None,
) -> AsyncGenerator[MockConfigEntry]:
    """The integration set up with a live, online sensor."""
    mock_config_entry.add_to_hass(hass)
    if platforms is None:
        assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
        yield mock_config_entry
        return
    with patch("custom_components.rep_coach.integration.PLATFORMS", platforms):
        assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
        yield mock_config_entry


def entry_device(device_registry: dr.DeviceRegistry, entry: ConfigEntry) -> dr.DeviceEntry:
    """The one device of a Rep Coach entry."""
    devices = dr.async_entries_for_config_entry(device_registry, entry.entry_id)
    assert len(devices) == 1, devices
    return devices[0]


def state_of(hass: HomeAssistant, entity_id: str) -> State:
    """The current state of an entity that must exist."""
    state = hass.states.get(entity_id)
    assert state is not None, f"{entity_id} has no state"
    return state


def simulated_messages(
    seed: int = SESSION_SEED, rate_hz: float = SESSION_RATE_HZ, limit_s: float | None = None
) -> list[tuple[float, str]]:
    """(arrival time, payload) of a seeded simulated session, batched as the firmware does."""
    session = simulate_session(seed, rate_hz=rate_hz)
    readings = [r for r in session.readings if limit_s is None or r.arrival_t <= limit_s]
    return [
        (
            readings[start : start + BATCH][-1].arrival_t,
            encode_readings(readings[start : start + BATCH]),
        )
        for start in range(0, len(readings), BATCH)
    ]


def recorded_messages(name: str = "session") -> list[tuple[float, str]]:
    """(arrival time, payload) of a recorded session under tests/fixtures (JSON lines)."""
    lines = (FIXTURES / f"{name}.jsonl").read_text().splitlines()
    return [(float(item["t"]), str(item["payload"])) for item in map(json.loads, lines)]


@pytest.fixture
def replay(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> Replay:
    """Publish messages on the sensor topic at their arrival times; returns how many were sent.

    Time moves to each message's arrival and Home Assistant's timers (the 1 s tick) fire as it goes.
    """

    async def _replay(messages: list[tuple[float, str]]) -> int:
        elapsed = 0.0
        for arrival, payload in messages:
            if arrival > elapsed:
                freezer.tick(arrival - elapsed)
                elapsed = arrival
                async_fire_time_changed(hass)
            async_fire_mqtt_message(hass, STATE_TOPIC, payload)
            await hass.async_block_till_done()
        return len(messages)

    return _replay


@pytest.fixture
def feed_session(replay: Replay) -> FeedSession:
    """Replay a seeded simulated session as the firmware would publish it; returns messages sent."""

    async def _feed(
        seed: int = SESSION_SEED, rate_hz: float = SESSION_RATE_HZ, limit_s: float | None = None
    ) -> int:
        return await replay(simulated_messages(seed, rate_hz, limit_s))

    return _feed
