"""``rep-coach bench --load``: how many benches one Home Assistant carries.

A private Mosquitto on loopback, one real Home Assistant in this process (bootstrapped from a
temporary configuration directory, MQTT integration with its real client, one Rep Coach entry per
bench) and emulated benches in separate publisher processes, each sending a simulated session at
50 Hz in real time exactly as the firmware does (a JSON batch every 100 ms). Home Assistant's CPU
time is this process's; the publishers' is not counted.

Figures (measured over ``--duration`` seconds after ``--warmup``):
- CPU per sample: this process's CPU time / readings the engines received.
- Latency: from the publisher's ``publish()`` of a batch to the ``rep_coach_event`` that batch
  produced on Home Assistant's bus (same machine, one monotonic clock).
- Event-loop lag: how late a timer due every 20 ms ran.
- State writes: ``state_changed`` events of Rep Coach entities (what the recorder would store),
  per minute and per counted rep.
- Memory: growth of this process's resident memory per bench.

Prints a table; with ``--json`` the last line is one JSON object. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing
import random
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event as ProcessEvent
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from custom_components.rep_coach.engine.events import RepEvent
from custom_components.rep_coach.engine.protocol import (
    SensorAnnouncement,
    decode_payload,
    samples_topic,
)

from .batches import plan_batches
from .emulate import shift_readings
from .mosquitto import Broker, MosquittoError, MosquittoServer, find_mosquitto, free_port
from .simulator import SimReading, simulate_session
from .waiting import wait_until

if TYPE_CHECKING:
    from homeassistant.core import Event, HomeAssistant

RATE_HZ = 50.0
BENCHES_PER_PUBLISHER = 25
MAX_PUBLISHERS = 4
LOOP_PROBE_INTERVAL_S = 0.02
SETUP_TIMEOUT_S = 120.0
CONFIGURATION_YAML = """\
homeassistant:
  name: Rep Coach load bench
  time_zone: UTC
  unit_system: metric
logger:
  default: warning
"""


class LoopLagProbe:
    """Measures event-loop lag: how late a timer due every ``interval_s`` actually runs."""

    def __init__(
        self, loop: asyncio.AbstractEventLoop, interval_s: float = LOOP_PROBE_INTERVAL_S
    ) -> None:
        """Nothing runs until :meth:`start`."""
        self._loop = loop
        self._interval = interval_s
        self._due = 0.0
        self._handle: asyncio.TimerHandle | None = None
        self.lags_ms: list[float] = []

    def start(self) -> None:
        """Begin probing."""
        self._due = self._loop.time() + self._interval
        self._handle = self._loop.call_at(self._due, self._fire)

    def _fire(self) -> None:
        now = self._loop.time()
        self.lags_ms.append(max(0.0, (now - self._due) * 1000.0))
        self._due = now + self._interval
        self._handle = self._loop.call_at(self._due, self._fire)

    def stop(self) -> None:
        """Stop probing (the figures stay)."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    @property
    def max_ms(self) -> float:
        """The worst lag seen."""
        return max(self.lags_ms, default=0.0)

    def percentile_ms(self, pct: float) -> float:
        """A percentile of the lags (nearest rank)."""
        return percentile(self.lags_ms, pct)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100.0 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True, slots=True)
class LoadConfig:
    """One load run."""

    benches: int
    duration_s: float = 30.0
    warmup_s: float = 5.0
    seed: int = 1

    @property
    def send_s(self) -> float:
        """How long the publishers send (the measured window plus margins)."""
        return self.warmup_s + self.duration_s + 2.0

    def sensor_id(self, index: int) -> str:
        """The id of bench ``index``."""
        return f"load_{index:03d}"


# --- publishers (separate processes) ----------------------------------------------------------


def bench_readings(seed: int, send_s: float) -> list[SimReading]:
    """Simulated sessions back to back (one unbroken stream) covering ``send_s`` seconds."""
    readings: list[SimReading] = []
    index = 0
    while not readings or readings[-1].arrival_t - readings[0].arrival_t < send_s:
        session = simulate_session(seed + 1000 * index, rate_hz=RATE_HZ).readings
        readings += shift_readings(session, readings[-1] if readings else None)
        index += 1
    return readings


