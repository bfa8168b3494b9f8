"""The sensor emulator: pure batching, payloads, CSV and pacing, then the real protocol on a
real Mosquitto."""

from __future__ import annotations

import argparse
import logging
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from custom_components.rep_coach.engine import RepEngine
from custom_components.rep_coach.engine.protocol import (
    SensorAnnouncement,
    decode_payload,
    discovery_topic,
    samples_topic,
    status_topic,
)
from rep_coach_tools import emulate
from rep_coach_tools.batches import Batch, encode_readings, plan_batches
from rep_coach_tools.emulate import (
    EmulatedSensor,
    EndMode,
    Pacer,
    estimate_rate_hz,
    read_csv,
    shift_readings,
    stream,
)
from rep_coach_tools.mqtt_client import FLUSH_TIMEOUT_S, BrokerAddress, parse_broker
from rep_coach_tools.simulator import SimReading, simulate_session
from tests.mosquitto import Broker, MosquittoServer, free_port

from .conftest import Received, Recorder, run_command

type MakeReadings = Callable[..., list[SimReading]]
type StartRecorder = Callable[..., Recorder]


def reading(
    t: float, *, arrival: float | None = None, d: float | None = 500.0, seq: int = 0
) -> SimReading:
    return SimReading(
        t=t,
        arrival_t=t if arrival is None else arrival,
        device_ms=round(t * 1000),
        seq=seq,
        distance_mm=d,
        status=0 if d is not None else 4,
    )


def emulate_command(argv: list[str]) -> int:
    """``rep-coach emulate ...`` through the module's own ``register``."""
    return run_command(emulate.register, argv)


# --- Batching -------------------------------------------------------------------------------


def test_simulated_readings_go_on_the_wire_as_the_firmware_writes_them() -> None:
    readings = [reading(0.0, d=412.04, seq=7), reading(0.02, d=None, seq=8)]
    decoded = decode_payload(encode_readings(readings))
    assert [(r.d, r.t, r.seq, r.status) for r in decoded.readings] == [
        (412.0, 0, 7, 0),
        (None, 20, 8, 4),
    ]


def test_batches_follow_the_firmware_interval() -> None:
    readings = [reading(i / 50, arrival=i / 50 + 0.013, seq=i) for i in range(23)]
    batches = plan_batches(readings)
    assert [len(batch.readings) for batch in batches] == [5, 5, 5, 5, 3]
    assert [r.seq for batch in batches for r in batch.readings] == list(range(23))
    # A message leaves once its last reading is there.
    assert batches[0].send_t == pytest.approx(0.08 + 0.013)


def test_batches_keep_order_when_wifi_delivers_late() -> None:
    late_first = [reading(0.0, arrival=0.5), reading(0.1, arrival=0.12), reading(0.2, arrival=0.21)]
    assert [batch.send_t for batch in plan_batches(late_first)] == [0.5, 0.5, 0.5]


def test_batches_split_at_max_batch() -> None:
    readings = [reading(i / 500, seq=i) for i in range(50)]  # 500 Hz: 50 readings in 100 ms
    assert [len(b.readings) for b in plan_batches(readings)] == [20, 20, 10]
    assert [len(b.readings) for b in plan_batches(readings, max_batch=8)][:2] == [8, 8]


@pytest.mark.parametrize(("interval", "max_batch"), [(0.0, 20), (0.1, 0), (0.1, 21)])
def test_bad_batching_is_refused(interval: float, max_batch: int) -> None:
    with pytest.raises(ValueError, match="must be"):
        plan_batches([reading(0.0)], interval_s=interval, max_batch=max_batch)


# --- Sources --------------------------------------------------------------------------------


def test_csv_replay_keeps_missing_readings_and_skips_unplaceable_rows(
    caplog: pytest.LogCaptureFixture,
) -> None:
    lines = [
        "t,distance_mm",
        "10.00,600",
        "10.02,",
        "",
        "10.04,abc",
        "oops,600",
        "10.03,600",
        "10.06,nan",
        "10.08,-5",
        "10.10,598.5",
    ]
    with caplog.at_level(logging.WARNING):
        report = read_csv(lines, source="test.csv")
    assert report.skipped_rows == 2
    assert "test.csv line 6" in caplog.text
    assert "test.csv line 7" in caplog.text
    assert [(r.device_ms, r.seq, r.distance_mm, r.status) for r in report.readings] == [
        (0, 0, 600.0, 0),
        (20, 1, None, 4),
        (40, 2, None, 4),
        (60, 3, None, 4),
        (80, 4, None, 4),
        (100, 5, 598.5, 0),
    ]


