"""All three blueprints on the real integration, fed a simulated session over (mocked) MQTT.

The lifter of the seeded session does known sets and reps; what the announcer says, what the
light does and the rest timer's runs must follow exactly.
"""

from __future__ import annotations

from collections import Counter

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_mqtt_message,
    async_fire_time_changed,
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import MqttMockHAClient

from custom_components.rep_coach.const import DOMAIN, EVENT_REP_COACH
from rep_coach_tools.simulator import simulate_session
from tests.integration.conftest import (
    ENTRY_DATA,
    SENSOR_ID,
    SESSION_RATE_HZ,
    SESSION_SEED,
    STATE_TOPIC,
    entry_device,
    simulated_messages,
)

from .conftest import UseBlueprints, async_settle

NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
NUMBER_WORDS += ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen"]


@pytest.fixture
async def bench_device(
    hass: HomeAssistant, mqtt_mock: MqttMockHAClient, device_registry: dr.DeviceRegistry
) -> dr.DeviceEntry:
    """The integration set up for the bench, with the program the simulated lifter follows."""
    settings = simulate_session(SESSION_SEED, rate_hz=SESSION_RATE_HZ).truth["settings"]
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Hip thrust bench",
        unique_id=SENSOR_ID,
        data=dict(ENTRY_DATA),
        options={"program": settings["program"], "variation": settings["variation"]},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    device = entry_device(device_registry, entry)
    return device


async def feed_session(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Publish the seeded session batch by batch, moving time to each batch's arrival."""
    elapsed = 0.0
    for arrival, payload in simulated_messages():
        if arrival > elapsed:
            freezer.tick(arrival - elapsed)
            elapsed = arrival
            async_fire_time_changed(hass)
        async_fire_mqtt_message(hass, STATE_TOPIC, payload)
        await async_settle(hass)
    # Let the last rest run out.
    for _ in range(180):
        freezer.tick(1)
        async_fire_time_changed(hass)
        await async_settle(hass)


async def test_blueprints_follow_a_real_session(
    hass: HomeAssistant,
    bench_device: dr.DeviceEntry,
    use_blueprints: UseBlueprints,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Every rep is counted out loud per set, the light cues each hold reached, rests are timed.

    (The countdown is switched off so that its "three, two, one" cannot mix with rep counts.)
    """
    speak = async_mock_service(hass, "tts", "speak")
    light_on = async_mock_service(hass, "light", "turn_on")
    async_mock_service(hass, "light", "turn_off")
    assert await async_setup_component(hass, "timer", {"timer": {"rest": {}}})
    voice = {"tts_entity": "tts.piper", "media_player": "media_player.gym_speaker"}
    await use_blueprints(
        {
            "announce_reps.yaml": {"bench": bench_device.id, **voice},
            "hold_light_cue.yaml": {
                "bench": bench_device.id,
                "light_target": {"entity_id": "light.bench_strip"},
            },
            "rest_timer.yaml": {
                "bench": bench_device.id,
                "rest_timer": "timer.rest",
                "warning_seconds": 0,
                "countdown_from": 0,
                **voice,
            },
        }
    )
    truth = simulate_session(SESSION_SEED, rate_hz=SESSION_RATE_HZ).truth
    events = async_capture_events(hass, EVENT_REP_COACH)
    timer_starts = 0

    @callback
    def count_timer_start(event: Event[EventStateChangedData]) -> None:
        nonlocal timer_starts
        old, new = event.data["old_state"], event.data["new_state"]
        if new is not None and new.state == "active" and (old is None or old.state != "active"):
            timer_starts += 1

    async_track_state_change_event(hass, "timer.rest", count_timer_start)

    await feed_session(hass, freezer)

    said: list[str] = [call.data["message"] for call in speak]
    bus = Counter(
        "rest_finished_early" if event.data.get("interrupted") else event.data["type"]
        for event in events
    )
    reps = [s["reps"] for s in truth["sets"]]
    assert [word for word in said if word in NUMBER_WORDS] == [
        NUMBER_WORDS[rep] for count in reps for rep in range(1, count + 1)
    ]
    assert [message for message in said if message.startswith("Set done")] == [
        f"Set done, {count} reps" for count in reps
    ]
    assert sum(message.startswith("Switch to the") for message in said) == bus["side_switched"]
    assert sum(message.startswith("Go!") for message in said) == bus["rest_finished"]
    assert timer_starts == bus["rest_started"] > 0
    assert hass.states.get("timer.rest").state == "idle"  # type: ignore[union-attr]
    holds = [call for call in light_on if call.data["rgb_color"] == [0, 200, 83]]
    assert len(holds) == bus["hold_reached"] > 0
