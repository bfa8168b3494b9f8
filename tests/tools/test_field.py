"""The field corpus: each disturbance present and of its size, deterministic, truth consistent."""

from __future__ import annotations

import itertools
import random
import statistics
from collections.abc import Iterator

import pytest

from custom_components.rep_coach.engine.protocol import FIRMWARE_BATCH
from rep_coach_tools.field import FIELD_FAMILIES, FieldFamily, field_session
from rep_coach_tools.field.network import lossy
from rep_coach_tools.field.scene import Slip, Tilt, seat_at
from rep_coach_tools.field.sensing import (
    FieldSensor,
    Light,
    Profile,
    l0x_bench,
    vl53l0x,
    vl53l1x,
)
from rep_coach_tools.holdout.lifting import Lifting, draw_style
from rep_coach_tools.holdout.sensing import Bench
from rep_coach_tools.scoring import set_windows, top_seen
from rep_coach_tools.sim.model import Mount, SimReading, SimSession
from tests.tools.truth_rules import assert_rep_follows_the_rules


def _session(family: FieldFamily, mount: Mount, *, plain: bool | None = False) -> SimSession:
    """The first session of ``family`` (seeds 1, 2, ...) with that delivery."""
    for seed in itertools.count(1):
        session = field_session(seed, family, mount=mount)
        if plain is None or session.plain is plain:
            return session
    raise AssertionError  # pragma: no cover


def _between(
    readings: Iterator[SimReading] | tuple[SimReading, ...], a: float, b: float
) -> list[float]:
    return [r.distance_mm for r in readings if a <= r.t < b and r.sees_target() and r.distance_mm]


@pytest.mark.parametrize("family", FIELD_FAMILIES)
def test_field_sessions_are_deterministic_by_seed(family: FieldFamily) -> None:
    a, b = field_session(7, family), field_session(7, family)
    assert a.readings == b.readings
    assert a.truth == b.truth
    assert field_session(8, family).readings != a.readings


@pytest.mark.parametrize(("family", "mount"), itertools.product(FIELD_FAMILIES, Mount))
def test_truth_follows_the_lifter_and_the_rules(family: FieldFamily, mount: Mount) -> None:
    session = field_session(3, family, mount=mount)
    truth = session.truth
    assert session.mount is mount
    assert truth["family"] == str(family)
    assert session.family == str(family)
    assert all(b.arrival_t >= a.arrival_t for a, b in itertools.pairwise(session.readings))
    valid = sorted(r.t for r in session.readings if r.sees_target())
    for record in truth["sets"]:
        assert record["reps"] == record["goal"]
        for rep in record["rep_details"]:
            assert_rep_follows_the_rules(rep, partials_from_30=False)
            assert rep["top_seen"] == top_seen(rep, valid)


def test_layers_have_their_own_random_numbers() -> None:
    """The same seed gives the same lifter whatever disturbance is layered on top."""
    sets = [
        field_session(5, family, mount=Mount.BELOW).truth["sets"]
        for family in (
            FieldFamily.PASSERS,
            FieldFamily.LIGHT,
            FieldFamily.SLIP,
            FieldFamily.NETWORK,
        )
    ]
    assert all(s == sets[0] for s in sets[1:])


# --- tilt --------------------------------------------------------------------------------------


@pytest.mark.parametrize("mount", list(Mount))
def test_tilt_shrinks_the_range_seen_and_varies_it_rep_to_rep(mount: Mount) -> None:
    session = _session(FieldFamily.TILT, mount)
    tilt = session.truth["field"]["tilt"]
    assert 0.70 <= tilt["gain"] <= 0.92
    gains = tilt["rep_gains"]
    within = [abs(g / tilt["gain"] - 1.0) <= 0.06 + 1e-9 for g in gains]
    assert sum(within) >= 0.9 * len(gains)  # a few kept clear of the partial-rep rules
    assert statistics.pstdev(gains) > 0.005
    details = [d for s in session.truth["sets"] for d in s["rep_details"]]
    errors = []
    for detail, gain in zip(details, gains, strict=True):
        if not detail["complete"] or detail["hold_s"] < 0.4:
            continue
        seat = _between(session.readings, detail["start_t"] - 0.3, detail["start_t"])
        top = _between(
            session.readings, detail["hold_start_t"], detail["hold_start_t"] + detail["hold_s"]
        )
        if len(seat) >= 2 and len(top) >= 3:
            seen = abs(statistics.median(top) - statistics.median(seat))
            errors.append(seen / detail["rom_mm"] - gain)
    assert len(errors) >= 10
    assert abs(statistics.median(errors)) < 0.04


def test_tilt_gain_changes_only_while_seated() -> None:
    tilt = Tilt(0.8, (10.0, 20.0), (0.9, 0.7), ((0.0, 0.0),))
    assert tilt.gain(5.0) == 0.8
    assert tilt.gain(9.5) == 0.8
    assert tilt.gain(10.0) == pytest.approx(0.9)
    assert tilt.gain(15.0) == pytest.approx(0.9)
    assert tilt.gain(19.85) == pytest.approx(0.8)
    assert tilt.apparent(25.0, 100.0) == pytest.approx(70.0)
    assert seat_at(((0.0, 0.0), (50.0, 30.0)), 60.0) == 30.0


