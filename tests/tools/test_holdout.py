"""The hold-out generator: deterministic, both mounts, truth by the same definition."""

from __future__ import annotations

import itertools

import pytest

from rep_coach_tools.holdout import Path, holdout_session
from rep_coach_tools.sim.model import Mount
from rep_coach_tools.sim.truth import time_rep
from tests.tools.truth_rules import assert_rep_follows_the_rules


def test_holdout_is_deterministic() -> None:
    a, b = holdout_session(4), holdout_session(4)
    assert a.readings == b.readings
    assert a.truth == b.truth


@pytest.mark.parametrize("mount", list(Mount))
def test_holdout_sessions_respect_the_mount_and_the_rules(mount: Mount) -> None:
    for seed in (1, 2, 3):
        session = holdout_session(seed, mount=mount)
        assert session.mount is mount
        assert session.truth["family"] == "holdout"
        readings = session.readings
        assert all(b.t >= a.t for a, b in itertools.pairwise(readings))
        assert all(b.arrival_t >= a.arrival_t for a, b in itertools.pairwise(readings))
        for record in session.truth["sets"]:
            assert record["reps"] == record["goal"]
            for rep in record["rep_details"]:
                assert_rep_follows_the_rules(rep, partials_from_30=True)


def test_holdout_covers_warm_ups_and_target_outcomes() -> None:
    outcomes = {
        record["goal_outcome"]
        for seed in range(1, 9)
        for record in holdout_session(seed).truth["sets"]
    }
    assert {"warm_up", "met", "exceeded", "short"} <= outcomes


def test_minimum_jerk_move_is_timed_by_the_definition() -> None:
    path = Path()
    path.wait(1.0)
    path.go(1.0, 300.0)
    path.wait(1.5)
    path.go(2.0, 0.0)
    path.wait(1.0)
    timed = time_rep(path.at, 0.5, 5.5, 0.0, 0.10)
    # minimum jerk: speed 30 s^2 (1 - s)^2 times the mean; 15 % of its peak (1.875 times the
    # mean) is reached at s = 0.1086 of the move from either end
    edge = 0.1086
    assert timed["concentric_s"] == pytest.approx(1.0 - 2 * edge, abs=0.002)
    assert timed["eccentric_s"] == pytest.approx(2.0 * (1.0 - 2 * edge), abs=0.002)
    assert timed["hold_s"] == pytest.approx(1.5 + 3 * edge, abs=0.002)