def test_csv_without_header_is_refused() -> None:
    with pytest.raises(ValueError, match="t,distance_mm"):
        read_csv(["0.0,600", "0.02,601"])


def test_rate_is_estimated_from_the_median_period(make_readings: MakeReadings) -> None:
    assert estimate_rate_hz(make_readings(reps=1, rate_hz=25)) == 25
    assert estimate_rate_hz([reading(0.0)]) == 50


def test_repeated_sessions_continue_the_device_clock_and_sequence(
    make_readings: MakeReadings,
) -> None:
    first = make_readings(reps=1)
    second = shift_readings(make_readings(reps=1), first[-1])
    assert second[0].seq == first[-1].seq + 1
    assert second[0].device_ms == first[-1].device_ms + 20
    assert second[0].t == pytest.approx(first[-1].t + 0.02)
    assert [r.distance_mm for r in second] == [r.distance_mm for r in first]
    assert shift_readings(first, None) == first


# --- Pacing ---------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.mark.parametrize(("speed", "expected"), [(1.0, [0.1, 0.4]), (2.0, [0.05, 0.2]), (0, [])])
def test_pacer_follows_arrival_times_scaled_by_speed(speed: float, expected: list[float]) -> None:
    clock = FakeClock()
    pacer = Pacer(speed=speed, clock=clock, sleep=clock.sleep)
    for send_t in (5.0, 5.1, 5.5):
        pacer.wait_for(Batch(send_t, (reading(0.0),)))
    assert clock.sleeps == pytest.approx(expected)


def test_pacer_does_not_wait_when_publishing_is_behind() -> None:
    clock = FakeClock()
    pacer = Pacer(speed=1.0, clock=clock, sleep=clock.sleep)
    pacer.wait_for(Batch(0.0, (reading(0.0),)))
    clock.now += 1.0  # publishing took longer than the gap
    pacer.wait_for(Batch(0.5, (reading(0.5),)))
    assert clock.sleeps == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("localhost", BrokerAddress("localhost", 1883)),
        ("10.1.2.3:1884", BrokerAddress("10.1.2.3", 1884)),
        ("[::1]:1885", BrokerAddress("::1", 1885)),
        ("::1", BrokerAddress("::1", 1883)),
    ],
)
def test_broker_addresses(text: str, expected: BrokerAddress) -> None:
    assert parse_broker(text) == expected


@pytest.mark.parametrize("text", [":1883", "host:0", "host:99999", "host:port"])
def test_bad_broker_addresses_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="broker"):
        parse_broker(text)


# --- On a real broker -------------------------------------------------------------------------


def _samples(recorder: Recorder, sensor_id: str) -> list[Received]:
    return recorder.on(samples_topic(sensor_id))


def _status_is(recorder: Recorder, sensor_id: str, payload: str) -> Callable[..., bool]:
    return lambda _messages: any(m.text == payload for m in recorder.on(status_topic(sensor_id)))


@pytest.mark.e2e
def test_emulated_session_is_counted_by_the_engine(
    mosquitto: Broker, mqtt_recorder: StartRecorder, make_readings: MakeReadings
) -> None:
    sensor_id = "bench_e2e"
    recorder = mqtt_recorder("rep_coach/#")
    readings = make_readings(reps=3, away_s=0)
    sensor = EmulatedSensor(
        parse_broker(mosquitto.address), SensorAnnouncement.for_sensor(sensor_id, rate_hz=50)
    )
    stats = stream(sensor, iter([readings, readings]), Pacer(speed=0))
    sensor.close(EndMode.OFFLINE)
    recorder.wait_for(_status_is(recorder, sensor_id, "offline"), "offline")

    assert (stats.sessions, stats.readings) == (2, 2 * len(readings))
    (announcement,) = recorder.on(discovery_topic(sensor_id))
    assert announcement.json() == SensorAnnouncement.for_sensor(sensor_id).payload()
    assert [m.text for m in recorder.on(status_topic(sensor_id))] == ["online", "offline"]
    samples = _samples(recorder, sensor_id)
    assert len(samples) == stats.messages
    assert not any(m.retain for m in samples)
    engine = RepEngine()
    seqs: list[int] = []
    for index, message in enumerate(samples):
        result = engine.feed_payload(message.payload, index * 0.1)
        assert result.error is None
        seqs += [item["seq"] for item in message.json()]
    assert seqs == list(range(2 * len(readings)))
    assert engine.state.total_reps == 6


