"""What an entry update does, by path (one model: Home Assistant 2026.12 refuses an update
listener next to flows that reload): options apply live; reconfigure and a changed announcement
update the entry, and the update listener reloads it; an unchanged announcement changes nothing."""

from __future__ import annotations

import json
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_MQTT, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.service_info.mqtt import MqttServiceInfo
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_mqtt_message

from custom_components.rep_coach.const import CONF_STATE_TOPIC, DOMAIN
from custom_components.rep_coach.engine import EngineSettings, Program
from custom_components.rep_coach.options import options_from_settings

from .conftest import ANNOUNCEMENT, SENSOR_ID, STATE_TOPIC, entry_device

NEW_TOPIC = "rep_coach/bench_moved/samples"


def _announced(**changes: object) -> MqttServiceInfo:
    return MqttServiceInfo(
        topic=f"rep_coach/discovery/{SENSOR_ID}",
        payload=json.dumps({**ANNOUNCEMENT, **changes}),
        qos=0,
        retain=True,
        subscribed_topic="rep_coach/discovery/#",
        timestamp=0.0,
    )


async def test_options_flow_applies_live_without_reload(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Saving the options hands them to the running engine; the runtime (and the set in
    progress) stays."""
    runtime = init_integration.runtime_data
    options = options_from_settings(EngineSettings(program=Program.CUSTOM, rest_s=30.0))
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(result["flow_id"], options)
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.runtime_data is runtime
    assert runtime.engine.settings.rest_s == 30.0


async def test_reconfigure_reloads_onto_the_new_topic(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Reconfigure only updates the entry; the update listener reloads it, and the new runtime
    reads the new topic and no longer the old one."""
    old_runtime = init_integration.runtime_data
    result = await init_integration.start_reconfigure_flow(hass)
    with patch(
        "custom_components.rep_coach.config_flow.TopicProbe.async_first_payload",
        return_value=b'[{"d": 412.0, "t": 1, "seq": 1, "status": 0}]',
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_STATE_TOPIC: NEW_TOPIC}
        )
    await hass.async_block_till_done()
    assert result["reason"] == "reconfigure_successful"
    assert init_integration.state is ConfigEntryState.LOADED
    runtime = init_integration.runtime_data
    assert runtime is not old_runtime
    assert init_integration.data[CONF_STATE_TOPIC] == NEW_TOPIC

    async_fire_mqtt_message(hass, STATE_TOPIC, '[{"d": 400.0, "t": 2, "seq": 2, "status": 0}]')
    await hass.async_block_till_done()
    assert runtime.engine.counters.payloads == 0
    async_fire_mqtt_message(hass, NEW_TOPIC, '[{"d": 400.0, "t": 2, "seq": 2, "status": 0}]')
    await hass.async_block_till_done()
    assert runtime.engine.counters.payloads == 1


async def test_changed_announcement_reloads_with_the_new_data(
    hass: HomeAssistant, init_integration: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """A known sensor announcing new firmware: the entry is updated, then reloaded by its
    listener, so the device shows the new version."""
    old_runtime = init_integration.runtime_data
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_MQTT}, data=_announced(sw_version="1.1.0")
    )
    await hass.async_block_till_done()
    assert result["reason"] == "already_configured"
    assert init_integration.runtime_data is not old_runtime
    assert init_integration.state is ConfigEntryState.LOADED
    assert entry_device(device_registry, init_integration).sw_version == "1.1.0"


async def test_unchanged_announcement_changes_nothing(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The retained announcement seen again (every Home Assistant start): no reload."""
    runtime = init_integration.runtime_data
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_MQTT}, data=_announced()
    )
    await hass.async_block_till_done()
    assert result["reason"] == "already_configured"
    assert init_integration.runtime_data is runtime
