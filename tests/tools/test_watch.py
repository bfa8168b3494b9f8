"""``rep-coach watch``: pure rendering, the engine-feeding Watcher, the terminal Display, and the
whole command against a real Mosquitto fed by the emulator."""

from __future__ import annotations

import argparse
import io
import json
import threading
from collections.abc import Callable
from dataclasses import replace

import pytest

from custom_components.rep_coach.engine import (
    EngineEvent,
    EngineSettings,
    EngineState,
    FormWarning,
    HoldReachedEvent,
    Phase,
    PresenceEvent,
    RepEngine,
    RepEvent,
    RestFinishedEvent,
    RestStartedEvent,
    SensorEvent,
    SensorState,
    SessionResetEvent,
    Side,
    SideStats,
    SideSwitchedEvent,
)
from custom_components.rep_coach.engine.protocol import (
    SensorAnnouncement,
    samples_topic,
    status_topic,
)
from rep_coach_tools import watch as watch_module
from rep_coach_tools.batches import plan_batches
from rep_coach_tools.emulate import EmulatedSensor, EndMode, Pacer, stream
from rep_coach_tools.mqtt_client import parse_broker
from rep_coach_tools.simulator import SimReading, simulate_session
from rep_coach_tools.watch import (
    CLEAR_LINE,
    Display,
    Incoming,
    Notice,
    RateMeter,
    Watcher,
    bar,
    hold_progress,
    render_event,
    render_status,
    resolve_topics,
)
from tests.events import form_warning_event, rep_event, set_end_event
from tests.mosquitto import Broker, free_port

type MakeReadings = Callable[..., list[SimReading]]

SETTINGS = EngineSettings(target_reps=10, sets_per_side=3, hold_target_s=2.0)
TOPIC = samples_topic("bench_w")
STATUS = status_topic("bench_w")


def state(**changes: object) -> EngineState:
    return replace(RepEngine(SETTINGS).state, **changes)  # type: ignore[arg-type]


# --- Rendering --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [(0.0, "[----------]"), (0.5, "[#####-----]"), (1.0, "[##########]"), (3.0, "[##########]")],
)
def test_bar_is_clamped(fraction: float, expected: str) -> None:
    assert bar(fraction, 10) == expected
    assert bar(-1.0, 4) == "[----]"


def test_hold_progress_marks_the_target() -> None:
    assert hold_progress(1.0, 2.0, 4) == "hold [##--] 1.0/2.0 s"
    assert hold_progress(2.4, 2.0, 4) == "hold [####] 2.4/2.0 s ok"


def test_status_while_holding_shows_the_hold_bar_and_hip_height() -> None:
    line = render_status(
        state(
            phase=Phase.HOLDING,
            present=True,
            in_set=True,
            reps_this_set=3,
            set_number=2,
            hold_elapsed_s=1.0,
            position_pct=95.0,
            left=SideStats(reps=13),
        ),
        SETTINGS,
        now=0.0,
        online=True,
        rate_hz=49.6,
    )
    assert line == (
        "LEFT set 2/3  reps 3/10  HOLDING  hold [##########----------] 1.0/2.0 s  "
        "hips [##########]  95%  L 13 R 0  50 Hz"
    )


def test_status_while_resting_counts_down_to_the_next_set() -> None:
    line = render_status(
        state(phase=Phase.RESTING, side=Side.RIGHT, set_number=1, rest_ends_t=100.0),
        SETTINGS,
        now=58.2,
    )
    assert line.startswith("RESTING 42 s, then RIGHT set 1")


def test_status_flags_an_offline_or_unhealthy_sensor() -> None:
    line = render_status(state(sensor_state=SensorState.NO_TARGET), SETTINGS, now=0, online=False)
    assert line.startswith("SENSOR OFFLINE  AWAY: waiting for the lifter")
    assert line.endswith("sensor no target")