@pytest.mark.e2e
def test_announcement_and_status_are_retained(
    mosquitto: Broker, mqtt_recorder: StartRecorder, make_readings: MakeReadings
) -> None:
    sensor_id = "bench_retained"
    sensor = EmulatedSensor(
        parse_broker(mosquitto.address), SensorAnnouncement.for_sensor(sensor_id)
    )
    stream(sensor, iter([make_readings(reps=0)]), Pacer(speed=0))
    sensor.close(EndMode.OFFLINE)

    # A client that subscribes afterwards (Home Assistant starting later) still learns both.
    late = mqtt_recorder("rep_coach/#")
    late.wait_for(lambda messages: len(messages) >= 2, "retained messages")
    assert {(m.topic, m.retain) for m in late.messages} == {
        (discovery_topic(sensor_id), True),
        (status_topic(sensor_id), True),
    }
    assert late.on(status_topic(sensor_id))[0].text == "offline"


@pytest.mark.e2e
def test_dropped_connection_publishes_the_last_will(
    mosquitto: Broker, mqtt_recorder: StartRecorder, make_readings: MakeReadings
) -> None:
    sensor_id = "bench_power_cut"
    recorder = mqtt_recorder(status_topic(sensor_id))
    sensor = EmulatedSensor(
        parse_broker(mosquitto.address), SensorAnnouncement.for_sensor(sensor_id)
    )
    stream(sensor, iter([make_readings(reps=0)]), Pacer(speed=0))
    sensor.close(EndMode.DROP)
    recorder.wait_for(_status_is(recorder, sensor_id, "offline"), "the last will")
    assert [m.text for m in recorder.messages] == ["online", "offline"]


@pytest.mark.e2e
def test_cli_replays_a_csv(
    mosquitto: Broker,
    mqtt_recorder: StartRecorder,
    make_readings: MakeReadings,
    tmp_path: Path,
) -> None:
    readings = make_readings(reps=2, rate_hz=25)
    csv_file = tmp_path / "session.csv"
    csv_file.write_text(
        "t,distance_mm\n"
        + "".join(
            f"{r.t:.3f},{'' if r.distance_mm is None else f'{r.distance_mm:.1f}'}\n"
            for r in readings
        )
    )
    recorder = mqtt_recorder("rep_coach/#")
    argv = ["emulate", "--broker", mosquitto.address, "--sensor-id", "bench_csv"]
    assert emulate_command([*argv, "--csv", str(csv_file), "--speed", "0"]) == 0
    recorder.wait_for(_status_is(recorder, "bench_csv", "offline"), "offline")

    (announcement,) = recorder.on(discovery_topic("bench_csv"))
    assert announcement.json()["rate_hz"] == 25
    engine = RepEngine()
    for index, message in enumerate(_samples(recorder, "bench_csv")):
        engine.feed_payload(message.payload, index * 0.1)
    assert engine.state.total_reps == 2


