"""``rep-coach emulate``: a Rep Coach sensor without hardware.

Speaks exactly the firmware's MQTT protocol (hardware/PROTOCOL.md): the retained discovery
announcement and ``online`` on connect, ``offline`` as last will, and batched JSON samples of a
simulated session (or a recorded CSV) in real time, faster, or as fast as possible.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import logging
import math
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from custom_components.rep_coach.engine.protocol import (
    BATCH_INTERVAL_S,
    FIRMWARE_BATCH,
    PAYLOAD_AVAILABLE,
    PAYLOAD_NOT_AVAILABLE,
    STATUS_NO_READING,
    STATUS_VALID,
    SensorAnnouncement,
    discovery_topic,
    samples_topic,
    status_topic,
)

from .batches import Batch, plan_batches
from .mqtt_client import (
    BrokerAddress,
    MqttClient,
    MqttError,
    StopSignal,
    parse_broker,
    sigterm_as_interrupt,
)
from .simulator import SimReading, simulate_session

_LOGGER = logging.getLogger(__name__)

CSV_RATE_FALLBACK_HZ = 50


class EndMode(StrEnum):
    """How the emulated sensor leaves when the session is over."""

    OFFLINE = "offline"  # publish "offline" and disconnect cleanly, like a firmware shutdown
    DROP = "drop"  # cut the connection without DISCONNECT: the broker publishes the last will
    STAY = "stay"  # stay connected and "online" until interrupted


# --- Readings sources ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CsvReport:
    """Readings read from a CSV and how many rows were unusable."""

    readings: tuple[SimReading, ...]
    skipped_rows: int


def read_csv(lines: Iterable[str], *, source: str = "csv") -> CsvReport:
    """Readings from a ``t,distance_mm`` CSV (t in seconds).

    An empty or invalid distance is a reading without a distance (sent as ``d: null``); a row
    whose time is missing, invalid or goes backwards cannot be placed and is skipped with a log
    line. Device time starts at 0 on the first row.
    """
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None or [cell.strip().lower() for cell in header[:2]] != ["t", "distance_mm"]:
        raise ValueError(f"{source}: the first line must be the header 't,distance_mm'")
    readings: list[SimReading] = []
    skipped = 0
    start: float | None = None
    last_t = -math.inf
    for row_number, row in enumerate(reader, start=2):
        if not row or not "".join(row).strip():
            continue
        t = _float_or_none(row[0])
        if t is None or t < last_t:
            _LOGGER.warning("%s line %d: unusable time %r, row skipped", source, row_number, row[0])
            skipped += 1
            continue
        last_t = t
        if start is None:
            start = t
        distance = _float_or_none(row[1]) if len(row) > 1 else None
        if distance is not None and distance < 0:
            distance = None
        elapsed = t - start
        readings.append(
            SimReading(
                t=elapsed,
                arrival_t=elapsed,
                device_ms=round(elapsed * 1000),
                seq=len(readings),
                distance_mm=distance,
                status=STATUS_VALID if distance is not None else STATUS_NO_READING,
            )
        )
    return CsvReport(tuple(readings), skipped)


def _float_or_none(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def estimate_rate_hz(readings: Sequence[SimReading]) -> int:
    """The sample rate a recording was made at (median period), for the announcement."""
    periods = sorted(later.t - earlier.t for earlier, later in itertools.pairwise(readings))
    positive = [period for period in periods if period > 0]
    if not positive:
        return CSV_RATE_FALLBACK_HZ
    return max(1, round(1.0 / positive[len(positive) // 2]))


def shift_readings(readings: Sequence[SimReading], after: SimReading | None) -> list[SimReading]:
    """``readings`` moved to continue right after ``after`` (one period later, seq + 1).

    Lets the emulator repeat a session as one unbroken stream: the device clock and the
    sequence number keep counting, exactly as a sensor that stays powered.
    """
    if after is None or not readings:
        return list(readings)
    first = readings[0]
    period = readings[1].t - first.t if len(readings) > 1 else 1.0 / CSV_RATE_FALLBACK_HZ
    dt = after.t + period - first.t
    darrival = after.arrival_t + period - first.arrival_t
    dms = after.device_ms + round(period * 1000) - first.device_ms
    dseq = after.seq + 1 - first.seq
    return [
        replace(
            reading,
            t=reading.t + dt,
            arrival_t=reading.arrival_t + darrival,
            device_ms=reading.device_ms + dms,
            seq=reading.seq + dseq,
        )
        for reading in readings
    ]


# --- Pacing ---------------------------------------------------------------------------------


def due_time(batch: Batch, *, origin: float, speed: float, start: float) -> float:
    """Clock time at which ``batch`` is due: ``speed`` 1 is real time, 0 as fast as possible."""
    if speed <= 0:
        return start
    return start + (batch.send_t - origin) / speed


@dataclass(slots=True)
class Pacer:
    """Waits until each batch is due; the clock and sleep are injected for tests."""

    speed: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _start: float | None = None
    _origin: float = 0.0

    def wait_for(self, batch: Batch) -> None:
        """Block until ``batch`` is due (the first batch is due at once)."""
        if self._start is None:
            self._start = self.clock()
            self._origin = batch.send_t
        delay = due_time(batch, origin=self._origin, speed=self.speed, start=self._start)
        delay -= self.clock()
        if delay > 0:
            self.sleep(delay)


# --- The emulated sensor --------------------------------------------------------------------


@dataclass(slots=True)
class EmulatorStats:
    """What was sent."""

    messages: int = 0
    readings: int = 0
    sessions: int = 0


class EmulatedSensor:
    """One sensor on the broker: availability, announcement and samples."""

    def __init__(self, broker: BrokerAddress, announcement: SensorAnnouncement) -> None:
        self.announcement = announcement
        self.sensor_id = announcement.id
        self._client = MqttClient(
            broker,
            client_id=f"rep-coach-emulator-{self.sensor_id}",
            will=(status_topic(self.sensor_id), PAYLOAD_NOT_AVAILABLE),
            on_connect=self._announce,
        )
        self._client.start()

    def _announce(self) -> None:
        # On every (re)connect, like the firmware's birth message and on_connect publish.
        self._client.publish_json(
            discovery_topic(self.sensor_id), self.announcement.payload(), qos=1, retain=True
        )
        self._client.publish(status_topic(self.sensor_id), PAYLOAD_AVAILABLE, qos=1, retain=True)

    def publish_batch(self, batch: Batch) -> None:
        """One samples message (QoS 0, not retained)."""
        self._client.publish(samples_topic(self.sensor_id), batch.payload)

    def close(self, mode: EndMode) -> None:
        """Leave as ``mode`` says; every message already published is delivered first."""
        if mode is EndMode.DROP:
            self._client.drop()
            return
        self._client.publish(
            status_topic(self.sensor_id), PAYLOAD_NOT_AVAILABLE, qos=1, retain=True
        )
        self._client.disconnect()


def stream(
    sensor: EmulatedSensor,
    sessions: Iterator[Sequence[SimReading]],
    pacer: Pacer,
    *,
    interval_s: float = BATCH_INTERVAL_S,
    max_batch: int = FIRMWARE_BATCH,
    on_batch: Callable[[Batch], None] | None = None,
) -> EmulatorStats:
    """Publish every session's readings as one continuous, paced stream of batches."""
    stats = EmulatorStats()
    last: SimReading | None = None
    for readings in sessions:
        shifted = shift_readings(readings, last)
        for batch in plan_batches(shifted, interval_s=interval_s, max_batch=max_batch):
            pacer.wait_for(batch)
            sensor.publish_batch(batch)
            stats.messages += 1
            stats.readings += len(batch.readings)
            if on_batch is not None:
                on_batch(batch)
        if shifted:
            last = shifted[-1]
        stats.sessions += 1
    return stats


