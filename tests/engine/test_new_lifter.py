"""Back to back: another lifter after the bench emptied, the bench moved or the sensor clamped the
other way round (the ``pairs`` corpus: two hold-out sessions in one stream)."""

from __future__ import annotations

import random
from typing import Any

import pytest

from custom_components.rep_coach.engine import (
    CalibratedEvent,
    EngineEvent,
    EngineSettings,
    PresenceEvent,
    RepEngine,
    RepEvent,
)
from custom_components.rep_coach.engine.thresholds import LOCKOUT
from rep_coach_tools.benchmark import run_engine
from rep_coach_tools.field import field_session
from rep_coach_tools.holdout.pairs import holdout_pair
from rep_coach_tools.sim.model import Mount, SimSession
from rep_coach_tools.sim.streams import back_to_back, firmware_updates

from .helpers import Point, Track, run


@pytest.fixture(scope="module")
def reclamped_pair() -> tuple[SimSession, list[RepEvent]]:
    """Two hold-out sessions in one stream (pairs corpus, seed 2026): the first lifter (12 cm
    range, sensor above) ends by standing up, far beyond their range, so the calibration starts
    relearning with it held back; the sensor is off for 23 min and comes back clamped below the
    bench, where another lifter does 9 cm reps."""
    stream = holdout_pair(583069677, reclamp=True, mount=Mount.ABOVE)
    reps = [e.event for e in run_engine(stream) if isinstance(e.event, RepEvent)]
    return stream, [r for r in reps if r.complete]


def newcomer_sets(stream: SimSession) -> list[dict[str, Any]]:
    second = stream.truth["parts"][1]
    return [s for s in stream.truth["sets"] if s["start_t"] >= second["start_t"]]


def counted_in(record: dict[str, Any], reps: list[RepEvent]) -> int:
    return sum(record["start_t"] <= r.t <= record["end_t"] + 3.0 for r in reps)


def test_a_newcomer_is_not_weighed_against_the_last_lifter(
    reclamped_pair: tuple[SimSession, list[RepEvent]],
) -> None:
    """The first lifter's reps and standing up, weighed before the bench emptied, set the scale
    the newcomer's reps were measured against: all of them looked like fidgets, three sets
    went uncounted."""
    stream, reps = reclamped_pair
    sets = newcomer_sets(stream)
    assert len(sets) == 6
    for record in sets[:3]:
        assert counted_in(record, reps) == record["reps"]


def test_the_other_side_is_not_measured_with_the_last_lifters_range() -> None:
    """Two hold-out sessions in one stream (pairs corpus, seed 7): a lifter with a 20 cm range,
    then, after a minute of empty bench, another on a bench moved 53 cm nearer the sensor with
    a 10 cm range. Their reps relearned the seat and the range of the side they were on; the
    other side kept the first lifter's 21 cm, so each of its sets (10 cm reps, half of that)
    was all partial reps."""
    stream = holdout_pair(605394285, reclamp=False, mount=Mount.ABOVE)
    events = [e.event for e in run_engine(stream) if isinstance(e.event, RepEvent)]
    reps = [r for r in events if r.complete]
    sets = newcomer_sets(stream)
    sides = [record["side"] for record in sets]
    other = next(k for k, side in enumerate(sides) if side != sides[0])
    for record in sets[other:]:
        assert counted_in(record, reps) == record["reps"]


def test_the_other_side_is_not_measured_with_the_last_lifters_range_on_the_same_seat() -> None:
    """Three sessions on one bench with a firmware update between them (b2b firmware stream,
    seed 8): after the second update another lifter sits on the same seat with about half the
    last one's range. Their first rep after sitting down relearned the range of the side they
    were on; the seat had not moved, so the other side kept the last lifter's range and its
    whole set (8 reps) was read as partial reps."""
    stream = firmware_updates(8)
    parts = stream.truth["parts"]
    assert len({p["seat_mm"] for p in parts}) == 1  # one bench, one seat
    reps = [e.event for e in run_engine(stream) if isinstance(e.event, RepEvent)]
    complete = [r for r in reps if r.complete]
    sets = [
        s for s in stream.truth["sets"] if parts[1]["start_t"] <= s["start_t"] < parts[2]["start_t"]
    ]
    assert parts[1]["range_mm"] < LOCKOUT * parts[0]["range_mm"]  # the last lifter's 80 % and more
    assert {record["side"] for record in sets} == {"left", "right"}
    for record in sets:
        assert counted_in(record, complete) == record["reps"]


