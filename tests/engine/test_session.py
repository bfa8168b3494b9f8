"""Sets, sides, rest, targets, commands and persistence."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from custom_components.rep_coach.engine import (
    EngineSettings,
    Phase,
    Program,
    RepEngine,
    Side,
    SideMode,
)
from custom_components.rep_coach.engine.events import (
    EngineEvent,
    FormWarningEvent,
    RepEvent,
    SessionResetEvent,
    SetEndEvent,
)
from custom_components.rep_coach.engine.reps import RepMeasure
from custom_components.rep_coach.engine.session import Session

from .helpers import Track, kinds, run


def set_of(reps: int, track: Track | None = None) -> Track:
    track = track or Track().stay(3.0)
    for _ in range(reps):
        track.rep()
    return track


def test_target_is_cued_then_a_pause_ends_the_set_alternates_side_and_starts_rest() -> None:
    engine = RepEngine(EngineSettings(target_reps=3, rest_s=30.0))
    events = run(engine, set_of(3).stay(12.0))
    order = kinds(events)
    assert order.index("target_reached") > order.index("rep")
    assert order[-3:] == ["set_end", "side_switched", "rest_started"]
    end = next(e for e in events if isinstance(e, SetEndEvent))
    assert (end.side, end.set, end.reps, end.reason) == (Side.LEFT, 1, 3, "target")
    cadence = 1.0 + 1.5 + 2.0 + 0.6  # one rep of set_of() after the other
    last_rep = [e for e in events if str(e.kind) == "rep"][-1]
    assert end.t - last_rep.t == pytest.approx(2 * cadence, abs=0.3)
    state = engine.state
    assert state.side is Side.RIGHT
    assert state.left.sets == 1
    assert state.phase is Phase.RESTING
    assert state.rest_ends_t == pytest.approx(end.t + 30.0)
    resting = Track(t=round(end.t + 0.04, 2)).stay(31.0)
    assert kinds(run(engine, resting)) == ["rest_finished"]
    assert kinds(engine.tick(resting.t + 10.0)) == ["sensor", "presence"]  # silence: stale sensor


def test_idle_time_ends_a_short_set_and_a_new_rep_interrupts_rest() -> None:
    engine = RepEngine(EngineSettings(target_reps=10, idle_end_set_s=8.0, rest_s=60.0))
    track = set_of(2).stay(10.0)
    events = run(engine, track)
    assert [e.reason for e in events if isinstance(e, SetEndEvent)] == ["idle"]
    more = run(engine, Track(t=track.t).stay(1.0).rep())
    steps = [k for k in kinds(more) if k not in {"hold_started", "hold_reached"}]
    assert steps[:3] == ["rest_finished", "set_start", "rep"]
    assert engine.state.side is Side.RIGHT
    assert engine.state.reps_this_set == 1


def test_fixed_side_mode_keeps_the_side() -> None:
    engine = RepEngine(EngineSettings(target_reps=2, side_mode=SideMode.RIGHT))
    run(engine, set_of(2).stay(12.0))
    assert engine.state.side is Side.RIGHT
    assert engine.state.right.sets == 1


def test_commands_undo_adjust_switch_reset() -> None:
    engine = RepEngine(EngineSettings(target_reps=0))
    track = set_of(3)
    run(engine, track)
    t = track.t
    assert kinds(engine.undo_last_rep(t)) == ["reps_adjusted"]
    assert engine.state.reps_this_set == 2
    engine.adjust_reps(t, 2)
    assert engine.state.reps_this_set == 4
    assert engine.state.left.reps == 4
    events = engine.switch_side(t)
    assert kinds(events) == ["set_end", "side_switched", "rest_started"]
    assert engine.state.side is Side.RIGHT
    assert kinds(engine.reset_session(t)) == ["session_reset"]
    assert engine.state.total_reps == 0
    assert engine.state.calibration is not None  # calibration survives a reset


def test_manual_start_and_end_set() -> None:
    engine = RepEngine()
    assert kinds(engine.start_set(1.0)) == ["set_start"]
    assert engine.start_set(2.0) == []
    assert engine.end_set(3.0) == []  # nothing counted: not a set
    assert engine.state.left.sets == 0


def test_programs_set_the_guides_targets() -> None:
    settings = EngineSettings().with_program(Program.STRENGTH)
    assert (settings.sets_per_side, settings.target_reps) == (3, 8)
    hypertrophy = settings.with_program(Program.HYPERTROPHY)
    assert hypertrophy.hold_target_s == 2.0
    assert hypertrophy.with_program(Program.CUSTOM).target_reps == hypertrophy.target_reps


def test_lowering_the_target_to_the_count_reaches_it_and_the_pause_ends_the_set() -> None:
    engine = RepEngine(EngineSettings(target_reps=10))
    track = set_of(3)
    run(engine, track)
    events = engine.update_settings(replace(engine.settings, target_reps=3), track.t)
    assert kinds(events) == ["target_reached"]
    events = run(engine, Track(t=track.t).stay(12.0))
    assert [e.reason for e in events if isinstance(e, SetEndEvent)] == ["target"]


def test_imbalance_between_sides_is_reported() -> None:
    engine = RepEngine(EngineSettings(target_reps=0, idle_end_set_s=5.0))
    left = set_of(6).stay(6.0)
    run(engine, left)
    right = Track(t=left.t).stay(2.0)
    for _ in range(3):
        right.rep()
    events = run(engine, right.stay(6.0))
    warnings = [e for e in events if isinstance(e, FormWarningEvent)]
    assert [w.warning for w in warnings] == ["imbalance"]
    assert engine.state.imbalance_pct == pytest.approx(50.0, abs=1.0)


def test_export_and_restore_keep_counts_side_set_and_calibration() -> None:
    engine = RepEngine(EngineSettings(target_reps=3))
    track = set_of(3).stay(12.0).rep()
    run(engine, track)
    saved = json.loads(json.dumps(engine.export_state()))
    restored = RepEngine(EngineSettings(target_reps=3))
    restored.restore_state(saved)
    before, after = engine.state, restored.state
    assert (after.side, after.left, after.total_reps) == (
        before.side,
        before.left,
        before.total_reps,
    )
    assert after.in_set
    assert after.reps_this_set == 1
    assert after.calibration is not None
    assert before.calibration is not None
    assert after.calibration.top_mm == pytest.approx(before.calibration.top_mm)
    assert restored.summary()["sets"][0]["reps"] == 3
    # counting continues where it stopped
    more = Track(t=0.0).stay(3.0).rep().rep().stay(12.0)
    events = run(restored, more)
    assert [e.reason for e in events if isinstance(e, SetEndEvent)] == ["target"]


def _silent_ticks(engine: RepEngine, start: float, seconds: float) -> list[EngineEvent]:
    """Home Assistant's once-a-second ticks while the sensor says nothing."""
    events: list[EngineEvent] = []
    for k in range(1, int(seconds) + 1):
        events.extend(engine.tick(start + k))
    return events


