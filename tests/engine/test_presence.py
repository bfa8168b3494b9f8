"""The stream's noise estimate (presence.py) on white and on time-correlated sensor noise."""

from __future__ import annotations

import math
import random

import pytest

from custom_components.rep_coach.engine.presence import NoiseEstimate


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
