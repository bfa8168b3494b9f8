"""The VL53L1X firmware's timing and recovery, on the host: the real ranging core
(components/rep_coach_vl53l1x/ranging_core.cpp) and the batcher's keeping policy
(components/rep_coach/sample_buffer.h), driven by ranging_sim.cpp.

The simulated sensor ranges on its own clock (a drifting period), raises data-ready at each
completion and overwrites an unread result with the next; the simulated ESPHome loop fires a 1 ms
interval late by wake-up latency, the other components' loop phase and random busy spells. All times
are simulated: nothing here depends on how fast this machine runs.
"""

from __future__ import annotations

import itertools
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest

from custom_components.rep_coach.engine.protocol import decode_payload

from .conftest import COMPONENTS, compile_cpp

SIMULATOR = Path(__file__).with_name("ranging_sim.cpp")
PERIOD_US = 20_000
STALL_PERIODS = 5
WARM_UP_TIMEOUT_US = 500_000
STATUS_STALLED = 254
STATUS_I2C = 255
# A loop busier than the default: 2.5x the busy spells of 1-4 ms, 5x those of 4-12 ms.
BUSY_LOOP = ("busy_p=0.05", "long_busy_p=0.01", "long_busy_max_ms=12")

type Event = dict[str, Any]


def build_simulator(compiler: str, directory: Path, *flags: str) -> Path:
    """ranging_sim.cpp with the real ranging core, built into `directory`."""
    binary = directory / "ranging_sim"
    compile_cpp(
        compiler,
        [
            *flags,
            "-I",
            str(COMPONENTS / "rep_coach_vl53l1x"),
            "-I",
            str(COMPONENTS / "rep_coach"),
            str(SIMULATOR),
            str(COMPONENTS / "rep_coach_vl53l1x" / "ranging_core.cpp"),
            "-o",
            str(binary),
        ],
        directory,
    )
    return binary


