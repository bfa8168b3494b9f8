"""Streams made of sessions: back to back, delivered again, mirrored, shifted."""

from __future__ import annotations

import itertools
import random

import pytest

from rep_coach_tools.benchmark import payloads
from rep_coach_tools.sim.delivery import PUBLISH_S
from rep_coach_tools.sim.model import Mount, SimSession
from rep_coach_tools.sim.scenario import Family
from rep_coach_tools.sim.streams import (
    back_to_back,
    concatenate,
    firmware_updates,
    mirror_constant,
    mirrored,
    redeliver,
    shifted,
)
from rep_coach_tools.simulator import Options, simulate_session


@pytest.fixture(scope="module")
def stream() -> SimSession:
    return back_to_back(3, parts=4, reclamp=True)


def test_back_to_back_keeps_time_monotonic(stream: SimSession) -> None:
    readings = stream.readings
    assert all(b.t > a.t for a, b in itertools.pairwise(readings))
    assert all(b.arrival_t >= a.arrival_t for a, b in itertools.pairwise(readings))
    parts = stream.truth["parts"]
    for part, following in itertools.pairwise(parts):
        between = [r for r in readings if part["end_t"] <= r.t < following["start_t"]]
        assert not between  # nothing is sent while the sensor is off
        if following["gap"] == "online":
            assert following["start_t"] == pytest.approx(part["end_t"])


def test_back_to_back_device_clock_runs_on_or_restarts_after_a_reboot(stream: SimSession) -> None:
    readings, parts = stream.readings, stream.truth["parts"]
    for part in parts:
        inside = [r for r in readings if part["start_t"] <= r.t < part["end_t"]]
        assert all(b.device_ms >= a.device_ms for a, b in itertools.pairwise(inside))
        assert all(b.seq > a.seq for a, b in itertools.pairwise(inside))
        if part["gap"] != "start":
            before = [r for r in readings if r.t < part["start_t"]][-1]
            went_back = inside[0].device_ms < before.device_ms
            assert went_back == (part["gap"] == "offline")


def test_back_to_back_truth_stays_aligned_with_its_part(stream: SimSession) -> None:
    parts = stream.truth["parts"]
    for record in stream.truth["sets"]:
        owner = [p for p in parts if p["start_t"] <= record["start_t"] < p["end_t"]]
        assert len(owner) == 1
        assert record["end_t"] <= owner[0]["end_t"]
        for rep in record["rep_details"]:
            assert record["start_t"] <= rep["hold_start_t"] <= rep["end_t"] <= record["end_t"]
            if rep["hold_reached_t"] is not None:
                assert rep["hold_reached_t"] == pytest.approx(
                    rep["hold_start_t"] + stream.truth["hold_target_s"]
                )
    assert len({p["seat_mm"] for p in parts}) == len(parts)  # other geometry every time


def test_back_to_back_keeps_one_configuration_and_reclamps_half_way(stream: SimSession) -> None:
    mounts = [p["mount"] for p in stream.truth["parts"]]
    assert mounts[:2] == [mounts[0]] * 2
    assert mounts[2:] == [str(Mount(mounts[0]).other)] * 2
    same = back_to_back(4, parts=3)
    assert len({p["mount"] for p in same.truth["parts"]}) == 1


def test_concatenate_shifts_each_session_truth_by_its_start() -> None:
    parts = [simulate_session(seed, family=Family.GEOMETRY) for seed in (31, 32)]
    joined = concatenate(parts, ["start", "offline"], random.Random(0))
    offset = joined.truth["parts"][1]["start_t"]
    assert offset >= parts[0].truth["duration_s"] + 60.0  # switched off for 1-30 min
    first_sets = len(parts[0].truth["sets"])
    assert joined.truth["sets"][:first_sets] == parts[0].truth["sets"]
    for mine, theirs in zip(joined.truth["sets"][first_sets:], parts[1].truth["sets"], strict=True):
        assert mine["start_t"] == pytest.approx(theirs["start_t"] + offset)
        assert mine["reps"] == theirs["reps"]
        for a, b in zip(mine["rep_details"], theirs["rep_details"], strict=True):
            assert a["end_t"] == pytest.approx(b["end_t"] + offset)
            assert a["hold_s"] == b["hold_s"]
    assert len(joined.readings) == sum(len(p.readings) for p in parts)