def _publisher(
    broker: Broker,
    benches: list[tuple[str, int]],
    send_s: float,
    ready: Queue[Any],
    start: ProcessEvent,
    results: Queue[Any],
) -> None:
    """Send every bench's batches on time; report when each batch was handed to the client."""
    import paho.mqtt.client as paho  # noqa: PLC0415 (a spawned process imports what it needs)
    from paho.mqtt.enums import CallbackAPIVersion  # noqa: PLC0415

    timeline: list[tuple[float, str, str, int]] = []
    for sensor_id, seed in benches:
        readings = bench_readings(seed, send_s)
        batches = plan_batches(readings)
        origin = batches[0].send_t - random.Random(seed).uniform(0.0, 0.1)  # benches out of step
        topic = samples_topic(sensor_id)
        timeline += [
            (b.send_t - origin, topic, b.payload, b.readings[-1].seq)
            for b in batches
            if b.send_t - origin < send_s
        ]
    timeline.sort(key=lambda item: item[0])
    client = paho.Client(CallbackAPIVersion.VERSION2, client_id=f"load-{benches[0][0]}")
    client.max_queued_messages_set(0)
    client.connect(broker.host, broker.port)
    client.loop_start()
    ready.put(len(timeline))
    start.wait()
    begin = time.monotonic()
    stamps: dict[tuple[str, int], float] = {}
    for due, topic, payload, seq in timeline:
        delay = begin + due - time.monotonic()
        if delay > 0:
            time.sleep(delay)  # pacing at the sensors' rate
        client.publish(topic, payload)
        stamps[(topic, seq)] = time.monotonic()
    client.disconnect()
    client.loop_stop()
    results.put(stamps)


class Publishers:
    """The publisher processes: started at once (they prepare their timelines while Home
    Assistant starts), sending when :attr:`start` is set."""

    def __init__(self, config: LoadConfig, broker: Broker) -> None:
        """Spawn them (a fresh interpreter each: nothing of Home Assistant is inherited)."""
        context = multiprocessing.get_context("spawn")
        self.ready: Queue[Any] = context.Queue()
        self.results: Queue[Any] = context.Queue()
        self.start = context.Event()
        self.count = min(MAX_PUBLISHERS, math.ceil(config.benches / BENCHES_PER_PUBLISHER))
        benches = [(config.sensor_id(i), config.seed + i) for i in range(config.benches)]
        self._processes = [
            context.Process(
                target=_publisher,
                args=(
                    broker,
                    benches[worker :: self.count],
                    config.send_s,
                    self.ready,
                    self.start,
                    self.results,
                ),
                name=f"rep-coach-load-publisher-{worker}",
            )
            for worker in range(self.count)
        ]
        for process in self._processes:
            process.start()

    def wait_ready(self) -> int:
        """Block until every publisher is connected and prepared; the messages they will send."""
        return sum(int(self.ready.get(timeout=SETUP_TIMEOUT_S)) for _ in self._processes)

    def close(self) -> None:
        """Wait for them to finish (stop them if they do not)."""
        self.start.set()
        for process in self._processes:
            process.join(timeout=SETUP_TIMEOUT_S)
            if process.is_alive():
                process.kill()


# --- Home Assistant (this process) ------------------------------------------------------------


@dataclass
class Recorder:
    """What Home Assistant did, as it happened."""

    window: bool = False
    events: list[tuple[str, bytes, float, str]] = field(default_factory=list)
    state_writes: int = 0
    reps: int = 0
    current: dict[str, bytes] = field(default_factory=dict)


async def _start_home_assistant(config_dir: Path) -> HomeAssistant:
    from homeassistant import bootstrap, runner  # noqa: PLC0415 (heavy: only for --load)

    (config_dir / "configuration.yaml").write_text(CONFIGURATION_YAML)
    hass = await bootstrap.async_setup_hass(
        runner.RuntimeConfig(config_dir=str(config_dir), skip_pip=True)
    )
    if hass is None:
        raise RuntimeError("Home Assistant did not start")
    await hass.async_start()
    return hass


async def _wait_for(condition: Callable[[], bool], what: str) -> None:
    await wait_until(condition, what, timeout_s=SETUP_TIMEOUT_S, every_s=0.05)
    print(f"  {what}", file=sys.stderr)