def test_status_without_rep_target() -> None:
    line = render_status(
        state(phase=Phase.READY, present=True, reps_this_set=4),
        replace(SETTINGS, target_reps=0),
        now=0,
    )
    assert "reps 4  READY" in line


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (
            rep_event(),
            "REP 3 (left, set 1): up 0.9 s, hold 1.7 s, lowering 2.3 s, range 199 mm (100%)",
        ),
        (
            rep_event(warnings=(FormWarning.HOLD_TOO_SHORT, FormWarning.LOWERED_TOO_FAST)),
            "REP 3 (left, set 1): up 0.9 s, hold 1.7 s, lowering 2.3 s, range 199 mm (100%)"
            " - hold too short, lowered too fast",
        ),
        (
            rep_event(complete=False, rom_mm=80.0, rom_pct=40.0),
            "partial rep (left, set 1): range 80 mm (40%), not counted",
        ),
        (
            HoldReachedEvent(t=1, side=Side.LEFT, set=1, rep=4, hold_target_s=2.0),
            "hold 2.0 s reached (rep 4)",
        ),
        (
            set_end_event(),
            "SET 2 done (right, target): 10/10 reps, mean hold 1.8 s, mean lowering 2.5 s",
        ),
        (
            SideSwitchedEvent(t=1, side=Side.RIGHT, previous=Side.LEFT),
            "switch legs: left -> right",
        ),
        (
            RestStartedEvent(t=1, duration_s=90.0, ends_t=91.0, next_side=Side.RIGHT, next_set=2),
            "rest 90 s, then right set 2",
        ),
        (
            RestFinishedEvent(t=1, next_side=Side.RIGHT, next_set=2, interrupted=True),
            "rest cut short: right set 2",
        ),
        (
            form_warning_event(),
            "form: lowered too fast (0.8s, target 2.0s): lower slowly, 2-3 s",
        ),
        (PresenceEvent(t=1, present=False), "lifter left the bench"),
        (
            SensorEvent(t=1, state=SensorState.NO_TARGET, previous=SensorState.OK),
            "sensor no target (was ok)",
        ),
        (SessionResetEvent(t=1), "session reset"),
        (SessionResetEvent(t=1, new_workout=True), "new workout (after a break)"),
    ],
)
def test_event_lines(event: EngineEvent, expected: str) -> None:
    assert render_event(event) == expected


@pytest.mark.parametrize("warning", list(FormWarning))
def test_every_form_warning_has_advice(warning: FormWarning) -> None:
    line = render_event(form_warning_event(warning=warning, value=1.0))
    assert line.startswith(f"form: {warning.replace('_', ' ')} (1.0")
    assert line.split(": ", 2)[2]


# --- Watcher ----------------------------------------------------------------------------------


def _messages(readings: list[SimReading]) -> list[Incoming]:
    return [
        Incoming(TOPIC, batch.payload.encode(), False, batch.send_t)
        for batch in plan_batches(readings)
    ]


def test_watcher_passes_every_engine_event_through(make_readings: MakeReadings) -> None:
    settings = replace(SETTINGS, hold_target_s=1.0)
    watcher = Watcher(RepEngine(settings), samples=TOPIC, status=STATUS)
    bare = RepEngine(settings)
    assert watcher.status_line(0.0) == f"waiting for data on {TOPIC}"
    outputs: list[object] = []
    expected: list[object] = []
    for message in _messages(make_readings(reps=3)):
        outputs += watcher.handle(message)
        expected += bare.feed_payload(message.payload, message.arrival_t).events
    assert outputs == expected
    reps = [out.rep for out in outputs if isinstance(out, RepEvent) and out.complete]
    assert reps == [1, 2, 3]
    assert any(isinstance(out, HoldReachedEvent) for out in outputs)
    assert watcher.engine.state.total_reps == 3
    assert "reps 3/10" in watcher.status_line(20.0)
    assert watcher.summary().startswith("session: left 3 reps in 0 set(s)")


def test_watcher_shows_the_device_rate_and_lost_readings(make_readings: MakeReadings) -> None:
    """The status line gives the rate by the sensor's clock and the readings lost by seq."""
    readings = make_readings(reps=2)
    missing = {10, 11, 12}  # three readings overwritten in the sensor or dropped with a batch
    watcher = Watcher(RepEngine(SETTINGS), samples=TOPIC, status=STATUS)
    for message in _messages([r for r in readings if r.seq not in missing]):
        watcher.handle(message)
    status = watcher.status_line(readings[-1].arrival_t)
    period_s = (readings[-1].device_ms - readings[0].device_ms) / 1000 / (len(readings) - 1)
    assert f"{1 / period_s * (len(readings) - 4) / (len(readings) - 1):.0f} Hz" in status
    assert "3 lost" in status
    assert "3 lost in 1 seq gaps" in watcher.summary()


def test_watcher_reports_bad_payloads_without_stopping(make_readings: MakeReadings) -> None:
    watcher = Watcher(RepEngine(SETTINGS), samples=TOPIC)
    (notice,) = watcher.handle(Incoming(TOPIC, b'[{"d": "far"}]', False, 0.0))
    assert isinstance(notice, Notice)
    assert notice.text.startswith(f"bad payload #1 on {TOPIC}: bad_fields (")
    outputs = [
        out for message in _messages(make_readings(reps=1)) for out in watcher.handle(message)
    ]
    assert any(isinstance(out, RepEvent) and out.complete for out in outputs)


def test_watcher_reports_only_some_of_a_flood_of_bad_payloads() -> None:
    watcher = Watcher(RepEngine(SETTINGS), samples=TOPIC)
    reported = [
        index
        for index in range(1, 301)
        if any(
            isinstance(out, Notice)
            for out in watcher.handle(Incoming(TOPIC, b"\xff\xfe", False, index * 0.01))
        )
    ]
    assert reported == [1, 2, 3, 4, 5, 100, 200, 300]
    assert watcher.bad_payloads == 300


