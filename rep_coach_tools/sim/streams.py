"""Whole streams made from sessions: back to back, delivered again, mirrored or shifted.

- :func:`back_to_back`: sessions of different geometry and lifters in one sensor stream, with
  realistic gaps (the sensor keeps reporting the empty bench, or is switched off and boots again
  with a new clock and sequence), optionally re-clamped the other way round half-way;
- :func:`firmware_updates`: sessions on one bench and mount with a firmware update before each
  next one: a few seconds offline, a reboot, and another rate and payload format;
- :func:`redeliver`: the same firmware batches with another random delivery delay;
- :func:`mirrored`, :func:`shifted`: the same readings with every hip distance mirrored
  (``d -> C - d``, the other orientation) or moved by a constant; codes and failures untouched.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from custom_components.rep_coach.engine.settings import Program, Variation

from .broad import JSON_RATES_HZ, PLAIN_RATES_HZ, Options, simulate_family
from .delivery import PUBLISH_S, firmware_batches
from .model import Mount, SimReading, SimSession
from .scenario import BROAD_FAMILIES

TIMED_KEYS = ("start_t", "hold_start_t", "end_t", "hold_reached_t")
REBOOTS = {"offline": (60.0, 1800.0), "update": (5.0, 20.0)}  # gap -> seconds without readings


def back_to_back(seed: int, parts: int = 4, *, reclamp: bool = False) -> SimSession:
    """``parts`` sessions of different geometry in one stream, one sensor and one configuration."""
    rng = random.Random(seed)
    mount = rng.choice(list(Mount))
    plain = rng.random() < 0.3
    rate = rng.choice((10.0, 12.5, 20.0) if plain else (10.0, 20.0, 25.0, 30.0, 50.0))
    program, variation = rng.choice(list(Program)), rng.choice(list(Variation))
    target = rng.choice([0, 8, 10, 12]) if program is Program.CUSTOM else None
    sessions: list[SimSession] = []
    gaps: list[str] = []
    for index in range(parts):
        flipped = reclamp and index >= parts // 2
        gap = rng.choice(["online", "online", "offline"]) if index else "start"
        options = Options(
            mount=mount.other if flipped else mount,
            rate_hz=rate,
            plain=plain,
            program=program,
            variation=variation,
            target_reps=target,
        )
        sessions.append(_part(rng, seed, index, parts, options, (20.0, 90.0)))
        gaps.append(gap)
    joined = concatenate(sessions, gaps, rng)
    variant = "reclamped" if reclamp else "same-orientation"
    truth = {**joined.truth, "family": f"b2b-{variant}", "b2b_variant": variant}
    name = f"b2b-{seed}-{variant}-{mount}-{'plain' if plain else 'json'}-{rate:g}hz"
    return replace(joined, name=name, seed=seed, truth=truth)


def firmware_updates(seed: int, parts: int = 3) -> SimSession:
    """``parts`` sessions on the same bench, mount and seat, each after a firmware update (5-20 s
    offline, a reboot) that changed the rate and, every other time, the payload format."""
    rng = random.Random(seed)
    mount = rng.choice(list(Mount))
    program, variation = rng.choice(list(Program)), rng.choice(list(Variation))
    plain = rng.random() < 0.5
    sessions: list[SimSession] = []
    seat: float | None = None
    rate = 0.0
    for index in range(parts):
        rates = PLAIN_RATES_HZ if plain else JSON_RATES_HZ
        rate = rng.choice([r for r in rates if r != rate])
        options = Options(
            mount=mount,
            rate_hz=rate,
            plain=plain,
            program=program,
            variation=variation,
            seat_mm=seat,
        )
        sessions.append(_part(rng, seed, index, parts, options, (10.0, 40.0)))
        seat = float(sessions[0].truth["bottom_mm"])
        plain = not plain if index % 2 == 0 else plain
    gaps = ["start"] + ["update"] * (parts - 1)
    joined = concatenate(sessions, gaps, rng)
    parts_out = [
        {**part, "rate_hz": s.rate_hz, "plain": s.plain, "plain_decimals": s.plain_decimals}
        for part, s in zip(joined.truth["parts"], sessions, strict=True)
    ]  # each part is sent in its own format
    truth = {
        **joined.truth,
        "parts": parts_out,
        "family": "b2b-firmware",
        "b2b_variant": "firmware",
    }
    formats = "-".join(f"{'plain' if s.plain else 'json'}{s.rate_hz:g}" for s in sessions)
    name = f"b2b-{seed}-firmware-{mount}-{formats}hz"
    return replace(joined, name=name, seed=seed, truth=truth)


def _part(
    rng: random.Random,
    seed: int,
    index: int,
    parts: int,
    options: Options,
    tail_s: tuple[float, float],
) -> SimSession:
    """A stream's ``index``-th session: its family in turn, 1-5 s of empty bench before it and
    ``tail_s`` after it (3 s after the last)."""
    options = replace(
        options,
        lead_away_s=rng.uniform(1.0, 5.0),
        tail_away_s=rng.uniform(*tail_s) if index < parts - 1 else 3.0,
    )
    family = BROAD_FAMILIES[(seed + index) % len(BROAD_FAMILIES)]
    return simulate_family(rng.randrange(1, 2**31), family, options)


def concatenate(sessions: list[SimSession], gaps: list[str], rng: random.Random) -> SimSession:
    """One stream: ``online`` parts follow on the same device clock; ``offline`` ones after a
    silence of 1-30 min and a reboot (device clock and sequence start again), ``update`` ones
    after 5-20 s and a reboot."""
    readings: list[SimReading] = []
    offset = 0.0
    parts: list[dict[str, Any]] = []
    sets: list[dict[str, Any]] = []
    away: list[list[float]] = []
    events: list[dict[str, Any]] = []
    for session, gap in zip(sessions, gaps, strict=True):
        if gap in REBOOTS:
            offset += rng.uniform(*REBOOTS[gap])
        clock = _clock(readings, session, offset, gap, rng)
        last_arrival = readings[-1].arrival_t if readings else 0.0
        for r in session.readings:
            last_arrival = max(last_arrival, r.arrival_t + offset)
            readings.append(
                SimReading(
                    r.t + offset,
                    last_arrival,
                    r.device_ms + clock[0],
                    r.seq + clock[1],
                    r.distance_mm,
                    r.status,
                )
            )
        truth = session.truth
        sets += [_shift_set(s, offset) for s in truth["sets"]]
        away += [[a + offset, b + offset] for a, b in truth["away"]]
        events += [{**e, "t": e["t"] + offset} for e in truth.get("events", [])]
        parts.append(
            {
                "name": session.name,
                "start_t": offset,
                "end_t": offset + truth["duration_s"],
                "gap": gap,
                "mount": str(session.mount),
                "seat_mm": truth["bottom_mm"],
                "range_mm": truth["rom_mm"],
                "family": session.family,
            }
        )
        offset += truth["duration_s"]
    first = sessions[0]
    truth = {
        **first.truth,
        "duration_s": offset,
        "sets": sets,
        "away": away,
        "events": events,
        "parts": parts,
    }
    return SimSession(first.name, first.seed, first.rate_hz, tuple(readings), truth)


def _clock(
    before: list[SimReading], session: SimSession, offset: float, gap: str, rng: random.Random
) -> tuple[int, int]:
    """What to add to the part's device times and sequence numbers."""
    first = session.readings[0]
    if not before:
        return 0, 0
    if gap in REBOOTS:  # booted again: a young clock, sequence from zero
        return rng.randint(3_000, 9_000) - first.device_ms, -first.seq
    last = before[-1]
    elapsed_ms = round((first.t + offset - last.t) * 1000.0)
    return last.device_ms + elapsed_ms - first.device_ms, last.seq + 1 - first.seq


