"""End-to-end fixtures: a real Mosquitto, Home Assistant's real MQTT integration (its own paho
client on a loopback socket), Rep Coach, and the emulator publishing over the broker.

Sessions are sent ``SPEED`` times faster than real time and Rep Coach's clock runs ``SPEED``
times faster too, so the engine sees the session's own tempo (rep timing, rest and staleness in
session seconds) while a two-minute session takes a few seconds of test time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any
from unittest.mock import patch

import paho.mqtt.client as paho
import pytest
from homeassistant import loader
from homeassistant.components import mqtt
from homeassistant.components.mqtt.const import MQTT_PROCESSED_SUBSCRIPTIONS
from homeassistant.core import Event, HomeAssistant, State, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.util import slugify
from paho.mqtt.enums import CallbackAPIVersion
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.rep_coach.const import DOMAIN, EVENT_REP_COACH
from custom_components.rep_coach.coordinator import RepCoachCoordinator
from custom_components.rep_coach.discovery import entry_data as announced_entry_data
from custom_components.rep_coach.engine import EngineEvent, EngineState, RepEngine
from custom_components.rep_coach.engine.protocol import SensorAnnouncement, samples_topic
from custom_components.rep_coach.options import settings_from_options
from rep_coach_tools.batches import Batch, plan_batches
from rep_coach_tools.emulate import (
    EmulatedSensor,
    EndMode,
    Pacer,
    shift_readings,
    stream,
)
from rep_coach_tools.mqtt_client import parse_broker
from rep_coach_tools.simulator import SimReading
from rep_coach_tools.waiting import wait_until
from tests.mosquitto import (
    Broker,
    MosquittoServer,
    mosquitto,
    mosquitto_extra_config,
    mosquitto_server,
)

__all__ = ["mosquitto", "mosquitto_extra_config", "mosquitto_server"]

SPEED = 5.0  # a stall of 1 s (5 session seconds) would make the sensor look silent
WAIT_TIMEOUT_S = 30.0
ENTITY = "hip_thrust_bench"
SENSOR_ID = "bench_e2e"
BIRTH_TOPIC = "homeassistant/status"  # Home Assistant's default birth message: "online"


def scaled_clock(speed: float) -> Callable[[], float]:
    """Epoch seconds that pass ``speed`` times faster than real time (monotonic)."""
    origin, base = time.monotonic(), time.time()
    return lambda: base + (time.monotonic() - origin) * speed


@pytest.fixture
def session_clock() -> Iterator[Callable[[], float]]:
    """One fast clock for every coordinator of the test (also across a restart)."""
    clock = scaled_clock(SPEED)
    with patch("custom_components.rep_coach.coordinator.epoch_monotonic_clock", return_value=clock):
        yield clock


@pytest.fixture(autouse=True)
def empty_configuration_yaml() -> Iterator[None]:
    """MQTT reads configuration.yaml at set-up; the test configuration has none."""
    with patch("homeassistant.config.load_yaml_config_file", return_value={}):
        yield


@pytest.fixture(autouse=True)
def fast_mqtt_reconnect() -> Iterator[None]:
    """Home Assistant retries a lost broker every 10 s; a test need not wait that long."""
    with patch("homeassistant.components.mqtt.client.RECONNECT_INTERVAL_SECONDS", 0.2):
        yield


def entry_data(sensor_id: str) -> dict[str, Any]:
    """A bench's config entry data, as discovery of the emulator creates it."""
    return announced_entry_data(SensorAnnouncement.for_sensor(sensor_id))


@dataclass
class Subscriptions:
    """How often the broker acknowledged a subscription to each topic (resubscribes count), and
    how often Home Assistant's birth message came back."""

    acknowledged: dict[str, int] = field(default_factory=dict)
    births: int = 0

    @callback
    def birth(self, msg: mqtt.ReceiveMessage) -> None:
        """Count Home Assistant's own birth message, as the broker delivers it."""
        if msg.payload == "online":
            self.births += 1

    async def wait_for_birth(self, count: int = 1) -> None:
        """Until Home Assistant has published its birth message after (re)connecting.

        Its birth task fails if the connection drops before it publishes: let it finish before
        breaking the connection.
        """
        await wait_until(lambda: self.births >= count, f"birth message {count}")

    @callback
    def add(self, chunk: list[tuple[str, int]]) -> None:
        """Count one acknowledged SUBSCRIBE."""
        for topic, _qos in chunk:
            self.acknowledged[topic] = self.acknowledged.get(topic, 0) + 1

    async def wait_for(self, topic: str, count: int = 1) -> None:
        """Until the broker has acknowledged ``topic`` ``count`` times.

        Home Assistant debounces subscriptions: a payload published before the SUBACK is lost.
        """
        await wait_until(
            lambda: self.acknowledged.get(topic, 0) >= count, f"subscription {count} to {topic}"
        )


