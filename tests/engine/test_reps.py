"""The rep and hold state machine, presence and calibration, on clean hand-shaped tracks."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest

from custom_components.rep_coach.engine import (
    CalibrationStep,
    EngineSettings,
    FormWarning,
    HoldReachedEvent,
    HoldStartedEvent,
    Orientation,
    Phase,
    PresenceEvent,
    RepEngine,
    RepEvent,
    SetEndEvent,
    Side,
)
from custom_components.rep_coach.engine.calibration import CalibrationModel
from custom_components.rep_coach.engine.reps import (
    Calibrated,
    Detection,
    PresenceChanged,
    RepFound,
    RepTracker,
)
from custom_components.rep_coach.engine.timing import CUE_HALF_S, STILL_FRACTION

from .helpers import NO_TARGET, Track, kinds, run

# For a cosine move of duration T the speed stays under 15 % of its peak for asin(0.15)/pi*T
# at each end: that is what the timing definition leaves out of a move.
EDGE = math.asin(STILL_FRACTION) / math.pi


def reps_of(events: Sequence[object]) -> list[RepEvent]:
    return [e for e in events if isinstance(e, RepEvent)]


@pytest.mark.parametrize("nearer", [True, False], ids=["sensor-above", "sensor-below"])
@pytest.mark.parametrize("rate", [10.0, 25.0, 50.0])
def test_counts_and_times_reps_in_both_orientations(nearer: bool, rate: float) -> None:
    track = Track(rate=rate, nearer=nearer).stay(3.0)
    for _ in range(5):
        track.rep(up=1.0, hold=1.5, down=2.5)
    events = run(RepEngine(EngineSettings(target_reps=0)), track.stay(2.0))
    reps = reps_of(events)
    assert [r.rep for r in reps] == [1, 2, 3, 4, 5]
    assert all(r.complete for r in reps)
    for rep in reps:
        assert rep.hold_s == pytest.approx(1.5 + EDGE * 1.0 + EDGE * 2.5, abs=0.12)
        assert rep.eccentric_s == pytest.approx(2.5 * (1 - 2 * EDGE), abs=0.12)
        assert rep.concentric_s == pytest.approx(1.0 * (1 - 2 * EDGE), abs=0.12)
        assert rep.rom_mm == pytest.approx(300.0, abs=10.0)
        assert rep.warnings == ()


def test_hold_reached_is_emitted_during_the_squeeze_not_at_the_end() -> None:
    track = Track().stay(3.0).rep(hold=2.0)
    hold_start = 3.0 + 1.0 * (1 - EDGE)
    events = run(RepEngine(EngineSettings(hold_target_s=1.0)), track)
    started = next(e for e in events if isinstance(e, HoldStartedEvent))
    hold = next(e for e in events if isinstance(e, HoldReachedEvent))
    rep = reps_of(events)[0]
    assert started.started_t == pytest.approx(hold_start, abs=0.08)
    assert started.t <= started.started_t + 0.2  # announced while the squeeze is on
    # read on the readings around the target moment: CUE_HALF_S after it at the earliest
    assert hold_start + 1.0 - 0.05 <= hold.t <= hold_start + 1.0 + CUE_HALF_S + 0.1
    assert hold.t < rep.t
    order = kinds(events)
    assert order.index("hold_started") < order.index("hold_reached") < order.index("rep")


def test_no_hold_event_when_the_squeeze_is_too_short() -> None:
    track = Track().stay(3.0).rep(hold=2.0)
    engine = RepEngine(EngineSettings(hold_target_s=1.0))
    run(engine, track)
    events = run(engine, Track(t=track.t).rep(hold=0.3))
    assert not any(isinstance(e, HoldReachedEvent) for e in events)
    assert FormWarning.HOLD_TOO_SHORT in reps_of(events)[0].warnings


def test_fast_lowering_is_flagged() -> None:
    track = Track().stay(3.0).rep().rep(down=0.7)
    rep = reps_of(run(RepEngine(), track))[1]
    assert FormWarning.LOWERED_TOO_FAST in rep.warnings


def test_partial_rep_is_reported_not_counted() -> None:
    track = Track().stay(3.0).rep().rep().move(0.8, 150.0).move(1.0, 0.0).stay(0.8).rep()
    reps = reps_of(run(RepEngine(), track))
    assert [(r.complete, r.rep) for r in reps] == [(True, 1), (True, 2), (False, 2), (True, 3)]
    assert reps[2].warnings == (FormWarning.PARTIAL_RANGE,)


def test_brief_dip_during_the_hold_is_not_a_second_rep() -> None:
    track = (
        Track().stay(3.0).move(1.0, 300.0).stay(0.8).move(0.15, 255.0).move(0.15, 300.0).stay(0.8)
    )
    track.move(2.0, 0.0).stay(1.0)
    reps = reps_of(run(RepEngine(), track))
    assert len(reps) == 1
    assert reps[0].hold_s > 1.6


def test_fidgeting_while_seated_is_never_a_rep() -> None:
    track = Track().stay(3.0).rep()
    for _ in range(10):
        track.move(0.5, 30.0).move(0.5, -10.0).move(0.4, 0.0)
    assert len(reps_of(run(RepEngine(), track))) == 1


def test_reps_without_resting_at_the_bottom_are_all_counted() -> None:
    track = Track().stay(3.0)
    for _ in range(6):
        track.move(0.9, 300.0).stay(1.0).move(1.8, 15.0)  # turns round just above the bottom
    track.stay(1.0)
    assert (
        len(
            [r for r in reps_of(run(RepEngine(EngineSettings(target_reps=0)), track)) if r.complete]
        )
        == 6
    )


@pytest.mark.parametrize("nearer", [True, False], ids=["sensor-above", "sensor-below"])
def test_a_seat_reached_from_above_is_where_the_first_lift_starts(nearer: bool) -> None:
    """Someone appears in the beam a little above the seat and sinks onto it, rests, then lifts:
    the lift starts from where the hips rested, not from the first height seen of them (from
    there every rep fell short of the range or was not one)."""
    seat, floor = (620.0, -290.0) if nearer else (300.0, 900.0)
    track = Track(rate=30.0, nearer=nearer, seated_mm=seat).empty(3.0, level=floor)
    track.readings(NO_TARGET, 0.3).arrive(0.8, from_height=30.0).stay(4.0)
    for _ in range(4):
        track.rep(120.0, hold=2.0)
    reps = reps_of(run(RepEngine(EngineSettings(target_reps=0)), track.stay(2.0)))
    assert [r.rep for r in reps if r.complete] == [1, 2, 3, 4]


def test_getting_on_and_off_the_bench_is_not_a_rep() -> None:
    # Sensor above: the floor is 150 mm beyond the seated hips; standing up passes close by.
    track = Track(seated_mm=850.0).readings(1000.0, 3.0)  # empty bench: the floor
    track.readings(300.0, 0.6)  # a body passes through the beam
    track.stay(3.0).rep().rep().rep()
    track.move(1.2, 650.0).stay(0.5)  # stands up
    track.readings(1000.0, 5.0)  # gone
    engine = RepEngine()
    events = run(engine, track)
    assert len(reps_of(events)) == 3
    presence = [e.present for e in events if isinstance(e, PresenceEvent)]
    assert presence[-1] is False
    assert engine.state.phase is Phase.AWAY


def test_first_reps_after_sitting_down_from_above_are_all_counted() -> None:
    # Sensor above: the floor, a body passing, then the hips settle onto the seat from higher up
    # and the first rep follows within seconds. The settle must not swallow the first rep.
    track = Track(seated_mm=980.0).readings(1180.0, 3.0).readings(400.0, 0.3)
    track.move(0.01, 130.0).move(0.8, 0.0).stay(2.0)
    for _ in range(4):
        track.rep()
    reps = reps_of(run(RepEngine(EngineSettings(target_reps=0)), track.stay(2.0)))
    assert [r.rep for r in reps if r.complete] == [1, 2, 3, 4]


def test_out_of_range_readings_mean_nobody_is_there() -> None:
    """Nobody seen for good: the set waits as for a pause (sunlight may blind the sensor for
    seconds), then ends at its idle time for the lifter leaving, dated when they went out of
    sight so that the rest counts from there."""
    track = Track().stay(3.0).rep().rep()
    gone_t = track.t
    engine = RepEngine()
    events = run(engine, track.readings(8190.0, 15.0))
    assert engine.state.phase is Phase.AWAY
    ends = [e for e in events if isinstance(e, SetEndEvent)]
    assert [e.reason for e in ends] == ["left_bench"]
    assert gone_t <= ends[0].t <= gone_t + 2.0  # dated when the lifter went out of sight


def test_calibration_is_learned_and_orientation_found() -> None:
    engine = RepEngine()
    run(engine, Track(nearer=False, seated_mm=200.0).stay(3.0).rep(rom=320.0))
    calibration = engine.state.calibration
    assert calibration is not None
    assert calibration.rising_farther is True
    assert calibration.bottom_mm == pytest.approx(200.0, abs=10.0)
    assert calibration.top_mm == pytest.approx(520.0, abs=10.0)


def test_fixed_orientation_is_used_from_the_first_rep_and_survives_recalibration() -> None:
    engine = RepEngine(EngineSettings(orientation=Orientation.FARTHER))
    track = Track(nearer=False, seated_mm=150.0).stay(3.0).rep().rep()
    assert len(reps_of(run(engine, track))) == 2
    engine.calibrate(track.t, CalibrationStep.AUTO)
    assert engine.cal.sign == 1


def test_manual_calibration_bottom_then_top() -> None:
    engine = RepEngine()
    track = Track().stay(2.0)
    run(engine, track)
    engine.calibrate(track.t, CalibrationStep.BOTTOM)
    top = Track(t=track.t).move(1.0, 300.0).stay(2.0)
    run(engine, top)
    events = engine.calibrate(top.t, CalibrationStep.TOP)
    assert kinds(events) == ["calibrated"]
    calibration = engine.state.calibration
    assert calibration is not None
    assert calibration.automatic is False
    assert calibration.top_mm == pytest.approx(500.0, abs=5.0)
    engine.calibrate(top.t, CalibrationStep.AUTO)
    assert engine.state.calibration is None


def test_live_position_and_hold_timer() -> None:
    engine = RepEngine()
    track = Track().stay(3.0).rep()
    run(engine, track)
    hold = Track(t=track.t).move(1.0, 300.0).stay(1.2)
    run(engine, hold)
    state = engine.state
    assert state.phase is Phase.HOLDING
    assert state.position_pct == pytest.approx(100.0, abs=5.0)
    assert state.hold_elapsed_s == pytest.approx(1.2 + EDGE, abs=0.15)


@pytest.mark.parametrize(("hold", "reached"), [(1.5, False), (1.9, True)])
def test_hold_reached_agrees_with_the_reported_hold(hold: float, reached: bool) -> None:
    track = Track(rate=50.0).stay(3.0).rep(rom=200.0, hold=hold).rep(rom=200.0, hold=hold)
    events = run(RepEngine(EngineSettings(hold_target_s=2.0)), track)
    holds = [e for e in events if isinstance(e, HoldReachedEvent)]
    reps = reps_of(events)
    assert len(holds) == (2 if reached else 0)
    assert all((r.hold_s >= 2.0) is reached for r in reps)
    assert all((FormWarning.HOLD_TOO_SHORT in r.warnings) is not reached for r in reps)


def test_the_tracker_hands_back_what_it_found_in_order_without_a_sink() -> None:
    """Detectors return their findings to the tracker, the tracker returns its own: no sink, no
    back-reference; the calibration comes with the levels it settled on."""
    tracker = RepTracker(
        CalibrationModel(),
        Side.LEFT,
        partial=0.3,
        hold_band_fraction=0.1,
        dip_tolerance_s=0.5,
        hold_target_s=1.0,
    )
    track = Track().stay(3.0).rep().rep().rep().stay(3.0)
    found: list[Detection] = []
    for t, distance in track.samples:
        assert distance is not None
        found.extend(tracker.push(t, distance, Side.LEFT))
    assert not any(hasattr(part, "sink") for part in (tracker, *tracker.detectors))
    assert isinstance(found[0], PresenceChanged)
    assert found[0].present
    (calibrated,) = [f for f in found if isinstance(f, Calibrated)]
    assert calibrated.levels[Side.LEFT] is not None
    assert calibrated.levels[Side.LEFT] == calibrated.levels[Side.RIGHT]  # the other side's range
    reps = [f for f in found if isinstance(f, RepFound)]
    assert [rep.measure.complete for rep in reps] == [True, True, True]
    # Seated when the readings stopped: out of sight for longer than a hold (8 s), the lifter
    # is gone since then (for 2 s only, the sensor may have been blind).
    last_t = track.samples[-1][0]
    assert tracker.lost(last_t + 2.0, last_t, Side.LEFT) == ()
    assert tracker.lost(last_t + 9.0, last_t, Side.LEFT) == [
        PresenceChanged(last_t, False, unseen=True)
    ]


def test_the_detectors_scale_with_the_working_sides_range_after_every_step() -> None:
    """The tracker rescales its detectors when the model or the working side changes, not on
    every reading: after every reading and command their scale is still the working side's
    range (None before one is learned), as computed afresh; so is the range the tracker reads
    for every reading (:meth:`.RepTracker._rom`), for either side, once the orientation is known."""
    engine = RepEngine(EngineSettings(target_reps=3, rest_s=5.0))

    def scales_fresh() -> bool:
        tracker = engine.tracker
        calibrator = tracker.calibrator
        side = engine.session.side
        fresh = calibrator.rom(side) if calibrator.model.sign else None
        kept = not calibrator.model.sign or all(
            tracker._rom(each) == calibrator.rom(each) for each in Side
        )
        return kept and all(detector.scale == fresh for detector in tracker.detectors)

    track = Track().stay(3.0)
    for _ in range(3):
        track.rep(rom=300.0)
    track.stay(12.0)  # the set ends at the target: the right leg's turn
    for _ in range(3):
        track.rep(rom=260.0)
    track.stay(12.0)
    sides: set[Side] = set()
    for t, d in track.samples:
        engine.feed(t, d)
        sides.add(engine.session.side)
        assert scales_fresh()
    left, right = (engine.cal.ranges[side].value for side in (Side.LEFT, Side.RIGHT))
    assert sides == {Side.LEFT, Side.RIGHT}
    assert left is not None
    assert right is not None
    assert left != right  # each leg its own range: a stale scale would show
    engine.switch_side(track.t, Side.RIGHT if engine.session.side is Side.LEFT else Side.LEFT)
    assert scales_fresh()
    engine.calibrate(track.t, CalibrationStep.AUTO)
    assert scales_fresh()