def _shift_set(record: dict[str, Any], offset: float) -> dict[str, Any]:
    details = [
        {k: (v + offset if k in TIMED_KEYS and v is not None else v) for k, v in rep.items()}
        for rep in record["rep_details"]
    ]
    return {
        **record,
        "start_t": record["start_t"] + offset,
        "end_t": record["end_t"] + offset,
        "rep_details": details,
    }


def redeliver(session: SimSession, rng: random.Random | None, max_delay_s: float) -> SimSession:
    """The same firmware batches (100 ms of device time each), each with a new delay uniform in
    0-``max_delay_s`` (``rng`` None: no delay at all); one connection keeps them in order."""
    readings: list[SimReading] = []
    arrived = -1.0
    for batch in firmware_batches(session.readings):
        delay = rng.uniform(0.0, max_delay_s) if rng is not None else 0.0
        arrived = max(arrived, batch[-1].t + PUBLISH_S + delay)
        readings.extend(replace(r, arrival_t=arrived) for r in batch)
    return replace(session, readings=tuple(readings))


def mirror_constant(session: SimSession) -> float:
    """``C`` that swaps the seated and top distances (a whole centimetre, so the plain
    payload's 1 cm steps stay on their grid)."""
    truth = session.truth
    seat, rom = float(truth["bottom_mm"]), float(truth["rom_mm"])
    top = seat - rom if session.mount is Mount.ABOVE else seat + rom
    return float(round((seat + top) / 10.0) * 10)


def mirrored(session: SimSession) -> SimSession:
    """Every hip distance ``d -> C - d``: the other mount sees the same movement."""
    c = mirror_constant(session)
    readings = tuple(
        replace(r, distance_mm=c - r.distance_mm)
        if r.sees_target() and r.distance_mm is not None
        else r
        for r in session.readings
    )
    truth = dict(session.truth)
    other = session.mount.other
    truth.update(orientation=other.orientation, mount=str(other), bottom_mm=c - truth["bottom_mm"])
    return replace(session, name=f"{session.name}-mirrored", readings=readings, truth=truth)


def shifted(session: SimSession, offset_mm: float) -> SimSession:
    """Every hip distance ``offset_mm`` farther."""
    readings = tuple(
        replace(r, distance_mm=r.distance_mm + offset_mm)
        if r.sees_target() and r.distance_mm is not None
        else r
        for r in session.readings
    )
    truth = {**session.truth, "bottom_mm": session.truth["bottom_mm"] + offset_mm}
    return replace(
        session, name=f"{session.name}-shifted{offset_mm:+g}", readings=readings, truth=truth
    )
