"""Timing figures of the bench firmware, simulated on the host (nothing here runs on an ESP32).

    .venv/bin/python -m tests.hardware.bench_firmware

1. VL53L1X: the driver's ranging core against a simulated sensor on a drifting clock and a jittery
   ESPHome loop (tests/hardware/ranging_sim.cpp), next to the old driver (one data-ready read per
   20 ms update(), t = when it read): readings lost, rate delivered, timestamp error.
2. A 5 s MQTT stall with publishing queued (idf_send_async, now) or in the loop (before).
3. VL53L0X: a model of ESPHome's core driver (update() starts a measurement, loop() collects it, an
   update() while one is pending publishes NaN) with the same loop: valid readings per second.

Figures are printed, not asserted; the tests (test_ranging_core.py) assert the behaviour.
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from .test_ranging_core import BUSY_LOOP, Run, build_simulator, simulate

SEEDS = (1, 2, 3)
LOOPS = {"typical": (), "busy": BUSY_LOOP}


def build(workdir: Path) -> Path:
    compiler = shutil.which("g++")
    if compiler is None:
        sys.exit("g++ is needed to build the simulator")
    return build_simulator(compiler, workdir, "-O2")


def vl53l1x_table(simulator: Path) -> None:
    print("VL53L1X, 20 ms programmed period, 60 s x 3 seeds per row")
    print("t err: published t minus millis() at the true completion (ms); completion err: the")
    print("driver's estimate before rounding to ms (old driver: when it read the result), µs")
    print(
        f"{'driver':<6} {'loop':<8} {'drift':>6} {'lost':>7} {'Hz out':>7} {'Hz real':>7} "
        f"{'|t err| max':>11} {'|completion err| p50':>20} {'p99':>6} {'max':>6}"
    )
    for poller in ("core", "naive"):
        for loop, loop_args in LOOPS.items():
            for drift in ("-0.05", "0", "0.05"):
                runs = [
                    simulate(
                        simulator,
                        "duration_s=60",
                        f"drift={drift}",
                        f"seed={seed}",
                        f"poller={poller}",
                        *loop_args,
                    )
                    for seed in SEEDS
                ]
                t_errors = [abs(e) for run in runs for e in run.timestamp_errors_ms()]
                errors = sorted(abs(e) for run in runs for e in run.completion_errors_us())
                # Measurements up to the last one read (the very last may still be pending).
                completions = sum(max(r["k"] for r in run.valid) + 1 for run in runs)
                read = sum(len({r["k"] for r in run.valid}) for run in runs)
                out_hz = statistics.mean(_rate(run) for run in runs)
                real_hz = 1000 / (20 * (1 + float(drift)))
                print(
                    f"{'new' if poller == 'core' else 'old':<6} {loop:<8} {float(drift):>+6.0%} "
                    f"{1 - read / completions:>7.2%} {out_hz:>7.2f} {real_hz:>7.2f} "
                    f"{max(t_errors):>11} {errors[len(errors) // 2]:>20} "
                    f"{errors[int(len(errors) * 0.99)]:>6} {errors[-1]:>6}"
                )


def _rate(run: Run) -> float:
    valid = run.valid
    span_ms: int = valid[-1]["t_ms"] - valid[0]["t_ms"]
    return (len(valid) - 1) / (span_ms / 1000)


def mqtt_table(simulator: Path) -> None:
    print("\nWi-Fi stall of 5 s at t = 5 s, 15 s run, 50 Hz")
    print(
        f"{'publishing':<22} {'read by the loop':>16} {'lost by sensor':>14} "
        f"{'dropped (buffer)':>16} {'delivered':>9}"
    )
    for sync, label in (("0", "queued (idf_send_async)"), ("1", "in the loop (before)")):
        run = simulate(simulator, "duration_s=15", "stall_at_s=5", "stall_for_s=5", f"sync={sync}")
        delivered = sum(len(batch["payload"]) for batch in run.of("batch"))
        print(
            f"{label:<22} {len(run.valid):>16} {run.summary['missed']:>14} "
            f"{run.summary['dropped']:>16} {delivered:>9}"
        )


def vl53l0x_valid_hz(
    budget_ms: float, interval_ms: float, loop_ms: float, seed: int, seconds: float = 60
) -> float:
    """Valid readings/s of ESPHome's VL53L0X driver under the simulator's loop disturbances."""
    rng = random.Random(seed)
    t = 0.0  # ms
    next_update = 0.0
    last_phase = -loop_ms
    next_components = 16.0
    done_at: float | None = None  # measurement in flight: when it completes
    valid = 0
    while t < seconds * 1000:
        if t >= next_update:  # scheduler: update()
            if done_at is None:
                done_at = t + 0.5 + budget_ms  # the start sequence over I2C, then the measurement
            next_update = float(int(t)) + interval_ms  # the scheduler: now (ms) + interval
        if t - last_phase >= loop_ms:  # component phase: loop()
            last_phase = t
            if done_at is not None and t >= done_at:
                valid += 1
                done_at = None
        wake = min(next_update, last_phase + loop_ms)
        t = max(t, float(int(wake)) if wake == int(wake) else float(int(wake) + 1))
        t += 0.01 + rng.random() * 0.07
        if t >= next_components:
            t += 0.2 + rng.random() * 0.8
            next_components = t + 16
        roll = rng.random()
        if roll < 0.002:
            t += 4 + rng.random() * 8
        elif roll < 0.022:
            t += 1 + rng.random() * 3
    return valid / seconds


def vl53l0x_table() -> None:
    print("\nVL53L0X (ESPHome's driver, modelled): valid readings per second")
    print(f"{'settings':<44} {'nominal':>7} {'valid/s':>7}")
    for budget, interval, loop, label in (
        (30, 33, 16, "30 ms budget, 33 ms interval, 16 ms loop (old)"),
        (20, 33, 16, "20 ms budget, 33 ms interval, 16 ms loop"),
        (20, 40, 16, "20 ms budget, 40 ms interval, 16 ms loop"),
        (20, 33, 4, "20 ms budget, 33 ms interval, 4 ms loop"),
        (20, 40, 4, "20 ms budget, 40 ms interval, 4 ms loop (new)"),
    ):
        rate = statistics.mean(vl53l0x_valid_hz(budget, interval, loop, seed) for seed in SEEDS)
        print(f"{label:<44} {1000 / interval:>7.1f} {rate:>7.1f}")


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        simulator = build(Path(workdir))
        vl53l1x_table(simulator)
        mqtt_table(simulator)
    vl53l0x_table()


if __name__ == "__main__":
    main()
