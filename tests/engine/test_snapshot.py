"""Saved sessions: every released format restores, the current one round-trips, nothing is dropped."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from custom_components.rep_coach.engine import EngineSettings, RepEngine, Side
from custom_components.rep_coach.engine.snapshot import (
    SNAPSHOT_VERSION,
    NewerSnapshotError,
    SnapshotV2,
    UnreadableSnapshotError,
    load_snapshot,
)
from rep_coach_tools.simulator import simulate_session

from .helpers import Track, run
from .test_session import set_of

FIXTURES = Path(__file__).parents[1] / "fixtures"
MIDNIGHT = datetime(2026, 11, 2, tzinfo=UTC)


def released_store(version: int) -> dict[str, Any]:
    """A store file of a released format, as Home Assistant keeps it in ``.storage``."""
    data: dict[str, Any] = json.loads((FIXTURES / f"store_v{version}.json").read_text())
    return data


def wall_clock(t: float) -> datetime:
    """Engine time 0 is midnight, 2 November 2026 (UTC)."""
    return MIDNIGHT + timedelta(seconds=t)


def test_released_v1_restores_the_same_totals_history_and_calibration() -> None:
    saved = released_store(1)["data"]
    engine = RepEngine(simulate_session(23, rate_hz=25.0).settings())

    engine.restore_state(saved)

    for side in Side:
        totals, was = engine.session.totals[side], saved["totals"][str(side)]
        assert (totals.reps, totals.sets, totals.partial_reps, totals.timed_reps) == (
            was["reps"],
            was["sets"],
            was["partial_reps"],
            was["timed_reps"],
        )
        assert (totals.hold_sum, totals.lowering_sum, totals.rom_sum, totals.tut) == (
            was["hold_sum"],
            was["eccentric_sum"],
            was["rom_sum"],
            was["tut"],
        )
    finished = [entry.as_dict() for entry in engine.set_history()]
    kept = [
        {key: entry[key] for key in was}
        for entry, was in zip(finished, saved["history"], strict=True)
    ]
    assert kept == saved["history"]
    assert {entry["ended_at"] for entry in finished} == {None}  # format 1 kept no times
    state = engine.state
    current = saved["current"]
    assert (str(state.side), state.set_number, state.reps_this_set) == (
        current["side"],
        current["number"],
        current["reps"],
    )
    assert engine.session.current is not None
    assert engine.session.current.partial_reps == current["partial_reps"]
    assert engine.cal.export() == saved["calibration"]


def test_released_v1_survives_a_second_restart_in_the_current_format() -> None:
    """Migrated once, saved in the current format and restored again: still the same."""
    saved = released_store(1)["data"]
    first = RepEngine()
    first.restore_state(saved)

    again = RepEngine()
    again.restore_state(json.loads(json.dumps(first.export_state())))

    assert first.export_state()["version"] == SNAPSHOT_VERSION
    assert again.snapshot() == first.snapshot()
    assert again.summary() == first.summary()
    assert again.cal.export() == saved["calibration"]


# Past the target, a pause of twice the rep cadence (about 5 s here) ends the set.
SET_ENDS_AFTER_S = 15.0


def test_the_current_format_round_trips_sets_with_their_times() -> None:
    engine = RepEngine(EngineSettings(target_reps=3), wall_clock=wall_clock)
    engine.reset_session(1.0)
    track = set_of(3).stay(SET_ENDS_AFTER_S).rep()  # past the target a pause ends the set
    run(engine, track)

    restored = RepEngine(EngineSettings(target_reps=3))
    restored.restore_state(json.loads(json.dumps(engine.export_state())))

    [finished] = restored.set_history()
    assert finished.started_at is not None
    assert finished.ended_at is not None
    assert (
        MIDNIGHT < finished.started_at < finished.ended_at < MIDNIGHT + timedelta(seconds=track.t)
    )
    assert restored.state.totals_since == MIDNIGHT + timedelta(seconds=1.0)
    assert restored.snapshot() == engine.snapshot()


def test_without_a_wall_clock_sets_carry_no_times() -> None:
    engine = RepEngine(EngineSettings(target_reps=3))
    run(engine, set_of(3).stay(SET_ENDS_AFTER_S))
    [finished] = engine.set_history()
    assert (finished.started_at, finished.ended_at) == (None, None)


def test_last_set_means_per_side_come_back_after_a_restart() -> None:
    """The per-set sensors show the last set of each side, from this run or from the store."""
    engine = RepEngine(EngineSettings(target_reps=2))
    left = set_of(2).stay(SET_ENDS_AFTER_S)
    right = (
        Track(t=left.t)
        .stay(2.0)
        .rep(hold=2.5, down=3.0)
        .rep(hold=2.5, down=3.0)
        .stay(SET_ENDS_AFTER_S)
    )
    run(engine, left)
    run(engine, right)
    before = engine.state
    assert (before.left.sets, before.right.sets) == (1, 1)

    restored = RepEngine()
    restored.restore_state(json.loads(json.dumps(engine.export_state())))
    after = restored.state

    for side in Side:
        shown, back = before.side_stats(side), after.side_stats(side)
        assert shown.last_set_mean_hold_s is not None
        assert shown.last_set_mean_lowering_s is not None
        assert back.last_set_mean_hold_s == pytest.approx(shown.last_set_mean_hold_s, abs=0.01)
        assert back.last_set_mean_lowering_s == pytest.approx(
            shown.last_set_mean_lowering_s, abs=0.01
        )
    assert before.right.last_set_mean_hold_s > before.left.last_set_mean_hold_s  # type: ignore[operator]
    assert after.imbalance_pct == before.imbalance_pct


def test_a_set_of_added_reps_only_has_no_means() -> None:
    engine = RepEngine()
    engine.start_set(0.0)
    engine.adjust_reps(0.0, 5)
    engine.end_set(1.0)
    [finished] = engine.set_history()
    assert (finished.reps, finished.timed) == (5, False)
    assert engine.state.left.last_set_mean_hold_s is None


def test_a_newer_format_is_refused_not_dropped() -> None:
    with pytest.raises(NewerSnapshotError) as caught:
        load_snapshot({"version": SNAPSHOT_VERSION + 1, "side": "left"})
    assert caught.value.version == SNAPSHOT_VERSION + 1
    assert "newer" in str(caught.value)


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        [],
        "{}",
        {},
        {"version": "1"},
        {"version": 0},
        {"version": True},
        {"version": 2, "totals": 5},
        {"version": 2, "history": [{"side": "up", "set": 1, "reps": 3}]},
    ],
)
def test_unreadable_data_is_an_error(garbage: object) -> None:
    engine = RepEngine()
    with pytest.raises(UnreadableSnapshotError):
        engine.restore_state(garbage)
    assert engine.state.total_reps == 0


def test_format_1_is_read_as_leniently_as_it_was_written() -> None:
    """Version 1's own restore skipped what did not fit; its migration keeps doing so."""
    saved = released_store(1)["data"]
    damaged = {
        **saved,
        "side": "up",
        "totals": {"left": {**saved["totals"]["left"], "reps": -4}, "right": 5},
        "history": [7, {"side": "left"}, {**saved["history"][0], "reps": -1}, *saved["history"]],
        "current": {"side": "left", "number": 0, "reps": 2},
        "calibration": {**saved["calibration"], "sign": 7},
    }

    snapshot = load_snapshot(damaged)

    assert isinstance(snapshot, SnapshotV2)
    assert snapshot.side is None
    assert snapshot.totals[Side.LEFT].reps == 0
    assert snapshot.totals[Side.LEFT].sets == saved["totals"]["left"]["sets"]
    assert snapshot.totals[Side.RIGHT].reps == 0
    assert len(snapshot.history) == len(saved["history"])
    assert snapshot.current is None
    assert snapshot.calibration.sign == 0
    assert snapshot.calibration.bottom_h == saved["calibration"]["bottom_h"]
