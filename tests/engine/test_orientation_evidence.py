"""Orientation evidence: where runs start and where the lifter rests outweigh style habits.

A lifter's style (a long squeeze, a touch-and-go bottom, a slow lowering) is only a soft clue:
some lifters barely pause at the top and rest a moment on the seat between reps. Such habits,
repeated rep after rep, must neither decide the orientation against the hard clues (a run starts
with a lift from a rest on the seat; a "hold" as long as a rest is the seat seen upside down) nor
unsettle an orientation already learned.
"""

from __future__ import annotations

import pytest

from custom_components.rep_coach.engine import (
    CalibratedEvent,
    EngineEvent,
    EngineSettings,
    RepEngine,
    RepEvent,
)
from rep_coach_tools.benchmark import run_engine
from rep_coach_tools.field.upsets import upset_session
from rep_coach_tools.sim.model import Mount

from .helpers import NO_TARGET, Track, full_reps_per_set, run, run_payloads


def counted(events: list[EngineEvent]) -> list[RepEvent]:
    return [e for e in events if isinstance(e, RepEvent) and e.complete]


def touch_and_go_at_the_top(track: Track, reps: int, rom: float = 135.0) -> Track:
    """Quick reps with no squeeze to speak of and a short rest on the seat after each."""
    for _ in range(reps):
        track.rep(rom=rom, up=0.5, hold=0.05, down=0.6, pause=0.35)
    return track


@pytest.mark.parametrize("nearer", [True, False], ids=["above", "below"])
def test_a_lifter_who_rests_at_the_bottom_not_the_top_counts_the_right_way_up(
    nearer: bool,
) -> None:
    seat = 700.0 if nearer else 300.0
    track = Track(nearer=nearer, seated_mm=seat, noise=True, seed=11).empty(2.0)
    # Sits down from well above the seat: the arrival reads as a movement with a long "top".
    track.arrive(1.0, from_height=170.0).stay(5.0)
    touch_and_go_at_the_top(track, 7)
    track.stay(60.0)
    touch_and_go_at_the_top(track, 6)
    events = run(RepEngine(EngineSettings(target_reps=0)), track.stay(20.0), tail_s=30.0)
    reps = counted(events)
    assert len(reps) == 13
    assert [(r.side, r.set) for r in reps[:7]] == [(reps[0].side, reps[0].set)] * 7
    assert all(r.rom_mm == pytest.approx(135.0, abs=25.0) for r in reps)
    calibrations = [e for e in events if isinstance(e, CalibratedEvent)]
    assert calibrations
    assert all(abs(e.bottom_mm - seat) < 20.0 for e in calibrations)  # never upside down


def test_a_quick_lowering_and_a_short_squeeze_do_not_unsettle_a_learned_orientation() -> None:
    track = Track(nearer=True, seated_mm=780.0, noise=True, seed=12).empty(2.0).arrive().stay(3.0)
    for _ in range(4):  # a usual set first: squeeze, slow lowering
        track.rep(rom=300.0, up=1.0, hold=1.5, down=2.0, pause=0.6)
    track.stay(40.0)
    for _ in range(12):  # then a set of slow lifts, short squeezes and quick lowerings
        track.rep(rom=300.0, up=1.4, hold=0.2, down=0.75, pause=0.5)
    events = run(RepEngine(EngineSettings(target_reps=0)), track.stay(20.0), tail_s=30.0)
    reps = counted(events)
    assert len(reps) == 16
    assert len({(r.side, r.set) for r in reps[4:]}) == 1  # the second set stays one set
    calibrations = [e for e in events if isinstance(e, CalibratedEvent)]
    assert len(calibrations) == 1


def test_standing_up_and_leaving_does_not_set_the_scale() -> None:
    """Getting up reads like one huge round trip (up, then back down to the empty bench): it
    must not become the range against which the lifter's reps look like fidgets."""
    track = Track(nearer=True, seated_mm=605.0, noise=True, seed=13).empty(2.0)
    track.arrive(1.0, from_height=60.0).stay(2.5)
    for _ in range(6):
        track.rep(rom=170.0, up=1.7, hold=4.0, down=3.4, pause=0.9)
    # Stands up (hips 58 cm up), walks off: the sensor then sees the bench 6 cm above the seat.
    track.stay(1.5).move(0.8, 580.0).stay(0.3).move(1.2, 60.0).stay(50.0)
    track.arrive(1.0, from_height=60.0).stay(2.5)
    for _ in range(6):
        track.rep(rom=170.0, up=1.7, hold=4.0, down=3.4, pause=0.9)
    events = run(RepEngine(EngineSettings(target_reps=0)), track.stay(20.0), tail_s=30.0)
    reps = counted(events)
    assert len(reps) == 12
    assert all(r.rom_mm == pytest.approx(170.0, abs=25.0) for r in reps)


