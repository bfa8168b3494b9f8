"""Conditioning: validity of a reading, the spike gate, the median, jumps and missed rangings."""

from __future__ import annotations

import math

import pytest

from custom_components.rep_coach.engine.conditioning import (
    PASSING_S,
    Conditioner,
    Validity,
    classify,
)


@pytest.mark.parametrize(
    ("distance", "status", "expected"),
    [
        (450.0, 0, Validity.VALID),
        (450.0, 2, Validity.VALID),  # range warnings are usable
        (450.0, 4, Validity.INVALID),
        (8190.0, None, Validity.NO_TARGET),
        (8191.0, None, Validity.NO_TARGET),
        (5000.0, None, Validity.NO_TARGET),
        (65535.0, None, Validity.INVALID),
        (0.0, None, Validity.INVALID),
        (6.0, None, Validity.INVALID),
        (-3.0, None, Validity.INVALID),
        (math.nan, None, Validity.NO_TARGET),  # ESPHome's out of range
        (None, None, Validity.NO_TARGET),
        (None, 4, Validity.NO_TARGET),  # the firmware's null for out of bounds
        (None, 255, Validity.INVALID),  # the I2C read failed
        (None, 5, Validity.INVALID),  # hardware failure
    ],
)
def test_classify(distance: float | None, status: int | None, expected: Validity) -> None:
    assert classify(distance, status, 20.0, 4000.0) is expected


def feed(
    conditioner: Conditioner, values: list[float], rate: float = 25.0
) -> list[tuple[float, float]]:
    out = []
    for k, value in enumerate(values):
        result = conditioner.push(k / rate, value)
        if result is not None:
            out.append(result)
    return out


def test_single_spike_is_dropped_and_timestamps_kept() -> None:
    conditioner = Conditioner()
    out = feed(conditioner, [500.0, 501.0, 502.0, 900.0, 503.0, 504.0, 505.0])
    assert [x for _, x in out] == [501.0, 502.0, 503.0, 504.0]
    assert [round(t, 2) for t, _ in out] == [0.04, 0.08, 0.16, 0.2]  # the spike's slot is gone
    assert conditioner.rejected == 1


def test_median_smooths_small_outliers_the_gate_lets_through() -> None:
    out = feed(Conditioner(), [500.0, 501.0, 540.0, 502.0, 503.0])
    assert [x for _, x in out] == [501.0, 502.0, 503.0]


def test_burst_of_repeated_spikes_is_rejected_but_a_real_new_level_is_accepted() -> None:
    conditioner = Conditioner()
    burst = feed(conditioner, [500.0] * 5 + [1100.0] * 6 + [500.0] * 5)
    assert max(x for _, x in burst) < 510.0
    assert conditioner.rejected == 6
    moved = feed(Conditioner(), [500.0] * 5 + [1100.0] * 20)
    assert moved[-1][1] == 1100.0


def test_a_widely_scattered_new_level_is_accepted_on_a_device_timed_stream() -> None:
    """The lifter leaves a bench whose far background reads with a wide scatter (sunlight):
    every reading of the new level lies 70 mm from the one before but all on the same side of
    the old one. That is a new level, not spike pairs (taken as spikes, the seat level was kept
    and the background's scatter was counted as reps)."""
    conditioner = Conditioner()
    seat = [1000.0 + (k % 2) for k in range(50)]
    background = [1250.0 + (35.0 if k % 2 else -35.0) for k in range(25)]
    out = []
    for k, value in enumerate(seat + background):
        result = conditioner.push(k / 50.0, value, device_timed=True)
        if result is not None:
            out.append(result)
    assert conditioner.jumps == 1
    # Held back only while the hips' top speed could not have carried them there, not until
    # the passing-body timeout.
    assert conditioner.rejected < PASSING_S * 50
    assert min(x for t, x in out if t >= 1.0 + PASSING_S) > 1200.0


def _device_timed(conditioner: Conditioner, values: list[float], rate: float) -> list[float]:
    out = [conditioner.push(k / rate, value, device_timed=True) for k, value in enumerate(values)]
    return [result[1] for result in out if result is not None]


def test_a_fast_drop_right_after_a_spike_is_motion_not_a_body_in_the_beam() -> None:
    """At 15 Hz a dumbbell lifter drops 100 mm between two readings, just after a spike the
    other way: the first reading of the drop looks like a spike pair's second half, but the next
    ones carry on along the same path. That is the hips moving, not a new level (taken as a
    jump, it hid the rep); a pair that comes back is still two spikes."""
    seat = [1000.0 + (k % 3) for k in range(30)]
    lift = [880.0, 795.0, 735.0, 665.0, 615.0, 575.0, 545.0, 540.0, 540.0]
    conditioner = Conditioner()
    out = _device_timed(conditioner, [*seat, 1275.0, *lift], 15.0)
    assert conditioner.jumps == 0
    assert out[-1] < 560.0
    spikes = Conditioner()
    out = _device_timed(spikes, [*seat, 1275.0, 880.0, *seat], 15.0)
    assert spikes.jumps == 0
    assert spikes.rejected == 2
    assert min(out) >= 1000.0


def test_readings_after_a_reset_are_taken_though_the_last_ones_repeated() -> None:
    """A fine stream whose last readings repeated exactly (a still lifter, or a stuck driver),
    a gap (reset), then the same level: the first reading after it is taken at once. The
    repeats' span used to run from before the reset to minus infinity, so every reading was
    rejected for half a second and the level then taken as a body entering the beam."""
    conditioner = Conditioner()
    t = 0.0
    for k in range(30):  # 1 mm steps teach the quantum, then the hips stay still
        t = k * 0.05
        conditioner.push(t, 500.0 + (k % 2 if k < 20 else 0), device_timed=True)
    conditioner.reset()
    rejected, jumps = conditioner.rejected, conditioner.jumps
    for k in range(20):
        conditioner.push(t + 4.0 + k * 0.05, 500.0, device_timed=True)
    assert (conditioner.rejected, conditioner.jumps) == (rejected, jumps)