@pytest.fixture(scope="module")
def simulator(compiler: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_simulator(compiler, tmp_path_factory.mktemp("ranging_sim"))


@dataclass
class Run:
    """What one simulation printed, in order."""

    lines: list[Event]

    def of(self, kind: str) -> list[Event]:
        return [line for line in self.lines if line["type"] == kind]

    @cached_property
    def origin_us(self) -> int:
        origin: int = self.of("start")[0]["origin_us"]
        return origin

    @cached_property
    def completions(self) -> dict[int, int]:
        """Measurement index -> when the sensor completed it (µs from the start)."""
        return {line["k"]: line["us"] for line in self.of("completion")}

    @cached_property
    def readings(self) -> list[Event]:
        return self.of("reading")

    @cached_property
    def valid(self) -> list[Event]:
        """Readings of a measurement (k is the measurement the sensor returned)."""
        return [reading for reading in self.readings if reading["k"] >= 0]

    @property
    def events(self) -> list[tuple[str, str]]:
        return [(line["event"], line["cause"]) for line in self.of("event")]

    @property
    def summary(self) -> Event:
        return self.of("summary")[0]

    def timestamp_errors_ms(self) -> Iterator[int]:
        """Published t minus what the device's millis() read at the true completion."""
        for reading in self.valid:
            yield reading["t_ms"] - (self.origin_us + self.completions[reading["k"]]) // 1000

    def completion_errors_us(self) -> Iterator[int]:
        """The core's completion estimate minus the true completion, µs."""
        for reading in self.valid:
            yield reading["completed_us"] - self.completions[reading["k"]]

    def seqs(self) -> list[int]:
        """The seq the batcher gave each reading: one more each, plus the ones lost before it."""
        seq, out = 0, []
        for reading in self.readings:
            seq += reading["missed"]
            out.append(seq)
            seq += 1
        return out


def simulate(simulator: Path, *params: str) -> Run:
    result = subprocess.run(
        [str(simulator), *params], capture_output=True, text=True, check=True, timeout=120
    )
    return Run([json.loads(line) for line in result.stdout.splitlines()])


def _assert_each_measurement_once(run: Run, first: int = 0) -> None:
    """Every measurement from `first` on is read exactly once, in order (the last may be pending)."""
    ks = [reading["k"] for reading in run.valid if reading["k"] >= first]
    last = max(run.completions)
    assert ks == list(range(first, ks[-1] + 1)), "lost or duplicated readings"
    assert ks[-1] >= last - 1


# ±5 % and beyond: ST's own driver sets the period with a 1.075 factor and reads it back with 1.065.
@pytest.mark.parametrize("drift", ["-0.075", "-0.05", "0", "0.05", "0.075"])
@pytest.mark.parametrize("loop", [(), BUSY_LOOP], ids=["typical-loop", "busy-loop"])
def test_every_measurement_is_read_once_and_timed_at_completion(
    simulator: Path, drift: str, loop: tuple[str, ...]
) -> None:
    run = simulate(simulator, "duration_s=60", f"drift={drift}", "seed=7", *loop)

    _assert_each_measurement_once(run)
    assert all(reading["missed"] == 0 for reading in run.readings)
    assert max(abs(error) for error in run.timestamp_errors_ms()) <= 2
    times = [reading["completed_us"] for reading in run.valid]
    assert times == sorted(set(times)), "timestamps strictly increase"
    # The rate the stream carries is the rate the sensor really measured at.
    published_hz = (len(run.valid) - 1) / ((run.valid[-1]["t_ms"] - run.valid[0]["t_ms"]) / 1000)
    ks = sorted(run.completions)
    real_hz = (len(ks) - 1) / ((run.completions[ks[-1]] - run.completions[ks[0]]) / 1e6)
    assert published_hz == pytest.approx(real_hz, rel=1e-3)
    assert real_hz == pytest.approx(1e6 / (PERIOD_US * (1 + float(drift))), rel=1e-3)


def test_the_sensor_is_read_only_when_a_result_is_due(simulator: Path) -> None:
    """The loop polls every millisecond, the bus sees a data-ready read only near each completion."""
    run = simulate(simulator, "duration_s=30", "drift=0.05")

    reads_per_measurement = run.summary["ready_reads"] / len(run.completions)
    assert reads_per_measurement < 0.3 * PERIOD_US / 1000


def test_the_first_reading_after_start_carries_its_distance(simulator: Path) -> None:
    """ULD status 6 (valid, wrap-around not checked yet) is a valid reading, sent as status 0."""
    run = simulate(simulator, "duration_s=1")
    first = run.readings[0]
    assert (first["k"], first["status"]) == (0, 0)


def test_readings_the_loop_could_not_take_in_time_are_counted(simulator: Path) -> None:
    """A loop blocked for 60 ms lets the sensor overwrite results: each loss is a seq gap."""
    run = simulate(simulator, "duration_s=30", "block_every_s=3", "block_ms=60", "drift=0.03")

    missed = sum(reading["missed"] for reading in run.readings)
    read = {reading["k"] for reading in run.valid}
    assert missed == len(run.completions) - len(read) > 0
    # Measurement k went out with seq k: the gaps are exactly the readings the sensor overwrote.
    delivered = [reading for batch in run.of("batch") for reading in batch["payload"]]
    assert [reading["seq"] for reading in delivered] == [
        reading["k"] for reading in run.readings[: len(delivered)]
    ]
    assert max(abs(error) for error in run.timestamp_errors_ms()) <= 2


def test_a_long_block_keeps_every_reading_in_place(simulator: Path) -> None:
    """After 3 s without polling (past the stream count's 128-cycle) the next reading sits right."""
    run = simulate(simulator, "duration_s=8", "block_every_s=4", "block_ms=3000")

    after = next(r for r in run.valid if r["missed"] > 0)
    assert after["missed"] > 128
    assert after["k"] - after["missed"] - 1 == run.valid[run.valid.index(after) - 1]["k"]
    assert max(abs(error) for error in run.timestamp_errors_ms()) <= 2


@pytest.mark.parametrize("glitch", ["clear_fail_p=0.05", "ready_fail_p=0.05"])
def test_transient_i2c_errors_lose_and_repeat_nothing(simulator: Path, glitch: str) -> None:
    """A failed interrupt clear leaves data-ready up: the same result is not reported twice."""
    run = simulate(simulator, "duration_s=30", "seed=3", glitch)

    _assert_each_measurement_once(run)
    assert run.summary["reinits"] == 0


def test_a_result_lost_on_the_bus_is_reported_in_its_place(simulator: Path) -> None:
    run = simulate(simulator, "duration_s=30", "read_fail_p=0.02")

    failed = {line["k"] for line in run.of("read_failed")}
    lost = [reading for reading in run.readings if reading["status"] == STATUS_I2C]
    assert len(lost) == len(failed) > 0
    read = {reading["k"] for reading in run.valid}
    assert read | failed == set(range(len(read | failed)))
    assert not read & failed
    assert all(reading["missed"] == 0 for reading in run.readings)


def test_warm_up_waits_for_a_slow_first_measurement(simulator: Path) -> None:
    """The first measurement runs on the default table (~100 ms budget): 300 ms is still fine."""
    run = simulate(simulator, "warm_up_ms=300", "duration_s=1")

    assert run.events == [("started", "none")]
    assert run.of("event")[0]["at_us"] > 300_000
    assert run.valid


def test_a_sensor_still_ranging_from_before_is_restarted(simulator: Path) -> None:
    """After an ESP32 reset the sensor may still range with old settings: a soft reset restarts it."""
    run = simulate(simulator, "initial=ranging", "xshut=0", "duration_s=2")

    assert run.events == [("started", "none")]
    started = run.of("event")[0]["at_us"]
    first_after = min(k for k, us in run.completions.items() if us > started)
    assert run.valid[0]["k"] == first_after
    _assert_each_measurement_once(run, first=first_after)


def test_a_warm_up_that_never_ends_is_reported_and_retried(simulator: Path) -> None:
    run = simulate(simulator, "warm_up_ms=-1", "duration_s=5")

    assert run.events == [("failed", "warm_up_timeout")] * 3
    powered = [line["at_us"] for line in run.of("power") if line["on"]]
    failures = [line["at_us"] for line in run.of("event")]
    # Each attempt gives the measurement 500 ms, then waits 1 s, 2 s, ... before the next.
    for power_on, failed in zip(powered, failures, strict=True):
        assert WARM_UP_TIMEOUT_US < failed - power_on < WARM_UP_TIMEOUT_US + 20_000
    gaps = [start - failed for failed, start in zip(failures, powered[1:], strict=False)]
    assert gaps == pytest.approx([1_000_000, 2_000_000], abs=10_000)
    assert [reading["status"] for reading in run.readings] == [STATUS_STALLED] * 3
    assert run.summary["reinits"] == 2


def test_an_i2c_error_during_warm_up_is_reported(simulator: Path) -> None:
    run = simulate(
        simulator, "i2c_down_s=0.02", "i2c_down_for_s=0.3", "i2c_down_in=warm_up", "duration_s=2"
    )

    assert run.events == [("failed", "warm_up_i2c_error"), ("started", "none")]
    assert run.readings[0]["status"] == STATUS_I2C
    assert run.summary["reinits"] == 1
    assert run.valid


def test_a_missing_sensor_is_reported_and_retried_less_and_less_often(simulator: Path) -> None:
    run = simulate(simulator, "present=0", "duration_s=8")

    assert set(run.events) == {("failed", "no_sensor")}
    failures = [line["at_us"] for line in run.of("event")]
    gaps = [b - a for a, b in itertools.pairwise(failures)]
    assert gaps == sorted(gaps)
    assert gaps[-1] > 3 * gaps[0]
    assert {reading["status"] for reading in run.readings} == {STATUS_I2C}


@pytest.mark.parametrize("xshut", ["1", "0"], ids=["xshut", "software-reset"])
def test_a_stalled_sensor_is_reset_and_ranging_resumes(simulator: Path, xshut: str) -> None:
    run = simulate(simulator, "reset_at_s=5", "duration_s=8", f"xshut={xshut}")

    assert run.events == [("started", "none"), ("stalled", "stalled"), ("started", "none")]
    (reset,) = run.of("sensor_reset")
    last_before = max(us for us in run.completions.values() if us <= reset["at_us"])
    stalled = run.of("event")[1]
    assert stalled["at_us"] - last_before <= (STALL_PERIODS + 1) * PERIOD_US
    (failure,) = [r for r in run.readings if r["status"] == STATUS_STALLED]
    assert failure["at_us"] == stalled["at_us"]
    power_cycles = [line for line in run.of("power") if line["at_us"] >= stalled["at_us"]]
    assert [line["on"] for line in power_cycles] == ([False, True] if xshut == "1" else [])
    assert run.summary["reinits"] == 1
    restarted = run.of("event")[2]["at_us"]
    first_after = min(k for k, us in run.completions.items() if us > restarted)
    _assert_each_measurement_once(run, first=first_after)


def test_an_i2c_outage_is_survived(simulator: Path) -> None:
    run = simulate(simulator, "i2c_down_s=4", "i2c_down_for_s=2.5", "duration_s=10")

    assert run.events[:2] == [("started", "none"), ("stalled", "i2c_failing")]
    assert run.events[-1] == ("started", "none")
    assert all(cause == "no_sensor" for event, cause in run.events[2:-1])
    outage = [r for r in run.readings if 4_000_000 <= r["at_us"] < 6_500_000]
    assert outage
    assert {reading["status"] for reading in outage} == {STATUS_I2C}
    assert run.valid[-1]["at_us"] > 9_900_000
    assert run.summary["reinits"] == len(run.events) - 2


def test_a_stalled_mqtt_link_neither_stops_the_readings_nor_loses_the_newest(
    simulator: Path,
) -> None:
    """Wi-Fi stalls for 5 s: publishing only queues (29 messages), so the loop keeps reading; when
    the queue is full the batcher keeps the newest 20 readings, sent as one batch afterwards."""
    run = simulate(simulator, "duration_s=15", "stall_at_s=5", "stall_for_s=5")

    _assert_each_measurement_once(run)
    assert all(reading["missed"] == 0 for reading in run.readings)
    batches = run.of("batch")
    for batch in batches:
        assert decode_payload(json.dumps(batch["payload"])).error is None
    delivered = [reading["seq"] for batch in batches for reading in batch["payload"]]
    assert delivered == sorted(set(delivered)), "no duplicate, no reordering"
    gaps = [(a, b) for a, b in itertools.pairwise(delivered) if b != a + 1]
    assert len(gaps) == 1
    assert gaps[0][1] - gaps[0][0] - 1 == run.summary["dropped"] > 0
    assert run.summary["refused"] > 0
    # The batch that ended the gap is the 20 newest readings when the link came back.
    (kept,) = [batch for batch in batches if batch["payload"][0]["seq"] == gaps[0][1]]
    assert len(kept["payload"]) == 20
    newest = max(i for i, r in enumerate(run.readings) if r["at_us"] <= kept["at_us"])
    assert kept["payload"][-1]["seq"] == run.seqs()[newest]
