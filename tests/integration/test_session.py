"""A recorded (seeded, simulated) session fed over MQTT drives the entities and events."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, EventStateReportedData, HomeAssistant, callback
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.rep_coach.const import DOMAIN, EVENT_REP_COACH
from custom_components.rep_coach.engine import EngineState, RepEngine, Side
from custom_components.rep_coach.options import settings_from_options
from rep_coach_tools.simulator import simulate_session

from .conftest import (
    ENTRY_DATA,
    FIXTURES,
    SENSOR_ID,
    SESSION_RATE_HZ,
    SESSION_SEED,
    FeedSession,
    Replay,
    recorded_messages,
    state_of,
)

ENTITY = "hip_thrust_bench"


@pytest.fixture
def mock_config_entry(request: pytest.FixtureRequest) -> MockConfigEntry:
    """The bench set up with the program the lifter follows (the simulated one, or a recording's)."""
    recording: str | None = getattr(request, "param", None)
    if recording is None:
        truth = simulate_session(SESSION_SEED, rate_hz=SESSION_RATE_HZ).truth["settings"]
    else:
        truth = json.loads((FIXTURES / f"{recording}.truth.json").read_text())["settings"]
    options = {"program": truth["program"], "variation": truth["variation"]}
    return MockConfigEntry(
        domain=DOMAIN,
        title="Hip thrust bench",
        unique_id=SENSOR_ID,
        data=dict(ENTRY_DATA),
        options=options,
    )


def _ours(data: Mapping[str, Any]) -> bool:
    return str(data["entity_id"]).split(".")[1].startswith(ENTITY)


async def test_recorded_session_drives_entities(
    hass: HomeAssistant, init_integration: MockConfigEntry, feed_session: FeedSession
) -> None:
    """Counts, sides, sets and events follow what the lifter really did."""
    truth = simulate_session(SESSION_SEED, rate_hz=SESSION_RATE_HZ).truth
    bus = async_capture_events(hass, EVENT_REP_COACH)
    state_changes = async_capture_events(hass, EVENT_STATE_CHANGED)

    messages = await feed_session()

    reps = {
        side: sum(s["reps"] for s in truth["sets"] if s["side"] == side)
        for side in ("left", "right")
    }
    sets = Counter(s["side"] for s in truth["sets"])
    assert state_of(hass, f"sensor.{ENTITY}_total_reps").state == str(sum(reps.values()))
    assert state_of(hass, f"sensor.{ENTITY}_left_reps").state == str(reps["left"])
    assert state_of(hass, f"sensor.{ENTITY}_right_reps").state == str(reps["right"])
    assert state_of(hass, f"sensor.{ENTITY}_left_sets").state == str(sets["left"])
    assert state_of(hass, f"sensor.{ENTITY}_right_sets").state == str(sets["right"])

    types = Counter(event.data["type"] for event in bus)
    assert types["rep_completed"] == sum(reps.values())
    assert types["set_completed"] == len(truth["sets"])
    completed = [event.data for event in bus if event.data["type"] == "rep_completed"]
    assert {event.data["device_id"] for event in bus} == {init_integration.runtime_data.device_id}
    assert {event.data["entry_id"] for event in bus} == {init_integration.entry_id}
    assert {
        "side",
        "set",
        "rep",
        "hold_s",
        "eccentric_s",
        "lowering_s",
        "concentric_s",
        "rom_mm",
        "rom_pct",
        "warnings",
    } <= set(completed[0])
    assert all(event["lowering_s"] == event["eccentric_s"] for event in completed)
    assert [event["rep"] for event in completed[:3]] == [1, 2, 3]

    last = completed[-1]
    # The states carry 0.01 s (what the sensor resolves), the events the engine's milliseconds.
    assert float(state_of(hass, f"sensor.{ENTITY}_last_hold_time").state) == pytest.approx(
        last["hold_s"], abs=0.005 + 1e-9
    )
    assert float(state_of(hass, f"sensor.{ENTITY}_last_lowering_time").state) == pytest.approx(
        last["eccentric_s"], abs=0.005 + 1e-9
    )
    rep_entity = state_of(hass, f"event.{ENTITY}_rep")
    assert rep_entity.attributes["event_type"] == "completed"
    assert rep_entity.attributes["rep"] == last["rep"]
    assert rep_entity.attributes["lowering_s"] == rep_entity.attributes["eccentric_s"]
    set_entity = state_of(hass, f"event.{ENTITY}_set")
    assert set_entity.attributes["event_type"] == "completed"

    changes = [event for event in state_changes if _ours(event.data)]
    readings = len(simulate_session(SESSION_SEED, rate_hz=SESSION_RATE_HZ).readings)
    print(f"\n{readings} readings in {messages} MQTT messages -> {len(changes)} state changes")


async def test_no_state_written_at_sample_rate(
    hass: HomeAssistant, init_integration: MockConfigEntry, feed_session: FeedSession
) -> None:
    """Entities write only when what they show changes: nothing is re-reported per sample."""
    reported: list[Event[EventStateReportedData]] = []
    hass.bus.async_listen(EVENT_STATE_REPORTED, reported.append, event_filter=callback(_ours))
    await feed_session(limit_s=40.0)
    assert state_of(hass, f"sensor.{ENTITY}_total_reps").state != "0"
    assert reported == []


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_hip_position_throttled(
    hass: HomeAssistant, init_integration: MockConfigEntry, feed_session: FeedSession
) -> None:
    """The live hip position writes at most twice a second, and does move."""
    entity_id = f"sensor.{ENTITY}_hip_position"
    writes = async_capture_events(hass, EVENT_STATE_CHANGED)
    await feed_session(limit_s=45.0)
    times = [
        event.data["new_state"].last_updated
        for event in writes
        if event.data["entity_id"] == entity_id
    ]
    print(f"\nhip position: {len(times)} writes in 45 s of 10 Hz samples")
    assert len(times) > 10
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert min(gaps) >= timedelta(seconds=0.5)


def _reference_state(options: Mapping[str, Any], messages: list[tuple[float, str]]) -> EngineState:
    """The engine alone, fed the same payloads at the same times with a 1 s tick."""
    engine = RepEngine(settings_from_options(options))
    next_tick = 1.0
    for arrival, payload in messages:
        while next_tick <= arrival:
            engine.tick(next_tick)
            next_tick += 1.0
        engine.feed_payload(payload, arrival)
    return engine.state


@pytest.mark.parametrize("mock_config_entry", ["session"], indirect=True)
async def test_recorded_fixture_session(
    hass: HomeAssistant, init_integration: MockConfigEntry, replay: Replay
) -> None:
    """The committed recording (tests/fixtures/session.jsonl) shows what the engine counts."""
    messages = recorded_messages("session")
    await replay(messages)
    reference = _reference_state(init_integration.options, messages)
    truth = json.loads((FIXTURES / "session.truth.json").read_text())
    for side in ("left", "right"):
        stats = reference.side_stats(Side(side))
        true_reps = sum(item["reps"] for item in truth["sets"] if item["side"] == side)
        print(f"\n{side}: {stats.reps} reps counted, {true_reps} in the recording's truth")
        assert state_of(hass, f"sensor.{ENTITY}_{side}_reps").state == str(stats.reps)
        assert state_of(hass, f"sensor.{ENTITY}_{side}_sets").state == str(stats.sets)
    assert state_of(hass, f"sensor.{ENTITY}_total_reps").state == str(reference.total_reps)
    assert reference.total_reps > 0


async def test_states_carry_what_the_sensor_resolves(
    hass: HomeAssistant, init_integration: MockConfigEntry, feed_session: FeedSession
) -> None:
    """Times to 0.01 s and percentages to 0.1 %: the engine's raw figures, rounded, are what
    Home Assistant stores (templates, TTS and exports read these)."""
    await feed_session()
    state = init_integration.runtime_data.engine.state
    assert state.last_rep is not None
    expected = {
        "last_hold_time": round(state.last_rep.hold_s, 2),
        "last_lowering_time": round(state.last_rep.eccentric_s, 2),
        "last_range": round(state.last_rep.rom_pct, 1),
        "time_under_tension": round(
            state.left.time_under_tension_s + state.right.time_under_tension_s, 2
        ),
    }
    if state.imbalance_pct is not None:
        expected["imbalance"] = round(state.imbalance_pct, 1)
    shown = {key: float(state_of(hass, f"sensor.hip_thrust_bench_{key}").state) for key in expected}
    assert shown == expected
    for key, value in shown.items():
        decimals = 1 if key in {"last_range", "imbalance"} else 2
        assert value == round(value, decimals), key