def test_cli_reports_bad_arguments(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert emulate_command(["emulate", "--broker", "localhost:0"]) == 2
    assert "port must be 1-65535" in capsys.readouterr().err
    assert emulate_command(["emulate", "--broker", "localhost", "--sensor-id", "Bad-Id"]) == 2
    assert "lowercase" in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    empty.write_text("t,distance_mm\n")
    assert emulate_command(["emulate", "--broker", "localhost", "--csv", str(empty)]) == 2
    assert "no usable rows" in capsys.readouterr().err
    csv_argv = ["emulate", "--broker", "localhost", "--csv", str(empty), "--rate", "50"]
    assert emulate_command(csv_argv) == 2
    assert "--rate applies to simulated sessions" in capsys.readouterr().err
    assert emulate_command(["emulate", "--broker", "localhost", "--rate", "0"]) == 2
    assert "must be above 0" in capsys.readouterr().err


def test_cli_reports_an_unreachable_broker(
    socket_enabled: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    csv_file = tmp_path / "one.csv"
    csv_file.write_text("t,distance_mm\n0,600\n")
    port = free_port()  # nothing listens there
    argv = ["emulate", "--broker", f"127.0.0.1:{port}", "--csv", str(csv_file)]
    assert emulate_command(argv) == 1
    assert "cannot connect" in capsys.readouterr().err


@pytest.mark.e2e
def test_cli_sends_a_simulated_session_unchanged(
    mosquitto: Broker, mqtt_recorder: StartRecorder
) -> None:
    session = simulate_session(3)
    recorder = mqtt_recorder("rep_coach/#")
    argv = ["emulate", "--broker", mosquitto.address, "--sensor-id", "bench_sim", "--seed", "3"]
    assert emulate_command([*argv, "--speed", "0"]) == 0
    recorder.wait_for(_status_is(recorder, "bench_sim", "offline"), "offline")

    (announcement,) = recorder.on(discovery_topic("bench_sim"))
    assert announcement.json()["rate_hz"] == round(session.rate_hz)
    planned = [batch.payload for batch in plan_batches(session.readings)]
    assert [m.text for m in _samples(recorder, "bench_sim")] == planned


@pytest.mark.e2e
@pytest.mark.parametrize("mode", ["repeat_forever", "stay_online"])
def test_stopping_the_emulator_says_offline(
    mosquitto: Broker, mqtt_recorder: StartRecorder, tmp_path: Path, mode: str
) -> None:
    recorder = mqtt_recorder("rep_coach/#")
    command = [sys.executable, "-m", "rep_coach_tools.cli", "emulate"]
    argv = ["--broker", mosquitto.address, "--sensor-id", "bench_stop"]
    if mode == "repeat_forever":
        argv += ["--repeat", "0"]
    else:
        csv_file = tmp_path / "short.csv"
        csv_file.write_text("t,distance_mm\n0,600\n0.02,601\n")
        argv += ["--csv", str(csv_file), "--speed", "0", "--end", "stay"]
    process = subprocess.Popen([*command, *argv], stderr=subprocess.PIPE, text=True)
    said: list[str] = []
    # The goodbye waits at most FLUSH_TIMEOUT_S for the broker: give it that and more under load.
    patience = FLUSH_TIMEOUT_S + 30.0
    watchdog = threading.Timer(2 * patience, process.kill)  # a hung emulator fails, never hangs
    watchdog.start()
    try:
        recorder.wait_for(lambda _m: bool(_samples(recorder, "bench_stop")), "samples")
        if mode == "stay_online":
            # The summary is printed after the last batch is published: stop only once it was
            # said (the sample can reach the broker before the line reaches stderr).
            assert process.stderr is not None
            for line in process.stderr:
                said.append(line)
                if "Sent 2 readings" in line:
                    break
        process.send_signal(signal.SIGTERM)
        _, rest = process.communicate(timeout=patience)
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
    stderr = "".join(said) + rest
    # 130: the signal became an interrupt, so the emulator said goodbye itself (no last will).
    assert process.returncode == 130, stderr
    recorder.wait_for(_status_is(recorder, "bench_stop", "offline"), "offline")
    if mode == "stay_online":
        assert "Sent 2 readings in 1 messages" in stderr


@pytest.mark.e2e
def test_emulator_announces_again_after_a_broker_restart(
    mosquitto_server: MosquittoServer, mqtt_recorder: StartRecorder, make_readings: MakeReadings
) -> None:
    broker = mosquitto_server.broker
    sensor = EmulatedSensor(
        parse_broker(broker.address), SensorAnnouncement.for_sensor("bench_again")
    )
    mosquitto_server.stop()  # the broker forgets everything (no persistence)
    mosquitto_server.start()
    recorder = mqtt_recorder("rep_coach/#")
    recorder.wait_for(
        lambda _messages: bool(recorder.on(discovery_topic("bench_again"))), "the announcement"
    )
    recorder.wait_for(_status_is(recorder, "bench_again", "online"), "online again")
    stream(sensor, iter([make_readings(reps=0)]), Pacer(speed=0))
    sensor.close(EndMode.OFFLINE)
    recorder.wait_for(_status_is(recorder, "bench_again", "offline"), "offline")
    assert _samples(recorder, "bench_again")


def test_repeated_simulated_sessions_keep_one_sample_rate() -> None:
    parser = argparse.ArgumentParser()
    emulate.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["emulate", "--broker", "b", "--seed", "5", "--repeat", "3"])
    sessions, rate_hz = emulate.sessions_from_args(args)
    rates = [estimate_rate_hz(readings) for readings in sessions]
    assert rates == [rate_hz] * 3
    assert rate_hz == round(simulate_session(5).rate_hz)
