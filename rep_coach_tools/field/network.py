"""Delivery as MQTT QoS 0 over Wi-Fi really fails (a layer on the hold-out's delivery).

What cannot happen is left out: a topic's messages travel on one TCP connection from the
sensor to the broker and on another from the broker to Home Assistant, MQTT keeps the order of
one topic's messages at every QoS, and QoS 0 never sends a message twice; the firmware numbers
every reading (``seq``) and stamps it with its clock (``t``). So readings never arrive out of
order, and a batch never arrives twice. What does happen:

- Wi-Fi outages of 1-8 s (2-4 per session: roaming, interference, the access point): the
  batches the client had queued die with the connection (QoS 0); the firmware's buffer keeps the
  newest 20 readings and sends them as one batch 0.1-0.6 s after the link is back; the ``seq``
  gap is the only trace;
- now and then a batch lost on the way (0.1-0.5 % of messages);
- ESPHome's plain topic (retained, QoS 0, no time in it): nothing is buffered, readings during
  an outage are lost; when the outage was the broker restarting (one in two), Home Assistant
  resubscribes and gets the retained value it already had, late, timed on arrival: the only
  duplicate a real stream carries; in one session in two the first message is the retained
  value of another time (subscribing at start-up).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any

from custom_components.rep_coach.engine.protocol import FIRMWARE_BATCH

from ..sim.model import SimReading

OUTAGES = (2, 4)
OUTAGE_S = (1.0, 8.0)
RECONNECT_S = (0.1, 0.6)
LOSS = (0.001, 0.005)
STEP_S = 0.001  # messages that queue behind a burst arrive just after it, one by one


@dataclass(frozen=True, slots=True)
class Outage:
    """No delivery from ``start_t`` to ``end_t``; ``cause``: ``wifi`` or ``broker`` (restart)."""

    start_t: float
    end_t: float
    cause: str


def draw_outages(rng: random.Random, duration_s: float, *, plain: bool) -> tuple[Outage, ...]:
    """2-4 outages, 5 s apart or more, none in the first 5 or last 10 seconds."""
    outages: list[Outage] = []
    for _ in range(200):
        if len(outages) >= rng.randint(*OUTAGES):
            break
        start = rng.uniform(5.0, max(6.0, duration_s - 10.0 - OUTAGE_S[1]))
        end = start + rng.uniform(*OUTAGE_S)
        if all(end + 5.0 < o.start_t or start > o.end_t + 5.0 for o in outages):
            cause = "broker" if plain and rng.random() < 0.5 else "wifi"
            outages.append(Outage(start, end, cause))
    return tuple(sorted(outages, key=lambda o: o.start_t))


def _groups(readings: list[SimReading], plain: bool) -> list[list[SimReading]]:
    """Messages: a firmware batch is the readings that arrive together; plain, one each."""
    groups: list[list[SimReading]] = []
    for reading in readings:
        if groups and not plain and reading.arrival_t == groups[-1][0].arrival_t:
            groups[-1].append(reading)
        else:
            groups.append([reading])
    return groups


@dataclass(slots=True)
class _Arrivals:
    """What reaches Home Assistant, in arrival order (arrival times never go back)."""

    readings: list[SimReading]
    floor: float = -1.0

    def emit(self, group: list[SimReading], arrival: float) -> None:
        at = max(arrival, self.floor + STEP_S) if self.readings else arrival
        self.readings.extend(replace(r, arrival_t=at) for r in group)
        self.floor = at


def lossy(
    rng: random.Random, readings: list[SimReading], *, plain: bool, duration_s: float
) -> tuple[list[SimReading], dict[str, Any]]:
    """The readings as they arrive through outages and losses, and what happened (for truth)."""
    outages = draw_outages(rng, duration_s, plain=plain)
    loss = rng.uniform(*LOSS)
    out = _Arrivals([])
    report: dict[str, Any] = {
        "outages": [[o.start_t, o.end_t, o.cause] for o in outages],
        "loss": loss,
        "lost_messages": 0,
        "lost_readings": 0,
        "duplicates": 0,
        "retained_first": False,
    }
    if plain and readings and rng.random() < 0.5:
        first = next((r.distance_mm for r in readings if r.distance_mm), None)
        if first is not None:
            old = float(round(first * rng.uniform(0.5, 1.5)))
            ago = rng.uniform(60.0, 3600.0)
            out.emit([SimReading(-ago, 0.0, readings[0].device_ms, readings[0].seq, old, 0)], 0.0)
            report["retained_first"] = True
    pending = list(outages)
    held: list[SimReading] = []  # readings taken during the current outage
    for group in _groups(readings, plain):
        t = group[-1].t  # when the message was published
        while pending and t >= pending[0].end_t:
            _reconnect(rng, pending.pop(0), held, out, plain, report)
            held = []
        if pending and t >= pending[0].start_t:
            held.extend(group)
            continue
        if rng.random() < loss:
            report["lost_messages"] += 1
            report["lost_readings"] += len(group)
            continue
        out.emit(group, group[0].arrival_t)
    for outage in pending:
        _reconnect(rng, outage, held, out, plain, report)
        held = []
    return out.readings, report


def _reconnect(
    rng: random.Random,
    outage: Outage,
    held: list[SimReading],
    out: _Arrivals,
    plain: bool,
    report: dict[str, Any],
) -> None:
    """What reaches Home Assistant when the link is back."""
    back = outage.end_t + rng.uniform(*RECONNECT_S)
    if plain:
        report["lost_readings"] += len(held)
        if outage.cause == "broker" and out.readings:
            out.emit([out.readings[-1]], back)  # the retained value it already had
            report["duplicates"] += 1
        return
    kept = held[-FIRMWARE_BATCH:]
    report["lost_readings"] += len(held) - len(kept)
    if kept:
        out.emit(kept, back)
