"""The hold cue on a noisy stream: the hips' speed at the target moment is read over a short
window, so its own noise sets how slow a movement it can tell from stillness."""

from __future__ import annotations

from rep_coach_tools.benchmark import run_engine
from rep_coach_tools.holdout import holdout_session
from rep_coach_tools.holdout.pairs import holdout_pair
from rep_coach_tools.scoring import Cue, RepOutcome, score_session
from rep_coach_tools.sim.broad import Options
from rep_coach_tools.sim.model import Mount, SimSession
from rep_coach_tools.simulator import simulate_session


def _scored_reps(session: SimSession) -> list[RepOutcome]:
    """What the engine made of each true rep of ``session`` (its cue among them)."""
    score = score_session(
        session.name,
        session.truth,
        run_engine(session),
        hold_target_s=session.settings().hold_target_s,
    )
    return score.reps


def test_every_squeeze_past_the_target_gets_the_cue_on_a_wobbly_ball() -> None:
    # A stability ball (a 2-5 mm sway in the squeeze) seen from above at 12.5 Hz: over 0.15 s
    # either side the speed's own noise (several mm/s per mm of sensor noise) is above 15 % of
    # this lifter's lowering speed, so a still squeeze sometimes read as lowering and a rep
    # squeezed past the target got no cue.
    session = simulate_session(638334976, family="geometry", options=Options(mount=Mount.ABOVE))
    settings = session.settings()
    assert session.rate_hz == 12.5
    assert settings.variation == "stability_ball"
    reps = _scored_reps(session)
    eligible = [r for r in reps if r.cue is Cue.ELIGIBLE]
    ineligible = [r for r in reps if r.cue is Cue.INELIGIBLE]
    assert len(eligible) >= 10
    assert all(r.cue_given for r in eligible)
    assert not any(r.cue_given for r in ineligible)


def test_a_squeeze_whose_readings_wander_up_is_not_restarted() -> None:
    # Two hold-out lifters in one stream, the sensor re-clamped below the hips for the second
    # (ESPHome's plain centimetres at 15 Hz, hips 1.2 m away): the sensor's AR(1) noise, about
    # 6 mm at that distance, is correlated over many readings, so differences of neighbouring
    # readings (the noise estimate) see a third of it. Mid-squeeze the readings wandered up by
    # more than the hold band, quickly enough to read as rising: taken for a pause on the way
    # up, the squeeze restarted and the cue came after the lowering had begun (5 of the 105
    # squeezes past the target). A rise no larger than resting readings wander is no new lift.
    session = holdout_pair(819966918, reclamp=True, mount=Mount.BELOW)
    assert session.rate_hz == 15.0
    eligible = [r for r in _scored_reps(session) if r.cue is Cue.ELIGIBLE]
    assert len(eligible) >= 100
    assert sum(not r.cue_given for r in eligible) <= 1


def test_a_cue_window_read_among_bursts_spans_the_cue_s_time() -> None:
    # A hold-out lifter seen from above on ESPHome's plain topic at 15 Hz, its readings timed
    # on arrival: where Wi-Fi stalls follow one another, most of sixteen readings came in pairs
    # and bursts, the median step between them was 4 ms, and the hold cue's speed window,
    # worked out there, spanned 38 readings either side (2.5 s, not 0.15 s) for the next 64
    # readings: two squeezes held 0.8 s past the target got no cue. Now where the median step
    # is under half the period read over the last 64 readings (time per reading, a burst's
    # stall counted as its readings' time, a dropout's silence left out), that period sizes
    # the window. Tried before (training seeds 31, 37, 41, 43 pooled): the mean step where
    # the median is under half of it fixed this session but a dropout lengthens the mean too
    # (misses main 1.8 -> 2.2 %, classic 1.7 -> 2.1 %, b2b 5.1 -> 5.6 %).
    session = holdout_session(1097808628, mount=Mount.ABOVE)
    assert session.plain
    assert session.rate_hz == 15.0
    eligible = [r for r in _scored_reps(session) if r.cue is Cue.ELIGIBLE]
    assert len(eligible) >= 40
    assert all(r.cue_given for r in eligible)