def test_device_time_shows_true_timing_of_a_fast_replay(make_readings: MakeReadings) -> None:
    # The whole session arrives within 10 ms, as `emulate --speed 0` sends it. The readings'
    # device time times the reps whatever their arrival; --device-time runs the timers on it too.
    fast = [
        Incoming(TOPIC, batch.payload.encode(), False, index * 1e-4)
        for index, batch in enumerate(plan_batches(make_readings(reps=2)))
    ]
    by_arrival = Watcher(RepEngine(SETTINGS), samples=TOPIC)
    by_device = Watcher(RepEngine(SETTINGS), samples=TOPIC, device_time=True)
    for message in fast:
        by_arrival.handle(message)
        by_device.handle(message)
    for watcher in (by_arrival, by_device):
        assert watcher.engine.state.total_reps == 2
        last_rep = watcher.engine.state.last_rep
        assert last_rep is not None
        assert last_rep.lowering_s > 2.0
    assert by_device.clock_t(0.01) > 10.0 > by_arrival.clock_t(0.01)


def test_device_time_follows_a_device_restart() -> None:
    watcher = Watcher(RepEngine(SETTINGS), samples=TOPIC, device_time=True)
    for device_ms in (10_000, 12_000, 500, 1_500):
        payload = json.dumps([{"d": 600.0, "t": device_ms, "seq": device_ms, "status": 0}])
        watcher.handle(Incoming(TOPIC, payload.encode(), False, 0.0))
    # 2 s before the restart, then 1 s after it: the time line carries on.
    assert watcher.clock_t(99.0) == pytest.approx(3.0)


def test_watcher_follows_availability() -> None:
    watcher = Watcher(RepEngine(SETTINGS), samples=TOPIC, status=STATUS)
    assert watcher.handle(Incoming(STATUS, b"online", True, 0.0)) == [Notice("sensor online")]
    assert watcher.online is True
    assert watcher.handle(Incoming(STATUS, b"offline", False, 1.0)) == [Notice("sensor offline")]
    assert watcher.online is False
    (notice,) = watcher.handle(Incoming(STATUS, b"rebooting", False, 2.0))
    assert isinstance(notice, Notice)
    assert "unexpected availability" in notice.text
    assert watcher.online is False
    assert watcher.handle(Incoming("some/other/topic", b"1", False, 3.0)) == []


def test_watcher_ignores_a_retained_sample(make_readings: MakeReadings) -> None:
    watcher = Watcher(RepEngine(SETTINGS), samples=TOPIC)
    assert watcher.handle(Incoming(TOPIC, b"0.43", True, 0.0)) == []
    assert watcher.rate.rate(0.0) is None
    assert watcher.engine.counters.payloads == 0


def test_rate_meter_counts_readings_in_the_window() -> None:
    meter = RateMeter(window_s=2.0)
    for index in range(40):  # 10 messages/s of 5 readings
        meter.add(index * 0.1 + 0.05, 5)
    assert meter.rate(3.95) == pytest.approx(50.0)
    assert meter.rate(100.0) is None


# --- Display ----------------------------------------------------------------------------------


def test_display_on_a_terminal_keeps_the_status_line_below_events() -> None:
    out = io.StringIO()
    display = Display(out, io.StringIO(), progress=True)
    display.status("LEFT set 1")
    display.status("LEFT set 1")  # unchanged: not redrawn
    display.emit([PresenceEvent(t=1, present=True)])
    display.close("session: done")
    assert out.getvalue() == (
        f"{CLEAR_LINE}LEFT set 1"
        f"{CLEAR_LINE}lifter on the bench\nLEFT set 1"
        f"{CLEAR_LINE}session: done\n"
    )


def test_display_without_terminal_prints_plain_lines() -> None:
    out = io.StringIO()
    display = Display(out, io.StringIO(), progress=False)
    display.status("LEFT set 1")
    display.emit([Notice("sensor online"), PresenceEvent(t=1, present=True)])
    assert out.getvalue() == "sensor online\nlifter on the bench\n"


def test_display_json_lines() -> None:
    out, err = io.StringIO(), io.StringIO()
    display = Display(out, err, progress=True, json_lines=True)
    display.status("ignored")
    display.emit([Notice("sensor online"), PresenceEvent(t=1.23456, present=True)])
    display.close("summary")
    assert [json.loads(line) for line in out.getvalue().splitlines()] == [
        {"event": "presence", "t": 1.235, "present": True}
    ]
    assert err.getvalue() == "sensor online\nsummary\n"