def test_a_newcomers_range_is_not_taken_from_their_first_deep_rep() -> None:
    """Firmware-update stream (b2b, seed 11's 558684626): after an update another lifter sits on
    the same seat; their first rep reaches 83 % of the last lifter's range, every later one 70-74 %
    of it (their own range is 74 %). The first rep passed for the old range, so the rest of
    the set, and of the next one, were partial reps: 0 of 8 counted."""
    stream = firmware_updates(558684626)
    parts = stream.truth["parts"]
    assert len({p["seat_mm"] for p in parts}) == 1  # one bench, one seat
    reps = [e.event for e in run_engine(stream) if isinstance(e.event, RepEvent)]
    complete = [r for r in reps if r.complete]
    for record in stream.truth["sets"]:
        assert counted_in(record, complete) == record["reps"]


SIT_DOWN_GAP = (
    "known gap (#8): the sit-down onto the empty bench shadows the first lift from the seat "
    "(its span, and the other hypothesis' sit-down-plus-lift, end within QUIET_S of it or "
    "overlap it). Dropping the span of a movement begun while the bench was seen empty and not "
    "back at the empty bench's level passes both (a variant: pairs seed 2026 95.5 -> 96.2 %, on "
    "pairs and b2b only), but a sit-down merged with the first rep (a rest on the seat shorter "
    "than STILL_S) then no longer shadows the other hypothesis' first lift from the top: "
    "test_first_reps_after_a_short_rest_on_the_seat_count lost a set (reverted)"
)


@pytest.mark.xfail(strict=True, reason=SIT_DOWN_GAP)
def test_the_first_lift_after_sitting_down_on_the_empty_bench_opens_a_run() -> None:
    """A lifter counted with the sensor below the bench leaves; it comes back clamped above, sees
    the empty bench, and someone enters the beam and sits down. Taken as a round trip of its
    own, the sit-down kept the first lift from the seat after it from opening a run (the one
    clue of which way is up, against the old orientation's prior and this lifter's style, a
    long pause on the seat and a short squeeze): the newcomer's set was never counted."""
    first = Track(nearer=False, seated_mm=300.0, rate=15.0, noise=True, seed=21)
    first.empty(2.0).arrive().stay(4.0)
    for _ in range(8):
        first.rep(rom=200.0, up=1.0, hold=1.5, down=2.0, pause=0.8)
    first.stay(5.0).leave().empty(30.0)
    second = Track(nearer=True, seated_mm=1075.0, rate=15.0, noise=True, seed=22, t=first.t)
    second.empty(5.0, level=-100.0)  # the bench, a little farther than the hips will sit
    second.move(0.15, 495.0).move(0.3, 105.0).move(0.6, 0.0).stay(0.9)  # in the beam, sits
    for _ in range(10):
        second.rep(rom=160.0, up=1.3, hold=1.4, down=3.0, pause=2.3)
    engine = RepEngine(EngineSettings(target_reps=0))
    events: list[EngineEvent] = []
    for t, d in first.samples + second.stay(20.0).samples:
        events.extend(engine.feed(t, d))
    events.extend(engine.tick(second.t + 30.0))
    newcomer = [e for e in events if isinstance(e, RepEvent) and e.complete and e.t > first.t]
    assert len(newcomer) == 10
    assert all(r.rom_mm == pytest.approx(160.0, abs=25.0) for r in newcomer)
    calibrations = [e for e in events if isinstance(e, CalibratedEvent) and e.t > first.t]
    assert calibrations
    assert all(e.top_mm < e.bottom_mm for e in calibrations)  # nearer as the hips rise


