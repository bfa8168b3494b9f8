"""The demo with other brokers (``--broker``, ``--embedded-broker mosquitto``) and failures."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from rep_coach_tools.demo import SENSOR_ID
from rep_coach_tools.mosquitto import find_mosquitto
from tests.mosquitto import (
    MosquittoServer,
    free_port,
    mosquitto,
    mosquitto_extra_config,
    mosquitto_server,
)

from .conftest import BROKER_LINE, DEMO_COMMAND, START_TIMEOUT_S, STOP_TIMEOUT_S, running_demo

__all__ = ["mosquitto", "mosquitto_extra_config", "mosquitto_server"]

needs_mosquitto = pytest.mark.skipif(
    find_mosquitto() is None, reason="mosquitto is not installed (apt-get install mosquitto)"
)


@needs_mosquitto
@pytest.mark.e2e
def test_existing_broker_is_used(mosquitto_server: MosquittoServer, tmp_path: Path) -> None:
    """With --broker, Home Assistant and the emulator meet on that broker; none is started."""
    address = mosquitto_server.broker.address
    with running_demo(tmp_path / "demo", "--broker", address) as demo:
        assert f"MQTT broker: yours (--broker) at {address}" in demo.console
        assert demo.stop() == 0, demo.console
    # Ready means Home Assistant discovered the emulated sensor: both used this broker.
    assert any(f"rep-coach-emulator-{SENSOR_ID}" in line for line in mosquitto_server.log)
    assert not (tmp_path / "demo" / "broker" / "amqtt.yaml").exists()


@needs_mosquitto
@pytest.mark.e2e
def test_embedded_mosquitto(socket_enabled: None, tmp_path: Path) -> None:
    """Debian's Mosquitto as the embedded broker: ready, and stopped with the demo."""
    with running_demo(tmp_path / "demo", "--embedded-broker", "mosquitto") as demo:
        assert re.search(r"MQTT broker: Mosquitto, embedded at 127\.0\.0\.1:\d+", demo.console)
        broker_port = demo.port_of(BROKER_LINE)
        assert demo.stop() == 0, demo.console
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", broker_port), timeout=5).close()


@pytest.mark.e2e
def test_unreachable_broker_is_a_clear_error(socket_enabled: None, tmp_path: Path) -> None:
    """A --broker nobody listens on: one clear line, exit code 1, nothing left running."""
    port = free_port()

    result = subprocess.run(
        [
            *DEMO_COMMAND,
            "--port",
            "0",
            "--broker",
            f"127.0.0.1:{port}",
            "--no-browser",
            "--state-dir",
            str(tmp_path / "demo"),
        ],
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
        check=False,
    )

    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        f"Home Assistant could not connect to the broker 127.0.0.1:{port}: "
        "{'base': 'cannot_connect'}" in result.stderr
    )
    assert "Traceback" not in result.stdout + result.stderr
    hass = re.search(r"Home Assistant starting at http://127\.0\.0\.1:(\d+)", result.stdout)
    assert hass, result.stdout
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", int(hass.group(1))), timeout=5).close()


def child_processes(parent: int) -> dict[int, str]:
    """Linux: the command lines of ``parent``'s children, by process id."""
    children: dict[int, str] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:
                cmdline = (stat.parent / "cmdline").read_bytes()
                children[int(stat.parent.name)] = cmdline.replace(b"\0", b" ").decode()
        except OSError, IndexError, ValueError:
            continue  # the process ended while we looked
    return children


@pytest.mark.e2e
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_a_child_dying_stops_the_demo(socket_enabled: None, tmp_path: Path) -> None:
    """The emulator killed: the demo says so, stops Home Assistant and the broker, exits 1."""
    with running_demo(tmp_path / "demo") as demo:
        children = child_processes(demo.process.pid)
        emulator = next(pid for pid, cmd in children.items() if " emulate " in cmd)
        hass_port = int(demo.base_url.rsplit(":", 1)[1])

        os.kill(emulator, signal.SIGKILL)

        assert demo.process.wait(timeout=STOP_TIMEOUT_S) == 1
    assert "emulator exited unexpectedly" in demo.console
    assert len(children) == 3, children  # broker, Home Assistant, emulator
    assert [pid for pid in children if Path(f"/proc/{pid}").exists()] == []
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", hass_port), timeout=5).close()
