"""Runtime of one bench sensor: MQTT in, engine in the middle, entities and bus events out."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components import mqtt
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_HOMEASSISTANT_STOP
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .bus import async_fire_bus_event
from .const import (
    CONF_AVAILABILITY_TOPIC,
    CONF_MANUFACTURER,
    CONF_MODEL,
    CONF_PAYLOAD_AVAILABLE,
    CONF_PAYLOAD_NOT_AVAILABLE,
    CONF_SENSOR_ID,
    CONF_STATE_TOPIC,
    CONF_SW_VERSION,
    DOMAIN,
    LOGGER,
    MANUFACTURER,
    STORE_SAVE_DELAY_S,
    TICK_INTERVAL_S,
)
from .engine import EngineEvent, EngineSettings, EngineState, RepEngine, SensorState
from .engine.protocol import PAYLOAD_AVAILABLE, PAYLOAD_NOT_AVAILABLE
from .health import StreamHealth
from .options import options_from_settings, settings_from_options
from .ratelimit import MessageRateLimiter
from .session_store import (
    SessionStore,
    UnreadableSessionError,
    async_report_unreadable_session,
)

type RepCoachConfigEntry = ConfigEntry[RepCoachCoordinator]
type Clock = Callable[[], float]
type EngineEventListener = Callable[[EngineEvent], None]


def epoch_monotonic_clock() -> Clock:
    """A monotonic clock in seconds, aligned with the epoch when it is made.

    Monotonic so Wi-Fi stalls and NTP steps never bend rep timing; epoch-aligned so engine
    times saved before a restart still mean the same instant after it.
    """
    offset = time.time() - time.monotonic()
    return lambda: time.monotonic() + offset


@dataclass(frozen=True, slots=True)
class CoachData:
    """What the entities show: the engine's snapshot plus what the integration adds.

    ``available``: the broker is connected and the sensor is not reported offline; the
    session's figures (counters, last rep, side, rest) are shown. ``streaming``: on top of
    that, readings are arriving; only live states (phase, holding, hip height) need them.
    ``vouched_online``: the sensor has an availability topic, so silence while it says
    ``online`` is an empty bench, not a fault.
    """

    state: EngineState
    settings: EngineSettings
    available: bool
    streaming: bool
    vouched_online: bool
    rest_ends_at: datetime | None


class RepCoachCoordinator(DataUpdateCoordinator[CoachData]):
    """Feeds one sensor's MQTT stream to its engine and pushes the results to Home Assistant."""

    config_entry: RepCoachConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: RepCoachConfigEntry,
        clock: Clock | None = None,
    ) -> None:
        """Build the engine from the entry's options; nothing is subscribed yet."""
        super().__init__(hass, LOGGER, config_entry=entry, name=entry.title)
        self.clock: Clock = clock or epoch_monotonic_clock()
        # What this runtime was built from; other data (reconfigure, discovery) needs a reload.
        self.entry_data: dict[str, Any] = dict(entry.data)
        self.engine = RepEngine(
            settings_from_options(entry.options), wall_clock=self.engine_time_to_datetime
        )
        self.health = StreamHealth(hass, entry, self.clock(), self.engine.counters)
        self.rate_limit = MessageRateLimiter(entry.title, entry.data[CONF_STATE_TOPIC])
        self._store = SessionStore(hass, entry.entry_id)
        self._event_listeners: list[EngineEventListener] = []
        self._mqtt_connected = False
        self._sensor_online = True
        self._was_available: bool | None = None
        self._rest_ends: tuple[float, datetime] | None = None
        self.device_id: str | None = None
        self._stopping = False
        self._unlisten_stop: CALLBACK_TYPE | None = None
        self.data = self._snapshot()

    @property
    def sensor_id(self) -> str:
        """The sensor's id (unique per sensor)."""
        return str(self.config_entry.data[CONF_SENSOR_ID])

    @property
    def device_info(self) -> DeviceInfo:
        """The one device this entry stands for."""
        data = self.config_entry.data
        return DeviceInfo(
            identifiers={(DOMAIN, self.sensor_id)},
            name=self.config_entry.title,
            manufacturer=data.get(CONF_MANUFACTURER) or MANUFACTURER,
            model=data.get(CONF_MODEL),
            sw_version=data.get(CONF_SW_VERSION),
        )

    async def async_start(self) -> None:
        """Restore the saved session, then subscribe; every unsubscribe runs on unload."""
        entry = self.config_entry
        await self._async_restore()
        device = dr.async_get(self.hass).async_get_or_create(
            config_entry_id=entry.entry_id, **self.device_info
        )
        self.device_id = device.id
        self._mqtt_connected = mqtt.is_connected(self.hass)
        entry.async_on_unload(
            await mqtt.async_subscribe(
                self.hass, entry.data[CONF_STATE_TOPIC], self._async_message_received, encoding=None
            )
        )
        if availability_topic := entry.data.get(CONF_AVAILABILITY_TOPIC):
            entry.async_on_unload(
                await mqtt.async_subscribe(
                    self.hass, availability_topic, self._async_availability_received
                )
            )
        entry.async_on_unload(
            mqtt.async_subscribe_connection_status(self.hass, self._async_connection_changed)
        )
        self._unlisten_stop = self.hass.bus.async_listen_once(
            EVENT_HOMEASSISTANT_STOP, self._async_home_assistant_stopping
        )
        entry.async_on_unload(self._async_unlisten_stop)
        entry.async_on_unload(
            async_track_time_interval(
                self.hass,
                self._async_tick,
                timedelta(seconds=TICK_INTERVAL_S),
                name=f"{DOMAIN} tick",
                # Nothing to advance once Home Assistant stops (async_shutdown saves the session).
                cancel_on_shutdown=True,
            )
        )
        self._async_publish()

    async def _async_restore(self) -> None:
        """Continue the saved session; one that cannot be read is kept aside and reported."""
        try:
            saved = await self._store.async_load_snapshot()
        except UnreadableSessionError as err:
            async_report_unreadable_session(self.hass, self.config_entry, err)
            saved = None
        if saved is not None:
            self.engine.restore(saved)
        if self.engine.session.totals_since is None:
            # Counting starts now (a new bench, or a store from before totals had a start).
            self.engine.session.totals_since = dt_util.utcnow()

    async def async_shutdown(self) -> None:
        """Write the session to disk now rather than after the save delay."""
        await super().async_shutdown()
        await self._store.async_save(self.engine.export_state())

    @callback
    def _async_home_assistant_stopping(self, _event: Event) -> None:
        """Read no more once Home Assistant stops: its MQTT client keeps delivering until the
        process ends, and what changed the session after the final write would be lost (or
        written after it)."""
        self._unlisten_stop = None  # a fired one-time listener is gone already
        self._stopping = True
        self._store.async_delay_save(self.engine.export_state)

    @callback
    def _async_unlisten_stop(self) -> None:
        if self._unlisten_stop is not None:
            self._unlisten_stop()
            self._unlisten_stop = None

    @callback
    def async_add_event_listener(self, listener: EngineEventListener) -> CALLBACK_TYPE:
        """Call ``listener`` with every engine event; returns the function that stops it."""
        self._event_listeners.append(listener)
        return lambda: self._event_listeners.remove(listener)

    @callback
    def async_run(self, command: Callable[[float], list[EngineEvent]]) -> None:
        """Run an engine command (button, service, setting) at the current time."""
        self._async_handle_events(command(self.clock()))

    @callback
    def async_apply_settings(self, settings: EngineSettings) -> None:
        """Hand new settings to the engine unless they are what it already runs with."""
        if settings != self.engine.settings:
            self.async_run(lambda t: self.engine.update_settings(settings, t))

    @callback
    def async_store_settings(self, settings: EngineSettings) -> None:
        """Apply settings changed from an entity and keep them in the entry's options."""
        self.async_apply_settings(settings)
        self.hass.config_entries.async_update_entry(
            self.config_entry,
            options={**self.config_entry.options, **options_from_settings(settings)},
        )

    def engine_time_to_datetime(self, engine_t: float) -> datetime:
        """The wall-clock instant of an engine time."""
        return dt_util.utcnow() + timedelta(seconds=engine_t - self.clock())

    @callback
    def _async_message_received(self, msg: mqtt.ReceiveMessage) -> None:
        if self._stopping:
            return
        if not self.rate_limit.allow():
            return  # a flood: dropped before decoding (logged once by the limiter)
        if msg.retain:
            # A retained sample is history: replaying it now would invent a movement.
            LOGGER.debug("Ignoring retained sample on %s", msg.topic)
            return
        now = self.clock()
        payload = msg.payload if isinstance(msg.payload, str | bytes) else bytes(msg.payload)
        result = self.engine.feed_payload(payload, now)
        self.health.async_payload(
            now,
            result,
            only_invalid_data=self.engine.sensor_state is SensorState.INVALID,
        )
        self._async_handle_events(result.events)

    @callback
    def _async_availability_received(self, msg: mqtt.ReceiveMessage) -> None:
        if self._stopping:
            return
        payload = msg.payload
        data = self.config_entry.data
        if payload == data.get(CONF_PAYLOAD_AVAILABLE, PAYLOAD_AVAILABLE):
            self._sensor_online = True
        elif payload == data.get(CONF_PAYLOAD_NOT_AVAILABLE, PAYLOAD_NOT_AVAILABLE):
            if self._sensor_online:
                # Gone mid-set (last will): close the set now rather than after 5 s of silence.
                self.async_run(self.engine.sensor_offline)
            self._sensor_online = False
        else:
            LOGGER.warning("Ignoring unknown availability payload %r on %s", payload, msg.topic)
            return
        self._async_publish()

    @callback
    def _async_connection_changed(self, connected: bool) -> None:
        self._mqtt_connected = connected
        self._async_publish()

    @callback
    def _async_tick(self, _now: datetime) -> None:
        now = self.clock()
        self.rate_limit.tick()
        self.health.async_tick(now, sensor_online=self._sensor_online and self._mqtt_connected)
        self._async_handle_events(self.engine.tick(now))  # publishes the state as of now
        self.health.async_calibration(now, self.data.state.recalibrating_since_t)

    @callback
    def _async_handle_events(self, events: list[EngineEvent]) -> None:
        for event in events:
            async_fire_bus_event(self.hass, self.config_entry.entry_id, self.device_id, event)
            for listener in list(self._event_listeners):
                listener(event)
        if events:
            self._store.async_delay_save(self.engine.export_state, STORE_SAVE_DELAY_S)
        self._async_publish()

    @callback
    def _async_publish(self) -> None:
        data = self._snapshot()
        if data != self.data:
            self.async_set_updated_data(data)
        if data.available != self._was_available:
            if self._was_available is not None:
                if data.available:
                    LOGGER.info("Sensor %s is available again", self.sensor_id)
                else:
                    LOGGER.info("Sensor %s is unavailable", self.sensor_id)
            self._was_available = data.available

    def _snapshot(self) -> CoachData:
        state = self.engine.state
        available = self._mqtt_connected and self._sensor_online
        return CoachData(
            state=state,
            settings=self.engine.settings,
            available=available,
            streaming=available and state.sensor_state is not SensorState.STALE,
            vouched_online=bool(self.config_entry.data.get(CONF_AVAILABILITY_TOPIC)),
            rest_ends_at=self._rest_ends_at(state.rest_ends_t),
        )

    def _rest_ends_at(self, rest_ends_t: float | None) -> datetime | None:
        # Converted once per rest so the timestamp entity does not move with every sample.
        if rest_ends_t is None:
            self._rest_ends = None
            return None
        if self._rest_ends is None or self._rest_ends[0] != rest_ends_t:
            self._rest_ends = (rest_ends_t, self.engine_time_to_datetime(rest_ends_t))
        return self._rest_ends[1]