def _config_entry(domain: str, title: str, data: dict[str, Any], unique_id: str | None) -> Any:
    from homeassistant.config_entries import SOURCE_USER, ConfigEntry  # noqa: PLC0415

    return ConfigEntry(
        data=data,
        discovery_keys=MappingProxyType({}),
        domain=domain,
        minor_version=2 if domain == "mqtt" else 1,
        options={},
        source=SOURCE_USER,
        subentries_data=None,
        title=title,
        unique_id=unique_id,
        version=1,
    )


def _bench_entry(sensor_id: str, title: str) -> Any:
    from custom_components.rep_coach.discovery import entry_data  # noqa: PLC0415

    announcement = SensorAnnouncement.for_sensor(sensor_id, name=title, rate_hz=round(RATE_HZ))
    return _config_entry("rep_coach", title, entry_data(announcement), sensor_id)


def _instrument(recorder: Recorder) -> Callable[[], None]:
    """Note which payload each coordinator is handling, so bus events can be traced to it."""
    from homeassistant.core import callback  # noqa: PLC0415

    from custom_components.rep_coach.coordinator import RepCoachCoordinator  # noqa: PLC0415

    original = RepCoachCoordinator._async_message_received

    @callback
    def traced(self: RepCoachCoordinator, msg: Any) -> None:
        entry_id = self.config_entry.entry_id
        recorder.current[entry_id] = msg.payload
        try:
            original(self, msg)
        finally:
            del recorder.current[entry_id]

    RepCoachCoordinator._async_message_received = traced  # type: ignore[method-assign]

    def restore() -> None:
        RepCoachCoordinator._async_message_received = original  # type: ignore[method-assign]

    return restore


@dataclass(frozen=True, slots=True)
class Window:
    """What the measured window saw, before it becomes figures."""

    seconds: float
    cpu_s: float  # this process: Home Assistant
    broker_cpu_s: float | None
    readings: int
    payloads: int
    rss_after: int  # resident memory at its end
    rate_limited: int
    lags: LoopLagProbe


async def _measure(
    config: LoadConfig,
    broker: Broker,
    broker_pid: int | None,
    publishers: Publishers,
    config_dir: Path,
) -> dict[str, Any]:
    import psutil  # type: ignore[import-untyped]  # noqa: PLC0415

    process = psutil.Process()
    hass = await _start_home_assistant(config_dir)
    recorder = Recorder()
    restore = _instrument(recorder)
    try:
        await _connect_mqtt(hass, broker)
        # One idle bench first, so the baseline has Rep Coach and its platforms loaded.
        await _add_bench(hass, "load_idle", "Idle bench")
        await hass.async_block_till_done()
        rss_before = process.memory_info().rss
        entries = [
            await _add_bench(hass, config.sensor_id(index), f"Load bench {index:03d}")
            for index in range(config.benches)
        ]
        await hass.async_block_till_done()
        print(f"  {config.benches} Rep Coach entries set up", file=sys.stderr)
        _listen(hass, recorder, {entry.entry_id: entry.data["state_topic"] for entry in entries})
        await _start_publishers(publishers)
        await asyncio.sleep(config.warmup_s)  # the benches settle (lifters arrive, calibrate)
        mosquitto = None if broker_pid is None else psutil.Process(broker_pid)
        window = await _window(config.duration_s, entries, recorder, process, mosquitto)
        latencies = _latencies(recorder.events, await _publish_stamps(publishers))
    finally:
        restore()
        await hass.async_stop()
    return _figures(config, window, recorder, latencies, rss_before)


async def _connect_mqtt(hass: HomeAssistant, broker: Broker) -> None:
    from homeassistant.components import mqtt  # noqa: PLC0415

    await hass.config_entries.async_add(
        _config_entry("mqtt", "MQTT", {"broker": broker.host, "port": broker.port}, None)
    )

    def connected() -> bool:
        try:
            return mqtt.is_connected(hass)
        except KeyError:  # the entry is still being set up (slow first start of a fresh clone)
            return False

    await _wait_for(connected, "Home Assistant connected to Mosquitto")


async def _add_bench(hass: HomeAssistant, sensor_id: str, title: str) -> Any:
    entry = _bench_entry(sensor_id, title)
    await hass.config_entries.async_add(entry)
    return entry