# --- passers-by ----------------------------------------------------------------------------------


@pytest.mark.parametrize("mount", list(Mount))
def test_passers_cross_the_beam_at_their_distance_and_away_from_sets(mount: Mount) -> None:
    crossings = []
    for seed in range(1, 5):
        session = field_session(seed, FieldFamily.PASSERS, mount=mount)
        windows = set_windows(session.truth)
        for passer in session.truth["field"]["passers"]:
            crossings.append(passer)
            a, b = passer["start_t"], passer["end_t"]
            assert all(b < lo - 2.9 or a > hi + 2.9 for lo, hi, _ in windows)
            assert (0.3 <= b - a <= 0.8) if passer["who"] == "person" else (0.5 <= b - a <= 2.0)
            seen = _between(session.readings, a + 0.12, b - 0.12)
            if seen:
                assert abs(statistics.median(seen) - passer["distance_mm"]) < 45.0
    assert any(p["empty_bench"] for p in crossings)
    assert {p["who"] for p in crossings} == {"person", "pet"}


def test_passers_pass_seated_rests_when_there_is_room() -> None:
    seated = [
        p
        for seed in range(1, 13)
        for p in field_session(seed, FieldFamily.PASSERS).truth["field"]["passers"]
        if not p["empty_bench"]
    ]
    assert seated


# --- light ---------------------------------------------------------------------------------------


def _flat_sensor(light: Light | None, profile: Profile) -> tuple[FieldSensor, Lifting]:
    rng = random.Random(1)
    lifting = Lifting(rng, draw_style(rng, 1.0), 200.0)
    lifting.path.wait(200.0)
    site = Bench(Mount.ABOVE, 600.0, None, 3600.0)
    sensor = FieldSensor(
        random.Random(2),
        site,
        200.0,
        profile,
        null_codes=True,
        mix=0.1,
        seats=((0.0, 0.0),),
        light=light,
    )
    return sensor, lifting


def test_light_raises_the_noise_adds_a_slow_bias_and_warnings() -> None:
    profile = Profile("VL53L1X", 1.5, 0.004, 0.0, 0.6, 0.0, 0.0, 0.0)
    light = Light(2.0, 12.0, 100.0, 0.0, 0.15, ())
    plain_sensor, lifting = _flat_sensor(None, profile)
    lit_sensor, _ = _flat_sensor(light, profile)
    times = [k * 0.02 for k in range(5000)]
    quiet = [plain_sensor.reading(lifting, t) for t in times]
    lit = [lit_sensor.reading(lifting, t) for t in times]
    quiet_err = [d - 600.0 for d, s in quiet if d is not None and abs(d - 600.0) < 60]
    lit_err = [
        d - 600.0 - light.bias(t)
        for t, (d, s) in zip(times, lit, strict=True)
        if d is not None and abs(d - 600.0) < 90
    ]
    assert statistics.pstdev(lit_err) / statistics.pstdev(quiet_err) == pytest.approx(2.0, rel=0.15)
    assert abs(statistics.mean(lit_err)) < 1.0
    crest = [
        d for t, (d, _) in zip(times, lit, strict=True) if d is not None and 20 <= t % 100.0 <= 30
    ]
    assert statistics.mean(crest) - 600.0 == pytest.approx(
        12.0 * 0.95, abs=2.0
    )  # bias near its crest
    warned = sum(1 for d, s in lit if d is not None and s in (1, 2)) / len(lit)
    assert warned == pytest.approx(0.15, abs=0.03)


@pytest.mark.parametrize("mount", list(Mount))
def test_light_hides_the_hips_for_seconds_inside_a_set(mount: Mount) -> None:
    session = _session(FieldFamily.LIGHT, mount, plain=None)
    light = session.truth["field"]["light"]
    windows = set_windows(session.truth)
    runs = light["no_target"]
    assert any(lo <= a <= hi for a, _ in runs for lo, hi, _ in windows)
    for a, b in runs:
        assert 0.8 <= b - a <= 3.0
        inside = [r for r in session.readings if a <= r.t < b]
        assert inside
        assert not any(r.sees_target() for r in inside)


# --- slip ----------------------------------------------------------------------------------------


def test_slip_offset_steps_and_creeps() -> None:
    slip = Slip(((10.0, 0.1, -30.0, "step"), (50.0, 40.0, 20.0, "creep")))
    assert slip.offset(9.9) == 0.0
    assert slip.offset(10.2) == -30.0
    assert slip.offset(70.0) == pytest.approx(-20.0)
    assert slip.offset(100.0) == pytest.approx(-10.0)