async def async_setup_mqtt(
    hass: HomeAssistant, broker: Broker
) -> tuple[MockConfigEntry, Subscriptions]:
    """Home Assistant's MQTT integration, connected to ``broker`` with its real client."""
    subscriptions = Subscriptions()
    async_dispatcher_connect(hass, MQTT_PROCESSED_SUBSCRIPTIONS, subscriptions.add)
    entry = MockConfigEntry(domain=mqtt.DOMAIN, data={"broker": broker.host, "port": broker.port})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await wait_until(lambda: mqtt.is_connected(hass), "Home Assistant to connect to Mosquitto")
    # Subscribed before the birth is sent: Home Assistant flushes subscriptions first.
    await mqtt.async_subscribe(hass, BIRTH_TOPIC, subscriptions.birth)
    return entry, subscriptions


@dataclass
class Bench:
    """Rep Coach set up for one sensor, and everything it fired on the bus."""

    hass: HomeAssistant
    entry: MockConfigEntry
    subscriptions: Subscriptions
    events: list[Event[dict[str, Any]]] = field(default_factory=list)

    @property
    def coordinator(self) -> RepCoachCoordinator:
        """The entry's runtime."""
        runtime: RepCoachCoordinator = self.entry.runtime_data
        return runtime

    def state(self, key: str, platform: str = "sensor") -> State:
        """The state of one of the bench's entities (it must exist)."""
        entity_id = f"{platform}.{slugify(self.entry.title)}_{key}"
        state = self.hass.states.get(entity_id)
        assert state is not None, f"{entity_id} has no state"
        return state

    def value(self, key: str, platform: str = "sensor") -> str:
        """The state string of one of the bench's entities."""
        return self.state(key, platform).state

    def types(self) -> list[str]:
        """Bus event types so far, in order."""
        return [event.data["type"] for event in self.events]

    async def wait_for_payloads(self, count: int) -> None:
        """Until the engine has read ``count`` payloads from the sensor topic."""
        await wait_until(
            lambda: self.coordinator.engine.counters.payloads >= count,
            f"{count} payloads (got {self.coordinator.engine.counters.payloads})",
        )


async def async_setup_bench(
    hass: HomeAssistant,
    subscriptions: Subscriptions,
    sensor_id: str = SENSOR_ID,
    options: dict[str, Any] | None = None,
) -> Bench:
    """Rep Coach for ``sensor_id`` (MQTT must be set up), recording its bus events.

    Returns once the broker has acknowledged the samples subscription.
    """
    entry = MockConfigEntry(
        domain=DOMAIN,
        # Entity ids follow the title: one bench keeps the default name, others their id.
        title="Hip thrust bench" if sensor_id == SENSOR_ID else sensor_id,
        unique_id=sensor_id,
        entry_id=f"entry_{sensor_id}",  # the same across a restart: the session store follows it
        data=entry_data(sensor_id),
        options=options or {},
    )
    entry.add_to_hass(hass)
    bench = Bench(hass, entry, subscriptions)

    @callback
    def record(event: Event[dict[str, Any]]) -> None:
        if event.data["entry_id"] == entry.entry_id:
            bench.events.append(event)

    hass.bus.async_listen(EVENT_REP_COACH, record)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await subscriptions.wait_for(samples_topic(sensor_id))
    return bench


@dataclass
class Home:
    """Home Assistant connected to the test broker."""

    hass: HomeAssistant
    subscriptions: Subscriptions

    async def add_bench(
        self, sensor_id: str = SENSOR_ID, options: dict[str, Any] | None = None
    ) -> Bench:
        """Set Rep Coach up for one more sensor."""
        return await async_setup_bench(self.hass, self.subscriptions, sensor_id, options)


@pytest.fixture
async def home(
    hass: HomeAssistant,
    enable_custom_integrations: None,
    mosquitto: Broker,
    session_clock: Callable[[], float],
) -> AsyncGenerator[Home]:
    """Home Assistant connected to the test broker."""
    mqtt_entry, subscriptions = await async_setup_mqtt(hass, mosquitto)
    yield Home(hass, subscriptions)
    # Disconnect while the broker still runs, so paho's socket closes before teardown checks.
    await hass.config_entries.async_unload(mqtt_entry.entry_id)


