"""The calibration model: the range as the median of the last full reps, its saved form."""

from __future__ import annotations

import pytest

from custom_components.rep_coach.engine import EngineSettings, RepEngine, RepEvent, Side
from custom_components.rep_coach.engine.calibration import CalibrationModel
from custom_components.rep_coach.engine.thresholds import PRIOR
from rep_coach_tools.bench_suite import Task, make_session
from rep_coach_tools.benchmark import run_engine
from rep_coach_tools.field.upsets import Upset, upset_session
from rep_coach_tools.sim.model import Mount

from .helpers import Track, run


def test_calibration_median_fallback_and_round_trip() -> None:
    model = CalibrationModel()
    assert model.range_for(Side.LEFT) is None
    for rom in (300.0, 310.0, 200.0, 305.0, 298.0, 302.0):
        model.learn_rom(Side.LEFT, rom)
    assert model.range_for(Side.LEFT) == 302.0  # median of the last five
    assert model.range_for(Side.RIGHT) == 302.0  # the other leg's until this one has its own
    model.sign, model.bottom_h = -1, -800.0
    copy = CalibrationModel()
    copy.restore(model.export())
    assert (copy.sign, copy.bottom_h, copy.range_for(Side.LEFT)) == (-1, -800.0, 302.0)
    copy.restore({"sign": 7, "bottom_h": "x", "ranges": {"left": {"roms": ["a", -1, 250.0]}}})
    assert (copy.sign, copy.range_for(Side.LEFT)) == (-1, 250.0)


# --- a gap in the readings ---------------------------------------------------------------------


def _settled_on_a_set(nearer: bool) -> tuple[RepEngine, Track]:
    engine = RepEngine(EngineSettings(target_reps=0))
    track = Track(nearer=nearer, rate=15.0).stay(3.0)
    for _ in range(5):
        track.rep()
    run(engine, track)
    assert engine.tracker.calibrator.settled
    return engine, track


@pytest.mark.parametrize("nearer", [True, False])
def test_a_gap_with_the_lifter_seated_keeps_what_the_orientation_learned(nearer: bool) -> None:
    """A sensor reboot or a Wi-Fi outage of a few seconds in a set changes nothing of the bench:
    the evidence for the orientation stays (it used to restart from the prior, so a lifter whose
    squeeze and bottom pause look alike had every rep after it held back, then lost)."""
    engine, track = _settled_on_a_set(nearer)
    calibrator = engine.tracker.calibrator
    weighed = list(calibrator.window)
    assert len(weighed) >= 8  # the set's round trips
    resumed = Track(nearer=nearer, rate=15.0, t=track.t + 4.0).stay(1.0)
    run(engine, resumed)
    assert engine.tracker.presence.present
    assert list(calibrator.window) == weighed


def test_a_gap_after_the_lifter_left_lets_the_next_lifter_be_learned_afresh() -> None:
    engine, track = _settled_on_a_set(True)
    track.stay(2.0).leave().empty(5.0)
    run(engine, track)
    assert not engine.tracker.presence.present
    calibrator = engine.tracker.calibrator
    resumed = Track(rate=15.0, t=track.t + 4.0).empty(1.0)
    run(engine, resumed)
    assert not calibrator.window
    assert calibrator.evidence() == PRIOR * calibrator.model.sign


def test_a_sensor_reboot_mid_set_keeps_counting_every_rep_seen_whole() -> None:
    """A hold-out lifter (sensor below, a 2 s hold target, squeeze and bottom pause alike) whose
    sensor reboots for 3.4 s mid-set: the reps after the reboot count at once, in the set. (The
    rep whose squeeze the reboot cut, lowered in the silence, counts when the readings come
    back, dated at its last reading: it cannot count as it happens.)"""
    session = upset_session(269757862, Upset.REBOOT, mount=Mount.BELOW)
    at = session.truth["upset"]["at_t"]
    chosen = next(s for s in session.truth["sets"] if s["start_t"] <= at <= s["end_t"])
    whole = [d for d in chosen["rep_details"] if d["complete"] and not d.get("interrupted")]
    emitted = [
        (e.at, e.event)
        for e in run_engine(session)
        if isinstance(e.event, RepEvent)
        and e.event.complete
        and chosen["start_t"] - 1.0 <= e.event.t <= chosen["end_t"] + 1.0
    ]
    assert len(emitted) >= len(whole)
    assert len({(ev.side, ev.set) for _, ev in emitted}) == 1
    cut = [(at_, ev) for at_, ev in emitted if ev.started_t < at < at_]
    assert len(cut) <= 1
    # counted as they happen
    assert all(at_ - ev.t < 1.0 for at_, ev in emitted if (at_, ev) not in cut)


@pytest.mark.xfail(
    strict=True,
    reason=(
        "held-back reps from before a departure are scored against the range learned after it;"
        " measuring each stint against its own agreed range fixes this session but splits a"
        " back-to-back set and drops reps of a reclamped pair (seed 11)"
    ),
)
def test_reps_held_back_before_the_lifter_left_are_measured_against_their_own_range() -> None:
    """Main corpus, training seed 41: a set of 12 on a 19 cm range, orientation still undecided;
    the lifter left, the bench was moved, a set on a 24 cm range told the orientation. The
    first set, held back until then, was measured against the later range (its full reps
    read 72-85 % of it) and four of its reps became partial ones. Reps from before the bench
    emptied are measured against the range their own reps agree on."""
    session = make_session(Task("main", 713889378, "mixed", "above"))
    first = session.truth["sets"][0]
    reps = [e.event for e in run_engine(session) if isinstance(e.event, RepEvent)]
    mine = [r for r in reps if first["start_t"] - 1.0 <= r.started_t <= first["end_t"]]
    assert sum(r.complete for r in mine) == first["reps"]
    assert sum(not r.complete for r in mine) == first["partial_reps"]
