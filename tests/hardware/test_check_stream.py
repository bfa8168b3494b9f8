"""hardware/check_stream.py: the on-hardware check of rate, seq gaps and failures, fed the way
``mosquitto_sub`` prints a samples topic (one JSON batch per line)."""

from __future__ import annotations

import json
import subprocess
import sys

from custom_components.rep_coach.engine.protocol import Reading, encode_batch

from .conftest import REPO

SCRIPT = REPO / "hardware" / "check_stream.py"


def _batches(*groups: list[tuple[int, int, int]]) -> str:
    """Payloads of (seq, device ms, status) readings, as the protocol reference encodes them."""
    lines = []
    for group in groups:
        readings = [
            Reading(d=None if status >= 4 else 400.0, t=t, seq=seq, status=status)
            for seq, t, status in group
        ]
        lines.append(encode_batch(readings))
    return "\n".join(lines) + "\n"


def _check(stdin: str, *args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.splitlines()


def test_reports_the_device_rate_and_the_seq_gaps() -> None:
    # 50 Hz by the device clock, seq 5 and 6 lost: 10 readings in 0.22 s.
    first = [(seq, 1000 + 20 * seq, 0) for seq in range(5)]
    second = [(seq, 1000 + 20 * seq, 254 if seq == 9 else 0) for seq in range(7, 12)]
    (report,) = _check(_batches(first, second), "--every", "0")
    assert report == (
        "0.2 s, 10 readings, 40.91 Hz, 2 lost in 1 seq gaps, failures: 1 x status 254"
    )


def test_reports_periodically_by_the_device_clock() -> None:
    groups = [[(seq, 20 * seq, 0) for seq in range(start, start + 5)] for start in range(0, 600, 5)]
    lines = _check(_batches(*groups), "--every", "5")
    assert len(lines) == 3  # at 5 s, at 10 s, and the final report
    assert all("50.00 Hz, 0 lost in 0 seq gaps, failures: none" in line for line in lines)


def test_a_restart_is_not_a_loss() -> None:
    before = [(seq, 20 * seq, 0) for seq in range(100, 105)]
    after = [(seq, 20 * seq, 0) for seq in range(3)]
    (report,) = _check(_batches(before, after), "--every", "0")
    assert "0 lost in 0 seq gaps" in report
    assert report.endswith("1 restarts")


def test_a_bad_payload_is_counted_not_fatal() -> None:
    stdin = "not json\n" + json.dumps([{"d": 1.0}]) + "\n" + _batches([(0, 0, 0), (1, 20, 0)])
    (report,) = _check(stdin, "--every", "0")
    assert (
        report
        == "0.0 s, 2 readings, 50.00 Hz, 0 lost in 0 seq gaps, failures: none, 2 bad payloads"
    )