def sessions_from_args(args: argparse.Namespace) -> tuple[Iterator[Sequence[SimReading]], int]:
    """The readings to send, session after session, and the rate to announce."""
    repeat: int = args.repeat
    rate: float | None = args.rate
    if rate is not None and not 0 < rate <= 1000:
        raise ValueError(f"--rate {rate:g}: must be above 0 and at most 1000 Hz")
    if args.csv is not None:
        if rate is not None:
            raise ValueError("--rate applies to simulated sessions; a CSV keeps its own times")
        path = Path(args.csv)
        with path.open(newline="", encoding="utf-8") as handle:
            report = read_csv(handle, source=path.name)
        if not report.readings:
            raise ValueError(f"{path}: no usable rows")
        if report.skipped_rows:
            _LOGGER.warning("%s: %d rows skipped", path, report.skipped_rows)
        recorded = report.readings
        return _repeat(lambda _index: recorded, repeat), estimate_rate_hz(recorded)
    seed: int = args.seed
    first = simulate_session(seed, rate_hz=rate)
    # One sensor has one rate: later sessions keep the first one's (drawn from 10-50 Hz if unset).

    def session(index: int) -> Sequence[SimReading]:
        if index == 0:
            return first.readings
        return simulate_session(seed + index, rate_hz=first.rate_hz).readings

    return _repeat(session, repeat), round(first.rate_hz)