@pytest.fixture(scope="module")
def session() -> SimSession:
    return simulate_session(21, family=Family.GEOMETRY, options=Options(plain=False))


def test_redeliver_keeps_readings_and_order(session: SimSession) -> None:
    again = redeliver(session, random.Random(1), 0.05)
    assert [(r.t, r.device_ms, r.seq, r.distance_mm) for r in again.readings] == [
        (r.t, r.device_ms, r.seq, r.distance_mm) for r in session.readings
    ]
    arrivals = [r.arrival_t for r in again.readings]
    assert arrivals == sorted(arrivals)
    groups: dict[float, list[float]] = {}
    for r in again.readings:
        groups.setdefault(r.arrival_t, []).append(r.t)
    for arrival, times in groups.items():
        assert arrival >= times[-1] + PUBLISH_S - 1e-9


def test_redeliver_without_delay_is_the_publish_time(session: SimSession) -> None:
    again = redeliver(session, None, 0.0)
    for r in again.readings:
        assert 0.0 < r.arrival_t - r.t <= 0.1 + PUBLISH_S  # within its 100 ms batch
    for a, b in zip(again.readings, again.readings[1:], strict=False):
        if a.device_ms // 100 == b.device_ms // 100:
            assert a.arrival_t == b.arrival_t


def test_mirror_swaps_seat_and_top_and_leaves_codes_alone(session: SimSession) -> None:
    c = mirror_constant(session)
    flipped = mirrored(session)
    assert flipped.mount is session.mount.other
    assert flipped.truth["sets"] == session.truth["sets"]
    for a, b in zip(session.readings, flipped.readings, strict=True):
        assert (a.t, a.arrival_t, a.status) == (b.t, b.arrival_t, b.status)
        if a.distance_mm is None or a.status >= 4 or a.distance_mm in (8190.0, 8191.0, 65535.0):
            assert b.distance_mm == a.distance_mm
        elif a.distance_mm >= 40.0:
            assert b.distance_mm == pytest.approx(c - a.distance_mm)
    back = mirrored(flipped)
    assert back.mount is session.mount


def test_shift_moves_every_hip_distance(session: SimSession) -> None:
    moved = shifted(session, 150.0)
    deltas = {
        round(b.distance_mm - a.distance_mm, 6)
        for a, b in zip(session.readings, moved.readings, strict=True)
        if a.distance_mm is not None and b.distance_mm is not None
    }
    assert deltas <= {0.0, 150.0}
    assert 150.0 in deltas
    assert moved.truth["sets"] == session.truth["sets"]


@pytest.fixture(scope="module")
def updated() -> SimSession:
    return firmware_updates(8)


def test_firmware_updates_keep_the_bench_and_change_the_stream(updated: SimSession) -> None:
    parts = updated.truth["parts"]
    assert len({p["seat_mm"] for p in parts}) == 1
    assert len({p["mount"] for p in parts}) == 1
    assert all(b["rate_hz"] != a["rate_hz"] for a, b in itertools.pairwise(parts))
    assert len({p["plain"] for p in parts}) == 2  # the format changed too
    for part, following in itertools.pairwise(parts):
        assert following["gap"] == "update"
        assert 5.0 <= following["start_t"] - part["end_t"] <= 20.0  # a reboot, not a switch-off
        before = [r for r in updated.readings if r.t < following["start_t"]][-1]
        after = next(r for r in updated.readings if r.t >= following["start_t"])
        assert after.device_ms < before.device_ms  # the clock started again


def test_each_part_is_sent_in_its_own_format(updated: SimSession) -> None:
    parts = updated.truth["parts"]
    for _, payload, group in payloads(updated):
        part = next(p for p in reversed(parts) if group[0].t >= p["start_t"])
        assert all(r.t >= part["start_t"] for r in group)  # a payload never spans an update
        if part["plain"]:
            assert len(group) == 1
            assert payload[0] not in "[{"
        else:
            assert payload[0] in "[{"
