"""Services: targets, validation errors and responses."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.const import ATTR_CONFIG_ENTRY_ID, ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.rep_coach.const import DOMAIN, EVENT_REP_COACH

from .conftest import entry_device, state_of

ENTITY = "hip_thrust_bench"


def _device_id(device_registry: dr.DeviceRegistry, entry: MockConfigEntry) -> str:
    return entry_device(device_registry, entry).id


async def _call(
    hass: HomeAssistant, service: str, data: dict[str, Any], *, response: bool = False
) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=response
    )


async def test_session_services_by_device(
    hass: HomeAssistant, init_integration: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """Start on a side, count, correct, end, and read the summary back."""
    target = {ATTR_DEVICE_ID: _device_id(device_registry, init_integration)}
    bus = async_capture_events(hass, EVENT_REP_COACH)

    await _call(hass, "start_session", {**target, "side": "right"})
    assert state_of(hass, f"sensor.{ENTITY}_current_side").state == "right"
    assert state_of(hass, f"binary_sensor.{ENTITY}_in_set").state == "on"
    assert {"session_reset", "side_switched", "set_started"} <= {
        event.data["type"] for event in bus
    }

    await _call(hass, "adjust_reps", {**target, "delta": 3})
    assert state_of(hass, f"sensor.{ENTITY}_reps_this_set").state == "3"

    summary = await _call(hass, "end_session", target, response=True)
    assert state_of(hass, f"binary_sensor.{ENTITY}_in_set").state == "off"
    assert summary == init_integration.runtime_data.engine.summary()
    assert summary["sides"]["right"]["reps"] == 3
    assert [item["side"] for item in summary["sets"]] == ["right"]

    # Ending again with nothing running is harmless.
    assert await _call(hass, "end_session", target) is None

    again = await _call(hass, "get_session_summary", target, response=True)
    assert again == summary


async def test_switch_side_and_calibrate_by_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Target by config entry; switch to a named side or to the other one."""
    target = {ATTR_CONFIG_ENTRY_ID: init_integration.entry_id}
    await _call(hass, "switch_side", target)
    assert state_of(hass, f"sensor.{ENTITY}_current_side").state == "right"
    await _call(hass, "switch_side", {**target, "side": "left"})
    assert state_of(hass, f"sensor.{ENTITY}_current_side").state == "left"
    await _call(hass, "start_session", {**target, "side": "left"})
    assert state_of(hass, f"sensor.{ENTITY}_current_side").state == "left"
    await _call(hass, "calibrate", {**target, "step": "auto"})
    assert init_integration.runtime_data.engine.state.calibration is None


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({ATTR_DEVICE_ID: "nope"}, "device_not_found"),
        ({ATTR_CONFIG_ENTRY_ID: "nope"}, "entry_not_found"),
        ({ATTR_CONFIG_ENTRY_ID: "{other}"}, "entry_not_found"),
        ({ATTR_CONFIG_ENTRY_ID: "{unloaded}"}, "entry_not_loaded"),
    ],
)
async def test_bad_targets(
    hass: HomeAssistant, init_integration: MockConfigEntry, data: dict[str, str], key: str
) -> None:
    """Unknown devices, foreign or unloaded entries give translated errors."""
    other = MockConfigEntry(domain="other")
    other.add_to_hass(hass)
    unloaded = MockConfigEntry(domain=DOMAIN, unique_id="unloaded")
    unloaded.add_to_hass(hass)
    data = {k: v.format(other=other.entry_id, unloaded=unloaded.entry_id) for k, v in data.items()}
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "get_session_summary", data, response=True)
    assert err.value.translation_key == key
    assert err.value.translation_domain == DOMAIN


async def test_device_of_other_integration(
    hass: HomeAssistant, init_integration: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """A device that is not a Rep Coach sensor is refused."""
    other = MockConfigEntry(domain="other")
    other.add_to_hass(hass)
    device = device_registry.async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other", "x")}
    )
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "switch_side", {ATTR_DEVICE_ID: device.id})
    assert err.value.translation_key == "device_not_found"


async def test_adjust_by_zero_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Adjusting by nothing is a mistake worth telling."""
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass, "adjust_reps", {ATTR_CONFIG_ENTRY_ID: init_integration.entry_id, "delta": 0}
        )
    assert err.value.translation_key == "delta_zero"


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("switch_side", {}),
        ("switch_side", {"side": "middle"}),
        ("adjust_reps", {"delta": 99}),
        ("calibrate", {"step": "sideways"}),
    ],
)
async def test_schema_errors(
    hass: HomeAssistant, init_integration: MockConfigEntry, service: str, data: dict[str, Any]
) -> None:
    """Missing targets and out-of-range values never reach the engine."""
    import voluptuous as vol

    target = {ATTR_CONFIG_ENTRY_ID: init_integration.entry_id} if data else {}
    with pytest.raises(vol.Invalid):
        await _call(hass, service, {**target, **data})