def test_a_sensor_rebooting_mid_set_leaves_the_set_open_and_counting_goes_on() -> None:
    """8 s without a reading (a reboot) is a problem of the sensor, not the lifter leaving: the
    sensor shows stale, the set stays open, and the reps after it count in the same set."""
    engine = RepEngine(EngineSettings(target_reps=10, idle_end_set_s=12.0))
    track = set_of(3)
    run(engine, track)
    silence = _silent_ticks(engine, track.t, 8.0)
    assert "sensor" in kinds(silence)
    assert "set_end" not in kinds(silence)
    assert "presence" not in kinds(silence)
    assert engine.state.in_set
    after = set_of(2, Track(t=track.t + 8.5).stay(1.5))
    events = run(engine, after)
    assert "set_start" not in kinds(events)
    assert engine.state.reps_this_set == 5
    assert engine.state.left.sets == 0  # still the first set, under way


def test_the_pause_of_a_set_counts_from_when_the_readings_come_back() -> None:
    """Seated 3 s after the last rep, then 8 s without a reading, then 2 s more before the
    next rep: 13 s since the last rep seen, but what the lifter did in the silence is unknown,
    so the set's idle time (12 s) counts from the readings' return and the set goes on."""
    engine = RepEngine(EngineSettings(target_reps=10, idle_end_set_s=12.0))
    track = set_of(3).stay(3.0)
    run(engine, track)
    after = Track(t=track.t + 8.0).stay(2.0).rep()
    events = run(engine, after)
    assert "set_end" not in kinds(events)
    assert engine.state.reps_this_set == 4


