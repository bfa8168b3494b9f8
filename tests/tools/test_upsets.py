"""The upsets corpus: a sensor reboot or a Home Assistant restart inside a set, as claimed."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from custom_components.rep_coach.engine.core import RepEngine
from custom_components.rep_coach.engine.events import RepEvent, SetEndEvent
from rep_coach_tools import benchmark
from rep_coach_tools.bench_suite import Config, make_session, plan_tasks
from rep_coach_tools.benchmark import restarted, run_engine
from rep_coach_tools.field.upsets import (
    PASS_NEAREST_MM,
    PASS_S,
    REBOOT_CLOCK_S,
    REBOOT_SILENCE_S,
    RESTART_DOWN_S,
    UPSETS,
    Upset,
    upset_session,
)
from rep_coach_tools.holdout import holdout_session
from rep_coach_tools.scoring import score_session
from rep_coach_tools.sim.model import Mount, SimSession


def _gap(session: SimSession) -> tuple[float, float]:
    record = session.truth["upset"]
    if "pass_s" in record:
        return record["at_t"], record["at_t"] + record["pass_s"]
    if "at_t" in record:
        return record["at_t"], record["at_t"] + record["silence_s"]
    return record["down_t"], record["up_t"]


def _upset_set(session: SimSession) -> dict[str, Any]:
    start, _ = _gap(session)
    return next(s for s in session.truth["sets"] if s["start_t"] <= start <= s["end_t"])


@pytest.mark.parametrize("kind", UPSETS)
def test_upsets_are_deterministic_by_seed(kind: Upset) -> None:
    a, b = upset_session(5, kind), upset_session(5, kind)
    assert (a.readings, a.truth) == (b.readings, b.truth)
    assert upset_session(6, kind).readings != a.readings


@pytest.mark.parametrize("kind", UPSETS)
def test_the_upset_falls_inside_a_set_and_the_lifter_is_the_holdout_one(kind: Upset) -> None:
    session = upset_session(11, kind, mount=Mount.BELOW)
    base = holdout_session(11, mount=Mount.BELOW)
    assert session.family == str(kind)
    assert session.mount is Mount.BELOW
    assert session.name.startswith(f"upsets-{kind}-11-")
    chosen = _upset_set(session)
    assert chosen["reps"] >= 4
    # the lifter did the same: same sets, same reps, same timing
    assert [s["reps"] for s in session.truth["sets"]] == [s["reps"] for s in base.truth["sets"]]
    start, end = _gap(session)
    for ours, theirs in zip(session.truth["sets"], base.truth["sets"], strict=True):
        for mine, other in zip(ours["rep_details"], theirs["rep_details"], strict=True):
            caught = mine["start_t"] - 0.5 < end and mine["end_t"] + 0.5 > start
            assert mine.get("interrupted", False) is caught
            assert {k: v for k, v in mine.items() if k != "interrupted"} == other


def test_a_reboot_silences_the_sensor_then_starts_its_clock_and_sequence_again() -> None:
    session = upset_session(3, Upset.REBOOT)
    start, end = _gap(session)
    assert REBOOT_SILENCE_S[0] <= end - start <= REBOOT_SILENCE_S[1]
    assert not [r for r in session.readings if start <= r.t < end]
    after = [r for r in session.readings if r.t >= end]
    before = [r for r in session.readings if r.t < start]
    assert after[0].seq == 0
    assert REBOOT_CLOCK_S[0] * 1000 <= after[0].device_ms <= REBOOT_CLOCK_S[1] * 1000
    assert after[0].device_ms < before[-1].device_ms
    failed = session.truth["upset"]["failed_readings"]
    assert all(not r.sees_target() for r in after[:failed])
    assert after[failed].sees_target()
    # the clock runs on from the boot, the sequence counts up
    assert [r.seq for r in after[:5]] == list(range(5))
    assert after[4].device_ms - after[0].device_ms == pytest.approx(
        (after[4].t - after[0].t) * 1000.0, abs=1.0
    )


def test_a_restart_loses_what_arrived_while_home_assistant_was_down() -> None:
    session = upset_session(3, Upset.RESTART)
    down, up = _gap(session)
    assert RESTART_DOWN_S[0] <= up - down <= RESTART_DOWN_S[1]
    assert session.truth["restarts"] == [[down, up]]
    base = holdout_session(3)
    lost = [r for r in base.readings if down <= r.arrival_t < up]
    assert lost
    assert len(session.readings) == len(base.readings) - len(lost)
    assert not [r for r in session.readings if down <= r.arrival_t < up]


@pytest.mark.parametrize("mount", Mount)
def test_a_crossing_reads_someone_nearer_the_lens_than_the_hips_inside_a_set(
    mount: Mount,
) -> None:
    session = upset_session(3, Upset.CROSSING, mount=mount)
    start, end = _gap(session)
    assert PASS_S[0] <= end - start <= PASS_S[1]
    base = holdout_session(3, mount=mount)
    assert len(session.readings) == len(base.readings)
    for ours, theirs in zip(session.readings, base.readings, strict=True):
        if not start <= ours.t < end:
            assert ours == theirs
            continue
        assert ours.sees_target()
        assert ours.distance_mm is not None
        assert ours.distance_mm >= PASS_NEAREST_MM
        if theirs.sees_target() and theirs.distance_mm is not None:
            assert ours.distance_mm < theirs.distance_mm
    # the crossing is seen: more than a reading or two, whatever the rate
    assert sum(1 for r in session.readings if start <= r.t < end) >= 3


def test_run_engine_restarts_the_engine_from_its_snapshot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Home Assistant comes back with a new engine restored from the old one's snapshot, once,
    and the set the restart fell into goes on as the same set."""
    session = next(
        s
        for s in (upset_session(seed, Upset.RESTART) for seed in itertools.count(1))
        if any(d["start_t"] > _gap(s)[1] for d in _upset_set(s)["rep_details"])
    )
    swaps: list[tuple[RepEngine, RepEngine]] = []

    def recording(engine: RepEngine, sim: SimSession) -> RepEngine:
        fresh = restarted(engine, sim)
        swaps.append((engine, fresh))
        return fresh

    monkeypatch.setattr(benchmark, "restarted", recording)
    emitted = run_engine(session)
    assert len(swaps) == 1
    old, new = swaps[0]
    assert new is not old
    assert new.state.total_reps >= old.state.total_reps > 0
    down, up = _gap(session)
    reps = [e.event for e in emitted if isinstance(e.event, RepEvent) and e.event.complete]
    last = [r for r in reps if r.t < down][-1]
    first = next(r for r in reps if r.t >= up)
    assert (first.side, first.set) == (last.side, last.set)
    assert first.rep > last.rep  # numbered on from the restored count
    assert not [e for e in emitted if isinstance(e.event, SetEndEvent) and down <= e.at < up]


def test_interrupted_reps_may_be_counted_or_not() -> None:
    """Scoring leaves a rep the gap caught out (as one whose top fell into a dropout)."""
    session = upset_session(3, Upset.REBOOT)
    chosen = _upset_set(session)
    caught = [d for d in chosen["rep_details"] if d.get("interrupted")]
    assert caught
    score = score_session(
        session.name, session.truth, [], hold_target_s=session.settings().hold_target_s
    )
    assert sum(1 for r in score.reps if r.unseen) == sum(
        1 for s in session.truth["sets"] for d in s["rep_details"] if d.get("interrupted")
    )


def test_upsets_corpus_is_planned_and_built_as_claimed() -> None:
    tasks = [t for t in plan_tasks(Config()) if t.kind == "upsets"]
    assert len(tasks) == 12
    assert sorted((t.family, t.mount) for t in tasks) == sorted(
        (str(kind), str(mount)) for kind in UPSETS for mount in Mount for _ in range(2)
    )
    session = make_session(tasks[0])
    assert session.family == tasks[0].family
    assert session.mount is Mount(tasks[0].mount)
    assert not [t for t in plan_tasks(Config(corpora=("main",))) if t.kind == "upsets"]
