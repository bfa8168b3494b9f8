"""Set-up, unload, removal and MQTT readiness."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.loader import async_get_integration
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import MqttMockHAClient

from custom_components.rep_coach.const import DOMAIN

from .conftest import STATE_TOPIC, STATUS_TOPIC, entry_device


async def test_setup_and_unload(
    hass: HomeAssistant,
    mqtt_mock: MqttMockHAClient,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """One device per entry; unloading drops the subscriptions."""
    entry = init_integration
    states = [entry.state]
    device = entry_device(device_registry, entry)
    assert (device.name, device.model, device.sw_version) == (
        "Hip thrust bench",
        "VL53L1X",
        "1.0.0",
    )
    subscribed = {call.args[0] for call in mqtt_mock.async_subscribe.call_args_list}
    assert {STATE_TOPIC, STATUS_TOPIC} <= subscribed

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    states.append(entry.state)
    assert states == [ConfigEntryState.LOADED, ConfigEntryState.NOT_LOADED]


async def test_mqtt_not_ready(hass: HomeAssistant, mock_config_entry: MockConfigEntry) -> None:
    """Without the MQTT client the entry retries later."""
    mock_config_entry.add_to_hass(hass)
    with patch(
        "custom_components.rep_coach.integration.mqtt.async_wait_for_mqtt_client",
        return_value=False,
    ):
        await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_remove_entry_forgets_session(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    """Removing the entry deletes its saved session."""
    key = f"{DOMAIN}.{init_integration.entry_id}"
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    assert key in hass_storage
    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage


@pytest.mark.parametrize("payload", [b"\xff\xfe", b"{not json", b'[{"d": "far"}]', b""])
async def test_bad_payloads_never_crash(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    payload: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Garbage on the topic gives one clear log line and changes nothing."""
    from pytest_homeassistant_custom_component.common import async_fire_mqtt_message

    async_fire_mqtt_message(hass, STATE_TOPIC, payload)
    async_fire_mqtt_message(hass, STATE_TOPIC, payload)
    await hass.async_block_till_done()
    assert caplog.text.count("unusable payload on") == 1
    assert init_integration.runtime_data.health.rejected_payloads == 2


PACKAGE = Path(__file__).resolve().parents[2] / "custom_components" / DOMAIN
# Data files Home Assistant (or HACS, the served card, the blueprint installer) reads besides the
# Python modules.
DATA_FILES = ("manifest.json", "icons.json", "services.yaml", "quality_scale.yaml")
DATA_DIRS = {"translations": ".json", "brand": ".png", "www": ".js", "blueprints": ".yaml"}


# Platforms Home Assistant imports on demand rather than at set-up.
ON_DEMAND_PLATFORMS = ("device_trigger", "diagnostics", "logbook")


async def test_hacs_payload_holds_only_what_home_assistant_loads(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Every module HACS installs is imported by a running entry (or by Home Assistant on
    demand); no tool, simulator or benchmark rides along."""
    integration = await async_get_integration(hass, DOMAIN)
    for platform in ON_DEMAND_PLATFORMS:
        await integration.async_get_platform(platform)
    modules = {
        ".".join(path.relative_to(PACKAGE.parents[1]).with_suffix("").parts).removesuffix(
            ".__init__"
        )
        for path in PACKAGE.rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert modules - set(sys.modules) == set()
    for path in PACKAGE.rglob("*"):
        if path.is_dir() or "__pycache__" in path.parts or path.suffix == ".py":
            continue
        relative = path.relative_to(PACKAGE)
        if len(relative.parts) == 1:
            assert relative.name in DATA_FILES, relative
        else:
            assert DATA_DIRS.get(relative.parts[0]) == path.suffix, relative


IN_HOME_ASSISTANT = """
import subprocess
import sys
import homeassistant.core
import custom_components.rep_coach as package
print("custom_components.rep_coach.integration" in sys.modules, "async_setup_entry" in vars(package))
"""


def test_inside_home_assistant_the_entry_points_come_with_the_package() -> None:
    """Home Assistant imports the package in its import executor: the entry points (and the
    glue and engine they import) must come with it, or they would be imported later, inside
    the event loop, when Home Assistant first asks for ``async_setup_entry`` (logged as a
    blocking call). A fresh interpreter, since this one has imported everything already."""
    result = subprocess.run(
        [sys.executable, "-c", IN_HOME_ASSISTANT],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE.parents[1],
        timeout=120,
    )
    assert result.stdout.split() == ["True", "True"]