@pytest.mark.xfail(strict=True, reason=SIT_DOWN_GAP)
def test_a_reclamped_newcomers_first_set_is_not_counted_upside_down() -> None:
    """Two hold-out sessions in one stream (pairs corpus, seed 2026): the sensor comes back
    clamped the other way round, sees the empty bench, and the newcomer sits down (the body
    passing through the beam). With the sit-down taken for a round trip of its own, their first
    lift from the seat did not open a run: the old orientation's prior and their style (a long
    pause on the seat) decided, and eight reps were counted upside down (from their tops)."""
    stream = holdout_pair(1020847693, reclamp=True, mount=Mount.BELOW)
    events = [e.event for e in run_engine(stream)]
    first_set = newcomer_sets(stream)[0]
    reps = [e for e in events if isinstance(e, RepEvent) and e.complete]
    assert counted_in(first_set, reps) == first_set["reps"]
    second = stream.truth["parts"][1]["start_t"]
    relearned = next(e for e in events if isinstance(e, CalibratedEvent) and e.t > second)
    assert relearned.bottom_mm > relearned.top_mm  # clamped above now: nearer as the hips rise


@pytest.mark.parametrize("nearer", [True, False])
def test_a_sit_down_onto_the_empty_bench_does_not_set_the_range(nearer: bool) -> None:
    """The stream starts on the empty bench, which reads a still surface a little beyond where
    the hips will sit (as a seated lifter would). Someone steps into the beam and sits down: one
    large excursion from that "seat", then reps of a third of its size from the real seat. The
    sit-down had set the range on its own, and every rep after it was fidgeting: the session's
    sets counted one rep (the sit-down) or nothing (pairs seed 7)."""
    track = Track(nearer=nearer, seated_mm=757.0 if nearer else 200.0, rate=15.0, noise=True)
    track.empty(4.0, level=-100.0)
    track.move(0.3, 290.0).move(1.5, 0.0).stay(4.0)  # into the beam, standing; sits down
    for _ in range(7):
        track.rep(rom=85.0, up=1.2, hold=1.0, down=2.0, pause=0.8)
    track.stay(20.0)
    engine = RepEngine(EngineSettings(target_reps=0))
    events: list[EngineEvent] = []
    for t, d in track.samples:
        events.extend(engine.feed(t, d))
    events.extend(engine.tick(track.t + 30.0))
    reps = [e for e in events if isinstance(e, RepEvent) and e.complete]
    assert len(reps) == 7
    assert all(r.rom_mm == pytest.approx(85.0, abs=20.0) for r in reps)


RESTED_SIT_DOWN_GAP = (
    "known gap (#8): one way up, a sit-down then a rest on the seat reads as a lift, a long "
    "squeeze and a lowering that is the real first lift; the same shape as a sit-down merged "
    "with the first rep whose squeeze is long. Ending the span of a movement that did not "
    "come back where it began, and rested at its top, where its top began passes this test "
    "but lets the other hypothesis' reading of the lowering open a run (b2b seed 7 lost two "
    "sets; reverted). Without a clue the reps wait, unset, for the next rest"
)


@pytest.mark.xfail(strict=True, reason=RESTED_SIT_DOWN_GAP)
@pytest.mark.parametrize("nearer", [True, False])
def test_the_first_lift_after_resting_on_the_seat_opens_a_run_after_sitting_down(
    nearer: bool,
) -> None:
    """The bench reads a still surface 15 cm out from where the hips will sit; the lifter sits
    down and rests 4.5 s before the first lift. One way up, that reads as a lift from the
    surface, a long squeeze on the seat and a lowering that is the real first lift: a movement
    that ended elsewhere than it began. Taken as activity up to its end, it kept the real first
    lift from opening a run; the sit-down then set the range alone, and every rep after it was
    a partial rep (arrivals, seed 7). Now the lone sit-down no longer sets the range, but the
    reps wait for a clue of which way is up that a single set does not give."""
    track = Track(nearer=nearer, seated_mm=700.0 if nearer else 180.0, rate=10.0, noise=True)
    track.empty(2.7, level=150.0).move(1.2, 0.0).stay(4.5)
    for _ in range(10):
        track.rep(rom=110.0, up=1.2, hold=2.0, down=2.0, pause=1.5)
    events = run(RepEngine(EngineSettings(target_reps=0)), track.stay(15.0), tail_s=30.0)
    reps = [e for e in events if isinstance(e, RepEvent)]
    assert [r.complete for r in reps] == [True] * 10