def test_a_sensor_silent_past_the_idle_time_closes_the_set_as_sensor_lost() -> None:
    engine = RepEngine(EngineSettings(target_reps=10, idle_end_set_s=12.0))
    track = set_of(3)
    run(engine, track)
    events = _silent_ticks(engine, track.t, 20.0)
    ends = [e for e in events if isinstance(e, SetEndEvent)]
    assert [(e.reason, e.reps) for e in ends] == [("sensor_lost", 3)]
    assert kinds(events).index("set_end") < kinds(events).index("presence")
    assert not engine.state.in_set
    assert engine.state.left.reps == 3


@pytest.mark.parametrize("nearer", [True, False])
def test_a_restart_during_a_squeeze_goes_on_counting_the_set(nearer: bool) -> None:
    """Home Assistant stops while the lifter squeezes the fifth rep and is back 20 s later with
    the hips at the top: the first rest the new engine sees is that squeeze, not the seat, so
    the lowering from it is no lift from the seat the other way up. The saved orientation holds
    and the set goes on counting (it used to be relearned, and the set's last reps never
    counted)."""
    engine = RepEngine(EngineSettings(target_reps=12))
    track = set_of(4, Track(nearer=nearer, rate=15.0).stay(3.0)).move(1.0, 300.0).stay(0.5)
    run(engine, track)
    restored = RepEngine(EngineSettings(target_reps=12))
    restored.restore_state(json.loads(json.dumps(engine.export_state())))
    back = Track(nearer=nearer, rate=15.0, t=track.t + 20.0, _h=300.0).stay(1.5)
    set_of(4, back.move(2.0, 0.0).stay(0.6))
    events = run(restored, back)
    reps = [e for e in events if isinstance(e, RepEvent) and e.complete]
    assert [(r.set, r.rep) for r in reps] == [(1, 5), (1, 6), (1, 7), (1, 8)]


def test_sensor_going_offline_closes_the_set_and_keeps_the_count() -> None:
    engine = RepEngine(EngineSettings(target_reps=10))
    track = set_of(3)
    run(engine, track)
    events = engine.sensor_offline(track.t)
    assert [(e.reason, e.reps) for e in events if isinstance(e, SetEndEvent)] == [
        ("sensor_lost", 3)
    ]
    assert engine.state.left.reps == 3
    assert engine.sensor_offline(track.t + 1.0) == []


def workout_settings(new_workout_after_min: float = 60.0) -> EngineSettings:
    """Sets end after 5 s without a rep; a set 60 min after the last rep is a new workout."""
    return EngineSettings(
        target_reps=0, idle_end_set_s=5.0, new_workout_after_min=new_workout_after_min
    )


def test_a_set_long_after_the_last_rep_starts_a_new_workout() -> None:
    """Two days' workouts are not one: counts, sets and side start again, history stays."""
    engine = RepEngine(workout_settings())
    monday = set_of(3).stay(8.0)
    run(engine, monday)
    assert (engine.state.side, engine.state.left.sets) == (Side.RIGHT, 1)

    later = set_of(2, Track(t=monday.t + 2 * 3600).stay(3.0)).stay(8.0)
    events = run(engine, later)

    [reset] = [e for e in events if isinstance(e, SessionResetEvent)]
    assert reset.new_workout
    state = engine.state
    assert (state.left.sets, state.left.reps, state.right.sets) == (1, 2, 0)
    assert [s.reps for s in engine.set_history()] == [3, 2]  # both sets in the history


