"""Fixtures for the blueprint tests: a real Home Assistant reading the integration's blueprints."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, cast

import pytest
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from custom_components.rep_coach.blueprint_install import SOURCE_DIR
from custom_components.rep_coach.bus import event_data
from custom_components.rep_coach.const import DOMAIN, EVENT_REP_COACH
from custom_components.rep_coach.engine import EngineEvent, RepEvent, Side
from tests.events import rep_event as sample_rep_event
from tests.hass_fixtures import (  # noqa: F401 - pytest finds fixtures by their name here
    auto_enable_custom_integrations,
    own_config_dir,
)

BLUEPRINTS = SOURCE_DIR  # shipped inside the integration, installed by it

type UseBlueprint = Callable[[str, dict[str, Any]], Awaitable[None]]
type UseBlueprints = Callable[[dict[str, dict[str, Any]]], Awaitable[None]]
type FireEngineEvent = Callable[[EngineEvent], Awaitable[None]]


async def async_settle(hass: HomeAssistant) -> None:
    """Run the event loop until every automation run waits for time to pass or for a state.

    ``hass.async_block_till_done()`` would wait for the runs themselves, i.e. for their delays
    and timeouts in real time; here time stands still (``freezer``) until the test moves it with
    ``async_fire_time_changed``.
    """
    ready = cast(Any, hass.loop)._ready  # asyncio's queue of runnable callbacks
    for _ in range(10_000):
        await asyncio.sleep(0)
        if not ready:
            return
    raise AssertionError("the event loop never settled")


@pytest.fixture
def blueprint_config_dir(hass: HomeAssistant) -> Path:
    """The test's config directory holding the blueprints where the integration installs them
    (whether or not Rep Coach is set up in the test)."""
    config_dir = Path(hass.config.config_dir)
    shutil.copytree(
        BLUEPRINTS, config_dir / "blueprints" / "automation" / DOMAIN, dirs_exist_ok=True
    )
    return config_dir


def _bench_device(
    hass: HomeAssistant, device_registry: dr.DeviceRegistry, sensor_id: str, name: str
) -> dr.DeviceEntry:
    entry = MockConfigEntry(domain=DOMAIN, title=name, unique_id=sensor_id)
    entry.add_to_hass(hass)
    return device_registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, sensor_id)},
        name=name,
        manufacturer="Rep Coach",
    )


@pytest.fixture
def bench(hass: HomeAssistant, device_registry: dr.DeviceRegistry) -> dr.DeviceEntry:
    """The Rep Coach device the blueprints listen to."""
    return _bench_device(hass, device_registry, "bench_a1b2c3", "Hip thrust bench")


@pytest.fixture
def other_bench(hass: HomeAssistant, device_registry: dr.DeviceRegistry) -> dr.DeviceEntry:
    """A second bench whose events the automations must ignore."""
    return _bench_device(hass, device_registry, "bench_d4e5f6", "Second bench")


@pytest.fixture
def use_blueprints(hass: HomeAssistant, blueprint_config_dir: Path) -> UseBlueprints:
    """Create automations from blueprint files (file name -> inputs), the way the UI does."""

    async def _use(blueprints: dict[str, dict[str, Any]]) -> None:
        automations = [
            {
                "id": name.removesuffix(".yaml"),
                "alias": name.removesuffix(".yaml"),
                "use_blueprint": {"path": f"rep_coach/{name}", "input": inputs},
            }
            for name, inputs in blueprints.items()
        ]
        assert await async_setup_component(hass, "automation", {"automation": automations})
        await hass.async_block_till_done()
        for automation in automations:
            state = hass.states.get(f"automation.{automation['alias']}")
            assert state is not None, f"{automation['alias']} was not created"
            assert state.state == "on"

    return _use


@pytest.fixture
def use_blueprint(use_blueprints: UseBlueprints) -> UseBlueprint:
    """Create one automation from a blueprint file."""

    async def _use(blueprint: str, inputs: dict[str, Any]) -> None:
        await use_blueprints({blueprint: inputs})

    return _use


def make_fire(hass: HomeAssistant, device: dr.DeviceEntry) -> FireEngineEvent:
    """Fire engine events on the bus exactly as the integration does for ``device``."""

    async def _fire(event: EngineEvent) -> None:
        sensor_id = next(sensor_id for domain, sensor_id in device.identifiers if domain == DOMAIN)
        entry = hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, sensor_id)
        assert entry is not None
        entry_id = entry.entry_id
        hass.bus.async_fire(EVENT_REP_COACH, event_data(entry_id, device.id, event))
        await async_settle(hass)

    return _fire


@pytest.fixture
def fire(hass: HomeAssistant, bench: dr.DeviceEntry) -> FireEngineEvent:
    """Fire an engine event from the bench."""
    return make_fire(hass, bench)


def rep_event(rep: int, *, complete: bool = True, side: Side = Side.LEFT) -> RepEvent:
    """Rep number ``rep`` of a set, 6 s after the one before (a partial one reaches half way),
    with a 2 s hold and a 2.5 s lowering."""
    return sample_rep_event(
        t=100.0 + rep * 6,
        hold_s=2.0,
        lowering_s=2.5,
        complete=complete,
        side=side,
        rep=rep,
        started_t=95.0 + rep * 6,
        rom_mm=240.0 if complete else 120.0,
        rom_pct=98.0 if complete else 49.0,
    )


TTS = "tts.piper"
SPEAKER = "media_player.gym_speaker"


@pytest.fixture
def speak_calls(hass: HomeAssistant) -> list[ServiceCall]:
    """Every tts.speak call."""
    calls: list[ServiceCall] = async_mock_service(hass, "tts", "speak")
    return calls


def spoken(calls: list[ServiceCall]) -> list[str]:
    """What was said, in order."""
    return [call.data["message"] for call in calls]