def test_a_first_movement_from_a_passer_not_a_rest_does_not_set_the_range() -> None:
    """Field corpus, seed 7: someone walks through the beam of the empty bench, then the lifter
    sits down and starts at once. One way up, that reads as a lift from where the passer was
    (half a second there, no rest), a long hold on the empty bench, and a lowering onto the
    seat: a round trip of 38 cm that came back near where it began. It set the range alone, and
    the lifter's 21 cm reps were partial reps."""
    stream = field_session(889637562, "passers", mount=Mount.BELOW)
    first = stream.truth["sets"][0]
    reps = [e.event for e in run_engine(stream) if isinstance(e.event, RepEvent)]
    assert counted_in(first, [r for r in reps if r.complete]) == first["reps"]


def test_sitting_down_from_a_still_empty_bench_is_not_a_rep() -> None:
    """Pairs corpus, seed 2026 (its first session): the lifter left for a minute and a half; the
    empty bench, 15 cm beyond the seat, read like a seated lifter. Coming back, the hips passed
    out of the sensor's reach for a second (nothing but two wild readings, rejected as spikes,
    which reset the blind spell's clock) and reappeared on their way down onto the seat: that
    read as a lift from the bench's level, counted as the set's first rep."""
    stream = holdout_pair(477603934, reclamp=True, mount=Mount.ABOVE)
    third = stream.truth["sets"][2]
    reps = [e.event for e in run_engine(stream) if isinstance(e.event, RepEvent)]
    assert counted_in(third, [r for r in reps if r.complete]) == third["reps"]


def _leaving_onto_a_far_wandering_background(nearer: bool) -> tuple[Track, float]:
    """Six reps, then the lifter leaves and the sensor sees the far background (the ceiling
    1.85 m past the seat of a sensor below, the floor 1.08 m under one above) in sunlight: its
    readings swing by centimetres and never stay at one level. The track, and when they left."""
    track = Track(rate=15.0, nearer=nearer, seated_mm=928.0 if not nearer else 1900.0)
    track.stay(4.0)
    for _ in range(6):
        track.rep(rom=150.0, up=1.0, hold=2.0, down=2.0, pause=1.0)
    track.stay(2.0).leave(duration=1.0, to_height=600.0)
    left_t = track.t
    far = 2780.0 if not nearer else 2980.0
    rng = random.Random(5)
    wander = 0.0
    for k in range(int(40 * track.rate)):
        wander = 0.97 * wander + rng.gauss(0.0, 9.0)  # a slow swing of a few centimetres
        track.points.append(Point(round(track.t + k / track.rate, 6), raw=far + wander))
    return track, left_t


@pytest.mark.parametrize("nearer", [False, True])
def test_a_far_empty_bench_that_never_reads_still_is_nobody_there(nearer: bool) -> None:
    """Field corpus (light family): only a still level far from the seat said the bench was
    empty, so a sunlit background that never reads still kept the set open (the next set's
    reps were counted in it). Readings far beyond the seat's zone for 2 s say it too."""
    track, left_t = _leaving_onto_a_far_wandering_background(nearer)
    events = run(RepEngine(EngineSettings(target_reps=0)), track)
    left = [e for e in events if isinstance(e, PresenceEvent) and not e.present]
    assert left
    assert left[0].t <= left_t + 4.0


@pytest.mark.parametrize(
    "nearer",
    [
        pytest.param(
            False,
            marks=pytest.mark.xfail(
                strict=True,
                reason="known failure: two large swings of a slow wander (a time constant of "
                "2 s, centimetres wide) one after the other are relearned as a new, small range "
                "and the swings after them counted as reps (field-light, one session 27 reps "
                "outside sets)",
            ),
        ),
        True,  # its largest swings come among smaller ones: no range (test_empty_bench_wander)
    ],
)
def test_a_far_empty_bench_wandering_in_sunlight_counts_no_reps(nearer: bool) -> None:
    track, left_t = _leaving_onto_a_far_wandering_background(nearer)
    events = run(RepEngine(EngineSettings(target_reps=0)), track)
    assert [e for e in events if isinstance(e, RepEvent) and e.t > left_t] == []


