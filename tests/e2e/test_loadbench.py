"""``rep-coach bench --load``: a tiny run proves the command works end to end (the real figures
are in the README; timings are printed, never asserted)."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys

import pytest

from rep_coach_tools.loadbench import bench_readings, percentile
from rep_coach_tools.mosquitto import find_mosquitto

KEYS = {
    "benches",
    "samples_per_s",
    "cpu_per_sample_us",
    "p50_latency_ms",
    "p99_latency_ms",
    "loop_lag_ms_max",
    "state_writes_per_rep",
    "memory_per_bench_kb",
}


def test_percentile_is_nearest_rank() -> None:
    """p50 of 1..10 is 5, p99 is the largest, nothing gives 0."""
    values = [float(v) for v in range(10, 0, -1)]
    assert percentile(values, 50) == 5.0
    assert percentile(values, 99) == 10.0
    assert percentile([], 99) == 0.0


def test_bench_readings_cover_the_run_as_one_stream() -> None:
    """Sessions are chained (device clock and sequence run on) until the run is covered."""
    readings = bench_readings(seed=3, send_s=1200.0)
    assert readings[-1].arrival_t - readings[0].arrival_t >= 1200.0
    seqs = [r.seq for r in readings]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert all(b.device_ms > a.device_ms for a, b in itertools.pairwise(readings))


@pytest.mark.e2e
@pytest.mark.skipif(find_mosquitto() is None, reason="mosquitto is not installed")
def test_load_bench_smoke() -> None:
    """One bench for two seconds: the last line is JSON with every figure the issue asks for,
    and Home Assistant did receive the bench's 50 Hz samples."""
    argv = ["bench", "--load", "--benches", "1", "--duration", "2", "--warmup", "1", "--json"]
    done = subprocess.run(
        [sys.executable, "-m", "rep_coach_tools.cli", *argv],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    print(done.stdout)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(result) >= KEYS
    assert result["benches"] == 1
    assert 30 <= result["samples_per_s"] <= 70  # one bench at 50 Hz
    assert result["rate_limited"] == 0
