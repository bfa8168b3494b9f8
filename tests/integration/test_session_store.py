"""The saved session across upgrades: released formats migrate, unreadable ones are kept aside."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import MqttMockHAClient

from custom_components.rep_coach.const import DOMAIN
from custom_components.rep_coach.engine.snapshot import SNAPSHOT_VERSION
from custom_components.rep_coach.session_store import (
    ISSUE_SESSION_FROM_NEWER_VERSION,
    ISSUE_UNREADABLE_SESSION,
    STORE_VERSION,
    unreadable_session_issue_id,
)

from .conftest import FIXTURES, state_of

ENTITY = "hip_thrust_bench"


def released_store(version: int) -> dict[str, Any]:
    """The store file of a released format (tests/fixtures/README.md says how it was made)."""
    data: dict[str, Any] = json.loads((FIXTURES / f"store_v{version}.json").read_text())
    return data


async def _set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


@pytest.mark.usefixtures("mqtt_mock")
async def test_released_v1_store_restores_after_the_upgrade(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
) -> None:
    """Totals, the open set and side come back from format 1; the store is rewritten as 2."""
    stored = released_store(1)
    key = stored["key"]
    assert key == f"{DOMAIN}.{mock_config_entry.entry_id}"
    hass_storage[key] = stored
    saved = stored["data"]

    await _set_up(hass, mock_config_entry)

    for side in ("left", "right"):
        assert state_of(hass, f"sensor.{ENTITY}_{side}_reps").state == str(
            saved["totals"][side]["reps"]
        )
        assert state_of(hass, f"sensor.{ENTITY}_{side}_sets").state == str(
            saved["totals"][side]["sets"]
        )
    assert state_of(hass, f"sensor.{ENTITY}_current_side").state == saved["current"]["side"]
    assert state_of(hass, f"sensor.{ENTITY}_reps_this_set").state == str(saved["current"]["reps"])
    assert state_of(hass, f"binary_sensor.{ENTITY}_in_set").state == "on"
    migrated = hass_storage[key]
    assert (migrated["version"], migrated["data"]["version"]) == (STORE_VERSION, SNAPSHOT_VERSION)
    engine = mock_config_entry.runtime_data.engine
    assert engine.cal.export() == saved["calibration"]
    assert [entry.reps for entry in engine.set_history()] == [
        entry["reps"] for entry in saved["history"]
    ]
    assert not [issue for issue in issue_registry.issues.values() if issue.domain == DOMAIN]


@pytest.mark.usefixtures("mqtt_mock")
@pytest.mark.parametrize(
    ("stored", "translation_key"),
    [
        pytest.param(
            {"version": STORE_VERSION + 1, "minor_version": 1, "data": {"version": 9}},
            ISSUE_SESSION_FROM_NEWER_VERSION,
            id="newer-store",
        ),
        pytest.param(
            {"version": STORE_VERSION, "minor_version": 1, "data": {"version": 9}},
            ISSUE_SESSION_FROM_NEWER_VERSION,
            id="newer-snapshot",
        ),
        pytest.param(
            {"version": 1, "minor_version": 1, "data": ["not", "a", "session"]},
            ISSUE_UNREADABLE_SESSION,
            id="garbage-to-migrate",
        ),
        pytest.param(
            {"version": STORE_VERSION, "minor_version": 1, "data": {"version": 2, "totals": 5}},
            ISSUE_UNREADABLE_SESSION,
            id="damaged-current",
        ),
    ],
)
async def test_unreadable_store_is_kept_aside_with_a_repair_issue(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
    tmp_path: Path,
    stored: dict[str, Any],
    translation_key: str,
) -> None:
    """The bench starts fresh; the copy holds what was on disk and the issue says where."""
    hass.config.config_dir = str(tmp_path)
    key = f"{DOMAIN}.{mock_config_entry.entry_id}"
    hass_storage[key] = {**stored, "key": key}

    await _set_up(hass, mock_config_entry)

    assert state_of(hass, f"sensor.{ENTITY}_left_reps").state == "0"
    [copy] = (tmp_path / ".storage").glob(f"{key}.unreadable-*")
    assert json.loads(copy.read_text()) == {**stored, "key": key}
    issue = issue_registry.async_get_issue(
        DOMAIN, unreadable_session_issue_id(mock_config_entry.entry_id)
    )
    assert issue is not None
    assert issue.translation_key == translation_key
    assert issue.is_persistent
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["path"] == str(copy)


@pytest.mark.usefixtures("mqtt_mock")
async def test_unreadable_session_issue_is_dismissed_by_confirming(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
    tmp_path: Path,
) -> None:
    """The repair is a message: the user reads where the copy is and confirms."""
    hass.config.config_dir = str(tmp_path)
    key = f"{DOMAIN}.{mock_config_entry.entry_id}"
    hass_storage[key] = {"version": STORE_VERSION + 1, "key": key, "data": {}}
    assert await async_setup_component(hass, "repairs", {})
    await _set_up(hass, mock_config_entry)
    issue_id = unreadable_session_issue_id(mock_config_entry.entry_id)
    flows = repairs_flow_manager(hass)
    assert flows is not None

    shown = await flows.async_init(DOMAIN, data={"issue_id": issue_id})
    assert shown["type"] is FlowResultType.FORM
    assert shown["step_id"] == "confirm"
    assert shown["description_placeholders"] is not None
    assert shown["description_placeholders"]["path"].startswith(str(tmp_path / ".storage"))
    done = await flows.async_configure(shown["flow_id"], {})

    assert done["type"] is FlowResultType.CREATE_ENTRY
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


async def test_removing_the_entry_drops_its_issue(
    hass: HomeAssistant,
    mqtt_mock: MqttMockHAClient,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
    tmp_path: Path,
) -> None:
    """A removed bench leaves no issue behind (the copy on disk stays: it is the user's)."""
    hass.config.config_dir = str(tmp_path)
    key = f"{DOMAIN}.{mock_config_entry.entry_id}"
    hass_storage[key] = {"version": STORE_VERSION + 1, "key": key, "data": {}}
    await _set_up(hass, mock_config_entry)

    await hass.config_entries.async_remove(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    issue_id = unreadable_session_issue_id(mock_config_entry.entry_id)
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert list((tmp_path / ".storage").glob(f"{key}.unreadable-*"))
