"""``rep-coach watch``: reps, holds and sets live in the terminal, straight from a sensor.

For mounting and bring-up without Home Assistant: subscribes to a samples topic (the Rep Coach
JSON batches or an ESPHome plain state topic), runs the engine on every payload and shows each
event as a line under a live status line (hip height, phase, hold progress, rate, sensor health).
Rendering is pure (strings in, strings out); only :class:`Display` and :func:`watch` do I/O.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import singledispatch
from typing import TextIO

from custom_components.rep_coach.engine import (
    CalibratedEvent,
    DistanceUnit,
    EngineEvent,
    EngineSettings,
    EngineState,
    FormWarning,
    FormWarningEvent,
    HoldReachedEvent,
    Orientation,
    Phase,
    PresenceEvent,
    RepEngine,
    RepEvent,
    RepsAdjustedEvent,
    RestFinishedEvent,
    RestStartedEvent,
    SensorEvent,
    SensorState,
    SessionResetEvent,
    SetEndEvent,
    SetStartEvent,
    SideSwitchedEvent,
)
from custom_components.rep_coach.engine.protocol import (
    PAYLOAD_AVAILABLE,
    PAYLOAD_NOT_AVAILABLE,
    Reading,
    decode_payload,
    has_wildcard,
    samples_topic,
    sensor_id_from_samples_topic,
    status_topic,
    validate_sensor_id,
)

from .mqtt_client import MqttClient, MqttError, parse_broker, sigterm_as_interrupt
from .stream_check import StreamCheck

REFRESH_S = 0.1  # status line refresh and engine tick period
RATE_WINDOW_S = 2.0
BAR_WIDTH = 20
BAD_PAYLOAD_REPORT_EVERY = 100  # after the first few, report one bad payload in this many
BAD_PAYLOADS_REPORTED_IN_FULL = 5
CLEAR_LINE = "\r\x1b[2K"
DEVICE_RESTART_MS = 1000  # the device clock going back more than this: it restarted

# What the guide says to do about each mistake, and the unit of its value/target.
FORM_ADVICE: dict[FormWarning, tuple[str, str]] = {
    FormWarning.HOLD_TOO_SHORT: ("squeeze the glutes longer at the top", "s"),
    FormWarning.LOWERED_TOO_FAST: ("lower slowly, 2-3 s", "s"),
    FormWarning.JERKY: ("lower smoothly, no bouncing", "x"),
    FormWarning.PARTIAL_RANGE: ("drive the hips to full extension", "%"),
    FormWarning.IMBALANCE: ("give the weaker side extra attention", "%"),
}


# --- Pure rendering ---------------------------------------------------------------------------


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    """``[#####-----]`` filled to ``fraction`` (clamped to 0..1)."""
    filled = round(min(max(fraction, 0.0), 1.0) * width)
    return "[" + "#" * filled + "-" * (width - filled) + "]"


def hold_progress(elapsed_s: float, target_s: float, width: int = BAR_WIDTH) -> str:
    """The squeeze so far against its target; ``ok`` once reached."""
    fraction = elapsed_s / target_s if target_s > 0 else 1.0
    done = " ok" if elapsed_s >= target_s else ""
    return f"hold {bar(fraction, width)} {elapsed_s:.1f}/{target_s:.1f} s{done}"


def render_status(
    state: EngineState,
    settings: EngineSettings,
    *,
    now: float,
    online: bool | None = None,
    rate_hz: float | None = None,
    lost: int = 0,
) -> str:
    """The live status line (``lost``: readings missing by ``seq`` so far)."""
    parts: list[str] = []
    if online is False:
        parts.append("SENSOR OFFLINE")
    side = state.side.upper()
    if state.phase is Phase.RESTING and state.rest_ends_t is not None:
        remaining = max(0.0, state.rest_ends_t - now)
        parts.append(f"RESTING {remaining:.0f} s, then {side} set {state.set_number}")
    elif state.phase is Phase.AWAY:
        parts.append("AWAY: waiting for the lifter")
    else:
        reps = f"{state.reps_this_set}"
        if settings.target_reps:
            reps += f"/{settings.target_reps}"
        parts.append(f"{side} set {state.set_number}/{settings.sets_per_side}  reps {reps}")
        parts.append(state.phase.upper())
        if state.phase is Phase.HOLDING and state.hold_elapsed_s is not None:
            parts.append(hold_progress(state.hold_elapsed_s, settings.hold_target_s))
    if state.position_pct is not None and state.phase is not Phase.AWAY:
        parts.append(f"hips {bar(state.position_pct / 100.0, 10)} {state.position_pct:3.0f}%")
    parts.append(f"L {state.left.reps} R {state.right.reps}")
    if rate_hz is not None:
        parts.append(f"{rate_hz:.0f} Hz")
    if lost:
        parts.append(f"{lost} lost")
    if state.sensor_state is not SensorState.OK:
        parts.append(f"sensor {_words(state.sensor_state)}")
    return "  ".join(parts)


def _seconds(value: float) -> str:
    return f"{value:.1f} s"


@singledispatch
def render_event(event: EngineEvent) -> str:
    """One line for the log above the status line (JSON for an event without a line)."""
    return json.dumps(event.as_dict())


@render_event.register
def _rep(event: RepEvent) -> str:
    where = f"{event.side}, set {event.set}"
    reached = f"range {event.rom_mm:.0f} mm ({event.rom_pct:.0f}%)"
    if not event.complete:
        return f"partial rep ({where}): {reached}, not counted"
    line = (
        f"REP {event.rep} ({where}): up {_seconds(event.concentric_s)}, "
        f"hold {_seconds(event.hold_s)}, lowering {_seconds(event.lowering_s)}, {reached}"
    )
    if event.warnings:
        line += " - " + ", ".join(_words(warning) for warning in event.warnings)
    return line


@render_event.register
def _hold_reached(event: HoldReachedEvent) -> str:
    return f"hold {_seconds(event.hold_target_s)} reached (rep {event.rep})"


@render_event.register
def _set_start(event: SetStartEvent) -> str:
    return f"SET {event.set} started ({event.side})"


@render_event.register
def _set_end(event: SetEndEvent) -> str:
    target = f"/{event.target_reps}" if event.target_reps else ""
    return (
        f"SET {event.set} done ({event.side}, {event.reason}): {event.reps}{target} reps, "
        f"mean hold {_seconds(event.mean_hold_s)}, mean lowering {_seconds(event.mean_lowering_s)}"
    )


@render_event.register
def _side_switched(event: SideSwitchedEvent) -> str:
    return f"switch legs: {event.previous} -> {event.side}"


@render_event.register
def _rest_started(event: RestStartedEvent) -> str:
    return f"rest {event.duration_s:.0f} s, then {event.next_side} set {event.next_set}"


@render_event.register
def _rest_finished(event: RestFinishedEvent) -> str:
    how = "cut short" if event.interrupted else "over"
    return f"rest {how}: {event.next_side} set {event.next_set}"


@render_event.register
def _form_warning(event: FormWarningEvent) -> str:
    advice, unit = FORM_ADVICE[event.warning]
    return (
        f"form: {_words(event.warning)} ({event.value:.1f}{unit}, "
        f"target {event.target:.1f}{unit}): {advice}"
    )


@render_event.register
def _presence(event: PresenceEvent) -> str:
    return "lifter on the bench" if event.present else "lifter left the bench"


@render_event.register
def _sensor(event: SensorEvent) -> str:
    return f"sensor {_words(event.state)} (was {_words(event.previous)})"


@render_event.register
def _calibrated(event: CalibratedEvent) -> str:
    how = "auto" if event.automatic else "manual"
    return (
        f"calibrated {event.side} ({how}): bottom {event.bottom_mm:.0f} mm, "
        f"top {event.top_mm:.0f} mm"
    )


@render_event.register
def _session_reset(event: SessionResetEvent) -> str:
    return "new workout (after a break)" if event.new_workout else "session reset"


@render_event.register
def _reps_adjusted(event: RepsAdjustedEvent) -> str:
    return f"reps adjusted by {event.delta:+d}: {event.reps} ({event.side}, set {event.set})"


def _words(name: str) -> str:
    return name.replace("_", " ")


# --- Feeding the engine -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Incoming:
    """One MQTT message and when it arrived (s since the watch started)."""

    topic: str
    payload: bytes
    retained: bool
    arrival_t: float


@dataclass(frozen=True, slots=True)
class Notice:
    """Something to tell the user that is not an engine event."""

    text: str


type Output = EngineEvent | Notice


@dataclass(slots=True)
class RateMeter:
    """Readings per second over the last few seconds of arrivals."""

    window_s: float = RATE_WINDOW_S
    _arrivals: deque[tuple[float, int]] = field(default_factory=deque)

    def add(self, t: float, readings: int) -> None:
        self._arrivals.append((t, readings))

    def rate(self, now: float) -> float | None:
        while self._arrivals and self._arrivals[0][0] <= now - self.window_s:
            self._arrivals.popleft()
        if not self._arrivals:
            return None
        return sum(count for _t, count in self._arrivals) / self.window_s


class Watcher:
    """Runs the engine on the messages of one sensor; no I/O, so tests drive it directly.

    Readings are timed by their arrival, as Home Assistant does. With ``device_time`` they are
    timed by the sensor's own clock instead, so a replay sent faster than real time (the
    emulator's ``--speed``) still shows true holds and tempo; timers then advance with the data.
    """

    def __init__(
        self,
        engine: RepEngine,
        *,
        samples: str,
        status: str | None = None,
        device_time: bool = False,
    ) -> None:
        self.engine = engine
        self.samples_topic = samples
        self.status_topic = status
        self.device_time = device_time
        self._device_origin_ms: int | None = None
        self._device_now = 0.0
        self._untimed_reported = False
        self.online: bool | None = None
        self.payloads = 0
        self.bad_payloads = 0
        self.rate = RateMeter()
        self.stream = StreamCheck()

    def handle(self, message: Incoming) -> list[Output]:
        """Feed one message; what it caused."""
        if message.topic == self.status_topic:
            return self._availability(message)
        if message.topic != self.samples_topic or message.retained:
            return []  # a retained sample is an old value replayed on subscribe, not a movement
        self.payloads += 1
        readings = decode_payload(message.payload).readings
        self.stream.feed(readings)
        result = self.engine.feed_payload(message.payload, self._time_of(message, readings))
        outputs: list[Output] = list(result.events)
        untimed = self.device_time and self._device_origin_ms is None and result.readings > 0
        if untimed and not self._untimed_reported:
            self._untimed_reported = True
            outputs.append(
                Notice(
                    f"{message.topic} carries no device timestamps: --device-time cannot "
                    "time it (watch it without that option)"
                )
            )
        if result.error is not None:
            self.bad_payloads += 1
            if (
                self.bad_payloads <= BAD_PAYLOADS_REPORTED_IN_FULL
                or self.bad_payloads % BAD_PAYLOAD_REPORT_EVERY == 0
            ):
                outputs.append(
                    Notice(
                        f"bad payload #{self.bad_payloads} on {message.topic}: "
                        f"{result.error.code} ({result.error.detail})"
                    )
                )
        else:
            self.rate.add(message.arrival_t, result.readings)
        return outputs

    def _time_of(self, message: Incoming, readings: tuple[Reading, ...]) -> float:
        if not self.device_time:
            return message.arrival_t
        newest = max((r.t for r in readings if r.t is not None), default=None)
        if newest is not None:
            if self._device_origin_ms is None:
                self._device_origin_ms = newest
            elif newest < self._device_origin_ms + self._device_now * 1000 - DEVICE_RESTART_MS:
                # The device restarted (its clock went back): carry on from where we were.
                self._device_origin_ms = newest - round(self._device_now * 1000)
            self._device_now = max(self._device_now, (newest - self._device_origin_ms) / 1000.0)
        return self._device_now

    def _availability(self, message: Incoming) -> list[Output]:
        text = message.payload.decode("utf-8", errors="replace").strip()
        if text == PAYLOAD_AVAILABLE:
            self.online = True
        elif text == PAYLOAD_NOT_AVAILABLE:
            self.online = False
        else:
            return [Notice(f"unexpected availability payload {text[:40]!r}")]
        return [Notice(f"sensor {text}")]

    def tick(self, now: float) -> list[Output]:
        """Advance the engine's timers (rest, idle set end, staleness)."""
        return list(self.engine.tick(self.clock_t(now)))

    def clock_t(self, now: float) -> float:
        """The time the engine runs at: ``now`` (since the watch started) or the device's."""
        return self._device_now if self.device_time else now

    def status_line(self, now: float) -> str:
        """The live status line at ``now``."""
        if self.payloads == 0:
            return f"waiting for data on {self.samples_topic}"
        return render_status(
            self.engine.state,
            self.engine.settings,
            now=self.clock_t(now),
            online=self.online,
            rate_hz=self.rate_hz(now),
            lost=self.stream.lost,
        )

    def rate_hz(self, now: float) -> float | None:
        """The sensor's rate: by its own clock when the stream carries it, else by arrival."""
        if self.stream.device_timed:
            return self.stream.rate_hz()
        return self.rate.rate(now)

    def summary(self) -> str:
        """The session in one line for the end, and what the stream delivered if it did."""
        state = self.engine.state
        session = (
            f"session: left {state.left.reps} reps in {state.left.sets} set(s), "
            f"right {state.right.reps} reps in {state.right.sets} set(s); "
            f"{self.payloads} payloads, {self.bad_payloads} bad"
        )
        return f"{session}\nstream: {self.stream.report()}" if self.stream.readings else session


# --- Terminal ---------------------------------------------------------------------------------


class Display:
    """Event lines that scroll, under one status line redrawn in place (TTY only).

    With ``json_lines`` every engine event is one JSON object per line on ``out`` and notices go
    to ``err``; without a TTY there is no status line, just the event lines.
    """

    def __init__(
        self, out: TextIO, err: TextIO, *, progress: bool, json_lines: bool = False
    ) -> None:
        self._out = out
        self._err = err
        self._progress = progress and not json_lines
        self._json = json_lines
        self._status = ""

    def emit(self, outputs: list[Output]) -> None:
        """Print what happened, keeping the status line below it."""
        for output in outputs:
            if self._json:
                if isinstance(output, Notice):
                    print(output.text, file=self._err, flush=True)
                else:
                    print(json.dumps(output.as_dict()), file=self._out, flush=True)
                continue
            text = output.text if isinstance(output, Notice) else render_event(output)
            if self._progress:
                self._out.write(CLEAR_LINE + text + "\n" + self._status)
            else:
                self._out.write(text + "\n")
        self._out.flush()

    def status(self, line: str) -> None:
        """Redraw the status line when it changed."""
        if self._progress and line != self._status:
            self._status = line
            self._out.write(CLEAR_LINE + line)
            self._out.flush()

    def close(self, summary: str) -> None:
        """Leave the terminal tidy and print the summary."""
        if self._progress:
            self._out.write(CLEAR_LINE)
        print(summary, file=self._err if self._json else self._out, flush=True)


# --- Command ----------------------------------------------------------------------------------


def resolve_topics(args: argparse.Namespace) -> tuple[str, str | None]:
    """The samples topic and, when known, the availability topic."""
    if args.sensor_id is not None:
        sensor_id = validate_sensor_id(args.sensor_id)
        return samples_topic(sensor_id), args.status_topic or status_topic(sensor_id)
    topic: str = args.topic
    if has_wildcard(topic):
        raise ValueError(f"topic {topic!r}: watch one sensor, without wildcards")
    topic_sensor = sensor_id_from_samples_topic(topic)
    derived = status_topic(topic_sensor) if topic_sensor is not None else None
    return topic, args.status_topic or derived


def settings_from_args(args: argparse.Namespace) -> EngineSettings:
    """Engine settings from the command line."""
    return EngineSettings(
        target_reps=args.target_reps,
        hold_target_s=args.hold_target,
        eccentric_target_s=args.lowering_target,
        unit=DistanceUnit(args.unit),
        orientation=Orientation(args.orientation),
    )


def watch(
    args: argparse.Namespace,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    ready: Callable[[], None] | None = None,
) -> int:
    """Watch until interrupted, ``--duration`` is over, or (``--exit-on-offline``) the sensor
    goes offline. ``ready`` is called once the subscriptions are in place."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        broker = parse_broker(args.broker, username=args.username, password=args.password)
        samples, status = resolve_topics(args)
        settings = settings_from_args(args)
    except ValueError as error:
        print(f"rep-coach watch: {error}", file=err)
        return 2
    inbox: queue.Queue[Incoming] = queue.Queue()
    start = time.monotonic()

    def receive(topic: str, payload: bytes, retained: bool) -> None:
        inbox.put(Incoming(topic, payload, retained, time.monotonic() - start))

    client = MqttClient(
        broker,
        client_id=f"rep-coach-watch-{os.getpid()}-{id(inbox):x}",
        on_message=receive,
        subscriptions=[samples] + ([status] if status else []),
    )
    try:
        client.start()
    except MqttError as error:
        print(f"rep-coach watch: {error}", file=err)
        return 1
    watcher = Watcher(
        RepEngine(settings), samples=samples, status=status, device_time=args.device_time
    )
    display = Display(out, err, progress=out.isatty(), json_lines=args.json)
    print(f"watching {samples} on {broker} (Ctrl-C to stop)", file=err, flush=True)
    if ready is not None:
        ready()
    try:
        with sigterm_as_interrupt():
            _loop(watcher, display, inbox, start=start, args=args)
    except KeyboardInterrupt:
        pass
    finally:
        client.disconnect()
        display.close(watcher.summary())
    return 0


def _loop(
    watcher: Watcher,
    display: Display,
    inbox: queue.Queue[Incoming],
    *,
    start: float,
    args: argparse.Namespace,
) -> None:
    duration: float | None = args.duration
    while True:
        try:
            message: Incoming | None = inbox.get(timeout=REFRESH_S)
        except queue.Empty:
            message = None
        now = time.monotonic() - start
        outputs = watcher.handle(message) if message is not None else []
        outputs += watcher.tick(now)
        display.emit(outputs)
        display.status(watcher.status_line(now))
        if args.exit_on_offline and watcher.online is False and inbox.empty():
            return
        if duration is not None and now >= duration:
            return


def run(args: argparse.Namespace) -> int:
    """The ``watch`` command."""
    return watch(args)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``watch`` sub-command."""
    parser = subparsers.add_parser(
        "watch",
        help="show reps, holds and sets live from a sensor (no Home Assistant needed)",
        description=(
            "Subscribe to a sensor's samples topic, run the Rep Coach engine on it and show "
            "every rep, hold and set as it happens, with a live status line."
        ),
    )
    parser.add_argument("--broker", required=True, help="HOST[:PORT] of the MQTT broker")
    parser.add_argument("--username", help="MQTT user name")
    parser.add_argument("--password", help="MQTT password")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--topic", help="samples topic: rep_coach/<id>/samples or an ESPHome state topic"
    )
    which.add_argument("--sensor-id", help="shorthand for --topic rep_coach/<id>/samples")
    parser.add_argument("--status-topic", help="availability topic (derived for Rep Coach topics)")
    parser.add_argument("--target-reps", type=int, default=10, help="reps per set (0: none)")
    parser.add_argument("--hold-target", type=float, default=1.0, help="squeeze at the top, s")
    parser.add_argument("--lowering-target", type=float, default=2.0, help="lowering time, s")
    parser.add_argument(
        "--unit",
        choices=[unit.value for unit in DistanceUnit],
        default=DistanceUnit.AUTO.value,
        help="unit of plain (ESPHome) payloads",
    )
    parser.add_argument(
        "--orientation",
        choices=[orientation.value for orientation in Orientation],
        default=Orientation.AUTO.value,
        help="nearer: sensor above the hips; farther: below them",
    )
    parser.add_argument(
        "--device-time",
        action="store_true",
        help="time readings by the sensor's clock (for replays faster than real time)",
    )
    parser.add_argument("--json", action="store_true", help="print events as JSON lines")
    parser.add_argument("--duration", type=float, help="stop after this many seconds")
    parser.add_argument(
        "--exit-on-offline", action="store_true", help="stop when the sensor goes offline"
    )
    parser.set_defaults(func=run)
