"""Fixtures for the command-line tools: a real Mosquitto broker, an MQTT recorder and
synthetic readings.

The broker fixtures live in tests/mosquitto.py, shared with the end-to-end tests.
"""

from __future__ import annotations

import argparse
import json
import math
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import paho.mqtt.client as paho
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from rep_coach_tools.simulator import SimReading
from tests.mosquitto import Broker, mosquitto, mosquitto_extra_config, mosquitto_server

__all__ = ["mosquitto", "mosquitto_extra_config", "mosquitto_server"]  # fixtures for the tests here

WAIT_TIMEOUT_S = 20.0


@dataclass(frozen=True, slots=True)
class Received:
    """One message a recorder saw."""

    topic: str
    payload: bytes
    retain: bool

    @property
    def text(self) -> str:
        """The payload as text."""
        return self.payload.decode()

    def json(self) -> Any:
        """The payload as JSON."""
        return json.loads(self.payload)


@dataclass
class Recorder:
    """Subscribes before anything is published and keeps every message, in order."""

    messages: list[Received] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def add(self, message: Received) -> None:
        with self._changed:
            self.messages.append(message)
            self._changed.notify_all()

    def on(self, topic: str) -> list[Received]:
        """Messages seen on ``topic``."""
        with self._changed:
            return [message for message in self.messages if message.topic == topic]

    def wait_for(self, condition: Callable[[list[Received]], bool], what: str) -> None:
        """Block until ``condition(messages)`` holds (fails after a generous timeout)."""
        with self._changed:
            if not self._changed.wait_for(lambda: condition(self.messages), WAIT_TIMEOUT_S):
                pytest.fail(f"timed out waiting for {what}; got {len(self.messages)} messages")


@pytest.fixture
def mqtt_recorder(mosquitto: Broker) -> Iterator[Callable[..., Recorder]]:
    """``mqtt_recorder(*topics)``: a Recorder subscribed (and acknowledged) to ``topics``."""
    clients: list[paho.Client] = []

    def start(*topics: str) -> Recorder:
        recorder = Recorder()
        subscribed = threading.Event()
        client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"recorder-{len(clients)}")
        client.on_message = lambda _c, _u, msg: recorder.add(
            Received(msg.topic, bytes(msg.payload), bool(msg.retain))
        )
        client.on_connect = lambda c, _u, _f, _r, _p: c.subscribe([(t, 1) for t in topics])
        client.on_subscribe = lambda _c, _u, _m, _r, _p: subscribed.set()
        client.connect(mosquitto.host, mosquitto.port)
        client.loop_start()
        clients.append(client)
        assert subscribed.wait(WAIT_TIMEOUT_S), "recorder could not subscribe"
        return recorder

    yield start
    for client in clients:
        client.disconnect()
        client.loop_stop()


def synthetic_readings(
    *,
    reps: int = 3,
    rate_hz: float = 50.0,
    bottom_mm: float = 620.0,
    top_mm: float = 420.0,
    away_s: float = 1.0,
    device_ms_start: int = 5000,
) -> list[SimReading]:
    """A small, exact session: nobody in view, then ``reps`` clean reps (1 s up, 1.5 s hold,
    2.5 s down, 1.5 s at the bottom) with the sensor above the hips. Arrival is 15 ms late."""
    segments = [("away", away_s), ("bottom", 2.0)]
    for _ in range(reps):
        segments += [("up", 1.0), ("hold", 1.5), ("down", 2.5), ("bottom", 1.5)]
    readings: list[SimReading] = []
    period = 1.0 / rate_hz
    for kind, duration in segments:
        count = round(duration * rate_hz)
        for step in range(count):
            eased = (1 - math.cos(math.pi * step / count)) / 2
            distance: float | None = {
                "away": None,
                "bottom": bottom_mm,
                "hold": top_mm,
                "up": bottom_mm + (top_mm - bottom_mm) * eased,
                "down": top_mm + (bottom_mm - top_mm) * eased,
            }[kind]
            t = len(readings) * period
            readings.append(
                SimReading(
                    t=t,
                    arrival_t=t + 0.015,
                    device_ms=device_ms_start + round(t * 1000),
                    seq=len(readings),
                    distance_mm=distance,
                    status=0 if distance is not None else 4,
                )
            )
    return readings


@pytest.fixture
def make_readings() -> Callable[..., list[SimReading]]:
    """:func:`synthetic_readings`, for tests to call with their own parameters."""
    return synthetic_readings


def run_command(
    register: Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None],
    argv: list[str],
) -> int:
    """Parse ``argv`` with one command module's parser (as ``rep-coach`` would) and run it."""
    parser = argparse.ArgumentParser(prog="rep-coach")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    return func(args)
