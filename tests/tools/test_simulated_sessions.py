"""Golden replays: classic sessions (fixed seeds) against their own ground truth.

Loose on purpose: the accuracy figures are ``rep-coach bench``'s business; these only catch a
counting engine that broke on the sessions it was first tuned on.
"""

from __future__ import annotations

import pytest

from rep_coach_tools.bench_suite import score
from rep_coach_tools.benchmark import run_engine
from rep_coach_tools.scoring import figures
from rep_coach_tools.simulator import SimSession, corpus, simulate_session


def test_simulation_is_deterministic() -> None:
    a, b = simulate_session(5), simulate_session(5)
    assert a.readings == b.readings
    assert a.truth == b.truth


@pytest.mark.parametrize("session", corpus(seed=7, count=6), ids=lambda s: s.name)
def test_generated_session_counts_match_truth(session: SimSession) -> None:
    scored = score(session, run_engine(session), "classic")
    assert scored.false_reps == 0
    assert sum(abs(s.counted - s.true_reps) for s in scored.sets) <= 2
    hold_mae = figures([scored])["hold_mae_s"]
    assert hold_mae is not None
    assert hold_mae < 0.25


@pytest.mark.parametrize("seed", [1, 31, 40])
def test_sessions_where_the_lifter_settles_onto_the_seat_count_the_first_set(seed: int) -> None:
    session = simulate_session(seed)
    scored = score(session, run_engine(session), "classic")
    assert scored.sets[0].counted == scored.sets[0].true_reps
