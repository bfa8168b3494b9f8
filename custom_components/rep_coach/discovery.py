"""What a sensor tells us about itself: its MQTT announcement, its id, its first payload."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from homeassistant.components import mqtt
from homeassistant.core import HomeAssistant, callback
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
)
from .engine.protocol import (
    SensorAnnouncement,
    discovery_topic,
    has_wildcard,
    sensor_id_from_samples_topic,
)
from .validation import vol


def topic_error(topic: str) -> str | None:
    """Why ``topic`` cannot be a sensor's topic (an error key), or None when it can."""
    try:
        mqtt.valid_subscribe_topic(topic)
    except vol.Invalid:
        return "invalid_topic"
    if has_wildcard(topic):
        return "wildcard_topic"
    return None


class InvalidAnnouncementError(Exception):
    """The discovery message is not a Rep Coach announcement."""


@dataclass(frozen=True, slots=True)
class Announcement:
    """A validated announcement from ``rep_coach/discovery/<sensor_id>`` and its entry data."""

    name: str
    entry_data: dict[str, Any]

    @property
    def sensor_id(self) -> str:
        """The announcing sensor's id."""
        return str(self.entry_data[CONF_SENSOR_ID])


def entry_data(announced: SensorAnnouncement) -> dict[str, Any]:
    """The config entry data of an announced sensor: what identifies and reaches it."""
    optional = {
        CONF_AVAILABILITY_TOPIC: announced.availability_topic,
        CONF_MODEL: announced.model,
        CONF_SW_VERSION: announced.sw_version,
    }
    return {
        CONF_SENSOR_ID: announced.id,
        CONF_PAYLOAD_FORMAT: None if announced.format is None else str(announced.format),
        CONF_STATE_TOPIC: announced.state_topic,
        CONF_PAYLOAD_AVAILABLE: announced.payload_available,
        CONF_PAYLOAD_NOT_AVAILABLE: announced.payload_not_available,
        CONF_MANUFACTURER: announced.manufacturer,
        **{key: value for key, value in optional.items() if value is not None},
    }


def parse_announcement(info: MqttServiceInfo) -> Announcement:
    """Validate a discovery message; raises :class:`InvalidAnnouncementError` with the reason."""
    payload = info.payload if isinstance(info.payload, str | bytes) else bytes(info.payload)
    try:
        announced = SensorAnnouncement.decode(payload)  # an empty payload: the sensor was retired
    except ValueError as err:
        raise InvalidAnnouncementError(str(err)) from err
    for topic in (announced.state_topic, announced.availability_topic):
        if topic is not None and (error := topic_error(topic)):
            raise InvalidAnnouncementError(f"{error}: {topic}")
    if info.topic != discovery_topic(announced.id):
        raise InvalidAnnouncementError(f"id {announced.id} does not match topic {info.topic}")
    return Announcement(name=announced.name, entry_data=entry_data(announced))


def sensor_id_for_topic(topic: str) -> str:
    """The sensor id a sample topic belongs to (the firmware's id, else the topic as a slug)."""
    return sensor_id_from_samples_topic(topic) or slugify(topic)


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
