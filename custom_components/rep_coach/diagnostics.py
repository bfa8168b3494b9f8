"""Diagnostics for a config entry and its device; topics and ids are redacted."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.device_registry import DeviceEntry

from .const import CONF_AVAILABILITY_TOPIC, CONF_SENSOR_ID, CONF_STATE_TOPIC
from .coordinator import RepCoachConfigEntry

# Sensor ids are derived from the ESP32's MAC address and appear in every topic.
TO_REDACT = {CONF_SENSOR_ID, CONF_STATE_TOPIC, CONF_AVAILABILITY_TOPIC, CONF_NAME, "title"}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: RepCoachConfigEntry
) -> dict[str, Any]:
    """Entry data, options, stream health and the engine's internals."""
    coordinator = entry.runtime_data
    return {
        "entry": async_redact_data(
            {"title": entry.title, "data": dict(entry.data), "options": dict(entry.options)},
            TO_REDACT,
        ),
        "available": coordinator.data.available,
        "stream": coordinator.health.as_dict(),
        "rate_limit": coordinator.rate_limit.as_dict(),
        "engine": coordinator.engine.diagnostics(),
    }


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: RepCoachConfigEntry, device: DeviceEntry
) -> dict[str, Any]:
    """The device is the entry's only device: the same picture."""
    return await async_get_config_entry_diagnostics(hass, entry)
