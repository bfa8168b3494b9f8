"""The session generators: deterministic, as varied as promised, truth by the definition."""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import random
from typing import Any

import pytest

from custom_components.rep_coach.engine.settings import Variation
from rep_coach_tools.sim.geometry import SEAT_MM, Background, draw_geometry
from rep_coach_tools.sim.lifter import Body, draw_lifter, rep
from rep_coach_tools.sim.model import Mount, SimSession
from rep_coach_tools.sim.scenario import BROAD_FAMILIES, Family
from rep_coach_tools.sim.trajectory import Plan, Segment, Trajectory
from rep_coach_tools.sim.truth import PARTIAL_RANGE, RULE_MARGIN_MM, time_rep, truth_rep
from rep_coach_tools.simulator import Options, corpus, simulate_session

# A 1 s cosine lift, a flat squeeze, a 2 s cosine lowering: 15 % of a cosine move's peak speed
# is reached sin^-1(0.15)/pi = 4.79 % of the move's time from either end.
EDGE = math.asin(0.15) / math.pi
SWAY_MM = 5.5  # a ball's sway at the top may add to a rep's highest point


def _digest(session: SimSession) -> str:
    h = hashlib.sha256()
    h.update(repr(session.readings).encode())
    h.update(json.dumps(session.truth, sort_keys=True).encode())
    h.update(session.name.encode())
    return h.hexdigest()[:16]


@pytest.mark.parametrize(
    ("seed", "rate", "digest"),
    [
        (5, None, "a9db90acc6195cc3"),
        (103, 25.0, "0a3d1dab756fe810"),
        (11, 25.0, "3d7fa1c46f8e351d"),
    ],
)
def test_classic_sessions_are_unchanged_seed_for_seed(
    seed: int, rate: float | None, digest: str
) -> None:
    """Tests, the emulator and the demo replay classic sessions by seed."""
    assert _digest(simulate_session(seed, rate_hz=rate)) == digest


@pytest.mark.parametrize("family", BROAD_FAMILIES)
def test_broad_sessions_are_deterministic(family: Family) -> None:
    a, b = simulate_session(7, family=family), simulate_session(7, family=family)
    assert a.readings == b.readings
    assert a.truth == b.truth
    assert a.family == family


def test_classic_takes_no_options() -> None:
    with pytest.raises(ValueError, match="no options"):
        simulate_session(1, options=Options())


def test_geometry_spans_both_mounts_and_8_cm_to_1_2_m() -> None:
    rng = random.Random(1)
    for mount in Mount:
        drawn = [draw_geometry(rng, mount, rng.uniform(80.0, 450.0)) for _ in range(3000)]
        seats = [g.seat_mm for g in drawn]
        assert max(seats) > 1100.0
        # above, the lift itself needs room: seated hips at least range + 6 cm from the lens
        assert min(seats) < (150.0 if mount is Mount.ABOVE else 90.0)
        assert SEAT_MM[0] <= min(seats)
        assert max(seats) <= SEAT_MM[1]
        views = {g.background for g in drawn}
        expected = {Background.FLOOR, Background.BENCH, Background.NOTHING}
        if mount is Mount.BELOW:
            expected = {Background.CEILING, Background.BENCH, Background.NOTHING}
        assert views == expected


def test_sensor_above_leaves_room_for_the_lift() -> None:
    rng = random.Random(2)
    for _ in range(2000):
        range_mm = rng.uniform(80.0, 450.0)
        geometry = draw_geometry(rng, Mount.ABOVE, range_mm)
        assert geometry.distance(range_mm) >= 40.0


def test_broad_corpus_alternates_mounts_and_records_geometry() -> None:
    sessions = corpus(seed=3, count=4, family=Family.GEOMETRY)
    assert [s.mount for s in sessions] == [Mount.ABOVE, Mount.BELOW] * 2
    for session in sessions:
        assert session.truth["geometry"]["mount"] == session.mount
        assert session.truth["orientation"] == session.mount.orientation


def _clean_rep(*, dip: bool = False, end_above: float = 0.0, tremor: float = 0.0) -> dict[str, Any]:
    plan = Plan(rng=random.Random(0))
    plan.stay(1.0)
    plan.move(1.0, 300.0)
    if dip:
        plan.move(0.6, 300.0)
        plan.move(0.15, 230.0)
        plan.move(0.15, 300.0)
        plan.move(0.6, 300.0)
    else:
        plan.stay(1.5, tremor=tremor, tremor_hz=8.0)
    plan.move(2.0, 300.0 * end_above)
    plan.stay(1.0)
    return time_rep(Trajectory(plan.segments).height, 0.5, plan.t - 1.0, 0.0, 0.10)


def test_truth_of_a_clean_rep_matches_the_definition_by_hand() -> None:
    timed = _clean_rep()
    assert timed["hold_s"] == pytest.approx(1.5 + 3 * EDGE, abs=0.002)  # README: 1.64 s
    assert timed["eccentric_s"] == pytest.approx(2.0 * (1 - 2 * EDGE), abs=0.002)  # 1.81 s
    assert timed["concentric_s"] == pytest.approx(1.0 - 2 * EDGE, abs=0.002)
    assert timed["start_t"] == pytest.approx(1.0 + EDGE, abs=0.002)
    assert timed["rom_mm"] == pytest.approx(300.0)


