"""Accuracy benchmark: the engine and a hand-built baseline on the simulated corpus.

Everything here is measured, nothing asserted: ``rep-coach bench`` prints it.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import mean, median
from typing import Any

from custom_components.rep_coach.engine.core import RepEngine
from custom_components.rep_coach.engine.events import (
    EngineEvent,
    HoldReachedEvent,
    RepEvent,
    SetEndEvent,
)

from .simulator import SimReading, SimSession

SET_WINDOW_BEFORE_S = 1.0
SET_WINDOW_AFTER_S = 2.0
MATCH_S = 1.0


@dataclass(slots=True)
class Emitted:
    """An engine event and when the subscriber had it (arrival time of its payload)."""

    at: float
    event: EngineEvent


def payloads(session: SimSession) -> Iterable[tuple[float, str, list[SimReading]]]:
    """The session's MQTT payloads in arrival order: (arrival time, payload, readings)."""
    group: list[SimReading] = []
    for reading in session.readings:
        if group and reading.arrival_t != group[0].arrival_t:
            yield group[0].arrival_t, _payload(session, group), group
            group = []
        group.append(reading)
    if group:
        yield group[0].arrival_t, _payload(session, group), group


def _payload(session: SimSession, group: list[SimReading]) -> str:
    if session.plain:
        d = group[0].distance_mm
        return "nan" if d is None else f"{d / 1000.0:.2f}"
    return json.dumps(
        [{"d": r.distance_mm, "t": r.device_ms, "seq": r.seq, "status": r.status} for r in group],
        separators=(",", ":"),
    )


def run_engine(session: SimSession) -> list[Emitted]:
    """Feed the session's payloads as Home Assistant would and collect what comes out."""
    engine = RepEngine(session.settings())
    out: list[Emitted] = []
    last_tick = 0.0
    for arrival, payload, _ in payloads(session):
        while arrival - last_tick >= 1.0:  # HA ticks the engine once a second
            last_tick += 1.0
            out.extend(Emitted(last_tick, ev) for ev in engine.tick(last_tick))
        result = engine.feed_payload(payload, arrival)
        out.extend(Emitted(arrival, ev) for ev in result.events)
    out.extend(Emitted(last_tick + 30.0, ev) for ev in engine.tick(last_tick + 30.0))
    return out


def run_baseline(session: SimSession) -> list[tuple[float, dict[str, float]]]:
    """Plain two-threshold hysteresis on a calibrated min/max, as users build by hand.

    Calibration is generous: the true seated level and range of the first set. Up at 70 %, down
    at 30 % of the range; hold = time above 70 %, lowering = 70 % down to 30 %.
    """
    truth = session.truth
    geometry = truth["geometry"]
    nearer = truth["orientation"] == "nearer"
    bottom, rom = truth["bottom_mm"], truth["rom_mm"]

    mount, under = float(geometry["mount_mm"]), float(geometry["under_mm"])

    def height(d: float) -> float:
        return mount - d if nearer else d - under

    up, down = bottom + 0.7 * rom, bottom + 0.3 * rom
    reps: list[tuple[float, dict[str, float]]] = []
    is_up = False
    up_t = above_end = 0.0
    for reading in session.readings:
        d = reading.distance_mm
        if d is None or d in (8190.0, 8191.0) or reading.status >= 4:
            continue  # HA shows these as unavailable
        h = height(d)
        t = reading.arrival_t if session.plain else reading.t
        if not is_up and h >= up:
            is_up, up_t = True, t
        elif is_up and h < up and above_end <= up_t:
            above_end = t
        elif is_up and h <= down:
            is_up = False
            reps.append((t, {"hold_s": max(0.0, above_end - up_t), "eccentric_s": t - above_end}))
        if is_up and h >= up:
            above_end = up_t
    return reps


