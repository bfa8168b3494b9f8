"""Benchmark (prints figures, asserts no timing): the glue's cost per MQTT message at 50 Hz."""

from __future__ import annotations

import time

import pytest
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from rep_coach_tools.simulator import simulate_session

from .conftest import SESSION_SEED, FeedSession, state_of

RATE_HZ = 50.0


@pytest.mark.slow
async def test_cost_per_message_at_50_hz(
    hass: HomeAssistant, init_integration: MockConfigEntry, feed_session: FeedSession
) -> None:
    """Feed a 50 Hz session and print CPU time per message and state writes per reading."""
    readings = len(simulate_session(SESSION_SEED, rate_hz=RATE_HZ).readings)
    changes = async_capture_events(hass, EVENT_STATE_CHANGED)
    started = time.process_time()
    messages = await feed_session(rate_hz=RATE_HZ)
    cpu_s = time.process_time() - started
    print(
        f"\n{readings} readings at {RATE_HZ:.0f} Hz in {messages} messages: "
        f"{cpu_s / messages * 1e3:.2f} ms CPU per message (test harness included), "
        f"{len(changes)} state changes ({len(changes) / readings:.3f} per reading)"
    )
    assert int(state_of(hass, "sensor.hip_thrust_bench_total_reps").state) > 0
