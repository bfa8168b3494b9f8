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


SWIFT_NOT_KEPT = (
    "known failure (#8, field passers): not fixed. Tried (outside8, commits 3d84910 and "
    "1424c76): a round trip whose lift and lowering each cover 80 % of its range within 0.2 s "
    "is a body crossing the beam; it removed 22 of 37 reps outside sets on the pooled training "
    "seeds but miscounted 7 sets there (fast lifters on 10-20 Hz arrival-timed streams), 2 "
    "gained"
)


@pytest.mark.parametrize(
    "nearer",
    [pytest.param(True, marks=pytest.mark.xfail(strict=True, reason=SWIFT_NOT_KEPT)), False],
    ids=["above", "below"],
)
def test_someone_crossing_the_empty_bench_is_not_a_rep(nearer: bool) -> None:
    """Field corpus (passers), training seeds 31-43: after the lifter left, the sensor read the
    empty bench's floor, still, and the engine said so (nobody seated). Someone then crossed the
    beam over the empty bench, read half-way to the lens, and back: a quick round trip from the
    floor about the learned range, taken as one rep from a moved seat (a lone lift after a quiet
    rest relearns the seat) and counted. The body filled and emptied the cone within a reading
    or two, faster than hips move. (Below the hips, the crossing reads between the lens and
    the floor beyond the seat and counts nothing: kept as a guard.)"""
    track = Track(rate=20.0, nearer=nearer, noise=True, seed=3)
    track.arrive(0.8).stay(3.0)
    for _ in range(6):
        track.rep(rom=200.0, up=1.0, hold=1.0, down=1.5, pause=0.8)
    track.move(1.0, -240.0).stay(12.0)  # off the bench: the floor beyond the seat, still
    # a body in the beam, read about the learned range short of the floor, for half a second
    track.passing(0.5, track.distance(-40.0), to=-240.0, sway_mm=0.0).stay(12.0)
    events = run(RepEngine(EngineSettings(target_reps=0)), track, tail_s=30.0)
    reps = counted(events)
    assert len(reps) == 6
    assert all(e.started_t < 30.0 for e in reps)


@pytest.mark.xfail(strict=True, reason=SWIFT_NOT_KEPT)
@pytest.mark.parametrize("rate", [10.0, 50.0])
def test_someone_crossing_the_beam_during_a_seated_rest_is_not_a_rep(rate: float) -> None:
    """Field corpus (passers), training seeds 31-43: while the lifter rested on the seat between
    sets, someone crossed the beam between the sensor above and the hips, read about the
    learned range nearer the lens for half a second. The readings left the seat and came back
    as a rep's do, and it was counted between the sets. A body entering and leaving the beam
    fills and empties the sensor's cone within a reading or two; hips never cover most of a
    rep's range that fast, neither lifting nor lowering."""
    track = Track(rate=rate, nearer=True, noise=True, seed=5)
    track.arrive(0.8).stay(3.0)
    for _ in range(6):
        track.rep(rom=250.0, up=1.0, hold=1.0, down=1.5, pause=0.8)
    track.stay(15.0)
    crossed = track.t
    track.passing(0.5, track.distance(250.0), to=0.0, sway_mm=10.0).stay(15.0)
    for _ in range(6):
        track.rep(rom=250.0, up=1.0, hold=1.0, down=1.5, pause=0.8)
    events = run(RepEngine(EngineSettings(target_reps=0)), track.stay(3.0), tail_s=30.0)
    reps = counted(events)
    assert not [e for e in reps if crossed - 1.0 <= e.t <= crossed + 15.0]
    assert len(reps) == 12