def test_a_dropout_mid_lowering_does_not_lose_a_rep_whose_squeeze_was_seen() -> None:
    track = Track(nearer=False, seated_mm=960.0, noise=True, seed=14, rate=10.0).empty(2.0)
    track.arrive().stay(3.0)
    for k in range(5):
        track.move(0.55, 215.0).stay(1.7)
        if k == 3:  # no reading for 0.9 s on the way down, then the hips are almost seated
            track.move(0.3, 180.0).readings(NO_TARGET, 0.9).arrive(0.4, from_height=20.0)
        else:
            track.move(1.4, 0.0)
        track.stay(0.4)
    events = run(RepEngine(EngineSettings(target_reps=0)), track.stay(20.0), tail_s=30.0)
    assert len(counted(events)) == 5


def test_a_coarse_stream_with_a_sagging_squeeze_counts_every_rep() -> None:
    """ESPHome's default 1 cm steps on a 9 cm range, 10 Hz: the squeeze flips between two
    quanta and sags a step or two into a slow lowering. Neither is a new level to sit on."""
    track = Track(nearer=True, seated_mm=735.0, rate=10.0, noise=True, seed=15).empty(2.0)
    track.arrive().stay(5.0)
    for _ in range(6):
        track.rep(rom=88.0, up=1.7, hold=2.7, down=2.6, pause=1.2, sag=14.0)
    payloads = track.stay(15.0).leave().empty(5.0).plain_payloads()
    events = run_payloads(RepEngine(EngineSettings(target_reps=0)), payloads, tail_s=30.0)
    assert len(counted(events)) == 6


def test_sitting_down_from_the_empty_bench_level_does_not_swallow_the_first_rep() -> None:
    """The lifter slides onto the bench from the empty bench's level (no jump in the readings)
    and rests: that rise and rest is the arrival; the lift after it is the first rep."""
    track = Track(nearer=True, seated_mm=712.0, noise=True, seed=16).empty(2.0, level=-140.0)
    track.move(1.8, 14.0).move(0.4, 0.0).stay(3.5)
    for _ in range(5):
        track.rep(rom=165.0, up=0.9, hold=1.5, down=1.5, pause=0.6)
    events = run(RepEngine(EngineSettings(target_reps=0)), track.stay(15.0), tail_s=30.0)
    reps = counted(events)
    assert len(reps) == 5
    assert all(r.rom_mm == pytest.approx(165.0, abs=25.0) for r in reps)


def _mid_set_then_leaving(nearer: bool, seed: int, stands_mm: float) -> Track:
    """The stream starts with the lifter already seated and going (no rest before the first
    lift); a long squeeze and a short rest on the seat make either way up a plausible rep; then
    they rest on the seat, stand up and walk off, and the sensor sees the empty bench's far
    surface (the ceiling over a sensor below, the floor under one above)."""
    track = Track(nearer=nearer, seated_mm=1000.0 if nearer else 180.0, noise=True, seed=seed)
    track.rate = 10.0
    track.stay(0.6)
    for _ in range(8):
        track.rep(rom=240.0, up=0.6, hold=3.4, down=1.9, pause=0.8)
    track.stay(3.5).move(0.8, stands_mm).stay(0.5)
    return track.empty(12.0, level=-330.0 if nearer else 1500.0)


@pytest.mark.parametrize("stands_mm", [410.0, 760.0], ids=["near", "beyond any thrust"])
@pytest.mark.parametrize("nearer", [True, False], ids=["above", "below"])
def test_standing_up_and_leaving_tells_the_way_up_of_a_set_that_started_with_the_stream(
    nearer: bool, stands_mm: float
) -> None:
    """Nothing before the lifter leaves tells the way up for sure (the stream began mid-set,
    sitting down reads as a lift one way up, the style votes never decide alone): standing up
    from the seat does (a lift from a rest far beyond the reps, then gone; the other way up it
    sinks through the seat). The set is counted as they leave, not when the next lifter's first
    rest tells, minutes later (here nobody comes: before, the set was never counted)."""
    engine = RepEngine(EngineSettings(target_reps=0))
    events = run(engine, _mid_set_then_leaving(nearer, seed=17, stands_mm=stands_mm))
    reps = counted(events)
    assert len(reps) == 8
    assert all(r.rom_mm == pytest.approx(240.0, abs=25.0) for r in reps)
    calibrations = [e for e in events if isinstance(e, CalibratedEvent)]
    assert len(calibrations) == 1
    assert abs(calibrations[0].bottom_mm - (1000.0 if nearer else 180.0)) < 20.0


def test_standing_up_while_the_way_up_is_relearned_turns_a_set_learned_upside_down() -> None:
    """Upsets corpus (training seed, sensor below): the first two sets were learned upside down
    (few reps, little to go on); when the third set's reps doubted it, the lifter got up and
    left before the relearn could tell. Their stand-up says which way is up: that set and
    the three after it are counted (they were 1, 1, 0 and 0 of 10, 12, 10 and 12)."""
    session = upset_session(1960323593, "restart", mount=Mount.BELOW)
    reps = [e.event for e in run_engine(session) if isinstance(e.event, RepEvent)]
    assert full_reps_per_set(session, reps)[2:5] == [s["reps"] for s in session.truth["sets"][2:5]]