@dataclass(slots=True)
class Tally:
    """Per-corpus counts."""

    sets: int = 0
    exact_sets: int = 0
    exact_set_events: int = 0
    count_errors: list[int] = field(default_factory=list)
    false_reps: int = 0
    reps_true: int = 0
    hold_errors: list[float] = field(default_factory=list)
    eccentric_errors: list[float] = field(default_factory=list)
    rep_latency: list[float] = field(default_factory=list)
    rep_delay: list[float] = field(default_factory=list)  # engine only: event sample time - rep end
    hold_latency: list[float] = field(default_factory=list)
    hold_delay: list[float] = field(default_factory=list)  # engine only: event sample time - truth
    hold_missed: int = 0
    hold_false: int = 0
    partial_true: int = 0
    partial_found: int = 0

    def summary(self) -> dict[str, Any]:
        """Figures, JSON-ready."""

        def pct(a: int, b: int) -> float | None:
            return None if b == 0 else round(100.0 * a / b, 2)

        def mae(values: list[float]) -> float | None:
            return None if not values else round(mean(abs(v) for v in values), 3)

        def q(values: list[float], p: float) -> float | None:
            if not values:
                return None
            ordered = sorted(values)
            return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 3)

        return {
            "sets": self.sets,
            "exact_sets_pct": pct(self.exact_sets, self.sets),
            "exact_set_events_pct": pct(self.exact_set_events, self.sets),
            "rep_count_mae": mae([float(e) for e in self.count_errors]),
            "rep_count_abs_error_total": sum(abs(e) for e in self.count_errors),
            "true_reps": self.reps_true,
            "false_reps_outside_sets": self.false_reps,
            "hold_mae_s": mae(self.hold_errors),
            "eccentric_mae_s": mae(self.eccentric_errors),
            "rep_engine_delay_p50_s": q(self.rep_delay, 0.5),
            "rep_engine_delay_p95_s": q(self.rep_delay, 0.95),
            "rep_latency_p50_s": q(self.rep_latency, 0.5),
            "rep_latency_p95_s": q(self.rep_latency, 0.95),
            "rep_latency_max_s": q(self.rep_latency, 1.0),
            "hold_engine_delay_p50_s": q(self.hold_delay, 0.5),
            "hold_engine_delay_p95_s": q(self.hold_delay, 0.95),
            "hold_latency_p50_s": q(self.hold_latency, 0.5),
            "hold_latency_p95_s": q(self.hold_latency, 0.95),
            "hold_events_missed": self.hold_missed,
            "hold_events_false": self.hold_false,
            "partial_recall_pct": pct(self.partial_found, self.partial_true),
        }


def _delays(tally: Tally) -> dict[str, Any]:
    summary = tally.summary()
    keys = (
        "exact_sets_pct",
        "hold_mae_s",
        "eccentric_mae_s",
        "rep_engine_delay_p95_s",
        "hold_engine_delay_p95_s",
    )
    return {key: summary[key] for key in keys}


def _windows(session: SimSession) -> list[tuple[float, float, dict[str, Any]]]:
    return [
        (s["start_t"] - SET_WINDOW_BEFORE_S, s["end_t"] + SET_WINDOW_AFTER_S, s)
        for s in session.truth["sets"]
    ]


def score_engine(session: SimSession, emitted: list[Emitted], tally: Tally) -> None:
    """Compare engine output with the truth."""
    windows = _windows(session)
    reps = [(e.at, e.event) for e in emitted if isinstance(e.event, RepEvent)]
    holds = [(e.at, e.event) for e in emitted if isinstance(e.event, HoldReachedEvent)]
    set_ends = [e.event for e in emitted if isinstance(e.event, SetEndEvent)]
    hold_target = session.settings().hold_target_s
    used: set[int] = set()
    for lo, hi, true_set in windows:
        tally.sets += 1
        counted = [ev for _, ev in reps if ev.complete and lo <= ev.t <= hi]
        error = len(counted) - true_set["reps"]
        tally.count_errors.append(error)
        tally.exact_sets += error == 0
        matching = [s for s in set_ends if lo <= s.t <= hi + 15.0 and s.reps == true_set["reps"]]
        tally.exact_set_events += bool(matching)
        tally.reps_true += true_set["reps"]
        for detail in true_set["rep_details"]:
            best = _nearest(reps, detail["end_t"], used)
            if detail["complete"] is False:
                tally.partial_true += 1
                if best is not None and not reps[best][1].complete:
                    tally.partial_found += 1
                continue
            if best is None or not reps[best][1].complete:
                continue
            used.add(best)
            at, ev = reps[best]
            tally.hold_errors.append(ev.hold_s - detail["hold_s"])
            tally.eccentric_errors.append(ev.eccentric_s - detail["eccentric_s"])
            tally.rep_latency.append(at - detail["end_t"])
            tally.rep_delay.append(ev.t - detail["end_t"])
            reached_t = detail["hold_start_t"] + hold_target
            hold_match = next(
                (
                    (a, h)
                    for a, h in holds
                    if detail["start_t"] - 0.5 <= h.t <= detail["end_t"] + 0.5
                ),
                None,
            )
            hold_event = None if hold_match is None else hold_match[0]
            if detail["hold_s"] >= hold_target + 0.15:
                if hold_event is None:
                    tally.hold_missed += 1
                else:
                    assert hold_match is not None
                    tally.hold_latency.append(hold_event - reached_t)
                    tally.hold_delay.append(hold_match[1].t - reached_t)
            elif detail["hold_s"] < hold_target - 0.15 and hold_event is not None:
                tally.hold_false += 1
    for _, ev in reps:
        if ev.complete and not any(lo <= ev.t <= hi for lo, hi, _ in windows):
            tally.false_reps += 1