def _repeat(
    make: Callable[[int], Sequence[SimReading]], repeat: int
) -> Iterator[Sequence[SimReading]]:
    index = 0
    while repeat == 0 or index < repeat:
        yield make(index)
        index += 1


def run(args: argparse.Namespace) -> int:
    """The ``emulate`` command."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    try:
        broker = parse_broker(args.broker, username=args.username, password=args.password)
        sessions, rate_hz = sessions_from_args(args)
        announcement = SensorAnnouncement.for_sensor(
            args.sensor_id, name=args.name, model=args.model, rate_hz=rate_hz
        )
    except (ValueError, OSError) as err:
        print(f"rep-coach emulate: {err}", file=sys.stderr)
        return 2
    sensor_id = announcement.id
    try:
        sensor = EmulatedSensor(broker, announcement)
    except MqttError as err:
        print(f"rep-coach emulate: {err}", file=sys.stderr)
        return 1
    print(
        f"Emulating {announcement.model} '{sensor_id}' at {rate_hz} Hz on {broker}: "
        f"{samples_topic(sensor_id)} (speed {args.speed:g}{', as fast as possible' if args.speed <= 0 else 'x'})",
        file=sys.stderr,
    )
    end_mode = EndMode(args.end)
    with sigterm_as_interrupt() as stop:
        return _emulate(sensor, sessions, args, end_mode, stop)


def _emulate(
    sensor: EmulatedSensor,
    sessions: Iterator[Sequence[SimReading]],
    args: argparse.Namespace,
    end_mode: EndMode,
    stop: StopSignal,
) -> int:
    try:
        stats = stream(
            sensor,
            sessions,
            Pacer(speed=args.speed),
            interval_s=args.batch_interval,
            max_batch=args.max_batch,
        )
        print(
            f"Sent {stats.readings} readings in {stats.messages} messages "
            f"({stats.sessions} session(s))",
            file=sys.stderr,
        )
        if end_mode is EndMode.STAY:
            stop.wait()
    finally:
        sensor.close(EndMode.OFFLINE if end_mode is EndMode.STAY else end_mode)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``emulate`` sub-command."""
    parser = subparsers.add_parser(
        "emulate",
        help="emulate a Rep Coach sensor on an MQTT broker",
        description=(
            "Publish a realistic session (the simulator's, or a recorded CSV) with exactly the "
            "firmware's MQTT protocol: retained announcement, availability with last will, "
            "batched JSON samples."
        ),
    )
    parser.add_argument("--broker", required=True, help="HOST[:PORT] of the MQTT broker")
    parser.add_argument("--username", help="MQTT user name")
    parser.add_argument("--password", help="MQTT password")
    parser.add_argument(
        "--sensor-id", default="bench_emulated", help="sensor id: 1-48 of a-z, 0-9 and _"
    )
    parser.add_argument("--name", default="Hip thrust bench", help="announced device name")
    parser.add_argument("--model", default="VL53L1X", help="announced sensor model")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--seed", type=int, default=1, help="simulated session seed")
    source.add_argument("--csv", help="replay a recorded CSV (header t,distance_mm; t in s)")
    parser.add_argument("--rate", type=float, help="simulated sample rate in Hz (10-50)")
    parser.add_argument(
        "--speed", type=float, default=1.0, help="1 real time, 4 four times faster, 0 no pauses"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="sessions to send in a row (0: until interrupted)"
    )
    parser.add_argument(
        "--batch-interval",
        type=float,
        default=BATCH_INTERVAL_S,
        help="seconds of readings per message (firmware: 0.1)",
    )
    parser.add_argument(
        "--max-batch",
        type=int,
        default=FIRMWARE_BATCH,
        help=f"readings per message, 1-{FIRMWARE_BATCH}",
    )
    parser.add_argument(
        "--end",
        choices=[mode.value for mode in EndMode],
        default=EndMode.OFFLINE.value,
        help="offline: clean shutdown; drop: lose the connection (last will); stay: keep online",
    )
    parser.set_defaults(func=run)