@asynccontextmanager
async def standalone_home(broker: Broker) -> AsyncIterator[Home]:
    """A Home Assistant of its own, connected to ``broker``, stopped as Home Assistant stops
    (final write of every store, no unload): two in a row are a restart.

    Exceptions that reach the event loop fail the test, as with the ``hass`` fixture.
    """
    loop = asyncio.get_running_loop()
    errors: list[dict[str, Any]] = []
    previous_handler = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: errors.append(context))
    try:
        async with async_test_home_assistant() as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
            _entry, subscriptions = await async_setup_mqtt(hass, broker)
            try:
                yield Home(hass, subscriptions)
            finally:
                await hass.async_stop()
    finally:
        loop.set_exception_handler(previous_handler)
    assert errors == []


@dataclass
class Emulator:
    """The emulated sensor (the ``rep-coach emulate`` code) driven from a worker thread."""

    broker: Broker
    sensor_id: str = SENSOR_ID
    speed: float = SPEED
    sent: list[Batch] = field(default_factory=list)
    _sensor: EmulatedSensor | None = None

    def connect(self) -> None:
        """Connect: retained announcement and ``online`` (the last will is ``offline``)."""
        self._sensor = EmulatedSensor(
            parse_broker(self.broker.address), SensorAnnouncement.for_sensor(self.sensor_id)
        )

    async def send(self, readings: Sequence[SimReading]) -> list[Batch]:
        """Publish ``readings`` as the firmware batches them, paced at ``speed``."""
        sensor = self._sensor
        assert sensor is not None, "connect() first"
        batches = plan_batches(readings)
        await asyncio.to_thread(
            stream, sensor, iter([readings]), Pacer(speed=self.speed), on_batch=self.sent.append
        )
        return batches

    def close(self, mode: EndMode = EndMode.OFFLINE) -> None:
        """Leave: ``offline`` cleanly, or ``drop`` the connection so the broker sends the will."""
        if self._sensor is not None:
            self._sensor.close(mode)
            self._sensor = None


@pytest.fixture
def emulator(mosquitto: Broker) -> Iterator[Emulator]:
    """An emulated sensor on the test broker (connect it in the test)."""
    emulated = Emulator(mosquitto)
    yield emulated
    emulated.close()


@dataclass
class Reference:
    """The engine alone, fed the same payloads with their device-side timing."""

    state: EngineState
    events: list[EngineEvent]

    def types(self) -> list[str]:
        """Bus event types the integration would fire, in order."""
        return [event.bus_type for event in self.events]


def reference_replay(
    options: dict[str, Any],
    payloads: Sequence[tuple[float, str]],
    *,
    engine: RepEngine | None = None,
) -> Reference:
    """Replay ``(send time, payload)`` through a standalone :class:`RepEngine` with a 1 s tick."""
    engine = engine or RepEngine(settings_from_options(options))
    events: list[EngineEvent] = []
    next_tick: float | None = None
    for arrival, payload in payloads:
        next_tick = arrival if next_tick is None else next_tick
        while next_tick <= arrival:
            events += engine.tick(next_tick)
            next_tick += 1.0
        events += engine.feed_payload(payload, arrival).events
    return Reference(engine.state, events)


def publish_raw(broker: Broker, topic: str, payloads: Sequence[bytes]) -> None:
    """Publish arbitrary bytes in order from a client of its own; returns once all are sent."""
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id="raw-publisher")
    client.connect(broker.host, broker.port)
    client.loop_start()
    try:
        infos = [client.publish(topic, payload) for payload in payloads]
        for info in infos:
            info.wait_for_publish(timeout=WAIT_TIMEOUT_S)
    finally:
        client.disconnect()
        client.loop_stop()


def continuation(
    before: Sequence[SimReading], readings: Sequence[SimReading], gap_s: float
) -> list[SimReading]:
    """``readings`` moved to start ``gap_s`` after the last of ``before``: the sensor kept
    sampling (its clock and sequence number ran on) while nothing was delivered."""
    last = before[-1]
    period = before[-1].t - before[-2].t
    anchor = replace(
        last,
        t=last.t + gap_s,
        arrival_t=last.arrival_t + gap_s,
        device_ms=last.device_ms + round(gap_s * 1000),
        seq=last.seq + round(gap_s / period),
    )
    return shift_readings(readings, anchor)


def batch_payloads(batches: Sequence[Batch]) -> list[tuple[float, str]]:
    """``(send time, payload)`` of planned batches."""
    return [(batch.send_t, batch.payload) for batch in batches]


__all__ += [
    "Bench",
    "Emulator",
    "Home",
    "MosquittoServer",
    "Reference",
    "Subscriptions",
    "async_setup_bench",
    "async_setup_mqtt",
    "batch_payloads",
    "continuation",
    "publish_raw",
    "reference_replay",
    "standalone_home",
    "wait_until",
]