def score_baseline(
    session: SimSession, reps: list[tuple[float, dict[str, float]]], tally: Tally
) -> None:
    """Compare the baseline with the truth (same windows, same matching)."""
    windows = _windows(session)
    for lo, hi, true_set in windows:
        tally.sets += 1
        counted = [(t, r) for t, r in reps if lo <= t <= hi]
        error = len(counted) - true_set["reps"]
        tally.count_errors.append(error)
        tally.exact_sets += error == 0
        tally.reps_true += true_set["reps"]
        for detail in true_set["rep_details"]:
            if not detail["complete"]:
                tally.partial_true += 1
                continue
            near = min(counted, key=lambda c: abs(c[0] - detail["end_t"]), default=None)
            if near is None or abs(near[0] - detail["end_t"]) > 2.0:
                continue
            tally.hold_errors.append(near[1]["hold_s"] - detail["hold_s"])
            tally.eccentric_errors.append(near[1]["eccentric_s"] - detail["eccentric_s"])
            tally.rep_latency.append(near[0] - detail["end_t"])
    for t, _ in reps:
        if not any(lo <= t <= hi for lo, hi, _ in windows):
            tally.false_reps += 1


def _nearest(reps: list[tuple[float, RepEvent]], end_t: float, used: set[int]) -> int | None:
    best, best_gap = None, MATCH_S
    for k, (_, ev) in enumerate(reps):
        gap = abs(ev.t - end_t)
        if k not in used and gap <= best_gap:
            best, best_gap = k, gap
    return best


def throughput(sessions: list[SimSession], *, repeat: int = 3) -> dict[str, float]:
    """Samples per second: engine core (decoded readings) and full payload path."""
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
    return {"core_samples_per_s": round(core_best), "payload_samples_per_s": round(payload_best)}


def memory_growth(session: SimSession, *, laps: int = 30) -> dict[str, float]:
    """Engine memory after 1 and after ``laps`` back-to-back copies of a session (KiB)."""
    readings = [(r.t, r.distance_mm, r.status) for r in session.readings]
    span = session.truth["duration_s"] + 10.0
    tracemalloc.start()
    engine = RepEngine(session.settings())
    after: list[float] = []
    for lap in range(laps):
        offset = lap * span
        for t, d, status in readings:
            engine.feed(t + offset, d, status)
        engine.tick(offset + span)
        after.append(tracemalloc.get_traced_memory()[0] / 1024.0)
    tracemalloc.stop()
    return {
        "laps": laps,
        "session_minutes": round(span / 60.0, 1),
        "kib_after_1": round(after[0], 1),
        "kib_after_half": round(after[laps // 2 - 1], 1),
        "kib_after_last": round(after[-1], 1),
    }


def run(sessions: list[SimSession]) -> dict[str, Any]:
    """The whole benchmark: accuracy for engine and baseline, plus speed and memory."""
    engine_tally, baseline_tally = Tally(), Tally()
    by_stream: dict[tuple[str, float], Tally] = {}
    per_session = []
    for session in sessions:
        emitted = run_engine(session)
        before = (engine_tally.exact_sets, engine_tally.sets)
        score_engine(session, emitted, engine_tally)
        stream = ("plain" if session.plain else "json", session.rate_hz)
        score_engine(session, emitted, by_stream.setdefault(stream, Tally()))
        score_baseline(session, run_baseline(session), baseline_tally)
        per_session.append(
            {
                "name": session.name,
                "sets": engine_tally.sets - before[1],
                "exact": engine_tally.exact_sets - before[0],
            }
        )
    rates = sorted({s.rate_hz for s in sessions})
    return {
        "corpus": {
            "sessions": len(sessions),
            "rates_hz": rates,
            "hours": round(sum(s.truth["duration_s"] for s in sessions) / 3600.0, 2),
            "samples": sum(len(s.readings) for s in sessions),
        },
        "engine": engine_tally.summary(),
        "by_stream": [
            {"format": fmt, "rate_hz": rate, **_delays(tally)}
            for (fmt, rate), tally in sorted(by_stream.items())
        ],
        "baseline": baseline_tally.summary(),
        "throughput": throughput(sessions[:8]),
        "memory": memory_growth(sessions[0]),
        "sessions": per_session,
        "median_rate_hz": median(s.rate_hz for s in sessions),
        "definition": "hold/lowering timed by hip speed (15 % of phase peak) inside 10 % position bands",
    }