@pytest.mark.parametrize("mount", list(Mount))
def test_slip_moves_the_seat_seen_by_its_size_during_a_set(mount: Mount) -> None:
    steps = []
    for seed in range(1, 9):
        session = field_session(seed, FieldFamily.SLIP, mount=mount)
        windows = set_windows(session.truth)
        for slip in session.truth["field"]["slips"]:
            assert 10.0 * 0.999 <= abs(slip["mm"]) <= 40.0
            assert abs(slip["mm"]) <= 0.4 * session.truth["rom_mm"] + 1e-9
            assert any(lo <= slip["start_t"] <= hi for lo, hi, _ in windows)
            if slip["kind"] == "step":
                assert 0.05 <= slip["seconds"] <= 0.2
                before = _between(session.readings, slip["start_t"] - 0.2, slip["start_t"])
                after = _between(
                    session.readings,
                    slip["start_t"] + slip["seconds"],
                    slip["start_t"] + slip["seconds"] + 0.2,
                )
                if len(before) >= 2 and len(after) >= 2:
                    steps.append(statistics.median(after) - statistics.median(before) - slip["mm"])
            else:
                assert 20.0 <= slip["seconds"] <= 90.0
    assert len(steps) >= 3
    assert statistics.median(abs(s) for s in steps) < 8.0


# --- network -------------------------------------------------------------------------------------


@pytest.mark.parametrize("mount", list(Mount))
def test_outages_lose_readings_and_burst_the_firmware_buffer(mount: Mount) -> None:
    session = _session(FieldFamily.NETWORK, mount, plain=False)
    network = session.truth["field"]["network"]
    readings = session.readings
    seqs = [r.seq for r in readings]
    assert seqs == sorted(seqs)  # never out of order
    assert len(set(seqs)) == len(seqs)  # never twice
    assert 2 <= len(network["outages"]) <= 4
    for start, end, _ in network["outages"]:
        assert 1.0 <= end - start <= 8.0
        # batches published in the outage (the last one may hold readings up to 0.1 s older)
        taken = [r for r in readings if start + 0.1 <= r.t < end - 0.1]
        assert 0 < len(taken) <= FIRMWARE_BATCH  # the buffer's newest readings survive
        assert len({r.arrival_t for r in taken}) == 1  # in one burst
        assert end < taken[0].arrival_t <= end + 0.6 + 1e-6
        assert taken[-1].t > end - 0.5  # the newest
        gap = [b.seq - a.seq for a, b in itertools.pairwise(readings) if a.t < start <= b.t]
        assert gap
        assert gap[0] > 1
    assert network["lost_readings"] > 0


def test_plain_streams_get_a_retained_value_again_after_a_broker_restart() -> None:
    readings = [
        SimReading(k * 0.1, k * 0.1 + 0.02, 1000 + 100 * k, k, 500.0 + k % 7, 0)
        for k in range(3000)
    ]
    duplicated = retained = False
    for seed in range(20):
        out, report = lossy(random.Random(seed), readings, plain=True, duration_s=300.0)
        assert all(b.arrival_t >= a.arrival_t for a, b in itertools.pairwise(out))
        seqs = [r.seq for r in out[1:] if r.t >= 0]
        assert len(seqs) - len(set(seqs)) == report["duplicates"]
        for start, end, _ in report["outages"]:
            assert not [r for r in out if start <= r.t < end]
        duplicated |= report["duplicates"] > 0
        if report["retained_first"]:
            retained = True
            assert out[0].t < 0
            assert out[0].arrival_t == 0.0
    assert duplicated
    assert retained


# --- VL53L0X -------------------------------------------------------------------------------------


@pytest.mark.parametrize("mount", list(Mount))
def test_vl53l0x_sessions_stay_in_its_range_at_25_hz(mount: Mount) -> None:
    session = _session(FieldFamily.VL53L0X, mount)
    truth = session.truth
    assert truth["sensor"] == "VL53L0X"
    assert session.rate_hz == 25.0
    max_mm = truth["geometry"]["max_range_mm"]
    assert 1100.0 <= max_mm <= 1300.0
    valid = [r for r in session.readings if r.sees_target()]
    assert valid
    assert max(r.distance_mm or 0.0 for r in valid) <= max_mm + 100.0
    assert all(r.status in (0, 4) for r in session.readings)
    # stamped on collection, 10-14 ms after the measurement (plus 0-2 ms of scheduling)
    jitter = [
        (b.device_ms - a.device_ms) - (b.t - a.t) * 1000.0
        for a, b in itertools.pairwise(session.readings)
    ]
    assert max(abs(j) for j in jitter) <= 8.0
    assert statistics.pstdev(jitter) > 0.5


def test_vl53l0x_is_noisier_and_placed_inside_its_range() -> None:
    rng = random.Random(4)
    for _ in range(50):
        l0x, l1x = vl53l0x(rng), vl53l1x(rng)
        assert l0x.sigma_base + 1000 * l0x.sigma_per_mm > l1x.sigma_base + 1000 * l1x.sigma_per_mm
        for mount in Mount:
            site = l0x_bench(rng, mount, 300.0)
            far = site.seat_mm + (300.0 if mount is Mount.BELOW else 0.0)
            assert far <= site.max_mm - 150.0 + 1e-9