def _listen(hass: HomeAssistant, recorder: Recorder, topic_of: dict[str, str]) -> None:
    """Record, during the window, the benches' bus events (traced to their payload) and the
    state writes of their entities."""
    from homeassistant.const import EVENT_STATE_CHANGED  # noqa: PLC0415
    from homeassistant.core import EventStateChangedData, callback  # noqa: PLC0415

    from custom_components.rep_coach.const import EVENT_REP_COACH  # noqa: PLC0415

    completed, _partial = RepEvent.bus_types

    @callback
    def on_rep_coach_event(event: Event[dict[str, Any]]) -> None:
        if not recorder.window:
            return
        entry_id = event.data["entry_id"]
        if event.data["type"] == completed:
            recorder.reps += 1
        payload = recorder.current.get(entry_id)
        if payload is not None:
            recorder.events.append(
                (topic_of[entry_id], payload, time.monotonic(), event.data["type"])
            )

    @callback
    def on_state_changed(event: Event[EventStateChangedData]) -> None:
        if recorder.window and str(event.data["entity_id"]).split(".")[1].startswith("load_"):
            recorder.state_writes += 1

    hass.bus.async_listen(EVENT_REP_COACH, on_rep_coach_event)
    hass.bus.async_listen(EVENT_STATE_CHANGED, on_state_changed)


async def _start_publishers(publishers: Publishers) -> None:
    loop = asyncio.get_running_loop()
    messages = await loop.run_in_executor(None, publishers.wait_ready)
    print(f"  {publishers.count} publisher process(es) ready: {messages} messages", file=sys.stderr)
    publishers.start.set()


async def _window(
    duration_s: float, entries: list[Any], recorder: Recorder, process: Any, mosquitto: Any
) -> Window:
    """Let the benches run for ``duration_s`` with every counter and probe on."""
    engines = [entry.runtime_data.engine for entry in entries]
    probe = LoopLagProbe(asyncio.get_running_loop())
    readings_0 = sum(engine.counters.readings for engine in engines)
    payloads_0 = sum(engine.counters.payloads for engine in engines)
    cpu_0 = time.process_time()
    broker_cpu_0 = _cpu(mosquitto)
    wall_0 = time.monotonic()
    recorder.window = True
    probe.start()
    await asyncio.sleep(duration_s)
    probe.stop()
    recorder.window = False
    seconds = time.monotonic() - wall_0
    cpu_s = time.process_time() - cpu_0
    broker_cpu_1 = _cpu(mosquitto)
    return Window(
        seconds=seconds,
        cpu_s=cpu_s,
        broker_cpu_s=None
        if broker_cpu_0 is None or broker_cpu_1 is None
        else broker_cpu_1 - broker_cpu_0,
        readings=sum(engine.counters.readings for engine in engines) - readings_0,
        payloads=sum(engine.counters.payloads for engine in engines) - payloads_0,
        rss_after=process.memory_info().rss,
        rate_limited=sum(entry.runtime_data.rate_limit.dropped for entry in entries),
        lags=probe,
    )


async def _publish_stamps(publishers: Publishers) -> dict[tuple[str, int], float]:
    """When each batch was published, by (topic, last seq), from every publisher."""
    loop = asyncio.get_running_loop()
    stamps: dict[tuple[str, int], float] = {}
    for _ in range(publishers.count):
        stamps.update(await loop.run_in_executor(None, publishers.results.get))
    return stamps


def _figures(
    config: LoadConfig,
    window: Window,
    recorder: Recorder,
    latencies: list[float],
    rss_before: int,
) -> dict[str, Any]:
    seconds, readings, broker_cpu = window.seconds, window.readings, window.broker_cpu_s
    writes, reps = recorder.state_writes, recorder.reps
    return {
        "benches": config.benches,
        "window_s": round(seconds, 1),
        "samples_per_s": round(readings / seconds),
        "messages_per_s": round(window.payloads / seconds),
        "cpu_per_sample_us": round(window.cpu_s / readings * 1e6, 1) if readings else None,
        "ha_cpu_pct": round(100.0 * window.cpu_s / seconds, 1),
        "mosquitto_cpu_pct": None if broker_cpu is None else round(100.0 * broker_cpu / seconds, 1),
        "p50_latency_ms": round(percentile(latencies, 50), 1) if latencies else None,
        "p99_latency_ms": round(percentile(latencies, 99), 1) if latencies else None,
        "latency_events": len(latencies),
        "loop_lag_ms_max": round(window.lags.max_ms, 1),
        "loop_lag_ms_p99": round(window.lags.percentile_ms(99), 1),
        "reps": reps,
        "state_writes": writes,
        "state_writes_per_min": round(writes / (seconds / 60.0)),
        "state_writes_per_rep": round(writes / reps, 1) if reps else None,
        "state_writes_per_1000_samples": round(1000.0 * writes / readings, 2) if readings else None,
        "memory_per_bench_kb": round((window.rss_after - rss_before) / 1024.0 / config.benches, 1),
        "rate_limited": window.rate_limited,
    }


