"""The stream's noise estimate (presence.py) on white and on time-correlated sensor noise."""

from __future__ import annotations

import math
import random

import pytest

from custom_components.rep_coach.engine.presence import NoiseEstimate, WanderEstimate


def estimate(rate: float, sigma: float, tau: float = 0.0, seed: int = 3) -> float:
    """sigma as estimated from 60 s of a still level read at ``rate`` with noise of ``sigma``
    correlated over ``tau`` seconds (AR(1); 0: white)."""
    rng = random.Random(seed)
    rho = math.exp(-1.0 / (rate * tau)) if tau > 0 else 0.0
    innovation = sigma * math.sqrt(1.0 - rho * rho)
    noise = NoiseEstimate()
    ar = 0.0
    for k in range(int(60 * rate)):
        ar = rho * ar + rng.gauss(0.0, innovation)
        noise.push(k / rate, 1300.0 + ar)
    return noise.sigma


@pytest.mark.parametrize("rate", [10.0, 25.0, 50.0])
def test_white_noise_is_measured_as_it_is(rate: float) -> None:
    assert estimate(rate, 8.0) == pytest.approx(8.0, rel=0.2)


@pytest.mark.parametrize("rate", [33.3, 50.0])
def test_the_same_noise_reads_the_same_at_a_higher_rate(rate: float) -> None:
    """Noise correlated over 50 ms (the sensor's own averaging, sunlight on a far background)
    is one physical noise whatever the rate: estimated from adjacent readings at 50 Hz it read
    a third lower than at 20 Hz, so its slow swings passed the noise floors and an empty bench
    in sunlight counted reps. Differences of readings 45 ms or more apart see it as 20 Hz does."""
    assert estimate(rate, 8.0, tau=0.05) > 0.9 * estimate(20.0, 8.0, tau=0.05)


def _arrival_then_still(noise: NoiseEstimate, rng: random.Random, rate: float) -> float:
    """A body entering the beam (1 s of readings jumping by decimetres, legs and hips mixed in
    the cone), then hips still on the seat with 3 mm of noise from t = 1 s on; the time then."""
    for k in range(int(rate)):
        noise.push(k / rate, rng.uniform(650.0, 1250.0))
    t = 1.0
    for k in range(int(0.5 * rate)):
        noise.push(t + k / rate, 565.0 + rng.gauss(0.0, 3.0))
    return t + 0.5


@pytest.mark.parametrize("rate", [15.0, 50.0])
def test_the_noise_is_read_afresh_once_the_scene_settled(rate: float) -> None:
    """The arrival's jumps seed the noise estimate and the running median takes seconds to
    forget them, while the first lift is measured against it (at seven times the noise, the
    first rep of 9 cm was dropped as a shift on the seat): once the scene has settled, the
    noise is read from the next few readings."""
    rng = random.Random(5)
    noise = NoiseEstimate()
    t = _arrival_then_still(noise, rng, rate)
    noise.settled()
    for k in range(int(rate)):  # a second of still hips
        noise.push(t + k / rate, 565.0 + rng.gauss(0.0, 3.0))
    assert 2.0 <= noise.sigma < 6.0  # the sensor's 3 mm, read from nine differences


def test_reading_the_noise_afresh_never_raises_it() -> None:
    """The readings after the scene settled may hold movement (a first lift): they can only
    lower what the running median says, never raise it."""
    rng = random.Random(6)
    noise = NoiseEstimate()
    for k in range(500):
        noise.push(k / 25.0, 565.0 + rng.gauss(0.0, 3.0))
    before = noise.sigma
    noise.settled()
    for k in range(12):  # a fast lift: 30 mm a reading
        noise.push(20.0 + k / 25.0, 565.0 + 30.0 * k + rng.gauss(0.0, 3.0) + 8.0 * (k % 2))
    assert noise.sigma <= before * 1.5  # (the running median's own steps: 3 % a reading)


def test_unchanged_noise_read_afresh_seldom_replaces_the_estimate() -> None:
    """Nine differences are few: read afresh where nothing changed (an empty bench whose far
    ceiling wanders, seen before and after a gap), they came out at under half the running
    estimate once in 16, and the lowered noise let the ceiling's swings set a range and count
    as reps. Only under a third of it replaces the estimate: about once in 90."""
    rng = random.Random(8)
    noise = NoiseEstimate()
    t = 0.0
    for _ in range(250):
        t += 0.1
        noise.push(t, 2900.0 + rng.gauss(0.0, 20.0))
    replaced = 0
    for _ in range(400):
        before = noise.sigma
        noise.settled()
        for _ in range(10):  # nine differences, then the running median's step
            t += 0.1
            noise.push(t, 2900.0 + rng.gauss(0.0, 20.0))
        replaced += noise.sigma < 0.5 * before
        for _ in range(40):  # the running median comes back
            t += 0.1
            noise.push(t, 2900.0 + rng.gauss(0.0, 20.0))
    assert replaced <= 0.025 * 400


def wander(rate: float, sigma: float, tau: float, seed: int = 3) -> tuple[float, float]:
    """(wander sigma, second-difference sigma) of 60 s of resting readings at ``rate`` with
    AR(1) noise of ``sigma`` correlated over ``tau`` seconds, with a movement every 5 s."""
    rng = random.Random(seed)
    rho = math.exp(-1.0 / (rate * tau))
    innovation = sigma * math.sqrt(1.0 - rho * rho)
    resting, noise = WanderEstimate(), NoiseEstimate()
    ar = 0.0
    for k in range(int(60 * rate)):
        t = k / rate
        ar = rho * ar + rng.gauss(0.0, innovation)
        noise.push(t, 1300.0 + ar)
        if t % 5.0 < 1.0:
            resting.moved()  # a rep under way: nothing at rest is measured across it
        else:
            resting.push(t, 1300.0 + ar)
    return resting.sigma, noise.sigma


@pytest.mark.parametrize("rate", [15.0, 33.3])
def test_resting_readings_show_the_slow_noise_that_differences_miss(rate: float) -> None:
    # AR(1) noise of 6 mm correlated over 0.2 s (the hold-out sensor at 1.3 m): neighbouring
    # readings' differences see a fraction of it; readings half a second apart see it all (a
    # running median of overlapping differences: within a factor of about 1.5 over a minute).
    slow, fast = wander(rate, 6.0, 0.2)
    assert fast < 0.6 * 6.0
    assert 0.6 * 6.0 < slow < 1.8 * 6.0
    assert slow > 1.5 * fast
