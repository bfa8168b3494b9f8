"""Reps counted outside every set (issue #8): arriving, leaving and passing never count.

Each test reproduces one motion that the benchmark's training seeds counted as a rep where
no set was; streams come from the shared :class:`Track` builder.
"""

from __future__ import annotations

import pytest

from custom_components.rep_coach.engine import (
    EngineEvent,
    EngineSettings,
    RepEngine,
    RepEvent,
    Side,
)
from custom_components.rep_coach.engine.calibration import CalibrationModel, Calibrator
from custom_components.rep_coach.engine.detector import Candidate
from custom_components.rep_coach.engine.thresholds import PARTIAL, QUIET_S
from custom_components.rep_coach.engine.timing import RepTiming

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


@pytest.mark.parametrize("nearer", [True, False], ids=["above", "below"])
def test_someone_crossing_the_empty_bench_is_not_a_rep(nearer: bool) -> None:
    """Field corpus (passers), training seeds 31-43: after the lifter left, the sensor read the
    empty bench's floor, still, and the engine said so (nobody seated). Someone then crossed the
    beam over the empty bench, read half-way to the lens, and back: a quick round trip from the
    floor about the learned range, taken as one rep from a moved seat (a lone lift after a quiet
    rest relearns the seat) and counted. The body filled and emptied the cone within a reading
    or two, faster than hips move: alone, such a round trip shows no seat, and no rep. (Below
    the hips, the crossing reads between the lens and the floor beyond the seat and counts
    nothing: kept as a guard.)"""
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


@pytest.mark.parametrize("rate", [10.0, 50.0])
def test_someone_crossing_the_beam_during_a_seated_rest_is_not_a_rep(rate: float) -> None:
    """Field corpus (passers), training seeds 31-43: while the lifter rested on the seat between
    sets, someone crossed the beam between the sensor above and the hips, read about the
    learned range nearer the lens for half a second. The readings left the seat and came back
    as a rep's do, and it was counted between the sets. A body entering and leaving the beam
    fills and empties the sensor's cone within a reading or two; hips never cover most of a
    rep's range that fast, neither lifting nor lowering: such a round trip after a rest is
    held back until a lift follows it before the next rest (a fast lifter's first rep), and
    alone between rests it is no rep."""
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


@pytest.mark.parametrize("rate", [12.5, 20.0])
def test_a_fast_lifters_swift_first_rep_after_a_rest_counts_as_the_set_goes_on(
    rate: float,
) -> None:
    """Guard for the passer rule above: a lifter who lifts and lowers in 0.3 s fills and
    empties the beam as fast as a body crossing it. Their first lift after the rest between
    sets is held back, and counted (with its own time) once the next lift follows before
    another rest; the previous attempt (outside8) dropped such reps and miscounted sets."""
    track = Track(rate=rate, nearer=True, noise=True, seed=7)
    track.arrive(0.8).stay(3.0)
    for _ in range(6):
        track.rep(rom=250.0, up=1.0, hold=1.0, down=1.5, pause=0.8)
    track.stay(15.0)
    second = track.t
    for _ in range(6):
        track.rep(rom=250.0, up=0.3, hold=0.3, down=0.3, pause=0.3)
    events = run(RepEngine(EngineSettings(target_reps=0)), track.stay(3.0), tail_s=30.0)
    reps = counted(events)
    assert len(reps) == 12
    later = [e for e in reps if e.started_t >= second - 0.5]
    assert len(later) == 6
    assert later[0].started_t < second + 0.5  # the first lift of the set, not a later one


SEAT_MM = 1000.0


HELD_BACK_NOT_KEPT = (
    "known failure (#8, departures and sit-downs held back, then counted): not fixed. Tried "
    "(outside10): a held-back round trip that ended higher than it began and off the seat gets "
    "no verdict, and a lone quiet rep from a new seat must come back to where it began; reps "
    "outside sets 2026 12 -> 10, 7 8 -> 6, 11 13 -> 12, but main seed 7 lost a set (98.8 -> "
    "98.3 %), pairs seed 11 one (93.8 -> 93.0 %), and holdout 1432597226 (2026) 7 more reps: "
    "first lifts merged with a sit-down end higher than they began too"
)


