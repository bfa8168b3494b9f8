"""What `rep-coach watch` reports of a sensor's stream: the rate by the device clock, lost
readings (seq gaps), failure statuses and restarts."""

from __future__ import annotations

from custom_components.rep_coach.engine.protocol import Reading
from rep_coach_tools.stream_check import StreamCheck


def _readings(*spec: tuple[int, int, int]) -> list[Reading]:
    """(seq, device ms, status) readings as the firmware sends them."""
    return [
        Reading(d=None if status >= 4 else 400.0, t=t, seq=seq, status=status)
        for seq, t, status in spec
    ]


def test_rate_by_the_device_clock_and_seq_gaps() -> None:
    check = StreamCheck()
    # 50 Hz by the device clock, seq 5 and 6 lost, one stalled-sensor reading (254).
    check.feed(_readings(*((seq, 1000 + 20 * seq, 0) for seq in range(5))))
    check.feed(_readings(*((seq, 1000 + 20 * seq, 254 if seq == 9 else 0) for seq in range(7, 12))))
    assert (check.readings, check.lost, check.gaps) == (10, 2, 1)
    assert check.rate_hz() is not None
    assert round(check.rate_hz() or 0, 2) == 40.91  # 9 intervals over 0.22 s: losses lower it
    assert check.report() == (
        "0.2 s by the sensor's clock, 10 readings, 40.91 Hz, 2 lost in 1 seq gaps, "
        "failures: 1 x status 254"
    )


def test_a_restart_is_not_a_loss() -> None:
    check = StreamCheck()
    check.feed(_readings(*((seq, 20 * seq, 0) for seq in range(100, 105))))
    check.feed(_readings(*((seq, 20 * seq, 0) for seq in range(3))))
    assert (check.lost, check.gaps, check.restarts) == (0, 0, 1)
    assert check.rate_hz() == 50.0  # measured again from the restart
    assert check.report().endswith("1 restarts")


def test_plain_readings_have_no_device_rate() -> None:
    check = StreamCheck()
    check.feed([Reading(d=430.0), Reading(d=None)])
    assert not check.device_timed
    assert check.rate_hz() is None
    assert check.report() == "2 readings (no device clock or seq: rate by arrival only)"
