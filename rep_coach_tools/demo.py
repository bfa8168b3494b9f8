"""``rep-coach demo`` (``scripts/demo``): Rep Coach on a real Home Assistant, one command.

Starts an MQTT broker (amqtt, embedded; or Mosquitto; or uses ``--broker``), a real Home
Assistant in a disposable state directory with onboarding done and a demo login, adds the MQTT
integration and confirms the Rep Coach sensor that Home Assistant discovers from the emulator's
announcement, writes a dashboard with the Rep Coach card and prints its address. The emulator
plays simulated sessions in a loop until Ctrl-C, which stops everything.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import time
import webbrowser
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import aiohttp

from .demo_api import HassApiError, HassClient
from .demo_automations import create_blueprint_automations
from .demo_config import (
    DASHBOARD_URL_PATH,
    DASHBOARD_VIEW_PATH,
    DemoPaths,
    DemoStateError,
    dashboard_config,
    example_views,
    prepare_state_dir,
    write_dashboard,
    write_hass_config,
)
from .demo_processes import ChildProcess, elapsed_since, first_exit, port_is_free, wait_for_port
from .mosquitto import MosquittoError, MosquittoServer, find_mosquitto, free_port
from .mqtt_client import BrokerAddress, parse_broker
from .waiting import WaitError, wait_for_value

_LOGGER = logging.getLogger(__name__)

READY_PREFIX: Final = "Rep Coach demo ready: "
DEFAULT_PORT: Final = 8123
DEFAULT_MQTT_PORT: Final = 1883
DEFAULT_USERNAME: Final = "demo"
DEFAULT_PASSWORD: Final = "rep-coach-demo"
SENSOR_ID: Final = "bench_demo"
# A standard-variation session (balance program, 25 Hz) whose first set counts from its first
# rep however late Home Assistant starts listening (seed 1's first set is missed from t < 2 s).
DEFAULT_SEED: Final = 10
DEVICE_NAME: Final = "Hip thrust bench"
# The entity the dashboard shows first; it exists once the discovered entry is set up.
READY_ENTITY: Final = "sensor.hip_thrust_bench_reps_this_set"
BROKER_START_TIMEOUT_S: Final = 30.0
HASS_START_TIMEOUT_S: Final = 180.0
DISCOVERY_TIMEOUT_S: Final = 60.0
EMBEDDED_BROKERS: Final = ("amqtt", "mosquitto")


class DemoError(Exception):
    """The demo cannot start; the message says why and what to do."""


@dataclass(slots=True)
class DemoBroker:
    """The broker the demo uses and how to stop it."""

    address: BrokerAddress
    description: str
    process: ChildProcess | None = None
    mosquitto: MosquittoServer | None = None

    async def stop(self) -> None:
        """Stop the broker if the demo started it."""
        if self.process is not None:
            await self.process.stop()
        if self.mosquitto is not None:
            await asyncio.to_thread(self.mosquitto.stop)


def pick_port(requested: int | None, preferred: int, what: str, option: str) -> int:
    """The port to use: ``requested`` exactly (0: any free one), else ``preferred`` if free.

    A busy default (a Home Assistant or a Mosquitto service already running) falls back to a
    free port, which the demo prints; a port asked for explicitly must be free.
    """
    if requested is None:
        if port_is_free(preferred):
            return preferred
        _LOGGER.info("Port %d for %s is in use; using a free one", preferred, what)
        return free_port()
    if requested == 0:
        return free_port()
    if not port_is_free(requested):
        raise DemoError(f"port {requested} for {what} is in use; pass {option} 0 for a free one")
    return requested


def _amqtt_executable() -> Path | None:
    candidate = Path(sys.executable).with_name("amqtt")
    return candidate if candidate.exists() else None


async def start_broker(args: argparse.Namespace, paths: DemoPaths) -> DemoBroker:
    """The broker: ``--broker`` as is, else the embedded one on a loopback port."""
    if args.broker is not None:
        address = parse_broker(args.broker)
        return DemoBroker(address, "yours (--broker)")
    port = pick_port(args.mqtt_port, DEFAULT_MQTT_PORT, "the MQTT broker", "--mqtt-port")
    kind: str = args.embedded_broker
    amqtt = _amqtt_executable()
    if kind == "amqtt" and amqtt is None:
        _LOGGER.warning("amqtt is not installed (scripts/setup installs it); trying Mosquitto")
        kind = "mosquitto"
    if kind == "mosquitto":
        executable = find_mosquitto()
        if executable is None:
            raise DemoError(
                "no embedded broker: run scripts/setup (amqtt), install mosquitto, or pass "
                "--broker HOST:PORT"
            )
        server = MosquittoServer(executable, port, paths.broker, verbose=False)
        try:
            await asyncio.to_thread(server.start)
        except MosquittoError as err:
            raise DemoError(str(err)) from err
        address = BrokerAddress(server.broker.host, server.broker.port)
        return DemoBroker(address, "Mosquitto, embedded", mosquitto=server)
    assert amqtt is not None
    config = paths.broker / "amqtt.yaml"
    config.write_text(
        "listeners:\n"
        "  default:\n"
        "    type: tcp\n"
        f"    bind: 127.0.0.1:{port}\n"
        "plugins:\n"
        "  amqtt.plugins.authentication.AnonymousAuthPlugin:\n"
        "    allow_anonymous: true\n"
    )
    process = ChildProcess(
        "broker", [str(amqtt), "-c", str(config)], paths.log("broker"), cwd=paths.root
    )
    await process.start()
    broker = DemoBroker(BrokerAddress("127.0.0.1", port), "amqtt, embedded", process=process)
    try:
        await wait_for_port(
            "127.0.0.1",
            port,
            timeout_s=BROKER_START_TIMEOUT_S,
            what="the MQTT broker",
            alive=lambda: process.running,
        )
    except WaitError as err:
        await broker.stop()
        raise DemoError(f"{err}\n{process.tail()}") from err
    return broker


async def set_up_hass(
    client: HassClient, hass: ChildProcess, broker: BrokerAddress, args: argparse.Namespace
) -> None:
    """Owner (onboarding's user step) and the MQTT integration pointing at ``broker``."""
    await wait_for_value(
        client.onboarding_status,
        timeout_s=HASS_START_TIMEOUT_S,
        what="Home Assistant's HTTP server",
        alive=lambda: hass.running,
    )
    await client.create_owner(name="Demo", username=args.username, password=args.password)
    host = "127.0.0.1" if broker.host in {"localhost", "0.0.0.0"} else broker.host
    # MQTT 3.1.1: Home Assistant 2026.10 defaults to MQTT 5, which the embedded amqtt does not
    # speak; every broker speaks 3.1.1 and Rep Coach needs nothing of 5.
    result = await client.config_flow(
        "mqtt", {"broker": host, "port": broker.port, "protocol": "3.1.1"}
    )
    if result.get("type") != "create_entry":
        raise DemoError(
            f"Home Assistant could not connect to the broker {broker}: "
            f"{result.get('errors') or result}"
        )


async def confirm_discovered_bench(client: HassClient, hass: ChildProcess) -> str:
    """Confirm the Rep Coach sensor Home Assistant discovered; returns its device id."""

    async def discovered() -> str | None:
        flows = await client.flows_in_progress("rep_coach")
        return str(flows[0]["flow_id"]) if flows else None

    flow_id: str = await wait_for_value(
        discovered,
        timeout_s=DISCOVERY_TIMEOUT_S,
        what="Home Assistant to discover the emulated sensor",
        alive=lambda: hass.running,
    )
    result = await client.flow_step(flow_id, {})
    if result.get("type") != "create_entry":
        raise DemoError(f"confirming the discovered sensor failed: {result}")

    async def device() -> str | None:
        ids = await client.device_ids("rep_coach")
        return ids[0] if ids else None

    device_id: str = await wait_for_value(
        device,
        timeout_s=DISCOVERY_TIMEOUT_S,
        what="the Rep Coach device",
        alive=lambda: hass.running,
    )

    async def entity_ready() -> bool | None:
        return True if await client.state(READY_ENTITY) is not None else None

    await wait_for_value(
        entity_ready, timeout_s=DISCOVERY_TIMEOUT_S, what=READY_ENTITY, alive=lambda: hass.running
    )
    return device_id


def _maybe_open_browser(url: str, args: argparse.Namespace) -> None:
    # Only with a graphical session: without one, webbrowser may start a text browser that
    # takes over this terminal.
    graphical = sys.platform == "darwin" or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if not args.no_browser and graphical:
        webbrowser.open(url)


async def run_demo(args: argparse.Namespace, paths: DemoPaths, port: int) -> int:
    """Start everything, report readiness, run until a stop signal or a child's failure."""
    started = time.monotonic()
    stop = _stop_on_signals()
    base_url = f"http://127.0.0.1:{port}"
    children: list[ChildProcess] = []
    broker: DemoBroker | None = None
    try:
        broker = await start_broker(args, paths)
        print(f"MQTT broker: {broker.description} at {broker.address}", flush=True)
        write_hass_config(paths, port=port)
        hass = _hass_process(paths)
        emulator = _emulator_process(broker.address, paths, args)
        children = [emulator, hass]
        await hass.start()
        print(f"Home Assistant starting at {base_url} (state in {paths.root})", flush=True)
        async with HassClient(base_url) as client:
            setup = _set_up(client, hass, emulator, broker.address, paths, args)
            url = await _unless_stopped(setup, stop)
        if url is None:
            return 130
        _print_ready(url, args, broker.address, paths, started)
        _maybe_open_browser(url, args)
        failed = await first_exit(children, stop)
        if failed is not None:
            print(
                f"rep-coach demo: {failed.name} exited unexpectedly; the end of {failed.log}:\n"
                f"{failed.tail()}",
                file=sys.stderr,
            )
            return 1
        return 0
    except (DemoError, HassApiError, aiohttp.ClientError, TimeoutError) as err:
        print(f"rep-coach demo: {err}", file=sys.stderr)
        for child in children:
            if child.log.exists() and not child.running:
                print(f"--- end of {child.log} ---\n{child.tail()}", file=sys.stderr)
        return 1
    finally:
        print("Stopping the demo...", file=sys.stderr, flush=True)
        for child in children:
            await child.stop()
        if broker is not None:
            await broker.stop()


def _stop_on_signals() -> asyncio.Event:
    """An event that Ctrl-C (SIGINT) or SIGTERM sets."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    return stop


def _hass_process(paths: DemoPaths) -> ChildProcess:
    """Home Assistant on the generated configuration (not started yet)."""
    return ChildProcess(
        "home-assistant",
        [sys.executable, "-m", "homeassistant", "--config", str(paths.config), "--skip-pip"],
        paths.log("home-assistant-console"),
        cwd=paths.config,
    )


def _emulator_process(
    broker: BrokerAddress, paths: DemoPaths, args: argparse.Namespace
) -> ChildProcess:
    """``rep-coach emulate`` playing sessions forever (not started yet)."""
    command = ["emulate", "--broker", str(broker), "--sensor-id", SENSOR_ID, "--name", DEVICE_NAME]
    command += ["--seed", str(args.seed), "--speed", f"{args.speed:g}", "--repeat", "0"]
    return ChildProcess(
        "emulator",
        [sys.executable, "-m", "rep_coach_tools.cli", *command],
        paths.log("emulator"),
        cwd=paths.root,
    )


async def _unless_stopped(work: Coroutine[Any, Any, str], stop: asyncio.Event) -> str | None:
    """The result of ``work``, or None when ``stop`` is set first (``work`` is cancelled)."""
    task = asyncio.ensure_future(work)
    stopper = asyncio.ensure_future(stop.wait())
    await asyncio.wait([task, stopper], return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    if not task.done():
        task.cancel()
        return None
    return task.result()


def _print_ready(
    url: str, args: argparse.Namespace, broker: BrokerAddress, paths: DemoPaths, started: float
) -> None:
    print(f"{READY_PREFIX}{url}", flush=True)
    print(
        f"  Log in as '{args.username}' with password '{args.password}'.\n"
        f"  The emulated sensor '{SENSOR_ID}' plays sessions at {args.speed:g}x on {broker}.\n"
        f"  Logs: {paths.root}/*.log and {paths.config}/home-assistant.log.\n"
        f"  Ready after {elapsed_since(started)}. Ctrl-C stops the demo.",
        flush=True,
    )


async def _set_up(
    client: HassClient,
    hass: ChildProcess,
    emulator: ChildProcess,
    broker: BrokerAddress,
    paths: DemoPaths,
    args: argparse.Namespace,
) -> str:
    """Everything between starting Home Assistant and the dashboard being ready; its URL."""
    await set_up_hass(client, hass, broker, args)
    await emulator.start()
    device_id = await confirm_discovered_bench(client, hass)
    await create_blueprint_automations(client, device_id)
    write_dashboard(paths, dashboard_config(device_id, example_views()))
    return f"{client.base_url}/{DASHBOARD_URL_PATH}/{DASHBOARD_VIEW_PATH}"


def run(args: argparse.Namespace) -> int:
    """The ``demo`` command."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    if args.speed <= 0:
        print("rep-coach demo: --speed must be above 0", file=sys.stderr)
        return 2
    try:
        port = pick_port(args.port, DEFAULT_PORT, "Home Assistant", "--port")
        paths = prepare_state_dir(Path(args.state_dir).resolve())
        return asyncio.run(run_demo(args, paths, port))
    except (DemoError, DemoStateError, ValueError) as err:
        print(f"rep-coach demo: {err}", file=sys.stderr)
        return 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``demo`` sub-command."""
    parser = subparsers.add_parser(
        "demo",
        help="run Home Assistant with Rep Coach and an emulated sensor (scripts/demo)",
        description=(
            "Start an MQTT broker, a real Home Assistant with Rep Coach set up (onboarding "
            "done, a demo login) and the sensor emulator playing sessions; print the "
            "dashboard's address. Runs until Ctrl-C."
        ),
    )
    parser.add_argument(
        "--port",
        type=int,
        help=f"Home Assistant's HTTP port (default {DEFAULT_PORT}, or a free one if it is busy; "
        "0: a free one)",
    )
    parser.add_argument(
        "--broker", help="HOST[:PORT] of an existing MQTT broker instead of the embedded one"
    )
    parser.add_argument(
        "--mqtt-port",
        type=int,
        help=f"the embedded broker's port (default {DEFAULT_MQTT_PORT}, or a free one if it is "
        "busy; 0: a free one)",
    )
    parser.add_argument(
        "--embedded-broker",
        choices=EMBEDDED_BROKERS,
        default="amqtt",
        help="which embedded broker to start (amqtt from PyPI, or Debian's mosquitto)",
    )
    parser.add_argument(
        "--speed", type=float, default=1.0, help="emulated sessions' speed (1 real time)"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="first simulated session's seed"
    )
    parser.add_argument(
        "--state-dir",
        default=".demo",
        help="disposable directory for Home Assistant's state and the logs (wiped at start)",
    )
    parser.add_argument("--username", default=DEFAULT_USERNAME, help="demo login's user name")
    parser.add_argument("--password", default=DEFAULT_PASSWORD, help="demo login's password")
    parser.add_argument(
        "--no-browser", action="store_true", help="do not open the dashboard in a browser"
    )
    parser.set_defaults(func=run)