def _round_trip(
    sign: int, begun_t: float, base: float, rom: float, low: float, *, dwell_before: float
) -> Candidate:
    """A round trip of hypothesis ``sign`` from ``base`` to ``low`` (mm above a seat SEAT_MM
    from the lens, either way up), lifted 0.8 s and lowered 1 s."""
    timing = RepTiming(
        start_t=begun_t,
        hold_start_t=begun_t + 0.8,
        hold_end_t=begun_t + 1.0,
        end_t=begun_t + 2.0,
        rom=rom,
        peak_speed=rom / 0.5,
        lowering_peak_speed=rom / 0.6,
        lowering_mean_speed=rom,
    )
    return Candidate(
        sign=sign,
        begun_t=begun_t,
        end_t=begun_t + 2.0,
        base=sign * SEAT_MM + base,
        timing=timing,
        quiet=dwell_before >= QUIET_S,
        dwell_before=dwell_before,
        dwell_top=0.2,
        low=sign * SEAT_MM + low,
        locked_out=True,
    )


@pytest.mark.xfail(strict=True, reason=HELD_BACK_NOT_KEPT)
@pytest.mark.parametrize("sign", [1, -1], ids=["farther-up", "nearer-up"])
def test_a_held_back_move_to_another_level_is_no_rep_when_the_seat_is_confirmed(
    sign: int,
) -> None:
    """Hold-out corpus, seed 11: the lifter stood up after the set and walked off; in the
    flurry of readings as the body left the beam, a round trip of the learned size began far
    off the seat and ended a third of its range higher than it began (the empty bench's
    ceiling, beyond the standing hips). Off the seat, it was held back as a moved seat; when the
    lifter came back to the same seat, the first lift confirmed it and every held-back round
    trip of the learned size was counted, the departure too. A rep comes back down to where it
    began; one that ends higher up moved the body there (standing up, sitting down onto a
    higher level)."""
    model = CalibrationModel()
    model.sign, model.bottom_h = sign, sign * SEAT_MM
    for rom in (188.0, 192.0, 190.0, 186.0, 194.0):
        model.learn_rom(Side.LEFT, rom)
    calibrator = Calibrator(model, Side.LEFT, partial=PARTIAL)
    assert calibrator.settled
    # standing up: from 300 above the seat, up by the range, down to 370 only
    left = _round_trip(sign, 80.0, 300.0, 190.0, 370.0, dwell_before=0.05)
    assert calibrator.add(left, Side.LEFT).verdicts == []  # held back: the seat moved?
    # back on the same seat: a lift from a rest, the learned range, back to the seat
    lift = _round_trip(sign, 160.0, 4.0, 188.0, 6.0, dwell_before=3.5)
    verdicts = calibrator.add(lift, Side.LEFT).verdicts
    assert calibrator.settled
    assert [v.candidate for v in verdicts if v.complete] == [lift]


@pytest.mark.xfail(strict=True, reason=HELD_BACK_NOT_KEPT)
@pytest.mark.parametrize("sign", [1, -1], ids=["farther-up", "nearer-up"])
def test_sitting_down_from_the_empty_bench_does_not_move_the_seat(sign: int) -> None:
    """Turns corpus, seed 2026: after one lifter left, the sensor read the floor beyond the
    seat, still, for a long while; the next lifter sat down through the beam, the readings
    rising from the floor past their seat and settling onto it. Begun after a long rest, with
    the learned range, that round trip was taken as one rep from a moved seat (the floor) and
    counted. It ended half its range higher than it began: not back where it started, so it
    shows no seat (nor is it a rep)."""
    model = CalibrationModel()
    model.sign, model.bottom_h = sign, sign * SEAT_MM
    for rom in (188.0, 192.0, 190.0, 186.0, 194.0):
        model.learn_rom(Side.LEFT, rom)
    calibrator = Calibrator(model, Side.LEFT, partial=PARTIAL)
    # from the floor 100 below the seat, past the new seat, settling 95 above the floor
    sat_down = _round_trip(sign, 300.0, -100.0, 190.0, -5.0, dwell_before=10.0)
    outcome = calibrator.add(sat_down, Side.LEFT)
    assert not [v for v in outcome.verdicts if v.complete]
    assert model.bottom_h == sign * SEAT_MM
