"""The benchmark's scoring, on hand-made truth and event lists."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from custom_components.rep_coach.engine.events import (
    EngineEvent,
    HoldReachedEvent,
    RepEvent,
    SensorEvent,
    SensorState,
    SetEndEvent,
    SetEndReason,
)
from custom_components.rep_coach.engine.settings import Side
from rep_coach_tools.scoring import Cue, Emitted, cue_class, figures, score_session

HOLD_TARGET = 1.0


def _true_rep(start: float, hold: float, *, complete: bool = True) -> dict[str, Any]:
    hold_start = start + 1.0
    return {
        "complete": complete,
        "start_t": start,
        "hold_start_t": hold_start,
        "end_t": hold_start + hold + 2.0,
        "hold_s": hold,
        "eccentric_s": 2.0,
        "hold_reached_t": hold_start + HOLD_TARGET if hold >= HOLD_TARGET else None,
    }


def _truth() -> dict[str, Any]:
    """Two sets: three 2 s squeezes; then two reps, a partial and a 0.5 s squeeze."""
    first = [_true_rep(10.0 + 6 * k, 2.0) for k in range(3)]
    second = [
        _true_rep(60.0, 2.0),
        _true_rep(66.0, 0.2, complete=False),
        _true_rep(72.0, 0.5),
    ]
    sets = []
    for side, reps in (("left", first), ("right", second)):
        sets.append(
            {
                "side": side,
                "start_t": reps[0]["start_t"],
                "end_t": reps[-1]["end_t"],
                "reps": sum(r["complete"] for r in reps),
                "partial_reps": sum(not r["complete"] for r in reps),
                "rep_details": reps,
            }
        )
    return {"duration_s": 100.0, "sets": sets, "away": [[0.0, 5.0], [90.0, 100.0]]}


def _rep(
    detail: dict[str, Any],
    *,
    complete: bool = True,
    side: Side = Side.LEFT,
    number: int = 1,
    hold_error: float = 0.0,
    late: float = 0.1,
) -> Emitted:
    event = RepEvent(
        t=detail["end_t"] + late,
        complete=complete,
        side=side,
        set=number,
        rep=1,
        started_t=detail["start_t"],
        concentric_s=1.0,
        hold_s=detail["hold_s"] + hold_error,
        lowering_s=detail["eccentric_s"] - 0.05,
        rom_mm=200.0,
        rom_pct=100.0,
        peak_speed_mm_s=400.0,
    )
    return Emitted(event.t + 0.05, event)


def _cue(t: float) -> Emitted:
    return Emitted(t + 0.02, HoldReachedEvent(t=t, side=Side.LEFT, set=1, rep=1, hold_target_s=1.0))


def _perfect() -> list[Emitted]:
    truth = _truth()
    first, second = (s["rep_details"] for s in truth["sets"])
    out = [_rep(d) for d in first]
    out += [_cue(d["hold_start_t"] + HOLD_TARGET + 0.05) for d in first]
    out += [
        _rep(second[0], side=Side.RIGHT),
        _cue(second[0]["hold_start_t"] + 1.05),
        _rep(second[1], complete=False, side=Side.RIGHT),
        _rep(second[2], side=Side.RIGHT),
    ]
    return sorted(out, key=lambda e: e.event.t)


def _score(emitted: list[Emitted]) -> dict[str, Any]:
    return figures([score_session("s", _truth(), emitted, hold_target_s=HOLD_TARGET)])


def test_perfect_events_score_perfectly() -> None:
    figs = _score(_perfect())
    assert figs["sets_exact_pct"] == 100.0
    assert figs["reps_outside_sets"] == 0
    assert figs["partials_recognised_pct"] == 100.0
    assert figs["hold_mae_s"] == 0.0
    assert figs["lowering_mae_s"] == pytest.approx(0.05)
    assert figs["rep_delay_p50_s"] == pytest.approx(0.1)
    assert figs["rep_latency_p50_s"] == pytest.approx(0.15)
    assert figs["cue_eligible"] == 4
    assert figs["cue_missed"] == 0
    assert figs["cue_false"] == 0
    assert figs["cue_ineligible"] == 2  # the partial and the 0.5 s squeeze
    assert figs["cue_delay_p50_s"] == pytest.approx(0.05)


def test_a_missed_rep_breaks_its_set() -> None:
    emitted = [e for e in _perfect() if not (isinstance(e.event, RepEvent) and 15 < e.event.t < 20)]
    figs = _score(emitted)
    assert figs["sets_exact"] == 1
    assert figs["rep_count_mae"] == 0.5
    assert figs["reps_found_pct"] == pytest.approx(80.0)


def test_a_rep_while_seated_is_outside_the_sets() -> None:
    truth = _truth()
    fidget = {**truth["sets"][0]["rep_details"][0], "end_t": 45.0, "start_t": 42.0}
    figs = _score([*_perfect(), _rep(fidget)])
    assert figs["reps_outside_sets"] == 1
    assert figs["sets_exact_pct"] == 100.0


def test_reps_past_the_target_opening_another_set_are_not_exact() -> None:
    emitted = _perfect()
    third = next(e for e in emitted if isinstance(e.event, RepEvent) and 20 < e.event.t < 30)
    split = _rep(_truth()["sets"][0]["rep_details"][2], side=Side.RIGHT, number=1)
    emitted = [split if e is third else e for e in emitted]
    figs = _score(emitted)
    assert figs["sets_exact"] == 1  # right count, two engine sets


def _set_end(t: float, reps: int) -> Emitted:
    """Left set 1 ended at ``t`` with ``reps``."""
    event = SetEndEvent(
        t=t,
        side=Side.LEFT,
        set=1,
        reps=reps,
        partial_reps=0,
        reason=SetEndReason.IDLE,
        target_reps=8,
        mean_hold_s=2.0,
        mean_lowering_s=2.0,
        mean_rom_mm=200.0,
        time_under_tension_s=20.0,
    )
    return Emitted(t, event)


def _as_one_set(emitted: list[Emitted]) -> list[Emitted]:
    """The second set's reps counted in the first set's engine set (left 1)."""
    return [
        Emitted(e.at, replace(e.event, side=Side.LEFT, set=1))
        if isinstance(e.event, RepEvent) and e.event.side is Side.RIGHT
        else e
        for e in emitted
    ]


def test_two_sets_counted_as_one_engine_set_are_not_exact() -> None:
    """Reps held back while the orientation was learned and counted afterwards, two sets and a
    rest apart, all in one engine set: each window holds its own count, neither is a set."""
    figs = _score(_as_one_set(_perfect()))
    assert figs["sets_exact"] == 0


def test_the_same_set_number_after_the_set_ended_is_another_set() -> None:
    """Left 1 ended between them (a new workout restarts the numbers): two sets."""
    figs = _score(sorted([*_as_one_set(_perfect()), _set_end(40.0, 3)], key=lambda e: e.at))
    assert figs["sets_exact"] == 2


def test_a_partial_counted_as_a_rep_is_not_recognised() -> None:
    second = _truth()["sets"][1]["rep_details"]
    emitted = [
        _rep(second[1], side=Side.RIGHT)
        if isinstance(e.event, RepEvent) and not e.event.complete
        else e
        for e in _perfect()
    ]
    figs = _score(emitted)
    assert figs["partials_recognised_pct"] == 0.0
    assert figs["sets_exact"] == 1


def test_partial_events_with_no_partial_are_counted_apart() -> None:
    stray = {**_truth()["sets"][0]["rep_details"][0], "end_t": 50.0}
    figs = _score([*_perfect(), _rep(stray, complete=False)])
    assert figs["partial_events_unmatched"] == 1
    assert figs["reps_outside_sets"] == 0


def test_hold_cue_missed_false_and_stray() -> None:
    truth = _truth()
    first, second = (s["rep_details"] for s in truth["sets"])
    emitted = [e for e in _perfect() if not isinstance(e.event, HoldReachedEvent)]
    emitted += [_cue(d["hold_start_t"] + 1.0) for d in first[:2]]  # the third gets none
    emitted.append(_cue(second[2]["hold_start_t"] + 0.3))  # 0.5 s squeeze: false
    emitted.append(_cue(50.0))  # while resting: stray
    figs = _score(sorted(emitted, key=lambda e: e.event.t))
    assert figs["cue_missed"] == 2  # the third rep of set 1, the first of set 2
    assert figs["cue_missed_pct"] == 50.0
    assert figs["cue_false"] == 1
    assert figs["cue_false_pct"] == 50.0
    assert figs["cues_outside_reps"] == 1


def test_squeezes_near_the_target_are_not_scored() -> None:
    assert cue_class(_true_rep(0.0, 1.1), HOLD_TARGET) is Cue.BORDERLINE
    assert cue_class(_true_rep(0.0, 0.9), HOLD_TARGET) is Cue.BORDERLINE
    assert cue_class(_true_rep(0.0, 1.2), HOLD_TARGET) is Cue.ELIGIBLE
    assert cue_class(_true_rep(0.0, 0.8), HOLD_TARGET) is Cue.INELIGIBLE
    assert cue_class(_true_rep(0.0, 3.0, complete=False), HOLD_TARGET) is Cue.INELIGIBLE


def test_timing_errors_are_signed_per_rep_and_averaged_absolute() -> None:
    truth = _truth()
    emitted: list[Emitted] = []
    for k, d in enumerate(truth["sets"][0]["rep_details"]):
        emitted.append(_rep(d, hold_error=(-0.3, 0.1, 0.2)[k]))
    figs = figures([score_session("s", truth, emitted, hold_target_s=HOLD_TARGET)])
    assert figs["hold_mae_s"] == pytest.approx(0.2)


def test_sensor_alerts_count_only_on_an_empty_bench() -> None:
    def alert(t: float) -> Emitted:
        event: EngineEvent = SensorEvent(t=t, state=SensorState.INVALID, previous=SensorState.OK)
        return Emitted(t, event)

    figs = _score([*_perfect(), alert(3.0), alert(30.0), alert(95.0)])
    assert figs["empty_bench_alerts"] == 2


def test_set_record_must_carry_the_true_count() -> None:
    figs = _score([*_perfect(), _set_end(40.0, 3), _set_end(90.0, 3)])
    assert figs["set_records_exact_pct"] == 50.0


def test_a_rep_whose_top_nobody_saw_may_be_counted_or_not() -> None:
    truth = _truth()
    hidden = truth["sets"][0]["rep_details"][1]  # squeeze 17-19 s
    gap = (hidden["hold_start_t"] - 0.2, hidden["hold_start_t"] + hidden["hold_s"] + 0.2)
    valid = [k / 10 for k in range(1000) if not gap[0] <= k / 10 <= gap[1]]
    lost = [e for e in _perfect() if not (isinstance(e.event, RepEvent) and 20 < e.event.t < 22)]
    for emitted in (_perfect(), lost):
        scored = score_session("s", truth, emitted, hold_target_s=HOLD_TARGET, valid_times=valid)
        figs = figures([scored])
        assert figs["sets_exact_pct"] == 100.0
        assert figs["reps_top_unseen"] == 1
        assert figs["sets_with_unseen_top"] == 1
        assert figs["cue_eligible"] == 3  # the unseen rep is not scored for the cue either
        assert figs["reps_found_pct"] == 100.0
    extra = [e for e in _perfect() if isinstance(e.event, RepEvent) and e.event.t < 16]
    scored = score_session(
        "s", truth, [*_perfect(), *extra], hold_target_s=HOLD_TARGET, valid_times=valid
    )
    assert figures([scored])["sets_exact"] == 1  # one too many is still wrong
