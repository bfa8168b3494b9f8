"""The rest_timer blueprint with a real timer helper, driven by bus events and a frozen clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.rep_coach.engine import RestFinishedEvent, RestStartedEvent, Side

from .conftest import SPEAKER, TTS, FireEngineEvent, UseBlueprint, async_settle, make_fire, spoken

TIMER = "timer.rest"


@pytest.fixture
async def rest_timer(
    hass: HomeAssistant,
    use_blueprint: UseBlueprint,
    bench: dr.DeviceEntry,
    request: pytest.FixtureRequest,
) -> None:
    """A timer helper and an automation made from rest_timer (extra inputs via indirect)."""
    assert await async_setup_component(hass, "timer", {"timer": {"rest": {"name": "Rest"}}})
    await use_blueprint(
        "rest_timer.yaml",
        {
            "bench": bench.id,
            "rest_timer": TIMER,
            "tts_entity": TTS,
            "media_player": SPEAKER,
            **getattr(request, "param", {}),
        },
    )


def rest_started(duration_s: float) -> RestStartedEvent:
    """Rest after the first left set; the right leg is next."""
    return RestStartedEvent(
        t=200.0, duration_s=duration_s, ends_t=200.0 + duration_s, next_side=Side.RIGHT, next_set=1
    )


def rest_finished(*, interrupted: bool) -> RestFinishedEvent:
    """Rest is over (or a new set cut it short)."""
    return RestFinishedEvent(t=260.0, next_side=Side.RIGHT, next_set=1, interrupted=interrupted)


async def advance(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float) -> None:
    """Let ``seconds`` of time pass, firing every timer that falls due."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await async_settle(hass)


@pytest.mark.usefixtures("rest_timer")
async def test_rest_countdown_and_go(
    hass: HomeAssistant,
    fire: FireEngineEvent,
    speak_calls: list[ServiceCall],
    freezer: FrozenDateTimeFactory,
) -> None:
    """The timer runs for the rest, the last seconds are announced, then 'go' with the side."""
    await fire(rest_started(60))

    timer = hass.states.get(TIMER)
    assert timer is not None
    assert timer.state == "active"
    assert timer.attributes["duration"] == "0:01:00"
    assert speak_calls == []

    await advance(hass, freezer, 49)
    assert speak_calls == []
    await advance(hass, freezer, 1)
    assert spoken(speak_calls) == ["ten seconds"]
    await advance(hass, freezer, 6)
    assert spoken(speak_calls) == ["ten seconds"]
    for expected in (["three"], ["three", "two"], ["three", "two", "one"]):
        await advance(hass, freezer, 1)
        assert spoken(speak_calls) == ["ten seconds", *expected]
    call = speak_calls[-1]
    assert call.data["entity_id"] == [TTS]
    assert call.data["media_player_entity_id"] == SPEAKER

    await advance(hass, freezer, 1)
    assert hass.states.get(TIMER).state == "idle"  # type: ignore[union-attr]
    await fire(rest_finished(interrupted=False))
    assert spoken(speak_calls)[-1] == "Go! right leg, set 1"


@pytest.mark.usefixtures("rest_timer")
async def test_new_set_cuts_the_rest_short(
    hass: HomeAssistant,
    fire: FireEngineEvent,
    speak_calls: list[ServiceCall],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Starting the next set early cancels the timer and the countdown, without a 'go'."""
    await fire(rest_started(60))
    await advance(hass, freezer, 20)
    await fire(rest_finished(interrupted=True))

    assert hass.states.get(TIMER).state == "idle"  # type: ignore[union-attr]
    await advance(hass, freezer, 60)
    assert speak_calls == []


@pytest.mark.usefixtures("rest_timer")
async def test_short_rest_counts_what_fits(
    hass: HomeAssistant,
    fire: FireEngineEvent,
    speak_calls: list[ServiceCall],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A 2 s rest has no 'ten seconds' warning and counts down from two."""
    await fire(rest_started(2))
    await advance(hass, freezer, 1)
    await advance(hass, freezer, 1)

    assert spoken(speak_calls) == ["two", "one"]


@pytest.mark.parametrize(
    "rest_timer",
    [{"warning_seconds": 0, "countdown_from": 0, "go_message": "Los, {side}!"}],
    indirect=True,
)
@pytest.mark.usefixtures("rest_timer")
async def test_quiet_rest(
    hass: HomeAssistant,
    fire: FireEngineEvent,
    speak_calls: list[ServiceCall],
    freezer: FrozenDateTimeFactory,
) -> None:
    """With the warnings off only the (reworded) go message is spoken."""
    await fire(rest_started(30))
    await advance(hass, freezer, 30)
    await fire(rest_finished(interrupted=False))

    assert spoken(speak_calls) == ["Los, right!"]


@pytest.mark.usefixtures("rest_timer")
async def test_other_benches_are_ignored(
    hass: HomeAssistant, other_bench: dr.DeviceEntry, speak_calls: list[ServiceCall]
) -> None:
    """Another bench's rest does not start this timer."""
    await make_fire(hass, other_bench)(rest_started(60))

    assert hass.states.get(TIMER).state == "idle"  # type: ignore[union-attr]
    assert speak_calls == []


@pytest.mark.parametrize("rest_timer", [{"tts_entity": "", "media_player": ""}], indirect=True)
@pytest.mark.usefixtures("rest_timer")
async def test_without_a_speaker_the_countdown_goes_to_the_logbook(
    hass: HomeAssistant,
    fire: FireEngineEvent,
    speak_calls: list[ServiceCall],
    freezer: FrozenDateTimeFactory,
) -> None:
    """No text-to-speech engine chosen: the timer still runs, and the countdown is written to
    the logbook."""
    logged = async_mock_service(hass, "logbook", "log")
    await fire(rest_started(12))
    assert hass.states.get(TIMER).state == "active"  # type: ignore[union-attr]

    for _ in range(12):
        await advance(hass, freezer, 1)
    await fire(rest_finished(interrupted=False))

    assert [call.data["message"] for call in logged] == [
        "ten seconds",
        "three",
        "two",
        "one",
        "Go! right leg, set 1",
    ]
    assert {call.data["name"] for call in logged} == {"Rep Coach voice"}
    assert speak_calls == []