@pytest.mark.parametrize("nearer", [True, False])
def test_a_moved_seat_is_relearned_when_the_lifters_style_leans_the_other_way(
    nearer: bool,
) -> None:
    """Counted on one seat, the lifter leaves; the bench is moved 15 cm while they are away and
    they start lifting within a second of sitting down again (no quiet rest: no hard clue of
    which way is up), with a short squeeze, a long pause on the seat and a lowering quicker
    than the lift (style votes for the other way up). Relearning the seat, those votes held
    the learned orientation under the evidence needed to count for the whole set: none of its
    reps was counted."""
    track = Track(nearer=nearer, seated_mm=700.0 if nearer else 250.0, rate=20.0)
    track.noise, track.seed = True, 31
    track.empty(2.0).arrive().stay(4.0)
    for _ in range(8):
        track.rep(rom=280.0, up=1.0, hold=1.5, down=2.0, pause=0.8)
    track.stay(5.0).leave().empty(30.0)
    first_part = track.t
    moved = Track(nearer=nearer, seated_mm=550.0 if nearer else 400.0, rate=20.0, t=track.t)
    moved.noise, moved.seed = True, 32
    moved.arrive(0.6, from_height=400.0).stay(0.2)  # sits down from standing, lifts at once
    for _ in range(10):
        moved.rep(rom=300.0, up=1.3, hold=0.3, down=0.9, pause=1.4)
    moved.stay(20.0)
    engine = RepEngine(EngineSettings(target_reps=0))
    events: list[EngineEvent] = []
    for t, d in track.samples + moved.samples:
        events.extend(engine.feed(t, d))
    events.extend(engine.tick(moved.t + 30.0))
    reps = [e for e in events if isinstance(e, RepEvent) and e.complete]
    assert sum(r.t < first_part for r in reps) == 8
    assert sum(r.t > first_part for r in reps) == 10
    calibrations = [e for e in events if isinstance(e, CalibratedEvent) and e.t > first_part]
    assert calibrations
    assert all((e.top_mm < e.bottom_mm) is nearer for e in calibrations)  # the same way up


@pytest.mark.parametrize("rate", [15.0, 25.0, 50.0])
def test_the_first_rep_after_a_wild_arrival_is_counted(rate: float) -> None:
    """Seen in the hold-out corpus: the lifter's legs and hips mixed in the cone as they sat
    down (a second of readings jumping by decimetres) left the noise estimate at seven times
    the sensor's for seconds; the first rep of 9 cm, under 16 sigma of that, read as a shift
    on the seat and was never counted (the rest of the set was, once learned)."""
    track = Track(nearer=False, seated_mm=500.0, rate=rate, noise=True, seed=3)
    track.empty(2.0)
    rng = random.Random(3)
    for k in range(int(rate)):
        track.points.append(Point(round(track.t + k / rate, 6), rng.uniform(80.0, 650.0)))
    track.t += 1.0
    track.arrive(0.8, from_height=120.0).stay(1.5)
    for _ in range(8):
        track.rep(rom=90.0, up=1.0, hold=2.0, down=1.5, pause=0.3)
    events = run(RepEngine(EngineSettings(target_reps=0)), track.stay(10.0), tail_s=30.0)
    counted = [e for e in events if isinstance(e, RepEvent) and e.complete]
    assert len(counted) == 8
    assert counted[0].started_t < 6.5  # the first lift, from the seat at 5.3 s


