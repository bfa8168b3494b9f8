"""Reps counted outside every set (issue #8): arriving, leaving and passing never count.

Each test reproduces one motion that the benchmark's training seeds counted as a rep where
no set was; streams come from the shared :class:`Track` builder.
"""

from __future__ import annotations

import pytest

from custom_components.rep_coach.engine import EngineEvent, EngineSettings, RepEngine, RepEvent

from .helpers import Track, run


def counted(events: list[EngineEvent]) -> list[RepEvent]:
    return [e for e in events if isinstance(e, RepEvent) and e.complete]


@pytest.mark.parametrize("nearer", [True, False], ids=["above", "below"])
def test_sitting_down_through_the_beam_is_not_the_start_of_the_first_lift(nearer: bool) -> None:
    """Classic corpus, seed 31: the lifter stepped in through the beam (a body near the lens,
    then the hips settling from above onto the seat) and shifted on the seat before the first
    rep. That shift was timed on readings from before the jump, from the empty bench's floor,
    so it measured the whole sit-down as its range and was counted before the set."""
    track = Track(rate=12.5, nearer=nearer, seated_mm=1125.0, noise=True, seed=6)
    track.empty(4.0, level=-230.0)
    arrived = track.t
    for height in (550.0, 770.0, 680.0, 460.0):  # a body crossing the beam near the lens
        track.readings(track.distance(height), 0.08)
    track.arrive(0.6, from_height=130.0).stay(2.0)
    track.move(0.8, 40.0).stay(1.0).move(0.5, 5.0).stay(1.5)  # settling on the seat
    for _ in range(5):
        track.rep(rom=240.0, up=1.0, hold=1.5, down=2.0, pause=1.0)
    events = run(RepEngine(EngineSettings(target_reps=0)), track.stay(3.0), tail_s=30.0)
    assert len(counted(events)) == 5
    assert all(e.started_t >= arrived for e in events if isinstance(e, RepEvent))
