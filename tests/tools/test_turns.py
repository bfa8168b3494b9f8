"""The ``turns`` corpus: two or three lifters taking turns set by set on one bench."""

from __future__ import annotations

import itertools
import statistics

import pytest

from rep_coach_tools.bench_suite import Config, Task, make_session, plan_tasks, session_tags
from rep_coach_tools.holdout.turns import CHANGEOVER_S, SEAT_APART_MM, turns_session
from rep_coach_tools.sim.model import Mount, SimSession
from tests.tools.truth_rules import assert_rep_follows_the_rules

SEEDS = range(1, 9)


@pytest.fixture(scope="module")
def sessions() -> list[SimSession]:
    return [turns_session(seed, mount=list(Mount)[seed % 2]) for seed in SEEDS]


def _seated_level(session: SimSession, before_t: float) -> float:
    """The median reading of the second before ``before_t`` (the lifter seated, still)."""
    seen = [
        r.distance_mm
        for r in session.readings
        if before_t - 1.0 <= r.t < before_t - 0.1 and r.sees_target() and r.distance_mm
    ]
    return statistics.median(seen)


def test_turns_are_deterministic_per_seed() -> None:
    a, b = turns_session(4), turns_session(4)
    assert a.readings == b.readings
    assert a.truth == b.truth
    assert turns_session(5).readings != a.readings


def test_lifters_take_turns_and_every_one_lifts(sessions: list[SimSession]) -> None:
    for session in sessions:
        sets = session.truth["sets"]
        lifters = len(session.truth["lifters"])
        assert 2 <= lifters <= 3
        assert session.truth["turns_variant"] == f"{lifters} lifters"
        turns = [k for k, _ in itertools.groupby(s["lifter"] for s in sets)]
        assert set(turns) == set(range(lifters))
        assert len(turns) >= 2 * lifters  # every lifter comes back at least once
        assert all(a != b for a, b in itertools.pairwise(turns))


def test_set_truth_is_the_lifter_s_own(sessions: list[SimSession]) -> None:
    for session in sessions:
        occupants = session.truth["occupants"]
        for record in session.truth["sets"]:
            seated = [who for t, who in occupants if t <= record["start_t"]][-1]
            assert record["lifter"] == seated
            own_range = session.truth["lifters"][record["lifter"]]["range_mm"]
            for rep in record["rep_details"]:
                assert record["start_t"] <= rep["start_t"] < rep["end_t"] <= record["end_t"]
                assert rep["rom_mm"] * 100.0 / rep["range_pct"] == pytest.approx(own_range)
                assert_rep_follows_the_rules(rep, partials_from_30=True)
            assert record["reps"] == sum(r["complete"] for r in record["rep_details"])
        sets = session.truth["sets"]
        assert all(a["end_t"] < b["start_t"] for a, b in itertools.pairwise(sets))


def test_seats_really_differ(sessions: list[SimSession]) -> None:
    for session in sessions:
        seats = [p["seat_mm"] for p in session.truth["lifters"]]
        for a, b in itertools.combinations(seats, 2):
            assert abs(a - b) >= SEAT_APART_MM[0]
        # and the sensor sees it: where each lifter sits still before their sets
        levels: dict[int, list[float]] = {}
        for record in session.truth["sets"]:
            level = _seated_level(session, record["start_t"])
            levels.setdefault(record["lifter"], []).append(level)
        spread = max(max(v) - min(v) for v in levels.values())
        medians = [statistics.median(v) for v in levels.values()]
        gap = min(abs(a - b) for a, b in itertools.combinations(medians, 2))
        assert gap > spread / 2.0


def test_changeovers_empty_the_bench_for_a_few_seconds(sessions: list[SimSession]) -> None:
    for session in sessions:
        sets, away = session.truth["sets"], session.truth["away"]
        for a, b in itertools.pairwise(sets):
            spells = [s for s in away if a["end_t"] < s[0] and s[1] < b["start_t"]]
            if a["lifter"] == b["lifter"]:  # both legs in one turn: stays seated
                assert not spells
                assert a["side"] != b["side"]
            else:
                assert len(spells) == 1
                assert 0.0 < spells[0][1] - spells[0][0] < CHANGEOVER_S[1]


def test_some_streams_have_three_lifters_and_some_swap_legs(sessions: list[SimSession]) -> None:
    assert {len(s.truth["lifters"]) for s in sessions} == {2, 3}
    assert any(
        a["lifter"] == b["lifter"] for s in sessions for a, b in itertools.pairwise(s.truth["sets"])
    )


def test_turns_corpus_is_planned_and_built_as_claimed() -> None:
    tasks = [t for t in plan_tasks(Config(corpora=("turns",), checks=())) if t.kind == "turns"]
    assert len(tasks) == 12
    assert {t.mount for t in tasks} == {str(m) for m in Mount}
    session = make_session(Task("turns", 17, mount="above"))
    assert session.mount is Mount.ABOVE
    tags = session_tags(session, "turns")
    assert tags["corpus"] == "turns"
    assert tags["variant"] == session.truth["turns_variant"]