def test_a_short_break_continues_the_workout() -> None:
    engine = RepEngine(workout_settings())
    first = set_of(3).stay(8.0)
    run(engine, first)
    events = run(engine, set_of(2, Track(t=first.t + 30 * 60).stay(3.0)).stay(8.0))
    assert not [e for e in events if isinstance(e, SessionResetEvent)]
    assert (engine.state.left.sets, engine.state.right.sets, engine.state.right.reps) == (1, 1, 2)


def test_zero_never_starts_a_new_workout_by_itself() -> None:
    engine = RepEngine(workout_settings(new_workout_after_min=0.0))
    first = set_of(3).stay(8.0)
    run(engine, first)
    run(engine, set_of(2, Track(t=first.t + 3 * 86400).stay(3.0)).stay(8.0))
    assert (engine.state.left.sets, engine.state.right.sets) == (1, 1)


@pytest.mark.parametrize(("break_h", "new_workout"), [(3.0, True), (0.5, False)])
def test_after_a_restart_the_wall_clock_tells_the_break(break_h: float, new_workout: bool) -> None:
    """Engine time restarts with Home Assistant; the saved sets' wall-clock times still tell
    how long ago the last rep was."""
    start = datetime(2026, 11, 2, 18, tzinfo=UTC)
    engine = RepEngine(workout_settings(), wall_clock=lambda t: start + timedelta(seconds=t))
    first = set_of(3).stay(8.0)
    run(engine, first)
    saved = json.loads(json.dumps(engine.export_state()))

    back = start + timedelta(seconds=first.t, hours=break_h)  # engine time 0 after the restart
    restarted = RepEngine(workout_settings(), wall_clock=lambda t: back + timedelta(seconds=t))
    restarted.restore_state(saved)
    events = run(restarted, set_of(2).stay(8.0))

    assert any(isinstance(e, SessionResetEvent) for e in events) is new_workout
    assert restarted.state.left.sets == 1
    assert restarted.state.right.sets == (0 if new_workout else 1)


# --- The session on its own: what a step produced is what it returns ------------------------


def _measure(end_t: float) -> RepMeasure:
    return RepMeasure(
        complete=True,
        started_t=end_t - 6.0,
        end_t=end_t,
        concentric_s=1.0,
        hold_s=2.0,
        eccentric_s=3.0,
        rom_mm=150.0,
        rom_fraction=1.0,
        peak_speed_mm_s=200.0,
        lowering_peak_speed_mm_s=80.0,
        lowering_mean_speed_mm_s=50.0,
    )


def test_each_session_step_returns_its_events_and_nothing_is_kept_for_later() -> None:
    session = Session(EngineSettings(target_reps=2, rest_s=30.0))
    assert session.on_attempt(1.0) == []
    assert kinds(session.on_lockout(2.0)) == ["set_start"]
    assert kinds(session.on_rep(3.0, _measure(3.0))) == ["rep"]
    assert kinds(session.on_rep(9.0, _measure(9.0))) == ["rep", "target_reached"]
    assert kinds(session.end_set(10.0)) == ["set_end", "side_switched", "rest_started"]
    assert session.end_set(11.0) == []  # nothing running: nothing happened
    assert kinds(session.advance(40.0)) == ["rest_finished"]
    assert not hasattr(session, "events")


def test_the_session_holds_no_reference_to_the_engine() -> None:
    engine = RepEngine()
    assert type(engine.session) is Session
    assert not any(isinstance(value, RepEngine) for value in vars(engine.session).values())
