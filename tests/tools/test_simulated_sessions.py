"""Golden replays: generated sessions (fixed seeds) against their own ground truth."""

from __future__ import annotations

import pytest

from rep_coach_tools import benchmark
from rep_coach_tools.simulator import SimSession, corpus, simulate_session


def test_simulation_is_deterministic() -> None:
    a, b = simulate_session(5), simulate_session(5)
    assert a.readings == b.readings
    assert a.truth == b.truth


@pytest.mark.parametrize("session", corpus(seed=7, count=6), ids=lambda s: s.name)
def test_generated_session_counts_match_truth(session: SimSession) -> None:
    tally = benchmark.Tally()
    benchmark.score_engine(session, benchmark.run_engine(session), tally)
    assert tally.false_reps == 0
    assert sum(abs(e) for e in tally.count_errors) <= 2
    assert tally.hold_errors, "reps were matched"
    assert sum(abs(e) for e in tally.hold_errors) / len(tally.hold_errors) < 0.25


@pytest.mark.parametrize("seed", [1, 31, 40])
def test_sessions_where_the_lifter_settles_onto_the_seat_count_the_first_set(seed: int) -> None:
    session = simulate_session(seed)
    tally = benchmark.Tally()
    benchmark.score_engine(session, benchmark.run_engine(session), tally)
    assert tally.count_errors[0] == 0


def test_benchmark_reports_every_figure() -> None:
    result = benchmark.run(corpus(seed=3, count=2))
    for key in (
        "exact_sets_pct",
        "hold_mae_s",
        "eccentric_mae_s",
        "rep_latency_p95_s",
        "false_reps_outside_sets",
    ):
        assert result["engine"][key] is not None
    assert result["throughput"]["core_samples_per_s"] > 0
    assert result["memory"]["kib_after_last"] > 0
