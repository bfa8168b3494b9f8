"""What a sensor tells us about itself: its MQTT announcement, its id, its first payload."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from typing import Any

from homeassistant.components import mqtt
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.service_info.mqtt import MqttServiceInfo, ReceivePayloadType
from homeassistant.util import slugify

from .const import (
    CONF_AVAILABILITY_TOPIC,
    CONF_MANUFACTURER,
    CONF_MODEL,
    CONF_PAYLOAD_AVAILABLE,
    CONF_PAYLOAD_FORMAT,
    CONF_PAYLOAD_NOT_AVAILABLE,
    CONF_SENSOR_ID,
    CONF_STATE_TOPIC,
    CONF_SW_VERSION,
    DEFAULT_NAME,
    DEFAULT_PAYLOAD_AVAILABLE,
    DEFAULT_PAYLOAD_NOT_AVAILABLE,
    DISCOVERY_TOPIC_PREFIX,
    MANUFACTURER,
)
from .engine import PayloadFormat
from .validation import vol

SENSOR_ID_PATTERN = r"[a-z0-9_]+"
_OUR_SAMPLE_TOPIC = re.compile(rf"rep_coach/({SENSOR_ID_PATTERN})/samples")

WILDCARDS = ("+", "#")


def topic_error(topic: str) -> str | None:
    """Why ``topic`` cannot be a sensor's topic (an error key), or None when it can.

    A sensor publishes to exactly one topic, so wildcards, valid as they are for subscribing,
    would mix other devices' messages into the bench's stream.
    """
    try:
        mqtt.valid_subscribe_topic(topic)
    except vol.Invalid:
        return "invalid_topic"
    if any(wildcard in topic for wildcard in WILDCARDS):
        return "wildcard_topic"
    return None


def sensor_topic(value: Any) -> str:
    """Validator: one MQTT topic without wildcards."""
    topic = cv.string(value)
    if error := topic_error(topic):
        raise vol.Invalid(f"{error}: {topic}")
    return topic


ANNOUNCEMENT_SCHEMA = vol.Schema(
    {
        vol.Required("id"): vol.All(cv.string, vol.Match(rf"^{SENSOR_ID_PATTERN}$")),
        vol.Optional("name", default=DEFAULT_NAME): vol.All(cv.string, vol.Length(min=1, max=100)),
        vol.Optional(CONF_MODEL): cv.string,
        vol.Optional(CONF_MANUFACTURER, default=MANUFACTURER): cv.string,
        vol.Optional(CONF_SW_VERSION): cv.string,
        vol.Required(CONF_STATE_TOPIC): sensor_topic,
        vol.Optional(CONF_AVAILABILITY_TOPIC): sensor_topic,
        vol.Optional(CONF_PAYLOAD_AVAILABLE, default=DEFAULT_PAYLOAD_AVAILABLE): cv.string,
        vol.Optional(CONF_PAYLOAD_NOT_AVAILABLE, default=DEFAULT_PAYLOAD_NOT_AVAILABLE): cv.string,
        vol.Optional("format"): vol.In([str(fmt) for fmt in PayloadFormat]),
        vol.Optional("rate_hz"): vol.All(vol.Coerce(float), vol.Range(min=0, min_included=False)),
    },
    extra=vol.REMOVE_EXTRA,
)


class InvalidAnnouncementError(Exception):
    """The discovery message is not a Rep Coach announcement."""


@dataclass(frozen=True, slots=True)
class Announcement:
    """A validated announcement from ``rep_coach/discovery/<sensor_id>``."""

    name: str
    entry_data: dict[str, Any]

    @property
    def sensor_id(self) -> str:
        """The announcing sensor's id."""
        return str(self.entry_data[CONF_SENSOR_ID])


def parse_announcement(info: MqttServiceInfo) -> Announcement:
    """Validate a discovery message; raises :class:`InvalidAnnouncementError` with the reason."""
    try:
        raw = json.loads(info.payload)
    except ValueError as err:  # also an empty payload: the retained announcement was cleared
        raise InvalidAnnouncementError(f"not JSON: {err}") from err
    try:
        announced = ANNOUNCEMENT_SCHEMA(raw)
    except vol.Invalid as err:
        raise InvalidAnnouncementError(str(err)) from err
    if info.topic != f"{DISCOVERY_TOPIC_PREFIX}{announced['id']}":
        raise InvalidAnnouncementError(f"id {announced['id']} does not match topic {info.topic}")
    entry_data = {
        CONF_SENSOR_ID: announced["id"],
        CONF_PAYLOAD_FORMAT: announced.get("format"),
        **{
            key: announced[key]
            for key in (
                CONF_STATE_TOPIC,
                CONF_AVAILABILITY_TOPIC,
                CONF_PAYLOAD_AVAILABLE,
                CONF_PAYLOAD_NOT_AVAILABLE,
                CONF_MODEL,
                CONF_MANUFACTURER,
                CONF_SW_VERSION,
            )
            if key in announced
        },
    }
    return Announcement(name=announced["name"], entry_data=entry_data)


def sensor_id_for_topic(topic: str) -> str:
    """The sensor id a sample topic belongs to (the firmware's id, else the topic as a slug)."""
    if match := _OUR_SAMPLE_TOPIC.fullmatch(topic):
        return match.group(1)
    return slugify(topic)


class TopicProbe:
    """Listens to a topic for its first payload (a retained state or the next live one)."""

    def __init__(self, hass: HomeAssistant, topic: str) -> None:
        """Prepare to listen to ``topic``."""
        self._hass = hass
        self._topic = topic
        self._first: asyncio.Future[ReceivePayloadType] = hass.loop.create_future()

    async def async_subscribe(self) -> None:
        """Start listening; the unsubscribe runs when :meth:`async_first_payload` returns."""
        self._unsubscribe = await mqtt.async_subscribe(
            self._hass, self._topic, self._async_received, encoding=None
        )

    async def async_first_payload(self, wait_s: float) -> ReceivePayloadType | None:
        """The first payload, or None when none came within ``wait_s`` seconds."""
        try:
            async with asyncio.timeout(wait_s):
                return await self._first
        except TimeoutError:
            return None
        finally:
            self._unsubscribe()

    @callback
    def _async_received(self, msg: mqtt.ReceiveMessage) -> None:
        if not self._first.done():
            self._first.set_result(msg.payload)
