"""Availability, staleness, retained samples, repair issues and restore across restarts."""

from __future__ import annotations

import inspect
import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.mqtt.const import MQTT_CONNECTION_STATE
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_mqtt_message,
    async_fire_time_changed,
)

from custom_components.rep_coach.const import (
    CALIBRATION_UNSETTLED_ISSUE_AFTER_S,
    CONF_AVAILABILITY_TOPIC,
    DOMAIN,
    INVALID_PAYLOAD_ISSUE_AFTER,
    SILENT_ISSUE_AFTER_S,
    TICK_INTERVAL_S,
)
from custom_components.rep_coach.engine import EngineState, RepEngine

from .conftest import (
    ENTRY_DATA,
    SENSOR_ID,
    STATE_TOPIC,
    STATUS_TOPIC,
    FeedSession,
    state_of,
)

ENTITY = "hip_thrust_bench"
SAMPLE = '[{"d": 412.0, "t": 1000, "seq": 1, "status": 0}]'


async def _stay_silent(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the silence limit pass with the 1 s timer running and no sample arriving."""
    freezer.tick(timedelta(seconds=SILENT_ISSUE_AFTER_S + 1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def _phase(hass: HomeAssistant) -> str:
    return state_of(hass, f"sensor.{ENTITY}_phase").state


async def test_availability_topic(
    hass: HomeAssistant, init_integration: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    """The sensor's last will makes measurements unavailable; settings stay usable."""
    async_fire_mqtt_message(hass, STATUS_TOPIC, "offline")
    async_fire_mqtt_message(hass, STATUS_TOPIC, "offline")
    await hass.async_block_till_done()
    assert _phase(hass) == STATE_UNAVAILABLE
    assert state_of(hass, f"number.{ENTITY}_target_reps").state != STATE_UNAVAILABLE
    assert state_of(hass, f"binary_sensor.{ENTITY}_sensor_problem").state == "on"
    assert caplog.text.count("is unavailable") == 1

    async_fire_mqtt_message(hass, STATUS_TOPIC, "rebooting")
    await hass.async_block_till_done()
    assert "unknown availability payload 'rebooting'" in caplog.text
    assert _phase(hass) == STATE_UNAVAILABLE

    async_fire_mqtt_message(hass, STATUS_TOPIC, "online")
    await hass.async_block_till_done()
    assert _phase(hass) == "away"
    assert state_of(hass, f"binary_sensor.{ENTITY}_sensor_problem").state == "off"
    assert caplog.text.count("is available again") == 1


async def test_broker_connection(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """Losing the broker makes the measurements unavailable until it is back."""
    async_dispatcher_send(hass, MQTT_CONNECTION_STATE, False)
    await hass.async_block_till_done()
    assert _phase(hass) == STATE_UNAVAILABLE
    async_dispatcher_send(hass, MQTT_CONNECTION_STATE, True)
    await hass.async_block_till_done()
    assert _phase(hass) == "away"


async def test_stale_data(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """A sensor that stops sending takes the live states away after the engine's stale time;
    its availability topic still says online, so this is an empty bench, not a problem."""
    async_fire_mqtt_message(hass, STATE_TOPIC, SAMPLE)
    await hass.async_block_till_done()
    assert _phase(hass) != STATE_UNAVAILABLE
    stale_after = init_integration.runtime_data.engine.settings.stale_after_s
    freezer.tick(timedelta(seconds=stale_after + 2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert _phase(hass) == STATE_UNAVAILABLE
    assert state_of(hass, f"binary_sensor.{ENTITY}_holding").state == STATE_UNAVAILABLE
    assert state_of(hass, f"sensor.{ENTITY}_total_reps").state == "0"
    assert state_of(hass, f"binary_sensor.{ENTITY}_sensor_problem").state == "off"

    async_fire_mqtt_message(hass, STATE_TOPIC, SAMPLE.replace('"seq": 1', '"seq": 2'))
    await hass.async_block_till_done()
    assert _phase(hass) != STATE_UNAVAILABLE


SESSION_FIGURES = (
    "sensor.{}_total_reps",
    "sensor.{}_left_reps",
    "sensor.{}_right_reps",
    "sensor.{}_left_sets",
    "sensor.{}_right_sets",
    "sensor.{}_last_hold_time",
    "sensor.{}_last_lowering_time",
    "sensor.{}_reps_this_set",
    "sensor.{}_current_side",
    "event.{}_rep",
    "binary_sensor.{}_in_set",
)


async def test_session_figures_stay_after_the_stream_stops(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    feed_session: FeedSession,
    freezer: FrozenDateTimeFactory,
) -> None:
    """After the workout the dashboard keeps the session: totals, sides, sets and the last
    rep stay available while the sensor is online; phase and holding follow the stream."""
    await feed_session()
    state = init_integration.runtime_data.engine.state
    assert state.total_reps > 0
    shown = {
        pattern.format(ENTITY): state_of(hass, pattern.format(ENTITY)).state
        for pattern in SESSION_FIGURES
    }

    freezer.tick(timedelta(seconds=60))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    assert state_of(hass, f"sensor.{ENTITY}_total_reps").state == str(state.total_reps)
    after = {entity_id: state_of(hass, entity_id).state for entity_id in shown}
    assert STATE_UNAVAILABLE not in after.values(), after
    assert after == {**shown, f"binary_sensor.{ENTITY}_in_set": "off"}
    assert _phase(hass) == STATE_UNAVAILABLE
    assert state_of(hass, f"binary_sensor.{ENTITY}_holding").state == STATE_UNAVAILABLE
    assert state_of(hass, f"binary_sensor.{ENTITY}_sensor_problem").state == "off"

    # The sensor going offline (its last will) is a different story: nothing to show.
    async_fire_mqtt_message(hass, STATUS_TOPIC, "offline")
    await hass.async_block_till_done()
    assert state_of(hass, f"sensor.{ENTITY}_total_reps").state == STATE_UNAVAILABLE
    assert state_of(hass, f"binary_sensor.{ENTITY}_sensor_problem").state == "on"


@pytest.mark.parametrize(
    "mock_config_entry",
    [
        MockConfigEntry(
            domain=DOMAIN,
            title="Hip thrust bench",
            unique_id=SENSOR_ID,
            data={
                key: value for key, value in ENTRY_DATA.items() if key != CONF_AVAILABILITY_TOPIC
            },
        )
    ],
)
async def test_silence_without_availability_topic_is_a_problem(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Without an availability topic nothing vouches for a silent sensor: a sensor problem,
    while the session figures stay."""
    async_fire_mqtt_message(hass, STATE_TOPIC, SAMPLE)
    await hass.async_block_till_done()
    assert state_of(hass, f"binary_sensor.{ENTITY}_sensor_problem").state == "off"

    stale_after = init_integration.runtime_data.engine.settings.stale_after_s
    freezer.tick(timedelta(seconds=stale_after + 2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    assert state_of(hass, f"binary_sensor.{ENTITY}_sensor_problem").state == "on"
    assert _phase(hass) == STATE_UNAVAILABLE
    assert state_of(hass, f"sensor.{ENTITY}_total_reps").state == "0"


async def test_retained_sample_ignored(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A retained sample is history and never reaches the engine."""
    async_fire_mqtt_message(hass, STATE_TOPIC, SAMPLE, retain=True)
    await hass.async_block_till_done()
    assert init_integration.runtime_data.health.payloads == 0


async def test_stream_health_reports_the_engines_own_counts(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The stream is counted once, by the engine; health reads those counts."""
    batch = '[{"d":400,"seq":1},{"d":99999,"seq":2},{"d":410,"seq":2}]'  # the last: a duplicate
    async_fire_mqtt_message(hass, STATE_TOPIC, batch)
    async_fire_mqtt_message(hass, STATE_TOPIC, b"{not json")
    await hass.async_block_till_done()
    runtime = init_integration.runtime_data
    figures = ("payloads", "rejected_payloads", "readings", "invalid_readings")
    assert [runtime.health.as_dict()[key] for key in figures] == [2, 1, 2, 1]
    runtime.engine.feed_payload(b"{not json", runtime.clock())
    assert runtime.health.rejected_payloads == runtime.engine.counters.payload_errors == 2


async def test_a_tick_builds_the_engine_state_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Entities and the calibration issue read the same state, taken once per tick."""
    built: list[EngineState] = []
    state_property: property = vars(RepEngine)["state"]
    state_of_engine = state_property.fget
    assert state_of_engine is not None

    def counted(engine: RepEngine) -> EngineState:
        built.append(state_of_engine(engine))
        return built[-1]

    monkeypatch.setattr(RepEngine, "state", property(counted))
    freezer.tick(timedelta(seconds=TICK_INTERVAL_S))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert len(built) == 1


async def test_invalid_payload_issue(
    hass: HomeAssistant, init_integration: MockConfigEntry, issue_registry: ir.IssueRegistry
) -> None:
    """Only unreadable payloads for a while: a repair issue, gone with the first good one."""
    issue_id = f"invalid_payloads_{init_integration.entry_id}"
    for _ in range(INVALID_PAYLOAD_ISSUE_AFTER - 1):
        async_fire_mqtt_message(hass, STATE_TOPIC, "garbage")
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    async_fire_mqtt_message(hass, STATE_TOPIC, "garbage")
    async_fire_mqtt_message(hass, STATE_TOPIC, "garbage")
    await hass.async_block_till_done()
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "invalid_payloads"
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["topic"] == STATE_TOPIC

    async_fire_mqtt_message(hass, STATE_TOPIC, SAMPLE)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_silent_sensor_issue(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An online sensor that sends nothing for long raises an issue; data clears it."""
    issue_id = f"sensor_silent_{init_integration.entry_id}"
    await _stay_silent(hass, freezer)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    async_fire_mqtt_message(hass, STATE_TOPIC, SAMPLE)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_offline_sensor_is_not_silent(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A sensor reported offline is expected to be quiet."""
    async_fire_mqtt_message(hass, STATUS_TOPIC, "offline")
    await _stay_silent(hass, freezer)
    assert (
        issue_registry.async_get_issue(DOMAIN, f"sensor_silent_{init_integration.entry_id}") is None
    )


async def test_session_survives_restart(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    """Counters, side and set are saved on unload and restored on the next set-up."""
    coordinator = init_integration.runtime_data
    engine = coordinator.engine
    coordinator.async_run(
        lambda t: engine.switch_side(t) + engine.start_set(t) + engine.adjust_reps(t, 4)
    )
    await hass.async_block_till_done()
    assert state_of(hass, f"sensor.{ENTITY}_reps_this_set").state == "4"

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert f"{DOMAIN}.{init_integration.entry_id}" in hass_storage

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()
    assert state_of(hass, f"sensor.{ENTITY}_reps_this_set").state == "4"
    assert state_of(hass, f"sensor.{ENTITY}_current_side").state == "right"
    assert state_of(hass, f"binary_sensor.{ENTITY}_in_set").state == "on"


async def test_events_are_saved_after_a_delay(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Engine events schedule a debounced save, so a crash loses seconds, not the session."""
    key = f"{DOMAIN}.{init_integration.entry_id}"
    coordinator = init_integration.runtime_data
    coordinator.async_run(coordinator.engine.switch_side)
    assert key not in hass_storage
    freezer.tick(timedelta(seconds=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass_storage[key]["data"] == coordinator.engine.export_state()


async def test_rest_ends_at_is_a_timestamp(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The rest timer shows when rest ends, converted once from engine time."""
    coordinator = init_integration.runtime_data
    engine = coordinator.engine
    coordinator.async_run(
        lambda t: engine.start_set(t) + engine.adjust_reps(t, 1) + engine.end_set(t)
    )
    await hass.async_block_till_done()
    rest_ends_t = engine.state.rest_ends_t
    assert rest_ends_t is not None
    expected = coordinator.engine_time_to_datetime(rest_ends_t)
    shown = dt_util.parse_datetime(state_of(hass, f"sensor.{ENTITY}_rest_ends_at").state)
    assert shown is not None
    assert shown == expected.replace(microsecond=0)  # timestamp states are whole seconds
    assert state_of(hass, f"binary_sensor.{ENTITY}_resting").state == "on"


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_pending_hip_position_write_dropped_on_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry, feed_session: FeedSession
) -> None:
    """Unloading mid-throttle leaves no timer behind (the test harness checks lingering timers)."""
    await feed_session(limit_s=12.0)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()


async def test_session_written_when_home_assistant_stops(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    """A pending save is written at Home Assistant's final write, before the delay is up."""
    key = f"{DOMAIN}.{init_integration.entry_id}"
    coordinator = init_integration.runtime_data
    coordinator.async_run(coordinator.engine.switch_side)
    assert key not in hass_storage
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert hass_storage[key]["data"] == coordinator.engine.export_state()


async def test_only_invalid_readings_issue(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Decodable payloads whose readings are all failures count as unusable too."""
    issue_id = f"invalid_payloads_{init_integration.entry_id}"
    for seq in range(INVALID_PAYLOAD_ISSUE_AFTER + 30):
        freezer.tick(timedelta(seconds=0.1))
        reading = {"d": 3.0, "t": 1000 + 100 * seq, "seq": seq, "status": 4}
        async_fire_mqtt_message(hass, STATE_TOPIC, json.dumps([reading]))
    await hass.async_block_till_done()
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["error"] == "only invalid readings"
    assert state_of(hass, f"binary_sensor.{ENTITY}_sensor_problem").state == "on"


async def test_last_will_mid_set_closes_the_set_at_once(
    hass: HomeAssistant, init_integration: MockConfigEntry, feed_session: FeedSession
) -> None:
    """The sensor's last will ends the running set right away (not after the silence limit)."""
    await feed_session(limit_s=30.0)
    coordinator = init_integration.runtime_data
    state = coordinator.engine.state
    assert state.in_set
    reps = state.reps_this_set
    assert reps > 0
    events = async_capture_events(hass, "rep_coach_event")
    async_fire_mqtt_message(hass, STATUS_TOPIC, "offline")
    await hass.async_block_till_done()
    ended = [e.data for e in events if e.data["type"] == "set_completed"]
    assert [(e["reason"], e["reps"]) for e in ended] == [("sensor_lost", reps)]
    assert not coordinator.engine.state.in_set
    assert coordinator.engine.state.left.reps + coordinator.engine.state.right.reps >= reps


async def test_calibration_that_cannot_settle_raises_an_issue(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Relearning for minutes without settling asks the user; settling clears the issue."""
    issue_id = f"calibration_unsettled_{init_integration.entry_id}"
    coordinator = init_integration.runtime_data
    real_state: property = inspect.getattr_static(RepEngine, "state")
    since: list[float | None] = [coordinator.clock()]

    def relearning(engine: RepEngine) -> EngineState:
        state: EngineState = real_state.__get__(engine)
        return replace(state, recalibrating_since_t=since[0])

    monkeypatch.setattr(RepEngine, "state", property(relearning))
    for seconds in (CALIBRATION_UNSETTLED_ISSUE_AFTER_S - 5, 10):
        freezer.tick(timedelta(seconds=seconds))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
        raised = issue_registry.async_get_issue(DOMAIN, issue_id) is not None
        assert raised is (seconds == 10)
    since[0] = None
    freezer.tick(timedelta(seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
