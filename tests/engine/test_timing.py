"""Per-rep timing (hold, lowering) and the hold cue against the documented definition."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import pytest

from custom_components.rep_coach.engine import EngineSettings, HoldReachedEvent, RepEngine, RepEvent
from custom_components.rep_coach.engine.timing import CUE_HALF_S, STILL_FRACTION, measure

from .helpers import Track, run

EDGE = math.asin(STILL_FRACTION) / math.pi  # share of a cosine move under 15 % of its peak
# ... and of a minimum-jerk one (speed 30 f^2 (1 - f)^2 of its mean, 1.875 at most)
EDGE_MJ = (1 - math.sqrt(1 - 4 * math.sqrt(STILL_FRACTION * 1.875 / 30))) / 2


@pytest.mark.parametrize("rate", [10.0, 25.0])
def test_a_slow_lowering_is_timed_through_sensor_noise(rate: float) -> None:
    # A 3.5 s lowering of 15 cm moves at 67 mm/s at most: 15 % of that is 10 mm/s, well inside
    # the noise of a speed read over 0.15 s. Read on single readings, the first noisy one past
    # the level ends the hold late and the lowering early (by 0.45 s on average here).
    hold_errors: list[float] = []
    lowering_errors: list[float] = []
    for seed in range(3):
        track = Track(rate=rate, noise=True, seed=seed).stay(3.0)
        for _ in range(4):
            track.rep(rom=150.0, up=1.2, hold=1.5, down=3.5, pause=1.0)
        events = run(RepEngine(EngineSettings(target_reps=0)), track.stay(2.0))
        reps = [e for e in events if isinstance(e, RepEvent)]
        assert len(reps) == 4
        hold_errors += [r.hold_s - (1.5 + EDGE * 1.2 + EDGE * 3.5) for r in reps]
        lowering_errors += [r.eccentric_s - 3.5 * (1 - 2 * EDGE) for r in reps]
    assert sum(map(abs, hold_errors)) / len(hold_errors) < 0.2
    assert sum(map(abs, lowering_errors)) / len(lowering_errors) < 0.25


@pytest.mark.parametrize("rate", [25.0, 50.0])
def test_a_rep_is_not_finished_before_its_lowering_end_can_be_read(rate: float) -> None:
    # A 4 s lowering of 10 cm brakes for long: near the seat the live speed (read over 0.1 s)
    # drops under its level on noise alone. Finished then, the timing saw readings that stop
    # before the lowering's end and read the end where they stopped (0.6-0.8 s early here).
    lowering_errors: list[float] = []
    for seed in range(5):
        track = Track(rate=rate, noise=True, seed=seed).stay(3.0)
        for _ in range(4):
            track.rep(rom=100.0, up=1.0, hold=1.0, down=4.0, pause=1.5)
        events = run(RepEngine(EngineSettings(target_reps=0)), track.stay(2.0))
        reps = [e for e in events if isinstance(e, RepEvent)]
        assert len(reps) == 4
        lowering_errors += [r.eccentric_s - 4.0 * (1 - 2 * EDGE) for r in reps]
    assert abs(sum(lowering_errors) / len(lowering_errors)) < 0.15
    assert sum(map(abs, lowering_errors)) / len(lowering_errors) < 0.3


@pytest.mark.parametrize("rate", [10.0, 25.0])
def test_a_rep_back_at_the_seat_when_the_readings_stop_is_counted(rate: float) -> None:
    # The last rep's hips are back at the seat and the readings stop (the lifter slid out of
    # the beam): the rep was over, only the end of its lowering was still being read.
    track = Track(rate=rate, noise=True, seed=1).stay(3.0)
    for _ in range(3):
        track.rep(rom=200.0, up=1.0, hold=1.0, down=2.5, pause=1.0)
    track.rep(rom=200.0, up=1.0, hold=1.0, down=2.5, pause=0.0).empty(3.0)
    events = run(RepEngine(EngineSettings(target_reps=0)), track, tail_s=2.0)
    reps = [e for e in events if isinstance(e, RepEvent)]
    assert [r.complete for r in reps] == [True] * 4
    assert reps[-1].eccentric_s == pytest.approx(2.5 * (1 - 2 * EDGE), abs=0.2)


@pytest.mark.parametrize("rate", [10.0, 50.0])
def test_a_rep_at_rest_on_the_seat_stays_a_rep_when_the_readings_then_sink(rate: float) -> None:
    # The hips came to rest on the seat, then the readings sink 8 cm under it (the lifter
    # slides off, or the beam slips onto the bench): getting off after a rep, not instead of one.
    track = Track(rate=rate, seed=1).stay(3.0)
    for _ in range(3):
        track.rep(rom=200.0, up=1.0, hold=1.0, down=2.5, pause=1.0)
    track.rep(rom=200.0, up=1.0, hold=1.0, down=2.5, pause=0.1).move(0.1, -80.0).stay(3.0)
    events = run(RepEngine(EngineSettings(target_reps=0)), track, tail_s=2.0)
    reps = [e for e in events if isinstance(e, RepEvent)]
    assert [r.complete for r in reps] == [True] * 4


@pytest.mark.parametrize("rate", [10.0, 25.0])
@pytest.mark.parametrize(("squeeze", "cued"), [(0.55, False), (1.1, True)])
def test_hold_cue_only_when_the_squeeze_lasted_the_target(
    rate: float, squeeze: float, cued: bool
) -> None:
    # Squeezes of 0.74 s and 1.29 s by the definition, target 1 s, then a slow 3 s lowering:
    # 0.26 s into that lowering the hips are still in the hold band and barely moving, which
    # read on the readings before the target moment passed for a squeeze.
    track = Track(rate=rate, noise=True, seed=1).stay(3.0)
    for _ in range(4):
        track.rep(rom=300.0, up=1.0, hold=squeeze, down=3.0, pause=1.0)
    events = run(RepEngine(EngineSettings(target_reps=0, hold_target_s=1.0)), track.stay(2.0))
    reps = [e for e in events if isinstance(e, RepEvent)]
    cues = [e for e in events if isinstance(e, HoldReachedEvent)]
    assert len(reps) == 4
    if cued:
        assert len(cues) == 4
        for k, cue in enumerate(cues):
            # the definition's moment (not the rep's estimate of it): the squeeze starts at
            # 1 - EDGE of the lift; the cue reads the speed over CUE_HALF_S past it, in whole
            # readings, from a squeeze start seen live (up to a reading late)
            reached = 3.0 + k * (5.0 + squeeze) + (1 - EDGE) * 1.0 + 1.0
            assert reached <= cue.t <= reached + CUE_HALF_S + 0.15 + 1 / rate
    else:
        assert len(cues) <= 1  # the first rep: before any lowering, the lift's speed is the scale


@pytest.mark.parametrize("rate", [25.0, 50.0])
def test_a_rep_ending_above_the_seat_is_timed_to_the_bottom_of_its_own_lowering(
    rate: float,
) -> None:
    # Down from 300 mm to 105 mm in 1 s, then creeping to 60 mm (20 % above the seat) over 2 s
    # at 35 mm/s at most, under 15 % of the lowering's peak (306 mm/s) all along: the lowering
    # ends where the hips enter its own bottom band, 60 + 10 % of 240 = 84 mm, 0.96 s into the
    # creep - not where they first pass 30 % of the range (90 mm).
    track = Track(rate=rate).stay(3.0).rep(rom=300.0, up=1.0, hold=1.5, down=2.5, pause=1.5)
    for _ in range(3):
        track.move(1.0, 300.0).stay(1.5).move(1.0, 105.0).move(2.0, 60.0).stay(1.0)
        track.move(1.0, 0.0).stay(1.5)
    events = run(RepEngine(EngineSettings(target_reps=0)), track.stay(2.0))
    reps = [e for e in events if isinstance(e, RepEvent)]
    assert [r.complete for r in reps] == [True] * 4
    creep = 2.0 / math.pi * math.acos(1 - 2 * 21.0 / 45.0)
    expected = 1.0 * (1 - EDGE) + creep
    assert [r.eccentric_s for r in reps[1:]] == pytest.approx([expected] * 3, abs=0.08)


def test_timing_on_an_exact_cosine_rep() -> None:
    rate = 200.0
    ts, hs = [], []
    for k in range(int(6.0 * rate)):
        t = k / rate
        if t < 1.0:
            h = 0.0
        elif t < 2.0:
            h = 150.0 * (1 - math.cos(math.pi * (t - 1.0)))
        elif t < 3.5:
            h = 300.0
        elif t < 5.5:
            h = 150.0 * (1 + math.cos(math.pi * (t - 3.5) / 2.0))
        else:
            h = 0.0
        ts.append(t)
        hs.append(h)
    timing = measure(ts, hs, 0.0, 0.10, len(ts) - 1)
    edge = math.asin(STILL_FRACTION) / math.pi
    assert timing.start_t == pytest.approx(1.0 + edge, abs=0.03)
    assert timing.hold_start_t == pytest.approx(2.0 - edge, abs=0.03)
    assert timing.hold_end_t == pytest.approx(3.5 + 2 * edge, abs=0.03)
    assert timing.end_t == pytest.approx(5.5 - 2 * edge, abs=0.03)
    assert timing.rom == pytest.approx(300.0)


def _minimum_jerk(f: float) -> float:
    f = min(1.0, max(0.0, f))
    return 10 * f**3 - 15 * f**4 + 6 * f**5


@pytest.mark.parametrize("rate", [40.0, 50.0])
def test_a_quick_lift_is_timed_within_a_reading_of_the_definition(rate: float) -> None:
    # A 0.6 s minimum-jerk lift of 20 cm (speed 30 f^2 (1 - f)^2 of its mean, 1.875 at most):
    # it leaves the seat and reaches the squeeze where that is 15 % of the peak, at the share
    # EDGE_MJ of the lift from either end. Read on clean readings, a speed averaged over
    # 0.15 s either side stays up where the hips brake, and put both 0.03 s late and early:
    # more than a reading at these rates, at some sampling phase.
    up = 0.6
    for phase in range(10):
        t0 = 1.0 + phase / 10 / rate

        def height(t: float, t0: float = t0) -> float:
            if t < t0 + up + 1.5:
                return 200.0 * _minimum_jerk((t - t0) / up)
            return 200.0 * (1 - _minimum_jerk((t - t0 - up - 1.5) / 2.0))

        ts = [k / rate for k in range(int(6.0 * rate))]
        timing = measure(ts, [height(t) for t in ts], 0.0, 0.10, len(ts) - 1)
        assert timing.start_t == pytest.approx(t0 + EDGE_MJ * up, abs=1 / rate)
        assert timing.hold_start_t == pytest.approx(t0 + (1 - EDGE_MJ) * up, abs=1 / rate)


Read = Callable[[float, random.Random], float]  # a height above the seat -> a reading


def _noisy(h: float, rng: random.Random) -> float:
    return h + rng.gauss(0.0, 4.0)


def _whole_centimetres(seat: float) -> Read:
    """A height above ``seat`` as ESPHome's plain topic reports it: 3 mm of noise under the
    rounding to whole centimetres."""
    return lambda h, rng: 10.0 * round((seat + h + rng.gauss(0.0, 3.0)) / 10.0)


def _squeeze_end_errors(
    rate: float, rom: float, seeds: int, read: Read, seat: float
) -> list[float]:
    """Measured minus defined end of a squeeze, the start of a 2.5 s lowering of ``rom`` (a
    cosine or a minimum-jerk move, every sampling phase), one per seed."""
    down = 2.5
    errors: list[float] = []
    for seed in range(seeds):
        rng = random.Random(seed)
        cosine = seed % 2 == 1
        lowered = 4.0 + rng.random() / rate  # every sampling phase

        def height(t: float, lowered: float = lowered, cosine: bool = cosine) -> float:
            if t < 2.0:
                return rom * 0.5 * (1 - math.cos(math.pi * min(1.0, max(0.0, t - 1.0))))
            f = min(1.0, max(0.0, (t - lowered) / down))
            if cosine:
                return rom * 0.5 * (1 + math.cos(math.pi * f))
            return rom * (1 - _minimum_jerk(f))

        ts = [k / rate for k in range(int((lowered + down + 2.0) * rate))]
        hs = [read(height(t), rng) for t in ts]
        timing = measure(ts, hs, seat, 0.10, len(ts) - 1)
        edge = EDGE if cosine else EDGE_MJ
        errors.append(timing.hold_end_t - (lowered + edge * down))
    return errors


def _squeeze_start_errors(
    rate: float, rom: float, seeds: int, read: Read, seat: float
) -> list[float]:
    """Measured minus defined start of a squeeze, the end of a 1.5 s lift of ``rom`` (a cosine
    or a minimum-jerk move, every sampling phase), one per seed."""
    up = 1.5
    errors: list[float] = []
    for seed in range(seeds):
        rng = random.Random(seed)
        cosine = seed % 2 == 1
        lifted = 1.0 + rng.random() / rate  # every sampling phase

        def height(t: float, lifted: float = lifted, cosine: bool = cosine) -> float:
            if t > 5.0:
                return rom * 0.5 * (1 + math.cos(math.pi * min(1.0, t - 5.0)))
            f = min(1.0, max(0.0, (t - lifted) / up))
            if cosine:
                return rom * 0.5 * (1 - math.cos(math.pi * f))
            return rom * _minimum_jerk(f)

        ts = [k / rate for k in range(int(8.0 * rate))]
        hs = [read(height(t), rng) for t in ts]
        timing = measure(ts, hs, seat, 0.10, len(ts) - 1)
        edge = EDGE if cosine else EDGE_MJ
        errors.append(timing.hold_start_t - (lifted + (1 - edge) * up))
    return errors


def _mean_abs(errors: list[float]) -> float:
    return sum(map(abs, errors)) / len(errors)


@pytest.mark.parametrize("rate", [10.0, 12.5, 30.0])
def test_the_squeeze_ends_where_the_drop_fitted_to_every_reading_passes_the_level(
    rate: float,
) -> None:
    # A 2.5 s lowering of 12 cm, a cosine or a minimum-jerk move, read with 4 mm of noise: 15 %
    # of its peak speed is 11-13 mm/s, and the speed one window reads near it carries about as
    # much noise (0.07-0.09 s of error on average at these rates). The drop fitted from the
    # still squeeze to the peak speed reads every reading of it.
    errors = _squeeze_end_errors(rate, 120.0, 16, _noisy, 0.0)
    assert _mean_abs(errors) < 0.065  # the speeds' crossing: 0.086-0.109


@pytest.mark.parametrize("rate", [10.0, 12.5, 30.0])
def test_the_squeeze_starts_where_the_lift_fitted_from_halfway_up_passes_the_level(
    rate: float,
) -> None:
    # The squeeze's end, run backwards: a 1.5 s lift of 12 cm, a cosine or a minimum-jerk move,
    # read with 4 mm of noise (0.07-0.10 s of error on average at these rates from one speed
    # window near the level); the lift fitted from halfway up to the squeeze reads them all.
    assert _mean_abs(_squeeze_start_errors(rate, 120.0, 16, _noisy, 0.0)) < 0.06


def _lowering_end_errors(
    rate: float, rom: float, seeds: int, read: Read, seat: float
) -> list[float]:
    """Measured minus defined end of a 2.5 s lowering of ``rom`` onto the seat (a cosine or a
    minimum-jerk move, every sampling phase), one per seed; ``read`` turns a height above the
    seat into a reading (noise, rounding)."""
    down = 2.5
    errors: list[float] = []
    for seed in range(seeds):
        rng = random.Random(seed)
        cosine = seed % 2 == 1
        lowered = 3.0 + rng.random() / rate  # every sampling phase

        def height(t: float, lowered: float = lowered, cosine: bool = cosine) -> float:
            if t < lowered:
                return rom * 0.5 * (1 - math.cos(math.pi * min(1.0, max(0.0, t - 1.0))))
            f = min(1.0, (t - lowered) / down)
            if cosine:
                return rom * 0.5 * (1 + math.cos(math.pi * f))
            return rom * (1 - _minimum_jerk(f))

        ts = [k / rate for k in range(int((lowered + down + 2.0) * rate))]
        hs = [read(height(t), rng) for t in ts]
        timing = measure(ts, hs, seat, 0.10, len(ts) - 1)
        edge = EDGE if cosine else EDGE_MJ
        errors.append(timing.end_t - (lowered + (1 - edge) * down))
    return errors


@pytest.mark.parametrize(("rate", "bound"), [(10.0, 0.09), (12.5, 0.08), (30.0, 0.06)])
def test_the_lowering_ends_where_the_descent_fitted_from_halfway_down_passes_the_level(
    rate: float, bound: float
) -> None:
    # The squeeze's start, on the lowering: a 2.5 s lowering of 12 cm onto the seat, read with
    # 4 mm of noise. One speed window near the level reads a few readings whose noise moves the
    # crossing; the descent fitted from halfway down to the rest on the seat reads them all.
    errors = _lowering_end_errors(rate, 120.0, 16, _noisy, 0.0)
    # (one speed window's crossing: 0.17, 0.12 and 0.07 s)
    assert _mean_abs(errors) < bound


@pytest.mark.parametrize("rate", [10.0, 12.5, 20.0])
def test_the_lowering_ends_where_the_fitted_descent_passes_the_level_in_whole_centimetres(
    rate: float,
) -> None:
    # The same on ESPHome's plain topic (whole centimetres): a 2.5 s lowering of 20 cm with
    # 3 mm of noise under the rounding. Read on one speed window near the level, the end is
    # 0.045-0.055 s off on average here; the fitted descent reads every step of the staircase.
    errors = _lowering_end_errors(rate, 200.0, 24, _whole_centimetres(500.0), 500.0)
    assert _mean_abs(errors) < 0.042


@pytest.mark.parametrize("rate", [10.0, 12.5, 20.0, 30.0])
def test_the_squeeze_ends_where_the_fitted_drop_passes_the_level_in_whole_centimetres(
    rate: float,
) -> None:
    # A 2.5 s lowering of 20 cm after the squeeze, a cosine or a minimum-jerk move, read in
    # whole centimetres. Where one speed window passes the level, the squeeze's end is
    # 0.04-0.056 s off on average at these rates; the drop fitted from the squeeze to the
    # lowering's peak speed reads every step of the staircase.
    errors = _squeeze_end_errors(rate, 200.0, 24, _whole_centimetres(500.0), 500.0)
    assert _mean_abs(errors) < 0.037


@pytest.mark.parametrize("rate", [10.0, 12.5, 20.0, 30.0])
def test_the_squeeze_starts_where_the_fitted_lift_passes_the_level_in_whole_centimetres(
    rate: float,
) -> None:
    # The same at the squeeze's start: a 1.5 s lift of 20 cm read in whole centimetres. One
    # speed window's crossing is 0.03-0.044 s off on average here; the lift fitted from
    # halfway up to the squeeze reads every step.
    errors = _squeeze_start_errors(rate, 200.0, 24, _whole_centimetres(500.0), 500.0)
    assert _mean_abs(errors) < 0.031


@pytest.mark.parametrize("rate", [25.0, 30.0])
def test_a_squeeze_that_sinks_into_its_lowering_starts_where_the_lift_braked(rate: float) -> None:
    # A quick 0.4 s lift of 25 cm into a 1.5 s squeeze whose last 0.6 s sink softly by 2 cm
    # (inside the hold band) before a 0.7 s lowering, read with 2.5 mm of noise. The squeeze's
    # start is read on the lift fitted backwards from the squeeze's level: a level read over the
    # whole squeeze, sink included, is tilted by it and puts the start late (about 0.015 s on
    # average); read near where the lift braked, it is not.
    up, hold, down, rom, sink, sinking = 0.4, 1.5, 0.7, 250.0, 20.0, 0.6
    errors: list[float] = []
    for seed in range(24):
        rng = random.Random(seed)
        lifted = 1.0 + rng.random() / rate  # every sampling phase
        lowered = lifted + up + hold

        def height(t: float, lifted: float = lifted, lowered: float = lowered) -> float:
            if t < lowered:
                rise = 0.5 * (1 - math.cos(math.pi * min(1.0, max(0.0, (t - lifted) / up))))
                f = min(1.0, max(0.0, (t - lowered + sinking) / sinking))
                return rom * rise - sink * 0.5 * (1 - math.cos(math.pi * f))
            f = min(1.0, (t - lowered) / down)
            return (rom - sink) * 0.5 * (1 + math.cos(math.pi * f))

        ts = [k / rate for k in range(int((lowered + down + 1.5) * rate))]
        hs = [height(t) + rng.gauss(0.0, 2.5) for t in ts]
        timing = measure(ts, hs, 0.0, 0.10, len(ts) - 1)
        errors.append(timing.hold_start_t - (lifted + (1 - EDGE) * up))
    assert sum(map(abs, errors)) / len(errors) < 0.01


@pytest.mark.parametrize("rate", [10.0, 20.0, 30.0])
@pytest.mark.parametrize("lost_at", [0.8, 0.9])
def test_a_squeeze_the_sensor_never_saw_is_timed_across_its_blind_spell(
    rate: float, lost_at: float
) -> None:
    """No reading from late in the lift (``lost_at`` of the way up) until the squeeze ends:
    the hips within a few centimetres of a sensor above (it reads nothing that near), or
    sunlight. The squeeze began unseen, as the lift reached the top: it is timed from the lift
    the readings showed, not from the first reading back (which made it last nothing)."""
    up, hold, down = 1.0, 3.5, 2.0
    rom = 300.0
    rng = random.Random(int(rate * 10 + lost_at * 100))

    def height(t: float) -> float:
        if t < 3.0:
            return rom * 0.5 * (1 - math.cos(math.pi * min(1.0, max(0.0, (t - 2.0) / up))))
        f = min(1.0, max(0.0, (t - 3.0 - hold) / down))
        return rom * 0.5 * (1 + math.cos(math.pi * f))

    lost = 2.0 + math.acos(1 - 2 * lost_at) / math.pi * up  # where the lift reached lost_at
    back = 3.0 + hold  # the squeeze's end
    ts = [t for t in (k / rate for k in range(int(10.0 * rate))) if not lost < t < back]
    hs = [_noisy(height(t), rng) for t in ts]
    timing = measure(ts, hs, 0.0, 0.10, len(ts) - 1)
    edge = math.asin(STILL_FRACTION) / math.pi
    defined = (3.0 + hold + edge * down) - (3.0 - edge * up)
    assert timing.hold_end_t - timing.hold_start_t == pytest.approx(defined, abs=0.3)


def test_a_blind_spell_after_readings_taken_at_one_time_is_no_speed_to_read() -> None:
    """The last readings before the blind spell carry one time (a burst the device stamped
    alike): no lift speed can be read from them, and the squeeze is timed as the readings
    show it, without dividing by a time that did not pass."""
    rate, rom = 20.0, 300.0
    ts = [k / rate for k in range(40)] + [4.0 + k / rate for k in range(60)]
    ts[36:40] = [ts[36]] * 4
    hs = [rom * 0.5 * (1 - math.cos(math.pi * min(1.0, t / 3.0))) for t in ts[:40]]
    hs += [rom * 0.5 * (1 + math.cos(math.pi * min(1.0, (t - 4.0) / 2.0))) for t in ts[40:]]
    timing = measure(ts, hs, 0.0, 0.10, len(ts) - 1)
    assert timing.start_t < timing.hold_start_t <= timing.hold_end_t < timing.end_t
