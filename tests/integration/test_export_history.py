"""rep_coach.export_history: the sets kept in detail, by local date range, for one's own log."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import voluptuous as vol
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_CONFIG_ENTRY_ID, ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import MqttMockHAClient

from custom_components.rep_coach.const import DOMAIN
from custom_components.rep_coach.engine import CalibrationStep

from .conftest import FIXTURES, FeedSession

BERLIN = ZoneInfo("Europe/Berlin")
FIELDS = {
    "side",
    "set",
    "reps",
    "partial_reps",
    "mean_hold_s",
    "mean_lowering_s",
    "warnings",
    "started_at",
    "ended_at",
}


@pytest.fixture
async def trained(
    hass: HomeAssistant,
    mqtt_mock: MqttMockHAClient,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    feed_session: FeedSession,
) -> MockConfigEntry:
    """A bench upgraded from format 1 (four undated sets), then three workouts in Berlin.

    Monday 2 November 10:00: the simulated session's first set (left, timed reps);
    Monday 23:30: a set of 3 reps entered by hand (22:30 UTC, still Monday locally);
    Wednesday 4 November 07:00: another set of 2.
    """
    await hass.config.async_set_time_zone("Europe/Berlin")
    stored = json.loads((FIXTURES / "store_v1.json").read_text())
    hass_storage[stored["key"]] = stored
    freezer.move_to(datetime(2026, 11, 2, 10, tzinfo=BERLIN))
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    coordinator = mock_config_entry.runtime_data
    engine = coordinator.engine
    coordinator.async_run(engine.end_set)  # the set left open in format 1 ends now
    # The fixture's bench was calibrated by hand elsewhere: learn this one from the reps.
    coordinator.async_run(lambda t: engine.calibrate(t, CalibrationStep.AUTO))
    await feed_session(limit_s=60.0)
    for moment, reps in (
        (datetime(2026, 11, 2, 23, 30, tzinfo=BERLIN), 3),
        (datetime(2026, 11, 4, 7, tzinfo=BERLIN), 2),
    ):
        freezer.move_to(moment)
        coordinator.async_run(
            lambda t, reps=reps: (
                engine.start_set(t) + engine.adjust_reps(t, reps) + engine.end_set(t)
            )
        )
    await hass.async_block_till_done()
    return mock_config_entry


async def _export(hass: HomeAssistant, data: dict[str, Any]) -> dict[str, Any]:
    response = await hass.services.async_call(
        DOMAIN, "export_history", data, blocking=True, return_response=True
    )
    assert response is not None
    return dict(response)


def _ends(response: dict[str, Any]) -> list[str | None]:
    return [item["ended_at"] for item in response["sets"]]


async def test_all_kept_sets_with_their_figures(
    hass: HomeAssistant, trained: MockConfigEntry
) -> None:
    """No range: every set kept, oldest first, with the documented fields."""
    response = await _export(hass, {ATTR_CONFIG_ENTRY_ID: trained.entry_id})

    sets = response["sets"]
    history = trained.runtime_data.engine.set_history()
    assert len(sets) == len(history) == 8  # 4 from format 1, the one left open, 3 new
    assert all(set(item) == FIELDS for item in sets)
    assert (response["start"], response["end"]) == (None, None)
    assert _ends(response)[:4] == [None] * 4  # format 1 kept no dates
    timed = next(item for item in sets if item["ended_at"] and item["mean_hold_s"] is not None)
    entry = next(entry for entry in history if entry.ended_at is not None and entry.holds_s)
    assert timed == {
        "side": str(entry.side),
        "set": entry.set,
        "reps": entry.reps,
        "partial_reps": entry.partial_reps,
        "mean_hold_s": entry.mean_hold_s,
        "mean_lowering_s": entry.mean_lowering_s,
        "warnings": {str(key): count for key, count in entry.warnings.items()},
        "started_at": entry.started_at.isoformat() if entry.started_at else None,
        "ended_at": entry.ended_at.isoformat(),
    }
    assert [item["reps"] for item in sets[-2:]] == [3, 2]
    assert sets[-1]["mean_hold_s"] is None  # reps entered by hand carry no timings


async def test_local_days(
    hass: HomeAssistant, trained: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """Dates are Home Assistant's local days; the end date is included; undated sets are old."""
    [device] = dr.async_entries_for_config_entry(device_registry, trained.entry_id)
    target = {ATTR_DEVICE_ID: device.id}

    monday = await _export(hass, {**target, "start": "2026-11-02", "end": "2026-11-02"})
    dated = [entry for entry in trained.runtime_data.engine.set_history() if entry.ended_at]
    assert len(monday["sets"]) == len(dated) - 1  # all but Wednesday's
    assert monday["sets"][-1]["reps"] == 3  # 23:30 in Berlin is still Monday
    assert monday["start"] == "2026-11-01T23:00:00+00:00"
    assert monday["end"] == "2026-11-02T23:00:00+00:00"

    from_tuesday = await _export(hass, {**target, "start": "2026-11-03"})
    assert [item["reps"] for item in from_tuesday["sets"]] == [2]

    until_monday = await _export(hass, {**target, "end": "2026-11-02"})
    assert len(until_monday["sets"]) == 7  # the undated ones count as older than any date

    # A naive time is local; an end time is exclusive (Wednesday's set ended at 06:00 UTC).
    evening = await _export(
        hass, {**target, "start": "2026-11-02 20:00", "end": "2026-11-04T06:00:00+00:00"}
    )
    assert [item["reps"] for item in evening["sets"]] == [3]
    assert evening["start"] == "2026-11-02T19:00:00+00:00"


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        ({"start": "2026-11-04", "end": "2026-11-02"}, ("2026-11-04", "2026-11-02")),
        (
            {"start": "2026-11-02 10:00", "end": "2026-11-02 10:00"},
            ("2026-11-02T10:00:00", "2026-11-02T10:00:00"),
        ),
    ],
)
async def test_end_before_start_is_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    data: dict[str, str],
    shown: tuple[str, str],
) -> None:
    """The error names the range as given (a date end is its whole day, but says the date)."""
    with pytest.raises(ServiceValidationError) as err:
        await _export(hass, {ATTR_CONFIG_ENTRY_ID: init_integration.entry_id, **data})
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "end_before_start"
    assert err.value.translation_placeholders == {"start": shown[0], "end": shown[1]}


async def test_unknown_device_and_bad_dates(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _export(hass, {ATTR_DEVICE_ID: "nope"})
    assert err.value.translation_key == "device_not_found"
    with pytest.raises(vol.Invalid):
        await _export(hass, {ATTR_CONFIG_ENTRY_ID: init_integration.entry_id, "start": "soon"})


async def test_needs_a_response(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """It only returns data: calling it without asking for the response is an error."""
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN,
            "export_history",
            {ATTR_CONFIG_ENTRY_ID: init_integration.entry_id},
            blocking=True,
        )
