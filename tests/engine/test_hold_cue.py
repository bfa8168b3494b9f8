"""The hold-reached cue where what was learned does not answer yet: a new lifter's range."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from custom_components.rep_coach.engine import (
    EngineSettings,
    HoldReachedEvent,
    RepEngine,
    RepEvent,
)

from .helpers import Track, run


def _cued_reps(events: Sequence[object]) -> list[bool]:
    """For each rep in time order (reps held back are reported late): whether a hold cue
    came between its start and its end."""
    cues = [e.t for e in events if isinstance(e, HoldReachedEvent)]
    reps = sorted((e for e in events if isinstance(e, RepEvent)), key=lambda r: r.started_t)
    return [any(r.started_t <= t <= r.t for t in cues) for r in reps]


@pytest.mark.parametrize("nearer", [True, False], ids=["above", "below"])
def test_a_new_lifter_with_a_shorter_range_gets_the_cue_from_the_first_rep(nearer: bool) -> None:
    """One lifter's set (30 cm), the bench empty, then another lifter with a 20 cm range (two
    thirds of the first), squeezing 2.5 s against a 2 s target. Their reps stop short of the
    learned range's lockout until the calibration has relearned it, two reps later: the
    squeeze of the rep's own range (the hold band of the timing definition) is timed for the
    cue all the same, since the learned range is in doubt once someone sat down."""
    track = Track(rate=25.0, nearer=nearer, noise=True, seed=8).empty(3.0).arrive().stay(3.0)
    for _ in range(6):
        track.rep(rom=300.0, up=1.0, hold=2.5, down=2.0, pause=0.6)
    track.stay(2.0).leave().empty(40.0).arrive().stay(3.0)
    for _ in range(5):
        track.rep(rom=200.0, up=0.9, hold=2.5, down=2.0, pause=0.6)
    track.stay(3.0).leave().empty(5.0)
    events = run(RepEngine(EngineSettings(target_reps=0, hold_target_s=2.0)), track, tail_s=30.0)
    assert _cued_reps(events) == [True] * 11


def test_a_partial_rep_of_a_settled_range_gets_no_cue_however_long_its_top() -> None:
    """Mid-set, with the lifter's range settled, a 60 % rep held still for 3 s is a partial
    rep: no cue (the range is not in doubt, so its top is not a provisional one)."""
    track = Track(rate=25.0, nearer=True, noise=True, seed=4).empty(3.0).arrive().stay(3.0)
    for _ in range(4):
        track.rep(rom=300.0, up=1.0, hold=2.5, down=2.0, pause=0.6)
    track.rep(rom=180.0, up=0.8, hold=3.0, down=1.5, pause=0.6)
    for _ in range(2):
        track.rep(rom=300.0, up=1.0, hold=2.5, down=2.0, pause=0.6)
    events = run(RepEngine(EngineSettings(target_reps=0, hold_target_s=2.0)), track.stay(3.0))
    reps = [e for e in events if isinstance(e, RepEvent)]
    assert [r.complete for r in reps] == [True] * 4 + [False] + [True] * 2
    assert _cued_reps(events) == [True] * 4 + [False] + [True] * 2
