"""What a sensor tells about itself: sensor ids and the first payload on a topic."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import (
    async_fire_mqtt_message,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import MqttMockHAClient, MqttMockPahoClient

from custom_components.rep_coach.discovery import TopicProbe, sensor_id_for_topic


@pytest.mark.parametrize(
    ("topic", "sensor_id"),
    [
        ("rep_coach/bench_a1b2c3/samples", "bench_a1b2c3"),
        ("hip-bench/sensor/hip_distance/state", "hip_bench_sensor_hip_distance_state"),
        ("rep_coach/Bench/samples", "rep_coach_bench_samples"),
    ],
)
def test_sensor_id_for_topic(topic: str, sensor_id: str) -> None:
    """Our firmware's topics give its id; any other topic gives a stable slug."""
    assert sensor_id_for_topic(topic) == sensor_id


async def test_probe_returns_first_payload(
    hass: HomeAssistant,
    mqtt_mock: MqttMockHAClient,
    mqtt_client_mock: MqttMockPahoClient,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The first payload wins and the probe unsubscribes afterwards."""
    probe = TopicProbe(hass, "bench/state")
    await probe.async_subscribe()
    async_fire_mqtt_message(hass, "bench/state", b"0.43")
    async_fire_mqtt_message(hass, "bench/state", b"0.44")
    assert await probe.async_first_payload(10) == b"0.43"
    freezer.tick(timedelta(seconds=5))  # past the MQTT client's unsubscribe debounce
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    mqtt_client_mock.unsubscribe.assert_called_once_with(["bench/state"])


async def test_probe_times_out(hass: HomeAssistant, mqtt_mock: MqttMockHAClient) -> None:
    """Nothing on the topic: None after the wait."""
    probe = TopicProbe(hass, "bench/state")
    await probe.async_subscribe()
    assert await probe.async_first_payload(0) is None
