"""The per-boundary timing tracer agrees with the bench's scoring."""

from __future__ import annotations

import pytest

from rep_coach_tools.bench_suite import Task, make_session, score
from rep_coach_tools.benchmark import run_engine
from rep_coach_tools.timing_trace import summary, table, trace_session


@pytest.mark.parametrize("task", [Task("holdout", 5, mount="below")])
def test_the_boundaries_give_the_bench_s_hold_and_lowering_errors(task: Task) -> None:
    session = make_session(task)
    scored = score(session, run_engine(session), task.kind)
    holds = sorted(r.hold_error for r in scored.reps if r.hold_error is not None)
    lowerings = sorted(r.eccentric_error for r in scored.reps if r.eccentric_error is not None)
    traces = trace_session(session, task.kind)
    assert len(traces) == len(holds) > 0
    # the clock's delivery offset moves every boundary alike: the durations are the bench's
    assert sorted(t.hold_error for t in traces) == pytest.approx(holds, abs=1e-6)
    assert sorted(t.lowering_error for t in traces) == pytest.approx(lowerings, abs=1e-6)
    assert summary(traces)["reps"] == len(traces)
    assert table(traces, ("mount",)).splitlines()[1].split()[:2] == ["all", str(len(traces))]
