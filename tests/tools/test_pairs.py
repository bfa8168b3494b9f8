"""The ``pairs`` corpus: two hold-out sessions back to back in one stream."""

from __future__ import annotations

import itertools
import random

import pytest

from rep_coach_tools.bench_suite import Config, Task, make_session, plan_tasks, session_tags
from rep_coach_tools.holdout import Shared, holdout_session
from rep_coach_tools.holdout.pairs import holdout_pair, pair_parts
from rep_coach_tools.sim.model import Mount, SimSession
from tests.tools.truth_rules import assert_rep_follows_the_rules


@pytest.fixture(scope="module", params=[False, True], ids=["same-orientation", "reclamped"])
def pair(request: pytest.FixtureRequest) -> SimSession:
    return holdout_pair(11, reclamp=request.param, mount=Mount.BELOW)


def _reclamped(pair: SimSession) -> bool:
    return bool(pair.truth["pair_variant"] == "reclamped")


def test_pair_is_deterministic() -> None:
    a, b = holdout_pair(5, reclamp=True), holdout_pair(5, reclamp=True)
    assert a.readings == b.readings
    assert a.truth == b.truth
    assert holdout_pair(6, reclamp=True).readings != a.readings


def test_pair_joins_two_holdout_sessions_of_different_seeds(pair: SimSession) -> None:
    first, second = pair.truth["pair_seeds"]
    assert first != second
    parts = pair.truth["parts"]
    assert parts[0]["gap"] == "start"
    assert parts[1]["gap"] in ("online", "offline")
    assert parts[0]["seat_mm"] != parts[1]["seat_mm"]  # the bench moved
    assert all(p["family"] == "holdout" for p in parts)


def test_pair_mounts_and_variant_are_as_claimed() -> None:
    for reclamp in (False, True):
        for mount in Mount:
            joined = holdout_pair(3, reclamp=reclamp, mount=mount)
            mounts = [p["mount"] for p in joined.truth["parts"]]
            assert mounts == [str(mount), str(mount.other if reclamp else mount)]
            assert joined.mount is mount
            variant = "reclamped" if reclamp else "same-orientation"
            assert joined.truth["pair_variant"] == variant
            assert session_tags(joined, "pairs")["variant"] == variant


def test_pair_shares_one_configuration_and_one_delivery(pair: SimSession) -> None:
    sessions, _, _ = pair_parts(11, reclamp=_reclamped(pair), mount=Mount.BELOW)
    first, second = sessions
    for key in ("settings", "hold_target_s", "plain", "plain_decimals", "rate_hz"):
        assert first.truth[key] == second.truth[key]
    assert pair.settings() == first.settings() == second.settings()
    assert pair.rate_hz == first.rate_hz


def test_pair_truth_is_each_session_shifted_by_its_start(pair: SimSession) -> None:
    sessions, _, _ = pair_parts(11, reclamp=_reclamped(pair), mount=Mount.BELOW)
    parts = pair.truth["parts"]
    assert parts[1]["start_t"] >= sessions[0].truth["duration_s"]
    joined_sets = pair.truth["sets"]
    own_sets = [(s, p["start_t"]) for s, p in zip(sessions, parts, strict=True)]
    expected = [(record, offset) for s, offset in own_sets for record in s.truth["sets"]]
    assert len(joined_sets) == len(expected)
    for mine, (theirs, offset) in zip(joined_sets, expected, strict=True):
        assert mine["start_t"] == pytest.approx(theirs["start_t"] + offset)
        assert mine["end_t"] == pytest.approx(theirs["end_t"] + offset)
        assert mine["reps"] == theirs["reps"]
        for a, b in zip(mine["rep_details"], theirs["rep_details"], strict=True):
            for key in ("start_t", "hold_start_t", "end_t"):
                assert a[key] == pytest.approx(b[key] + offset)
            assert a["hold_s"] == b["hold_s"]
            assert_rep_follows_the_rules(a, partials_from_30=True)
    away = [(a + offset, b + offset) for s, offset in own_sets for a, b in s.truth["away"]]
    assert [tuple(spell) for spell in pair.truth["away"]] == [pytest.approx(a) for a in away]
    assert len(pair.readings) == sum(len(s.readings) for s in sessions)
    firsts = [next(r for r in pair.readings if r.t >= p["start_t"]) for p in parts]
    for r, (session, offset) in zip(firsts, own_sets, strict=True):
        assert r.t == pytest.approx(session.readings[0].t + offset)
        assert r.distance_mm == session.readings[0].distance_mm


def test_pair_stream_keeps_time_and_clock_consistent(pair: SimSession) -> None:
    readings, parts = pair.readings, pair.truth["parts"]
    assert all(b.t > a.t for a, b in itertools.pairwise(readings))
    assert all(b.arrival_t >= a.arrival_t for a, b in itertools.pairwise(readings))
    first_end, second = parts[0]["end_t"], parts[1]
    before = [r for r in readings if r.t < second["start_t"]]
    after = [r for r in readings if r.t >= second["start_t"]]
    assert all(r.t <= first_end for r in before)
    went_back = after[0].device_ms < before[-1].device_ms
    assert went_back == (second["gap"] == "offline")
    if second["gap"] == "online":
        assert after[0].seq == before[-1].seq + 1


def test_first_lifter_leaves_an_empty_bench_of_20_to_90_s() -> None:
    sessions, _, _ = pair_parts(9, reclamp=False)
    last_away = sessions[0].truth["away"][-1]
    assert last_away[1] == pytest.approx(sessions[0].truth["duration_s"])
    assert 20.0 <= last_away[1] - last_away[0] <= 90.0


def test_shared_setup_leaves_the_holdout_session_alone_without_it() -> None:
    plain = holdout_session(8)
    assert holdout_session(8, shared=None, tail_away_s=None).readings == plain.readings
    shared = Shared.draw(random.Random(1))
    moved = holdout_session(8, shared=shared, mount=plain.mount)
    assert moved.truth["settings"]["variation"] == str(shared.variation)
    assert moved.rate_hz == shared.rate_hz
    assert moved.plain == shared.plain


def test_pairs_corpus_is_planned_and_built_as_claimed() -> None:
    tasks = [t for t in plan_tasks(Config(corpora=("pairs",), checks=())) if t.kind == "pairs"]
    assert len(tasks) == 12
    assert {(t.variant, t.mount) for t in tasks} == {
        (v, str(m)) for v in ("same-orientation", "reclamped") for m in Mount
    }
    small = plan_tasks(Config(sessions=4, corpora=("pairs",), checks=()))
    assert len(small) == 2
    task = Task("pairs", 17, mount="above", variant="reclamped")
    session = make_session(task)
    assert session.truth["pair_variant"] == "reclamped"
    assert [p["mount"] for p in session.truth["parts"]] == ["above", "below"]
    assert session_tags(session, "pairs")["corpus"] == "pairs"
