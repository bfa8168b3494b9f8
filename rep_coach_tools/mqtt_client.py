"""A small blocking MQTT client (paho-mqtt) for the command-line tools.

Connects (waiting for the broker's answer so bad addresses and credentials fail clearly), runs
the network loop in paho's background thread, re-announces on every reconnect, and delivers
what was published before it disconnects.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion

_LOGGER = logging.getLogger(__name__)

DEFAULT_PORT = 1883
KEEPALIVE_S = 15
CONNECT_TIMEOUT_S = 10.0
FLUSH_TIMEOUT_S = 30.0


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


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM (a service manager or ``kill`` stopping us) raises
    KeyboardInterrupt like Ctrl-C, so ``finally`` blocks still say goodbye on the broker."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
