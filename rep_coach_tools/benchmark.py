"""Running the engine as Home Assistant does, a hand-built baseline, and speed and memory.

Everything here is measured, nothing asserted: ``rep-coach bench`` prints it. Scoring is in
:mod:`.scoring`, the corpora and checks in :mod:`.bench_suite`.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Callable, Iterable
from typing import Any

from custom_components.rep_coach.engine.core import RepEngine
from custom_components.rep_coach.engine.events import RepEvent
from custom_components.rep_coach.engine.protocol import encode_plain, encode_readings
from custom_components.rep_coach.engine.settings import Side

from .batches import wire_reading
from .scoring import Emitted
from .simulator import SimReading, SimSession

__all__ = [
    "Emitted",
    "memory_growth",
    "payloads",
    "restarted",
    "run_baseline",
    "run_engine",
    "throughput",
]


def payloads(session: SimSession) -> Iterable[tuple[float, str, list[SimReading]]]:
    """The session's MQTT payloads in arrival order: (arrival time, payload, readings).

    A firmware batch is the readings that arrive together; ESPHome's plain topic carries one
    reading per message, even when a Wi-Fi stall delivers several at the same moment. A stream
    whose parts carry their own format (``truth["parts"]``, a firmware update) sends each part
    in it.
    """
    formats = _formats(session)
    group: list[SimReading] = []
    plain, decimals = formats[0][1:]  # the format of the readings in ``group``
    for reading in session.readings:
        while len(formats) > 1 and reading.t >= formats[1][0]:
            formats = formats[1:]
        part_plain, part_decimals = formats[0][1:]
        if group and (plain or part_plain != plain or reading.arrival_t != group[0].arrival_t):
            yield group[0].arrival_t, _payload(group, plain, decimals), group
            group = []
        plain, decimals = part_plain, part_decimals
        group.append(reading)
    if group:
        yield group[0].arrival_t, _payload(group, plain, decimals), group


def _formats(session: SimSession) -> list[tuple[float, bool, int]]:
    """(start time, plain, decimals) of each part of the stream, in time order."""
    parts = session.truth.get("parts") or []
    if not parts or "plain" not in parts[0]:
        return [(float("-inf"), session.plain, session.plain_decimals)]
    return [(float(p["start_t"]), bool(p["plain"]), int(p["plain_decimals"])) for p in parts]


def _payload(group: list[SimReading], plain: bool, decimals: int) -> str:
    if plain:
        return encode_plain(group[0].distance_mm, decimals)
    return encode_readings([wire_reading(reading) for reading in group])


def run_engine(session: SimSession) -> list[Emitted]:
    """Feed the session's payloads as Home Assistant would and collect what comes out; where
    the truth lists Home Assistant restarts, a new engine goes on from the old one's snapshot."""
    engine = RepEngine(session.settings())
    out: list[Emitted] = []
    last_tick = 0.0
    restarts = [(float(down), float(up)) for down, up in session.truth.get("restarts", [])]
    for arrival, payload, _ in payloads(session):
        if restarts and arrival >= restarts[0][0]:  # Home Assistant went down and came back
            _, up = restarts.pop(0)
            engine = restarted(engine, session)
            last_tick = max(last_tick, float(int(up)))
        while arrival - last_tick >= 1.0:  # HA ticks the engine once a second
            last_tick += 1.0
            out.extend(Emitted(last_tick, ev) for ev in engine.tick(last_tick))
        result = engine.feed_payload(payload, arrival)
        out.extend(Emitted(arrival, ev) for ev in result.events)
    out.extend(Emitted(last_tick + 30.0, ev) for ev in engine.tick(last_tick + 30.0))
    return out


def restarted(engine: RepEngine, session: SimSession) -> RepEngine:
    """The engine Home Assistant starts again: a new one, from the stopped one's saved state
    (through JSON, as the store keeps it)."""
    saved = json.loads(json.dumps(engine.export_state()))
    fresh = RepEngine(session.settings())
    fresh.restore_state(saved)
    return fresh