@pytest.mark.parametrize("nearer", [True, False], ids=["above", "below"])
def test_a_shorter_range_is_relearned_after_a_rest_the_seated_lifter_shifts_in(
    nearer: bool,
) -> None:
    """A lifter whose reps are shorter than the learned range (the bench was never seen empty
    between lifters) rests, shifting on the seat now and then, and starts another set: its
    first lift leaves a rest, so the next like it relearns the range. Read the other way up,
    that rest is a partial lift whose top the shifts kept from reading still for long: it
    lasted until this lift, which then seemed to follow a movement (no run opened), and every
    set stayed partial reps."""
    full, short = 340.0, 210.0  # the short reps are under LOCKOUT of the full range
    assert short < LOCKOUT * full
    track = Track(nearer=nearer, seated_mm=700.0 if nearer else 200.0, rate=20.0, noise=True)
    track.empty(3.0).arrive().stay(4.0)
    for _ in range(5):
        track.rep(rom=full, up=1.0, hold=1.5, down=2.0, pause=0.6)
    for _ in range(4):  # straight on, shorter: partial reps of the learned range
        track.rep(rom=short, up=1.0, hold=1.5, down=2.0, pause=0.6)
    for _ in range(6):  # a rest: still, but for a brief shift every few seconds
        track.stay(4.5).move(0.25, 15.0).move(0.25, 0.0)
    start = track.t
    for _ in range(5):
        track.rep(rom=short, up=1.0, hold=1.5, down=2.0, pause=0.6)
    events = run(RepEngine(EngineSettings(target_reps=0)), track.stay(4.0), tail_s=30.0)
    reps = [e for e in events if isinstance(e, RepEvent) and e.complete and e.started_t >= start]
    assert len(reps) == 5


def test_a_newcomer_after_an_empty_bench_near_the_seat_is_counted() -> None:
    """Back-to-back stream (b2b, training seed 37's 413992455): the first lifter (34 cm range,
    sensor above) stands up and leaves; for 46 s the sensor sees the floor 98 mm past their
    seat; the next lifter sits down 95 mm nearer the sensor and does 8 reps of 22 cm."""
    stream = back_to_back(413992455, reclamp=False)
    second = stream.truth["parts"][1]
    first_set = next(s for s in stream.truth["sets"] if s["start_t"] >= second["start_t"])
    reps = [e.event for e in run_engine(stream) if isinstance(e.event, RepEvent)]
    assert counted_in(first_set, [r for r in reps if r.complete]) == first_set["reps"]


def _newcomer_after_a_near_floor(
    nearer: bool,
    *,
    floor: float,
    back: bool,
    stand: float = 540.0,
    seat: float = 95.0,
    rom: float = 220.0,
) -> tuple[Track, float, float]:
    """Five reps of 34 cm, then the lifter stands up (hips ``stand`` mm up). ``back``: after 3 s they sit down on the
    seat again; else they leave, the bench reads still ``floor`` mm past their seat (inside the
    seat's zone) for 40 s, and a newcomer sits ``seat`` mm nearer the top (9.5 cm) and does reps
    of ``rom`` (22 cm). Six
    reps follow, 0.8 s after sitting down; the track, when the lifter stood up and when the
    reps began."""
    full = 340.0
    track = Track(nearer=nearer, seated_mm=1100.0 if nearer else 200.0, rate=30.0, noise=True)
    track.empty(3.0).arrive().stay(4.0)
    for _ in range(5):
        track.rep(rom=full, up=1.0, hold=1.5, down=2.0, pause=0.8)
    track.stay(3.0).leave(duration=1.0, to_height=stand)
    left_t = track.t
    if back:
        seat, top = 0.0, full
        track.stay(3.0).move(1.2, seat).stay(0.8)
    else:
        top = seat + rom
        track.empty(40.0, level=-floor).arrive(1.2, from_height=400.0, onto=seat).stay(0.8)
    start = track.t
    for _ in range(6):
        track.rep(rom=top, up=1.0, hold=1.8, down=2.0, pause=0.8, end_at=seat)
    return track.stay(4.0), left_t, start


