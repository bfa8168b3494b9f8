"""One snapshot per platform, and what the settings and command entities do."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

import pytest
from homeassistant.components.button.const import DOMAIN as BUTTON_DOMAIN
from homeassistant.components.button.const import SERVICE_PRESS
from homeassistant.components.number import DOMAIN as NUMBER_DOMAIN
from homeassistant.components.number.const import SERVICE_SET_VALUE
from homeassistant.components.select import DOMAIN as SELECT_DOMAIN
from homeassistant.components.select import SERVICE_SELECT_OPTION
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.rep_coach.const import EVENT_REP_COACH
from custom_components.rep_coach.engine import EngineSettings

from .conftest import state_of

ENTITY = "hip_thrust_bench"


async def _call(hass: HomeAssistant, service: tuple[str, str], entity_id: str, **data: Any) -> None:
    await hass.services.async_call(*service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True)
    await hass.async_block_till_done()


async def _select(hass: HomeAssistant, select: str, option: str) -> None:
    await _call(
        hass, (SELECT_DOMAIN, SERVICE_SELECT_OPTION), f"select.{ENTITY}_{select}", option=option
    )


async def _set_number(hass: HomeAssistant, number: str, value: float) -> None:
    await _call(hass, (NUMBER_DOMAIN, SERVICE_SET_VALUE), f"number.{ENTITY}_{number}", value=value)


async def _press(hass: HomeAssistant, button: str) -> None:
    await _call(hass, (BUTTON_DOMAIN, SERVICE_PRESS), f"button.{ENTITY}_{button}")


@pytest.mark.freeze_time("2026-03-01 10:00:00+00:00")
@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    "platforms",
    [
        [Platform.BINARY_SENSOR],
        [Platform.BUTTON],
        [Platform.EVENT],
        [Platform.NUMBER],
        [Platform.SELECT],
        [Platform.SENSOR],
    ],
)
async def test_platform_snapshot(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Entities, their registry entries and their first states."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


async def test_hip_position_disabled_by_default(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """The live position is diagnostic and off unless asked for."""
    entry = entity_registry.async_get(f"sensor.{ENTITY}_hip_position")
    assert entry is not None
    assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert hass.states.get(f"sensor.{ENTITY}_hip_position") is None


@pytest.mark.parametrize(
    ("button", "event_types", "check"),
    [
        ("start_set", ["set_started"], ("binary_sensor", "in_set", "on")),
        ("switch_side", ["side_switched"], ("sensor", "current_side", "right")),
        ("calibrate", [], ("sensor", "total_reps", "0")),
    ],
)
async def test_buttons_run_engine_commands(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    button: str,
    event_types: list[str],
    check: tuple[str, str, str],
) -> None:
    """A press runs the command now; its events reach the bus and the entities."""
    bus = async_capture_events(hass, EVENT_REP_COACH)
    await _press(hass, button)
    assert [event.data["type"] for event in bus][: len(event_types)] == event_types
    domain, key, expected = check
    assert state_of(hass, f"{domain}.{ENTITY}_{key}").state == expected


async def test_set_end_undo_and_reset_buttons(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Start, correct, end and reset a set from the buttons."""
    coordinator = init_integration.runtime_data
    for button in ("start_set", "end_set"):
        await _press(hass, button)
    assert state_of(hass, f"binary_sensor.{ENTITY}_in_set").state == "off"
    coordinator.async_run(
        lambda t: coordinator.engine.start_set(t) + coordinator.engine.adjust_reps(t, 2)
    )
    assert state_of(hass, f"sensor.{ENTITY}_reps_this_set").state == "2"
    await _press(hass, "undo_last_rep")
    assert state_of(hass, f"sensor.{ENTITY}_reps_this_set").state == "1"
    await _press(hass, "reset_session")
    assert state_of(hass, f"sensor.{ENTITY}_reps_this_set").state == "0"
    assert state_of(hass, f"sensor.{ENTITY}_total_reps").state == "0"


async def test_number_changes_target_and_options(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Editing a target stores it, feeds the engine and leaves any program preset."""
    await _select(hass, "program", "strength")
    assert state_of(hass, f"number.{ENTITY}_target_reps").state == "8"
    assert state_of(hass, f"number.{ENTITY}_rest_duration").state == "120.0"
    assert init_integration.options["program"] == "strength"

    await _set_number(hass, "target_reps", 5)
    assert state_of(hass, f"number.{ENTITY}_target_reps").state == "5"
    assert state_of(hass, f"select.{ENTITY}_program").state == "custom"
    assert init_integration.options["target_reps"] == 5
    assert init_integration.runtime_data.engine.settings.target_reps == 5

    # Setting the value it already has stores nothing.
    with patch.object(init_integration.runtime_data, "async_store_settings") as store:
        await _set_number(hass, "hold_target", 1.0)
    store.assert_not_called()


@pytest.mark.parametrize(
    ("number", "value", "setting"),
    [
        ("target_reps", 6, "target_reps"),
        ("target_sets", 4, "sets_per_side"),
        ("hold_target", 2.5, "hold_target_s"),
        ("lowering_target", 3.5, "eccentric_target_s"),
        ("rest_duration", 45, "rest_s"),
    ],
)
async def test_each_number_edits_its_own_setting(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    number: str,
    value: float,
    setting: str,
) -> None:
    """A number writes its setting, in the setting's type (a count stays whole)."""
    await _set_number(hass, number, value)
    settings = init_integration.runtime_data.engine.settings
    assert getattr(settings, setting) == value
    assert type(getattr(settings, setting)) is type(getattr(EngineSettings(), setting))
    assert float(state_of(hass, f"number.{ENTITY}_{number}").state) == value
    assert init_integration.options[setting] == value


@pytest.mark.parametrize(
    ("select", "option", "setting"),
    [("side_mode", "right", "side_mode"), ("variation", "stability_ball", "variation")],
)
async def test_selects_change_settings(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    select: str,
    option: str,
    setting: str,
) -> None:
    """A choice reaches the engine and the stored options."""
    await _select(hass, select, option)
    assert state_of(hass, f"select.{ENTITY}_{select}").state == option
    assert str(getattr(init_integration.runtime_data.engine.settings, setting)) == option
    assert init_integration.options[setting] == option


async def test_options_flow_result_reaches_engine(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Options saved in the UI apply to the running engine without a reload."""
    hass.config_entries.async_update_entry(init_integration, options={"rest_s": 30.0})
    await hass.async_block_till_done()
    assert init_integration.runtime_data.engine.settings.rest_s == 30.0
    assert state_of(hass, f"number.{ENTITY}_rest_duration").state == "30.0"


@pytest.mark.parametrize(("value", "shown"), [(None, None), (float("nan"), None), (-12.5, -12.5)])
async def test_imbalance_is_unknown_until_a_number_exists(
    init_integration: MockConfigEntry, value: float | None, shown: float | None
) -> None:
    """A dashboard gauge needs a number: anything else is unknown."""
    from dataclasses import replace

    from custom_components.rep_coach.sensor import SENSORS

    description = next(item for item in SENSORS if item.key == "imbalance")
    data = init_integration.runtime_data.data
    data = replace(data, state=replace(data.state, imbalance_pct=value))

    assert description.value_fn(data) == shown
