"""The announce_reps blueprint, loaded by a real Home Assistant and driven by bus events."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import async_mock_service

from custom_components.rep_coach.engine import (
    HoldReachedEvent,
    HoldStartedEvent,
    Side,
)
from custom_components.rep_coach.engine.events import SideSwitchedEvent
from tests.events import set_end_event

from .conftest import (
    SPEAKER,
    TTS,
    FireEngineEvent,
    UseBlueprint,
    async_settle,
    make_fire,
    rep_event,
    spoken,
)


@pytest.fixture
async def announcer(
    use_blueprint: UseBlueprint,
    bench: dr.DeviceEntry,
    request: pytest.FixtureRequest,
) -> None:
    """An automation made from announce_reps for the bench (extra inputs via indirect params)."""
    extra: dict[str, Any] = getattr(request, "param", {})
    await use_blueprint(
        "announce_reps.yaml",
        {"bench": bench.id, "tts_entity": TTS, "media_player": SPEAKER, **extra},
    )


async def speaker_plays(hass: HomeAssistant) -> None:
    """The speaker plays the announcement and falls idle again, as a real one does."""
    hass.states.async_set(SPEAKER, "playing")
    await async_settle(hass)
    hass.states.async_set(SPEAKER, "idle")
    await async_settle(hass)


@pytest.mark.usefixtures("announcer")
@pytest.mark.parametrize(
    ("rep", "words"),
    [(1, "one"), (7, "seven"), (12, "twelve"), (20, "twenty"), (21, "twenty-one"), (40, "forty")],
)
async def test_rep_is_spoken_as_a_word(
    hass: HomeAssistant,
    fire: FireEngineEvent,
    speak_calls: list[ServiceCall],
    rep: int,
    words: str,
) -> None:
    """A completed rep is counted out loud, through the chosen TTS engine and speaker."""
    await fire(rep_event(rep))

    assert len(speak_calls) == 1
    call = speak_calls[0]
    assert call.data["entity_id"] == [TTS]
    assert call.data["media_player_entity_id"] == SPEAKER
    assert call.data["message"] == words
    await speaker_plays(hass)


@pytest.mark.usefixtures("announcer")
async def test_announcements_queue_behind_the_speaker(
    hass: HomeAssistant, fire: FireEngineEvent, speak_calls: list[ServiceCall]
) -> None:
    """Set done and switch side arrive together; the second waits for the first to be played."""
    await fire(set_end_event(t=160.0, side=Side.LEFT, set=1))
    await fire(SideSwitchedEvent(t=160.0, side=Side.RIGHT, previous=Side.LEFT))

    assert spoken(speak_calls) == ["Set done, 10 reps"]
    await speaker_plays(hass)
    assert spoken(speak_calls) == ["Set done, 10 reps", "Switch to the right leg"]
    await speaker_plays(hass)


@pytest.mark.usefixtures("announcer")
async def test_hold_cues(
    hass: HomeAssistant, fire: FireEngineEvent, speak_calls: list[ServiceCall]
) -> None:
    """'Hold' when the hips reach the top, the lower cue once the hold target is reached."""
    await fire(HoldStartedEvent(t=101.0, side=Side.LEFT, set=1, rep=3, started_t=100.9))
    assert spoken(speak_calls) == ["Hold"]
    await speaker_plays(hass)

    await fire(HoldReachedEvent(t=103.0, side=Side.LEFT, set=1, rep=3, hold_target_s=2.0))
    assert spoken(speak_calls) == ["Hold", "And lower, slowly"]
    await speaker_plays(hass)


@pytest.mark.usefixtures("announcer")
async def test_partial_rep(
    hass: HomeAssistant, fire: FireEngineEvent, speak_calls: list[ServiceCall]
) -> None:
    """A partial rep is not counted but called out."""
    await fire(rep_event(4, complete=False))

    assert spoken(speak_calls) == ["Partial rep, drive all the way up"]
    await speaker_plays(hass)


@pytest.mark.parametrize(
    "announcer", [{"announce_partial": False, "announce_holds": False}], indirect=True
)
@pytest.mark.usefixtures("announcer")
async def test_cues_can_be_switched_off(
    hass: HomeAssistant, fire: FireEngineEvent, speak_calls: list[ServiceCall]
) -> None:
    """Disabled cues stay silent; rep counting still works."""
    await fire(rep_event(4, complete=False))
    await fire(HoldReachedEvent(t=103.0, side=Side.LEFT, set=1, rep=5, hold_target_s=2.0))
    await fire(rep_event(5))

    assert spoken(speak_calls) == ["five"]
    await speaker_plays(hass)


@pytest.mark.parametrize(
    "announcer",
    [{"set_done_message": "Serie fertig", "switch_message": "Jetzt das {side} Bein"}],
    indirect=True,
)
@pytest.mark.usefixtures("announcer")
async def test_messages_are_configurable(
    hass: HomeAssistant, fire: FireEngineEvent, speak_calls: list[ServiceCall]
) -> None:
    """Users can reword (or translate) the messages; placeholders are filled in."""
    await fire(SideSwitchedEvent(t=10.0, side=Side.LEFT, previous=Side.RIGHT))

    assert spoken(speak_calls) == ["Jetzt das left Bein"]
    await speaker_plays(hass)


@pytest.mark.usefixtures("announcer")
async def test_other_benches_are_ignored(
    hass: HomeAssistant,
    other_bench: dr.DeviceEntry,
    speak_calls: list[ServiceCall],
) -> None:
    """Events of another Rep Coach device do not trigger this bench's announcer."""
    await make_fire(hass, other_bench)(rep_event(3))

    assert speak_calls == []


async def test_without_a_speaker_the_words_go_to_the_logbook(
    hass: HomeAssistant,
    use_blueprint: UseBlueprint,
    bench: dr.DeviceEntry,
    fire: FireEngineEvent,
    speak_calls: list[ServiceCall],
) -> None:
    """No text-to-speech engine chosen: what would be said is written to the logbook, so the
    blueprint can be tried without a speaker."""
    logged = async_mock_service(hass, "logbook", "log")
    await use_blueprint("announce_reps.yaml", {"bench": bench.id})

    await fire(rep_event(7))
    await fire(rep_event(8))

    assert [call.data["message"] for call in logged] == ["seven", "eight"]
    assert {call.data["name"] for call in logged} == {"Rep Coach voice"}
    assert speak_calls == []
