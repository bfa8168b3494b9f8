"""Config flow: manual set-up, MQTT discovery, options and reconfigure."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

from homeassistant.components import mqtt
from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_NAME, UnitOfTime
from homeassistant.core import callback
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
)
from homeassistant.helpers.service_info.mqtt import MqttServiceInfo

from .const import (
    CONF_AVAILABILITY_TOPIC,
    CONF_PAYLOAD_FORMAT,
    CONF_SENSOR_ID,
    CONF_STATE_TOPIC,
    DEFAULT_NAME,
    DOMAIN,
    LOGGER,
)
from .coordinator import RepCoachConfigEntry
from .discovery import (
    Announcement,
    InvalidAnnouncementError,
    TopicProbe,
    parse_announcement,
    sensor_id_for_topic,
    topic_error,
)
from .engine import (
    DistanceUnit,
    Orientation,
    Program,
    Sensitivity,
    SideMode,
    Variation,
    detect_format,
)
from .options import (
    OPT_HOLD_TARGET,
    OPT_IDLE_END_SET,
    OPT_LOWERING_TARGET,
    OPT_NEW_WORKOUT_AFTER,
    OPT_ORIENTATION,
    OPT_PROGRAM,
    OPT_REST,
    OPT_SENSITIVITY,
    OPT_SETS_PER_SIDE,
    OPT_SIDE_MODE,
    OPT_TARGET_REPS,
    OPT_UNIT,
    OPT_VARIATION,
    options_from_settings,
    settings_from_options,
)
from .validation import vol

# A live sensor publishes several times a second and a retained state arrives at once.
PROBE_TIMEOUT_S: Final = 5.0

TOPICS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_STATE_TOPIC): TextSelector(),
        vol.Optional(CONF_AVAILABILITY_TOPIC): TextSelector(),
    }
)
USER_SCHEMA = vol.Schema({vol.Required(CONF_NAME): TextSelector()}).extend(TOPICS_SCHEMA.schema)


def _choice(key: str, options: list[str]) -> SelectSelector:
    return SelectSelector(
        SelectSelectorConfig(options=options, translation_key=key, mode=SelectSelectorMode.DROPDOWN)
    )


def _number(
    maximum: float, step: float, *, seconds: bool = False, minutes: bool = False
) -> NumberSelector:
    config = NumberSelectorConfig(min=0, max=maximum, step=step, mode=NumberSelectorMode.BOX)
    if seconds:
        config["unit_of_measurement"] = UnitOfTime.SECONDS
    if minutes:
        config["unit_of_measurement"] = UnitOfTime.MINUTES
    return NumberSelector(config)


OPTIONS_SCHEMA = vol.Schema(
    {
        vol.Required(OPT_PROGRAM): _choice(OPT_PROGRAM, [str(item) for item in Program]),
        vol.Required(OPT_VARIATION): _choice(OPT_VARIATION, [str(item) for item in Variation]),
        vol.Required(OPT_TARGET_REPS): vol.All(_number(50, 1), vol.Coerce(int)),
        vol.Required(OPT_SETS_PER_SIDE): vol.All(_number(10, 1), vol.Coerce(int), vol.Range(min=1)),
        vol.Required(OPT_HOLD_TARGET): _number(10, 0.5, seconds=True),
        vol.Required(OPT_LOWERING_TARGET): _number(10, 0.5, seconds=True),
        vol.Required(OPT_SIDE_MODE): _choice(OPT_SIDE_MODE, [str(item) for item in SideMode]),
        vol.Required(OPT_IDLE_END_SET): vol.All(_number(120, 1, seconds=True), vol.Range(min=3)),
        vol.Required(OPT_REST): _number(600, 5, seconds=True),
        vol.Required(OPT_NEW_WORKOUT_AFTER): _number(1440, 5, minutes=True),
        vol.Required(OPT_SENSITIVITY): _choice(
            OPT_SENSITIVITY, [str(item) for item in Sensitivity]
        ),
        vol.Required(OPT_UNIT): _choice(OPT_UNIT, [str(item) for item in DistanceUnit]),
        vol.Required(OPT_ORIENTATION): _choice(
            OPT_ORIENTATION, [str(item) for item in Orientation]
        ),
    }
)


def _topic_errors(user_input: dict[str, Any]) -> dict[str, str]:
    """Errors for the topic fields (empty when they are fine)."""
    return {
        key: error
        for key in (CONF_STATE_TOPIC, CONF_AVAILABILITY_TOPIC)
        if key in user_input and (error := topic_error(user_input[key]))
    }


class RepCoachConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up a Rep Coach bench sensor."""

    VERSION = 1
    _announcement: Announcement
    # The submitted name and topics while the flow listens for a first reading.
    _pending: dict[str, Any]

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: RepCoachConfigEntry) -> RepCoachOptionsFlow:
        """The options flow (program, targets, side mode...)."""
        return RepCoachOptionsFlow()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Set up a sensor by its topic."""
        errors: dict[str, str] = {}
        if user_input is not None:
            self._async_abort_entries_match({CONF_STATE_TOPIC: user_input[CONF_STATE_TOPIC]})
            errors = _topic_errors(user_input)
            if user_input[CONF_NAME] in self._titles_in_use():
                errors[CONF_NAME] = "name_in_use"
            if not errors:
                await self.async_set_unique_id(sensor_id_for_topic(user_input[CONF_STATE_TOPIC]))
                self._abort_if_unique_id_configured()
                self._pending = dict(user_input)
                return await self._async_listen()
        return self._async_show_topics_form(
            user_input or {CONF_NAME: self._unused_name(DEFAULT_NAME)}, errors
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Point an existing sensor at other topics."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = _topic_errors(user_input)
            if not errors and any(
                other.entry_id != entry.entry_id
                and other.data.get(CONF_STATE_TOPIC) == user_input[CONF_STATE_TOPIC]
                for other in self._async_current_entries(include_ignore=False)
            ):
                errors[CONF_STATE_TOPIC] = "topic_in_use"
            if not errors:
                self._pending = dict(user_input)
                return await self._async_listen()
        return self._async_show_topics_form(user_input or dict(entry.data), errors)

    async def async_step_no_reading(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Say that nothing arrived; listen again, change the topic or continue anyway."""
        return self.async_show_menu(
            step_id="no_reading",
            menu_options=["check_again", "add_anyway", self._topics_step],
            description_placeholders={
                "topic": self._pending[CONF_STATE_TOPIC],
                "seconds": f"{PROBE_TIMEOUT_S:g}",
            },
        )

    async def async_step_check_again(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Listen to the sensor topic once more."""
        return await self._async_listen()

    async def async_step_add_anyway(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Keep the topic although nothing arrived; the format is detected from the first data."""
        return self._async_finish(None)

    async def _async_listen(self) -> ConfigFlowResult:
        """Test before configuring: wait a few seconds for a first reading on the sensor topic."""
        if not await mqtt.async_wait_for_mqtt_client(self.hass):
            return self._async_show_topics_form(self._pending, {"base": "mqtt_not_ready"})
        topic = self._pending[CONF_STATE_TOPIC]
        probe = TopicProbe(self.hass, topic)
        await probe.async_subscribe()
        payload = await probe.async_first_payload(PROBE_TIMEOUT_S)
        if payload is None:
            LOGGER.info("No reading on %s within %s s", topic, PROBE_TIMEOUT_S)
            return await self.async_step_no_reading()
        payload_format = detect_format(
            bytes(payload) if isinstance(payload, bytearray) else payload
        )
        if payload_format is None:
            return self._async_show_topics_form(
                self._pending, {CONF_STATE_TOPIC: "invalid_payload"}
            )
        return self._async_finish(str(payload_format))

    @callback
    def _async_finish(self, payload_format: str | None) -> ConfigFlowResult:
        data = {
            CONF_STATE_TOPIC: self._pending[CONF_STATE_TOPIC],
            CONF_AVAILABILITY_TOPIC: self._pending.get(CONF_AVAILABILITY_TOPIC),
            CONF_PAYLOAD_FORMAT: payload_format,
        }
        if self.source == SOURCE_RECONFIGURE:
            # The entry's update listener reloads it for the new topics.
            return self.async_update_and_abort(self._get_reconfigure_entry(), data_updates=data)
        return self.async_create_entry(
            title=self._pending[CONF_NAME], data={CONF_SENSOR_ID: self.unique_id, **data}
        )

    @property
    def _topics_step(self) -> str:
        return "reconfigure" if self.source == SOURCE_RECONFIGURE else "user"

    @callback
    def _async_show_topics_form(
        self, suggested: dict[str, Any], errors: dict[str, str]
    ) -> ConfigFlowResult:
        schema = TOPICS_SCHEMA if self.source == SOURCE_RECONFIGURE else USER_SCHEMA
        return self.async_show_form(
            step_id=self._topics_step,
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
        )

    def _titles_in_use(self) -> set[str]:
        return {entry.title for entry in self._async_current_entries(include_ignore=False)}

    def _unused_name(self, name: str) -> str:
        """``name``, or ``name 2``, ``name 3``... when another bench already has it."""
        in_use = self._titles_in_use()
        candidate, number = name, 1
        while candidate in in_use:
            number += 1
            candidate = f"{name} {number}"
        return candidate

    async def async_step_mqtt(self, discovery_info: MqttServiceInfo) -> ConfigFlowResult:
        """A sensor announced itself on ``rep_coach/discovery/<sensor_id>``."""
        try:
            announcement = parse_announcement(discovery_info)
        except InvalidAnnouncementError as err:
            LOGGER.warning("Ignoring invalid announcement on %s: %s", discovery_info.topic, err)
            return self.async_abort(reason="invalid_discovery_info")
        await self.async_set_unique_id(announcement.sensor_id)
        # A known sensor that moved topics or updated its firmware: keep the entry current (the
        # entry's update listener reloads it when the data changed).
        self._abort_if_unique_id_configured(updates=announcement.entry_data, reload_on_update=False)
        # Every firmware announces the same default name: a second bench gets "... 2".
        self._announcement = replace(announcement, name=self._unused_name(announcement.name))
        self.context["title_placeholders"] = {"name": self._announcement.name}
        return await self.async_step_discovery_confirm()

    async def async_step_discovery_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask before adding a discovered sensor."""
        announcement = self._announcement
        if user_input is not None:
            return self.async_create_entry(title=announcement.name, data=announcement.entry_data)
        self._set_confirm_only()
        return self.async_show_form(
            step_id="discovery_confirm",
            description_placeholders={
                "name": announcement.name,
                "model": str(announcement.entry_data.get("model", "?")),
                "sw_version": str(announcement.entry_data.get("sw_version", "?")),
            },
        )


class RepCoachOptionsFlow(OptionsFlow):
    """Program, variation, targets, side mode, idle time, rest and sensitivity."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """One form with every training setting."""
        if user_input is not None:
            # A program preset owns the targets: store what the engine will really use.
            return self.async_create_entry(
                data=options_from_settings(settings_from_options(user_input))
            )
        current = options_from_settings(settings_from_options(self.config_entry.options))
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(OPTIONS_SCHEMA, current),
        )
