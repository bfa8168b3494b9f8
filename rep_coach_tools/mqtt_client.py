"""A small blocking MQTT client (paho-mqtt) for the command-line tools.

Connects (waiting for the broker's answer so bad addresses and credentials fail clearly), runs
the network loop in paho's background thread, re-announces on every reconnect, and delivers
what was published before it disconnects.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion

_LOGGER = logging.getLogger(__name__)

DEFAULT_PORT = 1883
KEEPALIVE_S = 15
CONNECT_TIMEOUT_S = 10.0
FLUSH_TIMEOUT_S = 10.0  # a broker that has not confirmed a QoS 1 message by then never will


class MqttError(Exception):
    """The broker could not be reached or refused us."""


@dataclass(frozen=True, slots=True)
class BrokerAddress:
    """Where the broker is and who we are to it."""

    host: str
    port: int = DEFAULT_PORT
    username: str | None = None
    password: str | None = None

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


def parse_broker(
    text: str, *, username: str | None = None, password: str | None = None
) -> BrokerAddress:
    """``HOST``, ``HOST:PORT`` or ``[IPv6]:PORT``; ValueError when it is neither."""
    text = text.strip()
    host, port_text = text, ""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":")
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    if not host:
        raise ValueError(f"broker {text!r}: no host")
    port = DEFAULT_PORT
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ValueError(f"broker {text!r}: port must be 1-65535")
        port = int(port_text)
    return BrokerAddress(host, port, username, password)


MessageHandler = Callable[[str, bytes, bool], None]  # topic, payload, retained

STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextmanager
def _stop_signals_kept_for_the_main_thread() -> Iterator[None]:
    """Threads started within the block never receive SIGINT or SIGTERM.

    The kernel hands a signal sent to the process to any thread that does not block it, and
    Python runs the handler in the main thread only: a stop signal that landed in paho's network
    thread would wait for the main thread's next bytecode (a blocking wait there would not be
    cut short). Threads inherit the signal mask of the thread that starts them.
    """
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class MqttClient:
    """A connected client; publish from any thread."""

    def __init__(
        self,
        broker: BrokerAddress,
        *,
        client_id: str,
        will: tuple[str, str] | None = None,
        on_connect: Callable[[], None] | None = None,
        on_message: MessageHandler | None = None,
        subscriptions: Iterable[str] = (),
    ) -> None:
        self.broker = broker
        self._on_connect = on_connect
        self._on_message = on_message
        self._subscriptions = tuple(subscriptions)
        self._connected = threading.Event()
        self._subscribed = threading.Event()
        self._pending_subscriptions: set[int] = set()
        self._refused: str | None = None
        self._last_publish: paho.MQTTMessageInfo | None = None
        self._client = paho.Client(CallbackAPIVersion.VERSION2, client_id=client_id)
        if broker.username is not None:
            self._client.username_pw_set(broker.username, broker.password)
        if will is not None:
            self._client.will_set(will[0], will[1], qos=1, retain=True)
        self._client.on_connect = self._handle_connect
        self._client.on_disconnect = self._handle_disconnect
        self._client.on_message = self._handle_message
        self._client.on_subscribe = self._handle_subscribe

    def start(self) -> None:
        """Connect and wait for the broker's answer and for every subscription to be in place
        (nothing published afterwards is missed); MqttError when the broker does not accept us."""
        try:
            self._client.connect(self.broker.host, self.broker.port, keepalive=KEEPALIVE_S)
        except (OSError, ValueError) as err:
            raise MqttError(f"cannot connect to {self.broker}: {err}") from err
        with _stop_signals_kept_for_the_main_thread():
            self._client.loop_start()
        if not self._connected.wait(CONNECT_TIMEOUT_S) or self._refused is not None:
            self._client.loop_stop()
            reason = self._refused or f"no answer within {CONNECT_TIMEOUT_S:g} s"
            raise MqttError(f"broker {self.broker} did not accept the connection: {reason}")
        if self._subscriptions and not self._subscribed.wait(CONNECT_TIMEOUT_S):
            self._client.loop_stop()
            raise MqttError(f"broker {self.broker} did not confirm the subscriptions")

    def _handle_connect(
        self, client: paho.Client, _userdata: Any, _flags: Any, reason: Any, _props: Any
    ) -> None:
        if reason.is_failure:
            self._refused = str(reason)
            self._connected.set()
            return
        if self._subscriptions:
            _result, mid = client.subscribe([(topic, 0) for topic in self._subscriptions])
            if mid is not None:
                self._pending_subscriptions.add(mid)
        if self._on_connect is not None:
            self._on_connect()
        self._connected.set()

    def _handle_disconnect(
        self, _client: paho.Client, _userdata: Any, _flags: Any, reason: Any, _props: Any
    ) -> None:
        if reason.is_failure:
            _LOGGER.warning("Lost the connection to %s (%s); reconnecting", self.broker, reason)

    def _handle_subscribe(
        self, _client: paho.Client, _userdata: Any, mid: int, reasons: Any, _props: Any
    ) -> None:
        refused = [str(reason) for reason in reasons if reason.is_failure]
        if refused:
            _LOGGER.error("Broker %s refused a subscription: %s", self.broker, ", ".join(refused))
        self._pending_subscriptions.discard(mid)
        if not self._pending_subscriptions:
            self._subscribed.set()

    def _handle_message(self, _client: paho.Client, _userdata: Any, message: Any) -> None:
        if self._on_message is not None:
            self._on_message(str(message.topic), bytes(message.payload), bool(message.retain))

    def publish(self, topic: str, payload: str, *, qos: int = 0, retain: bool = False) -> None:
        """Queue one message; it is sent in order with the others."""
        self._last_publish = self._client.publish(topic, payload, qos=qos, retain=retain)

    def publish_json(
        self, topic: str, data: dict[str, Any], *, qos: int = 0, retain: bool = False
    ) -> None:
        """Queue one JSON message."""
        self.publish(topic, json.dumps(data), qos=qos, retain=retain)

    def _flush(self) -> None:
        if self._last_publish is not None:
            try:
                self._last_publish.wait_for_publish(timeout=FLUSH_TIMEOUT_S)
            except (RuntimeError, ValueError) as err:
                _LOGGER.warning("Not every message reached %s: %s", self.broker, err)
                return
            if not self._last_publish.is_published():
                # paho returns silently at the timeout: say so, and leave rather than hang.
                _LOGGER.warning(
                    "%s did not confirm the last message within %g s; leaving without it",
                    self.broker,
                    FLUSH_TIMEOUT_S,
                )

    def disconnect(self) -> None:
        """Deliver what was published, then disconnect cleanly (no last will)."""
        self._flush()
        self._client.disconnect()
        self._client.loop_stop()

    def drop(self) -> None:
        """Deliver what was published, then cut the connection without DISCONNECT, as a power
        cut would: the broker publishes the last will."""
        self._flush()
        self._client.loop_stop()
        sock = self._client.socket()
        if sock is not None:
            sock.close()


class StopSignal:
    """Waits for SIGINT or SIGTERM without losing one that comes just before the wait."""

    def __init__(self, read_fd: int | None) -> None:
        self._read_fd = read_fd

    def wait(self) -> NoReturn:
        """Block until a stop signal arrives, or return at once if one has arrived since the
        block began; either way raise KeyboardInterrupt.

        ``time.sleep`` cannot do this: Python runs a signal's handler between two bytecodes, so
        a SIGTERM landing after the last check and before the sleep's system call leaves the
        handler pending and the sleep unbroken (an emulator told to stop right after it said
        "Sent" slept on). The interpreter's own C handler writes every signal's number to the
        wakeup pipe whenever it lands, so reading the pipe cannot miss it.
        """
        if self._read_fd is None:
            raise RuntimeError("only the main thread receives stop signals")
        while True:
            received = os.read(self._read_fd, 64)
            if any(number in STOP_SIGNALS for number in received):
                raise KeyboardInterrupt


@contextmanager
def sigterm_as_interrupt() -> Iterator[StopSignal]:
    """Within the block, SIGTERM (a service manager or ``kill`` stopping us) raises
    KeyboardInterrupt like Ctrl-C, so ``finally`` blocks still say goodbye on the broker; the
    :class:`StopSignal` yielded waits for either."""
    if threading.current_thread() is not threading.main_thread():
        yield StopSignal(None)
        return

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    previous_fd = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield StopSignal(read_fd)
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.set_wakeup_fd(previous_fd)
        os.close(read_fd)
        os.close(write_fd)
