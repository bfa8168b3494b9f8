"""Counting robustness (issue #8): each test reproduces one way a set was miscounted.

Streams come from the shared :class:`Track` builder; each names the cause it guards against.
"""

from __future__ import annotations

import pytest

from custom_components.rep_coach.engine import EngineEvent, EngineSettings, RepEngine, RepEvent

from .helpers import Track, run


def counted(events: list[EngineEvent]) -> list[RepEvent]:
    return [e for e in events if isinstance(e, RepEvent) and e.complete]


@pytest.mark.parametrize(
    ("nearer", "seat", "sweep"),
    [
        (True, 620.0, (80.0, 200.0, 460.0, 480.0, 520.0, 570.0)),  # in from near the lens
        (False, 220.0, (760.0, 640.0, 380.0, 360.0, 320.0, 270.0)),  # down from far above
    ],
    ids=["above", "below"],
)
@pytest.mark.parametrize("rom", [150.0, 290.0])
def test_a_fast_arrival_does_not_blind_the_noise_estimate_to_the_first_rep(
    nearer: bool, seat: float, sweep: tuple[float, ...], rom: float
) -> None:
    """The lifter sweeps through the beam in a few 10 Hz readings, sits five seconds and starts.
    The noise is what the still seat shows, not the decimetres between the arrival's readings
    (taken as noise, they made the first reps look like fidgets)."""
    track = Track(rate=10.0, nearer=nearer, seated_mm=seat, noise=True, seed=3).empty(4.0)
    for distance in sweep:
        track.readings(distance, 0.1)
    track.stay(5.5)
    for _ in range(5):
        track.rep(rom=rom, up=0.9, hold=1.5, down=2.0, pause=0.8)
    reps = counted(run(RepEngine(EngineSettings(target_reps=0)), track.stay(3.0), tail_s=30.0))
    assert len(reps) == 5
