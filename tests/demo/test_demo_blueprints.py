"""The demo's blueprints at work: the light goes green at the squeeze target, the rest timer
runs when a set ends, and the voice's words land in the logbook.

The demo runs at real speed here: Home Assistant times the readings as they arrive, so only at
1x does a squeeze last long enough to reach the hold target.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rep_coach_tools.demo import DEFAULT_PASSWORD, DEFAULT_USERNAME
from rep_coach_tools.demo_api import HassClient
from rep_coach_tools.demo_config import BENCH_LIGHT, REST_TIMER
from rep_coach_tools.waiting import wait_for_value

from .conftest import running_demo
from .events import EventRecorder

# The first set of the demo's session ends about a minute after the demo is ready.
FIRST_SET_TIMEOUT_S = 240.0
HOLD_COLOR = [0, 200, 83]  # the hold light blueprint's default colours
IDLE_COLOR = [255, 244, 229]
WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
RECORDED = ("rep_coach_event", "state_changed", "logbook_entry")


def light_cue(recorder: EventRecorder) -> tuple[int, int, int, int] | None:
    """Positions of a hold_reached, the light turning the hold colour after it, the rep being
    counted, and the light turning the calm colour after that; None until all have happened."""
    light = recorder.state_changes(BENCH_LIGHT)
    for reached, event in recorder.of_type("rep_coach_event", type="hold_reached"):
        rep = event["data"]["rep"]
        green = next(
            (
                position
                for position, state in light
                if position > reached
                and state["state"] == "on"
                and state["attributes"].get("rgb_color") == HOLD_COLOR
            ),
            None,
        )
        counted = next(
            (
                position
                for position, _ in recorder.of_type(
                    "rep_coach_event", type="rep_completed", rep=rep
                )
                if position > reached
            ),
            None,
        )
        if green is None or counted is None:
            continue
        calm = next(
            (
                position
                for position, state in light
                if position > counted and state["attributes"].get("rgb_color") == IDLE_COLOR
            ),
            None,
        )
        if calm is not None:
            return reached, green, counted, calm
    return None


def timer_run(recorder: EventRecorder) -> tuple[int, dict[str, Any], int, dict[str, Any]] | None:
    """A rest_started event and the rest timer turning active after it."""
    for started, event in recorder.of_type("rep_coach_event", type="rest_started"):
        for position, state in recorder.state_changes(REST_TIMER):
            if position > started and state["state"] == "active":
                return started, event["data"], position, state
    return None


@pytest.mark.e2e
@pytest.mark.slow
async def test_blueprints_drive_the_light_and_the_timer(
    socket_enabled: None, tmp_path: Path
) -> None:
    """The demo's automations, made from Rep Coach's installed blueprints, turn the bench light
    green when the squeeze reaches the hold target (and calm once the rep is counted), start
    the rest timer when the set ends, and write the counted reps to the logbook."""
    with running_demo(tmp_path / "demo", "--speed", "1") as demo:
        async with HassClient(demo.base_url) as client:
            tokens = await client.login(DEFAULT_USERNAME, DEFAULT_PASSWORD)
        async with EventRecorder(demo.base_url, tokens, RECORDED) as recorder:

            async def cue() -> tuple[int, int, int, int] | None:
                return light_cue(recorder)

            async def timer() -> tuple[int, dict[str, Any], int, dict[str, Any]] | None:
                return timer_run(recorder)

            reached, green, counted, calm = await wait_for_value(
                cue, "the hold light cue", timeout_s=FIRST_SET_TIMEOUT_S
            )
            _, rest, _, active = await wait_for_value(
                timer, "the rest timer to start", timeout_s=FIRST_SET_TIMEOUT_S
            )
            events = list(recorder.events)
        assert demo.stop() == 0, demo.console

    assert reached < green < counted < calm
    assert active["attributes"]["duration"] == f"0:{int(rest['duration_s']) // 60:02d}:00"
    voice = [
        event["data"]["message"]
        for event in events
        if event["event_type"] == "logbook_entry" and event["data"]["name"] == "Rep Coach voice"
    ]
    counted_reps = [
        event["data"]["rep"]
        for event in events
        if event["event_type"] == "rep_coach_event" and event["data"]["type"] == "rep_completed"
    ]
    assert counted_reps
    assert [WORDS[rep] for rep in counted_reps if rep < len(WORDS)] == [
        word for word in voice if word in WORDS
    ]
