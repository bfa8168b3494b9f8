"""The logbook tells the workout in sentences, found through the bench."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from homeassistant.components.logbook.const import DOMAIN as LOGBOOK_DOMAIN
from homeassistant.components.logbook.models import LogbookConfig
from homeassistant.components.recorder.core import Recorder
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from homeassistant.util import yaml as yaml_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import (
    RecorderInstanceContextManager,
    WebSocketGenerator,
)

from custom_components.rep_coach.bus import event_data
from custom_components.rep_coach.const import DOMAIN, EVENT_REP_COACH
from custom_components.rep_coach.engine import RepEvent, SessionResetEvent, Side
from custom_components.rep_coach.logbook import describe
from tests.events import SET_END

from .conftest import FeedSession, entry_device

TRANSLATIONS = Path(__file__).parents[2] / "custom_components" / DOMAIN / "translations"
SENTENCES: dict[str, str] = json.loads((TRANSLATIONS / "en.json").read_text(encoding="utf-8"))[
    "selector"
]["logbook"]["options"]
ENTITY = "hip_thrust_bench"


def english(key: str) -> str | None:
    """A sentence template from the English translations."""
    return SENTENCES.get(key)


def rep(number: int, side: Side, hold_s: float, eccentric_s: float) -> RepEvent:
    """A counted rep as the engine reports it."""
    return RepEvent(
        t=100.0,
        complete=True,
        side=side,
        set=1,
        rep=number,
        started_t=95.0,
        concentric_s=1.0,
        hold_s=hold_s,
        lowering_s=eccentric_s,
        rom_mm=240.0,
        rom_pct=98.0,
        peak_speed_mm_s=310.0,
    )


def test_rep_sentence() -> None:
    """A rep says its number, side, squeeze and lowering."""
    data = event_data("entry", "device", rep(7, Side.LEFT, hold_s=1.83, eccentric_s=2.41))

    assert describe(data, english, 3) == "Rep 7 (left): squeeze 1.8 s, lowering 2.4 s"


def test_new_workout_sentence() -> None:
    """A reset by the button and the automatic start of a new workout read differently."""
    by_hand = event_data("entry", "device", SessionResetEvent(t=1.0))
    after_break = event_data("entry", "device", SessionResetEvent(t=1.0, new_workout=True))

    assert describe(by_hand, english, 3) == "Session reset"
    assert describe(after_break, english, 3) == (
        "New workout: the counts start again after the break"
    )


def test_set_sentence() -> None:
    """A set says which of how many, on which side, and how many reps."""
    done = SET_END  # set 2 on the right, 10 reps
    data = event_data("entry", "device", done)

    assert describe(data, english, 3) == "Set 2 of 3 on the right done: 10 reps"
    assert describe(data, english, None) == "Set 2 on the right done: 10 reps"


def test_imbalance_names_the_weaker_side() -> None:
    """The engine's imbalance is positive when the left did more: the right is weaker."""
    data = {"type": "form_warning", "warning": "imbalance", "value": 18.4, "side": "left"}

    assert describe(data, english, 3) == "The right leg is 18 % weaker than the other"
    assert describe({**data, "value": -18.4}, english, 3).startswith("The left leg is 18 %")


def test_an_unknown_event_is_still_readable() -> None:
    """An event type this version has no sentence for is named rather than lost."""
    assert describe({"type": "target_reached"}, english, 3) == "target reached"


@pytest.fixture
def mock_recorder_before_hass(async_test_recorder: RecorderInstanceContextManager) -> None:
    """Let the recorder's database be prepared before Home Assistant starts."""


@pytest.fixture
async def logbook(recorder_mock: Recorder, hass: HomeAssistant) -> None:
    """The logbook (on the recorder), as a default Home Assistant has it."""
    assert await async_setup_component(hass, LOGBOOK_DOMAIN, {})


def described(hass: HomeAssistant, event: Event) -> dict[str, Any]:
    """What the logbook makes of one ``rep_coach_event``."""
    config: LogbookConfig = hass.data[LOGBOOK_DOMAIN]
    domain, describe_event = config.external_events[EVENT_REP_COACH]
    assert domain == DOMAIN
    return describe_event(event)  # type: ignore[arg-type]


@pytest.mark.usefixtures("logbook")
async def test_every_event_of_a_session_has_a_sentence(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    feed_session: FeedSession,
) -> None:
    """Every event a real session fires reads as a translated sentence with every figure."""
    events = async_capture_events(hass, EVENT_REP_COACH)
    await feed_session()
    coordinator = init_integration.runtime_data
    coordinator.async_run(lambda t: coordinator.engine.adjust_reps(t, -1))
    coordinator.async_run(coordinator.engine.reset_session)
    await hass.async_block_till_done()

    types = {event.data["type"] for event in events}
    assert {"rep_completed", "set_completed", "rest_started", "hold_reached"} <= types
    for event in events:
        entry = described(hass, event)
        assert entry["name"] == "Hip thrust bench"
        message = entry["message"]
        assert message != event.data["type"].replace("_", " "), event.data
        assert not {"?", "{"} & set(message), (message, event.data)


@pytest.mark.usefixtures("logbook")
async def test_logbook_of_the_bench(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    feed_session: FeedSession,
    device_registry: dr.DeviceRegistry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Asked for the bench (its device id), the logbook API gives Rep Coach's sentences, reps
    and sets on their event entities, without the per-rep Phase and Holding changes."""
    await feed_session()
    await async_wait_recording_done(hass)
    device = entry_device(device_registry, init_integration)

    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "logbook/get_events",
            "start_time": "2000-01-01T00:00:00+00:00",
            "device_ids": [device.id],
        }
    )
    response = await client.receive_json()
    assert response["success"], response
    entries = response["result"]
    assert {entry.get("domain") for entry in entries} == {DOMAIN}

    rep_sentence = re.compile(r"Rep \d+ \((left|right)\): squeeze \d+\.\d s, lowering \d+\.\d s")
    reps = [entry for entry in entries if rep_sentence.fullmatch(entry["message"])]
    sets = [
        entry for entry in entries if re.match(r"Set \d+ of \d+ on the \w+ done", entry["message"])
    ]
    assert reps
    assert sets
    assert reps[0]["message"].startswith("Rep 1 ")
    assert {entry["entity_id"] for entry in reps} == {f"event.{ENTITY}_rep"}
    assert {entry["entity_id"] for entry in sets} == {f"event.{ENTITY}_set"}


def readme_logbook_config() -> dict[str, Any]:
    """The ``logbook:`` exclusion the README recommends."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Logbook", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    config: dict[str, Any] = yaml_util.parse_yaml(block)  # type: ignore[assignment]
    return config


async def test_readme_exclusion_keeps_the_flapping_out(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    feed_session: FeedSession,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """With the README's exclusion, the unfiltered logbook tells the reps without the
    per-rep Phase and Holding changes."""
    config = readme_logbook_config()
    assert await async_setup_component(hass, LOGBOOK_DOMAIN, config)
    await feed_session(limit_s=60)
    await async_wait_recording_done(hass)

    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "logbook/get_events", "start_time": "2000-01-01T00:00:00+00:00"}
    )
    response = await client.receive_json()
    entity_ids = {entry.get("entity_id") for entry in response["result"]}

    excluded = set(config[LOGBOOK_DOMAIN]["exclude"]["entities"])
    assert excluded == {f"sensor.{ENTITY}_phase", f"binary_sensor.{ENTITY}_holding"}
    assert not excluded & entity_ids
    assert any(entry.get("message", "").startswith("Rep 1 ") for entry in response["result"])