def test_a_brief_dip_mid_squeeze_is_part_of_the_hold() -> None:
    assert _clean_rep(dip=True)["hold_s"] == pytest.approx(_clean_rep()["hold_s"], abs=0.002)


def test_a_rep_ending_above_the_seat_ends_where_its_lowering_stops() -> None:
    timed = _clean_rep(end_above=0.12)  # never back into the bottom 10 % of its range
    assert timed["eccentric_s"] == pytest.approx(2.0 * (1 - 2 * EDGE), abs=0.002)
    assert timed["end_t"] == pytest.approx(5.5 - 2.0 * EDGE, abs=0.002)  # the move ends at 5.5 s


def test_tremor_is_seen_by_the_sensor_not_by_the_truth() -> None:
    segment = Segment(0.0, 1.0, 300.0, 300.0, tremor=2.0, tremor_hz=8.0)
    assert segment.height(0.03) == 300.0
    assert segment.observed(0.03) != pytest.approx(300.0)
    assert _clean_rep(tremor=3.0) == _clean_rep()


def test_rep_primitive_labels_partials_between_30_and_80_percent() -> None:
    rng = random.Random(4)
    lifter = draw_lifter(rng, quirks=True, partials=True, variation=Variation.STANDARD)
    plan = Plan(rng=rng)
    body = Body(seat=0.0, range_mm=120.0)
    for k in range(60):
        rep(plan, body, lifter, partial=k % 3 == 0, tremor=(2.0, 8.0), last_of_set=False)
    height = Trajectory(plan.segments).height
    for labelled in plan.reps:
        truth = truth_rep(height, labelled, 0.10, full_range_mm=120.0, hold_target_s=2.0)
        if labelled["partial"]:
            assert 100 * PARTIAL_RANGE[0] <= truth["range_pct"] <= 100 * PARTIAL_RANGE[1]
        else:
            assert truth["range_pct"] >= 84.0
        assert 0.0 <= truth["ends_above_pct"] <= 12.0 + 1e-6


def _all_reps(session: SimSession) -> list[dict[str, Any]]:
    return [r for s in session.truth["sets"] for r in s["rep_details"]]


@pytest.mark.parametrize("family", [Family.PARTIALS, Family.LIFTER, Family.MIXED, Family.SEAT])
def test_truth_invariants_hold_in_generated_sessions(family: Family) -> None:
    """Times in order, cues where the squeeze reached the target, and every labelled range clear
    of the rules' 30 % and 80 % by more than the sensor could blur."""
    for seed in (11, 12):
        session = simulate_session(seed, family=family)
        target = session.truth["hold_target_s"]
        for labelled in _all_reps(session):
            assert labelled["start_t"] < labelled["hold_start_t"] <= labelled["end_t"]
            assert labelled["hold_s"] >= 0.0
            assert labelled["eccentric_s"] > 0.0
            full = labelled["rom_mm"] * 100.0 / labelled["range_pct"]
            margin = RULE_MARGIN_MM - SWAY_MM
            if labelled["complete"]:
                assert labelled["rom_mm"] >= 0.80 * full + margin
            else:
                assert 0.30 * full + margin <= labelled["rom_mm"] <= 0.80 * full - margin
            reached = labelled["hold_reached_t"]
            assert (reached is None) == (labelled["hold_s"] < target)
        for record in session.truth["sets"]:
            complete = sum(r["complete"] for r in record["rep_details"])
            assert record["reps"] == complete
            assert record["goal"] == complete


def test_partial_family_has_partials_on_short_and_long_ranges() -> None:
    sessions = corpus(seed=5, count=8, family=Family.PARTIALS)
    partials = [(s.truth["rom_mm"], r) for s in sessions for r in _all_reps(s) if not r["complete"]]
    assert any(range_mm < 150.0 for range_mm, _ in partials)
    assert any(range_mm >= 150.0 for range_mm, _ in partials)


def test_readings_are_ordered_and_batched_like_the_firmware() -> None:
    for seed in (1, 2, 3, 4):
        session = simulate_session(seed, family=Family.MIXED, options=Options(plain=False))
        readings = session.readings
        assert all(b.t > a.t for a, b in itertools.pairwise(readings))
        assert all(b.seq > a.seq for a, b in itertools.pairwise(readings))
        assert all(b.arrival_t >= a.arrival_t for a, b in itertools.pairwise(readings))
        assert all(r.arrival_t > r.t for r in readings)
        windows: dict[float, set[int]] = {}
        for r in readings:
            windows.setdefault(r.arrival_t, set()).add(r.device_ms // 100)
        # a message is one 100 ms window, unless a stall delivers several at once
        assert sum(len(w) == 1 for w in windows.values()) > 0.9 * len(windows)


def test_arrivals_family_uses_every_arrival_and_departure() -> None:
    kinds = {
        e["kind"]
        for s in corpus(seed=8, count=8, family=Family.ARRIVALS)
        for e in s.truth["events"]
    }
    assert {"arrive", "stand_up", "slide_off", "roll_off", "already_seated"} <= kinds


def test_seat_family_moves_the_bench_while_the_lifter_is_away() -> None:
    events = [e for s in corpus(seed=9, count=6, family=Family.SEAT) for e in s.truth["events"]]
    moved = [e for e in events if e["kind"] == "bench_moved"]
    assert moved
    assert {"reseat", "shift_in_set"} & {e["kind"] for e in events}