@pytest.mark.parametrize("stand", [540.0, 760.0], ids=["short", "tall"])
@pytest.mark.parametrize("nearer", [True, False], ids=["above", "below"])
def test_a_newcomer_after_a_still_empty_bench_just_past_the_seat_is_counted(
    nearer: bool, stand: float
) -> None:
    """The empty bench reads still 0.28 of the range past the seat, inside the zone a seated
    rest may take: the seat followed it there (and on to the newcomer's), nobody was seen
    leaving or arriving, and the newcomer's shorter reps were all partial reps of the last
    lifter's range. Hips rest on the seat, never past it: standing up and then resting past the
    seat is nobody seated, and whoever sits down next is a newcomer. (Standing up tall, the
    hips rise beyond any thrust of any range, MAX_THRUST_MM: the attempt was dropped on the
    way up, not when the readings jumped.)"""
    track, left_t, start = _newcomer_after_a_near_floor(nearer, floor=95.0, back=False, stand=stand)
    events = run(RepEngine(EngineSettings(target_reps=0)), track, tail_s=30.0)
    left = [e for e in events if isinstance(e, PresenceEvent) and not e.present]
    assert [e for e in left if left_t - 2.0 <= e.t < start]
    reps = [e for e in events if isinstance(e, RepEvent) and e.complete and e.started_t > left_t]
    assert len(reps) == 6  # (sitting down is no rep)
    assert min(r.started_t for r in reps) >= start - 0.5


@pytest.mark.parametrize("nearer", [True, False], ids=["above", "below"])
def test_a_lifter_standing_up_and_sitting_back_down_is_still_there(nearer: bool) -> None:
    """Standing up between sets and sitting back down on the seat: nobody left, and the reps
    after it count with the range learned."""
    track, left_t, start = _newcomer_after_a_near_floor(nearer, floor=95.0, back=True)
    events = run(RepEngine(EngineSettings(target_reps=0)), track, tail_s=30.0)
    reps = [e for e in events if isinstance(e, RepEvent) and e.complete and e.started_t > left_t]
    assert len(reps) == 6
    assert min(r.started_t for r in reps) >= start - 0.5


@pytest.mark.parametrize("nearer", [True, False], ids=["above", "below"])
def test_a_newcomer_sitting_past_the_last_seat_is_seen(nearer: bool) -> None:
    """The lifter stood up and left (the floor 0.74 of the range past the seat), then a newcomer
    sits 6 cm past that seat: someone sat down (seen before their first lift), and nobody
    left while they go on sitting there after their set."""
    track, left_t, start = _newcomer_after_a_near_floor(
        nearer, floor=250.0, back=False, seat=-60.0, rom=300.0
    )
    events = run(RepEngine(EngineSettings(target_reps=0)), track)
    changes = [e for e in events if isinstance(e, PresenceEvent) and e.t > left_t]
    assert [e.present for e in changes] == [False, True]
    assert changes[1].t < start
    reps = [e for e in events if isinstance(e, RepEvent) and e.complete and e.started_t > left_t]
    assert len(reps) == 6


@pytest.mark.parametrize("nearer", [True, False], ids=["above", "below"])
def test_a_newcomers_first_rep_is_held_back_when_nobody_was_seen_arriving(nearer: bool) -> None:
    """Pairs corpus (training seeds 31, 37 and 41, four streams): the bench emptied, then a
    newcomer with about 60 % of the last lifter's range sat down and lifted within a fraction
    of a second, so nobody was seen arriving before the first rep. Judged against the last
    lifter's range, it was a partial rep; only then was someone seen, and the next two reps
    relearned the range. A first lift after the bench emptied is a newcomer's until the next
    one tells, as after a seen arrival."""
    track = Track(nearer=nearer, seated_mm=900.0 if nearer else 200.0, rate=25.0, noise=True)
    track.empty(2.0).arrive().stay(3.0)
    for _ in range(6):
        track.rep(rom=390.0, up=0.6, hold=0.5, down=0.8, pause=0.3)
    track.stay(2.0).leave().empty(30.0)
    start = track.t
    track.arrive(0.6, from_height=120.0).stay(0.2)
    for _ in range(8):
        track.rep(rom=240.0, up=0.6, hold=0.4, down=1.2, pause=0.2)
    events = run(RepEngine(EngineSettings(target_reps=0)), track.stay(5.0), tail_s=30.0)
    reps = [e for e in events if isinstance(e, RepEvent) and e.complete and e.t > start]
    assert len(reps) == 8
