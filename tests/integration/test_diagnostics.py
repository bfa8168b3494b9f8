"""Diagnostics: entry and device, with identifying data redacted."""

from __future__ import annotations

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
    get_diagnostics_for_device,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from .conftest import SENSOR_ID, entry_device


@pytest.mark.freeze_time("2026-03-01 10:00:00+00:00")
async def test_entry_and_device_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Both views match the snapshot and never show the sensor id or topics."""
    entry_diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    assert entry_diagnostics == snapshot
    assert SENSOR_ID not in str(entry_diagnostics)
    device = entry_device(device_registry, init_integration)
    device_diagnostics = await get_diagnostics_for_device(
        hass, hass_client, init_integration, device
    )
    assert device_diagnostics == entry_diagnostics