def _cpu(proc: Any) -> float | None:
    if proc is None:
        return None
    times = proc.cpu_times()
    return float(times.user + times.system)


def _latencies(
    events: list[tuple[str, bytes, float, str]], stamps: dict[tuple[str, int], float]
) -> list[float]:
    """Publish-to-bus-event latency (ms) of every event traced to the payload that made it."""
    latencies: list[float] = []
    for topic, payload, fired, _type in events:
        seqs = [r.seq for r in decode_payload(payload).readings if r.seq is not None]
        published = stamps.get((topic, max(seqs))) if seqs else None
        if published is not None:
            latencies.append((fired - published) * 1000.0)
    return latencies


def run_load(config: LoadConfig) -> dict[str, Any]:
    """Start a broker, run the measurement, stop everything; the figures."""
    executable = find_mosquitto()
    if executable is None:
        raise MosquittoError("mosquitto is not installed (Debian: apt-get install mosquitto)")
    with tempfile.TemporaryDirectory(prefix="rep-coach-load-") as tmp:
        workdir = Path(tmp)
        server = MosquittoServer(executable, free_port(), workdir, verbose=False)
        server.start()
        publishers = Publishers(config, server.broker)
        try:
            (workdir / "ha").mkdir()
            # Home Assistant takes the thread it runs in for its event loop (it then flags
            # blocking calls there): give it one of its own.
            with ThreadPoolExecutor(1, thread_name_prefix="home-assistant") as executor:
                return executor.submit(
                    asyncio.run,
                    _measure(config, server.broker, server.pid, publishers, workdir / "ha"),
                ).result()
        finally:
            publishers.close()
            server.stop()


ROWS = (
    ("samples_per_s", "samples/s into Home Assistant"),
    ("messages_per_s", "MQTT messages/s"),
    ("cpu_per_sample_us", "HA CPU per sample (µs)"),
    ("ha_cpu_pct", "HA CPU (% of one core)"),
    ("mosquitto_cpu_pct", "Mosquitto CPU (% of one core)"),
    ("p50_latency_ms", "publish -> bus event p50 (ms)"),
    ("p99_latency_ms", "publish -> bus event p99 (ms)"),
    ("latency_events", "events timed"),
    ("loop_lag_ms_max", "event-loop lag max (ms)"),
    ("loop_lag_ms_p99", "event-loop lag p99 (ms)"),
    ("reps", "reps counted in the window"),
    ("state_writes_per_min", "state writes per minute"),
    ("state_writes_per_rep", "state writes per rep"),
    ("state_writes_per_1000_samples", "state writes per 1000 samples"),
    ("memory_per_bench_kb", "memory per bench (KiB)"),
    ("rate_limited", "messages rate-limited"),
)


def table(result: dict[str, Any]) -> str:
    """The human-readable report."""
    lines = [
        f"load: {result['benches']} bench(es) at {RATE_HZ:g} Hz, {result['window_s']} s measured",
    ]
    lines += [f"  {label:<34} {_fmt(result.get(key)):>10}" for key, label in ROWS]
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    return "n/a" if value is None else f"{value:,}" if isinstance(value, int) else f"{value:g}"


def main(args: argparse.Namespace) -> int:
    """``rep-coach bench --load``."""
    if args.benches < 1 or args.duration <= 0 or args.warmup < 0:
        print(
            "rep-coach bench --load: --benches >= 1, --duration > 0, --warmup >= 0", file=sys.stderr
        )
        return 2
    config = LoadConfig(benches=args.benches, duration_s=args.duration, warmup_s=args.warmup)
    try:
        result = run_load(config)
    except (MosquittoError, RuntimeError, TimeoutError) as err:
        print(f"rep-coach bench --load: {err}", file=sys.stderr)
        return 1
    print(table(result))
    if args.json:
        print(json.dumps(result))
    return 0
