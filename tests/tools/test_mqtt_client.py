"""The command-line tools' MQTT client against a real Mosquitto."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from rep_coach_tools import mqtt_client
from rep_coach_tools.mqtt_client import BrokerAddress, MqttClient, sigterm_as_interrupt
from tests.mosquitto import MosquittoServer


@pytest.mark.e2e
def test_a_goodbye_the_broker_never_confirms_is_said_and_does_not_hold_up_leaving(
    mosquitto_server: MosquittoServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A broker that stops answering (here: the real Mosquitto frozen with SIGSTOP) never
    confirms the last QoS 1 message. paho's wait returns silently at its timeout; the client
    says the message went unconfirmed and still disconnects."""
    monkeypatch.setattr(mqtt_client, "FLUSH_TIMEOUT_S", 0.5)
    broker = mosquitto_server.broker
    client = MqttClient(BrokerAddress(broker.host, broker.port), client_id="rep-coach-test-flush")
    client.start()
    pid = mosquitto_server.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    try:
        client.publish("rep_coach/test/status", "offline", qos=1, retain=True)
        with caplog.at_level(logging.WARNING, logger=mqtt_client.__name__):
            client.disconnect()
    finally:
        os.kill(pid, signal.SIGCONT)
    assert "did not confirm the last message within 0.5 s" in caplog.text


@pytest.mark.e2e
def test_a_confirmed_goodbye_leaves_quietly(
    mosquitto_server: MosquittoServer, caplog: pytest.LogCaptureFixture
) -> None:
    broker = mosquitto_server.broker
    client = MqttClient(BrokerAddress(broker.host, broker.port), client_id="rep-coach-test-ok")
    client.start()
    client.publish("rep_coach/test/status", "offline", qos=1, retain=True)
    with caplog.at_level(logging.WARNING, logger=mqtt_client.__name__):
        client.disconnect()
    assert caplog.records == []


def _blocked_signals(native_id: int) -> set[int]:
    status = Path(f"/proc/self/task/{native_id}/status").read_text()
    mask = int(
        next(line for line in status.splitlines() if line.startswith("SigBlk:")).split()[1], 16
    )
    return {number for number in range(1, 65) if mask >> (number - 1) & 1}


@pytest.mark.e2e
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_stop_signals_reach_the_main_thread_and_never_paho_s(
    mosquitto_server: MosquittoServer,
) -> None:
    """CI's flaky ``test_stopping_the_emulator_says_offline[stay_online]``: the kernel gave the
    SIGTERM to paho's network thread, so the emulator's main thread slept on and never said
    goodbye. paho's thread must block the stop signals; the caller's own mask is unchanged."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, set())
    broker = mosquitto_server.broker
    client = MqttClient(BrokerAddress(broker.host, broker.port), client_id="rep-coach-test-mask")
    client.start()
    try:
        network = next(t for t in threading.enumerate() if t.name.startswith("paho-mqtt-client"))
        assert network.native_id is not None
        assert {signal.SIGINT, signal.SIGTERM} <= _blocked_signals(network.native_id)
        assert signal.pthread_sigmask(signal.SIG_BLOCK, set()) == before
    finally:
        client.disconnect()


STOP_RACE = """
import os, signal
from rep_coach_tools.mqtt_client import sigterm_as_interrupt
with sigterm_as_interrupt() as stop:
    try:
        os.kill(os.getpid(), signal.SIGTERM)  # lands before the wait, as right after "Sent"
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    stop.wait()
"""


def test_a_stop_signal_that_came_before_the_wait_still_ends_it() -> None:
    """The emulator's ``--end stay`` wait (CI's flaky stay_online test): a SIGTERM landing
    between the last bytecode and a ``time.sleep`` left the sleep running for an hour. The
    wait must end on a stop signal that arrived any time since the block began."""
    done = subprocess.run(
        [sys.executable, "-c", STOP_RACE], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout == "interrupted\n"
    assert "KeyboardInterrupt" in done.stderr
    assert done.returncode != 0


def test_the_stop_signal_wait_needs_the_main_thread() -> None:
    refused: list[str] = []

    def in_thread() -> None:
        with sigterm_as_interrupt() as stop:
            try:
                stop.wait()
            except RuntimeError as err:
                refused.append(str(err))

    worker = threading.Thread(target=in_thread)
    worker.start()
    worker.join()
    assert refused == ["only the main thread receives stop signals"]
