"""Faults on real parts: the broker restarts, the sensor drops off, Home Assistant restarts.

Each test sends reps, breaks something mid-set, sends more reps (the sensor's clock and sequence
number having run on meanwhile) and checks what the lifter did is all there, once.
"""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components import mqtt
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant, callback

from custom_components.rep_coach.engine import RepEngine
from custom_components.rep_coach.engine.protocol import discovery_topic, samples_topic
from custom_components.rep_coach.options import settings_from_options
from rep_coach_tools.batches import Batch
from rep_coach_tools.emulate import EndMode
from tests.tools.conftest import synthetic_readings

from .conftest import (
    SENSOR_ID,
    Bench,
    Emulator,
    Home,
    MosquittoServer,
    batch_payloads,
    continuation,
    reference_replay,
    standalone_home,
    wait_until,
)

OUTAGE_S = 120.0  # session seconds between the two parts: longer than any outage takes here
REPS_BEFORE = 3
REPS_AFTER = 3

pytestmark = pytest.mark.e2e


def _rep_keys(events: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    return [(e["side"], e["set"], e["rep"]) for e in events if e["type"] == "rep_completed"]


def _bench_reps(bench: Bench) -> list[tuple[str, int, int]]:
    return _rep_keys([event.data for event in bench.events])


def _two_parts() -> tuple[list[Any], list[Any]]:
    before = synthetic_readings(reps=REPS_BEFORE)
    after = continuation(before, synthetic_readings(reps=REPS_AFTER, away_s=0.0), OUTAGE_S)
    return before, after


async def _count_announcements(hass: HomeAssistant) -> list[str]:
    """Announcements Home Assistant receives from the emulator (retained or live)."""
    seen: list[str] = []
    await mqtt.async_subscribe(
        hass, discovery_topic(SENSOR_ID), callback(lambda msg: seen.append(str(msg.payload)))
    )
    return seen


def _assert_matches_reference(bench: Bench, sent: list[Batch]) -> None:
    reference = reference_replay(dict(bench.entry.options), batch_payloads(sent))
    state = reference.state
    assert state.total_reps == REPS_BEFORE + REPS_AFTER
    assert bench.value("total_reps") == str(state.total_reps)
    assert bench.value("left_reps") == str(state.left.reps)
    assert bench.value("right_reps") == str(state.right.reps)
    expected = _rep_keys(
        [
            {"type": t, **e.as_dict()}
            for t, e in zip(reference.types(), reference.events, strict=True)
        ]
    )
    assert _bench_reps(bench) == expected
    assert bench.coordinator.engine.counters.duplicates == 0


async def test_broker_restart_mid_set(
    home: Home, emulator: Emulator, mosquitto_server: MosquittoServer
) -> None:
    """HA and the sensor reconnect; reps before and after the restart are each counted once."""
    bench = await home.add_bench()
    announcements = await _count_announcements(home.hass)
    emulator.connect()
    before, after = _two_parts()
    await emulator.send(before)
    await bench.wait_for_payloads(len(emulator.sent))
    assert bench.value("reps_this_set") == str(REPS_BEFORE)

    await bench.subscriptions.wait_for_birth()
    mosquitto_server.stop()
    await wait_until(lambda: not mqtt.is_connected(home.hass), "HA to see the broker go")
    await wait_until(
        lambda: bench.value("total_reps") == STATE_UNAVAILABLE, "entities to become unavailable"
    )
    # An outage longer than the set's idle time: the open set closes (sensor_lost) in
    # Home Assistant as in the replay, whatever the machine's speed.
    await wait_until(lambda: "set_completed" in bench.types(), "the set to close for silence")
    heard = len(announcements)
    mosquitto_server.start()
    await wait_until(lambda: mqtt.is_connected(home.hass), "HA to reconnect")
    await bench.subscriptions.wait_for(samples_topic(SENSOR_ID), count=2)
    await bench.subscriptions.wait_for_birth(count=2)
    await wait_until(lambda: len(announcements) > heard, "the sensor to reconnect and announce")

    await emulator.send(after)
    await bench.wait_for_payloads(len(emulator.sent))
    print(f"\nreps: {_bench_reps(bench)}")
    _assert_matches_reference(bench, emulator.sent)
    assert bench.value("total_reps") == str(REPS_BEFORE + REPS_AFTER)


async def test_sensor_drops_off_mid_set(home: Home, emulator: Emulator) -> None:
    """The last will makes the entities unavailable and the set closes with its count kept;
    when the sensor returns, counting resumes."""
    bench = await home.add_bench()
    emulator.connect()
    before, after = _two_parts()
    await emulator.send(before)
    await bench.wait_for_payloads(len(emulator.sent))
    assert bench.value("in_set", "binary_sensor") == "on"

    emulator.close(EndMode.DROP)  # no DISCONNECT: Mosquitto publishes the will, "offline"
    await wait_until(
        lambda: bench.value("total_reps") == STATE_UNAVAILABLE, "the last will to arrive"
    )
    await wait_until(
        lambda: "set_completed" in bench.types(), "the set to close after the sensor left"
    )
    closed = next(e.data for e in bench.events if e.data["type"] == "set_completed")
    assert closed["reason"] in {"sensor_lost", "left_bench"}
    assert closed["reps"] == REPS_BEFORE
    assert bench.coordinator.engine.state.left.reps == REPS_BEFORE

    emulator.connect()  # back online: its retained "online" replaces the will
    await emulator.send(after)
    await bench.wait_for_payloads(len(emulator.sent))
    assert bench.value("total_reps") != STATE_UNAVAILABLE
    _assert_matches_reference(bench, emulator.sent)


@pytest.mark.usefixtures("session_clock")
async def test_home_assistant_restart_mid_session(
    mosquitto_server: MosquittoServer, emulator: Emulator, hass_storage: dict[str, Any]
) -> None:
    """Counters, side, set number and calibration come back after a restart, and the reps that
    follow add to them exactly as an engine restored from the same saved session counts."""
    before, after = _two_parts()
    broker = mosquitto_server.broker
    # One long set that no idle time ends: the restart falls in the middle of it.
    options = {"target_reps": 0, "idle_end_set_s": 600}
    async with standalone_home(broker) as first:
        bench = await first.add_bench(options=options)
        emulator.connect()
        await emulator.send(before)
        await bench.wait_for_payloads(len(emulator.sent))
        engine = bench.coordinator.engine
        saved_state = engine.state
        saved_export = engine.export_state()
    assert saved_state.calibration is not None
    assert saved_state.in_set
    assert saved_state.total_reps == REPS_BEFORE
    sent_before = len(emulator.sent)

    async with standalone_home(broker) as second:
        bench = await second.add_bench(options=options)
        state = bench.coordinator.engine.state
        assert state.calibration == saved_state.calibration
        assert (state.side, state.set_number, state.reps_this_set) == (
            saved_state.side,
            saved_state.set_number,
            saved_state.reps_this_set,
        )
        assert bench.value("total_reps") == str(REPS_BEFORE)
        assert bench.value("left_reps") == str(saved_state.left.reps)
        assert bench.value("current_side") == str(saved_state.side)
        assert bench.value("set_number") == str(saved_state.set_number)
        assert bench.value("reps_this_set") == str(REPS_BEFORE)

        await emulator.send(after)
        await bench.wait_for_payloads(len(emulator.sent) - sent_before)
        restored = RepEngine(settings_from_options(options))
        restored.restore_state(saved_export)
        reference = reference_replay(
            options, batch_payloads(emulator.sent[sent_before:]), engine=restored
        )
        print(
            f"\nafter the restart: {bench.value('total_reps')} reps in total, "
            f"{bench.value('reps_this_set')} in set {bench.value('set_number')}"
        )
        assert reference.state.total_reps == REPS_BEFORE + REPS_AFTER
        assert bench.value("total_reps") == str(reference.state.total_reps)
        assert bench.value("reps_this_set") == str(reference.state.reps_this_set)
        assert bench.value("set_number") == str(reference.state.set_number)
