"""Device triggers, through a real automation."""

from __future__ import annotations

import pytest
from homeassistant.components.automation.const import DOMAIN as AUTOMATION_DOMAIN
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automations,
)

from custom_components.rep_coach.const import DOMAIN
from custom_components.rep_coach.device_trigger import TRIGGER_TYPES

from .conftest import entry_device


def _device_id(device_registry: dr.DeviceRegistry, entry: MockConfigEntry) -> str:
    return entry_device(device_registry, entry).id


async def test_get_triggers(
    hass: HomeAssistant, init_integration: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """The automation editor offers every trigger type for the bench."""
    device_id = _device_id(device_registry, init_integration)
    triggers = await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, device_id)
    assert {(t["type"], t["device_id"]) for t in triggers if t["domain"] == DOMAIN} == {
        (trigger_type, device_id) for trigger_type in TRIGGER_TYPES
    }


@pytest.mark.parametrize(
    ("trigger_type", "command", "expected"),
    [
        ("side_switched", "switch_side", 1),
        ("set_completed", "start_end", 1),
        ("rep_completed", "switch_side", 0),
        ("target_reached", "reach_target", 1),
        ("set_completed", "reach_target", 0),  # reaching the target does not end the set
    ],
)
async def test_trigger_fires_automation(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    service_calls: list[ServiceCall],
    trigger_type: str,
    command: str,
    expected: int,
) -> None:
    """An automation on a device trigger runs for its own event type only."""
    device_id = _device_id(device_registry, init_integration)
    assert await async_setup_component(
        hass,
        AUTOMATION_DOMAIN,
        {
            AUTOMATION_DOMAIN: [
                {
                    "trigger": {
                        "platform": "device",
                        "domain": DOMAIN,
                        "device_id": device_id,
                        "type": trigger_type,
                    },
                    "action": {
                        "service": "test.automation",
                        "data_template": {"some": "{{ trigger.event.data.type }}"},
                    },
                }
            ]
        },
    )
    coordinator = init_integration.runtime_data
    engine = coordinator.engine
    if command == "switch_side":
        coordinator.async_run(engine.switch_side)
    elif command == "reach_target":
        target = engine.settings.target_reps
        coordinator.async_run(lambda t: engine.start_set(t) + engine.adjust_reps(t, target))
    else:
        coordinator.async_run(
            lambda t: engine.start_set(t) + engine.adjust_reps(t, 1) + engine.end_set(t)
        )
    await hass.async_block_till_done()
    assert [call.data["some"] for call in service_calls] == [trigger_type] * expected
