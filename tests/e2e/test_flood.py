"""A sensor misconfigured to publish 1,000+ messages/s: rate-limited with one log line, and Home
Assistant keeps up (event-loop lag printed; another bench keeps counting every rep)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from datetime import timedelta

import paho.mqtt.client as paho
import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from paho.mqtt.enums import CallbackAPIVersion
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_mqtt_message,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import MqttMockHAClient

from custom_components.rep_coach.const import DOMAIN
from custom_components.rep_coach.engine.protocol import samples_topic
from custom_components.rep_coach.ratelimit import BURST_MESSAGES, MAX_MESSAGES_PER_S
from rep_coach_tools.loadbench import LoopLagProbe
from tests.mosquitto import Broker
from tests.tools.conftest import synthetic_readings

from .conftest import Emulator, Home, batch_payloads, entry_data, reference_replay

FLOOD_RATE = 2000  # messages/s
FLOOD_S = 3.0
FLOODED = "bench_flooded"
RATE_WARNING = "dropping the excess"
BACK_TO_NORMAL = "messages were dropped"


def _reading(seq: int) -> str:
    """One reading per message, as a sensor without batching at a very high rate sends it."""
    return json.dumps({"d": 600.0, "t": 10_000 + seq, "seq": seq, "status": 0})


def _warnings(caplog: pytest.LogCaptureFixture, text: str) -> int:
    return sum(1 for record in caplog.records if text in record.getMessage())


async def test_flood_is_rate_limited_before_decoding(
    hass: HomeAssistant,
    enable_custom_integrations: None,
    mqtt_mock: MqttMockHAClient,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Within one instant only the burst allowance reaches the engine; one warning for the whole
    flood, one line when it is over, drops counted for diagnostics."""
    entry = MockConfigEntry(
        domain=DOMAIN, title=FLOODED, unique_id=FLOODED, data=entry_data(FLOODED)
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    coordinator = entry.runtime_data
    flood = 3 * int(BURST_MESSAGES)

    for seq in range(flood):  # time stands still: a flood far above any rate
        async_fire_mqtt_message(hass, samples_topic(FLOODED), _reading(seq))
    await hass.async_block_till_done()

    assert coordinator.engine.counters.payloads == int(BURST_MESSAGES)
    assert coordinator.rate_limit.dropped == flood - int(BURST_MESSAGES)
    assert coordinator.rate_limit.as_dict()["flooding"] is True
    assert _warnings(caplog, RATE_WARNING) == 1
    total_reps = hass.states.get(f"sensor.{FLOODED}_total_reps")
    assert total_reps is not None
    assert total_reps.state == "0"

    for _ in range(2):  # two quiet ticks: the flood is over
        freezer.tick(timedelta(seconds=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    assert _warnings(caplog, BACK_TO_NORMAL) == 1
    assert coordinator.rate_limit.as_dict() == {
        "max_messages_per_s": MAX_MESSAGES_PER_S,
        "burst": BURST_MESSAGES,
        "dropped": flood - int(BURST_MESSAGES),
        "floods": 1,
        "flooding": False,
    }
    async_fire_mqtt_message(hass, samples_topic(FLOODED), _reading(flood))
    await hass.async_block_till_done()
    assert coordinator.engine.counters.payloads == int(BURST_MESSAGES) + 1


def _flood(broker: Broker, topic: str, rate: float, duration_s: float) -> int:
    """Publish one reading per message at ``rate`` messages/s for ``duration_s``; returns sent."""
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id="flooder")
    client.max_queued_messages_set(0)
    client.connect(broker.host, broker.port)
    client.loop_start()
    sent = 0
    start = time.monotonic()
    try:
        while (elapsed := time.monotonic() - start) < duration_s:
            due = int(elapsed * rate) + 1
            while sent < due:
                client.publish(topic, _reading(sent))
                sent += 1
            time.sleep(0.005)  # pacing of the publisher, not a synchronisation
        info = client.publish(topic, _reading(sent))
        sent += 1
        info.wait_for_publish(timeout=10)
    finally:
        client.disconnect()
        client.loop_stop()
    return sent


@pytest.mark.e2e
async def test_flood_through_the_broker(
    home: Home, emulator: Emulator, mosquitto: Broker, caplog: pytest.LogCaptureFixture
) -> None:
    """One bench floods the broker at 2,000 messages/s while another is in a set: the flood is
    cut to the limit with one warning, and the other bench counts every rep."""
    flooded = await home.add_bench(FLOODED)
    bench = await home.add_bench()
    probe = LoopLagProbe(asyncio.get_running_loop())
    probe.start()
    emulator.connect()

    flood_done = threading.Event()
    flood_sent: list[int] = []

    def flood() -> None:
        flood_sent.append(_flood(mosquitto, samples_topic(FLOODED), FLOOD_RATE, FLOOD_S))
        flood_done.set()

    flooding = asyncio.create_task(asyncio.to_thread(flood))
    batches = await emulator.send(synthetic_readings(reps=3))
    await flooding
    await bench.wait_for_payloads(len(batches))
    probe.stop()

    limiter = flooded.coordinator.rate_limit
    received = flooded.coordinator.engine.counters.payloads + limiter.dropped
    print(
        f"\nflood: {flood_sent[0]} messages in {FLOOD_S:g} s ({flood_sent[0] / FLOOD_S:,.0f}/s); "
        f"Home Assistant received {received}, passed {flooded.coordinator.engine.counters.payloads},"
        f" dropped {limiter.dropped}; event-loop lag max {probe.max_ms:.1f} ms, "
        f"p99 {probe.percentile_ms(99):.1f} ms over {len(probe.lags_ms)} probes"
    )
    assert flood_sent[0] >= 1000 * FLOOD_S
    assert limiter.dropped > 0
    assert _warnings(caplog, RATE_WARNING) == 1
    reference = reference_replay({}, batch_payloads(batches))
    assert reference.state.total_reps == 3
    # The engine's count, not the entity's state: once the session is over the sensor goes silent
    # and, at SPEED, the entities turn unavailable within a second, maybe before the flood ends.
    assert bench.coordinator.engine.state.total_reps == 3
    assert [e.data["rep"] for e in bench.events if e.data["type"] == "rep_completed"] == [1, 2, 3]
    assert "sensor_lost" not in {e.data.get("reason") for e in bench.events}
    assert bench.coordinator.rate_limit.dropped == 0