# --- Command ----------------------------------------------------------------------------------


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    watch_module.register(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["watch", *argv])


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--sensor-id", "bench_w"], (TOPIC, STATUS)),
        (["--topic", TOPIC], (TOPIC, STATUS)),
        (["--topic", "bench/sensor/hip_distance/state"], ("bench/sensor/hip_distance/state", None)),
        (
            ["--topic", "bench/sensor/hip_distance/state", "--status-topic", "bench/status"],
            ("bench/sensor/hip_distance/state", "bench/status"),
        ),
    ],
)
def test_topics(argv: list[str], expected: tuple[str, str | None]) -> None:
    assert resolve_topics(_args("--broker", "localhost", *argv)) == expected


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--topic", "rep_coach/+/samples"], "without wildcards"),
        (["--sensor-id", "Bench"], "lowercase"),
        (["--sensor-id", "bench_w", "--broker", "host:x"], "port must be"),
    ],
)
def test_bad_arguments_exit_2(argv: list[str], message: str) -> None:
    err = io.StringIO()
    assert watch_module.watch(_args("--broker", "localhost", *argv), err=err) == 2
    assert message in err.getvalue()


@pytest.mark.e2e
def test_watch_shows_an_emulated_session_live(
    mosquitto: Broker, make_readings: MakeReadings
) -> None:
    out, err = io.StringIO(), io.StringIO()
    ready = threading.Event()
    args = _args(
        "--broker",
        mosquitto.address,
        "--sensor-id",
        "bench_w",
        "--json",
        "--exit-on-offline",
        "--device-time",
    )
    codes: list[int] = []
    watcher = threading.Thread(
        target=lambda: codes.append(watch_module.watch(args, out=out, err=err, ready=ready.set))
    )
    watcher.start()
    assert ready.wait(20), err.getvalue()
    sensor = EmulatedSensor(
        parse_broker(mosquitto.address), SensorAnnouncement.for_sensor("bench_w")
    )
    stream(sensor, iter([make_readings(reps=3)]), Pacer(speed=0))
    sensor.close(EndMode.OFFLINE)
    watcher.join(30)
    assert not watcher.is_alive()
    assert codes == [0]
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [e["rep"] for e in events if e["event"] == "rep" and e["complete"]] == [1, 2, 3]
    notes = err.getvalue()
    assert "sensor online" in notes
    assert "sensor offline" in notes
    assert "session: left 3 reps" in notes


def test_watch_cli_reports_an_unreachable_broker(socket_enabled: None) -> None:
    err = io.StringIO()
    args = _args("--broker", f"127.0.0.1:{free_port()}", "--sensor-id", "bench_w")
    assert watch_module.watch(args, err=err) == 1
    assert "cannot connect" in err.getvalue()


def test_register_wires_the_command() -> None:
    assert _args("--broker", "b", "--sensor-id", "x").func is watch_module.run


def test_device_time_replay_counts_a_simulated_session_like_real_time() -> None:
    session = simulate_session(2)
    batches = plan_batches(session.readings)
    real_time = Watcher(RepEngine(SETTINGS), samples=TOPIC)
    fast = Watcher(RepEngine(SETTINGS), samples=TOPIC, device_time=True)
    for index, batch in enumerate(batches):
        real_time.handle(Incoming(TOPIC, batch.payload.encode(), False, batch.send_t))
        fast.handle(Incoming(TOPIC, batch.payload.encode(), False, index * 1e-4))
    # The engine's own accuracy is the benchmark's business; here the replay must not change it.
    assert real_time.engine.state.total_reps > 0
    assert fast.engine.state.total_reps == real_time.engine.state.total_reps
    fast_state, real_state = fast.engine.state, real_time.engine.state
    for side in Side:
        got, expected = fast_state.side_stats(side), real_state.side_stats(side)
        assert (got.reps, got.sets, got.partial_reps) == (
            expected.reps,
            expected.sets,
            expected.partial_reps,
        )
        assert got.mean_hold_s == pytest.approx(expected.mean_hold_s, abs=0.05)


@pytest.mark.e2e
def test_watch_stops_after_its_duration(mosquitto: Broker) -> None:
    out, err = io.StringIO(), io.StringIO()
    args = _args("--broker", mosquitto.address, "--sensor-id", "bench_w", "--duration", "0")
    assert watch_module.watch(args, out=out, err=err) == 0
    assert (
        out.getvalue()
        == "session: left 0 reps in 0 set(s), right 0 reps in 0 set(s); 0 payloads, 0 bad\n"
    )


def test_device_time_on_a_topic_without_timestamps_says_so() -> None:
    watcher = Watcher(RepEngine(SETTINGS), samples=TOPIC, device_time=True)
    notices = [watcher.handle(Incoming(TOPIC, b"0.61", False, t / 10)) for t in range(3)]
    assert [len(batch) for batch in notices] == [1, 0, 0]
    assert isinstance(notices[0][0], Notice)
    assert "no device timestamps" in notices[0][0].text
