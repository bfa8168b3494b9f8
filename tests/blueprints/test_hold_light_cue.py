"""The hold_light_cue blueprint, loaded by a real Home Assistant and driven by bus events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.rep_coach.engine import HoldReachedEvent, Side
from tests.events import form_warning_event

from .conftest import FireEngineEvent, UseBlueprint, async_settle, make_fire, rep_event

LIGHT = "light.bench_strip"
HOLD = [0, 200, 83]
WARNING = [255, 61, 0]
IDLE = [255, 244, 229]


@pytest.fixture
def light_calls(hass: HomeAssistant) -> list[ServiceCall]:
    """light.turn_on and light.turn_off calls in one list, so their order shows."""
    calls: list[ServiceCall] = []

    @callback
    def record(call: ServiceCall) -> None:
        calls.append(call)

    for service in ("turn_on", "turn_off"):
        hass.services.async_register("light", service, record)
    return calls


@pytest.fixture(autouse=True)
async def light_cue(use_blueprint: UseBlueprint, bench: dr.DeviceEntry) -> None:
    """An automation made from hold_light_cue with the default colours."""
    await use_blueprint(
        "hold_light_cue.yaml", {"bench": bench.id, "light_target": {"entity_id": LIGHT}}
    )


def hold_reached(rep: int) -> HoldReachedEvent:
    """The squeeze of rep ``rep`` reached the 2 s target."""
    return HoldReachedEvent(t=100.0 + rep * 6, side=Side.LEFT, set=1, rep=rep, hold_target_s=2.0)


def summary(calls: list[ServiceCall]) -> list[tuple[str, list[int] | None]]:
    """(service, colour) of each call."""
    return [(call.service, call.data.get("rgb_color")) for call in calls]


async def test_hold_reached_turns_the_hold_colour(
    fire: FireEngineEvent, light_calls: list[ServiceCall]
) -> None:
    """The light turns the hold colour the moment the hold target is reached."""
    await fire(hold_reached(3))

    assert len(light_calls) == 1
    call = light_calls[0]
    assert call.service == "turn_on"
    assert call.data["entity_id"] == [LIGHT]
    assert call.data["rgb_color"] == HOLD
    assert call.data["brightness_pct"] == 80


async def test_rep_over_returns_to_the_calm_colour(
    fire: FireEngineEvent, light_calls: list[ServiceCall]
) -> None:
    """After the rep (complete or partial) the light goes back to the between-reps colour."""
    await fire(hold_reached(3))
    await fire(rep_event(3))
    await fire(rep_event(4, complete=False))

    assert summary(light_calls) == [("turn_on", HOLD), ("turn_on", IDLE), ("turn_on", IDLE)]


async def test_form_warning_flashes(
    hass: HomeAssistant,
    fire: FireEngineEvent,
    light_calls: list[ServiceCall],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A form warning flashes the warning colour three times, then the calm colour returns."""
    await fire(form_warning_event(t=130.0, rep=5))
    assert summary(light_calls) == [("turn_on", WARNING)]

    for _ in range(6):
        freezer.tick(timedelta(seconds=0.3))
        async_fire_time_changed(hass)
        await async_settle(hass)

    flash = [("turn_on", WARNING), ("turn_off", None)]
    assert summary(light_calls) == [*flash, *flash, *flash, ("turn_on", IDLE)]


async def test_other_benches_are_ignored(
    hass: HomeAssistant, other_bench: dr.DeviceEntry, light_calls: list[ServiceCall]
) -> None:
    """Another bench's hold does not light this bench's light."""
    await make_fire(hass, other_bench)(hold_reached(2))

    assert light_calls == []