def _baseline_heights(truth: dict[str, Any]) -> tuple[Callable[[float], float], float, float]:
    """Distance -> hip height, the seated level and the range, from the truth (generous)."""
    nearer = truth["orientation"] == "nearer"
    geometry = truth["geometry"]
    rom = float(truth["rom_mm"])
    if "mount_mm" in geometry:  # classic: heights above the floor
        mount, under = float(geometry["mount_mm"]), float(geometry["under_mm"])
        bottom = float(truth["bottom_mm"])
        return (lambda d: mount - d) if nearer else (lambda d: d - under), bottom, rom
    seat = float(truth["bottom_mm"])
    return (lambda d: seat - d) if nearer else (lambda d: d - seat), 0.0, rom


def run_baseline(session: SimSession) -> list[Emitted]:
    """Plain two-threshold hysteresis on a calibrated min/max, as users build by hand.

    Calibration is generous: the true seated level and range of the first set. Up at 70 %, down
    at 30 % of the range; hold = time above 70 %, lowering = 70 % down to 30 %.
    """
    height, bottom, rom = _baseline_heights(session.truth)
    up, down = bottom + 0.7 * rom, bottom + 0.3 * rom
    out: list[Emitted] = []
    is_up = False
    up_t = above_end = 0.0
    for reading in session.readings:
        d = reading.distance_mm
        if d is None or d in (0.0, 8190.0, 8191.0, 65535.0) or reading.status >= 4:
            continue  # HA shows these as unavailable
        h = height(d)
        t = reading.arrival_t if session.plain else reading.t
        if not is_up and h >= up:
            is_up, up_t = True, t
        elif is_up and h < up and above_end <= up_t:
            above_end = t
        elif is_up and h <= down:
            is_up = False
            rep = _baseline_rep(t, up_t, max(0.0, above_end - up_t), t - above_end)
            out.append(Emitted(reading.arrival_t, rep))
        if is_up and h >= up:
            above_end = up_t
    return out


def _baseline_rep(t: float, started: float, hold: float, lowering: float) -> RepEvent:
    return RepEvent(
        t=t,
        complete=True,
        side=Side.LEFT,
        set=1,
        rep=0,
        started_t=started,
        concentric_s=0.0,
        hold_s=hold,
        lowering_s=lowering,
        rom_mm=0.0,
        rom_pct=0.0,
        peak_speed_mm_s=0.0,
    )


def throughput(sessions: list[SimSession], *, repeat: int = 3) -> dict[str, float]:
    """Readings per second: engine core (decoded readings) and full payload path (best of)."""
    core_best = payload_best = 0.0
    samples = sum(len(s.readings) for s in sessions)
    prepared = [
        (s.settings(), [(r.t, r.distance_mm, r.status) for r in s.readings]) for s in sessions
    ]
    encoded = [(s.settings(), [(a, p) for a, p, _ in payloads(s)]) for s in sessions]
    for _ in range(repeat):
        start = time.perf_counter()
        for settings, readings in prepared:
            feed = RepEngine(settings).feed
            for t, d, status in readings:
                feed(t, d, status)
        core_best = max(core_best, samples / (time.perf_counter() - start))
        start = time.perf_counter()
        for settings, messages in encoded:
            feed_payload = RepEngine(settings).feed_payload
            for arrival, payload in messages:
                feed_payload(payload, arrival)
        payload_best = max(payload_best, samples / (time.perf_counter() - start))
    return {
        "readings": samples,
        "core_samples_per_s": round(core_best),
        "payload_samples_per_s": round(payload_best),
    }


def memory_growth(stream: SimSession) -> dict[str, Any]:
    """Engine memory (KiB, traced) after each session of a back-to-back stream (core path)."""
    ends = [float(part["end_t"]) for part in stream.truth["parts"]]
    tracemalloc.start()
    engine = RepEngine(stream.settings())
    after: list[float] = []
    for reading in stream.readings:
        while len(after) < len(ends) - 1 and reading.t >= ends[len(after)]:
            engine.tick(reading.t)
            after.append(tracemalloc.get_traced_memory()[0] / 1024.0)
        engine.feed(reading.t, reading.distance_mm, reading.status)
    engine.tick(stream.truth["duration_s"] + 60.0)
    after.append(tracemalloc.get_traced_memory()[0] / 1024.0)
    tracemalloc.stop()
    return {
        "sessions": len(after),
        "hours": round(stream.truth["duration_s"] / 3600.0, 2),
        "kib_after_1": round(after[0], 1),
        "kib_after_half": round(after[len(after) // 2 - 1], 1),
        "kib_after_last": round(after[-1], 1),
        "kib_after_each": [round(k, 1) for k in after],
    }
